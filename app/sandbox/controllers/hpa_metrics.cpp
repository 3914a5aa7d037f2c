#include "sandbox/controllers/hpa_metrics.h"

#include "sandbox/controllers/controllers.h"
#include "semantics/quantity.h"
#include "semantics/resources.h"

#include <cmath>
#include <sstream>

namespace kd::sandbox {

namespace {

struct Proposal {
    bool valid = false;
    long long replicas = 0;
    std::string name;
    Json current;
    std::string reason;
    std::string message;
};

// The per-pod request of `resource` (milli-units) in the target's pod template; for a
// ContainerResource metric only that container's.
std::int64_t templateRequest(const Json &target, const std::string &resource,
                             const std::string &container) {
    const Json &spec = at(target, {"spec", "template", "spec"});
    if (container.empty())
        return semantics::amountOf(semantics::podSpecRequests(spec), resource);
    const Json &containers = at(spec, {"containers"});
    if (containers.is_array())
        for (const Json &c : containers)
            if (str(c, {"name"}) == container)
                return semantics::amountOf(semantics::containerRequests(c), resource);
    return 0;
}

long long proposeReplicas(double usageRatio, long long current) {
    if (std::fabs(1.0 - usageRatio) <= kHpaTolerance)
        return current;
    return static_cast<long long>(std::ceil(usageRatio * static_cast<double>(current)));
}

Proposal resourceMetric(const Json &metric, const Json &target, long long current,
                        long long measuredAt, const std::map<std::string, long long> &utilization) {
    const bool perContainer = str(metric, {"type"}) == "ContainerResource";
    const Json &source = at(metric, {perContainer ? "containerResource" : "resource"});
    const std::string resource = str(source, {"name"});
    const std::string container = str(source, {"container"});
    Proposal p;
    const std::int64_t request =
        templateRequest(target, resource, perContainer ? container : std::string());
    if (request <= 0) {
        p.reason = perContainer ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
        p.message = "failed to get " + resource + " utilization: missing request for " + resource;
        return p;
    }
    auto u = utilization.find(resource);
    const long long annotated = u == utilization.end() ? kDefaultUtilizationPercent : u->second;
    // Integer percent, as upstream's metrics client computes it.
    const long long percent =
        current > 0 && measuredAt > 0 ? annotated * measuredAt / current : annotated;
    const std::int64_t averageValue = request * percent / 100;
    Json reading{{"averageValue", semantics::formatMilli(averageValue)}};
    const std::string targetType = str(source, {"target", "type"}, "Utilization");
    double ratio = 0;
    if (targetType == "AverageValue") {
        auto wanted = semantics::parseMilli(at(source, {"target", "averageValue"}));
        if (!wanted || *wanted <= 0) {
            p.reason = "FailedGetResourceMetric";
            p.message = "invalid target averageValue for " + resource;
            return p;
        }
        ratio = static_cast<double>(averageValue) / static_cast<double>(*wanted);
        p.name = resource + " resource";
    } else {
        const long long wanted = integer(source, {"target", "averageUtilization"}, 0);
        if (wanted <= 0) {
            p.reason = "FailedGetResourceMetric";
            p.message = "invalid target averageUtilization for " + resource;
            return p;
        }
        reading["averageUtilization"] = percent;
        ratio = static_cast<double>(percent) / static_cast<double>(wanted);
        p.name = resource + " resource utilization (percentage of request)";
    }
    if (perContainer)
        p.current = {{"type", "ContainerResource"},
                     {"containerResource",
                      {{"name", resource}, {"container", container}, {"current", reading}}}};
    else
        p.current = {{"type", "Resource"},
                     {"resource", {{"name", resource}, {"current", reading}}}};
    p.valid = true;
    p.replicas = proposeReplicas(ratio, current);
    return p;
}

} // namespace

std::map<std::string, long long> parseUtilization(const std::string &annotation) {
    std::map<std::string, long long> out;
    std::stringstream in(annotation);
    std::string item;
    while (std::getline(in, item, ',')) {
        auto eq = item.find('=');
        if (eq == std::string::npos)
            continue;
        auto trim = [](std::string s) {
            s.erase(0, s.find_first_not_of(" \t"));
            s.erase(s.find_last_not_of(" \t") + 1);
            return s;
        };
        std::string name = trim(item.substr(0, eq)), value = trim(item.substr(eq + 1));
        if (!value.empty() && value.back() == '%')
            value.pop_back();
        char *end = nullptr;
        long long v = std::strtoll(value.c_str(), &end, 10);
        if (!name.empty() && !value.empty() && end == value.c_str() + value.size() && v >= 0)
            out[name] = v;
    }
    return out;
}

MetricsResult computeMetrics(const Json &hpa, const Json &target, long long current,
                             long long measuredAt) {
    const auto utilization =
        parseUtilization(str(target, {"metadata", "annotations", kUtilizationAnnotation}));
    Json metrics = at(hpa, {"spec", "metrics"});
    if (!metrics.is_array() || metrics.empty())
        metrics = Json::array(
            {{{"type", "Resource"},
              {"resource",
               {{"name", "cpu"},
                {"target",
                 {{"type", "Utilization"}, {"averageUtilization", kDefaultCpuTargetPercent}}}}}}});
    MetricsResult r;
    bool anyInvalid = false;
    for (const Json &m : metrics) {
        const std::string type = str(m, {"type"});
        Proposal p;
        if (type == "Resource" || type == "ContainerResource") {
            p = resourceMetric(m, target, current, measuredAt, utilization);
        } else {
            p.reason = "FailedGet" + type + "Metric";
            p.message = "unable to get metric " +
                        str(m, {type == "Pods"     ? "pods"
                                : type == "Object" ? "object"
                                                   : "external",
                                "metric", "name"}) +
                        ": the sandbox serves no custom or external metrics";
        }
        if (!p.valid) {
            anyInvalid = true;
            if (r.failureReason.empty()) {
                r.failureReason = p.reason;
                r.failureMessage = p.message;
            }
            continue;
        }
        r.currentMetrics.push_back(p.current);
        if (!r.valid || p.replicas > r.replicas) {
            r.replicas = p.replicas;
            r.metricName = p.name;
        }
        r.valid = true;
    }
    // With a metric missing, never scale down on the others alone (upstream's rule).
    if (r.valid && anyInvalid && r.replicas < current)
        r.replicas = current;
    return r;
}

} // namespace kd::sandbox
