// GpuLedger: per-node and per-pool GPU use from nodes, pods and events in the store, the Pending
// GPU pods explained, incremental updates agreeing with a rebuild, and the ml-serving scenario.

#include "model/gpuledger.h"
#include "sandboxstore.h"

#include <QTest>

using kd::kube::Json;
using kd::model::GpuLedger;
using kd::model::GpuNode;
using kd::model::GpuResourceUse;
using kd::model::ObjectList;
using kd::model::ObjectStore;

namespace {

kd::kube::ObjectPtr object(Json json) {
    return std::make_shared<const kd::kube::KubeObject>(std::move(json));
}

Json gpuNode(const std::string &name, Json allocatable, Json labels = Json::object()) {
    labels["kubernetes.io/hostname"] = name;
    Json alloc = allocatable;
    alloc["cpu"] = "32";
    alloc["memory"] = "256Gi";
    alloc["pods"] = "110";
    return Json{{"apiVersion", "v1"},
                {"kind", "Node"},
                {"metadata", {{"name", name}, {"uid", "node-" + name}, {"labels", labels}}},
                {"spec", Json::object()},
                {"status",
                 {{"capacity", alloc},
                  {"allocatable", alloc},
                  {"conditions", Json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
}

Json container(const std::string &name, Json limits) {
    return Json{{"name", name}, {"image", "img"}, {"resources", {{"limits", limits}}}};
}

// A pod of ReplicaSet `rs` (named "<deployment>-<hash>"), bound to `node` ("" : Pending).
Json pod(const std::string &name, const std::string &node, Json containers,
         const std::string &rs = "serve-5d4f8", const std::string &phase = "Running") {
    Json p{{"apiVersion", "v1"},
           {"kind", "Pod"},
           {"metadata",
            {{"name", name},
             {"namespace", "ml"},
             {"uid", "pod-" + name},
             {"creationTimestamp", "2027-01-15T08:00:00Z"},
             {"labels", {{"app", "serve"}, {"pod-template-hash", "5d4f8"}}},
             {"ownerReferences", Json::array({{{"apiVersion", "apps/v1"},
                                               {"kind", "ReplicaSet"},
                                               {"name", rs},
                                               {"uid", "rs-uid"},
                                               {"controller", true}}})}}},
           {"spec", {{"containers", containers}}},
           {"status", {{"phase", phase}}}};
    if (!node.empty())
        p["spec"]["nodeName"] = node;
    return p;
}

Json gpus(int n, const std::string &resource = "nvidia.com/gpu") {
    return Json{{resource, std::to_string(n)}, {"cpu", "1"}, {"memory", "1Gi"}};
}

void put(ObjectStore &store, const QString &kindKey, const std::vector<Json> &objects) {
    kd::kube::DeltaBatch batch;
    batch.kind.resource = kindKey.section(u'.', 0, 0);
    batch.kind.group = kindKey.section(u'.', 1);
    batch.kind.version = QStringLiteral("v1");
    for (const Json &o : objects)
        batch.deltas.push_back({kd::kube::Delta::Type::Added, object(o)});
    store.applyBatch(batch);
}

const GpuResourceUse *use(const GpuLedger &ledger, const QString &node, const char *resource) {
    for (const GpuNode &n : ledger.nodes())
        if (n.name == node)
            for (const GpuResourceUse &u : n.resources)
                if (u.resource == QLatin1String(resource))
                    return &u;
    return nullptr;
}

const GpuNode *nodeOf(const GpuLedger &ledger, const QString &node) {
    for (const GpuNode &n : ledger.nodes())
        if (n.name == node)
            return &n;
    return nullptr;
}

// Everything the views say, as text, to compare an incremental ledger with a rebuilt one.
QString dump(const GpuLedger &ledger) {
    QString out;
    for (const GpuNode &n : ledger.nodes()) {
        out += QStringLiteral("%1 %2 %3 %4\n")
                   .arg(n.pool, n.name)
                   .arg(n.unschedulable)
                   .arg(n.taints.join(u','));
        for (const GpuResourceUse &u : n.resources) {
            out += QStringLiteral("  %1 %2/%3\n").arg(u.resource).arg(u.used).arg(u.allocatable);
            for (const auto &h : u.holders)
                out += QStringLiteral("    %1 %2 %3\n").arg(h.pod, h.ownerId()).arg(h.units);
        }
    }
    for (const auto &p : ledger.pools())
        out += p.pool + u' ' + p.resource + u' ' + p.fragmentationText() + u'\n';
    for (const auto &p : ledger.pendingPods())
        out += p.pod + u' ' + p.explanation + QStringLiteral(" | ") + p.schedulerMessage + u'\n';
    return out;
}

} // namespace

class TestGpuLedger : public QObject {
    Q_OBJECT

private slots:
    void wholeGpusPerNodeAndOwner() {
        ObjectStore store;
        put(store, QStringLiteral("nodes"), {gpuNode("a100-1", {{"nvidia.com/gpu", "8"}})});
        put(store, QStringLiteral("pods"),
            {pod("serve-5d4f8-a", "a100-1", Json::array({container("m", gpus(4))})),
             pod("serve-5d4f8-b", "a100-1", Json::array({container("m", gpus(2))}))});
        GpuLedger ledger; // no store: the Deployment is named from the pod-template-hash
        ledger.rebuild(store);
        const GpuResourceUse *u = use(ledger, QStringLiteral("a100-1"), "nvidia.com/gpu");
        QVERIFY(u);
        QCOMPARE(u->allocatable, 8);
        QCOMPARE(u->used, 6);
        QCOMPARE(u->free(), 2);
        QCOMPARE(u->holders.size(), 2u);
        QCOMPARE(u->holders[0].ownerId(), QStringLiteral("Deployment/ml/serve"));
        QCOMPARE(u->holders[0].units, 4);
    }

    void ownerFromTheStoresReplicaSet() {
        ObjectStore store;
        put(store, QStringLiteral("nodes"), {gpuNode("n", {{"nvidia.com/gpu", "1"}})});
        put(store, QStringLiteral("replicasets.apps"),
            {Json{{"kind", "ReplicaSet"},
                  {"metadata",
                   {{"name", "odd-name"},
                    {"namespace", "ml"},
                    {"uid", "rs-uid"},
                    {"ownerReferences", Json::array({{{"kind", "Deployment"},
                                                      {"name", "ranker"},
                                                      {"controller", true}}})}}}}});
        put(store, QStringLiteral("pods"),
            {pod("p", "n", Json::array({container("m", gpus(1))}), "odd-name")});
        GpuLedger ledger(&store);
        ledger.rebuild(store);
        QCOMPARE(use(ledger, QStringLiteral("n"), "nvidia.com/gpu")->holders[0].ownerId(),
                 QStringLiteral("Deployment/ml/ranker"));
    }

    void migMixedAndSingle() {
        ObjectStore store;
        put(store, QStringLiteral("nodes"),
            {gpuNode("h100", {{"nvidia.com/mig-1g.10gb", "32"}, {"nvidia.com/mig-3g.40gb", "6"}},
                     {{"nvidia.com/mig.strategy", "mixed"},
                      {"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}}),
             gpuNode("a100-single", {{"nvidia.com/gpu", "7"}},
                     {{"nvidia.com/mig.strategy", "single"},
                      {"nvidia.com/gpu.product", "NVIDIA-A100-SXM4-40GB-MIG-1g.5gb"},
                      {"nvidia.com/gpu.count", "1"},
                      {"nvidia.com/gpu.memory", "4864"}})});
        put(store, QStringLiteral("pods"),
            {pod("embed-5d4f8-a", "h100",
                 Json::array({container("m", gpus(2, "nvidia.com/mig-1g.10gb"))})),
             pod("slice-5d4f8-a", "a100-single", Json::array({container("m", gpus(3))}))});
        GpuLedger ledger;
        ledger.rebuild(store);
        const GpuNode *h = nodeOf(ledger, QStringLiteral("h100"));
        QVERIFY(h);
        QCOMPARE(h->migStrategy, QStringLiteral("mixed"));
        QCOMPARE(h->resources.size(), 2u); // every profile, also the unused one
        QCOMPARE(use(ledger, QStringLiteral("h100"), "nvidia.com/mig-1g.10gb")->used, 2);
        QCOMPARE(use(ledger, QStringLiteral("h100"), "nvidia.com/mig-3g.40gb")->free(), 6);
        const GpuNode *a = nodeOf(ledger, QStringLiteral("a100-single"));
        QCOMPARE(a->migStrategy, QStringLiteral("single"));
        QCOMPARE(a->memoryMiB, 4864);
        QCOMPARE(use(ledger, QStringLiteral("a100-single"), "nvidia.com/gpu")->free(), 4);
        // Pools by product: one per product and resource.
        QCOMPARE(ledger.pools().size(), 3u);
    }

    void initContainersOverheadAndTerminatedPods() {
        ObjectStore store;
        put(store, QStringLiteral("nodes"), {gpuNode("n", {{"nvidia.com/gpu", "8"}})});
        Json withInit = pod("init-5d4f8-a", "n", Json::array({container("m", gpus(1))}));
        // The init container's 3 GPUs are the pod's request: more than the app's 1.
        withInit["spec"]["initContainers"] = Json::array({container("warm", gpus(3))});
        Json withOverhead = pod("oh-5d4f8-a", "n", Json::array({container("m", gpus(1))}));
        withOverhead["spec"]["overhead"] = {{"nvidia.com/gpu", "1"}};
        Json done = pod("done-5d4f8-a", "n", Json::array({container("m", gpus(4))}), "serve-5d4f8",
                        "Succeeded");
        Json failedPending = pod("gone-5d4f8-a", "", Json::array({container("m", gpus(4))}),
                                 "serve-5d4f8", "Failed");
        put(store, QStringLiteral("pods"), {withInit, withOverhead, done, failedPending});
        GpuLedger ledger;
        ledger.rebuild(store);
        const GpuResourceUse *u = use(ledger, QStringLiteral("n"), "nvidia.com/gpu");
        QCOMPARE(u->used, 3 + 2);
        QCOMPARE(u->holders.size(), 2u);
        QVERIFY(ledger.pendingPods().empty());
    }

    void cordonedTaintedAndFragmentation() {
        ObjectStore store;
        Json cordoned = gpuNode("t4-3", {{"nvidia.com/gpu", "1"}},
                                {{"cloud.google.com/gke-nodepool", "t4-pool"}});
        cordoned["spec"]["unschedulable"] = true;
        std::vector<Json> nodes{cordoned};
        for (const char *name : {"t4-1", "t4-2"}) {
            Json n = gpuNode(name, {{"nvidia.com/gpu", "4"}},
                             {{"cloud.google.com/gke-nodepool", "t4-pool"}});
            n["spec"]["taints"] = Json::array(
                {{{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}},
                 {{"key", "soft"}, {"effect", "PreferNoSchedule"}}});
            nodes.push_back(n);
        }
        put(store, QStringLiteral("nodes"), nodes);
        put(store, QStringLiteral("pods"),
            {pod("serve-5d4f8-a", "t4-1", Json::array({container("m", gpus(3))})),
             pod("serve-5d4f8-b", "t4-2", Json::array({container("m", gpus(3))}))});
        GpuLedger ledger;
        ledger.setPoolLabel(QStringLiteral("cloud.google.com/gke-nodepool"));
        ledger.rebuild(store);
        QVERIFY(
            ledger.poolLabelCandidates().contains(QStringLiteral("cloud.google.com/gke-nodepool")));
        const GpuNode *c = nodeOf(ledger, QStringLiteral("t4-3"));
        QVERIFY(c && c->unschedulable && !c->schedulable());
        QCOMPARE(nodeOf(ledger, QStringLiteral("t4-1"))->taints,
                 QStringList{QStringLiteral("nvidia.com/gpu=present:NoSchedule")});
        QCOMPARE(ledger.pools().size(), 1u);
        const auto &pool = ledger.pools().front();
        QCOMPARE(pool.pool, QStringLiteral("t4-pool"));
        QCOMPARE(pool.nodes, 3);
        QCOMPARE(pool.allocatable, 9);
        QCOMPARE(pool.free, 3);
        QCOMPARE(pool.freeSchedulable, 2);
        QCOMPARE(pool.largestFreeBlock, 1);
        QVERIFY(pool.fragmented());
        QCOMPARE(pool.fragmentationText(),
                 QStringLiteral("2 free, but at most 1 per node (+1 on cordoned nodes)"));
    }

    void pendingPodExplainedWithTheSchedulersMessage() {
        ObjectStore store;
        std::vector<Json> nodes;
        for (const char *name : {"a100-1", "a100-2"})
            nodes.push_back(gpuNode(name, {{"nvidia.com/gpu", "2"}}));
        for (const char *name : {"a100-3", "a100-4", "a100-5"}) {
            Json n = gpuNode(name, {{"nvidia.com/gpu", "8"}});
            n["spec"]["taints"] = Json::array(
                {{{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}}});
            nodes.push_back(n);
        }
        put(store, QStringLiteral("nodes"), nodes);
        Json waiting = pod("serve-5d4f8-z", "", Json::array({container("m", gpus(2))}));
        waiting["status"] = {{"phase", "Pending"},
                             {"conditions", Json::array({{{"type", "PodScheduled"},
                                                          {"status", "False"},
                                                          {"reason", "Unschedulable"},
                                                          {"message", "from the condition"}}})}};
        put(store, QStringLiteral("pods"),
            {pod("serve-5d4f8-a", "a100-1", Json::array({container("m", gpus(1))})),
             pod("serve-5d4f8-b", "a100-2", Json::array({container("m", gpus(2))})), waiting});
        GpuLedger ledger;
        ledger.rebuild(store);
        QCOMPARE(ledger.pendingPods().size(), 1u);
        const auto &p = ledger.pendingPods().front();
        QCOMPARE(p.pod, QStringLiteral("serve-5d4f8-z"));
        QCOMPARE(p.ownerId(), QStringLiteral("Deployment/ml/serve"));
        QCOMPARE(p.units, 2);
        QVERIFY(!p.fitsNow);
        QCOMPARE(
            p.explanation,
            QStringLiteral(
                "needs 2 nvidia.com/gpu on one node; the most free on any "
                "schedulable node is 1 (a100-1); 3 nodes with nvidia.com/gpu are "
                "excluded by the taint nvidia.com/gpu=present:NoSchedule that the pod does not "
                "tolerate"));
        QCOMPARE(p.schedulerMessage, QStringLiteral("from the condition"));

        // A FailedScheduling event is the scheduler's newer word; the newest one wins.
        auto event = [](const char *uid, const char *time, const char *message) {
            return Json{{"kind", "Event"},
                        {"metadata", {{"name", uid}, {"namespace", "ml"}, {"uid", uid}}},
                        {"involvedObject",
                         {{"kind", "Pod"}, {"namespace", "ml"}, {"name", "serve-5d4f8-z"}}},
                        {"reason", "FailedScheduling"},
                        {"lastTimestamp", time},
                        {"message", message}};
        };
        GpuLedger live;
        live.rebuild(store);
        ObjectList events{object(event("e2", "2027-01-15T08:05:00Z", "newer")),
                          object(event("e1", "2027-01-15T08:01:00Z", "older"))};
        live.apply(QStringLiteral("events"), events, {}, {});
        QCOMPARE(live.pendingPods().front().schedulerMessage, QStringLiteral("newer"));
        live.apply(QStringLiteral("events"), {}, {}, {events.front()});
        QCOMPARE(live.pendingPods().front().schedulerMessage, QStringLiteral("older"));

        // Room appears: the pod fits now, and the ledger says where.
        live.apply(QStringLiteral("pods"), {}, {},
                   {object(pod("serve-5d4f8-b", "a100-2", Json::array()))});
        QVERIFY(live.pendingPods().front().fitsNow);
        QCOMPARE(live.pendingPods().front().fitsOn, QStringLiteral("a100-2"));
    }

    void incrementalUpdatesAgreeWithARebuild() {
        ObjectStore store;
        GpuLedger live(&store);
        connect(&store, &ObjectStore::objectsChanged, this,
                [&](const QString &kind, const ObjectList &a, const ObjectList &m,
                    const ObjectList &r) { live.apply(kind, a, m, r); });
        put(store, QStringLiteral("pods"),
            {pod("serve-5d4f8-a", "n1", Json::array({container("m", gpus(2))})),
             pod("serve-5d4f8-b", "", Json::array({container("m", gpus(4))}))});
        put(store, QStringLiteral("nodes"),
            {gpuNode("n1", {{"nvidia.com/gpu", "4"}}), gpuNode("n2", {{"nvidia.com/gpu", "2"}})});
        auto same = [&] {
            GpuLedger fresh(&store);
            fresh.rebuild(store);
            QCOMPARE(dump(live), dump(fresh));
        };
        same();
        // Pending -> bound, a node cordoned, a pod deleted, a node deleted.
        put(store, QStringLiteral("pods"),
            {pod("serve-5d4f8-b", "n1", Json::array({container("m", gpus(2))}))});
        same();
        Json cordoned = gpuNode("n2", {{"nvidia.com/gpu", "2"}});
        cordoned["spec"]["unschedulable"] = true;
        cordoned["metadata"]["resourceVersion"] = "2";
        put(store, QStringLiteral("nodes"), {cordoned});
        QVERIFY(nodeOf(live, QStringLiteral("n2"))->unschedulable);
        same();
        kd::kube::DeltaBatch remove;
        remove.kind.resource = QStringLiteral("pods");
        remove.kind.version = QStringLiteral("v1");
        remove.deltas.push_back(
            {kd::kube::Delta::Type::Deleted,
             object(pod("serve-5d4f8-a", "n1", Json::array({container("m", gpus(2))})))});
        store.applyBatch(remove);
        QCOMPARE(use(live, QStringLiteral("n1"), "nvidia.com/gpu")->used, 2);
        same();
    }

    void mlServingRecommenderIsExplained() {
        auto cluster = kd::testing::runScenario("ml-serving");
        ObjectStore store;
        kd::testing::fillStore(store, *cluster);
        GpuLedger ledger(&store);
        ledger.rebuild(store);
        QVERIFY(ledger.nodes().size() >= 6);
        const kd::model::PendingGpuPod *stuck = nullptr;
        for (const auto &p : ledger.pendingPods())
            if (p.ownerName.contains(QLatin1String("recommender")))
                stuck = &p;
        QVERIFY2(stuck, qPrintable(dump(ledger)));
        QCOMPARE(stuck->ownerKind, QStringLiteral("Deployment"));
        QVERIFY(!stuck->fitsNow);
        QVERIFY2(stuck->explanation.startsWith(QLatin1String("needs 1 nvidia.com/gpu")),
                 qPrintable(stuck->explanation));
        // The surge pod of the new revision waits for GPUs the old revision holds.
        QVERIFY2(stuck->explanation.contains(
                     QLatin1String("3 nvidia.com/gpu are held by the Deployment's older pods")),
                 qPrintable(stuck->explanation));
        QVERIFY(stuck->schedulerMessage.contains(QLatin1String("Insufficient nvidia.com/gpu")));
        // Every T4 is taken: free 0 on each T4 node.
        for (const GpuNode &n : ledger.nodes())
            if (n.product.contains(QLatin1String("T4")))
                QCOMPARE(n.resources.front().free(), 0);
    }
};

QTEST_GUILESS_MAIN(TestGpuLedger)
#include "tst_gpuledger.moc"
