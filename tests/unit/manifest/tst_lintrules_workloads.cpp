// Rules about one workload, PodDisruptionBudget or HPA: selectors, rolling-update fenceposts,
// replica counts, spreading, GPU placement, budget policy, HPA bounds, the default namespace.

#include "tst_lintrules_support.h"

#include <QTest>

using namespace kdtest;

namespace {

// The HPA points elsewhere, so the Deployment's replica count is its own again.
const char *const kHpaTarget = "    kind: Deployment\n    name: llm-server\n";
const char *const kHpaElsewhere = "    kind: Deployment\n    name: other-model\n";

const char *const kTemplateLabels = "    metadata:\n      labels:\n        app: llm-server\n";

// A DaemonSet of GPU monitoring agents, clean except for what a row changes.
constexpr std::string_view kDaemonSet = R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: dcgm-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: dcgm-exporter
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: @@0
  template:
    metadata:
      labels:
        app: dcgm-exporter
    spec:
      containers:
        - name: exporter
          image: nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5
)";

} // namespace

class TestLintRulesWorkloads : public QObject {
    Q_OBJECT

private slots:
    void reported_data();
    void reported();
    void notReported_data();
    void notReported();
    void daemonSetFenceposts();
    void selectorFixReplacesLabel();
    void selectorFixAddsLabels();
    void apiDuplicatesAreDropped();
};

void TestLintRulesWorkloads::reported_data() {
    reportedColumns();
    const auto row = &reportedRow;
    row("template label differs",
        pairs({kTemplateLabels, "    metadata:\n      @@labels:\n        app: llm-server-v2\n"}),
        "selector-mismatch", "it requires app=llm-server (template has llm-server-v2)");
    row("template label missing",
        pairs({kTemplateLabels, "    @@metadata:\n      annotations:\n        team: ml\n"}),
        "selector-mismatch", "it requires app=llm-server (missing)");
    row("surge and unavailable zero",
        pairs({"maxSurge: 1", "maxSurge: 0", "maxUnavailable: 0", "maxUnavailable: @@0"}),
        "rollout-surge-unavailable-zero", "maxSurge 0 and maxUnavailable 0");
    row("zero percent",
        pairs({"maxSurge: 1", "maxSurge: 0%", "maxUnavailable: 0", "maxUnavailable: @@0%"}),
        "rollout-surge-unavailable-zero", "maxSurge 0% and maxUnavailable 0%");
    row("replicas unset",
        pairs({kHpaTarget, kHpaElsewhere, "spec:\n  selector:", "@@spec:\n  selector:"}),
        "replicas-too-few", "Deployment `llm-server` does not set replicas, so it runs 1 pod");
    row("one replica",
        pairs({kHpaTarget, kHpaElsewhere,
               "spec:\n  selector:", "spec:\n  replicas: @@1\n  selector:"}),
        "replicas-too-few", "Deployment `llm-server` runs 1 replica");
    row("replicas on one node",
        pairs({kHpaTarget, kHpaElsewhere, "spec:\n  selector:", "spec:\n  replicas: 3\n  selector:",
               "      topologySpreadConstraints:\n        - maxSkew: 1\n"
               "          topologyKey: kubernetes.io/hostname\n"
               "          whenUnsatisfiable: ScheduleAnyway\n          labelSelector:\n"
               "            matchLabels:\n              app: llm-server\n",
               "", "    spec:\n      securityContext:", "    @@spec:\n      securityContext:"}),
        "anti-affinity-missing", "Deployment runs 3 replicas with neither podAntiAffinity");
    row("gpu pod placed anywhere",
        pairs({"      nodeSelector:\n        nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB\n", "",
               "      tolerations:\n        - key: nvidia.com/gpu\n          operator: Exists\n"
               "          effect: NoSchedule\n",
               "", "    spec:\n      securityContext:", "    @@spec:\n      securityContext:"}),
        "gpu-toleration-missing",
        "pods request 1 nvidia.com/gpu but have neither a GPU toleration");
    row("default namespace",
        pairs({"  name: llm-server\n  namespace: ml-serving\nspec:\n  selector:\n    app",
               "  name: llm-server\n  namespace: @@default\nspec:\n  selector:\n    app"}),
        "namespace-default", "Service `llm-server` is in the default namespace");
    row("budget without policy",
        pairs({"spec:\n  maxUnavailable: 1\n  selector:", "@@spec:\n  selector:"}), "pdb-policy",
        "sets neither minAvailable nor maxUnavailable");
    row("budget with both",
        pairs({"spec:\n  maxUnavailable: 1\n  selector:",
               "spec:\n  minAvailable: 1\n  @@maxUnavailable: 1\n  selector:"}),
        "pdb-policy", "sets both minAvailable and maxUnavailable");
    row("hpa down to one", pairs({"minReplicas: 2", "minReplicas: @@1"}), "hpa-replicas",
        "minReplicas is 1: at quiet times");
    row("hpa min unset",
        pairs({"  minReplicas: 2\n", "", "spec:\n  scaleTargetRef:", "@@spec:\n  scaleTargetRef:"}),
        "hpa-replicas", "minReplicas is not set (defaults to 1)");
    row("hpa cannot scale",
        pairs({"minReplicas: 2", "minReplicas: 6", "maxReplicas: 6", "maxReplicas: @@6"}),
        "hpa-replicas", "minReplicas and maxReplicas are both 6");
    row("hpa max below min",
        pairs({"minReplicas: 2", "minReplicas: 8", "maxReplicas: 6", "maxReplicas: @@6"}),
        "hpa-replicas", "maxReplicas 6 is below minReplicas 8");
}

