#include "manifest/names.h"

namespace kd::manifest {

namespace {

constexpr int kDNS1123LabelMaxLength = 63;
constexpr int kDNS1123SubdomainMaxLength = 253;
constexpr int kDNS1035LabelMaxLength = 63;
constexpr int kLabelKeyMaxLength = 63;
constexpr int kLabelValueMaxLength = 63;
constexpr int kPortNameMaxLength = 15;

constexpr std::string_view kDNS1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDNS1123LabelErrMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";
constexpr std::string_view kDNS1123SubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDNS1123SubdomainErrMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";
constexpr std::string_view kDNS1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDNS1035LabelErrMsg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character";
constexpr std::string_view kWildcardFmt =
    "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kWildcardErrMsg =
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
    "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
    "character";
constexpr std::string_view kLabelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kLabelKeyErrMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr std::string_view kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr std::string_view kLabelValueErrMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character";
constexpr std::string_view kPercentFmt = "[0-9]+%";
constexpr std::string_view kPercentErrMsg =
    "a valid percent string must be a numeric string followed by an ending '%'";
constexpr std::string_view kConfigMapKeyFmt = "[-._a-zA-Z0-9]+";
constexpr std::string_view kConfigMapKeyErrMsg =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
constexpr std::string_view kHTTPHeaderNameFmt = "[-A-Za-z0-9]+";
constexpr std::string_view kHTTPHeaderNameErrMsg =
    "a valid HTTP header must consist of alphanumeric characters or '-'";

bool isLower(char c) {
    return c >= 'a' && c <= 'z';
}
bool isUpper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isLowerAlnum(char c) {
    return isLower(c) || isDigit(c);
}
bool isAlnum(char c) {
    return isLower(c) || isUpper(c) || isDigit(c);
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool matchesDNS1123Label(std::string_view v) {
    if (v.empty() || !isLowerAlnum(v.front()) || !isLowerAlnum(v.back()))
        return false;
    for (char c : v) {
        if (!isLowerAlnum(c) && c != '-')
            return false;
    }
    return true;
}

// One or more labels joined by '.'.
bool matchesDNS1123Subdomain(std::string_view v) {
    while (true) {
        const auto dot = v.find('.');
        if (!matchesDNS1123Label(v.substr(0, dot)))
            return false;
        if (dot == std::string_view::npos)
            return true;
        v.remove_prefix(dot + 1);
    }
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool matchesLabelKeyName(std::string_view v) {
    if (v.empty() || !isAlnum(v.front()) || !isAlnum(v.back()))
        return false;
    for (char c : v) {
        if (!isAlnum(c) && c != '-' && c != '_' && c != '.')
            return false;
    }
    return true;
}

// The label-key package (content) counts in bytes; its DNS check is otherwise the same.
std::vector<std::string> contentIsDNS1123Subdomain(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > static_cast<std::size_t>(kDNS1123SubdomainMaxLength))
        errs.push_back(maxLenBytesError(kDNS1123SubdomainMaxLength));
    if (!matchesDNS1123Subdomain(value))
        errs.push_back(regexError(kDNS1123SubdomainErrMsg, kDNS1123SubdomainFmt, {"example.com"}));
    return errs;
}

// A generated name gets a random suffix, so a trailing '-' is fine: upstream masks it (and,
// quirkily, the character before it) with an 'a'.
std::string maskTrailingDash(std::string_view src) {
    if (src.size() > 1 && src.back() == '-')
        return std::string(src.substr(0, src.size() - 2)) + "a";
    return std::string(src);
}

} // namespace

std::string maxLenError(int length) {
    return "must be no more than " + std::to_string(length) + " characters";
}

std::string maxLenBytesError(int length) {
    return "must be no more than " + std::to_string(length) + " bytes";
}

std::string emptyError() {
    return "must be non-empty";
}

std::string inclusiveRangeError(long long lo, long long hi) {
    return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", inclusive";
}

std::string regexError(std::string_view msg, std::string_view fmt,
                       std::initializer_list<std::string_view> examples) {
    std::string out(msg);
    if (examples.size() == 0)
        return out + " (regex used for validation is '" + std::string(fmt) + "')";
    out += " (e.g. ";
    bool first = true;
    for (std::string_view example : examples) {
        if (!first)
            out += " or ";
        first = false;
        out += "'";
        out += example;
        out += "', ";
    }
    out += "regex used for validation is '";
    out += fmt;
    out += "')";
    return out;
}

std::vector<std::string> isDNS1123Label(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > static_cast<std::size_t>(kDNS1123LabelMaxLength))
        errs.push_back(maxLenError(kDNS1123LabelMaxLength));
    if (!matchesDNS1123Label(value)) {
        // A valid subdomain that is not a valid label can only have dots in it.
        if (matchesDNS1123Subdomain(value))
            errs.emplace_back("must not contain dots");
        else
            errs.push_back(
                regexError(kDNS1123LabelErrMsg, kDNS1123LabelFmt, {"my-name", "123-abc"}));
    }
    return errs;
}

std::vector<std::string> isDNS1123Subdomain(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > static_cast<std::size_t>(kDNS1123SubdomainMaxLength))
        errs.push_back(maxLenError(kDNS1123SubdomainMaxLength));
    if (!matchesDNS1123Subdomain(value))
        errs.push_back(regexError(kDNS1123SubdomainErrMsg, kDNS1123SubdomainFmt, {"example.com"}));
    return errs;
}

