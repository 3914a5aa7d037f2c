#pragma once
// The .kds text format of the built-in schema catalogue (resources/schemas/*.kds):
//
//   # a comment, to the end of the line
//   type Container                      an object type; `type X open` also accepts unknown fields
//     name: string!                     a field; `!` marks it required
//     imagePullPolicy: string enum(Always|IfNotPresent|Never)
//     ports: []ContainerPort            an array
//     limits: map[quantity]             an object with free keys and values of one type
//   kind apps/v1 Deployment namespaced = Deployment     (or `cluster` for cluster-scoped kinds)
//
// Scalars: string, int32, int64, number, boolean, quantity, int-or-string, time (a date-time
// string), bytes (a base64 string) and any (free-form: RawExtension, JSON). Containers nest
// ([]map[string]). A type may be used before it is defined, also in another file of the same
// parser.

#include "manifest/schema.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

// Parses several files into one set; types are shared across them.
class SchemaTextParser final {
public:
    explicit SchemaTextParser(SchemaSet &into)
        : m_set(into) {}

    // Adds one file's types and kinds. On a syntax error returns false and sets *error to
    // "file:line: message"; the set then holds a part of the file.
    bool parse(std::string_view text, std::string_view fileName, std::string *error);
    // Checks that every type used was defined (the error names where it was first used).
    bool finish(std::string *error);

private:
    struct TypeEntry {
        SchemaNode *node = nullptr;
        std::string definedAt; // "file:line"; empty while only used
        std::string firstUse;  // "file:line"
    };
    bool parseLine(std::string_view line, const std::string &where, std::string *error);
    bool parseType(std::string_view rest, const std::string &where, std::string *error);
    bool parseKind(std::string_view rest, const std::string &where, std::string *error);
    bool parseField(std::string_view line, const std::string &where, std::string *error);
    // A node for `[]map[string]`-like text; `enumValues` go to the innermost scalar.
    const SchemaNode *typeExpression(std::string_view text, std::vector<std::string> enumValues,
                                     const std::string &where, std::string *error);
    SchemaNode *namedType(std::string_view name, const std::string &where);
    const SchemaNode *scalar(std::string_view name);
    void closeType();

    SchemaSet &m_set;
    std::map<std::string, TypeEntry, std::less<>> m_types;
    std::map<std::string, const SchemaNode *, std::less<>> m_scalars; // by spelling
    SchemaNode *m_current = nullptr; // the type whose fields follow
};

// Parses one self-contained file into `into`: false and *error ("file:line: message") on bad input.
bool parseSchemaText(std::string_view text, std::string_view fileName, SchemaSet &into,
                     std::string *error);

} // namespace kd::manifest
