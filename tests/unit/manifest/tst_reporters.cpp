// The lint reporters: compiler-style text, JSON, SARIF 2.1.0 and JUnit XML read back with a JSON
// and an XML parser, byte columns as UTF-16 columns, escaping of hostile messages, and the rule
// catalogue page.
#include "manifest/reporters.h"

#include <QTest>
#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

#include <set>

using namespace kd::manifest;
using nlohmann::json;

namespace {

const std::vector<RuleInfo> kRules{
    {"gpu-requests-limits", Severity::Error, RuleScope::Container, "gpu",
     "GPU requests and limits differ",
     "The API server rejects a pod whose extended resource requests differ from its limits.",
     "Set requests equal to limits, or set only limits."},
    {"image-latest-tag", Severity::Warning, RuleScope::Container, "images",
     "Image tag is latest or missing", "A moving tag makes rollouts unreproducible.",
     "Pin a version tag or a digest."},
    {"namespace-default", Severity::Info, RuleScope::Object, "hygiene",
     "Object in the default namespace", "", ""},
    {"yaml-syntax", Severity::Error, RuleScope::File, "yaml", "YAML syntax error",
     "The document cannot be read.", "Fix the YAML."},
};

Finding finding(std::string file, int document, Position p, std::string rule, Severity severity,
                std::string message, std::string object = {}, std::string container = {}) {
    Finding f;
    f.file = std::move(file);
    f.document = document;
    f.position = p;
    f.ruleId = std::move(rule);
    f.severity = severity;
    f.message = std::move(message);
    f.object = std::move(object);
    f.container = std::move(container);
    return f;
}

// Two files: serving/web.yaml holds a Deployment (with a GPU finding that has a fix, on a line
// with a two-byte and a four-byte character before the column) and a document that is not an
// object; "./dir with space/svc.yaml" a Service with a warning and an info.
LintReport sampleReport() {
    LintReport r;
    r.rules = kRules;
    r.toolVersion = "9.8.7";
    r.sourceRoot = "/src/repo";
    ReportedFile web;
    web.path = "serving/web.yaml";
    web.documents = 2;
    web.objects = {{0, "Deployment serving/web"}};
    web.text = "kind: Deployment\n# \xC3\xA9\xF0\x9F\x98\x80 x: 1\r\n---\nfoo: bar\n";
    ReportedFile svc;
    svc.path = "./dir with space/svc.yaml";
    svc.documents = 1;
    svc.objects = {{0, "Service web"}};
    r.files = {web, svc};

    Finding gpu = finding("serving/web.yaml", 0, {2, 10}, "gpu-requests-limits", Severity::Error,
                          "requests[nvidia.com/gpu] (1) differs from limits (2)",
                          "Deployment serving/web", "model");
    gpu.field = "spec.template.spec.containers[0].resources.requests[nvidia.com/gpu]";
    gpu.fixes.push_back({"Set requests[nvidia.com/gpu] to 2", {{{2, 10}, {2, 11}, "2"}}});
    r.findings = {
        gpu,
        finding("serving/web.yaml", 1, {4, 1}, "yaml-syntax", Severity::Error, "not an object"),
        finding("./dir with space/svc.yaml", 0, {3, 5}, "image-latest-tag", Severity::Warning,
                "image \"vllm:latest\" uses the latest tag", "Service web"),
        finding("./dir with space/svc.yaml", 0, {1, 1}, "namespace-default", Severity::Info,
                "no namespace", "Service web"),
    };
    std::sort(r.findings.begin(), r.findings.end(), findingLess);
    return r;
}

QStringList lines(const std::string &text) {
    return QString::fromStdString(text).split(u'\n', Qt::SkipEmptyParts);
}

QStringList strings(std::initializer_list<const char *> list) {
    QStringList out;
    for (const char *s : list)
        out << QString::fromUtf8(s);
    return out;
}

QString attribute(const QXmlStreamAttributes &attributes, const char *name) {
    return attributes.value(QLatin1String(name)).toString();
}

struct XmlCase {
    QString suite, name;
    QStringList failureTypes, failureMessages;
    QString failureText, systemOut, error;
};

// Reads a JUnit report back with Qt's XML parser; fails the test on malformed XML.
std::vector<XmlCase> readJunit(const std::string &xml, QXmlStreamAttributes *root = nullptr,
                               std::vector<QXmlStreamAttributes> *suiteAttributes = nullptr) {
    std::vector<XmlCase> out;
    QXmlStreamReader r(QByteArray::fromStdString(xml));
    QString suite;
    while (!r.atEnd()) {
        if (r.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = r.name();
        if (name == u"testsuites" && root)
            *root = r.attributes();
        if (name == u"testsuite") {
            suite = attribute(r.attributes(), "name");
            if (suiteAttributes)
                suiteAttributes->push_back(r.attributes());
        } else if (name == u"testcase") {
            XmlCase c;
            c.suite = suite;
            c.name = attribute(r.attributes(), "name");
            out.push_back(c);
        } else if (name == u"failure") {
            out.back().failureTypes << attribute(r.attributes(), "type");
            out.back().failureMessages << attribute(r.attributes(), "message");
            out.back().failureText += r.readElementText();
        } else if (name == u"system-out") {
            out.back().systemOut += r.readElementText();
        } else if (name == u"error") {
            out.back().error = attribute(r.attributes(), "message");
        }
    }
    if (r.hasError())
        qWarning("%s at line %lld", qPrintable(r.errorString()), r.lineNumber());
    return r.hasError() ? std::vector<XmlCase>{} : out;
}

} // namespace

class TstReporters final : public QObject {
    Q_OBJECT

private slots:
    void textIsCompilerStyleWithSummary() {
        const LintReport r = sampleReport();
        const QStringList expected = strings({
            "./dir with space/svc.yaml:1:1: info: namespace-default: no namespace [Service web]",
            "./dir with space/svc.yaml:3:5: warning: image-latest-tag: image \"vllm:latest\" uses "
            "the latest tag [Service web]",
            "serving/web.yaml:2:10: error: gpu-requests-limits: requests[nvidia.com/gpu] (1) "
            "differs from limits (2) [Deployment serving/web, container model]",
            "serving/web.yaml:4:1: error: yaml-syntax: not an object",
            "2 errors, 1 warning, 1 info in 3 of 3 documents (2 files)",
        });
        QCOMPARE(lines(textReport(r)), expected);
    }

