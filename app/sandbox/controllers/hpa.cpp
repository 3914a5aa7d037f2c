// horizontal-pod-autoscaler (autoscaling/v2): scales Deployments and StatefulSets on the
// resource utilisation their pods report. The sandbox has no metrics server: a workload states
// its utilisation in the sandbox.kubedeck.io/utilization annotation. The replica maths, the
// tolerance, the stabilisation window, the scale-up rate limit, the conditions and the event
// texts are upstream's.

#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/controllers/hpa_metrics.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace kd::sandbox {

namespace {

constexpr const char *kComponent = "horizontal-pod-autoscaler";
constexpr double kScaleUpPeriodSeconds = 15;      // default scaleUp policies' period
constexpr double kDefaultDownWindowSeconds = 300; // default scaleDown stabilizationWindowSeconds

struct Recommendation {
    double at = 0;
    long long replicas = 0;
};

struct ScaleUp {
    double at = 0;
    long long added = 0;
};

struct Memory {
    std::vector<Recommendation> recommendations;
    std::vector<ScaleUp> scaleUps;                       // of the last scale-up period
    std::unordered_map<std::string, double> lastWarning; // reason+message -> when recorded
    std::optional<std::string> annotation;               // the utilisation annotation last seen
    long long measuredAt = 0;                            // the target's replicas when it was set
};

Json condition(const Json &old, const std::string &type, bool ok, const std::string &reason,
               const std::string &message, double now) {
    Json c{{"type", type},
           {"status", ok ? "True" : "False"},
           {"reason", reason},
           {"message", message},
           {"lastTransitionTime", Clock::rfc3339(now)}};
    const Json &conditions = at(old, {"conditions"});
    if (conditions.is_array())
        for (const Json &o : conditions)
            if (str(o, {"type"}) == type && str(o, {"status"}) == c["status"].get<std::string>())
                c["lastTransitionTime"] = str(o, {"lastTransitionTime"}, Clock::rfc3339(now));
    return c;
}

std::optional<double> windowOf(const Json &hpa, const char *direction) {
    const Json &w = at(hpa, {"spec", "behavior", direction, "stabilizationWindowSeconds"});
    if (w.is_number())
        return std::max(0.0, w.get<double>());
    return std::nullopt;
}

class HorizontalPodAutoscaler final : public Controller {
public:
    const char *name() const override { return kComponent; }

