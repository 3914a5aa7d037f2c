#include "ui/topologypane.h"

#include "kube/apiclient.h"
#include "kube/permissions.h"
#include "kube/whendone.h"
#include "kube/writeops.h"
#include "model/columns.h"
#include "model/objects.h"
#include "model/scaleprediction.h"
#include "sandbox/selectors.h"
#include "semantics/jsonpath.h"
#include "ui/connection.h"
#include "ui/topologygraph.h"
#include "widgets/graphview.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace kd::ui {

using model::TopologyNode;
using Kind = TopologyNode::Kind;

namespace {

constexpr qreal kFirstZoom = 0.8;
const QString kDeployments = QStringLiteral("deployments.apps");
const QString kStatefulSets = QStringLiteral("statefulsets.apps");
const QString kHpas = QStringLiteral("horizontalpodautoscalers.autoscaling");

// The store's kind key of a topology node's object.
QString kindKeyOf(Kind kind) {
    switch (kind) {
    case Kind::Ingress:
        return QStringLiteral("ingresses.networking.k8s.io");
    case Kind::Service:
        return QStringLiteral("services");
    case Kind::Deployment:
        return kDeployments;
    case Kind::StatefulSet:
        return kStatefulSets;
    case Kind::ReplicaSet:
        return QStringLiteral("replicasets.apps");
    case Kind::Pod:
        return QStringLiteral("pods");
    case Kind::HorizontalPodAutoscaler:
        return kHpas;
    case Kind::PodDisruptionBudget:
        return QStringLiteral("poddisruptionbudgets.policy");
    case Kind::Missing:
        return {};
    }
    return {};
}

const QList<Kind> &filterableKinds() {
    static const QList<Kind> kinds{Kind::Ingress,
                                   Kind::Service,
                                   Kind::Deployment,
                                   Kind::StatefulSet,
                                   Kind::ReplicaSet,
                                   Kind::Pod,
                                   Kind::HorizontalPodAutoscaler,
                                   Kind::PodDisruptionBudget};
    return kinds;
}

QWidget *popupBox(QWidget *parent, const QString &objectName) {
    auto *box = new QFrame(parent);
    box->setObjectName(objectName);
    box->setFrameShape(QFrame::StyledPanel);
    box->setAutoFillBackground(true);
    box->setStyleSheet(
        QStringLiteral("QFrame#%1 { background: palette(tooltip-base);"
                       " border: 1px solid palette(highlight); border-radius: 6px; }")
            .arg(objectName));
    box->hide();
    return box;
}

} // namespace

TopologyPane::TopologyPane(Connection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection) {
    setObjectName(QStringLiteral("topologyPane"));
    for (Kind k : filterableKinds())
        m_kinds.insert(k);
    buildUi();
    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(100);
    connect(m_refresh, &QTimer::timeout, this, &TopologyPane::refreshNow);
    model::ObjectStore *store = m_connection->store();
    connect(store, &model::ObjectStore::objectsChanged, this, &TopologyPane::scheduleRefresh);
    connect(store, &model::ObjectStore::reset, this, &TopologyPane::scheduleRefresh);
    // Once every kind has arrived, lay the complete picture out cleanly.
    connect(m_connection, &Connection::synced, this, [this] {
        if (!isVisible())
            return;
        refreshNow();
        m_view->relayout();
    });
    connect(m_connection, &Connection::stateChanged, this, [this] {
        m_scaleDenied.clear();
        scheduleRefresh();
    });
}

TopologyPane::~TopologyPane() = default;

