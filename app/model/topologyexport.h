#pragma once
// The serving topology as text for other tools: JSON (every node and edge field, stable order)
// and a Graphviz digraph. `kubedeck topology` prints them; the GUI can export them.

#include "kube/kubeobject.h"
#include "model/topology.h"

#include <QByteArray>
#include <QString>

namespace kd::model {

// Words for the enums, as the JSON writes them: "ok", "progressing", "warning", "failed";
// "routes", "selects", "owns", "scales", "protects".
QString healthName(TopologyNode::Health health);
QString relationName(TopologyEdge::Relation relation);

// {"namespace", "nodes", "edges", "problems"}: nodes sorted by id, edges by from, to, relation
// and label, problems as Topology::problems(). `namespaceName` "" (every namespace) is null.
kube::Json topologyToJson(const Topology &topology, const QString &namespaceName);

// A digraph laid out left to right: one box per node labelled kind, name and status and
// coloured by health, edges labelled; broken edges dashed red with the problem as tooltip.
// Every id and text is quoted and escaped.
QByteArray topologyToDot(const Topology &topology, const QString &namespaceName);

// A DOT double-quoted string: backslashes, quotes and line breaks escaped.
QByteArray dotQuoted(const QString &text);

} // namespace kd::model
