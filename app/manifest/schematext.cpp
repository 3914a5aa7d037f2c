#include "manifest/schematext.h"

#include <algorithm>
#include <array>

namespace kd::manifest {

namespace {

struct ScalarSpelling {
    std::string_view name;
    SchemaType type;
    std::string_view format;
};

// The formats are those of the OpenAPI documents, so nodes read from either look alike.
constexpr std::array<ScalarSpelling, 10> kScalars{{
    {"string", SchemaType::String, ""},
    {"int32", SchemaType::Integer, "int32"},
    {"int64", SchemaType::Integer, "int64"},
    {"number", SchemaType::Number, "double"},
    {"boolean", SchemaType::Boolean, ""},
    {"quantity", SchemaType::Quantity, ""},
    {"int-or-string", SchemaType::IntOrString, "int-or-string"},
    {"time", SchemaType::String, "date-time"},
    {"bytes", SchemaType::String, "byte"},
    {"any", SchemaType::Any, ""},
}};

const ScalarSpelling *findScalar(std::string_view name) {
    for (const ScalarSpelling &s : kScalars) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

bool isSpace(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && (isSpace(s.back()) || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Splits off the first whitespace-separated word of s.
std::string_view nextWord(std::string_view &s) {
    s = trim(s);
    std::size_t end = 0;
    while (end < s.size() && !isSpace(s[end]))
        ++end;
    const std::string_view word = s.substr(0, end);
    s = trim(s.substr(end));
    return word;
}

bool isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Type names are Go type names: a capital letter, then letters and digits.
bool isTypeName(std::string_view s) {
    if (s.empty() || !(s.front() >= 'A' && s.front() <= 'Z'))
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return isLetter(c) || isDigit(c); });
}

// JSON field names as Kubernetes spells them (also `$ref`, `x-kubernetes-...`, `a.b`).
bool isFieldName(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return isLetter(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '$';
    });
}

bool fail(std::string *error, const std::string &where, const std::string &message) {
    if (error)
        *error = where + ": " + message;
    return false;
}

std::string inQuotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// "A|B|\"\"" -> {"A", "B", ""}; false on an empty or duplicate value.
bool parseEnumValues(std::string_view list, std::vector<std::string> &values,
                     std::string &problem) {
    while (true) {
        const std::size_t bar = list.find('|');
        std::string_view value = trim(list.substr(0, bar));
        if (value == "\"\"") {
            value = {};
        } else if (value.empty()) {
            problem = "an enum value is missing (write \"\" for the empty string)";
            return false;
        } else if (value.find_first_of("\" ") != std::string_view::npos) {
            problem = "bad enum value " + inQuotes(value);
            return false;
        }
        if (std::find(values.begin(), values.end(), value) != values.end()) {
            problem = "duplicate enum value " + inQuotes(value);
            return false;
        }
        values.emplace_back(value);
        if (bar == std::string_view::npos)
            return true;
        list.remove_prefix(bar + 1);
    }
}

} // namespace

bool SchemaTextParser::parse(std::string_view text, std::string_view fileName, std::string *error) {
    int lineNumber = 0;
    bool ok = true;
    while (ok && !text.empty()) {
        const std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
        ++lineNumber;
        line = line.substr(0, line.find('#'));
        if (trim(line).empty())
            continue;
        ok = parseLine(line, std::string(fileName) + ":" + std::to_string(lineNumber), error);
    }
    closeType(); // a type's fields end with its file
    return ok;
}

bool SchemaTextParser::finish(std::string *error) {
    for (const auto &[name, entry] : m_types) {
        if (entry.definedAt.empty())
            return fail(error, entry.firstUse, "unknown type " + inQuotes(name));
    }
    return true;
}

bool SchemaTextParser::parseLine(std::string_view line, const std::string &where,
                                 std::string *error) {
    if (isSpace(line.front())) {
        if (!m_current)
            return fail(error, where, "a field outside a type (fields follow `type Name`)");
        return parseField(trim(line), where, error);
    }
    closeType();
    std::string_view rest = line;
    const std::string_view keyword = nextWord(rest);
    if (keyword == "type")
        return parseType(rest, where, error);
    if (keyword == "kind")
        return parseKind(rest, where, error);
    return fail(error, where,
                "expected `type`, `kind` or an indented field, found " + inQuotes(keyword));
}

bool SchemaTextParser::parseType(std::string_view rest, const std::string &where,
                                 std::string *error) {
    const std::string_view name = nextWord(rest);
    const std::string_view option = nextWord(rest);
    if (!isTypeName(name)) {
        return fail(error, where,
                    "bad type name " + inQuotes(name) +
                        " (a capital letter, then letters and digits)");
    }
    if (!rest.empty() || (!option.empty() && option != "open"))
        return fail(error, where, "expected `type Name` or `type Name open`");
    SchemaNode *node = namedType(name, where);
    TypeEntry &entry = m_types.find(name)->second;
    if (!entry.definedAt.empty()) {
        return fail(error, where,
                    "type " + inQuotes(name) + " is already defined at " + entry.definedAt);
    }
    entry.definedAt = where;
    node->preserveUnknownFields = option == "open";
    m_current = node;
    return true;
}

bool SchemaTextParser::parseKind(std::string_view rest, const std::string &where,
                                 std::string *error) {
    const std::string_view apiVersion = nextWord(rest);
    const std::string_view kind = nextWord(rest);
    const std::string_view scope = nextWord(rest);
    const std::string_view equals = nextWord(rest);
    const std::string_view type = nextWord(rest);
    const bool scopeOk = scope == "namespaced" || scope == "cluster";
    if (apiVersion.empty() || std::count(apiVersion.begin(), apiVersion.end(), '/') > 1 ||
        !isTypeName(kind) || !scopeOk || equals != "=" || !isTypeName(type) || !rest.empty()) {
        return fail(error, where, "expected `kind apiVersion Kind namespaced|cluster = Type`");
    }
    if (m_set.find(apiVersion, kind))
        return fail(error, where,
                    "kind " + std::string(apiVersion) + " " + std::string(kind) +
                        " is already defined");
    m_set.addKind(GroupVersionKind::fromApiVersion(apiVersion, kind), namedType(type, where),
                  scope == "namespaced");
    return true;
}

bool SchemaTextParser::parseField(std::string_view line, const std::string &where,
                                  std::string *error) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return fail(error, where, "expected `name: type`");
    const std::string_view name = trim(line.substr(0, colon));
    if (!isFieldName(name))
        return fail(error, where, "bad field name " + inQuotes(name));
    std::string_view rest = line.substr(colon + 1);
    std::string_view type = nextWord(rest);
    if (type.empty())
        return fail(error, where, "field " + inQuotes(name) + " has no type");
    const bool required = type.back() == '!';
    if (required)
        type.remove_suffix(1);

