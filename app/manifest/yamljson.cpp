#include "manifest/yamljson.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace kd::manifest {

nlohmann::json resolvePlainScalar(const std::string &s) {
    static const std::set<std::string> nulls{"", "~", "null", "Null", "NULL"};
    static const std::set<std::string> trues{"true", "True", "TRUE", "yes", "Yes", "YES",
                                             "on",   "On",   "ON",   "y",   "Y"};
    static const std::set<std::string> falses{"false", "False", "FALSE", "no", "No", "NO",
                                              "off",   "Off",   "OFF",   "n",  "N"};
    if (nulls.count(s))
        return nullptr;
    if (trues.count(s))
        return true;
    if (falses.count(s))
        return false;
    std::string t;
    t.reserve(s.size());
    for (char c : s)
        if (c != '_')
            t += c;
    const char *b = t.data();
    const char *e = t.data() + t.size();
    bool neg = !t.empty() && (t[0] == '-' || t[0] == '+');
    const char *digits = neg ? b + 1 : b;
    if (digits < e) {
        int base = 10;
        if (e - digits > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
            base = 16;
            digits += 2;
        } else if (e - digits > 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
            base = 2;
            digits += 2;
        } else if (e - digits > 2 && digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) {
            base = 8;
            digits += 2;
        } else if (e - digits > 1 && digits[0] == '0') {
            base = 8;
        }
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(digits, e, v, base);
        if (ec == std::errc() && p == e)
            return (b[0] == '-') ? -v : v;
        if (ec == std::errc::result_out_of_range && base == 10) {
            std::uint64_t u = 0;
            auto [p2, ec2] = std::from_chars(digits, e, u);
            if (ec2 == std::errc() && p2 == e && b[0] != '-')
                return u;
        }
    }
    static const std::set<std::string> infs{".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"};
    static const std::set<std::string> ninfs{"-.inf", "-.Inf", "-.INF"};
    static const std::set<std::string> nans{".nan", ".NaN", ".NAN"};
    if (infs.count(s) || ninfs.count(s) || nans.count(s))
        return s; // JSON has no infinities; keep the text
    bool looksFloat = !t.empty() && t.find_first_not_of("+-0123456789.eE") == std::string::npos &&
                      t.find_first_of("0123456789") != std::string::npos &&
                      (std::isdigit(static_cast<unsigned char>(t.back())) || t.back() == '.');
    if (looksFloat) {
        double d = 0;
        auto [p, ec] = std::from_chars(b, e, d);
        if (ec == std::errc() && p == e && std::isfinite(d))
            return d;
    }
    return s;
}
namespace {

using nlohmann::json;

bool isPlainIdentifier(std::string_view key) {
    if (key.empty())
        return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$';
    });
}

// --- encoding ---------------------------------------------------------------------------

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

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t firstInvalidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
        if (len == 0 || i + len > s.size())
            return i;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
                return i;
        i += len;
    }
    return std::string_view::npos;
}

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

// Brings the input to UTF-8 without BOM, or reports why it cannot.
bool normalizeEncoding(std::string_view in, std::string &out, YamlParseResult &result) {
    auto starts = [&](std::string_view bom) { return in.substr(0, bom.size()) == bom; };
    if (starts("\xEF\xBB\xBF")) {
        out.assign(in.substr(3));
    } else if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
        if (!decodeUtf16(in.substr(2), starts("\xFE\xFF"), out)) {
            result.diagnostics.push_back({YamlDiagnostic::Kind::Encoding,
                                          {1, 1},
                                          "invalid UTF-16 text after the byte order mark"});
            return false;
        }
    } else {
        out.assign(in);
    }
    if (auto nul = out.find('\0'); nul != std::string::npos) {
        result.diagnostics.push_back({YamlDiagnostic::Kind::Encoding, positionOfOffset(out, nul),
                                      "the text contains a NUL byte; YAML must be text"});
        return false;
    }
    if (auto bad = firstInvalidUtf8(out); bad != std::string_view::npos) {
        result.diagnostics.push_back({YamlDiagnostic::Kind::Encoding, positionOfOffset(out, bad),
                                      "invalid UTF-8 byte sequence"});
        return false;
    }
    return true;
}

// --- splitting into documents -------------------------------------------------------------

struct Chunk {
    std::string_view text;
    int firstLine = 1; // 1-based line of text[0] in the whole input
};

