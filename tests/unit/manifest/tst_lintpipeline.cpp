// The lint pipeline as a whole: objects from documents and List items, positions and their
// fallbacks, several files in one run, the reporting order, configuration (disabled rules,
// severity overrides, the Kubernetes version), silencing, failsAt, the rule catalogue, and the
// time a large file takes.
#include "linttesthelpers.h"

#include <QElapsedTimer>

#include <algorithm>

using namespace kdtest;

namespace {

// Two Deployments in a List; the second has `replicsa` at line 15, column 5.
const std::string kList =
    "apiVersion: v1\n"
    "kind: List\n"
    "items:\n"
    "- apiVersion: apps/v1\n"
    "  kind: Deployment\n"
    "  metadata: {name: a, namespace: ml}\n"
    "  spec:\n"
    "    replicas: 1\n"
    "    selector: {matchLabels: {app: a}}\n"
    "    template: {metadata: {labels: {app: a}}, spec: {containers: [{name: x, image: 'x:1'}]}}\n"
    "- apiVersion: apps/v1\n"
    "  kind: Deployment\n"
    "  metadata: {name: b, namespace: ml}\n"
    "  spec:\n"
    "    replicsa: 1\n"
    "    selector: {matchLabels: {app: b}}\n"
    "    template: {metadata: {labels: {app: b}}, spec: {containers: [{name: x, image: 'x:1'}]}}\n";

// One Deployment with `replicsa` at line 6, column 3.
const std::string kTypo = "apiVersion: apps/v1\n"
                          "kind: Deployment\n"
                          "metadata:\n"
                          "  name: web\n"
                          "spec:\n"
                          "  replicsa: 3\n"
                          "  selector: {matchLabels: {app: web}}\n"
                          "  template: {metadata: {labels: {app: web}}, spec: {containers: "
                          "[{name: a, image: 'x:1'}]}}\n";

} // namespace

class TstLintPipeline final : public QObject {
    Q_OBJECT

private slots:
    void collectObjectsFromDocumentsAndLists() {
        std::vector<LintFile> files;
        files.push_back(parseLintFile("a.yaml", "---\n" + kList + "---\n\"text\"\n---\n" + kTypo));
        const std::vector<LintObject> objects = collectObjects(files);
        QCOMPARE(objects.size(), 3u);
        QCOMPARE(qs(objects[0].pathPrefix), QStringLiteral("items[0]"));
        QCOMPARE(qs(objects[1].pathPrefix), QStringLiteral("items[1]"));
        QCOMPARE(objects[1].document, 0);
        QCOMPARE(qs(objects[1].describe()), QStringLiteral("Deployment ml/b"));
        QCOMPARE(qs(objects[1].apiVersion), QStringLiteral("apps/v1"));
        QCOMPARE(qs(objects[2].pathPrefix), QString());
        QCOMPARE(objects[2].document, 2);
        QCOMPARE(qs(objects[2].describe()), QStringLiteral("Deployment web"));
        QCOMPARE(objects[2].file, &files[0]);
        QCOMPARE(objects[2].value, &files[0].yaml.documents[2].value);
    }

    void describeNamesWhatIsKnown() {
        LintObject o;
        QCOMPARE(qs(o.describe()), QStringLiteral("object"));
        o.kind = "Namespace";
        QCOMPARE(qs(o.describe()), QStringLiteral("Namespace"));
        o.name = "gpu";
        QCOMPARE(qs(o.describe()), QStringLiteral("Namespace gpu"));
        o.nameSpace = "serving";
        QCOMPARE(qs(o.describe()), QStringLiteral("Namespace serving/gpu"));
        o.name.clear();
        QCOMPARE(qs(o.describe()), QStringLiteral("Namespace"));
        const auto objects = collectObjects(
            {parseLintFile("g.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {generateName: "
                                     "job-}\n")});
        QCOMPARE(qs(objects.at(0).name), QStringLiteral("job-"));
    }