    std::vector<std::string> enumValues;
    if (!rest.empty()) {
        if (!rest.starts_with("enum(") || !rest.ends_with(")"))
            return fail(error, where,
                        "expected `enum(A|B|...)` after the type, found " + inQuotes(rest));
        std::string problem;
        if (!parseEnumValues(rest.substr(5, rest.size() - 6), enumValues, problem))
            return fail(error, where, problem);
    }
    const auto duplicate = std::find_if(m_current->fields.begin(), m_current->fields.end(),
                                        [&](const SchemaField &f) { return f.name == name; });
    if (duplicate != m_current->fields.end())
        return fail(error, where,
                    "duplicate field " + inQuotes(name) + " in type " + inQuotes(m_current->name));
    const SchemaNode *node = typeExpression(type, std::move(enumValues), where, error);
    if (!node)
        return false;
    m_current->fields.push_back(SchemaField{std::string(name), node, required});
    return true;
}

const SchemaNode *SchemaTextParser::typeExpression(std::string_view text,
                                                   std::vector<std::string> enumValues,
                                                   const std::string &where, std::string *error) {
    SchemaType container = SchemaType::Any;
    std::string_view inner;
    if (text.starts_with("[]")) {
        container = SchemaType::Array;
        inner = text.substr(2);
    } else if (text.starts_with("map[") && text.ends_with("]")) {
        container = SchemaType::Map;
        inner = text.substr(4, text.size() - 5);
    }
    if (container != SchemaType::Any) {
        const SchemaNode *element = typeExpression(inner, std::move(enumValues), where, error);
        if (!element)
            return nullptr;
        SchemaNode *node = m_set.newNode();
        node->type = container;
        node->element = element;
        return node;
    }

    if (const ScalarSpelling *spelling = findScalar(text)) {
        const SchemaNode *shared = scalar(text);
        if (enumValues.empty())
            return shared;
        if (spelling->type != SchemaType::String || !spelling->format.empty()) {
            fail(error, where, "enum(...) needs a string type, not " + inQuotes(text));
            return nullptr;
        }
        SchemaNode *node = m_set.newNode();
        *node = *shared;
        node->enumValues = std::move(enumValues);
        return node;
    }
    if (!isTypeName(text)) {
        fail(error, where, "unknown type " + inQuotes(text));
        return nullptr;
    }
    if (!enumValues.empty()) {
        fail(error, where, "enum(...) needs a string type, not " + inQuotes(text));
        return nullptr;
    }
    return namedType(text, where);
}

SchemaNode *SchemaTextParser::namedType(std::string_view name, const std::string &where) {
    auto it = m_types.find(name);
    if (it == m_types.end()) {
        SchemaNode *node = m_set.newNode();
        node->type = SchemaType::Object;
        node->name = std::string(name);
        it = m_types.emplace(std::string(name), TypeEntry{node, {}, where}).first;
    }
    return it->second.node;
}

const SchemaNode *SchemaTextParser::scalar(std::string_view name) {
    auto it = m_scalars.find(name);
    if (it == m_scalars.end()) {
        const ScalarSpelling *spelling = findScalar(name);
        SchemaNode *node = m_set.newNode();
        node->type = spelling->type;
        node->format = std::string(spelling->format);
        it = m_scalars.emplace(std::string(name), node).first;
    }
    return it->second;
}

void SchemaTextParser::closeType() {
    if (m_current) {
        std::sort(m_current->fields.begin(), m_current->fields.end(),
                  [](const SchemaField &a, const SchemaField &b) { return a.name < b.name; });
    }
    m_current = nullptr;
}

bool parseSchemaText(std::string_view text, std::string_view fileName, SchemaSet &into,
                     std::string *error) {
    SchemaTextParser parser(into);
    return parser.parse(text, fileName, error) && parser.finish(error);
}

} // namespace kd::manifest
