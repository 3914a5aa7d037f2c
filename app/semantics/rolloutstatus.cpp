#include "semantics/rolloutstatus.h"

#include <cstdint>
#include <limits>

namespace kd::semantics {

RolloutStatus deploymentRolloutStatus(const RolloutStatusInput &in) {
    const std::string prefix = "Waiting for deployment \"" + in.name + "\" rollout to finish: ";
    if (in.generation > in.observedGeneration)
        return {"Waiting for deployment spec update to be observed...", false, false};
    if (in.progressingReason == kReasonProgressDeadlineExceeded)
        return {"deployment \"" + in.name + "\" exceeded its progress deadline", false, true};
    if (in.specReplicas && in.updatedReplicas < *in.specReplicas)
        return {prefix + std::to_string(in.updatedReplicas) + " out of " +
                    std::to_string(*in.specReplicas) + " new replicas have been updated...",
                false, false};
    if (in.replicas > in.updatedReplicas)
        return {prefix + std::to_string(in.replicas - in.updatedReplicas) +
                    " old replicas are pending termination...",
                false, false};
    if (in.availableReplicas < in.updatedReplicas)
        return {prefix + std::to_string(in.availableReplicas) + " of " +
                    std::to_string(in.updatedReplicas) + " updated replicas are available...",
                false, false};
    return {"deployment \"" + in.name + "\" successfully rolled out", true, false};
}

bool hasProgressDeadline(const std::optional<int> &seconds) {
    return seconds && *seconds != std::numeric_limits<std::int32_t>::max();
}

double progressDeadlineAt(double lastUpdate, int progressDeadlineSeconds) {
    return lastUpdate + progressDeadlineSeconds;
}

ProgressVerdict evaluateProgress(const ProgressInput &in) {
    if (!hasProgressDeadline(in.progressDeadlineSeconds))
        return ProgressVerdict::Unchanged;
    // A finished rollout is not re-judged on every resync.
    if (in.allUpdated && in.currentReason == kReasonNewReplicaSetAvailable)
        return ProgressVerdict::Unchanged;
    if (in.complete)
        return ProgressVerdict::Complete;
    if (in.progressing)
        return ProgressVerdict::Progressing;
    if (!in.hasCurrentCondition || in.currentReason == kReasonNewReplicaSetAvailable)
        return ProgressVerdict::Unchanged;
    if (in.currentReason == kReasonProgressDeadlineExceeded)
        return ProgressVerdict::TimedOut;
    // Strictly after, as upstream's from.Add(delta).Before(now).
    if (progressDeadlineAt(in.currentLastUpdate, *in.progressDeadlineSeconds) < in.now)
        return ProgressVerdict::TimedOut;
    return ProgressVerdict::Unchanged;
}

} // namespace kd::semantics
