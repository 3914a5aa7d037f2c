#pragma once
// Helpers the workload controllers (Deployment, ReplicaSet, StatefulSet) share: owner references,
// label selectors, pod readiness and availability, and how a controller deletes a pod.

#include "sandbox/controller.h"
#include "sandbox/json.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace kd::sandbox {

// metav1.LabelSelector (matchLabels + matchExpressions) against a labels map. A null selector
// matches nothing, an empty one everything; a malformed one nothing.
bool selectorMatches(const Json &selector, const Json &labels);
// The "app=web,tier in (a,b)" form the scale subresource and kubectl show.
std::string selectorString(const Json &selector);

// The ownerReferences entry with controller: true, or nullptr.
const Json *controllerRefOf(const Json &obj);
std::string controllerUidOf(const Json &obj);
// An ownerReference naming `owner` as controller (blockOwnerDeletion too, as upstream sets).
Json makeControllerRef(const Json &owner);
// Adds `ref` as the controller reference (adoption) / drops references to `ownerUid` (release).
Json withControllerRef(const Json &obj, const Json &ref);
Json withoutOwner(const Json &obj, const std::string &ownerUid);

bool isTerminating(const Json &obj);
// Counted by controllers: not Succeeded/Failed and not being deleted.
bool isPodActive(const Json &pod);
bool isPodReady(const Json &pod);
// The Ready condition's lastTransitionTime (epoch seconds), 0 when unknown.
double podReadySince(const Json &pod);
// IsPodAvailable: Ready, and Ready for longer than minReadySeconds.
bool isPodAvailable(const Json &pod, long long minReadySeconds, double now);
// When a Ready pod that is not yet available becomes available (for the controller's timer);
// Controller::never when that does not apply.
double podAvailableAt(const Json &pod, long long minReadySeconds, double now);
int podMaxRestarts(const Json &pod);

// Objects indexed by the uid of their controller, built once per pass.
struct OwnerIndex {
    std::unordered_map<std::string, std::vector<ObjectPtr>> byOwner;
    std::unordered_map<std::string, std::vector<ObjectPtr>> orphansByNamespace;
    const std::vector<ObjectPtr> &owned(const std::string &uid) const;
    const std::vector<ObjectPtr> &orphans(const std::string &ns) const;
};
OwnerIndex indexByController(const std::vector<ObjectPtr> &objects);

// Deletes a pod as a controller's DELETE would: at once when it never got a node, else marked
// with deletionTimestamp and the grace period for the kubelet to finish. Returns false on a
// conflict or when the pod is gone (the next pass retries).
bool deletePodGracefully(ControllerContext &ctx, const Json &pod);

// Paces retries of a write that keeps failing (a pod template the API server refuses, ...), as
// upstream's rate-limited work queues do: 1 s after the first failure, doubling, at most 5 min.
// Without it a level-triggered pass would retry, and record an Event, on every pass.
class RetryBackoff {
public:
    bool due(const std::string &key, double now) const;
    // Records a failure; returns when to try again.
    double failed(const std::string &key, double now);
    void succeeded(const std::string &key) { m_entries.erase(key); }
    // When `key` may be tried again, or Controller::never when it is not waiting.
    double retryAt(const std::string &key) const;

private:
    struct Entry {
        double delay = 0;
        double at = 0;
    };
    std::unordered_map<std::string, Entry> m_entries;
};

// Sets or removes an integer status field the way omitempty serialises it.
void setOmitEmpty(Json &obj, const char *key, long long value);

} // namespace kd::sandbox
