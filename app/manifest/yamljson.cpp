#include "manifest/yamljson.h"

#include "manifest/yamlbuilder.h"
#include "manifest/yamlencoding.h"
#include "manifest/yamlevents.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <stdexcept>

namespace kd::manifest {

namespace detail {

namespace {

bool isOneOf(std::string_view s, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), s) != words.end();
}

} // namespace

nlohmann::json resolvePlain(std::string_view s) {
    if (s.empty())
        return nullptr;
    // Only these can start a null, a boolean or a number ('_' because underscores are dropped
    // before numbers are read); most scalars in a manifest are names and end here.
    static constexpr std::string_view kMayResolve = "~nNtTyYfFoO+-._0123456789";
    if (kMayResolve.find(s[0]) == std::string_view::npos)
        return std::string(s);
    if (isOneOf(s, {"~", "null", "Null", "NULL"}))
        return nullptr;
    if (isOneOf(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}))
        return true;
    if (isOneOf(s, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}))
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
    if (isOneOf(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
                    ".nan", ".NaN", ".NAN"}))
        return std::string(s); // JSON has no infinities; keep the text
    bool looksFloat = !t.empty() && t.find_first_not_of("+-0123456789.eE") == std::string::npos &&
                      t.find_first_of("0123456789") != std::string::npos &&
                      (std::isdigit(static_cast<unsigned char>(t.back())) || t.back() == '.');
    if (looksFloat) {
        double d = 0;
        auto [p, ec] = std::from_chars(b, e, d);
        if (ec == std::errc() && p == e && std::isfinite(d))
            return d;
    }
    return std::string(s);
}

} // namespace detail

nlohmann::json resolvePlainScalar(const std::string &s) {
    return detail::resolvePlain(s);
}

YamlParseResult parseYaml(std::string_view input, const YamlLimits &limits) {
    YamlParseResult result;
    if (input.size() > limits.maxInputBytes) {
        result.diagnostics.push_back(
            {YamlDiagnostic::Kind::Limit,
             {1, 1},
             "input is larger than " + std::to_string(limits.maxInputBytes) + " bytes"});
        return result;
    }
    detail::DecodedText decoded;
    if (!detail::decodeInput(input, decoded, result))
        return result;
    std::vector<detail::Chunk> chunks = detail::splitDocuments(decoded.text);
    std::erase_if(chunks, [](const detail::Chunk &chunk) { return detail::isBlank(chunk.text); });
    result.documents.reserve(chunks.size());
    FieldTree scratch;
    for (const detail::Chunk &chunk : chunks) {
        YamlDocument doc;
        if (detail::parseDocument(chunk.text, chunk.firstLine, decoded.simple, limits, scratch, doc,
                                  result.diagnostics))
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

} // namespace kd::manifest
