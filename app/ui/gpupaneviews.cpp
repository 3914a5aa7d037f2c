// The GPU pane's views of the ledger: the chart rows, the node table (updated in place) and the
// Pending pods' cards.
#include "ui/gpupane.h"

#include "model/gpuledger.h"
#include "widgets/allocationchart.h"

#include <QFrame>
#include <QLabel>
#include <QPainter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <array>
#include <map>

namespace kd::ui {

namespace {

constexpr int kMaxCards = 100; // more Pending pods are counted, not drawn

// "Deployment ml-serving/recommender" from "Deployment/ml-serving/recommender".
QString ownerLabel(const QString &ownerId) {
    const QString kind = ownerId.section(u'/', 0, 0);
    const QString ns = ownerId.section(u'/', 1, 1);
    const QString name = ownerId.section(u'/', 2);
    return ns.isEmpty() ? kind + u' ' + name : kind + u' ' + ns + u'/' + name;
}

// True when the text changed.
bool setTextIfChanged(QTreeWidgetItem *item, int column, const QString &text) {
    if (item->text(column) == text)
        return false;
    item->setText(column, text);
    return true;
}

QString nodeState(const model::GpuNode &n) {
    QStringList parts;
    if (n.unschedulable)
        parts << QObject::tr("Cordoned");
    if (!n.ready)
        parts << QObject::tr("Not ready");
    if (parts.isEmpty())
        parts << QObject::tr("Ready");
    parts << n.taints;
    return parts.join(QStringLiteral(" · "));
}

QString holdersText(const model::GpuResourceUse &r, const QString &separator) {
    QStringList pods;
    for (const model::GpuHolder &h : r.holders)
        pods << QStringLiteral("%1 (%2)").arg(h.pod).arg(h.units);
    return pods.join(separator);
}

// A Pending pod's card: on the base colour with an amber edge, in the current palette (a style
// sheet would keep the colours of the palette it was made with).
class PendingCard final : public QFrame {
public:
    using QFrame::QFrame;

protected:
    void paintEvent(QPaintEvent *event) override {
        Q_UNUSED(event)
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(palette().color(QPalette::Mid));
        painter.setBrush(palette().color(QPalette::Base));
        painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        painter.fillRect(QRect(0, 0, 4, height()), QColor(0xd0, 0x8a, 0x1c));
    }
};

// What the names of all GPU nodes start with, up to a '-' ("gke-ml-prod-"): the chart's labels
// leave it out so that the part that tells nodes apart fits.
QString commonNamePrefix(const std::vector<model::GpuNode> &nodes) {
    if (nodes.size() < 2)
        return {};
    QString prefix = nodes.front().name;
    for (const model::GpuNode &n : nodes) {
        qsizetype i = 0;
        while (i < prefix.size() && i < n.name.size() && prefix[i] == n.name[i])
            ++i;
        prefix.truncate(i);
    }
    return prefix.left(prefix.lastIndexOf(u'-') + 1);
}

// The heading of a pool in the chart: its name, product and how its free units are spread.
QString poolHeading(const QString &pool, const std::vector<model::GpuPoolUse> &pools,
                    bool byProduct) {
    QStringList parts;
    QString product;
    int resources = 0;
    for (const model::GpuPoolUse &p : pools)
        if (p.pool == pool) {
            ++resources;
            product = p.product;
        }
    for (const model::GpuPoolUse &p : pools)
        if (p.pool == pool)
            parts << (resources > 1 ? p.resource.section(u'/', 1) + QStringLiteral(": ")
                                    : QString()) +
                         p.fragmentationText();
    QString head = pool.isEmpty() ? QObject::tr("(no pool label)") : pool;
    if (!byProduct && !product.isEmpty())
        head += QStringLiteral(" (%1)").arg(product);
    return head + QStringLiteral(" — ") + parts.join(QStringLiteral(" · "));
}

} // namespace

void GpuPane::updateChart() {
    const std::vector<model::GpuPoolUse> &pools = m_ledger->pools();
    const bool byProduct = m_ledger->poolLabel().isEmpty();
    QHash<QString, QString> headings;
    std::vector<widgets::AllocationRow> rows;
    std::vector<widgets::AllocationOwner> owners;
    QSet<QString> ownersSeen;
    m_chartRows.clear();
    const QString prefix = commonNamePrefix(m_ledger->nodes());
    for (const model::GpuNode &n : m_ledger->nodes()) {
        if (!headings.contains(n.pool))
            headings.insert(n.pool, poolHeading(n.pool, pools, byProduct));
        for (const model::GpuResourceUse &r : n.resources) {
            widgets::AllocationRow row;
            const QString shortName = n.name.mid(prefix.size());
            row.label = r.resource == QLatin1String("nvidia.com/gpu")
                            ? shortName
                            : shortName + QStringLiteral(" · ") + r.resource.section(u'/', 1);
            row.group = headings.value(n.pool);
            // One segment per owner, in the order the holders come (namespace, then pod).
            std::map<QString, std::size_t> segmentOf;
            for (const model::GpuHolder &h : r.holders) {
                const QString owner = h.ownerId();
                auto it = segmentOf.find(owner);
                if (it == segmentOf.end()) {
                    it = segmentOf.emplace(owner, row.used.size()).first;
                    row.used.push_back({owner, 0, ownerLabel(owner) + u':'});
                    if (!ownersSeen.contains(owner)) {
                        ownersSeen.insert(owner);
                        owners.push_back({owner, ownerLabel(owner)});
                    }
                }
                widgets::AllocationSegment &s = row.used[it->second];
                s.value += static_cast<double>(h.units);
                s.tooltip += QStringLiteral("\n%1: %2").arg(h.pod).arg(h.units);
            }
            for (widgets::AllocationSegment &s : row.used)
                s.tooltip.replace(
                    0, s.tooltip.indexOf(u'\n'),
                    tr("%1 — %2 %3").arg(ownerLabel(s.owner)).arg(s.value).arg(r.resource));
            const qint64 free = r.free();
            row.free = n.schedulable() ? static_cast<double>(free) : 0;
            row.unavailable = n.schedulable() ? 0 : static_cast<double>(free);
            row.capacity = static_cast<double>(r.allocatable);
            QString tip = n.name + u'\n' + (n.product.isEmpty() ? QString() : n.product + u' ') +
                          r.resource + u'\n' +
                          tr("%1 of %2 used, %3 free").arg(r.used).arg(r.allocatable).arg(free);
            if (r.capacity != r.allocatable)
                tip += u'\n' + tr("Capacity %1; %2 not allocatable (unhealthy or reserved)")
                                   .arg(r.capacity)
                                   .arg(r.capacity - r.allocatable);
            if (n.unschedulable)
                tip += u'\n' + tr("Cordoned: its free units take no new pods");
            if (!n.taints.isEmpty())
                tip += u'\n' + tr("Taints: %1").arg(n.taints.join(QStringLiteral(", ")));
            row.tooltip = tip;
            m_chartRows.insert(n.name + u'|' + r.resource, static_cast<int>(rows.size()));
            rows.push_back(std::move(row));
        }
    }
    m_chart->setData(std::move(rows), std::move(owners));
}

int GpuPane::chartRow(const QString &node, const QString &resource) const {
    return m_chartRows.value(node + u'|' + resource, -1);
}

QTreeWidgetItem *GpuPane::tableItem(const QString &node, const QString &resource) const {
    return m_rowItems.value(node + u'|' + resource);
}

void GpuPane::updateTable() {
    // Items are updated in place: selection, expansion and scrolling stay as the user left them.
    if (m_tableGrouping != m_ledger->poolLabel() || m_table->topLevelItemCount() == 0) {
        m_table->clear();
        m_poolItems.clear();
        m_rowItems.clear();
        m_tableGrouping = m_ledger->poolLabel();
        // Grouped by product, the pool is the product.
        m_table->setColumnHidden(ProductCol, m_tableGrouping.isEmpty());
    }
    const std::vector<model::GpuPoolUse> &poolUses = m_ledger->pools();
    QSet<QString> pools;
    QSet<QString> rows;
    bool added = false;
    bool changed = false;
    for (const model::GpuNode &n : m_ledger->nodes()) {
        QTreeWidgetItem *pool = m_poolItems.value(n.pool);
        if (!pool) {
            pool = new QTreeWidgetItem(m_table);
            QFont bold = pool->font(NodeCol);
            bold.setBold(true);
            pool->setFont(NodeCol, bold);
            pool->setFirstColumnSpanned(true);
            pool->setExpanded(true);
            m_poolItems.insert(n.pool, pool);
        }
        if (!pools.contains(n.pool)) {
            pools.insert(n.pool);
            // The pool's line: its use and how its free units are spread, per resource.
            QStringList parts;
            int nodes = 0;
            for (const model::GpuPoolUse &p : poolUses)
                if (p.pool == n.pool) {
                    parts << tr("%1: %2 of %3 used, %4")
                                 .arg(p.resource)
                                 .arg(p.used)
                                 .arg(p.allocatable)
                                 .arg(p.fragmentationText());
                    nodes = std::max(nodes, p.nodes);
                }
            setTextIfChanged(pool, NodeCol,
                             QStringLiteral("%1 — %2 — %3")
                                 .arg(n.pool.isEmpty() ? tr("(no pool label)") : n.pool,
                                      counted(nodes, tr("node"), tr("nodes")),
                                      parts.join(QStringLiteral(" · "))));
        }
        for (const model::GpuResourceUse &r : n.resources) {
            const QString key = n.name + u'|' + r.resource;
            rows.insert(key);
            QTreeWidgetItem *item = m_rowItems.value(key);
            if (item && item->parent() != pool) {
                delete item;
                item = nullptr;
            }
            if (!item) {
                item = new QTreeWidgetItem(pool);
                m_rowItems.insert(key, item);
                added = true;
            }
            const QString state = nodeState(n);
            changed |= setTextIfChanged(item, NodeCol, n.name);
            changed |= setTextIfChanged(item, ProductCol, n.product);
            changed |= setTextIfChanged(item, ResourceCol, r.resource);
            changed |= setTextIfChanged(item, UsedCol,
                                        QStringLiteral("%1 / %2").arg(r.used).arg(r.allocatable));
            changed |= setTextIfChanged(item, FreeCol,
                                        n.schedulable() ? QString::number(r.free())
                                                        : tr("%1 (cordoned)").arg(r.free()));
            changed |= setTextIfChanged(item, StateCol, state);
            changed |= setTextIfChanged(item, PodsCol, holdersText(r, QStringLiteral(", ")));
            item->setToolTip(PodsCol, holdersText(r, QStringLiteral("\n")));
            item->setToolTip(StateCol,
                             QString(state).replace(QStringLiteral(" · "), QStringLiteral("\n")));
            const QBrush brush =
                n.unschedulable || !n.ready ? QBrush(QColor(0xd0, 0x6a, 0x1c)) : QBrush();
            if (item->foreground(StateCol) != brush)
                item->setForeground(StateCol, brush);
        }
    }
    for (auto it = m_rowItems.begin(); it != m_rowItems.end();)
        if (!rows.contains(it.key())) {
            delete it.value();
            it = m_rowItems.erase(it);
        } else {
            ++it;
        }
    for (auto it = m_poolItems.begin(); it != m_poolItems.end();)
        if (!pools.contains(it.key())) {
            delete it.value();
            it = m_poolItems.erase(it);
        } else {
            ++it;
        }
    if (added || changed)
        fitTableColumns(!added);
}

void GpuPane::fitTableColumns(bool growOnly) {
    // The node rows decide the widths; the pools' lines span the row and would not fit anyway.
    const QFontMetrics metrics(m_table->font());
    std::array<int, ColumnCount> widths{};
    for (int c = 0; c < ColumnCount; ++c)
        widths[static_cast<std::size_t>(c)] =
            metrics.horizontalAdvance(m_table->headerItem()->text(c)) + 24;
    for (QTreeWidgetItem *item : std::as_const(m_rowItems))
        for (int c = 0; c < ColumnCount; ++c) {
            int &w = widths[static_cast<std::size_t>(c)];
            w = std::max(w, metrics.horizontalAdvance(item->text(c)) + 16);
        }
    widths[NodeCol] += 2 * m_table->indentation();
    for (int c = 0; c < PodsCol; ++c) {
        const int width = std::min(widths[static_cast<std::size_t>(c)], 420);
        if (!growOnly || width > m_table->columnWidth(c))
            m_table->setColumnWidth(c, width);
    }
}

void GpuPane::updatePending() {
    const std::vector<model::PendingGpuPod> &pending = m_ledger->pendingPods();
    QString shown;
    for (const model::PendingGpuPod &p : pending)
        shown += p.namespaceName + u'/' + p.pod + u'|' + p.ownerId() + u'|' + p.resource +
                 QString::number(p.units) + u'|' + p.explanation + u'|' + p.schedulerMessage +
                 u'|' + p.fitsOn + u'\n';
    if (shown == m_pendingShown && m_pendingList->layout()->count() > 1)
        return;
    m_pendingShown = shown;
    auto *layout = static_cast<QVBoxLayout *>(m_pendingList->layout());
    while (layout->count() > 1) {
        QLayoutItem *item = layout->takeAt(0);
        delete item->widget();
        delete item;
    }
    const int n = static_cast<int>(pending.size());
    m_pendingTitle->setText(n == 0 ? tr("<b>Pending GPU pods</b> — none: every pod that asks for "
                                        "a GPU has one.")
                                   : tr("<b>Pending GPU pods (%1)</b> — they wait for a GPU "
                                        "and why:")
                                         .arg(n));
    for (int i = 0; i < std::min(n, kMaxCards); ++i)
        addPendingCard(layout, i);
    if (n > kMaxCards) {
        auto *more = new QLabel(tr("… and %1 more Pending GPU pods.").arg(n - kMaxCards));
        layout->insertWidget(layout->count() - 1, more);
    }
}

void GpuPane::addPendingCard(QVBoxLayout *layout, int index) {
    const model::PendingGpuPod &p = m_ledger->pendingPods()[static_cast<std::size_t>(index)];
    auto *card = new PendingCard;
    card->setObjectName(QStringLiteral("gpuPendingCard"));
    auto *v = new QVBoxLayout(card);
    v->setContentsMargins(10, 6, 8, 6);
    v->setSpacing(3);
    auto addLabel = [card, v](const QString &name, const QString &text) {
        auto *l = new QLabel(text, card);
        l->setObjectName(name);
        l->setWordWrap(true);
        l->setTextFormat(Qt::RichText);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
        v->addWidget(l);
        return l;
    };
    const QString ownerId = p.ownerId();
    QLabel *title = addLabel(QStringLiteral("pendingTitle"),
                             tr("<b>%1</b> &nbsp;of <a href=\"%2\">%3</a> &nbsp;asks for %4 %5")
                                 .arg(p.pod.toHtmlEscaped(), ownerId.toHtmlEscaped(),
                                      ownerLabel(ownerId).toHtmlEscaped())
                                 .arg(p.units)
                                 .arg(p.resource.toHtmlEscaped()));
    title->setToolTip(
        tr("Namespace %1. Click the owner to show it in the topology.").arg(p.namespaceName));
    connect(title, &QLabel::linkActivated, this, &GpuPane::selectOwner);
    QString why = p.explanation.toHtmlEscaped();
    if (!why.isEmpty())
        why[0] = why[0].toUpper(); // a sentence of its own here
    if (p.fitsNow)
        why = tr("Fits now on %1: the scheduler places it at its next try.").arg(p.fitsOn) +
              (why.isEmpty() ? QString() : QStringLiteral("<br>") + why);
    addLabel(QStringLiteral("pendingExplanation"), why);
    addLabel(QStringLiteral("pendingScheduler"),
             p.schedulerMessage.isEmpty()
                 ? tr("<i>The scheduler has not tried it yet.</i>")
                 : tr("<b>Scheduler:</b> <i>%1</i>").arg(p.schedulerMessage.toHtmlEscaped()));
    layout->insertWidget(layout->count() - 1, card);
}

QStringList GpuPane::pendingTexts() const {
    QStringList out;
    for (QFrame *card : m_pendingList->findChildren<QFrame *>(QStringLiteral("gpuPendingCard"))) {
        QStringList parts;
        for (QLabel *l : card->findChildren<QLabel *>())
            parts << l->text();
        out << parts.join(u'\n');
    }
    return out;
}

} // namespace kd::ui
