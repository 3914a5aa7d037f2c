#include "manifest/apiversions.h"

#include <array>
#include <charconv>

namespace kd::manifest::detail {

namespace {

// Sorted by apiVersion, then kind: the lookup is a binary search.
constexpr std::array kChanges = {
    ApiVersionChange{"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", 16, 22,
                     "admissionregistration.k8s.io/v1", 16, false},
    ApiVersionChange{"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 16,
                     22, "admissionregistration.k8s.io/v1", 16, false},
    ApiVersionChange{"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 16, 22,
                     "apiextensions.k8s.io/v1", 16, false},
    ApiVersionChange{"apiregistration.k8s.io/v1beta1", "APIService", 19, 22,
                     "apiregistration.k8s.io/v1", 10, true},
    ApiVersionChange{"apps/v1beta1", "ControllerRevision", 9, 16, "apps/v1", 9, true},
    ApiVersionChange{"apps/v1beta1", "Deployment", 9, 16, "apps/v1", 9, false},
    ApiVersionChange{"apps/v1beta1", "StatefulSet", 9, 16, "apps/v1", 9, false},
    ApiVersionChange{"apps/v1beta2", "ControllerRevision", 9, 16, "apps/v1", 9, true},
    ApiVersionChange{"apps/v1beta2", "DaemonSet", 9, 16, "apps/v1", 9, true},
    ApiVersionChange{"apps/v1beta2", "Deployment", 9, 16, "apps/v1", 9, true},
    ApiVersionChange{"apps/v1beta2", "ReplicaSet", 9, 16, "apps/v1", 9, true},
    ApiVersionChange{"apps/v1beta2", "StatefulSet", 9, 16, "apps/v1", 9, true},
    ApiVersionChange{"authentication.k8s.io/v1beta1", "TokenReview", 19, 22,
                     "authentication.k8s.io/v1", 6, true},
    ApiVersionChange{"authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", 19, 22,
                     "authorization.k8s.io/v1", 6, true},
    ApiVersionChange{"authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", 19, 22,
                     "authorization.k8s.io/v1", 6, true},
    ApiVersionChange{"authorization.k8s.io/v1beta1", "SubjectAccessReview", 19, 22,
                     "authorization.k8s.io/v1", 6, true},
    ApiVersionChange{"autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, 25, "autoscaling/v2", 23,
                     false},
    ApiVersionChange{"autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, 26, "autoscaling/v2", 23,
                     true},
    ApiVersionChange{"batch/v1beta1", "CronJob", 21, 25, "batch/v1", 21, true},
    ApiVersionChange{"certificates.k8s.io/v1beta1", "CertificateSigningRequest", 19, 22,
                     "certificates.k8s.io/v1", 19, false},
    ApiVersionChange{"coordination.k8s.io/v1beta1", "Lease", 19, 22, "coordination.k8s.io/v1", 14,
                     true},
    ApiVersionChange{"discovery.k8s.io/v1beta1", "EndpointSlice", 21, 25, "discovery.k8s.io/v1", 21,
                     false},
    ApiVersionChange{"events.k8s.io/v1beta1", "Event", 19, 25, "events.k8s.io/v1", 19, false},
    ApiVersionChange{"extensions/v1beta1", "DaemonSet", 9, 16, "apps/v1", 9, false},
    ApiVersionChange{"extensions/v1beta1", "Deployment", 9, 16, "apps/v1", 9, false},
    ApiVersionChange{"extensions/v1beta1", "Ingress", 14, 22, "networking.k8s.io/v1", 19, false},
    ApiVersionChange{"extensions/v1beta1", "NetworkPolicy", 9, 16, "networking.k8s.io/v1", 8, true},
    ApiVersionChange{"extensions/v1beta1", "PodSecurityPolicy", 10, 16, "policy/v1beta1", 10, true},
    ApiVersionChange{"extensions/v1beta1", "ReplicaSet", 9, 16, "apps/v1", 9, false},
    ApiVersionChange{"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 23, 26,
                     "flowcontrol.apiserver.k8s.io/v1", 29, false},
    ApiVersionChange{"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 23, 26,
                     "flowcontrol.apiserver.k8s.io/v1", 29, false},
    ApiVersionChange{"flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 26, 29,
                     "flowcontrol.apiserver.k8s.io/v1", 29, false},
    ApiVersionChange{"flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 26, 29,
                     "flowcontrol.apiserver.k8s.io/v1", 29, false},
    ApiVersionChange{"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 29, 32,
                     "flowcontrol.apiserver.k8s.io/v1", 29, true},
    ApiVersionChange{"flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 29, 32,
                     "flowcontrol.apiserver.k8s.io/v1", 29, true},
    ApiVersionChange{"networking.k8s.io/v1beta1", "Ingress", 19, 22, "networking.k8s.io/v1", 19,
                     false},
    ApiVersionChange{"networking.k8s.io/v1beta1", "IngressClass", 19, 22, "networking.k8s.io/v1",
                     19, true},
    ApiVersionChange{"node.k8s.io/v1beta1", "RuntimeClass", 20, 25, "node.k8s.io/v1", 20, true},
    ApiVersionChange{"policy/v1beta1", "PodDisruptionBudget", 21, 25, "policy/v1", 21, true},
    ApiVersionChange{"policy/v1beta1", "PodSecurityPolicy", 21, 25, "", 0, false},
    ApiVersionChange{"rbac.authorization.k8s.io/v1beta1", "ClusterRole", 17, 22,
                     "rbac.authorization.k8s.io/v1", 8, true},
    ApiVersionChange{"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 17, 22,
                     "rbac.authorization.k8s.io/v1", 8, true},
    ApiVersionChange{"rbac.authorization.k8s.io/v1beta1", "Role", 17, 22,
                     "rbac.authorization.k8s.io/v1", 8, true},
    ApiVersionChange{"rbac.authorization.k8s.io/v1beta1", "RoleBinding", 17, 22,
                     "rbac.authorization.k8s.io/v1", 8, true},
    ApiVersionChange{"scheduling.k8s.io/v1beta1", "PriorityClass", 14, 22, "scheduling.k8s.io/v1",
                     14, true},
    ApiVersionChange{"storage.k8s.io/v1beta1", "CSIDriver", 19, 22, "storage.k8s.io/v1", 18, true},
    ApiVersionChange{"storage.k8s.io/v1beta1", "CSINode", 17, 22, "storage.k8s.io/v1", 17, true},
    ApiVersionChange{"storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, 27, "storage.k8s.io/v1",
                     24, true},
    ApiVersionChange{"storage.k8s.io/v1beta1", "StorageClass", 19, 22, "storage.k8s.io/v1", 6,
                     true},
    ApiVersionChange{"storage.k8s.io/v1beta1", "VolumeAttachment", 19, 22, "storage.k8s.io/v1", 13,
                     true},
};

constexpr bool sorted() {
    for (std::size_t i = 1; i < kChanges.size(); ++i) {
        const auto &a = kChanges[i - 1];
        const auto &b = kChanges[i];
        if (!(a.apiVersion < b.apiVersion || (a.apiVersion == b.apiVersion && a.kind < b.kind)))
            return false;
    }
    return true;
}
static_assert(sorted(), "kChanges must be sorted by apiVersion, then kind");

} // namespace

std::optional<int> parseKubernetesMinor(std::string_view version) {
    if (!version.empty() && version.front() == 'v')
        version.remove_prefix(1);
    if (version.substr(0, 2) != "1.")
        return std::nullopt;
    version.remove_prefix(2);
    int minor = 0;
    const auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), minor);
    if (ec != std::errc() || end == version.data() || minor < 0)
        return std::nullopt;
    const std::string_view rest(end,
                                static_cast<std::size_t>(version.data() + version.size() - end));
    if (!rest.empty() && rest.front() != '.' && rest.front() != '+' && rest.front() != '-')
        return std::nullopt;
    return minor;
}

const ApiVersionChange *findApiVersionChange(std::string_view apiVersion, std::string_view kind) {
    std::size_t lo = 0;
    std::size_t hi = kChanges.size();
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        const auto &c = kChanges[mid];
        if (c.apiVersion < apiVersion || (c.apiVersion == apiVersion && c.kind < kind))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < kChanges.size() && kChanges[lo].apiVersion == apiVersion && kChanges[lo].kind == kind)
        return &kChanges[lo];
    return nullptr;
}

} // namespace kd::manifest::detail
