// Sandbox scenarios in a cluster: the built-in ones load and reach, after their warm-up, the
// state they promise (Ready pods, a rollout stuck on a full T4 pool with the scheduler's exact
// message, a crash loop, an ordered StatefulSet); later phases update objects in place; the
// generated scale scenario has exactly the asked-for counts, in steady state.
#include "sandbox/cluster.h"
#include "sandbox/resources.h"
#include "sandbox/scenario.h"
#include "scenariotexts.h"

#include <QTest>

#include <chrono>
#include <map>
#include <set>

using namespace kd::sandbox;

namespace {

constexpr double kStart = 1'800'000'000; // 2027-01-15T08:00:00Z

QString q(const std::string &s) {
    return QString::fromStdString(s);
}

std::unique_ptr<Cluster> manualCluster() {
    return std::make_unique<Cluster>(Cluster::Options{Clock::Mode::Manual, 1.0, kStart});
}

std::vector<ObjectPtr> listOf(Cluster &c, const char *apiVersion, const char *kind,
                              const std::string &ns = {}) {
    return c.store().list(resourceType(apiVersion, kind), ns);
}

std::vector<ObjectPtr> podsWithApp(Cluster &c, const std::string &ns, const std::string &app) {
    std::vector<ObjectPtr> out;
    for (const ObjectPtr &p : listOf(c, "v1", "Pod", ns))
        if (str(*p, {"metadata", "labels", "app"}) == app &&
            at(*p, {"metadata", "deletionTimestamp"}).is_null())
            out.push_back(p);
    return out;
}

std::string conditionStatus(const Json &obj, const std::string &type) {
    const Json &conditions = at(obj, {"status", "conditions"});
    if (conditions.is_array())
        for (const Json &c : conditions)
            if (c.value("type", "") == type)
                return c.value("status", "");
    return {};
}

std::vector<std::string> eventMessages(Cluster &c, const Json &about, const std::string &reason) {
    std::vector<std::string> out;
    for (const ObjectPtr &e : listOf(c, "v1", "Event", namespaceOf(about)))
        if (str(*e, {"involvedObject", "uid"}) == uidOf(about) && str(*e, {"reason"}) == reason)
            out.push_back(str(*e, {"message"}));
    return out;
}

// Extended resources (GPUs, MIG slices) a pod asks for.
std::vector<std::string> acceleratorRequests(const Json &pod) {
    std::vector<std::string> out;
    for (const Json &c : at(pod, {"spec", "containers"})) {
        const Json &limits = at(c, {"resources", "limits"});
        if (limits.is_object())
            for (auto it = limits.begin(); it != limits.end(); ++it)
                if (it.key().rfind("nvidia.com/", 0) == 0)
                    out.push_back(it.key());
    }
    return out;
}

} // namespace

class TstScenarios final : public QObject {
    Q_OBJECT

private slots:
    void builtinLoadsIntoCluster_data() {
        QTest::addColumn<QString>("name");
        for (const std::string &n : builtinScenarioNames())
            QTest::newRow(n.c_str()) << q(n);
    }
    void builtinLoadsIntoCluster() {
        QFETCH(QString, name);
        Scenario s = loadScenario(name.toStdString());
        auto cluster = manualCluster();
        applyScenario(*cluster, s);
        double warmup = 0;
        for (const ScenarioPhase &p : s.phases)
            warmup += p.warmupSeconds;
        QCOMPARE(cluster->clock().now(), kStart + warmup);
        // Every object of the last phase that defines it is in the store.
        for (const ScenarioPhase &p : s.phases)
            for (const Json &obj : p.objects) {
                const ResourceType &type =
                    resourceType(str(obj, {"apiVersion"}), str(obj, {"kind"}));
                QVERIFY2(cluster->store().get(type, namespaceOf(obj), nameOf(obj)),
                         nameOf(obj).c_str());
            }
        // Nodes keep the status the scenario gives them, with times filled in.
        for (const ObjectPtr &n : listOf(*cluster, "v1", "Node")) {
            QCOMPARE(q(conditionStatus(*n, "Ready")), QStringLiteral("True"));
            for (const Json &cond : at(*n, {"status", "conditions"})) {
                QVERIFY(Clock::parseRfc3339(str(cond, {"lastHeartbeatTime"})) >= kStart);
                QCOMPARE(q(str(cond, {"lastTransitionTime"})), q(Clock::rfc3339(kStart)));
            }
            QCOMPARE(q(str(*n, {"status", "nodeInfo", "kubeletVersion"})),
                     QStringLiteral("v1.20.2"));
            QCOMPARE(q(str(*n, {"metadata", "labels", "kubernetes.io/hostname"})), q(nameOf(*n)));
        }
    }

