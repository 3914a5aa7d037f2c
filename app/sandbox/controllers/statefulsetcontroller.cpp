// The StatefulSet controller (upstream pkg/controller/statefulset): pods <name>-0..N-1 with
// stable names. OrderedReady creates them one at a time, each after the previous one is Running
// and Ready, removes from the highest ordinal, and rolls updates from the highest ordinal down
// to the partition. Revisions are template hashes (ControllerRevisions are not served).
#include "sandbox/admission.h"
#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/controllers/deploymentutil.h"
#include "sandbox/controllers/replicasetutil.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace kd::sandbox {

namespace {

constexpr const char *kComponent = "statefulset-controller";
constexpr const char *kRevisionLabel = "controller-revision-hash";
constexpr const char *kPodNameLabel = "statefulset.kubernetes.io/pod-name";
constexpr const char *kPodIndexLabel = "apps.kubernetes.io/pod-index";

const ResourceType &podType() {
    return resourceType("v1", "Pod");
}

// The ordinal of a pod named <set>-<ordinal>, or -1 when the pod is not a member.
int ordinalOf(const std::string &setName, const std::string &podName) {
    if (podName.size() <= setName.size() + 1 || podName.compare(0, setName.size(), setName) != 0 ||
        podName[setName.size()] != '-')
        return -1;
    const std::string digits = podName.substr(setName.size() + 1);
    if (digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
    if (digits.size() > 1 && digits[0] == '0')
        return -1;
    return std::stoi(digits);
}

bool isRunningAndReady(const Json &pod) {
    return str(pod, {"status", "phase"}) == "Running" && isPodReady(pod);
}

bool isRunningAndAvailable(const Json &pod, long long minReadySeconds, double now) {
    return str(pod, {"status", "phase"}) == "Running" && isPodAvailable(pod, minReadySeconds, now);
}

bool isHealthy(const Json &pod) {
    return isRunningAndReady(pod) && !isTerminating(pod);
}

class StatefulSetController final : public Controller {
public:
    const char *name() const override { return "statefulset-controller"; }
    double reconcile(ControllerContext &ctx) override;

private:
    double syncStatefulSet(ControllerContext &ctx, const Json &set,
                           const std::vector<ObjectPtr> &owned,
                           const std::vector<ObjectPtr> &orphans);
    // Runs the ordered create / delete / update steps; stops at the first blocking pod.
    void updatePods(ControllerContext &ctx, const Json &set, std::vector<ObjectPtr> &replicas,
                    std::vector<ObjectPtr> &condemned, const std::string &currentRevision,
                    const std::string &updateRevision);
    bool createPod(ControllerContext &ctx, const Json &set, int ordinal,
                   const std::string &revision);
    void deletePod(ControllerContext &ctx, const Json &set, const Json &pod);

    // Templates by revision name: pods below the partition are recreated at their revision.
    std::unordered_map<std::string, Json> m_templates;
    RetryBackoff m_createBackoff; // by StatefulSet uid
};

double StatefulSetController::reconcile(ControllerContext &ctx) {
    const std::vector<ObjectPtr> sets = ctx.store.list(resourceType("apps/v1", "StatefulSet"));
    if (sets.empty())
        return never;
    const OwnerIndex pods = indexByController(ctx.store.list(podType()));
    double next = never;
    for (const ObjectPtr &set : sets)
        next = std::min(next, syncStatefulSet(ctx, *set, pods.owned(uidOf(*set)),
                                              pods.orphans(namespaceOf(*set))));
    return next;
}

bool StatefulSetController::createPod(ControllerContext &ctx, const Json &set, int ordinal,
                                      const std::string &revision) {
    auto known = m_templates.find(revision);
    const Json &tmpl = known != m_templates.end() ? known->second : at(set, {"spec", "template"});
    const std::string podName = nameOf(set) + "-" + std::to_string(ordinal);
    Json labels = at(tmpl, {"metadata", "labels"}).is_object() ? at(tmpl, {"metadata", "labels"})
                                                               : Json::object();
    labels[kRevisionLabel] = revision;
    labels[kPodNameLabel] = podName;
    labels[kPodIndexLabel] = std::to_string(ordinal);
    Json pod{{"apiVersion", "v1"},
             {"kind", "Pod"},
             {"metadata",
              {{"name", podName},
               {"namespace", namespaceOf(set)},
               {"labels", std::move(labels)},
               {"ownerReferences", Json::array({makeControllerRef(set)})}}},
             {"spec", at(tmpl, {"spec"}).is_object() ? at(tmpl, {"spec"}) : Json::object()}};
    if (at(tmpl, {"metadata", "annotations"}).is_object())
        pod["metadata"]["annotations"] = at(tmpl, {"metadata", "annotations"});
    Json &spec = pod["spec"];
    spec["hostname"] = podName;
    if (!str(set, {"spec", "serviceName"}).empty())
        spec["subdomain"] = str(set, {"spec", "serviceName"});
    // Each volumeClaimTemplate becomes a volume bound to the claim <template>-<pod>.
    const Json &claims = at(set, {"spec", "volumeClaimTemplates"});
    if (claims.is_array()) {
        if (!spec.contains("volumes") || !spec["volumes"].is_array())
            spec["volumes"] = Json::array();
        for (const Json &claim : claims) {
            const std::string claimName = str(claim, {"metadata", "name"});
            spec["volumes"].push_back(
                {{"name", claimName},
                 {"persistentVolumeClaim", {{"claimName", claimName + "-" + podName}}}});
        }
    }
    try {
        admitCreate(podType(), pod, ctx.store);
        ctx.store.create(podType(), std::move(pod));
    } catch (const ApiError &e) {
        if (e.code() != 409)
            ctx.events.record(set, "Warning", "FailedCreate",
                              "create Pod " + podName + " in StatefulSet " + nameOf(set) +
                                  " failed error: " + e.what(),
                              kComponent);
        return false;
    }
    ctx.events.record(set, "Normal", "SuccessfulCreate",
                      "create Pod " + podName + " in StatefulSet " + nameOf(set) + " successful",
                      kComponent);
    return true;
}

void StatefulSetController::deletePod(ControllerContext &ctx, const Json &set, const Json &pod) {
    if (deletePodGracefully(ctx, pod))
        ctx.events.record(set, "Normal", "SuccessfulDelete",
                          "delete Pod " + nameOf(pod) + " in StatefulSet " + nameOf(set) +
                              " successful",
                          kComponent);
}

void StatefulSetController::updatePods(ControllerContext &ctx, const Json &set,
                                       std::vector<ObjectPtr> &replicas,
                                       std::vector<ObjectPtr> &condemned,
                                       const std::string &currentRevision,
                                       const std::string &updateRevision) {
    const bool monotonic = str(set, {"spec", "podManagementPolicy"}) != "Parallel";
    const long long minReady = integer(set, {"spec", "minReadySeconds"});
    const bool rolling =
        str(set, {"spec", "updateStrategy", "type"}, "RollingUpdate") == "RollingUpdate";
    const long long partition =
        rolling ? integer(set, {"spec", "updateStrategy", "rollingUpdate", "partition"}) : 0;

    // Replicas: create the missing, replace the failed, wait for each to be Running and Ready.
    for (std::size_t i = 0; i < replicas.size(); ++i) {
        const int ordinal = static_cast<int>(i);
        if (replicas[i] && str(*replicas[i], {"status", "phase"}) == "Failed" &&
            !isTerminating(*replicas[i])) {
            deletePod(ctx, set, *replicas[i]);
            if (monotonic)
                return;
            continue;
        }
        if (!replicas[i]) {
            if (!m_createBackoff.due(uidOf(set), ctx.now))
                return; // the last creation failed: wait for the retry time
            // Below the partition a pod is recreated at the current revision.
            const bool atCurrent =
                rolling && currentRevision != updateRevision && ordinal < partition;
            if (createPod(ctx, set, ordinal, atCurrent ? currentRevision : updateRevision))
                m_createBackoff.succeeded(uidOf(set));
            else
                m_createBackoff.failed(uidOf(set), ctx.now);
            if (monotonic)
                return;
            continue;
        }
        if (isTerminating(*replicas[i]) && monotonic)
            return;
        if (!isRunningAndAvailable(*replicas[i], minReady, ctx.now) && monotonic)
            return;
    }

    // Condemned pods (ordinal >= replicas): highest first; unhealthy ones block unless first.
    const ObjectPtr *firstUnhealthy = nullptr;
    for (const ObjectPtr &p : replicas)
        if (p && !isHealthy(*p)) {
            firstUnhealthy = &p;
            break;
        }
    if (!firstUnhealthy)
        for (const ObjectPtr &p : condemned)
            if (!isHealthy(*p)) {
                firstUnhealthy = &p;
                break;
            }
    for (auto it = condemned.rbegin(); it != condemned.rend(); ++it) {
        const Json &pod = **it;
        if (isTerminating(pod)) {
            if (monotonic)
                return;
            continue;
        }
        if (monotonic && !isRunningAndReady(pod) &&
            (!firstUnhealthy || firstUnhealthy->get() != it->get()))
            return;
        deletePod(ctx, set, pod);
        if (monotonic)
            return;
    }

    // RollingUpdate: from the highest ordinal down to the partition, one pod at a time.
    if (!rolling)
        return;
    for (long long target = static_cast<long long>(replicas.size()) - 1; target >= partition;
         --target) {
        const ObjectPtr &pod = replicas[static_cast<std::size_t>(target)];
        if (!pod)
            return;
        if (str(*pod, {"metadata", "labels", kRevisionLabel}) != updateRevision &&
            !isTerminating(*pod)) {
            deletePod(ctx, set, *pod);
            return;
        }
        if (!isHealthy(*pod))
            return;
    }
}

double StatefulSetController::syncStatefulSet(ControllerContext &ctx, const Json &set,
                                              const std::vector<ObjectPtr> &owned,
                                              const std::vector<ObjectPtr> &orphans) {
    const Json &selector = at(set, {"spec", "selector"});
    const std::string setName = nameOf(set);
    const std::optional<long long> collision =
        at(set, {"status", "collisionCount"}).is_number_integer()
            ? std::optional<long long>(at(set, {"status", "collisionCount"}).get<long long>())
            : std::nullopt;
    const std::string updateRevision =
        setName + "-" + computeTemplateHash(at(set, {"spec", "template"}), collision);
    m_templates[updateRevision] = at(set, {"spec", "template"});
    std::string currentRevision = str(set, {"status", "currentRevision"});
    if (currentRevision.empty())
        currentRevision = updateRevision;

    // Claim: owned members that still match, and matching orphans named like members.
    std::vector<ObjectPtr> pods;
    for (const ObjectPtr &p : owned) {
        if (ordinalOf(setName, nameOf(*p)) >= 0 &&
            selectorMatches(selector, at(*p, {"metadata", "labels"})))
            pods.push_back(p);
        else
            try {
                ctx.store.update(podType(), withoutOwner(*p, uidOf(set)));
            } catch (const ApiError &) {
            }
    }
    if (!isTerminating(set))
        for (const ObjectPtr &p : orphans)
            if (ordinalOf(setName, nameOf(*p)) >= 0 &&
                selectorMatches(selector, at(*p, {"metadata", "labels"})))
                try {
                    pods.push_back(
                        ctx.store.update(podType(), withControllerRef(*p, makeControllerRef(set))));
                } catch (const ApiError &) {
                }

    const int want = static_cast<int>(integer(set, {"spec", "replicas"}, 1));
    std::vector<ObjectPtr> replicas(static_cast<std::size_t>(std::max(0, want)));
    std::map<int, ObjectPtr> condemnedByOrdinal;
    for (const ObjectPtr &p : pods) {
        const int ordinal = ordinalOf(setName, nameOf(*p));
        if (ordinal < want)
            replicas[static_cast<std::size_t>(ordinal)] = p;
        else
            condemnedByOrdinal[ordinal] = p;
    }
    std::vector<ObjectPtr> condemned;
    for (auto &[ordinal, p] : condemnedByOrdinal)
        condemned.push_back(p);

    if (!isTerminating(set))
        updatePods(ctx, set, replicas, condemned, currentRevision, updateRevision);

    // Status from the pods as this pass found them.
    const long long minReady = integer(set, {"spec", "minReadySeconds"});
    int total = 0, ready = 0, available = 0, current = 0, updated = 0;
    double next = m_createBackoff.retryAt(uidOf(set));
    for (const ObjectPtr &p : pods) {
        const bool created = !str(*p, {"status", "phase"}).empty();
        total += created ? 1 : 0;
        if (isRunningAndReady(*p)) {
            ++ready;
            if (isRunningAndAvailable(*p, minReady, ctx.now))
                ++available;
            else
                next = std::min(next, podAvailableAt(*p, minReady, ctx.now));
        }
        if (created && !isTerminating(*p)) {
            const std::string revision = str(*p, {"metadata", "labels", kRevisionLabel});
            current += revision == currentRevision ? 1 : 0;
            updated += revision == updateRevision ? 1 : 0;
        }
    }
    Json status = at(set, {"status"}).is_object() ? at(set, {"status"}) : Json::object();
    setOmitEmpty(status, "observedGeneration", integer(set, {"metadata", "generation"}));
    status["replicas"] = total;
    setOmitEmpty(status, "readyReplicas", ready);
    status["availableReplicas"] = available;
    setOmitEmpty(status, "currentReplicas", current);
    setOmitEmpty(status, "updatedReplicas", updated);
    status["currentRevision"] = currentRevision;
    status["updateRevision"] = updateRevision;
    // completeRollingUpdate: once every pod is updated and ready, the update is the current.
    if (str(set, {"spec", "updateStrategy", "type"}, "RollingUpdate") == "RollingUpdate" &&
        updated == total && ready == total) {
        setOmitEmpty(status, "currentReplicas", updated);
        status["currentRevision"] = updateRevision;
    }
    if (status != at(set, {"status"})) {
        Json updatedSet = set;
        updatedSet["status"] = std::move(status);
        try {
            ctx.store.update(resourceType("apps/v1", "StatefulSet"), std::move(updatedSet),
                             WritePart::Status);
        } catch (const ApiError &) {
        }
    }
    return next;
}

} // namespace

std::unique_ptr<Controller> makeStatefulSetController() {
    return std::make_unique<StatefulSetController>();
}

} // namespace kd::sandbox
