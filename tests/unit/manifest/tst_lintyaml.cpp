// The text stage of `kubedeck lint`: YAML syntax, duplicate keys, encodings and limits become
// findings at sane positions, documents that are not objects are named as such, and hostile
// input (behaviour reference §7, 11-14) never stops the other documents of a file from being
// fully checked.
#include "linttesthelpers.h"

using namespace kdtest;

namespace {

// A document with exactly one problem: `replicsa` at its line 6, column 3.
const std::string kTypo = "apiVersion: apps/v1\n"
                          "kind: Deployment\n"
                          "metadata:\n"
                          "  name: web\n"
                          "spec:\n"
                          "  replicsa: 3\n"
                          "  selector: {matchLabels: {app: web}}\n"
                          "  template: {metadata: {labels: {app: web}}, spec: {containers: "
                          "[{name: a, image: 'vllm:1'}]}}\n";

std::string utf16(std::string_view ascii, bool bigEndian) {
    std::string out = bigEndian ? "\xFE\xFF" : "\xFF\xFE";
    for (char c : ascii) {
        if (bigEndian) {
            out += '\0';
            out += c;
        } else {
            out += c;
            out += '\0';
        }
    }
    return out;
}

// The summary of kTypo's finding when the document starts `line - 5` lines into the file.
QString typoAt(int line) {
    return QStringLiteral("field-unknown@%1:3 spec.replicsa: unknown field `replicsa` in "
                          "DeploymentSpec; did you mean `replicas`?")
        .arg(line);
}

} // namespace

class TstLintYaml final : public QObject {
    Q_OBJECT

private slots:
    void syntaxErrorSkipsOnlyItsDocument() {
        const std::string text = kTypo + "---\nkind: [unclosed\n  x: 1\n---\n" + kTypo;
        const auto findings = lintOwn(text);
        QCOMPARE(ruleIds(findings), strings({"field-unknown", "yaml-syntax", "field-unknown"}));
        QCOMPARE(summary(findings[0]), typoAt(6));
        QCOMPARE(summary(findings[2]), typoAt(18));
        const Finding &syntax = findings[1];
        QVERIFY2(syntax.position.line >= 10 && syntax.position.line <= 11,
                 qPrintable(summary(syntax)));
        QVERIFY(syntax.position.column >= 1);
        QVERIFY(syntax.message.starts_with("invalid YAML: "));
        QVERIFY(syntax.message.ends_with(" (this document is skipped)"));
        QCOMPARE(syntax.document, -1);
        QCOMPARE(qs(syntax.file), QStringLiteral("test.yaml"));
        QCOMPARE(syntax.severity, Severity::Error);
        QVERIFY(syntax.object.empty());
    }

    void duplicateKeyIsReportedAtTheSecondKey() {
        const std::string text = kTypo + "---\napiVersion: apps/v1\nkind: Deployment\n"
                                         "metadata: {name: b}\n"
                                         "spec:\n"
                                         "  replicas: 1\n"
                                         "  selector: {}\n"
                                         "  replicas: 2\n"
                                         "  template: {spec: {containers: [{name: a}]}}\n";
        const auto findings = lintOwn(text);
        const auto dup = withRule(findings, "yaml-duplicate-key");
        QCOMPARE(dup.size(), 1u);
        QCOMPARE(dup[0].position.line, 16);
        QCOMPARE(dup[0].position.column, 3);
        QCOMPARE(dup[0].document, 1);
        QVERIFY(dup[0].message.find("\"replicas\"") != std::string::npos);
        QCOMPARE(summary(withRule(findings, "field-unknown").at(0)), typoAt(6));
    }

