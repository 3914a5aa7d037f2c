#include "manifest/yamlencoding.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace kd::manifest::detail {

namespace {

void appendUtf8(std::string &out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool decodeUtf16(std::string_view in, bool bigEndian, std::string &out) {
    if (in.size() % 2 != 0)
        return false;
    out.reserve(in.size());
    auto unit = [&](std::size_t i) {
        auto a = static_cast<unsigned char>(in[i]), b = static_cast<unsigned char>(in[i + 1]);
        return static_cast<char16_t>(bigEndian ? (a << 8 | b) : (b << 8 | a));
    };
    for (std::size_t i = 0; i < in.size(); i += 2) {
        char32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 3 >= in.size())
                return false;
            char32_t lo = unit(i + 2);
            if (lo < 0xDC00 || lo > 0xDFFF)
                return false;
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            return false;
        }
        appendUtf8(out, u);
    }
    return true;
}

// The byte offset of the first sequence that is not UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or npos. Clears `ascii` when a byte above 0x7F is seen.
std::size_t firstInvalidUtf8(std::string_view s, bool &ascii) {
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) { // ASCII runs, eight bytes at a time
            std::uint64_t word;
            std::memcpy(&word, p + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        ascii = false;
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + len > n || p[i + 1] < lo || p[i + 1] > hi)
            return i;
        for (std::size_t k = 2; k < len; ++k)
            if ((p[i + k] >> 6) != 2)
                return i;
        i += len;
    }
    return std::string_view::npos;
}

// A carriage return that does not start "\r\n" is a line break to YAML but not to an editor.
bool hasLoneCarriageReturn(std::string_view s) {
    for (std::size_t i = s.find('\r'); i != std::string_view::npos; i = s.find('\r', i + 1))
        if (i + 1 >= s.size() || s[i + 1] != '\n')
            return true;
    return false;
}

// Bytes in the UTF-8 sequence that starts with c (continuation bytes count as one).
std::size_t sequenceLength(unsigned char c) {
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

} // namespace

Position positionOfOffset(std::string_view s, std::size_t offset) {
    Position p{1, 1};
    for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
        if (s[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

bool decodeInput(std::string_view in, DecodedText &out, YamlParseResult &result) {
    auto starts = [&](std::string_view bom) { return in.substr(0, bom.size()) == bom; };
    if (starts("\xEF\xBB\xBF")) {
        out.text = in.substr(3);
    } else if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
        if (!decodeUtf16(in.substr(2), starts("\xFE\xFF"), out.storage)) {
            result.diagnostics.push_back({YamlDiagnostic::Kind::Encoding,
                                          {1, 1},
                                          "invalid UTF-16 text after the byte order mark"});
            return false;
        }
        out.text = out.storage;
    } else {
        out.text = in;
    }
    if (auto nul = out.text.find('\0'); nul != std::string_view::npos) {
        result.diagnostics.push_back({YamlDiagnostic::Kind::Encoding,
                                      positionOfOffset(out.text, nul),
                                      "the text contains a NUL byte; YAML must be text"});
        return false;
    }
    bool ascii = true;
    if (auto bad = firstInvalidUtf8(out.text, ascii); bad != std::string_view::npos) {
        result.diagnostics.push_back({YamlDiagnostic::Kind::Encoding,
                                      positionOfOffset(out.text, bad),
                                      "invalid UTF-8 byte sequence"});
        return false;
    }
    out.simple = ascii && !hasLoneCarriageReturn(out.text);
    return true;
}

Position MarkMapper::map(std::size_t index, std::size_t line, std::size_t column) {
    if (m_simple)
        return {m_firstLine + static_cast<int>(line), static_cast<int>(column) + 1};
    if (index < m_lineStartIndex) { // an earlier line: walk again from the start
        m_index = m_offset = m_lineStart = m_lineStartIndex = 0;
        m_line = 0;
    } else if (index < m_index) { // earlier on this line
        m_index = m_lineStartIndex;
        m_offset = m_lineStart;
    }
    while (m_index < index && m_offset < m_chunk.size()) {
        const char c = m_chunk[m_offset];
        if (c == '\n') {
            ++m_line;
            m_lineStart = m_offset + 1;
            m_lineStartIndex = m_index + 1;
        }
        m_offset += sequenceLength(static_cast<unsigned char>(c));
        ++m_index;
    }
    return {m_firstLine + m_line, static_cast<int>(m_offset - m_lineStart) + 1};
}

Position MarkMapper::mapOffset(std::size_t byteOffset) const {
    Position p = positionOfOffset(m_chunk, byteOffset);
    p.line += m_firstLine - 1;
    return p;
}

namespace {

bool isMarkerLine(std::string_view line, std::string_view marker) {
    if (line.substr(0, 3) != marker)
        return false;
    return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

} // namespace

std::vector<Chunk> splitDocuments(std::string_view text) {
    std::vector<Chunk> chunks;
    std::size_t start = 0, pos = 0;
    int line = 1, chunkLine = 1;
    while (pos <= text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos)
            eol = text.size();
        std::string_view current = text.substr(pos, eol - pos);
        if (isMarkerLine(current, "---") || isMarkerLine(current, "...")) {
            chunks.push_back({text.substr(start, pos - start), chunkLine});
            start = isMarkerLine(current, "---") ? pos : std::min(eol + 1, text.size());
            chunkLine = isMarkerLine(current, "---") ? line : line + 1;
        }
        pos = eol + 1;
        ++line;
    }
    chunks.push_back({text.substr(std::min(start, text.size())), chunkLine});
    return chunks;
}

bool isBlank(std::string_view chunk) {
    std::size_t i = 0;
    while (i < chunk.size()) {
        std::size_t eol = chunk.find('\n', i);
        std::string_view line =
            chunk.substr(i, eol == std::string_view::npos ? std::string_view::npos : eol - i);
        auto first = line.find_first_not_of(" \t\r");
        if (first != std::string_view::npos && line[first] != '#' && !isMarkerLine(line, "---") &&
            !isMarkerLine(line, "...") && line.substr(first, 1) != "%")
            return false;
        if (eol == std::string_view::npos)
            break;
        i = eol + 1;
    }
    return true;
}

} // namespace kd::manifest::detail
