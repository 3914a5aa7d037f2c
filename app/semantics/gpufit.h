#pragma once
// Why a pod that asks for GPUs cannot get them, in words the user can act on: how many it needs
// on one node, the most any node that could take it has free, and which nodes are excluded and
// by what (cordon, a taint the pod does not tolerate, its node selector or affinity, CPU or
// memory, anti-affinity). Computed with the scheduler's own filters (scheduling.h), so the
// explanation names the same nodes the scheduler rejects.

#include "semantics/scheduling.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kd::semantics {

// One GPU resource a pod asks for, in whole units.
struct GpuNeed {
    std::string resource; // "nvidia.com/gpu", "nvidia.com/mig-1g.10gb", "amd.com/gpu"
    std::int64_t units = 0;
};

// Whole devices in a milli-unit amount: a fraction still takes a whole GPU or slice.
std::int64_t wholeUnits(std::int64_t milli);

// The GPU and MIG resources in `requests`, in whole units (milli-units / 1000), sorted by name.
std::vector<GpuNeed> gpuNeeds(const ResourceList &requests);

struct GpuFitExplanation {
    bool fits = false;         // some node takes the pod now
    std::string fitsOn;        // the node the scheduler would pick when it fits
    GpuNeed need;              // the first GPU resource that no node has room for ("" when fits)
    std::int64_t mostFree = 0; // the most of need.resource free on a node the pod may use
    std::string mostFreeNode;  // that node ("" when no node offers the resource)
    int nodesOffering = 0;     // nodes with need.resource allocatable
    // The whole sentence, e.g. "needs 2 nvidia.com/gpu on one node; the most free on any
    // schedulable node is 1 (a100-node-2); 3 nodes are excluded by the taint
    // nvidia.com/gpu=present:NoSchedule that the pod does not tolerate".
    std::string text;
};

// Explains where `pod` can and cannot go on `nodes` (the scheduler's view: nodes with the pods
// holding room on them).
GpuFitExplanation explainGpuFit(const PodNeeds &pod, const std::vector<NodeState> &nodes);

} // namespace kd::semantics
