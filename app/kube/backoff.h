#pragma once
// How long to wait before trying again after a failure: client-go's reflector backoff (800 ms,
// doubling, capped at 30 s, with jitter), forgotten after two minutes without a failure. A
// server's Retry-After replaces the computed delay. Not thread-safe: one owner thread.

#include <chrono>
#include <functional>
#include <optional>
#include <random>

namespace kd::kube {

struct BackoffPolicy {
    std::chrono::milliseconds initial{800};
    double factor = 2.0;
    std::chrono::milliseconds cap{30'000};
    // Up to this share of the delay is added at random, so that many clients that failed
    // together do not come back together. The result never exceeds `cap`.
    double jitter = 0.25;
    // A failure this long after the previous one starts again at `initial`.
    std::chrono::milliseconds resetAfter{120'000};
};

class Backoff final {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    using Clock = std::function<TimePoint()>;
    // Uniform in [0, 1).
    using Random = std::function<double()>;

    // Empty `clock` / `random`: the steady clock and a randomly seeded generator.
    explicit Backoff(BackoffPolicy policy = {}, Clock clock = {}, Random random = {});
    // The default random source refers to this object's engine.
    Backoff(const Backoff &) = delete;
    Backoff &operator=(const Backoff &) = delete;

    // Records a failure and returns the delay before the next attempt. A Retry-After of zero
    // or more seconds replaces the computed delay, bounded to [initial, cap] so that neither
    // "0" nor "86400" turns into a busy loop or a day-long wait; a negative one is ignored.
    std::chrono::milliseconds next(std::optional<int> retryAfterSeconds = std::nullopt);
    // Forgets past failures (the next delay is `initial` again).
    void reset();

    // Failures since the last reset (explicit or by `resetAfter`).
    int failures() const { return m_failures; }
    const BackoffPolicy &policy() const { return m_policy; }

private:
    BackoffPolicy m_policy;
    Clock m_clock;
    Random m_random;
    std::mt19937 m_engine;
    std::optional<TimePoint> m_lastFailure;
    int m_failures = 0;
};

} // namespace kd::kube
