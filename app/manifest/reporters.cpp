#include "manifest/reporters.h"

#include "manifest/lint.h"

#include <cstdio>
#include <set>
#include <utility>

namespace kd::manifest {

namespace detail {

std::string_view scopeName(RuleScope scope) {
    switch (scope) {
    case RuleScope::File:
        return "file";
    case RuleScope::Object:
        return "object";
    case RuleScope::Container:
        return "container";
    case RuleScope::Cross:
        return "cross";
    }
    return "object";
}

std::string validUtf8(std::string_view text) {
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            out += static_cast<char>(lead);
            ++i;
            continue;
        }
        std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                             : lead >= 0xE0 && lead <= 0xEF ? 3
                             : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                            : 0;
        // The second byte's range rules out overlong forms, surrogates and code points past
        // U+10FFFF (RFC 3629's table).
        unsigned char low = 0x80, high = 0xBF;
        if (lead == 0xE0)
            low = 0xA0;
        else if (lead == 0xED)
            high = 0x9F;
        else if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F;
        bool valid = length != 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            valid = k == 1 ? c >= low && c <= high : c >= 0x80 && c <= 0xBF;
        }
        if (valid) {
            out.append(text.substr(i, length));
            i += length;
        } else {
            out.append(kReplacement);
            ++i;
        }
    }
    return out;
}

} // namespace detail

namespace {

std::string plural(int n, std::string_view singular, std::string_view pluralForm = {}) {
    std::string out = std::to_string(n) + ' ';
    if (n == 1)
        out.append(singular);
    else if (!pluralForm.empty())
        out.append(pluralForm);
    else
        out.append(singular).append("s");
    return out;
}

// Text reports go to terminals: control characters from a hostile manifest (escape sequences,
// carriage returns) are shown as \xNN instead of acting on the terminal.
void appendPrintable(std::string &out, std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool c1 = c == 0xC2 && i + 1 < text.size() &&
                        static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if ((c < 0x20 && c != '\t') || c == 0x7F || c1) {
            char buf[8];
            const unsigned code = c1 ? static_cast<unsigned char>(text[++i]) : c;
            std::snprintf(buf, sizeof buf, "\\x%02x", code);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
}

void appendFindingLine(std::string &out, const Finding &f) {
    appendPrintable(out, f.file);
    if (f.position.line > 0) {
        out += ':' + std::to_string(f.position.line);
        if (f.position.column > 0)
            out += ':' + std::to_string(f.position.column);
    }
    out += ": ";
    out.append(severityName(f.severity));
    out += ": ";
    appendPrintable(out, f.ruleId);
    out += ": ";
    appendPrintable(out, f.message);
    if (!f.object.empty() || !f.container.empty()) {
        out += " [";
        appendPrintable(out, f.object);
        if (!f.container.empty()) {
            out += f.object.empty() ? "container " : ", container ";
            appendPrintable(out, f.container);
        }
        out += ']';
    }
    out += '\n';
}

nlohmann::ordered_json positionJson(Position p) {
    nlohmann::ordered_json j;
    j["line"] = p.line;
    j["column"] = p.column;
    return j;
}

// Appends `text` wrapped at `width` columns, every line starting with `indent`; the first line
// starts with `firstIndent` instead (which has the same width as `indent`).
void appendWrapped(std::string &out, std::string_view text, std::string_view firstIndent,
                   std::string_view indent, std::size_t width) {
    std::size_t column = 0;
    bool lineEmpty = true;
    out.append(firstIndent);
    column = firstIndent.size();
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ' || text[i] == '\n') {
            ++i;
            continue;
        }
        const std::size_t end = std::min(text.find_first_of(" \n", i), text.size());
        const std::string_view word = text.substr(i, end - i);
        if (!lineEmpty && column + 1 + word.size() > width) {
            out += '\n';
            out.append(indent);
            column = indent.size();
            lineEmpty = true;
        }
        if (!lineEmpty) {
            out += ' ';
            ++column;
        }
        appendPrintable(out, word);
        column += word.size();
        lineEmpty = false;
        i = end;
    }
    out += '\n';
}

} // namespace

std::optional<ReportFormat> parseReportFormat(std::string_view name) {
    if (name == "text")
        return ReportFormat::Text;
    if (name == "json")
        return ReportFormat::Json;
    if (name == "sarif")
        return ReportFormat::Sarif;
    if (name == "junit")
        return ReportFormat::Junit;
    return std::nullopt;
}

ReportCounts countFindings(const LintReport &report) {
    ReportCounts counts;
    for (const ReportedFile &file : report.files)
        counts.documents += file.documents;
    std::set<std::pair<std::string_view, int>> documents;
    std::set<std::string_view> files;
    for (const Finding &f : report.findings) {
        switch (f.severity) {
        case Severity::Error:
            ++counts.errors;
            break;
        case Severity::Warning:
            ++counts.warnings;
            break;
        case Severity::Info:
            ++counts.infos;
            break;
        }
        if (failsAt(f, report.strict))
            ++counts.failing;
        if (f.document >= 0)
            documents.emplace(f.file, f.document);
        else
            files.insert(f.file);
    }
    counts.documentsWithFindings = static_cast<int>(documents.size());
    counts.filesWithFileFindings = static_cast<int>(files.size());
    return counts;
}

