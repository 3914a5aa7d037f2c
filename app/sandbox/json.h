#pragma once
// The sandbox keeps Kubernetes objects as JSON values; stored objects are immutable and shared.

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kd::sandbox {

using Json = nlohmann::json;
using ObjectPtr = std::shared_ptr<const Json>;

// Reads obj[a][b]... without inserting; returns a null Json when any step is missing.
const Json &at(const Json &obj, std::initializer_list<const char *> path);
std::string str(const Json &obj, std::initializer_list<const char *> path,
                const std::string &fallback = {});
long long integer(const Json &obj, std::initializer_list<const char *> path,
                  long long fallback = 0);

inline std::string nameOf(const Json &o) {
    return str(o, {"metadata", "name"});
}
inline std::string namespaceOf(const Json &o) {
    return str(o, {"metadata", "namespace"});
}
inline std::string uidOf(const Json &o) {
    return str(o, {"metadata", "uid"});
}

std::string base64Encode(std::string_view data);
// Accepts the standard and the URL-safe alphabet; nullopt on any other character.
std::optional<std::string> base64Decode(std::string_view text);

} // namespace kd::sandbox
