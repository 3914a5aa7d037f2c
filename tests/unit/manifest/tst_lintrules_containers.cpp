// Per-container rules: images, requests and limits, GPUs, /dev/shm, env, security context and
// probes. Each row edits the clean serving set and marks with @@ where the finding must be.

#include "tst_lintrules_support.h"

#include <QTest>

using namespace kdtest;

namespace {

const char *const kInitContainer = "      containers:\n";
const char *const kWithInit = "      initContainers:\n"
                              "        - @@name: fetch-weights\n"
                              "          image: ghcr.io/acme/fetch:2.0\n"
                              "      containers:\n";

} // namespace

class TestLintRulesContainers : public QObject {
    Q_OBJECT

private slots:
    void reported_data();
    void reported();
    void notReported_data();
    void notReported();
    void containerIsNamed();
    void apiDuplicateIsDropped();
    void gpuFixSetsRequestToLimit();
    void gpuFixAddsLimitInFlowMap();
    void escalationFixCreatesSecurityContext();
    void escalationFixReplacesTrue();
    void fixKeepsCrlfLineEnds();
};

void TestLintRulesContainers::reported_data() {
    reportedColumns();
    const auto row = &reportedRow;
    row("latest tag",
        pairs({"image: ghcr.io/acme/llm-server:1.4.2", "image: @@ghcr.io/acme/llm-server:latest"}),
        "image-latest-tag", "image `ghcr.io/acme/llm-server:latest` uses the `latest` tag");
    row("no tag behind a registry port",
        pairs({"image: ghcr.io/acme/llm-server:1.4.2", "image: @@registry.local:5000/llm"}),
        "image-latest-tag", "has no tag, so it pulls `latest`");
    row("cpu request missing",
        pairs({"            requests:\n              cpu: \"4\"\n", "            @@requests:\n"}),
        "resources-requests-missing", "container `server` has no cpu request");
    row("init container without resources", pairs({kInitContainer, kWithInit}),
        "resources-requests-missing", "container `fetch-weights` has no cpu and memory request");
    row("memory limit missing",
        pairs({"            limits:\n              memory: 32Gi\n", "            @@limits:\n"}),
        "memory-limit-missing", "container `server` has no memory limit");
    row("memory request above limit",
        pairs(
            {"              memory: 32Gi\n              nvidia.com/gpu: 1\n            limits:\n"
             "              memory: 32Gi",
             "              memory: @@32Gi\n              nvidia.com/gpu: 1\n            limits:\n"
             "              memory: 16Gi"}),
        "requests-exceed-limits", "requests memory `32Gi` but its limit is `16Gi`");
    row("gpu request unequal to limit",
        pairs({"              nvidia.com/gpu: 1\n            limits:",
               "              nvidia.com/gpu: @@2\n            limits:"}),
        "gpu-requests-limits", "requests 2 nvidia.com/gpu but its limit is 1");
    row("gpu request without limit",
        pairs({"              memory: 32Gi\n              nvidia.com/gpu: 1\n          "
               "securityContext",
               "              memory: 32Gi\n          securityContext",
               "              nvidia.com/gpu: 1\n            limits:",
               "              @@nvidia.com/gpu: 1\n            limits:"}),
        "gpu-requests-limits", "requests 1 nvidia.com/gpu without a limit");
    row("fractional gpu",
        pairs({"              nvidia.com/gpu: 1\n            limits:",
               "              nvidia.com/gpu: @@0.5\n            limits:",
               "              nvidia.com/gpu: 1\n          securityContext",
               "              nvidia.com/gpu: @@0.5\n          securityContext"}),
        "gpu-requests-limits", "extended resources come in whole units (share a GPU through MIG");
    row("other extended resource without limit",
        pairs({"              nvidia.com/gpu: 1\n            limits:",
               "              nvidia.com/gpu: 1\n              @@xilinx.com/fpga: 1\n"
               "            limits:"}),
        "gpu-requests-limits", "requests 1 xilinx.com/fpga without a limit");
    row("no /dev/shm mount",
        pairs({"          volumeMounts:\n            - name: shm\n              mountPath: "
               "/dev/shm\n",
               "", "        - name: server", "        - @@name: server"}),
        "gpu-shm-missing", "uses 1 nvidia.com/gpu but mounts nothing at /dev/shm");
    row("/dev/shm on disk",
        pairs({"            medium: Memory\n", "", "- name: shm\n   ", "- name: @@shm\n   "}),
        "gpu-shm-missing",
        "mounts volume `shm` at /dev/shm, but it is not an emptyDir with medium");
    row("duplicate env",
        pairs({"            - name: HF_TOKEN\n",
               "            - name: @@MODEL_ID\n              value: other\n"
               "            - name: HF_TOKEN\n"}),
        "env-duplicate", "sets `MODEL_ID` again (first in env[0])");
    row("inline token",
        pairs({"            - name: HF_TOKEN\n",
               "            - name: WANDB_API_KEY\n              value: @@abc123\n"
               "            - name: HF_TOKEN\n"}),
        "env-secret-inline", "sets `WANDB_API_KEY` inline");
    row("root from the pod", pairs({"runAsUser: 1000", "runAsUser: @@0"}), "run-as-non-root",
        "runs as root: runAsUser is 0 (from the pod's securityContext)");
    row("no user settings",
        pairs({"      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1000\n", "",
               "          securityContext:\n            allow",
               "          @@securityContext:\n            allow"}),
        "run-as-non-root", "may run as root");
    row("runAsNonRoot false",
        pairs({"            allowPrivilegeEscalation: false\n",
               "            allowPrivilegeEscalation: false\n            runAsNonRoot: @@false\n",
               "        runAsUser: 1000\n", ""}),
        "run-as-non-root", "sets runAsNonRoot: false");
    row("privileged", pairs({"allowPrivilegeEscalation: false", "privileged: @@true"}),
        "privileged-container", "container `server` is privileged");
    row("escalation allowed",
        pairs({"allowPrivilegeEscalation: false", "allowPrivilegeEscalation: @@true"}),
        "privilege-escalation", "sets allowPrivilegeEscalation: true");
    row("escalation by default",
        pairs({"          securityContext:\n            allowPrivilegeEscalation: false\n", "",
               "        - name: server", "        - @@name: server"}),
        "privilege-escalation", "does not set allowPrivilegeEscalation: false");
    row("no readiness probe",
        pairs({"          readinessProbe:\n            httpGet:\n              path: /ready\n"
               "              port: http\n            periodSeconds: 5\n",
               "", "        - name: server", "        - @@name: server"}),
        "probes-missing", "has no readiness probe");
    row("no probes at all in a second container",
        pairs({"      volumes:\n",
               "        - @@name: proxy\n          image: envoyproxy/envoy:v1.30.1\n"
               "      volumes:\n"}),
        "probes-missing", "container `proxy` has neither a readiness nor a liveness probe");
    row("identical probes",
        pairs(
            {"              path: /ready\n              port: http\n            periodSeconds: 5\n",
             "              path: /health\n              port: http\n            periodSeconds: "
             "10\n"
             "            failureThreshold: 3\n",
             "          livenessProbe:", "          @@livenessProbe:"}),
        "probes-identical", "identical readiness and liveness probes");
    row("liveness kills a loading model",
        pairs({"          startupProbe:\n            httpGet:\n              path: /health\n"
               "              port: http\n            periodSeconds: 10\n"
               "            failureThreshold: 60\n",
               "", "          livenessProbe:", "          @@livenessProbe:"}),
        "startup-probe-missing", "unless the model loads within 30 s (initialDelaySeconds 0 + 3 x");
    row("probe on an undeclared port name",
        pairs({"              path: /ready\n              port: http",
               "              path: /ready\n              port: @@grpc"}),
        "probe-port-unknown",
        "readinessProbe targets port named `grpc`, which the container "
        "does not declare (its ports: 8000 (http))");
    row("probe on an undeclared port number",
        pairs({"              path: /health\n              port: http\n            periodSeconds: "
               "10\n"
               "            failureThreshold: 3",
               "              path: /health\n              port: @@9000\n"
               "            periodSeconds: 10\n            failureThreshold: 3"}),
        "probe-port-unknown", "livenessProbe targets port 9000");
}

