// The deployment and ReplicaSet controllers against a store whose pods the test starts, readies
// and finishes by hand: rollout invariants at every step, Recreate, proportional scaling,
// rollback, pause, progress deadline, history trimming, and the ReplicaSet's own behaviour.
#include "jsoncompare.h"
#include "semantics/rolloutstatus.h"
#include "workloadharness.h"

#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace kd::sandbox;
using kd::testing::deploymentObject;
using kd::testing::WorkloadHarness;

namespace {

QString q(const std::string &s) {
    return QString::fromStdString(s);
}

std::string imageOf(const Json &o) {
    const Json &spec = o.contains("spec") && o["spec"].contains("template")
                           ? o["spec"]["template"]["spec"]
                           : o["spec"];
    return str(spec["containers"][0], {"image"});
}

Json rsWithImage(WorkloadHarness &h, const std::string &image) {
    for (const Json &rs : h.list("ReplicaSet"))
        if (imageOf(rs) == image)
            return rs;
    return Json();
}

int activePods(WorkloadHarness &h, const std::string &image = {}) {
    int n = 0;
    for (const Json &p : h.list("Pod"))
        if (!WorkloadHarness::terminating(p) && (image.empty() || imageOf(p) == image))
            ++n;
    return n;
}

int availablePods(WorkloadHarness &h) {
    int n = 0;
    for (const Json &p : h.list("Pod"))
        if (!WorkloadHarness::terminating(p) && WorkloadHarness::ready(p))
            ++n;
    return n;
}

const Json *condition(const Json &d, const std::string &type) {
    const Json &conds = at(d, {"status", "conditions"});
    if (conds.is_array())
        for (const Json &c : conds)
            if (c.value("type", "") == type)
                return &c;
    return nullptr;
}

kd::semantics::RolloutStatus rolloutStatus(const Json &d) {
    const Json *progressing = condition(d, "Progressing");
    return kd::semantics::deploymentRolloutStatus(
        {nameOf(d), integer(d, {"metadata", "generation"}),
         integer(d, {"status", "observedGeneration"}),
         static_cast<int>(integer(d, {"spec", "replicas"}, 1)),
         static_cast<int>(integer(d, {"status", "replicas"})),
         static_cast<int>(integer(d, {"status", "updatedReplicas"})),
         static_cast<int>(integer(d, {"status", "availableReplicas"})),
         progressing ? progressing->value("reason", "") : std::string()});
}

// Drives a rollout to its end with every pod becoming Ready at once.
bool finishRollout(WorkloadHarness &h, const std::string &name) {
    for (int round = 0; round < 60; ++round) {
        h.settle();
        h.startPending();
        h.finishTerminating();
        h.settle();
        if (rolloutStatus(h.get("Deployment", name)).done)
            return true;
    }
    return false;
}

void setImage(WorkloadHarness &h, const std::string &name, const std::string &image) {
    h.edit("Deployment", name,
           [&](Json &d) { d["spec"]["template"]["spec"]["containers"][0]["image"] = image; });
}

} // namespace

