#include "manifest/openapiexport.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <vector>

namespace kd::manifest {

using Json = nlohmann::json;

namespace {

constexpr const char *kSchemaPrefix = "#/components/schemas/";
constexpr const char *kQuantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
constexpr const char *kIntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

// The apimachinery meta/v1 types every group uses.
bool isMetaType(std::string_view name) {
    static constexpr std::array<std::string_view, 12> names{"Condition",
                                                            "DeleteOptions",
                                                            "FieldsV1",
                                                            "LabelSelector",
                                                            "LabelSelectorRequirement",
                                                            "ListMeta",
                                                            "ManagedFieldsEntry",
                                                            "ObjectMeta",
                                                            "OwnerReference",
                                                            "Preconditions",
                                                            "Status",
                                                            "StatusDetails"};
    return std::find(names.begin(), names.end(), name) != names.end();
}

// io.k8s.api.apps.v1, io.k8s.api.networking.v1 (networking.k8s.io), io.kserve.serving.v1beta1
// (serving.kserve.io): the package names kube-apiserver gives a group's types.
std::string packageOf(const std::string &group, const std::string &version) {
    if (group.empty())
        return "io.k8s.api.core." + version;
    const std::size_t firstDot = group.find('.');
    if (firstDot == std::string::npos)
        return "io.k8s.api." + group + "." + version;
    if (group.ends_with(".k8s.io"))
        return "io.k8s.api." + group.substr(0, firstDot) + "." + version;
    std::string reversed;
    std::string_view rest = group;
    while (!rest.empty()) {
        const std::size_t dot = rest.rfind('.');
        reversed += (reversed.empty() ? "" : ".") +
                    std::string(dot == std::string_view::npos ? rest : rest.substr(dot + 1));
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(0, dot);
    }
    return reversed + "." + version;
}

// apimachinery's UnsafeGuessKindToResource.
std::string guessResource(std::string_view kind) {
    std::string resource;
    for (char c : kind)
        resource += char(std::tolower(static_cast<unsigned char>(c)));
    if (resource.ends_with('s'))
        return resource + "es";
    if (resource.ends_with('y'))
        return resource.substr(0, resource.size() - 1) + "ies";
    return resource + "s";
}

// `root` and the named object types reachable from it, in a stable order.
std::vector<const SchemaNode *> namedTypesFrom(const SchemaNode *root) {
    std::vector<const SchemaNode *> found;
    std::set<const SchemaNode *> seen;
    std::vector<const SchemaNode *> stack{root};
    while (!stack.empty()) {
        const SchemaNode *node = stack.back();
        stack.pop_back();
        if (!node || !seen.insert(node).second)
            continue;
        if ((node->type == SchemaType::Object && !node->name.empty()) || node == root)
            found.push_back(node);
        stack.push_back(node->element);
        for (auto it = node->fields.rbegin(); it != node->fields.rend(); ++it)
            stack.push_back(it->node);
    }
    return found;
}

// Component names for the set's named types and kind roots, unique across all documents.
class Namer {
public:
    explicit Namer(const SchemaSet &set) {
        const std::vector<GroupVersionKind> kinds = set.kinds();
        std::map<const SchemaNode *, std::set<std::string>> groups;
        std::map<const SchemaNode *, GroupVersionKind> firstUse;
        std::map<const SchemaNode *, GroupVersionKind> rootOf;
        std::vector<const SchemaNode *> order;
        for (const GroupVersionKind &gvk : kinds) {
            const SchemaNode *root = set.find(gvk.apiVersion(), gvk.kind);
            rootOf.emplace(root, gvk);
            for (const SchemaNode *type : namedTypesFrom(root)) {
                groups[type].insert(gvk.group);
                if (firstUse.emplace(type, gvk).second)
                    order.push_back(type);
            }
        }
        for (const SchemaNode *type : order) {
            std::string package;
            const auto root = rootOf.find(type);
            const std::string &shortName =
                type->name.empty() && root != rootOf.end() ? root->second.kind : type->name;
            if (root != rootOf.end()) {
                package = packageOf(root->second.group, root->second.version);
            } else if (isMetaType(type->name)) {
                package = "io.k8s.apimachinery.pkg.apis.meta.v1";
            } else {
                // A type of one group lives in that group's package; one that the core group
                // or several groups use is a core type (PodTemplateSpec, Container, ...).
                const std::set<std::string> &users = groups[type];
                const GroupVersionKind &first = firstUse[type];
                package =
                    users.size() == 1 ? packageOf(first.group, first.version) : packageOf("", "v1");
            }
            std::string name = package + "." + shortName;
            for (int n = 2; !m_taken.insert(name).second; ++n)
                name = package + "." + shortName + std::to_string(n);
            m_names.emplace(type, std::move(name));
        }
    }