    // A real-clock cluster starts behind the wall clock by the warm-ups, so a freshly started
    // sandbox shows ages such as "2m", never a creation time in the future.
    void realClockEndsWarmupAtWallTime() {
        Scenario s = loadScenario("ml-serving");
        Cluster cluster({Clock::Mode::Real, 1.0, realClockStart(s)});
        applyScenario(cluster, s);
        const double wallNow =
            std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        QVERIFY2(cluster.clock().now() <= wallNow + 1, "the sandbox clock runs ahead");
        QVERIFY2(cluster.clock().now() >= wallNow - 30, "the warm-up was not accounted for");
        for (const ObjectPtr &pod : listOf(cluster, "v1", "Pod"))
            QVERIFY(Clock::parseRfc3339(str(*pod, {"metadata", "creationTimestamp"})) <=
                    wallNow + 1);
    }

    void mlServingAfterWarmup() {
        auto cluster = manualCluster();
        applyScenario(*cluster, loadScenario("ml-serving"));
        Cluster &c = *cluster;

        // churn-predictor rolled out 0.3.1 in phase 1: three Ready pods of the new image.
        auto churn = podsWithApp(c, "ml-serving", "churn-predictor");
        QCOMPARE(churn.size(), 3u);
        for (const ObjectPtr &p : churn) {
            QCOMPARE(q(conditionStatus(*p, "Ready")), QStringLiteral("True"));
            QCOMPARE(q(str((*p)["spec"]["containers"][0], {"image"})),
                     QStringLiteral("ghcr.io/yourorg/churn-service:0.3.1"));
        }

        // recommender 2.5.0: three old pods Running, exactly one surge pod Pending for a GPU.
        auto rec = podsWithApp(c, "ml-serving", "recommender");
        QCOMPARE(rec.size(), 4u);
        std::vector<ObjectPtr> pending;
        for (const ObjectPtr &p : rec)
            if (str(*p, {"status", "phase"}) == "Pending")
                pending.push_back(p);
        QCOMPARE(pending.size(), 1u);
        QCOMPARE(q(str((*pending[0])["spec"]["containers"][0], {"image"})),
                 QStringLiteral("ghcr.io/yourorg/recommender:2.5.0"));
        QVERIFY(str(*pending[0], {"spec", "nodeName"}).empty());
        auto messages = eventMessages(c, *pending[0], "FailedScheduling");
        QCOMPARE(messages.size(), 1u);
        // 3 T4 nodes are full; the other 6 do not carry a Tesla-T4 (the selector); upstream sorts
        // the reasons and names the preemption outcome the same way.
        QCOMPARE(
            q(messages[0]),
            QStringLiteral(
                "0/9 nodes are available: 3 Insufficient nvidia.com/gpu, 6 node(s) didn't match "
                "Pod's node affinity/selector. preemption: 0/9 nodes are available: 3 No "
                "preemption victims found for incoming pod, 6 Preemption is not helpful for "
                "scheduling."));

        // Statuses a scenario sets stay: the load balancer's address, the ingress's.
        ObjectPtr svc = c.store().get(resourceType("v1", "Service"), "ml-serving", "inference-api");
        QCOMPARE(q(str(at(*svc, {"status", "loadBalancer", "ingress"})[0], {"ip"})),
                 QStringLiteral("203.0.113.10"));
        QVERIFY(!str(*svc, {"spec", "clusterIP"}).empty());
        ObjectPtr ing = c.store().get(resourceType("networking.k8s.io/v1", "Ingress"), "ml-serving",
                                      "churn-predictor");
        QCOMPARE(q(str(at(*ing, {"status", "loadBalancer", "ingress"})[0], {"ip"})),
                 QStringLiteral("203.0.113.20"));

        // feature-sync crash-loops.
        auto crash = podsWithApp(c, "ml-platform", "feature-sync");
        QCOMPARE(crash.size(), 1u);
        const Json &cs = (*crash[0])["status"]["containerStatuses"][0];
        QCOMPARE(q(str(cs, {"state", "waiting", "reason"})), QStringLiteral("CrashLoopBackOff"));
        QVERIFY(integer(cs, {"restartCount"}) > 0);

        // qdrant: qdrant-0, -1, -2, all Ready.
        auto qdrant = podsWithApp(c, "vector", "qdrant");
        QCOMPARE(qdrant.size(), 3u);
        for (std::size_t i = 0; i < qdrant.size(); ++i) {
            QCOMPARE(q(nameOf(*qdrant[i])), QStringLiteral("qdrant-%1").arg(i));
            QCOMPARE(q(conditionStatus(*qdrant[i], "Ready")), QStringLiteral("True"));
        }

        // The LLM server loaded its model within the warm-up; MIG pods got their slices.
        for (const char *app :
             {"llm-server", "text-embedder", "reranker", "inference-api", "mlflow"}) {
            auto pods = podsWithApp(c, "ml-serving", app);
            if (pods.empty())
                pods = podsWithApp(c, "ml-platform", app);
            QVERIFY2(!pods.empty(), app);
            for (const ObjectPtr &p : pods)
                QVERIFY2(conditionStatus(*p, "Ready") == "True",
                         (std::string(app) + " " + nameOf(*p)).c_str());
        }

        // Pods asking for GPUs or MIG slices run only on nodes that have them.
        std::map<std::string, ObjectPtr> nodes;
        for (const ObjectPtr &n : listOf(c, "v1", "Node"))
            nodes[nameOf(*n)] = n;
        int accelerated = 0;
        for (const ObjectPtr &p : listOf(c, "v1", "Pod")) {
            std::string nodeName = str(*p, {"spec", "nodeName"});
            for (const std::string &resource : acceleratorRequests(*p)) {
                if (nodeName.empty())
                    continue;
                ++accelerated;
                QVERIFY(nodes.count(nodeName));
                const Json &allocatable = at(*nodes[nodeName], {"status", "allocatable"});
                QVERIFY2(allocatable.contains(resource) && allocatable[resource] != "0",
                         (nameOf(*p) + " on " + nodeName).c_str());
            }
        }
        QCOMPARE(accelerated, 3 + 2 + 4 + 2 + 3); // churn, llm, embedder, reranker, recommender
    }

