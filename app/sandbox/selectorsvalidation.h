#pragma once
// Label key and value validation with apimachinery's wording
// (k8s.io/apimachinery/pkg/util/validation), shared by the selector parsers and usable by admission
// for metadata.labels.

#include <string>
#include <string_view>
#include <vector>

namespace kd::sandbox {

// Each returns the failed rules in upstream's words; empty when valid.
std::vector<std::string> qualifiedNameErrors(std::string_view value); // label keys, annotation keys
std::vector<std::string> labelValueErrors(std::string_view value);
std::vector<std::string> dns1123SubdomainErrors(std::string_view value);

// A Go `%q` rendering of a string: how upstream prints bad values and manager names.
std::string goQuote(std::string_view text);

// One field.Error line, e.g. `key: Invalid value: "a b": name part must ...`; an empty path
// prints as upstream's nil path, `<nil>`.
std::string invalidValueError(const std::string &path, std::string_view value,
                              const std::vector<std::string> &details);

} // namespace kd::sandbox
