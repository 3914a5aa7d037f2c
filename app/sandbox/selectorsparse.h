#pragma once
// The label selector grammar behind LabelSelector::parse and LabelSelector::fromJson.

#include "sandbox/selectors.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::sandbox {

// Requirements in the order written; on failure nullopt and upstream's full message in *error.
std::optional<std::vector<LabelSelector::Requirement>> parseLabelRequirements(std::string_view text,
                                                                              std::string *error);
// labels.NewRequirement: validates and builds one requirement. Errors name the fields the way
// upstream's nil-rooted paths print them ("key", "values[0][app]").
std::optional<LabelSelector::Requirement> makeLabelRequirement(const std::string &key,
                                                               LabelSelector::Op op,
                                                               std::vector<std::string> values,
                                                               std::string *error);
// strconv.ParseInt(s, 10, 64), for the Gt and Lt operators.
bool parseLabelInteger(const std::string &text, long long *out);

} // namespace kd::sandbox
