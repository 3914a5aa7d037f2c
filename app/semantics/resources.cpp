#include "semantics/resources.h"

#include "semantics/quantity.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace kd::semantics {

namespace {

const nlohmann::json &field(const nlohmann::json &obj, const char *key) {
    static const nlohmann::json null;
    if (!obj.is_object())
        return null;
    auto it = obj.find(key);
    return it == obj.end() ? null : *it;
}

const nlohmann::json &containersOf(const nlohmann::json &spec, const char *key) {
    static const nlohmann::json empty = nlohmann::json::array();
    const nlohmann::json &list = field(spec, key);
    return list.is_array() ? list : empty;
}

bool isSidecar(const nlohmann::json &initContainer) {
    const nlohmann::json &policy = field(initContainer, "restartPolicy");
    return policy.is_string() && policy.get_ref<const std::string &>() == "Always";
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
template<typename PerContainer>
ResourceList combine(const nlohmann::json &spec, PerContainer perContainer) {
    ResourceList apps;
    for (const nlohmann::json &c : containersOf(spec, "containers"))
        addResources(apps, perContainer(c));
    ResourceList sidecars; // restartable init containers started so far
    ResourceList initPeak;
    for (const nlohmann::json &c : containersOf(spec, "initContainers")) {
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

ResourceList parseResourceList(const nlohmann::json &quantities) {
    ResourceList out;
    if (!quantities.is_object())
        return out;
    for (auto it = quantities.begin(); it != quantities.end(); ++it)
        if (auto milli = parseMilli(it.value()))
            out[it.key()] = *milli;
    return out;
}

ResourceList containerRequests(const nlohmann::json &container) {
    const nlohmann::json &resources = field(container, "resources");
    ResourceList requests = parseResourceList(field(resources, "requests"));
    for (const auto &[name, limit] : parseResourceList(field(resources, "limits")))
        requests.emplace(name, limit); // only where no request was given
    return requests;
}

ResourceList podSpecRequests(const nlohmann::json &podSpec) {
    ResourceList total = combine(podSpec, containerRequests);
    addResources(total, parseResourceList(field(podSpec, "overhead")));
    total[kPodsResource] = kOnePod;
    return total;
}

ResourceList podSpecNonZeroRequests(const nlohmann::json &podSpec) {
    ResourceList total =
        combine(podSpec, [](const nlohmann::json &c) { return nonZero(containerRequests(c)); });
    ResourceList overhead = parseResourceList(field(podSpec, "overhead"));
    for (const char *r : {"cpu", "memory"})
        total[r] += amountOf(overhead, r);
    return total;
}

bool isTerminatedPod(const nlohmann::json &pod) {
    const nlohmann::json &phase = field(field(pod, "status"), "phase");
    if (!phase.is_string())
        return false;
    const auto &p = phase.get_ref<const std::string &>();
    return p == "Succeeded" || p == "Failed";
}

ResourceList podRequests(const nlohmann::json &pod) {
    if (isTerminatedPod(pod))
        return {};
    return podSpecRequests(field(pod, "spec"));
}

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
