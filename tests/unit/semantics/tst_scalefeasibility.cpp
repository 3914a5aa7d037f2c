// Drag-to-scale feasibility: the preview line for every case (fits, stays Pending for want of
// GPUs or of CPU, scale down, no change), what counts as free (cordoned nodes do not), MIG
// slices, the Pending pods ahead in the queue, OrderedReady StatefulSets, and the deployment
// controller's answer to a resize in the middle of a rollout.
#include "semantics/scalefeasibility.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace kd::semantics;
using nlohmann::json;

namespace {

json node(const std::string &name, json allocatable, json labels = json::object()) {
    return {{"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata", {{"name", name}, {"labels", std::move(labels)}}},
            {"status", {{"allocatable", std::move(allocatable)}}}};
}

json allocatable(int gpus, const char *cpu = "16") {
    return {{"cpu", cpu}, {"memory", "64Gi"}, {"pods", "110"}, {"nvidia.com/gpu", gpus}};
}

json podTemplate(json requests, json nodeSelector = json()) {
    json limits = json::object();
    for (auto it = requests.begin(); it != requests.end(); ++it)
        if (it.key().starts_with("nvidia.com/"))
            limits[it.key()] = it.value();
    json t{{"metadata", {{"labels", {{"app", "llm"}}}}},
           {"spec",
            {{"containers",
              {{{"name", "server"},
                {"image", "vllm:0.6"},
                {"resources", {{"requests", std::move(requests)}, {"limits", limits}}}}}}}}};
    if (!nodeSelector.is_null())
        t["spec"]["nodeSelector"] = std::move(nodeSelector);
    return t;
}

PodNeeds gpuPod(int gpus = 1) {
    return fromPodTemplateJson(
        podTemplate({{"cpu", "1"}, {"memory", "1Gi"}, {"nvidia.com/gpu", gpus}}), "ml");
}

// Nodes with `used` GPUs each already taken by a placed pod.
std::vector<NodeState> gpuNodes(const std::vector<std::pair<std::string, int>> &nodesAndFree,
                                int gpusPerNode = 2) {
    std::vector<NodeState> out;
    for (const auto &[name, free] : nodesAndFree) {
        NodeState n = fromNodeJson(node(name, allocatable(gpusPerNode)));
        for (int i = free; i < gpusPerNode; ++i)
            addPod(n, gpuPod());
        out.push_back(std::move(n));
    }
    return out;
}

ReplicaSetCounts rs(int spec, int available, bool isNew, long long order, int annotation) {
    ReplicaSetCounts c;
    c.specReplicas = spec;
    c.statusReplicas = spec;
    c.readyReplicas = available;
    c.availableReplicas = available;
    c.isNew = isNew;
    c.creationOrder = order;
    c.desiredReplicasAnnotation = annotation;
    return c;
}

} // namespace

class TstScaleFeasibility final : public QObject {
    Q_OBJECT

private slots:
    void allFit() {
        const ScaleFeasibility f =
            predictScale(gpuNodes({{"gpu-a100-1", 1}, {"gpu-a100-2", 1}}), gpuPod(), 2, 4);
        QCOMPARE(f.added(), 2);
        QCOMPARE(f.removed(), 0);
        QCOMPARE(f.created, 2);
        QCOMPARE(f.pending, 0);
        QCOMPARE(f.acceleratorResource, std::string("nvidia.com/gpu"));
        QCOMPARE(f.acceleratorsNeeded, std::int64_t(2));
        QCOMPARE(f.acceleratorsFree, std::int64_t(2));
        QCOMPARE(f.placed, (std::map<std::string, int>{{"gpu-a100-1", 1}, {"gpu-a100-2", 1}}));
        QCOMPARE(f.perPod.at("nvidia.com/gpu"), std::int64_t(1000));
        QCOMPARE(f.summary(), std::string("+2 pods fit: 1 on gpu-a100-1, 1 on gpu-a100-2"));
    }

