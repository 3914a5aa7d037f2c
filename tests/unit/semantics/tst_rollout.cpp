// Rollout maths against the worked cases of the reference (§3, §4) and upstream's controller.
#include "semantics/rollout.h"
#include "semantics/rolloutpodorder.h"
#include "semantics/rolloutrevision.h"
#include "semantics/rolloutstatus.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace kd::semantics;
using nlohmann::json;

namespace {

ReplicaSetCounts rs(int spec, int available, long long order, bool isNew = false) {
    ReplicaSetCounts r;
    r.specReplicas = spec;
    r.statusReplicas = spec;
    r.readyReplicas = available;
    r.availableReplicas = available;
    r.creationOrder = order;
    r.isNew = isNew;
    return r;
}

DeploymentParams rolling(int replicas, IntOrPercent surge, IntOrPercent unavailable) {
    return {replicas, Strategy::RollingUpdate, surge, unavailable};
}

} // namespace

class TstRollout final : public QObject {
    Q_OBJECT

private slots:
    void intOrPercent_data() {
        QTest::addColumn<QString>("value"); // JSON text
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("number");
        QTest::addColumn<bool>("percent");
        QTest::addColumn<bool>("stringWithoutPercent");
        QTest::newRow("25%") << "\"25%\"" << true << 25 << true << false;
        QTest::newRow("int 3") << "3" << true << 3 << false << false;
        QTest::newRow("string 3") << "\"3\"" << true << 3 << false << true;
        QTest::newRow("0%") << "\"0%\"" << true << 0 << true << false;
        QTest::newRow("negative int") << "-1" << true << -1 << false << false;
        QTest::newRow("negative percent") << "\"-5%\"" << false << 0 << false << false;
        QTest::newRow("fraction percent") << "\"2.5%\"" << false << 0 << false << false;
        QTest::newRow("float") << "2.5" << false << 0 << false << false;
        QTest::newRow("word") << "\"abc\"" << false << 0 << false << false;
        QTest::newRow("percent sign only") << "\"%\"" << false << 0 << false << false;
        QTest::newRow("null") << "null" << false << 0 << false << false;
    }
    void intOrPercent() {
        QFETCH(QString, value);
        QFETCH(bool, valid);
        QFETCH(int, number);
        QFETCH(bool, percent);
        QFETCH(bool, stringWithoutPercent);
        const auto got = parseIntOrPercent(json::parse(value.toStdString()));
        QCOMPARE(got.has_value(), valid);
        if (!valid)
            return;
        QCOMPARE(got->value, number);
        QCOMPARE(got->percent, percent);
        QCOMPARE(got->stringWithoutPercent, stringWithoutPercent);
    }

    // §4: surge rounds up, unavailable rounds down, 0/0 resolves to unavailable 1.
    void fenceposts_data() {
        QTest::addColumn<int>("replicas");
        QTest::addColumn<QString>("surge");
        QTest::addColumn<QString>("unavailable");
        QTest::addColumn<int>("maxSurge");
        QTest::addColumn<int>("maxUnavailable");
        QTest::newRow("10 replicas") << 10 << "\"25%\""
                                     << "\"25%\"" << 3 << 2;
        QTest::newRow("1 replica") << 1 << "\"25%\""
                                   << "\"25%\"" << 1 << 0;
        QTest::newRow("4 replicas") << 4 << "\"25%\""
                                    << "\"25%\"" << 1 << 1;
        QTest::newRow("3 replicas") << 3 << "\"25%\""
                                    << "\"25%\"" << 1 << 0;
        QTest::newRow("0 replicas") << 0 << "\"25%\""
                                    << "\"25%\"" << 0 << 1;
        QTest::newRow("explicit 0/0") << 10 << "0"
                                      << "0" << 0 << 1;
        QTest::newRow("0%/0%") << 10 << "\"0%\""
                               << "\"0%\"" << 0 << 1;
        QTest::newRow("rounds to 0/0") << 1 << "0"
                                       << "\"10%\"" << 0 << 1;
        QTest::newRow("absolute") << 10 << "3"
                                  << "2" << 3 << 2;
        QTest::newRow("100%") << 7 << "\"100%\""
                              << "\"100%\"" << 7 << 7;
        QTest::newRow("quoted integer") << 10 << "\"4\""
                                        << "1" << 4 << 1;
    }
    void fenceposts() {
        QFETCH(int, replicas);
        QFETCH(QString, surge);
        QFETCH(QString, unavailable);
        QFETCH(int, maxSurge);
        QFETCH(int, maxUnavailable);
        const auto s = parseIntOrPercent(json::parse(surge.toStdString()));
        const auto u = parseIntOrPercent(json::parse(unavailable.toStdString()));
        QVERIFY(s && u);
        const Fenceposts f = resolveFenceposts(*s, *u, replicas);
        QCOMPARE(f.maxSurge, maxSurge);
        QCOMPARE(f.maxUnavailable, maxUnavailable);
    }

