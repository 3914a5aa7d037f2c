// SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read it: every rule of
// the catalogue in tool.driver.rules (so ruleIndex is the catalogue's order), one result per
// finding, relative artifact URIs against %SRCROOT%, and columns in UTF-16 code units.
#include "manifest/reporters.h"

#include "manifest/textedits.h"

#include <cstdio>
#include <map>
#include <optional>
#include <string_view>

namespace kd::manifest {

namespace {

using ojson = nlohmann::ordered_json;

constexpr const char *kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr const char *kSourceRoot = "%SRCROOT%";

std::string_view sarifLevel(Severity severity) {
    switch (severity) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Info:
        return "note";
    }
    return "error";
}

// "gpu-requests-limits" -> "GpuRequestsLimits": SARIF's reportingDescriptor.name is meant to be
// an identifier-like name, distinct from the ID.
std::string pascalCase(std::string_view id) {
    std::string out;
    bool upper = true;
    for (char c : id) {
        if (c == '-' || c == '_' || c == '.' || c == '/') {
            upper = true;
            continue;
        }
        out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return out;
}

// RFC 3986: unreserved characters and '/' stay, every other byte is percent-encoded (a ':' in
// the first segment would otherwise read as a scheme).
std::string percentEncodePath(std::string_view path) {
    std::string out;
    for (char ch : path) {
        const auto c = static_cast<unsigned char>(ch);
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                          c == '/';
        if (keep) {
            out += ch;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

std::string forwardSlashes(std::string_view path) {
    std::string out(path);
    for (char &c : out)
        if (c == '\\')
            c = '/';
    return out;
}

ojson artifactLocation(std::string_view path) {
    std::string p = forwardSlashes(path);
    if (p.starts_with('/'))
        return ojson{{"uri", "file://" + percentEncodePath(p)}};
    while (p.starts_with("./"))
        p.erase(0, 2);
    return ojson{{"uri", percentEncodePath(p)}, {"uriBaseId", kSourceRoot}};
}

// The start offset of every line of a text, to find a finding's line without rescanning.
class LineIndex {
public:
    explicit LineIndex(std::string_view text)
        : m_text(text) {
        m_starts.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n')
                m_starts.push_back(i + 1);
    }

    // The 1-based byte column as a 1-based UTF-16 column; unchanged when the line is unknown.
    int utf16(Position p) const {
        if (p.line < 1 || static_cast<std::size_t>(p.line) > m_starts.size() || p.column < 1)
            return p.column;
        const std::size_t start = m_starts[static_cast<std::size_t>(p.line) - 1];
        std::size_t end = static_cast<std::size_t>(p.line) < m_starts.size()
                              ? m_starts[static_cast<std::size_t>(p.line)] - 1
                              : m_text.size();
        if (end > start && m_text[end - 1] == '\r')
            --end;
        return utf16Column(m_text.substr(start, end - start), p.column);
    }

private:
    std::string_view m_text;
    std::vector<std::size_t> m_starts;
};

ojson region(Position p, const LineIndex *lines) {
    ojson r;
    r["startLine"] = p.line > 0 ? p.line : 1; // a finding about the whole file points at line 1
    if (p.line > 0 && p.column > 0)
        r["startColumn"] = lines ? lines->utf16(p) : p.column;
    return r;
}

ojson ruleDescriptor(const RuleInfo &rule) {
    ojson r;
    r["id"] = rule.id;
    r["name"] = pascalCase(rule.id);
    r["shortDescription"] = ojson{{"text", rule.title}};
    r["fullDescription"] =
        ojson{{"text", rule.explanation.empty() ? rule.title : rule.explanation}};
    r["help"] = ojson{{"text", rule.fix.empty() ? rule.title : rule.fix}};
    r["defaultConfiguration"] = ojson{{"level", sarifLevel(rule.severity)}};
    r["properties"] = ojson{{"category", rule.category},
                            {"scope", detail::scopeName(rule.scope)},
                            {"tags", ojson::array({rule.category})}};
    return r;
}

ojson fixJson(const QuickFix &fix, const ojson &location, const LineIndex *lines) {
    ojson replacements = ojson::array();
    for (const TextEdit &e : fix.edits) {
        ojson deleted;
        deleted["startLine"] = e.start.line;
        deleted["startColumn"] = lines ? lines->utf16(e.start) : e.start.column;
        deleted["endLine"] = e.end.line;
        deleted["endColumn"] = lines ? lines->utf16(e.end) : e.end.column;
        replacements.push_back(ojson{{"deletedRegion", std::move(deleted)},
                                     {"insertedContent", {{"text", e.newText}}}});
    }
    return ojson{
        {"description", {{"text", fix.title}}},
        {"artifactChanges", ojson::array({ojson{{"artifactLocation", location},
                                                {"replacements", std::move(replacements)}}})}};
}

} // namespace

nlohmann::ordered_json sarifReport(const LintReport &report) {
    std::vector<RuleInfo> rules = report.rules;
    std::map<std::string_view, std::size_t, std::less<>> ruleIndex;
    for (std::size_t i = 0; i < rules.size(); ++i)
        ruleIndex.emplace(rules[i].id, i);
    // A finding of a rule the catalogue lacks still gets a descriptor, so every ruleIndex holds.
    for (const Finding &f : report.findings)
        if (!ruleIndex.contains(f.ruleId)) {
            rules.push_back(
                RuleInfo{f.ruleId, f.severity, RuleScope::Object, "", f.ruleId, {}, {}});
            ruleIndex.emplace(rules.back().id, rules.size() - 1);
        }
    ojson driverRules = ojson::array();
    for (const RuleInfo &rule : rules)
        driverRules.push_back(ruleDescriptor(rule));

    // One artifact per file (a path given twice is one artifact), each with its line index.
    struct Artifact {
        std::size_t index;
        std::optional<LineIndex> lines;
    };
    std::map<std::string_view, Artifact, std::less<>> artifactByPath;
    ojson artifacts = ojson::array();
    for (const ReportedFile &file : report.files) {
        auto [it, added] = artifactByPath.try_emplace(file.path, Artifact{artifacts.size(), {}});
        if (!added)
            continue;
        ojson artifact{{"location", artifactLocation(file.path)}};
        artifact["roles"] = ojson::array({"analysisTarget"});
        if (!file.text.empty()) {
            artifact["length"] = file.text.size();
            it->second.lines.emplace(file.text);
        }
        artifacts.push_back(std::move(artifact));
    }

    ojson results = ojson::array();
    for (const Finding &f : report.findings) {
        ojson location = artifactLocation(f.file);
        const LineIndex *lines = nullptr;
        if (auto a = artifactByPath.find(f.file); a != artifactByPath.end()) {
            location["index"] = a->second.index;
            if (a->second.lines)
                lines = &*a->second.lines;
        }
        ojson result;
        result["ruleId"] = f.ruleId;
        result["ruleIndex"] = ruleIndex.find(f.ruleId)->second;
        result["level"] = sarifLevel(f.severity);
        result["message"] = ojson{{"text", f.message}};
        ojson loc{{"physicalLocation",
                   {{"artifactLocation", location}, {"region", region(f.position, lines)}}}};
        if (!f.object.empty())
            loc["logicalLocations"] =
                ojson::array({ojson{{"fullyQualifiedName", f.object}, {"kind", "resource"}}});
        result["locations"] = ojson::array({std::move(loc)});
        if (!f.fixes.empty()) {
            ojson fixes = ojson::array();
            for (const QuickFix &fix : f.fixes)
                fixes.push_back(fixJson(fix, location, lines));
            result["fixes"] = std::move(fixes);
        }
        ojson properties;
        if (f.document >= 0)
            properties["document"] = f.document;
        if (!f.object.empty())
            properties["object"] = f.object;
        if (!f.field.empty())
            properties["field"] = f.field;
        if (!f.container.empty())
            properties["container"] = f.container;
        if (!properties.empty())
            result["properties"] = std::move(properties);
        results.push_back(std::move(result));
    }

    ojson invocation;
    invocation["executionSuccessful"] = report.errors.empty();
    if (!report.errors.empty()) {
        ojson notifications = ojson::array();
        for (const InputError &e : report.errors)
            notifications.push_back(
                ojson{{"level", "error"},
                      {"message", {{"text", e.path + ": " + e.message}}},
                      {"locations",
                       ojson::array({ojson{{"physicalLocation",
                                            {{"artifactLocation", artifactLocation(e.path)}}}}})}});
        invocation["toolExecutionNotifications"] = std::move(notifications);
    }

    ojson driver;
    driver["name"] = "kubedeck";
    driver["version"] = report.toolVersion;
    driver["semanticVersion"] = report.toolVersion;
    driver["rules"] = std::move(driverRules);
    ojson run;
    run["tool"] = ojson{{"driver", std::move(driver)}};
    run["invocations"] = ojson::array({std::move(invocation)});
    if (!report.sourceRoot.empty()) {
        std::string root = forwardSlashes(report.sourceRoot);
        if (!root.ends_with('/'))
            root += '/';
        run["originalUriBaseIds"] =
            ojson{{kSourceRoot, {{"uri", "file://" + percentEncodePath(root)}}}};
    }
    run["artifacts"] = std::move(artifacts);
    run["results"] = std::move(results);
    run["columnKind"] = "utf16CodeUnits";

    ojson log;
    log["$schema"] = kSarifSchema;
    log["version"] = "2.1.0";
    log["runs"] = ojson::array({std::move(run)});
    return log;
}

} // namespace kd::manifest
