#pragma once
// How traffic reaches the model servers, derived from the object store: Ingress → Service (by
// name and port) → Deployment / StatefulSet (whose pod template the Service selects) →
// ReplicaSet (owner references; current and old revisions) → Pod, with HPAs and PDBs attached
// to their targets. Broken links are first-class: an Ingress to a missing Service or port, a
// Service that selects nothing, an HPA whose target does not exist. Each node carries what the
// graph draws: health, GPUs, replica counts, why a pod is Pending.

#include "model/objectstore.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace kd::model {

struct TopologyNode {
    enum class Kind {
        Ingress,
        Service,
        Deployment,
        StatefulSet,
        ReplicaSet,
        Pod,
        HorizontalPodAutoscaler,
        PodDisruptionBudget,
        Missing, // the target of a broken link: named, but not in the cluster
    };
    enum class Health { Ok, Progressing, Warning, Failed };

    QString id; // "Kind/namespace/name", unique in the graph
    Kind kind = Kind::Missing;
    QString namespaceName;
    QString name;
    Health health = Health::Ok;
    QString status; // one line: "3/3 ready", "Pending: 0/4 nodes are available: ..."

    // Workloads and ReplicaSets.
    int desiredReplicas = 0;
    int readyReplicas = 0;
    QString revision;     // ReplicaSets: deployment.kubernetes.io/revision
    bool current = false; // ReplicaSets: the Deployment's current revision

    // GPUs: a pod's effective request, a workload's per pod and in total (desired × per pod).
    qint64 gpusPerPod = 0;
    qint64 gpusTotal = 0;
    QString gpuUnit = QStringLiteral("GPU"); // or "MIG 1g.10gb": what gpusPerPod counts
    QString gpuProduct;                      // pods: nvidia.com/gpu.product of their node
    QString nodeName;                        // pods

    // HPAs: the replica range they keep the target in.
    int minReplicas = 0;
    int maxReplicas = 0;
    QStringList hosts; // Ingresses: rule and TLS hosts
};

struct TopologyEdge {
    enum class Relation {
        Routes,   // Ingress → Service
        Selects,  // Service → workload
        Owns,     // workload → ReplicaSet → Pod
        Scales,   // HPA → workload
        Protects, // PDB → workload
    };
    QString from;
    QString to;
    Relation relation = Relation::Owns;
    QString label; // "churn.api.example.com/ → :8080"
    bool broken = false;
    QString problem; // why the link is broken, in plain words
};

class Topology final {
public:
    // Everything in `namespaceName` ("" : every namespace).
    static Topology derive(const ObjectStore &store, const QString &namespaceName = {});

    const std::vector<TopologyNode> &nodes() const { return m_nodes; }
    const std::vector<TopologyEdge> &edges() const { return m_edges; }
    const TopologyNode *node(const QString &id) const;
    std::vector<const TopologyEdge *> edgesFrom(const QString &id) const {
        return edgesWhere(&TopologyEdge::from, id);
    }
    std::vector<const TopologyEdge *> edgesTo(const QString &id) const {
        return edgesWhere(&TopologyEdge::to, id);
    }
    // Problems in plain words ("Ingress ml-serving/old-api routes to Service \"legacy\", which
    // does not exist"), one per broken edge or node, sorted.
    QStringList problems() const;

    static QString kindName(TopologyNode::Kind kind);
    static QString idOf(TopologyNode::Kind kind, const QString &ns, const QString &name);

private:
    std::vector<const TopologyEdge *> edgesWhere(QString TopologyEdge::*end,
                                                 const QString &id) const;

    std::vector<TopologyNode> m_nodes;
    QHash<QString, std::size_t> m_index; // node id -> index in m_nodes
    std::vector<TopologyEdge> m_edges;
    QStringList m_problems;
    friend class TopologyBuilder;
};

} // namespace kd::model
