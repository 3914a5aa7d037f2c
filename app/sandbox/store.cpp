#include "sandbox/store.h"

#include "sandbox/apierror.h"
#include "sandbox/clock.h"

#include <algorithm>
#include <cstdio>
#include <random>

namespace kd::sandbox {

namespace {

// The alphabet upstream uses for generateName suffixes (no vowels, no look-alikes).
constexpr std::string_view kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

std::string randomSuffix(std::mt19937_64 &rng, int n = 5) {
    std::string s;
    for (int i = 0; i < n; ++i)
        s += kNameAlphabet[rng() % kNameAlphabet.size()];
    return s;
}

std::string makeUid(std::uint64_t counter) {
    std::mt19937_64 rng(0x6b756265646563ULL ^ (counter * 0x9E3779B97F4A7C15ULL));
    std::uint64_t a = rng(), b = rng();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFF),
                  static_cast<unsigned>(0x8000 | (b >> 48 & 0x3FFF)),
                  static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
    return buf;
}

Json &meta(Json &obj) {
    if (!obj.contains("metadata") || !obj["metadata"].is_object())
        obj["metadata"] = Json::object();
    return obj["metadata"];
}

} // namespace

Store::Store(const Clock &clock, std::size_t historyWindow)
    : m_clock(clock)
    , m_historyWindow(historyWindow) {}

std::uint64_t Store::resourceVersion() const {
    std::lock_guard lock(m_mutex);
    return m_rv;
}

