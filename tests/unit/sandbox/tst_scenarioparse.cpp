// Scenario files and specifications: the built-in ones parse and pass the API server's
// validation; phases and warm-ups are read as written; hostile files and unknown names fail with
// a message naming the file, the line and the problem; the scale specification is checked.
#include "manifest/validation.h"
#include "sandbox/scenario.h"
#include "sandbox/scenarioscale.h"
#include "scenariotexts.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <map>

using namespace kd::sandbox;

namespace {

QString q(const std::string &s) {
    return QString::fromStdString(s);
}

std::string writeFile(const QTemporaryDir &dir, const char *name, const std::string &text) {
    std::string path = dir.filePath(QString::fromUtf8(name)).toStdString();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

} // namespace

class TstScenarioParse final : public QObject {
    Q_OBJECT

private slots:
    void builtinNames() {
        std::vector<std::string> names = builtinScenarioNames();
        for (const char *expected :
             {"churn-predictor", "empty", "gpu-deadlock", "inference-api", "ml-serving"})
            QVERIFY2(std::find(names.begin(), names.end(), expected) != names.end(), expected);
        QVERIFY(std::is_sorted(names.begin(), names.end()));
    }

    void builtinParsesAndValidates_data() {
        QTest::addColumn<QString>("name");
        for (const std::string &n : builtinScenarioNames())
            QTest::newRow(n.c_str()) << q(n);
    }
    void builtinParsesAndValidates() {
        QFETCH(QString, name);
        Scenario s = loadScenario(name.toStdString());
        QCOMPARE(q(s.name), name);
        QVERIFY(!s.phases.empty());
        std::size_t nodes = 0;
        for (const ScenarioPhase &phase : s.phases) {
            for (const Json &obj : phase.objects) {
                auto causes = kd::manifest::validateObject(obj);
                std::string what = str(obj, {"kind"}) + " " + nameOf(obj);
                for (const auto &c : causes)
                    what += "\n  " + c.field + ": " + c.message;
                QVERIFY2(causes.empty(), what.c_str());
                nodes += str(obj, {"kind"}) == "Node";
            }
        }
        QVERIFY(nodes > 0);
    }

    void phasesAndWarmups() {
        Scenario s = parseScenario(kd::testing::kTwoPhases, "two.yaml");
        QCOMPARE(s.phases.size(), 3u);
        QCOMPARE(s.phases[0].warmupSeconds, 10.0);
        QCOMPARE(s.phases[1].warmupSeconds, 60.0); // the default
        QCOMPARE(s.phases[2].warmupSeconds, 0.0);
        QCOMPARE(s.phases[0].objects.size(), 2u);
        QCOMPARE(s.phases[1].objects.size(), 1u);
        // A namespaced object without a namespace lands in "default", as kubectl does it.
        QCOMPARE(q(namespaceOf(s.phases[2].objects[0])), QStringLiteral("default"));
    }

    void hostileFiles_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad yaml") << "apiVersion: v1\nkind: Node\nmetadata: {name: [a\n"
                                  << "bad.yaml:4:1: end of sequence flow not found";
        QTest::newRow("unknown kind")
            << "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
            << "bad.yaml:2:1: unknown kind \"Widget\" (apiVersion example.com/v1); the "
               "sandbox serves: v1 Namespace, v1 Node,";
        QTest::newRow("old apiVersion")
            << "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: d\n"
            << "bad.yaml:1:1: Deployment is served as apiVersion apps/v1, not "
               "extensions/v1beta1";
        QTest::newRow("missing name")
            << "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n"
            << "bad.yaml:3:1: ConfigMap without a name: missing metadata.name";
        QTest::newRow("missing metadata")
            << "apiVersion: v1\nkind: Secret\n"
            << "bad.yaml:1:1: Secret without metadata: missing metadata.name";
        QTest::newRow("missing kind") << "apiVersion: v1\nmetadata:\n  name: x\n"
                                      << "bad.yaml:1:1: missing kind";
        QTest::newRow("not a mapping")
            << "- a\n- b\n"
            << "bad.yaml:1:1: a document must be a Kubernetes object (a mapping), not array";
        QTest::newRow("twice")
            << "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\n"
               "kind: Namespace\nmetadata: {name: a}\n"
            << "bad.yaml:6:1: Namespace a is defined twice in one phase (first at line 2)";
        QTest::newRow("bad warmup")
            << "# kubedeck:warmup soon\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
            << "bad.yaml:1:1: `# kubedeck:warmup` needs a number of seconds between 0 and "
               "604800, not \"soon\"";
        QTest::newRow("typo directive") << "# kubedeck:phases\n"
                                        << "bad.yaml:1:1: unknown directive \"# kubedeck:phases\"";
        QTest::newRow("nul byte") << QStringLiteral(
                                         "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n") +
                                         QChar(0) + QStringLiteral("\n")
                                  << "bad.yaml:4:1: the text contains a NUL byte";
    }
    void hostileFiles() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QByteArray utf8 = text.toUtf8();
        std::string path = writeFile(dir, "bad.yaml", std::string(utf8.constData(), utf8.size()));
        try {
            loadScenario(path);
            QFAIL("the scenario loaded");
        } catch (const std::runtime_error &e) {
            QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(QString::fromStdString(path).replace(
                         QStringLiteral("bad.yaml"), expected)),
                     qPrintable(message));
        }
    }

