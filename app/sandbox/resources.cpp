#include "sandbox/resources.h"

#include <stdexcept>

namespace kd::sandbox {

namespace {

const std::vector<std::string> kAllVerbs{"create", "delete", "deletecollection", "get",
                                         "list",   "patch",  "update",           "watch"};

ResourceType make(std::string group, std::string version, std::string resource,
                  std::string singular, std::string kind, bool namespaced,
                  std::vector<std::string> shortNames, std::vector<std::string> categories = {},
                  bool status = false, bool scale = false, bool generation = false) {
    ResourceType t;
    t.group = std::move(group);
    t.version = std::move(version);
    t.resource = std::move(resource);
    t.singular = std::move(singular);
    t.kind = std::move(kind);
    t.namespaced = namespaced;
    t.shortNames = std::move(shortNames);
    t.verbs = kAllVerbs;
    t.categories = std::move(categories);
    t.hasStatus = status;
    t.hasScale = scale;
    t.hasGeneration = generation;
    return t;
}

std::vector<ResourceType> buildTypes() {
    std::vector<ResourceType> t;
    t.push_back(make("", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, {}, true));
    t.push_back(make("", "v1", "nodes", "node", "Node", false, {"no"}, {}, true));
    t.push_back(make("", "v1", "pods", "pod", "Pod", true, {"po"}, {"all"}, true));
    t.push_back(make("", "v1", "services", "service", "Service", true, {"svc"}, {"all"}, true));
    t.push_back(make("", "v1", "endpoints", "endpoints", "Endpoints", true, {"ep"}));
    t.push_back(make("", "v1", "events", "event", "Event", true, {"ev"}));
    t.push_back(make("", "v1", "configmaps", "configmap", "ConfigMap", true, {"cm"}));
    t.push_back(make("", "v1", "secrets", "secret", "Secret", true, {}));
    t.push_back(make("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice",
                     true, {}));
    t.push_back(make("apps", "v1", "deployments", "deployment", "Deployment", true, {"deploy"},
                     {"all"}, true, true, true));
    t.push_back(make("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, {"rs"}, {"all"},
                     true, true, true));
    t.push_back(make("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, {"sts"},
                     {"all"}, true, true, true));
    t.push_back(make("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, {"ing"},
                     {}, true, false, true));
    t.push_back(make("networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass",
                     false, {}));
    t.push_back(make("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler",
                     "HorizontalPodAutoscaler", true, {"hpa"}, {"all"}, true, false, true));
    t.push_back(make("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget",
                     "PodDisruptionBudget", true, {"pdb"}, {}, true, false, true));
    ResourceType ssar = make("authorization.k8s.io", "v1", "selfsubjectaccessreviews",
                             "selfsubjectaccessreview", "SelfSubjectAccessReview", false, {});
    ssar.verbs = {"create"};
    t.push_back(ssar);
    return t;
}

} // namespace

const std::vector<ResourceType> &allResourceTypes() {
    static const std::vector<ResourceType> types = buildTypes();
    return types;
}

const ResourceType *findResource(std::string_view group, std::string_view version,
                                 std::string_view resource) {
    for (const auto &t : allResourceTypes())
        if (t.group == group && t.version == version && t.resource == resource)
            return &t;
    return nullptr;
}

const ResourceType *findKind(std::string_view apiVersion, std::string_view kind) {
    for (const auto &t : allResourceTypes())
        if (t.kind == kind && t.apiVersion() == apiVersion)
            return &t;
    return nullptr;
}

const ResourceType &resourceType(std::string_view apiVersion, std::string_view kind) {
    if (const ResourceType *t = findKind(apiVersion, kind))
        return *t;
    throw std::out_of_range("no resource type for " + std::string(apiVersion) + " " +
                            std::string(kind));
}

} // namespace kd::sandbox
