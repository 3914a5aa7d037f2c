// The lint rules as a whole: their catalogue entries, a clean GPU serving set that triggers
// nothing, silencing by annotation and by .kubedeck-lint.yaml, and linting 20,000 objects.

#include "tst_lintrules_support.h"

#include "manifest/lintconfig.h"
#include "manifest/lintstages.h"
#include "manifest/rules.h"

#include <QTest>

#include <ctime>

using namespace kdtest;

class TestLintRules : public QObject {
    Q_OBJECT

private slots:
    void catalogueHasEveryRule();
    void catalogueEntriesAreComplete();
    void cleanServingSetHasNoFindings();
    void annotationSilencesObject();
    void annotationSilencesOneContainer();
    void templateAnnotationSilences();
    void annotationToleratesWhitespace();
    void annotationUnknownRule();
    void annotationUnknownContainer();
    void configDisables();
    void configOverridesSeverity();
    void listItemsAreLinted();
    void twentyThousandObjects();
};

void TestLintRules::catalogueHasEveryRule() {
    QStringList catalogued;
    for (const RuleInfo &rule : ruleCatalog()) {
        if (kLintRuleIds.contains(qs(rule.id)))
            catalogued << qs(rule.id);
    }
    QCOMPARE(catalogued, kLintRuleIds); // sorted, each once
}

void TestLintRules::catalogueEntriesAreComplete() {
    for (const QString &id : kLintRuleIds) {
        const RuleInfo *rule = findRule(id.toStdString());
        QVERIFY2(rule, qPrintable(id));
        QVERIFY2(rule->title.size() > 10 && rule->title.size() < 90, qPrintable(id));
        QVERIFY2(rule->explanation.size() > 80, qPrintable(id));
        QVERIFY2(rule->fix.size() > 10, qPrintable(id));
        QVERIFY2(!rule->category.empty(), qPrintable(id));
        // kebab-case: lower-case words joined by single hyphens
        for (std::size_t i = 0; i < rule->id.size(); ++i) {
            const char c = rule->id[i];
            QVERIFY2((c >= 'a' && c <= 'z') || (c == '-' && i > 0 && rule->id[i - 1] != '-'),
                     qPrintable(id));
        }
    }
    QCOMPARE(findRule("gpu-toleration-missing")->severity, Severity::Info);
    QCOMPARE(findRule("gpu-requests-limits")->severity, Severity::Error);
    QCOMPARE(findRule("gpu-requests-limits")->scope, RuleScope::Container);
    QCOMPARE(findRule("service-selects-nothing")->scope, RuleScope::Cross);
}

void TestLintRules::cleanServingSetHasNoFindings() {
    LintConfig config;
    config.capacity["nvidia.com/gpu"] = "8";
    const auto findings = lintWith(kCleanServing, config);
    QCOMPARE(summaries(ruleFindings(findings)), QStringList());
    // Nothing else is wrong with it either.
    QCOMPARE(summaries(findings), QStringList());
}

void TestLintRules::annotationSilencesObject() {
    const std::string latest = replaced(kCleanServing, "llm-server:1.4.2", "llm-server:latest");
    QCOMPARE(withRule(lintWith(latest), "image-latest-tag").size(), std::size_t(1));
    const std::string silenced = replaced(latest, "  labels:\n    app: llm-server\nspec:",
                                          "  labels:\n    app: llm-server\n  annotations:\n"
                                          "    kubedeck.io/lint-ignore: image-latest-tag\nspec:");
    const auto findings = lintWith(silenced);
    QCOMPARE(summaries(withRule(findings, "image-latest-tag")), QStringList());
    QCOMPARE(summaries(ruleFindings(findings)), QStringList());
}

void TestLintRules::annotationSilencesOneContainer() {
    // Two containers on `latest`; only the sidecar is silenced.
    std::string text = replaced(kCleanServing, "llm-server:1.4.2", "llm-server:latest");
    text = replaced(text, "      volumes:\n",
                    "        - name: metrics\n          image: prom/exporter\n      volumes:\n");
    text = replaced(text, "  labels:\n    app: llm-server\nspec:",
                    "  labels:\n    app: llm-server\n  annotations:\n"
                    "    kubedeck.io/lint-ignore: \"image-latest-tag:metrics\"\nspec:");
    const auto found = withRule(lintWith(text), "image-latest-tag");
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found.front().container, std::string("server"));
}

void TestLintRules::templateAnnotationSilences() {
    const std::string text = replaced(
        replaced(kCleanServing, "llm-server:1.4.2", "llm-server:latest"),
        "    metadata:\n      labels:\n        app: llm-server\n",
        "    metadata:\n      annotations:\n        kubedeck.io/lint-ignore: image-latest-tag\n"
        "      labels:\n        app: llm-server\n");
    QCOMPARE(summaries(withRule(lintWith(text), "image-latest-tag")), QStringList());
}

void TestLintRules::annotationToleratesWhitespace() {
    std::string text = replaced(kCleanServing, "llm-server:1.4.2", "llm-server:latest");
    text = replaced(text, "allowPrivilegeEscalation: false", "privileged: false");
    text = replaced(text, "  labels:\n    app: llm-server\nspec:",
                    "  labels:\n    app: llm-server\n  annotations:\n"
                    "    kubedeck.io/lint-ignore: \" image-latest-tag : server ,,"
                    "  privilege-escalation \"\nspec:");
    const auto findings = lintWith(text);
    QCOMPARE(summaries(ruleFindings(findings)), QStringList());
}

