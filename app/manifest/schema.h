#pragma once
// The structural schemas `kubedeck lint` and the editor validate against: one small tree model
// that the built-in catalogue (resources/schemas/*.kds), a cluster's OpenAPI v3 documents and
// kubeconform-style JSON schema directories are all loaded into.

#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

enum class SchemaType {
    Any,    // anything goes (RawExtension, free-form JSON, a schema that says nothing)
    Object, // named fields
    Map,    // string keys, values of one type (additionalProperties)
    Array,  // items of one type
    String,
    Integer, // format says int32/int64
    Number,
    Boolean,
    IntOrString, // intstr.IntOrString
    Quantity,    // resource.Quantity: a number or a quantity string
};

struct SchemaNode;

struct SchemaField {
    std::string name;
    const SchemaNode *node = nullptr;
    bool required = false;
};

struct SchemaNode {
    SchemaType type = SchemaType::Any;
    std::string name;   // the type's name for Object nodes ("Container", or a definition name)
    std::string format; // int32, int64, double, date-time, byte, ... ("" when none)
    std::vector<SchemaField> fields;     // Object: sorted by name
    const SchemaNode *element = nullptr; // Array items and Map values; null means Any
    std::vector<std::string> enumValues; // allowed values of a String (empty: any)
    bool preserveUnknownFields = false;  // an Object that also accepts fields it does not list
    bool nullable = false;

    // Binary search in fields; nullptr when there is no such field.
    const SchemaField *field(std::string_view fieldName) const;
};

// "apps/v1" + "Deployment"; group "" is the core group.
struct GroupVersionKind {
    std::string group;
    std::string version;
    std::string kind;

    std::string apiVersion() const; // "apps/v1", or "v1" for the core group
    static GroupVersionKind fromApiVersion(std::string_view apiVersion, std::string_view kind);
    auto operator<=>(const GroupVersionKind &) const = default;
};

// Owns a set of schema nodes and knows which top-level kinds they describe. Nodes never move
// once added, so pointers between them stay valid.
class SchemaSet {
public:
    SchemaSet() = default;
    SchemaSet(SchemaSet &&) noexcept = default;
    SchemaSet &operator=(SchemaSet &&) noexcept = default;
    SchemaSet(const SchemaSet &) = delete;
    SchemaSet &operator=(const SchemaSet &) = delete;

    SchemaNode *newNode(); // owned by this set
    void addKind(const GroupVersionKind &gvk, const SchemaNode *root, bool namespaced = true);

    const SchemaNode *find(std::string_view apiVersion, std::string_view kind) const;
    bool isNamespaced(std::string_view apiVersion, std::string_view kind) const;
    std::vector<GroupVersionKind> kinds() const;
    std::size_t nodeCount() const { return m_nodes.size(); }

    // Where the set came from, for messages: "built-in", "cluster (v1.30.2)", "--schema-dir x".
    std::string source;

private:
    struct KindEntry {
        const SchemaNode *root = nullptr;
        bool namespaced = true;
    };
    std::deque<SchemaNode> m_nodes;
    std::map<std::string, KindEntry, std::less<>> m_kinds; // key: apiVersion + "/" + kind
};

// The built-in catalogue, parsed once from the embedded resources/schemas/*.kds files.
// Thread-safe.
const SchemaSet &builtinSchemas();

// Looks a kind up in several sources, in the order they were added; the first that knows the
// kind wins (e.g. --schema-dir, then the cluster's OpenAPI, then the built-in catalogue).
class SchemaCatalog {
public:
    void add(std::shared_ptr<const SchemaSet> set);
    // A source that loads on demand (e.g. a schema directory).
    struct Lazy {
        virtual ~Lazy() = default;
        virtual const SchemaNode *find(std::string_view apiVersion, std::string_view kind) = 0;
        // Where it reads from, for messages: "--schema-dir crds/".
        virtual std::string sourceName() const = 0;
    };
    void addLazy(std::shared_ptr<Lazy> lazy);

    // The schema of apiVersion/kind and the source it came from; nullptr when none has it.
    const SchemaNode *find(std::string_view apiVersion, std::string_view kind,
                           std::string *source = nullptr) const;

    // Adds builtinSchemas() as the next source (borrowed: it lives for the whole program).
    void addBuiltin();

    // Built-in catalogue only.
    static SchemaCatalog builtin();

private:
    struct Source {
        std::shared_ptr<const SchemaSet> set; // one of the two
        std::shared_ptr<Lazy> lazy;
    };
    std::vector<Source> m_sources;
};

} // namespace kd::manifest
