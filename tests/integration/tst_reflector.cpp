// The reflector against the sandbox under each injected fault: dropped watches, 410 as HTTP and
// as an ERROR event, 429 and 503 with Retry-After, stalled and empty watches. While the fault is
// active the server changes (ConfigMaps created, modified, deleted; a Deployment scaled); once
// it clears, the ObjectStore must equal a fresh list of the server: nothing lost, nothing stale.
#include "reflectortesthelpers.h"

#include "kube/reflector.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace std::chrono_literals;
using namespace kd;
using kd::kube::Reflector;
using kd::kube::ResourceKind;
using kd::sandbox::Json;

// A helper's QCOMPARE returns from the helper only: stop the test too.
#define VERIFY_EQUAL(harness, timeoutMs)                                                           \
    do {                                                                                           \
        verifyStoreEqualsServer(harness, timeoutMs);                                               \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

namespace {

const ResourceKind kConfigMaps{QString(), QStringLiteral("v1"), QStringLiteral("configmaps"),
                               QStringLiteral("ConfigMap"), true};
const ResourceKind kPods{QString(), QStringLiteral("v1"), QStringLiteral("pods"),
                         QStringLiteral("Pod"), true};
const ResourceKind kDeployments{QStringLiteral("apps"), QStringLiteral("v1"),
                                QStringLiteral("deployments"), QStringLiteral("Deployment"), true};

kube::ReflectorOptions fastOptions() {
    kube::ReflectorOptions o;
    o.backoff.initial = 50ms;
    o.backoff.cap = 1000ms;
    // Watches end by time-out every few seconds (and are resumed without a relist), so a fault
    // set while they run soon meets a new one.
    o.watchTimeoutMinSeconds = 2;
    o.watchTimeoutMaxSeconds = 3;
    o.readIdleTimeoutSeconds = 1;
    return o;
}

// Reflectors feeding one store.
struct Harness {
    model::ObjectStore store;
    std::vector<std::unique_ptr<Reflector>> reflectors;

    Harness(kube::ApiClient *client, const std::vector<ResourceKind> &kinds,
            kube::ReflectorOptions options = fastOptions(), const QString &ns = {}) {
        for (const ResourceKind &k : kinds) {
            auto r = std::make_unique<Reflector>(client, k, ns, options);
            QObject::connect(r.get(), &Reflector::batchReady, &store,
                             &model::ObjectStore::applyBatch);
            reflectors.push_back(std::move(r));
        }
        for (auto &r : reflectors)
            r->start();
    }
    Reflector &operator[](std::size_t i) { return *reflectors.at(i); }
    bool allWatching() const {
        for (const auto &r : reflectors)
            if (r->state() != Reflector::State::Watching)
                return false;
        return true;
    }
    int sum(int kube::ReflectorStats::*field) const {
        int n = 0;
        for (const auto &r : reflectors)
            n += r->stats().*field;
        return n;
    }
};

} // namespace

class TstReflector final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<testing::SandboxFixture> m_sandbox;
    std::unique_ptr<kube::ApiClient> m_client;
    int m_counter = 0;

    sandbox::Store &serverStore() { return m_sandbox->cluster().store(); }

    void setFaults(const Json &patch) {
        sandbox::FaultConfig f;
        f.bookmarkIntervalSeconds = 0.3; // keeps quiet watches under the 1 s read-idle time-out
        f.merge(patch);
        m_sandbox->server().faults().set(f);
    }

    std::string createConfigMap() {
        std::string name = "cm-" + std::to_string(++m_counter);
        serverStore().create(sandbox::resourceType("v1", "ConfigMap"),
                             Json{{"apiVersion", "v1"},
                                  {"kind", "ConfigMap"},
                                  {"metadata", {{"name", name}, {"namespace", "default"}}},
                                  {"data", {{"n", "0"}}}});
        return name;
    }
    void modifyConfigMap(const std::string &name) {
        const auto &type = sandbox::resourceType("v1", "ConfigMap");
        Json o = *serverStore().get(type, "default", name);
        o["data"]["n"] = std::to_string(++m_counter);
        serverStore().update(type, o);
    }
    void deleteConfigMap(const std::string &name) {
        serverStore().remove(sandbox::resourceType("v1", "ConfigMap"), "default", name);
    }
    void scaleDeployment(int replicas) {
        const auto &type = sandbox::resourceType("apps/v1", "Deployment");
        Json d = *serverStore().get(type, "ml-serving", "churn-predictor");
        d["spec"]["replicas"] = replicas;
        serverStore().update(type, d);
    }
    // Several kinds of change, as a user and the controllers would make them.
    void changeServer(int replicas) {
        std::string a = createConfigMap();
        std::string b = createConfigMap();
        createConfigMap();
        modifyConfigMap(a);
        modifyConfigMap(a);
        deleteConfigMap(b);
        scaleDeployment(replicas);
    }

    // Every kind the harness reflects, as its store holds it and as the server holds it.
    void verifyStoreEqualsServer(Harness &h, int timeoutMs) {
        for (const auto &r : h.reflectors) {
            const std::string apiVersion = r->kind().groupVersion().toStdString();
            const std::string kind = r->kind().kind.toStdString();
            QTRY_COMPARE_WITH_TIMEOUT(
                testing::storeSnapshot(h.store, r->kind().key()),
                testing::serverSnapshot(*m_sandbox, apiVersion.c_str(), kind.c_str()), timeoutMs);
        }
    }

private slots:
    void initTestCase() {
        m_sandbox = std::make_unique<testing::SandboxFixture>(
            testing::SandboxFixture::Options{"ml-serving", 1.0, true});
        m_client = std::make_unique<kube::ApiClient>(testing::adminCertConfig(m_sandbox->server()),
                                                     nullptr);
    }
    void init() { setFaults(Json::object()); }
    void cleanupTestCase() {
        m_client.reset();
        m_sandbox.reset();
    }

    void listsThenWatches() {
        kube::ReflectorOptions o = fastOptions();
        o.pageSize = 3; // several pages, and the last one may be short
        Harness h(m_client.get(), {kPods, kConfigMaps, kDeployments}, o);
        QSignalSpy synced(&h[0], &Reflector::synced);
        QTRY_VERIFY_WITH_TIMEOUT(h.allWatching(), 10'000);
        QCOMPARE(synced.size(), 1);
        QVERIFY(h[0].hasSynced());
        QVERIFY2(h[0].stats().listPages > 2, "pods come in pages of three");
        QCOMPARE(h[0].stats().pagesAskedEarly, h[0].stats().listPages - 1); // pipelined
        QCOMPARE(h[0].stats().lists, 1);
        QCOMPARE(h[0].stats().relists, 0);
        VERIFY_EQUAL(h, 10'000);
        // Changes arrive through the watch, without another list.
        changeServer(4);
        VERIFY_EQUAL(h, 10'000);
        QCOMPARE(h.sum(&kube::ReflectorStats::lists), 3);
        QVERIFY(h.sum(&kube::ReflectorStats::events) > 0);
        QCOMPARE(h.sum(&kube::ReflectorStats::ignoredLines), 0);
        QCOMPARE(synced.size(), 1);
    }

    void recoversFromFault_data() {
        QTest::addColumn<QByteArray>("faults");
        QTest::addColumn<QString>("stat");
        QTest::addColumn<int>("atLeast");
        QTest::newRow("dropped watches")
            << QByteArray(R"({"dropWatchesAfterSeconds":0.4})") << QStringLiteral("watches") << 6;
        QTest::newRow("410 as HTTP") << QByteArray(R"({"expireWatches":true,"expiredAsHttp":true})")
                                     << QStringLiteral("relists") << 3;
        QTest::newRow("410 as ERROR event")
            << QByteArray(R"({"expireWatches":true,"expiredAsHttp":false})")
            << QStringLiteral("relists") << 3;
        QTest::newRow("429 with Retry-After")
            << QByteArray(R"({"errorRate":0.7,"errorCode":429,"retryAfter":"1"})")
            << QStringLiteral("backoffs") << 1;
        QTest::newRow("503 with Retry-After")
            << QByteArray(R"({"errorRate":0.7,"errorCode":503,"retryAfter":"1"})")
            << QStringLiteral("backoffs") << 1;
        QTest::newRow("stalled watches")
            << QByteArray(R"({"stallWatches":true})") << QStringLiteral("watches") << 5;
    }
    void recoversFromFault() {
        QFETCH(QByteArray, faults);
        QFETCH(QString, stat);
        QFETCH(int, atLeast);
        Harness h(m_client.get(), {kConfigMaps, kDeployments, kPods});
        QTRY_VERIFY_WITH_TIMEOUT(h.allWatching(), 10'000);
        VERIFY_EQUAL(h, 10'000);

        auto counter = stat == QLatin1String("watches")   ? &kube::ReflectorStats::watches
                       : stat == QLatin1String("relists") ? &kube::ReflectorStats::relists
                                                          : &kube::ReflectorStats::backoffs;
        const int before = h.sum(counter);
        setFaults(Json::parse(faults.toStdString()));
        changeServer(2);
        // The fault is exercised, with changes made in the middle of it.
        QTRY_VERIFY_WITH_TIMEOUT(h.sum(counter) >= before + atLeast / 2 + 1, 15'000);
        changeServer(5);
        QTRY_VERIFY_WITH_TIMEOUT(h.sum(counter) >= before + atLeast, 15'000);
        changeServer(3);

        setFaults(Json::object());
        VERIFY_EQUAL(h, 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(h.allWatching(), 10'000);
        QCOMPARE(h.sum(&kube::ReflectorStats::ignoredLines), 0);
        for (auto &r : h.reflectors)
            QVERIFY2(r->hasSynced(), qPrintable(r->kind().key()));
    }

    void emptyWatchesDoNotBusyLoop() {
        Harness h(m_client.get(), {kConfigMaps});
        QTRY_VERIFY_WITH_TIMEOUT(h.allWatching(), 10'000);
        QSignalSpy states(&h[0], &Reflector::stateChanged);
        setFaults(Json{{"emptyWatches", true}});
        changeServer(2);
        // Once the running watch has timed out, each new one ends at once with an empty 200.
        QTRY_VERIFY_WITH_TIMEOUT(h[0].stats().backoffs >= 1, 10'000);
        const int before = h[0].stats().watches;
        // With 50 ms doubling to 1 s, two seconds hold at most about six attempts; a busy loop
        // would make hundreds.
        QElapsedTimer window;
        window.start();
        QTRY_VERIFY_WITH_TIMEOUT(window.elapsed() >= 2000, 5000);
        const int attempts = h[0].stats().watches - before;
        QVERIFY2(attempts >= 2 && attempts <= 8, qPrintable(QString::number(attempts)));
        QVERIFY(h[0].stats().backoffs >= 3);
        QVERIFY(states.contains(QVariantList{QVariant::fromValue(Reflector::State::BackingOff)}));
        QCOMPARE(h[0].stats().relists, 0); // an empty watch is resumed, not relisted

        setFaults(Json::object());
        VERIFY_EQUAL(h, 15'000);
    }

    void retryAfterIsHonoured() {
        kube::ReflectorOptions o = fastOptions();
        o.backoff.cap = 3000ms;
        Harness h(m_client.get(), {kConfigMaps}, o);
        QTRY_VERIFY_WITH_TIMEOUT(h.allWatching(), 10'000);
        setFaults(Json{{"errorRate", 1.0}, {"errorCode", 503}, {"retryAfter", "2"}});
        // The running watch times out within three seconds; the next one meets the error.
        QTRY_VERIFY_WITH_TIMEOUT(
            h[0].state() == Reflector::State::BackingOff && h[0].lastError().has_value(), 10'000);
        QCOMPARE(h[0].lastError()->kind, kube::ErrorKind::Server);
        QCOMPARE(h[0].lastError()->httpStatus, 503);
        QCOMPARE(h[0].retryInMs(), 2000);
        setFaults(Json::object());
        QTRY_VERIFY_WITH_TIMEOUT(h.allWatching(), 10'000);
    }

    void forbiddenKindFailsWithoutLooping() {
        kube::ApiClient viewer(
            testing::tokenConfig(m_sandbox->server(),
                                 m_sandbox->server().credentials().viewerToken),
            kube::makeCredentialProvider(
                testing::tokenConfig(m_sandbox->server(),
                                     m_sandbox->server().credentials().viewerToken),
                nullptr));
        const ResourceKind secrets{QString(), QStringLiteral("v1"), QStringLiteral("secrets"),
                                   QStringLiteral("Secret"), true};
        Harness h(&viewer, {secrets, kConfigMaps});
        QTRY_COMPARE_WITH_TIMEOUT(h[0].state(), Reflector::State::Failed, 10'000);
        QCOMPARE(h[0].lastError()->kind, kube::ErrorKind::Forbidden);
        QCOMPARE(h[0].lastError()->httpStatus, 403);
        QVERIFY2(h[0].lastError()->message.contains(QLatin1String("secrets")),
                 qPrintable(h[0].lastError()->message));
        QVERIFY(!h[0].hasSynced());
        // The other kind is unaffected; the failed one stays put.
        QTRY_COMPARE_WITH_TIMEOUT(h[1].state(), Reflector::State::Watching, 10'000);
        QCOMPARE(h[0].stats().lists, 1);
        QCOMPARE(h[0].stats().watches, 0);
        QCOMPARE(h[0].stats().backoffs, 0);
        QCOMPARE(h.store.count(QStringLiteral("secrets")), 0);
    }

    void unservedKindIsNotFound() {
        const ResourceKind daemonSets{QStringLiteral("apps"), QStringLiteral("v1"),
                                      QStringLiteral("daemonsets"), QStringLiteral("DaemonSet"),
                                      true};
        Harness h(m_client.get(), {daemonSets});
        QTRY_COMPARE_WITH_TIMEOUT(h[0].state(), Reflector::State::Failed, 10'000);
        QCOMPARE(h[0].lastError()->kind, kube::ErrorKind::NotFound);
        QCOMPARE(h[0].stats().lists, 1);
    }

    void coalescesBursts() {
        Harness h(m_client.get(), {kConfigMaps});
        QTRY_VERIFY_WITH_TIMEOUT(h.allWatching(), 10'000);
        VERIFY_EQUAL(h, 10'000);
        QSignalSpy batches(&h[0], &Reflector::batchReady);
        QElapsedTimer t;
        t.start();
        // 60 creates and 120 modifications of the same objects in a burst.
        std::vector<std::string> names;
        for (int i = 0; i < 60; ++i)
            names.push_back(createConfigMap());
        for (int round = 0; round < 2; ++round)
            for (const std::string &n : names)
                modifyConfigMap(n);
        VERIFY_EQUAL(h, 10'000);
        const qint64 elapsed = t.elapsed();
        // At most one batch per 100 ms window (plus the one in progress).
        QVERIFY2(
            batches.size() <= elapsed / 100 + 2,
            qPrintable(QStringLiteral("%1 batches in %2 ms").arg(batches.size()).arg(elapsed)));
        int deltas = 0;
        for (const auto &args : batches)
            deltas += int(args.at(0).value<kube::DeltaBatch>().deltas.size());
        QVERIFY2(deltas < 180, qPrintable(QStringLiteral("%1 deltas").arg(deltas)));
        QCOMPARE(h[0].stats().events, 180);
    }

    void scopedToOneNamespace() {
        Harness h(m_client.get(), {kPods}, fastOptions(), QStringLiteral("ml-serving"));
        QTRY_VERIFY_WITH_TIMEOUT(h.allWatching(), 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(testing::storeSnapshot(h.store, QStringLiteral("pods")),
                                  testing::serverSnapshot(*m_sandbox, "v1", "Pod", "ml-serving"),
                                  10'000);
        QVERIFY(h.store.count(QStringLiteral("pods")) > 0);
    }
};

QTEST_GUILESS_MAIN(TstReflector)
#include "tst_reflector.moc"