std::string summaryLine(const LintReport &report) {
    const ReportCounts c = countFindings(report);
    std::string out;
    if (c.errors + c.warnings + c.infos == 0) {
        out = "no problems in " + plural(c.documents, "document");
    } else {
        std::string counts;
        auto add = [&counts](int n, std::string_view word) {
            if (n == 0)
                return;
            if (!counts.empty())
                counts += ", ";
            counts += plural(n, word);
        };
        add(c.errors, "error");
        add(c.warnings, "warning");
        add(c.infos, "info");
        out = counts + " in " + std::to_string(c.documentsWithFindings) + " of " +
              plural(c.documents, "document");
        if (c.filesWithFileFindings > 0)
            out += " and " + plural(c.filesWithFileFindings, "file") + " as a whole";
    }
    out += " (" + plural(static_cast<int>(report.files.size()), "file");
    if (!report.errors.empty())
        out += ", " + std::to_string(report.errors.size()) + " could not be read";
    out += ')';
    return out;
}

std::string textReport(const LintReport &report) {
    std::string out;
    out.reserve(report.findings.size() * 120 + 80);
    for (const Finding &f : report.findings)
        appendFindingLine(out, f);
    appendPrintable(out, summaryLine(report));
    out += '\n';
    return out;
}

nlohmann::ordered_json jsonReport(const LintReport &report) {
    using ojson = nlohmann::ordered_json;
    ojson j;
    j["version"] = report.toolVersion;
    ojson files = ojson::array();
    for (const ReportedFile &file : report.files)
        files.push_back(ojson{{"path", file.path}, {"documents", file.documents}});
    j["files"] = std::move(files);
    ojson findings = ojson::array();
    for (const Finding &f : report.findings) {
        ojson o;
        o["file"] = f.file;
        o["document"] = f.document >= 0 ? ojson(f.document) : ojson();
        o["line"] = f.position.line > 0 ? ojson(f.position.line) : ojson();
        o["column"] = f.position.column > 0 ? ojson(f.position.column) : ojson();
        o["severity"] = severityName(f.severity);
        o["rule"] = f.ruleId;
        o["message"] = f.message;
        o["object"] = f.object;
        o["field"] = f.field;
        o["container"] = f.container;
        ojson fixes = ojson::array();
        for (const QuickFix &fix : f.fixes) {
            ojson edits = ojson::array();
            for (const TextEdit &e : fix.edits)
                edits.push_back(ojson{{"start", positionJson(e.start)},
                                      {"end", positionJson(e.end)},
                                      {"newText", e.newText}});
            fixes.push_back(ojson{{"title", fix.title}, {"edits", std::move(edits)}});
        }
        o["fixes"] = std::move(fixes);
        findings.push_back(std::move(o));
    }
    j["findings"] = std::move(findings);
    ojson errors = ojson::array();
    for (const InputError &e : report.errors)
        errors.push_back(ojson{{"path", e.path}, {"message", e.message}});
    j["errors"] = std::move(errors);
    const ReportCounts c = countFindings(report);
    j["summary"] = ojson{{"errors", c.errors},
                         {"warnings", c.warnings},
                         {"infos", c.infos},
                         {"files", report.files.size()},
                         {"unreadable", report.errors.size()},
                         {"documents", c.documents},
                         {"documentsWithFindings", c.documentsWithFindings},
                         {"failed", c.failing > 0},
                         {"text", summaryLine(report)}};
    return j;
}

std::string formatReport(const LintReport &report, ReportFormat format) {
    constexpr auto replace = nlohmann::ordered_json::error_handler_t::replace;
    switch (format) {
    case ReportFormat::Text:
        return textReport(report);
    case ReportFormat::Json:
        return jsonReport(report).dump(2, ' ', false, replace) + '\n';
    case ReportFormat::Sarif:
        return sarifReport(report).dump(2, ' ', false, replace) + '\n';
    case ReportFormat::Junit:
        return junitReport(report);
    }
    return {};
}

std::string ruleListText(const std::vector<RuleInfo> &rules, int width) {
    const auto w = static_cast<std::size_t>(std::max(width, 40));
    std::string out;
    appendWrapped(out,
                  "kubedeck lint checks " + plural(static_cast<int>(rules.size()), "rule") +
                      ". Each has a stable ID and a default severity. In " + kLintConfigFileName +
                      ", `disable: [ID, ...]` turns rules off and `severity: {ID: "
                      "error|warning|info}` changes their severity; on an object, the "
                      "annotation `" +
                      kLintIgnoreAnnotation +
                      ": \"ID,ID,...\"` silences rules for that object (ID:container for one "
                      "container, for rules marked \"per container\").",
                  "", "", w);
    for (const RuleInfo &rule : rules) {
        out += '\n';
        appendPrintable(out, rule.id);
        out += "  [";
        out.append(severityName(rule.severity));
        out += ", ";
        appendPrintable(out, rule.category);
        if (rule.scope == RuleScope::Container)
            out += ", per container";
        out += "]\n";
        appendWrapped(out, rule.title, "    ", "    ", w);
        if (!rule.explanation.empty())
            appendWrapped(out, rule.explanation, "    Why: ", "         ", w);
        if (!rule.fix.empty())
            appendWrapped(out, rule.fix, "    Fix: ", "         ", w);
    }
    return out;
}

nlohmann::ordered_json ruleListJson(const std::vector<RuleInfo> &rules) {
    using ojson = nlohmann::ordered_json;
    ojson list = ojson::array();
    for (const RuleInfo &rule : rules)
        list.push_back(ojson{{"id", rule.id},
                             {"severity", severityName(rule.severity)},
                             {"category", rule.category},
                             {"scope", detail::scopeName(rule.scope)},
                             {"title", rule.title},
                             {"explanation", rule.explanation},
                             {"fix", rule.fix}});
    return ojson{{"rules", std::move(list)}};
}

} // namespace kd::manifest
