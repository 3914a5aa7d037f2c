#pragma once
// Shared by the schema import tests: walking a schema tree by path, a one-line description of a
// node, and comparing two trees by shape.

#include "manifest/schema.h"

#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace kd::testing {

// The node at a dotted path of fields; "[]" steps into an array's or map's element.
inline const manifest::SchemaNode *at(const manifest::SchemaNode *node, std::string_view path) {
    while (node && !path.empty()) {
        const std::size_t dot = path.find('.');
        const std::string_view step = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
        if (step == "[]") {
            node = node->element;
        } else {
            const manifest::SchemaField *field = node->field(step);
            node = field ? field->node : nullptr;
        }
    }
    return node;
}

// "string(date-time)", "[]integer(int32)", "map[quantity]", "string enum(A|B)?",
// "object+ {a!,b}" (+ keeps unknown fields, ? nullable, ! required).
inline std::string describe(const manifest::SchemaNode *node) {
    using manifest::SchemaType;
    if (!node)
        return "any";
    std::string s;
    switch (node->type) {
    case SchemaType::Any:
        s = "any";
        break;
    case SchemaType::Object:
        s = "object";
        break;
    case SchemaType::Map:
        s = "map[" + describe(node->element) + "]";
        break;
    case SchemaType::Array:
        s = "[]" + describe(node->element);
        break;
    case SchemaType::String:
        s = "string";
        break;
    case SchemaType::Integer:
        s = "integer";
        break;
    case SchemaType::Number:
        s = "number";
        break;
    case SchemaType::Boolean:
        s = "boolean";
        break;
    case SchemaType::IntOrString:
        s = "int-or-string";
        break;
    case SchemaType::Quantity:
        s = "quantity";
        break;
    }
    if (!node->format.empty() && node->type != SchemaType::IntOrString)
        s += "(" + node->format + ")";
    if (!node->enumValues.empty()) {
        s += " enum(";
        for (std::size_t i = 0; i < node->enumValues.size(); ++i)
            s += (i ? "|" : "") + node->enumValues[i];
        s += ")";
    }
    if (node->preserveUnknownFields)
        s += "+";
    if (node->nullable)
        s += "?";
    if (node->type == SchemaType::Object && !node->fields.empty()) {
        s += " {";
        for (std::size_t i = 0; i < node->fields.size(); ++i)
            s += (i ? "," : "") + node->fields[i].name + (node->fields[i].required ? "!" : "");
        s += "}";
    }
    return s;
}

// Whether two trees have the same shape (types, formats, enums, names, fields, required-ness),
// following cycles once. On a difference, *where says the path to it.
inline bool sameShape(
    const manifest::SchemaNode *a, const manifest::SchemaNode *b, std::string *where,
    std::set<std::pair<const manifest::SchemaNode *, const manifest::SchemaNode *>> *seen = nullptr,
    const std::string &path = "") {
    std::set<std::pair<const manifest::SchemaNode *, const manifest::SchemaNode *>> own;
    if (!seen)
        seen = &own;
    if (a == b || !seen->insert({a, b}).second)
        return true;
    // A missing element means "anything", as an Any node does.
    const bool aAny = !a || (a->type == manifest::SchemaType::Any && !a->nullable);
    const bool bAny = !b || (b->type == manifest::SchemaType::Any && !b->nullable);
    if (aAny && bAny)
        return true;
    const bool same = a && b && describe(a) == describe(b) &&
                      (a->type != manifest::SchemaType::Object || a->name == b->name);
    if (!same) {
        *where = (path.empty() ? "(root)" : path) + ": " + describe(a) + " " + (a ? a->name : "") +
                 " vs " + describe(b) + " " + (b ? b->name : "");
        return false;
    }
    if (!sameShape(a->element, b->element, where, seen, path + ".[]"))
        return false;
    for (std::size_t i = 0; i < a->fields.size(); ++i) {
        if (!sameShape(a->fields[i].node, b->fields[i].node, where, seen,
                       path + "." + a->fields[i].name))
            return false;
    }
    return true;
}

} // namespace kd::testing
