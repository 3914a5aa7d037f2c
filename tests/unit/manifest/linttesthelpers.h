#pragma once
// Shared by the tst_lint* tests: a small schema catalogue written for the tests (independent of
// the built-in one), running single lint stages over a text, and picking findings apart.

#include "manifest/lint.h"
#include "manifest/lintstages.h"
#include "manifest/schematext.h"
#include "manifest/textedits.h"

#include <QString>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace kdtest {

using namespace kd::manifest;

inline QString qs(const std::string &s) {
    return QString::fromStdString(s);
}

inline QStringList strings(std::initializer_list<const char *> items) {
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

// Every construct the schema walk treats differently, in the shapes of real kinds.
inline constexpr std::string_view kTestSchemaText = R"(
kind apps/v1 Deployment namespaced = Deployment
type Deployment
  apiVersion: string
  kind:       string
  metadata:   ObjectMeta
  spec:       DeploymentSpec

type ObjectMeta
  annotations:       map[string]
  creationTimestamp: time
  labels:            map[string]
  name:              string
  namespace:         string

type DeploymentSpec
  paused:   boolean
  replicas: int32
  selector: LabelSelector!
  strategy: DeploymentStrategy
  template: PodTemplateSpec!

type LabelSelector
  matchLabels: map[string]

type DeploymentStrategy
  rollingUpdate: RollingUpdateDeployment
  type:          string enum(Recreate|RollingUpdate)

type RollingUpdateDeployment
  maxSurge: int-or-string

type PodTemplateSpec
  metadata: ObjectMeta
  spec:     PodSpec

type PodSpec
  containers:   []Container!
  nodeSelector: map[string]

type Container
  env:             []EnvVar
  image:           string
  imagePullPolicy: string enum(Always|IfNotPresent|Never)
  name:            string!
  ports:           []ContainerPort
  resources:       ResourceRequirements

type EnvVar
  name:  string!
  value: string

type ContainerPort
  containerPort: int32!
  name:          string

type ResourceRequirements
  limits:   map[quantity]
  requests: map[quantity]

kind v1 Secret namespaced = Secret
type Secret
  apiVersion: string
  data:       map[bytes]
  kind:       string
  metadata:   ObjectMeta
  stringData: map[string]

kind example.com/v1 Tuning namespaced = Tuning
type Tuning
  apiVersion: string
  kind:       string
  metadata:   ObjectMeta
  spec:       TuningSpec

type TuningSpec
  config:       any
  epochs:       int64
  extra:        Extra
  learningRate: number

type Extra open
  name: string

kind policy/v1 PodDisruptionBudget namespaced = PodDisruptionBudget
kind policy/v1beta1 PodDisruptionBudget namespaced = PodDisruptionBudget
type PodDisruptionBudget
  apiVersion: string
  kind:       string
  metadata:   ObjectMeta
  spec:       PodDisruptionBudgetSpec

type PodDisruptionBudgetSpec
  maxUnavailable: int-or-string
  minAvailable:   int-or-string
  selector:       LabelSelector
)";

inline std::shared_ptr<const SchemaSet> testSchemaSet() {
    static const std::shared_ptr<const SchemaSet> set = [] {
        auto s = std::make_shared<SchemaSet>();
        s->source = "test";
        std::string error;
        if (!parseSchemaText(kTestSchemaText, "test.kds", *s, &error))
            qFatal("test schema: %s", error.c_str());
        return std::shared_ptr<const SchemaSet>(std::move(s));
    }();
    return set;
}

inline const SchemaCatalog &testCatalog() {
    static const SchemaCatalog catalog = [] {
        SchemaCatalog c;
        c.add(testSchemaSet());
        return c;
    }();
    return catalog;
}

// Findings of one stage run over every object of `text`, in reporting order.
struct StageRun {
    std::vector<LintFile> files;
    std::vector<Finding> findings;
};

inline StageRun runSchemaStage(std::string_view text, const LintOptions &options = {},
                               const SchemaCatalog &catalog = testCatalog()) {
    StageRun run;
    run.files.push_back(parseLintFile("test.yaml", text));
    detail::FindingSink sink(run.findings, options.config);
    for (const LintObject &object : collectObjects(run.files))
        detail::checkSchema(object, catalog, options, sink);
    std::stable_sort(run.findings.begin(), run.findings.end(), findingLess);
    return run;
}

inline StageRun runApiStage(std::string_view text, const LintConfig &config = {}) {
    StageRun run;
    run.files.push_back(parseLintFile("test.yaml", text));
    detail::FindingSink sink(run.findings, config);
    for (const LintObject &object : collectObjects(run.files))
        detail::checkApiServer(object, sink);
    std::stable_sort(run.findings.begin(), run.findings.end(), findingLess);
    return run;
}

// The findings of the YAML, schema and API-server checks (lint() also runs the lint rules).
inline std::vector<Finding> ownFindings(const std::vector<Finding> &all) {
    static const std::vector<RuleInfo> infos = detail::schemaCheckInfos();
    std::vector<Finding> out;
    for (const Finding &f : all) {
        for (const RuleInfo &info : infos) {
            if (info.id == f.ruleId) {
                out.push_back(f);
                break;
            }
        }
    }
    return out;
}

// lint() over one text with the test catalogue, keeping ownFindings.
inline std::vector<Finding> lintOwn(std::string_view text, LintOptions options = {}) {
    if (options.schemas == nullptr)
        options.schemas = &testCatalog();
    return ownFindings(lintText(text, "test.yaml", options));
}

inline std::vector<Finding> withRule(const std::vector<Finding> &findings, std::string_view id) {
    std::vector<Finding> out;
    for (const Finding &f : findings) {
        if (f.ruleId == id)
            out.push_back(f);
    }
    return out;
}

// "rule@line:col field: message", one per finding, for readable failures and compact checks.
inline QString summary(const Finding &f) {
    return QStringLiteral("%1@%2:%3 %4: %5")
        .arg(qs(f.ruleId))
        .arg(f.position.line)
        .arg(f.position.column)
        .arg(qs(f.field), qs(f.message));
}

inline QStringList summaries(const std::vector<Finding> &findings) {
    QStringList out;
    for (const Finding &f : findings)
        out << summary(f);
    return out;
}

inline QStringList ruleIds(const std::vector<Finding> &findings) {
    QStringList out;
    for (const Finding &f : findings)
        out << qs(f.ruleId);
    return out;
}

// The text after applying a finding's first quick fix; "" when it has none or it fails.
inline std::string applyFirstFix(std::string_view text, const Finding &f) {
    if (f.fixes.empty())
        return {};
    return applyTextEdits(text, f.fixes.front().edits).value_or(std::string());
}

} // namespace kdtest
