#include "sandbox/faults.h"

#include <stdexcept>

namespace kd::sandbox {

Json FaultConfig::toJson() const {
    return {{"dropWatchesAfterSeconds", dropWatchesAfterSeconds},
            {"expireWatches", expireWatches},
            {"expiredAsHttp", expiredAsHttp},
            {"errorRate", errorRate},
            {"errorCode", errorCode},
            {"retryAfter", retryAfter},
            {"errorBody", errorBody},
            {"latencyMs", latencyMs},
            {"stallWatches", stallWatches},
            {"emptyWatches", emptyWatches},
            {"bookmarkIntervalSeconds", bookmarkIntervalSeconds}};
}

void FaultConfig::merge(const Json &patch) {
    if (!patch.is_object())
        throw std::invalid_argument("the fault configuration must be a JSON object");
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const std::string &k = it.key();
        const Json &v = it.value();
        try {
            if (k == "dropWatchesAfterSeconds")
                dropWatchesAfterSeconds = v.get<double>();
            else if (k == "expireWatches")
                expireWatches = v.get<bool>();
            else if (k == "expiredAsHttp")
                expiredAsHttp = v.get<bool>();
            else if (k == "errorRate")
                errorRate = v.get<double>();
            else if (k == "errorCode")
                errorCode = v.get<int>();
            else if (k == "retryAfter")
                retryAfter = v.is_string() ? v.get<std::string>() : v.dump();
            else if (k == "errorBody")
                errorBody = v.get<std::string>();
            else if (k == "latencyMs")
                latencyMs = v.get<int>();
            else if (k == "stallWatches")
                stallWatches = v.get<bool>();
            else if (k == "emptyWatches")
                emptyWatches = v.get<bool>();
            else if (k == "bookmarkIntervalSeconds")
                bookmarkIntervalSeconds = v.get<double>();
            else
                throw std::invalid_argument("unknown fault \"" + k + "\"");
        } catch (const nlohmann::json::exception &) {
            throw std::invalid_argument("fault \"" + k + "\" has the wrong type");
        }
    }
    if (errorRate < 0 || errorRate > 1)
        throw std::invalid_argument("errorRate must be between 0 and 1");
    if (errorCode != 429 && errorCode != 500 && errorCode != 502 && errorCode != 503 &&
        errorCode != 504)
        throw std::invalid_argument("errorCode must be 429, 500, 502, 503 or 504");
    if (errorBody != "status" && errorBody != "text" && errorBody != "html")
        throw std::invalid_argument("errorBody must be status, text or html");
}

FaultConfig FaultInjector::config() const {
    std::lock_guard lock(m_mutex);
    return m_config;
}

void FaultInjector::set(const FaultConfig &config) {
    std::lock_guard lock(m_mutex);
    m_config = config;
}

void FaultInjector::merge(const Json &patch) {
    std::lock_guard lock(m_mutex);
    FaultConfig next = m_config;
    next.merge(patch);
    m_config = next;
}

bool FaultInjector::shouldFail() {
    std::lock_guard lock(m_mutex);
    if (m_config.errorRate <= 0)
        return false;
    return std::uniform_real_distribution<double>(0, 1)(m_rng) < m_config.errorRate;
}

} // namespace kd::sandbox
