#include "manifest/textedits.h"

#include <algorithm>
#include <numeric>

namespace kd::manifest {

namespace {

// The start offset of 1-based `line` and its length without the line break.
std::optional<std::pair<std::size_t, std::size_t>> lineSpan(std::string_view text, int line) {
    if (line < 1)
        return std::nullopt;
    std::size_t start = 0;
    for (int l = 1; l < line; ++l) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            return std::nullopt;
        start = nl + 1;
    }
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
        end = text.size();
    if (end > start && text[end - 1] == '\r')
        --end;
    return std::pair{start, end - start};
}

bool isContinuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

// The length in bytes of the character at `i` and its length in UTF-16 units.
std::pair<int, int> charAt(std::string_view s, std::size_t i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    int bytes = 1;
    int units = 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        bytes = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
        bytes = 3;
    else if (lead >= 0xF0 && lead <= 0xF4) {
        bytes = 4;
        units = 2;
    }
    if (i + static_cast<std::size_t>(bytes) > s.size())
        return {1, 1};
    for (int k = 1; k < bytes; ++k)
        if (!isContinuation(static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)])))
            return {1, 1};
    return {bytes, units};
}

} // namespace

std::string_view lineAt(std::string_view text, int line) {
    auto span = lineSpan(text, line);
    return span ? text.substr(span->first, span->second) : std::string_view{};
}

std::optional<std::size_t> byteOffset(std::string_view text, Position position) {
    auto span = lineSpan(text, position.line);
    if (!span)
        return std::nullopt;
    const std::size_t column = static_cast<std::size_t>(std::max(position.column, 1)) - 1;
    return span->first + std::min(column, span->second);
}

std::optional<std::string> applyTextEdits(std::string_view text, const std::vector<TextEdit> &edits,
                                          std::string *error) {
    struct Placed {
        std::size_t start;
        std::size_t end;
        std::size_t order;
    };
    std::vector<Placed> placed;
    placed.reserve(edits.size());
    auto fail = [error](std::string message) -> std::optional<std::string> {
        if (error)
            *error = std::move(message);
        return std::nullopt;
    };
    for (std::size_t i = 0; i < edits.size(); ++i) {
        const TextEdit &e = edits[i];
        auto start = byteOffset(text, e.start);
        auto end = byteOffset(text, e.end);
        if (!start || !end)
            return fail("edit " + std::to_string(i + 1) + " is outside the text (line " +
                        std::to_string(start ? e.end.line : e.start.line) + ")");
        if (*end < *start)
            return fail("edit " + std::to_string(i + 1) + " ends before it starts");
        placed.push_back({*start, *end, i});
    }
    std::stable_sort(placed.begin(), placed.end(),
                     [](const Placed &a, const Placed &b) { return a.start < b.start; });
    for (std::size_t i = 1; i < placed.size(); ++i)
        if (placed[i].start < placed[i - 1].end)
            return fail("edits " + std::to_string(placed[i - 1].order + 1) + " and " +
                        std::to_string(placed[i].order + 1) + " overlap");

    std::string out;
    out.reserve(text.size() + std::accumulate(edits.begin(), edits.end(), std::size_t{0},
                                              [](std::size_t n, const TextEdit &e) {
                                                  return n + e.newText.size();
                                              }));
    std::size_t at = 0;
    for (const Placed &p : placed) {
        out.append(text.substr(at, p.start - at));
        out.append(edits[p.order].newText);
        at = p.end;
    }
    out.append(text.substr(at));
    return out;
}

int utf16Column(std::string_view lineUtf8, int byteColumnValue) {
    const std::size_t target = static_cast<std::size_t>(std::max(byteColumnValue, 1)) - 1;
    std::size_t i = 0;
    int units = 0;
    while (i < lineUtf8.size()) {
        auto [bytes, u] = charAt(lineUtf8, i);
        if (i + static_cast<std::size_t>(bytes) > target)
            break;
        i += static_cast<std::size_t>(bytes);
        units += u;
    }
    if (target > lineUtf8.size())
        units += static_cast<int>(target - lineUtf8.size());
    return units + 1;
}

int byteColumn(std::string_view lineUtf8, int utf16ColumnValue) {
    const int target = std::max(utf16ColumnValue, 1) - 1;
    std::size_t i = 0;
    int units = 0;
    while (i < lineUtf8.size()) {
        auto [bytes, u] = charAt(lineUtf8, i);
        if (units + u > target)
            break;
        i += static_cast<std::size_t>(bytes);
        units += u;
    }
    if (units < target && i == lineUtf8.size())
        i += static_cast<std::size_t>(target - units);
    return static_cast<int>(i) + 1;
}

} // namespace kd::manifest
