// GraphView's diffing: from a GraphSpec to the items on the scene, touching only what changed.

#include "widgets/graphitems.h"
#include "widgets/graphview.h"

#include <QGraphicsScene>
#include <QSet>

#include <algorithm>

namespace kd::widgets {

namespace {

QString edgeKey(const QString &from, const QString &to) {
    return from + QLatin1Char('\n') + to;
}

} // namespace

struct GraphView::Visible {
    std::vector<GraphNodeSpec> nodes;
    QSet<QString> groupNodes; // ids of nodes that stand for a collapsed group
    std::vector<GraphEdgeSpec> edges;
    std::vector<QString> edgeKeys; // edgeKey() of each edge, computed once
    QSet<QString> nodeIds;
    QSet<QString> edgeKeySet;
};

QString GraphView::groupNodeId(const QString &groupId) {
    return QStringLiteral("group:") + groupId;
}

GraphView::Visible GraphView::visibleGraph(const GraphSpec &spec) const {
    Visible out;
    QHash<QString, const GraphGroupSpec *> collapsed;
    for (const GraphGroupSpec &g : spec.groups)
        if (g.collapsed)
            collapsed.insert(g.id, &g);
    QHash<QString, QString> shownAs; // member id -> group node id
    QHash<QString, std::size_t> groupIndex;
    out.nodes.reserve(spec.nodes.size());
    for (const GraphNodeSpec &n : spec.nodes) {
        const GraphGroupSpec *group = n.group.isEmpty() ? nullptr : collapsed.value(n.group);
        if (!group) {
            out.nodes.push_back(n);
            continue;
        }
        const QString id = groupNodeId(group->id);
        shownAs.insert(n.id, id);
        auto it = groupIndex.constFind(id);
        if (it != groupIndex.cend()) {
            GraphNodeSpec &g = out.nodes[*it];
            ++g.count;
            g.layer = std::min(g.layer, n.layer);
            continue;
        }
        GraphNodeSpec g;
        g.id = id;
        g.layer = n.layer;
        g.sortKey = n.sortKey;
        g.glyph = n.glyph;
        g.label = group->label;
        g.subtitle = group->subtitle;
        g.status = group->status;
        g.count = 1;
        g.group = group->id;
        g.toolTip = group->label + QStringLiteral(" — double-click or Enter to expand");
        groupIndex.insert(id, out.nodes.size());
        out.groupNodes.insert(id);
        out.nodes.push_back(std::move(g));
    }
    out.nodeIds.reserve(static_cast<qsizetype>(out.nodes.size()));
    for (const GraphNodeSpec &n : out.nodes)
        out.nodeIds.insert(n.id);
    out.edges.reserve(spec.edges.size());
    out.edgeKeys.reserve(spec.edges.size());
    out.edgeKeySet.reserve(static_cast<qsizetype>(spec.edges.size()));
    for (const GraphEdgeSpec &e : spec.edges) {
        const QString from = shownAs.value(e.from, e.from);
        const QString to = shownAs.value(e.to, e.to);
        if (from == to || !out.nodeIds.contains(from) || !out.nodeIds.contains(to))
            continue;
        QString key = edgeKey(from, to);
        if (out.edgeKeySet.contains(key))
            continue;
        out.edgeKeySet.insert(key);
        out.edgeKeys.push_back(std::move(key));
        GraphEdgeSpec &mapped = out.edges.emplace_back(e);
        mapped.from = from;
        mapped.to = to;
    }
    return out;
}

void GraphView::removeNodeItem(const QString &id) {
    GraphNodeItem *item = m_nodes.take(id);
    if (!item)
        return;
    const std::vector<GraphEdgeItem *> edges = item->edges();
    for (GraphEdgeItem *e : edges) {
        m_edges.remove(edgeKey(e->spec().from, e->spec().to));
        e->fromNode()->removeEdge(e);
        e->toNode()->removeEdge(e);
        delete e;
    }
    m_layout.remove(id);
    if (m_drag && m_drag->id == id)
        cancelHandleDrag();
    delete item;
}

// The common case of a live graph: the same nodes, edges and groups with some cards' contents
// changed (a pod's status). Touches only the changed items; false when the structure differs.
bool GraphView::updateInPlace(const GraphSpec &spec) {
    if (m_nodes.isEmpty() || spec.nodes.size() != m_spec.nodes.size() ||
        spec.edges.size() != m_spec.edges.size() || spec.groups != m_spec.groups)
        return false;
    for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
        const GraphNodeSpec &a = spec.nodes[i];
        const GraphNodeSpec &b = m_spec.nodes[i];
        if (a.id != b.id || a.layer != b.layer || a.group != b.group)
            return false;
    }
    for (std::size_t i = 0; i < spec.edges.size(); ++i)
        if (spec.edges[i].from != m_spec.edges[i].from || spec.edges[i].to != m_spec.edges[i].to)
            return false;
    QSet<QString> collapsed;
    for (const GraphGroupSpec &g : spec.groups)
        if (g.collapsed)
            collapsed.insert(g.id);
    for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
        const GraphNodeSpec &n = spec.nodes[i];
        if (n == m_spec.nodes[i] || (!n.group.isEmpty() && collapsed.contains(n.group)))
            continue; // unchanged, or folded into its group's card
        if (GraphNodeItem *item = m_nodes.value(n.id)) {
            item->setSpec(n);
            applyHighlight(item);
        }
    }
    for (std::size_t i = 0; i < spec.edges.size(); ++i) {
        const GraphEdgeSpec &e = spec.edges[i];
        if (e == m_spec.edges[i])
            continue;
        if (GraphEdgeItem *item = m_edges.value(edgeKey(e.from, e.to)))
            item->setSpec(e);
    }
    m_spec = spec;
    return true;
}

