#include "manifest/finding.h"

#include <tuple>

namespace kd::manifest {

std::string_view severityName(Severity severity) {
    switch (severity) {
    case Severity::Info:
        return "info";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "error";
}

std::optional<Severity> parseSeverity(std::string_view name) {
    if (name == "info")
        return Severity::Info;
    if (name == "warning")
        return Severity::Warning;
    if (name == "error")
        return Severity::Error;
    return std::nullopt;
}

bool findingLess(const Finding &a, const Finding &b) {
    return std::tie(a.file, a.position.line, a.position.column, a.ruleId, a.message) <
           std::tie(b.file, b.position.line, b.position.column, b.ruleId, b.message);
}

} // namespace kd::manifest
