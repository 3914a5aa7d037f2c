// Rules about how objects refer to each other: replica counts against HPAs, PodDisruptionBudgets
// against the pods they select, HPA targets and metrics, Service selectors and target ports,
// Ingress backends. Every reference is resolved in the same namespace, through RuleIndex.

#include "manifest/lintrules_index.h"

#include "semantics/rollout.h"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace kd::manifest::detail {

namespace {

std::string inNamespace(const std::string &ns) {
    return ns.empty() ? std::string(" (objects without a namespace)")
                      : " in namespace " + ticked(ns);
}

std::string describeSelector(const Json *selector) {
    std::string out;
    for (const auto &[k, v] : stringEntries(at(selector, {"matchLabels"})))
        out += (out.empty() ? "" : ", ") + k + "=" + v;
    const Json *expressions = at(selector, {"matchExpressions"});
    if (expressions && expressions->is_array() && !expressions->empty())
        out += (out.empty() ? "" : ", ") + std::string("matchExpressions");
    return out.empty() ? "anything" : out;
}

std::string describeWorkloads(const std::vector<const Workload *> &selected) {
    std::string out;
    for (std::size_t i = 0; i < selected.size() && i < 3; ++i)
        out +=
            (i ? ", " : "") + selected[i]->object->kind + " " + ticked(selected[i]->object->name);
    if (selected.size() > 3)
        out += " and " + std::to_string(selected.size() - 3) + " more";
    return out;
}

// replicas-too-few and hpa-replicas-conflict: a replica count is only the manifest's to make
// when no HPA owns it.
void checkReplicas(const RuleIndex &index, FindingSink &sink) {
    for (const Workload &w : index.workloads()) {
        const LintObject &object = *w.object;
        if (!isReplicated(object.kind) || isOwned(*object.value))
            continue;
        const Json *replicasJson = at(object.value, {"spec", "replicas"});
        const auto replicas = asInt(replicasJson);
        const auto &hpas = index.hpasOf(object);
        if (!hpas.empty()) {
            if (replicasJson == nullptr)
                continue;
            const LintObject &hpa = *hpas.front();
            const auto min = asInt(at(hpa.value, {"spec", "minReplicas"})).value_or(1);
            const auto max = asInt(at(hpa.value, {"spec", "maxReplicas"}));
            sink.reportValue(object, "hpa-replicas-conflict", "spec.replicas",
                             "replicas: " + scalarText(*replicasJson) +
                                 " is set while HorizontalPodAutoscaler " + ticked(hpa.name) +
                                 " scales this " + object.kind + " (" + std::to_string(min) +
                                 (max ? "-" + std::to_string(*max) : std::string()) +
                                 "); each apply resets the count",
                             {});
            continue;
        }
        if (replicasJson == nullptr)
            sink.report(object, "replicas-too-few", "spec.replicas",
                        object.kind + " " + ticked(object.name) +
                            " does not set replicas, so it runs 1 pod",
                        {});
        else if (replicas && *replicas == 1)
            sink.reportValue(object, "replicas-too-few", "spec.replicas",
                             object.kind + " " + ticked(object.name) + " runs 1 replica", {});
    }
}

// pdb-selects-nothing and pdb-blocks-drain; returns the workloads some budget covers.
std::unordered_set<const Workload *> checkBudgets(const RuleIndex &index, FindingSink &sink) {
    std::unordered_set<const Workload *> covered;
    for (const LintObject *pdb : index.ofKind("PodDisruptionBudget")) {
        const Json *spec = at(pdb->value, {"spec"});
        const Json *selector = at(spec, {"selector"});
        const auto selected = index.selectedBy(pdb->nameSpace, selector);
        covered.insert(selected.begin(), selected.end());
        if (selected.empty())
            sink.report(*pdb, "pdb-selects-nothing", "spec.selector",
                        selector == nullptr
                            ? std::string("the budget has no selector, so it selects no pods")
                            : "no pod template in the linted files" + inNamespace(pdb->nameSpace) +
                                  " matches the selector (" + describeSelector(selector) + ")",
                        {});

        if (const Json *maxJson = at(spec, {"maxUnavailable"})) {
            const auto max = semantics::parseIntOrPercent(*maxJson);
            if (max && max->value == 0)
                sink.reportValue(*pdb, "pdb-blocks-drain", "spec.maxUnavailable",
                                 "maxUnavailable " + scalarText(*maxJson) +
                                     " allows no eviction: node drains wait forever",
                                 {});
        }
        const Json *minJson = at(spec, {"minAvailable"});
        const auto min = minJson ? semantics::parseIntOrPercent(*minJson) : std::nullopt;
        if (!min || selected.empty())
            continue;
        long long pods = 0;
        bool scaled = false;
        bool known = true;
        for (const Workload *w : selected) {
            const auto n = index.minimumPods(*w);
            known = known && n.has_value();
            pods += n.value_or(0);
            scaled = scaled || !index.hpasOf(*w->object).empty();
        }
        if (!known || pods <= 0)
            continue;
        // The disruption controller rounds a percentage of the expected pods up.
        const long long needed =
            semantics::scaledValue(*min, static_cast<int>(std::min(pods, 1'000'000LL)), true);
        if (needed < pods)
            continue;
        sink.reportValue(*pdb, "pdb-blocks-drain", "spec.minAvailable",
                         "minAvailable " + scalarText(*minJson) + " keeps all " +
                             std::to_string(pods) + " selected pods (" +
                             describeWorkloads(selected) +
                             (scaled ? ", at the HPA's minReplicas" : "") +
                             "), so a node drain can never evict one",
                         {});
    }
    return covered;
}

void checkBudgetMissing(const RuleIndex &index, const std::unordered_set<const Workload *> &covered,
                        FindingSink &sink) {
    for (const Workload &w : index.workloads()) {
        const LintObject &object = *w.object;
        if ((object.kind != "Deployment" && object.kind != "StatefulSet") || covered.count(&w))
            continue;
        const auto pods = index.minimumPods(w);
        if (!pods || *pods == 0)
            continue;
        // About the object as a whole (no field), shown at its name.
        Finding *f =
            sink.report(object, "pdb-missing", "",
                        "no PodDisruptionBudget in the linted files selects the pods of " +
                            object.kind + " " + ticked(object.name) +
                            (*pods < 2 ? ", and with a single replica a drain takes it offline"
                                       : std::string()),
                        {});
        if (f)
            f->position = object.position("metadata.name");
    }
}

// The Resource metrics of an HPA if it scales on CPU/memory utilisation only, else "".
std::string cpuMemoryOnly(const LintObject &hpa, std::string *path) {
    const Json *spec = at(hpa.value, {"spec"});
    if (hpa.apiVersion == "autoscaling/v1") {
        *path = "spec.targetCPUUtilizationPercentage";
        return "cpu";
    }
    *path = "spec.metrics";
    const Json *metrics = at(spec, {"metrics"});
    if (metrics == nullptr || !metrics->is_array() || metrics->empty())
        return "cpu (the default 80% utilisation target)";
    std::set<std::string> names;
    for (const Json &m : *metrics) {
        const std::string *type = asStr(at(&m, {"type"}));
        const std::string *name = nullptr;
        if (type && *type == "Resource")
            name = asStr(at(&m, {"resource", "name"}));
        else if (type && *type == "ContainerResource")
            name = asStr(at(&m, {"containerResource", "name"}));
        if (name == nullptr || (*name != "cpu" && *name != "memory"))
            return {};
        names.insert(*name);
    }
    std::string out;
    for (const std::string &n : names)
        out += (out.empty() ? "" : " and ") + n;
    return out;
}

void checkAutoscalers(const RuleIndex &index, FindingSink &sink) {
    for (const LintObject *hpa : index.ofKind("HorizontalPodAutoscaler")) {
        const Json *ref = at(hpa->value, {"spec", "scaleTargetRef"});
        const std::string *kind = asStr(at(ref, {"kind"}));
        const std::string *name = asStr(at(ref, {"name"}));
        if (kind == nullptr || name == nullptr)
            continue; // the schema check reports it
        const LintObject *target = index.find(hpa->nameSpace, *kind, *name);
        if (target == nullptr) {
            sink.reportValue(*hpa, "hpa-target-missing", "spec.scaleTargetRef.name",
                             "no " + *kind + " " + ticked(*name) + " in the linted files" +
                                 inNamespace(hpa->nameSpace),
                             {});
            continue;
        }
        const Workload *w = index.workloadOf(target);
        if (w == nullptr)
            continue;
        const auto gpus = gpuAmounts(index.requestsOf(*w));
        std::string path;
        const std::string metrics = gpus.empty() ? std::string() : cpuMemoryOnly(*hpa, &path);
        if (metrics.empty())
            continue;
        sink.report(*hpa, "hpa-gpu-cpu-metric", path,
                    "scales " + target->kind + " " + ticked(target->name) + " (" +
                        describeAmounts(gpus) + " per pod) on " + metrics +
                        " only; GPU-bound pods keep these low, so it will not scale out under "
                        "load",
                    {});
    }
}

std::string describeContainerPorts(const std::vector<const Workload *> &selected) {
    std::set<std::string> seen;
    std::string out;
    for (const Workload *w : selected) {
        forEachContainer(*w->templ.spec, [&](const Json &c) {
            const Json *ports = at(&c, {"ports"});
            for (std::size_t i = 0; ports && ports->is_array() && i < ports->size(); ++i) {
                const auto number = asInt(at(&(*ports)[i], {"containerPort"}));
                const std::string *name = asStr(at(&(*ports)[i], {"name"}));
                if (!number)
                    continue;
                std::string text = std::to_string(*number) + (name ? " (" + *name + ")" : "");
                if (seen.size() < 6 && seen.insert(text).second)
                    out += (out.empty() ? "" : ", ") + text;
            }
        });
    }
    return out.empty() ? "no ports" : out;
}

// Whether the selected containers declare the port; nullopt when a number cannot be checked
// because no selected container declares any port.
std::optional<bool> declaresPort(const std::vector<const Workload *> &selected, const Json &port) {
    const std::string *name = asStr(&port);
    const auto number = asInt(&port);
    bool anyPorts = false;
    bool found = false;
    for (const Workload *w : selected) {
        forEachContainer(*w->templ.spec, [&](const Json &c) {
            const Json *ports = at(&c, {"ports"});
            for (std::size_t i = 0; !found && ports && ports->is_array() && i < ports->size();
                 ++i) {
                anyPorts = true;
                const Json &p = (*ports)[i];
                const std::string *portName = asStr(at(&p, {"name"}));
                found = (name && portName && *portName == *name) ||
                        (number && asInt(at(&p, {"containerPort"})) == number);
            }
        });
        if (found)
            return true;
    }
    if (number && !anyPorts)
        return std::nullopt;
    return false;
}

void checkServices(const RuleIndex &index, FindingSink &sink) {
    for (const LintObject *svc : index.ofKind("Service")) {
        const Json *spec = at(svc->value, {"spec"});
        const std::string *type = asStr(at(spec, {"type"}));
        const Json *selector = at(spec, {"selector"});
        if ((type && *type == "ExternalName") || selector == nullptr || !selector->is_object() ||
            selector->empty())
            continue; // no selector: endpoints are managed by hand
        const Json labelSelector = {{"matchLabels", *selector}};
        const auto selected = index.selectedBy(svc->nameSpace, &labelSelector);
        if (selected.empty()) {
            sink.report(*svc, "service-selects-nothing", "spec.selector",
                        "no pod template in the linted files" + inNamespace(svc->nameSpace) +
                            " has the labels " + describeSelector(&labelSelector),
                        {});
            continue;
        }
        const Json *ports = at(spec, {"ports"});
        for (std::size_t i = 0; ports && ports->is_array() && i < ports->size(); ++i) {
            const Json &port = (*ports)[i];
            const std::string portPath = appendIndex("spec.ports", i);
            const Json *target = at(&port, {"targetPort"});
            const Json *number = at(&port, {"port"});
            const Json *effective = target ? target : number;
            if (effective == nullptr || !(effective->is_string() || effective->is_number_integer()))
                continue;
            const auto declared = declaresPort(selected, *effective);
            if (!declared || *declared)
                continue;
            const std::string portName = number ? scalarText(*number) : std::string("?");
            sink.reportValue(
                *svc, "service-target-port-unknown", join(portPath, target ? "targetPort" : "port"),
                "port " + portName +
                    (target ? " sends to targetPort " : " sets no targetPort, so it sends to ") +
                    ticked(scalarText(*effective)) + ", which no container of " +
                    describeWorkloads(selected) + " declares (they declare " +
                    describeContainerPorts(selected) + ")",
                {});
        }
    }
}

void checkBackend(const RuleIndex &index, const LintObject &ingress, const Json &backend,
                  const std::string &path, FindingSink &sink) {
    // networking.k8s.io/v1 `service: {name, port: {number|name}}`, or v1beta1 `serviceName` and
    // `servicePort`.
    const bool v1 = at(&backend, {"service"}) != nullptr;
    const std::string *name =
        asStr(v1 ? at(&backend, {"service", "name"}) : at(&backend, {"serviceName"}));
    if (name == nullptr)
        return; // a resource backend, or a schema problem
    const LintObject *svc = index.find(ingress.nameSpace, "Service", *name);
    if (svc == nullptr) {
        sink.reportValue(
            ingress, "ingress-backend-missing", v1 ? path + ".service.name" : path + ".serviceName",
            "no Service " + ticked(*name) + " in the linted files" + inNamespace(ingress.nameSpace),
            {});
        return;
    }
    const Json *portNumber = v1 ? at(&backend, {"service", "port", "number"}) : nullptr;
    const Json *portName = v1 ? at(&backend, {"service", "port", "name"}) : nullptr;
    std::string portPath = v1 ? path + ".service.port.number" : path + ".servicePort";
    if (!v1) {
        const Json *p = at(&backend, {"servicePort"});
        (p && p->is_string() ? portName : portNumber) = p;
    } else if (portNumber == nullptr) {
        portPath = path + ".service.port.name";
    }
    const Json *wanted = portNumber ? portNumber : portName;
    if (wanted == nullptr)
        return;
    const Json *ports = at(svc->value, {"spec", "ports"});
    std::string have;
    for (std::size_t i = 0; ports && ports->is_array() && i < ports->size(); ++i) {
        const Json *number = at(&(*ports)[i], {"port"});
        const Json *pname = at(&(*ports)[i], {"name"});
        if ((portNumber && number && *number == *portNumber) ||
            (portName && pname && *pname == *portName))
            return;
        if (number)
            have += (have.empty() ? "" : ", ") + scalarText(*number) +
                    (asStr(pname) ? " (" + *asStr(pname) + ")" : std::string());
    }
    sink.reportValue(ingress, "ingress-backend-missing", portPath,
                     "Service " + ticked(*name) + " has no port " + ticked(scalarText(*wanted)) +
                         " (it has " + (have.empty() ? std::string("none") : have) + ")",
                     {});
}

void checkIngresses(const RuleIndex &index, FindingSink &sink) {
    for (const LintObject *ingress : index.ofKind("Ingress")) {
        const Json *spec = at(ingress->value, {"spec"});
        for (const char *field : {"defaultBackend", "backend"}) {
            if (const Json *b = at(spec, {field}); b && b->is_object())
                checkBackend(index, *ingress, *b, std::string("spec.") + field, sink);
        }
        const Json *rules = at(spec, {"rules"});
        for (std::size_t i = 0; rules && rules->is_array() && i < rules->size(); ++i) {
            const Json *paths = at(&(*rules)[i], {"http", "paths"});
            for (std::size_t j = 0; paths && paths->is_array() && j < paths->size(); ++j) {
                if (const Json *b = at(&(*paths)[j], {"backend"}); b && b->is_object())
                    checkBackend(index, *ingress, *b,
                                 appendIndex(appendIndex("spec.rules", i) + ".http.paths", j) +
                                     ".backend",
                                 sink);
            }
        }
    }
}

} // namespace

void checkCrossRules(const std::vector<LintObject> &objects, const LintOptions &options,
                     FindingSink &sink) {
    const RuleIndex index(objects);
    checkReplicas(index, sink);
    checkBudgetMissing(index, checkBudgets(index, sink), sink);
    checkAutoscalers(index, sink);
    checkServices(index, sink);
    checkIngresses(index, sink);
    checkRolloutCapacity(index, options, sink);
}

} // namespace kd::manifest::detail
