// The endpoints and EndpointSlice controllers: for every Service with a selector, an Endpoints
// object of the same name and discovery.k8s.io/v1 EndpointSlices (`<service>-xxxxx`) listing the
// selected pods with their readiness and the service's ports resolved against each pod.

#include "sandbox/apierror.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/controllers/endpoints_desired.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace kd::sandbox {

namespace {

std::string keyOf(const std::string &ns, const std::string &name) {
    return ns + "/" + name;
}

// Pods by namespace and label pair, so a Service finds its pods without scanning them all.
class PodIndex {
public:
    explicit PodIndex(const std::vector<ObjectPtr> &pods) {
        for (const ObjectPtr &p : pods) {
            const Json &labels = at(*p, {"metadata", "labels"});
            if (!labels.is_object())
                continue;
            for (auto it = labels.begin(); it != labels.end(); ++it)
                if (it.value().is_string())
                    m_byLabel[namespaceOf(*p) + '\n' + it.key() + '=' +
                              it.value().get<std::string>()]
                        .push_back(p);
        }
    }

    std::vector<ObjectPtr> select(const std::string &ns, const Json &selector) const {
        const std::vector<ObjectPtr> *smallest = nullptr;
        for (auto it = selector.begin(); it != selector.end(); ++it) {
            if (!it.value().is_string())
                return {};
            auto found = m_byLabel.find(ns + '\n' + it.key() + '=' + it.value().get<std::string>());
            if (found == m_byLabel.end())
                return {};
            if (!smallest || found->second.size() < smallest->size())
                smallest = &found->second;
        }
        std::vector<ObjectPtr> out;
        if (!smallest)
            return out;
        for (const ObjectPtr &p : *smallest) {
            const Json &labels = at(*p, {"metadata", "labels"});
            bool all = true;
            for (auto it = selector.begin(); all && it != selector.end(); ++it)
                all = labels.contains(it.key()) && labels[it.key()] == it.value();
            if (all)
                out.push_back(p);
        }
        return out;
    }

private:
    std::unordered_map<std::string, std::vector<ObjectPtr>> m_byLabel;
};

class EndpointsController final : public Controller {
public:
    const char *name() const override { return "endpoint-controller"; }

