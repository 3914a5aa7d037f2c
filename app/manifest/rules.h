#pragma once
// The catalogue of every check `kubedeck lint` makes: schema checks, API-server checks and
// lint rules, each with a stable ID. IDs never change once released; annotations and
// .kubedeck-lint.yaml refer to them.

#include "manifest/finding.h"

#include <string_view>
#include <vector>

namespace kd::manifest {

enum class RuleScope {
    File,      // about the text (YAML syntax, encoding)
    Object,    // about one object
    Container, // about one container: silenceable per container
    Cross,     // about how objects refer to each other
};

struct RuleInfo {
    std::string_view id; // "gpu-requests-limits"
    Severity severity;   // default severity
    RuleScope scope;
    std::string_view category;    // "yaml", "schema", "api", "resources", "gpu", "probes", ...
    std::string_view title;       // one line: what is wrong
    std::string_view explanation; // why it matters (a few sentences)
    std::string_view fix;         // how to fix it
};

// Every rule and check, sorted by ID.
const std::vector<RuleInfo> &ruleCatalog();
const RuleInfo *findRule(std::string_view id);

} // namespace kd::manifest