bool isMarkerLine(std::string_view line, std::string_view marker) {
    if (line.substr(0, 3) != marker)
        return false;
    return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

// Document markers at column 0 always end a document in YAML, even inside block scalars,
// so splitting on them lets one broken document leave the others intact.
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

// yaml-cpp recurses once per nesting level while parsing, so absurd nesting is refused before
// it parses. The estimate counts open flow brackets plus block indentation and sequence dashes.
int estimatedMaxDepth(std::string_view chunk, int &lineOfMax) {
    int flow = 0, maxDepth = 0, line = 1;
    bool inSingle = false, inDouble = false, lineStart = true;
    int indent = 0, dashes = 0;
    for (std::size_t i = 0; i < chunk.size(); ++i) {
        char c = chunk[i];
        if (c == '\n') {
            ++line;
            lineStart = true;
            indent = dashes = 0;
            continue;
        }
        if (lineStart && c == ' ') {
            ++indent;
            continue;
        }
        if (lineStart && c == '-' && i + 1 < chunk.size() && chunk[i + 1] == ' ') {
            ++dashes;
            ++i;
            continue;
        }
        lineStart = false;
        if (inDouble) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inDouble = false;
            continue;
        }
        if (inSingle) {
            inSingle = c != '\'';
            continue;
        }
        if (c == '#' && (i == 0 || chunk[i - 1] == ' ')) {
            while (i + 1 < chunk.size() && chunk[i + 1] != '\n')
                ++i;
            continue;
        }
        if (c == '"')
            inDouble = true;
        else if (c == '\'' &&
                 (i == 0 || chunk[i - 1] == ' ' || chunk[i - 1] == '[' || chunk[i - 1] == ','))
            inSingle = true;
        else if (c == '[' || c == '{')
            ++flow;
        else if ((c == ']' || c == '}') && flow > 0)
            --flow;
        int depth = flow + indent / 2 + dashes;
        if (depth > maxDepth) {
            maxDepth = depth;
            lineOfMax = line;
        }
    }
    return maxDepth;
}

// --- conversion -----------------------------------------------------------------------------

class Converter {
public:
    Converter(const YamlLimits &limits, int lineOffset, YamlDocument &doc, YamlParseResult *result)
        : m_limits(limits)
        , m_lineOffset(lineOffset)
        , m_doc(doc)
        , m_result(result) {}

    json convert(const YAML::Node &node, const std::string &path, int depth) {
        if (++m_nodes > m_limits.maxNodesPerDocument)
            throw LimitError(node.Mark(), "the document expands to more than " +
                                              std::to_string(m_limits.maxNodesPerDocument) +
                                              " nodes (alias expansion is capped)");
        if (depth > m_limits.maxDepth)
            throw LimitError(node.Mark(), "nesting deeper than " +
                                              std::to_string(m_limits.maxDepth) + " levels");
        m_doc.valuePositions.emplace(path, pos(node.Mark()));
        switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return nullptr;
        case YAML::NodeType::Scalar:
            return scalar(node);
        case YAML::NodeType::Sequence: {
            json arr = json::array();
            std::size_t i = 0;
            for (const auto &item : node) {
                std::string child = appendIndex(path, i++);
                m_doc.keyPositions.emplace(child, pos(item.Mark()));
                arr.push_back(convert(item, child, depth + 1));
            }
            return arr;
        }
        case YAML::NodeType::Map: {
            json obj = json::object();
            for (const auto &kv : node) {
                if (!kv.first.IsScalar())
                    throw LimitError(kv.first.Mark(), "map keys must be plain strings");
                std::string key = kv.first.Scalar();
                std::string child = appendKey(path, key);
                if (obj.contains(key)) {
                    if (m_result)
                        m_result->diagnostics.push_back(
                            {YamlDiagnostic::Kind::DuplicateKey, pos(kv.first.Mark()),
                             "duplicate key \"" + key + "\"; the later value is used"});
                } else {
                    m_doc.keyPositions.emplace(child, pos(kv.first.Mark()));
                }
                obj[key] = convert(kv.second, child, depth + 1);
            }
            return obj;
        }
        }
        return nullptr;
    }

    struct LimitError : std::runtime_error {
        LimitError(const YAML::Mark &m, const std::string &what)
            : std::runtime_error(what)
            , mark(m) {}
        YAML::Mark mark;
    };

    Position pos(const YAML::Mark &m) const {
        if (m.line < 0)
            return {m_lineOffset, 1};
        return {m.line + m_lineOffset, m.column + 1};
    }

private:
    static json scalar(const YAML::Node &node) {
        const std::string &s = node.Scalar();
        const std::string &tag = node.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str")
            return s; // quoted, or explicitly a string
        if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" || tag == "?" ||
            tag.empty())
            return resolvePlainScalar(s);
        return s;
    }

    const YamlLimits &m_limits;
    int m_lineOffset;
    YamlDocument &m_doc;
    YamlParseResult *m_result;
    std::size_t m_nodes = 0;
};