    double reconcile(ControllerContext &ctx) override {
        const ResourceType &hpaType = resourceType("autoscaling/v2", "HorizontalPodAutoscaler");
        double next = never;
        std::unordered_set<std::string> seen;
        for (const ObjectPtr &hpa : ctx.store.list(hpaType)) {
            seen.insert(uidOf(*hpa));
            next = std::min(next, sync(ctx, hpaType, *hpa));
        }
        std::erase_if(m_memory, [&](const auto &e) { return !seen.count(e.first); });
        return next;
    }

private:
    double sync(ControllerContext &ctx, const ResourceType &hpaType, const Json &hpa) {
        Memory &memory = m_memory[uidOf(hpa)];
        const Json &oldStatus =
            at(hpa, {"status"}).is_object() ? at(hpa, {"status"}) : Json::object();
        Json status = oldStatus;
        status["observedGeneration"] = integer(hpa, {"metadata", "generation"}, 1);
        const double now = ctx.now;
        double next = never;

        const std::string kind = str(hpa, {"spec", "scaleTargetRef", "kind"});
        const std::string targetName = str(hpa, {"spec", "scaleTargetRef", "name"});
        std::string apiVersion = str(hpa, {"spec", "scaleTargetRef", "apiVersion"});
        const ResourceType *targetType =
            findKind(apiVersion.empty() ? "apps/v1" : apiVersion, kind);
        ObjectPtr target;
        std::string scaleError;
        if (!targetType || !targetType->hasScale) {
            std::string group = apiVersion.find('/') == std::string::npos
                                    ? ""
                                    : apiVersion.substr(0, apiVersion.find('/'));
            scaleError = "no matches for kind \"" + kind + "\" in group \"" + group + "\"";
        } else if (!(target = ctx.store.get(*targetType, namespaceOf(hpa), targetName))) {
            scaleError = targetType->qualifiedResource() + " \"" + targetName + "\" not found";
        }
        if (!scaleError.empty()) {
            std::string message =
                "the HPA controller was unable to get the target's current scale: " + scaleError;
            warn(ctx, hpa, memory, "FailedGetScale", scaleError);
            status["conditions"] = Json::array(
                {condition(oldStatus, "AbleToScale", false, "FailedGetScale", message, now)});
            writeStatus(ctx, hpaType, hpa, std::move(status));
            return next;
        }

        const long long current = integer(*target, {"spec", "replicas"}, 1);
        const long long minReplicas = integer(hpa, {"spec", "minReplicas"}, 1);
        const long long maxReplicas = integer(hpa, {"spec", "maxReplicas"}, minReplicas);
        status["currentReplicas"] = integer(*target, {"status", "replicas"}, current);

        Json conditions = Json::array();
        long long desired = current;
        std::string rescaleReason;
        Json ableToScale = condition(oldStatus, "AbleToScale", true, "ReadyForNewScale",
                                     "recommended size matches current size", now);
        if (current == 0 && minReplicas != 0) {
            desired = 0;
            conditions.push_back(ableToScale);
            conditions.push_back(condition(
                oldStatus, "ScalingActive", false, "ScalingDisabled",
                "scaling is disabled since the replica count of the target is zero", now));
            status["desiredReplicas"] = 0;
            status["conditions"] = conditions;
            writeStatus(ctx, hpaType, hpa, std::move(status));
            return next;
        }

        Json scalingActive;
        Json scalingLimited = condition(oldStatus, "ScalingLimited", false, "DesiredWithinRange",
                                        "the desired count is within the acceptable range", now);
        if (current > maxReplicas) {
            rescaleReason = "Current number of replicas above Spec.MaxReplicas";
            desired = maxReplicas;
        } else if (current < minReplicas) {
            rescaleReason = "Current number of replicas below Spec.MinReplicas";
            desired = minReplicas;
        }
        const std::string annotation =
            str(*target, {"metadata", "annotations", kUtilizationAnnotation});
        if (memory.annotation != annotation) {
            memory.annotation = annotation;
            memory.measuredAt = current;
        }
        MetricsResult metrics = computeMetrics(hpa, *target, current, memory.measuredAt);
        status["currentMetrics"] = metrics.currentMetrics;
        if (!metrics.valid) {
            scalingActive = condition(
                oldStatus, "ScalingActive", false, metrics.failureReason,
                "the HPA was unable to compute the replica count: " + metrics.failureMessage, now);
            warn(ctx, hpa, memory, metrics.failureReason, metrics.failureMessage);
        } else {
            scalingActive =
                condition(oldStatus, "ScalingActive", true, "ValidMetricFound",
                          "the HPA was able to successfully calculate a replica count from " +
                              metrics.metricName,
                          now);
        }
        if (rescaleReason.empty() && metrics.valid) {
            long long proposal = metrics.replicas;
            desired = normalize(hpa, memory, current, proposal, minReplicas, maxReplicas, now,
                                ableToScale, scalingLimited, oldStatus, &next);
            if (desired > current)
                rescaleReason = metrics.metricName + " above target";
            else if (desired < current)
                rescaleReason = "All metrics below target";
        }

        if (desired != current) {
            Json scaled = *target;
            scaled["spec"]["replicas"] = desired;
            try {
                ctx.store.update(*targetType, std::move(scaled), WritePart::Main);
                if (desired > current)
                    memory.scaleUps.push_back({now, desired - current});
                status["lastScaleTime"] = Clock::rfc3339(now);
                ctx.events.record(hpa, "Normal", "SuccessfulRescale",
                                  "New size: " + std::to_string(desired) +
                                      "; reason: " + rescaleReason,
                                  kComponent);
                ableToScale =
                    condition(oldStatus, "AbleToScale", true, "SucceededRescale",
                              "the HPA controller was able to update the target scale to " +
                                  std::to_string(desired),
                              now);
            } catch (const ApiError &e) {
                if (e.code() == 409)
                    return now; // the target changed meanwhile: decide again on the next pass
                ctx.events.record(hpa, "Warning", "FailedRescale",
                                  "New size: " + std::to_string(desired) +
                                      "; reason: " + rescaleReason + "; error: " + e.what(),
                                  kComponent);
                ableToScale = condition(
                    oldStatus, "AbleToScale", false, "FailedUpdateScale",
                    std::string("the HPA controller was unable to update the target scale: ") +
                        e.what(),
                    now);
                desired = current;
            }
        }
        status["desiredReplicas"] = desired;
        conditions.push_back(ableToScale);
        conditions.push_back(scalingActive);
        conditions.push_back(scalingLimited);
        status["conditions"] = conditions;
        writeStatus(ctx, hpaType, hpa, std::move(status));
        return next;
    }