    void maxUnavailableLimits() {
        // MaxUnavailable: 0 for Recreate and for 0 replicas, never above replicas.
        QCOMPARE(kd::semantics::maxUnavailable(
                     rolling(0, IntOrPercent::fromInt(0), IntOrPercent::fromInt(0))),
                 0);
        QCOMPARE(kd::semantics::maxUnavailable(
                     rolling(3, IntOrPercent::fromInt(1), IntOrPercent::fromInt(5))),
                 3);
        DeploymentParams recreate{10, Strategy::Recreate, IntOrPercent::fromInt(3),
                                  IntOrPercent::fromInt(2)};
        QCOMPARE(kd::semantics::maxUnavailable(recreate), 0);
        QCOMPARE(kd::semantics::maxSurge(recreate), 0);
    }

    void explicitZeroValidation() {
        QVERIFY(isExplicitZeroZero(IntOrPercent::fromInt(0), IntOrPercent::fromPercent(0)));
        QVERIFY(!isExplicitZeroZero(IntOrPercent::fromInt(0), IntOrPercent::fromPercent(10)));
        // 10% of 1 replica rounds to 0 but is not an explicit zero.
        QVERIFY(!isExplicitZeroZero(IntOrPercent::fromInt(0), IntOrPercent::fromPercent(10)));

        auto causes = validateRollingUpdate(json(0), json("0%"));
        QCOMPARE(causes.size(), 1u);
        QCOMPARE(QString::fromStdString(causes[0].field), QStringLiteral("maxUnavailable"));
        QCOMPARE(QString::fromStdString(causes[0].message),
                 QStringLiteral("may not be 0 when `maxSurge` is 0"));

        causes = validateRollingUpdate(json("25%"), json("110%"));
        QCOMPARE(causes.size(), 1u);
        QCOMPARE(QString::fromStdString(causes[0].message),
                 QStringLiteral("must not be greater than 100%"));

        causes = validateRollingUpdate(json(-1), json("25%"));
        QCOMPARE(causes.size(), 1u);
        QCOMPARE(QString::fromStdString(causes[0].field), QStringLiteral("maxSurge"));
        QCOMPARE(QString::fromStdString(causes[0].message),
                 QStringLiteral("must be greater than or equal to 0"));

        causes = validateRollingUpdate(json("3"), json("25%"));
        QCOMPARE(causes.size(), 1u);
        QCOMPARE(
            QString::fromStdString(causes[0].message),
            QStringLiteral(
                "a valid percent string must be a numeric string followed by an ending '%' (e.g. "
                "'1%',  or '93%', regex used for validation is '[0-9]+%')"));

        QVERIFY(validateRollingUpdate(json(nullptr), json(nullptr)).empty());
        QVERIFY(validateRollingUpdate(json(1), json(0)).empty());
    }

    // §4: scale up new RS by min(spec + surge - ΣRS.spec, spec - newRS).
    void newReplicas_data() {
        QTest::addColumn<int>("replicas");
        QTest::addColumn<int>("surge");
        QTest::addColumn<int>("oldSpec");
        QTest::addColumn<int>("newSpec");
        QTest::addColumn<int>("expected");
        QTest::newRow("fresh rollout 10/3") << 10 << 3 << 10 << 0 << 3;
        QTest::newRow("at the surge cap") << 10 << 3 << 10 << 3 << 3;
        QTest::newRow("old scaled down") << 10 << 3 << 8 << 3 << 5;
        QTest::newRow("capped by spec") << 10 << 3 << 0 << 8 << 10;
        QTest::newRow("no surge") << 4 << 0 << 4 << 0 << 0;
        QTest::newRow("surge larger than spec") << 2 << 5 << 2 << 0 << 2;
    }
    void newReplicas() {
        QFETCH(int, replicas);
        QFETCH(int, surge);
        QFETCH(int, oldSpec);
        QFETCH(int, newSpec);
        QFETCH(int, expected);
        const DeploymentParams d =
            rolling(replicas, IntOrPercent::fromInt(surge), IntOrPercent::fromInt(1));
        const std::vector<ReplicaSetCounts> all{rs(oldSpec, oldSpec, 0), rs(newSpec, 0, 1, true)};
        QCOMPARE(newRSNewReplicas(d, all, newSpec), expected);
        DeploymentParams recreate = d;
        recreate.strategy = Strategy::Recreate;
        QCOMPARE(newRSNewReplicas(recreate, all, newSpec), replicas);
    }