void TestLintRulesWorkloads::reported() {
    checkReported();
}

void TestLintRulesWorkloads::notReported_data() {
    notReportedColumns();
    const auto row = &notReportedRow;
    row("template has extra labels",
        pairs({kTemplateLabels, "    metadata:\n      labels:\n        app: llm-server\n"
                                "        version: v2\n"}),
        "selector-mismatch");
    row("surge only", pairs({"maxSurge: 1", "maxSurge: 25%"}), "rollout-surge-unavailable-zero");
    row("recreate",
        pairs({"    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n"
               "      maxUnavailable: 0\n",
               "    type: Recreate\n"}),
        "rollout-surge-unavailable-zero");
    row("scaled to zero on purpose",
        pairs(
            {kHpaTarget, kHpaElsewhere, "spec:\n  selector:", "spec:\n  replicas: 0\n  selector:"}),
        "replicas-too-few");
    row("an HPA owns the count", {}, "replicas-too-few");
    row("anti-affinity instead of spread",
        pairs({kHpaTarget, kHpaElsewhere, "spec:\n  selector:", "spec:\n  replicas: 3\n  selector:",
               "      topologySpreadConstraints:\n        - maxSkew: 1\n"
               "          topologyKey: kubernetes.io/hostname\n"
               "          whenUnsatisfiable: ScheduleAnyway\n          labelSelector:\n"
               "            matchLabels:\n              app: llm-server\n",
               "      affinity:\n        podAntiAffinity:\n"
               "          preferredDuringSchedulingIgnoredDuringExecution:\n"
               "            - weight: 100\n              podAffinityTerm:\n"
               "                topologyKey: kubernetes.io/hostname\n"
               "                labelSelector:\n                  matchLabels:\n"
               "                    app: llm-server\n"}),
        "anti-affinity-missing");
    row("toleration without node selector",
        pairs({"      nodeSelector:\n        nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB\n", ""}),
        "gpu-toleration-missing");
    row("namespace left to kubectl", pairs({"  namespace: ml-serving\n", ""}), "namespace-default");
    row("min available only",
        pairs({"maxUnavailable: 1\n  selector", "minAvailable: 1\n  selector"}), "pdb-policy");
}

void TestLintRulesWorkloads::notReported() {
    checkNotReported();
}

