#pragma once
// YAML text to JSON values, one per document, with the position of every key and value.
// Hostile input (billion laughs, deep nesting, huge files, bad encodings) becomes a diagnostic,
// never a crash: every limit below is checked while the parser's events are turned into values.

#include "manifest/fieldpositions.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

struct YamlLimits {
    std::size_t maxInputBytes = 64u * 1024u * 1024u; // also caps the text aliases expand to
    int maxDepth = 128;                              // nesting of maps and sequences
    std::size_t maxNodesPerDocument = 250'000;       // materialised nodes incl. alias expansion
};

struct YamlDiagnostic {
    enum class Kind { Syntax, DuplicateKey, Encoding, Limit };
    Kind kind = Kind::Syntax;
    Position position;
    std::string message;
};

struct YamlDocument {
    nlohmann::json value; // null for an empty document
    Position start;       // where the document begins
    // Canonical field path (see canonicalPath) -> position of the key (or of the sequence item).
    // The fields of an expanded alias are where the anchored node is written.
    FieldPositions keyPositions;
    // Canonical field path -> position of the value. An empty value (`key:`, a bare `-`) is just
    // after the ':' or '-'; in flow style it is at the ',' or bracket that ends it.
    FieldPositions valuePositions;
};

struct YamlParseResult {
    std::vector<YamlDocument> documents;     // documents that parsed, in order
    std::vector<YamlDiagnostic> diagnostics; // problems, in order; parsing went on past them
};

// Parses every document in text. Documents that fail to parse are reported and skipped;
// the others are still returned.
YamlParseResult parseYaml(std::string_view text, const YamlLimits &limits = {});

// What a plain (unquoted) scalar means to Kubernetes' YAML decoder (YAML 1.1): null, a boolean
// (yes/no/on/off too), an integer (0x, 0o, 0b, leading 0 octal, underscores), a float, or a string.
nlohmann::json resolvePlainScalar(const std::string &text);

// Parses exactly one document (e.g. a server-side apply body). Throws std::runtime_error
// with a readable message when the text is not exactly one valid document.
nlohmann::json parseSingleYamlDocument(std::string_view text, const YamlLimits &limits = {});

} // namespace kd::manifest
