#pragma once
// Who holds which GPUs: per node and per pool, every GPU resource (nvidia.com/gpu, each
// nvidia.com/mig-* profile, amd.com/gpu) with its capacity, allocatable, the pods requesting it
// (effective requests: init containers, sidecars and overhead counted as the scheduler counts
// them; terminated pods hold nothing) and what is free; cordoned and tainted nodes marked; the
// pools' fragmentation; and every Pending GPU pod with the scheduler's message and the ledger's
// own explanation (semantics::explainGpuFit). Kept up to date incrementally from the object
// store's changes.

#include "model/objectstore.h"
#include "semantics/scheduling.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace kd::model {

// One pod's hold on one GPU resource of a node.
struct GpuHolder {
    QString namespaceName;
    QString pod;
    // The workload the pod belongs to: the Deployment over its ReplicaSet, else the controller
    // named in its ownerReferences; a bare pod owns itself ("Pod").
    QString ownerKind;
    QString ownerName;
    qint64 units = 0;
    // "Deployment/ns/name" (as model::Topology ids): what a click on the owner selects.
    QString ownerId() const;
};

struct GpuResourceUse {
    QString resource; // "nvidia.com/gpu", "nvidia.com/mig-1g.10gb", "amd.com/gpu"
    qint64 capacity = 0;
    qint64 allocatable = 0;
    qint64 used = 0;                // sum of the holders' units
    std::vector<GpuHolder> holders; // sorted by namespace, then pod name
    qint64 free() const { return used < allocatable ? allocatable - used : 0; }
};

struct GpuNode {
    QString name;
    QString pool;         // the pool label's value; the product when grouping by product
    QString product;      // nvidia.com/gpu.product ("" when the node has no such label)
    qint64 memoryMiB = 0; // nvidia.com/gpu.memory
    qint64 gpuCount = 0;  // nvidia.com/gpu.count
    QString migStrategy;  // nvidia.com/mig.strategy: "", "none", "single" or "mixed"
    bool ready = true;
    bool unschedulable = false;            // cordoned
    QStringList taints;                    // NoSchedule/NoExecute taints as "key=value:Effect"
    std::vector<GpuResourceUse> resources; // sorted by resource name
    // Pods may land here (not cordoned); taints depend on the pod, so they do not count.
    bool schedulable() const { return !unschedulable; }
};

// A pool's totals of one GPU resource.
struct GpuPoolUse {
    QString pool;
    QString resource;
    QString product;
    int nodes = 0;
    qint64 allocatable = 0;
    qint64 used = 0;
    qint64 free = 0;             // on every node of the pool
    qint64 freeSchedulable = 0;  // on nodes that are not cordoned
    qint64 largestFreeBlock = 0; // the most free on one schedulable node
    QString largestFreeNode;
    // Free units exist, but no single node has as many as are free in total.
    bool fragmented() const { return freeSchedulable > largestFreeBlock && largestFreeBlock > 0; }
    // "6 free, but at most 1 per node"; "6 free, all on one node"; "6 free" (a pool of one
    // node); "none free"; "+2 on cordoned nodes" appended when cordoned nodes have free units.
    QString fragmentationText() const;
};

struct PendingGpuPod {
    QString namespaceName;
    QString pod;
    QString ownerKind;
    QString ownerName;
    QString ownerId() const;
    QString resource; // the GPU resource it asks for (the first, when several)
    qint64 units = 0;
    // The scheduler's last word: the FailedScheduling event's or the PodScheduled condition's
    // message ("" when the scheduler has not tried yet).
    QString schedulerMessage;
    // The ledger's own fit against the cluster as it is now.
    QString explanation;
    bool fitsNow = false; // a node has room now: the scheduler places it on its next try
    QString fitsOn;
};

class GpuLedger final {
public:
    // `store` answers owner lookups (a pod's ReplicaSet's Deployment); it must outlive the
    // ledger. Without it, a ReplicaSet's Deployment is named from the pod-template-hash.
    explicit GpuLedger(const ObjectStore *store = nullptr);

