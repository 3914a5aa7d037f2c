#pragma once
// The HPA's metric evaluation: what each metric of an autoscaling/v2 HorizontalPodAutoscaler
// reads (the sandbox's utilisation annotation and the pod template's requests) and the replica
// count it proposes, with upstream's tolerance.

#include "sandbox/json.h"

#include <map>
#include <string>

namespace kd::sandbox {

inline constexpr double kHpaTolerance = 0.1;
inline constexpr long long kDefaultUtilizationPercent = 50; // when the annotation is silent
inline constexpr long long kDefaultCpuTargetPercent = 80;   // an HPA without metrics

// "cpu=85,memory=40" -> {cpu: 85, memory: 40}; malformed entries are skipped.
std::map<std::string, long long> parseUtilization(const std::string &annotation);

struct MetricsResult {
    bool valid = false;     // at least one metric could be computed
    long long replicas = 0; // the largest proposal of the valid metrics
    std::string metricName; // e.g. "cpu resource utilization (percentage of request)"
    Json currentMetrics = Json::array();
    std::string failureReason; // e.g. FailedGetResourceMetric, when no metric is valid
    std::string failureMessage;
};

// Evaluates every metric of `hpa` for `target` (a Deployment or StatefulSet) at `current`
// replicas. The annotation states the utilisation at `measuredAt` replicas; the load it stands for
// is spread over the current replicas (85% at 2 replicas reads as 42% at 4), so that scaling out
// brings utilisation down as it would in a real cluster.
MetricsResult computeMetrics(const Json &hpa, const Json &target, long long current,
                             long long measuredAt);

} // namespace kd::sandbox
