// The first part of the schema stage of `kubedeck lint`: apiVersions removed or deprecated at
// the target Kubernetes version (with the version taken from the options, then the config), and
// kinds no schema knows (with "did you mean" for misspelt built-in kinds and apiVersions).
#include "linttesthelpers.h"

using namespace kdtest;

class TstLintVersions final : public QObject {
    Q_OBJECT

private slots:
    void apiVersionLifecycle_data() {
        QTest::addColumn<QString>("apiVersion");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("expected"); // "" for no finding
        QTest::addColumn<QString>("fixTo");    // "" for no fix
        QTest::newRow("Ingress removed") << "extensions/v1beta1"
                                         << "Ingress"
                                         << "1.31"
                                         << "api-version-removed@1:13 apiVersion: "
                                            "extensions/v1beta1 Ingress was removed in "
                                            "Kubernetes 1.22; use networking.k8s.io/v1, whose "
                                            "fields differ"
                                         << "";
        QTest::newRow("Ingress served in 1.21") << "extensions/v1beta1"
                                                << "Ingress"
                                                << "1.21"
                                                << "api-version-deprecated@1:13 apiVersion: "
                                                   "extensions/v1beta1 Ingress is deprecated "
                                                   "and will be removed in Kubernetes 1.22; use "
                                                   "networking.k8s.io/v1, whose fields differ"
                                                << "";
        QTest::newRow("Deployment 1.16") << "extensions/v1beta1"
                                         << "Deployment"
                                         << "1.16"
                                         << "api-version-removed@1:13 apiVersion: "
                                            "extensions/v1beta1 Deployment was removed in "
                                            "Kubernetes 1.16; use apps/v1, whose fields differ"
                                         << "";
        QTest::newRow("PDB removed, fixable")
            << "policy/v1beta1"
            << "PodDisruptionBudget"
            << "1.25"
            << "api-version-removed@1:13 apiVersion: policy/v1beta1 PodDisruptionBudget was "
               "removed in Kubernetes 1.25; use policy/v1"
            << "policy/v1";
        QTest::newRow("PDB deprecated") << "policy/v1beta1"
                                        << "PodDisruptionBudget"
                                        << "v1.24.3"
                                        << "api-version-deprecated@1:13 apiVersion: "
                                           "policy/v1beta1 PodDisruptionBudget is deprecated and "
                                           "will be removed in Kubernetes 1.25; use policy/v1"
                                        << "policy/v1";
        QTest::newRow("PDB before deprecation") << "policy/v1beta1"
                                                << "PodDisruptionBudget"
                                                << "1.20"
                                                << ""
                                                << "";
        QTest::newRow("HPA v2beta2") << "autoscaling/v2beta2"
                                     << "HorizontalPodAutoscaler"
                                     << "1.26"
                                     << "api-version-removed@1:13 apiVersion: "
                                        "autoscaling/v2beta2 HorizontalPodAutoscaler was "
                                        "removed in Kubernetes 1.26; use autoscaling/v2"
                                     << "autoscaling/v2";
        QTest::newRow("HPA v2beta1 not fixable")
            << "autoscaling/v2beta1"
            << "HorizontalPodAutoscaler"
            << "1.25"
            << "api-version-removed@1:13 apiVersion: autoscaling/v2beta1 "
               "HorizontalPodAutoscaler was removed in Kubernetes 1.25; use autoscaling/v2, "
               "whose fields differ"
            << "";
        QTest::newRow("CronJob") << "batch/v1beta1"
                                 << "CronJob"
                                 << "1.31"
                                 << "api-version-removed@1:13 apiVersion: batch/v1beta1 CronJob "
                                    "was removed in Kubernetes 1.25; use batch/v1"
                                 << "batch/v1";
        QTest::newRow("apps/v1beta2") << "apps/v1beta2"
                                      << "StatefulSet"
                                      << "1.16"
                                      << "api-version-removed@1:13 apiVersion: apps/v1beta2 "
                                         "StatefulSet was removed in Kubernetes 1.16; use apps/v1"
                                      << "apps/v1";
        QTest::newRow("IngressClass") << "networking.k8s.io/v1beta1"
                                      << "IngressClass"
                                      << "1.22"
                                      << "api-version-removed@1:13 apiVersion: "
                                         "networking.k8s.io/v1beta1 IngressClass was removed in "
                                         "Kubernetes 1.22; use networking.k8s.io/v1"
                                      << "networking.k8s.io/v1";
        QTest::newRow("rbac") << "rbac.authorization.k8s.io/v1beta1"
                              << "ClusterRole"
                              << "1.22"
                              << "api-version-removed@1:13 apiVersion: "
                                 "rbac.authorization.k8s.io/v1beta1 ClusterRole was removed in "
                                 "Kubernetes 1.22; use rbac.authorization.k8s.io/v1"
                              << "rbac.authorization.k8s.io/v1";
        QTest::newRow("flowcontrol v1beta1 names when v1 arrives")
            << "flowcontrol.apiserver.k8s.io/v1beta1"
            << "FlowSchema"
            << "1.26"
            << "api-version-removed@1:13 apiVersion: flowcontrol.apiserver.k8s.io/v1beta1 "
               "FlowSchema was removed in Kubernetes 1.26; use flowcontrol.apiserver.k8s.io/v1 "
               "(served from Kubernetes 1.29), whose fields differ"
            << "";
        QTest::newRow("flowcontrol v1beta3 deprecated")
            << "flowcontrol.apiserver.k8s.io/v1beta3"
            << "FlowSchema"
            << "1.31"
            << "api-version-deprecated@1:13 apiVersion: flowcontrol.apiserver.k8s.io/v1beta3 "
               "FlowSchema is deprecated and will be removed in Kubernetes 1.32; use "
               "flowcontrol.apiserver.k8s.io/v1"
            << "flowcontrol.apiserver.k8s.io/v1";
        QTest::newRow("CSIStorageCapacity") << "storage.k8s.io/v1beta1"
                                            << "CSIStorageCapacity"
                                            << "1.27"
                                            << "api-version-removed@1:13 apiVersion: "
                                               "storage.k8s.io/v1beta1 CSIStorageCapacity was "
                                               "removed in Kubernetes 1.27; use "
                                               "storage.k8s.io/v1"
                                            << "storage.k8s.io/v1";
        QTest::newRow("PodSecurityPolicy has no successor")
            << "policy/v1beta1"
            << "PodSecurityPolicy"
            << "1.25"
            << "api-version-removed@1:13 apiVersion: policy/v1beta1 PodSecurityPolicy was "
               "removed in Kubernetes 1.25; nothing replaces it"
            << "";
        QTest::newRow("current apiVersion") << "apps/v1"
                                            << "Deployment"
                                            << "1.31"
                                            << ""
                                            << "";
    }

