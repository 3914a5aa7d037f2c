#include "sandbox/controllers/kubelet_runtime.h"

#include "sandbox/clock.h"
#include "sandbox/controllers/controllers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace kd::sandbox {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEpsilon = 1e-6; // manual clocks advance in sums of 0.1 that drift below the mark

std::uint64_t fnv1a(const std::string &s, std::uint64_t seed) {
    std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

// 64 hex digits derived from `s`: stable fake digests and container IDs.
std::string hex64(const std::string &s) {
    std::string out;
    char buf[17];
    for (std::uint64_t round = 0; round < 4; ++round) {
        std::snprintf(buf, sizeof buf, "%016llx",
                      static_cast<unsigned long long>(fnv1a(s, round * 0x9E3779B97F4A7C15ULL)));
        out += buf;
    }
    return out;
}

double backOffFor(int restartCount) {
    double d = kBackOffInitialSeconds * std::pow(2.0, std::max(0, restartCount - 1));
    return std::min(d, kBackOffMaxSeconds);
}

std::string pullPolicyOf(const Json &container) {
    std::string policy = str(container, {"imagePullPolicy"});
    if (!policy.empty())
        return policy;
    std::string image = str(container, {"image"});
    std::size_t slash = image.rfind('/');
    std::size_t colon = image.rfind(':');
    bool hasTag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    bool latest = !hasTag || image.substr(colon + 1) == "latest";
    return latest && image.find('@') == std::string::npos ? "Always" : "IfNotPresent";
}

std::optional<double> modelLoadSeconds(const Json &pod) {
    const Json &v = at(pod, {"metadata", "annotations", kModelLoadSecondsAnnotation});
    if (!v.is_string())
        return std::nullopt;
    const std::string &s = v.get_ref<const std::string &>();
    char *end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(d) || d < 0)
        return std::nullopt;
    return d;
}

ContainerSim makeContainer(const Json &c, bool init) {
    ContainerSim s;
    s.name = str(c, {"name"});
    s.image = str(c, {"image"});
    s.init = init;
    return s;
}

std::string fieldPathOf(const ContainerSim &c) {
    return std::string(c.init ? "spec.initContainers{" : "spec.containers{") + c.name + "}";
}

void startContainer(PodSim &sim, ContainerSim &c, const std::string &pullPolicy, double t,
                    const RuntimeHooks &hooks) {
    const std::string path = fieldPathOf(c);
    const std::string quoted = "\"" + c.image + "\"";
    if (pullPolicy != "Always" && (pullPolicy == "Never" || hooks.imagePresent(c.image))) {
        hooks.event("Normal", "Pulled", "Container image " + quoted + " already present on machine",
                    path);
    } else {
        hooks.event("Normal", "Pulling", "Pulling image " + quoted, path);
        hooks.event("Normal", "Pulled", "Successfully pulled image " + quoted, path);
        hooks.imagePulled(c.image);
    }
    hooks.event("Normal", "Created", "Created container " + c.name, path);
    hooks.event("Normal", "Started", "Started container " + c.name, path);
    c.state = ContainerSim::State::Running;
    c.startedAt = t;
    c.everStarted = true;
    c.restartAt = kInf;
    c.waitingReason.clear();
    c.waitingMessage.clear();
    c.containerId =
        "containerd://" + hex64(sim.uid + "/" + c.name + "/" + std::to_string(c.restartCount));
    c.ready = !c.init && c.readinessDelay <= 0;
    c.readyAt = t;
}

enum class Kind { None, Sandbox, Crash, Ready, Restart };

struct Next {
    double time = kInf;
    Kind kind = Kind::None;
    std::size_t index = 0;
};

Next findNext(const PodSim &sim) {
    Next n;
    if (!sim.sandboxReady) {
        n.time = sim.sandboxAt;
        n.kind = Kind::Sandbox;
        return n;
    }
    auto consider = [&](double t, Kind k, std::size_t i) {
        if (t < n.time) {
            n.time = t;
            n.kind = k;
            n.index = i;
        }
    };
    for (std::size_t i = 0; i < sim.apps.size(); ++i) {
        const ContainerSim &c = sim.apps[i];
        if (c.state == ContainerSim::State::Running) {
            if (!c.ready && std::isfinite(c.readinessDelay))
                consider(c.startedAt + c.readinessDelay, Kind::Ready, i);
            if (c.crashes)
                consider(c.startedAt + kCrashAfterSeconds, Kind::Crash, i);
        } else if (c.state == ContainerSim::State::Waiting) {
            consider(c.restartAt, Kind::Restart, i);
        }
    }
    return n;
}

