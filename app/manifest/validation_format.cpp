// Field paths, Go-style value printing (strconv.Quote, encoding/json) and value helpers.

#include "manifest/validation_checks.h"

#include <climits>
#include <cstdint>
#include <map>

namespace kd::manifest::detail {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Decodes one UTF-8 sequence at s[i] the way Go's utf8.DecodeRuneInString does: overlong
// forms, surrogates and values past U+10FFFF are invalid, and an invalid byte is consumed
// alone. Returns -1 for an invalid byte.
std::int32_t decodeRune(std::string_view s, std::size_t i, std::size_t &width) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    width = 1;
    if (b0 < 0x80)
        return b0;
    int need = 0;
    std::int32_t rune = 0;
    std::int32_t min = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        need = 1;
        rune = b0 & 0x1f;
        min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        need = 2;
        rune = b0 & 0x0f;
        min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        need = 3;
        rune = b0 & 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    if (i + static_cast<std::size_t>(need) >= s.size())
        return -1; // truncated sequence
    for (int k = 1; k <= need; ++k) {
        const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((b & 0xc0) != 0x80)
            return -1;
        rune = (rune << 6) | (b & 0x3f);
    }
    if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff))
        return -1;
    width = static_cast<std::size_t>(need) + 1;
    return rune;
}

// unicode.IsPrint for the ranges that matter in names and values: ASCII exactly, and beyond
// it the spaces, format and control characters and private-use areas Go also escapes.
bool isPrint(std::int32_t r) {
    if (r < 0x80)
        return r >= 0x20 && r < 0x7f;
    if (r <= 0xa0 || r == 0xad || r == 0x61c || r == 0x6dd || r == 0x70f || r == 0x180e ||
        r == 0x1680 || r == 0x3000 || r == 0xfeff || r == 0xe0001)
        return false;
    if ((r >= 0x600 && r <= 0x605) || (r >= 0x2000 && r <= 0x200f) ||
        (r >= 0x2028 && r <= 0x202f) || (r >= 0x205f && r <= 0x206f) ||
        (r >= 0xe000 && r <= 0xf8ff) || (r >= 0xfff9 && r <= 0xfffb) || r == 0xfffe ||
        r == 0xffff || (r >= 0xe0020 && r <= 0xe007f) || r >= 0xf0000)
        return false;
    return true;
}

void appendHex(std::string &out, std::uint32_t value, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        out += kHex[(value >> shift) & 0xf];
}

void appendJsonString(std::string &out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            switch (b) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                // encoding/json escapes control characters and, for HTML safety, <, > and &.
                if (b < 0x20 || b == '<' || b == '>' || b == '&') {
                    out += "\\u00";
                    appendHex(out, b, 2);
                } else {
                    out += static_cast<char>(b);
                }
            }
            ++i;
            continue;
        }
        std::size_t width = 1;
        const std::int32_t r = decodeRune(s, i, width);
        if (r < 0)
            out += "\\ufffd";
        else if (r == 0x2028 || r == 0x2029)
            out += r == 0x2028 ? "\\u2028" : "\\u2029";
        else
            out.append(s.substr(i, width));
        i += width;
    }
    out += '"';
}

void appendJson(std::string &out, const OrderedJson &v) {
    switch (v.type()) {
    case OrderedJson::value_t::object: {
        out += '{';
        bool first = true;
        for (const auto &[k, item] : v.items()) {
            if (!first)
                out += ',';
            first = false;
            appendJsonString(out, k);
            out += ':';
            appendJson(out, item);
        }
        out += '}';
        break;
    }
    case OrderedJson::value_t::array: {
        out += '[';
        bool first = true;
        for (const auto &item : v) {
            if (!first)
                out += ',';
            first = false;
            appendJson(out, item);
        }
        out += ']';
        break;
    }
    case OrderedJson::value_t::string:
        appendJsonString(out, v.get_ref<const std::string &>());
        break;
    default:
        out += v.dump();
    }
}

} // namespace