    void rollingScalesNewFirst() {
        const DeploymentParams d = rolling(10, IntOrPercent::fromInt(3), IntOrPercent::fromInt(2));
        const auto changes = planRollingUpdate(d, {rs(10, 10, 0), rs(0, 0, 1, true)});
        QCOMPARE(changes.size(), 1u);
        QCOMPARE(changes[0].index, 1u);
        QCOMPARE(changes[0].from, 0);
        QCOMPARE(changes[0].to, 3);
    }

    void rollingScalesOldDownWithinBudget() {
        // 13 pods, new 3 not ready: available 10 > minAvailable 8, but the new RS's 3
        // unavailable pods eat the budget: maxScaledDown = 13 - 8 - 3 = 2.
        const DeploymentParams d = rolling(10, IntOrPercent::fromInt(3), IntOrPercent::fromInt(2));
        auto changes = planRollingUpdate(d, {rs(10, 10, 0), rs(3, 0, 1, true)});
        QCOMPARE(changes.size(), 1u);
        QCOMPARE(changes[0].index, 0u);
        QCOMPARE(changes[0].to, 8);
        // With the new pods available, old goes down to keep 8 available: 13 available - 8 = 5.
        changes = planRollingUpdate(d, {rs(10, 10, 0), rs(3, 3, 1, true)});
        QCOMPARE(changes.size(), 1u);
        QCOMPARE(changes[0].to, 5);
    }

    void rollingCleansUnhealthyFirstThenOldest() {
        const DeploymentParams d = rolling(10, IntOrPercent::fromInt(3), IntOrPercent::fromInt(2));
        // Two old RSs: the oldest (order 0) has 2 of 4 available, the next 6 of 6; new 3 ready.
        const std::vector<ReplicaSetCounts> all{rs(4, 2, 0), rs(6, 6, 1), rs(3, 3, 2, true)};
        const auto changes = reconcileOldReplicaSets(d, all);
        // maxScaledDown = 13 - 8 - 0 = 5: cleanup takes the 2 unhealthy of the oldest (4 -> 2),
        // then available 11 - 8 = 3 more, oldest first: 2 -> 0, then 6 -> 5.
        QCOMPARE(changes.size(), 3u);
        QCOMPARE(changes[0].index, 0u);
        QCOMPARE(changes[0].from, 4);
        QCOMPARE(changes[0].to, 2);
        QCOMPARE(changes[1].index, 0u);
        QCOMPARE(changes[1].to, 0);
        QCOMPARE(changes[2].index, 1u);
        QCOMPARE(changes[2].from, 6);
        QCOMPARE(changes[2].to, 5);
    }

    void rollingWaitsWhenUnavailable() {
        const DeploymentParams d = rolling(10, IntOrPercent::fromInt(3), IntOrPercent::fromInt(2));
        // 5 new not ready, old at 8 all available: 13 - 8 - 5 = 0, nothing to do.
        QVERIFY(planRollingUpdate(d, {rs(8, 8, 0), rs(5, 0, 1, true)}).empty());
    }

    void recreateScalesAllOldToZero() {
        const auto changes =
            planRecreateScaleDown({rs(3, 3, 0), rs(0, 0, 1), rs(2, 1, 2), rs(0, 0, 3, true)});
        QCOMPARE(changes.size(), 2u);
        QCOMPARE(changes[0].index, 0u);
        QCOMPARE(changes[1].index, 2u);
        QCOMPARE(changes[1].to, 0);
    }

