#include "ui/gpupane.h"

#include "model/columns.h"
#include "model/gpuledger.h"
#include "ui/connection.h"
#include "widgets/allocationchart.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace kd::ui {

namespace {

const QString kGroupByKey = QStringLiteral("gpus/groupBy");

// MIG slices are parts of a GPU; the summary counts them apart from whole GPUs.
bool isMigResource(const QString &resource) {
    return resource.contains(QLatin1String("/mig-"));
}

} // namespace

GpuPane::GpuPane(Connection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_ledger(std::make_unique<model::GpuLedger>(connection->store())) {
    setObjectName(QStringLiteral("gpuPane"));
    m_ledger->setPoolLabel(QSettings().value(kGroupByKey).toString());
    buildUi();
    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(150);
    connect(m_refresh, &QTimer::timeout, this, &GpuPane::refreshNow);

    model::ObjectStore *store = m_connection->store();
    connect(store, &model::ObjectStore::objectsChanged, this,
            [this](const QString &kindKey, const model::ObjectList &added,
                   const model::ObjectList &modified, const model::ObjectList &removed) {
                if (kindKey == QLatin1String("deployments.apps")) {
                    m_workloadsDirty = true;
                    scheduleRefresh();
                    return;
                }
                // Hidden, the ledger is left alone and read anew when the tab is shown.
                if (!isVisible())
                    m_ledgerStale = true;
                if (m_ledgerStale)
                    return;
                m_ledger->apply(kindKey, added, modified, removed);
                if (kindKey == QLatin1String("nodes") || kindKey == QLatin1String("pods") ||
                    kindKey == QLatin1String("events"))
                    scheduleRefresh();
            });
    connect(store, &model::ObjectStore::reset, this, [this] {
        m_ledgerStale = true;
        m_workloadsDirty = true;
        scheduleRefresh();
    });
    connect(m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state != Connection::State::Connected) {
            m_synced = false;
            m_nodesProblem.clear();
        }
        scheduleRefresh();
    });
    connect(m_connection, &Connection::synced, this, [this] {
        m_synced = true;
        scheduleRefresh();
    });
    connect(m_connection, &Connection::kindProblem, this,
            [this](const QString &kindKey, const QString &problem) {
                if (kindKey == QLatin1String("nodes")) {
                    m_nodesProblem = problem;
                    scheduleRefresh();
                }
            });
}

GpuPane::~GpuPane() = default;

QString GpuPane::counted(qint64 n, const QString &one, const QString &many) {
    return QString::number(n) + u' ' + (n == 1 ? one : many);
}