void TestLintRulesContainers::reported() {
    checkReported();
}

void TestLintRulesContainers::notReported_data() {
    notReportedColumns();
    const auto row = &notReportedRow;
    row("image pinned by digest", pairs({"llm-server:1.4.2", "llm-server@sha256:0123456789abcdef"}),
        "image-latest-tag");
    row("requests default to limits",
        pairs({"              cpu: \"4\"\n              memory: 32Gi\n              "
               "nvidia.com/gpu: 1\n",
               "              nvidia.com/gpu: 1\n", "            limits:\n",
               "            limits:\n              cpu: \"4\"\n"}),
        "resources-requests-missing");
    row("gpu in limits only",
        pairs({"              memory: 32Gi\n              nvidia.com/gpu: 1\n            limits:",
               "              memory: 32Gi\n            limits:"}),
        "gpu-requests-limits");
    row("cpu request below limit",
        pairs({"            limits:\n", "            limits:\n              cpu: \"8\"\n"}),
        "requests-exceed-limits");
    row("shm from the host",
        pairs({"          emptyDir:\n            medium: Memory\n"
               "            sizeLimit: 8Gi\n",
               "          hostPath:\n            path: /dev/shm\n"}),
        "gpu-shm-missing");
    row("no GPU, no shm needed",
        pairs({"              nvidia.com/gpu: 1\n            limits:", "            limits:",
               "              memory: 32Gi\n              nvidia.com/gpu: 1\n          security",
               "              memory: 32Gi\n          security",
               "          volumeMounts:\n            - name: shm\n              mountPath: "
               "/dev/shm\n",
               ""}),
        "gpu-shm-missing");
    row("token counts are not secrets",
        pairs({"            - name: HF_TOKEN\n",
               "            - name: TOKENIZER_PATH\n              value: /models/tok\n"
               "            - name: MAX_TOKENS\n              value: \"4096\"\n"
               "            - name: SECRET_NAME\n              value: hf-token\n"
               "            - name: HF_TOKEN\n"}),
        "env-secret-inline");
    row("user id without runAsNonRoot", pairs({"        runAsNonRoot: true\n", ""}),
        "run-as-non-root");
    row("long initial delay instead of a startup probe",
        pairs({"          startupProbe:\n            httpGet:\n              path: /health\n"
               "              port: http\n            periodSeconds: 10\n"
               "            failureThreshold: 60\n",
               "", "            periodSeconds: 10\n            failureThreshold: 3\n",
               "            periodSeconds: 10\n            failureThreshold: 3\n"
               "            initialDelaySeconds: 600\n"}),
        "startup-probe-missing");
    row("probe port number on a container without declared ports",
        pairs({"          ports:\n            - name: http\n              containerPort: 8000\n",
               "", "port: http", "port: 8000", "port: http", "port: 8000", "port: http",
               "port: 8000"}),
        "probe-port-unknown");
    row("jobs need no probes",
        pairs({"apiVersion: apps/v1\nkind: Deployment", "apiVersion: batch/v1\nkind: Job",
               "          readinessProbe:\n            httpGet:\n              path: /ready\n"
               "              port: http\n            periodSeconds: 5\n",
               ""}),
        "probes-missing");
}

