#pragma once
// One sync of one Deployment, as upstream's syncDeployment: find or create the new ReplicaSet,
// scale (proportionally when the Deployment was resized mid-rollout), roll (RollingUpdate or
// Recreate), trim old ReplicaSets, and write status and conditions.

#include "sandbox/controller.h"
#include "sandbox/json.h"
#include "semantics/rollout.h"

#include <optional>
#include <string>
#include <vector>

namespace kd::sandbox {

class DeploymentSync final {
public:
    // `replicaSets`: the ReplicaSets this Deployment controls (already claimed); `pods`: the
    // pods those ReplicaSets control, for Recreate's "no old pod left" check. `mayCreate` false
    // holds back creating the new ReplicaSet (the last attempt failed and is backing off).
    DeploymentSync(ControllerContext &ctx, Json deployment, std::vector<Json> replicaSets,
                   std::vector<ObjectPtr> pods, bool mayCreate = true);
    // Returns the next time this Deployment wants a pass (progress deadline), or never.
    double run();
    // The API server refused the new ReplicaSet in this sync.
    bool createFailed() const { return m_createFailed; }

private:
    struct Retry {}; // a write met a conflict: stop here, the next pass starts over

    // deploymentsync.cpp
    void sync();
    void syncStatusOnly();
    void scale();
    void rolloutRolling();
    void rolloutRecreate();
    bool oldPodsRunning() const;
    void cleanupDeployment();
    bool checkPausedConditions();
    bool scaleReplicaSet(std::size_t index, int newScale);
    bool applyChanges(const std::vector<semantics::ScaleChange> &changes);
    std::vector<semantics::ReplicaSetCounts> counts() const;
    void writeDeployment();

    // deploymentnewrs.cpp
    void syncRevision(bool createIfNotExisted);
    void createNewReplicaSet(long long newRevision);
    bool copyAnnotationsToReplicaSet(Json &rs) const;
    bool setReplicasAnnotations(Json &rs) const;

    // deploymentstatus.cpp
    Json calculateStatus() const;
    void syncDeploymentStatus();
    void syncRolloutStatus();
    double requeueStuckDeployment(const Json &newStatus) const;
    std::string progressSubject() const;

    ControllerContext &m_ctx;
    Json m_d;
    semantics::DeploymentParams m_params;
    std::vector<Json> m_rs; // oldest first (creationTimestamp, then name)
    std::vector<ObjectPtr> m_pods;
    std::optional<std::size_t> m_new;
    bool m_revisionInSync = false; // syncRevision found nothing left to write this sync
    bool m_mayCreate = true;
    bool m_createFailed = false;
    double m_next = Controller::never;
};

} // namespace kd::sandbox
