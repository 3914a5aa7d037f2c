// Rules across objects: budgets, HPAs, Services and Ingresses against the workloads they refer
// to (namespace by namespace), and rollouts against a declared GPU pool.

#include "tst_lintrules_support.h"

#include <QTest>

using namespace kdtest;

namespace {

// The clean set without its last document (the PodDisruptionBudget).
std::string withoutBudget(std::string_view text) {
    const auto cut = text.rfind("---\napiVersion: policy/v1");
    return std::string(text.substr(0, cut));
}

const char *const kDeploymentName = "  name: llm-server\n  namespace: ml-serving\n  labels:";
const char *const kHpaTarget = "    kind: Deployment\n    name: llm-server\n";
const char *const kPodsMetric = "    - type: Pods\n      pods:\n        metric:\n"
                                "          name: vllm_num_requests_waiting\n        target:\n"
                                "          type: AverageValue\n          averageValue: \"5\"\n";
const char *const kCpuMetric = "    - type: Resource\n      resource:\n        name: cpu\n"
                               "        target:\n          type: Utilization\n"
                               "          averageUtilization: 70\n";

LintConfig pool(const char *gpus) {
    LintConfig config;
    config.capacity["nvidia.com/gpu"] = gpus;
    return config;
}

} // namespace

class TestLintRulesCross : public QObject {
    Q_OBJECT

private slots:
    void reported_data();
    void reported();
    void notReported_data();
    void notReported();
    void budgetMissing();
    void singleReplicaWithoutBudget();
    void namespacesAreSeparate();
    void unsetNamespaceIsOneNamespace();
    void gpuRolloutBlocked();
    void gpuRolloutBlockedByDefaultStrategy();
    void gpuRolloutFits();
};

void TestLintRulesCross::reported_data() {
    reportedColumns();
    const auto row = &reportedRow;
    row("budget allows no eviction", pairs({"maxUnavailable: 1", "maxUnavailable: @@0"}),
        "pdb-blocks-drain", "maxUnavailable 0 allows no eviction");
    row("budget keeps the HPA minimum",
        pairs({"maxUnavailable: 1\n  selector", "minAvailable: @@2\n  selector"}),
        "pdb-blocks-drain",
        "minAvailable 2 keeps all 2 selected pods (Deployment `llm-server`, at the HPA's "
        "minReplicas)");
    row("budget keeps every pod",
        pairs({"maxUnavailable: 1\n  selector", "minAvailable: @@100%\n  selector"}),
        "pdb-blocks-drain", "minAvailable 100% keeps all 2 selected pods");
    row("budget selects nothing",
        pairs({"  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: llm-server\n",
               "  maxUnavailable: 1\n  @@selector:\n    matchLabels:\n      app: llm\n"}),
        "pdb-selects-nothing",
        "no pod template in the linted files in namespace `ml-serving` matches the selector "
        "(app=llm)");
    row("budget without selector",
        pairs({"spec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: llm-server\n",
               "@@spec:\n  maxUnavailable: 1\n"}),
        "pdb-selects-nothing", "the budget has no selector, so it selects no pods");
    row("hpa on cpu for a gpu model",
        pairs({kPodsMetric, kCpuMetric, "  metrics:", "  @@metrics:"}), "hpa-gpu-cpu-metric",
        "scales Deployment `llm-server` (1 nvidia.com/gpu per pod) on cpu only");
    row("hpa on the default metric",
        pairs({kPodsMetric, "", "  metrics:\n", "",
               "spec:\n  scaleTargetRef:", "@@spec:\n  scaleTargetRef:"}),
        "hpa-gpu-cpu-metric", "on cpu (the default 80% utilisation target) only");
    row("hpa target missing", pairs({kHpaTarget, "    kind: Deployment\n    name: @@llm-servr\n"}),
        "hpa-target-missing",
        "no Deployment `llm-servr` in the linted files in namespace `ml-serving`");
    row("replicas under an hpa",
        pairs({"spec:\n  selector:\n    matchLabels",
               "spec:\n  replicas: @@3\n  selector:\n    matchLabels"}),
        "hpa-replicas-conflict",
        "replicas: 3 is set while HorizontalPodAutoscaler `llm-server` scales this Deployment "
        "(2-6)");
    row("service selects nothing",
        pairs({"spec:\n  selector:\n    app: llm-server", "spec:\n  @@selector:\n    app: llm"}),
        "service-selects-nothing",
        "no pod template in the linted files in namespace `ml-serving` has the labels app=llm");
    row("service target port name", pairs({"targetPort: http", "targetPort: @@grpc"}),
        "service-target-port-unknown",
        "port 80 sends to targetPort `grpc`, which no container of Deployment `llm-server` "
        "declares (they declare 8000 (http))");
    row("service target port number", pairs({"targetPort: http", "targetPort: @@8080"}),
        "service-target-port-unknown", "sends to targetPort `8080`");
    row("service port without target",
        pairs({"      port: 80\n      targetPort: http\n", "      port: @@80\n"}),
        "service-target-port-unknown", "port 80 sets no targetPort, so it sends to `80`, which");
    row("ingress to a missing service",
        pairs({"                name: llm-server\n", "                name: @@llm\n"}),
        "ingress-backend-missing",
        "no Service `llm` in the linted files in namespace `ml-serving`");
    row("ingress to a missing port", pairs({"number: 80", "number: @@8080"}),
        "ingress-backend-missing", "Service `llm-server` has no port `8080` (it has 80 (http))");
    row("ingress to a missing port name", pairs({"number: 80", "name: @@grpc"}),
        "ingress-backend-missing", "Service `llm-server` has no port `grpc`");
}

