#include "semantics/rolloutpodorder.h"

#include <cmath>

namespace kd::semantics {

namespace {

// afterOrZero: a zero time sorts first, otherwise the later time does.
bool afterOrZero(double t1, double t2) {
    if (t1 == 0 || t2 == 0)
        return t1 == 0;
    return t1 > t2;
}

// floor(log2) of the age in nanoseconds, -1 for no age: times within the same power of two
// count as equal, so scale-down spreads over ages instead of always taking the newest.
long long logRank(double t, double now) {
    const double ns = (now - t) * 1e9;
    return ns > 0 ? static_cast<long long>(std::log2(ns)) : -1;
}

// Compares two times the way LogarithmicScaleDown does.
bool compareTimes(double t1, double t2, double now, const std::string &uid1,
                  const std::string &uid2) {
    if (now == 0 || t1 == 0 || t2 == 0)
        return afterOrZero(t1, t2);
    const long long diff = logRank(t1, now) - logRank(t2, now);
    if (diff == 0)
        return uid1 < uid2;
    return diff < 0;
}

} // namespace

int podPhaseOrdinal(const std::string &phase) {
    if (phase == "Unknown")
        return 1;
    if (phase == "Running")
        return 2;
    return 0;
}

bool deleteBefore(const PodDeletionInfo &a, const PodDeletionInfo &b, double now) {
    if (a.assigned != b.assigned)
        return !a.assigned;
    if (a.phaseOrdinal != b.phaseOrdinal)
        return a.phaseOrdinal < b.phaseOrdinal;
    if (a.ready != b.ready)
        return !a.ready;
    if (a.deletionCost != b.deletionCost)
        return a.deletionCost < b.deletionCost;
    if (a.colocated != b.colocated)
        return a.colocated > b.colocated;
    if (a.ready && b.ready && a.readySince != b.readySince)
        return compareTimes(a.readySince, b.readySince, now, a.uid, b.uid);
    if (a.maxRestarts != b.maxRestarts)
        return a.maxRestarts > b.maxRestarts;
    if (a.created != b.created)
        return compareTimes(a.created, b.created, now, a.uid, b.uid);
    return false;
}

} // namespace kd::semantics
