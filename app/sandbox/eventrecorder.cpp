#include "sandbox/eventrecorder.h"

#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <cstdio>

namespace kd::sandbox {

EventRecorder::EventRecorder(Store &store, const Clock &clock)
    : m_store(store)
    , m_clock(clock) {}

void EventRecorder::record(const Json &involved, const std::string &type, const std::string &reason,
                           const std::string &message, const std::string &component,
                           const std::string &fieldPath) {
    const ResourceType &events = resourceType("v1", "Event");
    std::string ns = namespaceOf(involved);
    if (ns.empty())
        ns = "default";
    std::string uid = uidOf(involved);
    std::string now = m_clock.nowRfc3339();
    // A repeat of the same event about the same object is counted, not added (as the upstream
    // event correlator does).
    std::lock_guard lock(m_mutex);
    std::string key = uid + '\n' + type + '\n' + reason + '\n' + message;
    auto known = m_index.find(key);
    if (known != m_index.end()) {
        ObjectPtr e = m_store.get(events, ns, known->second);
        if (e) {
            Json next = *e;
            next["count"] = integer(*e, {"count"}, 1) + 1;
            next["lastTimestamp"] = now;
            try {
                m_store.update(events, std::move(next), WritePart::Everything);
            } catch (const ApiError &) {
                // Deleted or changed meanwhile; the next repeat records it again.
            }
            return;
        }
        m_index.erase(known);
    }
    Json ref{{"kind", involved.value("kind", "")},
             {"namespace", namespaceOf(involved)},
             {"name", nameOf(involved)},
             {"uid", uid},
             {"apiVersion", involved.value("apiVersion", "")},
             {"resourceVersion", str(involved, {"metadata", "resourceVersion"})}};
    if (!fieldPath.empty())
        ref["fieldPath"] = fieldPath;
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, ".%016llx", 0x1870000000000000ULL + (++m_counter));
    Json event{{"apiVersion", "v1"},
               {"kind", "Event"},
               {"metadata", {{"name", nameOf(involved) + suffix}, {"namespace", ns}}},
               {"involvedObject", ref},
               {"reason", reason},
               {"message", message},
               {"source", {{"component", component}}},
               {"firstTimestamp", now},
               {"lastTimestamp", now},
               {"count", 1},
               {"type", type},
               {"eventTime", nullptr},
               {"reportingComponent", ""},
               {"reportingInstance", ""}};
    if (component == "kubelet") {
        std::string host = str(involved, {"spec", "nodeName"});
        if (!host.empty())
            event["source"]["host"] = host;
    }
    try {
        ObjectPtr stored = m_store.create(events, std::move(event));
        m_index.emplace(std::move(key), nameOf(*stored));
    } catch (const ApiError &) {
        // A name clash cannot happen with the counter; nothing else can fail here.
    }
}

void EventRecorder::expire(double ttlSeconds, std::size_t maxEvents) {
    const ResourceType &events = resourceType("v1", "Event");
    std::lock_guard lock(m_mutex);
    if (m_index.size() > 4 * maxEvents)
        m_index.clear(); // entries of expired events; repeats simply start a new Event
    std::vector<ObjectPtr> all = m_store.list(events);
    double cutoff = m_clock.now() - ttlSeconds;
    std::vector<std::pair<double, ObjectPtr>> byAge;
    byAge.reserve(all.size());
    for (const ObjectPtr &e : all)
        byAge.emplace_back(Clock::parseRfc3339(str(*e, {"lastTimestamp"})), e);
    std::sort(byAge.begin(), byAge.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::size_t excess = byAge.size() > maxEvents ? byAge.size() - maxEvents : 0;
    for (std::size_t i = 0; i < byAge.size(); ++i) {
        if (i >= excess && byAge[i].first >= cutoff)
            break;
        try {
            m_store.remove(events, namespaceOf(*byAge[i].second), nameOf(*byAge[i].second));
        } catch (const ApiError &) {
        }
    }
}

} // namespace kd::sandbox
