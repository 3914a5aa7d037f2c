#pragma once
// How a Deployment's rollout reads from outside (kubectl rollout status) and how the controller
// judges progress against progressDeadlineSeconds (progress.go, deployment_util.go).

#include "semantics/rollout.h"

#include <optional>
#include <string>

namespace kd::semantics {

// Condition reasons of the Deployment's Progressing and Available conditions.
inline constexpr const char *kReasonNewReplicaSetCreated = "NewReplicaSetCreated";
inline constexpr const char *kReasonFoundNewReplicaSet = "FoundNewReplicaSet";
inline constexpr const char *kReasonReplicaSetUpdated = "ReplicaSetUpdated";
inline constexpr const char *kReasonNewReplicaSetAvailable = "NewReplicaSetAvailable";
inline constexpr const char *kReasonProgressDeadlineExceeded = "ProgressDeadlineExceeded";
inline constexpr const char *kReasonReplicaSetCreateError = "ReplicaSetCreateError";
inline constexpr const char *kReasonDeploymentPaused = "DeploymentPaused";
inline constexpr const char *kReasonDeploymentResumed = "DeploymentResumed";
inline constexpr const char *kReasonMinimumReplicasAvailable = "MinimumReplicasAvailable";
inline constexpr const char *kReasonMinimumReplicasUnavailable = "MinimumReplicasUnavailable";

struct RolloutStatusInput {
    std::string name;
    long long generation = 0;
    long long observedGeneration = 0;
    std::optional<int> specReplicas;
    int replicas = 0;
    int updatedReplicas = 0;
    int availableReplicas = 0;
    std::string progressingReason; // reason of the Progressing condition, "" when absent
};

struct RolloutStatus {
    // kubectl's text without the trailing newline, e.g. `Waiting for deployment "web" rollout
    // to finish: 1 out of 3 new replicas have been updated...`; for a failure, the error text.
    std::string message;
    bool done = false;
    bool failed = false;
};
// The checks of kubectl's DeploymentStatusViewer, in its order.
RolloutStatus deploymentRolloutStatus(const RolloutStatusInput &in);

enum class ProgressVerdict {
    Unchanged,   // leave the Progressing condition as it is
    Complete,    // NewReplicaSetAvailable
    Progressing, // ReplicaSetUpdated (lastUpdateTime moves)
    TimedOut,    // ProgressDeadlineExceeded
};

struct ProgressInput {
    std::optional<int> progressDeadlineSeconds; // nullopt or INT32_MAX: no deadline
    std::string currentReason;                  // the stored Progressing condition's reason
    double currentLastUpdate = 0;               // its lastUpdateTime (epoch seconds)
    bool hasCurrentCondition = false;
    bool complete = false;    // DeploymentComplete, observedGeneration included
    bool progressing = false; // DeploymentProgressing against the stored status
    bool allUpdated = false;  // new status: replicas == updatedReplicas
    double now = 0;
};
// syncRolloutStatus's decision.
ProgressVerdict evaluateProgress(const ProgressInput &in);
bool hasProgressDeadline(const std::optional<int> &progressDeadlineSeconds);
// When the deadline passes for a Progressing condition last updated at `lastUpdate`.
double progressDeadlineAt(double lastUpdate, int progressDeadlineSeconds);

} // namespace kd::semantics
