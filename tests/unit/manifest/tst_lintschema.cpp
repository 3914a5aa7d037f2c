// The structural schema walk of `kubedeck lint` (unknown fields with "did you mean", types,
// required fields, enums, quantities), with exact positions and quick fixes that are checked by
// applying them; also the suggester the "did you mean" texts come from. apiVersions and missing
// schemas: tst_lintversions.
#include "linttesthelpers.h"
#include "manifest/lintschemawalk.h"
#include "manifest/suggest.h"

using namespace kdtest;

namespace {

// A valid Deployment of the test schema; tests append lines under its container or spec.
const std::string kDeployment = "apiVersion: apps/v1\n"         // 1
                                "kind: Deployment\n"            // 2
                                "metadata:\n"                   // 3
                                "  name: web\n"                 // 4
                                "spec:\n"                       // 5
                                "  selector:\n"                 // 6
                                "    matchLabels: {app: web}\n" // 7
                                "  template:\n"                 // 8
                                "    spec:\n"                   // 9
                                "      containers:\n"           // 10
                                "      - name: model\n"         // 11
                                "        image: vllm:0.6\n";    // 12

} // namespace

class TstLintSchema final : public QObject {
    Q_OBJECT

private slots:
    void validObjectHasNoFindings() {
        const auto run = runSchemaStage(kDeployment + "        imagePullPolicy: Always\n"
                                                      "        resources:\n"
                                                      "          limits: {memory: 1.5Gi, cpu: "
                                                      "500m, nvidia.com/gpu: 1}\n"
                                                      "        ports: [{containerPort: 8080}]\n");
        QCOMPARE(summaries(run.findings), QStringList());
    }

    void unknownFieldAtItsKeyWithRenameFix() {
        const std::string text = "apiVersion: apps/v1\n"
                                 "kind: Deployment\n"
                                 "metadata:\n"
                                 "  name: web\n"
                                 "spec:\n"
                                 "  replicsa: 3\n"
                                 "  selector: {}\n"
                                 "  template: {spec: {containers: [{name: a}]}}\n";
        const auto run = runSchemaStage(text);
        QCOMPARE(summaries(run.findings),
                 QStringList{QStringLiteral("field-unknown@6:3 spec.replicsa: unknown field "
                                            "`replicsa` in DeploymentSpec; did you mean "
                                            "`replicas`?")});
        const Finding &f = run.findings.front();
        QCOMPARE(f.severity, Severity::Error);
        QCOMPARE(qs(f.object), QStringLiteral("Deployment web"));
        QCOMPARE(f.document, 0);
        QCOMPARE(f.fixes.size(), 1u);
        QCOMPARE(qs(f.fixes.front().title), QStringLiteral("Rename `replicsa` to `replicas`"));
        std::string fixed = text;
        fixed.replace(fixed.find("replicsa"), 8, "replicas");
        QCOMPARE(qs(applyFirstFix(text, f)), qs(fixed));
    }

    void unknownFieldsAreAllReported() {
        const auto run = runSchemaStage(kDeployment + "        imagePullPolicyy: Always\n"
                                                      "        gpus: 1\n"
                                                      "      nodeselector: {pool: a100}\n");
        QCOMPARE(summaries(run.findings),
                 (QStringList{
                     QStringLiteral("field-unknown@13:9 spec.template.spec.containers[0]."
                                    "imagePullPolicyy: unknown field `imagePullPolicyy` in "
                                    "Container; did you mean `imagePullPolicy`?"),
                     QStringLiteral("field-unknown@14:9 spec.template.spec.containers[0].gpus: "
                                    "unknown field `gpus` in Container"),
                     QStringLiteral("field-unknown@15:7 spec.template.spec.nodeselector: unknown "
                                    "field `nodeselector` in PodSpec; did you mean "
                                    "`nodeSelector`?")}));
        QVERIFY(run.findings[1].fixes.empty()); // nothing close enough to rename to
    }

    void unknownQuotedKeyIsRenamedInsideItsQuotes() {
        const std::string text = kDeployment + "        \"imagePullPolicyy\": Always\n";
        const auto run = runSchemaStage(text);
        QCOMPARE(run.findings.size(), 1u);
        QCOMPARE(qs(applyFirstFix(text, run.findings.front())),
                 qs(kDeployment + "        \"imagePullPolicy\": Always\n"));
    }