    void gpuDeadlock() {
        auto cluster = manualCluster();
        applyScenario(*cluster, loadScenario("gpu-deadlock"));
        auto pods = podsWithApp(*cluster, "speech", "whisper-asr");
        QCOMPARE(pods.size(), 4u);
        int pending = 0, ready = 0;
        for (const ObjectPtr &p : pods) {
            if (str(*p, {"status", "phase"}) == "Pending") {
                ++pending;
                auto messages = eventMessages(*cluster, *p, "FailedScheduling");
                QCOMPARE(messages.size(), 1u);
                QCOMPARE(q(messages[0]),
                         QStringLiteral("0/3 nodes are available: 3 Insufficient nvidia.com/gpu. "
                                        "preemption: 0/3 nodes are available: 3 No preemption "
                                        "victims found for incoming pod."));
            } else if (conditionStatus(*p, "Ready") == "True") {
                ++ready;
                QCOMPARE(q(str((*p)["spec"]["containers"][0], {"image"})),
                         QStringLiteral("ghcr.io/yourorg/whisper-asr:1.4.0"));
            }
        }
        QCOMPARE(pending, 1);
        QCOMPARE(ready, 3);
    }

    void laterPhaseUpdatesInPlace() {
        auto cluster = manualCluster();
        Scenario s = parseScenario(kd::testing::kTwoPhases, "two.yaml");
        const ResourceType &cm = resourceType("v1", "ConfigMap");
        s.phases.resize(1);
        applyScenario(*cluster, s);
        ObjectPtr first = cluster->store().get(cm, "ml", "settings");
        QVERIFY(first);
        QCOMPARE(cluster->clock().now(), kStart + 10);

        Scenario rest = parseScenario(kd::testing::kTwoPhases, "two.yaml");
        rest.phases.erase(rest.phases.begin());
        applyScenario(*cluster, rest);
        ObjectPtr second = cluster->store().get(cm, "ml", "settings");
        QCOMPARE(q(uidOf(*second)), q(uidOf(*first)));
        QCOMPARE(q(str(*second, {"metadata", "creationTimestamp"})),
                 q(str(*first, {"metadata", "creationTimestamp"})));
        QCOMPARE(q(str(*second, {"data", "threshold"})), QStringLiteral("0.5"));
        QCOMPARE(q(str(*second, {"data", "model"})), QStringLiteral("v2"));
        QVERIFY(at(*second, {"metadata", "labels"}).is_null()); // replaced, not merged
        QCOMPARE(q(str(*second, {"metadata", "annotations", "note"})), QStringLiteral("second"));
        QVERIFY(cluster->store().get(cm, "default", "other"));
    }

