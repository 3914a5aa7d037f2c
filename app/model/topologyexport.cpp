#include "model/topologyexport.h"

#include <algorithm>
#include <tuple>

namespace kd::model {

using Health = TopologyNode::Health;
using Relation = TopologyEdge::Relation;

namespace {

std::string utf8(const QString &s) {
    return s.toStdString();
}

std::vector<const TopologyNode *> sortedNodes(const Topology &t) {
    std::vector<const TopologyNode *> out;
    out.reserve(t.nodes().size());
    for (const TopologyNode &n : t.nodes())
        out.push_back(&n);
    std::sort(out.begin(), out.end(),
              [](const TopologyNode *a, const TopologyNode *b) { return a->id < b->id; });
    return out;
}

std::vector<const TopologyEdge *> sortedEdges(const Topology &t) {
    std::vector<const TopologyEdge *> out;
    out.reserve(t.edges().size());
    for (const TopologyEdge &e : t.edges())
        out.push_back(&e);
    std::sort(out.begin(), out.end(), [](const TopologyEdge *a, const TopologyEdge *b) {
        return std::tie(a->from, a->to, a->relation, a->label) <
               std::tie(b->from, b->to, b->relation, b->label);
    });
    return out;
}

const char *fillOf(Health health) {
    switch (health) {
    case Health::Ok:
        return "#e6f4ea";
    case Health::Progressing:
        return "#e8f0fe";
    case Health::Warning:
        return "#fef7e0";
    case Health::Failed:
        return "#fce8e6";
    }
    return "#ffffff";
}

} // namespace

QString healthName(Health health) {
    switch (health) {
    case Health::Ok:
        return QStringLiteral("ok");
    case Health::Progressing:
        return QStringLiteral("progressing");
    case Health::Warning:
        return QStringLiteral("warning");
    case Health::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QString relationName(Relation relation) {
    switch (relation) {
    case Relation::Routes:
        return QStringLiteral("routes");
    case Relation::Selects:
        return QStringLiteral("selects");
    case Relation::Owns:
        return QStringLiteral("owns");
    case Relation::Scales:
        return QStringLiteral("scales");
    case Relation::Protects:
        return QStringLiteral("protects");
    }
    return {};
}

kube::Json topologyToJson(const Topology &t, const QString &namespaceName) {
    kube::Json out = kube::Json::object();
    out["namespace"] = namespaceName.isEmpty() ? kube::Json() : kube::Json(utf8(namespaceName));
    kube::Json nodes = kube::Json::array();
    for (const TopologyNode *n : sortedNodes(t)) {
        kube::Json hosts = kube::Json::array();
        for (const QString &h : n->hosts)
            hosts.push_back(utf8(h));
        nodes.push_back({{"id", utf8(n->id)},
                         {"kind", utf8(Topology::kindName(n->kind))},
                         {"namespace", utf8(n->namespaceName)},
                         {"name", utf8(n->name)},
                         {"health", utf8(healthName(n->health))},
                         {"status", utf8(n->status)},
                         {"desiredReplicas", n->desiredReplicas},
                         {"readyReplicas", n->readyReplicas},
                         {"revision", utf8(n->revision)},
                         {"current", n->current},
                         {"gpusPerPod", n->gpusPerPod},
                         {"gpusTotal", n->gpusTotal},
                         {"gpuProduct", utf8(n->gpuProduct)},
                         {"nodeName", utf8(n->nodeName)},
                         {"minReplicas", n->minReplicas},
                         {"maxReplicas", n->maxReplicas},
                         {"hosts", std::move(hosts)}});
    }
    out["nodes"] = std::move(nodes);
    kube::Json edges = kube::Json::array();
    for (const TopologyEdge *e : sortedEdges(t))
        edges.push_back({{"from", utf8(e->from)},
                         {"to", utf8(e->to)},
                         {"relation", utf8(relationName(e->relation))},
                         {"label", utf8(e->label)},
                         {"broken", e->broken},
                         {"problem", utf8(e->problem)}});
    out["edges"] = std::move(edges);
    kube::Json problems = kube::Json::array();
    for (const QString &p : t.problems())
        problems.push_back(utf8(p));
    out["problems"] = std::move(problems);
    return out;
}

QByteArray dotQuoted(const QString &text) {
    QByteArray out = "\"";
    for (const char c : text.toUtf8()) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            break;
        default:
            out += c;
        }
    }
    return out + '"';
}

QByteArray topologyToDot(const Topology &t, const QString &namespaceName) {
    QByteArray out =
        "digraph " +
        dotQuoted(namespaceName.isEmpty() ? QStringLiteral("topology")
                                          : QStringLiteral("topology of ") + namespaceName) +
        " {\n";
    out += "  rankdir=LR;\n";
    out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
    for (const TopologyNode *n : sortedNodes(t)) {
        QString label = Topology::kindName(n->kind) + u'\n' +
                        (namespaceName.isEmpty() ? n->namespaceName + u'/' : QString()) + n->name;
        if (!n->status.isEmpty())
            label += u'\n' + n->status;
        out += "  " + dotQuoted(n->id) + " [label=" + dotQuoted(label) + ", fillcolor=\"" +
               fillOf(n->health) + '"';
        if (n->kind == TopologyNode::Kind::Missing)
            out += ", style=\"rounded,dashed\", color=red";
        out += "];\n";
    }
    for (const TopologyEdge *e : sortedEdges(t)) {
        out += "  " + dotQuoted(e->from) + " -> " + dotQuoted(e->to) +
               " [label=" + dotQuoted(e->label.isEmpty() ? relationName(e->relation) : e->label);
        if (e->broken)
            out += ", style=dashed, color=red, fontcolor=red, tooltip=" + dotQuoted(e->problem);
        out += "];\n";
    }
    return out + "}\n";
}

} // namespace kd::model
