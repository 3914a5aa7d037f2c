#pragma once
// The resource types the sandbox serves, as discovery describes them.

#include <string>
#include <string_view>
#include <vector>

namespace kd::sandbox {

struct ResourceType {
    std::string group;    // "" for the core group
    std::string version;  // "v1"
    std::string resource; // plural, e.g. "deployments"
    std::string singular;
    std::string kind;
    bool namespaced = true;
    std::vector<std::string> shortNames;
    std::vector<std::string> verbs;
    std::vector<std::string> categories;
    bool hasStatus = false;     // status subresource: main-resource writes keep the stored status
    bool hasScale = false;      // scale subresource (autoscaling/v1 Scale)
    bool hasGeneration = false; // metadata.generation counts spec changes

    std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }
    // "deployments.apps" / "pods": how upstream messages name the resource.
    std::string qualifiedResource() const {
        return group.empty() ? resource : resource + "." + group;
    }
    // "Deployment.apps" / "Pod": how upstream 422 messages name the kind.
    std::string qualifiedKind() const { return group.empty() ? kind : kind + "." + group; }
};

const std::vector<ResourceType> &allResourceTypes();
const ResourceType *findResource(std::string_view group, std::string_view version,
                                 std::string_view resource);
const ResourceType *findKind(std::string_view apiVersion, std::string_view kind);
const ResourceType &resourceType(std::string_view apiVersion,
                                 std::string_view kind); // throws std::out_of_range

} // namespace kd::sandbox
