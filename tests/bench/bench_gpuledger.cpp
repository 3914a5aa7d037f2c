// GPU ledger benchmark: a synthetic GPU cluster in the client's object store, 200 GPU nodes in
// five pools (A100 training, time-sliced A100, H100, H100 with mixed MIG slices, untainted L4;
// GPU feature-discovery labels, the nvidia.com/gpu=present:NoSchedule taint, a few cordoned
// nodes) and 5,000 GPU pods of Deployments (through their ReplicaSets), placed first-fit; the
// pods that fit nowhere stay Pending with a FailedScheduling event and condition. Prints
// `name value unit` lines (medians of several runs):
//   rebuild                    GpuLedger::rebuild over the whole store
//   rebuild_with_views         the same plus nodes(), pools() and pendingPods()
//   views                      nodes() and pools() after a rebuild
//   pending_explain            pendingPods() after a rebuild: every Pending pod explained
//   pending_explain_per_pod    the same per Pending pod
//   update_pod_*               one Modified pod (Pending -> bound to a node, and back): apply()
//                              alone, nodes()+pools() after it, pendingPods() after it, and total
//   update_cordon_*            one Modified node (cordoned, then uncordoned): the same parts
//   update_event_*             a Pending pod's FailedScheduling event counted up (Modified):
//                              the same parts
//   peak_rss                   the process's peak resident memory (VmHWM)
// `--smoke` runs tiny sizes (for CTest).
#include "model/gpuledger.h"
#include "model/objectstore.h"

#include "benchstats.h"
#include "procstatus.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace kd;
using kdtest::median;
using kdtest::print;
using kdtest::timeMs;
using kube::Json;

