#include "sandbox/controllers/endpoints_desired.h"

#include <algorithm>
#include <map>

namespace kd::sandbox {

namespace {

bool isReady(const Json &pod) {
    const Json &conditions = at(pod, {"status", "conditions"});
    if (conditions.is_array())
        for (const Json &c : conditions)
            if (str(c, {"type"}) == "Ready")
                return str(c, {"status"}) == "True";
    return false;
}

bool isTerminal(const Json &pod) {
    const std::string phase = str(pod, {"status", "phase"});
    return phase == "Succeeded" || phase == "Failed";
}

bool flag(const Json &obj, std::initializer_list<const char *> path) {
    const Json &v = at(obj, path);
    return v.is_boolean() && v.get<bool>();
}

Json targetRef(const Json &pod) {
    return {{"kind", "Pod"},
            {"namespace", namespaceOf(pod)},
            {"name", nameOf(pod)},
            {"uid", uidOf(pod)}};
}

// The pod's DNS hostname under a headless service: spec.hostname when spec.subdomain names it.
std::string hostnameFor(const Json &pod, const Json &service) {
    std::string hostname = str(pod, {"spec", "hostname"});
    if (!hostname.empty() && str(pod, {"spec", "subdomain"}) == nameOf(service))
        return hostname;
    return {};
}

// The service's ports resolved for one pod, sorted, in Endpoints form (name omitted when empty)
// or EndpointSlice form (name always present). `ok` is false when the pod serves none of them.
Json resolvedPorts(const Json &service, const Json &pod, bool sliceForm, bool *ok) {
    Json ports = Json::array();
    const Json &servicePorts = at(service, {"spec", "ports"});
    *ok = true;
    if (!servicePorts.is_array() || servicePorts.empty()) {
        // Only a headless service lists addresses without ports.
        *ok = str(service, {"spec", "clusterIP"}) == "None";
        return ports;
    }
    for (const Json &sp : servicePorts) {
        std::optional<long long> port = resolveTargetPort(sp, pod);
        if (!port)
            continue;
        Json p{{"port", *port}, {"protocol", str(sp, {"protocol"}, "TCP")}};
        std::string name = str(sp, {"name"});
        if (sliceForm || !name.empty())
            p["name"] = name;
        if (at(sp, {"appProtocol"}).is_string())
            p["appProtocol"] = at(sp, {"appProtocol"});
        ports.push_back(std::move(p));
    }
    std::sort(ports.begin(), ports.end(), [](const Json &a, const Json &b) {
        return std::make_pair(a.value("name", std::string()), a.value("port", 0LL)) <
               std::make_pair(b.value("name", std::string()), b.value("port", 0LL));
    });
    *ok = !ports.empty();
    return ports;
}

Json baseLabels(const Json &service) {
    Json labels = at(service, {"metadata", "labels"}).is_object()
                      ? at(service, {"metadata", "labels"})
                      : Json::object();
    if (str(service, {"spec", "clusterIP"}) == "None")
        labels["service.kubernetes.io/headless"] = "";
    return labels;
}

bool byIp(const Json &a, const Json &b) {
    std::string ia =
        a.contains("ip") ? a["ip"].get<std::string>() : a["addresses"][0].get<std::string>();
    std::string ib =
        b.contains("ip") ? b["ip"].get<std::string>() : b["addresses"][0].get<std::string>();
    if (ia != ib)
        return ia < ib;
    return str(a, {"targetRef", "uid"}) < str(b, {"targetRef", "uid"});
}

} // namespace

std::optional<long long> resolveTargetPort(const Json &servicePort, const Json &pod) {
    const Json &target = at(servicePort, {"targetPort"});
    if (target.is_null())
        return integer(servicePort, {"port"});
    if (target.is_number_integer())
        return target.get<long long>();
    if (!target.is_string())
        return std::nullopt;
    const std::string name = target.get<std::string>();
    const std::string protocol = str(servicePort, {"protocol"}, "TCP");
    const Json &containers = at(pod, {"spec", "containers"});
    if (containers.is_array())
        for (const Json &c : containers) {
            const Json &ports = at(c, {"ports"});
            if (!ports.is_array())
                continue;
            for (const Json &p : ports)
                if (str(p, {"name"}) == name && str(p, {"protocol"}, "TCP") == protocol)
                    return integer(p, {"containerPort"});
        }
    return std::nullopt;
}

Json desiredEndpoints(const Json &service, const std::vector<ObjectPtr> &pods) {
    const bool publishNotReady = flag(service, {"spec", "publishNotReadyAddresses"});
    struct Subset {
        Json ports;
        std::vector<Json> ready, notReady;
    };
    std::map<std::string, Subset> subsets; // by port set
    for (const ObjectPtr &p : pods) {
        const Json &pod = *p;
        const std::string ip = str(pod, {"status", "podIP"});
        const bool terminating = !at(pod, {"metadata", "deletionTimestamp"}).is_null();
        if (ip.empty() || isTerminal(pod) || (terminating && !publishNotReady))
            continue;
        bool ok = false;
        Json ports = resolvedPorts(service, pod, false, &ok);
        if (!ok)
            continue;
        Json address{{"ip", ip}, {"targetRef", targetRef(pod)}};
        if (std::string node = str(pod, {"spec", "nodeName"}); !node.empty())
            address["nodeName"] = node;
        if (std::string hostname = hostnameFor(pod, service); !hostname.empty())
            address["hostname"] = hostname;
        Subset &s = subsets[ports.dump()];
        s.ports = std::move(ports);
        (publishNotReady || isReady(pod) ? s.ready : s.notReady).push_back(std::move(address));
    }
    Json labels = baseLabels(service);
    labels[kEndpointsManagedByLabel] = kEndpointsControllerName;
    Json out{
        {"apiVersion", "v1"},
        {"kind", "Endpoints"},
        {"metadata",
         {{"name", nameOf(service)}, {"namespace", namespaceOf(service)}, {"labels", labels}}}};
    Json list = Json::array();
    for (auto &[key, s] : subsets) {
        Json subset = Json::object();
        std::sort(s.ready.begin(), s.ready.end(), byIp);
        std::sort(s.notReady.begin(), s.notReady.end(), byIp);
        if (!s.ready.empty())
            subset["addresses"] = s.ready;
        if (!s.notReady.empty())
            subset["notReadyAddresses"] = s.notReady;
        if (!s.ports.empty())
            subset["ports"] = s.ports;
        list.push_back(std::move(subset));
    }
    if (!list.empty())
        out["subsets"] = std::move(list);
    return out;
}

std::vector<Json> desiredSlices(const Json &service, const std::vector<ObjectPtr> &pods,
                                const std::unordered_map<std::string, std::string> &zones) {
    const bool publishNotReady = flag(service, {"spec", "publishNotReadyAddresses"});
    std::map<std::string, std::pair<Json, std::vector<Json>>>
        groups; // port set -> (ports, endpoints)
    for (const ObjectPtr &p : pods) {
        const Json &pod = *p;
        const std::string ip = str(pod, {"status", "podIP"});
        if (ip.empty() || isTerminal(pod))
            continue;
        bool ok = false;
        Json ports = resolvedPorts(service, pod, true, &ok);
        if (!ok)
            continue;
        const bool terminating = !at(pod, {"metadata", "deletionTimestamp"}).is_null();
        const bool ready = isReady(pod);
        Json endpoint{{"addresses", Json::array({ip})},
                      {"conditions",
                       {{"ready", publishNotReady || (ready && !terminating)},
                        {"serving", publishNotReady || ready},
                        {"terminating", terminating}}},
                      {"targetRef", targetRef(pod)}};
        std::string node = str(pod, {"spec", "nodeName"});
        if (!node.empty()) {
            endpoint["nodeName"] = node;
            if (auto zone = zones.find(node); zone != zones.end())
                endpoint["zone"] = zone->second;
        }
        if (std::string hostname = hostnameFor(pod, service); !hostname.empty())
            endpoint["hostname"] = hostname;
        auto &group = groups[ports.dump()];
        group.first = std::move(ports);
        group.second.push_back(std::move(endpoint));
    }

    Json labels = baseLabels(service);
    labels[kServiceNameLabel] = nameOf(service);
    labels[kManagedByLabel] = kSliceControllerName;
    Json owner{{"apiVersion", "v1"},    {"kind", "Service"},  {"name", nameOf(service)},
               {"uid", uidOf(service)}, {"controller", true}, {"blockOwnerDeletion", true}};
    auto makeSlice = [&](Json ports, Json endpoints) {
        return Json{{"apiVersion", "discovery.k8s.io/v1"},
                    {"kind", "EndpointSlice"},
                    {"metadata",
                     {{"generateName", nameOf(service) + "-"},
                      {"namespace", namespaceOf(service)},
                      {"labels", labels},
                      {"ownerReferences", Json::array({owner})}}},
                    {"addressType", "IPv4"},
                    {"endpoints", std::move(endpoints)},
                    {"ports", std::move(ports)}};
    };
    std::vector<Json> out;
    for (auto &[key, group] : groups) {
        std::sort(group.second.begin(), group.second.end(), byIp);
        for (std::size_t i = 0; i < group.second.size(); i += kMaxEndpointsPerSlice) {
            std::size_t end = std::min(group.second.size(), i + kMaxEndpointsPerSlice);
            out.push_back(
                makeSlice(group.first,
                          Json(std::vector<Json>(group.second.begin() + static_cast<long>(i),
                                                 group.second.begin() + static_cast<long>(end)))));
        }
    }
    if (out.empty())
        out.push_back(
            makeSlice(Json::array(), Json::array())); // upstream keeps one empty slice
    return out;
}

} // namespace kd::sandbox