    void suggestionSkipsFieldsAlreadyPresent() {
        const auto run = runSchemaStage(kDeployment + "        imagePullPolicy: Always\n"
                                                      "        imagePullPolicyy: Always\n");
        QCOMPARE(run.findings.size(), 1u);
        QCOMPARE(qs(run.findings.front().message),
                 QStringLiteral("unknown field `imagePullPolicyy` in Container"));
        QVERIFY(run.findings.front().fixes.empty());
    }

    void openObjectsAndAnyAcceptUnknownFields() {
        const std::string text = "apiVersion: example.com/v1\n"
                                 "kind: Tuning\n"
                                 "metadata: {name: t}\n"
                                 "spec:\n"
                                 "  config: {anything: [1, {deep: true}], goes: here}\n"
                                 "  extra: {whatever: 1, name: 5}\n"
                                 "  learningRate: 1\n"
                                 "  epochs: 3000000000\n";
        const auto run = runSchemaStage(text);
        // The open object still checks the fields it lists; numbers accept integers; int64
        // holds what int32 cannot.
        QCOMPARE(summaries(run.findings),
                 QStringList{QStringLiteral(
                     "field-type@6:30 spec.extra.name: expected a string, got the integer 5; put "
                     "it in quotes (YAML reads it as a number)")});
    }

    void quotedNumberIsATypeErrorWithUnquoteFix() {
        const std::string text = "apiVersion: apps/v1\n"
                                 "kind: Deployment\n"
                                 "metadata: {name: web}\n"
                                 "spec:\n"
                                 "  replicas: \"3\"\n"
                                 "  selector: {}\n"
                                 "  template: {spec: {containers: [{name: a, ports: "
                                 "[{containerPort: '8080'}]}]}}\n";
        const auto run = runSchemaStage(text);
        QCOMPARE(summaries(run.findings),
                 (QStringList{QStringLiteral("field-type@5:13 spec.replicas: expected an "
                                             "integer, got the string \"3\"; remove the quotes"),
                              QStringLiteral("field-type@7:68 spec.template.spec.containers[0]."
                                             "ports[0].containerPort: expected an integer, got "
                                             "the string \"8080\"; remove the quotes")}));
        QCOMPARE(qs(run.findings[0].fixes.front().title), QStringLiteral("Remove the quotes"));
        std::string fixed = text;
        fixed.replace(fixed.find("\"3\""), 3, "3");
        QCOMPARE(qs(applyFirstFix(text, run.findings[0])), qs(fixed));
        fixed = text;
        fixed.replace(fixed.find("'8080'"), 6, "8080");
        QCOMPARE(qs(applyFirstFix(text, run.findings[1])), qs(fixed));
    }

    void typeErrors_data() {
        QTest::addColumn<QString>("lines"); // appended under the container
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("fixed"); // the lines after the first fix, "" for none
        QTest::newRow("env value true") << "        env: [{name: DEBUG, value: true}]\n"
                                        << "field-type@13:36 spec.template.spec.containers[0]."
                                           "env[0].value: expected a string, got the boolean "
                                           "true; put it in quotes (YAML reads it as a boolean)"
                                        << "        env: [{name: DEBUG, value: \"true\"}]\n";
        QTest::newRow("env value yes, YAML 1.1")
            << "        env:\n        - name: X\n          value: yes  # a boolean\n"
            << "field-type@15:18 spec.template.spec.containers[0].env[0].value: expected a "
               "string, got the boolean true; put it in quotes (YAML reads it as a boolean)"
            << "        env:\n        - name: X\n          value: \"yes\"  # a boolean\n";
        QTest::newRow("version 1.10 keeps its spelling")
            << "        env: [{name: V, value: 1.10}]\n"
            << "field-type@13:32 spec.template.spec.containers[0].env[0].value: expected a "
               "string, got the number 1.1; put it in quotes (YAML reads it as a number)"
            << "        env: [{name: V, value: \"1.10\"}]\n";
        QTest::newRow("mapping for a list")
            << "        ports: {containerPort: 80}\n"
            << "field-type@13:16 spec.template.spec.containers[0].ports: expected a list, got a "
               "mapping; start each item with `- `"
            << "";
        QTest::newRow("list for a string")
            << "        imagePullPolicy: [a, b]\n"
            << "field-type@13:26 spec.template.spec.containers[0].imagePullPolicy: expected a "
               "string, got a list"
            << "";
        QTest::newRow("float for int32")
            << "        ports: [{containerPort: 80.5}]\n"
            << "field-type@13:33 spec.template.spec.containers[0].ports[0].containerPort: "
               "expected an integer, got the number 80.5"
            << "";
        QTest::newRow("int32 range")
            << "        ports: [{containerPort: 3000000000}]\n"
            << "field-type@13:33 spec.template.spec.containers[0].ports[0].containerPort: "
               "3000000000 is out of range for a 32-bit integer"
            << "";
        QTest::newRow("negative int32 range")
            << "        ports: [{containerPort: -2147483649}]\n"
            << "field-type@13:33 spec.template.spec.containers[0].ports[0].containerPort: "
               "-2147483649 is out of range for a 32-bit integer"
            << "";
        QTest::newRow("long string value is summarised")
            << QStringLiteral("        ports: [{containerPort: %1}]\n").arg(QString(50, u'x'))
            << "field-type@13:33 spec.template.spec.containers[0].ports[0].containerPort: "
               "expected an integer, got a string of 50 characters"
            << "";
    }

