#pragma once
// Simulated time. Real mode runs `speed` simulated seconds per wall second; manual mode only
// moves when advance() is called, so tests are deterministic.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace kd::sandbox {

class Clock {
public:
    enum class Mode { Real, Manual };
    explicit Clock(Mode mode = Mode::Real, double speed = 1.0, double startEpochSeconds = 0);

    double now() const; // seconds since the Unix epoch, simulated
    Mode mode() const { return m_mode; }
    double speed() const;
    void setSpeed(double speed);
    // Moves simulated time forward at once (both modes); real mode keeps running from there.
    void advance(double seconds);
    // Simulated seconds -> wall milliseconds to sleep for them (at least 1).
    std::chrono::milliseconds wallDuration(double simulatedSeconds) const;

    static std::string rfc3339(double epochSeconds); // 2026-11-24T13:50:23Z
    static double parseRfc3339(const std::string &text, double fallback = 0);
    std::string nowRfc3339() const { return rfc3339(now()); }

private:
    Mode m_mode;
    mutable std::mutex m_mutex;
    double m_speed;
    double m_base; // simulated time at m_wallBase
    std::chrono::steady_clock::time_point m_wallBase;
    double m_manualOffset = 0;
};

} // namespace kd::sandbox
