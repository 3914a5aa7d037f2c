#include "kube/backoff.h"

#include <algorithm>
#include <cmath>

namespace kd::kube {

Backoff::Backoff(BackoffPolicy policy, Clock clock, Random random)
    : m_policy(policy)
    , m_clock(std::move(clock))
    , m_random(std::move(random))
    , m_engine(std::random_device{}()) {
    if (!m_clock)
        m_clock = [] { return std::chrono::steady_clock::now(); };
    if (!m_random)
        m_random = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(m_engine); };
}

std::chrono::milliseconds Backoff::next(std::optional<int> retryAfterSeconds) {
    using std::chrono::milliseconds;
    const TimePoint now = m_clock();
    if (m_lastFailure && now - *m_lastFailure >= m_policy.resetAfter)
        m_failures = 0;
    m_lastFailure = now;
    const int exponent = m_failures;
    ++m_failures;

    const double initial = static_cast<double>(m_policy.initial.count());
    const double cap = static_cast<double>(m_policy.cap.count());
    if (retryAfterSeconds && *retryAfterSeconds >= 0) {
        double wanted = static_cast<double>(*retryAfterSeconds) * 1000.0;
        return milliseconds(static_cast<long long>(std::clamp(wanted, initial, cap)));
    }
    // pow() grows past the cap quickly; clamping the exponent keeps the value finite.
    double base = initial * std::pow(m_policy.factor, std::min(exponent, 64));
    base = std::min(base, cap);
    double r = std::clamp(m_random(), 0.0, 1.0);
    double delay = std::min(base * (1.0 + m_policy.jitter * r), cap);
    return milliseconds(static_cast<long long>(delay));
}

void Backoff::reset() {
    m_failures = 0;
    m_lastFailure.reset();
}

} // namespace kd::kube