Json containerStatus(const ContainerSim &c) {
    Json s{{"name", c.name},
           {"image", c.everStarted ? normalizedImage(c.image) : c.image},
           {"imageID", c.everStarted ? normalizedImage(c.image).substr(
                                           0, normalizedImage(c.image).rfind(':')) +
                                           "@sha256:" + hex64(normalizedImage(c.image))
                                     : std::string()},
           {"ready", c.ready},
           {"restartCount", c.restartCount},
           {"started", c.state == ContainerSim::State::Running},
           {"lastState", c.lastState}};
    if (c.everStarted)
        s["containerID"] = c.containerId;
    switch (c.state) {
    case ContainerSim::State::Waiting: {
        Json w{{"reason", c.waitingReason}};
        if (!c.waitingMessage.empty())
            w["message"] = c.waitingMessage;
        s["state"] = {{"waiting", w}};
        break;
    }
    case ContainerSim::State::Running:
        s["state"] = {{"running", {{"startedAt", Clock::rfc3339(c.startedAt)}}}};
        break;
    case ContainerSim::State::Terminated:
        s["state"] = {{"terminated",
                       {{"exitCode", c.exitCode},
                        {"reason", c.terminatedReason},
                        {"startedAt", Clock::rfc3339(c.startedAt)},
                        {"finishedAt", Clock::rfc3339(c.finishedAt)},
                        {"containerID", c.containerId}}}};
        break;
    }
    return s;
}

std::string phaseOf(const PodSim &sim) {
    if (!sim.sandboxReady)
        return "Pending";
    bool allDone = !sim.apps.empty();
    bool anyFailed = false;
    for (const ContainerSim &c : sim.apps) {
        allDone = allDone && c.state == ContainerSim::State::Terminated;
        anyFailed = anyFailed || (c.state == ContainerSim::State::Terminated && c.exitCode != 0);
    }
    if (!allDone)
        return "Running";
    return anyFailed ? "Failed" : "Succeeded";
}

std::string nameList(const std::vector<std::string> &names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? " " : "") + names[i];
    return out + "]";
}

} // namespace

std::string normalizedImage(const std::string &image) {
    std::string ref = image;
    std::size_t at = ref.find('@');
    std::string digest = at == std::string::npos ? std::string() : ref.substr(at);
    if (at != std::string::npos)
        ref.resize(at);
    std::size_t slash = ref.rfind('/');
    std::size_t colon = ref.rfind(':');
    std::string tag;
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
        tag = ref.substr(colon);
        ref.resize(colon);
    }
    std::size_t first = ref.find('/');
    if (first == std::string::npos) {
        ref = "docker.io/library/" + ref;
    } else {
        std::string host = ref.substr(0, first);
        if (host.find('.') == std::string::npos && host.find(':') == std::string::npos &&
            host != "localhost")
            ref = "docker.io/" + ref;
    }
    if (tag.empty() && digest.empty())
        tag = ":latest";
    return ref + tag + digest;
}

bool imageTagContains(const std::string &image, const std::string &needle) {
    std::string ref = image.substr(0, image.find('@'));
    std::size_t slash = ref.rfind('/');
    std::size_t colon = ref.rfind(':');
    if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
        return false;
    return ref.find(needle, colon + 1) != std::string::npos;
}

