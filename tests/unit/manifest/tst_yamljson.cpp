// YAML to JSON: positions, Kubernetes' scalar resolution, and hostile input (behaviour reference
// §7, 11-14).
#include "manifest/yamljson.h"

#include "jsoncompare.h"

#include <QElapsedTimer>
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

    // Positions are 1-based lines and byte columns of the text as given, whatever the style.
    void positionsInEveryStyle_data() {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("key");   // line:column, "-" when the path has no key
        QTest::addColumn<QString>("value"); // line:column
        auto row = [](const char *name, const char *yaml, const char *path, const char *key,
                      const char *value) {
            QTest::newRow(name) << QByteArray(yaml) << QString::fromUtf8(path)
                                << QString::fromLatin1(key) << QString::fromLatin1(value);
        };
        row("root", "# c\n\nk: v\n", "", "-", "3:1");
        row("CRLF key", "a: 1\r\nb:\r\n  c: \"d\"\r\n", "b.c", "3:3", "3:6");
        row("CRLF block scalar", "a: 1\r\nb: |\r\n  x\r\n  y\r\nc: 2\r\n", "c", "5:1", "5:4");
        row("flow map", "m: {a: 1, b: [2, 3]}\n", "m.b", "1:11", "1:14");
        row("flow map value", "m: {a: 1, b: [2, 3]}\n", "m.b[1]", "1:18", "1:18");
        row("flow over lines", "m: {a: 1,\n  b: {c: x}}\n", "m.b.c", "2:7", "2:10");
        row("flow sequence of maps", "l: [x, {k: v}]\n", "l[1].k", "1:9", "1:12");
        row("literal", "a: |\n  lit\n  two\nb: >-\n  f\n", "a", "1:1", "1:4");
        row("folded", "a: |\n  lit\n  two\nb: >-\n  f\n", "b", "4:1", "4:4");
        row("block scalar item", "l:\n- |\n  x\n- y\n", "l[1]", "4:3", "4:3");
        row("quoted key", "\"a b\": 'c'\n", "[a b]", "1:1", "1:8");
        row("bytes, not characters", "ü: [é, x]\n", "[ü][1]", "1:10", "1:10");
        row("after a non-ASCII line", "a: ñ\nb: c\n", "b", "2:1", "2:4");
        row("lone CR breaks lines", "a: é\rb: 1\n", "b", "1:7", "1:10");
        row("empty value: after the colon", "a:\nb: 1\n", "a", "1:1", "1:3");
        row("empty item: after the dash", "l:\n  -\n  - 1\n", "l[0]", "2:4", "2:4");
        row("alias: where the anchor is", "a: &x {b: 1}\nc: *x\n", "c.b", "1:8", "1:11");
        row("anchored value", "a: &x {b: 1}\nc: *x\n", "c", "2:1", "1:4");
        row("tagged value", "a: !!str 1\n", "a", "1:1", "1:4");
        row("later document", "a: 1\n---\n# c\nb:\n  - x\n", "b[0]", "5:5", "5:5");
    }
    void positionsInEveryStyle() {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, path);
        QFETCH(QString, key);
        QFETCH(QString, value);
        auto r = parseYaml(std::string_view(yaml.constData(), std::size_t(yaml.size())));
        QCOMPARE(r.diagnostics.size(), 0u);
        const auto &d = r.documents.back();
        auto text = [](kd::manifest::Position p) {
            return QStringLiteral("%1:%2").arg(p.line).arg(p.column);
        };
        const std::string field = path.toStdString();
        QCOMPARE(d.keyPositions.contains(field) ? text(d.keyPositions.at(field))
                                                : QStringLiteral("-"),
                 key);
        QCOMPARE(text(d.valuePositions.at(field)), value);
    }

    void documentStarts() {
        auto r = parseYaml("# lead\n---\n# c\nkind: A\n--- |\n  text\n---\n\n- x\n");
        QCOMPARE(r.documents.size(), 3u);
        QCOMPARE(r.documents[0].start.line, 4);
        QCOMPARE(r.documents[1].start.line, 5);
        QCOMPARE(r.documents[1].start.column, 5);
        QCOMPARE(r.documents[2].start.line, 9);
    }

    // The map-like reading of positions that callers rely on.
    void fieldPositionLookups() {
        auto r = parseYaml("a:\n  \"x.y\": 1\n  \"]z[\": 2\n  \"\": 3\n  0: [q]\n");
        QCOMPARE(r.diagnostics.size(), 0u);
        const auto &keys = r.documents[0].keyPositions;
        QCOMPARE(keys.size(), 6u);
        QVERIFY(keys.contains("a[x.y]"));
        QVERIFY(keys.contains("a[]z[]"));
        QVERIFY(keys.contains("a[]"));
        QVERIFY(keys.contains("a.0[0]"));
        QVERIFY(!keys.contains("a[0]"));
        QVERIFY(!keys.contains("a.x"));
        QVERIFY(!keys.contains(""));
        QVERIFY(r.documents[0].valuePositions.contains(""));
        QCOMPARE(keys.count("a.0"), 1u);
        QVERIFY(keys.find("a.zz") == keys.end());
        QCOMPARE(keys.find("a[x.y]")->second.line, 2);
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, keys.at("nope"));
        std::vector<std::string> paths;
        for (const auto &[path, position] : keys)
            paths.push_back(path + "@" + std::to_string(position.line));
        QCOMPARE(paths, (std::vector<std::string>{"a@1", "a[x.y]@2", "a[]z[]@3", "a[]@4", "a.0@5",
                                                  "a.0[0]@5"}));
    }

    void shiftingPositionsLeavesCopiesAlone() {
        auto r = parseYaml("a: 1\nb: 2\n");
        kd::manifest::YamlDocument doc = r.documents[0];
        for (auto &entry : doc.keyPositions)
            entry.second.line += 10;
        QCOMPARE(doc.keyPositions.at("b").line, 12);
        QCOMPARE(doc.valuePositions.at("b").line, 2);
        QCOMPARE(r.documents[0].keyPositions.at("b").line, 2);
    }

    // A big document is indexed: lookups stay fast and exact.
    void manyFields() {
        std::string y = "items:\n";
        for (int i = 0; i < 5000; ++i)
            y += "- {name: n" + std::to_string(i) + ", v: " + std::to_string(i) + "}\n";
        auto r = parseYaml(y);
        QCOMPARE(r.diagnostics.size(), 0u);
        const auto &keys = r.documents[0].keyPositions;
        QCOMPARE(keys.size(), 1u + 5000u * 3u);
        for (int i = 0; i < 5000; i += 499)
            QCOMPARE(keys.at("items[" + std::to_string(i) + "].v").line, i + 2);
        QVERIFY(!keys.contains("items[5000]"));
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

    void duplicateKeysInsideRepeatedValues() {
        auto r = parseYaml("d: {y: {z: 1}}\nd: {y: {w: 2}, v: [1]}\n");
        QCOMPARE(r.documents.size(), 1u);
        KD_COMPARE_JSON(r.documents[0].value, json::parse(R"({"d": {"y": {"w": 2}, "v": [1]}})"));
        QCOMPARE(r.diagnostics.size(), 1u);
        QCOMPARE(r.diagnostics[0].position.line, 2);
        const auto &keys = r.documents[0].keyPositions;
        QCOMPARE(keys.at("d").line, 1); // the first spelling of a key is where it is
        QCOMPARE(keys.at("d.y.z").line, 1);
        QCOMPARE(keys.at("d.y.w").line, 2);
        QCOMPARE(keys.at("d.v[0]").line, 2);
    }

    // `<<` is read as an ordinary key, as Kubedeck always has; merging is not done.
    void mergeKeyIsAnOrdinaryKey() {
        auto r = parseYaml("base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n");
        KD_COMPARE_JSON(r.documents.at(0).value["m"], json::parse(R"({"<<": {"x": 1}, "y": 2})"));
        QCOMPARE(r.documents[0].keyPositions.at("m[<<].x").line, 1);
    }

    void keepChompingKeepsTrailingLines() {
        auto r = parseYaml("a: >+\n  k\n\n");
        KD_COMPARE_JSON(r.documents.at(0).value["a"], json("k\n\n"));
    }

    void charactersYamlDoesNotAllow() {
        auto r = parseYaml("a: 1\n---\nb: \x1b[0m\n---\nc: 2\n");
        QCOMPARE(r.documents.size(), 2u);
        QCOMPARE(r.diagnostics.size(), 1u);
        QCOMPARE(r.diagnostics[0].kind, YamlDiagnostic::Kind::Syntax);
        QCOMPARE(r.diagnostics[0].position.line, 3);
        QCOMPARE(r.diagnostics[0].position.column, 4);
        QVERIFY(r.diagnostics[0].message.find("U+001B") != std::string::npos);
    }

    void overlongUtf8IsInvalid() {
        auto r = parseYaml("a: \xC0\xAF\n");
        QCOMPARE(r.diagnostics.at(0).kind, YamlDiagnostic::Kind::Encoding);
        QCOMPARE(r.diagnostics.at(0).position.column, 4);
    }

    void syntaxErrorWording() {
        auto r = parseYaml("a: [1, 2\n");
        QCOMPARE(r.diagnostics.at(0).message, std::string("end of sequence flow not found"));
        r = parseYaml("a: {b: 1\n");
        QCOMPARE(r.diagnostics.at(0).message, std::string("end of map flow not found"));
        r = parseYaml("a: b: c\n");
        QCOMPARE(r.diagnostics.at(0).message, std::string("illegal map value"));
        r = parseYaml("a: *nope\n");
        QCOMPARE(r.diagnostics.at(0).message, std::string("the referenced anchor is not defined"));
        QCOMPARE(r.diagnostics.at(0).kind, YamlDiagnostic::Kind::Syntax);
    }

    // A document over a limit is reported as a limit unless it is not YAML at all, and the
    // documents around it are unaffected.
    void limitsAndSyntaxErrors() {
        kd::manifest::YamlLimits limits;
        limits.maxNodesPerDocument = 5;
        auto r =
            parseYaml("a: 1\n---\nl: [1, 2, 3, 4, 5]\nd: 1\nd: 2\n---\nl: [1, 2, 3, 4, 5]\nx: [\n"
                      "---\nb: 2\n",
                      limits);
        QCOMPARE(r.documents.size(), 2u);
        QCOMPARE(r.diagnostics.size(), 2u);
        QCOMPARE(r.diagnostics[0].kind, YamlDiagnostic::Kind::Limit);
        QCOMPARE(r.diagnostics[0].position.line, 3);
        QCOMPARE(r.diagnostics[1].kind, YamlDiagnostic::Kind::Syntax);
        QVERIFY(r.diagnostics[1].position.line >= 7);
    }

    void depthLimitIsExact() {
        auto nested = [](int levels) {
            return std::string(std::size_t(levels), '[') + "1" +
                   std::string(std::size_t(levels), ']');
        };
        QCOMPARE(parseYaml(nested(128)).diagnostics.size(), 0u);
        auto r = parseYaml(nested(129));
        QCOMPARE(r.diagnostics.size(), 1u);
        QCOMPARE(r.diagnostics[0].position.column, 130);
    }

    void aliasInsideItsAnchor() {
        auto r = parseYaml("a: &a [1, *a]\n---\nb: 1\n");
        QCOMPARE(r.documents.size(), 1u);
        QCOMPARE(r.diagnostics.at(0).kind, YamlDiagnostic::Kind::Limit);
        QCOMPARE(r.diagnostics.at(0).position.column, 8);
        r = parseYaml("&m {*m : 1}\n");
        QCOMPARE(r.diagnostics.at(0).message, std::string("map keys must be plain strings"));
    }

    void aliasesExpandingToHugeText() {
        std::string y = "a: &a \"" + std::string(100000, 'x') + "\"\nb: [";
        for (int i = 0; i < 1000; ++i)
            y += "*a, ";
        y += "*a]\n";
        auto r = parseYaml(y);
        QCOMPARE(r.documents.size(), 0u);
        QCOMPARE(r.diagnostics.at(0).kind, YamlDiagnostic::Kind::Limit);
        QVERIFY(r.diagnostics[0].message.find("bytes") != std::string::npos);
    }

    void widerBillionLaughsIsQuick() {
        std::string y = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i < 30; ++i) {
            const std::string prev = "*a" + std::to_string(i - 1);
            y += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
            for (int k = 0; k < 9; ++k)
                y += ", " + prev;
            y += "]\n";
        }
        QElapsedTimer timer;
        timer.start();
        auto r = parseYaml(y);
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(r.diagnostics.size(), 1u);
        QCOMPARE(r.diagnostics[0].kind, YamlDiagnostic::Kind::Limit);
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