    // §4 golden case: 10 replicas, surge 3, unavailable 2, new RS 5 (none ready), old 8;
    // scale to 15 -> old 11, new 7.
    void proportionalGoldenCase() {
        ReplicaSetCounts oldRs = rs(8, 8, 0);
        ReplicaSetCounts newRs = rs(5, 0, 1, true);
        for (ReplicaSetCounts *r : {&oldRs, &newRs}) {
            r->desiredReplicasAnnotation = 10;
            r->maxReplicasAnnotation = 13;
        }
        const DeploymentParams d = rolling(15, IntOrPercent::fromInt(3), IntOrPercent::fromInt(2));
        const std::vector<ReplicaSetCounts> all{oldRs, newRs};
        QVERIFY(isScalingEvent(d, all));
        QVERIFY(!findActiveOrLatest(all).has_value());
        QVERIFY(!isSaturated(d, newRs));
        QCOMPARE(replicaSetFraction(d, oldRs, 13), 3); // round(8 * 18 / 13 = 11.08) - 8
        QCOMPARE(replicaSetFraction(d, newRs, 13), 2); // round(5 * 18 / 13 = 6.92) - 5
        const auto changes = planScale(d, all, 13);
        QCOMPARE(changes.size(), 2u);
        QCOMPARE(changes[0].index, 0u); // the largest first
        QCOMPARE(changes[0].to, 11);
        QCOMPARE(changes[1].index, 1u);
        QCOMPARE(changes[1].to, 7);
    }

    void proportionalScaleDownAndLeftovers() {
        // Back from 15 (max 18) to 10 (max 13): 11 + 7 = 18 -> 13.
        ReplicaSetCounts oldRs = rs(11, 11, 0);
        ReplicaSetCounts newRs = rs(7, 0, 1, true);
        for (ReplicaSetCounts *r : {&oldRs, &newRs}) {
            r->desiredReplicasAnnotation = 15;
            r->maxReplicasAnnotation = 18;
        }
        const DeploymentParams d = rolling(10, IntOrPercent::fromInt(3), IntOrPercent::fromInt(2));
        const auto changes = planScale(d, {oldRs, newRs}, 18);
        QCOMPARE(changes.size(), 2u);
        // old: round(11*13/18 = 7.94) - 11 = -3; new: round(7*13/18 = 5.06) - 7 = -2.
        QCOMPARE(changes[0].to, 8);
        QCOMPARE(changes[1].to, 5);

        // Rounding leaves one over: three equal RSs of 1 (max 3) to 4 (max 4+1 = 5): each
        // round(1*5/3 = 1.67) - 1 = 1, capped by what is left; the largest (newest among
        // equals) gets any leftover.
        std::vector<ReplicaSetCounts> three{rs(1, 1, 0), rs(1, 1, 1), rs(1, 0, 2, true)};
        for (ReplicaSetCounts &r : three) {
            r.desiredReplicasAnnotation = 2;
            r.maxReplicasAnnotation = 3;
        }
        const auto up =
            planScale(rolling(4, IntOrPercent::fromInt(1), IntOrPercent::fromInt(0)), three, 3);
        int total = 0;
        for (const ScaleChange &c : up)
            total += c.to;
        QCOMPARE(total, 5);
        QCOMPARE(up[0].index, 2u); // newest first when growing among equals
    }

    void scaleSingleActive() {
        const DeploymentParams d =
            rolling(5, IntOrPercent::fromPercent(25), IntOrPercent::fromPercent(25));
        auto changes = planScale(d, {rs(0, 0, 0), rs(3, 3, 1, true)}, 3);
        QCOMPARE(changes.size(), 1u);
        QCOMPARE(changes[0].index, 1u);
        QCOMPARE(changes[0].to, 5);
        // Nothing active: the new one (or else the newest) takes it all.
        changes = planScale(d, {rs(0, 0, 0), rs(0, 0, 1)}, 0);
        QCOMPARE(changes.size(), 1u);
        QCOMPARE(changes[0].index, 1u);
        // Saturated new RS: old ones go to 0.
        ReplicaSetCounts newRs = rs(5, 5, 2, true);
        newRs.desiredReplicasAnnotation = 5;
        changes = planScale(d, {rs(2, 2, 0), newRs}, 7);
        QCOMPARE(changes.size(), 1u);
        QCOMPARE(changes[0].index, 0u);
        QCOMPARE(changes[0].to, 0);
    }

