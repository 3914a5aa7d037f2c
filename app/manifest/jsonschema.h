#pragma once
// Reads JSON Schema and OpenAPI v3 schemas into a SchemaSet: a kube-apiserver's /openapi/v3
// documents (components.schemas), Swagger 2.0 / JSON Schema `definitions`, kubeconform's
// standalone files (draft-04 style, everything inlined) and a CRD's openAPIV3Schema.
//
// What becomes what: `type` (also ["string","null"] and `nullable`), properties + required,
// items, additionalProperties (a schema on an object without properties: a Map; `true` or absent
// there: an object that keeps unknown fields), enum (strings), format, $ref (`#/...` pointers,
// shared by name, so recursive types terminate), allOf (merged), oneOf/anyOf (Any unless the
// branches agree; string|integer is IntOrString and string|number a Quantity, as Kubernetes
// spells them) and the x-kubernetes-* extensions. Quantity, IntOrString and Time are recognised
// by their definition names. Hostile schemas (cycles, deep nesting, wrong JSON types) give an
// error message, never a crash.

#include "manifest/schema.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

class JsonSchemaImporter final {
public:
    explicit JsonSchemaImporter(SchemaSet &into)
        : m_set(into) {}

    // An OpenAPI v3 document (components.schemas) or a Swagger 2.0 / JSON Schema document
    // (definitions): every schema with x-kubernetes-group-version-kind becomes a kind. A kind is
    // namespaced when one of the document's paths for it has {namespace}, cluster-scoped when
    // paths name it but none has, and namespaced when no path names it. Schemas are shared by
    // $ref with the earlier documents of this importer (kube-apiserver's names are global). On
    // failure returns false with *error, and the set gains no kinds from this document.
    bool importDocument(const nlohmann::json &document, std::string *error);

    // The node of one schema whose $refs point into `document` (which may be the schema
    // itself); nullptr with *error on failure.
    SchemaNode *importSchema(const nlohmann::json &schema, const nlohmann::json &document,
                             std::string *error);

    // Gives `node` (one of this set's) the fields the API server adds to every resource:
    // apiVersion, kind and metadata as ObjectMeta when missing or said as a bare object.
    void addResourceFields(SchemaNode &node);

    // Nesting of schemas (properties, items, $ref hops) beyond this is refused.
    static constexpr int maxDepth = 256;

private:
    SchemaNode *convert(const nlohmann::json &schema, int depth);
    SchemaNode *resolveRef(const nlohmann::json &ref, int depth);
    void fill(SchemaNode &node, const nlohmann::json &schema, int depth);
    void fillObject(SchemaNode &node, const nlohmann::json &schema, int depth);
    void fillFromBranches(SchemaNode &node, const nlohmann::json &branches, int depth);
    void mergeInto(SchemaNode &node, const SchemaNode &branch) const;
    SchemaNode *anyNode();
    SchemaNode *scalarNode(SchemaType type, std::string format = {});
    // Reading keywords; a keyword of the wrong JSON type fails.
    bool flag(const nlohmann::json &schema, const char *key) const;
    std::string text(const nlohmann::json &schema, const char *key) const;
    [[noreturn]] void fail(const std::string &message) const;
    void remember(const std::string &ref, SchemaNode *node);
    void rollBack();

    // One segment of the path to the schema being read, for messages.
    struct Step {
        Step(std::vector<std::string> &path, std::string segment)
            : m_path(path) {
            m_path.push_back(std::move(segment));
        }
        ~Step() { m_path.pop_back(); }
        Step(const Step &) = delete;
        Step &operator=(const Step &) = delete;

    private:
        std::vector<std::string> &m_path;
    };
    static std::string pointerSegment(std::string_view name); // JSON-pointer escapes

    SchemaSet &m_set;
    const nlohmann::json *m_document = nullptr;
    std::map<std::string, SchemaNode *, std::less<>> m_refs;
    std::set<std::string, std::less<>> m_resolving; // $refs to $refs being followed
    std::vector<std::string> m_addedRefs;           // m_refs entries of the current call
    std::vector<std::string> m_path;                // "#/..." starts a $ref
    SchemaNode *m_any = nullptr;
};

// A kubeconform-style standalone file whose root schema describes `gvk` (registered
// namespaced). nullptr with *error when the file is no usable schema.
const SchemaNode *importStandaloneSchema(const nlohmann::json &file, const GroupVersionKind &gvk,
                                         SchemaSet &into, std::string *error);

// A CustomResourceDefinition (apiextensions.k8s.io/v1, or v1beta1's spec.validation): each
// served version's openAPIV3Schema becomes a kind, namespaced unless spec.scope is Cluster.
// apiVersion, kind and metadata (as ObjectMeta) are added to the root when the schema leaves
// them out, as the API server does. Appends the kinds to *added when given.
bool importCustomResourceDefinition(const nlohmann::json &crd, SchemaSet &into, std::string *error,
                                    std::vector<GroupVersionKind> *added = nullptr);

} // namespace kd::manifest