    void apiVersionLifecycle() {
        QFETCH(QString, apiVersion);
        QFETCH(QString, kind);
        QFETCH(QString, version);
        QFETCH(QString, expected);
        QFETCH(QString, fixTo);
        const std::string text = "apiVersion: " + apiVersion.toStdString() +
                                 "\nkind: " + kind.toStdString() + "\nmetadata: {name: x}\n";
        LintOptions options;
        options.kubernetesVersion = version.toStdString();
        options.ignoreMissingSchemas = true;
        const auto run = runSchemaStage(text, options);
        std::vector<Finding> lifecycle = withRule(run.findings, "api-version-removed");
        for (const Finding &f : withRule(run.findings, "api-version-deprecated"))
            lifecycle.push_back(f);
        QCOMPARE(summaries(lifecycle), expected.isEmpty() ? QStringList() : QStringList{expected});
        if (lifecycle.empty())
            return;
        QCOMPARE(lifecycle.front().severity, lifecycle.front().ruleId == "api-version-removed"
                                                 ? Severity::Error
                                                 : Severity::Warning);
        const std::string fixed = applyFirstFix(text, lifecycle.front());
        QCOMPARE(qs(fixed), fixTo.isEmpty() ? QString()
                                            : QStringLiteral("apiVersion: %1\nkind: %2\nmetadata: "
                                                             "{name: x}\n")
                                                  .arg(fixTo, kind));
    }

