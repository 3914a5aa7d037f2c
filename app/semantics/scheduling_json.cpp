// JSON adapters of the scheduling structs: Kubernetes objects in, plain data out. Malformed
// fields are skipped rather than thrown on: the API server validated what it stored, and a
// prediction over a half-edited manifest must still answer.

#include "semantics/jsonpath.h"
#include "semantics/scheduling.h"

#include <nlohmann/json.hpp>

#include <map>

namespace kd::semantics {

namespace {

template<typename json>
const json &field(const json &obj, std::initializer_list<const char *> path) {
    return jsonAt(obj, path);
}

template<typename json>
std::string text(const json &obj, std::initializer_list<const char *> path) {
    const json &v = field(obj, path);
    return v.is_string() ? v.template get<std::string>() : std::string();
}

template<typename json> Labels labelsFrom(const json &obj) {
    Labels out;
    if (!obj.is_object())
        return out;
    for (auto it = obj.begin(); it != obj.end(); ++it)
        if (it.value().is_string())
            out[it.key()] = it.value().template get<std::string>();
    return out;
}

template<typename json> std::vector<Requirement> requirementsFrom(const json &list) {
    std::vector<Requirement> out;
    if (!list.is_array())
        return out;
    for (const json &r : list) {
        Requirement req{text(r, {"key"}), text(r, {"operator"}), {}};
        const json &values = field(r, {"values"});
        if (values.is_array())
            for (const json &v : values)
                if (v.is_string())
                    req.values.push_back(v.template get<std::string>());
        out.push_back(std::move(req));
    }
    return out;
}

template<typename json> std::vector<Toleration> tolerationsFrom(const json &list) {
    std::vector<Toleration> out;
    if (!list.is_array())
        return out;
    for (const json &t : list)
        out.push_back(
            {text(t, {"key"}), text(t, {"operator"}), text(t, {"value"}), text(t, {"effect"})});
    return out;
}

template<typename json> std::vector<PodAffinityTerm> affinityTermsFrom(const json &list) {
    std::vector<PodAffinityTerm> out;
    if (!list.is_array())
        return out;
    for (const json &t : list) {
        PodAffinityTerm term;
        term.labelSelector = labelSelectorFromJson(field(t, {"labelSelector"}));
        const json &namespaces = field(t, {"namespaces"});
        if (namespaces.is_array())
            for (const json &n : namespaces)
                if (n.is_string())
                    term.namespaces.push_back(n.template get<std::string>());
        // An empty namespaceSelector selects every namespace. A non-empty one would need the
        // namespaces' labels, which scheduling structs do not carry: it adds no namespace.
        const json &nsSelector = field(t, {"namespaceSelector"});
        term.allNamespaces = nsSelector.is_object() &&
                             labelsFrom(field(nsSelector, {"matchLabels"})).empty() &&
                             requirementsFrom(field(nsSelector, {"matchExpressions"})).empty();
        term.topologyKey = text(t, {"topologyKey"});
        out.push_back(std::move(term));
    }
    return out;
}

template<typename json> void readPodSpec(PodNeeds &pod, const json &spec) {
    pod.nodeSelector = labelsFrom(field(spec, {"nodeSelector"}));
    const json &required =
        field(spec, {"affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"});
    if (required.is_object()) {
        pod.hasRequiredNodeAffinity = true;
        const json &terms = field(required, {"nodeSelectorTerms"});
        if (terms.is_array())
            for (const json &t : terms)
                pod.requiredNodeAffinity.push_back(
                    {requirementsFrom(field(t, {"matchExpressions"})),
                     requirementsFrom(field(t, {"matchFields"}))});
    }
    pod.tolerations = tolerationsFrom(field(spec, {"tolerations"}));
    pod.requiredAntiAffinity = affinityTermsFrom(field(
        spec, {"affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution"}));
}

} // namespace

template<typename json> LabelSelector labelSelectorFromJson(const json &selector) {
    LabelSelector s;
    if (!selector.is_object())
        return s;
    s.present = true;
    s.matchLabels = labelsFrom(field(selector, {"matchLabels"}));
    s.matchExpressions = requirementsFrom(field(selector, {"matchExpressions"}));
    return s;
}

template<typename json> PodNeeds fromPodJson(const json &pod) {
    PodNeeds p;
    p.name = text(pod, {"metadata", "name"});
    p.namespaceName = text(pod, {"metadata", "namespace"});
    if (p.namespaceName.empty())
        p.namespaceName = "default";
    p.labels = labelsFrom(field(pod, {"metadata", "labels"}));
    const json &spec = field(pod, {"spec"});
    p.requests = podRequests(pod);
    if (!isTerminatedPod(pod))
        p.scoreRequests = podSpecNonZeroRequests(spec);
    readPodSpec(p, spec);
    return p;
}

template<typename json>
PodNeeds fromPodTemplateJson(const json &podTemplate, const std::string &namespaceName) {
    // A pod that does not exist yet: no status, so it is not terminated and holds its requests.
    PodNeeds p;
    p.name = text(podTemplate, {"metadata", "name"});
    p.namespaceName = namespaceName;
    p.labels = labelsFrom(field(podTemplate, {"metadata", "labels"}));
    const json &spec = field(podTemplate, {"spec"});
    p.requests = podSpecRequests(spec);
    p.scoreRequests = podSpecNonZeroRequests(spec);
    readPodSpec(p, spec);
    return p;
}

template<typename json> bool holdsNodeResources(const json &pod) {
    return !text(pod, {"spec", "nodeName"}).empty() && !isTerminatedPod(pod);
}

template<typename json> NodeState fromNodeJson(const json &node) {
    NodeState n;
    n.name = text(node, {"metadata", "name"});
    n.labels = labelsFrom(field(node, {"metadata", "labels"}));
    n.labels.emplace("kubernetes.io/hostname", n.name);
    const json &taints = field(node, {"spec", "taints"});
    if (taints.is_array())
        for (const json &t : taints)
            n.taints.push_back({text(t, {"key"}), text(t, {"value"}), text(t, {"effect"})});
    const json &allocatable = field(node, {"status", "allocatable"});
    n.allocatable = parseResourceList(
        allocatable.is_object() ? allocatable : field(node, {"status", "capacity"}));
    const json &unschedulable = field(node, {"spec", "unschedulable"});
    n.unschedulable = unschedulable.is_boolean() && unschedulable.template get<bool>();
    return n;
}

template<typename json>
std::vector<NodeState> nodeStatesFromJson(const std::vector<const json *> &nodes,
                                          const std::vector<const json *> &pods) {
    std::vector<NodeState> out;
    out.reserve(nodes.size());
    std::map<std::string, std::size_t> index;
    for (const json *n : nodes) {
        out.push_back(fromNodeJson(*n));
        index.emplace(out.back().name, out.size() - 1);
    }
    for (const json *p : pods) {
        if (!holdsNodeResources(*p))
            continue;
        auto it = index.find(text(*p, {"spec", "nodeName"}));
        if (it != index.end())
            addPod(out[it->second], fromPodJson(*p));
    }
    return out;
}

// Both JSON types: the sandbox's sorted objects and the client's ordered ones.
#define KD_SCHEDULING_JSON_FOR(J)                                                                  \
    template LabelSelector labelSelectorFromJson<J>(const J &);                                    \
    template PodNeeds fromPodJson<J>(const J &);                                                   \
    template PodNeeds fromPodTemplateJson<J>(const J &, const std::string &);                      \
    template NodeState fromNodeJson<J>(const J &);                                                 \
    template bool holdsNodeResources<J>(const J &);                                                \
    template std::vector<NodeState> nodeStatesFromJson<J>(const std::vector<const J *> &,          \
                                                          const std::vector<const J *> &);
KD_SCHEDULING_JSON_FOR(nlohmann::json)
KD_SCHEDULING_JSON_FOR(nlohmann::ordered_json)
#undef KD_SCHEDULING_JSON_FOR

} // namespace kd::semantics
