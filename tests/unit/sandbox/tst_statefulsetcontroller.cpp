// The StatefulSet controller: ordered creation, scale-down from the highest ordinal, rolling
// update from the highest ordinal (with partition), Parallel management, status.
#include "workloadharness.h"

#include <QTest>

using namespace kd::sandbox;
using kd::testing::WorkloadHarness;

namespace {

QString q(const std::string &s) {
    return QString::fromStdString(s);
}

Json statefulSet(int replicas, const std::string &image) {
    return {{"apiVersion", "apps/v1"},
            {"kind", "StatefulSet"},
            {"metadata", {{"name", "db"}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", replicas},
              {"serviceName", "db"},
              {"selector", {{"matchLabels", {{"app", "db"}}}}},
              {"template", kd::testing::podTemplate("db", image)}}}};
}

std::vector<std::string> podNames(WorkloadHarness &h, bool includeTerminating = true) {
    std::vector<std::string> out;
    for (const Json &p : h.podsWithPrefix("db-"))
        if (includeTerminating || !WorkloadHarness::terminating(p))
            out.push_back(nameOf(p));
    return out;
}

std::string imageOf(const Json &pod) {
    return str(pod["spec"]["containers"][0], {"image"});
}

// Starts and readies pods one round at a time until `rounds` pass.
void runRounds(WorkloadHarness &h, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        h.settle();
        h.finishTerminating();
        h.startPending();
        h.settle();
    }
}

} // namespace

class TstStatefulSetController final : public QObject {
    Q_OBJECT

private slots:
    void createsInOrder() {
        WorkloadHarness h;
        h.create("StatefulSet", statefulSet(3, "pg:15"));
        h.settle();
        QCOMPARE(podNames(h), std::vector<std::string>{"db-0"});
        Json pod = h.get("Pod", "db-0");
        const Json set = h.get("StatefulSet", "db");
        const std::string revision = str(set, {"status", "updateRevision"});
        QVERIFY(q(revision).startsWith(QStringLiteral("db-")));
        QCOMPARE(q(str(pod, {"metadata", "labels", "controller-revision-hash"})), q(revision));
        QCOMPARE(q(str(pod, {"metadata", "labels", "statefulset.kubernetes.io/pod-name"})),
                 QStringLiteral("db-0"));
        QCOMPARE(q(str(pod, {"metadata", "labels", "app"})), QStringLiteral("db"));
        QCOMPARE(q(str(pod, {"spec", "hostname"})), QStringLiteral("db-0"));
        QCOMPARE(q(str(pod, {"spec", "subdomain"})), QStringLiteral("db"));
        QCOMPARE(pod["metadata"]["ownerReferences"][0].value("controller", false), true);

        // Running but not Ready: db-1 waits.
        h.runPod(pod, false);
        h.settle();
        QCOMPARE(podNames(h), std::vector<std::string>{"db-0"});
        h.makeReady([](const Json &) { return true; });
        h.settle();
        QCOMPARE(podNames(h), (std::vector<std::string>{"db-0", "db-1"}));
        runRounds(h, 3);
        QCOMPARE(podNames(h), (std::vector<std::string>{"db-0", "db-1", "db-2"}));

        const auto created = h.eventMessages("SuccessfulCreate");
        QCOMPARE(created.size(), 3u);
        QCOMPARE(q(created[0]), QStringLiteral("create Pod db-0 in StatefulSet db successful"));
        QCOMPARE(q(created[2]), QStringLiteral("create Pod db-2 in StatefulSet db successful"));

        const Json status = h.get("StatefulSet", "db")["status"];
        QCOMPARE(integer(status, {"replicas"}), 3LL);
        QCOMPARE(integer(status, {"readyReplicas"}), 3LL);
        QCOMPARE(integer(status, {"availableReplicas"}), 3LL);
        QCOMPARE(integer(status, {"currentReplicas"}), 3LL);
        QCOMPARE(integer(status, {"updatedReplicas"}), 3LL);
        QCOMPARE(integer(status, {"observedGeneration"}), 1LL);
        QCOMPARE(q(str(status, {"currentRevision"})), q(revision));
        QCOMPARE(q(str(status, {"updateRevision"})), q(revision));
    }

