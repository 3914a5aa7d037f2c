#include "sandbox/cluster.h"

#include "sandbox/apierror.h"
#include "sandbox/controllers/controllers.h"

#include <algorithm>
#include <cmath>

namespace kd::sandbox {

std::vector<std::unique_ptr<Controller>> makeControllers() {
    std::vector<std::unique_ptr<Controller>> c;
    c.push_back(makeGarbageCollector());
    c.push_back(makeDeploymentController());
    c.push_back(makeReplicaSetController());
    c.push_back(makeStatefulSetController());
    c.push_back(makeScheduler());
    c.push_back(makeKubelet());
    c.push_back(makeEndpointsController());
    c.push_back(makeHorizontalPodAutoscaler());
    c.push_back(makeEventExpiry());
    return c;
}

Cluster::Cluster(Options options)
    : m_options(options)
    , m_clock(options.clockMode, options.speed, options.startEpochSeconds)
    , m_store(m_clock)
    , m_events(m_store, m_clock)
    , m_controllers(makeControllers()) {
    // Every cluster has these namespaces before anything else exists.
    const ResourceType &namespaces = resourceType("v1", "Namespace");
    for (const char *name : {"default", "kube-system", "kube-public", "kube-node-lease"})
        m_store.create(namespaces,
                       Json{{"metadata",
                             {{"name", name}, {"labels", {{"kubernetes.io/metadata.name", name}}}}},
                            {"spec", {{"finalizers", {"kubernetes"}}}},
                            {"status", {{"phase", "Active"}}}});
}

Cluster::~Cluster() {
    stop();
}

void Cluster::load(const std::vector<Json> &objects) {
    for (const Json &obj : objects) {
        const ResourceType &type = resourceType(obj.value("apiVersion", ""), obj.value("kind", ""));
        std::string ns =
            type.namespaced ? str(obj, {"metadata", "namespace"}, "default") : std::string();
        if (m_store.get(type, ns, str(obj, {"metadata", "name"}))) {
            Json next = obj;
            next["metadata"].erase("resourceVersion");
            m_store.update(type, std::move(next), WritePart::Everything);
        } else {
            m_store.create(type, obj);
        }
    }
}

double Cluster::runPass() {
    std::lock_guard lock(m_passMutex);
    ControllerContext ctx{m_store, m_clock, m_events, m_clock.now()};
    double next = Controller::never;
    for (auto &c : m_controllers)
        next = std::min(next, c->reconcile(ctx));
    return next;
}

int Cluster::settle(int maxPasses) {
    int passes = 0;
    while (passes < maxPasses) {
        std::uint64_t before = m_store.resourceVersion();
        runPass();
        ++passes;
        if (m_store.resourceVersion() == before)
            break;
    }
    return passes;
}

void Cluster::step(double seconds, double tick) {
    tick = tick > 0 ? tick : 0.1;
    settle();
    double done = 0;
    while (done + 1e-9 < seconds) {
        double dt = std::min(tick, seconds - done);
        m_clock.advance(dt);
        done += dt;
        settle();
    }
}

void Cluster::start() {
    if (m_running.exchange(true))
        return;
    m_thread = std::thread([this] { loop(); });
}

void Cluster::stop() {
    if (!m_running.exchange(false))
        return;
    m_store.shutdown();
    if (m_thread.joinable())
        m_thread.join();
}

void Cluster::loop() {
    // Level-triggered: a pass runs when the store changed or a controller's timer is due; between
    // passes the thread sleeps on the store's change signal, at most 200 ms of wall time.
    std::uint64_t seen = 0;
    double nextDue = 0;
    while (m_running) {
        std::uint64_t rv = m_store.resourceVersion();
        double now = m_clock.now();
        if (rv != seen || now >= nextDue) {
            seen = rv; // a pass that writes makes the next loop run another pass
            nextDue = runPass();
            // Let a burst of client writes land before the next pass.
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        auto wait = std::min(std::chrono::milliseconds(200),
                             std::isfinite(nextDue) ? m_clock.wallDuration(nextDue - now)
                                                    : std::chrono::milliseconds(200));
        m_store.waitForChange(seen, wait);
        if (m_store.isShutDown())
            break;
    }
}

} // namespace kd::sandbox