void TopologyPane::buildUi() {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("topologySearch"));
    m_search->setPlaceholderText(tr("Find (Enter: next)"));
    m_search->setClearButtonEnabled(true);
    m_labelFilter = new QLineEdit(this);
    m_labelFilter->setObjectName(QStringLiteral("topologyLabels"));
    m_labelFilter->setPlaceholderText(tr("Label selector, e.g. app=churn-predictor,tier!=batch"));
    m_labelFilter->setClearButtonEnabled(true);
    m_labelError = new QLabel(this);
    m_labelError->setObjectName(QStringLiteral("topologyLabelError"));
    m_labelError->setStyleSheet(QStringLiteral("color: #d03434;"));
    m_labelError->hide();
    m_kindsButton = new QToolButton(this);
    m_kindsButton->setObjectName(QStringLiteral("topologyKinds"));
    m_kindsButton->setText(tr("Kinds"));
    m_kindsButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_kindsButton);
    for (Kind k : filterableKinds()) {
        QAction *a = menu->addAction(model::Topology::kindName(k));
        a->setCheckable(true);
        a->setChecked(true);
        connect(a, &QAction::toggled, this, [this, k](bool on) { setKindShown(k, on); });
    }
    m_kindsButton->setMenu(menu);
    m_onlyProblems = new QCheckBox(tr("Only problems"), this);
    m_onlyProblems->setObjectName(QStringLiteral("topologyOnlyProblems"));
    auto *fit = new QPushButton(tr("Fit"), this);
    fit->setToolTip(tr("Show the whole graph (0)"));
    auto *tidy = new QPushButton(tr("Tidy"), this);
    tidy->setToolTip(tr("Lay the graph out anew"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("topologySummary"));
    bar->addWidget(m_search, 2);
    bar->addWidget(m_labelFilter, 3);
    bar->addWidget(m_kindsButton);
    bar->addWidget(m_onlyProblems);
    bar->addWidget(fit);
    bar->addWidget(tidy);
    layout->addLayout(bar);
    layout->addWidget(m_labelError);
    m_view = new widgets::GraphView(this);
    m_view->setObjectName(QStringLiteral("topologyView"));
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);

    // The scale confirmation.
    m_confirm = popupBox(this, QStringLiteral("scaleConfirmation"));
    auto *confirmLayout = new QVBoxLayout(m_confirm);
    m_confirmText = new QLabel(m_confirm);
    m_confirmText->setWordWrap(true);
    m_confirmText->setMinimumWidth(320);
    auto *buttons = new QHBoxLayout;
    auto *apply = new QPushButton(tr("Apply"), m_confirm);
    apply->setObjectName(QStringLiteral("applyScale"));
    apply->setDefault(true);
    auto *cancel = new QPushButton(tr("Cancel"), m_confirm);
    cancel->setObjectName(QStringLiteral("cancelScale"));
    buttons->addStretch();
    buttons->addWidget(cancel);
    buttons->addWidget(apply);
    confirmLayout->addWidget(m_confirmText);
    confirmLayout->addLayout(buttons);
    connect(apply, &QPushButton::clicked, this, &TopologyPane::applyScale);
    connect(cancel, &QPushButton::clicked, this, &TopologyPane::cancelScale);
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), m_confirm);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &TopologyPane::cancelScale);

    // The HPA range editor.
    m_hpaBox = popupBox(this, QStringLiteral("hpaEditor"));
    auto *hpaLayout = new QVBoxLayout(m_hpaBox);
    m_hpaText = new QLabel(m_hpaBox);
    m_hpaText->setWordWrap(true);
    m_hpaText->setMinimumWidth(320);
    auto *range = new QHBoxLayout;
    m_hpaMin = new QSpinBox(m_hpaBox);
    m_hpaMin->setObjectName(QStringLiteral("hpaMin"));
    m_hpaMin->setRange(1, 10000);
    m_hpaMax = new QSpinBox(m_hpaBox);
    m_hpaMax->setObjectName(QStringLiteral("hpaMax"));
    m_hpaMax->setRange(1, 10000);
    auto *hpaApply = new QPushButton(tr("Apply"), m_hpaBox);
    hpaApply->setObjectName(QStringLiteral("applyHpa"));
    auto *hpaCancel = new QPushButton(tr("Cancel"), m_hpaBox);
    range->addWidget(new QLabel(tr("min"), m_hpaBox));
    range->addWidget(m_hpaMin);
    range->addWidget(new QLabel(tr("max"), m_hpaBox));
    range->addWidget(m_hpaMax);
    range->addStretch();
    range->addWidget(hpaCancel);
    range->addWidget(hpaApply);
    hpaLayout->addWidget(m_hpaText);
    hpaLayout->addLayout(range);
    connect(hpaApply, &QPushButton::clicked, this, &TopologyPane::applyHpaRange);
    connect(hpaCancel, &QPushButton::clicked, m_hpaBox, &QWidget::hide);

    auto *undo = new QShortcut(QKeySequence::Undo, this);
    undo->setContext(Qt::WidgetWithChildrenShortcut);
    connect(undo, &QShortcut::activated, this, &TopologyPane::undoScale);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        const int n = m_view->setSearchText(text);
        m_search->setToolTip(text.isEmpty() ? QString() : tr("%n match(es)", nullptr, n));
    });
    connect(m_search, &QLineEdit::returnPressed, m_view, &widgets::GraphView::focusNextMatch);
    connect(m_labelFilter, &QLineEdit::textChanged, this, &TopologyPane::scheduleRefresh);
    connect(m_onlyProblems, &QCheckBox::toggled, this, &TopologyPane::refreshNow);
    connect(fit, &QPushButton::clicked, m_view, &widgets::GraphView::fitAll);
    connect(tidy, &QPushButton::clicked, m_view, &widgets::GraphView::relayout);
    connect(m_view, &widgets::GraphView::nodeSelected, this, &TopologyPane::onNodeSelected);
    connect(m_view, &widgets::GraphView::groupToggleRequested, this, [this](const QString &id) {
        const bool open = m_view->isShown(widgets::GraphView::groupNodeId(id));
        if (open) {
            m_expanded.insert(id);
            m_collapsed.remove(id);
        } else {
            m_expanded.remove(id);
            m_collapsed.insert(id);
        }
        refreshNow();
    });
    connect(m_view, &widgets::GraphView::handleValueChanged, this, &TopologyPane::onHandleValue);
    connect(m_view, &widgets::GraphView::handleDragStarted, this, &TopologyPane::onHandleStarted);
    connect(m_view, &widgets::GraphView::handleReleased, this, &TopologyPane::onHandleReleased);
    connect(m_view, &widgets::GraphView::handleBlocked, this, &TopologyPane::onHandleBlocked);
}

