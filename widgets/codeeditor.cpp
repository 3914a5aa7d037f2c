#include "widgets/codeeditor.h"

#include "widgets/codeeditor_p.h"
#include "widgets/syntaxhighlighting.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QSyntaxHighlighter>
#include <QTextBlock>
#include <QToolTip>

#include <algorithm>

namespace kd::widgets {

namespace {

bool worseFirst(const Diagnostic &a, const Diagnostic &b) {
    if (a.severity != b.severity)
        return a.severity > b.severity;
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
}

} // namespace

CodeEditor::CodeEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_gutter(new CodeEditorGutter(this))
    , m_popup(new CompletionPopup(this))
    , m_theme(EditorTheme::light()) {
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * kIndentWidth);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeEditor::updateGutterGeometry);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        if (dy != 0)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
        if (rect.contains(viewport()->rect()))
            updateGutterGeometry();
    });
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &CodeEditor::updateExtraSelections);
    // Edits made elsewhere (by the owner, by undo) can empty a diagnostic's range.
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &CodeEditor::hideCompletion);
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_diagnostics.isEmpty())
            updateExtraSelections();
    });
    setTheme(m_theme);
    updateGutterGeometry();
}

CodeEditor::~CodeEditor() = default;

QWidget *CodeEditor::gutter() const {
    return m_gutter;
}

// --- Look

void CodeEditor::setTheme(const EditorTheme &theme) {
    m_theme = theme;
    setPalette(theme.palette(palette()));
    m_gutter->update();
    m_popup->setPalette(theme.palette(m_popup->palette()));
    if (m_highlighter)
        applyHighlighterTheme(m_highlighter, theme);
    updateExtraSelections();
}

void CodeEditor::setLanguage(Language language) {
    if (language == m_language && (m_highlighter != nullptr) == (language != Language::PlainText))
        return;
    m_language = language;
    delete m_highlighter;
    m_highlighter = nullptr;
    if (language == Language::Yaml)
        m_highlighter = createYamlHighlighter(document(), m_theme);
}

QString CodeEditor::highlighterName() const {
    return widgets::highlighterName(m_highlighter);
}

void CodeEditor::changeEvent(QEvent *event) {
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * kIndentWidth);
        m_gutter->setFont(font());
        updateGutterGeometry();
    }
}

void CodeEditor::resizeEvent(QResizeEvent *event) {
    QPlainTextEdit::resizeEvent(event);
    updateGutterGeometry();
}

void CodeEditor::focusOutEvent(QFocusEvent *event) {
    hideCompletion();
    QPlainTextEdit::focusOutEvent(event);
}

void CodeEditor::mousePressEvent(QMouseEvent *event) {
    hideCompletion(); // the popup belongs to where the cursor was
    QPlainTextEdit::mousePressEvent(event);
}

void CodeEditor::keyPressEvent(QKeyEvent *event) {
    if (handleCompletionKey(event))
        return;
    if (event->key() == Qt::Key_Space && (event->modifiers() & Qt::ControlModifier)) {
        requestCompletion();
        return;
    }
    if (handleIndentKey(event))
        return;
    QPlainTextEdit::keyPressEvent(event);
    const QString typed = event->text();
    const bool typing = !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier)) &&
                        !typed.isEmpty() && typed.back().isPrint();
    if (typing)
        afterTyping(typed);
    else if (event->key() == Qt::Key_Backspace && isCompletionVisible())
        refreshCompletion(false);
    else if (event->key() != Qt::Key_Shift && event->key() != Qt::Key_Control)
        hideCompletion();
}

// --- Diagnostics

QTextCursor CodeEditor::anchorFor(const Diagnostic &diagnostic) const {
    const int lastBlock = document()->blockCount() - 1;
    const QTextBlock block =
        document()->findBlockByNumber(std::clamp(diagnostic.line - 1, 0, lastBlock));
    const QString text = block.text();
    const auto size = static_cast<int>(text.size());
    int start = std::clamp(diagnostic.column - 1, 0, size);
    int end = start;
    if (diagnostic.length > 0) {
        end = std::min(size, start + diagnostic.length);
    } else if (start < size && !text.at(start).isSpace()) {
        while (end < size && !text.at(end).isSpace())
            ++end;
        if (end - start > 1 &&
            (text.at(end - 1) == QLatin1Char(':') || text.at(end - 1) == QLatin1Char(',')))
            --end;
    } else {
        // Nothing to point at (a missing value): mark what the line says instead.
        const QString trimmed = text.trimmed();
        start = trimmed.isEmpty() ? 0 : static_cast<int>(text.indexOf(trimmed));
        end = start + static_cast<int>(trimmed.size());
    }
    QTextCursor cursor(block);
    cursor.setPosition(block.position() + start);
    cursor.setPosition(block.position() + end, QTextCursor::KeepAnchor);
    return cursor;
}

void CodeEditor::setDiagnostics(const DiagnosticList &diagnostics) {
    m_diagnostics.clear();
    m_diagnostics.reserve(diagnostics.size());
    for (const Diagnostic &d : diagnostics)
        m_diagnostics.push_back({d, anchorFor(d)});
    updateExtraSelections();
    m_gutter->update();
}