class TstDeploymentController final : public QObject {
    Q_OBJECT

private slots:
    void createsReplicaSetLikeUpstream() {
        WorkloadHarness h;
        Json d = deploymentObject("web", 3, "img:1");
        d["metadata"]["annotations"] = {{"kubernetes.io/change-cause", "first"}};
        h.create("Deployment", d);
        h.settle();
        const std::vector<Json> sets = h.list("ReplicaSet");
        QCOMPARE(sets.size(), 1u);
        const Json &rs = sets[0];
        const std::string hash = str(rs, {"metadata", "labels", "pod-template-hash"});
        QVERIFY(QRegularExpression(QStringLiteral("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$"))
                    .match(q(hash))
                    .hasMatch());
        QCOMPARE(q(nameOf(rs)), q("web-" + hash));
        QCOMPARE(q(str(rs, {"spec", "selector", "matchLabels", "pod-template-hash"})), q(hash));
        QCOMPARE(q(str(rs, {"spec", "template", "metadata", "labels", "pod-template-hash"})),
                 q(hash));
        QCOMPARE(q(str(rs, {"metadata", "labels", "app"})), QStringLiteral("web"));
        QCOMPARE(q(str(rs, {"metadata", "annotations", "deployment.kubernetes.io/revision"})),
                 QStringLiteral("1"));
        QCOMPARE(
            q(str(rs, {"metadata", "annotations", "deployment.kubernetes.io/desired-replicas"})),
            QStringLiteral("3"));
        QCOMPARE(q(str(rs, {"metadata", "annotations", "deployment.kubernetes.io/max-replicas"})),
                 QStringLiteral("4"));
        QCOMPARE(q(str(rs, {"metadata", "annotations", "kubernetes.io/change-cause"})),
                 QStringLiteral("first"));
        const Json &owner = rs["metadata"]["ownerReferences"][0];
        QCOMPARE(q(str(owner, {"kind"})), QStringLiteral("Deployment"));
        QCOMPARE(owner.value("controller", false), true);
        QCOMPARE(integer(rs, {"spec", "replicas"}), 3LL);

        const Json dep = h.get("Deployment", "web");
        QCOMPARE(q(str(dep, {"metadata", "annotations", "deployment.kubernetes.io/revision"})),
                 QStringLiteral("1"));
        QCOMPARE(q(condition(dep, "Progressing")->value("reason", "")),
                 QStringLiteral("ReplicaSetUpdated"));
        const auto scaled = h.eventMessages("ScalingReplicaSet");
        QCOMPARE(scaled.size(), 1u);
        QCOMPARE(q(scaled[0]), q("Scaled up replica set web-" + hash + " to 3"));

        // Pods: named <rs>-<5 chars>, labelled with the hash, owned by the RS.
        const auto pods = h.list("Pod");
        QCOMPARE(pods.size(), 3u);
        for (const Json &p : pods) {
            QVERIFY(QRegularExpression(q("^web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}$"))
                        .match(q(nameOf(p)))
                        .hasMatch());
            QCOMPARE(q(str(p, {"metadata", "labels", "pod-template-hash"})), q(hash));
            const Json &ref = p["metadata"]["ownerReferences"][0];
            QCOMPARE(q(str(ref, {"name"})), q(nameOf(rs)));
            QCOMPARE(ref.value("blockOwnerDeletion", false), true);
        }

        QVERIFY(finishRollout(h, "web"));
        const Json done = h.get("Deployment", "web");
        QCOMPARE(integer(done, {"status", "replicas"}), 3LL);
        QCOMPARE(integer(done, {"status", "updatedReplicas"}), 3LL);
        QCOMPARE(integer(done, {"status", "readyReplicas"}), 3LL);
        QCOMPARE(integer(done, {"status", "availableReplicas"}), 3LL);
        QVERIFY(at(done, {"status", "unavailableReplicas"}).is_null());
        QCOMPARE(integer(done, {"status", "observedGeneration"}), 1LL);
        QCOMPARE(q(condition(done, "Available")->value("reason", "")),
                 QStringLiteral("MinimumReplicasAvailable"));
        QCOMPARE(q(condition(done, "Available")->value("message", "")),
                 QStringLiteral("Deployment has minimum availability."));
        QCOMPARE(q(condition(done, "Progressing")->value("reason", "")),
                 QStringLiteral("NewReplicaSetAvailable"));
        QCOMPARE(q(condition(done, "Progressing")->value("message", "")),
                 q("ReplicaSet \"web-" + hash + "\" has successfully progressed."));
    }

