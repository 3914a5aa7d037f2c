#pragma once
// The sandbox's etcd: objects by resource type, namespace and name, one global resourceVersion,
// and a bounded history of changes that watches replay. Thread-safe; stored objects are immutable.

#include "sandbox/json.h"
#include "sandbox/resources.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kd::sandbox {

class Clock;

enum class EventType { Added, Modified, Deleted };

struct StoredEvent {
    EventType type = EventType::Added;
    std::uint64_t resourceVersion = 0;
    const ResourceType *resource = nullptr;
    ObjectPtr
        object; // the new state (for Deleted: the last state, with the deletion's resourceVersion)
    ObjectPtr
        previous; // the state before a Modified, so watches with selectors can tell ADDED/DELETED
};

// Which part of an object a write may change, as the API's subresources allow.
enum class WritePart { Main, Status, Everything };

class Store {
public:
    explicit Store(const Clock &clock, std::size_t historyWindow = 10'000);

    std::uint64_t resourceVersion() const;
    ObjectPtr get(const ResourceType &type, const std::string &ns, const std::string &name) const;
    // Sorted by namespace, then name. An empty ns lists every namespace. *rv receives the
    // resourceVersion the snapshot was taken at.
    std::vector<ObjectPtr> list(const ResourceType &type, const std::string &ns = {},
                                std::uint64_t *rv = nullptr) const;
    // Items after (ns, name) in list order, at most `limit` (0 = all); for paging.
    std::vector<ObjectPtr> listAfter(const ResourceType &type, const std::string &ns,
                                     const std::string &afterKey, std::size_t limit, bool *more,
                                     std::uint64_t *rv) const;
    std::size_t count(const ResourceType &type) const;

    // Fills uid, resourceVersion, creationTimestamp, generation and generateName; rejects a
    // duplicate with AlreadyExists. Returns the stored object.
    ObjectPtr create(const ResourceType &type, Json object);
    // Replaces an object. A non-empty metadata.resourceVersion must match (else 409 Conflict).
    // `part` keeps the stored status (Main) or the stored spec and metadata (Status).
    ObjectPtr update(const ResourceType &type, Json object, WritePart part = WritePart::Main);
    // Removes an object now; `uid`/`resourceVersion` preconditions when non-empty.
    ObjectPtr remove(const ResourceType &type, const std::string &ns, const std::string &name,
                     const std::string &uidPrecondition = {},
                     const std::string &rvPrecondition = {});

    // Changes with resourceVersion > rv, oldest first. *expired is set when rv is older than the
    // history window still holds (the watch must answer 410).
    std::vector<StoredEvent> eventsSince(std::uint64_t rv, bool *expired,
                                         std::size_t max = 0) const;
    std::uint64_t oldestResourceVersion() const;
    // Blocks until resourceVersion() > rv, the timeout passes or the store shuts down.
    bool waitForChange(std::uint64_t rv, std::chrono::milliseconds timeout) const;
    void shutdown();
    bool isShutDown() const;

private:
    using Key = std::string; // "namespace/name"
    struct Table {
        std::map<Key, ObjectPtr> objects;
    };
    void appendEvent(EventType type, const ResourceType &res, ObjectPtr obj,
                     ObjectPtr previous = nullptr);
    static Key keyOf(const std::string &ns, const std::string &name) { return ns + "/" + name; }

    const Clock &m_clock;
    std::size_t m_historyWindow;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::map<const ResourceType *, Table> m_tables;
    std::deque<StoredEvent> m_history;
    std::uint64_t m_rv = 1;
    std::uint64_t m_uidCounter = 0;
    bool m_shutdown = false;
};

} // namespace kd::sandbox
