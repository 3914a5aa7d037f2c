// Deployments, ReplicaSets, StatefulSets and DaemonSets: pkg/apis/apps/validation and the
// selector immutability their registry strategies add on update.

#include "manifest/validation_checks.h"

namespace kd::manifest::detail {

namespace {

const std::string kEmpty;
const Json kEmptyObject = Json::object();

const std::string &stringOr(const std::string *s) {
    return s ? *s : kEmpty;
}

const Json &objectOr(const Json *o) {
    return o ? *o : kEmptyObject;
}

// The template's labels as json.Marshal prints a map[string]string (null when absent).
Value templateLabels(const Json *templ) {
    const Json *meta = templ ? member(*templ, "metadata") : nullptr;
    const Json *labels = meta ? member(*meta, "labels") : nullptr;
    if (labels == nullptr || !labels->is_object())
        return Value::null();
    OrderedJson out = OrderedJson::object();
    for (const auto &[k, v] : labels->items())
        out[k] = v.is_string() ? OrderedJson(v.get<std::string>()) : OrderedJson(nullptr);
    return Value::json(out);
}

const Json *templateLabelsJson(const Json *templ) {
    const Json *meta = templ ? member(*templ, "metadata") : nullptr;
    return meta ? member(*meta, "labels") : nullptr;
}

// spec.selector: required, valid, non-empty. Returns whether it converts to a selector.
bool validateWorkloadSelector(Checks &c, const Json &spec, const char *kindName, bool required) {
    const Json *selector = c.object(spec, "selector", "spec.selector");
    if (selector == nullptr) {
        if (required)
            c.required("spec.selector");
        return true; // nil converts to labels.Nothing()
    }
    const bool convertible = validateLabelSelector(c, selector, "spec.selector");
    if (selectorIsEmpty(selector))
        c.invalid("spec.selector", Value::json(selectorJson(selector)),
                  std::string("empty selector is invalid for ") + kindName);
    return convertible;
}

void validateTemplateMatchesSelector(Checks &c, const Json *selector, const Json *templ) {
    if (selectorIsEmpty(selector))
        return; // labels.Everything()
    if (!selectorMatches(selector, templateLabelsJson(templ)))
        c.invalid("spec.template.metadata.labels", templateLabels(templ),
                  "`selector` does not match template `labels`");
}

void validateTemplateRestartPolicy(Checks &c, const Json *templ, const char *kindName) {
    const Json *spec = templ ? member(*templ, "spec") : nullptr;
    if (spec == nullptr || !spec->is_object())
        return;
    const Json *policy = member(*spec, "restartPolicy");
    if (policy && policy->is_string() && !policy->get_ref<const std::string &>().empty() &&
        policy->get_ref<const std::string &>() != "Always")
        c.notSupported("spec.template.spec.restartPolicy", Value::named(policy->get<std::string>()),
                       {"Always"});
    if (member(*spec, "activeDeadlineSeconds"))
        c.forbidden("spec.template.spec.activeDeadlineSeconds",
                    std::string("activeDeadlineSeconds in ") + kindName + " is not Supported");
}

// ValidatePodTemplateSpecForReplicaSet (Deployments and ReplicaSets).
void validateReplicaSetTemplate(Checks &c, const Json &spec, bool convertible,
                                const char *kindName) {
    const Json *templ = c.object(spec, "template", "spec.template");
    if (!convertible) {
        c.invalid("spec.selector", Value::json(selectorJson(member(spec, "selector"))),
                  "invalid label selector");
        return;
    }
    validateTemplateMatchesSelector(c, member(spec, "selector"), templ);
    validatePodTemplateSpec(c, templ, "spec.template");
    validateTemplateRestartPolicy(c, templ, kindName);
}

OrderedJson intOrStringJson(const std::optional<IntOrString> &v) {
    if (!v)
        return 0; // the zero IntOrString of an internal (non-pointer) field
    return v->isString ? OrderedJson(v->strVal) : OrderedJson(v->intVal);
}

void validateDeploymentStrategy(Checks &c, const Json &spec) {
    const std::string path = "spec.strategy";
    const Json &strategy = objectOr(c.object(spec, "strategy", path));
    std::string type = stringOr(c.string(strategy, "type", child(path, "type")));
    if (type.empty())
        type = "RollingUpdate"; // defaulted
    const std::string rollingPath = child(path, "rollingUpdate");
    const Json *rolling = c.object(strategy, "rollingUpdate", rollingPath);
    const auto maxUnavailable =
        rolling ? c.intOrString(*rolling, "maxUnavailable", child(rollingPath, "maxUnavailable"))
                : std::nullopt;
    const auto maxSurge = rolling
                              ? c.intOrString(*rolling, "maxSurge", child(rollingPath, "maxSurge"))
                              : std::nullopt;
    if (type == "Recreate") {
        if (rolling)
            c.forbidden(rollingPath, "may not be specified when strategy `type` is 'Recreate'");
    } else if (type == "RollingUpdate") {
        // Both default to 25%.
        const IntOrString mu = maxUnavailable.value_or(IntOrString{true, 0, "25%"});
        const IntOrString ms = maxSurge.value_or(IntOrString{true, 0, "25%"});
        const std::string muPath = child(rollingPath, "maxUnavailable");
        validatePositiveIntOrPercent(c, mu, muPath);
        validatePositiveIntOrPercent(c, ms, child(rollingPath, "maxSurge"));
        if (intOrPercentValue(mu) == 0 && intOrPercentValue(ms) == 0)
            c.invalid(muPath, mu.value(), "may not be 0 when `maxSurge` is 0");
        validateNotMoreThan100Percent(c, mu, muPath);
    } else {
        // The bad value is the whole internal (untagged) apps.DeploymentStrategy.
        OrderedJson whole = OrderedJson::object();
        whole["Type"] = type;
        if (rolling) {
            OrderedJson ru = OrderedJson::object();
            ru["MaxUnavailable"] = intOrStringJson(maxUnavailable);
            ru["MaxSurge"] = intOrStringJson(maxSurge);
            whole["RollingUpdate"] = std::move(ru);
        } else {
            whole["RollingUpdate"] = nullptr;
        }
        c.notSupported(path, Value::json(whole), {"Recreate", "RollingUpdate"});
    }
}

void validateNonnegativeField(Checks &c, const Json &spec, const char *name) {
    const std::string path = std::string("spec.") + name;
    if (const auto v = c.int32(spec, name, path))
        validateNonnegative(c, *v, path);
}

void validateStatefulSetStrategy(Checks &c, const Json &spec) {
    const std::string path = "spec.updateStrategy";
    const Json &strategy = objectOr(c.object(spec, "updateStrategy", path));
    std::string type = stringOr(c.string(strategy, "type", child(path, "type")));
    if (type.empty())
        type = "RollingUpdate";
    const std::string rollingPath = child(path, "rollingUpdate");
    const Json *rolling = c.object(strategy, "rollingUpdate", rollingPath);
    const auto partition =
        rolling ? c.int32(*rolling, "partition", child(rollingPath, "partition")) : std::nullopt;
    const std::string muPath = child(rollingPath, "maxUnavailable");
    const auto maxUnavailable =
        rolling ? c.intOrString(*rolling, "maxUnavailable", muPath) : std::nullopt;
    auto internalRolling = [&]() {
        OrderedJson ru = OrderedJson::object();
        ru["Partition"] = partition.value_or(0);
        ru["MaxUnavailable"] =
            maxUnavailable ? intOrStringJson(maxUnavailable) : OrderedJson(nullptr);
        return ru;
    };
    if (type == "OnDelete") {
        if (rolling)
            c.invalid(rollingPath, Value::json(internalRolling()),
                      "only allowed for updateStrategy 'RollingUpdate'");
    } else if (type == "RollingUpdate") {
        if (partition)
            validateNonnegative(c, *partition, child(rollingPath, "partition"));
        if (maxUnavailable) {
            validatePositiveIntOrPercent(c, *maxUnavailable, muPath);
            if (intOrPercentValue(*maxUnavailable) == 0)
                c.invalid(muPath, maxUnavailable->value(), "cannot be 0");
            validateNotMoreThan100Percent(c, *maxUnavailable, muPath);
        }
    } else {
        OrderedJson whole = OrderedJson::object();
        whole["Type"] = type;
        whole["RollingUpdate"] = rolling ? internalRolling() : OrderedJson(nullptr);
        c.invalid(path, Value::json(whole), "must be 'RollingUpdate' or 'OnDelete'");
    }
}

} // namespace

long long intOrPercentValue(const IntOrString &value) {
    if (value.isString && isValidPercent(value.strVal).empty())
        return IntOrString{true, 0, value.strVal.substr(0, value.strVal.size() - 1)}.intValue();
    return value.intValue();
}

void validatePositiveIntOrPercent(Checks &c, const IntOrString &value, const std::string &path) {
    if (value.isString) {
        for (const std::string &msg : isValidPercent(value.strVal))
            c.invalid(path, value.value(), msg);
    } else {
        validateNonnegative(c, value.intVal, path);
    }
}

void validateNotMoreThan100Percent(Checks &c, const IntOrString &value, const std::string &path) {
    if (value.isString && isValidPercent(value.strVal).empty() && intOrPercentValue(value) > 100)
        c.invalid(path, value.value(), "must not be greater than 100%");
}

void validateDeployment(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    validateNonnegativeField(c, spec, "replicas");
    const bool convertible = validateWorkloadSelector(c, spec, "deployment", true);
    validateReplicaSetTemplate(c, spec, convertible, "ReplicaSet");
    validateDeploymentStrategy(c, spec);
    const auto minReady = c.int32(spec, "minReadySeconds", "spec.minReadySeconds");
    validateNonnegative(c, minReady.value_or(0), "spec.minReadySeconds");
    validateNonnegativeField(c, spec, "revisionHistoryLimit");
    // Defaulted to 600, and it must leave time for minReadySeconds.
    const long long deadline =
        c.int32(spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds").value_or(600);
    validateNonnegative(c, deadline, "spec.progressDeadlineSeconds");
    if (deadline <= minReady.value_or(0))
        c.invalid("spec.progressDeadlineSeconds", Value::num(deadline),
                  "must be greater than minReadySeconds");
}

void validateReplicaSet(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    validateNonnegativeField(c, spec, "replicas");
    validateNonnegativeField(c, spec, "minReadySeconds");
    // Upstream words the ReplicaSet's empty-selector error like the Deployment's.
    const bool convertible = validateWorkloadSelector(c, spec, "deployment", true);
    validateReplicaSetTemplate(c, spec, convertible, "ReplicaSet");
}

void validateStatefulSet(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    const std::string policyPath = "spec.podManagementPolicy";
    const std::string &policy = stringOr(c.string(spec, "podManagementPolicy", policyPath));
    if (!policy.empty() && policy != "OrderedReady" && policy != "Parallel")
        c.invalid(policyPath, Value::named(policy), "must be 'OrderedReady' or 'Parallel'");
    validateStatefulSetStrategy(c, spec);
    if (const Json *retention = c.object(spec, "persistentVolumeClaimRetentionPolicy",
                                         "spec.persistentVolumeClaimRetentionPolicy")) {
        for (const char *field : {"whenDeleted", "whenScaled"}) {
            const std::string path =
                std::string("spec.persistentVolumeClaimRetentionPolicy.") + field;
            const std::string &value = stringOr(c.string(*retention, field, path));
            if (!value.empty() && value != "Retain" && value != "Delete")
                c.notSupported(path, Value::named(value), {"Retain", "Delete"});
        }
    }
    validateNonnegativeField(c, spec, "replicas");
    validateNonnegativeField(c, spec, "minReadySeconds");
    if (const Json *ordinals = c.object(spec, "ordinals", "spec.ordinals")) {
        if (const auto start = c.int32(*ordinals, "start", "spec.ordinals.start"))
            validateNonnegative(c, *start, "spec.ordinals.start");
    }
    const bool convertible = validateWorkloadSelector(c, spec, "statefulset", true);
    const Json *templ = c.object(spec, "template", "spec.template");
    if (!convertible) {
        c.invalid("spec.selector", Value::json(selectorJson(member(spec, "selector"))), "");
    } else {
        // Upstream checks only the template's metadata here, not its pod spec.
        validateTemplateMatchesSelector(c, member(spec, "selector"), templ);
        const Json *meta = templ ? c.object(*templ, "metadata", "spec.template.metadata") : nullptr;
        if (meta) {
            validateLabels(c, c.stringMap(*meta, "labels", "spec.template.metadata.labels"),
                           "spec.template.labels");
            validateAnnotations(
                c, c.stringMap(*meta, "annotations", "spec.template.metadata.annotations"),
                "spec.template.annotations");
        }
    }
    validateTemplateRestartPolicy(c, templ, "StatefulSet");
}

void validateDaemonSet(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    const Json *selector = c.object(spec, "selector", "spec.selector");
    const bool convertible = validateLabelSelector(c, selector, "spec.selector");
    const Json *templ = c.object(spec, "template", "spec.template");
    if (convertible)
        validateTemplateMatchesSelector(c, selector, templ);
    if (selectorIsEmpty(selector))
        c.invalid("spec.selector", Value::json(selectorJson(selector)),
                  "empty selector is invalid for daemonset");
    validatePodTemplateSpec(c, templ, "spec.template");
    validateTemplateRestartPolicy(c, templ, "DaemonSet");
    validateNonnegativeField(c, spec, "minReadySeconds");

    const std::string path = "spec.updateStrategy";
    const Json &strategy = objectOr(c.object(spec, "updateStrategy", path));
    std::string type = stringOr(c.string(strategy, "type", child(path, "type")));
    if (type.empty())
        type = "RollingUpdate";
    const std::string rollingPath = child(path, "rollingUpdate");
    const Json *rolling = c.object(strategy, "rollingUpdate", rollingPath);
    const std::string muPath = child(rollingPath, "maxUnavailable");
    const std::string msPath = child(rollingPath, "maxSurge");
    const auto maxUnavailable =
        rolling ? c.intOrString(*rolling, "maxUnavailable", muPath) : std::nullopt;
    const auto maxSurge = rolling ? c.intOrString(*rolling, "maxSurge", msPath) : std::nullopt;
    if (type == "RollingUpdate") {
        // Defaults: maxUnavailable 1, maxSurge 0.
        const IntOrString mu = maxUnavailable.value_or(IntOrString{false, 1, {}});
        const IntOrString ms = maxSurge.value_or(IntOrString{false, 0, {}});
        validatePositiveIntOrPercent(c, mu, muPath);
        validatePositiveIntOrPercent(c, ms, msPath);
        validateNotMoreThan100Percent(c, mu, muPath);
        validateNotMoreThan100Percent(c, ms, msPath);
        const bool hasUnavailable = intOrPercentValue(mu) != 0;
        const bool hasSurge = intOrPercentValue(ms) != 0;
        if (hasUnavailable && hasSurge)
            c.invalid(msPath, ms.value(), "may not be set when maxUnavailable is non-zero");
        else if (!hasUnavailable && !hasSurge)
            c.required(muPath, "cannot be 0 when maxSurge is 0");
    } else if (type != "OnDelete") {
        OrderedJson whole = OrderedJson::object();
        whole["Type"] = type;
        if (rolling) {
            OrderedJson ru = OrderedJson::object();
            ru["MaxUnavailable"] = intOrStringJson(maxUnavailable);
            ru["MaxSurge"] = intOrStringJson(maxSurge);
            whole["RollingUpdate"] = std::move(ru);
        } else {
            whole["RollingUpdate"] = nullptr;
        }
        c.notSupported(path, Value::json(whole), {"RollingUpdate", "OnDelete"});
    }
    validateNonnegativeField(c, spec, "revisionHistoryLimit");
}

void validateSelectorImmutable(Checks &c, const Json &object, const Json &old) {
    const Json *spec = member(object, "spec");
    const Json *oldSpec = member(old, "spec");
    const Json *selector = spec && spec->is_object() ? member(*spec, "selector") : nullptr;
    const Json *oldSelector =
        oldSpec && oldSpec->is_object() ? member(*oldSpec, "selector") : nullptr;
    // Semantic.DeepEqual on the LabelSelector: compared in its marshalled form, which leaves
    // out empty maps and lists just as DeepEqual treats them like absent ones.
    const OrderedJson now = selectorJson(selector);
    if (now != selectorJson(oldSelector))
        c.invalid("spec.selector", Value::json(now), "field is immutable");
}

void validateStatefulSetUpdate(Checks &c, const Json &object, const Json &old) {
    // Only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy
    // and minReadySeconds may change. Compare the rest as the server would after defaulting.
    auto rest = [](const Json &obj) {
        const Json *spec = member(obj, "spec");
        Json out = spec && spec->is_object() ? *spec : Json::object();
        for (const char *field : {"replicas", "ordinals", "template", "updateStrategy",
                                  "persistentVolumeClaimRetentionPolicy", "minReadySeconds"})
            out.erase(field);
        if (isEmptyValue(member(out, "podManagementPolicy")))
            out["podManagementPolicy"] = "OrderedReady";
        if (!member(out, "revisionHistoryLimit"))
            out["revisionHistoryLimit"] = 10;
        // Claim templates: compare what the user wrote, not what defaulting or status added.
        if (Json *claims =
                out.contains("volumeClaimTemplates") ? &out["volumeClaimTemplates"] : nullptr;
            claims && claims->is_array()) {
            for (Json &claim : *claims) {
                if (!claim.is_object())
                    continue;
                claim.erase("status");
                if (claim.contains("spec") && claim["spec"].is_object())
                    claim["spec"].erase("volumeMode");
            }
        }
        return semanticForm(out);
    };
    if (rest(object) != rest(old))
        c.forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
            "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are "
            "forbidden");
}

} // namespace kd::manifest::detail
