// The kubelets of every node, as one control loop: starts bound pods (ContainerCreating, image
// pulls, Running, Ready after the readiness delay), crash-loops the pods a scenario asks to crash,
// allocates pod IPs from per-node /24s of 10.244.0.0/16, and finishes graceful deletions.

#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/controllers/kubelet_runtime.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace kd::sandbox {

namespace {

constexpr double kEpsilon = 1e-6;
constexpr double kMaxTerminationSeconds = 2; // the sandbox's containers stop quickly

struct NodeNet {
    int subnet = -1;  // third octet of 10.244.<subnet>.0/24
    int lastHost = 1; // host-local IPAM hands addresses out in order, wrapping around
    std::string hostIP;
};

class Kubelet final : public Controller {
public:
    const char *name() const override { return "kubelet"; }

    double reconcile(ControllerContext &ctx) override {
        std::vector<ObjectPtr> pods = ctx.store.list(resourceType("v1", "Pod"));
        std::vector<ObjectPtr> nodeObjects = ctx.store.list(resourceType("v1", "Node"));
        if (nodeObjects != m_lastNodes) {
            m_nodes.clear();
            for (const ObjectPtr &n : nodeObjects)
                m_nodes.emplace(nameOf(*n), n);
            syncNodeNetworks(m_nodes);
            m_lastNodes = std::move(nodeObjects);
            m_seen.clear(); // pods may have gained or lost their node
        }
        m_usedIPsBuilt = false;
        m_pods = &pods;
        ++m_pass;

        double next = never;
        std::unordered_map<const Json *, Seen> seen;
        seen.reserve(pods.size());
        std::unordered_set<std::string> terminating;
        for (const ObjectPtr &podPtr : pods) {
            // The same stored object as last pass (objects are immutable) with nothing due: skip.
            auto old = m_seen.find(podPtr.get());
            if (old != m_seen.end() && ctx.now + kEpsilon < old->second.nextDue) {
                if (old->second.sim)
                    old->second.sim->lastPass = m_pass;
                if (!old->second.terminatingUid.empty())
                    terminating.insert(old->second.terminatingUid);
                next = std::min(next, old->second.nextDue);
                seen.emplace(podPtr.get(), std::move(old->second));
                continue;
            }
            Seen entry;
            entry.pod = podPtr;
            const Json &pod = *podPtr;
            const std::string nodeName = str(pod, {"spec", "nodeName"});
            auto node = m_nodes.find(nodeName);
            if (!nodeName.empty() && node != m_nodes.end()) {
                if (!at(pod, {"metadata", "deletionTimestamp"}).is_null()) {
                    entry.terminatingUid = uidOf(pod);
                    terminating.insert(entry.terminatingUid);
                    entry.nextDue = terminate(ctx, pod);
                } else {
                    entry.sim = run(ctx, pod, *node->second);
                    if (entry.sim)
                        entry.nextDue = entry.sim->nextDue;
                }
            }
            next = std::min(next, entry.nextDue);
            seen.emplace(podPtr.get(), std::move(entry));
        }
        m_seen = std::move(seen);
        std::erase_if(m_sims, [&](const auto &e) { return e.second.lastPass != m_pass; });
        std::erase_if(m_terminating, [&](const auto &e) { return !terminating.count(e.first); });
        m_pods = nullptr;
        return next;
    }

private:
    struct Seen {
        ObjectPtr pod; // keeps the object alive, so its address names it alone
        PodSim *sim = nullptr;
        double nextDue = never;
        std::string terminatingUid; // set while the kubelet stops the pod
    };

    // Advances a running pod's simulation to now and writes its status; nullptr for pods the
    // kubelet leaves alone (finished before it saw them).
    PodSim *run(ControllerContext &ctx, const Json &pod, const Json &node) {
        const std::string uid = uidOf(pod);
        auto it = m_sims.find(uid);
        if (it == m_sims.end()) {
            const std::string phase = str(pod, {"status", "phase"});
            if (phase == "Succeeded" || phase == "Failed")
                return nullptr;
            PodSim sim = makePodSim(pod, ctx.now);
            if (sim.hostIP.empty())
                sim.hostIP = m_nets[nameOf(node)].hostIP;
            it = m_sims.emplace(uid, std::move(sim)).first;
        }
        PodSim &sim = it->second;
        sim.lastPass = m_pass;
        const std::string rv = str(pod, {"metadata", "resourceVersion"});
        if (sim.seenResourceVersion == rv && ctx.now + kEpsilon < sim.nextDue)
            return &sim;
        RuntimeHooks h = hooks(ctx, pod, node);
        if (sim.sandboxReady && sim.podIP.empty())
            sim.podIP = h.allocatePodIP(); // a scenario's running pod that came without one
        advance(sim, ctx.now, h, pod);
        sim.seenResourceVersion = writeStatus(ctx, pod, renderStatus(pod, sim, ctx.now));
        sim.nextDue = sim.seenResourceVersion.empty() ? ctx.now : nextTransition(sim);
        return &sim;
    }

