#pragma once
// Schema completion for the YAML editor. It reads the text around the cursor by indentation
// only (the buffer is usually mid-edit and does not parse): the document's apiVersion and kind,
// the field path of the mapping the cursor is in, and whether a key or a value is being typed.
// Block style and `- ` list items are understood; flow style ({...}, [...]) is not.

#include "manifest/schema.h"

#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

struct CompletionContext {
    bool valid = false;     // false: nothing to complete here (a comment, flow style, ...)
    bool value = false;     // after `key: ` (else a key is being typed)
    std::string apiVersion; // of the document the cursor is in ("" when not set yet)
    std::string kind;
    // Field names from the document root to the mapping the cursor is in; "[]" for a list item.
    // For a value: the path ends with the key whose value is typed.
    std::vector<std::string> path;
    std::string prefix;        // what was typed of the key or value so far
    int replaceFromColumn = 0; // 1-based byte column where `prefix` starts
    int keyColumn = 0;         // 1-based byte column of the key being typed (its indentation + 1)
    std::vector<std::string> presentKeys; // keys the mapping already has (not offered again)
};

struct CompletionItem {
    enum class Kind { Field, Value };
    Kind kind = Kind::Field;
    std::string label;      // "containers", "IfNotPresent"
    std::string detail;     // the type: "[]Container", "string", "map[quantity]"; "required" marks
    std::string insertText; // replaces the prefix: "name: ", "ports:\n    - " (indented for here)
    bool required = false;
};

// Where the cursor is: 1-based line and 1-based byte column (the column of the character after
// the cursor; a cursor at the end of "ab" is column 3).
CompletionContext completionContext(std::string_view text, int line, int column);

// The schema node at `path` under a kind's root ("[]" steps into list items and map values),
// nullptr when the schema does not know the path.
const SchemaNode *schemaNodeAt(const SchemaNode *root, const std::vector<std::string> &path);

// "[]Container", "map[string]", "int32", "string", ... for a completion's detail.
std::string schemaTypeName(const SchemaNode *node);

// What to offer at the cursor: the fields of the mapping not yet present (required first), or
// the enum values / true,false of the key's value. Items start with `prefix` (case-insensitive)
// when one is typed. Empty when the schema is unknown or nothing applies.
std::vector<CompletionItem> complete(std::string_view text, int line, int column,
                                     const SchemaCatalog &catalog);
std::vector<CompletionItem> complete(const CompletionContext &context,
                                     const SchemaCatalog &catalog);

} // namespace kd::manifest
