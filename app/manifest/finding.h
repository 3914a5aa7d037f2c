#pragma once
// What `kubedeck lint` and the editor report: one problem, with its rule, severity, place and
// (for some rules) a mechanical fix the editor can apply.

#include "manifest/yamljson.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

enum class Severity { Info, Warning, Error };

std::string_view severityName(Severity severity); // "info", "warning", "error"
std::optional<Severity> parseSeverity(std::string_view name);

// Replaces the text from start (inclusive) to end (exclusive) with newText. Positions are
// 1-based lines and 1-based byte columns of the linted text; start == end inserts.
struct TextEdit {
    Position start;
    Position end;
    std::string newText;

    bool operator==(const TextEdit &) const = default;
};

struct QuickFix {
    std::string title; // "Set requests[nvidia.com/gpu] to 1 (the limit)"
    std::vector<TextEdit> edits;
};

struct Finding {
    std::string ruleId; // a stable ID from ruleCatalog(), e.g. "gpu-requests-limits"
    Severity severity = Severity::Error;
    std::string message;   // one line, specific to this place
    std::string file;      // as given on the command line; "-" for stdin
    int document = -1;     // 0-based document index in the file; -1 for the file as a whole
    Position position;     // 1-based; {0, 0} when no place is known
    std::string field;     // canonical field path in the document (see canonicalPath), "" if none
    std::string object;    // "Deployment serving/web", "" when the document is not an object
    std::string container; // the container the finding is about, if any
    std::vector<QuickFix> fixes;
};

// Orders by file, position, rule ID, message: the order every reporter prints.
bool findingLess(const Finding &a, const Finding &b);

} // namespace kd::manifest