Diagnostic CodeEditor::current(const Anchored &anchored) const {
    Diagnostic d = anchored.diagnostic;
    const int start = anchored.range.selectionStart();
    const QTextBlock block = document()->findBlock(start);
    d.line = block.blockNumber() + 1;
    d.column = start - block.position() + 1;
    d.length = anchored.range.selectionEnd() - start;
    return d;
}

DiagnosticList CodeEditor::diagnostics() const {
    DiagnosticList out;
    out.reserve(m_diagnostics.size());
    for (const Anchored &a : m_diagnostics)
        out.push_back(current(a));
    return out;
}

std::optional<Diagnostic> CodeEditor::diagnosticAt(const QTextCursor &cursor) const {
    std::optional<Diagnostic> worst;
    const int pos = cursor.position();
    for (const Anchored &a : m_diagnostics) {
        if (pos < a.range.selectionStart() || pos > a.range.selectionEnd())
            continue;
        if (!worst || a.diagnostic.severity > worst->severity)
            worst = current(a);
    }
    return worst;
}

DiagnosticList CodeEditor::diagnosticsOnLine(int line) const {
    DiagnosticList out;
    for (const Anchored &a : m_diagnostics) {
        if (document()->findBlock(a.range.selectionStart()).blockNumber() == line - 1)
            out.push_back(current(a));
    }
    std::stable_sort(out.begin(), out.end(), worseFirst);
    return out;
}

QString CodeEditor::describe(const QVector<const Anchored *> &anchors) const {
    DiagnosticList list;
    for (const Anchored *a : anchors)
        list.push_back(a->diagnostic);
    std::stable_sort(list.begin(), list.end(), worseFirst);
    QStringList lines;
    for (const Diagnostic &d : std::as_const(list)) {
        QString line = severityName(d.severity) + QStringLiteral(": ") + d.message;
        if (!d.code.isEmpty())
            line += QStringLiteral(" (") + d.code + QLatin1Char(')');
        lines.push_back(line);
    }
    return lines.join(QLatin1Char('\n'));
}

QString CodeEditor::toolTipAt(const QPoint &viewportPos) const {
    QVector<const Anchored *> hits;
    for (const Anchored &a : m_diagnostics) {
        if (!a.range.hasSelection())
            continue;
        QTextCursor start = a.range;
        start.setPosition(a.range.selectionStart());
        QTextCursor end = a.range;
        end.setPosition(a.range.selectionEnd());
        const QRect first = cursorRect(start);
        const QRect last = cursorRect(end);
        // Only the underlined text answers, not the empty space beside a short line.
        const QRect area =
            first.top() == last.top()
                ? QRect(QPoint(first.left(), first.top()), QPoint(last.left(), last.bottom()))
                : QRect(QPoint(0, first.top()), QPoint(viewport()->width(), last.bottom()));
        if (area.contains(viewportPos))
            hits.push_back(&a);
    }
    return describe(hits);
}

QString CodeEditor::gutterToolTip(int line) const {
    QVector<const Anchored *> hits;
    for (const Anchored &a : m_diagnostics) {
        if (document()->findBlock(a.range.selectionStart()).blockNumber() == line - 1)
            hits.push_back(&a);
    }
    return describe(hits);
}

bool CodeEditor::viewportEvent(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            // Messages are plain text: "<none>" in one must not turn into markup.
            QToolTip::showText(help->globalPos(), Qt::convertFromPlainText(text), viewport());
        }
        return true;
    }
    return QPlainTextEdit::viewportEvent(event);
}

void CodeEditor::updateExtraSelections() {
    QList<QTextEdit::ExtraSelection> selections;
    QTextEdit::ExtraSelection currentLine;
    currentLine.format.setBackground(m_theme.currentLine);
    currentLine.format.setProperty(QTextFormat::FullWidthSelection, true);
    currentLine.cursor = textCursor();
    currentLine.cursor.clearSelection();
    selections.push_back(currentLine);

    // Worse diagnostics come last so that their underline is the one drawn on top.
    QVector<const Anchored *> order;
    for (const Anchored &a : m_diagnostics) {
        if (a.range.hasSelection())
            order.push_back(&a);
    }
    std::stable_sort(order.begin(), order.end(), [](const Anchored *a, const Anchored *b) {
        return a->diagnostic.severity < b->diagnostic.severity;
    });
    for (const Anchored *a : std::as_const(order)) {
        QTextEdit::ExtraSelection squiggle;
        squiggle.format.setUnderlineStyle(QTextCharFormat::SpellCheckUnderline);
        squiggle.format.setUnderlineColor(m_theme.severityColour(a->diagnostic.severity));
        squiggle.cursor = a->range;
        selections.push_back(squiggle);
    }
    setExtraSelections(selections);
}

void CodeEditor::goTo(int line, int column) {
    const QTextBlock block =
        document()->findBlockByNumber(std::clamp(line - 1, 0, document()->blockCount() - 1));
    const int col = std::clamp(column - 1, 0, static_cast<int>(block.text().size()));
    QTextCursor cursor(block);
    cursor.setPosition(block.position() + col);
    setTextCursor(cursor);
    centerCursor();
}

} // namespace kd::widgets
