#pragma once
// Shared by the tst_lintrules* tests: a clean GPU model-serving manifest set that the rules must
// leave alone, variants of it made by replacing one snippet, and `@@` markers in a text that say
// where a finding is expected.

#include "manifest/lint.h"
#include "manifest/textedits.h"

#include <QString>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace kdtest {

using namespace kd::manifest;

// Deployment + Service + Ingress + HPA + PDB for a GPU model server, as a careful team writes it:
// pinned image, requests = limits for the GPU, memory limit, probes incl. a startup probe,
// /dev/shm in memory, GPU toleration and node selector, spread, non-root, secrets by reference.
inline constexpr std::string_view kCleanServing = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: llm-server
  namespace: ml-serving
  labels:
    app: llm-server
spec:
  selector:
    matchLabels:
      app: llm-server
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: llm-server
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB
      tolerations:
        - key: nvidia.com/gpu
          operator: Exists
          effect: NoSchedule
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: llm-server
      containers:
        - name: server
          image: ghcr.io/acme/llm-server:1.4.2
          ports:
            - name: http
              containerPort: 8000
          env:
            - name: MODEL_ID
              value: acme/llama-3-8b-instruct
            - name: MAX_NEW_TOKENS
              value: "512"
            - name: HF_TOKEN
              valueFrom:
                secretKeyRef:
                  name: hf-token
                  key: token
          resources:
            requests:
              cpu: "4"
              memory: 32Gi
              nvidia.com/gpu: 1
            limits:
              memory: 32Gi
              nvidia.com/gpu: 1
          securityContext:
            allowPrivilegeEscalation: false
          startupProbe:
            httpGet:
              path: /health
              port: http
            periodSeconds: 10
            failureThreshold: 60
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /health
              port: http
            periodSeconds: 10
            failureThreshold: 3
          volumeMounts:
            - name: shm
              mountPath: /dev/shm
      volumes:
        - name: shm
          emptyDir:
            medium: Memory
            sizeLimit: 8Gi
---
apiVersion: v1
kind: Service
metadata:
  name: llm-server
  namespace: ml-serving
spec:
  selector:
    app: llm-server
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: llm-server
  namespace: ml-serving
spec:
  ingressClassName: nginx
  rules:
    - host: llm.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: llm-server
                port:
                  number: 80
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: llm-server
  namespace: ml-serving
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: llm-server
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Pods
      pods:
        metric:
          name: vllm_num_requests_waiting
        target:
          type: AverageValue
          averageValue: "5"
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: llm-server
  namespace: ml-serving
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: llm-server
)";

// The rule IDs of the lint rules (not the schema and API checks).
inline const QStringList kLintRuleIds = {
    QStringLiteral("anti-affinity-missing"),
    QStringLiteral("env-duplicate"),
    QStringLiteral("env-secret-inline"),
    QStringLiteral("gpu-requests-limits"),
    QStringLiteral("gpu-shm-missing"),
    QStringLiteral("gpu-toleration-missing"),
    QStringLiteral("hpa-gpu-cpu-metric"),
    QStringLiteral("hpa-replicas"),
    QStringLiteral("hpa-replicas-conflict"),
    QStringLiteral("hpa-target-missing"),
    QStringLiteral("image-latest-tag"),
    QStringLiteral("ingress-backend-missing"),
    QStringLiteral("lint-ignore-unknown"),
    QStringLiteral("memory-limit-missing"),
    QStringLiteral("namespace-default"),
    QStringLiteral("pdb-blocks-drain"),
    QStringLiteral("pdb-missing"),
    QStringLiteral("pdb-policy"),
    QStringLiteral("pdb-selects-nothing"),
    QStringLiteral("privilege-escalation"),
    QStringLiteral("privileged-container"),
    QStringLiteral("probe-port-unknown"),
    QStringLiteral("probes-identical"),
    QStringLiteral("probes-missing"),
    QStringLiteral("replicas-too-few"),
    QStringLiteral("requests-exceed-limits"),
    QStringLiteral("resources-requests-missing"),
    QStringLiteral("rollout-gpu-blocked"),
    QStringLiteral("rollout-surge-unavailable-zero"),
    QStringLiteral("run-as-non-root"),
    QStringLiteral("selector-mismatch"),
    QStringLiteral("service-selects-nothing"),
    QStringLiteral("service-target-port-unknown"),
    QStringLiteral("startup-probe-missing"),
};

inline QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// `text` with `from` replaced by `to` (the first occurrence); fails the test when absent.
inline std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
    std::string out(text);
    const auto at = out.find(from);
    if (at == std::string::npos)
        qFatal("test text has no \"%s\"", std::string(from).c_str());
    out.replace(at, from.size(), to);
    return out;
}

// A text with `@@` markers: the text without them and where each one was (1-based byte columns).
struct Marked {
    std::string text;
    std::vector<Position> marks;
};