    void encodings_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("fixesOffered"); // positions refer to the text as given
        QTest::newRow("UTF-8") << QByteArray::fromStdString(kTypo) << true;
        QTest::newRow("UTF-8 with BOM")
            << QByteArray::fromStdString("\xEF\xBB\xBF" + kTypo) << true;
        QTest::newRow("UTF-16 LE with BOM")
            << QByteArray::fromStdString(utf16(kTypo, false)) << false;
        QTest::newRow("UTF-16 BE with BOM")
            << QByteArray::fromStdString(utf16(kTypo, true)) << false;
    }

    void encodings() {
        QFETCH(QByteArray, input);
        QFETCH(bool, fixesOffered);
        const auto findings = lintOwn(std::string_view(input.constData(), input.size()));
        QCOMPARE(summaries(findings), QStringList{typoAt(6)});
        QCOMPARE(findings.front().fixes.empty(), !fixesOffered);
    }

    void badEncodings_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::newRow("NUL byte") << QByteArray("apiVersion: v1\nkind: Pod\x00x\n", 26) << 2 << 10;
        QTest::newRow("invalid UTF-8") << QByteArray("apiVersion: v1\nkind: \xC3\x28\n") << 2 << 7;
        QTest::newRow("truncated UTF-16") << QByteArray("\xFF\xFE\x61", 3) << 1 << 1;
        QTest::newRow("lone surrogate") << QByteArray("\xFF\xFE\x00\xD8\x61\x00", 6) << 1 << 1;
    }

    void badEncodings() {
        QFETCH(QByteArray, input);
        QFETCH(int, line);
        QFETCH(int, column);
        const auto findings = lintOwn(std::string_view(input.constData(), input.size()));
        QCOMPARE(ruleIds(findings), QStringList{QStringLiteral("yaml-encoding")});
        QCOMPARE(findings[0].position.line, line);
        QCOMPARE(findings[0].position.column, column);
        QCOMPARE(findings[0].document, -1);
        QVERIFY(findings[0].message.ends_with("; save the file as UTF-8"));
    }

    void billionLaughsIsCappedAndTheNextDocumentChecked() {
        std::string bomb = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n";
        for (char c = 'b'; c <= 'j'; ++c) {
            const char prev = static_cast<char>(c - 1);
            bomb += std::string(1, c) + ": &" + c + " [";
            for (int i = 0; i < 9; ++i)
                bomb += std::string(i ? "," : "") + "*" + prev;
            bomb += "]\n";
        }
        const auto findings = lintOwn(bomb + "---\n" + kTypo);
        QCOMPARE(ruleIds(findings), strings({"yaml-limit", "field-unknown"}));
        QVERIFY(findings[0].position.line >= 1 && findings[0].position.line <= 10);
        QCOMPARE(summary(findings[1]), typoAt(17));
    }

    void deepNestingIsRefusedAndTheNextDocumentChecked() {
        const std::string deep = "a: " + std::string(10'000, '[') + "\n";
        const auto findings = lintOwn(deep + "---\n" + kTypo);
        QCOMPARE(ruleIds(findings), strings({"yaml-limit", "field-unknown"}));
        QCOMPARE(findings[0].position.line, 1);
        QCOMPARE(summary(findings[1]), typoAt(8));
    }

    void hugeInputIsOneFinding() {
        std::string huge = kTypo + "---\n";
        huge += "data: \"" + std::string(70u * 1024u * 1024u, 'x') + "\"\n";
        const auto findings = lintOwn(huge);
        QCOMPARE(ruleIds(findings), QStringList{QStringLiteral("yaml-limit")});
        QCOMPARE(findings[0].position.line, 1);
        QCOMPARE(findings[0].position.column, 1);
        QCOMPARE(findings[0].document, -1);
    }

    void emptyDocumentsAndDocumentEndMarkers() {
        const std::string text = "---\n---\n# only a comment\n---\n" + kTypo + "...\n---\n...\n" +
                                 "---\n" + kTypo + "...\n";
        const auto findings = lintOwn(text);
        QCOMPARE(summaries(findings), (QStringList{typoAt(10), typoAt(22)}));
    }

    void documentsThatAreNotObjects() {
        const std::string text = "just a sentence\n"
                                 "---\n"
                                 "- a\n- b\n"
                                 "---\n"
                                 "42\n"
                                 "---\n"
                                 "replicas: 3\n"
                                 "---\n"
                                 "kind: Deployment\nmetadata: {name: web}\n"
                                 "---\n"
                                 "apiVersion: apps/v1\nmetadata: {name: web}\n"
                                 "---\n"
                                 "apiVersion: 1\nkind: Pod\n"
                                 "---\n"
                                 "apiVersion: v1\nkind: [Pod]\n";
        const auto findings = lintOwn(text);
        QCOMPARE(
            summaries(findings),
            (QStringList{
                QStringLiteral("object-invalid@1:1 : this document is a string, not a Kubernetes "
                               "object (a mapping with apiVersion and kind)"),
                QStringLiteral("object-invalid@3:1 : this document is a list, not a Kubernetes "
                               "object (a mapping with apiVersion and kind)"),
                QStringLiteral("object-invalid@6:1 : this document is a number, not a Kubernetes "
                               "object (a mapping with apiVersion and kind)"),
                QStringLiteral("object-invalid@8:1 : this document has neither apiVersion nor "
                               "kind, so it is not a Kubernetes object"),
                QStringLiteral("object-invalid@10:1 : this Deployment has no apiVersion (e.g. "
                               "`apps/v1` or `v1`)"),
                QStringLiteral("object-invalid@13:1 : this document has apiVersion `apps/v1` but "
                               "no kind"),
                QStringLiteral("object-invalid@16:13 apiVersion: apiVersion must be a string, "
                               "such as `apps/v1`"),
                QStringLiteral("object-invalid@20:7 kind: kind must be a string, such as "
                               "`Deployment`")}));
        for (const Finding &f : findings)
            QCOMPARE(f.severity, Severity::Error);
        QCOMPARE(findings[1].document, 1);
        QCOMPARE(findings[4].document, 4);
    }

    void listItemsThatAreNotObjects() {
        const std::string text = "apiVersion: v1\nkind: List\nitems:\n"
                                 "- 7\n"
                                 "-\n"
                                 "- " +
                                 std::string("{kind: Deployment}") +
                                 "\n"
                                 "---\n"
                                 "apiVersion: v1\nkind: List\nitems: {a: 1}\n"
                                 "---\n"
                                 "apiVersion: v1\nkind: List\n";
        const auto findings = lintOwn(text);
        QCOMPARE(summaries(findings),
                 (QStringList{QStringLiteral("object-invalid@4:3 : item 0 of this List is a "
                                             "number, not a Kubernetes object (a mapping with "
                                             "apiVersion and kind)"),
                              QStringLiteral("object-invalid@6:3 items[2]: this Deployment has "
                                             "no apiVersion (e.g. `apps/v1` or `v1`)"),
                              QStringLiteral("object-invalid@10:1 : `items` of a List must be a "
                                             "list of objects, not a mapping")}));
    }

    void everyYamlCheckIsInTheCatalogue() {
        for (const char *id : {"yaml-syntax", "yaml-duplicate-key", "yaml-encoding", "yaml-limit",
                               "object-invalid"}) {
            const RuleInfo *rule = findRule(id);
            QVERIFY2(rule != nullptr, id);
            QCOMPARE(rule->severity, Severity::Error);
        }
        QCOMPARE(findRule("yaml-syntax")->scope, RuleScope::File);
    }

    void disabledTextChecks() {
        LintOptions options;
        options.config.disabled.insert("yaml-duplicate-key");
        options.config.severity["yaml-syntax"] = Severity::Warning;
        const auto findings = lintOwn("a: 1\na: 2\n---\nb: [\n", options);
        QCOMPARE(ruleIds(findings), strings({"object-invalid", "yaml-syntax"}));
        QCOMPARE(findings[1].severity, Severity::Warning);
    }
};

QTEST_GUILESS_MAIN(TstLintYaml)
#include "tst_lintyaml.moc"
