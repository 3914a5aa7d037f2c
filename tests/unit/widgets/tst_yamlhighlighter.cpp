// The built-in YAML highlighter: which token each span of a manifest is coloured as, including
// block scalars and quoted strings that continue over several lines; and which highlighter
// createYamlHighlighter picks.
#include "widgets/syntaxhighlighting.h"
#include "widgets/yamlhighlighter.h"

#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

using namespace kd::widgets;
using Token = YamlHighlighter::Token;

Q_DECLARE_METATYPE(YamlHighlighter::Token)

namespace {

// A highlighter starts on a new document from the event loop, and until then ignores edits.
void settle() {
    QCoreApplication::processEvents();
}

// The foreground colour at `line` (1-based), `column` (0-based); invalid where nothing is set.
QColor colourAt(const QTextDocument &doc, int line, int column) {
    const QTextBlock block = doc.findBlockByNumber(line - 1);
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (column >= range.start && column < range.start + range.length)
            return range.format.foreground().color();
    }
    return {};
}

QColor colourOf(const EditorTheme &theme, Token token) {
    switch (token) {
    case Token::Key:
        return theme.key;
    case Token::String:
        return theme.string;
    case Token::Number:
        return theme.number;
    case Token::Keyword:
        return theme.keyword;
    case Token::Comment:
        return theme.comment;
    case Token::Anchor:
        return theme.anchor;
    case Token::Tag:
        return theme.tag;
    case Token::Document:
        return theme.document;
    case Token::Punctuation:
        return theme.punctuation;
    case Token::BlockScalar:
        return theme.blockScalar;
    }
    return {};
}

// A theme in which every token has its own colour, so that a colour names one token.
EditorTheme distinctTheme() {
    EditorTheme t = EditorTheme::light();
    t.string = QColor(1, 0, 0);
    t.blockScalar = QColor(2, 0, 0);
    t.number = QColor(3, 0, 0);
    return t;
}

const QString kSample = QStringLiteral("# a serving manifest\n"                       // 1
                                       "---\n"                                        // 2
                                       "apiVersion: apps/v1 # trailing\n"             // 3
                                       "\"quoted key\": 'it''s' \n"                   // 4
                                       "metadata:\n"                                  // 5
                                       "  labels: &labels {app: llama, tier: 2}\n"    // 6
                                       "spec:\n"                                      // 7
                                       "  replicas: 3\n"                              // 8
                                       "  paused: false\n"                            // 9
                                       "  ratio: -1.5e3\n"                            // 10
                                       "  selector: *labels\n"                        // 11
                                       "  name: !!str 0x1F\n"                         // 12
                                       "  args:\n"                                    // 13
                                       "    - --port=8000\n"                          // 14
                                       "    - \"a \\\"quoted\\\" # not a comment\"\n" // 15
                                       "  script: |-\n"                               // 16
                                       "    echo key: value # still text\n"           // 17
                                       "\n"                                           // 18
                                       "      indented: more\n"                       // 19
                                       "  after: null\n"                              // 20
                                       "  - name: tail\n"                             // 21
                                       "  folded: >\n"                                // 22
                                       "  next: ~\n"                                  // 23
                                       "  long: \"first\n"                            // 24
                                       "    second: half\"\n"                         // 25
                                       "  url: http://a.b/c#frag\n"                   // 26
                                       "...\n");                                      // 27

} // namespace

class TstYamlHighlighter final : public QObject {
    Q_OBJECT

private slots:
    void tokens_data() {
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<Token>("token");
        QTest::newRow("comment line") << 1 << 4 << Token::Comment;
        QTest::newRow("document start") << 2 << 1 << Token::Document;
        QTest::newRow("key") << 3 << 0 << Token::Key;
        QTest::newRow("key colon") << 3 << 10 << Token::Punctuation;
        QTest::newRow("plain value") << 3 << 14 << Token::String;
        QTest::newRow("trailing comment") << 3 << 22 << Token::Comment;
        QTest::newRow("quoted key") << 4 << 3 << Token::Key;
        QTest::newRow("single quoted with '' escape") << 4 << 19 << Token::String;
        QTest::newRow("anchor") << 6 << 11 << Token::Anchor;
        QTest::newRow("flow brace") << 6 << 18 << Token::Punctuation;
        QTest::newRow("flow key") << 6 << 20 << Token::Key;
        QTest::newRow("flow value") << 6 << 26 << Token::String;
        QTest::newRow("flow comma") << 6 << 29 << Token::Punctuation;
        QTest::newRow("flow number") << 6 << 37 << Token::Number;
        QTest::newRow("integer") << 8 << 12 << Token::Number;
        QTest::newRow("boolean") << 9 << 11 << Token::Keyword;
        QTest::newRow("float") << 10 << 12 << Token::Number;
        QTest::newRow("alias") << 11 << 13 << Token::Anchor;
        QTest::newRow("tag") << 12 << 9 << Token::Tag;
        QTest::newRow("hex after tag") << 12 << 14 << Token::Number;
        QTest::newRow("dash") << 14 << 4 << Token::Punctuation;
        QTest::newRow("item starting with dashes") << 14 << 7 << Token::String;
        QTest::newRow("escaped quote") << 15 << 11 << Token::String;
        QTest::newRow("# inside a string") << 15 << 23 << Token::String;
        QTest::newRow("block scalar header") << 16 << 11 << Token::Punctuation;
        QTest::newRow("block text looking like a key") << 17 << 9 << Token::BlockScalar;
        QTest::newRow("block text looking like a comment") << 17 << 22 << Token::BlockScalar;
        QTest::newRow("block text after a blank line") << 19 << 8 << Token::BlockScalar;
        QTest::newRow("block ends at its owner's level") << 20 << 2 << Token::Key;
        QTest::newRow("null") << 20 << 10 << Token::Keyword;
        QTest::newRow("key after a dash") << 21 << 4 << Token::Key;
        QTest::newRow("empty folded block ends") << 23 << 2 << Token::Key;
        QTest::newRow("tilde") << 23 << 8 << Token::Keyword;
        QTest::newRow("quoted over two lines") << 25 << 6 << Token::String;
        QTest::newRow("a url's # is no comment") << 26 << 20 << Token::String;
        QTest::newRow("document end") << 27 << 0 << Token::Document;
    }
    void tokens() {
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(Token, token);
        QTextDocument doc;
        doc.setPlainText(kSample);
        const EditorTheme theme = distinctTheme();
        YamlHighlighter highlighter(&doc, theme);
        settle();
        QCOMPARE(colourAt(doc, line, column), colourOf(theme, token));
        QCOMPARE(highlighter.format(token).foreground().color(), colourOf(theme, token));
    }