void TopologyPane::setKindShown(Kind kind, bool shown) {
    if (shown)
        m_kinds.insert(kind);
    else
        m_kinds.remove(kind);
    refreshNow();
}

void TopologyPane::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    scheduleRefresh();
}

void TopologyPane::scheduleRefresh() {
    if (isVisible() && !m_refresh->isActive())
        m_refresh->start();
}

kube::ObjectPtr TopologyPane::objectOf(const TopologyNode &node) const {
    const QString key = kindKeyOf(node.kind);
    return key.isEmpty() ? nullptr : m_connection->store()->get(key, node.namespaceName, node.name);
}

QString TopologyPane::hpaOf(const QString &workloadId, int *min, int *max) const {
    for (const model::TopologyEdge *e : m_topology.edgesTo(workloadId))
        if (e->relation == model::TopologyEdge::Relation::Scales)
            if (const TopologyNode *hpa = m_topology.node(e->from)) {
                *min = hpa->minReplicas;
                *max = hpa->maxReplicas;
                return hpa->id;
            }
    return {};
}

TopologyGraphOptions TopologyPane::graphOptions() const {
    TopologyGraphOptions o;
    o.kinds = m_kinds;
    o.onlyProblems = m_onlyProblems->isChecked();
    o.expanded = m_expanded;
    o.collapsed = m_collapsed;
    o.scaling = m_scaling;
    const QString text = m_labelFilter->text().trimmed();
    if (!text.isEmpty()) {
        std::string error;
        auto selector = sandbox::LabelSelector::parse(text.toStdString(), &error);
        m_labelError->setVisible(!selector);
        m_labelError->setText(tr("Label selector: %1").arg(QString::fromStdString(error)));
        if (selector)
            o.labelMatch = [this, s = *selector](const TopologyNode &n) {
                const kube::ObjectPtr obj = objectOf(n);
                if (!obj)
                    return false;
                const kube::Json &labels = semantics::jsonAt(obj->json(), {"metadata", "labels"});
                return s.matches(nlohmann::json(labels)); // a small explicit copy of the labels
            };
    } else {
        m_labelError->hide();
    }
    for (const TopologyNode &n : m_topology.nodes()) {
        if (n.kind != Kind::Deployment && n.kind != Kind::StatefulSet)
            continue;
        const QString kindKey = kindKeyOf(n.kind);
        const QString denied = m_scaleDenied.value(n.namespaceName + u'/' + kindKey);
        int min = 0;
        int max = 0;
        const QString hpa = hpaOf(n.id, &min, &max);
        if (!m_connection->client())
            o.handleLocked.insert(n.id, tr("Not connected to a cluster."));
        else if (!denied.isEmpty())
            o.handleLocked.insert(n.id, denied);
        else if (!hpa.isEmpty())
            o.handleLocked.insert(
                n.id, tr("HorizontalPodAutoscaler %1 owns the replica count (min %2, max %3): a "
                         "manual scale would be undone. Click to change its range instead.")
                          .arg(hpa.section(u'/', 2))
                          .arg(min)
                          .arg(max));
    }
    return o;
}

