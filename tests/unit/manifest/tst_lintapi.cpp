// The API-server stage of `kubedeck lint`: validateObject's causes as findings at their fields,
// named (name-invalid, label-invalid) where a more specific ID says more, and dropped where the
// schema check already said the same about the same field.
#include "linttesthelpers.h"
#include "tst_validation_support.h"

#include <QElapsedTimer>

#include <set>

using namespace kdtest;

namespace {

std::string deployment(const std::string &metadata, const std::string &extraSpec = {},
                       const std::string &container = "{name: model, image: vllm}") {
    return "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n" +
           metadata +
           "spec:\n"
           "  selector:\n"
           "    matchLabels: {app: web}\n" +
           extraSpec +
           "  template:\n"
           "    metadata: {labels: {app: web}}\n"
           "    spec:\n"
           "      containers: [" +
           container + "]\n";
}

} // namespace

class TstLintApi final : public QObject {
    Q_OBJECT

private slots:
    void validObjectHasNoFindings() {
        const auto run = runApiStage(deployment("  name: web\n"));
        QCOMPARE(summaries(run.findings), QStringList());
    }

    void namespaceIsLeftToKubectl() {
        // validateObject requires it on namespaced kinds; a file leaves it to the context.
        QVERIFY(!kd::manifest::validateObject(Json::parse(R"({"apiVersion":"v1","kind":"Pod",
            "metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"b"}]}})"))
                     .empty());
        const auto run = runApiStage("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                     "spec: {containers: [{name: a, image: b}]}\n");
        QCOMPARE(summaries(run.findings), QStringList());
    }

    void names() {
        const auto run = runApiStage(deployment("  name: My_Model\n  namespace: ML\n"));
        QCOMPARE(summaries(run.findings),
                 (QStringList{QStringLiteral("name-invalid@4:9 metadata.name: metadata.name: "
                                             "Invalid value: \"My_Model\": ") +
                                  kSubdomainMsg,
                              QStringLiteral("name-invalid@5:14 metadata.namespace: "
                                             "metadata.namespace: Invalid value: \"ML\": ") +
                                  kLabelMsg}));
        QCOMPARE(qs(run.findings[0].object), QStringLiteral("Deployment ML/My_Model"));
        QCOMPARE(run.findings[0].severity, Severity::Error);

        const auto missing = runApiStage(deployment("  labels: {app: web}\n"));
        QCOMPARE(summaries(missing.findings),
                 QStringList{QStringLiteral("name-invalid@3:1 metadata.name: metadata.name: "
                                            "Required value: name or generateName is "
                                            "required")});
    }

    void customResourcesGetTheGenericMetadataChecks() {
        const auto run = runApiStage("apiVersion: serving.kserve.io/v1beta1\n"
                                     "kind: InferenceService\n"
                                     "metadata: {name: Llama_3}\n");
        QCOMPARE(ruleIds(run.findings), QStringList{QStringLiteral("name-invalid")});
        QCOMPARE(run.findings[0].position.line, 3);
        QCOMPARE(run.findings[0].position.column, 18);
    }

    void labelsArePlacedAtTheOffendingKeyOrValue() {
        const auto run = runApiStage(deployment("  name: web\n"
                                                "  labels:\n"
                                                "    app: web\n"
                                                "    bad key: x\n"
                                                "    model: llama-3.1:8b\n"));
        QCOMPARE(summaries(run.findings),
                 (QStringList{QStringLiteral("label-invalid@7:5 metadata.labels: "
                                             "metadata.labels: Invalid value: \"bad key\": ") +
                                  kKeyNameMsg,
                              QStringLiteral("label-invalid@8:12 metadata.labels: "
                                             "metadata.labels: Invalid value: \"llama-3.1:8b\": ") +
                                  kLabelValueMsg}));
    }

    void selectorLabels() {
        const std::string text = "apiVersion: apps/v1\n"
                                 "kind: Deployment\n"
                                 "metadata: {name: web}\n"
                                 "spec:\n"
                                 "  selector:\n"
                                 "    matchLabels: {app: web, v: 'a b'}\n"
                                 "    matchExpressions:\n"
                                 "    - {key: 'x y', operator: Exists}\n"
                                 "  template:\n"
                                 "    metadata: {labels: {app: web, v: 'a b'}}\n"
                                 "    spec: {containers: [{name: a, image: b}]}\n";
        const auto run = runApiStage(text);
        const auto labels = withRule(run.findings, "label-invalid");
        QStringList places;
        for (const Finding &f : labels)
            places << QStringLiteral("%1:%2 %3")
                          .arg(f.position.line)
                          .arg(f.position.column)
                          .arg(qs(f.field));
        QCOMPARE(places,
                 (QStringList{QStringLiteral("6:32 spec.selector.matchLabels"),
                              QStringLiteral("8:13 spec.selector.matchExpressions[0].key")}));
    }

    // Upstream names a template's label map `spec.template.labels`; it is written under
    // `spec.template.metadata`.
    void templateLabelsAreFoundUnderTheirMetadata() {
        const std::string text = "apiVersion: apps/v1\n"
                                 "kind: Deployment\n"
                                 "metadata: {name: web}\n"
                                 "spec:\n"
                                 "  selector: {matchLabels: {app: web}}\n"
                                 "  template:\n"
                                 "    metadata: {labels: {app: web, 'x y': z}}\n"
                                 "    spec: {containers: [{name: a, image: b}]}\n";
        const auto findings = runApiStage(text).findings;
        QCOMPARE(summaries(findings),
                 QStringList{QStringLiteral("label-invalid@7:35 spec.template.metadata.labels: "
                                            "spec.template.labels: Invalid value: \"x y\": ") +
                             kKeyNameMsg});
    }

    // Each bad label is placed at its own key; the map is indexed once, not searched per cause.
    void thousandsOfBadLabelsScaleLinearly() {
        auto run = [](int count) {
            std::string labels;
            for (int i = 0; i < count; ++i)
                labels += "    bad key " + std::to_string(i) + ": x\n";
            const std::string text = deployment("  name: web\n  labels:\n" + labels);
            QElapsedTimer timer;
            timer.start();
            const auto findings = runApiStage(text).findings;
            const qint64 ms = timer.elapsed();
            if (findings.size() != static_cast<std::size_t>(count))
                qFatal("%zu findings for %d bad labels", findings.size(), count);
            std::set<int> lines;
            for (const Finding &f : findings) {
                if (f.ruleId != "label-invalid" || f.position.column != 5)
                    qFatal("%s", qPrintable(summary(f)));
                lines.insert(f.position.line);
            }
            if (lines.size() != findings.size())
                qFatal("several findings share a line");
            return ms;
        };
        const qint64 small = run(1'000);
        const qint64 big = run(10'000);
        QVERIFY2(big <= 20 * small + 100,
                 qPrintable(QStringLiteral("%1 ms vs %2 ms").arg(big).arg(small)));
    }

    void serviceSelectorIsALabelMap() {
        const auto run = runApiStage("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                                     "spec:\n"
                                     "  selector: {app: 'my app'}\n"
                                     "  ports: [{port: 80}]\n");
        QCOMPARE(ruleIds(run.findings), QStringList{QStringLiteral("label-invalid")});
        QCOMPARE(run.findings[0].position.line, 5);
        QCOMPARE(run.findings[0].position.column, 19);
    }

    void otherCausesAreApiValidation() {
        const std::string text =
            deployment("  name: web\n  annotations: {'bad key!': x}\n", "  replicas: -1\n",
                       "{name: model, image: vllm, resources: {limits: {nvidia.com/gpu: 1}, "
                       "requests: {nvidia.com/gpu: 2}}}");
        const auto run = runApiStage(text);
        QCOMPARE(summaries(run.findings),
                 (QStringList{
                     QStringLiteral("api-validation@5:17 metadata.annotations: "
                                    "metadata.annotations: Invalid value: \"bad key!\": ") +
                         kKeyNameMsg,
                     QStringLiteral("api-validation@9:13 spec.replicas: spec.replicas: Invalid "
                                    "value: -1: must be greater than or equal to 0"),
                     QStringLiteral("api-validation@13:98 spec.template.spec.containers[0]."
                                    "resources.requests: spec.template.spec.containers[0]."
                                    "resources.requests: Invalid value: \"2\": must be equal to "
                                    "nvidia.com/gpu limit of 1")}));
        QCOMPARE(qs(run.findings[2].container), QStringLiteral("model"));
        QVERIFY(run.findings[0].container.empty());
    }

    void selectorMismatchIsNotALabelSyntaxProblem() {
        const std::string text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                                 "spec:\n"
                                 "  selector: {matchLabels: {app: web}}\n"
                                 "  template:\n"
                                 "    metadata:\n"
                                 "      labels: {app: api}\n"
                                 "    spec: {containers: [{name: a, image: b}]}\n";
        const auto run = runApiStage(text);
        QCOMPARE(summaries(run.findings),
                 QStringList{QStringLiteral("api-validation@8:15 spec.template.metadata.labels: "
                                            "spec.template.metadata.labels: Invalid value: "
                                            "{\"app\":\"api\"}: `selector` does not match template "
                                            "`labels`")});
    }

    void requiredCausesSitAtTheNearestKey() {
        const auto run = runApiStage("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: "
                                     "web}\nspec:\n  replicas: 1\n");
        QVERIFY(!run.findings.empty());
        const Finding &selector = run.findings.front();
        QCOMPARE(qs(selector.field), QStringLiteral("spec.selector"));
        QCOMPARE(selector.position.line, 4);
        QCOMPARE(selector.position.column, 1);
    }

    void listItemsKeepTheirPrefix() {
        const auto run = runApiStage("apiVersion: v1\nkind: List\nitems:\n"
                                     "- apiVersion: v1\n"
                                     "  kind: ConfigMap\n"
                                     "  metadata: {name: ok}\n"
                                     "- apiVersion: v1\n"
                                     "  kind: ConfigMap\n"
                                     "  metadata: {name: Not_OK}\n");
        QCOMPARE(summaries(run.findings),
                 QStringList{QStringLiteral("name-invalid@9:20 items[1].metadata.name: "
                                            "metadata.name: Invalid value: \"Not_OK\": ") +
                             kSubdomainMsg});
    }

    // Through lint(): the schema check owns types and required fields.
    void schemaFindingsWinOverRepeatedCauses() {
        const std::string text =
            deployment("  name: web\n", "  replicas: \"3\"\n", "{image: vllm}");
        const auto findings = lintOwn(text);
        QCOMPARE(ruleIds(findings), strings({"field-type", "field-required"}));
        QCOMPARE(qs(findings[0].field), QStringLiteral("spec.replicas"));
        QCOMPARE(qs(findings[1].field), QStringLiteral("spec.template.spec.containers[0].name"));

        // Without a schema for the field, the server's cause stays.
        LintOptions options;
        options.ignoreMissingSchemas = true;
        options.schemas = &testCatalog();
        const auto pod = lintOwn("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                 "spec: {containers: [{image: b}]}\n",
                                 options);
        QCOMPARE(summaries(pod),
                 QStringList{QStringLiteral("api-validation@4:21 spec.containers[0].name: "
                                            "spec.containers[0].name: Required value")});
    }

    void aNameOfTheWrongTypeIsOneFinding() {
        const auto findings = lintOwn(deployment("  name: 42\n"));
        QCOMPARE(ruleIds(findings), QStringList{QStringLiteral("field-type")});
    }

    void apiServerChecksCanBeTurnedOff() {
        LintOptions options;
        options.apiServerChecks = false;
        QCOMPARE(summaries(lintOwn(deployment("  name: My_Model\n"), options)), QStringList());
        QCOMPARE(ruleIds(lintOwn(deployment("  name: My_Model\n"))),
                 QStringList{QStringLiteral("name-invalid")});
    }

    void disabledByConfig() {
        LintConfig config;
        config.disabled.insert("name-invalid");
        config.severity["api-validation"] = Severity::Info;
        const auto run = runApiStage(deployment("  name: My_Model\n", "  replicas: -1\n"), config);
        QCOMPARE(ruleIds(run.findings), QStringList{QStringLiteral("api-validation")});
        QCOMPARE(run.findings[0].severity, Severity::Info);
    }

    void catalogueEntries() {
        for (const char *id : {"name-invalid", "label-invalid", "api-validation"}) {
            const RuleInfo *rule = findRule(id);
            QVERIFY2(rule != nullptr, id);
            QCOMPARE(rule->severity, Severity::Error);
            QCOMPARE(qs(std::string(rule->category)), QStringLiteral("api"));
        }
    }
};

QTEST_GUILESS_MAIN(TstLintApi)
#include "tst_lintapi.moc"
