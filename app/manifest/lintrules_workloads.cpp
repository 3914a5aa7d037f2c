// Rules about one workload or policy object: selectors against template labels, rolling-update
// fenceposts, replica spreading, GPU placement, PodDisruptionBudget policy, HPA replica bounds
// and the default namespace.

#include "manifest/lintrules_util.h"

#include "semantics/rollout.h"

#include <algorithm>

namespace kd::manifest::detail {

namespace {

void checkSelector(const LintObject &object, const PodTemplate &templ, FindingSink &sink) {
    const std::string &kind = object.kind;
    if (kind != "Deployment" && kind != "StatefulSet" && kind != "DaemonSet" &&
        kind != "ReplicaSet" && kind != "ReplicationController")
        return;
    const Json *raw = at(object.value, {"spec", "selector"});
    if (raw == nullptr || !raw->is_object())
        return;
    // A ReplicationController's selector is a plain label map.
    const Json wrapped = kind == "ReplicationController" ? Json{{"matchLabels", *raw}} : Json();
    const Json *selector = kind == "ReplicationController" ? &wrapped : raw;
    const Json *labels = templateLabels(templ);
    if (selectorIsEmpty(selector) || selectorMatches(selector, labels))
        return;
    const auto have = stringEntries(labels);
    std::string wanted;
    std::vector<EntryEdit> edits;
    const std::string labelsPath = join(templ.metadataPath, "labels");
    if (const Json *matchLabels = at(selector, {"matchLabels"});
        matchLabels && matchLabels->is_object()) {
        for (const auto &[k, v] : matchLabels->items()) {
            const std::string *value = asStr(&v);
            if (value == nullptr)
                continue;
            const auto it = have.find(k);
            if (it != have.end() && it->second == *value)
                continue;
            wanted += (wanted.empty() ? "" : ", ") + k + "=" + *value +
                      (it == have.end() ? " (missing)" : " (template has " + it->second + ")");
            edits.push_back({labelsPath, k, yamlString(*value)});
        }
    }
    if (wanted.empty())
        wanted = "its matchExpressions";
    Finding *f =
        sink.report(object, "selector-mismatch", labelsPath,
                    "spec.selector does not select the pod template: it requires " + wanted, {});
    if (!edits.empty()) {
        std::string pairs;
        for (std::size_t i = 0; i < edits.size(); ++i)
            pairs += (i ? ", " : "") + edits[i].key + "=" + edits[i].value;
        attachFix(f, object, "Set the pod template labels " + pairs, edits);
    }
}

void checkFenceposts(const LintObject &object, FindingSink &sink) {
    const bool daemonSet = object.kind == "DaemonSet";
    if (object.kind != "Deployment" && !daemonSet)
        return;
    const std::string *type = asStr(at(object.value, {"spec", "strategy", "type"}));
    const std::string *dsType = asStr(at(object.value, {"spec", "updateStrategy", "type"}));
    if ((!daemonSet && type && *type != "RollingUpdate") ||
        (daemonSet && dsType && *dsType != "RollingUpdate"))
        return;
    const char *strategy = daemonSet ? "updateStrategy" : "strategy";
    const Json *rolling = at(object.value, {"spec", strategy, "rollingUpdate"});
    const Json *surgeJson = at(rolling, {"maxSurge"});
    const Json *unavailableJson = at(rolling, {"maxUnavailable"});
    // Defaults: 25%/25% for Deployments, surge 0 and unavailable 1 for DaemonSets.
    const auto surge = surgeJson
                           ? semantics::parseIntOrPercent(*surgeJson)
                           : std::optional(daemonSet ? semantics::IntOrPercent::fromInt(0)
                                                     : semantics::IntOrPercent::fromPercent(25));
    const auto unavailable =
        unavailableJson ? semantics::parseIntOrPercent(*unavailableJson)
                        : std::optional(daemonSet ? semantics::IntOrPercent::fromInt(1)
                                                  : semantics::IntOrPercent::fromPercent(25));
    if (!surge || !unavailable || !semantics::isExplicitZeroZero(*surge, *unavailable))
        return;
    sink.reportValue(object, "rollout-surge-unavailable-zero",
                     std::string("spec.") + strategy + ".rollingUpdate.maxUnavailable",
                     std::string("maxSurge ") + (surgeJson ? scalarText(*surgeJson) : "0") +
                         " and maxUnavailable " +
                         (unavailableJson ? scalarText(*unavailableJson) : "0") +
                         ": the rolling update can neither add nor remove a pod",
                     {});
}

void checkSpread(const LintObject &object, const PodTemplate &templ, FindingSink &sink) {
    if (!isReplicated(object.kind))
        return;
    const auto replicas = specReplicas(*object.value);
    if (!replicas || *replicas < 2)
        return;
    const Json *spread = at(templ.spec, {"topologySpreadConstraints"});
    if (at(templ.spec, {"affinity", "podAntiAffinity"}) ||
        (spread && spread->is_array() && !spread->empty()))
        return;
    sink.report(object, "anti-affinity-missing", join(templ.specPath, "affinity"),
                object.kind + " runs " + std::to_string(*replicas) +
                    " replicas with neither podAntiAffinity nor topologySpreadConstraints: "
                    "they may all land on one node",
                {});
}

bool toleratesGpuTaint(const Json *tolerations) {
    if (tolerations == nullptr || !tolerations->is_array())
        return false;
    for (const Json &t : *tolerations) {
        const std::string *key = asStr(at(&t, {"key"}));
        const std::string *op = asStr(at(&t, {"operator"}));
        if ((key == nullptr || key->empty()) && op && *op == "Exists")
            return true; // tolerates every taint
        if (key && (semantics::isGpuResource(*key) || key->find("gpu") != std::string::npos))
            return true;
    }
    return false;
}

void checkGpuPlacement(const LintObject &object, const PodTemplate &templ,
                       const Containers &containers, FindingSink &sink) {
    if (std::none_of(containers.begin(), containers.end(),
                     [](const ContainerRef &c) { return !c.gpus.empty(); }))
        return;
    const auto gpus = podGpus(*templ.spec);
    if (gpus.empty())
        return;
    const Json *selector = at(templ.spec, {"nodeSelector"});
    if (toleratesGpuTaint(at(templ.spec, {"tolerations"})) ||
        (selector && selector->is_object() && !selector->empty()) ||
        at(templ.spec,
           {"affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"}))
        return;
    sink.report(object, "gpu-toleration-missing", join(templ.specPath, "tolerations"),
                "pods request " + describeAmounts(gpus) +
                    " but have neither a GPU toleration nor a nodeSelector or required node "
                    "affinity: on clusters that taint GPU nodes they stay Pending",
                {});
}

void checkPdbPolicy(const LintObject &object, FindingSink &sink) {
    const Json *spec = at(object.value, {"spec"});
    const bool minSet = at(spec, {"minAvailable"}) != nullptr;
    const bool maxSet = at(spec, {"maxUnavailable"}) != nullptr;
    if (minSet && maxSet) {
        // Where the API server reports it, but pointing at the second of the two.
        Finding *f = sink.report(object, "pdb-policy", "spec",
                                 "PodDisruptionBudget sets both minAvailable and maxUnavailable; "
                                 "keep one",
                                 {});
        if (f)
            f->position = object.position("spec.maxUnavailable");
    } else if (!minSet && !maxSet) {
        sink.report(object, "pdb-policy", "spec",
                    "PodDisruptionBudget sets neither minAvailable nor maxUnavailable, so it "
                    "limits no evictions",
                    {});
    }
}

void checkHpaReplicas(const LintObject &object, FindingSink &sink) {
    const Json *minJson = at(object.value, {"spec", "minReplicas"});
    const auto minReplicas = minJson ? asInt(minJson) : std::optional<long long>(1);
    const auto maxReplicas = asInt(at(object.value, {"spec", "maxReplicas"}));
    if (!minReplicas)
        return;
    if (*minReplicas == 1) {
        const std::string message =
            (minJson ? std::string("minReplicas is 1") : "minReplicas is not set (defaults to 1)") +
            ": at quiet times the HPA scales down to a single pod";
        if (minJson)
            sink.reportValue(object, "hpa-replicas", "spec.minReplicas", message, {});
        else
            sink.report(object, "hpa-replicas", "spec.minReplicas", message, {});
    }
    if (!maxReplicas || *maxReplicas < 1 || *minReplicas < 1 || *minReplicas < *maxReplicas)
        return;
    const std::string message = *minReplicas == *maxReplicas
                                    ? "minReplicas and maxReplicas are both " +
                                          std::to_string(*maxReplicas) + ": the HPA can never scale"
                                    : "maxReplicas " + std::to_string(*maxReplicas) +
                                          " is below minReplicas " + std::to_string(*minReplicas);
    sink.reportValue(object, "hpa-replicas", "spec.maxReplicas", message, {});
}

} // namespace

void checkWorkloadRules(const LintObject &object, const PodTemplate &templ,
                        const Containers &containers, FindingSink &sink) {
    checkSelector(object, templ, sink);
    checkFenceposts(object, sink);
    checkSpread(object, templ, sink);
    checkGpuPlacement(object, templ, containers, sink);
}

void checkPolicyObjectRules(const LintObject &object, FindingSink &sink) {
    if (object.nameSpace == "default")
        sink.reportValue(object, "namespace-default", "metadata.namespace",
                         object.kind + " " + ticked(object.name) + " is in the default namespace",
                         {});
    if (object.kind == "PodDisruptionBudget")
        checkPdbPolicy(object, sink);
    else if (object.kind == "HorizontalPodAutoscaler")
        checkHpaReplicas(object, sink);
}

} // namespace kd::manifest::detail
