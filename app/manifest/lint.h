#pragma once
// The lint pipeline shared by `kubedeck lint` and the editor:
//   text -> LintFile (YAML documents with positions) -> LintObject (one Kubernetes object each)
//   -> schema checks, API-server checks, rules (per object, then across objects)
//   -> suppression (annotations, .kubedeck-lint.yaml) -> Findings, sorted.
// Every problem in every document is reported; nothing here throws on bad input.

#include "manifest/finding.h"
#include "manifest/lintconfig.h"
#include "manifest/schema.h"
#include "manifest/yamljson.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

struct LintFile {
    std::string path; // as given; "-" for stdin
    YamlParseResult yaml;
    // The UTF-8 text (without a byte order mark) the positions refer to, so a quick fix can be
    // checked against how a key or value is spelled (quoted or not). Empty when the text is not
    // UTF-8; such findings come without fixes.
    std::string text = {};
    std::vector<std::size_t> lineStarts = {}; // byte offset of each line of text
};

LintFile parseLintFile(std::string path, std::string_view text, const YamlLimits &limits = {});

// One Kubernetes object: a document, or an item of a `kind: List` document.
struct LintObject {
    const LintFile *file = nullptr;
    int document = 0;       // index into file->yaml.documents
    std::string pathPrefix; // "" for a document, "items[3]" for a List item
    const nlohmann::json *value = nullptr;
    std::string apiVersion;
    std::string kind;
    std::string name;      // metadata.name (or generateName)
    std::string nameSpace; // metadata.namespace, "" when not set

    // The position of the key at fieldPath (relative to the object), else of its value, else of
    // the nearest ancestor that has one, else the document start.
    Position position(std::string_view fieldPath) const;
    // The position of the value at fieldPath, else position(fieldPath).
    Position valuePosition(std::string_view fieldPath) const;
    // True when the document has this exact key (relative to the object).
    bool has(std::string_view fieldPath) const;
    // "Deployment serving/web", "Namespace gpu", "Deployment web" when no namespace is set.
    std::string describe() const;
};

std::vector<LintObject> collectObjects(const std::vector<LintFile> &files);

struct LintOptions {
    const SchemaCatalog *schemas = nullptr; // nullptr: the built-in catalogue
    LintConfig config;
    // "1.30"; "" means the config's, else kDefaultKubernetesVersion.
    std::string kubernetesVersion;
    bool strict = false;               // warnings count as errors (see failsAt)
    bool ignoreMissingSchemas = false; // no finding for kinds no schema source knows
    bool apiServerChecks = true;       // run validateObject as the API server would
};

// The version the built-in schema catalogue describes.
inline constexpr const char *kDefaultKubernetesVersion = "1.36";

// Lints all files together (cross-object rules see every object of every file).
std::vector<Finding> lint(const std::vector<LintFile> &files, const LintOptions &options);

// Parses and lints one text (the editor's buffer).
std::vector<Finding> lintText(std::string_view text, const std::string &path,
                              const LintOptions &options);

// True when a finding makes the run fail: errors, and warnings too under strict.
bool failsAt(const Finding &finding, bool strict);

} // namespace kd::manifest