    // Writes the status when it changed; returns the resourceVersion the pod now has, or "" after
    // a conflict so that the next pass renders again.
    static std::string writeStatus(ControllerContext &ctx, const Json &pod, Json status) {
        if (at(pod, {"status"}) == status)
            return str(pod, {"metadata", "resourceVersion"});
        Json next = pod;
        next["status"] = std::move(status);
        try {
            ObjectPtr stored =
                ctx.store.update(resourceType("v1", "Pod"), std::move(next), WritePart::Status);
            return str(*stored, {"metadata", "resourceVersion"});
        } catch (const ApiError &) {
            return {};
        }
    }

    RuntimeHooks hooks(ControllerContext &ctx, const Json &pod, const Json &node) {
        const std::string nodeName = nameOf(node);
        RuntimeHooks h;
        h.event = [&ctx, &pod](const std::string &type, const std::string &reason,
                               const std::string &message, const std::string &fieldPath) {
            ctx.events.record(pod, type, reason, message, "kubelet", fieldPath);
        };
        h.imagePresent = [this, &node, nodeName](const std::string &image) {
            if (m_images.count(nodeName + '\n' + image))
                return true;
            const Json &images = at(node, {"status", "images"});
            if (images.is_array())
                for (const Json &i : images) {
                    const Json &names = at(i, {"names"});
                    if (names.is_array())
                        for (const Json &n : names)
                            if (n == image || n == normalizedImage(image))
                                return true;
                }
            return false;
        };
        h.imagePulled = [this, nodeName](const std::string &image) {
            m_images.insert(nodeName + '\n' + image);
        };
        h.allocatePodIP = [this, &pod, nodeName]() {
            const Json &hostNetwork = at(pod, {"spec", "hostNetwork"});
            if (hostNetwork.is_boolean() && hostNetwork.get<bool>())
                return m_nets[nodeName].hostIP;
            return allocateIP(m_nets[nodeName]);
        };
        return h;
    }

    // Gives every node a /24 (its spec.podCIDR when it has one) and a host IP.
    void syncNodeNetworks(const std::unordered_map<std::string, ObjectPtr> &nodes) {
        std::erase_if(m_nets, [&](const auto &e) { return !nodes.count(e.first); });
        std::set<int> taken;
        for (const auto &[name, net] : m_nets)
            taken.insert(net.subnet);
        std::map<std::string, ObjectPtr> sorted(nodes.begin(), nodes.end());
        for (const auto &[name, node] : sorted) {
            if (m_nets.count(name))
                continue;
            NodeNet net;
            std::string cidr = str(*node, {"spec", "podCIDR"});
            int a = 0, b = 0, c = 0;
            if (std::sscanf(cidr.c_str(), "10.244.%d.%d/%d", &a, &b, &c) == 3 && c == 24 &&
                a >= 0 && a < 256 && !taken.count(a))
                net.subnet = a;
            for (int s = 0; net.subnet < 0 && s < 256; ++s)
                if (!taken.count(s))
                    net.subnet = s;
            taken.insert(net.subnet);
            const Json &addresses = at(*node, {"status", "addresses"});
            if (addresses.is_array())
                for (const Json &addr : addresses)
                    if (str(addr, {"type"}) == "InternalIP" && net.hostIP.empty())
                        net.hostIP = str(addr, {"address"});
            if (net.hostIP.empty())
                net.hostIP = "172.18.0." + std::to_string(std::max(net.subnet, 0) % 250 + 2);
            m_nets.emplace(name, std::move(net));
        }
    }