    double reconcile(ControllerContext &ctx) override {
        const ResourceType &endpointsType = resourceType("v1", "Endpoints");
        const ResourceType &sliceType = resourceType("discovery.k8s.io/v1", "EndpointSlice");
        Inputs in{ctx.store.list(resourceType("v1", "Service")),
                  ctx.store.list(resourceType("v1", "Pod")), ctx.store.list(endpointsType),
                  ctx.store.list(sliceType), ctx.store.list(resourceType("v1", "Node"))};
        // Stored objects are immutable: the same pointers as last pass mean nothing changed.
        if (in == m_inputs)
            return never;
        if (in.nodes != m_inputs.nodes)
            m_services.clear(); // zones may have changed
        m_inputs = in;

        std::unordered_map<std::string, std::string> zones;
        for (const ObjectPtr &n : in.nodes)
            if (std::string zone = str(*n, {"metadata", "labels", "topology.kubernetes.io/zone"});
                !zone.empty())
                zones.emplace(nameOf(*n), zone);
        std::unordered_map<std::string, ObjectPtr> endpointsByKey;
        for (const ObjectPtr &e : in.endpoints)
            endpointsByKey.emplace(keyOf(namespaceOf(*e), nameOf(*e)), e);
        std::map<std::string, std::vector<ObjectPtr>> slicesByService;
        for (const ObjectPtr &s : in.slices)
            if (str(*s, {"metadata", "labels", kManagedByLabel}) == kSliceControllerName)
                slicesByService[keyOf(namespaceOf(*s),
                                      str(*s, {"metadata", "labels", kServiceNameLabel}))]
                    .push_back(s);

        PodIndex index(in.pods);
        std::unordered_map<std::string, ServiceInputs> served;
        std::set<std::string> selecting; // Services with a selector, synced or not
        bool retry = false;
        for (const ObjectPtr &svcPtr : in.services) {
            const Json &svc = *svcPtr;
            const Json &selector = at(svc, {"spec", "selector"});
            if (!selector.is_object() || selector.empty() ||
                str(svc, {"spec", "type"}) == "ExternalName")
                continue;
            const std::string key = keyOf(namespaceOf(svc), nameOf(svc));
            selecting.insert(key);
            ServiceInputs inputs{svcPtr, index.select(namespaceOf(svc), selector), nullptr,
                                 slicesByService[key]};
            if (auto e = endpointsByKey.find(key); e != endpointsByKey.end())
                inputs.endpoints = e->second;
            // Unchanged service, pods and objects: what was written last time still holds.
            if (auto cached = m_services.find(key);
                cached == m_services.end() || !(cached->second == inputs)) {
                bool ok = syncEndpoints(ctx, endpointsType, desiredEndpoints(svc, inputs.pods),
                                        inputs.endpoints);
                ok = syncSlices(ctx, sliceType, desiredSlices(svc, inputs.pods, zones),
                                inputs.slices) &&
                     ok;
                if (!ok) {
                    retry = true;
                    continue;
                }
            }
            served.emplace(key, std::move(inputs));
        }

        // Objects this controller made for Services that are gone or lost their selector.
        try {
            for (const ObjectPtr &e : in.endpoints)
                if (str(*e, {"metadata", "labels", kEndpointsManagedByLabel}) ==
                        kEndpointsControllerName &&
                    !selecting.count(keyOf(namespaceOf(*e), nameOf(*e))))
                    ctx.store.remove(endpointsType, namespaceOf(*e), nameOf(*e), uidOf(*e));
            for (const auto &[key, list] : slicesByService)
                if (!selecting.count(key))
                    for (const ObjectPtr &s : list)
                        ctx.store.remove(sliceType, namespaceOf(*s), nameOf(*s), uidOf(*s));
        } catch (const ApiError &) {
            retry = true;
        }
        m_services = std::move(served);
        if (retry)
            m_inputs = {};
        return retry ? ctx.now : never;
    }

private:
    // Returns false when a write failed (the next pass tries again).
    static bool syncEndpoints(ControllerContext &ctx, const ResourceType &type, Json desired,
                              const ObjectPtr &existing) {
        try {
            if (!existing) {
                ctx.store.create(type, std::move(desired));
                return true;
            }
            if (at(*existing, {"metadata", "labels"}) == desired["metadata"]["labels"] &&
                at(*existing, {"subsets"}) == at(desired, {"subsets"}))
                return true;
            Json next = *existing;
            next["metadata"]["labels"] = desired["metadata"]["labels"];
            if (desired.contains("subsets"))
                next["subsets"] = desired["subsets"];
            else
                next.erase("subsets");
            ctx.store.update(type, std::move(next), WritePart::Main);
            return true;
        } catch (const ApiError &) {
            return false;
        }
    }

    static bool syncSlices(ControllerContext &ctx, const ResourceType &type,
                           std::vector<Json> desired, std::vector<ObjectPtr> existing) {
        std::sort(existing.begin(), existing.end(),
                  [](const ObjectPtr &a, const ObjectPtr &b) { return nameOf(*a) < nameOf(*b); });
        try {
            std::size_t i = 0;
            for (; i < desired.size(); ++i) {
                if (i >= existing.size()) {
                    ctx.store.create(type, std::move(desired[i]));
                    continue;
                }
                const Json &old = *existing[i];
                Json next = old;
                next["metadata"]["labels"] = desired[i]["metadata"]["labels"];
                next["metadata"]["ownerReferences"] = desired[i]["metadata"]["ownerReferences"];
                for (const char *k : {"addressType", "endpoints", "ports"})
                    next[k] = desired[i][k];
                if (next != old)
                    ctx.store.update(type, std::move(next), WritePart::Main);
            }
            for (; i < existing.size(); ++i)
                ctx.store.remove(type, namespaceOf(*existing[i]), nameOf(*existing[i]),
                                 uidOf(*existing[i]));
            return true;
        } catch (const ApiError &) {
            return false;
        }
    }

    // Everything a pass reads; stored objects are immutable, so equal pointers mean unchanged.
    struct Inputs {
        std::vector<ObjectPtr> services, pods, endpoints, slices, nodes;
        bool operator==(const Inputs &) const = default;
    };
    // What one Service's objects were last built from.
    struct ServiceInputs {
        ObjectPtr service;
        std::vector<ObjectPtr> pods;
        ObjectPtr endpoints;
        std::vector<ObjectPtr> slices;
        bool operator==(const ServiceInputs &) const = default;
    };

    Inputs m_inputs;
    std::unordered_map<std::string, ServiceInputs> m_services; // by namespace/name
};

} // namespace

std::unique_ptr<Controller> makeEndpointsController() {
    return std::make_unique<EndpointsController>();
}

} // namespace kd::sandbox