    void positionsAndFallbacks() {
        std::vector<LintFile> files;
        files.push_back(parseLintFile("a.yaml", kList));
        const auto objects = collectObjects(files);
        const LintObject &b = objects.at(1);
        // Relative to the item, in either path spelling.
        QCOMPARE(b.position("spec.replicsa").line, 15);
        QCOMPARE(b.position("spec.replicsa").column, 5);
        QCOMPARE(b.valuePosition("spec.replicsa").column, 15);
        QCOMPARE(b.position("spec[replicsa]").line, 15);
        QCOMPARE(b.position("metadata.name").line, 13);
        QCOMPARE(b.valuePosition("metadata.name").column, 20);
        QVERIFY(b.has("spec.selector"));
        QVERIFY(!b.has("spec.replicas"));
        QVERIFY(objects.at(0).has("spec.replicas"));
        // A missing field falls back to its nearest ancestor, a list item included.
        QCOMPARE(b.position("spec.template.spec.containers[0].ports").line, 17);
        QCOMPARE(b.position("spec.template.spec.containers[0].ports").column, 66);
        QCOMPARE(b.position("spec.strategy.rollingUpdate").line, 14);
        QCOMPARE(b.valuePosition("spec.nothing").line, 14);
        // The object itself is its list item.
        QCOMPARE(b.position("").line, 11);
        QCOMPARE(b.position("").column, 3);
        // A document's own root, and an unknown path at top level.
        std::vector<LintFile> plain;
        plain.push_back(parseLintFile("b.yaml", "# comment\n\n" + kTypo));
        const auto single = collectObjects(plain);
        QCOMPARE(single.at(0).position("").line, 3);
        QCOMPARE(single.at(0).position("nowhere").line, 3);
        QCOMPARE(single.at(0).position("spec[nvidia.com/gpu]").line, 7);
    }

    void twoFilesAndAListInOneRun() {
        std::vector<LintFile> files;
        files.push_back(parseLintFile("b.yaml", kTypo));
        files.push_back(parseLintFile("a.yaml", kList));
        LintOptions options;
        options.schemas = &testCatalog();
        const auto findings = ownFindings(lint(files, options));
        QCOMPARE(summaries(findings),
                 (QStringList{QStringLiteral("field-unknown@15:5 items[1].spec.replicsa: unknown "
                                             "field `replicsa` in DeploymentSpec; did you mean "
                                             "`replicas`?"),
                              QStringLiteral("field-unknown@6:3 spec.replicsa: unknown field "
                                             "`replicsa` in DeploymentSpec; did you mean "
                                             "`replicas`?")}));
        QCOMPARE(qs(findings[0].file), QStringLiteral("a.yaml"));
        QCOMPARE(qs(findings[0].object), QStringLiteral("Deployment ml/b"));
        QCOMPARE(findings[0].document, 0);
        QCOMPARE(qs(findings[1].file), QStringLiteral("b.yaml"));
        // The List item's fix edits the item's key in a.yaml.
        std::string fixed = kList;
        fixed.replace(fixed.find("replicsa"), 8, "replicas");
        QCOMPARE(qs(applyFirstFix(kList, findings[0])), qs(fixed));
    }

    void findingsAreSorted() {
        Finding a;
        a.file = "a.yaml";
        a.position = {3, 1};
        a.ruleId = "b-rule";
        Finding b = a;
        b.position = {3, 2};
        Finding c = a;
        c.ruleId = "a-rule";
        Finding d = a;
        d.message = "z";
        Finding e = a;
        e.file = "0.yaml";
        e.position = {99, 1};
        QVERIFY(findingLess(a, b));
        QVERIFY(!findingLess(b, a));
        QVERIFY(findingLess(c, a));
        QVERIFY(findingLess(a, d));
        QVERIFY(findingLess(e, a));
        QVERIFY(!findingLess(a, a));

        const auto findings = lintText(kTypo + "---\n" + kTypo + "---\n: bad\n", "x.yaml", {});
        QVERIFY(std::is_sorted(findings.begin(), findings.end(), findingLess));
        QVERIFY(!findings.empty());
    }

    void configDisablesAndOverrides() {
        LintOptions options;
        options.schemas = &testCatalog();
        options.config.severity["field-unknown"] = Severity::Info;
        auto findings = lintOwn(kTypo, options);
        QCOMPARE(ruleIds(findings), QStringList{QStringLiteral("field-unknown")});
        QCOMPARE(findings[0].severity, Severity::Info);
        options.config.disabled.insert("field-unknown");
        QCOMPARE(ruleIds(lintOwn(kTypo, options)), QStringList());
    }

