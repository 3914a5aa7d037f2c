#pragma once
// Discovery documents (/api, /apis, /api/v1, /apis/GROUP/VERSION), /version and /openapi/v2.

#include "sandbox/json.h"

#include <optional>
#include <string>

namespace kd::sandbox {

inline constexpr const char *kServerGitVersion = "v1.28.0-kubedeck.1";

Json versionInfo();
Json coreApiVersions(const std::string &serverAddress);
Json apiGroupList();
// The APIResourceList of one group version, or nullopt when the sandbox does not serve it.
std::optional<Json> apiResourceList(const std::string &group, const std::string &version);

} // namespace kd::sandbox
