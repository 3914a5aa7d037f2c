#pragma once
// Internal to kd_manifest: the stages of lint() (lint.cpp) and the sink they report into.
// Stages never throw; each reports every problem it finds.

#include "manifest/lint.h"
#include "manifest/rules.h"

#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest::detail {

// Collects findings. Fills in file, document, object, position and the severity (the rule's
// default, or the config's override) and drops what the config disables or the object's
// kubedeck.io/lint-ignore annotation silences: report() then returns nullptr.
class FindingSink final {
public:
    FindingSink(std::vector<Finding> &out, const LintConfig &config)
        : m_out(out)
        , m_config(config) {}

    // At the key of fieldPath (relative to the object; "" for the object itself).
    Finding *report(const LintObject &object, std::string_view ruleId, std::string_view fieldPath,
                    std::string message, std::string container = {});
    // At the value of fieldPath.
    Finding *reportValue(const LintObject &object, std::string_view ruleId,
                         std::string_view fieldPath, std::string message,
                         std::string container = {});
    // A problem with the text itself (YAML syntax, encoding, limits); document -1 for the file.
    Finding *reportText(const LintFile &file, int document, Position position,
                        std::string_view ruleId, std::string message);

private:
    Finding *add(Finding finding, const LintObject *object);

    std::vector<Finding> &m_out;
    const LintConfig &m_config;
};

// ---- lint_yaml.cpp / lint_schema.cpp / lint_api.cpp ----
void checkYamlDiagnostics(const LintFile &file, FindingSink &sink);
// apiVersion/kind present, removed or deprecated apiVersions (for the target version), schema
// found (unless ignoreMissingSchemas), then the structural schema check.
void checkSchema(const LintObject &object, const SchemaCatalog &schemas, const LintOptions &options,
                 FindingSink &sink);
// validateObject, with each cause placed at its field.
void checkApiServer(const LintObject &object, FindingSink &sink);
std::vector<RuleInfo> schemaCheckInfos();

// ---- lintrules_*.cpp ----
void checkObjectRules(const LintObject &object, const LintOptions &options, FindingSink &sink);
void checkCrossRules(const std::vector<LintObject> &objects, const LintOptions &options,
                     FindingSink &sink);
std::vector<RuleInfo> lintRuleInfos();

// ---- lintconfig.cpp ----
// True when the object's (or, for workloads, its pod template's) kubedeck.io/lint-ignore
// annotation lists ruleId for the whole object, or `ruleId:container` for this container.
bool silencedByAnnotation(const LintObject &object, std::string_view ruleId,
                          std::string_view container);

} // namespace kd::manifest::detail
