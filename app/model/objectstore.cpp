#include "model/objectstore.h"

#include "model/objects.h"

#include <algorithm>
#include <utility>

namespace kd::model {

using kube::Delta;
using kube::DeltaBatch;
using kube::ObjectPtr;

namespace {

using Key = std::pair<QString, QString>; // namespace, name

ObjectPtr findIn(const std::map<QString, std::map<QString, ObjectPtr>> &table, const QString &ns,
                 const QString &name) {
    auto n = table.find(ns);
    if (n == table.end())
        return {};
    auto o = n->second.find(name);
    return o == n->second.end() ? ObjectPtr{} : o->second;
}

bool lessByKindNamespaceName(const ObjectPtr &a, const ObjectPtr &b) {
    return std::tie(a->kind(), a->namespaceName(), a->name()) <
           std::tie(b->kind(), b->namespaceName(), b->name());
}

} // namespace

ObjectStore::ObjectStore(QObject *parent)
    : QObject(parent) {}

ObjectStore::~ObjectStore() = default;

void ObjectStore::insert(Table &table, const ObjectPtr &object) {
    table[object->namespaceName()][object->name()] = object;
    ++m_total;
    if (!object->uid().isEmpty())
        m_uids.insert(object->uid(), object);
    indexOwners(object);
}

void ObjectStore::erase(Table &table, const ObjectPtr &object) {
    auto n = table.find(object->namespaceName());
    if (n == table.end() || n->second.erase(object->name()) == 0)
        return;
    if (n->second.empty())
        table.erase(n);
    --m_total;
    // A uid shared by two objects (a hostile server) must not unindex the other one.
    auto u = m_uids.find(object->uid());
    if (u != m_uids.end() && u.value() == object)
        m_uids.erase(u);
    unindexOwners(object);
}

void ObjectStore::indexOwners(const ObjectPtr &object) {
    if (object->uid().isEmpty())
        return;
    for (const QString &owner : ownerUids(object->json()))
        m_owned[owner].insert(object->uid());
}

void ObjectStore::unindexOwners(const ObjectPtr &object) {
    if (object->uid().isEmpty())
        return;
    for (const QString &owner : ownerUids(object->json())) {
        auto it = m_owned.find(owner);
        if (it == m_owned.end())
            continue;
        it->remove(object->uid());
        if (it->isEmpty())
            m_owned.erase(it);
    }
}

void ObjectStore::applyBatch(const DeltaBatch &batch) {
    const QString kindKey = batch.kind.key();
    Table &table = m_tables[kindKey];
    // The state of every object the batch touches before the batch: what decides whether it
    // was added, modified or removed, however many deltas it went through.
    std::map<Key, ObjectPtr> before;
    auto put = [&](const ObjectPtr &object) {
        ObjectPtr existing = findIn(table, object->namespaceName(), object->name());
        if (existing && existing->resourceVersion() == object->resourceVersion() &&
            !object->resourceVersion().isEmpty())
            return; // unchanged: keep the cached object, announce nothing
        before.try_emplace(Key{object->namespaceName(), object->name()}, existing);
        if (existing)
            erase(table, existing);
        insert(table, object);
    };

    if (batch.replace) {
        std::map<Key, ObjectPtr> incoming;
        for (const Delta &d : batch.deltas)
            if (d.object && d.type != Delta::Type::Deleted)
                incoming[Key{d.object->namespaceName(), d.object->name()}] = d.object;
        std::vector<ObjectPtr> gone;
        for (const auto &[ns, names] : table) {
            if (!batch.namespaceScope.isEmpty() && ns != batch.namespaceScope)
                continue;
            for (const auto &[name, object] : names)
                if (!incoming.count(Key{ns, name}))
                    gone.push_back(object);
        }
        for (const ObjectPtr &object : gone) {
            before.try_emplace(Key{object->namespaceName(), object->name()}, object);
            erase(table, object);
        }
        for (const auto &[key, object] : incoming)
            put(object);
    } else {
        for (const Delta &d : batch.deltas) {
            if (!d.object)
                continue;
            if (d.type != Delta::Type::Deleted) {
                put(d.object);
                continue;
            }
            ObjectPtr existing = findIn(table, d.object->namespaceName(), d.object->name());
            if (!existing)
                continue;
            before.try_emplace(Key{existing->namespaceName(), existing->name()}, existing);
            erase(table, existing);
        }
    }

    ObjectList added, modified, removed;
    for (const auto &[key, old] : before) {
        ObjectPtr now = findIn(table, key.first, key.second);
        if (old && now) {
            if (old != now)
                modified.push_back(now);
        } else if (now) {
            added.push_back(now);
        } else if (old) {
            removed.push_back(old);
        }
    }
    if (table.empty())
        m_tables.erase(kindKey);
    if (!added.empty() || !modified.empty() || !removed.empty())
        emit objectsChanged(kindKey, added, modified, removed);
}

void ObjectStore::applyBatches(const std::vector<DeltaBatch> &batches) {
    for (const DeltaBatch &b : batches)
        applyBatch(b);
}

void ObjectStore::clear(const QString &kindKey) {
    auto t = m_tables.find(kindKey);
    if (t == m_tables.end())
        return;
    std::vector<ObjectPtr> all;
    for (const auto &[ns, names] : t->second)
        for (const auto &[name, object] : names)
            all.push_back(object);
    for (const ObjectPtr &object : all)
        erase(t->second, object);
    m_tables.erase(t);
    emit reset(kindKey);
}

void ObjectStore::clear() {
    for (const QString &kindKey : kinds())
        clear(kindKey);
}

ObjectPtr ObjectStore::get(const QString &kindKey, const QString &ns, const QString &name) const {
    auto t = m_tables.find(kindKey);
    return t == m_tables.end() ? ObjectPtr{} : findIn(t->second, ns, name);
}

ObjectPtr ObjectStore::byUid(const QString &uid) const {
    return m_uids.value(uid);
}

ObjectList ObjectStore::list(const QString &kindKey, const QString &ns) const {
    ObjectList out;
    auto t = m_tables.find(kindKey);
    if (t == m_tables.end())
        return out;
    for (const auto &[objectNs, names] : t->second) {
        if (!ns.isEmpty() && objectNs != ns)
            continue;
        for (const auto &[name, object] : names)
            out.push_back(object);
    }
    return out;
}

qsizetype ObjectStore::count(const QString &kindKey, const QString &ns) const {
    auto t = m_tables.find(kindKey);
    if (t == m_tables.end())
        return 0;
    qsizetype n = 0;
    for (const auto &[objectNs, names] : t->second)
        if (ns.isEmpty() || objectNs == ns)
            n += static_cast<qsizetype>(names.size());
    return n;
}

ObjectList ObjectStore::ownedBy(const QString &uid) const {
    ObjectList out;
    auto it = m_owned.find(uid);
    if (it == m_owned.end())
        return out;
    for (const QString &child : *it)
        if (ObjectPtr o = m_uids.value(child))
            out.push_back(o);
    std::sort(out.begin(), out.end(), lessByKindNamespaceName);
    return out;
}

QStringList ObjectStore::kinds() const {
    QStringList out;
    for (const auto &[kindKey, table] : m_tables)
        out.push_back(kindKey);
    return out;
}

} // namespace kd::model
