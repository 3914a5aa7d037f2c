// `kubedeck topology` as a user runs it: the built executable against the sandbox serving
// "ml-serving" over TLS, with a kubeconfig from the sandbox. The JSON names the churn-predictor
// Deployment with its GPUs, the Ingress → Service → Deployment chain, the HPA and a broken
// Ingress added for the test; DOT draws the same graph; usage errors exit 2; an unreachable
// server, a missing kubeconfig, an unknown context and an unapproved exec plugin exit 1 with a
// message, and the plugin never runs.
#include "kubedeckprocess.h"
#include "sandbox/admission.h"
#include "sandbox/resources.h"
#include "sandboxfixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

using Run = kd::testing::KubedeckRun;

const char *kBrokenIngress = R"({
  "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
  "metadata": {"name": "legacy-api", "namespace": "ml-serving"},
  "spec": {"ingressClassName": "nginx", "rules": [{"host": "legacy.yourcompany.com", "http": {
    "paths": [{"path": "/", "pathType": "Prefix",
               "backend": {"service": {"name": "legacy-api", "port": {"number": 80}}}}]}}]}})";

// A context whose credentials come from ./plugin.sh, which nobody approved.
const char *kExecKubeconfig = "apiVersion: v1\n"
                              "kind: Config\n"
                              "clusters:\n"
                              "- name: c\n"
                              "  cluster: {server: \"https://127.0.0.1:1\", "
                              "insecure-skip-tls-verify: true}\n"
                              "users:\n"
                              "- name: u\n"
                              "  user:\n"
                              "    exec:\n"
                              "      apiVersion: client.authentication.k8s.io/v1\n"
                              "      command: ./plugin.sh\n"
                              "      interactiveMode: Never\n"
                              "contexts:\n"
                              "- name: ctx\n"
                              "  context: {cluster: c, user: u, namespace: ml-serving}\n"
                              "current-context: ctx\n";

QJsonObject findById(const QJsonArray &items, const QString &id) {
    for (const QJsonValue &v : items)
        if (v.toObject().value(QLatin1String("id")).toString() == id)
            return v.toObject();
    return {};
}

QJsonObject findEdge(const QJsonArray &edges, const QString &from, const QString &to) {
    for (const QJsonValue &v : edges) {
        const QJsonObject e = v.toObject();
        if (e.value(QLatin1String("from")).toString() == from &&
            e.value(QLatin1String("to")).toString() == to)
            return e;
    }
    return {};
}

} // namespace

class TstTopologyCommand final : public QObject {
    Q_OBJECT

    std::unique_ptr<kd::testing::SandboxFixture> m_sandbox;
    QTemporaryDir m_home;

    Run kubedeck(const QStringList &args) {
        return kd::testing::runKubedeck(QStringList{QStringLiteral("topology")} + args,
                                        m_home.path());
    }

    QStringList sandboxArgs(const QStringList &more) const {
        return QStringList{QStringLiteral("--kubeconfig"), m_sandbox->kubeconfigPath()} + more;
    }

    // A kubeconfig of one context, written next to the sandbox's.
    QString writeKubeconfig(const QString &name, const QByteArray &text) {
        return kd::testing::writeSandboxFile(*m_sandbox, name, text);
    }

private slots:
    void initTestCase() {
        QVERIFY(QFile::exists(QStringLiteral(KD_BINARY_DIR "/app/kubedeck")));
        m_sandbox = std::make_unique<kd::testing::SandboxFixture>(
            kd::testing::SandboxFixture::Options{"ml-serving", 1.0, true});
        const auto &type = kd::sandbox::resourceType("networking.k8s.io/v1", "Ingress");
        kd::sandbox::Json ingress = kd::sandbox::Json::parse(kBrokenIngress);
        kd::sandbox::admitCreate(type, ingress, m_sandbox->cluster().store());
        m_sandbox->cluster().store().create(type, std::move(ingress));
    }