    std::string allocateIP(NodeNet &net) {
        if (!m_usedIPsBuilt) {
            m_usedIPs.clear();
            for (const ObjectPtr &p : *m_pods)
                if (std::string ip = str(*p, {"status", "podIP"}); !ip.empty())
                    m_usedIPs.insert(ip);
            for (const auto &[uid, sim] : m_sims)
                if (!sim.podIP.empty())
                    m_usedIPs.insert(sim.podIP);
            m_usedIPsBuilt = true;
        }
        const std::string prefix = "10.244." + std::to_string(std::max(net.subnet, 0)) + ".";
        for (int i = 0; i < 253; ++i) {
            int host = (net.lastHost - 1 + i) % 253 + 2; // 2..254, after the last one given
            std::string ip = prefix + std::to_string(host);
            if (m_usedIPs.insert(ip).second) {
                net.lastHost = host;
                return ip;
            }
        }
        // The node's /24 is full: take any free address of the cluster range.
        for (int s = 0; s < 256; ++s)
            for (int host = 2; host < 255; ++host) {
                std::string ip = "10.244." + std::to_string(s) + "." + std::to_string(host);
                if (m_usedIPs.insert(ip).second)
                    return ip;
            }
        return {};
    }

    // A pod being deleted: stop its containers, then remove it after its (shortened) grace period.
    double terminate(ControllerContext &ctx, const Json &pod) {
        const std::string uid = uidOf(pod);
        auto it = m_terminating.find(uid);
        if (it == m_terminating.end()) {
            auto sim = m_sims.find(uid);
            if (sim != m_sims.end()) {
                for (const ContainerSim &c : sim->second.apps)
                    if (c.state == ContainerSim::State::Running)
                        ctx.events.record(pod, "Normal", "Killing", "Stopping container " + c.name,
                                          "kubelet", "spec.containers{" + c.name + "}");
            } else if (str(pod, {"status", "phase"}) == "Running") {
                const Json &containers = at(pod, {"spec", "containers"});
                if (containers.is_array())
                    for (const Json &c : containers)
                        ctx.events.record(pod, "Normal", "Killing",
                                          "Stopping container " + str(c, {"name"}), "kubelet",
                                          "spec.containers{" + str(c, {"name"}) + "}");
            }
            double grace =
                static_cast<double>(integer(pod, {"metadata", "deletionGracePeriodSeconds"}, 30));
            it =
                m_terminating.emplace(uid, ctx.now + std::clamp(grace, 0.0, kMaxTerminationSeconds))
                    .first;
        }
        if (ctx.now + kEpsilon < it->second)
            return it->second;
        const ResourceType &podType = resourceType("v1", "Pod");
        const Json &finalizers = at(pod, {"metadata", "finalizers"});
        try {
            if (!finalizers.is_array() || finalizers.empty()) {
                ctx.store.remove(podType, namespaceOf(pod), nameOf(pod), uid);
                m_sims.erase(uid);
            } else if (integer(pod, {"metadata", "deletionGracePeriodSeconds"}, 30) != 0) {
                // Containers are gone; the garbage collector removes the pod once its finalizers
                // are.
                Json next = pod;
                next["metadata"]["deletionGracePeriodSeconds"] = 0;
                ctx.store.update(podType, std::move(next), WritePart::Main);
            }
        } catch (const ApiError &) {
            return ctx.now; // changed meanwhile: look again next pass
        }
        return never;
    }

    std::unordered_map<std::string, PodSim> m_sims;     // by pod uid
    std::unordered_map<const Json *, Seen> m_seen;      // last pass's pods
    std::unordered_map<std::string, ObjectPtr> m_nodes; // by name
    std::vector<ObjectPtr> m_lastNodes;
    std::uint64_t m_pass = 0;
    std::unordered_map<std::string, double> m_terminating; // pod uid -> when it is removed
    std::unordered_map<std::string, NodeNet> m_nets;       // by node name
    std::unordered_set<std::string> m_images;              // "node\nimage" pulled so far
    std::unordered_set<std::string> m_usedIPs;
    bool m_usedIPsBuilt = false;
    const std::vector<ObjectPtr> *m_pods = nullptr; // this pass's pods, for the IP allocator
};

} // namespace

std::unique_ptr<Controller> makeKubelet() {
    return std::make_unique<Kubelet>();
}

} // namespace kd::sandbox
