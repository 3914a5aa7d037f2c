// CodeEditor: diagnostics become squiggles at the right ranges and colours and ride along with
// edits, tooltips and gutter icons say what is wrong, goTo scrolls, completion asks the provider
// and inserts, YAML indentation (Enter keeps it, Tab inserts spaces, Shift+Tab dedents), and the
// theme restyles everything. Saves screenshots of both themes.
#include "widgets/codeeditor.h"
#include "widgets/syntaxhighlighting.h"

#include "screenshots.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QSyntaxHighlighter>
#include <QTest>
#include <QTextBlock>
#include <QToolTip>

using namespace kd::widgets;

namespace {

const QString kManifest = QStringLiteral("apiVersion: apps/v1\n"          // 1
                                         "kind: Deployment\n"             // 2
                                         "metadata:\n"                    // 3
                                         "  name: llama-serve\n"          // 4
                                         "spec:\n"                        // 5
                                         "  replicas: three\n"            // 6
                                         "  template:\n"                  // 7
                                         "    spec:\n"                    // 8
                                         "      containers:\n"            // 9
                                         "        - name: server\n"       // 10
                                         "          image: vllm:latest\n" // 11
                                         "          resources:\n"         // 12
                                         "            limits:\n"          // 13
                                         "              nvidia.com/gpu: 1\n"
                                         "  strategy: {type: Rolling}"); // 15

Diagnostic diag(int line, int column, int length, Severity severity, const QString &message,
                const QString &code = {}) {
    Diagnostic d;
    d.line = line;
    d.column = column;
    d.length = length;
    d.severity = severity;
    d.message = message;
    d.code = code;
    return d;
}

DiagnosticList sampleDiagnostics() {
    return {diag(6, 13, 5, Severity::Error, QStringLiteral("replicas must be an integer"),
                 QStringLiteral("schema")),
            diag(11, 18, 0, Severity::Warning, QStringLiteral("image uses the :latest tag"),
                 QStringLiteral("KD201")),
            diag(15, 20, 7, Severity::Info, QStringLiteral("did you mean RollingUpdate?"))};
}

// The wavy underlines among the editor's extra selections.
QList<QTextEdit::ExtraSelection> squiggles(const CodeEditor &editor) {
    QList<QTextEdit::ExtraSelection> out;
    for (const auto &s : editor.extraSelections()) {
        if (s.format.underlineStyle() == QTextCharFormat::SpellCheckUnderline)
            out.push_back(s);
    }
    return out;
}

// The squiggle whose underline starts on `line` (1-based), or an empty one.
QTextEdit::ExtraSelection squiggleOn(const CodeEditor &editor, int line) {
    for (const auto &s : squiggles(editor)) {
        if (s.cursor.document()->findBlock(s.cursor.selectionStart()).blockNumber() == line - 1)
            return s;
    }
    return {};
}

// The middle of the text of `d` (current position) in viewport coordinates.
QPoint middleOf(const CodeEditor &editor, const Diagnostic &d) {
    const QTextBlock block = editor.document()->findBlockByNumber(d.line - 1);
    QTextCursor c(block);
    c.setPosition(block.position() + d.column - 1 + d.length / 2);
    return editor.cursorRect(c).center();
}

CompletionList fieldItems() {
    return {
        {QStringLiteral("apiVersion"), QStringLiteral("string"), QStringLiteral("apiVersion: ")},
        {QStringLiteral("kind"), QStringLiteral("string"), QStringLiteral("kind: ")},
        {QStringLiteral("metadata"), QStringLiteral("ObjectMeta"), {}},
        {QStringLiteral("minReadySeconds"), QStringLiteral("integer"), {}},
        {QStringLiteral("replicas"), QStringLiteral("integer"), QStringLiteral("replicas: ")},
        {QStringLiteral("template"), QStringLiteral("PodTemplateSpec"), {}}};
}

} // namespace

class TstCodeEditor final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<CodeEditor> m_editor;

