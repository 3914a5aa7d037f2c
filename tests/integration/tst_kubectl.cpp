// Debian's kubectl 1.20, a real client, drives the sandbox over TLS with the kubeconfig from
// --kubeconfig-out: proof that the sandbox speaks Kubernetes.
#include "sandboxfixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <memory>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

const char *kWebDeployment = R"(apiVersion: v1
kind: Namespace
metadata:
  name: kd-it
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: kd-it
  annotations:
    kubernetes.io/change-cause: "first release"
spec:
  replicas: 4
  minReadySeconds: 10
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: server
        image: ghcr.io/kubedeck/web:1.0
        ports: [{containerPort: 8080}]
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 128Mi}
)";

} // namespace

class TstKubectl final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<kd::testing::SandboxFixture> m_sandbox;
    QString m_home;

    Run kubectl(const QStringList &args, const QByteArray &stdinData = {}, int timeoutMs = 60000) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home);
        env.remove(QStringLiteral("KUBECONFIG"));
        p.setProcessEnvironment(env);
        QStringList all{QStringLiteral("--kubeconfig"), m_sandbox->kubeconfigPath()};
        all += args;
        p.start(QStringLiteral(KD_KUBECTL), all);
        if (!p.waitForStarted(10000))
            return {-1, {}, QStringLiteral("kubectl did not start")};
        if (!stdinData.isEmpty())
            p.write(stdinData);
        p.closeWriteChannel();
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            return {-2, QString::fromUtf8(p.readAllStandardOutput()),
                    QStringLiteral("kubectl timed out")};
        }
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    Run ok(const QStringList &args, const QByteArray &stdinData = {}) {
        Run r = kubectl(args, stdinData);
        if (r.exitCode != 0)
            qWarning("kubectl %s failed (%d): %s", qPrintable(args.join(QLatin1Char(' '))),
                     r.exitCode, qPrintable(r.err));
        return r;
    }

    QJsonObject json(const QStringList &args) {
        Run r = ok(args + QStringList{QStringLiteral("-o"), QStringLiteral("json")});
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

    // Pods of app=web that are not terminating, and how many of them are available.
    std::pair<int, int> webPods() {
        QJsonObject list =
            json({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-n"),
                  QStringLiteral("kd-it"), QStringLiteral("-l"), QStringLiteral("app=web")});
        int total = 0, ready = 0;
        for (const auto &v : list.value(QStringLiteral("items")).toArray()) {
            QJsonObject pod = v.toObject();
            if (pod.value(QStringLiteral("metadata"))
                    .toObject()
                    .contains(QStringLiteral("deletionTimestamp")))
                continue;
            ++total;
            for (const auto &c : pod.value(QStringLiteral("status"))
                                     .toObject()
                                     .value(QStringLiteral("conditions"))
                                     .toArray())
                if (c.toObject().value(QStringLiteral("type")).toString() ==
                        QLatin1String("Ready") &&
                    c.toObject().value(QStringLiteral("status")).toString() ==
                        QLatin1String("True"))
                    ++ready;
        }
        return {total, ready};
    }

    bool waitForReady(const QString &ns, const QString &deployment, int replicas,
                      int timeoutMs = 60000) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            QJsonObject d = json({QStringLiteral("get"), QStringLiteral("deployment"), deployment,
                                  QStringLiteral("-n"), ns});
            QJsonObject st = d.value(QStringLiteral("status")).toObject();
            if (st.value(QStringLiteral("availableReplicas")).toInt() == replicas &&
                st.value(QStringLiteral("readyReplicas")).toInt() == replicas &&
                st.value(QStringLiteral("updatedReplicas")).toInt() == replicas &&
                st.value(QStringLiteral("replicas")).toInt() == replicas)
                return true;
            QTest::qWait(200);
        }
        return false;
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(QStringLiteral(KD_KUBECTL)),
                 "kubectl 1.20 is missing: run installer/install-deps.sh");
        m_sandbox = std::make_unique<kd::testing::SandboxFixture>(
            kd::testing::SandboxFixture::Options{"ml-serving", 10.0, true});
        m_home = m_sandbox->tempDir() + QStringLiteral("/home");
        QDir().mkpath(m_home);
        Run v = ok({QStringLiteral("version"), QStringLiteral("--short")});
        QCOMPARE(v.exitCode, 0);
        QVERIFY2(v.out.contains(QLatin1String("Client Version: v1.20")), qPrintable(v.out));
        QVERIFY(v.out.contains(QLatin1String("Server Version: v1.28.0-kubedeck")));
    }

    void getEveryKind_data() {
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QString>("expected");
        QTest::newRow("namespaces") << "namespaces"
                                    << "ml-serving";
        QTest::newRow("nodes") << "nodes"
                               << "a100";
        QTest::newRow("pods") << "pods"
                              << "churn-predictor-";
        QTest::newRow("services") << "services"
                                  << "churn-predictor";
        QTest::newRow("endpoints") << "endpoints"
                                   << "churn-predictor";
        QTest::newRow("endpointslices") << "endpointslices.discovery.k8s.io"
                                        << "churn-predictor-";
        QTest::newRow("events") << "events"
                                << "Scheduled";
        QTest::newRow("configmaps") << "configmaps"
                                    << "churn-predictor-config";
        QTest::newRow("secrets") << "secrets"
                                 << "hf-token";
        QTest::newRow("deployments") << "deployments"
                                     << "llm-server";
        QTest::newRow("replicasets") << "replicasets"
                                     << "recommender-";
        QTest::newRow("statefulsets") << "statefulsets"
                                      << "qdrant";
        QTest::newRow("ingresses") << "ingresses"
                                   << "churn-predictor";
        QTest::newRow("ingressclasses") << "ingressclasses"
                                        << "nginx";
        QTest::newRow("hpa") << "hpa"
                             << "churn-predictor";
        QTest::newRow("pdb") << "pdb"
                             << "qdrant";
    }
    void getEveryKind() {
        QFETCH(QString, resource);
        QFETCH(QString, expected);
        Run r = ok({QStringLiteral("get"), resource, QStringLiteral("-A")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(expected), qPrintable(r.out.left(2000)));
        QVERIFY2(!r.out.contains(QLatin1String("<unknown>")) || resource == QLatin1String("hpa"),
                 qPrintable(r.out.left(2000)));
    }

    void wideOutputAndTableColumns() {
        Run r = ok({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-n"),
                    QStringLiteral("vector"), QStringLiteral("-o"), QStringLiteral("wide")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("NOMINATED NODE")) &&
                     r.out.contains(QLatin1String("qdrant-0")),
                 qPrintable(r.out));
    }

    void describeDeployment() {
        Run r = ok({QStringLiteral("describe"), QStringLiteral("deployment"),
                    QStringLiteral("churn-predictor"), QStringLiteral("-n"),
                    QStringLiteral("ml-serving")});
        QCOMPARE(r.exitCode, 0);
        for (const char *s :
             {"Replicas:", "RollingUpdateStrategy:", "Pod Template:", "NewReplicaSet:", "Events:"})
            QVERIFY2(r.out.contains(QLatin1String(s)), qPrintable(r.out));
    }

    void applyCreatesAndScaleWaitsForReady() {
        Run r = ok({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
                   kWebDeployment);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("deployment.apps/web created")), qPrintable(r.out));
        QVERIFY(waitForReady(QStringLiteral("kd-it"), QStringLiteral("web"), 4));
        r = ok({QStringLiteral("scale"), QStringLiteral("deployment/web"),
                QStringLiteral("--replicas=6"), QStringLiteral("-n"), QStringLiteral("kd-it")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("deployment.apps/web scaled")), qPrintable(r.out));
        QVERIFY(waitForReady(QStringLiteral("kd-it"), QStringLiteral("web"), 6));
        QCOMPARE(webPods(), std::make_pair(6, 6));
    }

    void setImageRollsWithinBounds() {
        Run r =
            ok({QStringLiteral("set"), QStringLiteral("image"), QStringLiteral("deployment/web"),
                QStringLiteral("server=ghcr.io/kubedeck/web:2.0"), QStringLiteral("-n"),
                QStringLiteral("kd-it"), QStringLiteral("--record")});
        QCOMPARE(r.exitCode, 0);
        // 6 replicas, maxSurge 1, maxUnavailable 1: never more than 7 pods, never fewer than 5
        // available.
        int samples = 0;
        QElapsedTimer t;
        t.start();
        bool done = false;
        while (!done && t.elapsed() < 60000) {
            auto [total, ready] = webPods();
            ++samples;
            QVERIFY2(total <= 7,
                     qPrintable(QStringLiteral("%1 pods during the rollout").arg(total)));
            QVERIFY2(ready >= 5,
                     qPrintable(QStringLiteral("%1 ready during the rollout").arg(ready)));
            QJsonObject d =
                json({QStringLiteral("get"), QStringLiteral("deployment"), QStringLiteral("web"),
                      QStringLiteral("-n"), QStringLiteral("kd-it")});
            QJsonObject st = d.value(QStringLiteral("status")).toObject();
            QVERIFY2(st.value(QStringLiteral("availableReplicas")).toInt() >= 5,
                     "fewer than 5 available during the rollout");
            done = st.value(QStringLiteral("updatedReplicas")).toInt() == 6 &&
                   st.value(QStringLiteral("availableReplicas")).toInt() == 6 &&
                   st.value(QStringLiteral("replicas")).toInt() == 6;
        }
        QVERIFY(done);
        QVERIFY2(samples >= 3, "the rollout was not sampled");
        r = ok({QStringLiteral("rollout"), QStringLiteral("status"),
                QStringLiteral("deployment/web"), QStringLiteral("-n"), QStringLiteral("kd-it"),
                QStringLiteral("--timeout=60s")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("successfully rolled out")), qPrintable(r.out));
    }

    void rolloutHistoryAndUndo() {
        Run r =
            ok({QStringLiteral("rollout"), QStringLiteral("history"),
                QStringLiteral("deployment/web"), QStringLiteral("-n"), QStringLiteral("kd-it")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("1         first release")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("2         kubectl set image")), qPrintable(r.out));
        r = ok({QStringLiteral("rollout"), QStringLiteral("undo"), QStringLiteral("deployment/web"),
                QStringLiteral("-n"), QStringLiteral("kd-it")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("rolled back")), qPrintable(r.out));
        r = ok({QStringLiteral("get"), QStringLiteral("deployment/web"), QStringLiteral("-n"),
                QStringLiteral("kd-it"), QStringLiteral("-o"),
                QStringLiteral("jsonpath={.spec.template.spec.containers[0].image}")});
        QCOMPARE(r.out, QStringLiteral("ghcr.io/kubedeck/web:1.0"));
        r = ok({QStringLiteral("rollout"), QStringLiteral("status"),
                QStringLiteral("deployment/web"), QStringLiteral("-n"), QStringLiteral("kd-it"),
                QStringLiteral("--timeout=60s")});
        QCOMPARE(r.exitCode, 0);
        r = ok({QStringLiteral("rollout"), QStringLiteral("history"),
                QStringLiteral("deployment/web"), QStringLiteral("-n"), QStringLiteral("kd-it")});
        QVERIFY2(r.out.contains(QLatin1String("3         first release")), qPrintable(r.out));
    }

    void applyAgainAndServerSide() {
        QByteArray changed =
            QByteArray(kWebDeployment).replace("minReadySeconds: 10", "minReadySeconds: 5");
        Run r = ok({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, changed);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("deployment.apps/web configured")),
                 qPrintable(r.out));
        QByteArray cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-demo\n  "
                        "namespace: kd-it\ndata:\n  model: resnet50\n";
        r = ok({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"),
                QStringLiteral("-")},
               cm);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("configmap/ssa-demo serverside-applied")),
                 qPrintable(r.out));
        r = ok({QStringLiteral("get"), QStringLiteral("configmap/ssa-demo"), QStringLiteral("-n"),
                QStringLiteral("kd-it"), QStringLiteral("-o"),
                QStringLiteral("jsonpath={.metadata.managedFields[0].manager}")});
        QCOMPARE(r.out, QStringLiteral("kubectl"));
    }

    void invalidManifestIsRejectedWithFieldPath_data() {
        QTest::addColumn<QByteArray>("manifest");
        QTest::addColumn<QString>("expected");
        QTest::newRow("negative replicas")
            << QByteArray("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad-replicas, "
                          "namespace: kd-it}\nspec:\n  replicas: -1\n"
                          "  selector: {matchLabels: {app: bad}}\n  template:\n    metadata: "
                          "{labels: {app: bad}}\n"
                          "    spec: {containers: [{name: c, image: 'x:1'}]}\n")
            << "spec.replicas: Invalid value: -1: must be greater than or equal to 0";
        QTest::newRow("gpu request differs from limit")
            << QByteArray("apiVersion: v1\nkind: Pod\nmetadata: {name: gpu-bad, namespace: "
                          "kd-it}\nspec:\n  containers:\n  - name: m\n    image: x:1\n"
                          "    resources:\n      requests: {nvidia.com/gpu: 1}\n      limits: "
                          "{nvidia.com/gpu: 2}\n")
            << "spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to "
               "nvidia.com/gpu limit of 2";
    }
    void invalidManifestIsRejectedWithFieldPath() {
        QFETCH(QByteArray, manifest);
        QFETCH(QString, expected);
        Run r =
            kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, manifest);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    }

    void watchSeesChanges() {
        QProcess watcher;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home);
        watcher.setProcessEnvironment(env);
        watcher.start(QStringLiteral(KD_KUBECTL),
                      {QStringLiteral("--kubeconfig"), m_sandbox->kubeconfigPath(),
                       QStringLiteral("get"), QStringLiteral("configmaps"), QStringLiteral("-n"),
                       QStringLiteral("kd-it"), QStringLiteral("--watch")});
        QVERIFY(watcher.waitForStarted());
        QString seen;
        QTRY_VERIFY_WITH_TIMEOUT((seen += QString::fromUtf8(watcher.readAllStandardOutput()))
                                     .contains(QLatin1String("ssa-demo")),
                                 20000);
        Run r = ok({QStringLiteral("create"), QStringLiteral("configmap"),
                    QStringLiteral("watched-later"), QStringLiteral("-n"), QStringLiteral("kd-it"),
                    QStringLiteral("--from-literal=a=b")});
        QCOMPARE(r.exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT((seen += QString::fromUtf8(watcher.readAllStandardOutput()))
                                     .contains(QLatin1String("watched-later")),
                                 20000);
        watcher.kill();
        watcher.waitForFinished();
    }

    void viewerIsForbiddenToWrite() {
        Run r = kubectl({QStringLiteral("--context"), QStringLiteral("sandbox-viewer"),
                         QStringLiteral("scale"), QStringLiteral("deployment/web"),
                         QStringLiteral("--replicas=2"), QStringLiteral("-n"),
                         QStringLiteral("kd-it")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QLatin1String(
                     "forbidden: User \"viewer\" cannot patch resource \"deployments/scale\" in "
                     "API group \"apps\" in the namespace \"kd-it\"")),
                 qPrintable(r.err));
        r = kubectl({QStringLiteral("--context"), QStringLiteral("sandbox-viewer"),
                     QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("patch"),
                     QStringLiteral("deployments"), QStringLiteral("-n"), QStringLiteral("kd-it")});
        QCOMPARE(r.out.trimmed(), QStringLiteral("no"));
        QVERIFY(r.exitCode != 0);
        r = kubectl({QStringLiteral("--context"), QStringLiteral("sandbox-viewer"),
                     QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("list"),
                     QStringLiteral("pods"), QStringLiteral("-n"), QStringLiteral("kd-it")});
        QCOMPARE(r.out.trimmed(), QStringLiteral("yes"));
        r = kubectl({QStringLiteral("--context"), QStringLiteral("sandbox-admin-token"),
                     QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("patch"),
                     QStringLiteral("deployments"), QStringLiteral("-n"), QStringLiteral("kd-it")});
        QCOMPARE(r.out.trimmed(), QStringLiteral("yes"));
    }

    void deleteCascades() {
        Run r = ok({QStringLiteral("delete"), QStringLiteral("deployment/web"),
                    QStringLiteral("-n"), QStringLiteral("kd-it")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("deployment.apps \"web\" deleted")),
                 qPrintable(r.out));
        QTRY_VERIFY_WITH_TIMEOUT(
            ok({QStringLiteral("get"), QStringLiteral("replicasets,pods"), QStringLiteral("-n"),
                QStringLiteral("kd-it"), QStringLiteral("-l"), QStringLiteral("app=web"),
                QStringLiteral("-o"), QStringLiteral("name")})
                .out.trimmed()
                .isEmpty(),
            60000);
    }

    void cleanupTestCase() { m_sandbox.reset(); }
};

QTEST_GUILESS_MAIN(TstKubectl)
#include "tst_kubectl.moc"