    void rollingUpdateKeepsInvariantsAtEveryStep() {
        WorkloadHarness h;
        h.create("Deployment", deploymentObject("web", 10, "img:1"));
        QVERIFY(finishRollout(h, "web"));
        setImage(h, "web", "img:2");

        int readied = 0;
        auto check = [&](const char *where) {
            const int total = activePods(h), available = availablePods(h);
            QVERIFY2(
                total <= 13,
                qPrintable(QStringLiteral("%1: %2 pods").arg(QLatin1String(where)).arg(total)));
            QVERIFY2(
                available >= 8,
                qPrintable(
                    QStringLiteral("%1: %2 available").arg(QLatin1String(where)).arg(available)));
        };
        bool done = false;
        for (int round = 0; round < 100 && !done; ++round) {
            h.settle();
            check("after settle");
            h.startPending([](const Json &) { return false; });
            h.settle();
            check("after start");
            // One new pod at a time becomes Ready.
            bool one = false;
            h.makeReady([&](const Json &p) {
                if (one || imageOf(p) != "img:2")
                    return false;
                one = true;
                return true;
            });
            readied += one ? 1 : 0;
            h.settle();
            check("after ready");
            if (round % 2 == 1)
                h.finishTerminating();
            h.settle();
            check("after termination");
            done = rolloutStatus(h.get("Deployment", "web")).done;
        }
        QVERIFY(done);
        QCOMPARE(readied, 10);
        QCOMPARE(activePods(h, "img:2"), 10);
        QCOMPARE(integer(rsWithImage(h, "img:1"), {"spec", "replicas"}), 0LL);
        const Json d = h.get("Deployment", "web");
        QCOMPARE(q(str(d, {"metadata", "annotations", "deployment.kubernetes.io/revision"})),
                 QStringLiteral("2"));
        QCOMPARE(integer(d, {"status", "observedGeneration"}), 2LL);
        const std::string newName = nameOf(rsWithImage(h, "img:2"));
        const std::string oldName = nameOf(rsWithImage(h, "img:1"));
        const auto scaled = h.eventMessages("ScalingReplicaSet");
        QVERIFY(scaled.size() > 3);
        QCOMPARE(q(scaled[1]), q("Scaled up replica set " + newName + " to 3"));
        QCOMPARE(q(scaled[2]), q("Scaled down replica set " + oldName + " to 8"));
        QCOMPARE(q(scaled.back()), q("Scaled down replica set " + oldName + " to 0"));
    }

    void recreateNeverOverlaps() {
        WorkloadHarness h;
        Json d = deploymentObject("web", 3, "img:1");
        d["spec"]["strategy"] = {{"type", "Recreate"}};
        h.create("Deployment", d);
        QVERIFY(finishRollout(h, "web"));
        setImage(h, "web", "img:2");
        bool done = false;
        for (int round = 0; round < 30 && !done; ++round) {
            h.settle();
            int oldPods = 0, newPods = 0;
            for (const Json &p : h.list("Pod"))
                (imageOf(p) == "img:1" ? oldPods : newPods) += 1; // terminating ones included
            QVERIFY2(oldPods == 0 || newPods == 0,
                     qPrintable(QStringLiteral("round %1: %2 old, %3 new")
                                    .arg(round)
                                    .arg(oldPods)
                                    .arg(newPods)));
            // The old pods take two rounds to terminate: Recreate must wait for them.
            if (round >= 2)
                h.finishTerminating();
            h.startPending();
            h.settle();
            done = rolloutStatus(h.get("Deployment", "web")).done;
        }
        QVERIFY(done);
        QCOMPARE(activePods(h, "img:2"), 3);
        QCOMPARE(q(h.eventMessages("ScalingReplicaSet").back()),
                 q("Scaled up replica set " + nameOf(rsWithImage(h, "img:2")) + " to 3"));
    }

    // §4 golden case, through the controller.
    void proportionalScalingMidRollout() {
        WorkloadHarness h;
        Json d = deploymentObject("web", 10, "img:1");
        d["spec"]["strategy"] = {{"type", "RollingUpdate"},
                                 {"rollingUpdate", {{"maxSurge", 3}, {"maxUnavailable", 2}}}};
        h.create("Deployment", d);
        QVERIFY(finishRollout(h, "web"));
        setImage(h, "web", "img:2"); // new pods never start: none becomes Ready
        for (int i = 0; i < 5; ++i) {
            h.settle();
            h.finishTerminating();
        }
        QCOMPARE(integer(rsWithImage(h, "img:1"), {"spec", "replicas"}), 8LL);
        QCOMPARE(integer(rsWithImage(h, "img:2"), {"spec", "replicas"}), 5LL);

        h.edit("Deployment", "web", [](Json &o) { o["spec"]["replicas"] = 15; });
        for (int i = 0; i < 5; ++i) {
            h.settle();
            h.finishTerminating();
        }
        const Json oldRs = rsWithImage(h, "img:1"), newRs = rsWithImage(h, "img:2");
        QCOMPARE(integer(oldRs, {"spec", "replicas"}), 11LL);
        QCOMPARE(integer(newRs, {"spec", "replicas"}), 7LL);
        for (const Json *rs : {&oldRs, &newRs}) {
            QCOMPARE(q(str(*rs, {"metadata", "annotations",
                                 "deployment.kubernetes.io/desired-replicas"})),
                     QStringLiteral("15"));
            QCOMPARE(
                q(str(*rs, {"metadata", "annotations", "deployment.kubernetes.io/max-replicas"})),
                QStringLiteral("18"));
        }
        QCOMPARE(activePods(h), 18);
    }

