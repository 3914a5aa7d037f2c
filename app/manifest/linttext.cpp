#include "manifest/linttext.h"

#include <cstring>

namespace kd::manifest::detail {

namespace {

// Characters that end a plain scalar written in block or flow style.
bool endsPlainScalar(std::string_view text, std::size_t at) {
    if (at >= text.size())
        return true;
    switch (text[at]) {
    case '\n':
    case '\r':
    case ' ':
    case '\t':
    case ':':
    case ',':
    case ']':
    case '}':
        return true;
    default:
        return false;
    }
}

Position advance(Position p, std::size_t bytes) {
    return {p.line, p.column + static_cast<int>(bytes)};
}

} // namespace

void keepSourceText(LintFile &file, std::string_view input, const YamlLimits &limits) {
    if (input.size() > limits.maxInputBytes)
        return;
    constexpr std::string_view utf8Bom = "\xEF\xBB\xBF";
    if (input.substr(0, 3) == utf8Bom)
        input.remove_prefix(3);
    else if (input.substr(0, 2) == "\xFF\xFE" || input.substr(0, 2) == "\xFE\xFF")
        return; // positions refer to the text after decoding UTF-16, which the caller never sees
    file.text.assign(input);
    file.lineStarts.push_back(0);
    const char *data = file.text.data();
    const char *end = data + file.text.size();
    for (const char *p = data; p < end;) {
        const void *nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        if (nl == nullptr)
            break;
        p = static_cast<const char *>(nl) + 1;
        file.lineStarts.push_back(static_cast<std::size_t>(p - data));
    }
}

std::optional<std::size_t> textOffset(const LintFile &file, Position position) {
    if (position.line < 1 || position.column < 1 ||
        static_cast<std::size_t>(position.line) > file.lineStarts.size())
        return std::nullopt;
    const std::size_t lineStart = file.lineStarts[static_cast<std::size_t>(position.line - 1)];
    const std::size_t offset = lineStart + static_cast<std::size_t>(position.column - 1);
    const std::size_t lineEnd = static_cast<std::size_t>(position.line) < file.lineStarts.size()
                                    ? file.lineStarts[static_cast<std::size_t>(position.line)]
                                    : file.text.size();
    if (offset >= lineEnd)
        return std::nullopt;
    return offset;
}

std::optional<TextEdit> replaceScalar(const LintFile &file, Position at, std::string_view current,
                                      std::string_view replacement) {
    const auto offset = textOffset(file, at);
    if (!offset || current.empty())
        return std::nullopt;
    const std::string_view text = file.text;
    const std::string_view rest = text.substr(*offset);
    if (rest.substr(0, current.size()) == current &&
        endsPlainScalar(text, *offset + current.size()))
        return TextEdit{at, advance(at, current.size()), std::string(replacement)};
    const char quote = rest.empty() ? '\0' : rest.front();
    if ((quote == '"' || quote == '\'') && rest.substr(1, current.size()) == current &&
        rest.size() > current.size() + 1 && rest[current.size() + 1] == quote) {
        const Position start = advance(at, 1);
        return TextEdit{start, advance(start, current.size()), std::string(replacement)};
    }
    return std::nullopt;
}

std::optional<TextEdit> unquoteScalar(const LintFile &file, Position at, std::string_view inner) {
    const auto offset = textOffset(file, at);
    if (!offset)
        return std::nullopt;
    const std::string_view rest = std::string_view(file.text).substr(*offset);
    const char quote = rest.empty() ? '\0' : rest.front();
    if ((quote != '"' && quote != '\'') || rest.substr(1, inner.size()) != inner ||
        rest.size() < inner.size() + 2 || rest[inner.size() + 1] != quote)
        return std::nullopt;
    return TextEdit{at, advance(at, inner.size() + 2), std::string(inner)};
}

std::optional<TextEdit> quotePlainScalar(const LintFile &file, Position at,
                                         const nlohmann::json &value) {
    const auto offset = textOffset(file, at);
    if (!offset)
        return std::nullopt;
    const std::string_view text = file.text;
    std::size_t end = *offset;
    // Numbers and booleans, the values this is for, never contain these characters.
    while (end < text.size() && std::strchr("\n\r,]}#", text[end]) == nullptr)
        ++end;
    while (end > *offset && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    const std::string token(text.substr(*offset, end - *offset));
    if (token.empty() || token.find_first_of("\"'\\") != std::string::npos ||
        resolvePlainScalar(token) != value)
        return std::nullopt;
    return TextEdit{at, advance(at, token.size()), "\"" + token + "\""};
}

} // namespace kd::manifest::detail
