#include "semantics/rollout.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kd::semantics {

namespace {

bool allDigits(std::string_view s) {
    return !s.empty() && s.size() <= 9 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int toInt(std::string_view s) {
    int v = 0;
    for (char c : s)
        v = v * 10 + (c - '0');
    return v;
}

bool isActive(const ReplicaSetCounts &rs) {
    return rs.specReplicas > 0;
}

std::optional<std::size_t> newIndex(const std::vector<ReplicaSetCounts> &rs) {
    for (std::size_t i = 0; i < rs.size(); ++i)
        if (rs[i].isNew)
            return i;
    return std::nullopt;
}

// Active old ReplicaSets, oldest first (ReplicaSetsByCreationTimestamp).
std::vector<std::size_t> activeOldByAge(const std::vector<ReplicaSetCounts> &rs) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < rs.size(); ++i)
        if (!rs[i].isNew && isActive(rs[i]))
            out.push_back(i);
    std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
        return rs[a].creationOrder < rs[b].creationOrder;
    });
    return out;
}

bool anyResize(const std::vector<ScaleChange> &changes) {
    return std::any_of(changes.begin(), changes.end(),
                       [](const ScaleChange &c) { return c.from != c.to; });
}

} // namespace

template<typename JsonT> std::optional<IntOrPercent> parseIntOrPercent(const JsonT &v) {
    if (v.is_number_integer()) {
        const auto n = v.template get<long long>();
        if (n < -1'000'000'000 || n > 1'000'000'000)
            return std::nullopt;
        return IntOrPercent::fromInt(static_cast<int>(n));
    }
    if (!v.is_string())
        return std::nullopt;
    std::string_view s = v.template get_ref<const std::string &>();
    if (!s.empty() && s.back() == '%') {
        s.remove_suffix(1);
        if (!allDigits(s))
            return std::nullopt;
        return IntOrPercent::fromPercent(toInt(s));
    }
    if (!allDigits(s))
        return std::nullopt;
    IntOrPercent r = IntOrPercent::fromInt(toInt(s));
    r.stringWithoutPercent = true;
    return r;
}

template std::optional<IntOrPercent> parseIntOrPercent(const nlohmann::json &);
template std::optional<IntOrPercent> parseIntOrPercent(const nlohmann::ordered_json &);

int scaledValue(const IntOrPercent &v, int total, bool roundUp) {
    if (!v.percent)
        return v.value;
    const long long product = static_cast<long long>(v.value) * total;
    // Upstream computes math.Ceil/Floor(value * total / 100) in floating point; the integer
    // form is the same for the non-negative values validation allows.
    if (roundUp)
        return static_cast<int>((product + 99) / 100);
    return static_cast<int>(product / 100);
}

Fenceposts resolveFenceposts(const IntOrPercent &surge, const IntOrPercent &unavailable,
                             int replicas) {
    Fenceposts f{scaledValue(surge, replicas, true), scaledValue(unavailable, replicas, false)};
    if (f.maxSurge == 0 && f.maxUnavailable == 0)
        f.maxUnavailable = 1; // rounding down may reach 0; surge alone might be blocked by quota
    return f;
}

bool isExplicitZeroZero(const IntOrPercent &surge, const IntOrPercent &unavailable) {
    return surge.value == 0 && unavailable.value == 0;
}

std::vector<RollingUpdateCause> validateRollingUpdate(const nlohmann::json &surgeJson,
                                                      const nlohmann::json &unavailableJson) {
    static const std::string percentMessage =
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  "
        "or '93%', regex used for validation is '[0-9]+%')";
    std::vector<RollingUpdateCause> causes;
    auto check = [&](const nlohmann::json &v, const char *field) -> std::optional<IntOrPercent> {
        if (v.is_null())
            return IntOrPercent::fromPercent(25); // defaulted
        const auto parsed = parseIntOrPercent(v);
        if (v.is_string() && (!parsed || !parsed->percent)) {
            causes.push_back({field, percentMessage});
            return parsed;
        }
        if (!parsed) {
            causes.push_back({field, "must be an integer or percentage (e.g '5%')"});
            return std::nullopt;
        }
        if (parsed->value < 0)
            causes.push_back({field, "must be greater than or equal to 0"});
        return parsed;
    };
    const auto unavailable = check(unavailableJson, "maxUnavailable");
    const auto surge = check(surgeJson, "maxSurge");
    if (unavailable && surge && isExplicitZeroZero(*surge, *unavailable))
        causes.push_back({"maxUnavailable", "may not be 0 when `maxSurge` is 0"});
    if (unavailable && unavailable->percent && unavailable->value > 100)
        causes.push_back({"maxUnavailable", "must not be greater than 100%"});
    return causes;
}