    // The node label that names pools ("cloud.google.com/gke-nodepool", ...); empty: pools are
    // GPU products. Regroups at once.
    void setPoolLabel(const QString &label);
    QString poolLabel() const { return m_poolLabel; }
    // Node labels that look like pool labels on the nodes seen, for a picker.
    QStringList poolLabelCandidates() const;

    // Reads nodes, pods and events of the store from scratch.
    void rebuild(const ObjectStore &store);
    // One kind's changes, as ObjectStore::objectsChanged announces them (nodes, pods, events;
    // other kinds are ignored).
    void apply(const QString &kindKey, const ObjectList &added, const ObjectList &modified,
               const ObjectList &removed);
    void clear();

    // Nodes with any GPU resource (capacity or allocatable), sorted by pool, then name.
    const std::vector<GpuNode> &nodes() const;
    // Per pool and resource, sorted by pool, then resource.
    const std::vector<GpuPoolUse> &pools() const;
    // Pending pods that ask for a GPU resource, sorted by namespace, then name.
    const std::vector<PendingGpuPod> &pendingPods() const;

    // The scheduler's view (every node with the pods holding room on it), for "what if".
    // `withoutOwner` (an ownerId()): as if that workload's pods were gone, e.g. to place the pods
    // of its new template after a rollout.
    std::vector<semantics::NodeState> schedulerView(const QString &withoutOwner = {}) const;
    // Pending pods (GPU or not) in the scheduler's queue order, for predictions; without the
    // pods of `withoutOwner`.
    std::vector<semantics::PodNeeds> pendingQueue(const QString &withoutOwner = {}) const;

    qsizetype podCount() const { return m_pods.size(); }

private:
    struct PodEntry {
        QString key; // "ns/name"
        QString namespaceName;
        QString name;
        QString ownerKind;
        QString ownerName;
        QString nodeName;     // "" while Pending
        bool holds = false;   // bound and not terminated: counts against the node
        bool pending = false; // not bound, not terminated, not being deleted
        std::string created;  // creationTimestamp, for the queue order
        QString conditionMessage;
        semantics::PodNeeds needs;
    };
    // The pods holding room on a node (the node object may not be there yet).
    struct NodePods {
        std::map<QString, QString> pods; // "ns/name" -> uid
        semantics::ResourceList requested;
        semantics::ResourceList scoreRequested;
    };
    struct NodeEntry {
        kube::ObjectPtr object;
        semantics::NodeState state; // pods empty: the pods on it are in m_onNode
        semantics::ResourceList capacity;
    };
    struct EventNote {
        QString podKey;
        QDateTime time;
        QString message;
    };

    void addPod(const kube::ObjectPtr &pod);
    void removePod(const QString &uid);
    void setNode(const kube::ObjectPtr &node);
    void noteEvent(const kube::ObjectPtr &event);
    void forgetEvent(const QString &uid);
    void hold(const QString &uid, const PodEntry &pod, int sign);
    void resolveOwner(PodEntry &entry, const kube::Json &pod) const;
    void invalidate() { m_viewsDirty = m_pendingDirty = true; }
    QString schedulerMessage(const PodEntry &pod) const;
    void buildViews() const;
    void buildPending() const;

    const ObjectStore *m_store;
    QString m_poolLabel;
    std::map<QString, NodeEntry> m_nodes;  // by name
    QHash<QString, PodEntry> m_pods;       // by uid
    std::map<QString, NodePods> m_onNode;  // by node name
    QHash<QString, EventNote> m_events;    // FailedScheduling events by uid
    QHash<QString, QString> m_latestEvent; // pod "ns/name" -> uid of its newest one

    mutable bool m_viewsDirty = true;
    mutable bool m_pendingDirty = true;
    mutable bool m_messagesDirty = false; // only the scheduler's messages changed
    mutable std::vector<GpuNode> m_nodeView;
    mutable std::vector<GpuPoolUse> m_poolView;
    mutable std::vector<PendingGpuPod> m_pendingView;
    mutable std::vector<QString> m_pendingUids; // of m_pendingView's pods, in its order
};

} // namespace kd::model
