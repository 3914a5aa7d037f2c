#include "sandbox/watch.h"

#include "sandbox/clock.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <thread>

namespace kd::sandbox {

using SteadyClock = std::chrono::steady_clock;

namespace {
SteadyClock::duration seconds(double s) {
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(s));
}
} // namespace

WatchStream::WatchStream(Store &store, const Clock &clock, const ResourceType &type,
                         WatchOptions options)
    : m_store(store)
    , m_clock(clock)
    , m_type(type)
    , m_options(std::move(options)) {
    auto now = SteadyClock::now();
    double limit = m_options.timeoutSeconds;
    if (m_options.dropAfterSeconds > 0)
        limit = std::min(limit, m_options.dropAfterSeconds);
    m_deadline = now + seconds(limit);
    m_nextBookmark = now + seconds(m_options.bookmarkIntervalSeconds);
    if (!m_options.expiredMessage.empty())
        return;
    if (m_options.sinceResourceVersion == 0 || m_options.sendInitialEvents) {
        std::uint64_t rv = 0;
        for (ObjectPtr &o : m_store.list(m_type, m_options.namespaceName, &rv))
            if (matches(*o))
                m_initial.push_back(std::move(o));
        m_lastRv = rv;
        m_initialEndPending = m_options.sendInitialEvents && m_options.allowBookmarks;
    } else {
        m_lastRv = m_options.sinceResourceVersion;
    }
}

bool WatchStream::matches(const Json &object) const {
    return m_options.labels.matches(at(object, {"metadata", "labels"})) &&
           m_options.fields.matches(object);
}

std::string WatchStream::eventLine(const char *type, const Json &object) const {
    if (!m_options.asTable)
        return std::string(R"({"type":")") + type + R"(","object":)" + object.dump() + "}\n";
    Json table{{"kind", "Table"},
               {"apiVersion", "meta.k8s.io/v1"},
               {"metadata", {{"resourceVersion", str(object, {"metadata", "resourceVersion"})}}},
               {"columnDefinitions", tableColumns(m_type)},
               {"rows", Json::array({tableRow(m_type, object, m_clock.now(), m_options.include)})}};
    return std::string(R"({"type":")") + type + R"(","object":)" + table.dump() + "}\n";
}

std::string WatchStream::bookmarkLine(bool initialEventsEnd) const {
    Json meta{{"resourceVersion", std::to_string(m_lastRv)}};
    if (initialEventsEnd)
        meta["annotations"] = {{"k8s.io/initial-events-end", "true"}};
    Json obj{{"kind", m_type.kind}, {"apiVersion", m_type.apiVersion()}, {"metadata", meta}};
    return R"({"type":"BOOKMARK","object":)" + obj.dump() + "}\n";
}

std::optional<std::string> WatchStream::next() {
    if (m_finished || m_store.isShutDown())
        return std::nullopt;
    if (!m_options.expiredMessage.empty()) {
        m_finished = true;
        Json status{{"kind", "Status"},
                    {"apiVersion", "v1"},
                    {"metadata", Json::object()},
                    {"status", "Failure"},
                    {"message", m_options.expiredMessage},
                    {"reason", "Expired"},
                    {"code", 410}};
        return R"({"type":"ERROR","object":)" + status.dump() + "}\n";
    }
    auto now = SteadyClock::now();
    if (now >= m_deadline)
        return std::nullopt;
    if (m_options.stall) {
        std::this_thread::sleep_for(
            std::min<SteadyClock::duration>(std::chrono::milliseconds(200), m_deadline - now));
        return std::string();
    }
    std::string out;
    if (!m_initial.empty()) {
        for (int i = 0; i < 500 && !m_initial.empty(); ++i) {
            out += eventLine("ADDED", *m_initial.front());
            m_initial.pop_front();
        }
        return out;
    }
    if (m_initialEndPending) {
        m_initialEndPending = false;
        m_nextBookmark = now + seconds(m_options.bookmarkIntervalSeconds);
        return bookmarkLine(true);
    }
    bool expired = false;
    std::vector<StoredEvent> events = m_store.eventsSince(m_lastRv, &expired, 2000);
    if (expired) {
        m_finished = true;
        Json status{{"kind", "Status"},
                    {"apiVersion", "v1"},
                    {"metadata", Json::object()},
                    {"status", "Failure"},
                    {"message", "too old resource version: " + std::to_string(m_lastRv) + " (" +
                                    std::to_string(m_store.oldestResourceVersion() + 1) + ")"},
                    {"reason", "Expired"},
                    {"code", 410}};
        return R"({"type":"ERROR","object":)" + status.dump() + "}\n";
    }
    for (const StoredEvent &e : events) {
        m_lastRv = e.resourceVersion;
        if (e.resource != &m_type)
            continue;
        const Json &obj = *e.object;
        if (!m_options.namespaceName.empty() && namespaceOf(obj) != m_options.namespaceName)
            continue;
        bool now_ = matches(obj);
        if (e.type == EventType::Added) {
            if (now_)
                out += eventLine("ADDED", obj);
        } else if (e.type == EventType::Deleted) {
            if (now_)
                out += eventLine("DELETED", obj);
        } else {
            bool before = e.previous && matches(*e.previous);
            if (now_ && before)
                out += eventLine("MODIFIED", obj);
            else if (now_)
                out += eventLine("ADDED", obj);
            else if (before)
                out += eventLine("DELETED", obj);
        }
    }
    if (!out.empty())
        return out;
    if (m_options.allowBookmarks && now >= m_nextBookmark) {
        m_nextBookmark = now + seconds(m_options.bookmarkIntervalSeconds);
        return bookmarkLine(false);
    }
    auto wait = std::min<SteadyClock::duration>(std::chrono::seconds(1), m_deadline - now);
    if (m_options.allowBookmarks)
        wait = std::min(wait, m_nextBookmark - now);
    m_store.waitForChange(m_lastRv, std::chrono::duration_cast<std::chrono::milliseconds>(wait) +
                                        std::chrono::milliseconds(1));
    return std::string();
}

} // namespace kd::sandbox
