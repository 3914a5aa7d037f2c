#pragma once
// The reports `kubedeck lint` prints: compiler-style text, JSON, SARIF 2.1.0 and JUnit XML, and
// the rule catalogue as a documentation page. Pure functions of their input; they never touch
// the file system.
//
// JUnit has no notion of a warning: a testcase gets a <failure> for every finding that fails
// the run (errors, and warnings under --strict, the same test as the exit code), and the
// findings that do not fail it are listed in the testcase's <system-out>, which Jenkins,
// GitLab and GitHub's test reporters show beside the test without failing it.

#include "manifest/finding.h"
#include "manifest/rules.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

struct ReportedObject {
    int document = 0;        // 0-based index in the file
    std::string description; // "Deployment serving/web" (LintObject::describe())
};

struct ReportedFile {
    std::string path;                    // as given on the command line; "-" for stdin
    int documents = 0;                   // documents that parsed
    std::vector<ReportedObject> objects; // in document order; a List document has several
    // The linted text: SARIF counts columns in UTF-16 units and needs the lines to convert the
    // byte columns of findings. Empty when unknown (columns are then passed through).
    std::string text;
};

// An input that could not be read; the others are still linted and reported.
struct InputError {
    std::string path;    // as given, or as found in a directory
    std::string message; // "Permission denied"
};

struct LintReport {
    std::vector<ReportedFile> files;
    std::vector<Finding> findings;  // sorted with findingLess
    std::vector<InputError> errors; // in the order met
    std::vector<RuleInfo> rules;    // the catalogue (ruleCatalog())
    std::string toolVersion;
    bool strict = false; // warnings fail the run too (see failsAt)
    // The absolute directory relative paths start from, as SARIF's %SRCROOT%; "" leaves it out.
    std::string sourceRoot;
};

enum class ReportFormat { Text, Json, Sarif, Junit };
std::optional<ReportFormat> parseReportFormat(std::string_view name); // text|json|sarif|junit

struct ReportCounts {
    int errors = 0;
    int warnings = 0;
    int infos = 0;
    int failing = 0;               // findings that fail the run
    int documents = 0;             // in all files
    int documentsWithFindings = 0; // documents (not files as a whole) with at least one finding
    int filesWithFileFindings = 0; // files with a finding about the file as a whole
};
ReportCounts countFindings(const LintReport &report);

// "3 errors, 2 warnings in 2 of 14 documents (5 files)"; "no problems in 14 documents (5 files)".
std::string summaryLine(const LintReport &report);

// `file:line:col: severity: rule-id: message [object]` per finding, then the summary line.
std::string textReport(const LintReport &report);
// {version, files: [{path, documents}], findings: [{file, document, line, column, severity, rule,
// message, object, field, container, fixes: [{title, edits: [{start, end, newText}]}]}],
// errors: [{path, message}], summary: {errors, warnings, infos, files, unreadable, documents,
// documentsWithFindings, failed, text}}. Unknown document, line and column are null.
nlohmann::ordered_json jsonReport(const LintReport &report);
// A SARIF 2.1.0 log with one run.
nlohmann::ordered_json sarifReport(const LintReport &report);
// <testsuites> with one <testsuite> per file and one <testcase> per object.
std::string junitReport(const LintReport &report);

// The report in `format`, ending with a newline. JSON texts replace invalid UTF-8 with U+FFFD.
std::string formatReport(const LintReport &report, ReportFormat format);

// Every rule with its ID, severity, category and title, then why it matters and how to fix it,
// wrapped at `width` columns: `kubedeck lint --list-rules`.
std::string ruleListText(const std::vector<RuleInfo> &rules, int width = 80);
nlohmann::ordered_json ruleListJson(const std::vector<RuleInfo> &rules);

// Internal to the reporters, shared by their files.
namespace detail {
std::string_view scopeName(RuleScope scope);
// Replaces bytes that are not valid UTF-8 with U+FFFD.
std::string validUtf8(std::string_view text);
} // namespace detail

} // namespace kd::manifest
