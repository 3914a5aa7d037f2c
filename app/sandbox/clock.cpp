#include "sandbox/clock.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace kd::sandbox {

namespace {
double wallEpochNow() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}
} // namespace

Clock::Clock(Mode mode, double speed, double startEpochSeconds)
    : m_mode(mode)
    , m_speed(speed > 0 ? speed : 1.0)
    , m_base(startEpochSeconds > 0 ? startEpochSeconds : std::floor(wallEpochNow()))
    , m_wallBase(std::chrono::steady_clock::now()) {}

double Clock::now() const {
    std::lock_guard lock(m_mutex);
    if (m_mode == Mode::Manual)
        return m_base + m_manualOffset;
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_wallBase).count();
    return m_base + m_manualOffset + wall * m_speed;
}

double Clock::speed() const {
    std::lock_guard lock(m_mutex);
    return m_speed;
}

void Clock::setSpeed(double speed) {
    if (!(speed > 0))
        return;
    std::lock_guard lock(m_mutex);
    if (m_mode == Mode::Real) {
        // Re-base so simulated time stays continuous across the change.
        auto wallNow = std::chrono::steady_clock::now();
        m_base += std::chrono::duration<double>(wallNow - m_wallBase).count() * m_speed;
        m_wallBase = wallNow;
    }
    m_speed = speed;
}

void Clock::advance(double seconds) {
    if (seconds <= 0)
        return;
    std::lock_guard lock(m_mutex);
    m_manualOffset += seconds;
}

std::chrono::milliseconds Clock::wallDuration(double simulatedSeconds) const {
    double ms = simulatedSeconds * 1000.0 / speed();
    return std::chrono::milliseconds(std::max<long long>(1, static_cast<long long>(std::ceil(ms))));
}

std::string Clock::rfc3339(double epochSeconds) {
    std::time_t t = static_cast<std::time_t>(std::floor(epochSeconds));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

double Clock::parseRfc3339(const std::string &text, double fallback) {
    std::tm tm{};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;
    double s = 0;
    if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &s) != 6)
        return fallback;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = 0;
    double base = static_cast<double>(timegm(&tm));
    double result = base + s;
    // Offsets like +02:00 (Z or none = UTC).
    auto tpos = text.find('T');
    auto zpos = text.find_first_of("+-", tpos == std::string::npos ? 0 : tpos);
    if (zpos != std::string::npos) {
        int oh = 0, om = 0;
        if (std::sscanf(text.c_str() + zpos + 1, "%d:%d", &oh, &om) >= 1)
            result -= (text[zpos] == '-' ? -1 : 1) * (oh * 3600.0 + om * 60.0);
    }
    return result;
}

} // namespace kd::sandbox
