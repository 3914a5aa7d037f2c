#pragma once
// A control loop of the sandbox (deployment controller, scheduler, kubelet, ...). Controllers are
// level-triggered: each pass looks at the whole store and writes what is needed to move one step
// closer to the desired state. They only ever change the cluster through the Store.

#include <limits>
#include <string>

namespace kd::sandbox {

class Store;
class Clock;
class EventRecorder;

struct ControllerContext {
    Store &store;
    const Clock &clock;
    EventRecorder &events;
    double now = 0; // simulated seconds since the epoch, fixed for the pass
};

class Controller {
public:
    virtual ~Controller() = default;
    virtual const char *name() const = 0;
    // One pass. Returns the simulated time at which the controller wants another pass even if
    // nothing changes (e.g. a container becomes Ready), or infinity.
    virtual double reconcile(ControllerContext &ctx) = 0;

    static constexpr double never = std::numeric_limits<double>::infinity();
};

} // namespace kd::sandbox
