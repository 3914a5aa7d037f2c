#pragma once
// JSON values as block-style YAML text, the way `kubectl get -o yaml` prints objects: keys in
// the object's order, strings quoted only where YAML would misread them.

#include <nlohmann/json.hpp>

#include <string>

namespace kd::manifest {

std::string toYaml(const nlohmann::json &value);
std::string toYaml(const nlohmann::ordered_json &value); // keeps the keys in the object's order

} // namespace kd::manifest