void TopologyPane::refreshNow() {
    m_refresh->stop();
    m_topology = model::Topology::derive(*m_connection->store(), m_connection->namespaceName());
    // A sent scale is done once the watch shows the new spec.replicas.
    for (auto it = m_scaling.begin(); it != m_scaling.end();) {
        const TopologyNode *n = m_topology.node(it.key());
        if (!n || n->desiredReplicas == it.value())
            it = m_scaling.erase(it);
        else
            ++it;
    }
    updatePermissions();
    const bool first = m_view->shownNodeCount() == 0;
    m_view->setGraph(topologyGraph(m_topology, graphOptions()));
    if (first && m_view->shownNodeCount() > 0) {
        // The whole graph when it is readable that way, else readable from the top left.
        m_view->fitAll();
        if (m_view->zoom() < kFirstZoom) {
            m_view->setTransform(QTransform::fromScale(kFirstZoom, kFirstZoom));
            m_view->horizontalScrollBar()->setValue(m_view->horizontalScrollBar()->minimum());
            m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->minimum());
        }
    }
    if (!m_search->text().isEmpty())
        m_view->setSearchText(m_search->text());
    const QStringList problems = m_topology.problems();
    int pods = 0;
    qint64 gpus = 0;
    qint64 slices = 0; // MIG slices are not whole GPUs
    for (const TopologyNode &n : m_topology.nodes())
        if (n.kind == Kind::Pod) {
            ++pods;
            (n.gpuUnit == QLatin1String("GPU") ? gpus : slices) += n.gpusPerPod;
        }
    m_summary->setText(tr("%n pod(s)", nullptr, pods) + tr(" · %1 GPUs requested").arg(gpus) +
                       (slices > 0 ? tr(" · %1 MIG slices").arg(slices) : QString()) +
                       (problems.isEmpty()
                            ? QString()
                            : tr(" · <span style='color:#d03434'>%n problem(s)</span>", nullptr,
                                 static_cast<int>(problems.size()))));
    m_summary->setToolTip(problems.join(u'\n'));
}

