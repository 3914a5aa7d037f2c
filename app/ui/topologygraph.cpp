#include "ui/topologygraph.h"

#include <QObject>

#include <algorithm>

namespace kd::ui {

using model::Topology;
using model::TopologyEdge;
using model::TopologyNode;
using Kind = TopologyNode::Kind;
using Health = TopologyNode::Health;

namespace {

int layerOf(const TopologyNode &n) {
    switch (n.kind) {
    case Kind::Ingress:
        return 0;
    case Kind::Service:
    case Kind::HorizontalPodAutoscaler:
    case Kind::PodDisruptionBudget:
        return 1;
    case Kind::Deployment:
    case Kind::StatefulSet:
        return 2;
    case Kind::ReplicaSet:
        return 3;
    case Kind::Pod:
        return 4;
    case Kind::Missing: // named "Service/legacy": the column of what was expected
        return n.name.startsWith(QLatin1String("Service/")) ? 1 : 2;
    }
    return 2;
}

QString glyphOf(Kind kind) {
    switch (kind) {
    case Kind::Ingress:
        return QStringLiteral("ING");
    case Kind::Service:
        return QStringLiteral("SVC");
    case Kind::Deployment:
        return QStringLiteral("DEP");
    case Kind::StatefulSet:
        return QStringLiteral("STS");
    case Kind::ReplicaSet:
        return QStringLiteral("RS");
    case Kind::Pod:
        return QStringLiteral("POD");
    case Kind::HorizontalPodAutoscaler:
        return QStringLiteral("HPA");
    case Kind::PodDisruptionBudget:
        return QStringLiteral("PDB");
    case Kind::Missing:
        return QStringLiteral("???");
    }
    return {};
}

bool isProblem(const TopologyNode &n) {
    return n.kind == Kind::Missing || n.health == Health::Warning || n.health == Health::Failed;
}

// "NVIDIA-A100-SXM4-80GB" → "A100".
QString shortProduct(const QString &product) {
    const QStringList parts = product.split(u'-', Qt::SkipEmptyParts);
    for (const QString &p : parts)
        if (p.size() >= 2 && p.at(0).isLetter() && p.at(1).isDigit())
            return p;
    return product;
}

QStringList badgesOf(const TopologyNode &n) {
    QStringList out;
    switch (n.kind) {
    case Kind::Ingress:
        if (!n.hosts.isEmpty())
            out << n.hosts.front();
        break;
    case Kind::Deployment:
    case Kind::StatefulSet:
        if (n.gpusPerPod > 0)
            out << QObject::tr("%1 %2").arg(n.gpusTotal).arg(n.gpuUnit)
                << QObject::tr("%1/pod").arg(n.gpusPerPod);
        break;
    case Kind::ReplicaSet:
        if (!n.revision.isEmpty())
            out << QObject::tr("rev %1").arg(n.revision);
        out << (n.current ? QObject::tr("current") : QObject::tr("old"));
        break;
    case Kind::Pod:
        if (n.gpusPerPod > 0)
            out << (n.gpuProduct.isEmpty() ? QObject::tr("%1 %2").arg(n.gpusPerPod).arg(n.gpuUnit)
                    : n.gpuUnit == QLatin1String("GPU")
                        ? QObject::tr("%1× %2").arg(n.gpusPerPod).arg(shortProduct(n.gpuProduct))
                        : QObject::tr("%1× %2 %3")
                              .arg(n.gpusPerPod)
                              .arg(shortProduct(n.gpuProduct), n.gpuUnit));
        if (!n.nodeName.isEmpty())
            out << n.nodeName;
        break;
    case Kind::HorizontalPodAutoscaler:
        out << QObject::tr("%1–%2").arg(n.minReplicas).arg(n.maxReplicas);
        break;
    default:
        break;
    }
    return out;
}

int worst(int a, int b) {
    return std::max(a, b);
}

} // namespace

QColor healthColour(Health health) {
    switch (health) {
    case Health::Ok:
        return QColor(0x2e, 0x9e, 0x4f);
    case Health::Progressing:
        return QColor(0x33, 0x66, 0xcc);
    case Health::Warning:
        return QColor(0xe0, 0xa0, 0x00);
    case Health::Failed:
        return QColor(0xd0, 0x34, 0x34);
    }
    return Qt::gray;
}

int handleMaximum(int current) {
    return std::max(32, current * 3);
}

widgets::GraphSpec topologyGraph(const Topology &topology, const TopologyGraphOptions &options) {
    const auto &nodes = topology.nodes();
    // 1. Which nodes pass the kind and label filters.
    QSet<QString> kept;
    for (const TopologyNode &n : nodes) {
        if (!options.kinds.isEmpty() && n.kind != Kind::Missing && !options.kinds.contains(n.kind))
            continue;
        const bool labelled = n.kind == Kind::Deployment || n.kind == Kind::StatefulSet ||
                              n.kind == Kind::ReplicaSet || n.kind == Kind::Pod;
        if (labelled && options.labelMatch && !options.labelMatch(n))
            continue;
        kept.insert(n.id);
    }
    // Edges, with hidden nodes bridged: a → hidden → b becomes a → b.
    std::vector<TopologyEdge> edges;
    for (const TopologyEdge &e : topology.edges()) {
        if (kept.contains(e.from) && kept.contains(e.to)) {
            edges.push_back(e);
            continue;
        }
        if (!kept.contains(e.from) || kept.contains(e.to))
            continue;
        const TopologyNode *hidden = topology.node(e.to);
        if (!hidden || (options.kinds.isEmpty() || options.kinds.contains(hidden->kind)))
            continue; // filtered out by labels, not by kind: the chain ends here
        for (const TopologyEdge *next : topology.edgesFrom(e.to))
            if (kept.contains(next->to)) {
                TopologyEdge bridged = *next;
                bridged.from = e.from;
                edges.push_back(bridged);
            }
    }
    // With a label selector, links into the kept workloads keep Ingresses, Services, HPAs, PDBs.
    if (options.labelMatch) {
        QSet<QString> linked;
        for (const TopologyEdge &e : edges) {
            const TopologyNode *from = topology.node(e.from);
            const TopologyNode *to = topology.node(e.to);
            if (from && to && (to->kind == Kind::Deployment || to->kind == Kind::StatefulSet))
                linked.insert(from->id);
        }
        for (const TopologyNode &n : nodes)
            if ((n.kind == Kind::Service || n.kind == Kind::HorizontalPodAutoscaler ||
                 n.kind == Kind::PodDisruptionBudget) &&
                kept.contains(n.id) && !linked.contains(n.id))
                kept.remove(n.id);
        for (const TopologyEdge &e : edges) // Ingresses of kept Services
            if (topology.node(e.from) && topology.node(e.from)->kind == Kind::Ingress &&
                !kept.contains(e.to))
                kept.remove(e.from);
        std::erase_if(edges, [&](const TopologyEdge &e) {
            return !kept.contains(e.from) || !kept.contains(e.to);
        });
    }
    // 2. Only problems: unhealthy or broken nodes and their neighbours.
    if (options.onlyProblems) {
        QSet<QString> problems;
        for (const TopologyNode &n : nodes)
            if (kept.contains(n.id) && isProblem(n))
                problems.insert(n.id);
        for (const TopologyEdge &e : edges)
            if (e.broken) {
                problems.insert(e.from);
                problems.insert(e.to);
            }
        QSet<QString> shown = problems;
        for (const TopologyEdge &e : edges) {
            if (problems.contains(e.from))
                shown.insert(e.to);
            if (problems.contains(e.to))
                shown.insert(e.from);
        }
        kept.intersect(shown);
        std::erase_if(edges, [&](const TopologyEdge &e) {
            return !kept.contains(e.from) || !kept.contains(e.to);
        });
    }

    // 3. Pods per ReplicaSet, for the count bubbles.
    QHash<QString, QString> podOwner; // pod id -> ReplicaSet id
    QHash<QString, std::vector<const TopologyNode *>> podsOf;
    for (const TopologyEdge &e : edges) {
        const TopologyNode *from = topology.node(e.from);
        const TopologyNode *to = topology.node(e.to);
        if (from && to && to->kind == Kind::Pod && e.relation == TopologyEdge::Relation::Owns) {
            podOwner.insert(to->id, from->id);
            podsOf[from->id].push_back(to);
        }
    }

    widgets::GraphSpec spec;
    spec.nodes.reserve(static_cast<std::size_t>(kept.size()));
    for (const TopologyNode &n : nodes) {
        if (!kept.contains(n.id))
            continue;
        widgets::GraphNodeSpec s;
        s.id = n.id;
        s.layer = layerOf(n);
        s.sortKey = n.namespaceName + u'/' + n.name;
        s.glyph = glyphOf(n.kind);
        s.label = n.kind == Kind::Missing ? QObject::tr("missing %1").arg(n.name) : n.name;
        s.subtitle = n.status;
        s.status = n.kind == Kind::Missing ? healthColour(Health::Failed) : healthColour(n.health);
        s.badges = badgesOf(n);
        s.toolTip =
            Topology::kindName(n.kind) + u' ' + n.namespaceName + u'/' + n.name + u'\n' + n.status;
        s.group = podOwner.value(n.id);
        if (n.kind == Kind::Deployment || n.kind == Kind::StatefulSet) {
            s.hasHandle = true;
            s.handleValue = n.desiredReplicas;
            s.handleMin = 0;
            s.handleMax = handleMaximum(n.desiredReplicas);
            s.handleDisabledReason = options.handleLocked.value(n.id);
            if (options.scaling.contains(n.id))
                s.subtitle = QObject::tr("scaling to %1… (%2)")
                                 .arg(options.scaling.value(n.id))
                                 .arg(n.status);
        }
        spec.nodes.push_back(std::move(s));
    }
    for (const TopologyEdge &e : edges) {
        widgets::GraphEdgeSpec s;
        s.from = e.from;
        s.to = e.to;
        s.dashed = e.broken;
        s.colour = e.broken ? healthColour(Health::Failed) : QColor(0x78, 0x86, 0x9a);
        s.label = e.label;
        s.toolTip = e.broken ? e.problem : e.label;
        spec.edges.push_back(std::move(s));
    }
    for (auto it = podsOf.cbegin(); it != podsOf.cend(); ++it) {
        const auto &pods = it.value();
        widgets::GraphGroupSpec g;
        g.id = it.key();
        g.label = QObject::tr("%n pod(s)", nullptr, static_cast<int>(pods.size()));
        int running = 0;
        int pending = 0;
        int health = 0;
        for (const TopologyNode *p : pods) {
            health = worst(health, static_cast<int>(p->health));
            running += p->status.startsWith(QLatin1String("Running"));
            pending += p->status.startsWith(QLatin1String("Pending"));
        }
        g.subtitle = pending > 0 ? QObject::tr("%1 running, %2 pending").arg(running).arg(pending)
                                 : QObject::tr("%1 running").arg(running);
        g.status = healthColour(static_cast<Health>(health));
        const bool big = static_cast<int>(pods.size()) > options.collapseAbove;
        g.collapsed = big ? !options.expanded.contains(g.id) : options.collapsed.contains(g.id);
        spec.groups.push_back(std::move(g));
    }
    return spec;
}

} // namespace kd::ui
