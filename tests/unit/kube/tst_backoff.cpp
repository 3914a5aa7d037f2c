// The reflector's backoff: 800 ms doubling to a 30 s cap, jitter within its bounds, forgotten
// after two minutes without a failure, and Retry-After taking over (bounded) when a server sends
// it.
#include "kube/backoff.h"

#include <QTest>

using namespace std::chrono_literals;
using kd::kube::Backoff;
using kd::kube::BackoffPolicy;

namespace {

struct FakeTime {
    Backoff::TimePoint now{};
    double random = 0.0;
};

std::unique_ptr<Backoff> makeBackoff(FakeTime &t, BackoffPolicy policy = {}) {
    return std::make_unique<Backoff>(
        policy, [&t] { return t.now; }, [&t] { return t.random; });
}

} // namespace

class TstBackoff final : public QObject {
    Q_OBJECT

private slots:
    void sequenceWithoutJitter() {
        FakeTime t;
        auto b = makeBackoff(t);
        const qint64 expected[] = {800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000};
        for (qint64 e : expected) {
            QCOMPARE(b->next().count(), e);
            t.now += 1s;
        }
        QCOMPARE(b->failures(), 9);
    }

    void jitterBounds_data() {
        QTest::addColumn<double>("random");
        QTest::addColumn<int>("failuresBefore");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("first, no jitter") << 0.0 << 0 << qint64(800);
        QTest::newRow("first, half jitter") << 0.5 << 0 << qint64(900);
        QTest::newRow("first, almost full") << 0.999 << 0 << qint64(999);
        QTest::newRow("third, full jitter") << 1.0 << 2 << qint64(4000);
        QTest::newRow("sixth, capped by jitter") << 1.0 << 5 << qint64(30000);
        QTest::newRow("capped, any jitter") << 0.7 << 12 << qint64(30000);
        QTest::newRow("out-of-range random is clamped") << 7.0 << 0 << qint64(1000);
    }
    void jitterBounds() {
        QFETCH(double, random);
        QFETCH(int, failuresBefore);
        QFETCH(qint64, expected);
        FakeTime t;
        auto b = makeBackoff(t);
        for (int i = 0; i < failuresBefore; ++i)
            b->next();
        t.random = random;
        QCOMPARE(b->next().count(), expected);
    }

    void realRandomStaysWithinBounds() {
        Backoff b; // the real clock and generator
        for (int i = 0; i < 200; ++i) {
            qint64 base = std::min<qint64>(800LL << std::min(i, 10), 30000);
            qint64 d = b.next().count();
            QVERIFY2(d >= base && d <= std::min<qint64>(base * 5 / 4, 30000),
                     qPrintable(QStringLiteral("attempt %1: %2 ms").arg(i).arg(d)));
        }
    }

    void resetAfterTwoMinutesOfHealth() {
        FakeTime t;
        auto b = makeBackoff(t);
        QCOMPARE(b->next().count(), 800);
        t.now += 119s;
        QCOMPARE(b->next().count(), 1600); // still within two minutes of the last failure
        t.now += 119s;
        QCOMPARE(b->next().count(), 3200);
        t.now += 120s;
        QCOMPARE(b->next().count(), 800); // two minutes of health: starts over
        QCOMPARE(b->failures(), 1);
    }

    void explicitReset() {
        FakeTime t;
        auto b = makeBackoff(t);
        b->next();
        b->next();
        b->reset();
        QCOMPARE(b->failures(), 0);
        QCOMPARE(b->next().count(), 800);
    }

    void retryAfter_data() {
        QTest::addColumn<int>("seconds");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("1 s") << 1 << qint64(1000);
        QTest::newRow("5 s") << 5 << qint64(5000);
        QTest::newRow("0 s is raised to the initial delay") << 0 << qint64(800);
        QTest::newRow("a day is capped") << 86400 << qint64(30000);
        QTest::newRow("negative is ignored") << -3 << qint64(800);
    }
    void retryAfter() {
        QFETCH(int, seconds);
        QFETCH(qint64, expected);
        FakeTime t;
        t.random = 0.9; // Retry-After gets no jitter
        auto b = makeBackoff(t);
        if (seconds < 0)
            t.random = 0.0;
        QCOMPARE(b->next(seconds).count(), expected);
    }

    void retryAfterStillCountsAsFailure() {
        FakeTime t;
        auto b = makeBackoff(t);
        QCOMPARE(b->next(2).count(), 2000);
        QCOMPARE(b->failures(), 1);
        QCOMPARE(b->next().count(), 1600); // the exponential sequence went on underneath
    }

    void customPolicy() {
        FakeTime t;
        BackoffPolicy p;
        p.initial = 10ms;
        p.cap = 35ms;
        p.factor = 3.0;
        auto b = makeBackoff(t, p);
        QCOMPARE(b->next().count(), 10);
        QCOMPARE(b->next().count(), 30);
        QCOMPARE(b->next().count(), 35);
    }
};

QTEST_GUILESS_MAIN(TstBackoff)
#include "tst_backoff.moc"
