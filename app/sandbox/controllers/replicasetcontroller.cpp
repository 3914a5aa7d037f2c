// The ReplicaSet controller (upstream pkg/controller/replicaset): keeps spec.replicas active pods
// that match the selector, adopting orphans and releasing pods that no longer match, and reports
// how many are ready and available.
#include "sandbox/admission.h"
#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/controllers/replicasetutil.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"
#include "semantics/rolloutpodorder.h"

#include <algorithm>
#include <unordered_map>

namespace kd::sandbox {

namespace {

constexpr const char *kComponent = "replicaset-controller";
// Upstream's burstReplicas: at most this many creations or deletions per sync.
constexpr int kBurstReplicas = 500;

class ReplicaSetController final : public Controller {
public:
    const char *name() const override { return "replicaset-controller"; }
    double reconcile(ControllerContext &ctx) override;

private:
    double syncReplicaSet(ControllerContext &ctx, const Json &rs, const OwnerIndex &rsByOwner,
                          const OwnerIndex &podsByOwner);
    std::vector<ObjectPtr> claimPods(ControllerContext &ctx, const Json &rs,
                                     const OwnerIndex &podsByOwner);
    std::string manageReplicas(ControllerContext &ctx, const Json &rs,
                               const std::vector<ObjectPtr> &pods,
                               const std::vector<ObjectPtr> &related);
    std::string createPods(ControllerContext &ctx, const Json &rs, int count);