    void targetVersionComesFromOptionsThenConfigThenDefault() {
        const std::string text = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n";
        auto idFor = [&](const std::string &option, const std::string &config) {
            LintOptions options;
            options.ignoreMissingSchemas = true;
            options.kubernetesVersion = option;
            options.config.kubernetesVersion = config;
            const auto run = runSchemaStage(text, options);
            return run.findings.empty() ? QString() : qs(run.findings.front().ruleId);
        };
        QCOMPARE(idFor("1.23", "1.30"), QStringLiteral("api-version-deprecated"));
        QCOMPARE(idFor("", "1.23"), QStringLiteral("api-version-deprecated"));
        QCOMPARE(idFor("", "1.22"), QString());
        QCOMPARE(idFor("", ""), QStringLiteral("api-version-removed")); // 1.31
        QCOMPARE(idFor("banana", "1.23"), QStringLiteral("api-version-deprecated"));
    }

    void removedApiVersionStillWalksItsSchema() {
        // The quoted value keeps its quotes under the fix.
        const std::string text =
            "apiVersion: \"policy/v1beta1\"\nkind: PodDisruptionBudget\n"
            "metadata: {name: p}\nspec: {minAvailable: 1, maxUnavaliable: 0}\n";
        const auto run = runSchemaStage(text);
        QCOMPARE(ruleIds(run.findings), strings({"api-version-removed", "field-unknown"}));
        QCOMPARE(qs(applyFirstFix(text, run.findings.front())),
                 qs("apiVersion: \"policy/v1\"\nkind: PodDisruptionBudget\n"
                    "metadata: {name: p}\nspec: {minAvailable: 1, maxUnavaliable: 0}\n"));
    }

    void missingSchemas() {
        const std::string text = "apiVersion: serving.kserve.io/v1beta1\n"
                                 "kind: InferenceService\n"
                                 "metadata: {name: llama}\n"
                                 "spec: {predictor: {model: {}}}\n";
        auto run = runSchemaStage(text);
        QCOMPARE(summaries(run.findings),
                 QStringList{QStringLiteral(
                     "schema-missing@2:7 kind: no schema for serving.kserve.io/v1beta1 "
                     "InferenceService, so its fields are not checked (a custom resource? give "
                     "its schema with --schema-dir, or pass --ignore-missing-schemas)")});
        QCOMPARE(run.findings.front().severity, Severity::Warning);
        LintOptions options;
        options.ignoreMissingSchemas = true;
        QCOMPARE(summaries(runSchemaStage(text, options).findings), QStringList());
    }

    void missingSchemaSuggestsTheBuiltInKind() {
        const std::string typo = "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: a}\n";
        auto run = runSchemaStage(typo);
        QCOMPARE(summaries(run.findings),
                 QStringList{QStringLiteral("schema-missing@2:7 kind: no schema for apps/v1 "
                                            "Deploymnet; did you mean `Deployment`?")});
        QCOMPARE(qs(applyFirstFix(typo, run.findings.front())),
                 QStringLiteral("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n"));

        const std::string group = "apiVersion: app/v1\nkind: StatefulSet\nmetadata: {name: a}\n";
        run = runSchemaStage(group);
        QCOMPARE(summaries(run.findings),
                 QStringList{QStringLiteral("schema-missing@1:13 apiVersion: no schema for "
                                            "app/v1 StatefulSet; StatefulSet is served as "
                                            "apps/v1")});
        QCOMPARE(qs(applyFirstFix(group, run.findings.front())),
                 QStringLiteral("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\n"));
    }
};

QTEST_GUILESS_MAIN(TstLintVersions)
#include "tst_lintversions.moc"
