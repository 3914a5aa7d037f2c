#pragma once
// What the drag-to-scale preview shows, from the object store: the scheduler's view of the
// cluster (nodes and the pods holding room on them, then the Pending pods ahead in its queue)
// and what the workload's controllers would create or delete for the new count (a Deployment
// mid-rollout also resizes its surge), placed with the scheduler's own functions.

#include "model/objectstore.h"
#include "semantics/scalefeasibility.h"

#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace kd::model {

// One workload's predictions for any number of targets (a drag): the cluster is read from the
// store once, and each target then costs only the placement of its pods. Holds copies: the
// store may change or go afterwards (build a new predictor for the new state).
class ScalePredictor final {
public:
    // workloadKindKey: "deployments.apps" or "statefulsets.apps".
    ScalePredictor(const ObjectStore &store, const QString &workloadKindKey, const QString &ns,
                   const QString &name);

    // The workload is in the store (and of a kind that scales this way).
    bool isValid() const { return m_valid; }
    int currentReplicas() const { return m_current; }
    semantics::ScaleFeasibility predict(int target) const;

private:
    struct ReplicaSetShare {
        QString name;
        semantics::ReplicaSetCounts counts;
        semantics::PodNeeds pod; // of its template
        int pods = 0;            // active pods now
        int unscheduled = 0;     // of those, not bound to a node
    };

    void readDeployment(const ObjectStore &store, const kube::KubeObject &deployment);
    void readStatefulSet(const ObjectStore &store, const kube::KubeObject &set);
    void planDeployment(semantics::ScalePlan &plan) const;
    void planStatefulSet(semantics::ScalePlan &plan) const;

    bool m_valid = false;
    bool m_statefulSet = false;
    int m_current = 0;
    int m_pendingNow = 0;
    semantics::PodNeeds m_template;
    std::vector<semantics::NodeState> m_nodes; // the queued Pending pods already placed

    // Deployments: the ReplicaSets it controls, oldest first.
    std::vector<ReplicaSetShare> m_sets;
    semantics::DeploymentParams m_params;
    bool m_paused = false;
    int m_statusReplicas = 0;

    // StatefulSets: (ordinal, unscheduled) of each active member pod.
    std::vector<std::pair<int, bool>> m_members;
    bool m_orderedReady = true;
    bool m_heldBack = false; // OrderedReady and a member is missing or not Running and Ready
};

// Feasibility of scaling a Deployment or StatefulSet in the store to `target` replicas.
// workloadKindKey: "deployments.apps" or "statefulsets.apps". Returns std::nullopt when the
// workload is not in the store (or the kind is neither).
std::optional<semantics::ScaleFeasibility> predictScale(const ObjectStore &store,
                                                        const QString &workloadKindKey,
                                                        const QString &ns, const QString &name,
                                                        int target);

} // namespace kd::model