void GraphView::setGraph(const GraphSpec &spec) {
    if (updateInPlace(spec))
        return;
    m_spec = spec;
    const Visible visible = visibleGraph(spec);
    const bool first = m_nodes.isEmpty();

    QStringList gone;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
        if (!visible.nodeIds.contains(it.key()))
            gone.push_back(it.key());
    for (const QString &id : gone)
        removeNodeItem(id); // also drops its edges

    QStringList added;
    for (const GraphNodeSpec &n : visible.nodes) {
        GraphNodeItem *item = m_nodes.value(n.id);
        if (item && item->spec().layer != n.layer) { // moved to another column: place it anew
            removeNodeItem(n.id);
            item = nullptr;
        }
        if (item) {
            item->setSpec(n);
            applyHighlight(item);
            continue;
        }
        item = new GraphNodeItem(n, m_layout.options().nodeSize);
        item->setGroup(visible.groupNodes.contains(n.id));
        m_scene->addItem(item);
        m_nodes.insert(n.id, item);
        applyHighlight(item);
        added.push_back(n.id);
    }

    // Edges: keep, update, drop, add.
    for (auto it = m_edges.begin(); it != m_edges.end();) {
        if (visible.edgeKeySet.contains(it.key())) {
            ++it;
            continue;
        }
        GraphEdgeItem *e = it.value();
        it = m_edges.erase(it);
        e->fromNode()->removeEdge(e);
        e->toNode()->removeEdge(e);
        delete e;
    }
    for (std::size_t i = 0; i < visible.edges.size(); ++i) {
        const GraphEdgeSpec &e = visible.edges[i];
        const QString &key = visible.edgeKeys[i];
        if (GraphEdgeItem *item = m_edges.value(key)) {
            item->setSpec(e);
            continue;
        }
        auto *item = new GraphEdgeItem(m_nodes.value(e.from), m_nodes.value(e.to), e);
        m_scene->addItem(item);
        m_edges.insert(key, item);
    }

    // A batch that is a large part of the graph (the rest of a first load, a filter taken off)
    // is laid out with everything else; a few new nodes are slotted in without moving others.
    const qsizetype batchLimit = std::max<qsizetype>(8, m_nodes.size() / 4);
    if (first || added.size() > batchLimit) {
        layoutAll(visible);
    } else if (!added.isEmpty()) {
        placeNew(visible, added);
        growSceneRect();
    }
    if (!m_selected.isEmpty() && !m_nodes.contains(m_selected)) {
        m_selected.clear();
        emit nodeSelected({});
    }
}

void GraphView::placeNew(const Visible &visible, const QStringList &added) {
    // Left columns first, so that a new chain hangs off the nodes placed just before it.
    std::vector<const GraphNodeSpec *> order;
    QSet<QString> isNew(added.begin(), added.end());
    for (const GraphNodeSpec &n : visible.nodes)
        if (isNew.contains(n.id))
            order.push_back(&n);
    QHash<QString, QStringList> neighbours; // of the new nodes only
    for (const GraphEdgeSpec &e : visible.edges) {
        if (isNew.contains(e.from))
            neighbours[e.from].push_back(e.to);
        if (isNew.contains(e.to))
            neighbours[e.to].push_back(e.from);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto *a, const auto *b) { return a->layer < b->layer; });
    QSet<QString> moved;
    for (const GraphNodeSpec *n : order) {
        const QStringList pushed =
            m_layout.insert({n->id, n->layer, n->sortKey}, neighbours.value(n->id));
        moved.insert(n->id);
        for (const QString &id : pushed)
            moved.insert(id);
    }
    for (const QString &id : moved)
        if (GraphNodeItem *item = m_nodes.value(id))
            item->setPos(m_layout.position(id)); // edges follow through itemChange
}

void GraphView::relayout() {
    layoutAll(visibleGraph(m_spec));
}

void GraphView::layoutAll(const Visible &visible) {
    std::vector<GraphLayout::Node> nodes;
    nodes.reserve(visible.nodes.size());
    for (const GraphNodeSpec &n : visible.nodes)
        nodes.push_back({n.id, n.layer, n.sortKey});
    std::vector<GraphLayout::Edge> edges;
    edges.reserve(visible.edges.size());
    for (const GraphEdgeSpec &e : visible.edges)
        edges.emplace_back(e.from, e.to);
    m_layout.layoutAll(nodes, edges);
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
        it.value()->setPos(m_layout.position(it.key()));
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-60, -60, 60, 60));
}

void GraphView::growSceneRect() {
    const QRectF wanted = m_scene->itemsBoundingRect().adjusted(-60, -60, 60, 60);
    m_scene->setSceneRect(m_scene->sceneRect().united(wanted));
}

} // namespace kd::widgets
