#pragma once
// Typed reads of the cached objects the panes draw (owners, pod placement and readiness, GPU
// requests). Pure functions over the server's JSON; missing or ill-typed fields read as empty
// or zero. Table texts (kubectl's STATUS, READY, AGE) live in display.h.

#include "kube/kubeobject.h"
#include "semantics/resources.h"

#include <QString>
#include <QStringList>

namespace kd::model {

// metadata.ownerReferences[].uid, in order, empty uids skipped.
QStringList ownerUids(const kube::Json &object);

struct OwnerRef {
    QString apiVersion;
    QString kind;
    QString name;
    QString uid;
};
// The owner reference with controller: true (a Pod's ReplicaSet); kind empty when none.
OwnerRef controllerOf(const kube::Json &object);

// status.phase of a pod ("Pending", "Running", ...); "" when absent.
QString podPhase(const kube::Json &pod);
// spec.nodeName; "" while the pod is not scheduled.
QString podNodeName(const kube::Json &pod);

struct ContainerCounts {
    int ready = 0;
    int total = 0; // spec.containers (statuses may lag behind the spec)
};
ContainerCounts podContainerCounts(const kube::Json &pod);
// Sum of restartCount over the app containers.
int podRestartCount(const kube::Json &pod);

// What the pod asks a node for (init containers, sidecars, overhead), as the scheduler counts
// it; nothing for a terminated pod.
semantics::ResourceList podEffectiveRequests(const kube::Json &pod);
// Whole GPUs and MIG slices among the effective requests.
qint64 podGpuRequests(const kube::Json &pod);

// Workloads: spec.replicas (default 1 when absent) and status.readyReplicas.
int desiredReplicas(const kube::Json &workload);
int readyReplicas(const kube::Json &workload);

} // namespace kd::model