    // Upstream's normalizeDesiredReplicasWithBehaviors: stabilise (highest recommendation of the
    // scale-down window, lowest of the scale-up window), then limit the scale-up rate and clamp to
    // [min, max]. `*next` receives when a held decision may change.
    long long normalize(const Json &hpa, Memory &memory, long long current, long long proposal,
                        long long minReplicas, long long maxReplicas, double now, Json &ableToScale,
                        Json &scalingLimited, const Json &oldStatus, double *next) {
        const double downWindow = windowOf(hpa, "scaleDown").value_or(kDefaultDownWindowSeconds);
        const double upWindow = windowOf(hpa, "scaleUp").value_or(0);
        auto &recs = memory.recommendations;
        std::erase_if(recs, [&](const Recommendation &r) {
            return r.replicas == proposal || r.at < now - std::max(downWindow, upWindow);
        });
        recs.push_back({now, proposal});

        long long upRecommendation = proposal, downRecommendation = proposal;
        for (const Recommendation &r : recs) {
            if (r.at >= now - upWindow)
                upRecommendation = std::min(upRecommendation, r.replicas);
            if (r.at >= now - downWindow)
                downRecommendation = std::max(downRecommendation, r.replicas);
        }
        long long stabilized = current;
        if (upRecommendation > current)
            stabilized = upRecommendation;
        if (downRecommendation < current)
            stabilized = downRecommendation;
        if (stabilized != proposal) {
            const bool down = proposal < stabilized;
            ableToScale =
                down
                    ? condition(oldStatus, "AbleToScale", true, "ScaleDownStabilized",
                                "recent recommendations were higher than current one, applying the "
                                "highest recent recommendation",
                                now)
                    : condition(oldStatus, "AbleToScale", true, "ScaleUpStabilized",
                                "recent recommendations were lower than current one, applying the "
                                "lowest recent recommendation",
                                now);
            for (const Recommendation &r : recs)
                if ((down && r.replicas > proposal) || (!down && r.replicas < proposal))
                    *next = std::min(*next, r.at + (down ? downWindow : upWindow));
        }

        long long desired = stabilized;
        if (desired > current) {
            // Default scaleUp policies: +100% or +4 pods per 15 s, whichever is more, counted
            // from the replicas at the start of the period.
            std::erase_if(memory.scaleUps,
                          [&](const ScaleUp &u) { return u.at <= now - kScaleUpPeriodSeconds; });
            long long periodStart = current;
            for (const ScaleUp &u : memory.scaleUps)
                periodStart -= u.added;
            const long long limit = std::max(periodStart * 2, periodStart + 4);
            if (desired > limit) {
                desired = limit;
                scalingLimited = condition(
                    oldStatus, "ScalingLimited", true, "ScaleUpLimit",
                    "the desired replica count is increasing faster than the maximum scale rate",
                    now);
                *next = std::min(*next, now + kScaleUpPeriodSeconds);
            }
        }
        if (desired > maxReplicas) {
            desired = maxReplicas;
            scalingLimited =
                condition(oldStatus, "ScalingLimited", true, "TooManyReplicas",
                          "the desired replica count is more than the maximum replica count", now);
        } else if (desired < minReplicas) {
            desired = minReplicas;
            scalingLimited =
                condition(oldStatus, "ScalingLimited", true, "TooFewReplicas",
                          "the desired replica count is less than the minimum replica count", now);
        }
        // The sandbox rescales up at most once per period, as an HPA syncing every 15 s would.
        const double lastUp =
            memory.scaleUps.empty() ? -kScaleUpPeriodSeconds : memory.scaleUps.back().at;
        if (desired > current && now < lastUp + kScaleUpPeriodSeconds) {
            desired = current;
            *next = std::min(*next, lastUp + kScaleUpPeriodSeconds);
        }
        return desired;
    }

    // Upstream reports a failure once per sync (15 s); passes run far more often than that.
    static void warn(ControllerContext &ctx, const Json &hpa, Memory &memory,
                     const std::string &reason, const std::string &message) {
        auto [it, inserted] = memory.lastWarning.try_emplace(reason + '\n' + message, ctx.now);
        if (!inserted && ctx.now < it->second + kScaleUpPeriodSeconds)
            return;
        it->second = ctx.now;
        ctx.events.record(hpa, "Warning", reason, message, kComponent);
    }

    static void writeStatus(ControllerContext &ctx, const ResourceType &type, const Json &hpa,
                            Json status) {
        if (at(hpa, {"status"}) == status)
            return;
        Json next = hpa;
        next["status"] = std::move(status);
        try {
            ctx.store.update(type, std::move(next), WritePart::Status);
        } catch (const ApiError &) {
            // Changed meanwhile: the next pass writes a fresh status.
        }
    }

    std::unordered_map<std::string, Memory> m_memory; // by HPA uid
};

} // namespace

std::unique_ptr<Controller> makeHorizontalPodAutoscaler() {
    return std::make_unique<HorizontalPodAutoscaler>();
}

} // namespace kd::sandbox
