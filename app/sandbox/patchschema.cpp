#include "sandbox/patchschema.h"

namespace kd::sandbox {

namespace {

using Apply = ListStrategy::Apply;

ListStrategy keyed(std::string mergeKey, std::vector<std::string> applyKeys) {
    ListStrategy s;
    s.mergeKey = std::move(mergeKey);
    s.apply = Apply::Map;
    s.keys = std::move(applyKeys);
    return s;
}

ListStrategy mergedSet() {
    ListStrategy s;
    s.primitiveMerge = true;
    s.apply = Apply::Set;
    return s;
}

bool isContainerList(std::string_view name) {
    return name == "containers" || name == "initContainers" || name == "ephemeralContainers";
}

bool anyItemHas(const Json *list, const char *key) {
    if (!list || !list->is_array())
        return false;
    for (const Json &item : *list) {
        if (item.is_object() && item.contains(key))
            return true;
    }
    return false;
}

} // namespace

ListStrategy listStrategy(std::string_view kind, std::string_view parent, std::string_view field,
                          const Json *original, const Json *patch) {
    if (isContainerList(field))
        return keyed("name", {"name"});
    if (field == "env" || field == "schedulingGates" || field == "resourceClaimStatuses" ||
        field == "allocatedResourcesStatus")
        return keyed("name", {"name"});
    if (field == "ports") {
        // Container ports are keyed by containerPort (and protocol for apply); Service ports by
        // port; endpoint and load-balancer ports are atomic.
        if (isContainerList(parent) || anyItemHas(original, "containerPort") ||
            anyItemHas(patch, "containerPort"))
            return keyed("containerPort", {"containerPort", "protocol"});
        if (parent == "spec")
            return keyed("port", {"port", "protocol"});
        return {};
    }
    if (field == "volumes" && parent == "spec")
        return keyed("name", {"name"});
    if (field == "volumeMounts")
        return keyed("mountPath", {"mountPath"});
    if (field == "volumeDevices")
        return keyed("devicePath", {"devicePath"});
    if (field == "imagePullSecrets") // a PodSpec's; a ServiceAccount's list is atomic
        return parent == "spec" ? keyed("name", {"name"}) : ListStrategy{};
    if (field == "secrets" && parent.empty() && kind == "ServiceAccount")
        return keyed("name", {"name"});
    if (field == "resourceClaims" && parent == "spec")
        return keyed("name", {"name"});
    if (field == "claims" && parent == "resources") {
        ListStrategy s; // ResourceRequirements.claims: keyed for apply, replaced by patches
        s.apply = Apply::Map;
        s.keys = {"name"};
        return s;
    }
    if (field == "hostAliases")
        return keyed("ip", {"ip"});
    if (field == "podIPs")
        return keyed("ip", {"ip"});
    if (field == "hostIPs") {
        ListStrategy s;
        s.mergeKey = "ip";
        return s;
    }
    if (field == "conditions") {
        ListStrategy s = keyed("type", {"type"});
        if (kind == "Job") { // JobStatus.conditions is atomic for apply
            s.apply = Apply::Atomic;
            s.keys.clear();
        }
        return s;
    }
    if (field == "addresses" && parent == "status")
        return keyed("type", {"type"});
    if (field == "ownerReferences" && parent == "metadata")
        return keyed("uid", {"uid"});
    if (field == "topologySpreadConstraints")
        return keyed("topologyKey", {"topologyKey", "whenUnsatisfiable"});
    if (field == "finalizers" && parent == "metadata")
        return mergedSet();
    if (field == "podCIDRs")
        return mergedSet();
    return {};
}

bool isAtomicMapForApply(std::string_view kind, std::string_view parent, std::string_view field) {
    if (field == "nodeSelector")
        return true;
    return field == "selector" && parent == "spec" &&
           (kind == "Service" || kind == "ReplicationController");
}

bool isReplacedMapForPatch(std::string_view kind, std::string_view parent, std::string_view field) {
    return field == "selector" && parent == "spec" && kind == "PodDisruptionBudget";
}

} // namespace kd::sandbox