void TestLintRules::annotationUnknownRule() {
    const std::string text = replaced(kCleanServing, "  labels:\n    app: llm-server\nspec:",
                                      "  labels:\n    app: llm-server\n  annotations:\n"
                                      "    kubedeck.io/lint-ignore: @@image-lastest-tag\nspec:");
    expectAtMarks(text, "lint-ignore-unknown", "did you mean `image-latest-tag`?");
    const auto f = withRule(lintWith(marked(text).text), "lint-ignore-unknown");
    QCOMPARE(f.front().severity, Severity::Warning);
    QVERIFY(f.front().message.find("`image-lastest-tag`") != std::string::npos);
}

void TestLintRules::annotationUnknownContainer() {
    const std::string text =
        replaced(kCleanServing, "    metadata:\n      labels:\n        app: llm-server\n",
                 "    metadata:\n      annotations:\n        kubedeck.io/lint-ignore: "
                 "@@probes-missing:servr\n      labels:\n        app: llm-server\n");
    expectAtMarks(text, "lint-ignore-unknown", "container `servr`");
    const auto f = withRule(lintWith(marked(text).text), "lint-ignore-unknown");
    QVERIFY(f.front().message.find("did you mean `server`?") != std::string::npos);
}

void TestLintRules::configDisables() {
    const std::string latest = replaced(kCleanServing, "llm-server:1.4.2", "llm-server:latest");
    LintConfig config;
    config.disabled.insert("image-latest-tag");
    QCOMPARE(summaries(ruleFindings(lintWith(latest, config))), QStringList());
}

void TestLintRules::configOverridesSeverity() {
    const std::string latest = replaced(kCleanServing, "llm-server:1.4.2", "llm-server:latest");
    QCOMPARE(withRule(lintWith(latest), "image-latest-tag").front().severity, Severity::Warning);
    const auto parsed = parseLintConfig("severity:\n  image-latest-tag: error\n", "cfg");
    QVERIFY2(parsed.config, parsed.error.c_str());
    const auto found = withRule(lintWith(latest, *parsed.config), "image-latest-tag");
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found.front().severity, Severity::Error);
}

void TestLintRules::listItemsAreLinted() {
    const Marked m = marked(R"(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: job
      namespace: ml
    spec:
      containers:
        - name: trainer
          image: @@pytorch/pytorch
)");
    const auto found = withRule(lintWith(m.text), "image-latest-tag");
    QCOMPARE(positions(found), positions(m.marks));
    QCOMPARE(found.front().field, std::string("items[0].spec.containers[0].image"));
}

namespace {

// Runs the object and cross rules over every object of the text; CPU milliseconds spent.
long long runRules(const std::string &text, std::vector<Finding> &findings,
                   const LintConfig &config = {}) {
    std::vector<LintFile> files;
    files.push_back(parseLintFile("big.yaml", text));
    const auto objects = collectObjects(files);
    LintOptions options;
    options.config = config;
    detail::FindingSink sink(findings, options.config);
    const std::clock_t start = std::clock();
    for (const LintObject &object : objects)
        detail::checkObjectRules(object, options, sink);
    detail::checkCrossRules(objects, options, sink);
    return static_cast<long long>((std::clock() - start) * 1000 / CLOCKS_PER_SEC);
}

} // namespace

// Index lookups, not scans: 20,000 objects in one namespace-heavy set. (Timings are printed for
// the record, not asserted; a quadratic rule would take minutes here.)
void TestLintRules::twentyThousandObjects() {
    // 4,000 model servers, each with a Service, an Ingress, an HPA and a PDB, in 5 namespaces.
    std::string text;
    text.reserve(12'000'000);
    for (int i = 0; i < 4000; ++i) {
        const std::string n = std::to_string(i);
        const std::string ns = "team-" + std::to_string(i % 5);
        std::string set = std::string(kCleanServing);
        for (std::size_t at = set.find("llm-server"); at != std::string::npos;
             at = set.find("llm-server", at + 1))
            set.replace(at, 10, "model-" + n);
        for (std::size_t at = set.find("ml-serving"); at != std::string::npos;
             at = set.find("ml-serving", at + 1))
            set.replace(at, 10, ns);
        text += set + "---\n";
    }
    std::vector<Finding> findings;
    LintConfig config;
    config.capacity["nvidia.com/gpu"] = "100000";
    const long long ms = runRules(text, findings, config);
    qInfo("lint rules over 20,000 clean objects: %lld ms CPU", ms);
    QCOMPARE(summaries(findings), QStringList());

    // Bare Deployments: eight findings each, two with quick fixes.
    std::string bare;
    bare.reserve(5'000 * 400);
    for (int i = 0; i < 5'000; ++i) {
        const std::string n = std::to_string(i);
        bare += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: model-" + n +
                "\n  namespace: serving\nspec:\n  replicas: 2\n  selector:\n"
                "    matchLabels: {app: model-" +
                n + "}\n  template:\n    metadata:\n      labels: {app: model-" + n +
                "}\n    spec:\n      containers:\n      - name: server\n"
                "        image: vllm/vllm-openai:v0.6.3\n        resources:\n"
                "          limits: {nvidia.com/gpu: 1, memory: 32Gi}\n"
                "          requests: {nvidia.com/gpu: 2, memory: 32Gi, cpu: 4}\n";
    }
    std::vector<Finding> many;
    const long long bareMs = runRules(bare, many);
    qInfo("lint rules over 5,000 bare Deployments: %lld ms CPU, %zu findings", bareMs, many.size());
    QCOMPARE(withRule(many, "gpu-requests-limits").size(), std::size_t(5'000));
    QCOMPARE(withRule(many, "privilege-escalation").size(), std::size_t(5'000));
    QCOMPARE(withRule(many, "pdb-missing").size(), std::size_t(5'000));
    QVERIFY(!withRule(many, "privilege-escalation").back().fixes.empty());
}

QTEST_GUILESS_MAIN(TestLintRules)
#include "tst_lintrules.moc"
