#include "manifest/jsonschema.h"

#include <algorithm>
#include <stdexcept>

namespace kd::manifest {

using Json = nlohmann::json;

namespace {

class ImportFailure final : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string inQuotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// "io.k8s.api.apps.v1.Deployment" -> "Deployment": the name messages use for a type.
std::string shortName(std::string_view definition) {
    const std::size_t dot = definition.rfind('.');
    return std::string(dot == std::string_view::npos ? definition : definition.substr(dot + 1));
}

// The last segment of a $ref, without JSON-pointer escapes.
std::string refName(std::string_view ref) {
    const std::size_t slash = ref.find_last_of("/#");
    std::string name(slash == std::string_view::npos ? ref : ref.substr(slash + 1));
    for (std::size_t at = name.find('~'); at != std::string::npos && at + 1 < name.size();
         at = name.find('~', at + 1))
        name.replace(at, 2, name[at + 1] == '1' ? "/" : "~");
    return name;
}

// Keywords that give a schema a shape of its own; without any, `allOf: [X]` is just X.
bool hasShape(const Json &schema) {
    static constexpr const char *keys[] = {"type",
                                           "properties",
                                           "items",
                                           "additionalProperties",
                                           "enum",
                                           "format",
                                           "oneOf",
                                           "anyOf",
                                           "x-kubernetes-int-or-string",
                                           "x-kubernetes-preserve-unknown-fields",
                                           "x-kubernetes-embedded-resource"};
    return std::any_of(std::begin(keys), std::end(keys),
                       [&](const char *key) { return schema.contains(key); });
}

bool isAlias(const Json &schema) {
    if (!schema.is_object())
        return false;
    if (schema.contains("$ref"))
        return true;
    const auto allOf = schema.find("allOf");
    return allOf != schema.end() && allOf->is_array() && allOf->size() == 1 && !hasShape(schema);
}

// controller-gen's pattern for resource.Quantity fields of a CRD (an int-or-string).
bool looksLikeQuantity(const Json &schema) {
    const auto pattern = schema.find("pattern");
    return pattern != schema.end() && pattern->is_string() &&
           pattern->get_ref<const std::string &>().find("[KMGTPE]i") != std::string::npos;
}

bool isSorted(const SchemaNode &node) {
    return std::is_sorted(
        node.fields.begin(), node.fields.end(),
        [](const SchemaField &a, const SchemaField &b) { return a.name < b.name; });
}

void sortFields(SchemaNode &node) {
    if (!isSorted(node))
        std::sort(node.fields.begin(), node.fields.end(),
                  [](const SchemaField &a, const SchemaField &b) { return a.name < b.name; });
}

SchemaField *findField(SchemaNode &node, std::string_view name) {
    const auto it = std::find_if(node.fields.begin(), node.fields.end(),
                                 [&](const SchemaField &f) { return f.name == name; });
    return it == node.fields.end() ? nullptr : &*it;
}

// The built-in ObjectMeta, shared: the built-in set lives as long as the program.
const SchemaNode *builtinObjectMeta() {
    static const SchemaNode *const meta = []() -> const SchemaNode * {
        const SchemaSet &builtin = builtinSchemas();
        for (const GroupVersionKind &gvk : builtin.kinds()) {
            const SchemaNode *root = builtin.find(gvk.apiVersion(), gvk.kind);
            const SchemaField *field = root ? root->field("metadata") : nullptr;
            if (field && field->node && field->node->name == "ObjectMeta")
                return field->node;
        }
        return nullptr;
    }();
    return meta;
}

} // namespace

void JsonSchemaImporter::fail(const std::string &message) const {
    // The path from the innermost $ref (or the root) down to the schema at fault.
    auto start = std::find_if(m_path.rbegin(), m_path.rend(),
                              [](const std::string &s) { return s.starts_with('#'); });
    std::string where;
    for (auto it = start == m_path.rend() ? m_path.begin() : std::prev(start.base());
         it != m_path.end(); ++it)
        where += (where.empty() ? "" : "/") + *it;
    throw ImportFailure(where.empty() ? message : where + ": " + message);
}

bool JsonSchemaImporter::flag(const Json &schema, const char *key) const {
    const auto it = schema.find(key);
    if (it == schema.end() || it->is_null())
        return false;
    if (!it->is_boolean())
        fail(std::string(key) + " must be true or false, not " + it->type_name());
    return it->get<bool>();
}

std::string JsonSchemaImporter::text(const Json &schema, const char *key) const {
    const auto it = schema.find(key);
    if (it == schema.end() || it->is_null())
        return {};
    if (!it->is_string())
        fail(std::string(key) + " must be a string, not " + it->type_name());
    return it->get<std::string>();
}

std::string JsonSchemaImporter::pointerSegment(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

SchemaNode *JsonSchemaImporter::anyNode() {
    if (!m_any)
        m_any = m_set.newNode();
    return m_any;
}

SchemaNode *JsonSchemaImporter::scalarNode(SchemaType type, std::string format) {
    SchemaNode *node = m_set.newNode();
    node->type = type;
    node->format = std::move(format);
    return node;
}

void JsonSchemaImporter::remember(const std::string &ref, SchemaNode *node) {
    m_refs.emplace(ref, node);
    m_addedRefs.push_back(ref);
}

void JsonSchemaImporter::rollBack() {
    // Nodes of a failed import may be half filled: later imports must not share them.
    for (const std::string &ref : m_addedRefs)
        m_refs.erase(ref);
    m_addedRefs.clear();
    m_resolving.clear();
    m_path.clear();
}

SchemaNode *JsonSchemaImporter::convert(const Json &schema, int depth) {
    if (depth > maxDepth)
        fail("the schema nests deeper than " + std::to_string(maxDepth) + " levels");
    if (schema.is_boolean()) // `true` allows anything; `false` nothing, which no manifest wants
        return anyNode();
    if (!schema.is_object())
        fail(std::string("expected a schema (a JSON object), found ") + schema.type_name());
    if (const auto ref = schema.find("$ref"); ref != schema.end())
        return resolveRef(*ref, depth + 1);
    if (isAlias(schema)) {
        Step step(m_path, "allOf/0");
        return convert(schema["allOf"][0], depth + 1);
    }
    SchemaNode *node = m_set.newNode();
    fill(*node, schema, depth);
    return node;
}

SchemaNode *JsonSchemaImporter::resolveRef(const Json &refValue, int depth) {
    if (!refValue.is_string())
        fail(std::string("$ref must be a string, not ") + refValue.type_name());
    const std::string &ref = refValue.get_ref<const std::string &>();
    if (const auto known = m_refs.find(ref); known != m_refs.end())
        return known->second;
    // Kubernetes' own scalars, wherever they are defined (also kubeconform's _definitions.json).
    const std::string name = refName(ref);
    SchemaNode *scalar = nullptr;
    if (name == "io.k8s.apimachinery.pkg.api.resource.Quantity")
        scalar = scalarNode(SchemaType::Quantity);
    else if (name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString")
        scalar = scalarNode(SchemaType::IntOrString, "int-or-string");
    else if (name == "io.k8s.apimachinery.pkg.apis.meta.v1.Time" ||
             name == "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime")
        scalar = scalarNode(SchemaType::String, "date-time");
    if (scalar) {
        remember(ref, scalar);
        return scalar;
    }
    if (!ref.starts_with('#'))
        fail("$ref " + inQuotes(ref) +
             " points outside this file (use standalone schemas, which inline everything)");
    const Json *target = nullptr;
    try {
        const Json::json_pointer pointer(ref.substr(1));
        if (m_document->contains(pointer))
            target = &m_document->at(pointer);
    } catch (const Json::exception &) {
        fail("$ref " + inQuotes(ref) + " is not a JSON pointer");
    }
    if (!target)
        fail("$ref " + inQuotes(ref) + " points to nothing");
    if (m_resolving.count(ref))
        fail("$ref " + inQuotes(ref) + " refers to itself through $refs alone");
    Step step(m_path, ref);
    if (isAlias(*target)) {
        m_resolving.insert(ref);
        SchemaNode *node = convert(*target, depth + 1);
        m_resolving.erase(ref);
        remember(ref, node);
        return node;
    }
    // Remembered before it is filled, so that a recursive type refers to itself.
    SchemaNode *node = m_set.newNode();
    remember(ref, node);
    fill(*node, *target, depth + 1);
    if (node->type == SchemaType::Object && node->name.empty())
        node->name = shortName(name);
    return node;
}

void JsonSchemaImporter::fill(SchemaNode &node, const Json &schema, int depth) {
    std::vector<std::string> types;
    if (const auto type = schema.find("type"); type != schema.end() && !type->is_null()) {
        const Json list = type->is_array() ? *type : Json::array({*type});
        for (const Json &t : list) {
            if (!t.is_string())
                fail("type must be a string or an array of strings");
            if (t == "null")
                node.nullable = true;
            else
                types.push_back(t.get<std::string>());
        }
    }
    node.nullable = node.nullable || flag(schema, "nullable");
    node.format = text(schema, "format");
    std::sort(types.begin(), types.end());
    std::string type = types.size() == 1 ? types.front() : std::string();
    if (flag(schema, "x-kubernetes-int-or-string") || node.format == "int-or-string") {
        type = looksLikeQuantity(schema) ? "quantity" : "int-or-string";
    } else if (types.size() > 1) {
        // Kubernetes spells its two number-or-string scalars as type lists too.
        if (types == std::vector<std::string>{"integer", "string"})
            type = "int-or-string";
        else if (types == std::vector<std::string>{"number", "string"})
            type = "quantity";
        else if (types == std::vector<std::string>{"integer", "number"})
            type = "number";
        else
            type = "any";
    } else if (type.empty()) {
        if (schema.contains("properties") || schema.contains("additionalProperties"))
            type = "object";
        else if (schema.contains("items"))
            type = "array";
    }

    if (type == "object") {
        fillObject(node, schema, depth);
    } else if (type == "array") {
        node.type = SchemaType::Array;
        node.format.clear();
        if (const auto items = schema.find("items"); items != schema.end()) {
            Step step(m_path, "items");
            if (items->is_object() || items->is_boolean())
                node.element = convert(*items, depth + 1);
            else if (!items->is_array()) // a tuple: its items differ, so any element goes
                fail(std::string("items must be a schema, not ") + items->type_name());
        }
    } else if (type == "string") {
        node.type = SchemaType::String;
    } else if (type == "integer") {
        node.type = SchemaType::Integer;
    } else if (type == "number") {
        node.type = SchemaType::Number;
    } else if (type == "boolean") {
        node.type = SchemaType::Boolean;
    } else if (type == "int-or-string") {
        node.type = SchemaType::IntOrString;
        node.format = "int-or-string";
    } else if (type == "quantity") {
        node.type = SchemaType::Quantity;
        node.format.clear();
    } else if (!type.empty() && type != "any") {
        fail("unknown type " + inQuotes(type));
    } else if (types.empty() && !flag(schema, "x-kubernetes-preserve-unknown-fields") &&
               (schema.contains("oneOf") || schema.contains("anyOf"))) {
        // Branches decide only for a schema without a shape of its own; next to a type they
        // are constraints (e.g. "one of these fields is required").
        fillFromBranches(node, schema.contains("oneOf") ? schema["oneOf"] : schema["anyOf"], depth);
    }

    if (const auto values = schema.find("enum"); values != schema.end()) {
        if (!values->is_array())
            fail("enum must be an array");
        const bool strings = std::all_of(values->begin(), values->end(), [](const Json &v) {
            return v.is_string() || v.is_null();
        });
        if (strings && (node.type == SchemaType::String || node.type == SchemaType::Any)) {
            node.type = SchemaType::String;
            for (const Json &v : *values)
                if (v.is_string())
                    node.enumValues.push_back(v.get<std::string>());
        }
    }
    if (node.type == SchemaType::Any || node.type == SchemaType::Boolean)
        node.format.clear();

    if (const auto allOf = schema.find("allOf"); allOf != schema.end()) {
        if (!allOf->is_array())
            fail("allOf must be an array");
        for (std::size_t i = 0; i < allOf->size(); ++i) {
            Step step(m_path, "allOf/" + std::to_string(i));
            mergeInto(node, *convert((*allOf)[i], depth + 1));
        }
    }
    sortFields(node);
}

void JsonSchemaImporter::fillObject(SchemaNode &node, const Json &schema, int depth) {
    node.type = SchemaType::Object;
    node.format.clear();
    const auto properties = schema.find("properties");
    if (properties != schema.end() && !properties->is_null()) {
        if (!properties->is_object())
            fail(std::string("properties must be an object, not ") + properties->type_name());
        node.fields.reserve(properties->size());
        for (const auto &[name, property] : properties->items()) {
            Step step(m_path, "properties/" + pointerSegment(name));
            node.fields.push_back(SchemaField{name, convert(property, depth + 1), false});
        }
    }
    if (const auto required = schema.find("required"); required != schema.end()) {
        if (!required->is_array())
            fail("required must be an array of field names");
        for (const Json &name : *required) {
            if (!name.is_string())
                fail("required must be an array of field names");
            if (SchemaField *field = findField(node, name.get_ref<const std::string &>()))
                field->required = true;
        }
    }
    const auto extra = schema.find("additionalProperties");
    const bool hasExtra = extra != schema.end() && !extra->is_null();
    if (hasExtra && !extra->is_boolean() && !extra->is_object())
        fail(std::string("additionalProperties must be a schema or a boolean, not ") +
             extra->type_name());
    const bool embedded = flag(schema, "x-kubernetes-embedded-resource");
    if (!node.fields.empty() || embedded) {
        // Named fields; extra ones are kept only when the schema says so.
        node.preserveUnknownFields = hasExtra && (extra->is_object() || extra->get<bool>());
    } else if (hasExtra && extra->is_object()) {
        node.type = SchemaType::Map;
        Step step(m_path, "additionalProperties");
        node.element = convert(*extra, depth + 1);
    } else {
        // A free-form object (RawExtension, FieldsV1, `type: object` alone) unless it says
        // `additionalProperties: false`.
        node.preserveUnknownFields = !hasExtra || extra->get<bool>();
    }
    if (flag(schema, "x-kubernetes-preserve-unknown-fields") && node.type == SchemaType::Object)
        node.preserveUnknownFields = true;
    if (embedded)
        addResourceFields(node);
}

void JsonSchemaImporter::fillFromBranches(SchemaNode &node, const Json &branches, int depth) {
    if (!branches.is_array())
        fail("oneOf and anyOf must be arrays");
    std::vector<const SchemaNode *> nodes;
    for (std::size_t i = 0; i < branches.size(); ++i) {
        Step step(m_path, "oneOf/" + std::to_string(i));
        const SchemaNode *branch = convert(branches[i], depth + 1);
        node.nullable = node.nullable || branch->nullable;
        if (branch->type != SchemaType::Any) // `{type: null}` or a bare constraint
            nodes.push_back(branch);
    }
    if (nodes.empty())
        return;
    std::vector<SchemaType> types;
    for (const SchemaNode *n : nodes)
        types.push_back(n->type);
    std::sort(types.begin(), types.end());
    types.erase(std::unique(types.begin(), types.end()), types.end());
    const bool nullable = node.nullable;
    if (types.size() == 1) {
        node = *nodes.front();
        for (const SchemaNode *other : nodes) {
            if (other->format != node.format)
                node.format.clear();
            if (other->element != node.element)
                node.element = nullptr;
            if (other->enumValues.empty() || node.enumValues.empty()) {
                node.enumValues.clear();
            } else {
                for (const std::string &v : other->enumValues)
                    if (std::find(node.enumValues.begin(), node.enumValues.end(), v) ==
                        node.enumValues.end())
                        node.enumValues.push_back(v);
            }
            if (other != nodes.front() && node.type == SchemaType::Object) {
                // Different objects: any of their fields, none of them required.
                node.name.clear();
                node.preserveUnknownFields |= other->preserveUnknownFields;
                for (const SchemaField &f : other->fields)
                    if (!findField(node, f.name))
                        node.fields.push_back(f);
            }
        }
        if (node.type == SchemaType::Object && nodes.size() > 1)
            for (SchemaField &f : node.fields)
                f.required = false;
    } else if (types == std::vector{SchemaType::String, SchemaType::Integer}) {
        node.type = SchemaType::IntOrString;
        node.format = "int-or-string";
    } else if (types == std::vector{SchemaType::String, SchemaType::Number}) {
        node.type = SchemaType::Quantity;
    } else if (types == std::vector{SchemaType::Integer, SchemaType::Number}) {
        node.type = SchemaType::Number;
    }
    node.nullable = nullable || node.nullable;
}

void JsonSchemaImporter::mergeInto(SchemaNode &node, const SchemaNode &branch) const {
    if (&node == &branch || branch.type == SchemaType::Any)
        return;
    if (node.type == SchemaType::Any && node.fields.empty()) {
        const bool nullable = node.nullable;
        node = branch;
        node.nullable = nullable || branch.nullable;
        return;
    }
    if (node.type == SchemaType::Object && branch.type == SchemaType::Object) {
        node.preserveUnknownFields = node.preserveUnknownFields || branch.preserveUnknownFields;
        if (node.name.empty())
            node.name = branch.name;
        for (const SchemaField &f : branch.fields) {
            if (SchemaField *mine = findField(node, f.name))
                mine->required = mine->required || f.required;
            else
                node.fields.push_back(f);
        }
    } else if (node.type == branch.type) {
        if (node.enumValues.empty())
            node.enumValues = branch.enumValues;
        if (node.format.empty())
            node.format = branch.format;
        if (!node.element)
            node.element = branch.element;
    }
    // Branches of different types can never all hold: keep the schema's own shape.
}

void JsonSchemaImporter::addResourceFields(SchemaNode &node) {
    node.type = SchemaType::Object;
    for (const char *name : {"apiVersion", "kind"})
        if (!findField(node, name))
            node.fields.push_back(SchemaField{name, scalarNode(SchemaType::String), false});
    const SchemaNode *meta = builtinObjectMeta();
    if (!meta) {
        SchemaNode *open = m_set.newNode();
        open->type = SchemaType::Object;
        open->name = "ObjectMeta";
        open->preserveUnknownFields = true;
        meta = open;
    }
    // CRDs say `metadata: {type: object}`; the API server checks it as ObjectMeta all the same.
    SchemaField *metadata = findField(node, "metadata");
    if (!metadata)
        node.fields.push_back(SchemaField{"metadata", meta, false});
    else if (!metadata->node || metadata->node->type == SchemaType::Any ||
             (metadata->node->type == SchemaType::Object && metadata->node->fields.empty()))
        metadata->node = meta;
    sortFields(node);
}

SchemaNode *JsonSchemaImporter::importSchema(const Json &schema, const Json &document,
                                             std::string *error) {
    m_document = &document;
    m_addedRefs.clear();
    m_path.assign(1, "#");
    try {
        SchemaNode *node = convert(schema, 0);
        m_addedRefs.clear();
        m_path.clear();
        return node;
    } catch (const std::exception &e) {
        if (error)
            *error = e.what();
        rollBack();
        return nullptr;
    }
}

} // namespace kd::manifest