    void notEnoughGpus() {
        const ScaleFeasibility f =
            predictScale(gpuNodes({{"gpu-a", 1}, {"gpu-b", 0}, {"gpu-c", 0}}), gpuPod(), 3, 6);
        QCOMPARE(f.acceleratorsNeeded, std::int64_t(3));
        QCOMPARE(f.acceleratorsFree, std::int64_t(1));
        QCOMPARE(f.placed, (std::map<std::string, int>{{"gpu-a", 1}}));
        QCOMPARE(f.pending, 2);
        QCOMPARE(f.pendingAfter(), 2);
        QCOMPARE(f.pendingMessage,
                 std::string("0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: "
                             "0/3 nodes are available: 3 No preemption victims found for "
                             "incoming pod."));
        QCOMPARE(f.summary(), std::string("+3 pods need 3 nvidia.com/gpu; 1 free on schedulable "
                                          "nodes → 2 would stay Pending"));
    }

    void scaleDownAndNoChange() {
        const ScaleFeasibility down = predictScale(gpuNodes({{"gpu-a", 0}}), gpuPod(), 3, 1);
        QCOMPARE(down.removed(), 2);
        QCOMPARE(down.deleted, 2);
        QCOMPARE(down.created, 0);
        QCOMPARE(down.acceleratorsFreed, std::int64_t(2));
        QVERIFY(down.placed.empty());
        QCOMPARE(down.summary(), std::string("−2 pods free 2 nvidia.com/gpu"));
        QCOMPARE(predictScale(gpuNodes({{"gpu-a", 0}}), gpuPod(), 3, 2).summary(),
                 std::string("−1 pod frees 1 nvidia.com/gpu"));
        QCOMPARE(predictScale(gpuNodes({{"gpu-a", 0}}), gpuPod(), 3, 3).summary(),
                 std::string("no change"));
    }

    void withoutGpus() {
        // Two 1-CPU nodes with room for one more 1-CPU pod each; four asked for.
        std::vector<NodeState> nodes;
        for (const char *name : {"cpu-1", "cpu-2"})
            nodes.push_back(
                fromNodeJson(node(name, {{"cpu", "1"}, {"memory", "8Gi"}, {"pods", "110"}})));
        const PodNeeds web =
            fromPodTemplateJson(podTemplate({{"cpu", "1"}, {"memory", "1Gi"}}), "ml");
        const ScaleFeasibility f = predictScale(nodes, web, 0, 4);
        QVERIFY(f.acceleratorResource.empty());
        QCOMPARE(f.acceleratorsNeeded, std::int64_t(0));
        QCOMPARE(f.pending, 2);
        QCOMPARE(f.summary(), std::string("+4 pods: 2 fit, 2 would stay Pending"));
        QVERIFY(f.pendingMessage.find("2 Insufficient cpu") != std::string::npos);
        QCOMPARE(predictScale(nodes, web, 1, 3).summary(),
                 std::string("+2 pods fit: 1 on cpu-1, 1 on cpu-2"));
        QCOMPARE(predictScale(nodes, web, 3, 0).summary(), std::string("−3 pods"));
    }

    // A cordoned node's free GPUs are no use: neither counted nor placed on.
    void cordonedNodeNotFree() {
        std::vector<NodeState> nodes = gpuNodes({{"gpu-a", 2}, {"gpu-b", 1}});
        nodes[0].unschedulable = true;
        const ScaleFeasibility f = predictScale(nodes, gpuPod(), 1, 3);
        QCOMPARE(f.acceleratorsFree, std::int64_t(1));
        QCOMPARE(f.placed, (std::map<std::string, int>{{"gpu-b", 1}}));
        QCOMPARE(f.pending, 1);
        QVERIFY2(f.pendingMessage.find("1 node(s) were unschedulable") != std::string::npos,
                 f.pendingMessage.c_str());
        QCOMPARE(f.summary(), std::string("+2 pods need 2 nvidia.com/gpu; 1 free on schedulable "
                                          "nodes → 1 would stay Pending"));
    }

