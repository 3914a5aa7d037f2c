// JSON to YAML as the details pane shows objects: key order kept, scalars YAML would misread
// quoted, and the text reads back to the same value.
#include "manifest/yamlemit.h"
#include "manifest/yamljson.h"

#include "jsoncompare.h"

#include <QTest>

using kd::manifest::parseSingleYamlDocument;
using kd::manifest::toYaml;
using nlohmann::json;
using nlohmann::ordered_json;

class TstYamlEmit final : public QObject {
    Q_OBJECT

private slots:
    void keepsTheServersKeyOrder() {
        const ordered_json pod = ordered_json::parse(
            R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"m"},"spec":{},"status":{}})");
        const std::string yaml = toYaml(pod);
        QCOMPARE(QString::fromStdString(yaml),
                 QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: m\nspec: {}\n"
                                "status: {}\n"));
        // A sorted json sorts: the same object starts with apiVersion, then kind, then metadata.
        QVERIFY(toYaml(json(pod)).find("apiVersion") == 0);
    }

    void roundTrips_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("scalars that look like others")
            << R"({"a":"true","b":"1.0","c":"null","d":"~","e":"0x10","f":"","g":"- x","h":"a: b"})";
        QTest::newRow("numbers and booleans")
            << R"({"int":-3,"big":18446744073709551615,"f":0.5,"t":true,"n":null})";
        QTest::newRow("nesting and empties")
            << R"({"list":[{"name":"x","ports":[]},[1,2]],"map":{},"deep":{"a":{"b":{"c":[]}}}})";
        QTest::newRow("multi-line and unicode") << R"({"s":"line one\nline two","u":"GPU — A100"})";
    }
    void roundTrips() {
        QFETCH(QString, text);
        const json value = json::parse(text.toStdString());
        const std::string yaml = toYaml(value);
        KD_COMPARE_JSON(parseSingleYamlDocument(yaml), value);
    }

    void endsWithOneNewline() {
        QVERIFY(toYaml(json(3)).back() == '\n');
        QVERIFY(toYaml(json::object()) == "{}\n");
    }
};

QTEST_APPLESS_MAIN(TstYamlEmit)
#include "tst_yamlemit.moc"
