#pragma once
// Internal to kd_manifest: what the lint rules (lintrules_*.cpp) share: typed reads of objects
// that never throw, pod templates and their containers for every workload kind, resource
// helpers and the mechanical text edits behind quick fixes.

#include "manifest/lintstages.h"
#include "manifest/validation_checks.h"
#include "semantics/resources.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest::detail {

// ---- typed reads (lintrules_util.cpp) ----
// parent[a][b]... when every step is an object and the value is present and not null.
const Json *at(const Json *parent, std::initializer_list<std::string_view> path);
const std::string *asStr(const Json *value);       // nullptr unless a string
std::optional<long long> asInt(const Json *value); // integers only
bool isTrue(const Json *value);                    // the boolean true
// A scalar as written in the manifest: strings without quotes, numbers as dumped.
std::string scalarText(const Json &value);
// "`name`": how messages quote names and values.
std::string ticked(std::string_view text);
// Canonical path of a field relative to a parent path ("" for the object itself).
std::string join(std::string_view path, std::string_view key);

// ---- workloads and pod templates ----
struct PodTemplate {
    const Json *metadata = nullptr; // the template's (a Pod's own) metadata; may be null
    const Json *spec = nullptr;     // the pod spec, an object
    std::string_view metadataPath;  // "spec.template.metadata", "metadata" for a Pod
    std::string_view specPath;      // "spec.template.spec", "spec" for a Pod
};
// Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod.
std::optional<PodTemplate> podTemplate(const LintObject &object);
const Json *templateLabels(const PodTemplate &templ);

// Kinds whose pods run until replaced: what serves traffic (not Job or CronJob).
bool isLongRunning(std::string_view kind);
// Kinds with spec.replicas.
bool isReplicated(std::string_view kind);
// spec.replicas as written; nullopt when absent or not an integer.
std::optional<long long> specReplicas(const Json &object);
// An object a controller owns (ownerReferences, as in a dump of cluster state): its owner's
// replica count, budget and GPU use already speak for its pods.
bool isOwned(const Json &object);

struct ContainerRef {
    const Json *json = nullptr;
    std::string path; // "spec.template.spec.containers[0]"
    std::string name;
    bool init = false;
    semantics::ResourceList gpus; // GPUs it asks for (requests default to limits)
};
// withGpus fills each container's gpus (parsing its quantities).
std::vector<ContainerRef> containersOf(const PodTemplate &templ, bool withInit,
                                       bool withGpus = false);

// Calls f(container) for every container and init container of a pod spec that is an object.
template<typename F> void forEachContainer(const Json &podSpec, F f) {
    for (const char *list : {"containers", "initContainers"}) {
        const Json *items = at(&podSpec, {list});
        if (items == nullptr || !items->is_array())
            continue;
        for (const Json &c : *items) {
            if (c.is_object())
                f(c);
        }
    }
}

// ---- resources ----
// Resources with a domain outside kubernetes.io (nvidia.com/gpu, vendor devices): the API
// server insists their requests equal their limits and are whole numbers.
bool isExtendedResource(std::string_view name);
// GPUs (and MIG slices) a pod spec asks a node for, as the scheduler counts them.
semantics::ResourceList podGpus(const Json &podSpec);
// The GPU entries of a resource list.
semantics::ResourceList gpuAmounts(const semantics::ResourceList &all);
// "2 nvidia.com/gpu, 1 nvidia.com/mig-1g.5gb".
std::string describeAmounts(const semantics::ResourceList &amounts);

// ---- the kubedeck.io/lint-ignore annotation (lintconfig.cpp) ----
struct IgnoreEntry {
    std::string rule;
    std::string container; // "" for the whole object
};
std::vector<IgnoreEntry> parseIgnoreList(std::string_view text);
// Reports entries that name no known rule (with a did-you-mean) or no container of the object.
void checkIgnoreAnnotations(const LintObject &object, const PodTemplate *templ,
                            const std::vector<ContainerRef> &containers, FindingSink &sink);

// ---- quick-fix text edits (lintrules_fixes.cpp) ----
// One map entry to set, as YAML text for its value ("1", "false", "web").
struct EntryEdit {
    std::string mapPath; // relative to the object: "spec.template.metadata.labels"
    std::string key;
    std::string value;
};
// Edits that make every mapPath[key] hold its value: an existing scalar is replaced where the
// text spells it as read (plain or inside its quotes); a missing key goes into the nearest map
// that exists, in that map's style (block or flow) and with its siblings' indentation, creating
// the maps in between. nullopt when no safe mechanical edit exists (a `key:` with no value, a
// scalar spelled differently from how it reads, text that is not UTF-8).
std::optional<std::vector<TextEdit>> entryEdits(const LintObject &object,
                                                const std::vector<EntryEdit> &entries);
// A value as a YAML plain scalar when that reads back as the same string, else double-quoted.
std::string yamlString(std::string_view text);
// A JSON scalar as YAML text: numbers and booleans plain, strings through yamlString.
std::string yamlScalar(const Json &value);
// Attaches a fix with these edits to the finding, if both exist.
void attachFix(Finding *finding, const LintObject &object, std::string title,
               const std::vector<EntryEdit> &entries);

// ---- the rule groups (lintrules_*.cpp), called by checkObjectRules / checkCrossRules ----
// Each gets the object's pod template and its containers (init containers included).
using Containers = std::vector<ContainerRef>;
void checkContainerRules(const LintObject &object, const PodTemplate &templ,
                         const Containers &containers, FindingSink &sink);
void checkProbeRules(const LintObject &object, const Containers &containers, FindingSink &sink);
void checkSecurityRules(const LintObject &object, const PodTemplate &templ,
                        const Containers &containers, FindingSink &sink);
void checkWorkloadRules(const LintObject &object, const PodTemplate &templ,
                        const Containers &containers, FindingSink &sink);
void checkPolicyObjectRules(const LintObject &object, FindingSink &sink); // PDB, HPA, namespace

} // namespace kd::manifest::detail
