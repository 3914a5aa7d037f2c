// The garbage collector: deletes objects whose owners are all gone, carries out the orphan and
// foreground deletion finalizers, and removes objects whose deletion has nothing left to wait
// for. It keeps an owner -> dependents graph fed by the store's change history, so a pass costs
// what changed, not the size of the cluster.

#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace kd::sandbox {

namespace {

constexpr const char *kOrphanFinalizer = "orphan";
constexpr const char *kForegroundFinalizer = "foregroundDeletion";

struct OwnerLink {
    std::string uid;
    bool blocking = false; // blockOwnerDeletion: a foreground deletion of the owner waits for it
};

struct GraphNode {
    const ResourceType *type = nullptr;
    std::string ns;
    std::string name;
    std::vector<OwnerLink> owners;
};

bool hasFinalizer(const Json &obj, const char *finalizer) {
    const Json &list = at(obj, {"metadata", "finalizers"});
    return list.is_array() && std::find(list.begin(), list.end(), Json(finalizer)) != list.end();
}

bool isDeleting(const Json &obj) {
    return !at(obj, {"metadata", "deletionTimestamp"}).is_null();
}

Json withoutFinalizer(const Json &obj, const char *finalizer) {
    Json next = obj;
    Json &list = next["metadata"]["finalizers"];
    list.erase(std::remove(list.begin(), list.end(), Json(finalizer)), list.end());
    if (list.empty())
        next["metadata"].erase("finalizers");
    return next;
}

Json withoutOwnerRefs(const Json &obj, const std::unordered_set<std::string> &uids) {
    Json next = obj;
    Json refs = Json::array();
    for (const Json &r : at(obj, {"metadata", "ownerReferences"}))
        if (!uids.count(str(r, {"uid"})))
            refs.push_back(r);
    if (refs.empty())
        next["metadata"].erase("ownerReferences");
    else
        next["metadata"]["ownerReferences"] = refs;
    return next;
}

class GarbageCollector final : public Controller {
public:
    const char *name() const override { return "garbage-collector"; }

    double reconcile(ControllerContext &ctx) override {
        catchUp(ctx.store);
        std::unordered_set<std::string> work;
        work.swap(m_dirty);
        for (const std::string &uid : work)
            process(ctx, uid);
        return m_dirty.empty() ? never : ctx.now;
    }

private:
    // Brings the graph up to the store's present through its change history (or a full relist
    // when the history no longer reaches back far enough).
    void catchUp(Store &store) {
        bool expired = !m_synced;
        std::vector<StoredEvent> events;
        if (m_synced)
            events = store.eventsSince(m_rv, &expired);
        if (expired) {
            m_nodes.clear();
            m_dependents.clear();
            m_nodeNames.clear();
            m_rv = store.resourceVersion();
            for (const ResourceType &type : allResourceTypes()) {
                if (type.kind == "Event")
                    continue;
                for (const ObjectPtr &o : store.list(type))
                    index(type, *o);
            }
            m_synced = true;
            return;
        }
        for (const StoredEvent &e : events) {
            m_rv = e.resourceVersion;
            if (!e.resource || e.resource->kind == "Event" || !e.object)
                continue;
            if (e.type == EventType::Deleted)
                unindex(*e.resource, *e.object);
            else
                index(*e.resource, *e.object);
        }
    }

    void index(const ResourceType &type, const Json &obj) {
        const std::string uid = uidOf(obj);
        if (type.kind == "Node")
            m_nodeNames.insert(nameOf(obj));
        dropOwnerLinks(uid);
        GraphNode node{&type, namespaceOf(obj), nameOf(obj), {}};
        const Json &refs = at(obj, {"metadata", "ownerReferences"});
        if (refs.is_array())
            for (const Json &r : refs) {
                std::string owner = str(r, {"uid"});
                if (owner.empty())
                    continue;
                const Json &block = at(r, {"blockOwnerDeletion"});
                node.owners.push_back({owner, block.is_boolean() && block.get<bool>()});
                m_dependents[owner].insert(uid);
            }
        m_nodes.insert_or_assign(uid, std::move(node));
        m_dirty.insert(uid);
    }

    void unindex(const ResourceType &type, const Json &obj) {
        const std::string uid = uidOf(obj);
        if (type.kind == "Node") {
            m_nodeNames.erase(nameOf(obj));
            // Terminating pods of a vanished node have no kubelet left to finish them.
            for (const auto &[podUid, node] : m_nodes)
                if (node.type->kind == "Pod")
                    m_dirty.insert(podUid);
        }
        auto it = m_nodes.find(uid);
        if (it != m_nodes.end())
            for (const OwnerLink &o : it->second.owners)
                m_dirty.insert(o.uid); // a foreground deletion may have been waiting for this one
        dropOwnerLinks(uid);
        m_nodes.erase(uid);
        auto deps = m_dependents.find(uid);
        if (deps != m_dependents.end())
            for (const std::string &d : deps->second)
                m_dirty.insert(d);
        m_dirty.insert(uid);
    }

    void dropOwnerLinks(const std::string &uid) {
        auto it = m_nodes.find(uid);
        if (it == m_nodes.end())
            return;
        for (const OwnerLink &o : it->second.owners) {
            auto deps = m_dependents.find(o.uid);
            if (deps == m_dependents.end())
                continue;
            deps->second.erase(uid);
            if (deps->second.empty())
                m_dependents.erase(deps);
        }
    }

    ObjectPtr fetch(Store &store, const std::string &uid) const {
        auto it = m_nodes.find(uid);
        if (it == m_nodes.end())
            return nullptr;
        ObjectPtr obj = store.get(*it->second.type, it->second.ns, it->second.name);
        return obj && uidOf(*obj) == uid ? obj : nullptr;
    }