    void summaryCountsAndWords() {
        LintReport r = sampleReport();
        r.findings.clear();
        QCOMPARE(summaryLine(r), std::string("no problems in 3 documents (2 files)"));
        r.files.resize(1);
        r.files[0].documents = 1;
        r.errors = {{"gone.yaml", "No such file or directory"}};
        QCOMPARE(summaryLine(r), std::string("no problems in 1 document (1 file, 1 could not be "
                                             "read)"));
        // A finding about the file as a whole is not a document's.
        r.findings = {finding("serving/web.yaml", -1, {}, "yaml-syntax", Severity::Error, "bad")};
        QCOMPARE(summaryLine(r),
                 std::string("1 error in 0 of 1 document and 1 file as a whole (1 file, 1 could "
                             "not be read)"));
        QCOMPARE(lines(textReport(r)).first(),
                 QStringLiteral("serving/web.yaml: error: yaml-syntax: bad"));
        const ReportCounts c = countFindings(r);
        QCOMPARE(c.failing, 1);
        QCOMPARE(c.filesWithFileFindings, 1);
    }

    void textNeutralisesControlCharacters() {
        LintReport r = sampleReport();
        r.findings = {finding("a\x1b[2Jb.yaml", 0, {1, 1}, "image-latest-tag", Severity::Warning,
                              "tag \"\x1b]0;pwned\x07\" with\ra carriage return \xC2\x9B"
                              "1m")};
        const std::string text = textReport(r);
        QVERIFY(text.find('\x1b') == std::string::npos);
        QVERIFY(text.find('\r') == std::string::npos);
        QVERIFY(text.find("\xC2\x9B") == std::string::npos);
        QCOMPARE(lines(text).first(), QStringLiteral("a\\x1b[2Jb.yaml:1:1: warning: "
                                                     "image-latest-tag: tag \"\\x1b]0;pwned\\x07\" "
                                                     "with\\x0da carriage return \\x9b1m"));
    }