namespace {

kube::ObjectPtr objectOf(Json json) {
    return std::make_shared<const kube::KubeObject>(std::move(json));
}

const char *const kStart = "2027-01-15T08:00:00Z";

// One GPU resource a pool's nodes offer, and the unit counts its pods ask for.
struct Offer {
    std::string resource;
    int perNode;
    std::vector<int> podUnits;
    double pressure; // demand over the share of pods its room would get: > 1 leaves pods Pending
};

struct Pool {
    std::string name;
    std::string product;
    int memoryMiB;
    std::string migStrategy;
    int replicas; // nvidia.com/gpu.replicas (time-slicing)
    bool tainted;
    int share; // of the nodes, in percent
    std::vector<Offer> offers;
};

const std::vector<Pool> &pools() {
    using G = std::vector<Offer>;
    static const std::vector<Pool> all{
        {"a100-train", "NVIDIA-A100-SXM4-80GB", 81920, "single", 1, true, 25,
         G{{"nvidia.com/gpu", 8, {1, 1, 2}, 1}}},
        {"a100-shared", "NVIDIA-A100-SXM4-40GB-SHARED", 40960, "none", 10, true, 30,
         G{{"nvidia.com/gpu", 80, {1}, 1}}},
        {"h100", "NVIDIA-H100-80GB-HBM3", 81559, "single", 1, true, 20,
         G{{"nvidia.com/gpu", 8, {1, 1, 2, 4}, 2}}},
        {"h100-mig", "NVIDIA-H100-80GB-HBM3", 81559, "mixed", 1, true, 15,
         G{{"nvidia.com/gpu", 2, {1}, 1},
           {"nvidia.com/mig-1g.10gb", 28, {1, 1, 2}, 1},
           {"nvidia.com/mig-3g.40gb", 4, {1}, 2}}},
        {"l4", "NVIDIA-L4", 23034, "none", 1, false, 10, G{{"nvidia.com/gpu", 8, {1, 1, 2}, 2}}},
    };
    return all;
}

Json nodeJson(const Pool &pool, int index, bool cordoned) {
    const std::string name = "gke-bench-" + pool.name + "-" + std::to_string(index);
    Json labels = {{"cloud.google.com/gke-nodepool", pool.name},
                   {"kubernetes.io/hostname", name},
                   {"kubernetes.io/os", "linux"},
                   {"nvidia.com/gpu.present", "true"},
                   {"nvidia.com/gpu.product", pool.product},
                   {"nvidia.com/gpu.memory", std::to_string(pool.memoryMiB)},
                   {"nvidia.com/gpu.count", "8"},
                   {"nvidia.com/gpu.replicas", std::to_string(pool.replicas)},
                   {"nvidia.com/mig.strategy", pool.migStrategy}};
    Json resources = {{"cpu", "96"}, {"memory", "1300Gi"}, {"pods", "110"}};
    for (const Offer &o : pool.offers)
        resources[o.resource] = std::to_string(o.perNode);
    Json spec = Json::object();
    if (pool.tainted)
        spec["taints"] = Json::array(
            {{{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}}});
    if (cordoned) {
        spec["unschedulable"] = true;
        spec["taints"].push_back({{"key", "node.kubernetes.io/unschedulable"},
                                  {"effect", "NoSchedule"},
                                  {"timeAdded", kStart}});
    }
    return {{"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata",
             {{"name", name},
              {"uid", "node-" + name},
              {"resourceVersion", "1"},
              {"creationTimestamp", kStart},
              {"labels", labels}}},
            {"spec", spec},
            {"status",
             {{"capacity", resources},
              {"allocatable", resources},
              {"conditions", Json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
}

struct Cluster {
    std::vector<Json> nodes, deployments, replicaSets, pods, events;
    int pending = 0;
};

// The cluster of `nodeCount` nodes and `podCount` pods; the same for the same sizes.
Cluster generate(int nodeCount, int podCount) {
    std::mt19937 rng(20270115);
    Cluster c;
    // Per node and resource, what is free: the generator's own first-fit placement.
    std::vector<std::vector<std::string>> poolNodes(pools().size());
    std::map<std::string, std::map<std::string, int>> freeOn;
    std::map<std::string, bool> cordonedNode;
    int index = 0;
    for (std::size_t p = 0; p < pools().size(); ++p) {
        const int n = std::max(1, nodeCount * pools()[p].share / 100);
        for (int i = 0; i < n; ++i, ++index) {
            const bool cordoned = index % 37 == 5;
            Json node = nodeJson(pools()[p], i, cordoned);
            const std::string name = node["metadata"]["name"];
            for (const Offer &o : pools()[p].offers)
                freeOn[name][o.resource] = o.perNode;
            cordonedNode[name] = cordoned;
            poolNodes[p].push_back(name);
            c.nodes.push_back(std::move(node));
        }
    }
    // Deployments go to a pool and resource in proportion to the pods its room takes, times its
    // pressure.
    std::vector<std::pair<std::size_t, const Offer *>> offers;
    std::vector<double> weights;
    for (std::size_t p = 0; p < pools().size(); ++p)
        for (const Offer &o : pools()[p].offers) {
            double units = 0;
            for (int u : o.podUnits)
                units += u;
            offers.emplace_back(p, &o);
            weights.push_back(o.pressure * double(poolNodes[p].size()) * o.perNode /
                              (units / double(o.podUnits.size())));
        }
    std::discrete_distribution<std::size_t> offerPick(weights.begin(), weights.end());
    int made = 0;
    for (int d = 0; made < podCount; ++d) {
        const auto [p, picked] = offers[offerPick(rng)];
        const Pool &pool = pools()[p];
        const Offer &offer = *picked;
        const int units = offer.podUnits[static_cast<std::size_t>(rng()) % offer.podUnits.size()];
        const int replicas = std::min(podCount - made, 1 + static_cast<int>(rng() % 8));
        const std::string ns = "team-" + std::to_string(d % 20);
        const std::string app = "model-" + std::to_string(d);
        const std::string hash = "5d" + std::to_string(100000 + d);
        const std::string rsName = app + "-" + hash;
        Json container = {
            {"name", "server"},
            {"image", "ghcr.io/bench/" + app + ":1"},
            {"resources",
             {{"requests", {{"cpu", "2"}, {"memory", "8Gi"}, {offer.resource, units}}},
              {"limits", {{"memory", "8Gi"}, {offer.resource, units}}}}}};
        Json podSpec = {{"containers", Json::array({container})},
                        {"nodeSelector", {{"cloud.google.com/gke-nodepool", pool.name}}}};
        if (pool.tainted)
            podSpec["tolerations"] = Json::array(
                {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}});
        const Json labels = {{"app", app}, {"pod-template-hash", hash}};
        const Json podTemplate = {{"metadata", {{"labels", {{"app", app}}}}}, {"spec", podSpec}};
        Json deployment = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}};
        deployment["metadata"] = {
            {"name", app}, {"namespace", ns}, {"uid", "dep-" + app}, {"resourceVersion", "1"}};
        deployment["spec"] = {{"replicas", replicas},
                              {"selector", {{"matchLabels", {{"app", app}}}}},
                              {"template", podTemplate}};
        c.deployments.push_back(std::move(deployment));
        const Json rsOwner = {{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"},
                              {"name", rsName},          {"uid", "rs-" + rsName},
                              {"controller", true},      {"blockOwnerDeletion", true}};
        c.replicaSets.push_back({{"apiVersion", "apps/v1"},
                                 {"kind", "ReplicaSet"},
                                 {"metadata",
                                  {{"name", rsName},
                                   {"namespace", ns},
                                   {"uid", "rs-" + rsName},
                                   {"resourceVersion", "1"},
                                   {"labels", labels},
                                   {"ownerReferences", Json::array({{{"apiVersion", "apps/v1"},
                                                                     {"kind", "Deployment"},
                                                                     {"name", app},
                                                                     {"uid", "dep-" + app},
                                                                     {"controller", true}}})}}},
                                 {"spec", {{"replicas", replicas}}}});
        for (int r = 0; r < replicas; ++r, ++made) {
            const std::string name = rsName + "-" + std::to_string(10000 + r);
            std::string bound;
            for (const std::string &node : poolNodes[p]) {
                int &free = freeOn[node][offer.resource];
                if (!cordonedNode[node] && free >= units) {
                    free -= units;
                    bound = node;
                    break;
                }
            }
            Json pod = {{"apiVersion", "v1"},
                        {"kind", "Pod"},
                        {"metadata",
                         {{"name", name},
                          {"namespace", ns},
                          {"uid", "pod-" + name},
                          {"resourceVersion", "1"},
                          {"creationTimestamp", kStart},
                          {"labels", labels},
                          {"ownerReferences", Json::array({rsOwner})}}},
                        {"spec", podSpec}};
            const Json involved = {
                {"kind", "Pod"}, {"namespace", ns}, {"name", name}, {"uid", "pod-" + name}};
            const std::string message =
                bound.empty() ? "0/" + std::to_string(c.nodes.size()) +
                                    " nodes are available: Insufficient " + offer.resource +
                                    ". preemption: not eligible due to preemptionPolicy=Never."
                              : "Successfully assigned " + ns + "/" + name + " to " + bound;
            if (bound.empty()) {
                ++c.pending;
                pod["status"] = {{"phase", "Pending"},
                                 {"conditions", Json::array({{{"type", "PodScheduled"},
                                                              {"status", "False"},
                                                              {"reason", "Unschedulable"},
                                                              {"message", message}}})}};
            } else {
                pod["spec"]["nodeName"] = bound;
                pod["status"] = {
                    {"phase", "Running"},
                    {"conditions", Json::array({{{"type", "PodScheduled"}, {"status", "True"}},
                                                {{"type", "Ready"}, {"status", "True"}}})}};
            }
            c.events.push_back({{"apiVersion", "v1"},
                                {"kind", "Event"},
                                {"metadata",
                                 {{"name", name + ".17a0"},
                                  {"namespace", ns},
                                  {"uid", "ev-" + name},
                                  {"resourceVersion", "1"}}},
                                {"involvedObject", involved},
                                {"reason", bound.empty() ? "FailedScheduling" : "Scheduled"},
                                {"type", bound.empty() ? "Warning" : "Normal"},
                                {"message", message},
                                {"lastTimestamp", kStart},
                                {"count", 1}});
            c.pods.push_back(std::move(pod));
        }
    }
    return c;
}

kube::DeltaBatch batchOf(const char *group, const char *resource, const char *kind, bool namespaced,
                         const std::vector<Json> &objects) {
    kube::DeltaBatch batch;
    batch.kind =
        kube::ResourceKind{QString::fromLatin1(group), QStringLiteral("v1"),
                           QString::fromLatin1(resource), QString::fromLatin1(kind), namespaced};
    batch.replace = true;
    for (const Json &o : objects)
        batch.deltas.push_back({kube::Delta::Type::Added, objectOf(o)});
    return batch;
}

// Times `change` (an apply) and the reads after it, per part.
struct UpdateTimes {
    std::vector<double> apply, views, pending, total;
    void add(model::GpuLedger &ledger, const std::function<void()> &change) {
        const double a = timeMs(change);
        const double v = timeMs([&] {
            (void)ledger.nodes();
            (void)ledger.pools();
        });
        const double p = timeMs([&] { (void)ledger.pendingPods(); });
        apply.push_back(a);
        views.push_back(v);
        pending.push_back(p);
        total.push_back(a + v + p);
    }
    void report(const std::string &prefix) const {
        print((prefix + "_apply").c_str(), median(apply), "ms");
        print((prefix + "_views").c_str(), median(views), "ms");
        print((prefix + "_pending").c_str(), median(pending), "ms");
        print((prefix + "_total").c_str(), median(total), "ms");
    }
};

Json withVersion(Json json, int version) {
    json["metadata"]["resourceVersion"] = std::to_string(version);
    return json;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const bool smoke = argc > 1 && std::strcmp(argv[1], "--smoke") == 0;
    const int nodeCount = smoke ? 10 : 200;
    const int podCount = smoke ? 200 : 5000;
    const int runs = smoke ? 1 : 7;
    const int updates = smoke ? 4 : 20; // even: each change is undone before the next kind

    Cluster cluster = generate(nodeCount, podCount);
    model::ObjectStore store;
    const double fill = timeMs([&] {
        store.applyBatches({batchOf("", "nodes", "Node", false, cluster.nodes),
                            batchOf("apps", "deployments", "Deployment", true, cluster.deployments),
                            batchOf("apps", "replicasets", "ReplicaSet", true, cluster.replicaSets),
                            batchOf("", "pods", "Pod", true, cluster.pods),
                            batchOf("", "events", "Event", true, cluster.events)});
    });
    std::printf("nodes %lld count\npods %lld count\nevents %lld count\npending_pods %d count\n",
                static_cast<long long>(store.count(QStringLiteral("nodes"))),
                static_cast<long long>(store.count(QStringLiteral("pods"))),
                static_cast<long long>(store.count(QStringLiteral("events"))), cluster.pending);
    print("store_fill", fill, "ms");
    print("rss_store", kdtest::statusMegabytes("VmRSS:"), "MB");

    std::vector<double> rebuild, withViews, views, explain;
    model::GpuLedger ledger(&store);
    for (int r = 0; r < runs; ++r) {
        model::GpuLedger fresh(&store);
        const double b = timeMs([&] { fresh.rebuild(store); });
        const double v = timeMs([&] {
            (void)fresh.nodes();
            (void)fresh.pools();
        });
        const double p = timeMs([&] { (void)fresh.pendingPods(); });
        rebuild.push_back(b);
        views.push_back(v);
        explain.push_back(p);
        withViews.push_back(b + v + p);
    }
    ledger.rebuild(store);
    const std::size_t pendingCount = ledger.pendingPods().size();
    std::printf("ledger_nodes %zu count\nledger_pools %zu count\nledger_pending %zu count\n",
                ledger.nodes().size(), ledger.pools().size(), pendingCount);
    print("rebuild", median(rebuild), "ms");
    print("views", median(views), "ms");
    print("pending_explain", median(explain), "ms");
    print("pending_explain_per_pod",
          pendingCount ? 1000.0 * median(explain) / static_cast<double>(pendingCount) : 0, "us");
    print("rebuild_with_views", median(withViews), "ms");
    print("rss_after_ledger", kdtest::statusMegabytes("VmRSS:"), "MB");

    // A Pending pod bound to a node offering its resource (the freest one), then Pending again.
    const Json *pendingPod = nullptr;
    for (const Json &p : cluster.pods)
        if (!p["spec"].contains("nodeName")) {
            pendingPod = &p;
            break;
        }
    if (!pendingPod) {
        std::fprintf(stderr, "bench_gpuledger: no Pending pod in the cluster\n");
        return 1;
    }
    const std::string wanted = [&] {
        const Json &req = (*pendingPod)["spec"]["containers"][0]["resources"]["requests"];
        for (auto it = req.begin(); it != req.end(); ++it)
            if (it.key().rfind("nvidia.com/", 0) == 0)
                return it.key();
        return std::string();
    }();
    QString target;
    qint64 mostFree = -1;
    for (const model::GpuNode &n : ledger.nodes())
        for (const model::GpuResourceUse &r : n.resources)
            if (r.resource.toStdString() == wanted && n.schedulable() && r.free() > mostFree) {
                mostFree = r.free();
                target = n.name;
            }
    const QString podsKey = QStringLiteral("pods");
    int version = 2;
    UpdateTimes podTimes;
    for (int i = 0; i < updates; ++i) {
        Json next = withVersion(*pendingPod, version++);
        if (i % 2 == 0) {
            next["spec"]["nodeName"] = target.toStdString();
            next["status"] = {
                {"phase", "Running"},
                {"conditions", Json::array({{{"type", "PodScheduled"}, {"status", "True"}}})}};
        }
        const model::ObjectList modified{objectOf(std::move(next))};
        podTimes.add(ledger, [&] { ledger.apply(podsKey, {}, modified, {}); });
    }
    podTimes.report("update_pod");

    // The freest node cordoned, then uncordoned.
    const Json *targetNode = nullptr;
    for (const Json &n : cluster.nodes)
        if (QString::fromStdString(n["metadata"]["name"]) == target)
            targetNode = &n;
    const QString nodesKey = QStringLiteral("nodes");
    UpdateTimes cordonTimes;
    for (int i = 0; targetNode && i < updates; ++i) {
        Json next = withVersion(*targetNode, version++);
        next["spec"]["unschedulable"] = i % 2 == 0;
        const model::ObjectList modified{objectOf(std::move(next))};
        cordonTimes.add(ledger, [&] { ledger.apply(nodesKey, {}, modified, {}); });
    }
    cordonTimes.report("update_cordon");

    // The scheduler tried the Pending pod again and failed the same way: its FailedScheduling
    // event counted up (Modified), as the event correlator does.
    const Json *failedEvent = nullptr;
    for (const Json &e : cluster.events)
        if (e["involvedObject"]["uid"] == (*pendingPod)["metadata"]["uid"])
            failedEvent = &e;
    const QString eventsKey = QStringLiteral("events");
    UpdateTimes eventTimes;
    for (int i = 0; failedEvent && i < updates; ++i) {
        Json event = withVersion(*failedEvent, version++);
        event["count"] = 2 + i;
        event["lastTimestamp"] = "2027-01-15T09:" + std::to_string(10 + i % 50) + ":00Z";
        const model::ObjectList modified{objectOf(std::move(event))};
        eventTimes.add(ledger, [&] { ledger.apply(eventsKey, {}, modified, {}); });
    }
    eventTimes.report("update_event");
    print("peak_rss", kdtest::statusMegabytes("VmHWM:"), "MB");
    return 0;
}