void GpuPane::buildUi() {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 0);
    auto *groupLabel = new QLabel(tr("Group by"), this);
    m_groupBy = new QComboBox(this);
    m_groupBy->setObjectName(QStringLiteral("gpuGroupBy"));
    m_groupBy->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_groupBy->setToolTip(tr("Pools: nodes with the same GPU product, or the same value of a node "
                             "label such as the cloud's node pool"));
    groupLabel->setBuddy(m_groupBy);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("gpuSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(groupLabel);
    bar->addWidget(m_groupBy);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);
    layout->addLayout(bar);
    m_scopeNote = new QLabel(this);
    m_scopeNote->setObjectName(QStringLiteral("gpuScopeNote"));
    m_scopeNote->setWordWrap(true);
    m_scopeNote->setStyleSheet(QStringLiteral("color: #b36b00; padding: 0 4px;"));
    m_scopeNote->hide();
    layout->addWidget(m_scopeNote);

    m_stack = new QStackedWidget(this);
    m_empty = new QLabel(m_stack);
    m_empty->setObjectName(QStringLiteral("gpuEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(40);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stack->addWidget(m_empty);

    m_splitter = new QSplitter(Qt::Vertical, m_stack);
    m_splitter->setObjectName(QStringLiteral("gpuSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_chartArea = new QScrollArea(m_splitter);
    m_chartArea->setWidgetResizable(true);
    m_chartArea->setFrameShape(QFrame::NoFrame);
    m_chart = new widgets::AllocationChart(m_chartArea);
    m_chart->setObjectName(QStringLiteral("gpuChart"));
    m_chartArea->setWidget(m_chart);
    connect(m_chart, &widgets::AllocationChart::ownerClicked, this,
            [this](const QString &owner) { selectOwner(owner); });

    auto *pendingBox = new QWidget(m_splitter);
    auto *pendingLayout = new QVBoxLayout(pendingBox);
    pendingLayout->setContentsMargins(4, 4, 4, 0);
    pendingLayout->setSpacing(4);
    m_pendingTitle = new QLabel(pendingBox);
    m_pendingTitle->setObjectName(QStringLiteral("gpuPendingTitle"));
    m_pendingArea = new QScrollArea(pendingBox);
    m_pendingArea->setWidgetResizable(true);
    m_pendingArea->setFrameShape(QFrame::NoFrame);
    m_pendingList = new QWidget(m_pendingArea);
    m_pendingList->setObjectName(QStringLiteral("gpuPendingList"));
    auto *cards = new QVBoxLayout(m_pendingList);
    cards->setContentsMargins(0, 0, 0, 0);
    cards->setSpacing(6);
    cards->addStretch(1);
    m_pendingArea->setWidget(m_pendingList);
    pendingLayout->addWidget(m_pendingTitle);
    pendingLayout->addWidget(m_pendingArea, 1);

    m_detailTabs = new QTabWidget(m_splitter);
    m_detailTabs->setObjectName(QStringLiteral("gpuDetailTabs"));
    m_detailTabs->setDocumentMode(true);
    m_table = new QTreeWidget(m_detailTabs);
    m_table->setObjectName(QStringLiteral("gpuTable"));
    m_table->setColumnCount(ColumnCount);
    m_table->setHeaderLabels({tr("Pool / node"), tr("Product"), tr("GPU resource"),
                              tr("Used / allocatable"), tr("Free"), tr("State"), tr("Pods")});
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(NodeCol, Qt::AscendingOrder);
    m_table->header()->setStretchLastSection(true);
    m_detailTabs->addTab(m_table, tr("Nodes"));
    QWidget *whatIf = buildWhatIf();
    m_detailTabs->addTab(whatIf, tr("What if"));
    connect(m_detailTabs, &QTabWidget::currentChanged, this, [this, whatIf](int index) {
        if (m_detailTabs->widget(index) == whatIf)
            refreshWhatIf();
    });

    m_splitter->addWidget(m_chartArea);
    m_splitter->addWidget(pendingBox);
    m_splitter->addWidget(m_detailTabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setStretchFactor(2, 1);
    m_stack->addWidget(m_splitter);
    layout->addWidget(m_stack, 1);

    connect(m_groupBy, &QComboBox::activated, this, &GpuPane::onGroupByPicked);
    m_chart->setDark(palette().color(QPalette::Window).lightness() < 128);
}

void GpuPane::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    refreshNow(); // at once: no flash of what the pane showed when it was last visible
}

void GpuPane::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    // Follows the application's palette: a dark desktop gets the chart's dark colours.
    if (event->type() == QEvent::PaletteChange && m_chart) {
        m_chart->setDark(palette().color(QPalette::Window).lightness() < 128);
        m_pendingShown.clear(); // rich text takes its link colour when it is set
        scheduleRefresh();
    }
}

void GpuPane::scheduleRefresh() {
    if (isVisible() && !m_refresh->isActive())
        m_refresh->start();
}

void GpuPane::refreshNow() {
    m_refresh->stop();
    if (m_ledgerStale) {
        m_ledger->rebuild(*m_connection->store());
        m_ledgerStale = false;
    }
    updateGroupBy();
    updateSummary();
    if (!updateEmptyState())
        return;
    updateChart();
    updateTable();
    updatePending();
    // The prediction reads the whole cluster: only while it is on screen.
    if (m_whatIfResult->isVisible())
        refreshWhatIf();
    // After the layouts have taken the new rows and cards in.
    QMetaObject::invokeMethod(this, &GpuPane::fitSplitter, Qt::QueuedConnection);
}

void GpuPane::fitSplitter() {
    const int total = m_splitter->height();
    const QString key = QStringLiteral("%1|%2|%3")
                            .arg(m_chart->rows().size())
                            .arg(m_ledger->pendingPods().size())
                            .arg(total);
    if (total <= 0 || key == m_splitFor)
        return;
    m_splitFor = key;
    constexpr int kTableAtLeast = 180;
    const int handles = 2 * m_splitter->handleWidth();
    const int chartWidth = m_chartArea->viewport()->width();
    int chart = (m_chart->hasHeightForWidth() ? m_chart->heightForWidth(chartWidth)
                                              : m_chart->sizeHint().height()) +
                2;
    QLayout *cards = m_pendingList->layout();
    const int cardsWidth = m_pendingArea->viewport()->width();
    int pending = m_pendingTitle->sizeHint().height() + 10 +
                  (cards->hasHeightForWidth() ? cards->totalHeightForWidth(cardsWidth)
                                              : cards->sizeHint().height());
    chart = std::min(chart, total * 55 / 100);
    pending = std::clamp(pending, 40, std::max(40, total - chart - handles - kTableAtLeast));
    m_splitter->setSizes({chart, pending, std::max(0, total - chart - pending - handles)});
}

QString GpuPane::emptyText() const {
    return m_stack->currentIndex() == 0 ? m_empty->text() : QString();
}

bool GpuPane::updateEmptyState() {
    QString why;
    switch (m_connection->state()) {
    case Connection::State::Idle:
        why = tr("Not connected to a cluster.\nPick a context in the bar above to see who holds "
                 "its GPUs.");
        break;
    case Connection::State::Failed:
        why = tr("Not connected: Kubedeck could not reach the cluster (the message above says "
                 "why).\nIts GPUs show here once its nodes and pods can be read.");
        break;
    case Connection::State::StartingSandbox:
    case Connection::State::Connecting:
        why = tr("Connecting…\nThe cluster's GPUs show here once its nodes and pods are read.");
        break;
    case Connection::State::Connected:
        if (!m_nodesProblem.isEmpty()) {
            why = tr("Kubedeck cannot list this cluster's nodes, so it cannot show their GPUs:\n%1")
                      .arg(m_nodesProblem);
        } else if (m_ledger->nodes().empty() && m_ledger->pendingPods().empty()) {
            const qsizetype nodes = m_connection->store()->count(QStringLiteral("nodes"));
            if (nodes == 0)
                why = m_synced ? tr("This cluster has no nodes.") : tr("Reading the cluster…");
            else
                why = tr("No GPU nodes in this cluster.\nNone of its %1 offers nvidia.com/gpu, a "
                         "MIG profile (nvidia.com/mig-…) or amd.com/gpu.")
                          .arg(counted(nodes, tr("node"), tr("nodes")));
        }
        break;
    }
    m_empty->setText(why);
    m_stack->setCurrentIndex(why.isEmpty() ? 1 : 0);
    m_groupBy->setEnabled(why.isEmpty());
    const QString ns = m_connection->namespaceName();
    m_scopeNote->setVisible(why.isEmpty() && !ns.isEmpty());
    if (!ns.isEmpty())
        m_scopeNote->setText(tr("Only the pods of namespace \"%1\" are read, so GPUs held by "
                                "other namespaces show as free. Pick \"All namespaces\" to see "
                                "every holder.")
                                 .arg(ns));
    return why.isEmpty();
}

void GpuPane::updateGroupBy() {
    QStringList labels = m_ledger->poolLabelCandidates();
    const QString current = m_ledger->poolLabel();
    if (!current.isEmpty() && !labels.contains(current))
        labels.prepend(current);
    QStringList shown;
    for (int i = 1; i < m_groupBy->count(); ++i)
        shown << m_groupBy->itemData(i).toString();
    if (shown != labels || m_groupBy->count() == 0) {
        m_groupBy->clear();
        m_groupBy->addItem(tr("GPU product"), QString());
        for (const QString &l : labels)
            m_groupBy->addItem(tr("Node label %1").arg(l), l);
    }
    m_groupBy->setCurrentIndex(std::max(0, m_groupBy->findData(current)));
}

void GpuPane::onGroupByPicked(int index) {
    const QString label = m_groupBy->itemData(index).toString();
    if (label == m_ledger->poolLabel())
        return;
    m_ledger->setPoolLabel(label);
    QSettings().setValue(kGroupByKey, label);
    refreshNow();
}

QString GpuPane::summaryText() const {
    return m_summary->text();
}

void GpuPane::updateSummary() {
    qint64 gpus = 0, used = 0, free = 0, cordonedFree = 0, largest = 0;
    qint64 slices = 0, slicesUsed = 0;
    for (const model::GpuPoolUse &p : m_ledger->pools()) {
        if (isMigResource(p.resource)) {
            slices += p.allocatable;
            slicesUsed += p.used;
            continue;
        }
        gpus += p.allocatable;
        used += p.used;
        free += p.freeSchedulable;
        cordonedFree += p.free - p.freeSchedulable;
        largest = std::max(largest, p.largestFreeBlock);
    }
    if (m_ledger->nodes().empty()) {
        m_summary->clear();
        return;
    }
    QStringList parts;
    if (gpus > 0) {
        parts << tr("%1 of %2 GPUs used").arg(used).arg(gpus);
        parts << (free == 0         ? tr("none free")
                  : free == largest ? tr("%1 free, all on one node").arg(free)
                                    : tr("%1 free, at most %2 on one node").arg(free).arg(largest));
        if (cordonedFree > 0)
            parts << tr("%1 more on cordoned nodes").arg(cordonedFree);
    }
    if (slices > 0)
        parts << tr("%1 of %2 MIG slices used").arg(slicesUsed).arg(slices);
    const auto pending = static_cast<qint64>(m_ledger->pendingPods().size());
    parts << (pending == 0
                  ? tr("no GPU pod Pending")
                  : QStringLiteral("<span style='color:#d03434'><b>%1</b></span>")
                        .arg(counted(pending, tr("GPU pod Pending"), tr("GPU pods Pending"))));
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

void GpuPane::selectOwner(const QString &ownerId) {
    const QString kind = ownerId.section(u'/', 0, 0);
    for (const model::BrowsedKind &k : model::browsedKinds())
        if (k.kind.kind == kind) {
            emit workloadSelected(k.kind.key(), ownerId.section(u'/', 1, 1),
                                  ownerId.section(u'/', 2));
            return;
        }
}

} // namespace kd::ui
