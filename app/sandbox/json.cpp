#include "sandbox/json.h"

#include "semantics/jsonpath.h"

namespace kd::sandbox {

const Json &at(const Json &obj, std::initializer_list<const char *> path) {
    return semantics::jsonAt(obj, path);
}

std::string str(const Json &obj, std::initializer_list<const char *> path,
                const std::string &fallback) {
    const Json &v = at(obj, path);
    return v.is_string() ? v.get<std::string>() : fallback;
}

long long integer(const Json &obj, std::initializer_list<const char *> path, long long fallback) {
    const Json &v = at(obj, path);
    if (v.is_number_integer())
        return v.get<long long>();
    if (v.is_number_float())
        return static_cast<long long>(v.get<double>());
    return fallback;
}

std::string base64Encode(std::string_view in) {
    static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    int val = 0, bits = -6;
    for (unsigned char c : in) {
        val = ((val << 8) + c) & 0xFFFFFF;
        bits += 8;
        while (bits >= 0) {
            out += t[(val >> bits) & 0x3F];
            bits -= 6;
        }
    }
    if (bits > -6)
        out += t[((val << 8) >> (bits + 8)) & 0x3F];
    while (out.size() % 4)
        out += '=';
    return out;
}

std::optional<std::string> base64Decode(std::string_view in) {
    std::string out;
    int val = 0, bits = -8;
    for (char c : in) {
        int d;
        if (c >= 'A' && c <= 'Z')
            d = c - 'A';
        else if (c >= 'a' && c <= 'z')
            d = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            d = c - '0' + 52;
        else if (c == '+' || c == '-')
            d = 62;
        else if (c == '/' || c == '_')
            d = 63;
        else if (c == '=')
            break;
        else if (c == '\n' || c == '\r')
            continue;
        else
            return std::nullopt;
        val = ((val << 6) + d) & 0xFFFFFF;
        bits += 6;
        if (bits >= 0) {
            out += static_cast<char>((val >> bits) & 0xFF);
            bits -= 8;
        }
    }
    return out;
}

} // namespace kd::sandbox
