#pragma once
// The YAML reading Kubedeck did with yaml-cpp nodes, kept as the reference the libyaml event
// reader is compared with: same document splitting, same conversion to JSON, same positions.

#include "manifest/yamljson.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kd::testing {

struct ReferenceDocument {
    nlohmann::json value;
    manifest::Position start;
    std::map<std::string, manifest::Position> keyPositions;
    std::map<std::string, manifest::Position> valuePositions;
};

struct ReferenceResult {
    std::vector<ReferenceDocument> documents;
    std::vector<manifest::YamlDiagnostic> diagnostics;
};

// UTF-8 text without BOM; no input-size, encoding or deep-nesting checks.
ReferenceResult parseWithYamlCpp(std::string_view text, const manifest::YamlLimits &limits = {});

} // namespace kd::testing
