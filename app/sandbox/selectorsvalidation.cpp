#include "sandbox/selectorsvalidation.h"

#include <cstdio>

namespace kd::sandbox {

namespace {

constexpr std::size_t kQualifiedNameMaxLength = 63;
constexpr std::size_t kLabelValueMaxLength = 63;
constexpr std::size_t kDns1123SubdomainMaxLength = 253;

constexpr const char *kQualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr const char *kQualifiedNameMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr const char *kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr const char *kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character";
constexpr const char *kDns1123SubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr const char *kDns1123SubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";

bool isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], without a regex engine on the hot path.
bool matchesQualifiedName(std::string_view s) {
    if (s.empty() || !isAlnum(s.front()) || !isAlnum(s.back()))
        return false;
    for (char c : s) {
        if (!isAlnum(c) && c != '-' && c != '_' && c != '.')
            return false;
    }
    return true;
}

bool isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool matchesDns1123Label(std::string_view s) {
    if (s.empty() || !isLowerAlnum(s.front()) || !isLowerAlnum(s.back()))
        return false;
    for (char c : s) {
        if (!isLowerAlnum(c) && c != '-')
            return false;
    }
    return true;
}

bool matchesDns1123Subdomain(std::string_view s) {
    std::size_t start = 0;
    while (true) {
        std::size_t dot = s.find('.', start);
        std::string_view part =
            s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
        if (!matchesDns1123Label(part))
            return false;
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
}

std::string regexError(const std::string &msg, const std::string &fmt,
                       std::initializer_list<const char *> examples) {
    std::string out = msg + " (e.g. ";
    bool first = true;
    for (const char *example : examples) {
        if (!first)
            out += " or ";
        first = false;
        out += "'" + std::string(example) + "', ";
    }
    return out + "regex used for validation is '" + fmt + "')";
}

std::string maxLenError(std::size_t length) {
    return "must be no more than " + std::to_string(length) + " characters";
}

} // namespace

std::vector<std::string> dns1123SubdomainErrors(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kDns1123SubdomainMaxLength)
        errors.push_back(maxLenError(kDns1123SubdomainMaxLength));
    if (!matchesDns1123Subdomain(value))
        errors.push_back(regexError(kDns1123SubdomainMsg, kDns1123SubdomainFmt, {"example.com"}));
    return errors;
}

std::vector<std::string> qualifiedNameErrors(std::string_view value) {
    std::vector<std::string> errors;
    std::string_view name = value;
    std::size_t slash = value.find('/');
    if (slash != std::string_view::npos) {
        if (value.find('/', slash + 1) != std::string_view::npos) {
            errors.push_back(
                "a qualified name " +
                regexError(kQualifiedNameMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}) +
                " with an optional DNS subdomain prefix and '/' (e.g. "
                "'example.com/MyName')");
            return errors;
        }
        std::string_view prefix = value.substr(0, slash);
        name = value.substr(slash + 1);
        if (prefix.empty()) {
            errors.push_back("prefix part must be non-empty");
        } else {
            for (const std::string &e : dns1123SubdomainErrors(prefix))
                errors.push_back("prefix part " + e);
        }
    }
    if (name.empty())
        errors.push_back("name part must be non-empty");
    else if (name.size() > kQualifiedNameMaxLength)
        errors.push_back("name part " + maxLenError(kQualifiedNameMaxLength));
    if (!matchesQualifiedName(name))
        errors.push_back("name part " + regexError(kQualifiedNameMsg, kQualifiedNameFmt,
                                                   {"MyName", "my.name", "123-abc"}));
    return errors;
}

std::vector<std::string> labelValueErrors(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > kLabelValueMaxLength)
        errors.push_back(maxLenError(kLabelValueMaxLength));
    if (!value.empty() && !matchesQualifiedName(value))
        errors.push_back(
            regexError(kLabelValueMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
    return errors;
}

std::string goQuote(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string invalidValueError(const std::string &path, std::string_view value,
                              const std::vector<std::string> &details) {
    std::string joined;
    for (const std::string &d : details)
        joined += (joined.empty() ? "" : "; ") + d;
    return (path.empty() ? std::string("<nil>") : path) + ": Invalid value: " + goQuote(value) +
           (joined.empty() ? "" : ": " + joined);
}

} // namespace kd::sandbox
