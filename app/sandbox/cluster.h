#pragma once
// The simulated cluster: store, clock, event recorder and every controller, driven either by a
// background thread (real or accelerated time) or step by step (tests).

#include "sandbox/clock.h"
#include "sandbox/controller.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/store.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kd::sandbox {

class Cluster {
public:
    struct Options {
        Clock::Mode clockMode = Clock::Mode::Real;
        double speed = 1.0;
        double startEpochSeconds = 0; // 0 = the wall clock's now
    };
    explicit Cluster(Options options);
    ~Cluster();
    Cluster(const Cluster &) = delete;
    Cluster &operator=(const Cluster &) = delete;

    Store &store() { return m_store; }
    Clock &clock() { return m_clock; }
    EventRecorder &events() { return m_events; }

    // Creates every object (Nodes, Namespaces, workloads, ...) as a client would.
    void load(const std::vector<Json> &objects);

    void start(); // background thread, real/accelerated time
    void stop();

    // Advances simulated time by `seconds` in steps of `tick`, running controllers to quiescence
    // after each step. For tests (manual clock) and scenario warm-up before start().
    void step(double seconds, double tick = 0.1);
    // Runs passes until a pass writes nothing (bounded); returns the number of passes.
    int settle(int maxPasses = 200);

private:
    double runPass();
    void loop();

    Options m_options;
    Clock m_clock;
    Store m_store;
    EventRecorder m_events;
    std::vector<std::unique_ptr<Controller>> m_controllers;
    std::mutex m_passMutex; // one pass at a time
    std::thread m_thread;
    std::atomic_bool m_running{false};
};

// Every controller of the sandbox, in the order a pass runs them.
std::vector<std::unique_ptr<Controller>> makeControllers();

} // namespace kd::sandbox