    void status() {
        const std::vector<ReplicaSetCounts> all{rs(8, 8, 0), rs(5, 0, 1, true)};
        const DeploymentStatusCounts s = calculateStatus(all);
        QCOMPARE(s.replicas, 13);
        QCOMPARE(s.updatedReplicas, 5);
        QCOMPARE(s.readyReplicas, 8);
        QCOMPARE(s.availableReplicas, 8);
        QCOMPARE(s.unavailableReplicas, 5);
        QVERIFY(hasMinimumAvailability(
            rolling(10, IntOrPercent::fromInt(3), IntOrPercent::fromInt(2)), s));
        QVERIFY(!hasMinimumAvailability(
            rolling(10, IntOrPercent::fromInt(3), IntOrPercent::fromInt(1)), s));
        QVERIFY(!deploymentComplete(10, s));
        QVERIFY(deploymentComplete(5, DeploymentStatusCounts{5, 5, 5, 5, 0}));
        // More available than spec (scaling down): unavailable never negative.
        QCOMPARE(calculateStatus({rs(2, 4, 0, true)}).unavailableReplicas, 0);
        QVERIFY(deploymentProgressing({13, 5, 8, 8, 5}, {13, 5, 9, 8, 5}));
        QVERIFY(deploymentProgressing({13, 5, 8, 8, 5}, {12, 5, 8, 8, 5}));
        QVERIFY(!deploymentProgressing({13, 5, 8, 8, 5}, {13, 5, 8, 8, 5}));
    }

    // §3: kubectl rollout status, checks in order.
    void rolloutStatus_data() {
        QTest::addColumn<int>("generation");
        QTest::addColumn<int>("observed");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("spec");
        QTest::addColumn<int>("replicas");
        QTest::addColumn<int>("updated");
        QTest::addColumn<int>("available");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("done");
        QTest::addColumn<bool>("failed");
        QTest::newRow("not observed")
            << 3 << 2 << "ProgressDeadlineExceeded" << 3 << 3 << 0 << 0
            << "Waiting for deployment spec update to be observed..." << false << false;
        QTest::newRow("deadline") << 2 << 2 << "ProgressDeadlineExceeded" << 3 << 4 << 1 << 3
                                  << "deployment \"web\" exceeded its progress deadline" << false
                                  << true;
        QTest::newRow("updating") << 2 << 2 << "ReplicaSetUpdated" << 3 << 4 << 1 << 3
                                  << "Waiting for deployment \"web\" rollout to finish: 1 out of 3 "
                                     "new replicas have been updated..."
                                  << false << false;
        QTest::newRow("old pending") << 2 << 2 << "ReplicaSetUpdated" << 3 << 5 << 3 << 3
                                     << "Waiting for deployment \"web\" rollout to finish: 2 old "
                                        "replicas are pending termination..."
                                     << false << false;
        QTest::newRow("available") << 2 << 2 << "ReplicaSetUpdated" << 3 << 3 << 3 << 1
                                   << "Waiting for deployment \"web\" rollout to finish: 1 of 3 "
                                      "updated replicas are available..."
                                   << false << false;
        QTest::newRow("done") << 2 << 2 << "NewReplicaSetAvailable" << 3 << 3 << 3 << 3
                              << "deployment \"web\" successfully rolled out" << true << false;
    }
    void rolloutStatus() {
        QFETCH(int, generation);
        QFETCH(int, observed);
        QFETCH(QString, reason);
        QFETCH(int, spec);
        QFETCH(int, replicas);
        QFETCH(int, updated);
        QFETCH(int, available);
        QFETCH(QString, message);
        QFETCH(bool, done);
        QFETCH(bool, failed);
        const RolloutStatus s =
            deploymentRolloutStatus({"web", generation, observed, spec, replicas, updated,
                                     available, reason.toStdString()});
        QCOMPARE(QString::fromStdString(s.message), message);
        QCOMPARE(s.done, done);
        QCOMPARE(s.failed, failed);
    }

    void progressVerdicts() {
        ProgressInput in;
        in.progressDeadlineSeconds = 600;
        in.hasCurrentCondition = true;
        in.currentReason = kReasonReplicaSetUpdated;
        in.currentLastUpdate = 1000;
        in.now = 1600;
        QCOMPARE(evaluateProgress(in),
                 ProgressVerdict::Unchanged); // exactly at the deadline: not yet
        in.now = 1601;
        QCOMPARE(evaluateProgress(in), ProgressVerdict::TimedOut);
        in.progressing = true;
        QCOMPARE(evaluateProgress(in), ProgressVerdict::Progressing);
        in.complete = true;
        QCOMPARE(evaluateProgress(in), ProgressVerdict::Complete);
        in.allUpdated = true;
        in.currentReason = kReasonNewReplicaSetAvailable;
        QCOMPARE(evaluateProgress(in), ProgressVerdict::Unchanged);
        in.progressDeadlineSeconds = std::nullopt;
        in.currentReason = kReasonReplicaSetUpdated;
        QCOMPARE(evaluateProgress(in), ProgressVerdict::Unchanged);
        in.progressDeadlineSeconds = 2147483647; // MaxInt32 means no deadline
        QVERIFY(!hasProgressDeadline(in.progressDeadlineSeconds));
    }