PodSim makePodSim(const Json &pod, double now) {
    PodSim sim;
    sim.uid = uidOf(pod);
    sim.restartPolicy = str(pod, {"spec", "restartPolicy"}, "Always");
    sim.admittedAt = now;
    sim.sandboxAt = now + kContainerCreateSeconds;
    const bool crashAll = str(pod, {"metadata", "annotations", kCrashAnnotation}) == "true";
    const std::optional<double> modelLoad = modelLoadSeconds(pod);
    const Json &inits = at(pod, {"spec", "initContainers"});
    if (inits.is_array())
        for (const Json &c : inits)
            sim.inits.push_back(makeContainer(c, true));
    const Json &apps = at(pod, {"spec", "containers"});
    if (apps.is_array())
        for (const Json &c : apps) {
            ContainerSim s = makeContainer(c, false);
            s.crashes = crashAll || imageTagContains(s.image, "crashloop");
            const Json &probe = at(c, {"readinessProbe"});
            if (modelLoad)
                s.readinessDelay = *modelLoad;
            else if (probe.is_object())
                s.readinessDelay = static_cast<double>(
                    integer(probe, {"initialDelaySeconds"}, 0) +
                    integer(probe, {"periodSeconds"}, kDefaultProbePeriodSeconds));
            if (!sim.inits.empty())
                s.waitingReason = "PodInitializing";
            sim.apps.push_back(std::move(s));
        }

    // A scenario's snapshot of a running pod: carry on from it instead of starting over.
    const Json &statuses = at(pod, {"status", "containerStatuses"});
    if (str(pod, {"status", "phase"}) != "Running" || !statuses.is_array())
        return sim;
    sim.sandboxReady = true;
    sim.podIP = str(pod, {"status", "podIP"});
    sim.hostIP = str(pod, {"status", "hostIP"});
    sim.admittedAt = Clock::parseRfc3339(str(pod, {"status", "startTime"}), now);
    sim.sandboxAt = sim.admittedAt;
    for (ContainerSim &c : sim.inits) {
        c.state = ContainerSim::State::Terminated;
        c.terminatedReason = "Completed";
        c.everStarted = true;
        c.ready = true;
        c.startedAt = c.finishedAt = sim.admittedAt;
        c.containerId = "containerd://" + hex64(sim.uid + "/" + c.name + "/0");
    }
    for (ContainerSim &c : sim.apps) {
        c.waitingReason = "ContainerCreating";
        c.restartAt = now;
        for (const Json &cs : statuses) {
            if (str(cs, {"name"}) != c.name)
                continue;
            c.restartCount = static_cast<int>(integer(cs, {"restartCount"}, 0));
            c.lastState =
                at(cs, {"lastState"}).is_object() ? at(cs, {"lastState"}) : Json::object();
            c.containerId = str(cs, {"containerID"});
            c.everStarted = !c.containerId.empty();
            if (at(cs, {"state", "running"}).is_object()) {
                c.state = ContainerSim::State::Running;
                c.startedAt = Clock::parseRfc3339(str(cs, {"state", "running", "startedAt"}), now);
                c.ready = at(cs, {"ready"}).is_boolean() && at(cs, {"ready"}).get<bool>();
                c.readyAt = c.startedAt;
                c.restartAt = kInf;
                c.everStarted = true;
                if (c.containerId.empty())
                    c.containerId = "containerd://" + hex64(sim.uid + "/" + c.name + "/" +
                                                            std::to_string(c.restartCount));
            } else if (str(cs, {"state", "waiting", "reason"}) == "CrashLoopBackOff") {
                c.waitingReason = "CrashLoopBackOff";
                c.restartAt = now + backOffFor(c.restartCount);
            } else if (at(cs, {"state", "terminated"}).is_object()) {
                c.state = ContainerSim::State::Terminated;
                c.exitCode = static_cast<int>(integer(cs, {"state", "terminated", "exitCode"}, 0));
                c.terminatedReason = str(cs, {"state", "terminated", "reason"}, "Completed");
                c.finishedAt = now;
                c.restartAt = kInf;
            }
        }
    }
    return sim;
}

double nextTransition(const PodSim &sim) {
    return findNext(sim).time;
}

void advance(PodSim &sim, double now, const RuntimeHooks &hooks, const Json &pod) {
    auto policyOf = [&](const ContainerSim &c) {
        const Json &list = at(pod, {"spec", c.init ? "initContainers" : "containers"});
        if (list.is_array())
            for (const Json &spec : list)
                if (str(spec, {"name"}) == c.name)
                    return pullPolicyOf(spec);
        return std::string("IfNotPresent");
    };
    for (;;) {
        Next n = findNext(sim);
        if (n.kind == Kind::None || n.time > now + kEpsilon)
            return;
        const double t = n.time;
        switch (n.kind) {
        case Kind::Sandbox:
            sim.sandboxReady = true;
            sim.podIP = hooks.allocatePodIP();
            // Init containers run to completion one after another before the app containers.
            for (ContainerSim &c : sim.inits) {
                startContainer(sim, c, policyOf(c), t, hooks);
                c.state = ContainerSim::State::Terminated;
                c.exitCode = 0;
                c.terminatedReason = "Completed";
                c.finishedAt = t;
                c.ready = true;
            }
            for (ContainerSim &c : sim.apps)
                startContainer(sim, c, policyOf(c), t, hooks);
            break;
        case Kind::Ready:
            sim.apps[n.index].ready = true;
            sim.apps[n.index].readyAt = t;
            break;
        case Kind::Crash: {
            ContainerSim &c = sim.apps[n.index];
            c.ready = false;
            Json terminated{{"exitCode", 1},
                            {"reason", "Error"},
                            {"startedAt", Clock::rfc3339(c.startedAt)},
                            {"finishedAt", Clock::rfc3339(t)},
                            {"containerID", c.containerId}};
            if (sim.restartPolicy == "Never") {
                c.state = ContainerSim::State::Terminated;
                c.exitCode = 1;
                c.terminatedReason = "Error";
                c.finishedAt = t;
                break;
            }
            c.lastState = {{"terminated", terminated}};
            ++c.restartCount;
            const double backOff = backOffFor(c.restartCount);
            c.state = ContainerSim::State::Waiting;
            c.waitingReason = "CrashLoopBackOff";
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%gs", backOff);
            c.waitingMessage = std::string("back-off ") + seconds +
                               " restarting failed container=" + c.name + " pod=" + nameOf(pod) +
                               "_" + namespaceOf(pod) + "(" + sim.uid + ")";
            c.restartAt = t + backOff;
            hooks.event("Warning", "BackOff", "Back-off restarting failed container",
                        fieldPathOf(c));
            break;
        }
        case Kind::Restart: {
            ContainerSim &c = sim.apps[n.index];
            startContainer(sim, c, policyOf(c), t, hooks);
            break;
        }
        case Kind::None:
            return;
        }
    }
}

