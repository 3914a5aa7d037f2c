// The node-side controllers of the sandbox on a manual clock (scheduler, kubelet, endpoints),
// each state checked at the simulated second it must appear.
#include "nodesim.h"

using namespace kd::sandbox;
using namespace kd::testing;

namespace {

constexpr const char *kGpuMessage =
    "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes "
    "are available: 3 No preemption victims found for incoming pod.";

} // namespace

class TstNodeControllers final : public QObject {
    Q_OBJECT

private slots:
    void podLifecycle() {
        Sim sim;
        sim.addNode("node-a", gpuAllocatable());
        Json spec = podObject("web", "nginx:1.25");
        spec["spec"]["containers"][0]["readinessProbe"] = {
            {"httpGet", {{"path", "/"}, {"port", 8080}}}, {"initialDelaySeconds", 5}};
        sim.create(spec);
        Json p = sim.pod("web");
        QCOMPARE(str(p, {"spec", "nodeName"}), std::string("node-a"));
        QCOMPARE(condition(p, "PodScheduled"), std::string("True"));
        QCOMPARE(str(p, {"status", "phase"}), std::string("Pending"));
        QCOMPARE(dumped(at(p, {"status", "containerStatuses"})[0]["state"]["waiting"]["reason"]),
                 dumped(Json("ContainerCreating")));
        QCOMPARE(str(p, {"status", "hostIP"}), std::string("172.18.0.2"));
        QCOMPARE(sim.events("web"), std::vector<std::string>{
                                        "Scheduled: Successfully assigned default/web to node-a"});

        sim.until(0.9);
        QCOMPARE(str(sim.pod("web"), {"status", "phase"}), std::string("Pending"));
        sim.until(1.05);
        p = sim.pod("web");
        QCOMPARE(str(p, {"status", "phase"}), std::string("Running"));
        QCOMPARE(str(p, {"status", "podIP"}), std::string("10.244.0.2"));
        const Json &cs = at(p, {"status", "containerStatuses"})[0];
        QCOMPARE(dumped(cs["started"]), dumped(Json(true)));
        QCOMPARE(dumped(cs["ready"]), dumped(Json(false)));
        QCOMPARE(dumped(cs["image"]), dumped(Json("docker.io/library/nginx:1.25")));
        QVERIFY(cs["containerID"].get<std::string>().starts_with("containerd://"));
        QVERIFY(cs["imageID"].get<std::string>().starts_with("docker.io/library/nginx@sha256:"));
        QCOMPARE(condition(p, "Ready"), std::string("False"));
        QCOMPARE(condition(p, "Ready", "message"),
                 std::string("containers with unready status: [main]"));
        QCOMPARE(condition(p, "Initialized"), std::string("True"));
        QCOMPARE(sim.events("web"),
                 (std::vector<std::string>{"Scheduled: Successfully assigned default/web to node-a",
                                           "Pulling: Pulling image \"nginx:1.25\"",
                                           "Pulled: Successfully pulled image \"nginx:1.25\"",
                                           "Created: Created container main",
                                           "Started: Started container main"}));

        // Readiness: initialDelaySeconds 5 + the default period of 10 s after the start at 1 s.
        sim.until(15.9);
        QCOMPARE(condition(sim.pod("web"), "Ready"), std::string("False"));
        sim.until(16.05);
        p = sim.pod("web");
        QCOMPARE(condition(p, "Ready"), std::string("True"));
        QCOMPARE(condition(p, "ContainersReady"), std::string("True"));
        QCOMPARE(dumped(at(p, {"status", "containerStatuses"})[0]["ready"]), dumped(Json(true)));

        // A second pod on the same node finds the image present and gets the next address.
        sim.create(podObject("web-2", "nginx:1.25"));
        sim.until(17.1);
        QCOMPARE(str(sim.pod("web-2"), {"status", "podIP"}), std::string("10.244.0.3"));
        QCOMPARE(sim.events("web-2")[1],
                 std::string("Pulled: Container image \"nginx:1.25\" already present on machine"));
        QCOMPARE(condition(sim.pod("web-2"), "Ready"),
                 std::string("True")); // no probe: ready at once
    }

