// The sandbox's horizontal pod autoscaler and garbage collector on a manual clock: replica
// maths, bounds, rate limit and stabilisation window; background, orphan and foreground deletion.
#include "nodesim.h"

using namespace kd::sandbox;
using namespace kd::testing;

namespace {

std::string rescaled(int size, bool up = true) {
    return "SuccessfulRescale: New size: " + std::to_string(size) + "; reason: " +
           (up ? "cpu resource utilization (percentage of request) above target"
               : "All metrics below target");
}

Json deploymentObject(const std::string &name, int replicas, const std::string &utilization,
                      bool requests = true) {
    Json d = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"name": "server", "image": "nginx:1.25"}]}}}})");
    d["metadata"]["name"] = name;
    d["metadata"]["annotations"] = {{"sandbox.kubedeck.io/utilization", utilization}};
    d["spec"]["replicas"] = replicas;
    d["spec"]["selector"] = {{"matchLabels", {{"app", name}}}};
    d["spec"]["template"]["metadata"] = {{"labels", {{"app", name}}}};
    if (requests)
        d["spec"]["template"]["spec"]["containers"][0]["resources"] = {
            {"requests", {{"cpu", "500m"}}}};
    return d;
}

Json hpaObject(const std::string &target, int minReplicas, int maxReplicas) {
    Json h = Json::parse(R"({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "scaler", "namespace": "default"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment"},
                 "metrics": [{"type": "Resource",
                              "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}})");
    h["spec"]["scaleTargetRef"]["name"] = target;
    h["spec"]["minReplicas"] = minReplicas;
    h["spec"]["maxReplicas"] = maxReplicas;
    return h;
}

Json replicaSetObject(const std::string &name, int replicas) {
    Json rs = Json::parse(
        R"({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"name": "server", "image": "nginx:1.25"}]}}}})");
    rs["metadata"]["name"] = name;
    rs["spec"]["replicas"] = replicas;
    rs["spec"]["selector"] = {{"matchLabels", {{"app", name}}}};
    rs["spec"]["template"]["metadata"] = {{"labels", {{"app", name}}}};
    return rs;
}

long long replicasOf(Sim &sim, const std::string &name) {
    return integer(sim.get("apps/v1", "Deployment", name), {"spec", "replicas"}, -1);
}

std::vector<Json> podsOf(Sim &sim, const std::string &prefix) {
    std::vector<Json> out;
    for (const Json &p : sim.list("v1", "Pod"))
        if (nameOf(p).starts_with(prefix + "-"))
            out.push_back(p);
    return out;
}

void setUtilization(Sim &sim, const std::string &deployment, const std::string &value) {
    sim.edit("apps/v1", "Deployment", deployment, [&](Json &d) {
        d["metadata"]["annotations"]["sandbox.kubedeck.io/utilization"] = value;
    });
}

} // namespace

class TstHpaGc final : public QObject {
    Q_OBJECT

private slots:
    void hpaScalesWithinBounds() {
        Sim sim;
        sim.addNode("node-a", Json{{"cpu", "64"}, {"memory", "256Gi"}, {"pods", "110"}});
        sim.create(deploymentObject("api", 2, "cpu=85"));
        sim.create(hpaObject("api", 1, 5));
        // ceil(2 * 85 / 50) = 4
        QCOMPARE(replicasOf(sim, "api"), 4LL);
        QCOMPARE(sim.events("scaler"), std::vector<std::string>{rescaled(4)});
        Json h = sim.get("autoscaling/v2", "HorizontalPodAutoscaler", "scaler");
        QCOMPARE(integer(h, {"status", "desiredReplicas"}), 4LL);
        // The same load over 4 replicas: 85% * 2 / 4 = 42%, ceil(4 * 42 / 50) = 4: stable.
        QCOMPARE(dumped(at(h, {"status", "currentMetrics"})),
                 dumped(Json::parse(R"([{"type":"Resource","resource":{"name":"cpu",
                     "current":{"averageUtilization":42,"averageValue":"210m"}}}])")));
        QCOMPARE(condition(h, "AbleToScale", "reason"), std::string("ReadyForNewScale"));
        QCOMPARE(condition(h, "ScalingActive", "reason"), std::string("ValidMetricFound"));
        QCOMPARE(condition(h, "ScalingLimited", "reason"), std::string("DesiredWithinRange"));
        QVERIFY(!str(h, {"status", "lastScaleTime"}).empty());

