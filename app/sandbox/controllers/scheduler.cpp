// default-scheduler: binds pending pods to nodes in creation order with kd_semantics' filters
// and least-allocated choice, or marks them Unschedulable with upstream's FailedScheduling
// message. An unschedulable pod is tried again when the cluster changes (a node, or the set of
// pods holding resources) and at the latest after upstream's five minutes.

#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"
#include "semantics/scheduling.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace kd::sandbox {

namespace {

constexpr const char *kSchedulerName = "default-scheduler";
constexpr double kUnschedulableRetrySeconds = 300; // podMaxInUnschedulablePodsDuration

struct Attempt {
    std::string resourceVersion;
    std::uint64_t clusterFingerprint = 0;
    double at = 0;
};

struct CachedNeeds {
    std::string resourceVersion;
    semantics::PodNeeds needs;
};

bool isBound(const Json &pod) {
    const Json &node = at(pod, {"spec", "nodeName"});
    return node.is_string() && !node.get_ref<const std::string &>().empty();
}

bool wantsThisScheduler(const Json &pod) {
    const std::string name = str(pod, {"spec", "schedulerName"});
    return name.empty() || name == kSchedulerName;
}

void mix(std::uint64_t &h, const std::string &s) {
    h ^= std::hash<std::string>{}(s) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
}

Json podScheduledCondition(const Json &pod, const std::string &status, const std::string &reason,
                           const std::string &message, const std::string &now) {
    Json c{{"type", "PodScheduled"},
           {"status", status},
           {"lastProbeTime", nullptr},
           {"lastTransitionTime", now}};
    const Json &conditions = at(pod, {"status", "conditions"});
    if (conditions.is_array())
        for (const Json &o : conditions)
            if (str(o, {"type"}) == "PodScheduled" && str(o, {"status"}) == status)
                c["lastTransitionTime"] = str(o, {"lastTransitionTime"}, now);
    if (!reason.empty())
        c["reason"] = reason;
    if (!message.empty())
        c["message"] = message;
    return c;
}

Json withCondition(const Json &pod, Json condition) {
    Json next = pod;
    Json &status = next["status"];
    if (!status.is_object())
        status = Json::object();
    Json conditions = Json::array();
    bool replaced = false;
    if (status.contains("conditions") && status["conditions"].is_array())
        for (const Json &o : status["conditions"]) {
            if (str(o, {"type"}) == str(condition, {"type"})) {
                if (!replaced)
                    conditions.push_back(condition);
                replaced = true;
            } else {
                conditions.push_back(o);
            }
        }
    if (!replaced)
        conditions.push_back(std::move(condition));
    status["conditions"] = std::move(conditions);
    if (!status.contains("phase"))
        status["phase"] = "Pending";
    return next;
}

class Scheduler final : public Controller {
public:
    const char *name() const override { return kSchedulerName; }

    double reconcile(ControllerContext &ctx) override {
        const ResourceType &podType = resourceType("v1", "Pod");
        std::vector<ObjectPtr> pods = ctx.store.list(podType);
        std::vector<ObjectPtr> nodeObjects = ctx.store.list(resourceType("v1", "Node"));

        std::vector<ObjectPtr> pending;
        for (const ObjectPtr &p : pods)
            if (!isBound(*p) && at(*p, {"metadata", "deletionTimestamp"}).is_null() &&
                !semantics::isTerminatedPod(*p) && wantsThisScheduler(*p))
                pending.push_back(p);
        if (pending.empty()) {
            m_attempts.clear();
            return never;
        }
        // What the pods waiting for a change compare against: the nodes and the pods holding
        // resources on them.
        std::uint64_t fingerprint = 0;
        for (const ObjectPtr &n : nodeObjects) {
            mix(fingerprint, nameOf(*n));
            mix(fingerprint, str(*n, {"metadata", "resourceVersion"}));
        }
        for (const ObjectPtr &p : pods) {
            if (semantics::holdsNodeResources(*p)) {
                mix(fingerprint, uidOf(*p));
                mix(fingerprint, str(*p, {"spec", "nodeName"}));
            }
        }

        // Pods that failed against this very cluster and have not changed are left waiting.
        std::unordered_map<std::string, Attempt> attempts;
        std::vector<ObjectPtr> due;
        double next = never;
        for (const ObjectPtr &p : pending) {
            const std::string uid = uidOf(*p);
            auto it = m_attempts.find(uid);
            if (it != m_attempts.end() &&
                it->second.resourceVersion == str(*p, {"metadata", "resourceVersion"}) &&
                it->second.clusterFingerprint == fingerprint &&
                ctx.now < it->second.at + kUnschedulableRetrySeconds) {
                next = std::min(next, it->second.at + kUnschedulableRetrySeconds);
                attempts.insert(*it);
            } else {
                due.push_back(p);
            }
        }
        if (due.empty()) {
            m_attempts = std::move(attempts);
            return next;
        }
        std::stable_sort(due.begin(), due.end(), [](const ObjectPtr &a, const ObjectPtr &b) {
            std::string ta = str(*a, {"metadata", "creationTimestamp"}),
                        tb = str(*b, {"metadata", "creationTimestamp"});
            if (ta != tb)
                return ta < tb;
            if (namespaceOf(*a) != namespaceOf(*b))
                return namespaceOf(*a) < namespaceOf(*b);
            return nameOf(*a) < nameOf(*b);
        });

        std::vector<semantics::NodeState> nodes = buildNodes(nodeObjects, pods);
        for (const ObjectPtr &p : due) {
            const semantics::PodNeeds &needs = needsOf(*p);
            semantics::ScheduleDecision decision = semantics::scheduleOne(needs, nodes);
            if (decision.scheduled()) {
                semantics::NodeState &node = nodes[static_cast<std::size_t>(decision.nodeIndex)];
                if (bind(ctx, *p, node.name))
                    semantics::addPod(node, needs);
                continue;
            }
            std::string rv = markUnschedulable(ctx, *p, decision.message);
            if (!rv.empty()) {
                attempts[uidOf(*p)] = {rv, fingerprint, ctx.now};
                next = std::min(next, ctx.now + kUnschedulableRetrySeconds);
            }
        }
        m_attempts = std::move(attempts);
        std::erase_if(m_needs, [&](const auto &e) { return !m_usedNeeds.count(e.first); });
        m_usedNeeds.clear();
        return next;
    }

private:
    const semantics::PodNeeds &needsOf(const Json &pod) {
        const std::string uid = uidOf(pod);
        const std::string rv = str(pod, {"metadata", "resourceVersion"});
        m_usedNeeds.insert(uid);
        auto it = m_needs.find(uid);
        if (it == m_needs.end() || it->second.resourceVersion != rv)
            it = m_needs.insert_or_assign(uid, CachedNeeds{rv, semantics::fromPodJson(pod)}).first;
        return it->second.needs;
    }