std::vector<std::string> isDNS1035Label(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > static_cast<std::size_t>(kDNS1035LabelMaxLength))
        errs.push_back(maxLenError(kDNS1035LabelMaxLength));
    if (!matchesDNS1123Label(value) || !isLower(value.front()))
        errs.push_back(regexError(kDNS1035LabelErrMsg, kDNS1035LabelFmt, {"my-name", "abc-123"}));
    return errs;
}

std::vector<std::string> isWildcardDNS1123Subdomain(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > static_cast<std::size_t>(kDNS1123SubdomainMaxLength))
        errs.push_back(maxLenError(kDNS1123SubdomainMaxLength));
    if (value.size() < 2 || value.substr(0, 2) != "*." || !matchesDNS1123Subdomain(value.substr(2)))
        errs.push_back(regexError(kWildcardErrMsg, kWildcardFmt, {"*.example.com"}));
    return errs;
}

std::vector<std::string> isQualifiedName(std::string_view value) {
    std::vector<std::string> errs;
    std::string_view name = value;
    const auto slash = value.find('/');
    if (slash != std::string_view::npos) {
        if (value.find('/', slash + 1) != std::string_view::npos) {
            errs.push_back(
                "a valid label key " +
                regexError(kLabelKeyErrMsg, kLabelKeyFmt, {"MyName", "my.name", "123-abc"}) +
                " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        const std::string_view prefix = value.substr(0, slash);
        name = value.substr(slash + 1);
        if (prefix.empty()) {
            errs.push_back("prefix part " + emptyError());
        } else {
            for (const std::string &msg : contentIsDNS1123Subdomain(prefix))
                errs.push_back("prefix part " + msg);
        }
    }
    if (name.empty())
        errs.push_back("name part " + emptyError());
    else if (name.size() > static_cast<std::size_t>(kLabelKeyMaxLength))
        errs.push_back("name part " + maxLenBytesError(kLabelKeyMaxLength));
    if (!matchesLabelKeyName(name))
        errs.push_back("name part " +
                       regexError(kLabelKeyErrMsg, kLabelKeyFmt, {"MyName", "my.name", "123-abc"}));
    return errs;
}

std::vector<std::string> isValidLabelValue(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > static_cast<std::size_t>(kLabelValueMaxLength))
        errs.push_back(maxLenBytesError(kLabelValueMaxLength));
    if (!value.empty() && !matchesLabelKeyName(value))
        errs.push_back(
            regexError(kLabelValueErrMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
    return errs;
}

std::vector<std::string> isValidPortName(std::string_view port) {
    std::vector<std::string> errs;
    if (port.size() > static_cast<std::size_t>(kPortNameMaxLength))
        errs.push_back(maxLenError(kPortNameMaxLength));
    bool charset = !port.empty();
    bool letter = false;
    for (char c : port) {
        charset = charset && (isLowerAlnum(c) || c == '-');
        letter = letter || isLower(c);
    }
    if (!charset)
        errs.emplace_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    if (!letter)
        errs.emplace_back("must contain at least one letter (a-z)");
    if (port.find("--") != std::string_view::npos)
        errs.emplace_back("must not contain consecutive hyphens");
    if (!port.empty() && (port.front() == '-' || port.back() == '-'))
        errs.emplace_back("must not begin or end with a hyphen");
    return errs;
}

std::vector<std::string> isValidPortNum(long long port) {
    if (port >= 1 && port <= 65535)
        return {};
    return {inclusiveRangeError(1, 65535)};
}

std::vector<std::string> isValidPercent(std::string_view percent) {
    bool ok = percent.size() >= 2 && percent.back() == '%';
    for (std::size_t i = 0; ok && i + 1 < percent.size(); ++i)
        ok = isDigit(percent[i]);
    if (ok)
        return {};
    return {regexError(kPercentErrMsg, kPercentFmt, {"1%", "93%"})};
}

std::vector<std::string> isConfigMapKey(std::string_view value) {
    std::vector<std::string> errs;
    if (value.size() > static_cast<std::size_t>(kDNS1123SubdomainMaxLength))
        errs.push_back(maxLenError(kDNS1123SubdomainMaxLength));
    bool ok = !value.empty();
    for (char c : value)
        ok = ok && (isAlnum(c) || c == '-' || c == '.' || c == '_');
    if (!ok)
        errs.push_back(regexError(kConfigMapKeyErrMsg, kConfigMapKeyFmt,
                                  {"key.name", "KEY_NAME", "key-name"}));
    // Keys become file names in volumes: no walking up the tree.
    if (value == ".")
        errs.emplace_back("must not be '.'");
    else if (value == "..")
        errs.emplace_back("must not be '..'");
    else if (value.substr(0, 2) == "..")
        errs.emplace_back("must not start with '..'");
    return errs;
}

std::vector<std::string> isRelaxedEnvVarName(std::string_view value) {
    std::vector<std::string> errs;
    if (value.empty())
        errs.push_back("environment variable name " + emptyError());
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e || c == '=') {
            errs.emplace_back("a valid environment variable name must consist only of printable "
                              "ASCII characters other than '='");
            break;
        }
    }
    return errs;
}

std::vector<std::string> isHTTPHeaderName(std::string_view value) {
    bool ok = !value.empty();
    for (char c : value)
        ok = ok && (isAlnum(c) || c == '-');
    if (ok)
        return {};
    return {regexError(kHTTPHeaderNameErrMsg, kHTTPHeaderNameFmt, {"X-Header-Name"})};
}

std::vector<std::string> isValidPathSegmentName(std::string_view name) {
    if (name == ".")
        return {"may not be '.'"};
    if (name == "..")
        return {"may not be '..'"};
    std::vector<std::string> errs;
    if (name.find('/') != std::string_view::npos)
        errs.emplace_back("may not contain '/'");
    if (name.find('%') != std::string_view::npos)
        errs.emplace_back("may not contain '%'");
    return errs;
}

std::vector<std::string> validateName(NameRule rule, std::string_view name, bool prefix) {
    switch (rule) {
    case NameRule::DNS1123Subdomain:
        return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : std::string(name));
    case NameRule::DNS1123Label:
        return isDNS1123Label(prefix ? maskTrailingDash(name) : std::string(name));
    case NameRule::DNS1035Label:
        return isDNS1035Label(prefix ? maskTrailingDash(name) : std::string(name));
    case NameRule::PathSegment:
        if (prefix) {
            // A prefix may be '.' or '..': only the characters matter.
            std::vector<std::string> errs;
            if (name.find('/') != std::string_view::npos)
                errs.emplace_back("may not contain '/'");
            if (name.find('%') != std::string_view::npos)
                errs.emplace_back("may not contain '%'");
            return errs;
        }
        return isValidPathSegmentName(name);
    }
    return {};
}

} // namespace kd::manifest