    // Free GPUs the pods may not use (another pool) are told apart from usable ones.
    void freeButElsewhere() {
        std::vector<NodeState> nodes{
            fromNodeJson(node("a100", allocatable(2), {{"nvidia.com/gpu.product", "A100"}})),
            fromNodeJson(node("t4", allocatable(2), {{"nvidia.com/gpu.product", "T4"}}))};
        const PodNeeds churn = fromPodTemplateJson(
            podTemplate({{"cpu", "1"}, {"memory", "1Gi"}, {"nvidia.com/gpu", 1}},
                        {{"nvidia.com/gpu.product", "A100"}}),
            "ml");
        addPod(nodes[0], churn);
        const ScaleFeasibility f = predictScale(nodes, churn, 1, 4);
        QCOMPARE(f.acceleratorsFree, std::int64_t(3));
        QCOMPARE(f.acceleratorsUsable, std::int64_t(1));
        QCOMPARE(f.pending, 2);
        QCOMPARE(f.summary(), std::string("+3 pods need 3 nvidia.com/gpu; 3 free on schedulable "
                                          "nodes, 1 where these pods can run → 2 would stay "
                                          "Pending"));
        QCOMPARE(predictScale(nodes, churn, 1, 3).summary(),
                 std::string("+2 pods need 2 nvidia.com/gpu; 3 free on schedulable nodes, 1 "
                             "where these pods can run → 1 would stay Pending"));
    }

    // A scale-down deletes Pending pods first; only the others free anything.
    void scaleDownDeletesPendingFirst() {
        ScalePlan plan;
        plan.current = 5;
        plan.target = 2;
        plan.templatePod = gpuPod();
        plan.deleted = 3;
        plan.pendingNow = 1;
        plan.pendingDeleted = 1;
        addResources(plan.freed, gpuPod().requests);
        addResources(plan.freed, gpuPod().requests);
        const ScaleFeasibility f = predictScale(gpuNodes({{"gpu-a", 0}}), plan);
        QCOMPARE(f.pendingAfter(), 0);
        QCOMPARE(f.summary(), std::string("−3 pods (1 Pending) free 2 nvidia.com/gpu"));
        plan.deleted = plan.pendingNow = plan.pendingDeleted = 2;
        plan.freed.clear();
        QCOMPARE(predictScale(gpuNodes({{"gpu-a", 0}}), plan).summary(),
                 std::string("−2 pods (all Pending)"));
    }

    // MIG slices are their own resource, counted in slices; whole GPUs do not help.
    void migSlices() {
        json mig = node("h100-mig", {{"cpu", "200"},
                                     {"memory", "1000Gi"},
                                     {"pods", "110"},
                                     {"nvidia.com/mig-1g.10gb", 3},
                                     {"nvidia.com/mig-3g.40gb", 2}});
        std::vector<NodeState> nodes{fromNodeJson(mig), fromNodeJson(node("a100", allocatable(8)))};
        const PodNeeds embedder = fromPodTemplateJson(
            podTemplate({{"cpu", "2"}, {"memory", "8Gi"}, {"nvidia.com/mig-1g.10gb", 1}}), "ml");
        addPod(nodes[0], embedder);
        const ScaleFeasibility f = predictScale(nodes, embedder, 1, 5);
        QCOMPARE(f.acceleratorResource, std::string("nvidia.com/mig-1g.10gb"));
        QCOMPARE(f.acceleratorsFree, std::int64_t(2));
        QCOMPARE(f.acceleratorsNeeded, std::int64_t(4));
        QCOMPARE(f.placed, (std::map<std::string, int>{{"h100-mig", 2}}));
        QCOMPARE(f.pending, 2);
        QCOMPARE(f.summary(), std::string("+4 pods need 4 nvidia.com/mig-1g.10gb; 2 free on "
                                          "schedulable nodes → 2 would stay Pending"));
    }