    std::vector<semantics::NodeState> buildNodes(const std::vector<ObjectPtr> &nodeObjects,
                                                 const std::vector<ObjectPtr> &pods) {
        std::vector<semantics::NodeState> nodes;
        nodes.reserve(nodeObjects.size());
        std::unordered_map<std::string, std::size_t> index;
        for (const ObjectPtr &n : nodeObjects) {
            index.emplace(nameOf(*n), nodes.size());
            nodes.push_back(semantics::fromNodeJson(*n));
        }
        // As semantics::nodeStatesFromJson, with the pods' parsed needs cached across passes.
        for (const ObjectPtr &p : pods) {
            if (!semantics::holdsNodeResources(*p))
                continue;
            auto it = index.find(str(*p, {"spec", "nodeName"}));
            if (it != index.end())
                semantics::addPod(nodes[it->second], needsOf(*p));
        }
        return nodes;
    }

    static bool bind(ControllerContext &ctx, const Json &pod, const std::string &nodeName) {
        const ResourceType &podType = resourceType("v1", "Pod");
        try {
            Json next = pod;
            next["spec"]["nodeName"] = nodeName;
            ObjectPtr bound = ctx.store.update(podType, std::move(next), WritePart::Main);
            Json withStatus = withCondition(
                *bound, podScheduledCondition(*bound, "True", "", "", Clock::rfc3339(ctx.now)));
            ctx.store.update(podType, std::move(withStatus), WritePart::Status);
            ctx.events.record(*bound, "Normal", "Scheduled",
                              "Successfully assigned " + namespaceOf(pod) + "/" + nameOf(pod) +
                                  " to " + nodeName,
                              kSchedulerName);
            return true;
        } catch (const ApiError &) {
            return false; // changed or deleted meanwhile; the next pass sees it as it is now
        }
    }

    // Returns the pod's resourceVersion after the write ("" when the write failed).
    static std::string markUnschedulable(ControllerContext &ctx, const Json &pod,
                                         const std::string &message) {
        ctx.events.record(pod, "Warning", "FailedScheduling", message, kSchedulerName);
        Json next = withCondition(pod, podScheduledCondition(pod, "False", "Unschedulable", message,
                                                             Clock::rfc3339(ctx.now)));
        if (next == pod)
            return str(pod, {"metadata", "resourceVersion"});
        try {
            ObjectPtr stored =
                ctx.store.update(resourceType("v1", "Pod"), std::move(next), WritePart::Status);
            return str(*stored, {"metadata", "resourceVersion"});
        } catch (const ApiError &) {
            return {};
        }
    }

    std::unordered_map<std::string, Attempt> m_attempts;  // pending pod uid -> last failed attempt
    std::unordered_map<std::string, CachedNeeds> m_needs; // pod uid -> parsed scheduling needs
    std::unordered_set<std::string> m_usedNeeds;
};

} // namespace

std::unique_ptr<Controller> makeScheduler() {
    return std::make_unique<Scheduler>();
}

} // namespace kd::sandbox