    void rollbackReusesOldReplicaSet() {
        WorkloadHarness h;
        h.create("Deployment", deploymentObject("web", 2, "img:1"));
        QVERIFY(finishRollout(h, "web"));
        const std::string firstName = nameOf(rsWithImage(h, "img:1"));
        setImage(h, "web", "img:2");
        QVERIFY(finishRollout(h, "web"));
        setImage(h, "web", "img:1"); // what kubectl rollout undo sends
        QVERIFY(finishRollout(h, "web"));
        QCOMPARE(h.list("ReplicaSet").size(), 2u);
        const Json back = rsWithImage(h, "img:1");
        QCOMPARE(q(nameOf(back)), q(firstName));
        QCOMPARE(q(str(back, {"metadata", "annotations", "deployment.kubernetes.io/revision"})),
                 QStringLiteral("3"));
        QCOMPARE(
            q(str(back, {"metadata", "annotations", "deployment.kubernetes.io/revision-history"})),
            QStringLiteral("1"));
        QCOMPARE(integer(back, {"spec", "replicas"}), 2LL);
        QCOMPARE(integer(rsWithImage(h, "img:2"), {"spec", "replicas"}), 0LL);
        QCOMPARE(q(str(h.get("Deployment", "web"),
                       {"metadata", "annotations", "deployment.kubernetes.io/revision"})),
                 QStringLiteral("3"));
        // And forward again: img:2 gets 4, history 2.
        setImage(h, "web", "img:2");
        QVERIFY(finishRollout(h, "web"));
        const Json again = rsWithImage(h, "img:2");
        QCOMPARE(q(str(again, {"metadata", "annotations", "deployment.kubernetes.io/revision"})),
                 QStringLiteral("4"));
        QCOMPARE(
            q(str(again, {"metadata", "annotations", "deployment.kubernetes.io/revision-history"})),
            QStringLiteral("2"));
    }

    void pausedDeploymentScalesButDoesNotRoll() {
        WorkloadHarness h;
        h.create("Deployment", deploymentObject("web", 2, "img:1"));
        QVERIFY(finishRollout(h, "web"));
        h.edit("Deployment", "web", [](Json &o) {
            o["spec"]["paused"] = true;
            o["spec"]["template"]["spec"]["containers"][0]["image"] = "img:2";
        });
        for (int i = 0; i < 3; ++i) {
            h.settle();
            h.startPending();
        }
        QCOMPARE(h.list("ReplicaSet").size(), 1u);
        QCOMPARE(activePods(h, "img:2"), 0);
        Json d = h.get("Deployment", "web");
        QCOMPARE(q(condition(d, "Progressing")->value("reason", "")),
                 QStringLiteral("DeploymentPaused"));
        QCOMPARE(q(condition(d, "Progressing")->value("status", "")), QStringLiteral("Unknown"));
        QCOMPARE(q(condition(d, "Progressing")->value("message", "")),
                 QStringLiteral("Deployment is paused"));
        QCOMPARE(integer(d, {"status", "observedGeneration"}), 2LL);

        h.edit("Deployment", "web", [](Json &o) { o["spec"]["replicas"] = 4; });
        h.settle();
        h.startPending();
        h.settle();
        QCOMPARE(integer(rsWithImage(h, "img:1"), {"spec", "replicas"}), 4LL);
        QCOMPARE(activePods(h, "img:1"), 4);
        QCOMPARE(h.list("ReplicaSet").size(), 1u);

        h.edit("Deployment", "web", [](Json &o) { o["spec"]["paused"] = false; });
        h.settle();
        QCOMPARE(
            q(condition(h.get("Deployment", "web"), "Progressing")->value("reason", "")).isEmpty(),
            false);
        QVERIFY(finishRollout(h, "web"));
        QCOMPARE(activePods(h, "img:2"), 4);
        QCOMPARE(activePods(h, "img:1"), 0);
    }