int maxSurge(const DeploymentParams &d) {
    if (d.strategy != Strategy::RollingUpdate)
        return 0;
    return resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).maxSurge;
}

int maxUnavailable(const DeploymentParams &d) {
    if (d.strategy != Strategy::RollingUpdate || d.replicas == 0)
        return 0;
    const int u = resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).maxUnavailable;
    return std::min(u, d.replicas);
}

int totalSpecReplicas(const std::vector<ReplicaSetCounts> &rs) {
    return std::accumulate(rs.begin(), rs.end(), 0,
                           [](int sum, const ReplicaSetCounts &r) { return sum + r.specReplicas; });
}

int totalAvailableReplicas(const std::vector<ReplicaSetCounts> &rs) {
    return std::accumulate(rs.begin(), rs.end(), 0, [](int sum, const ReplicaSetCounts &r) {
        return sum + r.availableReplicas;
    });
}

int newRSNewReplicas(const DeploymentParams &d, const std::vector<ReplicaSetCounts> &all,
                     int newRSSpecReplicas) {
    if (d.strategy == Strategy::Recreate)
        return d.replicas;
    // Upstream scales the surge alone here, without the 0/0 fencepost fix-up.
    const int surge = scaledValue(d.maxSurge, d.replicas, true);
    const int current = totalSpecReplicas(all);
    const int maxTotal = d.replicas + surge;
    if (current >= maxTotal)
        return newRSSpecReplicas;
    const int scaleUp = std::min(maxTotal - current, d.replicas - newRSSpecReplicas);
    return newRSSpecReplicas + scaleUp;
}

std::vector<ScaleChange> reconcileNewReplicaSet(const DeploymentParams &d,
                                                const std::vector<ReplicaSetCounts> &rs) {
    const auto ni = newIndex(rs);
    if (!ni)
        return {};
    const int spec = rs[*ni].specReplicas;
    if (spec == d.replicas)
        return {};
    if (spec > d.replicas)
        return {{*ni, spec, d.replicas}};
    return {{*ni, spec, newRSNewReplicas(d, rs, spec)}};
}

std::vector<ScaleChange> reconcileOldReplicaSets(const DeploymentParams &d,
                                                 const std::vector<ReplicaSetCounts> &rs) {
    std::vector<ScaleChange> changes;
    std::vector<std::size_t> old = activeOldByAge(rs);
    int oldPods = 0;
    for (std::size_t i : old)
        oldPods += rs[i].specReplicas;
    if (oldPods == 0)
        return changes;

    const auto ni = newIndex(rs);
    const int allPods = totalSpecReplicas(rs);
    const int minAvailable = d.replicas - maxUnavailable(d);
    // Unavailable pods of the new RS count against the budget: scaling old ones down for them
    // would only add to the unavailability.
    const int newUnavailable = ni ? rs[*ni].specReplicas - rs[*ni].availableReplicas : 0;
    const int maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0)
        return changes;

    std::vector<int> spec(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i)
        spec[i] = rs[i].specReplicas;

    // Unhealthy replicas first: removing them costs no availability (the ReplicaSet deletes
    // not-ready pods before ready ones).
    int cleaned = 0;
    for (std::size_t i : old) {
        if (cleaned >= maxScaledDown)
            break;
        const int unhealthy = spec[i] - rs[i].availableReplicas;
        if (spec[i] == 0 || unhealthy <= 0)
            continue;
        const int down = std::min(maxScaledDown - cleaned, unhealthy);
        changes.push_back({i, spec[i], spec[i] - down});
        spec[i] -= down;
        cleaned += down;
    }

    // Then oldest first while availability stays at or above spec - maxUnavailable. Only the
    // active old ReplicaSets and the new one count, as upstream's list holds only those.
    int available = ni ? rs[*ni].availableReplicas : 0;
    for (std::size_t i : old)
        available += rs[i].availableReplicas;
    if (available <= minAvailable)
        return changes;
    const int toScaleDown = available - minAvailable;
    int scaled = 0;
    for (std::size_t i : old) {
        if (scaled >= toScaleDown)
            break;
        if (spec[i] == 0)
            continue;
        const int down = std::min(spec[i], toScaleDown - scaled);
        changes.push_back({i, spec[i], spec[i] - down});
        spec[i] -= down;
        scaled += down;
    }
    return changes;
}

