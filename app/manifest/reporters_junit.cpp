// JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it: one <testsuite> per
// file, one <testcase> per object (or per document that is not an object, "document N" with N
// counted from 1, and "file" for findings about the file as a whole). See reporters.h for how
// warnings are shown. Files that could not be read are testsuites with one <error>.
#include "manifest/reporters.h"

#include "manifest/lint.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace kd::manifest {

namespace {

// XML 1.0 allows neither C0 controls other than tab, newline and carriage return nor U+FFFE and
// U+FFFF, not even as character references: they are written as the text \uXXXX. Attributes
// keep their tabs and line breaks as character references, which attribute normalisation would
// otherwise turn into spaces.
std::string xmlEscape(std::string_view raw, bool attribute) {
    const std::string text = detail::validUtf8(raw);
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
        case '&':
            out += "&amp;";
            continue;
        case '<':
            out += "&lt;";
            continue;
        case '>':
            out += "&gt;";
            continue;
        case '"':
            out += attribute ? "&quot;" : "\"";
            continue;
        case '\'':
            out += attribute ? "&apos;" : "'";
            continue;
        case '\t':
            out += attribute ? "&#9;" : "\t";
            continue;
        case '\n':
            out += attribute ? "&#10;" : "\n";
            continue;
        case '\r':
            out += "&#13;"; // a raw one would be read back as a newline
            continue;
        default:
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        const bool nonCharacter = u == 0xEF && i + 2 < text.size() && text[i + 1] == '\xBF' &&
                                  (text[i + 2] == '\xBE' || text[i + 2] == '\xBF');
        if (u < 0x20 || nonCharacter) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04X",
                          nonCharacter ? 0xFFFEu + (text[i + 2] == '\xBF' ? 1u : 0u) : u);
            out += buf;
            if (nonCharacter)
                i += 2;
            continue;
        }
        out += c;
    }
    return out;
}

std::string place(const Finding &f) {
    std::string out = f.file;
    if (f.position.line > 0) {
        out += ':' + std::to_string(f.position.line);
        if (f.position.column > 0)
            out += ':' + std::to_string(f.position.column);
    }
    return out;
}

struct TestCase {
    int document = -1;
    std::string name;
    std::vector<const Finding *> findings;
};

// Cases sorted by document; a finding goes to its object's case, else to its document's first.
struct TestSuite {
    std::string path;
    std::vector<TestCase> cases;
    const InputError *error = nullptr;

    TestCase &caseFor(int document, const std::string &object) {
        auto first = std::lower_bound(cases.begin(), cases.end(), document,
                                      [](const TestCase &c, int d) { return c.document < d; });
        auto it = first;
        for (; it != cases.end() && it->document == document; ++it)
            if (object.empty() || it->name == object)
                return *it;
        TestCase c;
        c.document = document;
        c.name = document < 0      ? std::string("file")
                 : !object.empty() ? object
                                   : "document " + std::to_string(document + 1);
        return *cases.insert(it, std::move(c));
    }
};

std::vector<TestSuite> suites(const LintReport &report) {
    std::vector<TestSuite> out;
    std::map<std::string_view, std::size_t, std::less<>> byPath;
    auto suiteFor = [&](const std::string &path) -> TestSuite & {
        auto [it, added] = byPath.try_emplace(path, out.size());
        if (added)
            out.push_back(TestSuite{path, {}, nullptr});
        return out[it->second];
    };
    for (const ReportedFile &file : report.files) {
        TestSuite &suite = suiteFor(file.path);
        std::vector<const ReportedObject *> objects;
        for (const ReportedObject &o : file.objects)
            objects.push_back(&o);
        std::stable_sort(objects.begin(), objects.end(),
                         [](auto *a, auto *b) { return a->document < b->document; });
        std::size_t next = 0;
        for (int d = 0; d < file.documents || next < objects.size(); ++d) {
            const std::size_t before = next;
            for (; next < objects.size() && objects[next]->document <= d; ++next)
                suite.cases.push_back(TestCase{d, objects[next]->description, {}});
            if (next == before && d < file.documents)
                suite.cases.push_back(TestCase{d, "document " + std::to_string(d + 1), {}});
        }
    }
    for (const Finding &f : report.findings)
        suiteFor(f.file).caseFor(std::max(f.document, -1), f.object).findings.push_back(&f);
    for (const InputError &e : report.errors)
        suiteFor(e.path).error = &e;
    return out;
}

void appendAttribute(std::string &out, std::string_view name, std::string_view value) {
    out += ' ';
    out.append(name);
    out += "=\"";
    out += xmlEscape(value, true);
    out += '"';
}

void appendCount(std::string &out, std::string_view name, std::size_t value) {
    appendAttribute(out, name, std::to_string(value));
}

std::string findingText(const Finding &f) {
    std::string out = place(f) + ": " + std::string(severityName(f.severity)) + ": " + f.ruleId +
                      ": " + f.message;
    if (!f.object.empty())
        out += " [" + f.object + (f.container.empty() ? "" : ", container " + f.container) + ']';
    if (!f.field.empty())
        out += "\nfield: " + f.field;
    return out;
}

} // namespace

std::string junitReport(const LintReport &report) {
    const std::vector<TestSuite> all = suites(report);
    std::string body;
    std::size_t totalTests = 0, totalFailures = 0, totalErrors = 0;
    for (const TestSuite &suite : all) {
        std::size_t failures = 0;
        std::string cases;
        for (const TestCase &c : suite.cases) {
            cases += "    <testcase";
            appendAttribute(cases, "name", c.name);
            appendAttribute(cases, "classname", suite.path);
            cases += '>';
            bool failed = false;
            std::string passing;
            for (const Finding *f : c.findings) {
                if (!failsAt(*f, report.strict)) {
                    passing += findingText(*f) + '\n';
                    continue;
                }
                failed = true;
                cases += "\n      <failure";
                appendAttribute(cases, "type", severityName(f->severity));
                appendAttribute(cases, "message", f->ruleId + ": " + f->message);
                cases += '>';
                cases += xmlEscape(findingText(*f), false);
                cases += "</failure>";
            }
            if (!passing.empty())
                cases += "\n      <system-out>" + xmlEscape(passing, false) + "</system-out>";
            cases += c.findings.empty() ? "</testcase>\n" : "\n    </testcase>\n";
            failures += failed ? 1 : 0;
        }
        std::size_t tests = suite.cases.size();
        if (suite.error) {
            ++tests;
            cases += "    <testcase name=\"read\"";
            appendAttribute(cases, "classname", suite.path);
            cases += ">\n      <error";
            appendAttribute(cases, "type", "io");
            appendAttribute(cases, "message", suite.error->message);
            cases += "/>\n    </testcase>\n";
        }
        body += "  <testsuite";
        appendAttribute(body, "name", suite.path);
        appendCount(body, "tests", tests);
        appendCount(body, "failures", failures);
        appendCount(body, "errors", suite.error ? 1 : 0);
        appendCount(body, "skipped", 0);
        body += ">\n" + cases + "  </testsuite>\n";
        totalTests += tests;
        totalFailures += failures;
        totalErrors += suite.error ? 1 : 0;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
    appendAttribute(out, "name", "kubedeck lint");
    appendCount(out, "tests", totalTests);
    appendCount(out, "failures", totalFailures);
    appendCount(out, "errors", totalErrors);
    out += ">\n" + body + "</testsuites>\n";
    return out;
}

} // namespace kd::manifest
