#include "semantics/quantity.h"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <limits>

namespace kd::semantics {

namespace {

__extension__ typedef __int128 Wide; // exact intermediate products of int64 values

// Digits beyond this no longer change an int64 result, except through rounding, which the
// sticky flag keeps.
constexpr Wide kMantissaCap = static_cast<Wide>(1'000'000'000'000'000'000LL) * 1'000'000'000'000LL;
constexpr Wide kInt64Max = std::numeric_limits<std::int64_t>::max();

struct Suffix {
    int pow10 = 0;
    int pow2 = 0;
};

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Parses the suffix part: "", a decimal SI prefix, a binary SI prefix or a decimal exponent.
std::optional<Suffix> parseSuffix(std::string_view s) {
    if (s.empty())
        return Suffix{};
    if (s.size() == 2 && s[1] == 'i') {
        static constexpr std::string_view binary = "KMGTPE";
        const auto pos = binary.find(s[0]);
        if (pos == std::string_view::npos)
            return std::nullopt;
        return Suffix{0, 10 * static_cast<int>(pos + 1)};
    }
    if (s.size() == 1) {
        switch (s[0]) {
        case 'n':
            return Suffix{-9, 0};
        case 'u':
            return Suffix{-6, 0};
        case 'm':
            return Suffix{-3, 0};
        case 'k':
            return Suffix{3, 0};
        case 'M':
            return Suffix{6, 0};
        case 'G':
            return Suffix{9, 0};
        case 'T':
            return Suffix{12, 0};
        case 'P':
            return Suffix{15, 0};
        case 'E':
            return Suffix{18, 0};
        default:
            return std::nullopt;
        }
    }
    if (s[0] != 'e' && s[0] != 'E')
        return std::nullopt;
    std::string_view exp = s.substr(1);
    bool negative = false;
    if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
        negative = exp[0] == '-';
        exp.remove_prefix(1);
    }
    if (exp.empty() || exp.size() > 4)
        return std::nullopt;
    int value = 0;
    for (char c : exp) {
        if (!isDigit(c))
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return Suffix{negative ? -value : value, 0};
}

} // namespace

std::optional<std::int64_t> parseMilli(std::string_view q) {
    std::size_t i = 0;
    bool negative = false;
    if (i < q.size() && (q[i] == '+' || q[i] == '-')) {
        negative = q[i] == '-';
        ++i;
    }
    Wide mantissa = 0;
    int pow10 = 3;       // the result is in milli-units
    bool sticky = false; // a non-zero digit was dropped: round away from zero
    int digits = 0;
    for (; i < q.size() && isDigit(q[i]); ++i, ++digits) {
        if (mantissa >= kMantissaCap)
            return std::nullopt; // more than 30 integer digits cannot fit
        mantissa = mantissa * 10 + (q[i] - '0');
    }
    if (i < q.size() && q[i] == '.') {
        ++i;
        for (; i < q.size() && isDigit(q[i]); ++i, ++digits) {
            if (mantissa >= kMantissaCap) {
                sticky = sticky || q[i] != '0';
                continue;
            }
            mantissa = mantissa * 10 + (q[i] - '0');
            --pow10;
        }
    }
    if (digits == 0)
        return std::nullopt;
    const auto suffix = parseSuffix(q.substr(i));
    if (!suffix)
        return std::nullopt;
    pow10 += suffix->pow10;

    Wide value = mantissa;
    for (int k = 0; k < suffix->pow2; ++k) {
        value *= 2;
        if (value > kInt64Max)
            return std::nullopt;
    }
    for (; pow10 > 0 && value != 0; --pow10) {
        value *= 10;
        if (value > kInt64Max)
            return std::nullopt;
    }
    for (; pow10 < 0 && value != 0; ++pow10) {
        sticky = sticky || value % 10 != 0;
        value /= 10;
    }
    if (sticky)
        ++value;
    if (value > kInt64Max)
        return std::nullopt;
    const auto result = static_cast<std::int64_t>(value);
    return negative ? -result : result;
}

namespace {

template<typename JsonT> std::optional<std::int64_t> parseJsonMilli(const JsonT &v) {
    if (v.is_string())
        return parseMilli(std::string_view(v.template get_ref<const std::string &>()));
    if (v.is_number_integer()) {
        const auto units = v.is_number_unsigned()
                               ? static_cast<Wide>(v.template get<std::uint64_t>())
                               : static_cast<Wide>(v.template get<std::int64_t>());
        const Wide milli = units * 1000;
        if (milli > kInt64Max || milli < -kInt64Max)
            return std::nullopt;
        return static_cast<std::int64_t>(milli);
    }
    if (v.is_number_float()) {
        // The shortest text that round-trips is what the user wrote ("0.1", not
        // 0.1000000000000000055).
        std::array<char, 64> buf{};
        const auto res =
            std::to_chars(buf.data(), buf.data() + buf.size(), v.template get<double>());
        if (res.ec != std::errc())
            return std::nullopt;
        return parseMilli(
            std::string_view(buf.data(), static_cast<std::size_t>(res.ptr - buf.data())));
    }
    return std::nullopt;
}

} // namespace

std::optional<std::int64_t> parseMilli(const nlohmann::json &v) {
    return parseJsonMilli(v);
}

std::optional<std::int64_t> parseMilli(const nlohmann::ordered_json &v) {
    return parseJsonMilli(v);
}

std::string formatMilli(std::int64_t milli) {
    if (isWholeMilli(milli))
        return std::to_string(milli / 1000);
    return std::to_string(milli) + "m";
}

bool isWholeMilli(std::int64_t milli) {
    return milli % 1000 == 0;
}

} // namespace kd::semantics