void TopologyPane::updatePermissions() {
    kube::Permissions *permissions = m_connection->permissions();
    if (!permissions)
        return;
    QSet<QString> asked;
    for (const TopologyNode &n : m_topology.nodes()) {
        if (n.kind != Kind::Deployment && n.kind != Kind::StatefulSet)
            continue;
        const QString kindKey = kindKeyOf(n.kind);
        const QString key = n.namespaceName + u'/' + kindKey;
        if (m_scaleDenied.contains(key) || asked.contains(key))
            continue;
        asked.insert(key);
        const model::BrowsedKind *kind = model::browsedKind(kindKey);
        kube::AccessQuery q{QStringLiteral("patch"), kind->kind.group, kind->kind.resource,
                            QStringLiteral("scale"), n.namespaceName,  QString()};
        const QString what = kind->kind.resource + QStringLiteral("/scale");
        const QString ns = n.namespaceName;
        auto reason = [what, ns](const kube::AccessAnswer &a) {
            return a.allowed ? QString()
                             : tr("Your account may not patch %1 in namespace \"%2\" (RBAC).")
                                   .arg(what, ns);
        };
        if (auto cached = permissions->cached(q)) {
            m_scaleDenied.insert(key, reason(*cached));
            continue;
        }
        kube::whenDone(this, permissions->check(q),
                       [this, key, reason](kube::Result<kube::AccessAnswer> answer) {
                           if (!answer)
                               return; // asked again at the next refresh
                           m_scaleDenied.insert(key, reason(*answer));
                           scheduleRefresh();
                       });
    }
}

bool TopologyPane::selectNode(const QString &id) {
    refreshNow();
    m_view->selectNode(id);
    return m_view->selectedId() == id;
}

void TopologyPane::onNodeSelected(const QString &id) {
    const TopologyNode *n = m_topology.node(id);
    if (!n)
        return;
    if (kube::ObjectPtr obj = objectOf(*n))
        emit objectSelected(kindKeyOf(n->kind), obj);
}

QString TopologyPane::feasibilityText(const QString &id, int target) {
    const TopologyNode *n = m_topology.node(id);
    if (!n)
        return {};
    // One reading of the cluster per drag; each step of the drag is then a prediction only.
    if (!m_predictor || m_predictorId != id) {
        m_predictor = std::make_unique<model::ScalePredictor>(
            *m_connection->store(), kindKeyOf(n->kind), n->namespaceName, n->name);
        m_predictorId = id;
    }
    if (!m_predictor->isValid())
        return tr("%1 is no longer in the cluster.").arg(n->name);
    const semantics::ScaleFeasibility f = m_predictor->predict(target);
    QString text = QString::fromStdString(f.summary());
    if (f.pending > 0 && !f.pendingMessage.empty())
        text += u'\n' + QString::fromStdString(f.pendingMessage);
    return text;
}

void TopologyPane::onHandleStarted(const QString &id, int value) {
    m_predictor.reset(); // read the cluster as it is now
    onHandleValue(id, value);
}

void TopologyPane::onHandleValue(const QString &id, int value) {
    m_hpaBox->hide();
    m_view->setHandlePreview(feasibilityText(id, value));
}

void TopologyPane::placeBelow(QWidget *box, const QString &id) {
    const QRect card = m_view->viewportRectOf(id);
    QPoint at = m_view->viewport()->mapTo(this, card.bottomLeft() + QPoint(0, 8));
    box->adjustSize();
    at.setX(std::clamp(at.x(), 0, std::max(0, width() - box->width())));
    at.setY(std::clamp(at.y(), 0, std::max(0, height() - box->height())));
    box->move(at);
    box->show();
    box->raise();
}

void TopologyPane::onHandleReleased(const QString &id, int from, int to) {
    const TopologyNode *n = m_topology.node(id);
    if (!n)
        return;
    m_pending = PendingScale{id, from, to};
    m_confirmText->setText(
        tr("<b>Scale %1 %2/%3 from %4 to %5 replicas?</b><br>%6")
            .arg(model::Topology::kindName(n->kind), n->namespaceName, n->name)
            .arg(from)
            .arg(to)
            .arg(feasibilityText(id, to).toHtmlEscaped().replace(u'\n', QStringLiteral("<br>"))));
    placeBelow(m_confirm, id);
    m_confirm->findChild<QPushButton *>(QStringLiteral("applyScale"))->setFocus();
}

void TopologyPane::cancelScale() {
    m_pending.reset();
    m_confirm->hide();
    m_view->endHandlePreview();
    m_view->setFocus();
}

void TopologyPane::applyScale() {
    if (!m_pending)
        return;
    const PendingScale scale = *m_pending;
    m_pending.reset();
    m_confirm->hide();
    m_view->endHandlePreview();
    sendScale(scale, false);
}