private slots:
    void init() {
        m_editor = std::make_unique<CodeEditor>();
        m_editor->resize(640, 420);
        m_editor->setLanguage(CodeEditor::Language::Yaml);
        m_editor->setPlainText(kManifest);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    }
    void cleanup() { m_editor.reset(); }

    void diagnosticsBecomeSquigglesAtTheirRanges() {
        m_editor->setDiagnostics(sampleDiagnostics());
        QCOMPARE(squiggles(*m_editor).size(), 3);
        const EditorTheme theme = m_editor->theme();

        const auto error = squiggleOn(*m_editor, 6);
        QCOMPARE(error.cursor.selectedText(), QStringLiteral("three"));
        QCOMPARE(error.format.underlineColor(), theme.error);
        // Length 0: the token at the column, without the trailing colon of a key.
        const auto warning = squiggleOn(*m_editor, 11);
        QCOMPARE(warning.cursor.selectedText(), QStringLiteral("vllm:latest"));
        QCOMPARE(warning.format.underlineColor(), theme.warning);
        const auto info = squiggleOn(*m_editor, 15);
        QCOMPARE(info.cursor.selectedText(), QStringLiteral("Rolling"));
        QCOMPARE(info.format.underlineColor(), theme.info);
        // The worst is drawn last, on top of anything it overlaps.
        QCOMPARE(squiggles(*m_editor).back().format.underlineColor(), theme.error);
    }

    void emptyLengthMarksTokenOrLine_data() {
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("underlined");
        QTest::newRow("key without its colon") << 4 << 3 << QStringLiteral("name");
        QTest::newRow("on a space: the line") << 4 << 1 << QStringLiteral("name: llama-serve");
        QTest::newRow("past the end: the line") << 9 << 40 << QStringLiteral("containers:");
        QTest::newRow("line past the end: the last line") << 99 << 3 << QStringLiteral("strategy");
    }
    void emptyLengthMarksTokenOrLine() {
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, underlined);
        m_editor->setDiagnostics({diag(line, column, 0, Severity::Error, QStringLiteral("x"))});
        QCOMPARE(squiggles(*m_editor).size(), 1);
        QCOMPARE(squiggles(*m_editor).front().cursor.selectedText(), underlined);
    }

    void diagnosticsRideAlongWithEdits() {
        m_editor->setDiagnostics(sampleDiagnostics());
        QTextCursor top(m_editor->document());
        top.insertText(QStringLiteral("# a comment\n# and another\n"));
        const DiagnosticList now = m_editor->diagnostics();
        QCOMPARE(now.size(), 3);
        QCOMPARE(now.at(0).line, 8);
        QCOMPARE(now.at(0).column, 13);
        QCOMPARE(now.at(0).length, 5);
        QCOMPARE(squiggleOn(*m_editor, 8).cursor.selectedText(), QStringLiteral("three"));
        QVERIFY(m_editor->gutterToolTip(6).isEmpty());
        QVERIFY(m_editor->gutterToolTip(8).contains(QStringLiteral("replicas must be")));

        // Deleting the marked text leaves an empty range: no underline, but still listed.
        QTextCursor word(m_editor->document()->findBlockByNumber(7));
        word.setPosition(word.position() + 12);
        word.setPosition(word.position() + 5, QTextCursor::KeepAnchor);
        word.removeSelectedText();
        QCOMPARE(m_editor->diagnostics().at(0).length, 0);
        QCOMPARE(squiggles(*m_editor).size(), 2);
        QVERIFY(m_editor->gutterToolTip(8).contains(QStringLiteral("replicas must be")));

        // The next validation replaces them all.
        m_editor->clearDiagnostics();
        QVERIFY(m_editor->diagnostics().isEmpty());
        QVERIFY(squiggles(*m_editor).isEmpty());
    }

    void diagnosticAtCursorIsTheWorst() {
        m_editor->setDiagnostics(
            {diag(6, 3, 14, Severity::Warning, QStringLiteral("whole line")),
             diag(6, 13, 5, Severity::Error, QStringLiteral("the value"), QStringLiteral("E1"))});
        QTextCursor c(m_editor->document()->findBlockByNumber(5));
        c.setPosition(c.position() + 4);
        QCOMPARE(m_editor->diagnosticAt(c)->message, QStringLiteral("whole line"));
        c.setPosition(c.position() + 10);
        QCOMPARE(m_editor->diagnosticAt(c)->message, QStringLiteral("the value"));
        QCOMPARE(m_editor->diagnosticAt(c)->code, QStringLiteral("E1"));
        QVERIFY(!m_editor->diagnosticAt(QTextCursor(m_editor->document())).has_value());
        QCOMPARE(m_editor->diagnosticsOnLine(6).front().severity, Severity::Error);
    }

    void toolTipsNameMessageAndCode() {
        const DiagnosticList list = sampleDiagnostics();
        m_editor->setDiagnostics(list);
        QCOMPARE(m_editor->toolTipAt(middleOf(*m_editor, list.at(0))),
                 QStringLiteral("error: replicas must be an integer (schema)"));
        QCOMPARE(m_editor->toolTipAt(middleOf(*m_editor, list.at(2))),
                 QStringLiteral("info: did you mean RollingUpdate?"));
        // Beside a short line there is nothing to explain.
        const QPoint right(m_editor->viewport()->width() - 5, middleOf(*m_editor, list.at(0)).y());
        QVERIFY(m_editor->toolTipAt(right).isEmpty());
        QCOMPARE(m_editor->gutterToolTip(11),
                 QStringLiteral("warning: image uses the :latest tag (KD201)"));
        QVERIFY(m_editor->gutterToolTip(1).isEmpty());

        // A real tooltip event shows it, as plain text even when the message looks like markup.
        m_editor->setDiagnostics({diag(6, 13, 5, Severity::Error, QStringLiteral("<b>three</b>"))});
        const QPoint at = middleOf(*m_editor, m_editor->diagnostics().front());
        QHelpEvent help(QEvent::ToolTip, at, m_editor->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(m_editor->viewport(), &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().contains(QStringLiteral("&lt;b&gt;three&lt;/b&gt;")));
        QToolTip::hideText();
    }

    void gutterWidthFollowsDigits() {
        m_editor->setPlainText(QStringLiteral("a\n").repeated(8));
        const int two = m_editor->gutterWidth();
        m_editor->setPlainText(QStringLiteral("a\n").repeated(98)); // 99 lines
        QCOMPARE(m_editor->gutterWidth(), two);
        m_editor->setPlainText(QStringLiteral("a\n").repeated(99)); // 100 lines
        const int three = m_editor->gutterWidth();
        QVERIFY(three > two);
        m_editor->setPlainText(QStringLiteral("a\n").repeated(12000));
        QVERIFY(m_editor->gutterWidth() > three);
        QCOMPARE(m_editor->gutter()->width(), m_editor->gutterWidth());
        QCOMPARE(m_editor->viewport()->x(), m_editor->gutter()->geometry().right() + 1);
    }

    void gutterClickActivatesTheLinesWorstDiagnostic() {
        m_editor->setDiagnostics(sampleDiagnostics());
        QSignalSpy spy(m_editor.get(), &CodeEditor::diagnosticActivated);
        const int y = middleOf(*m_editor, m_editor->diagnostics().at(1)).y();
        QTest::mouseClick(m_editor->gutter(), Qt::LeftButton, {}, QPoint(6, y));
        QCOMPARE(spy.size(), 1);
        const auto d = spy.front().front().value<Diagnostic>();
        QCOMPARE(d.line, 11);
        QCOMPARE(d.code, QStringLiteral("KD201"));
        QCOMPARE(m_editor->textCursor().blockNumber(), 10);
        QCOMPARE(m_editor->textCursor().positionInBlock(), 17);
        // A line without diagnostics does nothing.
        QTest::mouseClick(m_editor->gutter(), Qt::LeftButton, {}, QPoint(6, 3));
        QCOMPARE(spy.size(), 1);
    }

    void goToScrollsAndPlacesTheCursor() {
        QString text;
        for (int i = 1; i <= 300; ++i)
            text += QStringLiteral("key%1: value\n").arg(i);
        m_editor->setPlainText(text);
        m_editor->goTo(200, 4);
        QCOMPARE(m_editor->textCursor().blockNumber(), 199);
        QCOMPARE(m_editor->textCursor().positionInBlock(), 3);
        QVERIFY(m_editor->verticalScrollBar()->value() > 150);
        QVERIFY(m_editor->viewport()->rect().contains(m_editor->cursorRect()));
        m_editor->goTo(9999, 9999); // clamped to the end
        QCOMPARE(m_editor->textCursor().position(), m_editor->document()->characterCount() - 1);
        m_editor->goTo(0, 0);
        QCOMPARE(m_editor->textCursor().position(), 0);
    }

    void completionShowsProviderItemsAndInsertsOnEnter() {
        QVector<CompletionRequest> requests;
        m_editor->setCompletionProvider([&](const CompletionRequest &r) {
            requests.push_back(r);
            return fieldItems();
        });
        m_editor->goTo(6, 1);
        QTest::keyClick(m_editor.get(), Qt::Key_End);
        QTest::keyClick(m_editor.get(), Qt::Key_Return);
        QTest::keyClicks(m_editor.get(), QStringLiteral("re"));
        QVERIFY(m_editor->isCompletionVisible());
        QCOMPARE(requests.back().prefix, QStringLiteral("re"));
        QCOMPARE(requests.back().line, 7);
        QCOMPARE(requests.back().column, 5);
        QVERIFY(!requests.back().explicitRequest);
        QVERIFY(requests.back().text.contains(QStringLiteral("\n  re\n")));
        // Labels starting with the prefix come before those only containing it.
        QCOMPARE(m_editor->completionLabels(),
                 QStringList({QStringLiteral("replicas"), QStringLiteral("minReadySeconds")}));
        QTest::keyClick(m_editor.get(), Qt::Key_Return);
        QVERIFY(!m_editor->isCompletionVisible());
        QCOMPARE(m_editor->textCursor().block().text(), QStringLiteral("  replicas: "));

        // After "key:" the next line is deeper; narrowing as one types, Down to choose, Tab
        // inserts the label when an item has no insert text.
        QTest::keyClick(m_editor.get(), Qt::Key_Return);
        QTest::keyClicks(m_editor.get(), QStringLiteral("t"));
        QCOMPARE(m_editor->completionLabels(),
                 QStringList({QStringLiteral("template"), QStringLiteral("metadata")}));
        QTest::keyClick(m_editor.get(), Qt::Key_Down);
        QTest::keyClick(m_editor.get(), Qt::Key_Tab);
        QCOMPARE(m_editor->textCursor().block().text(), QStringLiteral("    metadata"));
    }

    void completionOnRequestAfterKeyAndEscape() {
        QVector<CompletionRequest> requests;
        m_editor->setCompletionProvider([&](const CompletionRequest &r) {
            requests.push_back(r);
            return r.prefix.isEmpty() && !r.explicitRequest
                       ? CompletionList{{QStringLiteral("Deployment"), {}, {}},
                                        {QStringLiteral("StatefulSet"), {}, {}}}
                       : fieldItems();
        });
        m_editor->goTo(2, 1);
        QTest::keyClick(m_editor.get(), Qt::Key_Space, Qt::ControlModifier);
        QVERIFY(m_editor->isCompletionVisible());
        QVERIFY(requests.back().explicitRequest);
        QCOMPARE(requests.back().prefix, QString());
        QCOMPARE(m_editor->completionLabels().size(), fieldItems().size());
        QTest::keyClick(m_editor.get(), Qt::Key_Escape);
        QVERIFY(!m_editor->isCompletionVisible());
        QVERIFY(m_editor->completionLabels().isEmpty());
        QCOMPARE(m_editor->toPlainText(), kManifest); // Escape inserted nothing

        // The space after "key:" asks for a value.
        QTest::keyClick(m_editor.get(), Qt::Key_End);
        QTest::keyClick(m_editor.get(), Qt::Key_Return);
        QTest::keyClicks(m_editor.get(), QStringLiteral("kind: "));
        QVERIFY(m_editor->isCompletionVisible());
        QCOMPARE(m_editor->completionLabels().front(), QStringLiteral("Deployment"));
        QVERIFY(m_editor->acceptCompletion());
        QCOMPARE(m_editor->textCursor().block().text(), QStringLiteral("kind: Deployment"));

        // Nothing matching: no popup.
        QTest::keyClicks(m_editor.get(), QStringLiteral(" zz"));
        QVERIFY(!m_editor->isCompletionVisible());
        QVERIFY(!m_editor->acceptCompletion());

        // Clicking elsewhere in the text closes it.
        QTest::keyClick(m_editor.get(), Qt::Key_Return);
        m_editor->requestCompletion();
        QVERIFY(m_editor->isCompletionVisible());
        QTest::mouseClick(m_editor->viewport(), Qt::LeftButton, {}, QPoint(5, 5));
        QVERIFY(!m_editor->isCompletionVisible());
    }

    void enterKeepsIndentation_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("next");
        QTest::newRow("same level") << QStringLiteral("    name: a") << QStringLiteral("    ");
        QTest::newRow("after key:") << QStringLiteral("  spec:") << QStringLiteral("    ");
        QTest::newRow("after key: with comment")
            << QStringLiteral("spec:  # the spec") << QStringLiteral("  ");
        QTest::newRow("list item content")
            << QStringLiteral("  - name: a") << QStringLiteral("    ");
        QTest::newRow("list item opening a block")
            << QStringLiteral("- env:") << QStringLiteral("    ");
        QTest::newRow("top level") << QStringLiteral("kind: Pod") << QString();
        QTest::newRow("a url is no key")
            << QStringLiteral("  url: http://a") << QStringLiteral("  ");
    }
    void enterKeepsIndentation() {
        QFETCH(QString, line);
        QFETCH(QString, next);
        m_editor->setPlainText(line);
        m_editor->moveCursor(QTextCursor::End);
        QTest::keyClick(m_editor.get(), Qt::Key_Return);
        QCOMPARE(m_editor->toPlainText(), line + QLatin1Char('\n') + next);
        QCOMPARE(m_editor->textCursor().positionInBlock(), next.size());
    }

    void tabInsertsSpacesAndShiftTabDedents() {
        m_editor->setPlainText(QStringLiteral("a: 1\nb: 2\nc: 3"));
        m_editor->moveCursor(QTextCursor::Start);
        QTest::keyClick(m_editor.get(), Qt::Key_Tab);
        QCOMPARE(m_editor->document()->firstBlock().text(), QStringLiteral("  a: 1"));
        QTest::keyClick(m_editor.get(), Qt::Key_Space);
        QTest::keyClick(m_editor.get(), Qt::Key_Tab); // to the next multiple of two
        QCOMPARE(m_editor->document()->firstBlock().text(), QStringLiteral("    a: 1"));
        QVERIFY(!m_editor->toPlainText().contains(QLatin1Char('\t')));
        QTest::keyClick(m_editor.get(), Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(m_editor->document()->firstBlock().text(), QStringLiteral("  a: 1"));

        // A selection over several lines indents and dedents them all, in one undo step.
        QTextCursor all(m_editor->document());
        all.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
        m_editor->setTextCursor(all);
        QTest::keyClick(m_editor.get(), Qt::Key_Tab);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("    a: 1\n  b: 2\n  c: 3"));
        QTest::keyClick(m_editor.get(), Qt::Key_Backtab, Qt::ShiftModifier);
        QTest::keyClick(m_editor.get(), Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("a: 1\nb: 2\nc: 3"));
        m_editor->undo();
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("  a: 1\nb: 2\nc: 3"));
    }

    void themeSwitchRestylesEverything() {
        m_editor->setDiagnostics(sampleDiagnostics());
        const EditorTheme dark = EditorTheme::dark();
        QVERIFY(dark.background != EditorTheme::light().background);
        m_editor->setTheme(dark);
        QCOMPARE(m_editor->palette().color(QPalette::Base), dark.background);
        QCOMPARE(m_editor->palette().color(QPalette::Text), dark.text);
        QCOMPARE(squiggleOn(*m_editor, 6).format.underlineColor(), dark.error);
        // The current line is highlighted in the theme's colour.
        bool currentLine = false;
        for (const auto &s : m_editor->extraSelections())
            currentLine |= s.format.background().color() == dark.currentLine &&
                           s.format.property(QTextFormat::FullWidthSelection).toBool();
        QVERIFY(currentLine);
        // The highlighter follows: a key is now in the dark key colour.
        QCOMPARE(m_editor->highlighterName(), highlighterName(m_editor->highlighter()));
        if (!haveKSyntaxHighlighting()) {
            const auto formats = m_editor->document()->firstBlock().layout()->formats();
            QVERIFY(!formats.isEmpty());
            QCOMPARE(formats.front().format.foreground().color(), dark.key);
        }
        m_editor->setLanguage(CodeEditor::Language::PlainText);
        QVERIFY(m_editor->highlighter() == nullptr);
        QVERIFY(m_editor->highlighterName().isEmpty());
    }

    void screenshotsOfBothThemes() {
        m_editor->resize(560, 380);
        m_editor->setDiagnostics(sampleDiagnostics());
        m_editor->goTo(6, 13);
        QVERIFY(kd::testing::saveScreenshot(m_editor.get(), QStringLiteral("codeeditor-light")));
        m_editor->setTheme(EditorTheme::dark());
        QVERIFY(kd::testing::saveScreenshot(m_editor.get(), QStringLiteral("codeeditor-dark")));
    }
};

QTEST_MAIN(TstCodeEditor)
#include "tst_codeeditor.moc"
