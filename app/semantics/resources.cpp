#include "semantics/resources.h"

#include "semantics/quantity.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace kd::semantics {

namespace {

template<typename JsonT> const JsonT &field(const JsonT &obj, const char *key) {
    static const JsonT null;
    if (!obj.is_object())
        return null;
    auto it = obj.find(key);
    return it == obj.end() ? null : *it;
}

template<typename JsonT> const JsonT &containersOf(const JsonT &spec, const char *key) {
    static const JsonT empty = JsonT::array();
    const JsonT &list = field(spec, key);
    return list.is_array() ? list : empty;
}

template<typename JsonT> bool isSidecar(const JsonT &initContainer) {
    const JsonT &policy = field(initContainer, "restartPolicy");
    return policy.is_string() && policy.template get_ref<const std::string &>() == "Always";
}

// Upstream's GetNonzeroRequests: a container that asks for no CPU or memory is scored as if it
// asked for the defaults.
ResourceList nonZero(const ResourceList &requests) {
    ResourceList out;
    std::int64_t cpu = amountOf(requests, "cpu");
    std::int64_t memory = amountOf(requests, "memory");
    out["cpu"] = cpu > 0 ? cpu : kDefaultMilliCpuRequest;
    out["memory"] = memory > 0 ? memory : kDefaultMemoryRequestMilli;
    return out;
}

// The arithmetic of upstream's resourcehelper.PodRequests, over a per-container request function.
template<typename JsonT, typename PerContainer>
ResourceList combine(const JsonT &spec, PerContainer perContainer) {
    ResourceList apps;
    for (const JsonT &c : containersOf(spec, "containers"))
        addResources(apps, perContainer(c));
    ResourceList sidecars; // restartable init containers started so far
    ResourceList initPeak;
    for (const JsonT &c : containersOf(spec, "initContainers")) {
        ResourceList own = perContainer(c);
        if (isSidecar(c)) {
            // A sidecar keeps running next to the app containers and every later init container.
            addResources(apps, own);
            addResources(sidecars, own);
            initPeak = maxResources(initPeak, sidecars);
        } else {
            addResources(own, sidecars);
            initPeak = maxResources(initPeak, own);
        }
    }
    return maxResources(apps, initPeak);
}

} // namespace

template<typename JsonT> ResourceList parseResourceList(const JsonT &quantities) {
    ResourceList out;
    if (!quantities.is_object())
        return out;
    for (auto it = quantities.begin(); it != quantities.end(); ++it)
        if (auto milli = parseMilli(it.value()))
            out[it.key()] = *milli;
    return out;
}

template<typename JsonT> ResourceList containerRequests(const JsonT &container) {
    const JsonT &resources = field(container, "resources");
    ResourceList requests = parseResourceList(field(resources, "requests"));
    for (const auto &[name, limit] : parseResourceList(field(resources, "limits")))
        requests.emplace(name, limit); // only where no request was given
    return requests;
}

template<typename JsonT> ResourceList podSpecRequests(const JsonT &podSpec) {
    ResourceList total = combine(podSpec, [](const JsonT &c) { return containerRequests(c); });
    addResources(total, parseResourceList(field(podSpec, "overhead")));
    total[kPodsResource] = kOnePod;
    return total;
}

template<typename JsonT> ResourceList podSpecNonZeroRequests(const JsonT &podSpec) {
    ResourceList total =
        combine(podSpec, [](const JsonT &c) { return nonZero(containerRequests(c)); });
    ResourceList overhead = parseResourceList(field(podSpec, "overhead"));
    for (const char *r : {"cpu", "memory"})
        total[r] += amountOf(overhead, r);
    return total;
}

template<typename JsonT> bool isTerminatedPod(const JsonT &pod) {
    const JsonT &phase = field(field(pod, "status"), "phase");
    if (!phase.is_string())
        return false;
    const auto &p = phase.template get_ref<const std::string &>();
    return p == "Succeeded" || p == "Failed";
}

template<typename JsonT> ResourceList podRequests(const JsonT &pod) {
    if (isTerminatedPod(pod))
        return {};
    return podSpecRequests(field(pod, "spec"));
}

// Both JSON types: the sandbox's sorted objects and the client's ordered ones.
#define KD_RESOURCES_FOR(JsonT)                                                                    \
    template ResourceList parseResourceList<JsonT>(const JsonT &);                                 \
    template ResourceList containerRequests<JsonT>(const JsonT &);                                 \
    template ResourceList podSpecRequests<JsonT>(const JsonT &);                                   \
    template ResourceList podSpecNonZeroRequests<JsonT>(const JsonT &);                            \
    template bool isTerminatedPod<JsonT>(const JsonT &);                                           \
    template ResourceList podRequests<JsonT>(const JsonT &);
KD_RESOURCES_FOR(nlohmann::json)
KD_RESOURCES_FOR(nlohmann::ordered_json)
#undef KD_RESOURCES_FOR

bool isGpuResource(std::string_view name) {
    return name == "nvidia.com/gpu" || name == "amd.com/gpu" || name.starts_with("nvidia.com/mig-");
}

void addResources(ResourceList &a, const ResourceList &b) {
    for (const auto &[name, v] : b)
        a[name] += v;
}

void subtractResources(ResourceList &a, const ResourceList &b) {
    for (const auto &[name, v] : b)
        a[name] -= v;
}

ResourceList maxResources(const ResourceList &a, const ResourceList &b) {
    ResourceList out = a;
    for (const auto &[name, v] : b) {
        auto [it, inserted] = out.emplace(name, v);
        if (!inserted)
            it->second = std::max(it->second, v);
    }
    return out;
}

std::int64_t amountOf(const ResourceList &list, const std::string &name) {
    auto it = list.find(name);
    return it == list.end() ? 0 : it->second;
}

} // namespace kd::semantics
