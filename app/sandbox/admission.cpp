#include "sandbox/admission.h"

#include "manifest/validation.h"
#include "sandbox/apierror.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <set>

namespace kd::sandbox {

namespace {

void setDefault(Json &obj, const char *key, Json value) {
    if (!obj.contains(key) || obj[key].is_null())
        obj[key] = std::move(value);
}

std::string imageTag(const std::string &image) {
    auto at = image.find('@');
    if (at != std::string::npos)
        return "@digest";
    auto slash = image.rfind('/');
    auto colon = image.rfind(':');
    if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
        return {};
    return image.substr(colon + 1);
}

void defaultProbe(Json &probe) {
    if (!probe.is_object())
        return;
    setDefault(probe, "timeoutSeconds", 1);
    setDefault(probe, "periodSeconds", 10);
    setDefault(probe, "successThreshold", 1);
    setDefault(probe, "failureThreshold", 3);
    if (probe.contains("httpGet") && probe["httpGet"].is_object()) {
        setDefault(probe["httpGet"], "path", "/");
        setDefault(probe["httpGet"], "scheme", "HTTP");
    }
}

void defaultContainer(Json &c) {
    if (!c.is_object())
        return;
    std::string tag = imageTag(c.value("image", ""));
    setDefault(c, "imagePullPolicy", tag.empty() || tag == "latest" ? "Always" : "IfNotPresent");
    setDefault(c, "terminationMessagePath", "/dev/termination-log");
    setDefault(c, "terminationMessagePolicy", "File");
    setDefault(c, "resources", Json::object());
    if (c.contains("ports") && c["ports"].is_array())
        for (Json &p : c["ports"])
            if (p.is_object())
                setDefault(p, "protocol", "TCP");
    for (const char *probe : {"livenessProbe", "readinessProbe", "startupProbe"})
        if (c.contains(probe))
            defaultProbe(c[probe]);
    if (c.contains("env") && c["env"].is_array())
        for (Json &e : c["env"])
            if (e.is_object() && e.contains("valueFrom") && e["valueFrom"].contains("fieldRef") &&
                e["valueFrom"]["fieldRef"].is_object())
                setDefault(e["valueFrom"]["fieldRef"], "apiVersion", "v1");
}

void defaultPodSpec(Json &spec) {
    if (!spec.is_object())
        return;
    setDefault(spec, "restartPolicy", "Always");
    setDefault(spec, "terminationGracePeriodSeconds", 30);
    setDefault(spec, "dnsPolicy", "ClusterFirst");
    setDefault(spec, "schedulerName", "default-scheduler");
    setDefault(spec, "securityContext", Json::object());
    for (const char *list : {"containers", "initContainers"})
        if (spec.contains(list) && spec[list].is_array())
            for (Json &c : spec[list])
                defaultContainer(c);
    if (spec.contains("volumes") && spec["volumes"].is_array())
        for (Json &v : spec["volumes"]) {
            if (!v.is_object())
                continue;
            for (const char *source : {"configMap", "secret"})
                if (v.contains(source) && v[source].is_object())
                    setDefault(v[source], "defaultMode", 420);
        }
}

void defaultTemplate(Json &workload) {
    if (workload.contains("spec") && workload["spec"].contains("template") &&
        workload["spec"]["template"].is_object() && workload["spec"]["template"].contains("spec"))
        defaultPodSpec(workload["spec"]["template"]["spec"]);
}

std::string qosClass(const Json &spec) {
    bool any = false, guaranteed = true;
    for (const Json &c : spec.value("containers", Json::array())) {
        const Json &req = at(c, {"resources", "requests"});
        const Json &lim = at(c, {"resources", "limits"});
        for (const char *r : {"cpu", "memory"}) {
            bool hasReq = req.is_object() && req.contains(r);
            bool hasLim = lim.is_object() && lim.contains(r);
            any = any || hasReq || hasLim;
            if (!hasLim || (hasReq && req[r] != lim[r]))
                guaranteed = false;
        }
    }
    if (!any)
        return "BestEffort";
    return guaranteed ? "Guaranteed" : "Burstable";
}

std::string allocateClusterIp(Store &store) {
    std::set<std::string> used;
    for (const ObjectPtr &svc : store.list(resourceType("v1", "Service")))
        used.insert(str(*svc, {"spec", "clusterIP"}));
    for (int i = 10; i < 65000; ++i) {
        std::string ip = "10.96." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
        if (!used.count(ip))
            return ip;
    }
    throw ApiError::internal("the service cluster IP range is exhausted");
}

void validate(const ResourceType &type, const Json &object, const Json *old) {
    std::vector<manifest::FieldCause> causes =
        old ? manifest::validateUpdate(object, *old) : manifest::validateObject(object);
    if (causes.empty())
        return;
    std::vector<StatusCause> sc;
    sc.reserve(causes.size());
    for (const auto &c : causes)
        sc.push_back({c.reason, c.message, c.field});
    throw ApiError::invalid(type, nameOf(object), sc);
}

} // namespace

void applyDefaults(const ResourceType &type, Json &object) {
    if (!object.contains("spec") &&
        (type.kind == "Deployment" || type.kind == "ReplicaSet" || type.kind == "StatefulSet"))
        return; // validation reports the missing spec
    Json &spec = object["spec"];
    if (type.kind == "Pod") {
        defaultPodSpec(spec);
    } else if (type.kind == "Deployment") {
        setDefault(spec, "replicas", 1);
        setDefault(spec, "revisionHistoryLimit", 10);
        setDefault(spec, "progressDeadlineSeconds", 600);
        setDefault(spec, "strategy", Json::object());
        Json &strategy = spec["strategy"];
        if (strategy.is_object()) {
            setDefault(strategy, "type", "RollingUpdate");
            if (strategy["type"] == "RollingUpdate") {
                setDefault(strategy, "rollingUpdate", Json::object());
                setDefault(strategy["rollingUpdate"], "maxSurge", "25%");
                setDefault(strategy["rollingUpdate"], "maxUnavailable", "25%");
            }
        }
        defaultTemplate(object);
    } else if (type.kind == "ReplicaSet") {
        setDefault(spec, "replicas", 1);
        defaultTemplate(object);
    } else if (type.kind == "StatefulSet") {
        setDefault(spec, "replicas", 1);
        setDefault(spec, "podManagementPolicy", "OrderedReady");
        setDefault(spec, "revisionHistoryLimit", 10);
        setDefault(spec, "updateStrategy",
                   Json{{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 0}}}});
        defaultTemplate(object);
    } else if (type.kind == "Service") {
        setDefault(spec, "type", "ClusterIP");
        setDefault(spec, "sessionAffinity", "None");
        if (spec.contains("ports") && spec["ports"].is_array())
            for (Json &p : spec["ports"])
                if (p.is_object()) {
                    setDefault(p, "protocol", "TCP");
                    if (p.contains("port"))
                        setDefault(p, "targetPort", p["port"]);
                }
    } else if (type.kind == "HorizontalPodAutoscaler") {
        setDefault(spec, "minReplicas", 1);
    } else if (type.kind == "Namespace") {
        setDefault(spec, "finalizers", Json::array({"kubernetes"}));
    } else if (spec.is_object() && spec.empty()) {
        object.erase("spec"); // kinds without a spec (ConfigMap, Secret, Event, ...)
    }
}

