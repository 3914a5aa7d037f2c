#pragma once
// One watch stream: the changes of one resource type (optionally one namespace, label and field
// selectors) as newline-delimited watch events, with bookmarks, time-outs and 410 handling as
// kube-apiserver does them.

#include "sandbox/json.h"
#include "sandbox/selectors.h"
#include "sandbox/tables.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace kd::sandbox {

class Store;
class Clock;
struct ResourceType;

struct WatchOptions {
    std::string namespaceName;
    LabelSelector labels;
    FieldSelector fields;
    std::uint64_t sinceResourceVersion = 0; // 0: start with the current state as ADDED events
    bool sendInitialEvents =
        false; // streaming list: ADDED events, then an initial-events-end bookmark
    bool allowBookmarks = false;
    double timeoutSeconds = 1800;
    double dropAfterSeconds = 0; // fault injection
    double bookmarkIntervalSeconds = 10;
    bool stall = false; // fault injection: send nothing
    bool asTable = false;
    IncludeObject include = IncludeObject::Metadata;
    std::string expiredMessage; // non-empty: the first chunk is an ERROR 410 event, then the end
};

class WatchStream {
public:
    WatchStream(Store &store, const Clock &clock, const ResourceType &type, WatchOptions options);

    // The next chunk to send: a run of event lines; an empty string means "nothing yet, ask again";
    // nullopt means the stream is over. Blocks for at most about a second.
    std::optional<std::string> next();

private:
    bool matches(const Json &object) const;
    std::string eventLine(const char *type, const Json &object) const;
    std::string bookmarkLine(bool initialEventsEnd) const;

    Store &m_store;
    const Clock &m_clock;
    const ResourceType &m_type;
    WatchOptions m_options;
    std::deque<ObjectPtr> m_initial;
    bool m_initialEndPending = false;
    std::uint64_t m_lastRv = 0;
    std::chrono::steady_clock::time_point m_deadline;
    std::chrono::steady_clock::time_point m_nextBookmark;
    bool m_finished = false;
};

} // namespace kd::sandbox