    void refusedObjectsAreNamed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("invalid")
            << "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ml}\n"
               "spec:\n  replicas: -1\n  selector: {matchLabels: {app: web}}\n  template:\n"
               "    metadata: {labels: {app: web}}\n"
               "    spec: {containers: [{name: c, image: nginx:1.25}]}\n"
            << "scenario bad.yaml, phase 0: Deployment ml/web was refused: Deployment.apps "
               "\"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or "
               "equal to 0";
        QTest::newRow("owner missing")
            << "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
               "  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: gone}]\n"
            << "scenario bad.yaml, phase 0: ConfigMap default/c cannot be loaded: its "
               "owner Deployment gone is not in the cluster (owners must come first)";
    }
    void refusedObjectsAreNamed() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        auto cluster = manualCluster();
        Scenario s = parseScenario(text.toStdString(), "bad.yaml");
        try {
            applyScenario(*cluster, s);
            QFAIL("applied");
        } catch (const std::runtime_error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(expected), e.what());
        }
    }

    void scaleCounts() {
        Scenario s = loadScenario("scale:pods=10000,nodes=200,deployments=500");
        auto cluster = manualCluster();
        applyScenario(*cluster, s);
        Cluster &c = *cluster;
        QCOMPARE(c.store().count(resourceType("v1", "Pod")), 10000u);
        QCOMPARE(c.store().count(resourceType("v1", "Node")), 200u);
        QCOMPARE(c.store().count(resourceType("apps/v1", "Deployment")), 500u);
        QCOMPARE(c.store().count(resourceType("apps/v1", "ReplicaSet")), 500u);
        QCOMPARE(c.store().count(resourceType("v1", "Service")), 500u);
        int mlNamespaces = 0;
        for (const ObjectPtr &n : listOf(c, "v1", "Namespace"))
            mlNamespaces += nameOf(*n).rfind("ml-", 0) == 0;
        QCOMPARE(mlNamespaces, 10); // ~50 Deployments a namespace

        // Every pod is bound, Running and Ready; no node holds more than it can.
        std::map<std::string, ObjectPtr> nodes;
        for (const ObjectPtr &n : listOf(c, "v1", "Node"))
            nodes[nameOf(*n)] = n;
        std::map<std::string, int> podsOn, gpusOn;
        std::set<std::string> ips;
        for (const ObjectPtr &p : listOf(c, "v1", "Pod")) {
            QCOMPARE(q(str(*p, {"status", "phase"})), QStringLiteral("Running"));
            QCOMPARE(q(conditionStatus(*p, "Ready")), QStringLiteral("True"));
            std::string node = str(*p, {"spec", "nodeName"});
            QVERIFY(nodes.count(node));
            ++podsOn[node];
            QVERIFY(ips.insert(str(*p, {"status", "podIP"})).second);
            if (!acceleratorRequests(*p).empty()) {
                ++gpusOn[node];
                QVERIFY(at(*nodes[node], {"status", "allocatable", "nvidia.com/gpu"}).is_string());
            }
            QCOMPARE(at(*p, {"metadata", "ownerReferences"}).size(), 1u);
        }
        for (const auto &[node, count] : podsOn)
            QVERIFY(count <= 110);
        for (const auto &[node, count] : gpusOn)
            QVERIFY(count <= 8);
        QVERIFY(!gpusOn.empty());

        // Deployments report their replicas as available; the controllers left them alone.
        long total = 0;
        for (const ObjectPtr &d : listOf(c, "apps/v1", "Deployment")) {
            QCOMPARE(integer(*d, {"status", "availableReplicas"}),
                     integer(*d, {"spec", "replicas"}));
            QCOMPARE(q(str(*d, {"metadata", "annotations", "deployment.kubernetes.io/revision"})),
                     QStringLiteral("1"));
            total += integer(*d, {"spec", "replicas"});
        }
        QCOMPARE(total, 10000L);
    }
};

QTEST_GUILESS_MAIN(TstScenarios)
#include "tst_scenarios.moc"
