// `--schema-dir`: kubeconform's file names, the CRDs-catalog layout and CRD manifests; broken
// files reported per kind; lookups that try to leave the directory; many threads at once.
#include "manifest/schemadir.h"
#include "tst_schema_support.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace kd::manifest;
using kd::testing::at;
using kd::testing::describe;

namespace {

const std::filesystem::path kData = KD_SOURCE_DIR "/tests/unit/manifest/data/schemas";

bool writeFile(const QString &path, const QByteArray &data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

const QByteArray kSmallSchema = R"({"type": "object", "properties": {"spec": {"type": "string"}}})";

} // namespace

// The slots are defined after the class: moc misreads some raw string literals inside a class
// body.
class TstSchemaDir final : public QObject {
    Q_OBJECT

private slots:
    void layouts_data();
    void layouts();
    void kubeconformDeployment();
    void misses();
    void brokenFilesAreReported_data();
    void brokenFilesAreReported();
    void manifestErrors();
    void throughTheCatalog();
    void lookupsStayInTheDirectory_data();
    void lookupsStayInTheDirectory();
    void manyThreads();
};

void TstSchemaDir::layouts_data() {
    QTest::addColumn<QString>("apiVersion");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("namespaced"); // -1: the file does not say
    QTest::newRow("kind-group label-version") << "apps/v1"
                                              << "Deployment"
                                              << "deployment-apps-v1.json" << -1;
    QTest::newRow("core kind-version") << "v1"
                                       << "ConfigMap"
                                       << "configmap-v1.json" << -1;
    QTest::newRow("kind-full group-version") << "kubeflow.org/v1"
                                             << "PyTorchJob"
                                             << "pytorchjob-kubeflow.org-v1.json" << -1;
    QTest::newRow("group/kind_version") << "ray.io/v1"
                                        << "RayCluster"
                                        << "ray.io/raycluster_v1.json" << -1;
    QTest::newRow("CRD manifest (YAML)") << "serving.kserve.io/v1beta1"
                                         << "InferenceService"
                                         << "inferenceservice-crd.yaml" << 1;
    QTest::newRow("CRD manifest (JSON)") << "kueue.x-k8s.io/v1beta1"
                                         << "ClusterQueue"
                                         << "clusterqueue-crd.json" << 0;
}

void TstSchemaDir::layouts() {
    QFETCH(QString, apiVersion);
    QFETCH(QString, kind);
    QFETCH(QString, file);
    QFETCH(int, namespaced);
    SchemaDirectory dir(kData);
    const std::string v = apiVersion.toStdString();
    const std::string k = kind.toStdString();
    const SchemaNode *node = dir.find(v, k);
    QVERIFY2(node, dir.error(v, k).value_or("no error").c_str());
    QCOMPARE(node->type, SchemaType::Object);
    QVERIFY(node->field("kind"));
    QCOMPARE(dir.fileOf(v, k).value_or(""), (kData / file.toStdString()).string());
    QCOMPARE(dir.isNamespaced(v, k).has_value(), namespaced >= 0);
    if (namespaced >= 0)
        QCOMPARE(*dir.isNamespaced(v, k), namespaced == 1);
    QVERIFY(!dir.error(v, k));
    QCOMPARE(dir.find(v, k), node); // loaded once
}

void TstSchemaDir::kubeconformDeployment() {
    SchemaDirectory dir(kData);
    const SchemaNode *d = dir.find("apps/v1", "Deployment");
    QVERIFY(d);
    QCOMPARE(d->name, std::string("Deployment"));
    QCOMPARE(describe(at(d, "spec")),
             std::string("object? {minReadySeconds,replicas,selector!,strategy,template!}"));
    QCOMPARE(describe(at(d, "spec.replicas")), std::string("integer(int32)?"));
    QCOMPARE(describe(at(d, "spec.strategy.rollingUpdate.maxSurge")),
             std::string("int-or-string?"));
    QCOMPARE(describe(at(d, "spec.strategy.type")),
             std::string("string enum(Recreate|RollingUpdate)?"));
    QCOMPARE(describe(at(d, "spec.template.spec.containers.[].resources.limits")),
             std::string("map[quantity?]?"));
    QCOMPARE(describe(at(d, "spec.template.spec.containers.[].ports.[].containerPort")),
             std::string("integer(int32)"));
    QVERIFY(at(d, "spec.template.spec.containers.[]")->field("name")->required);
    QCOMPARE(describe(at(d, "metadata.creationTimestamp")), std::string("string(date-time)?"));
    QCOMPARE(describe(at(d, "metadata.labels")), std::string("map[string?]?"));
    // The CRD's `metadata: {type: object}` is checked as ObjectMeta.
    const SchemaNode *isvc = dir.find("serving.kserve.io/v1beta1", "InferenceService");
    QCOMPARE(describe(at(isvc, "spec.predictor.model.modelFormat.name")), std::string("string"));
    QCOMPARE(at(isvc, "metadata")->name, std::string("ObjectMeta"));
}

void TstSchemaDir::misses() {
    SchemaDirectory dir(kData);
    QVERIFY(!dir.find("v1", "Pod"));
    QVERIFY(!dir.error("v1", "Pod"));
    QVERIFY(!dir.fileOf("v1", "Pod"));
    QVERIFY(!dir.find("serving.kserve.io/v1alpha1", "InferenceService")); // not served
    QVERIFY(!dir.find("apps/v2", "Deployment"));
    QVERIFY(!dir.error("never", "Asked"));
    SchemaDirectory missing(kData / "no-such-folder");
    QVERIFY(!missing.find("apps/v1", "Deployment"));
    QVERIFY(missing.manifestErrors().empty());
}

void TstSchemaDir::brokenFilesAreReported_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << "is not valid JSON: parse error at line 1, column 1";
    QTest::newRow("truncated") << QByteArray("{\"type\": \"object\", ") << "is not valid JSON";
    QTest::newRow("an array") << QByteArray("[1, 2]")
                              << "is not a usable schema: #: expected a schema (a JSON object)";
    QTest::newRow("not an object")
        << QByteArray("{\"type\": \"string\"}") << "does not describe an object";
    QTest::newRow("bad $ref")
        << QByteArray("{\"$ref\": \"#/definitions/X\"}")
        << "is not a usable schema: #: $ref '#/definitions/X' points to nothing";
    QTest::newRow("deeply nested JSON")
        << QByteArray(200'000, '[') + QByteArray(200'000, ']') << "expected a schema";
    QByteArray deepSchema;
    for (int i = 0; i < 5000; ++i)
        deepSchema += "{\"properties\": {\"a\": ";
    deepSchema += "{}" + QByteArray(5000 * 2, '}');
    QTest::newRow("deeply nested schema") << deepSchema << "nests deeper than 256 levels";
}

void TstSchemaDir::brokenFilesAreReported() {
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QTemporaryDir temp;
    QVERIFY(writeFile(temp.filePath(QStringLiteral("secret-v1.json")), content));
    SchemaDirectory dir(temp.path().toStdString());
    QVERIFY(!dir.find("v1", "Secret"));
    const std::string message = dir.error("v1", "Secret").value_or("");
    QVERIFY2(message.starts_with("schema file " +
                                 temp.filePath(QStringLiteral("secret-v1.json")).toStdString()),
             message.c_str());
    QVERIFY2(QString::fromStdString(message).contains(error), message.c_str());
    // Another candidate of the same kind still wins over the broken one.
    QVERIFY(writeFile(temp.filePath(QStringLiteral("x.io/thing_v1.json")), kSmallSchema));
    QVERIFY(writeFile(temp.filePath(QStringLiteral("thing-x-v1.json")), content));
    SchemaDirectory again(temp.path().toStdString());
    QVERIFY(again.find("x.io/v1", "Thing"));
    QVERIFY(!again.error("x.io/v1", "Thing"));
}

void TstSchemaDir::manifestErrors() {
    SchemaDirectory dir(kData);
    QVERIFY(dir.manifestErrors().empty()); // nothing scanned yet
    QVERIFY(!dir.find("example.com/v1", "Broken"));
    const std::vector<std::string> errors = dir.manifestErrors();
    QCOMPARE(errors.size(), std::size_t(1));
    QVERIFY2(errors[0].find("broken-crd.yaml: CustomResourceDefinition 'broken.example.com' "
                            "version v1: #/properties/spec: properties must be an object") !=
                 std::string::npos,
             errors[0].c_str());
}

void TstSchemaDir::throughTheCatalog() {
    SchemaCatalog catalog = SchemaCatalog::builtin();
    catalog.addLazy(std::make_shared<SchemaDirectory>(kData));
    std::string source;
    QVERIFY(catalog.find("ray.io/v1", "RayCluster", &source));
    QCOMPARE(source, "--schema-dir " + kData.string());
    // The built-in catalogue comes first.
    QCOMPARE(catalog.find("apps/v1", "Deployment", &source),
             builtinSchemas().find("apps/v1", "Deployment"));
    QCOMPARE(source, std::string("built-in"));
}

void TstSchemaDir::lookupsStayInTheDirectory_data() {
    QTest::addColumn<QString>("apiVersion");
    QTest::addColumn<QString>("kind");
    // Each names a file outside D that a plain path join would reach (see below).
    QTest::newRow("kind ../x") << "v1"
                               << "../Outside";
    QTest::newRow("kind with a slash") << "v1"
                                       << "sub/../../Outside";
    QTest::newRow("group ..") << "../v1"
                              << "Outside";
    QTest::newRow("version ../..") << "x.io/../../v1"
                                   << "Outside";
    QTest::newRow("absolute kind") << "v1"
                                   << "/tmp/Outside";
    QTest::newRow("backslash") << "v1"
                               << "..\\Outside";
    QTest::newRow("NUL") << "v1" << QStringLiteral("Outside") + QChar(0) + QStringLiteral("x");
    QTest::newRow("empty kind") << "v1"
                                << "";
    QTest::newRow("empty version") << "x.io/"
                                   << "Outside";
}

void TstSchemaDir::lookupsStayInTheDirectory() {
    QFETCH(QString, apiVersion);
    QFETCH(QString, kind);
    QTemporaryDir temp;
    const QString d = temp.filePath(QStringLiteral("schemas"));
    QVERIFY(QDir().mkpath(d));
    for (const char *outside : {"outside-v1.json", "outside_v1.json", "../outside-v1.json",
                                "x.io/outside_v1.json", "v1.json"})
        QVERIFY(writeFile(temp.filePath(QString::fromLatin1(outside)), kSmallSchema));
    QVERIFY(writeFile(d + QStringLiteral("/inside-v1.json"), kSmallSchema));
    SchemaDirectory dir(d.toStdString());
    QVERIFY(dir.find("v1", "Inside")); // the control: a file in D is found
    const std::string v = apiVersion.toStdString();
    const std::string k(reinterpret_cast<const char *>(kind.toUtf8().constData()),
                        std::size_t(kind.toUtf8().size()));
    QVERIFY(!dir.find(v, k));
    QVERIFY2(dir.error(v, k).value_or("").find("no schema file was looked up") != std::string::npos,
             dir.error(v, k).value_or("no error").c_str());
}

void TstSchemaDir::manyThreads() {
    SchemaDirectory dir(kData);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    SchemaDirectory other(kData);
    const SchemaNode *expected = other.find("ray.io/v1", "RayCluster");
    QVERIFY(expected);
    std::atomic<const SchemaNode *> first{nullptr};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                const SchemaNode *node = dir.find("ray.io/v1", "RayCluster");
                const SchemaNode *none = nullptr;
                first.compare_exchange_strong(none, node);
                if (!node || node != first.load() ||
                    !dir.find("serving.kserve.io/v1beta1", "InferenceService"))
                    ++mismatches;
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(mismatches.load(), 0);
    QCOMPARE(describe(first.load()), describe(expected));
}

QTEST_GUILESS_MAIN(TstSchemaDir)
#include "tst_schemadir.moc"
