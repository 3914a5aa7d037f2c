// Shared reads for the lint rules: typed values, pod templates per workload kind, containers
// and GPU amounts.

#include "manifest/lintrules_util.h"

#include "semantics/quantity.h"

namespace kd::manifest::detail {

const Json *at(const Json *parent, std::initializer_list<std::string_view> path) {
    // The object's map is searched directly: rules read a few fields of every object, and the
    // general accessors cost several times more per lookup.
    const Json *cur = parent;
    for (std::string_view name : path) {
        if (cur == nullptr || !cur->is_object())
            return nullptr;
        const auto &fields = cur->get_ref<const Json::object_t &>();
        const auto it = fields.find(name);
        if (it == fields.end() || it->second.is_null())
            return nullptr;
        cur = &it->second;
    }
    return cur;
}

const std::string *asStr(const Json *value) {
    return value && value->is_string() ? &value->get_ref<const std::string &>() : nullptr;
}

std::optional<long long> asInt(const Json *value) {
    if (value == nullptr || !value->is_number_integer())
        return std::nullopt;
    return value->get<long long>();
}

bool isTrue(const Json *value) {
    return value && value->is_boolean() && value->get<bool>();
}

std::string scalarText(const Json &value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string ticked(std::string_view text) {
    return "`" + std::string(text) + "`";
}

std::string join(std::string_view path, std::string_view key) {
    return appendKey(std::string(path), key);
}

semantics::ResourceList gpuAmounts(const semantics::ResourceList &all) {
    semantics::ResourceList out;
    for (const auto &[name, milli] : all) {
        if (milli > 0 && semantics::isGpuResource(name))
            out.emplace(name, milli);
    }
    return out;
}

std::optional<PodTemplate> podTemplate(const LintObject &object) {
    if (object.value == nullptr || !object.value->is_object())
        return std::nullopt;
    // Called for every finding (silencing reads the template's annotation): no allocations.
    const std::string &kind = object.kind;
    PodTemplate t;
    if (kind == "Pod") {
        t.metadata = at(object.value, {"metadata"});
        t.spec = at(object.value, {"spec"});
        t.metadataPath = "metadata";
        t.specPath = "spec";
    } else if (kind == "CronJob") {
        const Json *templ = at(object.value, {"spec", "jobTemplate", "spec", "template"});
        t.metadata = at(templ, {"metadata"});
        t.spec = at(templ, {"spec"});
        t.metadataPath = "spec.jobTemplate.spec.template.metadata";
        t.specPath = "spec.jobTemplate.spec.template.spec";
    } else if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" ||
               kind == "ReplicaSet" || kind == "ReplicationController" || kind == "Job") {
        const Json *templ = at(object.value, {"spec", "template"});
        t.metadata = at(templ, {"metadata"});
        t.spec = at(templ, {"spec"});
        t.metadataPath = "spec.template.metadata";
        t.specPath = "spec.template.spec";
    } else {
        return std::nullopt;
    }
    if (t.metadata && !t.metadata->is_object())
        t.metadata = nullptr;
    if (t.spec == nullptr || !t.spec->is_object())
        return std::nullopt;
    return t;
}

const Json *templateLabels(const PodTemplate &templ) {
    const Json *labels = at(templ.metadata, {"labels"});
    return labels && labels->is_object() ? labels : nullptr;
}

bool isLongRunning(std::string_view kind) {
    return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" ||
           kind == "ReplicaSet" || kind == "ReplicationController" || kind == "Pod";
}

bool isReplicated(std::string_view kind) {
    return kind == "Deployment" || kind == "StatefulSet" || kind == "ReplicaSet" ||
           kind == "ReplicationController";
}

std::optional<long long> specReplicas(const Json &object) {
    return asInt(at(&object, {"spec", "replicas"}));
}

bool isOwned(const Json &object) {
    const Json *owners = at(&object, {"metadata", "ownerReferences"});
    return owners && owners->is_array() && !owners->empty();
}

std::vector<ContainerRef> containersOf(const PodTemplate &templ, bool withInit, bool withGpus) {
    std::vector<ContainerRef> out;
    for (const char *list : {"containers", "initContainers"}) {
        const bool init = std::string_view(list) == "initContainers";
        if (init && !withInit)
            break;
        const Json *items = at(templ.spec, {list});
        if (items == nullptr || !items->is_array())
            continue;
        const std::string listPath = join(templ.specPath, list);
        for (std::size_t i = 0; i < items->size(); ++i) {
            const Json &c = (*items)[i];
            if (!c.is_object())
                continue;
            const std::string *name = asStr(at(&c, {"name"}));
            out.push_back({&c, appendIndex(listPath, i), name ? *name : std::string(), init, {}});
            if (withGpus)
                out.back().gpus = gpuAmounts(semantics::containerRequests(c));
        }
    }
    return out;
}

bool isExtendedResource(std::string_view name) {
    return name.find('/') != std::string_view::npos &&
           name.find("kubernetes.io/") == std::string_view::npos &&
           !name.starts_with("hugepages-") && !name.starts_with("requests.");
}

semantics::ResourceList podGpus(const Json &podSpec) {
    return gpuAmounts(semantics::podSpecRequests(podSpec));
}

std::string describeAmounts(const semantics::ResourceList &amounts) {
    std::string out;
    for (const auto &[name, milli] : amounts) {
        if (!out.empty())
            out += ", ";
        out += semantics::formatMilli(milli) + " " + name;
    }
    return out;
}

} // namespace kd::manifest::detail