YAML::Mark offsetMark(YAML::Mark m, int firstLine) {
    m.line += firstLine - 1;
    return m;
}

// Parses one chunk; returns false (with a diagnostic) when it is not valid YAML.
bool parseChunk(const Chunk &chunk, const YamlLimits &limits, YamlDocument &doc,
                YamlParseResult &result) {
    int deepLine = 1;
    if (estimatedMaxDepth(chunk.text, deepLine) > limits.maxDepth * 4) {
        result.diagnostics.push_back(
            {YamlDiagnostic::Kind::Limit,
             {chunk.firstLine + deepLine - 1, 1},
             "nesting deeper than " + std::to_string(limits.maxDepth) + " levels"});
        return false;
    }
    try {
        std::vector<YAML::Node> nodes = YAML::LoadAll(std::string(chunk.text));
        if (nodes.size() > 1) {
            result.diagnostics.push_back(
                {YamlDiagnostic::Kind::Syntax, {chunk.firstLine, 1}, "unexpected second document"});
            return false;
        }
        doc.start = {chunk.firstLine, 1};
        if (nodes.empty()) {
            doc.value = nullptr;
            return true;
        }
        Converter conv(limits, chunk.firstLine, doc, &result);
        doc.value = conv.convert(nodes.front(), std::string(), 0);
        if (nodes.front().Mark().line >= 0)
            doc.start = conv.pos(nodes.front().Mark());
        return true;
    } catch (const Converter::LimitError &e) {
        YAML::Mark m = offsetMark(e.mark, chunk.firstLine);
        result.diagnostics.push_back(
            {YamlDiagnostic::Kind::Limit, {m.line + 1, m.column + 1}, e.what()});
    } catch (const YAML::Exception &e) {
        YAML::Mark m = offsetMark(e.mark, chunk.firstLine);
        result.diagnostics.push_back({YamlDiagnostic::Kind::Syntax,
                                      {std::max(m.line + 1, chunk.firstLine), m.column + 1},
                                      e.msg});
    }
    return false;
}

} // namespace

YamlParseResult parseYaml(std::string_view input, const YamlLimits &limits) {
    YamlParseResult result;
    if (input.size() > limits.maxInputBytes) {
        result.diagnostics.push_back(
            {YamlDiagnostic::Kind::Limit,
             {1, 1},
             "input is larger than " + std::to_string(limits.maxInputBytes) + " bytes"});
        return result;
    }
    std::string text;
    if (!normalizeEncoding(input, text, result))
        return result;
    for (const Chunk &chunk : splitDocuments(text)) {
        if (isBlank(chunk.text))
            continue;
        YamlDocument doc;
        if (parseChunk(chunk, limits, doc, result))
            result.documents.push_back(std::move(doc));
    }
    return result;
}

nlohmann::json parseSingleYamlDocument(std::string_view text, const YamlLimits &limits) {
    YamlParseResult r = parseYaml(text, limits);
    for (const auto &d : r.diagnostics)
        if (d.kind != YamlDiagnostic::Kind::DuplicateKey)
            throw std::runtime_error("line " + std::to_string(d.position.line) + ": " + d.message);
    if (r.documents.size() != 1)
        throw std::runtime_error(r.documents.empty() ? "the body holds no document"
                                                     : "the body holds more than one document");
    return std::move(r.documents.front().value);
}

std::string appendKey(const std::string &path, std::string_view key) {
    if (isPlainIdentifier(key))
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    return path + "[" + std::string(key) + "]";
}

std::string appendIndex(const std::string &path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string canonicalPath(std::string_view fieldPath) {
    std::string out;
    std::size_t i = 0;
    while (i < fieldPath.size()) {
        if (fieldPath[i] == '.') {
            ++i;
            continue;
        }
        if (fieldPath[i] == '[') {
            std::size_t close = fieldPath.find(']', i);
            if (close == std::string_view::npos)
                close = fieldPath.size();
            std::string_view inner = fieldPath.substr(i + 1, close - i - 1);
            bool numeric = !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c));
            });
            out = numeric ? out + "[" + std::string(inner) + "]" : appendKey(out, inner);
            i = close + 1;
            continue;
        }
        std::size_t end = fieldPath.find_first_of(".[", i);
        if (end == std::string_view::npos)
            end = fieldPath.size();
        out = appendKey(out, fieldPath.substr(i, end - i));
        i = end;
    }
    return out;
}

} // namespace kd::manifest
