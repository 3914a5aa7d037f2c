#pragma once
// Which pods a ReplicaSet deletes first when it scales down (upstream's ActivePodsWithRanks,
// pkg/controller/controller_utils.go, with LogarithmicScaleDown on as in current releases).

#include <string>

namespace kd::semantics {

struct PodDeletionInfo {
    bool assigned = false; // spec.nodeName set
    int phaseOrdinal = 0;  // Pending 0, Unknown 1, Running 2
    bool ready = false;
    long long deletionCost = 0; // controller.kubernetes.io/pod-deletion-cost
    int colocated = 0;          // active pods of the same owner on the same node (the "rank")
    double readySince = 0;      // Ready condition's lastTransitionTime, 0 = unknown
    int maxRestarts = 0;        // highest restartCount of the containers
    double created = 0;         // creationTimestamp, 0 = unknown
    std::string uid;
};

int podPhaseOrdinal(const std::string &phase);
// True when `a` goes before `b`: unassigned, then pending, then not ready, lower deletion cost,
// more doubled-up, ready for less time, more restarts, newer (times compared in powers of two
// of their age, then by uid).
bool deleteBefore(const PodDeletionInfo &a, const PodDeletionInfo &b, double now);

} // namespace kd::semantics