    void progressDeadlineExceeded() {
        WorkloadHarness h;
        Json d = deploymentObject("web", 2, "img:1");
        d["spec"]["progressDeadlineSeconds"] = 30;
        h.create("Deployment", d);
        QVERIFY(finishRollout(h, "web"));
        setImage(h, "web", "img:2");
        h.settle();
        h.startPending([](const Json &p) { return imageOf(p) != "img:2"; }); // new pods never Ready
        double next = h.settle();
        const double start = h.clock.now();
        QVERIFY(next > start && next <= start + 32);
        h.clock.advance(25);
        h.settle();
        QCOMPARE(q(condition(h.get("Deployment", "web"), "Progressing")->value("reason", "")),
                 QStringLiteral("ReplicaSetUpdated"));
        h.clock.advance(6);
        h.settle();
        const Json timedOut = h.get("Deployment", "web");
        const Json *cond = condition(timedOut, "Progressing");
        QCOMPARE(q(cond->value("reason", "")), QStringLiteral("ProgressDeadlineExceeded"));
        QCOMPARE(q(cond->value("status", "")), QStringLiteral("False"));
        QCOMPARE(
            q(cond->value("message", "")),
            q("ReplicaSet \"" + nameOf(rsWithImage(h, "img:2")) + "\" has timed out progressing."));
        const auto status = rolloutStatus(timedOut);
        QVERIFY(status.failed);
        QCOMPARE(q(status.message),
                 QStringLiteral("deployment \"web\" exceeded its progress deadline"));
    }

    void revisionHistoryLimitTrims() {
        WorkloadHarness h;
        Json d = deploymentObject("web", 1, "img:1");
        d["spec"]["revisionHistoryLimit"] = 1;
        h.create("Deployment", d);
        QVERIFY(finishRollout(h, "web"));
        for (const char *image : {"img:2", "img:3", "img:4"}) {
            setImage(h, "web", image);
            QVERIFY(finishRollout(h, "web"));
            h.settle();
        }
        const auto sets = h.list("ReplicaSet");
        QCOMPARE(sets.size(), 2u);
        QVERIFY(!rsWithImage(h, "img:4").is_null());
        QVERIFY(!rsWithImage(h, "img:3").is_null());
        QCOMPARE(q(str(rsWithImage(h, "img:3"),
                       {"metadata", "annotations", "deployment.kubernetes.io/revision"})),
                 QStringLiteral("3"));
    }

    void replicaSetCreatesDeletesAndCounts() {
        WorkloadHarness h;
        Json rs{{"apiVersion", "apps/v1"},
                {"kind", "ReplicaSet"},
                {"metadata", {{"name", "cache"}, {"namespace", "default"}}},
                {"spec",
                 {{"replicas", 3},
                  {"minReadySeconds", 10},
                  {"selector", {{"matchLabels", {{"app", "cache"}}}}},
                  {"template", kd::testing::podTemplate("cache", "redis:7")}}}};
        h.create("ReplicaSet", rs);
        h.settle();
        std::vector<Json> pods = h.list("Pod");
        QCOMPARE(pods.size(), 3u);
        const auto created = h.eventMessages("SuccessfulCreate");
        QCOMPARE(created.size(), 3u);
        QCOMPARE(q(created[0]).startsWith(QStringLiteral("Created pod: cache-")), true);

        // Two start (one Ready), the third stays unscheduled.
        h.runPod(pods[0], true);
        h.runPod(pods[1], false);
        double next = h.settle();
        Json status = h.get("ReplicaSet", "cache")["status"];
        QCOMPARE(integer(status, {"replicas"}), 3LL);
        QCOMPARE(integer(status, {"fullyLabeledReplicas"}), 3LL);
        QCOMPARE(integer(status, {"readyReplicas"}), 1LL);
        QVERIFY(at(status, {"availableReplicas"}).is_null()); // minReadySeconds not yet passed
        QCOMPARE(integer(status, {"observedGeneration"}), 1LL);
        QVERIFY(std::abs(next - (h.clock.now() + 10.001)) < 1e-6); // just past minReadySeconds
        h.clock.advance(11);
        h.settle();
        QCOMPARE(integer(h.get("ReplicaSet", "cache"), {"status", "availableReplicas"}), 1LL);

        // Scale to 1: the unscheduled pod goes at once, the not-ready one is marked; the Ready one
        // stays.
        h.edit("ReplicaSet", "cache", [](Json &o) { o["spec"]["replicas"] = 1; });
        h.settle();
        QVERIFY(h.get("Pod", nameOf(pods[2])).is_null());
        QVERIFY(WorkloadHarness::terminating(h.get("Pod", nameOf(pods[1]))));
        QCOMPARE(integer(h.get("Pod", nameOf(pods[1])), {"metadata", "deletionGracePeriodSeconds"}),
                 30LL);
        QVERIFY(!WorkloadHarness::terminating(h.get("Pod", nameOf(pods[0]))));
        status = h.get("ReplicaSet", "cache")["status"];
        QCOMPARE(integer(status, {"replicas"}), 1LL); // terminating pods are not counted
        QCOMPARE(integer(status, {"observedGeneration"}), 2LL);
        const auto deleted = h.eventMessages("SuccessfulDelete");
        QCOMPARE(deleted.size(), 2u);
        QVERIFY(std::find(deleted.begin(), deleted.end(), "Deleted pod: " + nameOf(pods[2])) !=
                deleted.end());
        // Nothing new was created for the terminating one.
        QCOMPARE(h.list("Pod").size(), 2u);
        for (const Json &e : h.list("Event"))
            if (e.value("reason", "") == "SuccessfulDelete")
                QCOMPARE(q(str(e, {"source", "component"})),
                         QStringLiteral("replicaset-controller"));
    }