std::vector<ScaleChange> planRollingUpdate(const DeploymentParams &d,
                                           const std::vector<ReplicaSetCounts> &rs) {
    std::vector<ScaleChange> changes = reconcileNewReplicaSet(d, rs);
    if (!anyResize(changes))
        changes = reconcileOldReplicaSets(d, rs);
    changes.erase(std::remove_if(changes.begin(), changes.end(),
                                 [](const ScaleChange &c) { return c.from == c.to; }),
                  changes.end());
    return changes;
}

std::vector<ScaleChange> planRecreateScaleDown(const std::vector<ReplicaSetCounts> &rs) {
    std::vector<ScaleChange> changes;
    for (std::size_t i = 0; i < rs.size(); ++i)
        if (!rs[i].isNew && isActive(rs[i]))
            changes.push_back({i, rs[i].specReplicas, 0});
    return changes;
}

bool isScalingEvent(const DeploymentParams &d, const std::vector<ReplicaSetCounts> &rs) {
    return std::any_of(rs.begin(), rs.end(), [&](const ReplicaSetCounts &r) {
        return isActive(r) && r.desiredReplicasAnnotation &&
               *r.desiredReplicasAnnotation != d.replicas;
    });
}

bool isSaturated(const DeploymentParams &d, const ReplicaSetCounts &rs) {
    return rs.desiredReplicasAnnotation && rs.specReplicas == d.replicas &&
           *rs.desiredReplicasAnnotation == d.replicas && rs.availableReplicas == d.replicas;
}

std::optional<std::size_t> findActiveOrLatest(const std::vector<ReplicaSetCounts> &rs) {
    if (rs.empty())
        return std::nullopt;
    std::optional<std::size_t> active;
    int activeCount = 0;
    for (std::size_t i = 0; i < rs.size(); ++i)
        if (isActive(rs[i])) {
            active = i;
            ++activeCount;
        }
    if (activeCount == 1)
        return active;
    if (activeCount > 1)
        return std::nullopt;
    if (const auto ni = newIndex(rs))
        return ni;
    std::size_t newest = 0;
    for (std::size_t i = 1; i < rs.size(); ++i)
        if (rs[i].creationOrder > rs[newest].creationOrder)
            newest = i;
    return newest;
}

int replicaSetFraction(const DeploymentParams &d, const ReplicaSetCounts &rs,
                       int deploymentStatusReplicas) {
    if (d.replicas == 0)
        return -rs.specReplicas;
    const int maxReplicas = d.replicas + maxSurge(d);
    int before = rs.maxReplicasAnnotation.value_or(0);
    if (before == 0)
        before = deploymentStatusReplicas; // the annotation is written on the next sync
    if (before == 0)
        return 0; // nothing to be proportional to (upstream would divide by zero)
    const double size = static_cast<double>(rs.specReplicas) * maxReplicas / before;
    return static_cast<int>(std::round(size)) - rs.specReplicas;
}

