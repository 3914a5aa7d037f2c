// explainGpuFit: the sentence that says why a GPU pod cannot be placed, per cause, and that it
// names the same nodes the scheduler's filters reject.

#include "semantics/gpufit.h"

#include <QTest>

using namespace kd::semantics;

namespace {

constexpr std::int64_t kUnit = 1000;

NodeState node(const std::string &name, const std::string &resource, std::int64_t units,
               std::int64_t usedUnits = 0) {
    NodeState n;
    n.name = name;
    n.labels = {{"kubernetes.io/hostname", name}};
    n.allocatable = {{"cpu", 32 * kUnit}, {"pods", 110 * kUnit}};
    if (!resource.empty())
        n.allocatable[resource] = units * kUnit;
    if (usedUnits > 0) {
        PodNeeds holder;
        holder.namespaceName = "ml";
        holder.requests = {{resource, usedUnits * kUnit}, {"pods", kUnit}};
        addPod(n, holder);
    }
    return n;
}

PodNeeds gpuPod(std::int64_t units, const std::string &resource = "nvidia.com/gpu") {
    PodNeeds p;
    p.name = "serve-0";
    p.namespaceName = "ml";
    p.labels = {{"app", "serve"}};
    p.requests = {{resource, units * kUnit}, {"cpu", kUnit}, {"pods", kUnit}};
    return p;
}

Taint gpuTaint() {
    return {"nvidia.com/gpu", "present", "NoSchedule"};
}

QString text(const GpuFitExplanation &e) {
    return QString::fromStdString(e.text);
}

} // namespace

class TestGpuFit : public QObject {
    Q_OBJECT

private slots:
    void needsInWholeUnits() {
        auto needs = gpuNeeds({{"cpu", 500},
                               {"nvidia.com/mig-1g.10gb", 2000},
                               {"amd.com/gpu", 1},
                               {"nvidia.com/gpu", 0}});
        QCOMPARE(needs.size(), 2u);
        QCOMPARE(needs[0].resource, std::string("amd.com/gpu"));
        QCOMPARE(needs[0].units, 1); // a fraction still takes a whole device
        QCOMPARE(needs[1].units, 2);
    }

    void fitsSaysWhere() {
        auto e = explainGpuFit(
            gpuPod(2), {node("a", "nvidia.com/gpu", 2, 1), node("b", "nvidia.com/gpu", 4, 1)});
        QVERIFY(e.fits);
        QCOMPARE(e.fitsOn, std::string("b"));
        QCOMPARE(text(e), QStringLiteral("fits on b now (3 nvidia.com/gpu free there); the "
                                         "scheduler places it on its next attempt"));
    }

    void mostFreeAndTaintedNodes() {
        std::vector<NodeState> nodes{node("a100-node-1", "nvidia.com/gpu", 2, 2),
                                     node("a100-node-2", "nvidia.com/gpu", 2, 1)};
        for (const char *name : {"t-1", "t-2", "t-3"}) {
            nodes.push_back(node(name, "nvidia.com/gpu", 8));
            nodes.back().taints.push_back(gpuTaint());
        }
        nodes.push_back(node("cpu-1", "", 0)); // offers no GPU: not mentioned
        auto e = explainGpuFit(gpuPod(2), nodes);
        QVERIFY(!e.fits);
        QCOMPARE(e.mostFree, 1);
        QCOMPARE(e.mostFreeNode, std::string("a100-node-2"));
        QCOMPARE(e.nodesOffering, 5);
        QCOMPARE(
            text(e),
            QStringLiteral(
                "needs 2 nvidia.com/gpu on one node; the most free on any "
                "schedulable node is 1 (a100-node-2); 3 nodes with nvidia.com/gpu are "
                "excluded by the taint nvidia.com/gpu=present:NoSchedule that the pod does not "
                "tolerate"));
        // Tolerating the taint makes the tainted nodes usable.
        PodNeeds tolerant = gpuPod(2);
        tolerant.tolerations.push_back({"nvidia.com/gpu", "Exists", "", "NoSchedule"});
        QVERIFY(explainGpuFit(tolerant, nodes).fits);
    }