    std::vector<std::string> dependentsOf(const std::string &uid) const {
        auto it = m_dependents.find(uid);
        return it == m_dependents.end()
                   ? std::vector<std::string>{}
                   : std::vector<std::string>(it->second.begin(), it->second.end());
    }

    void process(ControllerContext &ctx, const std::string &uid) {
        ObjectPtr obj = fetch(ctx.store, uid);
        if (!obj)
            return;
        const ResourceType &type = *m_nodes.at(uid).type;
        try {
            if (isDeleting(*obj))
                finishDeletion(ctx, type, *obj);
            else
                collectIfOrphaned(ctx, type, *obj);
        } catch (const ApiError &e) {
            if (e.code() != 404)
                m_dirty.insert(uid); // a conflict: try again on the next pass
        }
    }

    void collectIfOrphaned(ControllerContext &ctx, const ResourceType &type, const Json &obj) {
        const GraphNode &node = m_nodes.at(uidOf(obj));
        if (node.owners.empty())
            return;
        std::unordered_set<std::string> missing;
        for (const OwnerLink &o : node.owners)
            if (!m_nodes.count(o.uid))
                missing.insert(o.uid);
        if (missing.empty())
            return;
        if (missing.size() == node.owners.size())
            deleteObject(ctx, type, obj, false);
        else
            ctx.store.update(type, withoutOwnerRefs(obj, missing),
                             WritePart::Main); // dangling refs go
    }

    void finishDeletion(ControllerContext &ctx, const ResourceType &type, const Json &obj) {
        const std::string uid = uidOf(obj);
        Json current = obj;
        if (hasFinalizer(current, kOrphanFinalizer)) {
            for (const std::string &d : dependentsOf(uid))
                if (ObjectPtr dep = fetch(ctx.store, d))
                    ctx.store.update(*m_nodes.at(d).type, withoutOwnerRefs(*dep, {uid}),
                                     WritePart::Main);
            current = *ctx.store.update(type, withoutFinalizer(current, kOrphanFinalizer),
                                        WritePart::Main);
        }
        if (hasFinalizer(current, kForegroundFinalizer)) {
            bool waiting = false;
            for (const std::string &d : dependentsOf(uid)) {
                ObjectPtr dep = fetch(ctx.store, d);
                if (!dep)
                    continue;
                for (const OwnerLink &o : m_nodes.at(d).owners)
                    waiting = waiting || (o.uid == uid && o.blocking);
                if (!isDeleting(*dep))
                    deleteObject(ctx, *m_nodes.at(d).type, *dep, m_dependents.count(d) > 0);
            }
            if (waiting)
                return; // a dependent's removal marks this owner dirty again
            current = *ctx.store.update(type, withoutFinalizer(current, kForegroundFinalizer),
                                        WritePart::Main);
        }
        const Json &finalizers = at(current, {"metadata", "finalizers"});
        if (finalizers.is_array() && !finalizers.empty())
            return; // someone else's finalizer
        if (type.kind == "Pod" && !podMayGo(current))
            return; // the kubelet finishes the graceful termination
        ctx.store.remove(type, namespaceOf(current), nameOf(current), uid);
    }

    // A deleting pod without finalizers goes at once unless a live kubelet still stops it.
    bool podMayGo(const Json &pod) const {
        const std::string node = str(pod, {"spec", "nodeName"});
        const std::string phase = str(pod, {"status", "phase"});
        return node.empty() || !m_nodeNames.count(node) || phase == "Succeeded" ||
               phase == "Failed" ||
               integer(pod, {"metadata", "deletionGracePeriodSeconds"}, 30) == 0;
    }

    // Deletes like the API server's DELETE: graceful for pods that run on a node, waiting for
    // finalizers, and with foreground propagation when asked.
    void deleteObject(ControllerContext &ctx, const ResourceType &type, const Json &obj,
                      bool foreground) {
        Json finalizers = at(obj, {"metadata", "finalizers"}).is_array()
                              ? at(obj, {"metadata", "finalizers"})
                              : Json::array();
        if (foreground && !hasFinalizer(obj, kForegroundFinalizer))
            finalizers.push_back(kForegroundFinalizer);
        long long grace = -1;
        if (type.kind == "Pod") {
            const std::string phase = str(obj, {"status", "phase"});
            grace = integer(obj, {"spec", "terminationGracePeriodSeconds"}, 30);
            if (str(obj, {"spec", "nodeName"}).empty() || phase.empty() || phase == "Succeeded" ||
                phase == "Failed")
                grace = -1;
        }
        if (finalizers.empty() && grace <= 0) {
            ctx.store.remove(type, namespaceOf(obj), nameOf(obj), uidOf(obj));
            return;
        }
        Json next = obj;
        next["metadata"]["deletionTimestamp"] = Clock::rfc3339(ctx.now);
        if (finalizers.empty())
            next["metadata"].erase("finalizers");
        else
            next["metadata"]["finalizers"] = finalizers;
        if (grace >= 0)
            next["metadata"]["deletionGracePeriodSeconds"] = grace;
        ctx.store.update(type, std::move(next), WritePart::Main);
    }

    bool m_synced = false;
    std::uint64_t m_rv = 0;
    std::unordered_map<std::string, GraphNode> m_nodes; // every object but Events, by uid
    std::unordered_map<std::string, std::unordered_set<std::string>>
        m_dependents; // owner uid -> dependents
    std::unordered_set<std::string> m_nodeNames;
    std::unordered_set<std::string> m_dirty; // uids to look at on the next pass
};

} // namespace

std::unique_ptr<Controller> makeGarbageCollector() {
    return std::make_unique<GarbageCollector>();
}

} // namespace kd::sandbox