    void annotationSilencesPerObject() {
        const std::string silenced = "apiVersion: apps/v1\n"
                                     "kind: Deployment\n"
                                     "metadata:\n"
                                     "  name: web\n"
                                     "  annotations: {kubedeck.io/lint-ignore: field-unknown}\n"
                                     "spec:\n"
                                     "  replicsa: 3\n"
                                     "  selector: {matchLabels: {app: web}}\n"
                                     "  template: {metadata: {labels: {app: web}}, spec: "
                                     "{containers: [{name: a, image: 'x:1'}]}}\n";
        QCOMPARE(summaries(lintOwn(silenced + "---\n" + kTypo)),
                 QStringList{QStringLiteral("field-unknown@16:3 spec.replicsa: unknown field "
                                            "`replicsa` in DeploymentSpec; did you mean "
                                            "`replicas`?")});
    }

    void failsAtHonoursStrict() {
        Finding f;
        f.severity = Severity::Error;
        QVERIFY(failsAt(f, false));
        QVERIFY(failsAt(f, true));
        f.severity = Severity::Warning;
        QVERIFY(!failsAt(f, false));
        QVERIFY(failsAt(f, true));
        f.severity = Severity::Info;
        QVERIFY(!failsAt(f, false));
        QVERIFY(!failsAt(f, true));

        // A missing schema is a warning: it fails only a strict run.
        LintOptions options;
        options.schemas = &testCatalog();
        const auto findings = lintOwn("apiVersion: example.com/v1\nkind: Widget\n"
                                      "metadata: {name: w}\n",
                                      options);
        QCOMPARE(ruleIds(findings), QStringList{QStringLiteral("schema-missing")});
        QVERIFY(!failsAt(findings[0], options.strict));
        options.strict = true;
        QVERIFY(failsAt(findings[0], options.strict));
    }

    void kubernetesVersionFromOptionsThenConfig() {
        const std::string pdb = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\n"
                                "metadata: {name: p}\nspec: {minAvailable: 1}\n";
        LintOptions options;
        QCOMPARE(ruleIds(withRule(lintOwn(pdb, options), "api-version-removed")),
                 QStringList{QStringLiteral("api-version-removed")});
        options.config.kubernetesVersion = "1.24";
        QCOMPARE(ruleIds(withRule(lintOwn(pdb, options), "api-version-deprecated")),
                 QStringList{QStringLiteral("api-version-deprecated")});
        options.kubernetesVersion = "1.20";
        QCOMPARE(withRule(lintOwn(pdb, options), "api-version-deprecated").size(), 0u);
    }

    void severityNames() {
        QCOMPARE(qs(std::string(severityName(Severity::Info))), QStringLiteral("info"));
        QCOMPARE(qs(std::string(severityName(Severity::Warning))), QStringLiteral("warning"));
        QCOMPARE(qs(std::string(severityName(Severity::Error))), QStringLiteral("error"));
        QCOMPARE(parseSeverity("warning"), std::optional<Severity>(Severity::Warning));
        QCOMPARE(parseSeverity("error"), std::optional<Severity>(Severity::Error));
        QCOMPARE(parseSeverity("info"), std::optional<Severity>(Severity::Info));
        QCOMPARE(parseSeverity("off"), std::optional<Severity>());
        QCOMPARE(parseSeverity("Error"), std::optional<Severity>());
    }