    void modelLoadAnnotation() {
        Sim sim;
        sim.addNode("node-a", gpuAllocatable());
        Json spec = podObject("llm", "vllm/vllm-openai:v0.4.0");
        spec["metadata"]["annotations"] = {{"sandbox.kubedeck.io/model-load-seconds", "30"}};
        spec["spec"]["containers"][0]["readinessProbe"] = {
            {"tcpSocket", {{"port", 8080}}}, {"initialDelaySeconds", 1}}; // the annotation wins
        sim.create(spec);
        sim.until(30.9);
        QCOMPARE(condition(sim.pod("llm"), "Ready"), std::string("False"));
        sim.until(31.05);
        QCOMPARE(condition(sim.pod("llm"), "Ready"), std::string("True"));
    }

    void crashLoopBackOff() {
        Sim sim;
        sim.addNode("node-a", gpuAllocatable());
        sim.create(podObject("bad", "busybox:crashloop"));
        auto container = [&] { return at(sim.pod("bad"), {"status", "containerStatuses"})[0]; };
        sim.until(2.9);
        QVERIFY(container()["state"].contains("running"));
        sim.until(3.05); // ran 2 s, exited 1
        Json c = container();
        QCOMPARE(dumped(c["restartCount"]), dumped(Json(1)));
        QCOMPARE(dumped(c["state"]["waiting"]["reason"]), dumped(Json("CrashLoopBackOff")));
        QVERIFY(c["state"]["waiting"]["message"].get<std::string>().starts_with(
            "back-off 10s restarting failed container=main pod=bad_default("));
        QCOMPARE(dumped(c["lastState"]["terminated"]["exitCode"]), dumped(Json(1)));
        QCOMPARE(dumped(c["lastState"]["terminated"]["reason"]), dumped(Json("Error")));
        QCOMPARE(str(sim.pod("bad"), {"status", "phase"}), std::string("Running"));
        QCOMPARE(sim.events("bad").back(),
                 std::string("BackOff: Back-off restarting failed container"));

        sim.until(12.9);
        QVERIFY(container()["state"].contains("waiting"));
        sim.until(13.05); // 10 s back-off over
        QVERIFY(container()["state"].contains("running"));
        sim.until(15.05); // second crash: back-off doubles
        c = container();
        QCOMPARE(dumped(c["restartCount"]), dumped(Json(2)));
        QVERIFY(c["state"]["waiting"]["message"].get<std::string>().starts_with("back-off 20s"));
        sim.until(34.9);
        QVERIFY(container()["state"].contains("waiting"));
        sim.until(35.05);
        QVERIFY(container()["state"].contains("running"));
        sim.until(37.05);
        QVERIFY(container()["state"]["waiting"]["message"].get<std::string>().starts_with(
            "back-off 40s"));
        QCOMPARE(sim.eventCount("bad", "BackOff"), 3LL);
        QCOMPARE(sim.eventCount("bad", "Started"), 3LL);
    }

    void gpuPodStaysPending() {
        Sim sim;
        for (const char *n : {"gpu-a", "gpu-b", "gpu-c"})
            sim.addNode(n, gpuAllocatable());
        for (const char *n : {"train-1", "train-2", "train-3"})
            sim.create(podObject(n, "pytorch:2.3", gpuLimits(1)));
        std::set<std::string> used;
        for (const char *n : {"train-1", "train-2", "train-3"})
            used.insert(str(sim.pod(n), {"spec", "nodeName"}));
        QCOMPARE(used.size(), std::size_t(3)); // one GPU each, never two on a node

        sim.create(podObject("serve", "vllm:0.4", gpuLimits(1)));
        Json p = sim.pod("serve");
        QVERIFY(str(p, {"spec", "nodeName"}).empty());
        QCOMPARE(condition(p, "PodScheduled"), std::string("False"));
        QCOMPARE(condition(p, "PodScheduled", "reason"), std::string("Unschedulable"));
        QCOMPARE(condition(p, "PodScheduled", "message"), std::string(kGpuMessage));
        QCOMPARE(sim.events("serve"),
                 std::vector<std::string>{std::string("FailedScheduling: ") + kGpuMessage});
        sim.until(10);
        QVERIFY(str(sim.pod("serve"), {"spec", "nodeName"}).empty());

        // A GPU frees up once a training pod is gone: the pending pod lands there.
        const std::string freed = str(sim.pod("train-2"), {"spec", "nodeName"});
        sim.remove("v1", "Pod", "train-2");
        QVERIFY(!sim.pod("train-2").is_null()); // terminating
        QCOMPARE(sim.events("train-2").back(), std::string("Killing: Stopping container main"));
        sim.until(12.1);
        QVERIFY(sim.pod("train-2").is_null());
        QCOMPARE(str(sim.pod("serve"), {"spec", "nodeName"}), freed);
    }

