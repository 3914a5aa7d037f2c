// The topology pane against the built-in sandbox, offscreen: the ml-serving graph with GPUs and
// problems, filters, drag-to-scale of churn-predictor with real mouse events (preview, Apply,
// the sandbox's spec.replicas and the new pods, Ctrl+Z), the HPA case (the handle offers the
// HPA's range instead) and the viewer (the handle is locked with the RBAC reason).
// Screenshots: topology-ml-serving, topology-filtered, topology-mid-drag, topology-confirm,
// topology-hpa, topology-viewer.
#include "guiwindow.h"
#include "kube/writeops.h"
#include "model/columns.h"
#include "sandbox/cluster.h"
#include "sandbox/resources.h"
#include "screenshots.h"
#include "ui/connection.h"
#include "ui/mainwindow.h"
#include "ui/sandboxhost.h"
#include "ui/topologypane.h"
#include "widgets/graphview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

using kd::ui::Connection;
using kd::ui::MainWindow;
using kd::ui::TopologyPane;
using kd::widgets::GraphView;

namespace {

constexpr int kConnectTimeoutMs = 120'000;
const QString kChurn = QStringLiteral("Deployment/ml-serving/churn-predictor");

const kd::sandbox::Json *sandboxObject(Connection *c, const char *apiVersion, const char *kind,
                                       const std::string &name, kd::sandbox::ObjectPtr *keep) {
    *keep = c->sandbox()->cluster().store().get(kd::sandbox::resourceType(apiVersion, kind),
                                                "ml-serving", name);
    return keep->get();
}

int sandboxReplicas(Connection *c) {
    kd::sandbox::ObjectPtr keep;
    const auto *d = sandboxObject(c, "apps/v1", "Deployment", "churn-predictor", &keep);
    return d ? (*d)["spec"].value("replicas", -1) : -1;
}

int shownPodsOfChurn(TopologyPane *pane) {
    int n = 0;
    for (const auto &node : pane->topology().nodes())
        if (node.kind == kd::model::TopologyNode::Kind::Pod &&
            node.name.startsWith(QLatin1String("churn-predictor-")) &&
            !node.status.startsWith(QLatin1String("Terminating")))
            ++n;
    return n;
}

struct Opened {
    std::unique_ptr<MainWindow> window;
    Connection *connection = nullptr;
    TopologyPane *pane = nullptr;
    GraphView *view = nullptr;
};

Opened openTopology() {
    MainWindow::StartOptions options;
    options.sandbox = true;
    options.sandboxSpeed = 20;
    Opened o;
    o.window = kd::testing::openWindow(options, QSize(1600, 950));
    o.window->showView(1);
    o.connection = o.window->connection();
    o.pane = o.window->topology();
    o.view = o.pane->view();
    return o;
}

// Scrolls the card into view and answers where its handle is.
QPoint handleOf(GraphView *view, const QString &id) {
    view->selectNode(id);
    view->centerOn(view->mapToScene(view->viewportRectOf(id).center()));
    return view->handleCentre(id);
}

} // namespace