    // Pending pods ahead in the queue take the room first; ones that cannot fit change nothing.
    void pendingPodsGoFirst() {
        const std::vector<NodeState> nodes = gpuNodes({{"gpu-a", 2}});
        const ScaleFeasibility f = predictScale(nodes, gpuPod(), 1, 3, {gpuPod(8), gpuPod(1)});
        QCOMPARE(f.acceleratorsFree, std::int64_t(1)); // the 1-GPU pod took one, the 8-GPU one none
        QCOMPARE(f.placed, (std::map<std::string, int>{{"gpu-a", 1}}));
        QCOMPARE(f.pending, 1);
    }

    void orderedReadyHoldsTheRestBack() {
        ScalePlan plan;
        plan.current = 1;
        plan.target = 4;
        plan.templatePod = gpuPod();
        plan.batches.push_back({gpuPod(), 3});
        plan.oneAtATime = true;
        const ScaleFeasibility f = predictScale(gpuNodes({{"gpu-a", 1}}), plan);
        QCOMPARE(f.placed.size(), std::size_t(1));
        QCOMPARE(f.pending, 1);
        QCOMPARE(f.waiting, 1);
        QCOMPARE(f.summary(), std::string("+3 pods need 3 nvidia.com/gpu; 1 free on schedulable "
                                          "nodes → 1 would stay Pending; 1 more not created until "
                                          "the earlier ones are Ready"));
    }

    // The GPU deadlock (3 old pods Ready, the surge pod Pending, 25%/25%) scaled up and down:
    // the deployment controller's syncs as the sandbox runs them.
    void resizeMidRollout_data() {
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("oldSize");
        QTest::addColumn<int>("newSize");
        // 4: surge 1, unavailable 1: the extra old pod is unhealthy and cleaned up again.
        QTest::newRow("4") << 4 << 3 << 2;
        // 5: surge 2: proportional +3 (old 5, new 2), cleanup to 4, new grows to 3.
        QTest::newRow("5") << 5 << 4 << 3;
        QTest::newRow("3 (unchanged)") << 3 << 3 << 1;
        // 2: surge 1 -> allowed 3; the old ReplicaSet is the larger and gives up one.
        QTest::newRow("2") << 2 << 2 << 1;
        QTest::newRow("0") << 0 << 0 << 0;
    }
    void resizeMidRollout() {
        QFETCH(int, target);
        QFETCH(int, oldSize);
        QFETCH(int, newSize);
        DeploymentParams d;
        d.replicas = target;
        std::vector<ReplicaSetCounts> sets{rs(3, 3, false, 0, 3), rs(1, 0, true, 1, 3)};
        sets[0].maxReplicasAnnotation = sets[1].maxReplicasAnnotation = 4;
        const std::vector<int> sizes = replicaSetSizesAfterScale(d, sets, 4);
        QCOMPARE(sizes, (std::vector<int>{oldSize, newSize}));
    }

    // The reference's golden case of proportional scaling, then the rollout's next steps with
    // nothing becoming available: 10 → 15 replicas gives old 11, new 7; together they hold
    // 15 + 3 surge already, and no old pod may go while the new ones are unavailable.
    void proportionalGoldenCase() {
        DeploymentParams d;
        d.replicas = 15;
        d.maxSurge = IntOrPercent::fromInt(3);
        d.maxUnavailable = IntOrPercent::fromInt(2);
        std::vector<ReplicaSetCounts> sets{rs(8, 8, false, 0, 10), rs(5, 0, true, 1, 10)};
        sets[0].maxReplicasAnnotation = sets[1].maxReplicasAnnotation = 13;
        QCOMPARE(replicaSetSizesAfterScale(d, sets, 13), (std::vector<int>{11, 7}));
        // Paused: the scaling event only.
        QCOMPARE(replicaSetSizesAfterScale(d, sets, 13, true), (std::vector<int>{11, 7}));
    }

    void steadyStateScales() {
        DeploymentParams d;
        d.replicas = 7;
        std::vector<ReplicaSetCounts> sets{rs(0, 0, false, 0, 2), rs(2, 2, true, 1, 2)};
        QCOMPARE(replicaSetSizesAfterScale(d, sets, 2), (std::vector<int>{0, 7}));
    }
};

QTEST_APPLESS_MAIN(TstScaleFeasibility)
#include "tst_scalefeasibility.moc"