        // Within the 10% tolerance nothing moves (54% measured at 4 replicas).
        setUtilization(sim, "api", "cpu=54");
        QCOMPARE(replicasOf(sim, "api"), 4LL);

        // ceil(4 * 200 / 50) = 16: not within 15 s of the last scale, then capped at maxReplicas.
        setUtilization(sim, "api", "cpu=200");
        sim.until(14.8);
        QCOMPARE(replicasOf(sim, "api"), 4LL);
        sim.until(15.1);
        QCOMPARE(replicasOf(sim, "api"), 5LL);
        h = sim.get("autoscaling/v2", "HorizontalPodAutoscaler", "scaler");
        QCOMPARE(condition(h, "ScalingLimited"), std::string("True"));
        QCOMPARE(condition(h, "ScalingLimited", "reason"), std::string("TooManyReplicas"));
        QCOMPARE(sim.events("scaler").back(), rescaled(5));

        // Down: the 300 s stabilisation window keeps the highest recent recommendation (16).
        setUtilization(sim, "api", "cpu=10");
        const double loweredAt = sim.elapsed();
        sim.until(loweredAt + 299, 1);
        QCOMPARE(replicasOf(sim, "api"), 5LL);
        QCOMPARE(condition(sim.get("autoscaling/v2", "HorizontalPodAutoscaler", "scaler"),
                           "AbleToScale", "reason"),
                 std::string("ScaleDownStabilized"));
        sim.until(loweredAt + 301, 1);
        QCOMPARE(replicasOf(sim, "api"), 1LL); // ceil(5 * 10 / 50) = 1, minReplicas 1
        QCOMPARE(sim.events("scaler").back(), rescaled(1, false));
    }

    void hpaClampsToMinReplicas() {
        Sim sim;
        sim.addNode("node-a", Json{{"cpu", "64"}, {"memory", "256Gi"}, {"pods", "110"}});
        sim.create(deploymentObject("api", 1, "cpu=50"));
        sim.create(hpaObject("api", 3, 6));
        QCOMPARE(replicasOf(sim, "api"), 3LL);
        QCOMPARE(sim.events("scaler"),
                 std::vector<std::string>{"SuccessfulRescale: New size: 3; reason: Current number "
                                          "of replicas below Spec.MinReplicas"});
    }

    void hpaNeedsRequestsAndATarget() {
        Sim sim;
        sim.addNode("node-a", Json{{"cpu", "64"}, {"memory", "256Gi"}, {"pods", "110"}});
        sim.create(deploymentObject("api", 2, "cpu=90", false));
        sim.create(hpaObject("api", 1, 5));
        QCOMPARE(replicasOf(sim, "api"), 2LL);
        Json h = sim.get("autoscaling/v2", "HorizontalPodAutoscaler", "scaler");
        QCOMPARE(condition(h, "ScalingActive"), std::string("False"));
        QCOMPARE(condition(h, "ScalingActive", "reason"), std::string("FailedGetResourceMetric"));
        QCOMPARE(
            sim.events("scaler"),
            std::vector<std::string>{
                "FailedGetResourceMetric: failed to get cpu utilization: missing request for cpu"});

        Json orphan = hpaObject("nope", 1, 5);
        orphan["metadata"]["name"] = "lost";
        sim.create(orphan);
        h = sim.get("autoscaling/v2", "HorizontalPodAutoscaler", "lost");
        QCOMPARE(condition(h, "AbleToScale", "message"),
                 std::string("the HPA controller was unable to get the target's current scale: "
                             "deployments.apps \"nope\" not found"));
    }

    void gcDeletesDependents() {
        Sim sim;
        sim.addNode("node-a", Json{{"cpu", "64"}, {"memory", "256Gi"}, {"pods", "110"}});
        sim.create(replicaSetObject("rs", 2));
        sim.until(1.1);
        QCOMPARE(podsOf(sim, "rs").size(), std::size_t(2));
        sim.remove("apps/v1", "ReplicaSet", "rs"); // background propagation
        std::vector<Json> pods = podsOf(sim, "rs");
        QCOMPARE(pods.size(), std::size_t(2));
        for (const Json &p : pods) {
            QVERIFY(!at(p, {"metadata", "deletionTimestamp"}).is_null());
            QCOMPARE(sim.events(nameOf(p)).back(),
                     std::string("Killing: Stopping container server"));
        }
        sim.until(3.2);
        QVERIFY(podsOf(sim, "rs").empty());
    }

    void gcOrphans() {
        Sim sim;
        sim.addNode("node-a", Json{{"cpu", "64"}, {"memory", "256Gi"}, {"pods", "110"}});
        sim.create(replicaSetObject("rs", 2));
        sim.until(1.1);
        sim.remove("apps/v1", "ReplicaSet", "rs", "Orphan");
        QVERIFY(sim.get("apps/v1", "ReplicaSet", "rs").is_null());
        std::vector<Json> pods = podsOf(sim, "rs");
        QCOMPARE(pods.size(), std::size_t(2));
        for (const Json &p : pods) {
            QVERIFY(at(p, {"metadata", "ownerReferences"}).is_null());
            QVERIFY(at(p, {"metadata", "deletionTimestamp"}).is_null());
        }
        sim.until(10);
        QCOMPARE(podsOf(sim, "rs").size(), std::size_t(2));
    }

    void gcForeground() {
        Sim sim;
        sim.addNode("node-a", Json{{"cpu", "64"}, {"memory", "256Gi"}, {"pods", "110"}});
        sim.create(replicaSetObject("rs", 2));
        sim.until(1.1);
        sim.remove("apps/v1", "ReplicaSet", "rs", "Foreground");
        // The owner waits, marked, while its pods terminate.
        QVERIFY(!at(sim.get("apps/v1", "ReplicaSet", "rs"), {"metadata", "deletionTimestamp"})
                     .is_null());
        for (const Json &p : podsOf(sim, "rs"))
            QVERIFY(!at(p, {"metadata", "deletionTimestamp"}).is_null());
        sim.until(3.2);
        QVERIFY(podsOf(sim, "rs").empty());
        QVERIFY(sim.get("apps/v1", "ReplicaSet", "rs").is_null());
    }

    void gcRemovesDanglingReferences() {
        Sim sim;
        sim.addNode("node-a", Json{{"cpu", "64"}, {"memory", "256Gi"}, {"pods", "110"}});
        Json cm = Json::parse(
            R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "owner", "namespace": "default"}})");
        Json owner = sim.create(cm);
        Json dependent = Json::parse(
            R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "dep", "namespace": "default"}})");
        dependent["metadata"]["ownerReferences"] = {
            {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "owner"}, {"uid", uidOf(owner)}},
            {{"apiVersion", "v1"},
             {"kind", "ConfigMap"},
             {"name", "gone"},
             {"uid", "00000000-dead"}}};
        sim.create(dependent);
        Json refs = at(sim.get("v1", "ConfigMap", "dep"), {"metadata", "ownerReferences"});
        QCOMPARE(refs.size(), std::size_t(1)); // one owner still exists: only the dangling one goes
        QCOMPARE(str(refs[0], {"name"}), std::string("owner"));
        sim.remove("v1", "ConfigMap", "owner");
        QVERIFY(sim.get("v1", "ConfigMap", "dep").is_null());
    }
};

QTEST_APPLESS_MAIN(TstHpaGc)
#include "tst_hpagc.moc"
