#pragma once
// A small deterministic model of a Deployment rollout: the rollout maths of rollout.h driving two
// ReplicaSets whose pods appear at once and turn Ready as a pattern says. It checks the
// invariants of a rolling update and gives the GUI the shape of a rollout to draw.

#include "semantics/rollout.h"

#include <vector>

namespace kd::semantics {

struct RolloutSimInput {
    DeploymentParams deployment; // the target: replicas, strategy, maxSurge, maxUnavailable
    int oldReplicas = -1; // pods of the old ReplicaSet at the start; -1 = deployment.replicas
    int oldUnready = 0;   // how many of those start not Ready
    // Readiness of new pods: pod number k (0-based, in creation order), not yet Ready, turns
    // Ready at step s when pattern[(k + s) % size] is true. Empty = Ready one step after creation.
    std::vector<bool> readiness;
    int maxSteps = 10'000;
};

struct RolloutSimStep {
    int oldSpec = 0, newSpec = 0;
    int oldPods = 0, newPods = 0;
    int oldAvailable = 0, newAvailable = 0;
    int totalPods() const { return oldPods + newPods; }
    int available() const { return oldAvailable + newAvailable; }
};

struct RolloutSimResult {
    std::vector<RolloutSimStep> steps; // the state after each step's controller writes
    bool completed = false;            // the new RS holds every replica, all available, no old pods
    bool stuck = false;                // a step changed nothing and the rollout is not complete
    int maxSurge = 0;                  // the resolved fenceposts
    int maxUnavailable = 0;
    int peakPods = 0; // most pods at any step
    int lowestAvailable = 0;
    bool overlapped = false; // old and new pods existed at the same step (Recreate must not)
};

RolloutSimResult simulateRollout(const RolloutSimInput &in);

} // namespace kd::semantics
