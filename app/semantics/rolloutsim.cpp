#include "semantics/rolloutsim.h"

#include <algorithm>

namespace kd::semantics {

namespace {

struct SimPod {
    int serial = 0;
    bool ready = false;
};

// The ReplicaSet controller: create missing pods (not Ready); delete surplus ones not-ready
// first, then newest first, as upstream's ranking does for pods on one node.
void syncPods(std::vector<SimPod> &pods, int spec, int &serial) {
    while (static_cast<int>(pods.size()) < spec)
        pods.push_back({serial++, false});
    if (static_cast<int>(pods.size()) <= spec)
        return;
    std::stable_sort(pods.begin(), pods.end(), [](const SimPod &a, const SimPod &b) {
        if (a.ready != b.ready)
            return !a.ready;
        return a.serial > b.serial;
    });
    pods.erase(pods.begin(), pods.begin() + (static_cast<long>(pods.size()) - spec));
    std::sort(pods.begin(), pods.end(),
              [](const SimPod &a, const SimPod &b) { return a.serial < b.serial; });
}

int readyCount(const std::vector<SimPod> &pods) {
    return static_cast<int>(
        std::count_if(pods.begin(), pods.end(), [](const SimPod &p) { return p.ready; }));
}

} // namespace

RolloutSimResult simulateRollout(const RolloutSimInput &in) {
    const DeploymentParams &d = in.deployment;
    RolloutSimResult result;
    result.maxSurge = maxSurge(d);
    result.maxUnavailable = maxUnavailable(d);

    const int oldStart = in.oldReplicas < 0 ? d.replicas : in.oldReplicas;
    std::vector<SimPod> oldPods, newPods;
    int oldSerial = 0, newSerial = 0;
    for (int i = 0; i < oldStart; ++i)
        oldPods.push_back({oldSerial++, i >= in.oldUnready});
    // Old first (creationOrder 0), the new ReplicaSet created by the rollout (1).
    std::vector<ReplicaSetCounts> rs(2);
    rs[0].specReplicas = oldStart;
    rs[0].creationOrder = 0;
    rs[1].isNew = true;
    rs[1].creationOrder = 1;

    auto observe = [&] {
        rs[0].statusReplicas = static_cast<int>(oldPods.size());
        rs[0].readyReplicas = rs[0].availableReplicas = readyCount(oldPods);
        rs[1].statusReplicas = static_cast<int>(newPods.size());
        rs[1].readyReplicas = rs[1].availableReplicas = readyCount(newPods);
    };
    observe();
    result.peakPods = oldStart;
    result.lowestAvailable = rs[0].availableReplicas;

    for (int step = 0; step < in.maxSteps; ++step) {
        bool changed = false;
        // The deployment controller: one pass.
        std::vector<ScaleChange> changes;
        if (d.strategy == Strategy::RollingUpdate) {
            changes = planRollingUpdate(d, rs);
        } else {
            changes = planRecreateScaleDown(rs);
            // New pods only once every old pod is gone.
            if (changes.empty() && oldPods.empty() && rs[1].specReplicas != d.replicas)
                changes.push_back({1, rs[1].specReplicas, d.replicas});
        }
        for (const ScaleChange &c : changes) {
            changed = changed || rs[c.index].specReplicas != c.to;
            rs[c.index].specReplicas = c.to;
        }
        // The ReplicaSet controller.
        const std::size_t before = oldPods.size() + newPods.size();
        syncPods(oldPods, rs[0].specReplicas, oldSerial);
        syncPods(newPods, rs[1].specReplicas, newSerial);
        changed = changed || before != oldPods.size() + newPods.size();
        observe();

        RolloutSimStep s{rs[0].specReplicas,   rs[1].specReplicas,      rs[0].statusReplicas,
                         rs[1].statusReplicas, rs[0].availableReplicas, rs[1].availableReplicas};
        result.steps.push_back(s);
        result.peakPods = std::max(result.peakPods, s.totalPods());
        result.lowestAvailable = std::min(result.lowestAvailable, s.available());
        result.overlapped = result.overlapped || (s.oldPods > 0 && s.newPods > 0);

        if (oldPods.empty() && rs[1].specReplicas == d.replicas &&
            rs[1].availableReplicas == d.replicas) {
            result.completed = true;
            break;
        }
        // The kubelet: new pods turn Ready as the pattern says.
        for (SimPod &p : newPods) {
            if (p.ready)
                continue;
            const bool turns =
                in.readiness.empty() ||
                in.readiness[static_cast<std::size_t>(p.serial + step) % in.readiness.size()];
            if (turns) {
                p.ready = true;
                changed = true;
            }
        }
        observe();
        if (!changed) {
            // Readiness that depends on the step may still come; a full pattern cycle of
            // nothing happening means nothing ever will.
            const bool anyPending = std::any_of(newPods.begin(), newPods.end(),
                                                [](const SimPod &p) { return !p.ready; });
            const bool patternHasTrue =
                std::find(in.readiness.begin(), in.readiness.end(), true) != in.readiness.end();
            if (!anyPending || !patternHasTrue) {
                result.stuck = true;
                break;
            }
        }
    }
    return result;
}

} // namespace kd::semantics