void TopologyPane::undoScale() {
    if (!m_lastScale) {
        emit message(tr("Nothing to undo."), false);
        return;
    }
    const PendingScale back{m_lastScale->id, m_lastScale->to, m_lastScale->from};
    m_lastScale.reset();
    sendScale(back, true);
}

void TopologyPane::sendScale(const PendingScale &scale, bool undo) {
    const TopologyNode *n = m_topology.node(scale.id);
    kube::ApiClient *client = m_connection->client();
    if (!n || !client)
        return;
    const model::BrowsedKind *kind = model::browsedKind(kindKeyOf(n->kind));
    const QString what =
        model::Topology::kindName(n->kind) + u' ' + n->namespaceName + u'/' + n->name;
    // Only if the count is still what the user saw: a change in between wins over the drag.
    auto write = kube::scale(*client, kind->kind, n->namespaceName, n->name, scale.to, scale.from);
    m_scaling.insert(scale.id, scale.to);
    refreshNow(); // `n` is gone from here on
    kube::whenDone(
        this, std::move(write), [this, scale, what, undo](kube::Result<kube::Json> result) {
            if (!result) {
                m_scaling.remove(scale.id);
                emit message(tr("Could not scale %1: %2").arg(what, result.error().message), true);
            } else {
                if (!undo)
                    m_lastScale = scale;
                emit message(undo ? tr("Scaled %1 back to %2 replicas.").arg(what).arg(scale.to)
                                  : tr("Scaled %1 from %2 to %3 replicas (Ctrl+Z "
                                       "scales back).")
                                        .arg(what)
                                        .arg(scale.from)
                                        .arg(scale.to),
                             false);
            }
            refreshNow();
            emit writeFinished(result.ok());
        });
}

void TopologyPane::onHandleBlocked(const QString &id, const QString &reason) {
    const TopologyNode *n = m_topology.node(id);
    int min = 0;
    int max = 0;
    const QString hpa = n ? hpaOf(id, &min, &max) : QString();
    if (hpa.isEmpty() ||
        !m_scaleDenied.value(n->namespaceName + u'/' + kindKeyOf(n->kind)).isEmpty()) {
        emit message(reason, false); // the lock is RBAC or the connection: say why
        return;
    }
    m_hpaId = hpa;
    m_hpaText->setText(tr("<b>%1 is scaled by HorizontalPodAutoscaler %2.</b><br>Dragging would "
                          "be undone at its next sync. Change the range it keeps %1 in:")
                           .arg(n->name, hpa.section(u'/', 2)));
    m_hpaMin->setValue(min);
    m_hpaMax->setValue(max);
    placeBelow(m_hpaBox, id);
}

void TopologyPane::applyHpaRange() {
    const TopologyNode *hpa = m_topology.node(m_hpaId);
    kube::ApiClient *client = m_connection->client();
    if (!hpa || !client)
        return;
    if (m_hpaMin->value() > m_hpaMax->value()) {
        m_hpaText->setText(tr("<b>min must not be above max.</b>"));
        return;
    }
    m_hpaBox->hide();
    const model::BrowsedKind *kind = model::browsedKind(kHpas);
    kube::Json patch;
    patch["spec"]["minReplicas"] = m_hpaMin->value();
    patch["spec"]["maxReplicas"] = m_hpaMax->value();
    const QString what = tr("HorizontalPodAutoscaler %1/%2").arg(hpa->namespaceName, hpa->name);
    const int min = m_hpaMin->value();
    const int max = m_hpaMax->value();
    kube::whenDone(
        this,
        client->patch(kube::ApiClient::objectPath(kind->kind, hpa->namespaceName, hpa->name),
                      kube::PatchType::Merge, patch),
        [this, what, min, max](kube::Result<kube::Json> result) {
            emit message(
                result ? tr("%1 now keeps between %2 and %3 replicas.").arg(what).arg(min).arg(max)
                       : tr("Could not change %1: %2").arg(what, result.error().message),
                !result.ok());
            emit writeFinished(result.ok());
        });
}

} // namespace kd::ui