    void everyProblemIsReported() {
        const char *text = "apiVersion: v1\nkind: Widget\nmetadata: {name: a}\n---\n"
                           "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n---\n"
                           "apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n";
        try {
            parseScenario(text, "many.yaml");
            QFAIL("parsed");
        } catch (const std::runtime_error &e) {
            QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(QStringLiteral("scenario many.yaml has 3 problems:")),
                     qPrintable(message));
            QVERIFY(message.contains(QStringLiteral("many.yaml:2:1: unknown kind \"Widget\"")));
            QVERIFY(message.contains(QStringLiteral("many.yaml:7:1: ConfigMap without a name")));
            QVERIFY(message.contains(QStringLiteral("many.yaml:12:1:")));
        }
    }

    void unknownNames_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no such built-in")
            << "ml-servin"
            << "unknown scenario \"ml-servin\": it is neither a built-in scenario "
               "(churn-predictor, empty, gpu-deadlock, inference-api, ml-serving)";
        QTest::newRow("missing file") << "/nonexistent/s.yaml"
                                      << "scenario file /nonexistent/s.yaml does not exist";
        QTest::newRow("a directory") << "/tmp"
                                     << "scenario /tmp is not a regular file";
        QTest::newRow("scale key")
            << "scale:pods=10,replicas=2"
            << "scale scenario: unknown key \"replicas\"; known: pods, nodes, deployments, "
               "gpuNodes, services";
        QTest::newRow("scale number")
            << "scale:pods=-5"
            << "scale scenario: pods must be a whole number >= 0, not \"-5\"";
        QTest::newRow("scale too small")
            << "scale:pods=10000,nodes=20,deployments=100"
            << "scale scenario: 10000 CPU pods do not fit on 18 CPU nodes of 110 pods each";
        QTest::newRow("scale gpu nodes") << "scale:nodes=5,gpuNodes=6"
                                         << "scale scenario: gpuNodes (6) cannot exceed nodes (5)";
        QTest::newRow("scale services")
            << "scale:deployments=5,services=6"
            << "scale scenario: services (6) cannot exceed deployments (5)";
    }
    void unknownNames() {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        try {
            loadScenario(spec.toStdString());
            QFAIL("loaded");
        } catch (const std::runtime_error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(expected), e.what());
        }
    }

    void scaleOptions() {
        ScaleParameters p = parseScaleSpec("pods=100,nodes=10,deployments=7,gpuNodes=2,services=3");
        Scenario s = generateScaleScenario(p);
        std::map<std::string, int> kinds;
        for (const Json &o : s.phases.at(0).objects)
            ++kinds[str(o, {"kind"})];
        QCOMPARE(kinds["Pod"], 100);
        QCOMPARE(kinds["Node"], 10);
        QCOMPARE(kinds["Deployment"], 7);
        QCOMPARE(kinds["Service"], 3);
        QCOMPARE(kinds["Namespace"], 1);
        ScaleParameters defaults = parseScaleSpec("nodes=30");
        QCOMPARE(defaults.gpuNodes, 3L);
        QCOMPARE(defaults.services, defaults.deployments);
    }
};

QTEST_APPLESS_MAIN(TstScenarioParse)
#include "tst_scenarioparse.moc"
