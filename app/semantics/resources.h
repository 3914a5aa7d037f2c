#pragma once
// Resource lists of pods and nodes in exact milli-units, and the pod request arithmetic the
// scheduler uses (init containers, sidecars, overhead). The sandbox schedules with it and the GUI
// predicts with it, so both agree on what a pod asks for.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace kd::semantics {

// Resource name -> quantity in milli-units ("cpu": 500 for "500m", "nvidia.com/gpu": 2000 for 2).
using ResourceList = std::map<std::string, std::int64_t>;

// The pseudo-resource that counts pods against a node's allocatable "pods" (a pod asks for one
// pod, i.e. 1000 milli-units, so that node allocatable "110" parses into the same unit).
inline constexpr const char *kPodsResource = "pods";
inline constexpr std::int64_t kOnePod = 1000;

// What the scheduler assumes for scoring when a container asks for nothing (upstream's
// DefaultMilliCPURequest and DefaultMemoryRequest): 100m CPU and 200 MiB.
inline constexpr std::int64_t kDefaultMilliCpuRequest = 100;
inline constexpr std::int64_t kDefaultMemoryRequestMilli = 200LL * 1024 * 1024 * 1000;

// The functions over JSON take nlohmann::json (the sandbox) and nlohmann::ordered_json (objects
// the client caches); both are instantiated in resources.cpp.

// A JSON object of quantities ({"cpu": "500m", "memory": "1Gi"}); entries that do not parse are
// left out (validation reports them, scheduling must not crash on them).
template<typename JsonT> ResourceList parseResourceList(const JsonT &quantities);

// What a container requests after API defaulting: a resource with a limit but no request
// requests its limit.
template<typename JsonT> ResourceList containerRequests(const JsonT &container);

// What a pod spec asks a node for: per resource the larger of the biggest init container
// (restartable "sidecar" init containers keep running and add to everything after them) and the
// sum of the app containers plus sidecars, then the pod overhead; plus "pods" = one pod.
template<typename JsonT> ResourceList podSpecRequests(const JsonT &podSpec);
// Same, with upstream's non-zero defaults for CPU and memory applied per container; only "cpu"
// and "memory" are returned. The least-allocated score uses these, as upstream does.
template<typename JsonT> ResourceList podSpecNonZeroRequests(const JsonT &podSpec);

// A pod's effective requests; a terminated pod (phase Succeeded or Failed) requests nothing.
template<typename JsonT> ResourceList podRequests(const JsonT &pod);
template<typename JsonT> bool isTerminatedPod(const JsonT &pod);

// GPUs and MIG slices: never overcommitted, whole units only.
bool isGpuResource(std::string_view name);

// a += b and a -= b, per resource.
void addResources(ResourceList &a, const ResourceList &b);
void subtractResources(ResourceList &a, const ResourceList &b);
// Per resource max(a, b).
ResourceList maxResources(const ResourceList &a, const ResourceList &b);
// Value of a resource, 0 when absent.
std::int64_t amountOf(const ResourceList &list, const std::string &name);

} // namespace kd::semantics