    void typeErrors() {
        QFETCH(QString, lines);
        QFETCH(QString, expected);
        QFETCH(QString, fixed);
        const std::string text = kDeployment + lines.toStdString();
        const auto run = runSchemaStage(text);
        QCOMPARE(summaries(run.findings), QStringList{expected});
        QCOMPARE(qs(applyFirstFix(text, run.findings.front())),
                 fixed.isEmpty() ? QString() : qs(kDeployment) + fixed);
    }

    void scalarTypesAtTheSpecLevel() {
        const std::string text = "apiVersion: apps/v1\n"
                                 "kind: Deployment\n"
                                 "metadata:\n"
                                 "  name: web\n"
                                 "  labels: {version: 1.0, team: ml}\n"
                                 "spec:\n"
                                 "  paused: \"true\"\n"
                                 "  strategy: {rollingUpdate: {maxSurge: 0.5}}\n"
                                 "  selector: {}\n"
                                 "  template: {spec: {containers: [{name: a}]}}\n";
        const auto run = runSchemaStage(text);
        QCOMPARE(summaries(run.findings),
                 (QStringList{QStringLiteral("field-type@5:21 metadata.labels.version: expected "
                                             "a string, got the number 1.0; put it in quotes "
                                             "(YAML reads it as a number)"),
                              QStringLiteral("field-type@7:11 spec.paused: expected a boolean "
                                             "(true or false), got the string \"true\"; remove "
                                             "the quotes"),
                              QStringLiteral("field-type@8:40 spec.strategy.rollingUpdate."
                                             "maxSurge: expected an integer or a string, got "
                                             "the number 0.5")}));
        std::string fixed = text;
        fixed.replace(fixed.find("1.0"), 3, "\"1.0\"");
        QCOMPARE(qs(applyFirstFix(text, run.findings[0])), qs(fixed));
    }

    void intOrStringAcceptsBoth() {
        for (const char *value : {"25%", "1", "\"2\""}) {
            const auto run = runSchemaStage(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n"
                "  strategy: {rollingUpdate: {maxSurge: " +
                std::string(value) + "}}\n  selector: {}\n  template: {spec: {containers: []}}\n");
            QVERIFY2(run.findings.empty(), value);
        }
    }

    void base64Data() {
        const std::string text = "apiVersion: v1\nkind: Secret\nmetadata: {name: hf}\n"
                                 "data:\n"
                                 "  token: aGZfc2VjcmV0\n"
                                 "  plain: hf_secret!\n"
                                 "stringData: {plain: hf_secret!}\n";
        const auto run = runSchemaStage(text);
        QCOMPARE(summaries(run.findings),
                 QStringList{QStringLiteral(
                     "field-type@6:10 data.plain: expected base64-encoded data, got the string "
                     "\"hf_secret!\" (put plain text under stringData instead)")});
    }

