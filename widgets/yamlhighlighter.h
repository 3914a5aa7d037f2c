#pragma once
// The built-in YAML highlighter, used when KSyntaxHighlighting is not available: comments, keys
// (plain, quoted, after "- "), quoted strings with escapes, numbers, booleans and null, anchors,
// aliases, tags, document markers, flow punctuation, and block scalars (`|`, `>-`, ...) whose
// more-indented following lines are coloured as strings.

#include "widgets/editortheme.h"

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace kd::widgets {

class YamlHighlighter final : public QSyntaxHighlighter {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(YamlHighlighter)

public:
    // What a span of text is; each has a colour in the theme.
    enum class Token {
        Key,
        String,
        Number,
        Keyword,
        Comment,
        Anchor,
        Tag,
        Document,
        Punctuation,
        BlockScalar
    };

    explicit YamlHighlighter(QTextDocument *document,
                             const EditorTheme &theme = EditorTheme::light());

    // Recolours and re-highlights the whole document.
    void setTheme(const EditorTheme &theme);
    QTextCharFormat format(Token token) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    void mark(int start, int end, Token token);
    // A node after its indentation and "- " entries: a key and its value, or a bare value.
    void highlightNode(const QString &text, int pos, int parentIndent);
    // A value from `pos` to the end of the line: properties, a scalar, a flow collection, a
    // block scalar header; `parentIndent` is the column of the node that owns the value.
    void highlightValue(const QString &text, int pos, int parentIndent);
    // A flow collection ("[a, b]", "{k: v}") from its opening bracket; returns where it ended.
    int highlightFlow(const QString &text, int pos);
    // The rest of a quoted string that began on an earlier line.
    int continueQuoted(const QString &text, QChar quote);

    EditorTheme m_theme;
};

} // namespace kd::widgets