    const std::string *nameOf(const SchemaNode *node) const {
        const auto it = m_names.find(node);
        return it == m_names.end() ? nullptr : &it->second;
    }

private:
    std::map<const SchemaNode *, std::string> m_names;
    std::set<std::string> m_taken;
};

Json refTo(const std::string &name) {
    // kube-apiserver wraps its references in allOf, so that siblings (default, ...) may follow.
    return {{"allOf", Json::array({{{"$ref", kSchemaPrefix + name}}})}};
}

// Writes the components of one document: every named type its kinds reach.
class DocumentWriter {
public:
    explicit DocumentWriter(const Namer &namer)
        : m_namer(namer) {}

    // The component name of `root`, written with everything it uses.
    std::string addRoot(const SchemaNode *root) {
        schemaOf(root);
        while (!m_pending.empty()) {
            const SchemaNode *node = m_pending.back();
            m_pending.pop_back();
            m_schemas[*m_namer.nameOf(node)] = inlineSchema(node);
        }
        return *m_namer.nameOf(root);
    }

    Json &schemas() {
        if (m_intOrString)
            m_schemas[kIntOrString] = {
                {"format", "int-or-string"},
                {"oneOf", Json::array({{{"type", "integer"}}, {{"type", "string"}}})}};
        if (m_quantity)
            m_schemas[kQuantity] = {
                {"oneOf", Json::array({{{"type", "string"}}, {{"type", "number"}}})}};
        return m_schemas;
    }

private:
    Json schemaOf(const SchemaNode *node) {
        if (!node)
            return Json::object();
        if (const std::string *name = m_namer.nameOf(node)) {
            if (m_written.insert(node).second)
                m_pending.push_back(node);
            Json ref = refTo(*name);
            if (node->nullable)
                ref["nullable"] = true;
            return ref;
        }
        return inlineSchema(node);
    }

    Json inlineSchema(const SchemaNode *node) {
        Json s = Json::object();
        // An unnamed type that contains itself can only be said as "anything" inline.
        if (!m_inline.insert(node).second)
            return {{"x-kubernetes-preserve-unknown-fields", true}};
        switch (node->type) {
        case SchemaType::Any:
            s["x-kubernetes-preserve-unknown-fields"] = true;
            break;
        case SchemaType::Object: {
            s["type"] = "object";
            Json properties = Json::object();
            Json required = Json::array();
            for (const SchemaField &f : node->fields) {
                properties[f.name] = schemaOf(f.node);
                if (f.required)
                    required.push_back(f.name);
            }
            if (!properties.empty())
                s["properties"] = std::move(properties);
            if (!required.empty())
                s["required"] = std::move(required);
            if (node->preserveUnknownFields)
                s["x-kubernetes-preserve-unknown-fields"] = true;
            else if (node->fields.empty())
                s["additionalProperties"] = false;
            break;
        }
        case SchemaType::Map:
            s = {{"type", "object"}, {"additionalProperties", schemaOf(node->element)}};
            break;
        case SchemaType::Array:
            s = {{"type", "array"}, {"items", schemaOf(node->element)}};
            break;
        case SchemaType::String:
        case SchemaType::Integer:
        case SchemaType::Number:
        case SchemaType::Boolean: {
            static constexpr std::array<const char *, 4> names{"string", "integer", "number",
                                                               "boolean"};
            s["type"] = names[std::size_t(node->type) - std::size_t(SchemaType::String)];
            if (!node->format.empty())
                s["format"] = node->format;
            if (!node->enumValues.empty())
                s["enum"] = node->enumValues;
            break;
        }
        case SchemaType::IntOrString:
            m_intOrString = true;
            s = refTo(kIntOrString);
            break;
        case SchemaType::Quantity:
            m_quantity = true;
            s = refTo(kQuantity);
            break;
        }
        if (node->nullable)
            s["nullable"] = true;
        m_inline.erase(node);
        return s;
    }

