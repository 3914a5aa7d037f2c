#include "sandbox/tables.h"

#include "sandbox/clock.h"
#include "sandbox/resources.h"

#include <cmath>

namespace kd::sandbox {

namespace {

Json column(const char *name, const char *type, int priority = 0, const char *format = "") {
    return {{"name", name},
            {"type", type},
            {"format", format},
            {"description", ""},
            {"priority", priority}};
}

std::string age(const Json &obj, double now) {
    std::string ts = str(obj, {"metadata", "creationTimestamp"});
    if (ts.empty())
        return "<unknown>";
    return humanDuration(now - Clock::parseRfc3339(ts, now));
}

std::string joinStrings(const std::vector<std::string> &parts, const char *sep = ",") {
    std::string out;
    for (const auto &p : parts)
        out += (out.empty() ? "" : sep) + p;
    return out;
}

std::string orNone(const std::string &s) {
    return s.empty() ? "<none>" : s;
}

std::string selectorText(const Json &selector) {
    std::vector<std::string> parts;
    const Json &ml = at(selector, {"matchLabels"});
    if (ml.is_object())
        for (auto it = ml.begin(); it != ml.end(); ++it)
            parts.push_back(
                it.key() + "=" +
                (it.value().is_string() ? it.value().get<std::string>() : it.value().dump()));
    return joinStrings(parts);
}

std::pair<std::string, std::string> containersAndImages(const Json &podSpec) {
    std::vector<std::string> names, images;
    for (const Json &c : podSpec.value("containers", Json::array())) {
        names.push_back(c.value("name", ""));
        images.push_back(c.value("image", ""));
    }
    return {joinStrings(names), joinStrings(images)};
}

std::string podStatus(const Json &pod) {
    std::string reason = str(pod, {"status", "reason"});
    if (reason.empty())
        reason = str(pod, {"status", "phase"}, "Unknown");
    bool initializing = false;
    int i = 0;
    for (const Json &cs : at(pod, {"status", "initContainerStatuses"}).is_array()
                              ? at(pod, {"status", "initContainerStatuses"})
                              : Json::array()) {
        const Json &term = at(cs, {"state", "terminated"});
        if (term.is_object() && term.value("exitCode", 0) == 0) {
            ++i;
            continue;
        }
        std::string w = str(cs, {"state", "waiting", "reason"});
        reason = !w.empty() && w != "PodInitializing"
                     ? "Init:" + w
                     : "Init:" + std::to_string(i) + "/" +
                           std::to_string(at(pod, {"spec", "initContainers"}).size());
        initializing = true;
        break;
    }
    if (!initializing) {
        bool hasRunning = false;
        const Json &statuses = at(pod, {"status", "containerStatuses"});
        if (statuses.is_array())
            for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
                std::string w = str(*it, {"state", "waiting", "reason"});
                const Json &term = at(*it, {"state", "terminated"});
                if (!w.empty())
                    reason = w;
                else if (term.is_object())
                    reason = term.value("reason", std::string()).empty()
                                 ? "ExitCode:" + std::to_string(term.value("exitCode", 0))
                                 : term.value("reason", std::string());
                else if (at(*it, {"state", "running"}).is_object() && it->value("ready", false))
                    hasRunning = true;
            }
        if (reason == "Completed" && hasRunning)
            reason = "Running";
    }
    if (!at(pod, {"metadata", "deletionTimestamp"}).is_null())
        reason = "Terminating";
    return reason;
}

Json podCells(const Json &pod) {
    int ready = 0, total = 0, restarts = 0;
    const Json &statuses = at(pod, {"status", "containerStatuses"});
    total = static_cast<int>(at(pod, {"spec", "containers"}).size());
    if (statuses.is_array())
        for (const Json &cs : statuses) {
            ready += cs.value("ready", false) ? 1 : 0;
            restarts += cs.value("restartCount", 0);
        }
    return {std::to_string(ready) + "/" + std::to_string(total), podStatus(pod), restarts};
}

std::string servicePorts(const Json &svc) {
    std::vector<std::string> parts;
    for (const Json &p :
         at(svc, {"spec", "ports"}).is_array() ? at(svc, {"spec", "ports"}) : Json::array()) {
        std::string s = std::to_string(p.value("port", 0));
        if (p.contains("nodePort"))
            s += ":" + std::to_string(p.value("nodePort", 0));
        parts.push_back(s + "/" + p.value("protocol", "TCP"));
    }
    return orNone(joinStrings(parts));
}

std::string nodeStatus(const Json &node) {
    std::string status = "Unknown";
    for (const Json &c : at(node, {"status", "conditions"}).is_array()
                             ? at(node, {"status", "conditions"})
                             : Json::array())
        if (c.value("type", "") == "Ready")
            status = c.value("status", "") == "True" ? "Ready" : "NotReady";
    if (at(node, {"spec", "unschedulable"}) == true)
        status += ",SchedulingDisabled";
    return status;
}

std::string nodeRoles(const Json &node) {
    std::vector<std::string> roles;
    const Json &labels = at(node, {"metadata", "labels"});
    if (labels.is_object())
        for (auto it = labels.begin(); it != labels.end(); ++it)
            if (it.key().rfind("node-role.kubernetes.io/", 0) == 0)
                roles.push_back(it.key().substr(24));
    return orNone(joinStrings(roles));
}

std::string nodeAddress(const Json &node, const char *type) {
    for (const Json &a : at(node, {"status", "addresses"}).is_array()
                             ? at(node, {"status", "addresses"})
                             : Json::array())
        if (a.value("type", "") == type)
            return a.value("address", "");
    return "<none>";
}

std::string intOrNone(const Json &v) {
    if (v.is_null())
        return "N/A";
    return v.is_string() ? v.get<std::string>() : v.dump();
}

} // namespace

