#include "widgets/yamlhighlighter.h"

#include <QRegularExpression>

namespace kd::widgets {

namespace {

// Block states carried from line to line.
constexpr int kNormal = 0;
constexpr int kInDoubleQuote = 1;
constexpr int kInSingleQuote = 2;
// A block scalar's text continues: kBlockScalar + 1 + the column of the node that owns it, so
// that -1 (a scalar right after "---") still fits.
constexpr int kBlockScalar = 16;

bool isSpace(QChar c) {
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

bool isFlowIndicator(QChar c) {
    return c == QLatin1Char(',') || c == QLatin1Char('[') || c == QLatin1Char(']') ||
           c == QLatin1Char('{') || c == QLatin1Char('}');
}

int skipSpaces(const QString &text, int pos) {
    while (pos < text.size() && isSpace(text.at(pos)))
        ++pos;
    return pos;
}

// A "#" starts a comment at the start of a line or after a space.
bool startsComment(const QString &text, int pos) {
    return text.at(pos) == QLatin1Char('#') && (pos == 0 || isSpace(text.at(pos - 1)));
}

// A ":" ends a key when a space, the line's end or (in flow) an indicator follows it.
bool isKeyColon(const QString &text, int pos, bool flow) {
    if (text.at(pos) != QLatin1Char(':'))
        return false;
    const int next = pos + 1;
    return next == text.size() || isSpace(text.at(next)) ||
           (flow && isFlowIndicator(text.at(next)));
}

// Where a quoted string that opened before `from` ends (just after its closing quote), or -1
// when the line ends first. Double quotes escape with a backslash, single quotes by doubling.
int quotedEnd(const QString &text, int from, QChar quote) {
    for (int i = from; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quote == QLatin1Char('"') && c == QLatin1Char('\\')) {
            ++i;
        } else if (c == quote) {
            if (quote == QLatin1Char('\'') && i + 1 < text.size() && text.at(i + 1) == quote)
                ++i;
            else
                return i + 1;
        }
    }
    return -1;
}

YamlHighlighter::Token plainScalarToken(const QString &word) {
    static const QRegularExpression number(QStringLiteral(
        R"(^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|)"
        R"([-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$)"));
    // YAML 1.1 booleans too: Kubernetes reads manifests with a YAML 1.1 parser, where an
    // unquoted "no" or "on" is a boolean, which is worth seeing.
    static const QRegularExpression keyword(QStringLiteral(
        R"(^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL|~|yes|Yes|YES|no|No|NO|)"
        R"(on|On|ON|off|Off|OFF)$)"));
    if (number.match(word).hasMatch())
        return YamlHighlighter::Token::Number;
    if (keyword.match(word).hasMatch())
        return YamlHighlighter::Token::Keyword;
    return YamlHighlighter::Token::String;
}

} // namespace

YamlHighlighter::YamlHighlighter(QTextDocument *document, const EditorTheme &theme)
    : QSyntaxHighlighter(document)
    , m_theme(theme) {}

void YamlHighlighter::setTheme(const EditorTheme &theme) {
    m_theme = theme;
    rehighlight();
}

QTextCharFormat YamlHighlighter::format(Token token) const {
    QTextCharFormat f;
    switch (token) {
    case Token::Key:
        f.setForeground(m_theme.key);
        break;
    case Token::String:
        f.setForeground(m_theme.string);
        break;
    case Token::Number:
        f.setForeground(m_theme.number);
        break;
    case Token::Keyword:
        f.setForeground(m_theme.keyword);
        break;
    case Token::Comment:
        f.setForeground(m_theme.comment);
        f.setFontItalic(true);
        break;
    case Token::Anchor:
        f.setForeground(m_theme.anchor);
        break;
    case Token::Tag:
        f.setForeground(m_theme.tag);
        break;
    case Token::Document:
        f.setForeground(m_theme.document);
        f.setFontWeight(QFont::Bold);
        break;
    case Token::Punctuation:
        f.setForeground(m_theme.punctuation);
        break;
    case Token::BlockScalar:
        f.setForeground(m_theme.blockScalar);
        break;
    }
    return f;
}

void YamlHighlighter::mark(int start, int end, Token token) {
    if (end > start)
        QSyntaxHighlighter::setFormat(start, end - start, format(token));
}

void YamlHighlighter::highlightBlock(const QString &text) {
    const int previous = previousBlockState();
    setCurrentBlockState(kNormal);
    const auto size = static_cast<int>(text.size());
    int pos = skipSpaces(text, 0);
    const bool documentMarker =
        (text.startsWith(QStringLiteral("---")) || text.startsWith(QStringLiteral("..."))) &&
        (size == 3 || isSpace(text.at(3)));

    if (previous >= kBlockScalar && !documentMarker) {
        const int parentIndent = previous - kBlockScalar - 1;
        // Blank lines belong to the block; it ends at the first line not indented past its owner.
        if (pos == size || pos > parentIndent) {
            mark(pos, size, Token::BlockScalar);
            setCurrentBlockState(previous);
            return;
        }
    }
    if ((previous == kInDoubleQuote || previous == kInSingleQuote) && !documentMarker) {
        pos =
            continueQuoted(text, previous == kInDoubleQuote ? QLatin1Char('"') : QLatin1Char('\''));
        if (pos < 0)
            return;
        highlightValue(text, pos, -1);
        return;
    }

    if (documentMarker) {
        mark(0, 3, Token::Document);
        highlightValue(text, 3, -1);
        return;
    }
    if (pos == 0 && size > 0 && text.at(0) == QLatin1Char('%')) { // %YAML, %TAG directives
        mark(0, size, Token::Tag);
        return;
    }
    int parentIndent = pos;
    // "- " entries, possibly nested on one line ("- - a").
    while (pos < size && text.at(pos) == QLatin1Char('-') &&
           (pos + 1 == size || isSpace(text.at(pos + 1)))) {
        mark(pos, pos + 1, Token::Punctuation);
        parentIndent = pos;
        pos = skipSpaces(text, pos + 1);
    }
    highlightNode(text, pos, parentIndent);
}

int YamlHighlighter::continueQuoted(const QString &text, QChar quote) {
    const int end = quotedEnd(text, 0, quote);
    if (end < 0) {
        mark(0, static_cast<int>(text.size()), Token::String);
        setCurrentBlockState(quote == QLatin1Char('"') ? kInDoubleQuote : kInSingleQuote);
        return -1;
    }
    mark(0, end, Token::String);
    return end;
}

void YamlHighlighter::highlightNode(const QString &text, int pos, int parentIndent) {
    const auto size = static_cast<int>(text.size());
    pos = skipSpaces(text, pos);
    if (pos >= size)
        return;
    // A key: a quoted or plain scalar followed by ": ".
    int keyEnd = -1;
    int colon = -1;
    const QChar first = text.at(pos);
    if (first == QLatin1Char('"') || first == QLatin1Char('\'')) {
        keyEnd = quotedEnd(text, pos + 1, first);
        if (keyEnd > 0) {
            const int after = skipSpaces(text, keyEnd);
            if (after < size && isKeyColon(text, after, false))
                colon = after;
        }
    } else if (!QStringLiteral("[{&*!|>%@`#,").contains(first)) {
        for (int i = pos; i < size; ++i) {
            if (startsComment(text, i))
                break;
            if (isKeyColon(text, i, false)) {
                colon = i;
                keyEnd = i;
                while (keyEnd > pos && isSpace(text.at(keyEnd - 1)))
                    --keyEnd;
                break;
            }
        }
    }
    if (colon < 0) {
        highlightValue(text, pos, parentIndent);
        return;
    }
    mark(pos, keyEnd, Token::Key);
    mark(colon, colon + 1, Token::Punctuation);
    highlightValue(text, colon + 1, pos);
}

void YamlHighlighter::highlightValue(const QString &text, int pos, int parentIndent) {
    const auto size = static_cast<int>(text.size());
    while ((pos = skipSpaces(text, pos)) < size) {
        const QChar c = text.at(pos);
        if (startsComment(text, pos)) {
            mark(pos, size, Token::Comment);
            return;
        }
        if (c == QLatin1Char('&') || c == QLatin1Char('*') || c == QLatin1Char('!')) {
            int end = pos + 1;
            while (end < size && !isSpace(text.at(end)))
                ++end;
            mark(pos, end, c == QLatin1Char('!') ? Token::Tag : Token::Anchor);
            pos = end;
            continue;
        }
        if (c == QLatin1Char('|') || c == QLatin1Char('>')) {
            int end = pos + 1; // chomping and indentation indicators: "|-", ">+2"
            while (end < size && (text.at(end) == QLatin1Char('-') ||
                                  text.at(end) == QLatin1Char('+') || text.at(end).isDigit()))
                ++end;
            if (end == size || isSpace(text.at(end))) {
                mark(pos, end, Token::Punctuation);
                setCurrentBlockState(kBlockScalar + 1 + parentIndent);
                pos = end;
                continue;
            }
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            const int end = quotedEnd(text, pos + 1, c);
            if (end < 0) {
                mark(pos, size, Token::String);
                setCurrentBlockState(c == QLatin1Char('"') ? kInDoubleQuote : kInSingleQuote);
                return;
            }
            mark(pos, end, Token::String);
            pos = end;
            continue;
        }
        if (c == QLatin1Char('[') || c == QLatin1Char('{')) {
            pos = highlightFlow(text, pos);
            continue;
        }
        // A plain scalar runs to a comment or the end of the line.
        int end = pos;
        while (end < size && !startsComment(text, end))
            ++end;
        int last = end;
        while (last > pos && isSpace(text.at(last - 1)))
            --last;
        mark(pos, last, plainScalarToken(text.mid(pos, last - pos)));
        pos = end;
    }
}

int YamlHighlighter::highlightFlow(const QString &text, int pos) {
    const auto size = static_cast<int>(text.size());
    int depth = 0;
    while (pos < size) {
        const QChar c = text.at(pos);
        if (isSpace(c)) {
            ++pos;
        } else if (startsComment(text, pos)) {
            mark(pos, size, Token::Comment);
            return size;
        } else if (c == QLatin1Char('[') || c == QLatin1Char('{')) {
            mark(pos, pos + 1, Token::Punctuation);
            ++depth;
            ++pos;
        } else if (c == QLatin1Char(']') || c == QLatin1Char('}')) {
            mark(pos, pos + 1, Token::Punctuation);
            ++pos;
            if (--depth == 0)
                return pos;
        } else if (c == QLatin1Char(',') || c == QLatin1Char(':')) {
            mark(pos, pos + 1, Token::Punctuation);
            ++pos;
        } else if (c == QLatin1Char('&') || c == QLatin1Char('*') || c == QLatin1Char('!')) {
            int end = pos + 1;
            while (end < size && !isSpace(text.at(end)) && !isFlowIndicator(text.at(end)))
                ++end;
            mark(pos, end, c == QLatin1Char('!') ? Token::Tag : Token::Anchor);
            pos = end;
        } else {
            int end = pos;
            if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
                end = quotedEnd(text, pos + 1, c);
                if (end < 0) {
                    mark(pos, size, Token::String);
                    return size;
                }
            } else {
                while (end < size && !isFlowIndicator(text.at(end)) &&
                       !isKeyColon(text, end, true) && !startsComment(text, end))
                    ++end;
                while (end > pos && isSpace(text.at(end - 1)))
                    --end;
            }
            const int after = skipSpaces(text, end);
            const bool isKey = after < size && isKeyColon(text, after, true);
            const bool quoted = c == QLatin1Char('"') || c == QLatin1Char('\'');
            mark(pos, end,
                 isKey ? Token::Key
                       : (quoted ? Token::String : plainScalarToken(text.mid(pos, end - pos))));
            pos = std::max(end, pos + 1);
        }
    }
    return pos;
}

} // namespace kd::widgets