void TestLintRulesContainers::notReported() {
    checkNotReported();
}

void TestLintRulesContainers::containerIsNamed() {
    const std::string text = replaced(kCleanServing, "llm-server:1.4.2", "llm-server:latest");
    const auto found = withRule(lintWith(text), "image-latest-tag");
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found.front().container, std::string("server"));
    QCOMPARE(found.front().object, std::string("Deployment ml-serving/llm-server"));
    QCOMPARE(found.front().field, std::string("spec.template.spec.containers[0].image"));
}

// The API server rejects what requests-exceed-limits and gpu-requests-limits report; the
// pipeline keeps the rule's explanation and drops the bare cause.
void TestLintRulesContainers::apiDuplicateIsDropped() {
    const std::string text =
        replaced(replaced(kCleanServing, "              nvidia.com/gpu: 1\n            limits:",
                          "              nvidia.com/gpu: 2\n            limits:"),
                 "            limits:\n              memory: 32Gi",
                 "            limits:\n              memory: 16Gi");
    const auto findings = lintWith(text);
    QCOMPARE(withRule(findings, "gpu-requests-limits").size(), std::size_t(1));
    QCOMPARE(withRule(findings, "requests-exceed-limits").size(), std::size_t(1));
    QCOMPARE(withRule(findings, "requests-exceed-limits").front().field,
             std::string("spec.template.spec.containers[0].resources.requests"));
    QCOMPARE(summaries(withRule(findings, "api-validation")), QStringList());
}