    void scalesDownFromHighestOrdinal() {
        WorkloadHarness h;
        h.create("StatefulSet", statefulSet(3, "pg:15"));
        runRounds(h, 4);
        QCOMPARE(podNames(h).size(), 3u);
        h.edit("StatefulSet", "db", [](Json &s) { s["spec"]["replicas"] = 1; });
        h.settle();
        QVERIFY(WorkloadHarness::terminating(h.get("Pod", "db-2")));
        QVERIFY(!WorkloadHarness::terminating(h.get("Pod", "db-1")));
        h.settle();
        QVERIFY(!WorkloadHarness::terminating(h.get("Pod", "db-1"))); // waits for db-2 to be gone
        h.finishTerminating();
        h.settle();
        QVERIFY(WorkloadHarness::terminating(h.get("Pod", "db-1")));
        h.finishTerminating();
        h.settle();
        QCOMPARE(podNames(h), std::vector<std::string>{"db-0"});
        QCOMPARE(q(h.eventMessages("SuccessfulDelete")[0]),
                 QStringLiteral("delete Pod db-2 in StatefulSet db successful"));
        QCOMPARE(integer(h.get("StatefulSet", "db"), {"status", "replicas"}), 1LL);
    }

    void rollingUpdateFromHighestOrdinal() {
        WorkloadHarness h;
        h.create("StatefulSet", statefulSet(3, "pg:15"));
        runRounds(h, 4);
        const std::string oldRevision =
            str(h.get("StatefulSet", "db"), {"status", "currentRevision"});
        h.edit("StatefulSet", "db",
               [](Json &s) { s["spec"]["template"]["spec"]["containers"][0]["image"] = "pg:16"; });
        h.settle();
        const Json mid = h.get("StatefulSet", "db");
        const std::string newRevision = str(mid, {"status", "updateRevision"});
        QVERIFY(newRevision != oldRevision);
        QCOMPARE(q(str(mid, {"status", "currentRevision"})), q(oldRevision));
        QVERIFY(WorkloadHarness::terminating(h.get("Pod", "db-2")));
        QVERIFY(!WorkloadHarness::terminating(h.get("Pod", "db-1")));

        runRounds(h, 10);
        for (const Json &p : h.podsWithPrefix("db-")) {
            QCOMPARE(q(imageOf(p)), QStringLiteral("pg:16"));
            QCOMPARE(q(str(p, {"metadata", "labels", "controller-revision-hash"})), q(newRevision));
        }
        const auto deleted = h.eventMessages("SuccessfulDelete");
        QCOMPARE(deleted.size(), 3u);
        QCOMPARE(q(deleted[0]), QStringLiteral("delete Pod db-2 in StatefulSet db successful"));
        QCOMPARE(q(deleted[1]), QStringLiteral("delete Pod db-1 in StatefulSet db successful"));
        QCOMPARE(q(deleted[2]), QStringLiteral("delete Pod db-0 in StatefulSet db successful"));
        const Json status = h.get("StatefulSet", "db")["status"];
        QCOMPARE(q(str(status, {"currentRevision"})), q(newRevision));
        QCOMPARE(integer(status, {"currentReplicas"}), 3LL);
        QCOMPARE(integer(status, {"updatedReplicas"}), 3LL);
        QCOMPARE(integer(status, {"observedGeneration"}), 2LL);
    }

    void partitionHoldsLowerOrdinals() {
        WorkloadHarness h;
        Json set = statefulSet(3, "pg:15");
        set["spec"]["updateStrategy"] = {{"type", "RollingUpdate"},
                                         {"rollingUpdate", {{"partition", 2}}}};
        h.create("StatefulSet", set);
        runRounds(h, 4);
        h.edit("StatefulSet", "db",
               [](Json &s) { s["spec"]["template"]["spec"]["containers"][0]["image"] = "pg:16"; });
        runRounds(h, 6);
        QCOMPARE(q(imageOf(h.get("Pod", "db-2"))), QStringLiteral("pg:16"));
        QCOMPARE(q(imageOf(h.get("Pod", "db-1"))), QStringLiteral("pg:15"));
        QCOMPARE(q(imageOf(h.get("Pod", "db-0"))), QStringLiteral("pg:15"));
        const Json status = h.get("StatefulSet", "db")["status"];
        QVERIFY(str(status, {"currentRevision"}) != str(status, {"updateRevision"}));
        QCOMPARE(integer(status, {"currentReplicas"}), 2LL);
        QCOMPARE(integer(status, {"updatedReplicas"}), 1LL);

        // A pod below the partition that is lost comes back at the current revision.
        h.store.remove(WorkloadHarness::type("Pod"), "default", "db-0");
        runRounds(h, 2);
        QCOMPARE(q(imageOf(h.get("Pod", "db-0"))), QStringLiteral("pg:15"));
    }

    void parallelCreatesAtOnce() {
        WorkloadHarness h;
        Json set = statefulSet(3, "pg:15");
        set["spec"]["podManagementPolicy"] = "Parallel";
        h.create("StatefulSet", set);
        h.settle();
        QCOMPARE(podNames(h), (std::vector<std::string>{"db-0", "db-1", "db-2"}));
    }
};

QTEST_APPLESS_MAIN(TstStatefulSetController)
#include "tst_statefulsetcontroller.moc"
