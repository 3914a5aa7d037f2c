// Effective pod requests as upstream's resourcehelper computes them: defaulting of requests to
// limits, init containers, restartable (sidecar) init containers, overhead, terminated pods.
#include "semantics/resources.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace kd::semantics;
using nlohmann::json;

namespace {

constexpr std::int64_t Mi = 1024LL * 1024 * 1000; // one MiB in milli-units
constexpr std::int64_t Gi = 1024 * Mi;

json container(const std::string &name, json requests, json limits = json()) {
    json c{{"name", name}, {"image", "nginx:1.25"}, {"resources", json::object()}};
    if (!requests.is_null())
        c["resources"]["requests"] = std::move(requests);
    if (!limits.is_null())
        c["resources"]["limits"] = std::move(limits);
    return c;
}

} // namespace

class TstResources final : public QObject {
    Q_OBJECT

private slots:
    void parseList() {
        ResourceList r = parseResourceList(
            json{{"cpu", "500m"}, {"memory", "1Gi"}, {"nvidia.com/gpu", 2}, {"bad", "x1"}});
        QCOMPARE(r.size(), std::size_t(3));
        QCOMPARE(r["cpu"], std::int64_t(500));
        QCOMPARE(r["memory"], Gi);
        QCOMPARE(r["nvidia.com/gpu"], std::int64_t(2000));
        QVERIFY(parseResourceList(json::array()).empty());
    }

    void requestsDefaultToLimits() {
        ResourceList r = containerRequests(
            container("a", json{{"cpu", "250m"}},
                      json{{"cpu", "1"}, {"memory", "2Gi"}, {"nvidia.com/gpu", "1"}}));
        QCOMPARE(r["cpu"], std::int64_t(250)); // an explicit request stays
        QCOMPARE(r["memory"], 2 * Gi);         // a limit alone is the request
        QCOMPARE(r["nvidia.com/gpu"], std::int64_t(1000));
        QVERIFY(containerRequests(json{{"name", "b"}}).empty());
    }

    void initContainersAndOverhead() {
        json spec{
            {"containers",
             {container("app", json{{"cpu", "500m"}, {"memory", "1Gi"}}),
              container("side", json{{"cpu", "250m"}, {"memory", "512Mi"}})}},
            {"initContainers", {container("migrate", json{{"cpu", "2"}, {"memory", "256Mi"}})}},
            {"overhead", {{"cpu", "100m"}, {"memory", "64Mi"}}}};
        ResourceList r = podSpecRequests(spec);
        // cpu: max(init 2000, apps 750) + 100; memory: max(256Mi, 1.5Gi) + 64Mi.
        QCOMPARE(r["cpu"], std::int64_t(2100));
        QCOMPARE(r["memory"], Gi + 512 * Mi + 64 * Mi);
        QCOMPARE(r[kPodsResource], kOnePod);
    }

    void sidecarInitContainers() {
        json sidecar = container("proxy", json{{"cpu", "100m"}});
        sidecar["restartPolicy"] = "Always";
        json spec{{"containers", {container("app", json{{"cpu", "500m"}})}},
                  {"initContainers", {sidecar, container("warmup", json{{"cpu", "1"}})}}};
        // Apps run next to the sidecar: 600m. The later init container runs next to it: 1100m.
        QCOMPARE(podSpecRequests(spec)["cpu"], std::int64_t(1100));
        spec["initContainers"][1]["resources"]["requests"]["cpu"] = "200m";
        QCOMPARE(podSpecRequests(spec)["cpu"], std::int64_t(600));
    }

    void migResources() {
        json spec{{"containers", {container("llm", json(), json{{"nvidia.com/mig-1g.5gb", 2}})}}};
        ResourceList r = podSpecRequests(spec);
        QCOMPARE(r["nvidia.com/mig-1g.5gb"], std::int64_t(2000));
        QVERIFY(isGpuResource("nvidia.com/mig-1g.5gb"));
    }

    void terminatedPodsRequestNothing_data() {
        QTest::addColumn<QString>("phase");
        QTest::addColumn<bool>("empty");
        QTest::newRow("pending") << QStringLiteral("Pending") << false;
        QTest::newRow("running") << QStringLiteral("Running") << false;
        QTest::newRow("succeeded") << QStringLiteral("Succeeded") << true;
        QTest::newRow("failed") << QStringLiteral("Failed") << true;
    }
    void terminatedPodsRequestNothing() {
        QFETCH(QString, phase);
        QFETCH(bool, empty);
        json pod{{"spec", {{"containers", {container("a", json{{"cpu", "1"}})}}}},
                 {"status", {{"phase", phase.toStdString()}}}};
        QCOMPARE(podRequests(pod).empty(), empty);
        if (!empty)
            QCOMPARE(podRequests(pod)["cpu"], std::int64_t(1000));
    }

    void nonZeroRequests() {
        json spec{{"containers", {container("a", json()), container("b", json{{"cpu", "1"}})}}};
        ResourceList r = podSpecNonZeroRequests(spec);
        QCOMPARE(r["cpu"], std::int64_t(1100));                // 100m default + 1
        QCOMPARE(r["memory"], 2 * kDefaultMemoryRequestMilli); // 200Mi default, twice
        QCOMPARE(kDefaultMemoryRequestMilli, 200 * Mi);
    }

    void gpuResources_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("gpu");
        QTest::newRow("nvidia") << QStringLiteral("nvidia.com/gpu") << true;
        QTest::newRow("mig") << QStringLiteral("nvidia.com/mig-3g.20gb") << true;
        QTest::newRow("amd") << QStringLiteral("amd.com/gpu") << true;
        QTest::newRow("cpu") << QStringLiteral("cpu") << false;
        QTest::newRow("other vendor") << QStringLiteral("intel.com/gpu") << false;
        QTest::newRow("nvidia other") << QStringLiteral("nvidia.com/gpu.memory") << false;
    }
    void gpuResources() {
        QFETCH(QString, name);
        QFETCH(bool, gpu);
        QCOMPARE(isGpuResource(name.toStdString()), gpu);
    }

    void arithmetic() {
        ResourceList a{{"cpu", 500}, {"memory", 10}};
        addResources(a, {{"cpu", 250}, {"nvidia.com/gpu", 1000}});
        QCOMPARE(a["cpu"], std::int64_t(750));
        QCOMPARE(a["nvidia.com/gpu"], std::int64_t(1000));
        subtractResources(a, {{"cpu", 750}});
        QCOMPARE(a["cpu"], std::int64_t(0));
        ResourceList m =
            maxResources({{"cpu", 5}, {"memory", 1}}, {{"cpu", 3}, {"memory", 7}, {"x/y", 2}});
        QCOMPARE(m, (ResourceList{{"cpu", 5}, {"memory", 7}, {"x/y", 2}}));
        QCOMPARE(amountOf(m, "absent"), std::int64_t(0));
    }
};

QTEST_APPLESS_MAIN(TstResources)
#include "tst_resources.moc"