void TestLintRulesContainers::gpuFixSetsRequestToLimit() {
    const std::string text = replaced(kCleanServing, "              nvidia.com/gpu: 1\n  ",
                                      "              nvidia.com/gpu: \"2\"\n  ");
    const auto found = withRule(lintWith(text), "gpu-requests-limits");
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found.front().fixes.front().title,
             std::string("Set requests[nvidia.com/gpu] to 1 (the limit)"));
    const std::string fixed = applyFix(text, found.front());
    QVERIFY(parsesCleanly(fixed));
    QVERIFY(fixed.find("              nvidia.com/gpu: \"1\"\n            limits:") !=
            std::string::npos);
    QCOMPARE(summaries(ruleFindings(lintWith(fixed))), QStringList());
}

void TestLintRulesContainers::gpuFixAddsLimitInFlowMap() {
    // Limits written as a flow map, GPU only in requests: the limit goes into the flow map.
    const std::string text = replaced(kCleanServing,
                                      "            limits:\n              memory: 32Gi\n"
                                      "              nvidia.com/gpu: 1\n",
                                      "            limits: {memory: 32Gi}\n");
    const auto found = withRule(lintWith(text), "gpu-requests-limits");
    QCOMPARE(found.size(), std::size_t(1));
    const std::string fixed = applyFix(text, found.front());
    QVERIFY(fixed.find("limits: {nvidia.com/gpu: 1, memory: 32Gi}") != std::string::npos);
    QVERIFY(parsesCleanly(fixed));
    QCOMPARE(summaries(ruleFindings(lintWith(fixed))), QStringList());

    // No limits at all: a limits map is added next to requests, indented like its siblings.
    const std::string none = replaced(kCleanServing,
                                      "            limits:\n              memory: 32Gi\n"
                                      "              nvidia.com/gpu: 1\n",
                                      "");
    const auto gpu = withRule(lintWith(none), "gpu-requests-limits");
    QCOMPARE(gpu.size(), std::size_t(1));
    const std::string added = applyFix(none, gpu.front());
    QVERIFY(parsesCleanly(added));
    QVERIFY(
        added.find("          resources:\n            limits:\n              nvidia.com/gpu: 1\n"
                   "            requests:\n") != std::string::npos);
    QCOMPARE(summaries(withRule(lintWith(added), "gpu-requests-limits")), QStringList());
}

void TestLintRulesContainers::escalationFixCreatesSecurityContext() {
    const std::string text =
        replaced(kCleanServing,
                 "          securityContext:\n            allowPrivilegeEscalation: false\n", "");
    const auto found = withRule(lintWith(text), "privilege-escalation");
    QCOMPARE(found.size(), std::size_t(1));
    const std::string fixed = applyFix(text, found.front());
    QVERIFY(parsesCleanly(fixed));
    // A new map among the container's keys, indented like its siblings.
    QVERIFY(fixed.find("\n          securityContext:\n            allowPrivilegeEscalation: false\n"
                       "          ") != std::string::npos);
    QCOMPARE(summaries(ruleFindings(lintWith(fixed))), QStringList());
}

void TestLintRulesContainers::escalationFixReplacesTrue() {
    const std::string text = replaced(kCleanServing, "allowPrivilegeEscalation: false",
                                      "allowPrivilegeEscalation: true");
    const auto found = withRule(lintWith(text), "privilege-escalation");
    QCOMPARE(found.size(), std::size_t(1));
    const std::string fixed = applyFix(text, found.front());
    QCOMPARE(fixed, std::string(kCleanServing));
}

void TestLintRulesContainers::fixKeepsCrlfLineEnds() {
    std::string text =
        replaced(kCleanServing,
                 "          securityContext:\n            allowPrivilegeEscalation: false\n", "");
    for (auto at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 2))
        text.replace(at, 1, "\r\n");
    const auto found = withRule(lintWith(text), "privilege-escalation");
    QCOMPARE(found.size(), std::size_t(1));
    const std::string fixed = applyFix(text, found.front());
    QVERIFY(parsesCleanly(fixed));
    QVERIFY(fixed.find("securityContext:\r\n            allowPrivilegeEscalation: false\r\n") !=
            std::string::npos);
    for (std::size_t i = 0; i < fixed.size(); ++i)
        QVERIFY2(fixed[i] != '\n' || (i > 0 && fixed[i - 1] == '\r'), "a bare line feed");
    QCOMPARE(summaries(withRule(lintWith(fixed), "privilege-escalation")), QStringList());
}

QTEST_GUILESS_MAIN(TestLintRulesContainers)
#include "tst_lintrules_containers.moc"
