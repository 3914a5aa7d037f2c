#pragma once
// The generated `scale:` scenario: many pods, nodes and Deployments for measuring how clients
// (and the sandbox itself) cope with a large cluster.

#include "sandbox/scenario.h"

#include <string_view>

namespace kd::sandbox {

struct ScaleParameters {
    long pods = 1000;
    long nodes = 20;
    long deployments = 50;
    long gpuNodes = -1; // -1: a tenth of the nodes
    long services = -1; // -1: one Service per Deployment
};

// "pods=10000,nodes=200,deployments=500[,gpuNodes=20,services=500]" (the part after "scale:").
// Missing keys keep their defaults. Throws std::runtime_error on an unknown key or a malformed or
// out-of-range number.
ScaleParameters parseScaleSpec(std::string_view spec);

// Pods are spread evenly over the Deployments (~50 Deployments a namespace); about one in ten
// Deployments asks for a GPU, as long as three quarters of the GPU nodes' GPUs suffice. The
// workloads are generated in their steady state (ReplicaSets, bound Running and Ready pods,
// statuses), so 10,000 pods load in seconds instead of being rolled out through the controllers.
// Throws std::runtime_error when the CPU nodes cannot hold the CPU pods (110 pods a node).
Scenario generateScaleScenario(const ScaleParameters &parameters);

} // namespace kd::sandbox