std::string child(const std::string &path, std::string_view name) {
    if (path.empty())
        return std::string(name);
    std::string out;
    out.reserve(path.size() + 1 + name.size());
    out += path;
    out += '.';
    out += name;
    return out;
}

std::string index(const std::string &path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

std::string key(const std::string &path, std::string_view k) {
    std::string out;
    out.reserve(path.size() + k.size() + 2);
    out += path;
    out += '[';
    out += k;
    out += ']';
    return out;
}

std::string goQuote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        std::size_t width = 1;
        const std::int32_t r = decodeRune(s, i, width);
        if (r < 0) {
            out += "\\x";
            appendHex(out, static_cast<unsigned char>(s[i]), 2);
        } else if (r == '"' || r == '\\') {
            out += '\\';
            out += static_cast<char>(r);
        } else if (isPrint(r)) {
            out.append(s.substr(i, width));
        } else {
            switch (r) {
            case '\a':
                out += "\\a";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\v':
                out += "\\v";
                break;
            default:
                if (r < 0x20 || r == 0x7f) {
                    out += "\\x";
                    appendHex(out, static_cast<std::uint32_t>(r), 2);
                } else if (r < 0x10000) {
                    out += "\\u";
                    appendHex(out, static_cast<std::uint32_t>(r), 4);
                } else {
                    out += "\\U";
                    appendHex(out, static_cast<std::uint32_t>(r), 8);
                }
            }
        }
        i += width;
    }
    out += '"';
    return out;
}

std::string goJson(const OrderedJson &value) {
    std::string out;
    appendJson(out, value);
    return out;
}

long long IntOrString::intValue() const {
    if (!isString)
        return intVal;
    // strconv.Atoi: optional sign, decimal digits only; anything else is 0.
    std::string_view s = strVal;
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty())
        return 0;
    unsigned long long value = 0;
    bool overflow = false;
    for (char ch : s) {
        if (ch < '0' || ch > '9')
            return 0;
        if (value > (ULLONG_MAX - 9) / 10)
            overflow = true;
        else
            value = value * 10 + static_cast<unsigned long long>(ch - '0');
    }
    if (overflow || value > static_cast<unsigned long long>(LLONG_MAX))
        return negative ? LLONG_MIN : LLONG_MAX;
    return negative ? -static_cast<long long>(value) : static_cast<long long>(value);
}

Value IntOrString::value() const {
    return isString ? Value::json(OrderedJson(strVal)) : Value::num(intVal);
}

const Json *member(const Json &parent, const char *name) {
    if (!parent.is_object())
        return nullptr;
    const auto it = parent.find(name);
    if (it == parent.end() || it->is_null())
        return nullptr;
    return &*it;
}

bool isEmptyValue(const Json *value) {
    if (value == nullptr || value->is_null())
        return true;
    if (value->is_string())
        return value->get_ref<const std::string &>().empty();
    if (value->is_array() || value->is_object())
        return value->empty();
    return false;
}

Json semanticForm(const Json &value, int depth) {
    // Hostile nesting stops being compared rather than recursing without bound.
    if (depth > 64)
        return nullptr;
    if (value.is_object()) {
        Json out = Json::object();
        for (const auto &[k, item] : value.items()) {
            if (isEmptyValue(&item))
                continue;
            Json normal = semanticForm(item, depth + 1);
            if (!isEmptyValue(&normal))
                out[k] = std::move(normal);
        }
        return out;
    }
    if (value.is_array()) {
        Json out = Json::array();
        for (const auto &item : value)
            out.push_back(semanticForm(item, depth + 1));
        return out;
    }
    return value;
}

std::map<std::string, std::string> stringEntries(const Json *map) {
    std::map<std::string, std::string> out;
    if (map == nullptr || !map->is_object())
        return out;
    for (const auto &[k, v] : map->items()) {
        if (v.is_string())
            out.emplace(k, v.get<std::string>());
    }
    return out;
}

} // namespace kd::manifest::detail
