// Scheduling semantics against upstream's texts and rules: the FailedScheduling message of the
// GPU deadlock (reference §4), taints and tolerations, node affinity operators, pod
// anti-affinity, least-allocated choice and the placement prediction the GUI relies on.
#include "semantics/scheduling.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace kd::semantics;
using nlohmann::json;

namespace {

json node(const std::string &name, json allocatable, json labels = json::object(),
          json taints = json()) {
    json n{{"apiVersion", "v1"},
           {"kind", "Node"},
           {"metadata", {{"name", name}, {"labels", std::move(labels)}}},
           {"status", {{"allocatable", std::move(allocatable)}}}};
    if (!taints.is_null())
        n["spec"]["taints"] = std::move(taints);
    return n;
}

json gpuNodeAllocatable(int gpus) {
    return {{"cpu", "16"},
            {"memory", "64Gi"},
            {"pods", "110"},
            {"nvidia.com/gpu", std::to_string(gpus)}};
}

json pod(const std::string &name, json limits, json labels = json::object()) {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", "ml"}, {"labels", std::move(labels)}}},
            {"spec",
             {{"containers",
               {{{"name", "c"},
                 {"image", "vllm:0.4"},
                 {"resources", {{"limits", std::move(limits)}}}}}}}}};
}

NodeState withPods(json nodeJson, const std::vector<json> &pods) {
    NodeState n = fromNodeJson(nodeJson);
    for (const json &p : pods)
        addPod(n, fromPodJson(p));
    return n;
}

std::vector<NodeState> gpuDeadlockCluster() {
    std::vector<NodeState> nodes;
    for (const char *name : {"gpu-a", "gpu-b", "gpu-c"})
        nodes.push_back(withPods(node(name, gpuNodeAllocatable(1)),
                                 {pod(std::string("old-") + name, {{"nvidia.com/gpu", 1}})}));
    return nodes;
}

json antiAffinity(const std::string &app,
                  const std::string &topologyKey = "kubernetes.io/hostname") {
    return {{"podAntiAffinity",
             {{"requiredDuringSchedulingIgnoredDuringExecution",
               {{{"labelSelector", {{"matchLabels", {{"app", app}}}}},
                 {"topologyKey", topologyKey}}}}}}};
}

} // namespace

class TstScheduling final : public QObject {
    Q_OBJECT

private slots:
    void gpuDeadlockMessage() {
        ScheduleDecision d =
            scheduleOne(fromPodJson(pod("new", {{"nvidia.com/gpu", 1}})), gpuDeadlockCluster());
        QVERIFY(!d.scheduled());
        QCOMPARE(
            d.message,
            std::string("0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 "
                        "nodes are available: 3 No preemption victims found for incoming pod."));
    }

