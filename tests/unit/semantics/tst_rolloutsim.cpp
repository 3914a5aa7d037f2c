// The rollout simulator: the invariants of a rolling update (total <= spec + surge; available
// >= spec - unavailable) over many random sizes and readiness patterns, and Recreate's no-overlap.
#include "semantics/rolloutsim.h"

#include <QTest>

#include <random>

using namespace kd::semantics;

namespace {

IntOrPercent randomIntOrPercent(std::mt19937 &rng, int replicas) {
    if (rng() % 2 == 0)
        return IntOrPercent::fromPercent(static_cast<int>(rng() % 101));
    return IntOrPercent::fromInt(static_cast<int>(rng() % static_cast<unsigned>(replicas + 3)));
}

QString describe(const RolloutSimInput &in, const RolloutSimResult &r) {
    QString pattern;
    for (bool b : in.readiness)
        pattern += b ? QLatin1Char('1') : QLatin1Char('0');
    return QStringLiteral("replicas %1 surge %2%3 unavailable %4%5 pattern %6 oldUnready %7 -> "
                          "surge %8 unavailable %9")
        .arg(in.deployment.replicas)
        .arg(in.deployment.maxSurge.value)
        .arg(in.deployment.maxSurge.percent ? QStringLiteral("%") : QString())
        .arg(in.deployment.maxUnavailable.value)
        .arg(in.deployment.maxUnavailable.percent ? QStringLiteral("%") : QString())
        .arg(pattern)
        .arg(in.oldUnready)
        .arg(r.maxSurge)
        .arg(r.maxUnavailable);
}

} // namespace

class TstRolloutSim final : public QObject {
    Q_OBJECT

private slots:
    void tenReplicasDefault() {
        RolloutSimInput in;
        in.deployment = {10, Strategy::RollingUpdate, IntOrPercent::fromPercent(25),
                         IntOrPercent::fromPercent(25)};
        const RolloutSimResult r = simulateRollout(in);
        QVERIFY(r.completed);
        QCOMPARE(r.maxSurge, 3);
        QCOMPARE(r.maxUnavailable, 2);
        QCOMPARE(r.peakPods, 13);
        QCOMPARE(r.lowestAvailable, 8);
        // First step: the new RS surges to 3 and nothing else moves.
        QCOMPARE(r.steps.front().newSpec, 3);
        QCOMPARE(r.steps.front().oldSpec, 10);
        // Second: 3 new available, old down to 13 - 3 - 2 ... = keeps 8 available: 10 -> 5.
        QCOMPARE(r.steps[1].oldSpec, 5);
        const RolloutSimStep &last = r.steps.back();
        QCOMPARE(last.newAvailable, 10);
        QCOMPARE(last.oldPods, 0);
    }

    void stuckNewPodsNeverReady() {
        // The known trap: a new pod that never becomes Ready stalls the rollout with the old
        // pods kept at spec - maxUnavailable.
        RolloutSimInput in;
        in.deployment = {4, Strategy::RollingUpdate, IntOrPercent::fromInt(1),
                         IntOrPercent::fromInt(0)};
        in.readiness = {false};
        const RolloutSimResult r = simulateRollout(in);
        QVERIFY(!r.completed);
        QVERIFY(r.stuck);
        QCOMPARE(r.steps.back().oldPods, 4);
        QCOMPARE(r.steps.back().newPods, 1);
        QCOMPARE(r.lowestAvailable, 4);
    }

    void recreateNeverOverlaps() {
        RolloutSimInput in;
        in.deployment = {5, Strategy::Recreate, IntOrPercent::fromPercent(25),
                         IntOrPercent::fromPercent(25)};
        const RolloutSimResult r = simulateRollout(in);
        QVERIFY(r.completed);
        QVERIFY(!r.overlapped);
        QCOMPARE(r.peakPods, 5);
        QCOMPARE(r.lowestAvailable, 0);
    }

    // Both invariants over 1,500 random cases with a fixed seed.
    void invariantsHoldOverRandomCases() {
        std::mt19937 rng(20240611u);
        int checked = 0, completed = 0;
        for (int n = 0; n < 1500; ++n) {
            RolloutSimInput in;
            const int replicas = static_cast<int>(rng() % 41);
            IntOrPercent surge = randomIntOrPercent(rng, replicas);
            IntOrPercent unavailable = randomIntOrPercent(rng, replicas);
            if (isExplicitZeroZero(surge, unavailable))
                unavailable = IntOrPercent::fromInt(1); // validation would refuse 0/0
            if (unavailable.percent && unavailable.value > 100)
                unavailable.value = 100;
            in.deployment = {replicas, Strategy::RollingUpdate, surge, unavailable};
            const int patternLength = 1 + static_cast<int>(rng() % 6);
            for (int i = 0; i < patternLength; ++i)
                in.readiness.push_back(rng() % 3 != 0);
            in.oldUnready =
                n % 5 == 0 ? static_cast<int>(rng() % static_cast<unsigned>(replicas + 1)) : 0;
            const RolloutSimResult r = simulateRollout(in);
            const QString what = describe(in, r);
            const int initialAvailable = replicas - in.oldUnready;
            const int floor = std::min(initialAvailable, replicas - r.maxUnavailable);
            for (const RolloutSimStep &s : r.steps) {
                QVERIFY2(s.totalPods() <= replicas + r.maxSurge, qPrintable(what));
                QVERIFY2(s.available() >= floor, qPrintable(what));
            }
            const bool canBecomeReady =
                std::find(in.readiness.begin(), in.readiness.end(), true) != in.readiness.end();
            if (canBecomeReady || replicas == 0)
                QVERIFY2(r.completed, qPrintable(what));
            completed += r.completed ? 1 : 0;
            ++checked;
        }
        QCOMPARE(checked, 1500);
        QVERIFY(completed > 1000);
    }

    void recreateRandomCases() {
        std::mt19937 rng(7u);
        for (int n = 0; n < 200; ++n) {
            RolloutSimInput in;
            in.deployment = {static_cast<int>(rng() % 30), Strategy::Recreate,
                             IntOrPercent::fromPercent(25), IntOrPercent::fromPercent(25)};
            in.readiness = {rng() % 2 == 0, true};
            const RolloutSimResult r = simulateRollout(in);
            QVERIFY(r.completed);
            QVERIFY(!r.overlapped);
            QVERIFY(r.peakPods <= in.deployment.replicas);
        }
    }
};

QTEST_APPLESS_MAIN(TstRolloutSim)
#include "tst_rolloutsim.moc"