int proportion(const DeploymentParams &d, const ReplicaSetCounts &rs, int replicasToAdd,
               int replicasAdded, int deploymentStatusReplicas) {
    if (rs.specReplicas == 0 || replicasToAdd == 0 || replicasToAdd == replicasAdded)
        return 0;
    const int fraction = replicaSetFraction(d, rs, deploymentStatusReplicas);
    const int allowed = replicasToAdd - replicasAdded;
    // Never hand out more than is left to add (or remove).
    return replicasToAdd > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

std::vector<ScaleChange> planScale(const DeploymentParams &d,
                                   const std::vector<ReplicaSetCounts> &rs,
                                   int deploymentStatusReplicas) {
    if (const auto one = findActiveOrLatest(rs)) {
        if (rs[*one].specReplicas == d.replicas)
            return {};
        return {{*one, rs[*one].specReplicas, d.replicas}};
    }
    std::vector<ScaleChange> changes;
    const auto ni = newIndex(rs);
    if (ni && isSaturated(d, rs[*ni])) {
        for (std::size_t i = 0; i < rs.size(); ++i)
            if (!rs[i].isNew && isActive(rs[i]))
                changes.push_back({i, rs[i].specReplicas, 0});
        return changes;
    }
    if (d.strategy != Strategy::RollingUpdate)
        return changes;

    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < rs.size(); ++i)
        if (isActive(rs[i]))
            active.push_back(i);
    const int current = totalSpecReplicas(rs);
    const int allowedSize = d.replicas > 0 ? d.replicas + maxSurge(d) : 0;
    const int toAdd = allowedSize - current;

    // Largest first; among equals, newer first when growing and older first when shrinking.
    std::stable_sort(active.begin(), active.end(), [&](std::size_t a, std::size_t b) {
        if (rs[a].specReplicas != rs[b].specReplicas)
            return rs[a].specReplicas > rs[b].specReplicas;
        return toAdd > 0 ? rs[a].creationOrder > rs[b].creationOrder
                         : rs[a].creationOrder < rs[b].creationOrder;
    });

    std::vector<int> size(active.size());
    int added = 0;
    for (std::size_t k = 0; k < active.size(); ++k) {
        const ReplicaSetCounts &r = rs[active[k]];
        const int p = toAdd != 0 ? proportion(d, r, toAdd, added, deploymentStatusReplicas) : 0;
        size[k] = r.specReplicas + p;
        added += p;
    }
    for (std::size_t k = 0; k < active.size(); ++k) {
        if (k == 0 && toAdd != 0)
            size[k] = std::max(0, size[k] + toAdd - added); // leftovers to the largest
        changes.push_back({active[k], rs[active[k]].specReplicas, size[k]});
    }
    return changes;
}

DeploymentStatusCounts calculateStatus(const std::vector<ReplicaSetCounts> &rs) {
    DeploymentStatusCounts s;
    for (const ReplicaSetCounts &r : rs) {
        s.replicas += r.statusReplicas;
        s.readyReplicas += r.readyReplicas;
        s.availableReplicas += r.availableReplicas;
        if (r.isNew)
            s.updatedReplicas = r.statusReplicas;
    }
    s.unavailableReplicas = std::max(0, totalSpecReplicas(rs) - s.availableReplicas);
    return s;
}

bool hasMinimumAvailability(const DeploymentParams &d, const DeploymentStatusCounts &s) {
    return s.availableReplicas >= d.replicas - maxUnavailable(d);
}

bool deploymentComplete(int specReplicas, const DeploymentStatusCounts &s) {
    return s.updatedReplicas == specReplicas && s.replicas == specReplicas &&
           s.availableReplicas == specReplicas;
}

bool deploymentProgressing(const DeploymentStatusCounts &before,
                           const DeploymentStatusCounts &after) {
    const int oldBefore = before.replicas - before.updatedReplicas;
    const int oldAfter = after.replicas - after.updatedReplicas;
    return after.updatedReplicas > before.updatedReplicas || oldAfter < oldBefore ||
           after.readyReplicas > before.readyReplicas ||
           after.availableReplicas > before.availableReplicas;
}

} // namespace kd::semantics
