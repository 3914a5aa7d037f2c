#pragma once
// A sandbox Cluster on a manual clock with helpers to create objects as a client would, delete
// them as the API server does, and read back objects and events. For the node-side controller
// tests (scheduler, kubelet, endpoints, HPA, garbage collector).

#include "sandbox/admission.h"
#include "sandbox/cluster.h"
#include "sandbox/resources.h"

#include <QTest>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace kd::testing {

using namespace kd::sandbox;

inline constexpr double kStart = 1'800'000'000;

inline const ResourceType &typeOf(const Json &obj) {
    return resourceType(obj.value("apiVersion", ""), obj.value("kind", ""));
}

class Sim {
public:
    Sim() { cluster.settle(); }

    Cluster cluster{Cluster::Options{Clock::Mode::Manual, 1.0, kStart}};

    double elapsed() { return cluster.clock().now() - kStart; }
    // Runs the cluster until `seconds` after the start.
    void until(double seconds, double tick = 0.1) {
        cluster.step(std::max(0.0, seconds - elapsed()), tick);
    }

    Json create(Json obj) {
        const ResourceType &type = typeOf(obj);
        admitCreate(type, obj, cluster.store());
        Json stored = *cluster.store().create(type, std::move(obj));
        cluster.settle();
        return stored;
    }
    void addNode(const std::string &name, Json allocatable) {
        Json node{{"apiVersion", "v1"},
                  {"kind", "Node"},
                  {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
                  {"status",
                   {{"capacity", allocatable},
                    {"allocatable", allocatable},
                    {"addresses",
                     {{{"type", "InternalIP"},
                       {"address", "172.18.0." + std::to_string(m_nodes++ + 2)}}}},
                    {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
        cluster.store().create(resourceType("v1", "Node"), node);
    }
    Json get(const char *apiVersion, const char *kind, const std::string &name,
             const std::string &ns = "default") {
        ObjectPtr o = cluster.store().get(resourceType(apiVersion, kind), ns, name);
        return o ? *o : Json();
    }
    Json pod(const std::string &name) { return get("v1", "Pod", name); }
    void edit(const char *apiVersion, const char *kind, const std::string &name,
              const std::function<void(Json &)> &f) {
        Json o = get(apiVersion, kind, name);
        f(o);
        cluster.store().update(resourceType(apiVersion, kind), std::move(o), WritePart::Main);
        cluster.settle();
    }
    // DELETE as the API server does it: finalizers for Orphan/Foreground, graceful pods.
    void remove(const char *apiVersion, const char *kind, const std::string &name,
                const std::string &policy = {}) {
        Json o = get(apiVersion, kind, name);
        const ResourceType &type = resourceType(apiVersion, kind);
        if (policy.empty() && std::string(kind) != "Pod") {
            cluster.store().remove(type, "default", name);
        } else {
            if (!policy.empty())
                o["metadata"]["finalizers"] = {policy == "Orphan" ? "orphan"
                                                                  : "foregroundDeletion"};
            else
                o["metadata"]["deletionGracePeriodSeconds"] = 30;
            o["metadata"]["deletionTimestamp"] = cluster.clock().nowRfc3339();
            cluster.store().update(type, std::move(o), WritePart::Everything);
        }
        cluster.settle();
    }
    std::vector<Json> list(const char *apiVersion, const char *kind) {
        std::vector<Json> out;
        for (const ObjectPtr &o : cluster.store().list(resourceType(apiVersion, kind)))
            out.push_back(*o);
        return out;
    }
    // Events about `name`, oldest first: "reason: message".
    std::vector<std::string> events(const std::string &name) {
        std::vector<Json> all = list("v1", "Event");
        std::sort(all.begin(), all.end(), [](const Json &a, const Json &b) {
            const std::string na = nameOf(a), nb = nameOf(b);
            return na.substr(na.rfind('.') + 1) < nb.substr(nb.rfind('.') + 1);
        });
        std::vector<std::string> out;
        for (const Json &e : all)
            if (str(e, {"involvedObject", "name"}) == name)
                out.push_back(e.value("reason", "") + ": " + e.value("message", ""));
        return out;
    }
    long long eventCount(const std::string &name, const std::string &reason) {
        for (const Json &e : list("v1", "Event"))
            if (str(e, {"involvedObject", "name"}) == name && e.value("reason", "") == reason)
                return e.value("count", 0LL);
        return 0;
    }

private:
    int m_nodes = 0;
};

inline Json podObject(const std::string &name, const std::string &image,
                      Json resources = Json::object(), Json labels = Json::object()) {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", labels}}},
            {"spec",
             {{"containers",
               {{{"name", "main"},
                 {"image", image},
                 {"ports", {{{"name", "http"}, {"containerPort", 8080}}}},
                 {"resources", resources}}}}}}};
}

inline std::string condition(const Json &obj, const std::string &type,
                             const char *field = "status") {
    for (const Json &c : at(obj, {"status", "conditions"}))
        if (c.value("type", "") == type)
            return c.value(field, "");
    return {};
}

// QCOMPARE cannot print nlohmann::json; its text can.
inline std::string dumped(const Json &j) {
    return j.dump();
}

inline Json serviceObject() {
    return Json::parse(R"({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "labels": {"tier": "front"}},
        "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}})");
}

inline Json gpuLimits(int n) {
    return {{"limits", {{"nvidia.com/gpu", n}}}};
}

inline Json gpuAllocatable() {
    return {{"cpu", "8"}, {"memory", "32Gi"}, {"pods", "110"}, {"nvidia.com/gpu", "1"}};
}

} // namespace kd::testing
