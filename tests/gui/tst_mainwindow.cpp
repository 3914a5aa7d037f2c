// The main window against the built-in sandbox, offscreen: connect and browse, scale through the
// dialog and watch the pods follow, the HPA warning, the read-only viewer, and a bad kubeconfig.
// Saves screenshots of each view to build/<preset>/screenshots/.
#include "guiwindow.h"
#include "modal.h"
#include "model/objectstore.h"
#include "sandbox/cluster.h"
#include "sandbox/resources.h"
#include "screenshots.h"
#include "ui/connection.h"
#include "ui/detailspane.h"
#include "ui/mainwindow.h"
#include "ui/objectactions.h"
#include "ui/sandboxhost.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using kd::ui::Connection;
using kd::ui::MainWindow;

namespace {

constexpr int kConnectTimeoutMs = 120'000;

int sandboxReplicas(Connection *c, const std::string &ns, const std::string &name) {
    const auto &type = kd::sandbox::resourceType("apps/v1", "Deployment");
    auto d = c->sandbox()->cluster().store().get(type, ns, name);
    return d ? (*d)["spec"].value("replicas", -1) : -1;
}

int storedPodsOf(Connection *c, const QString &ns, const QString &app) {
    int n = 0;
    for (const auto &p : c->store()->list(QStringLiteral("pods"), ns))
        if (p->json()["metadata"]["labels"].value("app", "") == app.toStdString() &&
            !p->json()["metadata"].contains("deletionTimestamp"))
            ++n;
    return n;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { kd::testing::cleanGuiEnvironment(); }

    void connectsAndScales() {
        MainWindow::StartOptions options;
        options.sandbox = true;
        options.sandboxSpeed = 20;
        auto window = kd::testing::openWindow(options);
        Connection *c = window->connection();
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), Connection::State::Connected, kConnectTimeoutMs);
        QVERIFY(c->sandbox());
        QCOMPARE(c->namespaceName(), QStringLiteral("ml-serving"));

        // The scenario's Deployments are listed.
        window->selectKind(QStringLiteral("deployments.apps"));
        QTRY_VERIFY(window->selectObject(QStringLiteral("deployments.apps"),
                                         QStringLiteral("ml-serving"),
                                         QStringLiteral("text-embedder")));
        QVERIFY(window->table()->model()->rowCount() >= 6);
        QVERIFY(kd::testing::saveScreenshot(window.get(), QStringLiteral("main-deployments")));

