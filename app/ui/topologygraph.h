#pragma once
// From model::Topology to what the graph view draws: one column per tier (Ingress, Service and
// the HPAs/PDBs, workloads, ReplicaSets, pods), health colours, GPU badges, the replica handle
// on Deployments and StatefulSets, pods folded into a count bubble per ReplicaSet above a
// threshold, and the filters (kinds, label selector, only problems).

#include "model/topology.h"
#include "widgets/graphtypes.h"

#include <QHash>
#include <QSet>

#include <functional>

namespace kd::ui {

struct TopologyGraphOptions {
    // Kinds to show; a hidden kind's neighbours are joined directly (hiding ReplicaSets links
    // Deployments to their pods).
    QSet<model::TopologyNode::Kind> kinds;
    // Only unhealthy or broken nodes and their direct neighbours.
    bool onlyProblems = false;
    // Nodes (workloads and pods) the label selector keeps; unset keeps all. Ingresses,
    // Services, HPAs and PDBs are shown when something they link to is kept.
    std::function<bool(const model::TopologyNode &)> labelMatch;
    // ReplicaSets with more pods than this show them as one card with a count bubble.
    int collapseAbove = 6;
    QSet<QString> expanded;  // ReplicaSet ids the user opened
    QSet<QString> collapsed; // ReplicaSet ids the user closed although below the threshold
    // Why a workload's handle is locked (RBAC, HPA); keyed by node id.
    QHash<QString, QString> handleLocked;
    // Scales sent but not yet seen by the watch: node id -> target.
    QHash<QString, int> scaling;
};

widgets::GraphSpec topologyGraph(const model::Topology &topology,
                                 const TopologyGraphOptions &options);

QColor healthColour(model::TopologyNode::Health health);
// The largest replica count the handle offers.
int handleMaximum(int current);

} // namespace kd::ui
