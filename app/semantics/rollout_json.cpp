// The rollout maths' JSON adapters, for the sandbox's sorted objects and the client's ordered
// ones alike: both read a Deployment and its ReplicaSets exactly the same way.
#include "semantics/jsonpath.h"
#include "semantics/rollout.h"
#include "semantics/rolloutrevision.h"

#include <nlohmann/json.hpp>

#include <climits>

namespace kd::semantics {

namespace {

template<typename JsonT>
long long integerAt(const JsonT &obj, std::initializer_list<const char *> path,
                    long long fallback) {
    const JsonT &v = jsonAt(obj, path);
    if (v.is_number_integer())
        return v.template get<long long>();
    if (v.is_number_float())
        return static_cast<long long>(v.template get<double>());
    return fallback;
}

// An annotation holding a base-10 int32 ("3"); nullopt when absent, empty or anything else.
template<typename JsonT> std::optional<int> intAnnotation(const JsonT &obj, const char *key) {
    const JsonT &v = jsonAt(obj, {"metadata", "annotations", key});
    if (!v.is_string())
        return std::nullopt;
    const std::string &text = v.template get_ref<const std::string &>();
    const auto parsed = parseRevision(text);
    if (!parsed || text.empty() || *parsed < INT32_MIN || *parsed > INT32_MAX)
        return std::nullopt;
    return static_cast<int>(*parsed);
}

} // namespace

template<typename JsonT> DeploymentParams deploymentParamsFromJson(const JsonT &d) {
    DeploymentParams p;
    p.replicas = static_cast<int>(integerAt(d, {"spec", "replicas"}, 1));
    const JsonT &type = jsonAt(d, {"spec", "strategy", "type"});
    p.strategy = type.is_string() && type.template get_ref<const std::string &>() == "Recreate"
                     ? Strategy::Recreate
                     : Strategy::RollingUpdate;
    if (auto s = parseIntOrPercent(jsonAt(d, {"spec", "strategy", "rollingUpdate", "maxSurge"})))
        p.maxSurge = *s;
    if (auto u =
            parseIntOrPercent(jsonAt(d, {"spec", "strategy", "rollingUpdate", "maxUnavailable"})))
        p.maxUnavailable = *u;
    return p;
}

template<typename JsonT> ReplicaSetCounts replicaSetCountsFromJson(const JsonT &rs) {
    ReplicaSetCounts c;
    c.specReplicas = static_cast<int>(integerAt(rs, {"spec", "replicas"}, 1));
    c.statusReplicas = static_cast<int>(integerAt(rs, {"status", "replicas"}, 0));
    c.readyReplicas = static_cast<int>(integerAt(rs, {"status", "readyReplicas"}, 0));
    c.availableReplicas = static_cast<int>(integerAt(rs, {"status", "availableReplicas"}, 0));
    c.desiredReplicasAnnotation = intAnnotation(rs, kDesiredReplicasAnnotation);
    c.maxReplicasAnnotation = intAnnotation(rs, kMaxReplicasAnnotation);
    return c;
}

template DeploymentParams deploymentParamsFromJson(const nlohmann::json &);
template DeploymentParams deploymentParamsFromJson(const nlohmann::ordered_json &);
template ReplicaSetCounts replicaSetCountsFromJson(const nlohmann::json &);
template ReplicaSetCounts replicaSetCountsFromJson(const nlohmann::ordered_json &);

} // namespace kd::semantics
