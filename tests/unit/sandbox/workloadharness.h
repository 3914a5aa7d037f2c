#pragma once
// A store, a manual clock and the workload controllers (Deployment, ReplicaSet, StatefulSet),
// with the scheduler and kubelet played by hand: tests decide which pod becomes Ready when and
// when a terminating pod is gone, so every intermediate state can be checked.

#include "sandbox/admission.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kd::testing {

using sandbox::Json;
using sandbox::ObjectPtr;

class WorkloadHarness {
public:
    WorkloadHarness() {
        m_controllers.push_back(sandbox::makeDeploymentController());
        m_controllers.push_back(sandbox::makeReplicaSetController());
        m_controllers.push_back(sandbox::makeStatefulSetController());
    }

    sandbox::Clock clock{sandbox::Clock::Mode::Manual, 1.0, 1'800'000'000};
    sandbox::Store store{clock};
    sandbox::EventRecorder events{store, clock};

    static const sandbox::ResourceType &type(const char *kind) {
        if (std::string(kind) == "Pod")
            return sandbox::resourceType("v1", "Pod");
        if (std::string(kind) == "Event")
            return sandbox::resourceType("v1", "Event");
        return sandbox::resourceType("apps/v1", kind);
    }

    // One pass of every controller; returns the earliest time one of them asked for.
    double pass() {
        sandbox::ControllerContext ctx{store, clock, events, clock.now()};
        double next = sandbox::Controller::never;
        for (auto &c : m_controllers)
            next = std::min(next, c->reconcile(ctx));
        return next;
    }
    // Passes until one writes nothing.
    double settle(int maxPasses = 100) {
        double next = sandbox::Controller::never;
        for (int i = 0; i < maxPasses; ++i) {
            const auto rv = store.resourceVersion();
            next = pass();
            if (store.resourceVersion() == rv)
                break;
        }
        return next;
    }

    Json create(const char *kind, Json object) {
        sandbox::admitCreate(type(kind), object, store);
        return *store.create(type(kind), std::move(object));
    }
    Json get(const char *kind, const std::string &name, const std::string &ns = "default") {
        ObjectPtr o = store.get(type(kind), ns, name);
        return o ? *o : Json();
    }
    // A client's update of the main resource (spec, metadata): defaults, then a stored write.
    void edit(const char *kind, const std::string &name,
              const std::function<void(Json &)> &change) {
        Json o = get(kind, name);
        change(o);
        sandbox::applyDefaults(type(kind), o);
        store.update(type(kind), std::move(o));
    }
    std::vector<Json> list(const char *kind) {
        std::vector<Json> out;
        for (const ObjectPtr &o : store.list(type(kind)))
            out.push_back(*o);
        return out;
    }
    std::vector<Json> podsWithPrefix(const std::string &prefix) {
        std::vector<Json> out;
        for (const Json &p : list("Pod"))
            if (sandbox::nameOf(p).rfind(prefix, 0) == 0)
                out.push_back(p);
        return out;
    }

    static bool terminating(const Json &o) {
        return !sandbox::at(o, {"metadata", "deletionTimestamp"}).is_null();
    }
    static bool ready(const Json &pod) {
        const Json &conds = sandbox::at(pod, {"status", "conditions"});
        if (conds.is_array())
            for (const Json &c : conds)
                if (c.value("type", "") == "Ready")
                    return c.value("status", "") == "True";
        return false;
    }

    // The scheduler and kubelet by hand: bind to node-1, Running, Ready or not.
    void runPod(const Json &pod, bool isReady) {
        Json next = pod;
        next["spec"]["nodeName"] = "node-1";
        next["status"]["phase"] = "Running";
        const std::string now = clock.nowRfc3339();
        next["status"]["conditions"] = Json::array(
            {{{"type", "PodScheduled"}, {"status", "True"}, {"lastTransitionTime", now}},
             {{"type", "Ready"},
              {"status", isReady ? "True" : "False"},
              {"lastTransitionTime", now}}});
        store.update(type("Pod"), std::move(next), sandbox::WritePart::Everything);
    }
    // Every pod not yet running starts; `readyIf` decides readiness.
    int startPending(const std::function<bool(const Json &)> &readyIf = [](const Json &) {
        return true;
    }) {
        int started = 0;
        for (const Json &p : list("Pod"))
            if (!terminating(p) && sandbox::str(p, {"status", "phase"}) != "Running") {
                runPod(p, readyIf(p));
                ++started;
            }
        return started;
    }
    // Running pods that are not Ready and pass `pick` become Ready now.
    int makeReady(const std::function<bool(const Json &)> &pick) {
        int changed = 0;
        for (const Json &p : list("Pod"))
            if (!terminating(p) && sandbox::str(p, {"status", "phase"}) == "Running" && !ready(p) &&
                pick(p)) {
                runPod(p, true);
                ++changed;
            }
        return changed;
    }
    // The kubelet finishing graceful deletions.
    int finishTerminating() {
        int removed = 0;
        for (const Json &p : list("Pod"))
            if (terminating(p)) {
                store.remove(type("Pod"), sandbox::namespaceOf(p), sandbox::nameOf(p));
                ++removed;
            }
        return removed;
    }

    std::vector<std::string> eventMessages(const std::string &reason) {
        std::vector<Json> all = list("Event");
        std::sort(all.begin(), all.end(), [](const Json &a, const Json &b) {
            // Event names end in ".<16 hex digits of a counter>": their creation order.
            const std::string na = sandbox::nameOf(a), nb = sandbox::nameOf(b);
            return na.substr(na.rfind('.') + 1) < nb.substr(nb.rfind('.') + 1);
        });
        std::vector<std::string> out;
        for (const Json &e : all)
            if (e.value("reason", "") == reason)
                out.push_back(e.value("message", ""));
        return out;
    }

private:
    std::vector<std::unique_ptr<sandbox::Controller>> m_controllers;
};

inline Json podTemplate(const std::string &app, const std::string &image) {
    return {{"metadata", {{"labels", {{"app", app}}}}},
            {"spec", {{"containers", Json::array({{{"name", "server"}, {"image", image}}})}}}};
}

inline Json deploymentObject(const std::string &name, int replicas, const std::string &image) {
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", name}}}}},
              {"template", podTemplate(name, image)}}}};
}

} // namespace kd::testing