        // Scale text-embedder 4 -> 6 through the dialog; the watch brings the pods.
        QTRY_VERIFY(window->actions()->scaleAction()->isEnabled());
        const int before = sandboxReplicas(c, "ml-serving", "text-embedder");
        QCOMPARE(before, 4);
        QSignalSpy done(window->actions(), &kd::ui::ObjectActions::finished);
        bool sawDialog = false;
        kd::testing::onNextModal(window.get(), [&sawDialog](QWidget *dialog) {
            auto *spin =
                dialog ? dialog->findChild<QSpinBox *>(QStringLiteral("replicasSpin")) : nullptr;
            sawDialog = spin && !dialog->findChild<QLabel *>(QStringLiteral("hpaWarning"));
            if (spin)
                spin->setValue(6);
            if (dialog)
                QMetaObject::invokeMethod(dialog, "accept", Qt::QueuedConnection);
        });
        window->actions()->scaleAction()->trigger();
        QVERIFY(sawDialog);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30'000);
        QCOMPARE(done.first().at(0).toBool(), true);
        QCOMPARE(sandboxReplicas(c, "ml-serving", "text-embedder"), 6);
        QTRY_COMPARE_WITH_TIMEOUT(
            storedPodsOf(c, QStringLiteral("ml-serving"), QStringLiteral("text-embedder")), 6,
            30'000);
        window->selectKind(QStringLiteral("pods"));
        QTRY_VERIFY(window->table()->model()->rowCount() > 6);
        QVERIFY(kd::testing::saveScreenshot(window.get(), QStringLiteral("main-pods")));

        // The details pane of a Deployment with its YAML.
        QVERIFY(window->selectObject(QStringLiteral("deployments.apps"),
                                     QStringLiteral("ml-serving"),
                                     QStringLiteral("text-embedder")));
        auto *details = window->findChild<kd::ui::DetailsPane *>();
        QVERIFY(details && details->object());
        QCOMPARE(details->object()->name(), QStringLiteral("text-embedder"));
        details->setCurrentIndex(2);
        QVERIFY(kd::testing::saveScreenshot(window.get(), QStringLiteral("main-details-yaml")));
        details->setCurrentIndex(0);

        // An HPA owns churn-predictor's count: the dialog says so; cancelling changes nothing.
        QVERIFY(window->selectObject(QStringLiteral("deployments.apps"),
                                     QStringLiteral("ml-serving"),
                                     QStringLiteral("churn-predictor")));
        QTRY_VERIFY(window->actions()->scaleAction()->isEnabled());
        const int churn = sandboxReplicas(c, "ml-serving", "churn-predictor");
        QString hpaText;
        kd::testing::onNextModal(window.get(), [&hpaText](QWidget *dialog) {
            if (auto *w =
                    dialog ? dialog->findChild<QLabel *>(QStringLiteral("hpaWarning")) : nullptr)
                hpaText = w->text();
            if (dialog) {
                kd::testing::saveScreenshot(dialog, QStringLiteral("scale-dialog-hpa"));
                QMetaObject::invokeMethod(dialog, "reject", Qt::QueuedConnection);
            }
        });
        window->actions()->scaleAction()->trigger();
        QVERIFY2(hpaText.contains(QLatin1String("churn-predictor")), qPrintable(hpaText));
        QVERIFY(hpaText.contains(QLatin1String("HorizontalPodAutoscaler")));
        QCOMPARE(sandboxReplicas(c, "ml-serving", "churn-predictor"), churn);

        // The viewer may read but not scale: the action is disabled and says why.
        QComboBox *contexts = window->findChild<QComboBox *>(QStringLiteral("contextBox"));
        int viewer = contexts->findData(QStringLiteral("sandbox:viewer"));
        QVERIFY(viewer >= 0);
        contexts->setCurrentIndex(viewer);
        emit contexts->activated(viewer);
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), Connection::State::Connected, kConnectTimeoutMs);
        QTRY_VERIFY(window->selectObject(QStringLiteral("deployments.apps"),
                                         QStringLiteral("ml-serving"),
                                         QStringLiteral("text-embedder")));
        QTRY_VERIFY_WITH_TIMEOUT(
            window->actions()->scaleAction()->toolTip().contains(QLatin1String("RBAC")), 20'000);
        QVERIFY(!window->actions()->scaleAction()->isEnabled());
        QVERIFY2(window->actions()->scaleAction()->toolTip().contains(
                     QLatin1String("may not patch deployments/scale in namespace \"ml-serving\"")),
                 qPrintable(window->actions()->scaleAction()->toolTip()));
        QVERIFY(!window->actions()->deleteAction()->isEnabled());
        QVERIFY(kd::testing::saveScreenshot(window.get(), QStringLiteral("main-viewer")));

        // The context and namespace are remembered.
        window->close();
        QSettings settings;
        QCOMPARE(settings.value(QStringLiteral("connection/context")).toString(),
                 QStringLiteral("sandbox:viewer"));
    }

    void badKubeconfigSaysWhy() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("apiVersion: v1\nkind: Config\ncurrent-context: prod\ncontexts:\n"
                "- name: prod\n  context: {cluster: prod, user: alice}\nclusters:\n"
                "- name: prod\n  cluster:\n    server: https://127.0.0.1:1\n"
                "    certificate-authority-data: bm90IGEgY2VydGlmaWNhdGU=\n"
                "users:\n- name: alice\n  user: {token: s3cr3t-t0ken-value}\n");
        f.close();
        MainWindow::StartOptions options;
        options.kubeconfigPath = path;
        options.context = QStringLiteral("prod");
        auto window = kd::testing::openWindow(options);
        Connection *c = window->connection();
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), Connection::State::Failed, 30'000);
        auto *banner = window->findChild<QLabel *>(QStringLiteral("banner"));
        QVERIFY(banner && banner->isVisible());
        QVERIFY2(banner->text().contains(QLatin1String("certificate-authority-data")),
                 qPrintable(banner->text()));
        QVERIFY(!banner->text().contains(QLatin1String("s3cr3t")));
        QVERIFY(!window->actions()->scaleAction()->isEnabled());
        QVERIFY(kd::testing::saveScreenshot(window.get(), QStringLiteral("main-bad-kubeconfig")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
