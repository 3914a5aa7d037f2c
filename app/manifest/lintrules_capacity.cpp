// rollout-gpu-blocked: a Deployment whose rolling update must start surge pods first
// (maxUnavailable resolves to 0) on a declared pool (.kubedeck-lint.yaml `capacity`) that every
// linted workload already fills. The surge pod stays Pending, the old pods are never removed,
// and the rollout hangs. The fenceposts come from the rollout maths the sandbox runs.

#include "manifest/lintrules_index.h"

#include "semantics/quantity.h"
#include "semantics/rollout.h"

namespace kd::manifest::detail {

namespace {

using semantics::ResourceList;

// Declared pool sizes that parse; .kubedeck-lint.yaml parsing reports the others.
ResourceList declaredPool(const LintConfig &config) {
    ResourceList pool;
    for (const auto &[name, quantity] : config.capacity) {
        if (const auto milli = semantics::parseMilli(quantity); milli && *milli >= 0)
            pool.emplace(name, *milli);
    }
    return pool;
}

ResourceList perPod(const RuleIndex &index, const Workload &w, const ResourceList &pool) {
    ResourceList out;
    for (const auto &[name, total] : pool) {
        (void)total;
        if (const auto amount = semantics::amountOf(index.requestsOf(w), name); amount > 0)
            out.emplace(name, amount);
    }
    return out;
}

// Why maxUnavailable is 0: written so, or a percentage that rounds down to 0.
std::string whyNoUnavailable(const Json *value, int replicas) {
    const auto parsed = value ? semantics::parseIntOrPercent(*value) : std::nullopt;
    if (parsed && !parsed->percent)
        return "maxUnavailable is " + scalarText(*value);
    return "maxUnavailable " + (value ? scalarText(*value) : std::string("25% (the default)")) +
           " of " + std::to_string(replicas) + " replicas rounds down to 0";
}

} // namespace

void checkRolloutCapacity(const RuleIndex &index, const LintOptions &options, FindingSink &sink) {
    const ResourceList pool = declaredPool(options.config);
    if (pool.empty())
        return; // without a declared pool the free capacity is unknown
    ResourceList used;
    for (const Workload &w : index.workloads()) {
        const long long pods = index.minimumPods(w).value_or(0);
        if (pods <= 0)
            continue;
        for (const auto &[name, amount] : perPod(index, w, pool))
            used[name] += amount * pods;
    }
    for (const Workload &w : index.workloads()) {
        const LintObject &object = *w.object;
        if (object.kind != "Deployment" || isOwned(*object.value))
            continue;
        semantics::DeploymentParams params = semantics::deploymentParamsFromJson(*object.value);
        params.replicas = static_cast<int>(std::min(index.minimumPods(w).value_or(0), 1'000'000LL));
        if (params.strategy != semantics::Strategy::RollingUpdate || params.replicas == 0 ||
            semantics::maxUnavailable(params) != 0)
            continue;
        const int surge = semantics::maxSurge(params);
        for (const auto &[name, amount] : perPod(index, w, pool)) {
            const std::int64_t capacity = semantics::amountOf(pool, name);
            const std::int64_t inUse = semantics::amountOf(used, name);
            if (capacity - inUse >= amount)
                continue; // at least the first surge pod fits, so the rollout moves
            const Json *rolling = at(object.value, {"spec", "strategy", "rollingUpdate"});
            const Json *unavailableJson = at(rolling, {"maxUnavailable"});
            const std::string message =
                "a rollout cannot progress: " + whyNoUnavailable(unavailableJson, params.replicas) +
                ", so each step first starts up to " + std::to_string(surge) +
                " surge pod(s) needing " + semantics::formatMilli(amount) + " " + name +
                " each, but the linted workloads " +
                (inUse > capacity ? "already need " : "already use ") +
                semantics::formatMilli(inUse) + " of the declared " +
                semantics::formatMilli(capacity) + " " + name;
            if (unavailableJson)
                sink.reportValue(object, "rollout-gpu-blocked",
                                 "spec.strategy.rollingUpdate.maxUnavailable", message, {});
            else
                sink.report(object, "rollout-gpu-blocked", "spec.strategy", message, {});
            break;
        }
    }
}

} // namespace kd::manifest::detail
