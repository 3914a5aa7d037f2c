#include "semantics/scalefeasibility.h"

#include <algorithm>
#include <numeric>

namespace kd::semantics {

namespace {

// Resource amounts are milli-units; GPUs and MIG slices come in whole ones.
constexpr std::int64_t kMilli = 1000;
// The drag preview names at most this many nodes.
constexpr std::size_t kNodesNamed = 3;

std::string acceleratorOf(const ResourceList &requests) {
    for (const auto &[name, amount] : requests)
        if (amount > 0 && isGpuResource(name))
            return name;
    return {};
}

// Nothing but room keeps the pod off the node (or nothing at all).
bool onlyShortOfRoom(const FitResult &r) {
    return std::all_of(r.failures.begin(), r.failures.end(),
                       [](const FitFailure &x) { return x.filter == Filter::NodeResourcesFit; });
}

std::string pods(int n) {
    return std::to_string(n) + (n == 1 ? " pod" : " pods");
}

std::string units(std::int64_t n, const std::string &resource) {
    return std::to_string(n) + " " + resource;
}

std::string placedText(const std::map<std::string, int> &placed) {
    std::string out;
    std::size_t named = 0;
    int rest = 0;
    for (const auto &[node, n] : placed) {
        if (named == kNodesNamed) {
            rest += n;
            continue;
        }
        out += (named ? ", " : "") + std::to_string(n) + " on " + node;
        ++named;
    }
    if (placed.size() > kNodesNamed)
        out += " and " + std::to_string(rest) + " on " +
               std::to_string(placed.size() - kNodesNamed) + " other nodes";
    return out;
}

std::string growthText(const ScaleFeasibility &f) {
    int fitting = 0;
    for (const auto &[node, n] : f.placed)
        fitting += n;
    const bool one = f.created == 1;
    std::string out = "+" + pods(f.created);
    if (f.created > f.added())
        out += f.added() > 0 ? " (" + std::to_string(f.created - f.added()) +
                                   " for the surge of the rollout in progress)"
                             : std::string(" for the rollout in progress");
    if (f.pending == 0) {
        out += std::string(one ? " fits" : " fit") + ": " + placedText(f.placed);
    } else if (!f.acceleratorResource.empty()) {
        out += std::string(one ? " needs " : " need ") +
               units(f.acceleratorsNeeded, f.acceleratorResource) + "; " +
               std::to_string(f.acceleratorsFree) + " free on schedulable nodes";
        if (f.acceleratorsUsable != f.acceleratorsFree)
            out += ", " + std::to_string(f.acceleratorsUsable) + " where these pods can run";
        out += " → " + std::to_string(f.pending) + " would stay Pending";
    } else {
        out += ": " + (fitting > 0 ? std::to_string(fitting) + " fit, " : std::string()) +
               std::to_string(f.pending) + " would stay Pending";
    }
    return out;
}

} // namespace

std::string ScaleFeasibility::summary() const {
    std::vector<std::string> parts;
    if (deleted > 0) {
        std::string down = "−" + pods(deleted);
        if (pendingDeleted > 0)
            down += pendingDeleted < deleted ? " (" + std::to_string(pendingDeleted) + " Pending)"
                    : deleted == 1           ? std::string(" (Pending)")
                                             : std::string(" (all Pending)");
        if (!acceleratorResource.empty() && acceleratorsFreed > 0)
            down += std::string(deleted == 1 ? " frees " : " free ") +
                    units(acceleratorsFreed, acceleratorResource);
        parts.push_back(std::move(down));
    }
    if (created > 0)
        parts.push_back(growthText(*this));
    if (waiting > 0)
        parts.push_back(created > 0 || added() == 0
                            ? std::to_string(waiting) + " more not created until the earlier "
                                                        "ones are Ready"
                            : "+" + pods(waiting) +
                                  " not created until the existing ones are Ready");
    if (parts.empty())
        return "no change";
    std::string out;
    for (const std::string &p : parts)
        out += (out.empty() ? "" : "; ") + p;
    return out;
}

ScaleFeasibility predictScale(std::vector<NodeState> nodes, const PodNeeds &templatePod,
                              int current, int target,
                              const std::vector<PodNeeds> &alreadyPending) {
    ScalePlan plan;
    plan.current = current;
    plan.target = target;
    plan.templatePod = templatePod;
    if (target > current)
        plan.batches.push_back({templatePod, target - current});
    for (int i = target; i < current; ++i)
        addResources(plan.freed, templatePod.requests);
    plan.deleted = std::max(0, current - target);
    return predictScale(std::move(nodes), plan, alreadyPending);
}

ScaleFeasibility predictScale(std::vector<NodeState> nodes, const ScalePlan &plan,
                              const std::vector<PodNeeds> &alreadyPending) {
    ScaleFeasibility f;
    f.current = plan.current;
    f.target = plan.target;
    f.perPod = plan.templatePod.requests;
    f.acceleratorResource = acceleratorOf(plan.templatePod.requests);
    f.waiting = plan.waiting;
    f.pendingNow = plan.pendingNow;
    f.deleted = plan.deleted;
    f.pendingDeleted = plan.pendingDeleted;

    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        index.emplace(nodes[i].name, i);
    placeQueuedPods(nodes, alreadyPending);

    const std::string &gpu = f.acceleratorResource;
    if (!gpu.empty()) {
        std::int64_t free = 0;
        std::int64_t usable = 0;
        for (const NodeState &n : nodes) {
            if (n.unschedulable)
                continue;
            const std::int64_t here = std::max<std::int64_t>(0, amountOf(n.allocatable, gpu) -
                                                                    amountOf(n.requested, gpu));
            free += here;
            if (onlyShortOfRoom(fit(plan.templatePod, n)))
                usable += here;
        }
        f.acceleratorsFree = free / kMilli;
        f.acceleratorsUsable = usable / kMilli;
        f.acceleratorsFreed = amountOf(plan.freed, gpu) / kMilli;
    }

    for (const PodBatch &batch : plan.batches) {
        if (batch.count <= 0)
            continue;
        f.created += batch.count;
        if (!gpu.empty())
            f.acceleratorsNeeded += amountOf(batch.pod.requests, gpu) * batch.count / kMilli;
        const PlacementPrediction p = predictPlacement(nodes, batch.pod, batch.count);
        for (const auto &[node, n] : p.placed) {
            f.placed[node] += n;
            for (int i = 0; i < n; ++i)
                addPod(nodes[index.at(node)], batch.pod);
        }
        if (p.pending > 0 && f.pending == 0)
            f.pendingMessage = p.message;
        f.pending += p.pending;
    }
    if (plan.oneAtATime && f.pending > 1) {
        f.waiting += f.pending - 1;
        f.pending = 1;
    }
    return f;
}

void placeQueuedPods(std::vector<NodeState> &nodes, const std::vector<PodNeeds> &queued) {
    for (const PodNeeds &pod : queued) {
        const ScheduleDecision d = scheduleOne(pod, nodes);
        if (d.scheduled())
            addPod(nodes[static_cast<std::size_t>(d.nodeIndex)], pod);
    }
}

std::vector<int> replicaSetSizesAfterScale(const DeploymentParams &d,
                                           std::vector<ReplicaSetCounts> rs,
                                           int deploymentStatusReplicas, bool paused) {
    const bool oldPodsExist = std::any_of(rs.begin(), rs.end(), [](const ReplicaSetCounts &r) {
        return !r.isNew && r.statusReplicas > 0;
    });
    // What the ReplicaSet controller makes of a resize: as many pods as asked for, the new ones
    // unavailable, the unavailable ones deleted first; and the controller's annotations.
    auto apply = [&](const std::vector<ScaleChange> &changes) {
        bool resized = false;
        for (const ScaleChange &c : changes) {
            ReplicaSetCounts &r = rs[c.index];
            resized = resized || r.specReplicas != c.to;
            r.specReplicas = c.to;
            r.statusReplicas = c.to;
            r.readyReplicas = std::min(r.readyReplicas, c.to);
            r.availableReplicas = std::min(r.availableReplicas, c.to);
            r.desiredReplicasAnnotation = d.replicas;
            r.maxReplicasAnnotation = d.replicas + maxSurge(d);
        }
        deploymentStatusReplicas =
            std::accumulate(rs.begin(), rs.end(), 0, [](int sum, const ReplicaSetCounts &r) {
                return sum + r.statusReplicas;
            });
        return resized;
    };

    // Each round is one sync; a rollout settles in a few, the bound only guards the loop.
    for (int round = 0; round < 64; ++round) {
        if (paused || isScalingEvent(d, rs)) {
            if (!apply(planScale(d, rs, deploymentStatusReplicas)) && isScalingEvent(d, rs))
                break;
            if (paused)
                break;
            continue;
        }
        std::vector<ScaleChange> changes;
        if (d.strategy == Strategy::Recreate) {
            changes = planRecreateScaleDown(rs);
            // The new ReplicaSet grows only once the old pods are gone, which takes their
            // termination grace period: not before any pod of this scale is scheduled.
            if (changes.empty() && !oldPodsExist)
                for (std::size_t i = 0; i < rs.size(); ++i)
                    if (rs[i].isNew && rs[i].specReplicas != d.replicas)
                        changes.push_back({i, rs[i].specReplicas, d.replicas});
        } else {
            changes = planRollingUpdate(d, rs);
        }
        if (!apply(changes))
            break;
    }
    std::vector<int> sizes;
    sizes.reserve(rs.size());
    for (const ReplicaSetCounts &r : rs)
        sizes.push_back(r.specReplicas);
    return sizes;
}

} // namespace kd::semantics
