#pragma once
// The syntax rules Kubernetes applies to names, label keys and values, ports, keys and
// percentages, with upstream's exact explanation texts (k8s.io/apimachinery
// pkg/util/validation and pkg/api/validate/content). Each check returns the messages upstream
// returns: an empty list means valid. Hand-written matchers, no regex: the sandbox checks every
// write of tens of thousands of objects.

#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

// Explanation builders, as upstream words them.
std::string maxLenError(int length);      // "must be no more than N characters"
std::string maxLenBytesError(int length); // "must be no more than N bytes" (label keys/values)
std::string emptyError();                 // "must be non-empty"
std::string inclusiveRangeError(long long lo, long long hi);
std::string regexError(std::string_view msg, std::string_view fmt,
                       std::initializer_list<std::string_view> examples = {});

// DNS names.
std::vector<std::string> isDNS1123Label(std::string_view value);
std::vector<std::string> isDNS1123Subdomain(std::string_view value);
std::vector<std::string> isDNS1035Label(std::string_view value);
std::vector<std::string> isWildcardDNS1123Subdomain(std::string_view value);

// Labels: keys are "qualified names" (optional DNS-subdomain prefix and '/').
std::vector<std::string> isQualifiedName(std::string_view value);
std::vector<std::string> isValidLabelValue(std::string_view value);

// Ports, percentages, keys, environment variables, HTTP headers, path segments.
std::vector<std::string> isValidPortName(std::string_view port); // IANA_SVC_NAME
std::vector<std::string> isValidPortNum(long long port);
std::vector<std::string> isValidPercent(std::string_view percent);
std::vector<std::string> isConfigMapKey(std::string_view value);
std::vector<std::string> isRelaxedEnvVarName(std::string_view value);
std::vector<std::string> isHTTPHeaderName(std::string_view value);
std::vector<std::string> isValidPathSegmentName(std::string_view name);

// How a kind's metadata.name is checked (the ValidateNameFunc each upstream strategy passes).
enum class NameRule {
    DNS1123Subdomain, // most kinds
    DNS1123Label,     // Namespace, StatefulSet
    DNS1035Label,     // Service
    PathSegment,      // only the generic rules (no '/', '%', not '.' or '..')
};

// Checks a name or, with prefix = true, a metadata.generateName (a trailing '-' is allowed
// there because a random suffix follows).
std::vector<std::string> validateName(NameRule rule, std::string_view name, bool prefix);

} // namespace kd::manifest
