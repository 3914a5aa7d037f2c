#pragma once
// Factories of the sandbox's control loops. makeControllers() (cluster.cpp) runs them in this
// order.

#include "sandbox/controller.h"

#include <memory>

namespace kd::sandbox {

// Annotations through which scenarios steer the simulation (on a pod template or a pod).
inline constexpr const char *kModelLoadSecondsAnnotation = "sandbox.kubedeck.io/model-load-seconds";
inline constexpr const char *kCrashAnnotation =
    "sandbox.kubedeck.io/crash"; // "true": containers exit 1
// On a Deployment/StatefulSet: the CPU (or other resource) utilisation its pods report, percent
// of request, for the HPA: e.g. "cpu=85" or "cpu=85,memory=40".
inline constexpr const char *kUtilizationAnnotation = "sandbox.kubedeck.io/utilization";

std::unique_ptr<Controller> makeGarbageCollector();
std::unique_ptr<Controller> makeDeploymentController();
std::unique_ptr<Controller> makeReplicaSetController();
std::unique_ptr<Controller> makeStatefulSetController();
std::unique_ptr<Controller> makeScheduler();
std::unique_ptr<Controller> makeKubelet();
std::unique_ptr<Controller> makeEndpointsController();
std::unique_ptr<Controller> makeHorizontalPodAutoscaler();
std::unique_ptr<Controller> makeEventExpiry();

} // namespace kd::sandbox