void TestLintRulesWorkloads::daemonSetFenceposts() {
    // A DaemonSet's maxSurge defaults to 0, so maxUnavailable 0 alone is the dead end.
    expectAtMarks(kDaemonSet, "rollout-surge-unavailable-zero", "maxSurge 0 and maxUnavailable 0");
    const std::string surge = replaced(kDaemonSet, "      maxUnavailable: @@0\n",
                                       "      maxUnavailable: 0\n      maxSurge: 1\n");
    QCOMPARE(summaries(withRule(lintWith(surge), "rollout-surge-unavailable-zero")), QStringList());
}

void TestLintRulesWorkloads::selectorFixReplacesLabel() {
    const std::string text =
        replaced(kCleanServing, kTemplateLabels,
                 "    metadata:\n      labels:\n        app: llm-server-v2\n        tier: gpu\n");
    const auto found = withRule(lintWith(text), "selector-mismatch");
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found.front().fixes.front().title,
             std::string("Set the pod template labels app=llm-server"));
    const std::string fixed = applyFix(text, found.front());
    QVERIFY(parsesCleanly(fixed));
    QVERIFY(fixed.find("        app: llm-server\n        tier: gpu\n") != std::string::npos);
    QCOMPARE(summaries(ruleFindings(lintWith(fixed))), QStringList());
}

void TestLintRulesWorkloads::selectorFixAddsLabels() {
    // Two selector labels, the template has neither (its labels are a flow map).
    std::string text = replaced(kCleanServing, "    matchLabels:\n      app: llm-server\n",
                                "    matchLabels:\n      app: llm-server\n      role: serve\n");
    text = replaced(text, kTemplateLabels, "    metadata:\n      labels: {tier: gpu}\n");
    const auto found = withRule(lintWith(text), "selector-mismatch");
    QCOMPARE(found.size(), std::size_t(1));
    const std::string fixed = applyFix(text, found.front());
    QVERIFY(fixed.find("labels: {app: llm-server, role: serve, tier: gpu}") != std::string::npos);
    QCOMPARE(summaries(withRule(lintWith(fixed), "selector-mismatch")), QStringList());

    // No labels and no metadata at all: both are created, indented like the template's spec.
    const std::string bare = replaced(kCleanServing, kTemplateLabels, "");
    const auto missing = withRule(lintWith(bare), "selector-mismatch");
    QCOMPARE(missing.size(), std::size_t(1));
    const std::string created = applyFix(bare, missing.front());
    QVERIFY(parsesCleanly(created));
    QVERIFY(created.find("  template:\n    metadata:\n      labels:\n        app: llm-server\n"
                         "    spec:\n") != std::string::npos);
    QCOMPARE(summaries(ruleFindings(lintWith(created))), QStringList());
}

void TestLintRulesWorkloads::apiDuplicatesAreDropped() {
    // The API server rejects each of these; only the rule's finding remains.
    const std::string mismatch =
        replaced(kCleanServing, kTemplateLabels, "    metadata:\n      labels:\n        app: v2\n");
    const auto a = lintWith(mismatch);
    QCOMPARE(withRule(a, "selector-mismatch").size(), std::size_t(1));
    QCOMPARE(summaries(withRule(a, "api-validation")), QStringList());

    const std::string zero = replaced(kCleanServing, "maxSurge: 1", "maxSurge: 0");
    const auto b = lintWith(zero);
    QCOMPARE(withRule(b, "rollout-surge-unavailable-zero").size(), std::size_t(1));
    QCOMPARE(summaries(withRule(b, "api-validation")), QStringList());

    const std::string both = replaced(kCleanServing, "spec:\n  maxUnavailable: 1\n",
                                      "spec:\n  minAvailable: 1\n  maxUnavailable: 1\n");
    const auto c = lintWith(both);
    QCOMPARE(withRule(c, "pdb-policy").size(), std::size_t(1));
    QCOMPARE(summaries(withRule(c, "api-validation")), QStringList());

    const std::string bounds = replaced(kCleanServing, "minReplicas: 2", "minReplicas: 8");
    const auto d = lintWith(bounds);
    QCOMPARE(withRule(d, "hpa-replicas").size(), std::size_t(1));
    QCOMPARE(summaries(withRule(d, "api-validation")), QStringList());
}

QTEST_GUILESS_MAIN(TestLintRulesWorkloads)
#include "tst_lintrules_workloads.moc"