    void endpointsFollowReadiness() {
        Sim sim;
        sim.addNode("node-a", gpuAllocatable());
        sim.create(serviceObject());
        Json svc = sim.get("v1", "Service", "web");
        Json ep = sim.get("v1", "Endpoints", "web");
        QVERIFY(!ep.is_null());
        QVERIFY(!ep.contains("subsets"));

        Json spec = podObject("web-1", "nginx:1.25", Json::object(), {{"app", "web"}});
        spec["metadata"]["annotations"] = {{"sandbox.kubedeck.io/model-load-seconds", "5"}};
        sim.create(spec);
        sim.create(podObject("other", "nginx:1.25", Json::object(), {{"app", "other"}}));
        sim.until(1.05);
        ep = sim.get("v1", "Endpoints", "web");
        const Json &subset = ep["subsets"][0];
        QVERIFY(!subset.contains("addresses"));
        QCOMPARE(subset["notReadyAddresses"].size(), std::size_t(1));
        QCOMPARE(dumped(subset["notReadyAddresses"][0]["ip"]),
                 dumped(Json(str(sim.pod("web-1"), {"status", "podIP"}))));
        QCOMPARE(dumped(subset["notReadyAddresses"][0]["targetRef"]["name"]),
                 dumped(Json("web-1")));
        QCOMPARE(dumped(subset["ports"]),
                 dumped(Json::parse(R"([{"name":"http","port":8080,"protocol":"TCP"}])")));

        std::vector<Json> slices = sim.list("discovery.k8s.io/v1", "EndpointSlice");
        QCOMPARE(slices.size(), std::size_t(1));
        const Json &slice = slices[0];
        QVERIFY(nameOf(slice).starts_with("web-"));
        QCOMPARE(nameOf(slice).size(), std::string("web-").size() + 5);
        QCOMPARE(str(slice, {"metadata", "labels", "kubernetes.io/service-name"}),
                 std::string("web"));
        QCOMPARE(str(slice, {"metadata", "labels", "tier"}), std::string("front"));
        QCOMPARE(dumped(slice["metadata"]["ownerReferences"][0]["uid"]), dumped(Json(uidOf(svc))));
        QCOMPARE(slice["endpoints"].size(), std::size_t(1));
        QCOMPARE(dumped(slice["endpoints"][0]["conditions"]["ready"]), dumped(Json(false)));
        const std::string sliceRv = str(slice, {"metadata", "resourceVersion"});

        sim.until(4);
        QCOMPARE(str(sim.list("discovery.k8s.io/v1", "EndpointSlice")[0],
                     {"metadata", "resourceVersion"}),
                 sliceRv);
        sim.until(6.1);
        ep = sim.get("v1", "Endpoints", "web");
        QCOMPARE(ep["subsets"][0]["addresses"].size(), std::size_t(1));
        QVERIFY(!ep["subsets"][0].contains("notReadyAddresses"));
        QCOMPARE(dumped(sim.list("discovery.k8s.io/v1",
                                 "EndpointSlice")[0]["endpoints"][0]["conditions"]["ready"]),
                 dumped(Json(true)));

        // Terminating: out of Endpoints, still in the slice as terminating.
        sim.remove("v1", "Pod", "web-1");
        QVERIFY(!sim.get("v1", "Endpoints", "web").contains("subsets"));
        Json conditions =
            sim.list("discovery.k8s.io/v1", "EndpointSlice")[0]["endpoints"][0]["conditions"];
        QCOMPARE(dumped(conditions),
                 dumped(Json::parse(R"({"ready":false,"serving":true,"terminating":true})")));

        // Without its Service the Endpoints object goes; the slice goes with its owner.
        sim.remove("v1", "Service", "web");
        QVERIFY(sim.get("v1", "Endpoints", "web").is_null());
        QVERIFY(sim.list("discovery.k8s.io/v1", "EndpointSlice").empty());
    }
};

QTEST_APPLESS_MAIN(TstNodeControllers)
#include "tst_nodecontrollers.moc"
