#pragma once
// The simulated container runtime behind the sandbox's kubelet: what each container of a pod is
// doing at a simulated time (creating, running, crashed and backing off, ready), the events the
// kubelet emits on the way, and the pod status that describes it. Kept in memory by the kubelet;
// the pod's status in the store is only a rendering of it.

#include "sandbox/json.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace kd::sandbox {

inline constexpr double kContainerCreateSeconds = 1; // bound -> containers started
inline constexpr double kCrashAfterSeconds = 2;      // a crashing container runs this long
inline constexpr double kBackOffInitialSeconds = 10; // kubelet's crash loop back-off
inline constexpr double kBackOffMaxSeconds = 300;
inline constexpr double kDefaultProbePeriodSeconds = 10;

struct ContainerSim {
    enum class State { Waiting, Running, Terminated };
    std::string name;
    std::string image;
    bool init = false;
    bool crashes = false;
    double readinessDelay = 0; // after each start; infinity: never ready
    State state = State::Waiting;
    std::string waitingReason = "ContainerCreating";
    std::string waitingMessage;
    double startedAt = 0;
    double readyAt = 0; // when it became ready (valid while ready)
    double restartAt = std::numeric_limits<double>::infinity(); // end of back-off
    int exitCode = 0;
    std::string terminatedReason;
    double finishedAt = 0;
    int restartCount = 0;
    bool everStarted = false;
    bool ready = false;
    std::string containerId;
    Json lastState = Json::object();
};

struct PodSim {
    std::string uid;
    std::string restartPolicy = "Always";
    double admittedAt = 0;
    double sandboxAt = 0; // when the containers start
    bool sandboxReady = false;
    std::string podIP;
    std::string hostIP;
    std::vector<ContainerSim> inits;
    std::vector<ContainerSim> apps;
    // Bookkeeping of the kubelet's pass: skip pods whose object and timers did not change.
    std::string seenResourceVersion;
    double nextDue = 0;
    std::uint64_t lastPass = 0;
};

// Where the runtime reports what happened; the kubelet turns these into Events and IPs.
struct RuntimeHooks {
    // type, reason, message, fieldPath
    std::function<void(const std::string &, const std::string &, const std::string &,
                       const std::string &)>
        event;
    // image pulled on this node before (IfNotPresent skips the pull)
    std::function<bool(const std::string &)> imagePresent;
    std::function<void(const std::string &)> imagePulled;
    std::function<std::string()> allocatePodIP;
};

// A new simulation for a pod the kubelet admits now; adopts a status given by a scenario
// (Running pods stay running).
PodSim makePodSim(const Json &pod, double now);
// Applies every transition due by `now`, in time order (`pod` names the pod in messages and
// gives the containers' image pull policies).
void advance(PodSim &sim, double now, const RuntimeHooks &hooks, const Json &pod);
// When the next transition is due (infinity when none).
double nextTransition(const PodSim &sim);
// The pod's status as the kubelet reports it: starts from the stored status and replaces what
// the kubelet owns (phase, IPs, startTime, conditions but PodScheduled, container statuses).
Json renderStatus(const Json &pod, const PodSim &sim, double now);

// "nginx:1.25" -> "docker.io/library/nginx:1.25", as containerd reports it.
std::string normalizedImage(const std::string &image);
bool imageTagContains(const std::string &image, const std::string &needle);

} // namespace kd::sandbox
