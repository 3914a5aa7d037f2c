#pragma once
// The arithmetic of Deployment rollouts, as upstream's deployment controller does it
// (pkg/controller/deployment: rolling.go, recreate.go, sync.go, util/deployment_util.go). Plain
// structs in, plain answers out: the sandbox acts on them, the GUI predicts with them.

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace kd::semantics {

// An intstr.IntOrString as used by maxSurge / maxUnavailable: 3, "3" or "25%".
struct IntOrPercent {
    int value = 0;
    bool percent = false;
    // A string without '%' ("3"): the maths takes it as 3, upstream validation rejects it.
    bool stringWithoutPercent = false;

    static IntOrPercent fromInt(int v) { return {v, false, false}; }
    static IntOrPercent fromPercent(int p) { return {p, true, false}; }
};

// nullopt when the value is neither an integer nor a "<digits>%" / "<digits>" string. For either
// nlohmann JSON type (the client caches ordered_json).
template<typename JsonT> std::optional<IntOrPercent> parseIntOrPercent(const JsonT &v);
// GetScaledValueFromIntOrPercent: a percentage of `total`, rounded up or down.
int scaledValue(const IntOrPercent &v, int total, bool roundUp);

struct Fenceposts {
    int maxSurge = 0;
    int maxUnavailable = 0;
};
// ResolveFenceposts: surge rounds up, unavailable rounds down; when both come out 0 the
// controller uses maxUnavailable 1 (so that a rollout can always progress).
Fenceposts resolveFenceposts(const IntOrPercent &maxSurge, const IntOrPercent &maxUnavailable,
                             int replicas);
// Validation's check: both written as zero (0, "0%") is invalid, whatever the replica count.
bool isExplicitZeroZero(const IntOrPercent &maxSurge, const IntOrPercent &maxUnavailable);

struct RollingUpdateCause {
    std::string field; // "maxSurge" or "maxUnavailable", relative to spec.strategy.rollingUpdate
    std::string message;
};
// ValidateRollingUpdateDeployment's messages for the two raw JSON values (null = unset).
std::vector<RollingUpdateCause> validateRollingUpdate(const nlohmann::json &maxSurge,
                                                      const nlohmann::json &maxUnavailable);

enum class Strategy { RollingUpdate, Recreate };

// What the rollout maths needs of a Deployment.
struct DeploymentParams {
    int replicas = 1;
    Strategy strategy = Strategy::RollingUpdate;
    IntOrPercent maxSurge = IntOrPercent::fromPercent(25);
    IntOrPercent maxUnavailable = IntOrPercent::fromPercent(25);
};
// MaxSurge / MaxUnavailable of deployment_util.go: 0 for Recreate; unavailable 0 for 0 replicas
// and never more than the replicas.
int maxSurge(const DeploymentParams &d);
int maxUnavailable(const DeploymentParams &d);

// One ReplicaSet of a Deployment, as far as rollouts care.
struct ReplicaSetCounts {
    int specReplicas = 0;
    int statusReplicas = 0; // pods that exist (status.replicas)
    int readyReplicas = 0;
    int availableReplicas = 0;
    // Creation order, oldest first: creationTimestamp, ties broken by name (upstream's sort).
    long long creationOrder = 0;
    bool isNew = false;
    std::optional<int> desiredReplicasAnnotation; // deployment.kubernetes.io/desired-replicas
    std::optional<int> maxReplicasAnnotation;     // deployment.kubernetes.io/max-replicas
};

// JSON adapters, for either nlohmann JSON type (rollout_json.cpp): a Deployment's replicas (1
// when unset), strategy and fenceposts (25% when unset or unreadable), and one ReplicaSet's
// counts and replica annotations (creationOrder and isNew are the caller's).
template<typename JsonT> DeploymentParams deploymentParamsFromJson(const JsonT &deployment);
template<typename JsonT> ReplicaSetCounts replicaSetCountsFromJson(const JsonT &replicaSet);

// One write of a ReplicaSet's spec.replicas, in the order the controller issues them (the same
// ReplicaSet may appear twice, e.g. unhealthy cleanup and then the normal scale-down).
struct ScaleChange {
    std::size_t index = 0; // into the ReplicaSet list given
    int from = 0;
    int to = 0;
};

int totalSpecReplicas(const std::vector<ReplicaSetCounts> &rs);
int totalAvailableReplicas(const std::vector<ReplicaSetCounts> &rs);

// NewRSNewReplicas: the new ReplicaSet's next size. Rolling: grow by
// min(spec + surge - Σspec, spec - new); Recreate: straight to spec.
int newRSNewReplicas(const DeploymentParams &d, const std::vector<ReplicaSetCounts> &all,
                     int newRSSpecReplicas);

// rolloutRolling's scaling: reconcileNewReplicaSet, and only if that did nothing,
// reconcileOldReplicaSets (unhealthy cleanup, then oldest first while
// Σavailable > spec - maxUnavailable). `rs` holds the new ReplicaSet (isNew) and the old ones.
// Only real resizes are listed.
std::vector<ScaleChange> planRollingUpdate(const DeploymentParams &d,
                                           const std::vector<ReplicaSetCounts> &rs);
// The two halves, for callers that need them apart. reconcileNewReplicaSet may list the new RS
// at its current size: upstream still writes it then, to refresh its replica annotations.
std::vector<ScaleChange> reconcileNewReplicaSet(const DeploymentParams &d,
                                                const std::vector<ReplicaSetCounts> &rs);
std::vector<ScaleChange> reconcileOldReplicaSets(const DeploymentParams &d,
                                                 const std::vector<ReplicaSetCounts> &rs);

// Recreate: every active old ReplicaSet to 0.
std::vector<ScaleChange> planRecreateScaleDown(const std::vector<ReplicaSetCounts> &rs);

// isScalingEvent: an active ReplicaSet whose desired-replicas annotation differs from spec.
bool isScalingEvent(const DeploymentParams &d, const std::vector<ReplicaSetCounts> &rs);
// IsSaturated: the ReplicaSet holds spec replicas, all available, at the desired annotation.
bool isSaturated(const DeploymentParams &d, const ReplicaSetCounts &rs);
// FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active.
std::optional<std::size_t> findActiveOrLatest(const std::vector<ReplicaSetCounts> &rs);

// getReplicaSetFraction / GetProportion (math.Round: halves away from zero).
int replicaSetFraction(const DeploymentParams &d, const ReplicaSetCounts &rs,
                       int deploymentStatusReplicas);
int proportion(const DeploymentParams &d, const ReplicaSetCounts &rs, int replicasToAdd,
               int replicasAdded, int deploymentStatusReplicas);
// The controller's scale(): one active RS takes the whole count; a saturated new RS retires the
// old ones; otherwise (rolling) the surplus or deficit against spec + surge is shared out in
// proportion to sizes, leftovers to the largest. `deploymentStatusReplicas` is the fallback
// when a ReplicaSet lacks the max-replicas annotation. Proportional scaling lists every active
// RS, resized or not (their annotations are refreshed either way).
std::vector<ScaleChange> planScale(const DeploymentParams &d,
                                   const std::vector<ReplicaSetCounts> &rs,
                                   int deploymentStatusReplicas);

// calculateStatus's counts.
struct DeploymentStatusCounts {
    int replicas = 0;
    int updatedReplicas = 0;
    int readyReplicas = 0;
    int availableReplicas = 0;
    int unavailableReplicas = 0;
};
DeploymentStatusCounts calculateStatus(const std::vector<ReplicaSetCounts> &rs);
// The Available condition: availableReplicas >= spec - maxUnavailable.
bool hasMinimumAvailability(const DeploymentParams &d, const DeploymentStatusCounts &s);
// DeploymentComplete (observedGeneration >= generation is the caller's part).
bool deploymentComplete(int specReplicas, const DeploymentStatusCounts &s);
// DeploymentProgressing: more updated, fewer old, more ready or more available than before.
bool deploymentProgressing(const DeploymentStatusCounts &before,
                           const DeploymentStatusCounts &after);

} // namespace kd::semantics