class TestTopologyPane : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { kd::testing::cleanGuiEnvironment(); }

    void graphAndFilters() {
        Opened o = openTopology();
        QTRY_COMPARE_WITH_TIMEOUT(o.connection->state(), Connection::State::Connected,
                                  kConnectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(o.view->isShown(kChurn), 30'000);
        o.pane->refreshNow();
        // Ingress → Service → Deployment, with GPUs on the Deployment's card.
        QVERIFY(o.view->isShown(QStringLiteral("Service/ml-serving/churn-predictor")));
        const auto *churn = o.view->shownSpec(kChurn);
        QVERIFY(churn);
        QVERIFY2(churn->badges.join(u' ').contains(QLatin1String("GPU")),
                 qPrintable(churn->badges.join(u',')));
        QVERIFY(churn->hasHandle);
        QCOMPARE(churn->handleValue, 3);
        // Pods carry the GPU product of their node.
        bool sawProduct = false;
        for (const auto &n : o.pane->topology().nodes())
            if (n.name.startsWith(QLatin1String("churn-predictor-")) &&
                n.kind == kd::model::TopologyNode::Kind::Pod && !n.gpuProduct.isEmpty())
                sawProduct = n.gpuProduct.contains(QLatin1String("A100"));
        QVERIFY(sawProduct);
        o.view->fitAll();
        QVERIFY(kd::testing::saveScreenshot(o.window.get(), QStringLiteral("topology-ml-serving")));

        // A label selector keeps churn-predictor and what routes to it.
        o.pane->labelFilter()->setText(QStringLiteral("app=churn-predictor"));
        o.pane->refreshNow();
        QVERIFY(o.view->isShown(kChurn));
        QVERIFY(o.view->isShown(QStringLiteral("Service/ml-serving/churn-predictor")));
        QVERIFY(!o.view->isShown(QStringLiteral("Deployment/ml-serving/text-embedder")));
        o.view->fitAll();
        QVERIFY(kd::testing::saveScreenshot(o.window.get(), QStringLiteral("topology-filtered")));
        // A bad selector is named next to the field; the graph stays.
        o.pane->labelFilter()->setText(QStringLiteral("app in (a"));
        o.pane->refreshNow();
        auto *error = o.pane->findChild<QLabel *>(QStringLiteral("topologyLabelError"));
        QVERIFY(error && error->isVisible());
        QVERIFY(!error->text().isEmpty());
        o.pane->labelFilter()->clear();

        // Only problems: every shown card is unhealthy, broken or next to one.
        o.pane->onlyProblems()->setChecked(true);
        QVERIFY(o.view->shownNodeCount() > 0);
        QVERIFY(!o.view->isShown(QStringLiteral("Deployment/ml-serving/text-embedder")));
        o.pane->onlyProblems()->setChecked(false);

        // Hiding ReplicaSets joins Deployments to their pods.
        o.pane->setKindShown(kd::model::TopologyNode::Kind::ReplicaSet, false);
        for (const auto &n : o.pane->topology().nodes())
            if (n.kind == kd::model::TopologyNode::Kind::ReplicaSet)
                QVERIFY(!o.view->isShown(n.id));
        o.pane->setKindShown(kd::model::TopologyNode::Kind::ReplicaSet, true);
    }

    void dragToScale() {
        Opened o = openTopology();
        QTRY_COMPARE_WITH_TIMEOUT(o.connection->state(), Connection::State::Connected,
                                  kConnectTimeoutMs);
        // The team drops autoscaling for churn-predictor, so the count is the user's to set.
        const auto *hpaKind =
            kd::model::browsedKind(QStringLiteral("horizontalpodautoscalers.autoscaling"));
        auto removed =
            kd::kube::remove(*o.connection->client(), hpaKind->kind, QStringLiteral("ml-serving"),
                             QStringLiteral("churn-predictor"));
        QTRY_VERIFY_WITH_TIMEOUT(removed.isFinished(), 20'000);
        QVERIFY(removed.result().ok());
        QTRY_VERIFY_WITH_TIMEOUT(o.view->shownSpec(kChurn) &&
                                     o.view->shownSpec(kChurn)->handleDisabledReason.isEmpty(),
                                 30'000);
        QCOMPARE(sandboxReplicas(o.connection), 3);

        // Drag the handle two steps right: the preview explains what the scheduler would do.
        const QPoint handle = handleOf(o.view, kChurn);
        QVERIFY(!handle.isNull());
        QWidget *vp = o.view->viewport();
        QTest::mousePress(vp, Qt::LeftButton, {}, handle);
        QVERIFY(o.view->isDraggingHandle());
        QTest::mouseMove(vp, handle + QPoint(GraphView::kPixelsPerStep, 0));
        QTest::mouseMove(vp, handle + QPoint(GraphView::kPixelsPerStep * 2, 0));
        QVERIFY2(o.view->handlePreview().contains(QLatin1String("+2")),
                 qPrintable(o.view->handlePreview()));
        QVERIFY(kd::testing::saveScreenshot(o.window.get(), QStringLiteral("topology-mid-drag")));
        QTest::mouseRelease(vp, Qt::LeftButton, {},
                            handle + QPoint(GraphView::kPixelsPerStep * 2, 0));

        // Confirm: the scale goes out with the count the user saw.
        QTRY_VERIFY(o.pane->confirmation()->isVisible());
        QVERIFY(kd::testing::saveScreenshot(o.window.get(), QStringLiteral("topology-confirm")));
        QCOMPARE(sandboxReplicas(o.connection), 3); // nothing before Apply
        QSignalSpy finished(o.pane, &TopologyPane::writeFinished);
        auto *apply =
            o.pane->confirmation()->findChild<QPushButton *>(QStringLiteral("applyScale"));
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30'000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(sandboxReplicas(o.connection), 5);
        // The watch brings the new pods onto the graph.
        QTRY_COMPARE_WITH_TIMEOUT(shownPodsOfChurn(o.pane), 5, 60'000);
        QTRY_COMPARE_WITH_TIMEOUT(o.view->shownSpec(kChurn)->handleValue, 5, 30'000);

        // Ctrl+Z scales back.
        o.view->setFocus();
        QTest::keyClick(o.view, Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30'000);
        QCOMPARE(finished.last().at(0).toBool(), true);
        QCOMPARE(sandboxReplicas(o.connection), 3);

        // Cancel and Escape change nothing.
        const QPoint again = handleOf(o.view, kChurn);
        QTest::mousePress(vp, Qt::LeftButton, {}, again);
        QTest::mouseMove(vp, again + QPoint(GraphView::kPixelsPerStep * 3, 0));
        QTest::mouseRelease(vp, Qt::LeftButton, {},
                            again + QPoint(GraphView::kPixelsPerStep * 3, 0));
        QTRY_VERIFY(o.pane->confirmation()->isVisible());
        QTest::mouseClick(
            o.pane->confirmation()->findChild<QPushButton *>(QStringLiteral("cancelScale")),
            Qt::LeftButton);
        QVERIFY(!o.pane->confirmation()->isVisible());
        QTest::mousePress(vp, Qt::LeftButton, {}, again);
        QTest::mouseMove(vp, again + QPoint(GraphView::kPixelsPerStep * 3, 0));
        QTest::keyClick(o.view, Qt::Key_Escape);
        QTest::mouseRelease(vp, Qt::LeftButton, {}, again);
        QVERIFY(!o.pane->confirmation()->isVisible());
        QTest::qWait(300);
        QCOMPARE(sandboxReplicas(o.connection), 3);
        QCOMPARE(finished.count(), 2);
    }

    void hpaOwnsTheCount() {
        Opened o = openTopology();
        QTRY_COMPARE_WITH_TIMEOUT(o.connection->state(), Connection::State::Connected,
                                  kConnectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(o.view->shownSpec(kChurn) &&
                                     o.view->shownSpec(kChurn)->handleDisabledReason.contains(
                                         QLatin1String("HorizontalPodAutoscaler")),
                                 30'000);
        // Pressing the locked handle opens the HPA's range instead of a drag.
        const QPoint handle = handleOf(o.view, kChurn);
        QTest::mousePress(o.view->viewport(), Qt::LeftButton, {}, handle);
        QTest::mouseRelease(o.view->viewport(), Qt::LeftButton, {}, handle);
        QVERIFY(!o.view->isDraggingHandle());
        QTRY_VERIFY(o.pane->hpaEditor()->isVisible());
        auto *min = o.pane->hpaEditor()->findChild<QSpinBox *>(QStringLiteral("hpaMin"));
        auto *max = o.pane->hpaEditor()->findChild<QSpinBox *>(QStringLiteral("hpaMax"));
        QVERIFY(min && max);
        QVERIFY(min->value() >= 1 && max->value() >= min->value());
        QVERIFY(kd::testing::saveScreenshot(o.window.get(), QStringLiteral("topology-hpa")));
        max->setValue(max->value() + 4);
        const int wanted = max->value();
        QSignalSpy finished(o.pane, &TopologyPane::writeFinished);
        QTest::mouseClick(o.pane->hpaEditor()->findChild<QPushButton *>(QStringLiteral("applyHpa")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30'000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        kd::sandbox::ObjectPtr keep;
        const auto *hpa = sandboxObject(o.connection, "autoscaling/v2", "HorizontalPodAutoscaler",
                                        "churn-predictor", &keep);
        QVERIFY(hpa);
        QCOMPARE((*hpa)["spec"].value("maxReplicas", -1), wanted);
    }

    void viewerCannotScale() {
        Opened o = openTopology();
        QTRY_COMPARE_WITH_TIMEOUT(o.connection->state(), Connection::State::Connected,
                                  kConnectTimeoutMs);
        auto *contexts = o.window->findChild<QComboBox *>(QStringLiteral("contextBox"));
        const int viewer = contexts->findData(QStringLiteral("sandbox:viewer"));
        QVERIFY(viewer >= 0);
        contexts->setCurrentIndex(viewer);
        emit contexts->activated(viewer);
        QTRY_COMPARE_WITH_TIMEOUT(o.connection->currentContextId(),
                                  QStringLiteral("sandbox:viewer"), 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(o.connection->state(), Connection::State::Connected,
                                  kConnectTimeoutMs);
        const QString embedder = QStringLiteral("Deployment/ml-serving/text-embedder");
        QTRY_VERIFY_WITH_TIMEOUT(
            o.view->shownSpec(embedder) &&
                o.view->shownSpec(embedder)->handleDisabledReason.contains(QLatin1String("RBAC")),
            30'000);
        QSignalSpy started(o.view, &GraphView::handleDragStarted);
        QSignalSpy messages(o.pane, &TopologyPane::message);
        const QPoint handle = handleOf(o.view, embedder);
        QTest::mousePress(o.view->viewport(), Qt::LeftButton, {}, handle);
        QTest::mouseMove(o.view->viewport(), handle + QPoint(GraphView::kPixelsPerStep * 2, 0));
        QTest::mouseRelease(o.view->viewport(), Qt::LeftButton, {}, handle);
        QCOMPARE(started.count(), 0);
        QVERIFY(!o.pane->confirmation()->isVisible());
        QCOMPARE(messages.count(), 1);
        QVERIFY(messages.first().at(0).toString().contains(QLatin1String("may not patch")));
        QVERIFY(kd::testing::saveScreenshot(o.window.get(), QStringLiteral("topology-viewer")));
    }
};

QTEST_MAIN(TestTopologyPane)
#include "tst_topologypane.moc"