bool acceptsTable(const std::string &accept) {
    return accept.find("as=Table") != std::string::npos;
}

IncludeObject parseIncludeObject(const std::string &value) {
    if (value == "None")
        return IncludeObject::None;
    if (value == "Object")
        return IncludeObject::Object;
    return IncludeObject::Metadata;
}

std::string humanDuration(double seconds) {
    long long s = static_cast<long long>(std::floor(seconds));
    if (s < -1)
        return "<invalid>";
    if (s < 0)
        return "0s";
    if (s < 120)
        return std::to_string(s) + "s";
    long long m = s / 60;
    if (m < 10)
        return s % 60 == 0 ? std::to_string(m) + "m"
                           : std::to_string(m) + "m" + std::to_string(s % 60) + "s";
    if (m < 180)
        return std::to_string(m) + "m";
    long long h = m / 60;
    if (h < 8)
        return m % 60 == 0 ? std::to_string(h) + "h"
                           : std::to_string(h) + "h" + std::to_string(m % 60) + "m";
    if (h < 48)
        return std::to_string(h) + "h";
    if (h < 24 * 8)
        return h % 24 == 0 ? std::to_string(h / 24) + "d"
                           : std::to_string(h / 24) + "d" + std::to_string(h % 24) + "h";
    if (h < 24 * 365 * 2)
        return std::to_string(h / 24) + "d";
    if (h < 24 * 365 * 8)
        return std::to_string(h / 24 / 365) + "y" + std::to_string((h / 24) % 365) + "d";
    return std::to_string(h / 24 / 365) + "y";
}

Json tableColumns(const ResourceType &type) {
    const std::string &k = type.kind;
    Json cols = Json::array({column("Name", "string", 0, "name")});
    auto add = [&](std::initializer_list<Json> more) {
        for (const Json &c : more)
            cols.push_back(c);
    };
    if (k == "Pod")
        add({column("Ready", "string"), column("Status", "string"), column("Restarts", "integer"),
             column("Age", "string"), column("IP", "string", 1), column("Node", "string", 1),
             column("Nominated Node", "string", 1), column("Readiness Gates", "string", 1)});
    else if (k == "Deployment")
        add({column("Ready", "string"), column("Up-to-date", "integer"),
             column("Available", "integer"), column("Age", "string"),
             column("Containers", "string", 1), column("Images", "string", 1),
             column("Selector", "string", 1)});
    else if (k == "ReplicaSet")
        add({column("Desired", "integer"), column("Current", "integer"), column("Ready", "integer"),
             column("Age", "string"), column("Containers", "string", 1),
             column("Images", "string", 1), column("Selector", "string", 1)});
    else if (k == "StatefulSet")
        add({column("Ready", "string"), column("Age", "string"), column("Containers", "string", 1),
             column("Images", "string", 1)});
    else if (k == "Service")
        add({column("Type", "string"), column("Cluster-IP", "string"),
             column("External-IP", "string"), column("Port(s)", "string"), column("Age", "string"),
             column("Selector", "string", 1)});
    else if (k == "Node")
        add({column("Status", "string"), column("Roles", "string"), column("Age", "string"),
             column("Version", "string"), column("Internal-IP", "string", 1),
             column("External-IP", "string", 1), column("OS-Image", "string", 1),
             column("Kernel-Version", "string", 1), column("Container-Runtime", "string", 1)});
    else if (k == "Namespace")
        add({column("Status", "string"), column("Age", "string")});
    else if (k == "Ingress")
        add({column("Class", "string"), column("Hosts", "string"), column("Address", "string"),
             column("Ports", "string"), column("Age", "string")});
    else if (k == "HorizontalPodAutoscaler")
        add({column("Reference", "string"), column("Targets", "string"),
             column("MinPods", "string"), column("MaxPods", "integer"),
             column("Replicas", "integer"), column("Age", "string")});
    else if (k == "PodDisruptionBudget")
        add({column("Min Available", "string"), column("Max Unavailable", "string"),
             column("Allowed Disruptions", "integer"), column("Age", "string")});
    else if (k == "Endpoints")
        add({column("Endpoints", "string"), column("Age", "string")});
    else if (k == "EndpointSlice")
        add({column("AddressType", "string"), column("Ports", "string"),
             column("Endpoints", "string"), column("Age", "string")});
    else if (k == "Event")
        cols = Json::array({column("Last Seen", "string"), column("Type", "string"),
                            column("Reason", "string"), column("Object", "string"),
                            column("Message", "string"), column("Name", "string", 1, "name")});
    else if (k == "ConfigMap")
        add({column("Data", "integer"), column("Age", "string")});
    else if (k == "Secret")
        add({column("Type", "string"), column("Data", "integer"), column("Age", "string")});
    else if (k == "IngressClass")
        add({column("Controller", "string"), column("Parameters", "string"),
             column("Age", "string")});
    else
        add({column("Age", "string")});
    return cols;
}

