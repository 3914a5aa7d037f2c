// The GPU pane against the built-in sandbox, offscreen: the ml-serving GPU nodes in the chart
// (A100, H100 MIG slices, T4), recommender's surge pod Pending with the reason, a click on
// recommender's chart segment selecting it in the topology and the browser, grouping by node
// pool, "what if" for the stuck recommender and for churn-predictor (room on the A100s), and a
// cordon showing up in place, and the empty states. Screenshots: gpu-pane, gpu-pane-whatif,
// gpu-pane-whatif-placed, gpu-pane-dark, gpu-pane-no-gpus.
#include "guiwindow.h"
#include "kube/apiclient.h"
#include "model/columns.h"
#include "model/gpuledger.h"
#include "screenshots.h"
#include "ui/connection.h"
#include "ui/gpupane.h"
#include "ui/mainwindow.h"
#include "ui/topologypane.h"
#include "widgets/allocationchart.h"
#include "widgets/graphview.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using kd::ui::Connection;
using kd::ui::GpuPane;
using kd::ui::MainWindow;

namespace {

constexpr int kConnectTimeoutMs = 120'000;
const QString kGpu = QStringLiteral("nvidia.com/gpu");
const QString kRecommender = QStringLiteral("Deployment/ml-serving/recommender");
const QString kA100 = QStringLiteral("gke-ml-prod-a100-pool-8c2d4e61-h7rw");
const QString kA100Other = QStringLiteral("gke-ml-prod-a100-pool-8c2d4e61-q3ns");
const QString kH100 = QStringLiteral("gke-ml-prod-h100-mig-pool-51b0e9d2-k8vd");
const QString kT4 = QStringLiteral("gke-ml-prod-t4-pool-a4e7f032-6tjl");

const kd::model::GpuNode *ledgerNode(GpuPane *pane, const QString &name) {
    for (const kd::model::GpuNode &n : pane->ledger().nodes())
        if (n.name == name)
            return &n;
    return nullptr;
}

bool recommenderPending(GpuPane *pane) {
    for (const kd::model::PendingGpuPod &p : pane->ledger().pendingPods())
        if (p.ownerId() == kRecommender)
            return true;
    return false;
}

// The chart row of a node's resource in which `owner` has a segment, -1 when none.
int rowWithOwner(GpuPane *pane, const QString &owner) {
    const auto &rows = pane->chart()->rows();
    for (int i = 0; i < static_cast<int>(rows.size()); ++i)
        for (const kd::widgets::AllocationSegment &s : rows[static_cast<std::size_t>(i)].used)
            if (s.owner == owner)
                return i;
    return -1;
}

} // namespace

