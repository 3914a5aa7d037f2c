#pragma once
// Drag-to-scale feasibility: for a workload's new replica count, which pods its controllers
// create or delete, where the scheduler would put the new ones, and how many would stay Pending
// and why. The placement is the scheduler's own (scheduling.h) and the ReplicaSet sizes are the
// deployment controller's own maths (rollout.h); the sandbox acts with the same functions, so
// the preview is what the sandbox then does.

#include "semantics/resources.h"
#include "semantics/rollout.h"
#include "semantics/scheduling.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kd::semantics {

struct ScaleFeasibility {
    int current = 0; // the workload's replicas now (spec.replicas)
    int target = 0;
    int added() const { return target > current ? target - current : 0; }
    int removed() const { return current > target ? current - target : 0; }

    ResourceList perPod; // effective requests of one pod of the template
    // The GPU or MIG resource the template asks for ("nvidia.com/gpu", "nvidia.com/mig-1g.10gb"),
    // "" when none. Amounts below are whole units of it.
    std::string acceleratorResource;
    std::int64_t acceleratorsNeeded = 0; // what the created pods ask for in total
    // Free on schedulable (not cordoned) nodes after the pods placed there and the Pending pods
    // the scheduler places first, before the new pods.
    std::int64_t acceleratorsFree = 0;
    // The part of acceleratorsFree on nodes the template may run on apart from room (taints,
    // node selector and affinity, anti-affinity allow it there).
    std::int64_t acceleratorsUsable = 0;
    // Held by the scheduled pods a scale-down deletes: free once they have terminated.
    std::int64_t acceleratorsFreed = 0;

    std::map<std::string, int> placed; // node -> new pods placed there
    int pending = 0;                   // of the created pods, how many would stay Pending
    std::string pendingMessage;        // the scheduler's FailedScheduling message for the first one

    // What the workload's controllers do besides `target − current` (model::predictScale fills
    // these from the cluster; the plain predictScale sets created = added()).
    // Pods created and deleted, counted per ReplicaSet as growth and shrinkage: mid-rollout
    // more than added() or removed() when the surge follows the count, or both at once.
    int created = 0;
    int deleted = 0;
    int waiting = 0;        // not created until an earlier pod is Ready (OrderedReady StatefulSets)
    int pendingNow = 0;     // the workload's pods Pending now
    int pendingDeleted = 0; // of those, how many the scale deletes (unscheduled pods go first)
    int pendingAfter() const { return pendingNow - pendingDeleted + pending; }

    // One line for the drag preview, e.g.
    // "+3 pods need 3 nvidia.com/gpu; 1 free on schedulable nodes → 2 would stay Pending",
    // "+2 pods fit: 1 on gpu-a100-1, 1 on gpu-a100-2", "−2 pods free 2 nvidia.com/gpu",
    // "no change".
    std::string summary() const;
};

// Pods of one template that the controllers create together (one ReplicaSet's share).
struct PodBatch {
    PodNeeds pod;
    int count = 0;
};

// What a workload's controllers do about a new replica count, worked out from the cluster.
struct ScalePlan {
    int current = 0;
    int target = 0;
    PodNeeds templatePod;          // the workload's template: per-pod requests and accelerator
    std::vector<PodBatch> batches; // pods created, in the order the scheduler meets them
    // StatefulSets with OrderedReady create one pod at a time, each after the previous one is
    // Running and Ready: the first that stays Pending holds the rest back (they wait, not pend).
    bool oneAtATime = false;
    int waiting = 0; // added pods held back already (an existing pod is not Ready)
    int pendingNow = 0;
    int deleted = 0; // pods deleted, Pending ones included
    int pendingDeleted = 0;
    ResourceList freed; // requests of the scheduled pods deleted
};

// Scaling a workload of identical pods from `current` to `target` replicas: target − current new
// pods of `templatePod`, or current − target pods deleted (assumed scheduled).
//
// `alreadyPending`: the pods Pending now, in the order the scheduler tries them: creation time,
// then namespace, then name (the sandbox's queue order; upstream's queue orders pods of equal
// priority by the time they were queued). They come before the new pods, which are created
// later. A pod that failed against this very cluster fails again (adding pods only takes room),
// so passing every Pending pod is right even though the scheduler, upstream and the sandbox,
// leaves those waiting for a cluster change and meets the new pods first.
ScaleFeasibility predictScale(std::vector<NodeState> nodes, const PodNeeds &templatePod,
                              int current, int target,
                              const std::vector<PodNeeds> &alreadyPending = {});
// The same for a plan with what the controllers really create and delete.
ScaleFeasibility predictScale(std::vector<NodeState> nodes, const ScalePlan &plan,
                              const std::vector<PodNeeds> &alreadyPending = {});
// What predictScale does with `alreadyPending` first: the queued pods that fit are placed, in
// order. For callers that predict many targets from one view of the cluster (a drag).
void placeQueuedPods(std::vector<NodeState> &nodes, const std::vector<PodNeeds> &queued);

// The deployment controller's answer to a new spec.replicas (`d.replicas`): every ReplicaSet's
// spec.replicas once its syncs stop changing them, in the order given. A scaling event is
// proportional scaling (planScale); then the rollout steps (rolling update or Recreate) run
// until one changes nothing. No pod becomes available meanwhile (new pods still have to be
// scheduled and start), and a ReplicaSet that shrinks deletes its unavailable pods first.
// `deploymentStatusReplicas` is the Deployment's status.replicas; a paused Deployment only scales.
std::vector<int> replicaSetSizesAfterScale(const DeploymentParams &d,
                                           std::vector<ReplicaSetCounts> rs,
                                           int deploymentStatusReplicas, bool paused = false);

} // namespace kd::semantics