Json tableRow(const ResourceType &type, const Json &o, double now, IncludeObject include) {
    const std::string &k = type.kind;
    Json cells = Json::array({nameOf(o)});
    auto add = [&](std::initializer_list<Json> more) {
        for (const Json &c : more)
            cells.push_back(c);
    };
    const Json &spec = at(o, {"spec"});
    const Json &status = at(o, {"status"});
    if (k == "Pod") {
        for (const Json &c : podCells(o))
            cells.push_back(c);
        add({age(o, now), orNone(str(o, {"status", "podIP"})), orNone(str(o, {"spec", "nodeName"})),
             "<none>", "<none>"});
    } else if (k == "Deployment") {
        auto [names, images] = containersAndImages(at(o, {"spec", "template", "spec"}));
        add({std::to_string(integer(status, {"readyReplicas"})) + "/" +
                 std::to_string(integer(spec, {"replicas"}, 1)),
             integer(status, {"updatedReplicas"}), integer(status, {"availableReplicas"}),
             age(o, now), names, images, selectorText(at(spec, {"selector"}))});
    } else if (k == "ReplicaSet") {
        auto [names, images] = containersAndImages(at(o, {"spec", "template", "spec"}));
        add({integer(spec, {"replicas"}, 1), integer(status, {"replicas"}),
             integer(status, {"readyReplicas"}), age(o, now), names, images,
             selectorText(at(spec, {"selector"}))});
    } else if (k == "StatefulSet") {
        auto [names, images] = containersAndImages(at(o, {"spec", "template", "spec"}));
        add({std::to_string(integer(status, {"readyReplicas"})) + "/" +
                 std::to_string(integer(spec, {"replicas"}, 1)),
             age(o, now), names, images});
    } else if (k == "Service") {
        std::string sel;
        const Json &s = at(spec, {"selector"});
        if (s.is_object())
            for (auto it = s.begin(); it != s.end(); ++it)
                sel += (sel.empty() ? "" : ",") + it.key() + "=" +
                       (it.value().is_string() ? it.value().get<std::string>() : "");
        add({str(spec, {"type"}, "ClusterIP"), orNone(str(spec, {"clusterIP"})), "<none>",
             servicePorts(o), age(o, now), orNone(sel)});
    } else if (k == "Node") {
        add({nodeStatus(o), nodeRoles(o), age(o, now), str(status, {"nodeInfo", "kubeletVersion"}),
             nodeAddress(o, "InternalIP"), nodeAddress(o, "ExternalIP"),
             str(status, {"nodeInfo", "osImage"}), str(status, {"nodeInfo", "kernelVersion"}),
             str(status, {"nodeInfo", "containerRuntimeVersion"})});
    } else if (k == "Namespace") {
        add({str(status, {"phase"}, "Active"), age(o, now)});
    } else if (k == "Ingress") {
        std::vector<std::string> hosts;
        for (const Json &r : at(spec, {"rules"}).is_array() ? at(spec, {"rules"}) : Json::array())
            hosts.push_back(r.value("host", "*"));
        add({orNone(str(spec, {"ingressClassName"})), hosts.empty() ? "*" : joinStrings(hosts), "",
             at(spec, {"tls"}).is_array() && !at(spec, {"tls"}).empty() ? "80, 443" : "80",
             age(o, now)});
    } else if (k == "HorizontalPodAutoscaler") {
        std::string targets;
        const Json &metrics = at(spec, {"metrics"});
        const Json &current = at(status, {"currentMetrics"});
        for (std::size_t i = 0; metrics.is_array() && i < metrics.size(); ++i) {
            const Json &target = at(metrics[i], {"resource", "target", "averageUtilization"});
            const Json &cur = current.is_array() && i < current.size()
                                  ? at(current[i], {"resource", "current", "averageUtilization"})
                                  : Json();
            targets += (targets.empty() ? "" : ", ") +
                       (cur.is_null() ? std::string("<unknown>") : cur.dump() + "%") + "/" +
                       (target.is_null() ? std::string("<unknown>") : target.dump() + "%");
        }
        add({str(spec, {"scaleTargetRef", "kind"}) + "/" + str(spec, {"scaleTargetRef", "name"}),
             orNone(targets), std::to_string(integer(spec, {"minReplicas"}, 1)),
             integer(spec, {"maxReplicas"}), integer(status, {"currentReplicas"}), age(o, now)});
    } else if (k == "PodDisruptionBudget") {
        add({intOrNone(at(spec, {"minAvailable"})), intOrNone(at(spec, {"maxUnavailable"})),
             integer(status, {"disruptionsAllowed"}), age(o, now)});
    } else if (k == "Endpoints") {
        std::vector<std::string> eps;
        for (const Json &s : at(o, {"subsets"}).is_array() ? at(o, {"subsets"}) : Json::array())
            for (const Json &a : s.value("addresses", Json::array()))
                for (const Json &p : s.value("ports", Json::array()))
                    eps.push_back(a.value("ip", "") + ":" + std::to_string(p.value("port", 0)));
        if (eps.size() > 3)
            eps = {eps[0] + "," + eps[1] + "," + eps[2] + " + " + std::to_string(eps.size() - 3) +
                   " more..."};
        add({orNone(joinStrings(eps)), age(o, now)});
    } else if (k == "EndpointSlice") {
        std::vector<std::string> ports, addrs;
        for (const Json &p : at(o, {"ports"}).is_array() ? at(o, {"ports"}) : Json::array())
            ports.push_back(std::to_string(p.value("port", 0)));
        for (const Json &e : at(o, {"endpoints"}).is_array() ? at(o, {"endpoints"}) : Json::array())
            for (const Json &a : e.value("addresses", Json::array()))
                addrs.push_back(a.get<std::string>());
        add({str(o, {"addressType"}, "IPv4"), orNone(joinStrings(ports)),
             orNone(joinStrings(addrs)), age(o, now)});
    } else if (k == "Event") {
        std::string last = str(o, {"lastTimestamp"});
        std::string objectRef = str(o, {"involvedObject", "kind"});
        for (auto &ch : objectRef)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        cells = Json::array(
            {last.empty() ? "<unknown>" : humanDuration(now - Clock::parseRfc3339(last, now)),
             str(o, {"type"}), str(o, {"reason"}),
             objectRef + "/" + str(o, {"involvedObject", "name"}), str(o, {"message"}), nameOf(o)});
    } else if (k == "ConfigMap") {
        add({static_cast<long long>(at(o, {"data"}).size() + at(o, {"binaryData"}).size()),
             age(o, now)});
    } else if (k == "Secret") {
        add({str(o, {"type"}, "Opaque"), static_cast<long long>(at(o, {"data"}).size()),
             age(o, now)});
    } else if (k == "IngressClass") {
        add({str(spec, {"controller"}), "<none>", age(o, now)});
    } else {
        add({age(o, now)});
    }
    Json row{{"cells", std::move(cells)}};
    if (include == IncludeObject::Object) {
        row["object"] = o;
    } else if (include == IncludeObject::Metadata) {
        Json m = at(o, {"metadata"});
        m.erase("managedFields");
        row["object"] = {{"kind", "PartialObjectMetadata"},
                         {"apiVersion", "meta.k8s.io/v1"},
                         {"metadata", std::move(m)}};
    }
    return row;
}

std::string tableJson(const ResourceType &type, const std::vector<ObjectPtr> &objects, double now,
                      IncludeObject include, const Json &listMeta) {
    std::string out = R"({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":)" +
                      listMeta.dump() + R"(,"columnDefinitions":)" + tableColumns(type).dump() +
                      R"(,"rows":[)";
    bool first = true;
    for (const ObjectPtr &o : objects) {
        if (!first)
            out += ',';
        first = false;
        out += tableRow(type, *o, now, include).dump();
    }
    out += "]}";
    return out;
}

} // namespace kd::sandbox