    void jsonReadsBack() {
        LintReport r = sampleReport();
        r.findings.push_back(finding("serving/web.yaml", -1, {}, "yaml-syntax", Severity::Error,
                                     "invalid \xFF byte"));
        std::sort(r.findings.begin(), r.findings.end(), findingLess);
        r.errors = {{"gone.yaml", "No such file or directory"}};
        const json j = json::parse(formatReport(r, ReportFormat::Json));
        QCOMPARE(j["version"].get<std::string>(), std::string("9.8.7"));
        QCOMPARE(j["files"].size(), 2u);
        QCOMPARE(j["files"][0]["path"].get<std::string>(), std::string("serving/web.yaml"));
        QCOMPARE(j["files"][0]["documents"].get<int>(), 2);
        QCOMPARE(j["findings"].size(), 5u);
        const json *gpu = nullptr;
        for (const json &f : j["findings"])
            if (f["rule"] == "gpu-requests-limits")
                gpu = &f;
        QVERIFY(gpu);
        QCOMPARE((*gpu)["file"].get<std::string>(), std::string("serving/web.yaml"));
        QCOMPARE((*gpu)["line"].get<int>(), 2);
        QCOMPARE((*gpu)["column"].get<int>(), 10);
        QCOMPARE((*gpu)["severity"].get<std::string>(), std::string("error"));
        QCOMPARE((*gpu)["object"].get<std::string>(), std::string("Deployment serving/web"));
        QCOMPARE((*gpu)["container"].get<std::string>(), std::string("model"));
        QCOMPARE(
            (*gpu)["field"].get<std::string>(),
            std::string("spec.template.spec.containers[0].resources.requests[nvidia.com/gpu]"));
        QCOMPARE((*gpu)["fixes"][0]["title"].get<std::string>(),
                 std::string("Set requests[nvidia.com/gpu] to 2"));
        QCOMPARE((*gpu)["fixes"][0]["edits"][0]["start"]["column"].get<int>(), 10);
        QCOMPARE((*gpu)["fixes"][0]["edits"][0]["newText"].get<std::string>(), std::string("2"));
        const json &fileLevel = j["findings"][2];
        QCOMPARE(fileLevel["rule"].get<std::string>(), std::string("yaml-syntax"));
        QVERIFY(fileLevel["line"].is_null());
        QVERIFY(fileLevel["document"].is_null());
        QCOMPARE(fileLevel["message"].get<std::string>(), std::string("invalid \xEF\xBF\xBD byte"));
        QCOMPARE(j["errors"][0]["path"].get<std::string>(), std::string("gone.yaml"));
        QCOMPARE(j["summary"]["errors"].get<int>(), 3);
        QCOMPARE(j["summary"]["warnings"].get<int>(), 1);
        QCOMPARE(j["summary"]["infos"].get<int>(), 1);
        QCOMPARE(j["summary"]["documents"].get<int>(), 3);
        QCOMPARE(j["summary"]["unreadable"].get<int>(), 1);
        QCOMPARE(j["summary"]["failed"].get<bool>(), true);
    }

    void sarifHasTheRequiredFields() {
        LintReport r = sampleReport();
        const json log = json::parse(formatReport(r, ReportFormat::Sarif));
        QCOMPARE(log["version"].get<std::string>(), std::string("2.1.0"));
        QVERIFY(log["$schema"].get<std::string>().find("sarif-schema-2.1.0.json") !=
                std::string::npos);
        QCOMPARE(log["runs"].size(), 1u);
        const json &run = log["runs"][0];
        const json &driver = run["tool"]["driver"];
        QCOMPARE(driver["name"].get<std::string>(), std::string("kubedeck"));
        QCOMPARE(driver["version"].get<std::string>(), std::string("9.8.7"));
        QCOMPARE(driver["rules"].size(), kRules.size());
        std::set<std::string> ids;
        for (const json &rule : driver["rules"]) {
            QVERIFY(ids.insert(rule["id"].get<std::string>()).second);
            QVERIFY(!rule["shortDescription"]["text"].get<std::string>().empty());
            QVERIFY(!rule["fullDescription"]["text"].get<std::string>().empty());
            QVERIFY(!rule["help"]["text"].get<std::string>().empty());
            QVERIFY(rule["properties"]["category"].is_string());
        }
        QCOMPARE(driver["rules"][0]["name"].get<std::string>(), std::string("GpuRequestsLimits"));
        QCOMPARE(driver["rules"][2]["defaultConfiguration"]["level"].get<std::string>(),
                 std::string("note"));
        QCOMPARE(run["columnKind"].get<std::string>(), std::string("utf16CodeUnits"));
        QCOMPARE(run["invocations"][0]["executionSuccessful"].get<bool>(), true);
        QCOMPARE(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].get<std::string>(),
                 std::string("file:///src/repo/"));
        QCOMPARE(run["artifacts"].size(), 2u);

