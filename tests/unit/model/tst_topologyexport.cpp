// The topology as text: JSON with every field in a stable order (null namespace for all
// namespaces), and DOT whose ids and labels survive hostile text (quotes, backslashes, line
// breaks in an Ingress path) and whose broken edges are dashed red.
#include "model/objectstore.h"
#include "model/topology.h"
#include "model/topologyexport.h"

#include <QTest>

using namespace kd;

namespace {

void add(model::ObjectStore &store, const QString &kindKey, const char *json) {
    kube::DeltaBatch batch;
    batch.kind.resource = kindKey.section(u'.', 0, 0);
    batch.kind.group = kindKey.section(u'.', 1);
    batch.deltas.push_back({kube::Delta::Type::Added,
                            std::make_shared<const kube::KubeObject>(kube::Json::parse(json))});
    store.applyBatch(batch);
}

// An Ingress whose path holds a quote, a backslash and a line break, to a Service that is not
// there (built in code: the path's characters are the point).
void fill(model::ObjectStore &store) {
    kube::Json path = {{"path", "/q\"b\\s\nn"},
                       {"backend", {{"service", {{"name", "gone"}, {"port", {{"number", 80}}}}}}}};
    kube::Json ingress = {
        {"kind", "Ingress"},
        {"metadata", {{"namespace", "a"}, {"name", "edge"}, {"uid", "i1"}}},
        {"spec",
         {{"rules", kube::Json::array({{{"host", "x.example.com"},
                                        {"http", {{"paths", kube::Json::array({path})}}}}})}}}};
    kube::DeltaBatch batch;
    batch.kind.resource = QStringLiteral("ingresses");
    batch.kind.group = QStringLiteral("networking.k8s.io");
    batch.deltas.push_back(
        {kube::Delta::Type::Added, std::make_shared<const kube::KubeObject>(std::move(ingress))});
    store.applyBatch(batch);
    add(store, QStringLiteral("services"),
        "{\"kind\":\"Service\",\"metadata\":{\"namespace\":\"a\",\"name\":\"web\",\"uid\":\"s1\"},"
        "\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}}");
}

} // namespace

class TstTopologyExport final : public QObject {
    Q_OBJECT

private slots:
    void dotQuoting() {
        QCOMPARE(model::dotQuoted(QStringLiteral("plain")), QByteArray("\"plain\""));
        QCOMPARE(model::dotQuoted(QStringLiteral("a\"b\\c\nd\re")),
                 QByteArray("\"a\\\"b\\\\c\\nde\""));
        QCOMPARE(model::dotQuoted(QStringLiteral("x → y")), QStringLiteral("\"x → y\"").toUtf8());
    }

    void json() {
        model::ObjectStore store;
        fill(store);
        const model::Topology t = model::Topology::derive(store, QStringLiteral("a"));
        const kube::Json j = model::topologyToJson(t, QStringLiteral("a"));
        QCOMPARE(j["namespace"].get<std::string>(), std::string("a"));
        std::vector<std::string> keys;
        for (auto it = j.begin(); it != j.end(); ++it)
            keys.push_back(it.key());
        QCOMPARE(keys, (std::vector<std::string>{"namespace", "nodes", "edges", "problems"}));
        const kube::Json &nodes = j["nodes"];
        QCOMPARE(nodes.size(), std::size_t(3)); // Ingress, Missing Service, Service
        QCOMPARE(nodes[0]["id"].get<std::string>(), std::string("Ingress/a/edge"));
        QCOMPARE(nodes[1]["id"].get<std::string>(), std::string("Missing/a/Service/gone"));
        QCOMPARE(nodes[1]["health"].get<std::string>(), std::string("failed"));
        QCOMPARE(nodes[2]["health"].get<std::string>(), std::string("warning")); // selects nothing
        const kube::Json &edge = j["edges"][0];
        QCOMPARE(edge["relation"].get<std::string>(), std::string("routes"));
        QVERIFY(edge["broken"].get<bool>());
        QCOMPARE(j["problems"].size(), std::size_t(2));
        QVERIFY(model::topologyToJson(t, QString())["namespace"].is_null());
    }

    void dot() {
        model::ObjectStore store;
        fill(store);
        const QByteArray dot = model::topologyToDot(
            model::Topology::derive(store, QStringLiteral("a")), QStringLiteral("a"));
        QVERIFY(dot.startsWith("digraph \"topology of a\" {\n  rankdir=LR;\n"));
        QVERIFY(dot.endsWith("}\n"));
        QVERIFY2(dot.contains("\"Ingress/a/edge\" -> \"Missing/a/Service/gone\" "
                              "[label=\"x.example.com/q\\\"b\\\\s\\nn → :80\", style=dashed, "
                              "color=red, fontcolor=red, tooltip="),
                 dot.constData());
        QVERIFY(dot.contains("\"Missing/a/Service/gone\" [label=\"Missing\\ngone\\nService gone "
                             "does not exist\", fillcolor=\"#fce8e6\", style=\"rounded,dashed\", "
                             "color=red];"));
        // No raw line break or unescaped quote inside any statement: one statement per line.
        for (const QByteArray &line : dot.split('\n'))
            QVERIFY2(line.isEmpty() || line.endsWith('{') || line.endsWith(';') || line == "}",
                     line.constData());
    }
};

QTEST_APPLESS_MAIN(TstTopologyExport)
#include "tst_topologyexport.moc"