void TestLintRulesCross::reported() {
    checkReported();
}

void TestLintRulesCross::notReported_data() {
    notReportedColumns();
    const auto row = &notReportedRow;
    row("budget below the minimum",
        pairs({"maxUnavailable: 1\n  selector", "minAvailable: 1\n  selector"}),
        "pdb-blocks-drain");
    row("budget percent below the minimum",
        pairs({"maxUnavailable: 1\n  selector", "minAvailable: 50%\n  selector"}),
        "pdb-blocks-drain");
    row("hpa on cpu and a serving metric",
        pairs({kPodsMetric, (std::string(kPodsMetric) + kCpuMetric).c_str()}),
        "hpa-gpu-cpu-metric");
    row("hpa on cpu for a cpu model",
        pairs({kPodsMetric, kCpuMetric,
               "              nvidia.com/gpu: 1\n            limits:", "            limits:",
               "              memory: 32Gi\n              nvidia.com/gpu: 1\n",
               "              memory: 32Gi\n"}),
        "hpa-gpu-cpu-metric");
    row("service port by number", pairs({"targetPort: http", "targetPort: 8000"}),
        "service-target-port-unknown");
    row("service without selector", pairs({"  selector:\n    app: llm-server\n  ports", "  ports"}),
        "service-selects-nothing");
    row("ingress by port name", pairs({"number: 80", "name: http"}), "ingress-backend-missing");
}

void TestLintRulesCross::notReported() {
    checkNotReported();
}

void TestLintRulesCross::budgetMissing() {
    const std::string text = replaced(withoutBudget(kCleanServing), kDeploymentName,
                                      "  @@name: llm-server\n  namespace: ml-serving\n  labels:");
    expectAtMarks(text, "pdb-missing",
                  "no PodDisruptionBudget in the linted files selects the pods of Deployment "
                  "`llm-server`");
    const auto found = withRule(lintWith(marked(text).text), "pdb-missing");
    QVERIFY(found.front().message.find("single replica") == std::string::npos);
    QCOMPARE(found.front().field, std::string()); // about the object, not one of its fields
}

void TestLintRulesCross::singleReplicaWithoutBudget() {
    std::string text = withoutBudget(kCleanServing);
    text = replaced(text, kHpaTarget, "    kind: Deployment\n    name: other\n");
    text =
        replaced(text, kDeploymentName, "  @@name: llm-server\n  namespace: ml-serving\n  labels:");
    expectAtMarks(text, "pdb-missing", "and with a single replica a drain takes it offline");
}