        QCOMPARE(run["results"].size(), r.findings.size());
        for (const json &result : run["results"]) {
            const std::size_t index = result["ruleIndex"].get<std::size_t>();
            QCOMPARE(driver["rules"][index]["id"].get<std::string>(),
                     result["ruleId"].get<std::string>());
            const json &physical = result["locations"][0]["physicalLocation"];
            QCOMPARE(physical["artifactLocation"]["uriBaseId"].get<std::string>(),
                     std::string("%SRCROOT%"));
            const std::size_t artifact = physical["artifactLocation"]["index"].get<std::size_t>();
            QCOMPARE(run["artifacts"][artifact]["location"]["uri"].get<std::string>(),
                     physical["artifactLocation"]["uri"].get<std::string>());
            QVERIFY(physical["region"]["startLine"].get<int>() >= 1);
            QVERIFY(!result["message"]["text"].get<std::string>().empty());
        }
        // Sorted by file: the Service's info and warning, then the Deployment's findings.
        const json &info = run["results"][0];
        QCOMPARE(info["level"].get<std::string>(), std::string("note"));
        QCOMPARE(
            info["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>(),
            std::string("dir%20with%20space/svc.yaml"));
        const json &gpu = run["results"][2];
        QCOMPARE(gpu["ruleId"].get<std::string>(), std::string("gpu-requests-limits"));
        QCOMPARE(gpu["level"].get<std::string>(), std::string("error"));
        // Line 2 is "# é😀 x: 1": byte column 10 is 'x', UTF-16 column 7 (é is one unit, the
        // emoji two).
        const json &region = gpu["locations"][0]["physicalLocation"]["region"];
        QCOMPARE(region["startLine"].get<int>(), 2);
        QCOMPARE(region["startColumn"].get<int>(), 7);
        QCOMPARE(
            gpu["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].get<std::string>(),
            std::string("Deployment serving/web"));
        const json &change = gpu["fixes"][0]["artifactChanges"][0];
        QCOMPARE(gpu["fixes"][0]["description"]["text"].get<std::string>(),
                 std::string("Set requests[nvidia.com/gpu] to 2"));
        QCOMPARE(change["artifactLocation"]["uri"].get<std::string>(),
                 std::string("serving/web.yaml"));
        const json &replacement = change["replacements"][0];
        QCOMPARE(replacement["deletedRegion"]["startColumn"].get<int>(), 7);
        QCOMPARE(replacement["deletedRegion"]["endColumn"].get<int>(), 8);
        QCOMPARE(replacement["insertedContent"]["text"].get<std::string>(), std::string("2"));
        QCOMPARE(gpu["properties"]["container"].get<std::string>(), std::string("model"));
    }

    void sarifLocationsWithoutPlaceAndUnusualPaths() {
        LintReport r;
        r.rules = kRules;
        r.toolVersion = "1.0.0";
        r.files = {{"/abs/path/a b.yaml", 1, {}, {}}, {"x:y#?.yaml", 1, {}, {}}};
        r.findings = {
            finding("/abs/path/a b.yaml", -1, {}, "yaml-syntax", Severity::Error, "broken"),
            finding("x:y#?.yaml", 0, {3, 0}, "no-such-rule", Severity::Warning, "from elsewhere"),
        };
        r.errors = {{"secret.yaml", "Permission denied"}};
        const json run = json::parse(formatReport(r, ReportFormat::Sarif))["runs"][0];
        QVERIFY(!run.contains("originalUriBaseIds"));
        const json &whole = run["results"][0]["locations"][0]["physicalLocation"];
        QCOMPARE(whole["artifactLocation"]["uri"].get<std::string>(),
                 std::string("file:///abs/path/a%20b.yaml"));
        QVERIFY(!whole["artifactLocation"].contains("uriBaseId"));
        QCOMPARE(whole["region"]["startLine"].get<int>(), 1);
        QVERIFY(!whole["region"].contains("startColumn"));
        const json &odd = run["results"][1];
        QCOMPARE(
            odd["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>(),
            std::string("x%3Ay%23%3F.yaml"));
        QCOMPARE(odd["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>(), 3);
        // A rule the catalogue lacks gets a descriptor of its own after the catalogue's.
        QCOMPARE(odd["ruleIndex"].get<std::size_t>(), kRules.size());
        QCOMPARE(run["tool"]["driver"]["rules"][kRules.size()]["id"].get<std::string>(),
                 std::string("no-such-rule"));
        QCOMPARE(run["invocations"][0]["executionSuccessful"].get<bool>(), false);
        QCOMPARE(run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
                     .get<std::string>(),
                 std::string("secret.yaml: Permission denied"));
    }

    void junitHasASuitePerFileAndACasePerObject() {
        LintReport r = sampleReport();
        r.errors = {{"secret.yaml", "Permission denied"}};
        QXmlStreamAttributes root;
        std::vector<QXmlStreamAttributes> suites;
        const std::vector<XmlCase> cases = readJunit(junitReport(r), &root, &suites);
        QCOMPARE(cases.size(), 4u);
        QCOMPARE(attribute(root, "tests"), QStringLiteral("4"));
        QCOMPARE(attribute(root, "failures"), QStringLiteral("2"));
        QCOMPARE(attribute(root, "errors"), QStringLiteral("1"));
        QCOMPARE(suites.size(), 3u);
        QCOMPARE(attribute(suites[0], "name"), QStringLiteral("serving/web.yaml"));
        QCOMPARE(attribute(suites[0], "tests"), QStringLiteral("2"));
        QCOMPARE(attribute(suites[0], "failures"), QStringLiteral("2"));
        QCOMPARE(attribute(suites[1], "failures"), QStringLiteral("0"));

        QCOMPARE(cases[0].name, QStringLiteral("Deployment serving/web"));
        QCOMPARE(cases[0].failureTypes, QStringList{QStringLiteral("error")});
        QCOMPARE(cases[0].failureMessages.first(),
                 QStringLiteral("gpu-requests-limits: requests[nvidia.com/gpu] (1) differs from "
                                "limits (2)"));
        QVERIFY(cases[0].failureText.startsWith(QStringLiteral("serving/web.yaml:2:10: error:")));
        QCOMPARE(cases[1].name, QStringLiteral("document 2"));
        QCOMPARE(cases[1].failureTypes.size(), 1);
        // Warnings and infos do not fail the run, so they are no failures: they are shown.
        QCOMPARE(cases[2].name, QStringLiteral("Service web"));
        QVERIFY(cases[2].failureTypes.isEmpty());
        QVERIFY(cases[2].systemOut.contains(QStringLiteral("warning: image-latest-tag")));
        QVERIFY(cases[2].systemOut.contains(QStringLiteral("info: namespace-default")));
        QCOMPARE(cases[3].suite, QStringLiteral("secret.yaml"));
        QCOMPARE(cases[3].error, QStringLiteral("Permission denied"));

        r.strict = true; // warnings fail the run: now they are failures
        const std::vector<XmlCase> strict = readJunit(junitReport(r));
        QCOMPARE(strict[2].failureTypes, QStringList{QStringLiteral("warning")});
        QVERIFY(strict[2].systemOut.contains(QStringLiteral("namespace-default")));
    }

    void junitCasesForFilesAndListItems() {
        LintReport r;
        r.rules = kRules;
        r.files = {{"list.yaml", 2, {{0, "Service a"}, {0, "Service b"}}, {}}};
        r.findings = {
            finding("list.yaml", -1, {}, "yaml-syntax", Severity::Error, "tab in indentation"),
            finding("list.yaml", 0, {9, 3}, "yaml-syntax", Severity::Error, "b", "Service b"),
            finding("list.yaml", 0, {2, 1}, "yaml-syntax", Severity::Error, "the List itself"),
        };
        const std::vector<XmlCase> cases = readJunit(junitReport(r));
        QStringList names;
        for (const XmlCase &c : cases)
            names << c.name;
        QCOMPARE(names, strings({"file", "Service a", "Service b", "document 2"}));
        QCOMPARE(cases[0].failureMessages.size(), 1);
        QCOMPARE(cases[1].failureMessages, strings({"yaml-syntax: the List itself"}));
        QCOMPARE(cases[2].failureMessages, strings({"yaml-syntax: b"}));
        QVERIFY(cases[3].failureMessages.isEmpty());
    }

    void junitEscapesHostileText() {
        const std::string message =
            "a <b> & \"c\" 'd' \x01\x1f tab\there\nline\rcr \xC3\xBC\xE2\x9C"
            "\x93 \xF0\x9F\x98\x80 bad\xFF\xC0\xAF \xEF\xBF\xBE";
        LintReport r;
        r.rules = kRules;
        r.files = {{"<&\"'>.yaml", 1, {{0, "ConfigMap x&y"}}, {}}};
        r.findings = {finding("<&\"'>.yaml", 0, {1, 1}, "yaml-syntax", Severity::Error, message,
                              "ConfigMap x&y")};
        const std::string xml = junitReport(r);
        QVERIFY(xml.find('\x01') == std::string::npos);
        const std::vector<XmlCase> cases = readJunit(xml);
        QCOMPARE(cases.size(), 1u);
        QCOMPARE(cases[0].suite, QStringLiteral("<&\"'>.yaml"));
        QCOMPARE(cases[0].name, QStringLiteral("ConfigMap x&y"));
        const QString expected =
            QString::fromUtf8("yaml-syntax: a <b> & \"c\" 'd' \\u0001\\u001F tab\there\nline\rcr "
                              "\xC3\xBC\xE2\x9C\x93 "
                              "\xF0\x9F\x98\x80 bad\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \\uFFFE");
        QCOMPARE(cases[0].failureMessages.first(), expected);
        QVERIFY(cases[0].failureText.contains(QStringLiteral("\"c\" 'd'")));
        QVERIFY(cases[0].failureText.contains(QStringLiteral("line\rcr")));
    }

    void validUtf8ReplacesWhatIsNotUtf8() {
        QCOMPARE(detail::validUtf8("plain \xC3\xA9 \xF4\x8F\xBF\xBF"),
                 std::string("plain \xC3\xA9 \xF4\x8F\xBF\xBF"));
        const std::string r = "\xEF\xBF\xBD";
        QCOMPARE(detail::validUtf8("\xC0\x80"), r + r);                 // overlong NUL
        QCOMPARE(detail::validUtf8("\xED\xA0\x80"), r + r + r);         // a surrogate
        QCOMPARE(detail::validUtf8("\xF4\x90\x80\x80"), r + r + r + r); // past U+10FFFF
        QCOMPARE(detail::validUtf8("ab\xE2\x9C"), "ab" + r + r);        // cut short
    }

    void formatsByName() {
        QCOMPARE(parseReportFormat("sarif"), std::optional(ReportFormat::Sarif));
        QCOMPARE(parseReportFormat("junit"), std::optional(ReportFormat::Junit));
        QCOMPARE(parseReportFormat("json"), std::optional(ReportFormat::Json));
        QCOMPARE(parseReportFormat("text"), std::optional(ReportFormat::Text));
        QVERIFY(!parseReportFormat("xml"));
        QVERIFY(!parseReportFormat("SARIF"));
    }

    void ruleListIsADocumentationPage() {
        const std::string page = ruleListText(kRules, 60);
        for (const RuleInfo &rule : kRules) {
            const std::string heading =
                std::string(rule.id) + "  [" + std::string(severityName(rule.severity)) + ", " +
                std::string(rule.category) +
                (rule.scope == RuleScope::Container ? ", per container]" : "]");
            QVERIFY2(page.find('\n' + heading + '\n') != std::string::npos, heading.c_str());
        }
        QVERIFY(page.find("    Why: The API server rejects a pod") != std::string::npos);
        QVERIFY(page.find("    Fix: Pin a version tag or a digest.") != std::string::npos);
        QVERIFY(page.find("kubedeck.io/lint-ignore") != std::string::npos);
        // Wrapped, with the continuation lines under the text.
        for (const QString &line : QString::fromStdString(page).split(u'\n'))
            QVERIFY2(line.size() <= 60, qPrintable(line));
        QVERIFY(page.find("\n         resource requests") != std::string::npos);

        const json j = json::parse(ruleListJson(kRules).dump());
        QCOMPARE(j["rules"].size(), kRules.size());
        QCOMPARE(j["rules"][0]["id"].get<std::string>(), std::string("gpu-requests-limits"));
        QCOMPARE(j["rules"][0]["scope"].get<std::string>(), std::string("container"));
        QCOMPARE(j["rules"][1]["severity"].get<std::string>(), std::string("warning"));
        QCOMPARE(j["rules"][1]["fix"].get<std::string>(),
                 std::string("Pin a version tag or a digest."));
    }
};

QTEST_GUILESS_MAIN(TstReporters)
#include "tst_reporters.moc"
