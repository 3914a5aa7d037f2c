// The sandbox's store: resourceVersions, optimistic concurrency, subresource writes, history.
#include "jsoncompare.h"
#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/store.h"

#include <QTest>

using namespace kd::sandbox;

class TstStore final : public QObject {
    Q_OBJECT

    Clock m_clock{Clock::Mode::Manual, 1.0, 1'800'000'000};
    const ResourceType &deployments() { return resourceType("apps/v1", "Deployment"); }
    const ResourceType &configMaps() { return resourceType("v1", "ConfigMap"); }

    static Json deployment(const std::string &name, int replicas) {
        return {{"metadata", {{"name", name}, {"namespace", "ml"}}},
                {"spec", {{"replicas", replicas}}}};
    }

private slots:
    void createFillsMetadata() {
        Store store(m_clock);
        ObjectPtr o = store.create(deployments(), deployment("web", 2));
        QCOMPARE(QString::fromStdString(str(*o, {"apiVersion"})), QStringLiteral("apps/v1"));
        QCOMPARE(QString::fromStdString(str(*o, {"kind"})), QStringLiteral("Deployment"));
        QCOMPARE(QString::fromStdString(str(*o, {"metadata", "creationTimestamp"})),
                 QStringLiteral("2027-01-15T08:00:00Z"));
        QCOMPARE(integer(*o, {"metadata", "generation"}), 1LL);
        QCOMPARE(uidOf(*o).size(), 36u);
        QCOMPARE(std::stoull(str(*o, {"metadata", "resourceVersion"})), store.resourceVersion());
        QVERIFY_THROWS_EXCEPTION(ApiError, store.create(deployments(), deployment("web", 1)));
        try {
            store.create(deployments(), deployment("web", 1));
        } catch (const ApiError &e) {
            QCOMPARE(e.code(), 409);
            QCOMPARE(QString::fromUtf8(e.what()),
                     QStringLiteral("deployments.apps \"web\" already exists"));
        }
    }

    void generateName() {
        Store store(m_clock);
        Json o{{"metadata", {{"generateName", "web-"}, {"namespace", "ml"}}}};
        ObjectPtr a = store.create(configMaps(), o), b = store.create(configMaps(), o);
        QVERIFY(nameOf(*a).rfind("web-", 0) == 0);
        QCOMPARE(nameOf(*a).size(), 9u);
        QVERIFY(nameOf(*a) != nameOf(*b));
    }

    void optimisticConcurrency() {
        Store store(m_clock);
        ObjectPtr v1 = store.create(deployments(), deployment("web", 2));
        Json a = *v1, b = *v1;
        a["spec"]["replicas"] = 3;
        b["spec"]["replicas"] = 4;
        ObjectPtr v2 = store.update(deployments(), a);
        QCOMPARE(integer(*v2, {"metadata", "generation"}), 2LL);
        try {
            store.update(deployments(), b);
            QFAIL("a stale resourceVersion must conflict");
        } catch (const ApiError &e) {
            QCOMPARE(e.code(), 409);
            QCOMPARE(
                QString::fromUtf8(e.what()),
                QStringLiteral("Operation cannot be fulfilled on deployments.apps \"web\": the "
                               "object has been modified; "
                               "please apply your changes to the latest version and try again"));
        }
        b["metadata"].erase("resourceVersion");
        QCOMPARE(integer(*store.update(deployments(), b), {"spec", "replicas"}), 4LL);
    }

    void noOpUpdateKeepsResourceVersion() {
        Store store(m_clock);
        ObjectPtr v1 = store.create(deployments(), deployment("web", 2));
        std::uint64_t rv = store.resourceVersion();
        ObjectPtr same = store.update(deployments(), *v1);
        QCOMPARE(store.resourceVersion(), rv);
        QCOMPARE(same.get(), v1.get());
    }

    void statusAndMainParts() {
        Store store(m_clock);
        Json d = deployment("web", 2);
        d["status"] = {{"replicas", 2}};
        ObjectPtr v1 = store.create(deployments(), d);
        Json main = *v1;
        main["status"]["replicas"] = 99;
        main["spec"]["replicas"] = 5;
        ObjectPtr v2 = store.update(deployments(), main, WritePart::Main);
        QCOMPARE(integer(*v2, {"status", "replicas"}), 2LL);
        QCOMPARE(integer(*v2, {"spec", "replicas"}), 5LL);
        Json status = *v2;
        status["status"]["replicas"] = 5;
        status["spec"]["replicas"] = 7;
        ObjectPtr v3 = store.update(deployments(), status, WritePart::Status);
        QCOMPARE(integer(*v3, {"status", "replicas"}), 5LL);
        QCOMPARE(integer(*v3, {"spec", "replicas"}), 5LL);
        QCOMPARE(integer(*v3, {"metadata", "generation"}), 2LL);
    }

    void historyAndExpiry() {
        Store store(m_clock, 5);
        std::uint64_t start = store.resourceVersion();
        for (int i = 0; i < 4; ++i)
            store.create(
                configMaps(),
                Json{{"metadata", {{"name", "c" + std::to_string(i)}, {"namespace", "ml"}}}});
        bool expired = true;
        auto events = store.eventsSince(start, &expired);
        QVERIFY(!expired);
        QCOMPARE(events.size(), 4u);
        QCOMPARE(events[0].resourceVersion, start + 1);
        store.remove(configMaps(), "ml", "c0");
        ObjectPtr c1 = store.get(configMaps(), "ml", "c1");
        Json next = *c1;
        next["data"] = {{"k", "v"}};
        store.update(configMaps(), next);
        events = store.eventsSince(start, &expired);
        QVERIFY(expired); // 6 changes, a window of 5
        events = store.eventsSince(start + 1, &expired);
        QVERIFY(!expired);
        QCOMPARE(events.size(), 5u);
        QCOMPARE(events[3].type, EventType::Deleted);
        QCOMPARE(events[4].type, EventType::Modified);
        QVERIFY(events[4].previous);
        QVERIFY(!events[4].previous->contains("data"));
    }

    void listAndPaging() {
        Store store(m_clock);
        for (const char *ns : {"a", "a-b", "b"})
            for (int i = 0; i < 3; ++i)
                store.create(
                    configMaps(),
                    Json{{"metadata", {{"name", "cm" + std::to_string(i)}, {"namespace", ns}}}});
        QCOMPARE(store.list(configMaps()).size(), 9u);
        QCOMPARE(store.list(configMaps(), "a").size(), 3u);
        QCOMPARE(store.list(configMaps(), "a-b").size(), 3u);
        bool more = false;
        std::uint64_t rv = 0;
        auto page = store.listAfter(configMaps(), "a", "a/cm0", 1, &more, &rv);
        QCOMPARE(page.size(), 1u);
        QCOMPARE(QString::fromStdString(nameOf(*page[0])), QStringLiteral("cm1"));
        QVERIFY(more);
        page = store.listAfter(configMaps(), "a", "a/cm2", 5, &more, &rv);
        QCOMPARE(page.size(), 0u);
        QVERIFY(!more);
    }

    void waitForChangeWakes() {
        Store store(m_clock);
        std::uint64_t rv = store.resourceVersion();
        QVERIFY(!store.waitForChange(rv, std::chrono::milliseconds(20)));
        store.create(configMaps(), Json{{"metadata", {{"name", "x"}, {"namespace", "ml"}}}});
        QVERIFY(store.waitForChange(rv, std::chrono::milliseconds(20)));
        store.shutdown();
        QVERIFY(!store.waitForChange(store.resourceVersion(), std::chrono::milliseconds(1000)));
    }

    void clockFormatsAndParses() {
        QCOMPARE(QString::fromStdString(Clock::rfc3339(0)), QStringLiteral("1970-01-01T00:00:00Z"));
        QCOMPARE(Clock::parseRfc3339("2026-11-24T13:50:23Z"), 1795528223.0);
        QCOMPARE(Clock::parseRfc3339("2026-11-24T14:50:23+01:00"), 1795528223.0);
        QCOMPARE(Clock::parseRfc3339("garbage", -1), -1.0);
        Clock manual(Clock::Mode::Manual, 1.0, 100);
        manual.advance(2.5);
        QCOMPARE(manual.now(), 102.5);
    }
};

QTEST_APPLESS_MAIN(TstStore)
#include "tst_store.moc"
