#pragma once
// The live topology of the serving stack: Ingress → Service → Deployment/StatefulSet →
// ReplicaSet → Pod with health, GPUs and broken links, filtered by kind, label selector and
// "only problems". Drag a workload's replica handle to scale it: while dragging, the preview
// says what the cluster would do with the new pods (same fit as the scheduler); on release an
// Apply / Cancel box confirms; Apply scales with the replica count the user saw, Ctrl+Z scales
// back. RBAC locks the handle with the reason; an HPA-owned count offers the HPA's range.

#include "kube/kubeobject.h"
#include "model/topology.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;

namespace kd::model {
class ScalePredictor;
}
namespace kd::widgets {
class GraphView;
}

namespace kd::ui {

class Connection;
struct TopologyGraphOptions;

class TopologyPane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyPane)

public:
    explicit TopologyPane(Connection *connection, QWidget *parent = nullptr);
    ~TopologyPane() override;

    widgets::GraphView *view() const { return m_view; }
    const model::Topology &topology() const { return m_topology; }
    // Derives the topology and shows it now (normally changes are coalesced for 100 ms).
    void refreshNow();
    void setKindShown(model::TopologyNode::Kind kind, bool shown);
    QLineEdit *labelFilter() const { return m_labelFilter; }
    QCheckBox *onlyProblems() const { return m_onlyProblems; }
    QLineEdit *search() const { return m_search; }
    // The Apply / Cancel box after a handle was released; hidden otherwise.
    QWidget *confirmation() const { return m_confirm; }
    QWidget *hpaEditor() const { return m_hpaBox; }
    // Scales the last scaled workload back (Ctrl+Z).
    void undoScale();
    // Shows the graph as it is now and selects a card ("Deployment/ns/name"); false when the
    // card is not shown (another namespace, a filter).
    bool selectNode(const QString &id);

signals:
    void objectSelected(const QString &kindKey, const kd::kube::ObjectPtr &object);
    void message(const QString &text, bool error);
    // A scale or HPA change finished; tests wait for it.
    void writeFinished(bool ok);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct PendingScale {
        QString id;
        int from = 0;
        int to = 0;
    };
    void buildUi();
    void scheduleRefresh();
    TopologyGraphOptions graphOptions() const;
    void updatePermissions();
    void onNodeSelected(const QString &id);
    void onHandleStarted(const QString &id, int value);
    void onHandleValue(const QString &id, int value);
    void onHandleReleased(const QString &id, int from, int to);
    void onHandleBlocked(const QString &id, const QString &reason);
    void applyScale();
    void cancelScale();
    void sendScale(const PendingScale &scale, bool undo);
    void applyHpaRange();
    void placeBelow(QWidget *box, const QString &id);
    QString feasibilityText(const QString &id, int target);
    kube::ObjectPtr objectOf(const model::TopologyNode &node) const;
    QString hpaOf(const QString &workloadId, int *min, int *max) const;

    Connection *m_connection;
    widgets::GraphView *m_view = nullptr;
    model::Topology m_topology;
    QTimer *m_refresh = nullptr;
    QLineEdit *m_labelFilter = nullptr;
    QLabel *m_labelError = nullptr;
    QCheckBox *m_onlyProblems = nullptr;
    QLineEdit *m_search = nullptr;
    QToolButton *m_kindsButton = nullptr;
    QLabel *m_summary = nullptr;
    QSet<model::TopologyNode::Kind> m_kinds;
    QSet<QString> m_expanded;
    QSet<QString> m_collapsed;
    QHash<QString, QString> m_scaleDenied; // namespace/kind -> RBAC reason ("" = allowed)
    QHash<QString, int> m_scaling;         // workload id -> target sent, until the watch shows it

    QWidget *m_confirm = nullptr;
    QLabel *m_confirmText = nullptr;
    std::optional<PendingScale> m_pending;              // released, waiting for Apply / Cancel
    std::optional<PendingScale> m_lastScale;            // what Ctrl+Z undoes
    std::unique_ptr<model::ScalePredictor> m_predictor; // of the workload being dragged
    QString m_predictorId;

    QWidget *m_hpaBox = nullptr;
    QLabel *m_hpaText = nullptr;
    QSpinBox *m_hpaMin = nullptr;
    QSpinBox *m_hpaMax = nullptr;
    QString m_hpaId;
};

} // namespace kd::ui
