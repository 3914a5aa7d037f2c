#pragma once
// What the endpoints controllers want to exist for one Service and the pods it selects: the
// Endpoints object and the EndpointSlices, built as upstream's controllers build them.

#include "sandbox/json.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kd::sandbox {

inline constexpr const char *kServiceNameLabel = "kubernetes.io/service-name";
inline constexpr const char *kManagedByLabel = "endpointslice.kubernetes.io/managed-by";
inline constexpr const char *kSliceControllerName = "endpointslice-controller.k8s.io";
inline constexpr const char *kEndpointsManagedByLabel = "endpoints.kubernetes.io/managed-by";
inline constexpr const char *kEndpointsControllerName = "endpoint-controller";
inline constexpr std::size_t kMaxEndpointsPerSlice = 100;

// A Service port's target on one pod: targetPort as a number, or the container port of that
// name (and protocol); nothing when the pod has no such named port.
std::optional<long long> resolveTargetPort(const Json &servicePort, const Json &pod);

// The Endpoints object for `service` (pods already filtered by its selector). Ready pods are
// addresses, the others notReadyAddresses; terminating pods are left out unless the service
// publishes not-ready addresses. Pods are grouped into subsets by their resolved ports.
Json desiredEndpoints(const Json &service, const std::vector<ObjectPtr> &pods);

// The EndpointSlices (without names: created with generateName `<service>-`), one per port
// set and at most 100 endpoints each; one empty slice when there is no endpoint. `zones`
// maps node names to their topology.kubernetes.io/zone.
std::vector<Json> desiredSlices(const Json &service, const std::vector<ObjectPtr> &pods,
                                const std::unordered_map<std::string, std::string> &zones);

} // namespace kd::sandbox
