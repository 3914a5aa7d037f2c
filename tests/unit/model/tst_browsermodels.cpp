// The resource browser's models follow the store incrementally and pass Qt's model tester.
#include "model/kindtreemodel.h"
#include "model/resourcetablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using kd::kube::Delta;
using kd::kube::DeltaBatch;
using kd::kube::Json;
using kd::kube::KubeObject;
using kd::kube::ObjectPtr;

namespace {

const kd::kube::ResourceKind kPods{QString(), QStringLiteral("v1"), QStringLiteral("pods"),
                                   QStringLiteral("Pod"), true};

ObjectPtr pod(const std::string &ns, const std::string &name, const std::string &phase,
              int restarts = 0, const std::string &rv = "1") {
    Json j = {
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata",
         {{"name", name},
          {"namespace", ns},
          {"uid", ns + "-" + name},
          {"resourceVersion", rv},
          {"creationTimestamp", "2026-11-24T10:00:00Z"}}},
        {"spec",
         {{"nodeName", "gpu-node-1"},
          {"containers", Json::array({{{"name", "server"},
                                       {"resources", {{"limits", {{"nvidia.com/gpu", "1"}}}}}}})}}},
        {"status",
         {{"phase", phase},
          {"containerStatuses",
           Json::array(
               {{{"ready", phase == "Running"},
                 {"restartCount", restarts},
                 {"state", {{phase == "Running" ? "running" : "waiting", Json::object()}}}}})}}}};
    return std::make_shared<KubeObject>(j);
}

DeltaBatch replaceBatch(std::vector<ObjectPtr> objects) {
    DeltaBatch b;
    b.kind = kPods;
    b.replace = true;
    for (auto &o : objects)
        b.deltas.push_back({Delta::Type::Added, o});
    return b;
}

DeltaBatch deltaBatch(Delta::Type type, ObjectPtr o) {
    DeltaBatch b;
    b.kind = kPods;
    b.deltas.push_back({type, std::move(o)});
    return b;
}

QString cell(const QAbstractItemModel &m, int row, const QString &column) {
    for (int c = 0; c < m.columnCount(); ++c)
        if (m.headerData(c, Qt::Horizontal).toString() == column)
            return m.index(row, c).data().toString();
    return QStringLiteral("<no column %1>").arg(column);
}

} // namespace

class TestBrowserModels : public QObject {
    Q_OBJECT

private slots:
    void tableFollowsTheStore() {
        kd::model::ObjectStore store;
        kd::model::ResourceTableModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClock([] {
            return QDateTime::fromString(QStringLiteral("2026-11-24T10:05:00Z"), Qt::ISODate);
        });
        model.setKind(QStringLiteral("pods"));
        QCOMPARE(model.rowCount(), 0);
        store.applyBatch(replaceBatch(
            {pod("ml", "a", "Running"), pod("ml", "b", "Pending"), pod("web", "c", "Running", 4)}));
        QCOMPARE(model.rowCount(), 3);
        QStringList headers;
        for (int c = 0; c < model.columnCount(); ++c)
            headers << model.headerData(c, Qt::Horizontal).toString();
        QCOMPARE(headers.join(u','), QStringLiteral("Name,Namespace,Ready,Status,Restarts,Age,Node,"
                                                    "GPU requests"));
        int rowC = model.rowOfUid(QStringLiteral("web-c"));
        QVERIFY(rowC >= 0);
        QCOMPARE(cell(model, rowC, QStringLiteral("Restarts")), QStringLiteral("4"));
        QCOMPARE(cell(model, rowC, QStringLiteral("Age")), QStringLiteral("5m"));
        QCOMPARE(cell(model, rowC, QStringLiteral("GPU requests")),
                 QStringLiteral("nvidia.com/gpu: 1"));
        QCOMPARE(model.index(rowC, 4).data(kd::model::ResourceTableModel::SortRole).toInt(), 4);

        // One pod changes: one row changes, nothing is inserted or removed.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        int rowB = model.rowOfUid(QStringLiteral("ml-b"));
        store.applyBatch(deltaBatch(Delta::Type::Modified, pod("ml", "b", "Running", 0, "2")));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), rowB);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(cell(model, rowB, QStringLiteral("Status")), QStringLiteral("Running"));
        QCOMPARE(model.index(rowB, 0).data(kd::model::ResourceTableModel::HealthRole).toInt(), 0);

        store.applyBatch(deltaBatch(Delta::Type::Added, pod("ml", "d", "Pending")));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 4);
        store.applyBatch(deltaBatch(Delta::Type::Deleted, pod("ml", "a", "Running")));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOfUid(QStringLiteral("ml-a")), -1);
        QCOMPARE(model.objectAt(model.rowOfUid(QStringLiteral("ml-d")))->name(),
                 QStringLiteral("d"));
        QCOMPARE(reset.count(), 0);
    }

    void namespaceFilter() {
        kd::model::ObjectStore store;
        kd::model::ResourceTableModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setKind(QStringLiteral("pods"));
        store.applyBatch(replaceBatch({pod("ml", "a", "Running"), pod("web", "c", "Running")}));
        model.setNamespaceFilter(QStringLiteral("ml"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("Ready"));
        store.applyBatch(deltaBatch(Delta::Type::Added, pod("web", "x", "Running")));
        QCOMPARE(model.rowCount(), 1);
        store.applyBatch(deltaBatch(Delta::Type::Added, pod("ml", "y", "Running")));
        QCOMPARE(model.rowCount(), 2);
    }

    void kindTreeCounts() {
        kd::model::ObjectStore store;
        kd::model::KindTreeModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QModelIndex pods = model.indexOfKind(QStringLiteral("pods"));
        QVERIFY(pods.isValid());
        QCOMPARE(pods.parent().data().toString(), QStringLiteral("Workloads"));
        QCOMPARE(pods.data().toString(), QStringLiteral("Pods (0)"));
        store.applyBatch(replaceBatch({pod("ml", "a", "Running"), pod("web", "c", "Running")}));
        QCOMPARE(pods.data().toString(), QStringLiteral("Pods (2)"));
        model.setNamespaceFilter(QStringLiteral("web"));
        QCOMPARE(pods.data(kd::model::KindTreeModel::CountRole).toInt(), 1);
        model.setKindProblem(QStringLiteral("pods"),
                             QStringLiteral("forbidden: User \"viewer\" cannot list pods"));
        QCOMPARE(pods.data().toString(), QStringLiteral("Pods (forbidden)"));
        QVERIFY(pods.data(Qt::ToolTipRole).toString().contains(QLatin1String("cannot list")));
        QVERIFY(!model.indexOfKind(QStringLiteral("frobs")).isValid());
    }
};

QTEST_GUILESS_MAIN(TestBrowserModels)
#include "tst_browsermodels.moc"