    void revisions() {
        QCOMPARE(nextRevision({}), 1LL);
        QCOMPARE(nextRevision({1, 4, 2}), 5LL);
        QCOMPARE(parseRevision("").value(), 0LL);
        QCOMPARE(parseRevision("12").value(), 12LL);
        QVERIFY(!parseRevision("x1").has_value());

        // A fresh RS gets the revision, no history.
        RevisionUpdate u = updateRevision(std::nullopt, "", 3);
        QVERIFY(u.changed);
        QCOMPARE(QString::fromStdString(u.revision), QStringLiteral("3"));
        QVERIFY(u.history.empty());
        // Rolled back to: old number moves to the history.
        u = updateRevision(std::string("1"), "", 4);
        QCOMPARE(QString::fromStdString(u.revision), QStringLiteral("4"));
        QCOMPARE(QString::fromStdString(u.history), QStringLiteral("1"));
        u = updateRevision(std::string("4"), "1", 6);
        QCOMPARE(QString::fromStdString(u.history), QStringLiteral("1,4"));
        // Already the highest: nothing changes.
        u = updateRevision(std::string("6"), "1,4", 6);
        QVERIFY(!u.changed);
        // Past the character limit the oldest entries go.
        u = updateRevision(std::string("30"), "10,20", 40, 6);
        QCOMPARE(QString::fromStdString(u.history), QStringLiteral("20,30"));
    }

    void rollbackChoice() {
        const std::vector<std::optional<long long>> revs{3, 1, std::nullopt, 2};
        RollbackChoice c = chooseRollbackRevision(revs, 0, "web");
        QCOMPARE(c.index.value(), 3u); // revision 2: the second highest
        c = chooseRollbackRevision(revs, 1, "web");
        QCOMPARE(c.index.value(), 1u);
        c = chooseRollbackRevision(revs, 7, "web");
        QVERIFY(!c.index);
        QCOMPARE(QString::fromStdString(c.error),
                 QStringLiteral("unable to find specified revision 7 in history"));
        c = chooseRollbackRevision({1}, 0, "web");
        QCOMPARE(QString::fromStdString(c.error),
                 QStringLiteral("no rollout history found for deployment \"web\""));
    }

    void podDeletionOrder() {
        const double now = 10'000;
        PodDeletionInfo running{true, 2, true, 0, 1, 100, 0, 50, "b"};
        PodDeletionInfo pending{true, 0, false, 0, 1, 0, 0, 50, "c"};
        PodDeletionInfo unscheduled{false, 0, false, 0, 0, 0, 0, 50, "d"};
        QVERIFY(deleteBefore(unscheduled, pending, now));
        QVERIFY(deleteBefore(pending, running, now));
        PodDeletionInfo notReady = running;
        notReady.ready = false;
        QVERIFY(deleteBefore(notReady, running, now));
        PodDeletionInfo restarts = running;
        restarts.maxRestarts = 3;
        QVERIFY(deleteBefore(restarts, running, now));
        PodDeletionInfo cheap = running;
        cheap.deletionCost = -5;
        QVERIFY(deleteBefore(cheap, running, now));
        PodDeletionInfo doubled = running;
        doubled.colocated = 3;
        QVERIFY(deleteBefore(doubled, running, now));
        // Ready much more recently: goes first (ages in different powers of two).
        PodDeletionInfo fresh = running;
        fresh.readySince = now - 1;
        QVERIFY(deleteBefore(fresh, running, now));
        QVERIFY(!deleteBefore(running, fresh, now));
        // Newer creation first when nothing else differs.
        PodDeletionInfo a = notReady, b = notReady;
        a.created = now - 2;
        b.created = now - 5000;
        QVERIFY(deleteBefore(a, b, now));
        QCOMPARE(podPhaseOrdinal("Running"), 2);
        QCOMPARE(podPhaseOrdinal("Unknown"), 1);
        QCOMPARE(podPhaseOrdinal("Pending"), 0);
    }
};

QTEST_APPLESS_MAIN(TstRollout)
#include "tst_rollout.moc"