class TestGpuPane : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        kd::testing::cleanGuiEnvironment();
        MainWindow::StartOptions options;
        options.sandbox = true;
        options.sandboxSpeed = 20;
        m_window = kd::testing::openWindow(options, QSize(1700, 1000));
        m_connection = m_window->connection();
        m_pane = m_window->gpus();
        QVERIFY(m_pane);
        m_tabs = m_window->findChild<QTabWidget *>(QStringLiteral("middleTabs"));
        QVERIFY(m_tabs);
    }

    void cleanupTestCase() { m_window.reset(); }

    void emptyUntilConnected() {
        // Before the cluster is read the pane says so in words, never blank.
        m_window->showView(3);
        QCOMPARE(m_tabs->currentWidget(), m_pane);
        QCOMPARE(m_tabs->tabText(m_tabs->indexOf(m_pane)), QStringLiteral("GPUs"));
        QCOMPARE(m_tabs->indexOf(m_pane), m_tabs->indexOf(m_window->topology()) + 1);
        if (m_connection->state() != Connection::State::Connected)
            QVERIFY2(!m_pane->emptyText().isEmpty(), "the pane is blank while connecting");
        QTRY_COMPARE_WITH_TIMEOUT(m_connection->state(), Connection::State::Connected,
                                  kConnectTimeoutMs);
    }

    void chartAndPending() {
        QTRY_VERIFY_WITH_TIMEOUT(ledgerNode(m_pane, kT4) && recommenderPending(m_pane), 60'000);
        m_pane->refreshNow();
        QVERIFY2(m_pane->emptyText().isEmpty(), qPrintable(m_pane->emptyText()));
        // One row per node and GPU resource: whole A100s and T4s, the H100's MIG profiles.
        QVERIFY(m_pane->chartRow(kA100, kGpu) >= 0);
        QVERIFY(m_pane->chartRow(kA100Other, kGpu) >= 0);
        QVERIFY(m_pane->chartRow(kT4, kGpu) >= 0);
        QVERIFY(m_pane->chartRow(kH100, QStringLiteral("nvidia.com/mig-1g.10gb")) >= 0);
        QVERIFY(m_pane->chartRow(kH100, QStringLiteral("nvidia.com/mig-3g.40gb")) >= 0);
        QCOMPARE(m_pane->chartRow(kH100, kGpu), -1);
        const auto &rows = m_pane->chart()->rows();
        const auto &a100 = rows[static_cast<std::size_t>(m_pane->chartRow(kA100, kGpu))];
        QCOMPARE(a100.capacity, 8.0);
        double used = 0;
        for (const auto &s : a100.used)
            used += s.value;
        QCOMPARE(used + a100.free + a100.unavailable, 8.0);
        // The T4 pool is full: recommender holds each T4.
        const auto &t4 = rows[static_cast<std::size_t>(m_pane->chartRow(kT4, kGpu))];
        QCOMPARE(t4.free, 0.0);
        QCOMPARE(t4.used.size(), std::size_t(1));
        QCOMPARE(t4.used[0].owner, kRecommender);
        QVERIFY2(t4.used[0].tooltip.contains(QLatin1String("recommender-")),
                 qPrintable(t4.used[0].tooltip));

        // The summary line counts whole GPUs and MIG slices apart and names the Pending pod.
        const QString summary = m_pane->summaryText();
        QVERIFY2(summary.contains(QLatin1String("of 19 GPUs used")), qPrintable(summary));
        QVERIFY2(summary.contains(QLatin1String("MIG slices")), qPrintable(summary));
        QVERIFY2(summary.contains(QLatin1String("1 GPU pod Pending")), qPrintable(summary));

        // recommender's surge pod waits for a T4, and the pane says why in full.
        const QStringList pending = m_pane->pendingTexts();
        QCOMPARE(pending.size(), 1);
        QVERIFY2(pending[0].contains(QLatin1String("recommender-")), qPrintable(pending[0]));
        QVERIFY2(pending[0].contains(QLatin1String("Deployment ml-serving/recommender")),
                 qPrintable(pending[0]));
        QVERIFY2(pending[0].contains(kGpu), qPrintable(pending[0]));
        QVERIFY2(pending[0].contains(QLatin1String("Insufficient nvidia.com/gpu")),
                 qPrintable(pending[0]));
        for (QLabel *l : m_pane->pendingList()->findChildren<QLabel *>()) {
            QTRY_VERIFY2(l->isVisible(), qPrintable(l->text()));
            QVERIFY2(l->height() >= l->heightForWidth(l->width()), qPrintable(l->text()));
        }

        // The table lists every GPU node under its pool.
        QTreeWidgetItem *t4Item = m_pane->tableItem(kT4, kGpu);
        QVERIFY(t4Item && t4Item->parent());
        QCOMPARE(t4Item->text(3), QStringLiteral("1 / 1"));
        QVERIFY(t4Item->text(6).contains(QLatin1String("recommender-")));
        QTest::qWait(200); // the splitter is fitted to the rows and cards after a layout pass
        QVERIFY(kd::testing::saveScreenshot(m_window.get(), QStringLiteral("gpu-pane")));
    }

    void clickSelectsWorkload() {
        m_window->showView(3);
        m_pane->refreshNow();
        const int row = rowWithOwner(m_pane, kRecommender);
        QVERIFY(row >= 0);
        const QRect segment = m_pane->chart()->segmentRect(row, kRecommender);
        QVERIFY(!segment.isEmpty());
        QSignalSpy selected(m_pane, &GpuPane::workloadSelected);
        // The chart's bars live in a child view: click where a user's click would land.
        QWidget *target = m_pane->chart()->childAt(segment.center());
        QVERIFY(target);
        QTest::mouseClick(target, Qt::LeftButton, {},
                          target->mapFrom(m_pane->chart(), segment.center()));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.first().at(0).toString(), QStringLiteral("deployments.apps"));
        QCOMPARE(selected.first().at(2).toString(), QStringLiteral("recommender"));
        // The topology shows it selected, and so does the browser.
        QCOMPARE(m_tabs->currentWidget(), m_window->topology());
        QCOMPARE(m_window->topology()->view()->selectedId(), kRecommender);
        QTRY_VERIFY(m_window->selectedObject());
        QCOMPARE(m_window->selectedObject()->name(), QStringLiteral("recommender"));
        QCOMPARE(m_window->selectedKindKey(), QStringLiteral("deployments.apps"));

        // The owner named on a Pending pod's card does the same.
        m_window->showView(3);
        auto *title = m_pane->pendingList()->findChild<QLabel *>(QStringLiteral("pendingTitle"));
        QVERIFY(title);
        emit title->linkActivated(kRecommender);
        QCOMPARE(selected.count(), 2);
        QCOMPARE(selected.last().at(1).toString(), QStringLiteral("ml-serving"));
        QCOMPARE(m_tabs->currentWidget(), m_window->topology());
    }

    void groupByNodePool() {
        m_window->showView(3);
        QComboBox *groupBy = m_pane->groupBy();
        const int pool = groupBy->findData(QStringLiteral("cloud.google.com/gke-nodepool"));
        QVERIFY2(pool > 0, qPrintable(QString::number(groupBy->count())));
        groupBy->setCurrentIndex(pool);
        emit groupBy->activated(pool);
        QCOMPARE(m_pane->ledger().poolLabel(), QStringLiteral("cloud.google.com/gke-nodepool"));
        const auto &rows = m_pane->chart()->rows();
        const auto &t4 = rows[static_cast<std::size_t>(m_pane->chartRow(kT4, kGpu))];
        QVERIFY2(t4.group.startsWith(QLatin1String("t4-pool")), qPrintable(t4.group));
        QVERIFY(
            m_pane->tableItem(kT4, kGpu)->parent()->text(0).startsWith(QLatin1String("t4-pool")));
        // Back to products.
        groupBy->setCurrentIndex(0);
        emit groupBy->activated(0);
        QVERIFY(m_pane->ledger().poolLabel().isEmpty());
        QVERIFY(m_pane->tableItem(kT4, kGpu)->parent()->text(0).contains(QLatin1String("T4")));
    }

    void whatIf() {
        m_window->showView(3);
        m_pane->details()->setCurrentIndex(1);
        // One more recommender: the T4s are full, so it stays Pending like the surge pod.
        QVERIFY(
            m_pane->setWhatIfWorkload(QStringLiteral("ml-serving"), QStringLiteral("recommender")));
        QCOMPARE(m_pane->whatIfGpus()->value(), 1);
        m_pane->whatIfReplicas()->setValue(4);
        QString text = m_pane->whatIfText();
        QVERIFY2(text.contains(QLatin1String("stay Pending")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("Insufficient nvidia.com/gpu")), qPrintable(text));
        QVERIFY(kd::testing::saveScreenshot(m_window.get(), QStringLiteral("gpu-pane-whatif")));

        // churn-predictor has room on the A100s: placed, nothing Pending.
        QVERIFY(m_pane->setWhatIfWorkload(QStringLiteral("ml-serving"),
                                          QStringLiteral("churn-predictor")));
        m_pane->whatIfReplicas()->setValue(4);
        text = m_pane->whatIfText();
        QVERIFY2(text.contains(QLatin1String("gke-ml-prod-a100-pool")), qPrintable(text));
        QVERIFY2(!text.contains(QLatin1String("stay Pending")), qPrintable(text));
        QVERIFY(
            kd::testing::saveScreenshot(m_window.get(), QStringLiteral("gpu-pane-whatif-placed")));

        // After a rollout to 4 GPUs a pod, 3 replicas no longer fit on the two A100 nodes.
        m_pane->whatIfReplicas()->setValue(3);
        m_pane->whatIfGpus()->setValue(4);
        text = m_pane->whatIfText();
        QVERIFY2(text.contains(QLatin1String("after a rollout to 4 GPUs per pod")),
                 qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("stay Pending")), qPrintable(text));
        m_pane->details()->setCurrentIndex(0);
    }

    void cordonUpdatesInPlace() {
        m_window->showView(3);
        m_pane->refreshNow();
        QTreeWidgetItem *t4Before = m_pane->tableItem(kT4, kGpu);
        QTreeWidgetItem *a100Before = m_pane->tableItem(kA100Other, kGpu);
        QVERIFY(t4Before && a100Before);
        const qint64 freeBefore = [this] {
            for (const auto &r : ledgerNode(m_pane, kA100Other)->resources)
                if (r.resource == kGpu)
                    return r.free();
            return qint64(-1);
        }();
        QVERIFY(freeBefore > 0);
        const auto *nodes = kd::model::browsedKind(QStringLiteral("nodes"));
        QVERIFY(nodes);
        kd::kube::Json patch;
        patch["spec"]["unschedulable"] = true;
        auto cordon = m_connection->client()->patch(
            kd::kube::ApiClient::objectPath(nodes->kind, QString(), kA100Other),
            kd::kube::PatchType::Merge, patch);
        QTRY_VERIFY_WITH_TIMEOUT(cordon.isFinished(), 20'000);
        QVERIFY(cordon.result().ok());
        // The watch brings it; the row's free GPUs become unavailable, the rows stay the same.
        QTRY_VERIFY_WITH_TIMEOUT(ledgerNode(m_pane, kA100Other)->unschedulable, 20'000);
        QTRY_VERIFY(
            m_pane->tableItem(kA100Other, kGpu)->text(5).contains(QLatin1String("Cordoned")));
        QCOMPARE(m_pane->tableItem(kA100Other, kGpu), a100Before);
        QCOMPARE(m_pane->tableItem(kT4, kGpu), t4Before);
        const auto &row =
            m_pane->chart()->rows()[static_cast<std::size_t>(m_pane->chartRow(kA100Other, kGpu))];
        QCOMPARE(row.free, 0.0);
        QCOMPARE(row.unavailable, static_cast<double>(freeBefore));
        QVERIFY2(m_pane->summaryText().contains(QLatin1String("on cordoned nodes")),
                 qPrintable(m_pane->summaryText()));

        // A dark desktop: the pane follows the palette.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xb5));
        dark.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
        const QPalette light = QApplication::palette();
        QApplication::setPalette(dark);
        QTest::qWait(400); // the coalesced refresh redraws the cards' links in the new colours
        QVERIFY(kd::testing::saveScreenshot(m_window.get(), QStringLiteral("gpu-pane-dark")));
        QApplication::setPalette(light);

        // Uncordon: the free GPUs are back.
        patch["spec"]["unschedulable"] = false;
        auto uncordon = m_connection->client()->patch(
            kd::kube::ApiClient::objectPath(nodes->kind, QString(), kA100Other),
            kd::kube::PatchType::Merge, patch);
        QTRY_VERIFY_WITH_TIMEOUT(uncordon.isFinished(), 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_pane->tableItem(kA100Other, kGpu)->text(5).contains(QLatin1String("Cordoned")),
            20'000);
    }

    void emptyStates() {
        // Disconnected, the pane says so instead of going blank.
        m_connection->disconnectFromCluster();
        QTRY_VERIFY(m_pane->emptyText().contains(QLatin1String("Not connected")));
        QVERIFY(m_pane->summaryText().isEmpty());

        // A cluster without GPUs.
        MainWindow::StartOptions options;
        options.sandbox = true;
        options.sandboxScenario = QStringLiteral("inference-api");
        options.sandboxSpeed = 20;
        auto window = kd::testing::openWindow(options, QSize(1400, 800));
        window->showView(3);
        QTRY_COMPARE_WITH_TIMEOUT(window->connection()->state(), Connection::State::Connected,
                                  kConnectTimeoutMs);
        QTRY_VERIFY2_WITH_TIMEOUT(
            window->gpus()->emptyText().contains(QLatin1String("No GPU nodes")),
            qPrintable(window->gpus()->emptyText()), 30'000);
        QVERIFY(kd::testing::saveScreenshot(window.get(), QStringLiteral("gpu-pane-no-gpus")));
    }

private:
    std::unique_ptr<MainWindow> m_window;
    Connection *m_connection = nullptr;
    GpuPane *m_pane = nullptr;
    QTabWidget *m_tabs = nullptr;
};

QTEST_MAIN(TestGpuPane)
#include "tst_gpupane.moc"