inline Marked marked(std::string_view withMarkers) {
    Marked m;
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < withMarkers.size(); ++i) {
        if (withMarkers.substr(i, 2) == "@@") {
            m.marks.push_back({line, column});
            ++i;
            continue;
        }
        m.text += withMarkers[i];
        if (withMarkers[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return m;
}

inline std::vector<Finding> lintWith(std::string_view text, const LintConfig &config = {}) {
    LintOptions options;
    options.config = config;
    return lintText(text, "test.yaml", options);
}

inline std::vector<Finding> withRule(const std::vector<Finding> &findings, std::string_view id) {
    std::vector<Finding> out;
    std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
                 [id](const Finding &f) { return f.ruleId == id; });
    return out;
}

// Findings of the lint rules only.
inline std::vector<Finding> ruleFindings(const std::vector<Finding> &findings) {
    std::vector<Finding> out;
    std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
                 [](const Finding &f) { return kLintRuleIds.contains(qs(f.ruleId)); });
    return out;
}

inline QString summary(const Finding &f) {
    return QStringLiteral("%1@%2:%3 [%4] %5")
        .arg(qs(f.ruleId))
        .arg(f.position.line)
        .arg(f.position.column)
        .arg(qs(f.container), qs(f.message));
}

inline QStringList summaries(const std::vector<Finding> &findings) {
    QStringList out;
    for (const Finding &f : findings)
        out << summary(f);
    return out;
}

inline QList<QPair<int, int>> positions(const std::vector<Finding> &findings) {
    QList<QPair<int, int>> out;
    for (const Finding &f : findings)
        out << qMakePair(f.position.line, f.position.column);
    return out;
}

inline QList<QPair<int, int>> positions(const std::vector<Position> &marks) {
    QList<QPair<int, int>> out;
    for (const Position &p : marks)
        out << qMakePair(p.line, p.column);
    return out;
}

// Lints a marked text and checks that `rule` is reported exactly at the markers, each message
// containing `needle`.
inline void expectAtMarks(std::string_view withMarkers, std::string_view rule,
                          std::string_view needle, const LintConfig &config = {}) {
    const Marked m = marked(withMarkers);
    const auto found = withRule(lintWith(m.text, config), rule);
    QVERIFY2(!m.marks.empty(), "the test text has no @@ marker");
    QCOMPARE(positions(found), positions(m.marks));
    for (const Finding &f : found)
        QVERIFY2(f.message.find(needle) != std::string::npos, qPrintable(summary(f)));
}

// The text after applying a finding's first quick fix; fails the test when there is none.
inline std::string applyFix(std::string_view text, const Finding &f) {
    if (f.fixes.empty()) {
        QTest::qFail(qPrintable(QStringLiteral("no quick fix: ") + summary(f)), __FILE__, __LINE__);
        return {};
    }
    std::string error;
    const auto out = applyTextEdits(text, f.fixes.front().edits, &error);
    if (!out)
        QTest::qFail(qPrintable(qs(error)), __FILE__, __LINE__);
    return out.value_or(std::string());
}

// No YAML problems: the text still parses.
inline bool parsesCleanly(std::string_view text) {
    return parseYaml(text).diagnostics.empty();
}

// Applies (from, to) pairs to the clean serving set, in order.
inline std::string edited(const QList<QByteArray> &edits) {
    std::string text(kCleanServing);
    for (qsizetype i = 0; i + 1 < edits.size(); i += 2)
        text = replaced(text, edits[i].toStdString(), edits[i + 1].toStdString());
    return text;
}

inline QList<QByteArray> pairs(std::initializer_list<const char *> items) {
    QList<QByteArray> out;
    for (const char *item : items)
        out << QByteArray(item);
    return out;
}

// The `reported` and `notReported` tables every rule test has: rows of (from, to) edits to the
// clean serving set, the rule, and (for `reported`) a needle its message must contain; the edited
// text marks where the rule must be reported with @@.
inline void reportedColumns() {
    QTest::addColumn<QList<QByteArray>>("edits");
    QTest::addColumn<QByteArray>("rule");
    QTest::addColumn<QByteArray>("needle");
}

inline void reportedRow(const char *name, QList<QByteArray> edits, const char *rule,
                        const char *needle) {
    QTest::newRow(name) << edits << QByteArray(rule) << QByteArray(needle);
}

inline void checkReported() {
    QFETCH(QList<QByteArray>, edits);
    QFETCH(QByteArray, rule);
    QFETCH(QByteArray, needle);
    expectAtMarks(edited(edits), rule.toStdString(), needle.toStdString());
}

inline void notReportedColumns() {
    QTest::addColumn<QList<QByteArray>>("edits");
    QTest::addColumn<QByteArray>("rule");
}

inline void notReportedRow(const char *name, QList<QByteArray> edits, const char *rule) {
    QTest::newRow(name) << edits << QByteArray(rule);
}

inline void checkNotReported() {
    QFETCH(QList<QByteArray>, edits);
    QFETCH(QByteArray, rule);
    const std::string text = edited(edits);
    QVERIFY(parsesCleanly(text));
    QCOMPARE(summaries(withRule(lintWith(text), rule.toStdString())), QStringList());
}

} // namespace kdtest
