#pragma once
// Percent-encoding for query values in tests and benchmarks (continue tokens are base64).

#include <cctype>
#include <cstdio>
#include <string>

namespace kd::testing {

inline std::string urlEncode(const std::string &s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

} // namespace kd::testing