    void json() {
        const Run r =
            kubedeck(sandboxArgs({QStringLiteral("--namespace"), QStringLiteral("ml-serving")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonParseError parseError;
        const QJsonObject doc = QJsonDocument::fromJson(r.out, &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError,
                 qPrintable(parseError.errorString()));
        QCOMPARE(doc.value(QLatin1String("namespace")).toString(), QStringLiteral("ml-serving"));
        const QJsonArray nodes = doc.value(QLatin1String("nodes")).toArray();
        const QJsonArray edges = doc.value(QLatin1String("edges")).toArray();

        // Stable order: nodes by id, edges by from and to.
        for (qsizetype i = 1; i < nodes.size(); ++i)
            QVERIFY(nodes[i - 1].toObject().value(QLatin1String("id")).toString() <
                    nodes[i].toObject().value(QLatin1String("id")).toString());
        for (qsizetype i = 1; i < edges.size(); ++i) {
            const QJsonObject a = edges[i - 1].toObject(), b = edges[i].toObject();
            const QString ka = a.value(QLatin1String("from")).toString() + u'\n' +
                               a.value(QLatin1String("to")).toString();
            const QString kb = b.value(QLatin1String("from")).toString() + u'\n' +
                               b.value(QLatin1String("to")).toString();
            QVERIFY(ka <= kb);
        }

        const QString deployment = QStringLiteral("Deployment/ml-serving/churn-predictor");
        const QString service = QStringLiteral("Service/ml-serving/churn-predictor");
        const QString ingress = QStringLiteral("Ingress/ml-serving/churn-predictor");
        const QString hpa = QStringLiteral("HorizontalPodAutoscaler/ml-serving/churn-predictor");
        const QJsonObject churn = findById(nodes, deployment);
        QCOMPARE(churn.value(QLatin1String("kind")).toString(), QStringLiteral("Deployment"));
        QCOMPARE(churn.value(QLatin1String("name")).toString(), QStringLiteral("churn-predictor"));
        QCOMPARE(churn.value(QLatin1String("desiredReplicas")).toInt(), 3);
        QCOMPARE(churn.value(QLatin1String("gpusPerPod")).toInt(), 1);
        QCOMPARE(churn.value(QLatin1String("gpusTotal")).toInt(), 3);
        for (const char *field : {"health", "status", "readyReplicas", "revision", "current",
                                  "gpuProduct", "nodeName", "minReplicas", "maxReplicas", "hosts"})
            QVERIFY2(churn.contains(QLatin1String(field)), field);
        const QJsonObject llm = findById(nodes, QStringLiteral("Deployment/ml-serving/llm-server"));
        QCOMPARE(llm.value(QLatin1String("gpusPerPod")).toInt(), 4);
        QCOMPARE(llm.value(QLatin1String("gpusTotal")).toInt(), 8);
        QCOMPARE(findById(nodes, ingress).value(QLatin1String("hosts")).toArray(),
                 QJsonArray{QStringLiteral("churn.api.yourcompany.com")});
        QCOMPARE(findById(nodes, hpa).value(QLatin1String("maxReplicas")).toInt(), 20);

        // Pods on A100 nodes carry the GPU product of their node.
        int a100Pods = 0;
        for (const QJsonValue &v : nodes) {
            const QJsonObject n = v.toObject();
            if (n.value(QLatin1String("kind")).toString() == QLatin1String("Pod") &&
                n.value(QLatin1String("gpuProduct")).toString() ==
                    QLatin1String("NVIDIA-A100-SXM4-80GB"))
                ++a100Pods;
        }
        QVERIFY(a100Pods >= 5); // 3 churn-predictor, 2 llm-server

        const QJsonObject route = findEdge(edges, ingress, service);
        QCOMPARE(route.value(QLatin1String("relation")).toString(), QStringLiteral("routes"));
        QCOMPARE(route.value(QLatin1String("broken")).toBool(), false);
        QCOMPARE(route.value(QLatin1String("label")).toString(),
                 QStringLiteral("churn.api.yourcompany.com/ → :80"));
        QCOMPARE(findEdge(edges, service, deployment).value(QLatin1String("relation")).toString(),
                 QStringLiteral("selects"));
        QCOMPARE(findEdge(edges, hpa, deployment).value(QLatin1String("relation")).toString(),
                 QStringLiteral("scales"));

        const QString missing = QStringLiteral("Missing/ml-serving/Service/legacy-api");
        const QJsonObject broken =
            findEdge(edges, QStringLiteral("Ingress/ml-serving/legacy-api"), missing);
        QCOMPARE(broken.value(QLatin1String("broken")).toBool(), true);
        const QString problem = QStringLiteral("Ingress ml-serving/legacy-api routes "
                                               "legacy.yourcompany.com/ to Service "
                                               "\"legacy-api\", which does not exist");
        QCOMPARE(broken.value(QLatin1String("problem")).toString(), problem);
        QVERIFY(doc.value(QLatin1String("problems")).toArray().contains(problem));
        QCOMPARE(findById(nodes, missing).value(QLatin1String("health")).toString(),
                 QStringLiteral("failed"));
    }

    void dot() {
        const Run r = kubedeck(sandboxArgs({QStringLiteral("-n"), QStringLiteral("ml-serving"),
                                            QStringLiteral("-o"), QStringLiteral("dot")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString text = QString::fromUtf8(r.out);
        QVERIFY2(text.startsWith(QStringLiteral("digraph ")), qPrintable(text.left(80)));
        QVERIFY(text.contains(QStringLiteral("rankdir=LR;")));
        QVERIFY(text.contains(QStringLiteral(
            "\"Ingress/ml-serving/churn-predictor\" -> \"Service/ml-serving/churn-predictor\" "
            "[label=\"churn.api.yourcompany.com/ → :80\"];")));
        QVERIFY(text.contains(QStringLiteral("\"Deployment/ml-serving/churn-predictor\" "
                                             "[label=\"Deployment\\nchurn-predictor\\n")));
        QVERIFY(text.contains(QStringLiteral(
            "\"Ingress/ml-serving/legacy-api\" -> \"Missing/ml-serving/Service/legacy-api\" "
            "[label=\"legacy.yourcompany.com/ → :80\", style=dashed, color=red, fontcolor=red, "
            "tooltip=\"Ingress ml-serving/legacy-api routes legacy.yourcompany.com/ to Service "
            "\\\"legacy-api\\\", which does not exist\"];")));
        QVERIFY(text.trimmed().endsWith(u'}'));
    }

    // Without --namespace: the context's namespace (the sandbox's contexts say "default").
    void contextNamespace() {
        const Run r = kubedeck(sandboxArgs({}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc.value(QLatin1String("namespace")).toString(), QStringLiteral("default"));
        const Run all = kubedeck(sandboxArgs({QStringLiteral("-A")}));
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));
        const QJsonObject everything = QJsonDocument::fromJson(all.out).object();
        QVERIFY(everything.value(QLatin1String("namespace")).isNull());
        QVERIFY(!findById(everything.value(QLatin1String("nodes")).toArray(),
                          QStringLiteral("StatefulSet/vector/qdrant"))
                     .isEmpty());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("-o xml") << QStringList{QStringLiteral("-o"), QStringLiteral("xml")}
                                << QStringLiteral("-o must be json or dot, not 'xml'");
        QTest::newRow("positional")
            << QStringList{QStringLiteral("pods")} << QStringLiteral("unexpected argument 'pods'");
        QTest::newRow("-A and -n")
            << QStringList{QStringLiteral("-A"), QStringLiteral("-n"), QStringLiteral("x")}
            << QStringLiteral("exclude each other");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = kubedeck(sandboxArgs(args));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void failures_data() {
        QTest::addColumn<QString>("kubeconfig");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        // Nothing listens on port 1 of the loopback interface.
        QTest::newRow("unreachable")
            << QStringLiteral("unreachable") << QStringList{}
            << QStringLiteral("the cluster at https://127.0.0.1:1 is unreachable");
        QTest::newRow("missing kubeconfig")
            << QStringLiteral("missing") << QStringList{} << QStringLiteral("does not exist");
        QTest::newRow("unknown context")
            << QStringLiteral("sandbox")
            << QStringList{QStringLiteral("--context"), QStringLiteral("nope")}
            << QStringLiteral("nope");
        QTest::newRow("exec plugin not approved") << QStringLiteral("exec") << QStringList{}
                                                  << QStringLiteral("which you have not approved");
    }
    void failures() {
        QFETCH(QString, kubeconfig);
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QString marker = QDir(m_sandbox->tempDir()).filePath(QStringLiteral("plugin-ran"));
        QString path = m_sandbox->kubeconfigPath();
        if (kubeconfig == QLatin1String("missing")) {
            path = QDir(m_sandbox->tempDir()).filePath(QStringLiteral("no-such-kubeconfig"));
        } else if (kubeconfig == QLatin1String("unreachable")) {
            path = kd::testing::writeUnreachableKubeconfig(*m_sandbox);
        } else if (kubeconfig == QLatin1String("exec")) {
            const QString plugin = QDir(m_sandbox->tempDir()).filePath(QStringLiteral("plugin.sh"));
            QFile script(plugin);
            QVERIFY(script.open(QIODevice::WriteOnly));
            script.write("#!/bin/sh\ntouch '" + marker.toUtf8() + "'\n");
            script.close();
            script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            path = writeKubeconfig(QStringLiteral("exec"), kExecKubeconfig);
        }
        QVERIFY(!path.isEmpty());
        const Run r = kubedeck(QStringList{QStringLiteral("--kubeconfig"), path} + args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QLatin1String("kubedeck topology: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY2(!QFile::exists(marker), "the unapproved exec plugin ran");
    }
};

QTEST_GUILESS_MAIN(TstTopologyCommand)
#include "tst_topologycommand.moc"
