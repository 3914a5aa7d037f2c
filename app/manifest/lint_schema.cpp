// What an object is: apiVersion and kind present, an apiVersion the target Kubernetes version
// still serves, a schema that knows it; then the structural walk (lint_schemawalk.cpp).

#include "manifest/apiversions.h"
#include "manifest/lintschemawalk.h"
#include "manifest/linttext.h"
#include "manifest/suggest.h"

#include <map>

namespace kd::manifest::detail {

namespace {

std::string minorName(int minor) {
    return "1." + std::to_string(minor);
}

int targetMinor(const LintOptions &options) {
    for (const std::string *version :
         {&options.kubernetesVersion, &options.config.kubernetesVersion}) {
        if (!version->empty()) {
            if (const auto minor = parseKubernetesMinor(*version))
                return *minor;
        }
    }
    return parseKubernetesMinor(kDefaultKubernetesVersion).value_or(0);
}

// True when apiVersion and kind are both usable strings; reports what is missing otherwise.
bool checkIdentity(const LintObject &object, FindingSink &sink) {
    const nlohmann::json &value = *object.value;
    auto state = [&](const char *name) {
        const auto it = value.find(name);
        if (it == value.end() || it->is_null() ||
            (it->is_string() && it->get_ref<const std::string &>().empty()))
            return 0;                   // missing
        return it->is_string() ? 1 : 2; // 2: not a string
    };
    const int apiVersion = state("apiVersion");
    const int kind = state("kind");
    if (apiVersion == 1 && kind == 1)
        return true;
    if (apiVersion == 2 || kind == 2) {
        const char *name = apiVersion == 2 ? "apiVersion" : "kind";
        sink.reportValue(object, "object-invalid", name,
                         std::string(name) + " must be a string, such as " +
                             (apiVersion == 2 ? "`apps/v1`" : "`Deployment`"));
        return false;
    }
    std::string message;
    if (apiVersion == 0 && kind == 0)
        message = "this document has neither apiVersion nor kind, so it is not a Kubernetes object";
    else if (apiVersion == 0)
        message = "this " + object.kind + " has no apiVersion (e.g. `apps/v1` or `v1`)";
    else
        message = "this document has apiVersion `" + object.apiVersion + "` but no kind";
    sink.report(object, "object-invalid", "", std::move(message));
    return false;
}

void addApiVersionFix(const LintObject &object, Finding *finding, std::string_view replacement) {
    if (finding == nullptr || object.file == nullptr)
        return;
    const auto edit = replaceScalar(*object.file, object.valuePosition("apiVersion"),
                                    object.apiVersion, replacement);
    if (edit)
        finding->fixes.push_back({"Change apiVersion to " + std::string(replacement), {*edit}});
}

void checkApiVersion(const LintObject &object, const ApiVersionChange &change, int target,
                     FindingSink &sink) {
    if (target < change.deprecatedIn)
        return;
    std::string message = object.apiVersion + " " + object.kind;
    const bool removed = target >= change.removedIn;
    message +=
        removed ? " was removed in Kubernetes " + minorName(change.removedIn)
                : " is deprecated and will be removed in Kubernetes " + minorName(change.removedIn);
    if (change.replacement.empty()) {
        message += "; nothing replaces it";
    } else {
        message += "; use " + std::string(change.replacement);
        if (change.replacementSince > target)
            message += " (served from Kubernetes " + minorName(change.replacementSince) + ")";
        if (!change.sameSchema)
            message += ", whose fields differ";
    }
    Finding *finding =
        sink.reportValue(object, removed ? "api-version-removed" : "api-version-deprecated",
                         "apiVersion", std::move(message));
    if (change.sameSchema && !change.replacement.empty())
        addApiVersionFix(object, finding, change.replacement);
}

std::string joined(const std::vector<std::string> &items, std::string_view separator) {
    std::string out;
    for (const std::string &item : items)
        out += (out.empty() ? "" : std::string(separator)) + item;
    return out;
}

// Kinds and apiVersions the built-in catalogue knows, for "did you mean" on unknown kinds.
struct KnownKinds {
    std::map<std::string, std::vector<std::string>, std::less<>> apiVersionsOfKind;
    std::map<std::string, std::vector<std::string>, std::less<>> kindsOfApiVersion;
};

const KnownKinds &knownKinds() {
    static const KnownKinds known = [] {
        KnownKinds k;
        for (const GroupVersionKind &gvk : builtinSchemas().kinds()) {
            const std::string apiVersion = gvk.apiVersion();
            k.apiVersionsOfKind[gvk.kind].push_back(apiVersion);
            k.kindsOfApiVersion[apiVersion].push_back(gvk.kind);
        }
        return k;
    }();
    return known;
}

void reportMissingSchema(const LintObject &object, FindingSink &sink) {
    const KnownKinds &known = knownKinds();
    const std::string subject = object.apiVersion + " " + object.kind;
    if (const auto it = known.apiVersionsOfKind.find(object.kind);
        it != known.apiVersionsOfKind.end()) {
        const std::string apiVersion = suggest(object.apiVersion, it->second);
        // One likely apiVersion gets a fix; otherwise name them all.
        const bool one = it->second.size() == 1 || !apiVersion.empty();
        const std::string better = one ? (apiVersion.empty() ? it->second.front() : apiVersion)
                                       : joined(it->second, " or ");
        Finding *finding = sink.reportValue(object, "schema-missing", "apiVersion",
                                            "no schema for " + subject + "; " + object.kind +
                                                " is served as " + better);
        if (one)
            addApiVersionFix(object, finding, better);
        return;
    }
    if (const auto it = known.kindsOfApiVersion.find(object.apiVersion);
        it != known.kindsOfApiVersion.end()) {
        const std::string kind = suggest(object.kind, it->second);
        if (!kind.empty()) {
            Finding *finding =
                sink.reportValue(object, "schema-missing", "kind",
                                 "no schema for " + subject + "; " + didYouMean(kind));
            if (finding != nullptr && object.file != nullptr) {
                if (auto edit = replaceScalar(*object.file, finding->position, object.kind, kind))
                    finding->fixes.push_back({"Change kind to " + kind, {*edit}});
            }
            return;
        }
    }
    sink.reportValue(object, "schema-missing", "kind",
                     "no schema for " + subject +
                         ", so its fields are not checked (a custom resource? give its schema "
                         "with --schema-dir, or pass --ignore-missing-schemas)");
}

} // namespace

void checkSchema(const LintObject &object, const SchemaCatalog &schemas, const LintOptions &options,
                 FindingSink &sink) {
    if (object.value == nullptr || !object.value->is_object() || !checkIdentity(object, sink))
        return;
    const ApiVersionChange *change = findApiVersionChange(object.apiVersion, object.kind);
    if (change != nullptr)
        checkApiVersion(object, *change, targetMinor(options), sink);
    const SchemaNode *root = schemas.find(object.apiVersion, object.kind);
    if (root == nullptr) {
        // A Kubernetes apiVersion that is (or will be) retired is no custom resource: a catalogue
        // that only describes current versions lacking it is no news.
        if (change == nullptr && !options.ignoreMissingSchemas)
            reportMissingSchema(object, sink);
        return;
    }
    walkSchema(object, *root, sink);
}

} // namespace kd::manifest::detail
