#pragma once
// The GPUs tab: who holds which GPUs on which node, grouped by pool (a node label or the GPU
// product), with a one-line summary, a chart of every node's GPU resources by owner, a table of
// the nodes, every Pending GPU pod with the reason in words and the scheduler's own message, and
// a "what if" that places more pods of a Deployment, or pods with another GPU request, with the
// scheduler's functions. A click on an owner selects that workload in the topology and the
// browser. Fed by model::GpuLedger, kept up to date from the object store's changes.

#include <QHash>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QScrollArea;
class QSpinBox;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;
class QVBoxLayout;

namespace kd::model {
class GpuLedger;
}
namespace kd::widgets {
class AllocationChart;
}

namespace kd::ui {

class Connection;

class GpuPane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GpuPane)

public:
    explicit GpuPane(Connection *connection, QWidget *parent = nullptr);
    ~GpuPane() override;

    const model::GpuLedger &ledger() const { return *m_ledger; }
    // Reads the ledger and shows it now (normally changes are coalesced for 150 ms).
    void refreshNow();

    QComboBox *groupBy() const { return m_groupBy; }
    QString summaryText() const;
    // The plain-words reason the pane shows instead of the GPUs; "" when it shows them.
    QString emptyText() const;
    widgets::AllocationChart *chart() const { return m_chart; }
    // Chart row of a node's GPU resource, -1 when not shown.
    int chartRow(const QString &node, const QString &resource) const;
    QTreeWidget *table() const { return m_table; }
    QTreeWidgetItem *tableItem(const QString &node, const QString &resource) const;
    QWidget *pendingList() const { return m_pendingList; }
    // One text per Pending GPU pod card: title, explanation and the scheduler's message.
    QStringList pendingTexts() const;

    QTabWidget *details() const { return m_detailTabs; }
    QComboBox *whatIfWorkload() const { return m_whatIfWorkload; }
    QSpinBox *whatIfReplicas() const { return m_whatIfReplicas; }
    QSpinBox *whatIfGpus() const { return m_whatIfGpus; }
    QString whatIfText() const;
    // Picks a Deployment ("ns/name") for "what if", with its replicas and GPU request.
    bool setWhatIfWorkload(const QString &ns, const QString &name);

signals:
    // A workload was picked (a chart segment or a Pending pod's owner).
    void workloadSelected(const QString &kindKey, const QString &ns, const QString &name);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    enum Column {
        NodeCol,
        ProductCol,
        ResourceCol,
        UsedCol,
        FreeCol,
        StateCol,
        PodsCol,
        ColumnCount
    };
    // "1 pod", "3 pods" (no translations are loaded, so no "%n pod(s)").
    static QString counted(qint64 n, const QString &one, const QString &many);
    void buildUi();
    QWidget *buildWhatIf();
    void scheduleRefresh();
    void onGroupByPicked(int index);
    void selectOwner(const QString &ownerId);
    bool updateEmptyState();
    void updateGroupBy();
    void updateSummary();
    void updateChart();
    void updateTable();
    // Columns as wide as the node rows' texts; growOnly keeps widths the user widened.
    void fitTableColumns(bool growOnly);
    // The chart and the Pending pods as tall as they need (within reason), the table the rest.
    void fitSplitter();
    void updatePending();
    void addPendingCard(QVBoxLayout *layout, int index);
    // What if: the Deployments to pick from, and the prediction for the picked one.
    void refreshWhatIf();
    void updateWhatIfChoices();
    void onWhatIfWorkloadPicked();
    void updateWhatIf();
    QString predictWhatIf(const QString &ns, const QString &name, int replicas, int gpus) const;

    Connection *m_connection;
    std::unique_ptr<model::GpuLedger> m_ledger;
    bool m_ledgerStale = true;    // changes arrived while hidden: rebuild on show
    bool m_workloadsDirty = true; // Deployments changed: refill the what-if picker
    bool m_synced = false;
    QString m_nodesProblem;
    QTimer *m_refresh = nullptr;

    QComboBox *m_groupBy = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_scopeNote = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QSplitter *m_splitter = nullptr;
    widgets::AllocationChart *m_chart = nullptr;
    QScrollArea *m_chartArea = nullptr;
    QHash<QString, int> m_chartRows; // "node|resource" -> chart row
    QLabel *m_pendingTitle = nullptr;
    QScrollArea *m_pendingArea = nullptr;
    QWidget *m_pendingList = nullptr;
    QString m_pendingShown; // what the cards show, to rebuild them only when it changes
    QString m_splitFor;     // the chart rows and cards the splitter was last fitted to
    QTabWidget *m_detailTabs = nullptr;
    QTreeWidget *m_table = nullptr;
    QString m_tableGrouping;
    QHash<QString, QTreeWidgetItem *> m_poolItems; // pool -> item
    QHash<QString, QTreeWidgetItem *> m_rowItems;  // "node|resource" -> item

    QComboBox *m_whatIfWorkload = nullptr;
    QSpinBox *m_whatIfReplicas = nullptr;
    QSpinBox *m_whatIfGpus = nullptr;
    QLabel *m_whatIfResource = nullptr;
    QLabel *m_whatIfResult = nullptr;
};

} // namespace kd::ui
