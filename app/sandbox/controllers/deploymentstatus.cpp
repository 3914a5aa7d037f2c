// A Deployment's status and conditions (upstream sync.go calculateStatus, progress.go).
#include "sandbox/controllers/deploymentsync.h"

#include "sandbox/clock.h"
#include "sandbox/controllers/deploymentutil.h"
#include "sandbox/controllers/replicasetutil.h"
#include "semantics/rolloutstatus.h"

#include <algorithm>

namespace kd::sandbox {

namespace {

semantics::DeploymentStatusCounts countsOf(const Json &status) {
    return {static_cast<int>(integer(status, {"replicas"})),
            static_cast<int>(integer(status, {"updatedReplicas"})),
            static_cast<int>(integer(status, {"readyReplicas"})),
            static_cast<int>(integer(status, {"availableReplicas"})),
            static_cast<int>(integer(status, {"unavailableReplicas"}))};
}

} // namespace

std::string DeploymentSync::progressSubject() const {
    return m_new ? "ReplicaSet \"" + nameOf(m_rs[*m_new]) + "\""
                 : "Deployment \"" + nameOf(m_d) + "\"";
}

Json DeploymentSync::calculateStatus() const {
    const semantics::DeploymentStatusCounts c = semantics::calculateStatus(counts());
    Json status = Json::object();
    setOmitEmpty(status, "observedGeneration", integer(m_d, {"metadata", "generation"}));
    setOmitEmpty(status, "replicas", c.replicas);
    setOmitEmpty(status, "updatedReplicas", c.updatedReplicas);
    setOmitEmpty(status, "readyReplicas", c.readyReplicas);
    setOmitEmpty(status, "availableReplicas", c.availableReplicas);
    setOmitEmpty(status, "unavailableReplicas", c.unavailableReplicas);
    const Json &collision = at(m_d, {"status", "collisionCount"});
    if (!collision.is_null())
        status["collisionCount"] = collision;
    const Json &conditions = at(m_d, {"status", "conditions"});
    if (conditions.is_array() && !conditions.empty())
        status["conditions"] = conditions;
    const std::string now = Clock::rfc3339(m_ctx.now);
    if (semantics::hasMinimumAvailability(m_params, c))
        setCondition(status,
                     makeCondition("Available", "True", semantics::kReasonMinimumReplicasAvailable,
                                   "Deployment has minimum availability.", now));
    else
        setCondition(status, makeCondition("Available", "False",
                                           semantics::kReasonMinimumReplicasUnavailable,
                                           "Deployment does not have minimum availability.", now));
    return status;
}

void DeploymentSync::syncDeploymentStatus() {
    Json status = calculateStatus();
    if (status == at(m_d, {"status"}))
        return;
    m_d["status"] = std::move(status);
    writeDeployment();
}

void DeploymentSync::syncRolloutStatus() {
    Json status = calculateStatus();
    const std::optional<int> deadline = progressDeadlineSeconds(m_d);
    const bool hasDeadline = semantics::hasProgressDeadline(deadline);
    if (!hasDeadline)
        removeCondition(status, "Progressing");

    const Json *current = findCondition(at(m_d, {"status"}), "Progressing");
    const semantics::DeploymentStatusCounts after = countsOf(status);
    semantics::ProgressInput in;
    in.progressDeadlineSeconds = deadline;
    in.hasCurrentCondition = findCondition(status, "Progressing") != nullptr;
    in.currentReason = current ? current->value("reason", "") : std::string();
    in.currentLastUpdate =
        current ? Clock::parseRfc3339(current->value("lastUpdateTime", ""), 0) : 0;
    in.complete =
        semantics::deploymentComplete(m_params.replicas, after) &&
        integer(status, {"observedGeneration"}) >= integer(m_d, {"metadata", "generation"});
    in.progressing = semantics::deploymentProgressing(countsOf(at(m_d, {"status"})), after);
    in.allUpdated = after.replicas == after.updatedReplicas && current != nullptr;
    in.now = m_ctx.now;

    const std::string now = Clock::rfc3339(m_ctx.now);
    switch (semantics::evaluateProgress(in)) {
    case semantics::ProgressVerdict::Complete:
        setCondition(status,
                     makeCondition("Progressing", "True", semantics::kReasonNewReplicaSetAvailable,
                                   progressSubject() + " has successfully progressed.", now));
        break;
    case semantics::ProgressVerdict::Progressing: {
        // Progress refreshes lastUpdateTime even with the same reason: the deadline counts
        // from the last progress.
        Json cond = makeCondition("Progressing", "True", semantics::kReasonReplicaSetUpdated,
                                  progressSubject() + " is progressing.", now);
        if (current) {
            if (current->value("status", "") == "True")
                cond["lastTransitionTime"] = current->value("lastTransitionTime", Json());
            removeCondition(status, "Progressing");
        }
        setCondition(status, std::move(cond));
        break;
    }
    case semantics::ProgressVerdict::TimedOut:
        setCondition(status, makeCondition("Progressing", "False",
                                           semantics::kReasonProgressDeadlineExceeded,
                                           progressSubject() + " has timed out progressing.", now));
        break;
    case semantics::ProgressVerdict::Unchanged:
        break;
    }

    // A ReplicaSet's ReplicaFailure (the new one's first) becomes the Deployment's.
    std::optional<Json> failure;
    auto failureOf = [](const Json &rs) -> std::optional<Json> {
        if (const Json *c = findCondition(at(rs, {"status"}), "ReplicaFailure"))
            return Json{{"type", "ReplicaFailure"},
                        {"status", c->value("status", "")},
                        {"lastUpdateTime", c->value("lastTransitionTime", Json())},
                        {"lastTransitionTime", c->value("lastTransitionTime", Json())},
                        {"reason", c->value("reason", "")},
                        {"message", c->value("message", "")}};
        return std::nullopt;
    };
    if (m_new)
        failure = failureOf(m_rs[*m_new]);
    for (std::size_t i = 0; i < m_rs.size() && !failure; ++i)
        failure = failureOf(m_rs[i]);
    if (failure)
        setCondition(status, std::move(*failure));
    else
        removeCondition(status, "ReplicaFailure");

    if (status == at(m_d, {"status"})) {
        m_next = std::min(m_next, requeueStuckDeployment(status));
        return;
    }
    m_d["status"] = std::move(status);
    writeDeployment();
}

double DeploymentSync::requeueStuckDeployment(const Json &newStatus) const {
    const std::optional<int> deadline = progressDeadlineSeconds(m_d);
    const Json *current = findCondition(at(m_d, {"status"}), "Progressing");
    if (!semantics::hasProgressDeadline(deadline) || !current)
        return Controller::never;
    if (semantics::deploymentComplete(m_params.replicas, countsOf(newStatus)) ||
        current->value("reason", "") == semantics::kReasonProgressDeadlineExceeded ||
        current->value("reason", "") == semantics::kReasonNewReplicaSetAvailable)
        return Controller::never; // finished, or judged already: no deadline to watch
    const double lastUpdate = Clock::parseRfc3339(current->value("lastUpdateTime", ""), 0);
    // Upstream re-checks a second after the deadline; a timeout needs "strictly after".
    return std::max(m_ctx.now, semantics::progressDeadlineAt(lastUpdate, *deadline)) + 1;
}

} // namespace kd::sandbox