    void fullPoolAndCordonedNode() {
        std::vector<NodeState> nodes{node("t4-1", "nvidia.com/gpu", 1, 1),
                                     node("t4-2", "nvidia.com/gpu", 1, 1),
                                     node("t4-3", "nvidia.com/gpu", 1)};
        nodes[2].unschedulable = true;
        auto e = explainGpuFit(gpuPod(1), nodes);
        QCOMPARE(text(e),
                 QStringLiteral("needs 1 nvidia.com/gpu; none is free on the 2 nodes it "
                                "may use (t4-1, t4-2); 1 node with nvidia.com/gpu is cordoned "
                                "(t4-3)"));
    }

    void noNodeOffersTheMigProfile() {
        auto e = explainGpuFit(
            gpuPod(1, "nvidia.com/mig-2g.20gb"),
            {node("h100", "nvidia.com/mig-1g.10gb", 32), node("a100", "nvidia.com/gpu", 8)});
        QCOMPARE(e.nodesOffering, 0);
        QCOMPARE(text(e), QStringLiteral("needs 1 nvidia.com/mig-2g.20gb, which no node offers "
                                         "(GPU resources offered: nvidia.com/gpu, "
                                         "nvidia.com/mig-1g.10gb)"));
    }

    void selectorExcludesEveryNode() {
        PodNeeds p = gpuPod(1);
        p.nodeSelector = {{"pool", "h100"}};
        auto e = explainGpuFit(p, {node("a", "nvidia.com/gpu", 8), node("b", "nvidia.com/gpu", 8)});
        QCOMPARE(text(e), QStringLiteral("needs 1 nvidia.com/gpu; none of the 2 nodes that offer "
                                         "it may take the pod; 2 nodes with nvidia.com/gpu do not "
                                         "match the pod's node selector or affinity"));
    }

    void roomForGpusButNotCpu() {
        NodeState n = node("a", "nvidia.com/gpu", 8);
        n.allocatable["cpu"] = 0;
        auto e = explainGpuFit(gpuPod(1), {n});
        QCOMPARE(text(e), QStringLiteral("needs 1 nvidia.com/gpu; 1 node has room for it but not "
                                         "enough cpu (a)"));
    }

    void antiAffinityRulesOutNodes() {
        PodNeeds p = gpuPod(1);
        PodAffinityTerm term;
        term.labelSelector.present = true;
        term.labelSelector.matchLabels = {{"app", "serve"}};
        term.topologyKey = "kubernetes.io/hostname";
        p.requiredAntiAffinity.push_back(term);
        NodeState a = node("a", "nvidia.com/gpu", 8);
        addPod(a, p); // a replica already there
        NodeState b = node("b", "nvidia.com/gpu", 1, 1);
        auto e = explainGpuFit(p, {a, b});
        QCOMPARE(text(e), QStringLiteral("needs 1 nvidia.com/gpu; none is free on the 1 node it "
                                         "may use (b); 1 node with nvidia.com/gpu is ruled out by "
                                         "pod anti-affinity"));
    }

    void theLastingReasonIsNamed() {
        // A cordoned node the pod's selector rules out anyway is named for the selector.
        PodNeeds p = gpuPod(1);
        p.nodeSelector = {{"pool", "t4"}};
        NodeState t4 = node("t4", "nvidia.com/gpu", 1, 1);
        t4.labels["pool"] = "t4";
        NodeState a100 = node("a100", "nvidia.com/gpu", 8);
        a100.unschedulable = true;
        a100.taints.push_back(gpuTaint());
        auto e = explainGpuFit(p, {t4, a100});
        QCOMPARE(text(e), QStringLiteral("needs 1 nvidia.com/gpu; none is free on the 1 node it "
                                         "may use (t4); 1 node with nvidia.com/gpu does not match "
                                         "the pod's node selector or affinity"));
    }

    void noNodesAtAll() {
        QCOMPARE(text(explainGpuFit(gpuPod(1), {})), QStringLiteral("no nodes in the cluster"));
    }
};

QTEST_GUILESS_MAIN(TestGpuFit)
#include "tst_gpufit.moc"
