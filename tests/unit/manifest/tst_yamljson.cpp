// YAML to JSON: positions, Kubernetes' scalar resolution, and hostile input (behaviour reference
// §7, 11-14).
#include "manifest/yamljson.h"

#include "jsoncompare.h"

#include <QTest>

using kd::manifest::parseSingleYamlDocument;
using kd::manifest::parseYaml;
using kd::manifest::YamlDiagnostic;
using nlohmann::json;

class TstYamlJson final : public QObject {
    Q_OBJECT

private slots:
    void positionsOfKeysAndValues() {
        auto r = parseYaml("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n "
                           "     containers:\n"
                           "      - name: model\n        resources:\n          limits:\n           "
                           " nvidia.com/gpu: 2\n");
        QCOMPARE(r.diagnostics.size(), 0u);
        QCOMPARE(r.documents.size(), 1u);
        const auto &d = r.documents[0];
        KD_COMPARE_JSON(d.value["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]
                               ["nvidia.com/gpu"],
                        json(2));
        auto key =
            d.keyPositions.at("spec.template.spec.containers[0].resources.limits[nvidia.com/gpu]");
        QCOMPARE(key.line, 10);
        QCOMPARE(key.column, 13);
        auto value = d.valuePositions.at("spec.template.spec.containers[0].name");
        QCOMPARE(value.line, 7);
        QCOMPARE(value.column, 15);
    }

    void scalarResolution_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected"); // JSON text
        QTest::newRow("int") << "v: 3"
                             << "3";
        QTest::newRow("quoted int") << "v: \"3\""
                                    << "\"3\"";
        QTest::newRow("float") << "v: 1.5"
                               << "1.5";
        QTest::newRow("yes is true (YAML 1.1)") << "v: yes"
                                                << "true";
        QTest::newRow("Off is false") << "v: Off"
                                      << "false";
        QTest::newRow("null") << "v: ~"
                              << "null";
        QTest::newRow("empty") << "v:"
                               << "null";
        QTest::newRow("hex") << "v: 0x1F"
                             << "31";
        QTest::newRow("octal 1.1") << "v: 0755"
                                   << "493";
        QTest::newRow("quantity stays text") << "v: 500m"
                                             << "\"500m\"";
        QTest::newRow("version stays text") << "v: 1.2.3"
                                            << "\"1.2.3\"";
        QTest::newRow("percent") << "v: 25%"
                                 << "\"25%\"";
        QTest::newRow("negative") << "v: -4"
                                  << "-4";
        QTest::newRow("explicit str tag") << "v: !!str 12"
                                          << "\"12\"";
    }
    void scalarResolution() {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        json v = parseSingleYamlDocument(yaml.toStdString());
        QCOMPARE(QString::fromStdString(v["v"].dump()), expected);
    }

    void multipleDocumentsAndBrokenOne() {
        auto r =
            parseYaml("a: 1\n---\nb: [1, 2\n---\nc: 3\n...\n---\n# only a comment\n---\nd: 4\n");
        QCOMPARE(r.documents.size(), 3u);
        KD_COMPARE_JSON(r.documents[0].value["a"], json(1));
        KD_COMPARE_JSON(r.documents[1].value["c"], json(3));
        KD_COMPARE_JSON(r.documents[2].value["d"], json(4));
        QCOMPARE(r.documents[2].start.line, 10);
        QCOMPARE(r.diagnostics.size(), 1u);
        QCOMPARE(r.diagnostics[0].kind, YamlDiagnostic::Kind::Syntax);
        QVERIFY(r.diagnostics[0].position.line >= 3 && r.diagnostics[0].position.line <= 4);
    }

    void duplicateKeyIsReported() {
        auto r = parseYaml("metadata:\n  name: a\n  name: b\n");
        QCOMPARE(r.documents.size(), 1u);
        KD_COMPARE_JSON(r.documents[0].value["metadata"]["name"], json("b"));
        QCOMPARE(r.diagnostics.size(), 1u);
        QCOMPARE(r.diagnostics[0].kind, YamlDiagnostic::Kind::DuplicateKey);
        QCOMPARE(r.diagnostics[0].position.line, 3);
    }

