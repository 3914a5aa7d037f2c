// How objects print in the browser: kubectl's STATUS, READY, RESTARTS and AGE, GPU requests.
#include "model/display.h"

#include <QTest>

using kd::kube::Json;

class TestDisplay : public QObject {
    Q_OBJECT

private slots:
    void podStatus_data() {
        QTest::addColumn<QString>("pod");
        QTest::addColumn<QString>("status");
        QTest::newRow("running") << R"({"status":{"phase":"Running","containerStatuses":[
            {"ready":true,"state":{"running":{}}}]}})"
                                 << "Running";
        QTest::newRow("pending") << R"({"status":{"phase":"Pending"}})"
                                 << "Pending";
        QTest::newRow("crash loop") << R"({"status":{"phase":"Running","containerStatuses":[
            {"ready":false,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})"
                                    << "CrashLoopBackOff";
        QTest::newRow("image pull") << R"({"status":{"phase":"Pending","containerStatuses":[
            {"ready":false,"state":{"waiting":{"reason":"ErrImagePull"}}}]}})"
                                    << "ErrImagePull";
        QTest::newRow("oom killed") << R"({"status":{"phase":"Running","containerStatuses":[
            {"state":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]}})"
                                    << "OOMKilled";
        QTest::newRow("exit code") << R"({"status":{"phase":"Failed","containerStatuses":[
            {"state":{"terminated":{"exitCode":3}}}]}})"
                                   << "ExitCode:3";
        QTest::newRow("signal") << R"({"status":{"phase":"Failed","containerStatuses":[
            {"state":{"terminated":{"exitCode":0,"signal":9}}}]}})"
                                << "Signal:9";
        QTest::newRow("completed with a running sidecar")
            << R"({"status":{"phase":"Running","containerStatuses":[
            {"ready":true,"state":{"running":{}}},
            {"state":{"terminated":{"reason":"Completed","exitCode":0}}}]}})"
            << "Running";
        QTest::newRow("init in progress")
            << R"({"spec":{"initContainers":[{"name":"a"},{"name":"b"}]},
            "status":{"phase":"Pending","initContainerStatuses":[
            {"state":{"terminated":{"exitCode":0}}},{"state":{"running":{}}}]}})"
            << "Init:1/2";
        QTest::newRow("init failed") << R"({"status":{"phase":"Pending","initContainerStatuses":[
            {"state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}})"
                                     << "Init:Error";
        QTest::newRow("terminating") << R"({"metadata":{"deletionTimestamp":"2026-01-01T00:00:00Z"},
            "status":{"phase":"Running"}})"
                                     << "Terminating";
        QTest::newRow("node lost") << R"({"metadata":{"deletionTimestamp":"2026-01-01T00:00:00Z"},
            "status":{"phase":"Running","reason":"NodeLost"}})"
                                   << "Unknown";
        QTest::newRow("evicted") << R"({"status":{"phase":"Failed","reason":"Evicted"}})"
                                 << "Evicted";
        QTest::newRow("no status") << R"({})"
                                   << "Unknown";
    }
    void podStatus() {
        QFETCH(QString, pod);
        QFETCH(QString, status);
        QCOMPARE(kd::model::podStatusText(Json::parse(pod.toStdString())), status);
    }

    void readyAndRestarts() {
        Json pod = Json::parse(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]},
            "status":{"containerStatuses":[{"ready":true,"restartCount":2},
            {"ready":false,"restartCount":3}],"initContainerStatuses":[{"restartCount":1}]}})");
        QCOMPARE(kd::model::podReadyText(pod), QStringLiteral("1/2"));
        QCOMPARE(kd::model::podRestarts(pod), 6);
    }

    void humanDuration_data() {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("negative") << qint64(-5) << "<invalid>";
        QTest::newRow("just now") << qint64(-1) << "0s";
        QTest::newRow("seconds") << qint64(45) << "45s";
        QTest::newRow("119 s") << qint64(119) << "119s";
        QTest::newRow("2 min") << qint64(120) << "2m";
        QTest::newRow("3m20s") << qint64(200) << "3m20s";
        QTest::newRow("minutes") << qint64(45 * 60) << "45m";
        QTest::newRow("3h") << qint64(3 * 3600) << "3h";
        QTest::newRow("5h30m") << qint64(5 * 3600 + 1800) << "5h30m";
        QTest::newRow("20h") << qint64(20 * 3600) << "20h";
        QTest::newRow("3d4h") << qint64(3 * 86400 + 4 * 3600) << "3d4h";
        QTest::newRow("30d") << qint64(30 * 86400) << "30d";
        QTest::newRow("2y100d") << qint64((2 * 365 + 100) * 86400LL) << "2y100d";
        QTest::newRow("9y") << qint64(9 * 365 * 86400LL) << "9y";
    }
    void humanDuration() {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(kd::model::humanDuration(seconds), text);
    }

    void age() {
        Json o = Json::parse(R"({"metadata":{"creationTimestamp":"2026-11-24T10:00:00Z"}})");
        QDateTime now = QDateTime::fromString(QStringLiteral("2026-11-24T10:03:20Z"), Qt::ISODate);
        QCOMPARE(kd::model::ageText(o, now), QStringLiteral("3m20s"));
        QCOMPARE(kd::model::ageSeconds(o, now), qint64(200));
        QCOMPARE(kd::model::ageText(Json::object(), now), QString());
    }

    void gpuRequests() {
        Json spec = Json::parse(R"({"containers":[
            {"name":"a","resources":{"limits":{"nvidia.com/gpu":"2","cpu":"1"}}},
            {"name":"b","resources":{"requests":{"nvidia.com/mig-1g.10gb":1},
                                     "limits":{"nvidia.com/mig-1g.10gb":1}}}]})");
        QCOMPARE(kd::model::gpuRequestText(spec),
                 QStringLiteral("nvidia.com/gpu: 2, nvidia.com/mig-1g.10gb: 1"));
        QCOMPARE(kd::model::gpuRequestCount(spec), qint64(3));
        QCOMPARE(kd::model::gpuRequestText(Json::parse(R"({"containers":[{"name":"a"}]})")),
                 QString());
    }

    void nodeStatus() {
        Json node = Json::parse(R"({"spec":{"unschedulable":true},
            "status":{"conditions":[{"type":"Ready","status":"True"}]}})");
        QCOMPARE(kd::model::nodeStatusText(node), QStringLiteral("Ready,SchedulingDisabled"));
        QCOMPARE(kd::model::healthOf(QStringLiteral("nodes"), node), 1);
        node["status"]["conditions"][0]["status"] = "False";
        QCOMPARE(kd::model::healthOf(QStringLiteral("nodes"), node), 2);
    }
};

QTEST_APPLESS_MAIN(TestDisplay)
#include "tst_display.moc"