    void blockScalarFollowsEdits() {
        QTextDocument doc;
        doc.setPlainText(QStringLiteral("a: 1\nb: 2\nc: 3"));
        doc.documentLayout(); // a document reports edits once it has a layout, as in an editor
        const EditorTheme theme = distinctTheme();
        YamlHighlighter highlighter(&doc, theme);
        settle();
        QCOMPARE(colourAt(doc, 2, 0), theme.key);
        // Turning the first value into a block scalar colours what follows, more indented.
        QTextCursor c(doc.findBlockByNumber(0));
        c.movePosition(QTextCursor::EndOfBlock);
        c.deletePreviousChar();
        c.insertText(QStringLiteral("|\n  text: here"));
        QCOMPARE(colourAt(doc, 2, 4), theme.blockScalar);
        QCOMPARE(colourAt(doc, 3, 0), theme.key);
        // And back.
        c.movePosition(QTextCursor::Start);
        c.movePosition(QTextCursor::EndOfBlock);
        c.deletePreviousChar();
        QCOMPARE(colourAt(doc, 2, 2), theme.key);
    }

    void themeChangeRehighlights() {
        QTextDocument doc;
        doc.setPlainText(QStringLiteral("key: value"));
        YamlHighlighter highlighter(&doc, EditorTheme::light());
        settle();
        QCOMPARE(colourAt(doc, 1, 0), EditorTheme::light().key);
        highlighter.setTheme(EditorTheme::dark());
        QCOMPARE(colourAt(doc, 1, 0), EditorTheme::dark().key);
        QCOMPARE(colourAt(doc, 1, 6), EditorTheme::dark().string);
    }

    void hostileInputDoesNotHang_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("unclosed flow") << QStringLiteral("a: [b, {c: [d");
        QTest::newRow("unclosed quote") << QStringLiteral("a: \"b\\");
        QTest::newRow("closing only") << QStringLiteral("]]}}: ,,::");
        QTest::newRow("colons") << QStringLiteral(":::: : :");
        QTest::newRow("dashes") << QStringLiteral("- - - -");
        QTest::newRow("long line") << QStringLiteral("k: ") + QString(100000, QLatin1Char('['));
    }
    void hostileInputDoesNotHang() {
        QFETCH(QString, text);
        QTextDocument doc;
        doc.setPlainText(text + QStringLiteral("\nnext: 1"));
        YamlHighlighter highlighter(&doc, distinctTheme());
        settle();
        QVERIFY(doc.firstBlock().layout() != nullptr);
    }

    void factoryPicksTheAvailableHighlighter() {
        QTextDocument doc;
        doc.setPlainText(QStringLiteral("key: value"));
        QSyntaxHighlighter *h = createYamlHighlighter(&doc, EditorTheme::dark());
        settle();
        QCOMPARE(h->document(), &doc);
        QCOMPARE(h->parent(), &doc);
        if (haveKSyntaxHighlighting()) {
            QCOMPARE(highlighterName(h), QStringLiteral("KSyntaxHighlighting (YAML)"));
        } else {
            QVERIFY(qobject_cast<YamlHighlighter *>(h) != nullptr);
            QCOMPARE(highlighterName(h), QStringLiteral("Kubedeck YAML"));
            QCOMPARE(colourAt(doc, 1, 0), EditorTheme::dark().key);
        }
        applyHighlighterTheme(h, EditorTheme::light());
        if (!haveKSyntaxHighlighting())
            QCOMPARE(colourAt(doc, 1, 0), EditorTheme::light().key);
        QVERIFY(highlighterName(nullptr).isEmpty());
    }
};

QTEST_MAIN(TstYamlHighlighter)
#include "tst_yamlhighlighter.moc"
