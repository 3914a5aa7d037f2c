#include "sandbox/controllers/deploymentsync.h"

#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/deploymentutil.h"
#include "sandbox/controllers/replicasetutil.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"
#include "semantics/rolloutrevision.h"
#include "semantics/rolloutstatus.h"

#include <algorithm>
#include <climits>

namespace kd::sandbox {

namespace {

constexpr const char *kComponent = "deployment-controller";

const ResourceType &deploymentType() {
    return resourceType("apps/v1", "Deployment");
}
const ResourceType &replicaSetType() {
    return resourceType("apps/v1", "ReplicaSet");
}

} // namespace

DeploymentSync::DeploymentSync(ControllerContext &ctx, Json deployment,
                               std::vector<Json> replicaSets, std::vector<ObjectPtr> pods,
                               bool mayCreate)
    : m_ctx(ctx)
    , m_d(std::move(deployment))
    , m_params(deploymentParams(m_d))
    , m_rs(std::move(replicaSets))
    , m_pods(std::move(pods))
    , m_mayCreate(mayCreate) {
    std::stable_sort(m_rs.begin(), m_rs.end(), [](const Json &a, const Json &b) {
        const double ta = Clock::parseRfc3339(str(a, {"metadata", "creationTimestamp"}), 0);
        const double tb = Clock::parseRfc3339(str(b, {"metadata", "creationTimestamp"}), 0);
        if (ta != tb)
            return ta < tb;
        return nameOf(a) < nameOf(b);
    });
}

double DeploymentSync::run() {
    try {
        if (isTerminating(m_d)) {
            syncStatusOnly();
            return m_next;
        }
        const Json &selector = at(m_d, {"spec", "selector"});
        if (selector.is_object() && selector.empty()) {
            // Once per generation: repeating it every pass would never let the cluster settle.
            if (integer(m_d, {"status", "observedGeneration"}) <
                integer(m_d, {"metadata", "generation"})) {
                m_ctx.events.record(
                    m_d, "Warning", "SelectingAll",
                    "This deployment is selecting all pods. A non-empty selector is required.",
                    kComponent);
                m_d["status"]["observedGeneration"] = integer(m_d, {"metadata", "generation"});
                writeDeployment();
            }
            return m_next;
        }
        checkPausedConditions();
        if (at(m_d, {"spec", "paused"}) == true) {
            sync();
            return m_next;
        }
        syncRevision(false);
        if (semantics::isScalingEvent(m_params, counts())) {
            sync();
            return m_next;
        }
        if (m_params.strategy == semantics::Strategy::Recreate)
            rolloutRecreate();
        else
            rolloutRolling();
    } catch (const Retry &) {
        // Someone else wrote first; their write triggers the next pass.
    }
    return m_next;
}

std::vector<semantics::ReplicaSetCounts> DeploymentSync::counts() const {
    std::vector<semantics::ReplicaSetCounts> out;
    out.reserve(m_rs.size());
    for (std::size_t i = 0; i < m_rs.size(); ++i) {
        semantics::ReplicaSetCounts c = replicaSetCounts(m_rs[i]);
        c.creationOrder = static_cast<long long>(i);
        c.isNew = m_new && *m_new == i;
        out.push_back(c);
    }
    return out;
}

void DeploymentSync::writeDeployment() {
    try {
        m_d = *m_ctx.store.update(deploymentType(), m_d, WritePart::Everything);
    } catch (const ApiError &) {
        throw Retry{};
    }
}

bool DeploymentSync::setReplicasAnnotations(Json &rs) const {
    const std::string desired = std::to_string(m_params.replicas);
    const std::string max = std::to_string(m_params.replicas + semantics::maxSurge(m_params));
    Json &annotations = rs["metadata"]["annotations"];
    if (!annotations.is_object())
        annotations = Json::object();
    bool changed = false;
    for (const auto &[key, value] : {std::pair{semantics::kDesiredReplicasAnnotation, desired},
                                     std::pair{semantics::kMaxReplicasAnnotation, max}}) {
        if (annotations.value(key, "") != value) {
            annotations[key] = value;
            changed = true;
        }
    }
    return changed;
}

bool DeploymentSync::scaleReplicaSet(std::size_t index, int newScale) {
    Json rs = m_rs[index];
    const int oldScale = static_cast<int>(integer(rs, {"spec", "replicas"}, 1));
    const bool sizeChanged = oldScale != newScale;
    const bool annotationsChanged = setReplicasAnnotations(rs);
    if (!sizeChanged && !annotationsChanged)
        return false;
    rs["spec"]["replicas"] = newScale;
    try {
        m_rs[index] = *m_ctx.store.update(replicaSetType(), std::move(rs));
    } catch (const ApiError &) {
        throw Retry{};
    }
    if (!sizeChanged)
        return false;
    m_ctx.events.record(m_d, "Normal", "ScalingReplicaSet",
                        std::string("Scaled ") + (oldScale < newScale ? "up" : "down") +
                            " replica set " + nameOf(m_rs[index]) + " to " +
                            std::to_string(newScale),
                        kComponent);
    return true;
}

bool DeploymentSync::applyChanges(const std::vector<semantics::ScaleChange> &changes) {
    bool scaled = false;
    for (const semantics::ScaleChange &c : changes)
        scaled = scaleReplicaSet(c.index, c.to) || scaled;
    return scaled;
}

void DeploymentSync::sync() {
    syncRevision(false);
    scale();
    if (at(m_d, {"spec", "paused"}) == true)
        cleanupDeployment();
    syncDeploymentStatus();
}

void DeploymentSync::syncStatusOnly() {
    syncRevision(false);
    syncDeploymentStatus();
}

void DeploymentSync::scale() {
    const int statusReplicas = static_cast<int>(integer(m_d, {"status", "replicas"}));
    applyChanges(semantics::planScale(m_params, counts(), statusReplicas));
}

void DeploymentSync::rolloutRolling() {
    syncRevision(true);
    if (!m_new)
        return; // creation failed; the condition says why
    if (applyChanges(semantics::reconcileNewReplicaSet(m_params, counts()))) {
        syncRolloutStatus();
        return;
    }
    if (applyChanges(semantics::reconcileOldReplicaSets(m_params, counts()))) {
        syncRolloutStatus();
        return;
    }
    const Json &status = at(m_d, {"status"});
    semantics::DeploymentStatusCounts stored{
        static_cast<int>(integer(status, {"replicas"})),
        static_cast<int>(integer(status, {"updatedReplicas"})),
        static_cast<int>(integer(status, {"readyReplicas"})),
        static_cast<int>(integer(status, {"availableReplicas"})),
        static_cast<int>(integer(status, {"unavailableReplicas"}))};
    if (semantics::deploymentComplete(m_params.replicas, stored) &&
        integer(status, {"observedGeneration"}) >= integer(m_d, {"metadata", "generation"}))
        cleanupDeployment();
    syncRolloutStatus();
}

bool DeploymentSync::oldPodsRunning() const {
    for (std::size_t i = 0; i < m_rs.size(); ++i)
        if ((!m_new || *m_new != i) && integer(m_rs[i], {"status", "replicas"}) > 0)
            return true;
    const std::string newUid = m_new ? uidOf(m_rs[*m_new]) : std::string();
    for (const ObjectPtr &pod : m_pods) {
        if (!newUid.empty() && controllerUidOf(*pod) == newUid)
            continue;
        const std::string phase = str(*pod, {"status", "phase"});
        if (phase != "Failed" && phase != "Succeeded")
            return true; // terminating pods count: Recreate waits until they are gone
    }
    return false;
}

void DeploymentSync::rolloutRecreate() {
    // No new ReplicaSet yet: creating it could scale up before the old pods are gone.
    syncRevision(false);
    if (applyChanges(semantics::planRecreateScaleDown(counts()))) {
        syncRolloutStatus();
        return;
    }
    if (oldPodsRunning()) {
        syncRolloutStatus();
        return;
    }
    if (!m_new)
        syncRevision(true);
    if (!m_new)
        return;
    scaleReplicaSet(*m_new, m_params.replicas);
    const Json &status = at(m_d, {"status"});
    if (integer(status, {"updatedReplicas"}) == m_params.replicas &&
        integer(status, {"replicas"}) == m_params.replicas &&
        integer(status, {"availableReplicas"}) == m_params.replicas &&
        integer(status, {"observedGeneration"}) >= integer(m_d, {"metadata", "generation"}))
        cleanupDeployment();
    syncRolloutStatus();
}

void DeploymentSync::cleanupDeployment() {
    const Json &limitJson = at(m_d, {"spec", "revisionHistoryLimit"});
    const long long limit = limitJson.is_number_integer() ? limitJson.get<long long>() : 10;
    if (limit == INT_MAX)
        return; // unlimited
    std::vector<std::size_t> cleanable;
    for (std::size_t i = 0; i < m_rs.size(); ++i)
        if ((!m_new || *m_new != i) && !isTerminating(m_rs[i]))
            cleanable.push_back(i);
    const long long diff = static_cast<long long>(cleanable.size()) - limit;
    if (diff <= 0)
        return;
    // Lowest revision first; m_rs is in creation order, which breaks ties.
    std::stable_sort(cleanable.begin(), cleanable.end(), [this](std::size_t a, std::size_t b) {
        return revisionOf(m_rs[a]).value_or(0) < revisionOf(m_rs[b]).value_or(0);
    });
    std::vector<std::size_t> removed;
    for (long long k = 0; k < diff; ++k) {
        const Json &rs = m_rs[cleanable[static_cast<std::size_t>(k)]];
        if (integer(rs, {"status", "replicas"}) != 0 || integer(rs, {"spec", "replicas"}, 1) != 0 ||
            integer(rs, {"metadata", "generation"}) >
                integer(rs, {"status", "observedGeneration"}) ||
            isTerminating(rs))
            continue;
        try {
            m_ctx.store.remove(replicaSetType(), namespaceOf(rs), nameOf(rs), uidOf(rs));
            removed.push_back(cleanable[static_cast<std::size_t>(k)]);
        } catch (const ApiError &) {
            // Already gone or replaced.
        }
    }
    // Keep m_rs and the new ReplicaSet's index consistent for the status that follows.
    std::sort(removed.rbegin(), removed.rend());
    for (std::size_t i : removed) {
        m_rs.erase(m_rs.begin() + static_cast<long>(i));
        if (m_new && *m_new > i)
            --*m_new;
    }
}

bool DeploymentSync::checkPausedConditions() {
    if (!semantics::hasProgressDeadline(progressDeadlineSeconds(m_d)))
        return false;
    const Json *cond = findCondition(at(m_d, {"status"}), "Progressing");
    if (cond && cond->value("reason", "") == semantics::kReasonProgressDeadlineExceeded)
        return false; // a reported timeout is not overwritten by a pause
    const bool pausedCond = cond && cond->value("reason", "") == semantics::kReasonDeploymentPaused;
    const bool paused = at(m_d, {"spec", "paused"}) == true;
    const std::string now = Clock::rfc3339(m_ctx.now);
    if (paused && !pausedCond)
        setCondition(m_d["status"],
                     makeCondition("Progressing", "Unknown", semantics::kReasonDeploymentPaused,
                                   "Deployment is paused", now));
    else if (!paused && pausedCond)
        setCondition(m_d["status"],
                     makeCondition("Progressing", "Unknown", semantics::kReasonDeploymentResumed,
                                   "Deployment is resumed", now));
    else
        return false;
    writeDeployment();
    return true;
}

} // namespace kd::sandbox