    void requiredFieldsAtTheParentsKey() {
        const std::string text = "apiVersion: apps/v1\n"
                                 "kind: Deployment\n"
                                 "metadata: {name: web}\n"
                                 "spec:\n"
                                 "  replicas: 2\n"
                                 "---\n"
                                 "apiVersion: apps/v1\n"
                                 "kind: Deployment\n"
                                 "metadata: {name: web2}\n"
                                 "spec:\n"
                                 "  selector:\n"
                                 "  template:\n"
                                 "    spec:\n"
                                 "      containers:\n"
                                 "      - image: vllm\n";
        const auto run = runSchemaStage(text);
        QCOMPARE(summaries(run.findings),
                 (QStringList{QStringLiteral("field-required@4:1 spec.selector: missing required "
                                             "field `selector` (DeploymentSpec)"),
                              QStringLiteral("field-required@4:1 spec.template: missing required "
                                             "field `template` (DeploymentSpec)"),
                              QStringLiteral("field-required@11:3 spec.selector: required field "
                                             "`selector` has no value (DeploymentSpec)"),
                              QStringLiteral("field-required@15:9 spec.template.spec."
                                             "containers[0].name: missing required field `name` "
                                             "(Container)")}));
        QCOMPARE(run.findings[2].document, 1);
    }

    void nullMeansUnset() {
        const auto run = runSchemaStage(kDeployment + "        ports:\n        resources:\n"
                                                      "          limits: {memory: ~}\n");
        QCOMPARE(summaries(run.findings), QStringList());
    }

    void enumValues() {
        const std::string text = kDeployment + "        imagePullPolicy: always\n"
                                               "      - name: b\n"
                                               "        imagePullPolicy: 'ifNotPresent'\n"
                                               "      - name: c\n"
                                               "        imagePullPolicy: Sometimes\n"
                                               "      - name: d\n"
                                               "        imagePullPolicy: Never\n";
        const auto run = runSchemaStage(text);
        QCOMPARE(summaries(run.findings),
                 (QStringList{
                     QStringLiteral("field-enum@13:26 spec.template.spec.containers[0]."
                                    "imagePullPolicy: unsupported value \"always\"; expected one "
                                    "of Always, IfNotPresent, Never; did you mean `Always`?"),
                     QStringLiteral("field-enum@15:26 spec.template.spec.containers[1]."
                                    "imagePullPolicy: unsupported value \"ifNotPresent\"; "
                                    "expected one of Always, IfNotPresent, Never; did you mean "
                                    "`IfNotPresent`?"),
                     QStringLiteral("field-enum@17:26 spec.template.spec.containers[2]."
                                    "imagePullPolicy: unsupported value \"Sometimes\"; expected "
                                    "one of Always, IfNotPresent, Never")}));
        std::string fixed = text;
        fixed.replace(fixed.find("always"), 6, "Always");
        QCOMPARE(qs(applyFirstFix(text, run.findings[0])), qs(fixed));
        fixed = text;
        fixed.replace(fixed.find("'ifNotPresent'"), 14, "'IfNotPresent'");
        QCOMPARE(qs(applyFirstFix(text, run.findings[1])), qs(fixed));
        QVERIFY(run.findings[2].fixes.empty());
    }

    void enumValueOfWrongType() {
        const auto run = runSchemaStage(kDeployment + "        imagePullPolicy: 1\n");
        QCOMPARE(ruleIds(run.findings), QStringList{QStringLiteral("field-type")});
    }

    void quantities() {
        const std::string text = kDeployment + "        resources:\n"
                                               "          limits:\n"
                                               "            memory: 2GB\n"
                                               "            cpu: 2\n"
                                               "            nvidia.com/gpu: 1\n"
                                               "          requests:\n"
                                               "            memory: \"1 Gi\"\n"
                                               "            cpu: lots\n"
                                               "            ephemeral-storage: true\n"
                                               "            example.com/fpga: 0.5\n";
        const auto run = runSchemaStage(text);
        const QString limits = QStringLiteral("spec.template.spec.containers[0].resources.");
        QCOMPARE(summaries(run.findings),
                 (QStringList{QStringLiteral("field-quantity@15:21 ") + limits +
                                  QStringLiteral("limits.memory: \"2GB\" is not a valid "
                                                 "quantity; did you mean `2Gi` or `2G`?"),
                              QStringLiteral("field-quantity@19:21 ") + limits +
                                  QStringLiteral("requests.memory: \"1 Gi\" is not a valid "
                                                 "quantity; did you mean `1Gi`?"),
                              QStringLiteral("field-quantity@20:18 ") + limits +
                                  QStringLiteral("requests.cpu: \"lots\" is not a valid "
                                                 "quantity (a number with an optional suffix, "
                                                 "such as 500m, 2 or 1.5Gi)"),
                              QStringLiteral("field-type@21:32 ") + limits +
                                  QStringLiteral("requests.ephemeral-storage: expected a "
                                                 "quantity (such as 500m, 2 or 1.5Gi), got the "
                                                 "boolean true")}));
        const Finding &gb = run.findings[0];
        QCOMPARE(gb.fixes.size(), 2u);
        QCOMPARE(qs(gb.fixes[1].title), QStringLiteral("Change to 2G"));
        std::string fixed = text;
        fixed.replace(fixed.find("2GB"), 3, "2Gi");
        QCOMPARE(qs(applyFirstFix(text, gb)), qs(fixed));
        fixed = text;
        fixed.replace(fixed.find("1 Gi"), 4, "1Gi");
        QCOMPARE(qs(applyFirstFix(text, run.findings[1])), qs(fixed));
        QVERIFY(run.findings[2].fixes.empty());
    }