    void ruleCatalogue() {
        const auto &catalog = ruleCatalog();
        QVERIFY(std::is_sorted(catalog.begin(), catalog.end(),
                               [](const RuleInfo &a, const RuleInfo &b) { return a.id < b.id; }));
        QVERIFY(std::adjacent_find(catalog.begin(), catalog.end(),
                                   [](const RuleInfo &a, const RuleInfo &b) {
                                       return a.id == b.id;
                                   }) == catalog.end());
        const auto own = detail::schemaCheckInfos();
        QCOMPARE(own.size(), 16u);
        for (const RuleInfo &info : own) {
            const RuleInfo *found = findRule(info.id);
            QVERIFY2(found != nullptr, info.id.data());
            QCOMPARE(found->severity, info.severity);
            QVERIFY(!info.title.empty() && !info.explanation.empty() && !info.fix.empty());
            QVERIFY(!info.category.empty());
        }
        QCOMPARE(findRule("no-such-rule"), nullptr);
        QCOMPARE(findRule("schema-missing")->severity, Severity::Warning);
        QCOMPARE(findRule("api-version-deprecated")->severity, Severity::Warning);
        // Rules from the other stages are in the same catalogue.
        QVERIFY(catalog.size() > own.size());
    }

    // Time grows linearly with the number of documents (no per-finding scans of all findings or
    // objects): ten times the documents may take at most ~twenty times as long. The ratio holds in
    // debug and sanitizer builds alike, where absolute times say little.
    void twentyThousandDocumentsScaleLinearly() {
        const Timings small = timeLint(2'000);
        const Timings big = timeLint(20'000);
        qInfo("2,000 documents: parse %lld ms, schema+API stages %lld ms, lint() %lld ms",
              small.parseMs, small.stagesMs, small.lintMs);
        qInfo("20,000 documents: parse %lld ms, schema+API stages %lld ms, lint() %lld ms",
              big.parseMs, big.stagesMs, big.lintMs);
        QVERIFY2(
            big.stagesMs <= 20 * small.stagesMs + 100,
            qPrintable(QStringLiteral("%1 ms vs %2 ms").arg(big.stagesMs).arg(small.stagesMs)));
        QVERIFY2(big.lintMs <= 20 * small.lintMs + 100,
                 qPrintable(QStringLiteral("%1 ms vs %2 ms").arg(big.lintMs).arg(small.lintMs)));
    }

private:
    struct Timings {
        qint64 parseMs = 0;
        qint64 stagesMs = 0;
        qint64 lintMs = 0;
    };

    // A model server Deployment per document; every hundredth has a typo'd field.
    static Timings timeLint(int count) {
        std::string text;
        text.reserve(static_cast<std::size_t>(count) * 700);
        for (int i = 0; i < count; ++i) {
            const std::string n = std::to_string(i);
            text += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: model-" + n +
                    "\n  namespace: serving\n  labels: {app: model-" + n +
                    "}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: model-" + n +
                    "}\n  template:\n    metadata:\n      labels: {app: model-" + n +
                    "}\n    spec:\n      containers:\n      - name: server\n        image: "
                    "vllm/vllm-openai:v0.6.3\n        ports: [{containerPort: 8000}]\n"
                    "        resources:\n          limits: {nvidia.com/gpu: 1, memory: 32Gi}\n"
                    "          requests: {nvidia.com/gpu: 1, memory: 32Gi, cpu: 4}\n" +
                    (i % 100 == 0 ? "        imagePullPolicyy: Always\n" : "");
        }
        Timings t;
        QElapsedTimer timer;
        timer.start();
        std::vector<LintFile> files;
        files.push_back(parseLintFile("big.yaml", text));
        t.parseMs = timer.restart();
        if (files[0].yaml.documents.size() != static_cast<std::size_t>(count))
            qFatal("parsed %zu documents", files[0].yaml.documents.size());

        std::vector<Finding> findings;
        const std::vector<LintObject> objects = collectObjects(files);
        LintOptions options;
        detail::FindingSink sink(findings, options.config);
        for (const LintObject &object : objects) {
            detail::checkSchema(object, testCatalog(), options, sink);
            detail::checkApiServer(object, sink);
        }
        t.stagesMs = timer.restart();
        if (withRule(findings, "field-unknown").size() != static_cast<std::size_t>(count / 100))
            qFatal("the typos were not all found");

        options.schemas = &testCatalog();
        const auto all = lint(files, options);
        t.lintMs = timer.elapsed();
        if (withRule(all, "field-unknown").size() != static_cast<std::size_t>(count / 100))
            qFatal("lint() did not find all the typos");
        return t;
    }
};

QTEST_GUILESS_MAIN(TstLintPipeline)
#include "tst_lintpipeline.moc"