    RetryBackoff m_createBackoff;                                  // by ReplicaSet uid
    std::unordered_map<std::string, std::string> m_createFailures; // the last error, by uid
};

double ReplicaSetController::reconcile(ControllerContext &ctx) {
    const ResourceType &rsType = resourceType("apps/v1", "ReplicaSet");
    const ResourceType &podType = resourceType("v1", "Pod");
    const std::vector<ObjectPtr> replicaSets = ctx.store.list(rsType);
    if (replicaSets.empty())
        return never;
    const OwnerIndex podsByOwner = indexByController(ctx.store.list(podType));
    const OwnerIndex rsByOwner = indexByController(replicaSets);
    double next = never;
    for (const ObjectPtr &rs : replicaSets)
        next = std::min(next, syncReplicaSet(ctx, *rs, rsByOwner, podsByOwner));
    return next;
}

std::vector<ObjectPtr> ReplicaSetController::claimPods(ControllerContext &ctx, const Json &rs,
                                                       const OwnerIndex &podsByOwner) {
    const ResourceType &podType = resourceType("v1", "Pod");
    const Json &selector = at(rs, {"spec", "selector"});
    const std::string uid = uidOf(rs);
    std::vector<ObjectPtr> claimed;
    for (const ObjectPtr &pod : podsByOwner.owned(uid)) {
        if (!isPodActive(*pod))
            continue;
        if (selectorMatches(selector, at(*pod, {"metadata", "labels"}))) {
            claimed.push_back(pod);
            continue;
        }
        // No longer selected: release it (it keeps running as an orphan).
        try {
            ctx.store.update(podType, withoutOwner(*pod, uid));
        } catch (const ApiError &) {
        }
    }
    if (isTerminating(rs))
        return claimed;
    for (const ObjectPtr &pod : podsByOwner.orphans(namespaceOf(rs))) {
        if (!isPodActive(*pod) || !selectorMatches(selector, at(*pod, {"metadata", "labels"})))
            continue;
        try {
            claimed.push_back(
                ctx.store.update(podType, withControllerRef(*pod, makeControllerRef(rs))));
        } catch (const ApiError &) {
        }
    }
    return claimed;
}

std::string ReplicaSetController::createPods(ControllerContext &ctx, const Json &rs, int count) {
    const ResourceType &podType = resourceType("v1", "Pod");
    const Json &tmpl = at(rs, {"spec", "template"});
    for (int i = 0; i < count; ++i) {
        Json pod{{"apiVersion", "v1"},
                 {"kind", "Pod"},
                 {"metadata",
                  {{"generateName", nameOf(rs) + "-"},
                   {"namespace", namespaceOf(rs)},
                   {"ownerReferences", Json::array({makeControllerRef(rs)})}}},
                 {"spec", at(tmpl, {"spec"}).is_object() ? at(tmpl, {"spec"}) : Json::object()}};
        for (const char *k : {"labels", "annotations", "finalizers"})
            if (!at(tmpl, {"metadata", k}).is_null())
                pod["metadata"][k] = at(tmpl, {"metadata", k});
        try {
            admitCreate(podType, pod, ctx.store);
            ObjectPtr created = ctx.store.create(podType, std::move(pod));
            ctx.events.record(rs, "Normal", "SuccessfulCreate", "Created pod: " + nameOf(*created),
                              kComponent);
        } catch (const ApiError &e) {
            const std::string message = std::string("Error creating: ") + e.what();
            ctx.events.record(rs, "Warning", "FailedCreate", message, kComponent);
            return message;
        }
    }
    return {};
}

std::string ReplicaSetController::manageReplicas(ControllerContext &ctx, const Json &rs,
                                                 const std::vector<ObjectPtr> &pods,
                                                 const std::vector<ObjectPtr> &related) {
    const int want = static_cast<int>(integer(rs, {"spec", "replicas"}, 1));
    const int diff = static_cast<int>(pods.size()) - want;
    if (diff < 0) {
        const std::string uid = uidOf(rs);
        if (!m_createBackoff.due(uid, ctx.now))
            return m_createFailures[uid]; // still failing: wait for the retry time
        std::string failure = createPods(ctx, rs, std::min(-diff, kBurstReplicas));
        if (failure.empty()) {
            m_createBackoff.succeeded(uid);
            m_createFailures.erase(uid);
        } else {
            m_createBackoff.failed(uid, ctx.now);
            m_createFailures[uid] = failure;
        }
        return failure;
    }
    if (diff == 0)
        return {};

    // Rank by how many related active pods share the node: doubled-up pods go first.
    std::unordered_map<std::string, int> onNode;
    for (const ObjectPtr &p : related)
        if (isPodActive(*p))
            ++onNode[str(*p, {"spec", "nodeName"})];
    std::vector<std::pair<semantics::PodDeletionInfo, ObjectPtr>> ranked;
    ranked.reserve(pods.size());
    for (const ObjectPtr &p : pods) {
        semantics::PodDeletionInfo info;
        const std::string node = str(*p, {"spec", "nodeName"});
        info.assigned = !node.empty();
        info.phaseOrdinal = semantics::podPhaseOrdinal(str(*p, {"status", "phase"}));
        info.ready = isPodReady(*p);
        const std::string cost =
            str(*p, {"metadata", "annotations", "controller.kubernetes.io/pod-deletion-cost"});
        info.deletionCost = cost.empty() ? 0 : std::atoll(cost.c_str());
        info.colocated = onNode[node];
        info.readySince = info.ready ? podReadySince(*p) : 0;
        info.maxRestarts = podMaxRestarts(*p);
        info.created = Clock::parseRfc3339(str(*p, {"metadata", "creationTimestamp"}), 0);
        info.uid = uidOf(*p);
        ranked.emplace_back(std::move(info), p);
    }
    const double now = ctx.now;
    std::stable_sort(ranked.begin(), ranked.end(), [now](const auto &a, const auto &b) {
        return semantics::deleteBefore(a.first, b.first, now);
    });
    const int count = std::min(diff, kBurstReplicas);
    for (int i = 0; i < count; ++i) {
        const Json &pod = *ranked[static_cast<std::size_t>(i)].second;
        if (!deletePodGracefully(ctx, pod))
            continue;
        ctx.events.record(rs, "Normal", "SuccessfulDelete", "Deleted pod: " + nameOf(pod),
                          kComponent);
    }
    return {};
}

double ReplicaSetController::syncReplicaSet(ControllerContext &ctx, const Json &rs,
                                            const OwnerIndex &rsByOwner,
                                            const OwnerIndex &podsByOwner) {
    std::vector<ObjectPtr> pods = claimPods(ctx, rs, podsByOwner);

    std::string failure;
    if (!isTerminating(rs)) {
        // Pods of the ReplicaSets that share this one's controller (a Deployment's other
        // revisions) decide which node is doubled up.
        std::vector<ObjectPtr> related = pods;
        const std::string owner = controllerUidOf(rs);
        if (!owner.empty())
            for (const ObjectPtr &sibling : rsByOwner.owned(owner))
                if (uidOf(*sibling) != uidOf(rs))
                    for (const ObjectPtr &p : podsByOwner.owned(uidOf(*sibling)))
                        related.push_back(p);
        failure = manageReplicas(ctx, rs, pods, related);
    }

    double next = m_createBackoff.retryAt(uidOf(rs));
    // Status from the pods as they were before this sync's writes, as upstream computes it.
    const long long minReady = integer(rs, {"spec", "minReadySeconds"});
    const Json &templateLabels = at(rs, {"spec", "template", "metadata", "labels"});
    int fullyLabeled = 0, ready = 0, available = 0;
    for (const ObjectPtr &p : pods) {
        const Json &labels = at(*p, {"metadata", "labels"});
        bool labeled = true;
        if (templateLabels.is_object())
            for (auto it = templateLabels.begin(); it != templateLabels.end() && labeled; ++it)
                labeled =
                    labels.is_object() && labels.contains(it.key()) && labels[it.key()] == *it;
        fullyLabeled += labeled ? 1 : 0;
        if (isPodReady(*p)) {
            ++ready;
            if (isPodAvailable(*p, minReady, ctx.now))
                ++available;
            else
                next = std::min(next, podAvailableAt(*p, minReady, ctx.now));
        }
    }

    Json status = rs.value("status", Json::object());
    if (!status.is_object())
        status = Json::object();
    status["replicas"] = static_cast<long long>(pods.size());
    setOmitEmpty(status, "fullyLabeledReplicas", fullyLabeled);
    setOmitEmpty(status, "readyReplicas", ready);
    setOmitEmpty(status, "availableReplicas", available);
    setOmitEmpty(status, "observedGeneration", integer(rs, {"metadata", "generation"}));
    Json conditions = status.value("conditions", Json::array());
    Json kept = Json::array();
    bool hadFailure = false;
    for (const Json &c : conditions) {
        if (c.value("type", "") == "ReplicaFailure") {
            hadFailure = true;
            if (!failure.empty())
                kept.push_back(c);
        } else {
            kept.push_back(c);
        }
    }
    if (!failure.empty() && !hadFailure)
        kept.push_back({{"type", "ReplicaFailure"},
                        {"status", "True"},
                        {"lastTransitionTime", Clock::rfc3339(ctx.now)},
                        {"reason", "FailedCreate"},
                        {"message", failure}});
    if (kept.empty())
        status.erase("conditions");
    else
        status["conditions"] = std::move(kept);

    if (status != rs.value("status", Json::object())) {
        Json updated = rs;
        updated["status"] = std::move(status);
        try {
            ctx.store.update(resourceType("apps/v1", "ReplicaSet"), std::move(updated),
                             WritePart::Status);
        } catch (const ApiError &) {
            // Changed meanwhile (e.g. scaled): the next pass writes the status again.
        }
    }
    return next;
}

} // namespace

std::unique_ptr<Controller> makeReplicaSetController() {
    return std::make_unique<ReplicaSetController>();
}

} // namespace kd::sandbox
