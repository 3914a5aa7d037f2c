#pragma once
// Fault injection for client tests: set from `kubedeck sandbox` flags or at run time through the
// admin endpoint /sandbox/v1/faults (admin credentials only).

#include "sandbox/json.h"

#include <atomic>
#include <mutex>
#include <random>
#include <string>

namespace kd::sandbox {

struct FaultConfig {
    double dropWatchesAfterSeconds = 0; // > 0: every watch stream is closed after this long
    bool expireWatches = false;         // watches that name a resourceVersion get 410 Expired
    bool expiredAsHttp = false;   //   ... as HTTP 410 (true) or as a 200 + ERROR event (false)
    double errorRate = 0;         // share of API requests answered with errorCode
    int errorCode = 429;          // 429 (text/plain, like max-in-flight), 500, 503 or 504 (Status)
    std::string retryAfter = "1"; // the Retry-After header as sent (may be a date, negative, huge)
    std::string errorBody = "status"; // "status", "text" or "html" (a proxy's error page)
    int latencyMs = 0;                // added before every API answer
    bool stallWatches = false;        // watches send headers, then nothing
    bool emptyWatches = false;        // watches end at once with an empty 200
    double bookmarkIntervalSeconds = 10;

    Json toJson() const;
    // Applies the fields present in `patch`; throws std::invalid_argument on a bad field.
    void merge(const Json &patch);
};

class FaultInjector {
public:
    FaultConfig config() const;
    void set(const FaultConfig &config);
    void merge(const Json &patch);
    // Draws whether this request gets the injected error.
    bool shouldFail();

private:
    mutable std::mutex m_mutex;
    FaultConfig m_config;
    std::mt19937 m_rng{20261124};
};

} // namespace kd::sandbox