Json renderStatus(const Json &pod, const PodSim &sim, double now) {
    const Json &old = at(pod, {"status"});
    Json status = old.is_object() ? old : Json::object();
    const std::string phase = phaseOf(sim);
    status["phase"] = phase;
    if (!sim.hostIP.empty()) {
        status["hostIP"] = sim.hostIP;
        status["hostIPs"] = Json::array({{{"ip", sim.hostIP}}});
    }
    if (sim.sandboxReady && !sim.podIP.empty()) {
        status["podIP"] = sim.podIP;
        status["podIPs"] = Json::array({{{"ip", sim.podIP}}});
    }
    status["startTime"] = Clock::rfc3339(sim.admittedAt);

    std::vector<std::string> unready, uninitialized;
    double readySince = sim.sandboxAt;
    for (const ContainerSim &c : sim.apps) {
        if (!c.ready)
            unready.push_back(c.name);
        else
            readySince = std::max(readySince, c.readyAt);
    }
    for (const ContainerSim &c : sim.inits)
        if (c.state != ContainerSim::State::Terminated)
            uninitialized.push_back(c.name);
    const bool terminal = phase == "Succeeded" || phase == "Failed";

    const Json &oldConditions = at(old, {"conditions"});
    auto condition = [&](const std::string &type, bool ok, const std::string &reason,
                         const std::string &message, double since) {
        Json c{{"type", type}, {"status", ok ? "True" : "False"}, {"lastProbeTime", nullptr}};
        std::string when = Clock::rfc3339(since);
        if (oldConditions.is_array())
            for (const Json &o : oldConditions)
                if (str(o, {"type"}) == type &&
                    str(o, {"status"}) == c["status"].get<std::string>())
                    when = str(o, {"lastTransitionTime"}, when);
        c["lastTransitionTime"] = when;
        if (!reason.empty())
            c["reason"] = reason;
        if (!message.empty())
            c["message"] = message;
        return c;
    };
    Json conditions = Json::array();
    conditions.push_back(condition("PodReadyToStartContainers", sim.sandboxReady, "", "",
                                   sim.sandboxReady ? sim.sandboxAt : now));
    if (uninitialized.empty())
        conditions.push_back(condition("Initialized", true, "", "",
                                       sim.inits.empty() ? sim.admittedAt : sim.sandboxAt));
    else
        conditions.push_back(
            condition("Initialized", false, "ContainersNotInitialized",
                      "containers with incomplete status: " + nameList(uninitialized), now));
    for (const char *type : {"Ready", "ContainersReady"}) {
        if (terminal)
            conditions.push_back(condition(type, false, "PodCompleted", "", now));
        else if (unready.empty())
            conditions.push_back(condition(type, true, "", "", readySince));
        else
            conditions.push_back(condition(type, false, "ContainersNotReady",
                                           "containers with unready status: " + nameList(unready),
                                           now));
    }
    // Conditions the kubelet does not own (PodScheduled, readiness gates) stay as they are.
    if (oldConditions.is_array())
        for (const Json &o : oldConditions) {
            std::string type = str(o, {"type"});
            if (type != "PodReadyToStartContainers" && type != "Initialized" && type != "Ready" &&
                type != "ContainersReady")
                conditions.push_back(o);
        }
    status["conditions"] = conditions;

    Json apps = Json::array();
    for (const ContainerSim &c : sim.apps)
        apps.push_back(containerStatus(c));
    status["containerStatuses"] = apps;
    if (!sim.inits.empty()) {
        Json inits = Json::array();
        for (const ContainerSim &c : sim.inits)
            inits.push_back(containerStatus(c));
        status["initContainerStatuses"] = inits;
    }
    return status;
}

} // namespace kd::sandbox