void admitCreate(const ResourceType &type, Json &object, Store &store) {
    applyDefaults(type, object);
    if (type.kind == "Pod") {
        object["status"] = {{"phase", "Pending"},
                            {"qosClass", qosClass(object.value("spec", Json::object()))}};
    } else if (type.kind == "Namespace") {
        object["status"] = {{"phase", "Active"}};
    } else if (type.kind == "Service") {
        object["status"] = {{"loadBalancer", Json::object()}};
        Json &spec = object["spec"];
        if (spec.is_object() && spec.value("type", "") != "ExternalName") {
            if (!spec.contains("clusterIP") || spec["clusterIP"] == "")
                spec["clusterIP"] = allocateClusterIp(store);
            if (spec["clusterIP"] != "None")
                spec["clusterIPs"] = Json::array({spec["clusterIP"]});
            setDefault(spec, "ipFamilies", Json::array({"IPv4"}));
            setDefault(spec, "ipFamilyPolicy", "SingleStack");
        }
    } else if (type.hasStatus && type.kind != "Node") {
        object["status"] = Json::object();
    }
    validate(type, object, nullptr);
}

void admitUpdate(const ResourceType &type, Json &object, const Json &old) {
    applyDefaults(type, object);
    if (type.kind == "Service" && object.contains("spec") && old.contains("spec")) {
        // clusterIP is allocated once; an update that leaves it out keeps it.
        for (const char *k : {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"})
            if (!object["spec"].contains(k) && old["spec"].contains(k))
                object["spec"][k] = old["spec"][k];
    }
    validate(type, object, &old);
}

} // namespace kd::sandbox
