#include "manifest/jsonschema.h"

namespace kd::manifest {

using Json = nlohmann::json;

namespace {

std::string inQuotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// object[key], or null when `object` is no object or has no such key.
const Json &member(const Json &object, const char *key) {
    static const Json null;
    if (!object.is_object())
        return null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

} // namespace

bool JsonSchemaImporter::importDocument(const Json &document, std::string *error) {
    const Json *schemas = nullptr;
    std::string prefix;
    if (document.is_object()) {
        const auto components = document.find("components");
        if (components != document.end() && components->is_object() &&
            components->contains("schemas")) {
            schemas = &(*components)["schemas"];
            prefix = "#/components/schemas/";
        } else if (document.contains("definitions")) {
            schemas = &document["definitions"];
            prefix = "#/definitions/";
        }
    }
    if (!schemas || !schemas->is_object()) {
        if (error)
            *error = "the document has no components.schemas or definitions";
        return false;
    }
    m_document = &document;
    m_addedRefs.clear();
    m_path.clear();
    std::vector<std::pair<GroupVersionKind, const SchemaNode *>> kinds;
    std::map<std::string, bool, std::less<>> namespacedByKind;
    try {
        for (const auto &[name, schema] : schemas->items()) {
            const auto gvks =
                schema.is_object() ? schema.find("x-kubernetes-group-version-kind") : schema.end();
            if (!schema.is_object() || gvks == schema.end())
                continue;
            const SchemaNode *node = resolveRef(Json(prefix + pointerSegment(name)), 0);
            Step step(m_path, prefix + pointerSegment(name));
            const Json list = gvks->is_array() ? *gvks : Json::array({*gvks});
            for (const Json &gvk : list) {
                if (!gvk.is_object())
                    fail("x-kubernetes-group-version-kind must hold objects");
                GroupVersionKind k{text(gvk, "group"), text(gvk, "version"), text(gvk, "kind")};
                if (k.version.empty() || k.kind.empty())
                    fail("x-kubernetes-group-version-kind needs a version and a kind");
                kinds.emplace_back(std::move(k), node);
            }
        }
        // Which kinds the document's paths serve inside a namespace, and which only outside.
        const auto paths = document.find("paths");
        if (paths != document.end() && paths->is_object()) {
            for (const auto &[path, item] : paths->items()) {
                if (!item.is_object())
                    continue;
                for (const auto &[method, operation] : item.items()) {
                    const auto gvk = operation.is_object()
                                         ? operation.find("x-kubernetes-group-version-kind")
                                         : operation.end();
                    if (!operation.is_object() || gvk == operation.end() || !gvk->is_object())
                        continue;
                    const std::string key =
                        GroupVersionKind{text(*gvk, "group"), text(*gvk, "version"),
                                         text(*gvk, "kind")}
                            .apiVersion() +
                        "/" + text(*gvk, "kind");
                    namespacedByKind[key] =
                        namespacedByKind[key] || path.find("{namespace}") != std::string::npos;
                }
            }
        }
    } catch (const std::exception &e) {
        if (error)
            *error = e.what();
        rollBack();
        return false;
    }
    m_addedRefs.clear();
    for (const auto &[gvk, node] : kinds) {
        const auto scope = namespacedByKind.find(gvk.apiVersion() + "/" + gvk.kind);
        m_set.addKind(gvk, node, scope == namespacedByKind.end() || scope->second);
    }
    return true;
}

const SchemaNode *importStandaloneSchema(const Json &file, const GroupVersionKind &gvk,
                                         SchemaSet &into, std::string *error) {
    JsonSchemaImporter importer(into);
    const SchemaNode *imported = importer.importSchema(file, file, error);
    if (!imported)
        return nullptr;
    if (imported->type != SchemaType::Object) {
        if (error)
            *error = "the schema of " + gvk.apiVersion() + " " + gvk.kind +
                     " does not describe an object";
        return nullptr;
    }
    // A copy: the root may be shared by $refs, and it gets the kind's name.
    SchemaNode *root = into.newNode();
    *root = *imported;
    if (root->name.empty())
        root->name = gvk.kind;
    into.addKind(gvk, root, true);
    return root;
}

bool importCustomResourceDefinition(const Json &crd, SchemaSet &into, std::string *error,
                                    std::vector<GroupVersionKind> *added) {
    const auto failed = [&](const std::string &message) {
        if (error)
            *error = message;
        return false;
    };
    const auto string = [](const Json &value) {
        return value.is_string() ? value.get<std::string>() : std::string();
    };
    if (string(member(crd, "kind")) != "CustomResourceDefinition")
        return failed("not a CustomResourceDefinition");
    const std::string crdName =
        "CustomResourceDefinition " + inQuotes(string(member(member(crd, "metadata"), "name")));
    const Json &spec = member(crd, "spec");
    const std::string group = string(member(spec, "group"));
    const std::string kind = string(member(member(spec, "names"), "kind"));
    if (group.empty() || kind.empty())
        return failed(crdName + " has no spec.group or spec.names.kind");
    const bool namespaced = string(member(spec, "scope")) != "Cluster";
    // v1beta1 had one schema for all versions (spec.validation) and could name one version only.
    const Json &sharedSchema = member(member(spec, "validation"), "openAPIV3Schema");
    Json versions = member(spec, "versions");
    if (!versions.is_array() && !string(member(spec, "version")).empty())
        versions = Json::array({{{"name", string(member(spec, "version"))}}});
    if (!versions.is_array())
        return failed(crdName + " has no spec.versions");

    std::vector<std::pair<GroupVersionKind, const SchemaNode *>> kinds;
    for (const Json &version : versions) {
        const std::string name = string(member(version, "name"));
        if (name.empty())
            return failed(crdName + " has a version without a name");
        if (member(version, "served") == Json(false))
            continue;
        const Json &own = member(member(version, "schema"), "openAPIV3Schema");
        const Json &schema = own.is_null() ? sharedSchema : own;
        JsonSchemaImporter importer(into);
        SchemaNode *root = into.newNode();
        if (schema.is_null()) { // no schema: the API server keeps whatever it is sent
            root->type = SchemaType::Object;
            root->preserveUnknownFields = true;
        } else {
            std::string problem;
            const SchemaNode *imported = importer.importSchema(schema, schema, &problem);
            if (!imported)
                return failed(crdName + " version " + name + ": " + problem);
            *root = *imported; // a copy: resource fields are added to it alone
            if (root->type == SchemaType::Any) {
                root->type = SchemaType::Object;
                root->preserveUnknownFields = true;
            } else if (root->type != SchemaType::Object) {
                return failed(crdName + " version " + name + ": the schema is not an object");
            }
        }
        importer.addResourceFields(*root);
        root->name = kind;
        kinds.emplace_back(GroupVersionKind{group, name, kind}, root);
    }
    if (kinds.empty())
        return failed(crdName + " serves no version");
    for (const auto &[gvk, root] : kinds) {
        into.addKind(gvk, root, namespaced);
        if (added)
            added->push_back(gvk);
    }
    return true;
}

} // namespace kd::manifest