ObjectPtr Store::get(const ResourceType &type, const std::string &ns,
                     const std::string &name) const {
    std::lock_guard lock(m_mutex);
    auto t = m_tables.find(&type);
    if (t == m_tables.end())
        return nullptr;
    auto it = t->second.objects.find(keyOf(type.namespaced ? ns : std::string(), name));
    return it == t->second.objects.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> Store::list(const ResourceType &type, const std::string &ns,
                                   std::uint64_t *rv) const {
    bool more = false;
    return listAfter(type, ns, {}, 0, &more, rv);
}

std::vector<ObjectPtr> Store::listAfter(const ResourceType &type, const std::string &ns,
                                        const std::string &afterKey, std::size_t limit, bool *more,
                                        std::uint64_t *rv) const {
    std::lock_guard lock(m_mutex);
    if (rv)
        *rv = m_rv;
    *more = false;
    std::vector<ObjectPtr> out;
    auto t = m_tables.find(&type);
    if (t == m_tables.end())
        return out;
    const auto &objects = t->second.objects;
    // Keys are "namespace/name"; one namespace is the range ["ns/", "ns0").
    auto begin = ns.empty() ? objects.begin() : objects.lower_bound(ns + "/");
    auto end = ns.empty() ? objects.end() : objects.lower_bound(ns + "0");
    if (!afterKey.empty() && begin != objects.end()) {
        auto after = objects.upper_bound(afterKey);
        if (after == objects.end() || after->first > begin->first)
            begin = after;
    }
    if (begin == objects.end() || (end != objects.end() && begin->first >= end->first))
        return out;
    for (auto it = begin; it != end; ++it) {
        if (limit && out.size() == limit) {
            *more = true;
            break;
        }
        out.push_back(it->second);
    }
    return out;
}

std::size_t Store::count(const ResourceType &type) const {
    std::lock_guard lock(m_mutex);
    auto t = m_tables.find(&type);
    return t == m_tables.end() ? 0 : t->second.objects.size();
}

ObjectPtr Store::create(const ResourceType &type, Json object) {
    std::lock_guard lock(m_mutex);
    Json &m = meta(object);
    std::string ns = type.namespaced ? m.value("namespace", std::string("default")) : std::string();
    if (type.namespaced)
        m["namespace"] = ns;
    else
        m.erase("namespace");
    Table &table = m_tables[&type];
    std::string name = m.value("name", std::string());
    if (name.empty()) {
        std::string prefix = m.value("generateName", std::string());
        if (prefix.empty())
            throw ApiError::invalid(
                type, "",
                {{"FieldValueRequired", "Required value: name or generateName is required",
                  "metadata.name"}});
        std::mt19937_64 rng(m_rv * 7919 + m_uidCounter);
        do {
            name = prefix + randomSuffix(rng);
        } while (table.objects.count(keyOf(ns, name)));
        m["name"] = name;
    }
    Key key = keyOf(ns, name);
    if (table.objects.count(key))
        throw ApiError::alreadyExists(type, name);
    m["uid"] = makeUid(++m_uidCounter);
    m["creationTimestamp"] = m_clock.nowRfc3339();
    m["resourceVersion"] = std::to_string(++m_rv);
    if (type.hasGeneration)
        m["generation"] = 1;
    m.erase("deletionTimestamp");
    object["apiVersion"] = type.apiVersion();
    object["kind"] = type.kind;
    auto stored = std::make_shared<const Json>(std::move(object));
    table.objects[key] = stored;
    appendEvent(EventType::Added, type, stored);
    return stored;
}

ObjectPtr Store::update(const ResourceType &type, Json object, WritePart part) {
    std::lock_guard lock(m_mutex);
    Json &m = meta(object);
    std::string ns = type.namespaced ? m.value("namespace", std::string("default")) : std::string();
    std::string name = m.value("name", std::string());
    Table &table = m_tables[&type];
    auto it = table.objects.find(keyOf(ns, name));
    if (it == table.objects.end())
        throw ApiError::notFound(type, name);
    const Json &old = *it->second;
    std::string wantRv = m.value("resourceVersion", std::string());
    if (!wantRv.empty() && wantRv != old["metadata"].value("resourceVersion", std::string()))
        throw ApiError::conflict(type, name);

    Json next;
    if (part == WritePart::Status) {
        next = old;
        if (object.contains("status"))
            next["status"] = object["status"];
        else
            next.erase("status");
    } else {
        next = std::move(object);
        if (part == WritePart::Main && type.hasStatus) {
            if (old.contains("status"))
                next["status"] = old["status"];
            else
                next.erase("status");
        }
    }
    Json &nm = meta(next);
    const Json &om = old["metadata"];
    for (const char *k : {"uid", "creationTimestamp", "name", "namespace"})
        if (om.contains(k))
            nm[k] = om[k];
    if (type.hasGeneration) {
        long long gen = om.value("generation", 1LL);
        bool specChanged = old.value("spec", Json()) != next.value("spec", Json());
        nm["generation"] = specChanged ? gen + 1 : gen;
    }
    next["apiVersion"] = type.apiVersion();
    next["kind"] = type.kind;
    nm["resourceVersion"] = om.value("resourceVersion", std::string());
    if (next == old)
        return it->second; // a no-op write changes nothing, as in etcd3's GuaranteedUpdate
    nm["resourceVersion"] = std::to_string(++m_rv);
    auto stored = std::make_shared<const Json>(std::move(next));
    ObjectPtr previous = std::move(it->second);
    it->second = stored;
    appendEvent(EventType::Modified, type, stored, std::move(previous));
    return stored;
}

ObjectPtr Store::remove(const ResourceType &type, const std::string &ns, const std::string &name,
                        const std::string &uidPrecondition, const std::string &rvPrecondition) {
    std::lock_guard lock(m_mutex);
    Table &table = m_tables[&type];
    auto it = table.objects.find(keyOf(type.namespaced ? ns : std::string(), name));
    if (it == table.objects.end())
        throw ApiError::notFound(type, name);
    const Json &old = *it->second;
    if (!uidPrecondition.empty() && uidPrecondition != uidOf(old))
        throw ApiError(409, "Conflict",
                       "Precondition failed: UID in precondition: " + uidPrecondition +
                           ", UID in object meta: " + uidOf(old));
    if (!rvPrecondition.empty() && rvPrecondition != str(old, {"metadata", "resourceVersion"}))
        throw ApiError::conflict(type, name);
    Json gone = old;
    gone["metadata"]["resourceVersion"] = std::to_string(++m_rv);
    auto stored = std::make_shared<const Json>(std::move(gone));
    table.objects.erase(it);
    appendEvent(EventType::Deleted, type, stored);
    return stored;
}

void Store::appendEvent(EventType type, const ResourceType &res, ObjectPtr obj,
                        ObjectPtr previous) {
    m_history.push_back({type, m_rv, &res, std::move(obj), std::move(previous)});
    while (m_history.size() > m_historyWindow)
        m_history.pop_front();
    m_changed.notify_all();
}

std::vector<StoredEvent> Store::eventsSince(std::uint64_t rv, bool *expired,
                                            std::size_t max) const {
    std::lock_guard lock(m_mutex);
    *expired = false;
    std::vector<StoredEvent> out;
    if (rv >= m_rv)
        return out;
    // The history holds every change after (front.rv - 1); anything older has been compacted.
    if (m_history.empty() || rv + 1 < m_history.front().resourceVersion) {
        *expired = true;
        return out;
    }
    auto it = std::lower_bound(
        m_history.begin(), m_history.end(), rv + 1,
        [](const StoredEvent &e, std::uint64_t v) { return e.resourceVersion < v; });
    for (; it != m_history.end(); ++it) {
        if (max && out.size() == max)
            break;
        out.push_back(*it);
    }
    return out;
}

std::uint64_t Store::oldestResourceVersion() const {
    std::lock_guard lock(m_mutex);
    return m_history.empty() ? m_rv : m_history.front().resourceVersion - 1;
}

bool Store::waitForChange(std::uint64_t rv, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] { return m_rv > rv || m_shutdown; }) &&
           !m_shutdown;
}

void Store::shutdown() {
    std::lock_guard lock(m_mutex);
    m_shutdown = true;
    m_changed.notify_all();
}

bool Store::isShutDown() const {
    std::lock_guard lock(m_mutex);
    return m_shutdown;
}

} // namespace kd::sandbox