    void encodings_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("ok");
        QTest::newRow("utf8 bom") << QByteArray("\xEF\xBB\xBFkind: Pod\n") << true;
        QTest::newRow("utf16le bom")
            << QByteArray("\xFF\xFEk\0i\0n\0d\0:\0 \0P\0o\0d\0\n\0", 22) << true;
        QTest::newRow("utf16be bom")
            << QByteArray("\xFE\xFF\0k\0i\0n\0d\0:\0 \0P\0o\0d\0\n", 22) << true;
        QTest::newRow("nul byte") << QByteArray("kind: P\0od\n", 11) << false;
        QTest::newRow("invalid utf8") << QByteArray("kind: \xC3\x28\n") << false;
        QTest::newRow("odd utf16") << QByteArray("\xFF\xFEk\0i", 5) << false;
    }
    void encodings() {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, ok);
        auto r =
            parseYaml(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
        QCOMPARE(r.diagnostics.empty(), ok);
        if (ok)
            KD_COMPARE_JSON(r.documents.at(0).value["kind"], json("Pod"));
        else
            QCOMPARE(r.diagnostics[0].kind, YamlDiagnostic::Kind::Encoding);
    }

    void billionLaughsIsCapped() {
        std::string y =
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
        for (char c = 'b'; c <= 'j'; ++c) {
            std::string prev(1, static_cast<char>(c - 1));
            y += std::string(1, c) + ": &" + c + " [*" + prev + ",*" + prev + ",*" + prev + ",*" +
                 prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n";
        }
        auto r = parseYaml(y);
        QCOMPARE(r.documents.size(), 0u);
        QCOMPARE(r.diagnostics.size(), 1u);
        QCOMPARE(r.diagnostics[0].kind, YamlDiagnostic::Kind::Limit);
        QVERIFY(r.diagnostics[0].message.find("nodes") != std::string::npos);
    }

    void deepNestingIsRefused_data() {
        QTest::addColumn<QString>("yaml");
        QTest::newRow("flow sequences")
            << QString(100000, QLatin1Char('[')) + QString(100000, QLatin1Char(']'));
        QTest::newRow("flow maps") << QString(50000, QLatin1Char('{'));
        QString block;
        for (int i = 0; i < 300; ++i)
            block += QString(i * 2, QLatin1Char(' ')) + QStringLiteral("k:\n");
        QTest::newRow("block maps") << block;
        QTest::newRow("dashes") << QString().fill(QLatin1Char('-'), 1).repeated(1) +
                                       QStringLiteral(" ").repeated(1) +
                                       QStringLiteral("- ").repeated(5000) + QStringLiteral("x\n");
    }
    void deepNestingIsRefused() {
        QFETCH(QString, yaml);
        auto r = parseYaml(yaml.toStdString());
        QCOMPARE(r.documents.size(), 0u);
        QVERIFY(!r.diagnostics.empty());
    }

    void modestNestingIsFine() {
        auto r = parseYaml(QString(40, QLatin1Char('[')).toStdString() + "1" +
                           QString(40, QLatin1Char(']')).toStdString());
        QCOMPARE(r.diagnostics.size(), 0u);
        QCOMPARE(r.documents.size(), 1u);
    }

    void inputSizeCap() {
        kd::manifest::YamlLimits limits;
        limits.maxInputBytes = 16;
        auto r = parseYaml("a: 123456789012345678901234567890", limits);
        QCOMPARE(r.documents.size(), 0u);
        QCOMPARE(r.diagnostics.at(0).kind, YamlDiagnostic::Kind::Limit);
    }

    void singleDocumentErrors() {
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, parseSingleYamlDocument("a: 1\n---\nb: 2\n"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, parseSingleYamlDocument("a: [\n"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, parseSingleYamlDocument(""));
    }

    void canonicalPaths_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("plain") << "spec.replicas"
                               << "spec.replicas";
        QTest::newRow("index") << "spec.containers[0].name"
                               << "spec.containers[0].name";
        QTest::newRow("bracketed identifier") << "metadata.labels[app]"
                                              << "metadata.labels.app";
        QTest::newRow("dotted key") << "resources.limits[nvidia.com/gpu]"
                                    << "resources.limits[nvidia.com/gpu]";
        QTest::newRow("leading dot") << ".spec.replicas"
                                     << "spec.replicas";
    }
    void canonicalPaths() {
        QFETCH(QString, path);
        QFETCH(QString, canonical);
        QCOMPARE(QString::fromStdString(kd::manifest::canonicalPath(path.toStdString())),
                 canonical);
    }
};

QTEST_APPLESS_MAIN(TstYamlJson)
#include "tst_yamljson.moc"