    void mixedTaintAndCpu() {
        json big{{"cpu", "3"}, {"memory", "1Gi"}};
        std::vector<NodeState> nodes{
            withPods(node("a", {{"cpu", "4"}, {"memory", "8Gi"}, {"pods", "110"}}, json::object(),
                          {{{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoSchedule"}}}),
                     {}),
            withPods(node("b", {{"cpu", "4"}, {"memory", "8Gi"}, {"pods", "110"}}),
                     {pod("x", {{"cpu", "2"}})}),
            withPods(node("c", {{"cpu", "4"}, {"memory", "8Gi"}, {"pods", "110"}}),
                     {pod("y", {{"cpu", "2"}})})};
        ScheduleDecision d = scheduleOne(fromPodJson(pod("web", big)), nodes);
        QCOMPARE(
            d.message,
            std::string(
                "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
                "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is "
                "not helpful for scheduling, 2 No preemption victims found for incoming pod."));
    }

    void requestBeyondAllocatableIsUnresolvable() {
        // CPU-only nodes have no GPU at all: evicting pods could never help.
        std::vector<NodeState> nodes{
            fromNodeJson(node("cpu-1", {{"cpu", "8"}, {"memory", "32Gi"}, {"pods", "110"}})),
            fromNodeJson(node("cpu-2", {{"cpu", "8"}, {"memory", "32Gi"}, {"pods", "110"}}))};
        ScheduleDecision d = scheduleOne(fromPodJson(pod("llm", {{"nvidia.com/gpu", 1}})), nodes);
        QCOMPARE(
            d.message,
            std::string("0/2 nodes are available: 2 Insufficient nvidia.com/gpu. preemption: 0/2 "
                        "nodes are available: 2 Preemption is not helpful for scheduling."));
    }

    void everyResourceCounted() {
        NodeState n =
            fromNodeJson(node("small", {{"cpu", "1"}, {"memory", "1Gi"}, {"pods", "110"}}));
        FitResult r = fit(fromPodJson(pod("p", {{"cpu", "2"}, {"memory", "2Gi"}})), n);
        QCOMPARE(r.reasons(),
                 (std::vector<std::string>{"Insufficient cpu", "Insufficient memory"}));
        QCOMPARE(failedSchedulingMessage({r}),
                 std::string("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. "
                             "preemption: 0/1 "
                             "nodes are available: 1 Preemption is not helpful for scheduling."));
    }

    void histogramSortsFormattedEntries() {
        // Upstream sorts "<count> <reason>" strings, so "10 ..." comes before "2 ...".
        std::vector<FitResult> perNode;
        for (int i = 0; i < 10; ++i)
            perNode.push_back({{{Filter::NodeResourcesFit, "Insufficient cpu", false}}});
        for (int i = 0; i < 2; ++i)
            perNode.push_back(
                {{{Filter::TaintToleration, "node(s) had untolerated taint {a: b}", true}}});
        QCOMPARE(
            failedSchedulingMessage(perNode),
            std::string(
                "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint "
                "{a: b}. "
                "preemption: 0/12 nodes are available: 10 No preemption victims found for incoming "
                "pod, 2 Preemption is not helpful for scheduling."));
    }

    void noNodes() {
        ScheduleDecision d = scheduleOne(fromPodJson(pod("p", {{"cpu", "1"}})), {});
        QCOMPARE(d.message, std::string("no nodes available to schedule pods"));
    }

    void tooManyPods() {
        NodeState n = withPods(node("n", {{"cpu", "8"}, {"memory", "8Gi"}, {"pods", "2"}}),
                               {pod("a", {{"cpu", "1"}}), pod("b", {{"cpu", "1"}})});
        QCOMPARE(fit(fromPodJson(pod("c", {{"cpu", "1"}})), n).reasons(),
                 std::vector<std::string>{"Too many pods"});
    }

    void schedulerStopsAtFirstFailingFilter() {
        NodeState n = fromNodeJson(
            node("n", {{"cpu", "1"}, {"memory", "1Gi"}, {"pods", "110"}}, json::object(),
                 {{{"key", "gpu"}, {"value", "true"}, {"effect", "NoExecute"}}}));
        FitResult r = fit(fromPodJson(pod("p", {{"cpu", "2"}})), n);
        QCOMPARE(r.reasons(), (std::vector<std::string>{"node(s) had untolerated taint {gpu: true}",
                                                        "Insufficient cpu"}));
        QCOMPARE(r.schedulerReasons(),
                 std::vector<std::string>{"node(s) had untolerated taint {gpu: true}"});
        QVERIFY(r.schedulerUnresolvable());
    }

    void tolerations_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("effect");
        QTest::addColumn<bool>("tolerated");
        // Against the taint {dedicated=gpu:NoSchedule}.
        QTest::newRow("equal match") << "dedicated"
                                     << "Equal"
                                     << "gpu"
                                     << "NoSchedule" << true;
        QTest::newRow("empty op is Equal") << "dedicated"
                                           << ""
                                           << "gpu"
                                           << "NoSchedule" << true;
        QTest::newRow("equal other value") << "dedicated"
                                           << "Equal"
                                           << "cpu"
                                           << "NoSchedule" << false;
        QTest::newRow("exists") << "dedicated"
                                << "Exists"
                                << ""
                                << "NoSchedule" << true;
        QTest::newRow("exists other key") << "team"
                                          << "Exists"
                                          << ""
                                          << "NoSchedule" << false;
        QTest::newRow("empty key exists: all") << ""
                                               << "Exists"
                                               << ""
                                               << "" << true;
        QTest::newRow("empty effect: all effects") << "dedicated"
                                                   << "Equal"
                                                   << "gpu"
                                                   << "" << true;
        QTest::newRow("other effect") << "dedicated"
                                      << "Equal"
                                      << "gpu"
                                      << "NoExecute" << false;
        QTest::newRow("unknown operator") << "dedicated"
                                          << "Gt"
                                          << "gpu"
                                          << "NoSchedule" << false;
    }
    void tolerations() {
        QFETCH(QString, key);
        QFETCH(QString, op);
        QFETCH(QString, value);
        QFETCH(QString, effect);
        QFETCH(bool, tolerated);
        Toleration t{key.toStdString(), op.toStdString(), value.toStdString(),
                     effect.toStdString()};
        QCOMPARE(tolerates(t, Taint{"dedicated", "gpu", "NoSchedule"}), tolerated);
    }

    void taintEffects() {
        std::vector<Taint> taints{{"soft", "x", "PreferNoSchedule"}, {"evict", "y", "NoExecute"}};
        auto first = firstUntoleratedTaint(taints, {});
        QVERIFY(first);
        QCOMPARE(first->key, std::string("evict")); // PreferNoSchedule never blocks
        QVERIFY(!firstUntoleratedTaint(taints, {{"evict", "Exists", "", "NoExecute"}}));
    }

    void unschedulableNodes() {
        json cordoned = node("n", {{"cpu", "4"}, {"memory", "4Gi"}, {"pods", "110"}});
        cordoned["spec"]["unschedulable"] = true;
        NodeState n = fromNodeJson(cordoned);
        PodNeeds p = fromPodJson(pod("p", {{"cpu", "1"}}));
        QCOMPARE(fit(p, n).reasons(), std::vector<std::string>{"node(s) were unschedulable"});
        QCOMPARE(
            scheduleOne(p, {n}).message,
            std::string(
                "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are "
                "available: 1 Preemption is not helpful for scheduling."));
        p.tolerations.push_back({"node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule"});
        QVERIFY(fit(p, n).fits());
    }

    void nodeAffinityOperators_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("values"); // comma-separated
        QTest::addColumn<bool>("matches");
        // Node labels: gpu.product=A100, gpu.count=8; no "spot" label.
        QTest::newRow("In") << "gpu.product"
                            << "In"
                            << "H100,A100" << true;
        QTest::newRow("In miss") << "gpu.product"
                                 << "In"
                                 << "H100" << false;
        QTest::newRow("In absent") << "spot"
                                   << "In"
                                   << "true" << false;
        QTest::newRow("NotIn") << "gpu.product"
                               << "NotIn"
                               << "T4" << true;
        QTest::newRow("NotIn hit") << "gpu.product"
                                   << "NotIn"
                                   << "A100" << false;
        QTest::newRow("NotIn absent") << "spot"
                                      << "NotIn"
                                      << "true" << true;
        QTest::newRow("Exists") << "gpu.count"
                                << "Exists"
                                << "" << true;
        QTest::newRow("Exists absent") << "spot"
                                       << "Exists"
                                       << "" << false;
        QTest::newRow("DoesNotExist") << "spot"
                                      << "DoesNotExist"
                                      << "" << true;
        QTest::newRow("DoesNotExist present") << "gpu.count"
                                              << "DoesNotExist"
                                              << "" << false;
        QTest::newRow("Gt") << "gpu.count"
                            << "Gt"
                            << "4" << true;
        QTest::newRow("Gt equal") << "gpu.count"
                                  << "Gt"
                                  << "8" << false;
        QTest::newRow("Lt") << "gpu.count"
                            << "Lt"
                            << "16" << true;
        QTest::newRow("Lt not a number") << "gpu.product"
                                         << "Lt"
                                         << "16" << false;
        QTest::newRow("Gt absent") << "spot"
                                   << "Gt"
                                   << "1" << false;
    }
    void nodeAffinityOperators() {
        QFETCH(QString, key);
        QFETCH(QString, op);
        QFETCH(QString, values);
        QFETCH(bool, matches);
        Requirement r{key.toStdString(), op.toStdString(), {}};
        for (const QString &v : values.split(QLatin1Char(','), Qt::SkipEmptyParts))
            r.values.push_back(v.toStdString());
        Labels labels{{"gpu.product", "A100"}, {"gpu.count", "8"}};
        QCOMPARE(matchesNodeSelectorTerm({{r}, {}}, labels, "n1"), matches);
    }

    void nodeAffinityTerms() {
        json p = pod("p", {{"cpu", "1"}});
        p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
         ["nodeSelectorTerms"] = {
             {{"matchExpressions", {{{"key", "zone"}, {"operator", "In"}, {"values", {"z1"}}}}}},
             {{"matchFields",
               {{{"key", "metadata.name"}, {"operator", "In"}, {"values", {"special"}}}}}}};
        PodNeeds needs = fromPodJson(p);
        json alloc{{"cpu", "4"}, {"memory", "4Gi"}, {"pods", "110"}};
        QVERIFY(fit(needs, fromNodeJson(node("a", alloc, {{"zone", "z1"}}))).fits());
        QVERIFY(fit(needs, fromNodeJson(node("special", alloc, {{"zone", "z2"}})))
                    .fits()); // terms are ORed
        QCOMPARE(fit(needs, fromNodeJson(node("b", alloc, {{"zone", "z2"}}))).reasons(),
                 std::vector<std::string>{"node(s) didn't match Pod's node affinity/selector"});
        // nodeSelector is ANDed with the affinity.
        p["spec"]["nodeSelector"] = {{"disk", "ssd"}};
        QVERIFY(!fit(fromPodJson(p), fromNodeJson(node("a", alloc, {{"zone", "z1"}}))).fits());
        QVERIFY(
            fit(fromPodJson(p), fromNodeJson(node("a", alloc, {{"zone", "z1"}, {"disk", "ssd"}})))
                .fits());
    }

    void podAntiAffinity() {
        json alloc{{"cpu", "8"}, {"memory", "8Gi"}, {"pods", "110"}};
        json web = pod("web", {{"cpu", "1"}}, {{"app", "web"}});
        web["spec"]["affinity"] = antiAffinity("web");
        PodNeeds needs = fromPodJson(web);
        PlacementPrediction p = predictPlacement(
            {fromNodeJson(node("a", alloc)), fromNodeJson(node("b", alloc))}, needs, 3);
        QCOMPARE(p.placed, (std::map<std::string, int>{{"a", 1}, {"b", 1}}));
        QCOMPARE(p.pending, 1);
        QCOMPARE(
            p.message,
            std::string("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. "
                        "preemption: 0/2 nodes are available: 2 No preemption victims found for "
                        "incoming pod."));
        // Other namespaces do not count by default.
        json other = pod("web-other", {{"cpu", "1"}}, {{"app", "web"}});
        other["metadata"]["namespace"] = "staging";
        QVERIFY(fit(needs, withPods(node("a", alloc), {other})).fits());
    }

    void existingPodsAntiAffinity() {
        json alloc{{"cpu", "8"}, {"memory", "8Gi"}, {"pods", "110"}};
        json loner = pod("loner", {{"cpu", "1"}}, {{"app", "loner"}});
        loner["spec"]["affinity"] = antiAffinity("web");
        NodeState a = withPods(node("a", alloc), {loner});
        FitResult r = fit(fromPodJson(pod("web", {{"cpu", "1"}}, {{"app", "web"}})), a);
        QCOMPARE(r.reasons(), std::vector<std::string>{
                                  "node(s) didn't satisfy existing pods anti-affinity rules"});
        QVERIFY(fit(fromPodJson(pod("api", {{"cpu", "1"}}, {{"app", "api"}})), a).fits());
    }

    void antiAffinityAcrossZones() {
        json alloc{{"cpu", "8"}, {"memory", "8Gi"}, {"pods", "110"}};
        const std::string zone = "topology.kubernetes.io/zone";
        json db = pod("db", {{"cpu", "1"}}, {{"app", "db"}});
        db["spec"]["affinity"] = antiAffinity("db", zone);
        std::vector<NodeState> nodes{withPods(node("a", alloc, {{zone, "z1"}}), {db}),
                                     fromNodeJson(node("b", alloc, {{zone, "z1"}})),
                                     fromNodeJson(node("c", alloc, {{zone, "z2"}}))};
        ScheduleDecision d = scheduleOne(fromPodJson(db), nodes);
        QCOMPARE(d.nodeIndex, 2); // b shares a's zone
        AntiAffinityDomains domains = antiAffinityDomains(fromPodJson(db), nodes);
        QVERIFY(!fit(fromPodJson(db), nodes[1], &domains).fits());
        QVERIFY(
            fit(fromPodJson(db), nodes[1]).fits()); // without the cluster view, b alone looks fine
    }

    void labelSelectorExpressions() {
        const json selector = json::parse(R"({"matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["canary"]}]})");
        LabelSelector s = labelSelectorFromJson(selector);
        const Labels web{{"app", "web"}};
        const Labels canary{{"app", "web"}, {"tier", "canary"}};
        QVERIFY(matchesLabelSelector(s, web));
        QVERIFY(!matchesLabelSelector(s, canary));
        QVERIFY(matchesLabelSelector(labelSelectorFromJson(json::object()), web));
        QVERIFY(!matchesLabelSelector(labelSelectorFromJson(json()), web));
    }

    void migResources() {
        json alloc{
            {"cpu", "16"}, {"memory", "64Gi"}, {"pods", "110"}, {"nvidia.com/mig-1g.5gb", "7"}};
        NodeState n = withPods(node("a100", alloc), {pod("a", {{"nvidia.com/mig-1g.5gb", 5}})});
        QCOMPARE(fit(fromPodJson(pod("b", {{"nvidia.com/mig-1g.5gb", 3}})), n).reasons(),
                 std::vector<std::string>{"Insufficient nvidia.com/mig-1g.5gb"});
        QVERIFY(fit(fromPodJson(pod("c", {{"nvidia.com/mig-1g.5gb", 2}})), n).fits());
        QCOMPARE(fit(fromPodJson(pod("d", {{"nvidia.com/mig-3g.20gb", 1}})), n).reasons(),
                 std::vector<std::string>{"Insufficient nvidia.com/mig-3g.20gb"});
    }

    void terminatedPodsFreeTheirResources() {
        json done = pod("done", {{"nvidia.com/gpu", 1}});
        done["status"]["phase"] = "Succeeded";
        NodeState n = withPods(node("g", gpuNodeAllocatable(1)), {done});
        QVERIFY(fit(fromPodJson(pod("next", {{"nvidia.com/gpu", 1}})), n).fits());
    }

    void leastAllocatedChoice() {
        json alloc{{"cpu", "4"}, {"memory", "8Gi"}, {"pods", "110"}};
        std::vector<NodeState> nodes{fromNodeJson(node("c", alloc)), fromNodeJson(node("a", alloc)),
                                     fromNodeJson(node("b", alloc))};
        PodNeeds p = fromPodJson(pod("w", {{"cpu", "1"}, {"memory", "1Gi"}}));
        QCOMPARE(leastAllocatedScore(p, nodes[0]), 81LL); // (75 + 87) / 2
        PlacementPrediction pr = predictPlacement(nodes, p, 10);
        QCOMPARE(pr.placed, (std::map<std::string, int>{{"a", 4}, {"b", 3}, {"c", 3}}));
        QCOMPARE(pr.pending, 0);
        QVERIFY(pr.message.empty());
        pr = predictPlacement(nodes, p, 14);
        QCOMPARE(pr.placed, (std::map<std::string, int>{{"a", 4}, {"b", 4}, {"c", 4}}));
        QCOMPARE(pr.pending, 2);
        QCOMPARE(
            pr.message,
            std::string("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are "
                        "available: 3 No preemption victims found for incoming pod."));
    }

    void gpuRolloutPrediction() {
        // The reference's trap: every GPU taken, a surge pod stays Pending.
        PlacementPrediction p = predictPlacement(
            gpuDeadlockCluster(), fromPodJson(pod("surge", {{"nvidia.com/gpu", 1}})), 1);
        QVERIFY(p.placed.empty());
        QCOMPARE(p.pending, 1);
        QCOMPARE(
            p.message,
            std::string("0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 "
                        "nodes are available: 3 No preemption victims found for incoming pod."));
        // With two GPUs per node, three more pods fit, one per node.
        std::vector<NodeState> nodes;
        for (const char *name : {"g1", "g2", "g3"})
            nodes.push_back(withPods(node(name, gpuNodeAllocatable(2)),
                                     {pod(std::string("o-") + name, {{"nvidia.com/gpu", 1}})}));
        p = predictPlacement(nodes, fromPodJson(pod("n", {{"nvidia.com/gpu", 1}})), 4);
        QCOMPARE(p.placed, (std::map<std::string, int>{{"g1", 1}, {"g2", 1}, {"g3", 1}}));
        QCOMPARE(p.pending, 1);
    }

    void adapters() {
        json p = pod("p", {{"cpu", "1"}}, {{"app", "web"}});
        p["spec"]["initContainers"] = {
            {{"name", "init"}, {"resources", {{"requests", {{"cpu", "3"}}}}}}};
        p["spec"]["overhead"] = {{"cpu", "250m"}};
        p["spec"]["tolerations"] = {
            {{"key", "gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}};
        p["spec"]["nodeSelector"] = {{"pool", "gpu"}};
        PodNeeds n = fromPodJson(p);
        QCOMPARE(n.namespaceName, std::string("ml"));
        QCOMPARE(n.requests.at("cpu"), std::int64_t(3250));
        QCOMPARE(n.requests.at("pods"), std::int64_t(1000));
        QCOMPARE(n.tolerations.size(), std::size_t(1));
        QCOMPARE(n.tolerations[0].op, std::string("Exists"));
        QCOMPARE(n.nodeSelector.at("pool"), std::string("gpu"));
        QCOMPARE(n.labels.at("app"), std::string("web"));

        json tmpl{{"metadata", {{"labels", {{"app", "web"}}}}}, {"spec", p["spec"]}};
        PodNeeds t = fromPodTemplateJson(tmpl, "prod");
        QCOMPARE(t.namespaceName, std::string("prod"));
        QCOMPARE(t.requests, n.requests);

        json nd = node("n1", json(), {{"zone", "z"}},
                       {{{"key", "k"}, {"value", "v"}, {"effect", "NoSchedule"}}});
        nd["status"].erase("allocatable");
        nd["status"]["capacity"] = {{"cpu", "2"}};
        nd["spec"]["unschedulable"] = true;
        NodeState s = fromNodeJson(nd);
        QCOMPARE(s.allocatable.at("cpu"),
                 std::int64_t(2000)); // capacity when allocatable is missing
        QCOMPARE(s.labels.at("kubernetes.io/hostname"), std::string("n1"));
        QCOMPARE(s.taints.size(), std::size_t(1));
        QVERIFY(s.unschedulable);

        // The cluster view: pods count on their node unless unbound or finished.
        json gpuNode = node("g", gpuNodeAllocatable(2));
        json bound = pod("bound", {{"nvidia.com/gpu", 1}});
        bound["spec"]["nodeName"] = "g";
        json finished = bound;
        finished["status"]["phase"] = "Failed";
        json pending = pod("pending", {{"nvidia.com/gpu", 1}});
        std::vector<NodeState> view =
            nodeStatesFromJson<json>({&gpuNode}, {&bound, &finished, &pending});
        QCOMPARE(view.size(), std::size_t(1));
        QCOMPARE(view[0].pods.size(), std::size_t(1));
        QCOMPARE(view[0].requested.at("nvidia.com/gpu"), std::int64_t(1000));
    }
};

QTEST_APPLESS_MAIN(TstScheduling)
#include "tst_scheduling.moc"
