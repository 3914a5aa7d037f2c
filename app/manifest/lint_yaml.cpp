// Problems with the text itself: YAML syntax, duplicate keys, encodings and size limits, and
// documents that cannot be Kubernetes objects at all.

#include "manifest/lintstages.h"

#include <algorithm>

namespace kd::manifest::detail {

namespace {

std::string_view ruleFor(YamlDiagnostic::Kind kind) {
    switch (kind) {
    case YamlDiagnostic::Kind::Syntax:
        return "yaml-syntax";
    case YamlDiagnostic::Kind::DuplicateKey:
        return "yaml-duplicate-key";
    case YamlDiagnostic::Kind::Encoding:
        return "yaml-encoding";
    case YamlDiagnostic::Kind::Limit:
        return "yaml-limit";
    }
    return "yaml-syntax";
}

std::string messageFor(const YamlDiagnostic &diagnostic) {
    switch (diagnostic.kind) {
    case YamlDiagnostic::Kind::Syntax:
        return "invalid YAML: " + diagnostic.message + " (this document is skipped)";
    case YamlDiagnostic::Kind::Encoding:
        return diagnostic.message + "; save the file as UTF-8";
    case YamlDiagnostic::Kind::Limit:
        return diagnostic.message + " (this document is skipped)";
    case YamlDiagnostic::Kind::DuplicateKey:
        break;
    }
    return diagnostic.message;
}

// The parsed document a diagnostic lies in (duplicate keys are reported from documents that
// did parse); -1 when it lies before every document.
int documentAt(const LintFile &file, Position position) {
    const auto &documents = file.yaml.documents;
    const auto after = std::upper_bound(
        documents.begin(), documents.end(), position, [](Position p, const YamlDocument &doc) {
            return p.line < doc.start.line ||
                   (p.line == doc.start.line && p.column < doc.start.column);
        });
    return static_cast<int>(after - documents.begin()) - 1;
}

std::string_view describeValue(const nlohmann::json &value) {
    if (value.is_array())
        return "a list";
    if (value.is_string())
        return "a string";
    if (value.is_boolean())
        return "a boolean";
    if (value.is_number())
        return "a number";
    return "a mapping";
}

void checkListItems(const LintFile &file, int document, const YamlDocument &doc,
                    FindingSink &sink) {
    const nlohmann::json &value = doc.value;
    const auto items = value.find("items");
    if (items == value.end() || items->is_null())
        return;
    if (!items->is_array()) {
        const auto at = doc.keyPositions.find("items");
        sink.reportText(file, document, at == doc.keyPositions.end() ? doc.start : at->second,
                        "object-invalid",
                        "`items` of a List must be a list of objects, not " +
                            std::string(describeValue(*items)));
        return;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
        const nlohmann::json &item = (*items)[i];
        if (item.is_object() || item.is_null())
            continue;
        const auto at = doc.keyPositions.find(appendIndex("items", i));
        sink.reportText(
            file, document, at == doc.keyPositions.end() ? doc.start : at->second, "object-invalid",
            "item " + std::to_string(i) + " of this List is " + std::string(describeValue(item)) +
                ", not a Kubernetes object (a mapping with apiVersion and kind)");
    }
}

} // namespace

void checkYamlDiagnostics(const LintFile &file, FindingSink &sink) {
    for (const YamlDiagnostic &diagnostic : file.yaml.diagnostics) {
        const int document = diagnostic.kind == YamlDiagnostic::Kind::DuplicateKey
                                 ? documentAt(file, diagnostic.position)
                                 : -1;
        sink.reportText(file, document, diagnostic.position, ruleFor(diagnostic.kind),
                        messageFor(diagnostic));
    }
    const auto &documents = file.yaml.documents;
    for (std::size_t d = 0; d < documents.size(); ++d) {
        const YamlDocument &doc = documents[d];
        const int document = static_cast<int>(d);
        if (doc.value.is_null())
            continue; // an empty document, e.g. between two `---`
        if (!doc.value.is_object()) {
            sink.reportText(file, document, doc.start, "object-invalid",
                            "this document is " + std::string(describeValue(doc.value)) +
                                ", not a Kubernetes object (a mapping with apiVersion and kind)");
            continue;
        }
        const auto kind = doc.value.find("kind");
        if (kind != doc.value.end() && kind->is_string() && *kind == "List")
            checkListItems(file, document, doc, sink);
    }
}

} // namespace kd::manifest::detail