    void replicaSetBacksOffWhenCreationFails() {
        WorkloadHarness h;
        // Stored without admission: its template has a container without an image, so the API
        // server refuses every pod made from it.
        Json rs{{"apiVersion", "apps/v1"},
                {"kind", "ReplicaSet"},
                {"metadata", {{"name", "broken"}, {"namespace", "default"}}},
                {"spec",
                 {{"replicas", 2},
                  {"selector", {{"matchLabels", {{"app", "broken"}}}}},
                  {"template",
                   {{"metadata", {{"labels", {{"app", "broken"}}}}},
                    {"spec", {{"containers", Json::array({{{"name", "c"}}})}}}}}}}};
        h.store.create(WorkloadHarness::type("ReplicaSet"), rs);
        const double next = h.settle();
        QVERIFY(std::abs(next - (h.clock.now() + 1)) < 1e-6);
        const auto rv = h.store.resourceVersion();
        h.pass();
        QCOMPARE(h.store.resourceVersion(), rv); // waiting, not retrying every pass
        QVERIFY(h.list("Pod").empty());
        const Json failure = h.get("ReplicaSet", "broken")["status"]["conditions"][0];
        QCOMPARE(q(str(failure, {"type"})), QStringLiteral("ReplicaFailure"));
        QCOMPARE(q(str(failure, {"reason"})), QStringLiteral("FailedCreate"));
        QVERIFY(q(str(failure, {"message"})).startsWith(QStringLiteral("Error creating: ")));
        QCOMPARE(h.eventMessages("FailedCreate").size(), 1u);
        h.clock.advance(1.5);
        h.settle();
        QCOMPARE(integer(h.list("Event")[0], {"count"}), 2LL); // retried once
    }

    void replicaSetAdoptsAndReleases() {
        WorkloadHarness h;
        Json orphan{{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata",
                     {{"name", "stray"}, {"namespace", "default"}, {"labels", {{"app", "cache"}}}}},
                    {"spec", kd::testing::podTemplate("cache", "redis:7")["spec"]}};
        h.create("Pod", orphan);
        Json rs{{"apiVersion", "apps/v1"},
                {"kind", "ReplicaSet"},
                {"metadata", {{"name", "cache"}, {"namespace", "default"}}},
                {"spec",
                 {{"replicas", 2},
                  {"selector", {{"matchLabels", {{"app", "cache"}}}}},
                  {"template", kd::testing::podTemplate("cache", "redis:7")}}}};
        h.create("ReplicaSet", rs);
        h.settle();
        QCOMPARE(h.list("Pod").size(), 2u);
        QCOMPARE(q(str(h.get("Pod", "stray")["metadata"]["ownerReferences"][0], {"name"})),
                 QStringLiteral("cache"));
        // Relabelled out of the selector: released, and replaced.
        h.edit("Pod", "stray", [](Json &p) { p["metadata"]["labels"]["app"] = "other"; });
        h.settle();
        QVERIFY(at(h.get("Pod", "stray"), {"metadata", "ownerReferences"}).is_null());
        QCOMPARE(h.list("Pod").size(), 3u);
    }
};

QTEST_APPLESS_MAIN(TstDeploymentController)
#include "tst_deploymentcontroller.moc"
