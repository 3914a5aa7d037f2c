#pragma once
// Writes core/v1 Events about objects, the way components of a real cluster do. Repeats of the
// same (object, reason, message) bump `count` and `lastTimestamp` instead of adding an Event.

#include "sandbox/json.h"

#include <mutex>
#include <string>
#include <unordered_map>

namespace kd::sandbox {

class Store;
class Clock;

class EventRecorder {
public:
    EventRecorder(Store &store, const Clock &clock);
    // type: "Normal" or "Warning"; component: e.g. "deployment-controller", "default-scheduler",
    // "kubelet".
    void record(const Json &involvedObject, const std::string &type, const std::string &reason,
                const std::string &message, const std::string &component,
                const std::string &fieldPath = {});
    // Deletes Events older than ttlSeconds and keeps at most maxEvents (oldest go first).
    void expire(double ttlSeconds = 3600, std::size_t maxEvents = 5000);

private:
    Store &m_store;
    const Clock &m_clock;
    unsigned long long m_counter = 0;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::string> m_index; // object+reason+message -> Event name
};

} // namespace kd::sandbox
