#pragma once
// Internal to kd_manifest: Kubernetes versions, and the apiVersions the API server stopped (or
// will stop) serving, from the upstream deprecated-API migration guide.

#include <optional>
#include <string_view>

namespace kd::manifest::detail {

// A Kubernetes minor version: "1.30", "v1.30", "1.30.2" -> 30. nullopt unless the major is 1.
std::optional<int> parseKubernetesMinor(std::string_view version);

struct ApiVersionChange {
    std::string_view apiVersion;  // "extensions/v1beta1"
    std::string_view kind;        // "Ingress"
    int deprecatedIn = 0;         // minor version that announced the removal
    int removedIn = 0;            // first minor version that no longer serves it
    std::string_view replacement; // "networking.k8s.io/v1"; "" when nothing replaces it
    int replacementSince = 0;     // first minor version that serves the replacement
    // Changing only the apiVersion keeps the object valid (same fields, same meaning).
    bool sameSchema = false;
};

// The scheduled removal of apiVersion/kind, or nullptr when it is not deprecated.
const ApiVersionChange *findApiVersionChange(std::string_view apiVersion, std::string_view kind);

} // namespace kd::manifest::detail