    void quantitySuggestions_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("GB") << "2GB" << strings({"2Gi", "2G"});
        QTest::newRow("gb") << "16gb" << strings({"16Gi", "16G"});
        QTest::newRow("MiB") << "512MiB" << strings({"512Mi"});
        QTest::newRow("gi") << "1gi" << strings({"1Gi"});
        QTest::newRow("K") << "100K" << strings({"100Ki", "100k"});
        QTest::newRow("space") << "1.5 Gi" << strings({"1.5Gi"});
        QTest::newRow("bytes") << "1024 bytes" << strings({"1024"});
        QTest::newRow("nonsense") << "lots" << QStringList();
        QTest::newRow("unknown unit") << "3x" << QStringList();
    }

    void quantitySuggestions() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QStringList actual;
        for (const std::string &s : detail::quantitySuggestions(text.toStdString()))
            actual << qs(s);
        QCOMPARE(actual, expected);
    }

    void disabledAndOverriddenInTheSink() {
        LintOptions options;
        options.config.disabled.insert("field-unknown");
        options.config.severity["field-type"] = Severity::Warning;
        const auto run = runSchemaStage(kDeployment + "        imagePullPolicyy: Always\n"
                                                      "        image: 3\n",
                                        options);
        QCOMPARE(ruleIds(run.findings), QStringList{QStringLiteral("field-type")});
        QCOMPARE(run.findings.front().severity, Severity::Warning);
    }

    void editDistance_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("distance");
        QTest::newRow("same") << "replicas"
                              << "replicas" << 0;
        QTest::newRow("transposition") << "replicsa"
                                       << "replicas" << 1;
        QTest::newRow("insertion") << "replica"
                                   << "replicas" << 1;
        QTest::newRow("deletion") << "replicass"
                                  << "replicas" << 1;
        QTest::newRow("substitution") << "replicaz"
                                      << "replicas" << 1;
        QTest::newRow("two") << "rpelicsa"
                             << "replicas" << 2;
        QTest::newRow("empty") << ""
                               << "abc" << 3;
        QTest::newRow("case counts") << "Always"
                                     << "always" << 1;
    }

    void editDistance() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, distance);
        QCOMPARE(kd::manifest::editDistance(a.toStdString(), b.toStdString()),
                 static_cast<std::size_t>(distance));
        QCOMPARE(kd::manifest::editDistance(b.toStdString(), a.toStdString()),
                 static_cast<std::size_t>(distance));
    }

    void suggester() {
        const std::vector<std::string> fields{"replicas", "selector", "strategy", "template"};
        QCOMPARE(qs(suggest("replicsa", fields)), QStringLiteral("replicas"));
        QCOMPARE(qs(suggest("Selector", fields)), QStringLiteral("selector"));
        QCOMPARE(qs(suggest("replicas", fields)), QString()); // not a typo
        QCOMPARE(qs(suggest("gpus", fields)), QString());
        QCOMPARE(qs(suggest("", fields)), QString());
        // A case-insensitive match beats a closer spelling.
        const std::vector<std::string> policies{"Alwayz", "ALWAYS"};
        QCOMPARE(qs(suggest("always", policies)), QStringLiteral("ALWAYS"));
        // Short words tolerate one edit only.
        const std::vector<std::string> short_{"cpu", "tpu"};
        QCOMPARE(qs(suggest("gpx", short_)), QString());
        QCOMPARE(qs(suggest("cpx", short_)), QStringLiteral("cpu"));
        QCOMPARE(qs(didYouMean("x")), QStringLiteral("did you mean `x`?"));
        QCOMPARE(qs(didYouMean("")), QString());
    }
};

QTEST_GUILESS_MAIN(TstLintSchema)
#include "tst_lintschema.moc"
