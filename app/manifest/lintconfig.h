#pragma once
// Per-repository lint settings (.kubedeck-lint.yaml) and per-object silencing
// (annotation kubedeck.io/lint-ignore).
//
//   # .kubedeck-lint.yaml
//   disable: [replicas-too-few, namespace-default]
//   severity:
//     image-latest-tag: error
//     probes-missing: info
//   kubernetesVersion: "1.29"   # optional; --kubernetes-version wins
//   capacity:                   # optional: the pool the manifests deploy to, for rules that
//     nvidia.com/gpu: 8         # need it (a rollout that cannot progress on a full GPU pool)

#include "manifest/finding.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace kd::manifest {

inline constexpr const char *kLintConfigFileName = ".kubedeck-lint.yaml";
inline constexpr const char *kLintIgnoreAnnotation = "kubedeck.io/lint-ignore";

struct LintConfig {
    std::set<std::string, std::less<>> disabled;
    std::map<std::string, Severity, std::less<>> severity;
    std::string kubernetesVersion;
    std::map<std::string, std::string, std::less<>> capacity; // resource -> quantity
};

struct LintConfigResult {
    std::optional<LintConfig> config; // nullopt when the file is unusable
    std::string error;                // "file:line:col: ..." when unusable
};

// Parses the text of a .kubedeck-lint.yaml (unknown rule IDs and keys are errors, with a
// "did you mean").
LintConfigResult parseLintConfig(std::string_view text, const std::string &path);

} // namespace kd::manifest