    const Namer &m_namer;
    Json m_schemas = Json::object();
    std::vector<const SchemaNode *> m_pending;
    std::set<const SchemaNode *> m_written;
    std::set<const SchemaNode *> m_inline;
    bool m_intOrString = false;
    bool m_quantity = false;
};

Json getOperation(const GroupVersionKind &gvk, const std::string &component, bool namespaced) {
    Json parameters = Json::array(
        {{{"name", "name"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}});
    if (namespaced)
        parameters.push_back({{"name", "namespace"},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}}}});
    const Json schema = {{"$ref", kSchemaPrefix + component}};
    return {{"get",
             {{"x-kubernetes-action", "get"},
              {"x-kubernetes-group-version-kind",
               {{"group", gvk.group}, {"version", gvk.version}, {"kind", gvk.kind}}},
              {"responses",
               {{"200",
                 {{"description", "OK"},
                  {"content", {{"application/json", {{"schema", schema}}}}}}}}}}},
            {"parameters", std::move(parameters)}};
}

} // namespace

std::string openApiV3Path(std::string_view group, std::string_view version) {
    return group.empty() ? "api/" + std::string(version)
                         : "apis/" + std::string(group) + "/" + std::string(version);
}

std::map<std::string, Json> exportOpenApiV3(const SchemaSet &set,
                                            const OpenApiExportOptions &options) {
    const Namer namer(set);
    std::map<std::string, std::vector<GroupVersionKind>> byPath;
    for (const GroupVersionKind &gvk : set.kinds())
        byPath[openApiV3Path(gvk.group, gvk.version)].push_back(gvk);

    std::map<std::string, Json> documents;
    for (const auto &[path, kinds] : byPath) {
        DocumentWriter writer(namer);
        Json paths = Json::object();
        std::vector<std::pair<std::string, const GroupVersionKind *>> roots;
        for (const GroupVersionKind &gvk : kinds) {
            const SchemaNode *root = set.find(gvk.apiVersion(), gvk.kind);
            const std::string component = writer.addRoot(root);
            roots.emplace_back(component, &gvk);
            const bool namespaced = set.isNamespaced(gvk.apiVersion(), gvk.kind);
            std::string resource = options.resourceOf ? options.resourceOf(gvk) : std::string();
            if (resource.empty())
                resource = guessResource(gvk.kind);
            paths["/" + path + (namespaced ? "/namespaces/{namespace}/" : "/") + resource +
                  "/{name}"] = getOperation(gvk, component, namespaced);
        }
        Json &schemas = writer.schemas();
        for (const auto &[component, gvk] : roots)
            schemas[component]["x-kubernetes-group-version-kind"].push_back(
                {{"group", gvk->group}, {"version", gvk->version}, {"kind", gvk->kind}});
        documents[path] = {{"openapi", "3.0.0"},
                           {"info", {{"title", "Kubernetes"}, {"version", options.serverVersion}}},
                           {"paths", std::move(paths)},
                           {"components", {{"schemas", std::move(schemas)}}}};
    }
    return documents;
}

Json openApiV3Index(const std::map<std::string, std::string> &hashByPath) {
    Json paths = Json::object();
    for (const auto &[path, hash] : hashByPath)
        paths[path] = {{"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash}};
    return {{"paths", std::move(paths)}};
}

} // namespace kd::manifest
