// applyScenario: puts a scenario's phases into a cluster the way a client applying manifests
// would (through admission), keeping any status the scenario sets.

#include "sandbox/scenario.h"

#include "sandbox/admission.h"
#include "sandbox/apierror.h"
#include "sandbox/cluster.h"
#include "sandbox/controllers/kubelet_runtime.h"
#include "sandbox/resources.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace kd::sandbox {

namespace {

constexpr double kWarmupTick = 1.0;

void setIfMissing(Json &obj, const char *key, const std::string &value) {
    if (obj.is_object() && (!obj.contains(key) || obj[key].is_null()))
        obj[key] = value;
}

// A scenario's status is a snapshot taken when its phase is applied: timestamps it leaves out
// mean "now".
void stampTimes(const std::string &kind, Json &status, const std::string &now) {
    if (!status.is_object())
        return;
    if (status.contains("conditions") && status["conditions"].is_array()) {
        for (Json &c : status["conditions"]) {
            setIfMissing(c, "lastTransitionTime", now);
            if (kind == "Node")
                setIfMissing(c, "lastHeartbeatTime", now);
            if (kind == "Deployment")
                setIfMissing(c, "lastUpdateTime", now);
        }
    }
    if (kind == "Pod") {
        setIfMissing(status, "startTime", now);
        if (status.contains("containerStatuses") && status["containerStatuses"].is_array())
            for (Json &cs : status["containerStatuses"])
                if (cs.is_object() && cs.contains("state") && cs["state"].contains("running"))
                    setIfMissing(cs["state"]["running"], "startedAt", now);
    }
}

// Owner references written without a uid name their owner; the owner was created earlier in
// the scenario, so its uid is known now.
void resolveOwners(Store &store, Json &obj, const std::string &ns) {
    Json &meta = obj["metadata"];
    if (!meta.contains("ownerReferences") || !meta["ownerReferences"].is_array())
        return;
    for (Json &ref : meta["ownerReferences"]) {
        if (!ref.is_object() || !str(ref, {"uid"}).empty())
            continue;
        const ResourceType *type = findKind(str(ref, {"apiVersion"}), str(ref, {"kind"}));
        ObjectPtr owner =
            type ? store.get(*type, type->namespaced ? ns : std::string(), str(ref, {"name"}))
                 : nullptr;
        if (!owner)
            throw std::runtime_error("its owner " + str(ref, {"kind"}) + " " + str(ref, {"name"}) +
                                     " is not in the cluster (owners must come first)");
        ref["uid"] = uidOf(*owner);
    }
}

void createObject(Store &store, const ResourceType &type, const Json &source, double nowSeconds) {
    const std::string now = Clock::rfc3339(nowSeconds);
    Json obj = source;
    const std::string ns =
        type.namespaced ? str(obj, {"metadata", "namespace"}, "default") : std::string();
    resolveOwners(store, obj, ns);
    admitCreate(type, obj, store);
    if (source.contains("status")) {
        obj["status"] = source["status"];
        stampTimes(type.kind, obj["status"], now);
        // A running pod's snapshot is written the way the kubelet reports it, so that the
        // kubelet adopts the pod without rewriting every status (10,000 writes at scale).
        if (type.kind == "Pod" && str(obj, {"status", "phase"}) == "Running" &&
            !str(obj, {"spec", "nodeName"}).empty())
            obj["status"] = renderStatus(obj, makePodSim(obj, nowSeconds), nowSeconds);
    }
    store.create(type, std::move(obj));
}

// Like `kubectl replace`: the new object's fields, the live object's identity and status.
void updateObject(Store &store, const ResourceType &type, const Json &source, const Json &live) {
    Json next = live;
    for (auto it = live.begin(); it != live.end(); ++it)
        if (it.key() != "apiVersion" && it.key() != "kind" && it.key() != "metadata" &&
            it.key() != "status" && !source.contains(it.key()))
            next.erase(it.key());
    for (auto it = source.begin(); it != source.end(); ++it)
        if (it.key() != "metadata" && it.key() != "status")
            next[it.key()] = it.value();
    for (const char *key : {"labels", "annotations"}) {
        const Json &value = at(source, {"metadata", key});
        if (value.is_null())
            next["metadata"].erase(key);
        else
            next["metadata"][key] = value;
    }
    admitUpdate(type, next, live);
    store.update(type, std::move(next), WritePart::Main);
}

std::string describe(const Json &obj) {
    std::string ns = str(obj, {"metadata", "namespace"});
    return obj.value("kind", "") + " " + (ns.empty() ? "" : ns + "/") + nameOf(obj);
}

std::string explain(const ApiError &e) {
    std::string message = e.what();
    const Json &causes = at(e.details(), {"causes"});
    if (causes.is_array())
        for (const Json &c : causes)
            message += "\n  " + str(c, {"field"}) + ": " + str(c, {"message"});
    return message;
}

} // namespace

void applyScenario(Cluster &cluster, const Scenario &scenario) {
    Store &store = cluster.store();
    for (std::size_t p = 0; p < scenario.phases.size(); ++p) {
        const ScenarioPhase &phase = scenario.phases[p];
        const double now = cluster.clock().now();
        for (const Json &obj : phase.objects) {
            try {
                const ResourceType &type =
                    resourceType(obj.value("apiVersion", ""), obj.value("kind", ""));
                const std::string ns = type.namespaced
                                           ? str(obj, {"metadata", "namespace"}, "default")
                                           : std::string();
                if (ObjectPtr live = store.get(type, ns, nameOf(obj)))
                    updateObject(store, type, obj, *live);
                else
                    createObject(store, type, obj, now);
            } catch (const ApiError &e) {
                throw std::runtime_error("scenario " + scenario.name + ", phase " +
                                         std::to_string(p) + ": " + describe(obj) +
                                         " was refused: " + explain(e));
            } catch (const std::exception &e) {
                throw std::runtime_error("scenario " + scenario.name + ", phase " +
                                         std::to_string(p) + ": " + describe(obj) +
                                         " cannot be loaded: " + e.what());
            }
        }
        if (phase.warmupSeconds > 0)
            cluster.step(phase.warmupSeconds, kWarmupTick);
        else
            cluster.settle();
    }
}

double realClockStart(const Scenario &scenario) {
    double warmups = 0;
    for (const ScenarioPhase &phase : scenario.phases)
        warmups += std::max(0.0, phase.warmupSeconds);
    const double wallNow =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    return std::floor(wallNow - warmups);
}

} // namespace kd::sandbox