void TestLintRulesCross::namespacesAreSeparate() {
    // The Service, Ingress, HPA and budget live in another namespace than the Deployment.
    const std::string text = replaced(kCleanServing, kDeploymentName,
                                      "  name: llm-server\n  namespace: ml-staging\n  labels:");
    const auto findings = lintWith(text);
    QCOMPARE(withRule(findings, "service-selects-nothing").size(), std::size_t(1));
    QCOMPARE(withRule(findings, "pdb-selects-nothing").size(), std::size_t(1));
    QCOMPARE(withRule(findings, "hpa-target-missing").size(), std::size_t(1));
    QCOMPARE(withRule(findings, "pdb-missing").size(), std::size_t(1));
    QCOMPARE(summaries(withRule(findings, "ingress-backend-missing")), QStringList());
}

void TestLintRulesCross::unsetNamespaceIsOneNamespace() {
    std::string text(kCleanServing);
    for (auto at = text.find("  namespace: ml-serving\n"); at != std::string::npos;
         at = text.find("  namespace: ml-serving\n"))
        text.erase(at, std::string_view("  namespace: ml-serving\n").size());
    QCOMPARE(summaries(ruleFindings(lintWith(text))), QStringList());
    const std::string missing = replaced(text, kHpaTarget, "    kind: Deployment\n    name: x\n");
    const auto f = withRule(lintWith(missing), "hpa-target-missing");
    QCOMPARE(f.size(), std::size_t(1));
    QCOMPARE(f.front().message,
             std::string("no Deployment `x` in the linted files (objects without a namespace)"));
}

void TestLintRulesCross::gpuRolloutBlocked() {
    // Two pods (the HPA's minimum) of one GPU each fill a pool of two: the surge pod cannot start.
    const std::string text = replaced(kCleanServing, "maxUnavailable: 0", "maxUnavailable: @@0");
    expectAtMarks(text, "rollout-gpu-blocked",
                  "a rollout cannot progress: maxUnavailable is 0, so each step first starts up "
                  "to 1 surge pod(s) needing 1 nvidia.com/gpu each, but the linted workloads "
                  "already use 2 of the declared 2 nvidia.com/gpu",
                  pool("2"));
    // Another workload on the same pool counts too.
    const std::string job = std::string(marked(text).text) + R"(---
apiVersion: batch/v1
kind: Job
metadata:
  name: finetune
  namespace: training
spec:
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: train
          image: ghcr.io/acme/train:0.9
          resources:
            limits:
              nvidia.com/gpu: 2
)";
    const auto found = withRule(lintWith(job, pool("6")), "rollout-gpu-blocked");
    QCOMPARE(found.size(), std::size_t(1));
    QVERIFY(found.front().message.find("already use 6 of the declared 6") != std::string::npos);
}

void TestLintRulesCross::gpuRolloutBlockedByDefaultStrategy() {
    std::string text = replaced(kCleanServing, kHpaTarget, "    kind: Deployment\n    name: x\n");
    text =
        replaced(text,
                 "spec:\n  selector:\n    matchLabels:\n      app: llm-server\n  strategy:\n"
                 "    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n"
                 "      maxUnavailable: 0\n",
                 "@@spec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: llm-server\n");
    expectAtMarks(text, "rollout-gpu-blocked",
                  "maxUnavailable 25% (the default) of 3 replicas rounds down to 0", pool("3"));
}

void TestLintRulesCross::gpuRolloutFits() {
    QCOMPARE(summaries(withRule(lintWith(kCleanServing, pool("3")), "rollout-gpu-blocked")),
             QStringList());
    QCOMPARE(summaries(withRule(lintWith(kCleanServing), "rollout-gpu-blocked")), QStringList());
    // maxUnavailable 1 replaces pods in place on a full pool.
    const std::string inPlace =
        replaced(replaced(kCleanServing, "maxUnavailable: 0", "maxUnavailable: 1"), "maxSurge: 1",
                 "maxSurge: 0");
    QCOMPARE(summaries(withRule(lintWith(inPlace, pool("2")), "rollout-gpu-blocked")),
             QStringList());
}

QTEST_GUILESS_MAIN(TestLintRulesCross)
#include "tst_lintrules_cross.moc"
