// ApiClient against the sandbox (and a tiny hand-written server for broken streams): paging,
// watches, bookmarks, 410s, stalled and truncated streams, retries and credential refresh.
#include "kubeclienttesthelpers.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>
#include <mutex>
#include <optional>

using namespace kd;
using kube::Error;
using kube::ErrorKind;
using kube::Json;
using kube::WatchEvent;

Q_DECLARE_METATYPE(kd::kube::ErrorKind)

namespace {

// Collects what a watch delivers on the transport thread.
struct WatchLog {
    std::mutex mutex;
    std::vector<WatchEvent> events;
    std::optional<std::optional<Error>> closed;
    int closedCount = 0;

    kube::WatchCallbacks callbacks(const std::shared_ptr<WatchLog> &self) {
        return {[self](WatchEvent e) {
                    std::lock_guard lock(self->mutex);
                    self->events.push_back(std::move(e));
                },
                [self](std::optional<Error> e) {
                    std::lock_guard lock(self->mutex);
                    self->closed = std::move(e);
                    ++self->closedCount;
                }};
    }
    int count() {
        std::lock_guard lock(mutex);
        return int(events.size());
    }
    bool isClosed() {
        std::lock_guard lock(mutex);
        return closed.has_value();
    }
    bool has(WatchEvent::Type type, const std::string &name = {}) {
        std::lock_guard lock(mutex);
        for (const auto &e : events)
            if (e.type == type && (name.empty() || e.object["metadata"].value("name", "") == name))
                return true;
        return false;
    }
};

kube::ResourceKind kind(const char *resource, const char *kindName) {
    return kube::ResourceKind{QString(), QStringLiteral("v1"), QString::fromLatin1(resource),
                              QString::fromLatin1(kindName), true};
}

} // namespace

class TstApiClient final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<testing::SandboxFixture> m_sandbox;
    std::unique_ptr<kube::ApiClient> m_client;

    sandbox::FaultInjector &faults() { return m_sandbox->server().faults(); }

    void createNamespace(const std::string &name) {
        auto r = testing::await(m_client->create(
            QStringLiteral("/api/v1/namespaces"),
            {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}}));
        KD_VERIFY_OK(r);
    }

private slots:
    void initTestCase() {
        m_sandbox = std::make_unique<testing::SandboxFixture>(
            testing::SandboxFixture::Options{"empty", 1.0, true});
        m_client = std::make_unique<kube::ApiClient>(testing::adminCertConfig(m_sandbox->server()),
                                                     nullptr);
    }
    void cleanup() { faults().set(sandbox::FaultConfig{}); }
    void cleanupTestCase() {
        m_client.reset();
        m_sandbox.reset();
    }

    void pathsAreEncoded() {
        const auto deployments =
            kube::ResourceKind{QStringLiteral("apps"), QStringLiteral("v1"),
                               QStringLiteral("deployments"), QStringLiteral("Deployment"), true};
        QCOMPARE(kube::ApiClient::objectPath(deployments, QStringLiteral("ml"),
                                             QStringLiteral("web"), QStringLiteral("scale")),
                 QStringLiteral("/apis/apps/v1/namespaces/ml/deployments/web/scale"));
        QCOMPARE(kube::ApiClient::collectionPath(kind("pods", "Pod"), QString()),
                 QStringLiteral("/api/v1/pods"));
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("continue"), QStringLiteral("a+b/c="));
        q.addQueryItem(QStringLiteral("labelSelector"), QStringLiteral("app in (a,b),tier!=x"));
        QCOMPARE(kube::ApiClient::withQuery(QStringLiteral("/api/v1/pods"), q),
                 QStringLiteral("/api/v1/pods?continue=a%2Bb%2Fc%3D&labelSelector=app%20in%20%28a"
                                "%2Cb%29%2Ctier%21%3Dx"));
    }

    void discovery() {
        auto r = testing::await(m_client->discovery());
        KD_VERIFY_OK(r);
        QVERIFY((*r)["version"].contains("gitVersion"));
        QVERIFY((*r)["api"]["versions"].is_array());
        QVERIFY((*r)["apis"]["groups"].is_array());
    }

    void listPagesWithContinue() {
        createNamespace("paging");
        for (int i = 0; i < 25; ++i) {
            const std::string name =
                QStringLiteral("p-%1").arg(i, 2, 10, QLatin1Char('0')).toStdString();
            auto r = testing::await(m_client->create(
                QStringLiteral("/api/v1/namespaces/paging/pods"),
                {{"apiVersion", "v1"},
                 {"kind", "Pod"},
                 {"metadata", {{"name", name}}},
                 {"spec", {{"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}}));
            KD_VERIFY_OK(r);
        }
        QStringList names;
        kube::ListOptions options;
        options.limit = 10;
        int pages = 0;
        do {
            auto page = testing::await(
                m_client->list(kind("pods", "Pod"), QStringLiteral("paging"), options));
            KD_VERIFY_OK(page);
            QCOMPARE(page->value("kind", ""), std::string("PodList"));
            QVERIFY(int((*page)["items"].size()) <= 10);
            for (const auto &item : (*page)["items"])
                names << QString::fromStdString(item["metadata"]["name"].get<std::string>());
            options.continueToken =
                QString::fromStdString((*page)["metadata"].value("continue", std::string()));
            ++pages;
        } while (!options.continueToken.isEmpty() && pages < 10);
        QCOMPARE(pages, 3);
        names.sort();
        QCOMPARE(names.size(), 25);
        QCOMPARE(names.first(), QStringLiteral("p-00"));
        QCOMPARE(names.last(), QStringLiteral("p-24"));
        QCOMPARE(names.removeDuplicates(), 0);
    }

    void watchDeliversChanges() {
        createNamespace("watching");
        auto listed = testing::await(
            m_client->list(kind("configmaps", "ConfigMap"), QStringLiteral("watching")));
        KD_VERIFY_OK(listed);
        kube::WatchOptions options;
        options.resourceVersion =
            QString::fromStdString((*listed)["metadata"]["resourceVersion"].get<std::string>());
        auto log = std::make_shared<WatchLog>();
        auto handle = m_client->watch(kind("configmaps", "ConfigMap"), QStringLiteral("watching"),
                                      options, log->callbacks(log));
        const QString path = QStringLiteral("/api/v1/namespaces/watching/configmaps");
        KD_VERIFY_OK(testing::await(m_client->create(
            path, {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "w1"}}}})));
        QTRY_VERIFY_WITH_TIMEOUT(log->has(WatchEvent::Type::Added, "w1"), 10000);
        KD_VERIFY_OK(testing::await(m_client->patch(
            path + QStringLiteral("/w1"), kube::PatchType::Merge, {{"data", {{"k", "v"}}}})));
        QTRY_VERIFY_WITH_TIMEOUT(log->has(WatchEvent::Type::Modified, "w1"), 10000);
        KD_VERIFY_OK(testing::await(m_client->remove(path + QStringLiteral("/w1"))));
        QTRY_VERIFY_WITH_TIMEOUT(log->has(WatchEvent::Type::Deleted, "w1"), 10000);
        QVERIFY(!log->isClosed());
        handle->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(log->isClosed(), 5000);
        QVERIFY(handle->isClosed());
        std::lock_guard lock(log->mutex);
        QVERIFY(log->closed->has_value());
        QCOMPARE(log->closed->value().kind, ErrorKind::Cancelled);
        QCOMPARE(log->closedCount, 1);
    }

    void bookmarksArrive() {
        sandbox::FaultConfig f;
        f.bookmarkIntervalSeconds = 0.3;
        faults().set(f);
        auto log = std::make_shared<WatchLog>();
        auto handle = m_client->watch(kind("configmaps", "ConfigMap"), QStringLiteral("default"),
                                      {}, log->callbacks(log));
        QTRY_VERIFY_WITH_TIMEOUT(log->has(WatchEvent::Type::Bookmark), 10000);
        {
            std::lock_guard lock(log->mutex);
            for (const auto &e : log->events)
                if (e.type == WatchEvent::Type::Bookmark) {
                    QCOMPARE(e.typeName, QStringLiteral("BOOKMARK"));
                    QVERIFY(!e.object["metadata"].value("resourceVersion", "").empty());
                }
        }
        handle->cancel();
    }

    void expiredResourceVersion_data() {
        QTest::addColumn<bool>("asHttp");
        QTest::newRow("HTTP 410") << true;
        QTest::newRow("200 + ERROR event") << false;
    }
    void expiredResourceVersion() {
        QFETCH(bool, asHttp);
        sandbox::FaultConfig f;
        f.expireWatches = true;
        f.expiredAsHttp = asHttp;
        faults().set(f);
        kube::WatchOptions options;
        options.resourceVersion = QStringLiteral("1");
        auto log = std::make_shared<WatchLog>();
        auto handle = m_client->watch(kind("configmaps", "ConfigMap"), QStringLiteral("default"),
                                      options, log->callbacks(log));
        QTRY_VERIFY_WITH_TIMEOUT(log->isClosed(), 10000);
        std::lock_guard lock(log->mutex);
        QVERIFY(log->closed->has_value());
        const Error &e = log->closed->value();
        QCOMPARE(e.kind, ErrorKind::Gone);
        QCOMPARE(e.httpStatus, 410);
        QVERIFY2(e.reason == QLatin1String("Expired") || e.reason == QLatin1String("Gone"),
                 qPrintable(e.reason));
        QCOMPARE(int(log->events.size()), asHttp ? 0 : 1);
        if (!asHttp)
            QCOMPARE(log->events.front().type, WatchEvent::Type::Error);
    }

    void stalledWatchTimesOut() {
        sandbox::FaultConfig f;
        f.stallWatches = true;
        faults().set(f);
        kube::WatchOptions options;
        options.readIdleTimeoutSeconds = 2;
        auto log = std::make_shared<WatchLog>();
        QElapsedTimer timer;
        timer.start();
        auto handle = m_client->watch(kind("configmaps", "ConfigMap"), QStringLiteral("default"),
                                      options, log->callbacks(log));
        QTRY_VERIFY_WITH_TIMEOUT(log->isClosed(), 15000);
        QVERIFY(timer.elapsed() >= 1900);
        std::lock_guard lock(log->mutex);
        QCOMPARE(log->closed->value().kind, ErrorKind::Timeout);
        QCOMPARE(log->closed->value().message,
                 QStringLiteral("the watch received nothing for 2 seconds"));
    }

    void brokenStreams_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("events");
        QTest::addColumn<int>("closeKind"); // -1: closed normally
        QTest::addColumn<QString>("message");
        // Built from JSON texts: moc cannot read raw string literals with unbalanced braces.
        const QByteArray added = QByteArray::fromStdString(
            Json{{"type", "ADDED"},
                 {"object",
                  {{"kind", "ConfigMap"}, {"metadata", {{"name", "a"}, {"resourceVersion", "5"}}}}}}
                .dump());
        const QByteArray unknown = QByteArray::fromStdString(
            Json{{"type", "SURPRISE"}, {"object", Json::object()}}.dump());
        const QByteArray noObject = QByteArray::fromStdString(Json{{"type", "ADDED"}}.dump());
        QTest::newRow("truncated line")
            << added + "\n" + added.left(30) << 1 << int(ErrorKind::Protocol)
            << QStringLiteral("the watch stream ended in the middle of an event");
        QTest::newRow("invalid JSON")
            << QByteArray("<html>oops</html>\n") << 0 << int(ErrorKind::Protocol)
            << QStringLiteral("the watch stream sent an invalid event "
                              "(not a JSON object)");
        QTest::newRow("no object") << noObject + "\n"
                                   << 0 << int(ErrorKind::Protocol)
                                   << QStringLiteral("the watch stream sent an event without a "
                                                     "type or an object");
        QTest::newRow("unknown type then a normal end") << unknown + "\r\n" + added + "\n"
                                                        << 2 << -1 << QString();
        QTest::newRow("empty 200") << QByteArray() << 0 << -1 << QString();
    }
    void brokenStreams() {
        QFETCH(QByteArray, body);
        QFETCH(int, events);
        QFETCH(int, closeKind);
        QFETCH(QString, message);
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QTcpServer::newConnection, &server, [&server, body] {
            QTcpSocket *socket = server.nextPendingConnection();
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, socket, [socket, buffer, body] {
                buffer->append(socket->readAll());
                if (!buffer->contains("\r\n\r\n"))
                    return;
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\n\r\n" +
                              body);
                socket->disconnectFromHost();
            });
        });
        kube::RestConfig config;
        config.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()));
        kube::ApiClient client(config, nullptr);
        auto log = std::make_shared<WatchLog>();
        auto handle = client.watch(kind("configmaps", "ConfigMap"), QStringLiteral("default"), {},
                                   log->callbacks(log));
        QTRY_VERIFY_WITH_TIMEOUT(log->isClosed(), 10000);
        std::lock_guard lock(log->mutex);
        QCOMPARE(int(log->events.size()), events);
        if (closeKind < 0) {
            QVERIFY2(!log->closed->has_value(), qPrintable(log->closed->value_or(Error{}).message));
        } else {
            QVERIFY(log->closed->has_value());
            QCOMPARE(int(log->closed->value().kind), closeKind);
            QCOMPARE(log->closed->value().message, message);
        }
        if (events == 2) {
            QCOMPARE(log->events[0].type, WatchEvent::Type::Unknown);
            QCOMPARE(log->events[0].typeName, QStringLiteral("SURPRISE"));
            QCOMPARE(log->events[1].type, WatchEvent::Type::Added);
        }
    }

    void tooManyRequestsIsRetried() {
        sandbox::FaultConfig f;
        f.errorRate = 1;
        f.errorCode = 429;
        f.retryAfter = "1";
        faults().set(f);
        QElapsedTimer timer;
        timer.start();
        auto future = m_client->get(QStringLiteral("/api/v1/namespaces/default"));
        QTimer::singleShot(1500, this, [this] { faults().set(sandbox::FaultConfig{}); });
        auto r = testing::await(future);
        KD_VERIFY_OK(r);
        QVERIFY(timer.elapsed() >= 1400);
    }

    void retriesEndWithTheLastError() {
        sandbox::FaultConfig f;
        f.errorRate = 1;
        f.errorCode = 429;
        f.retryAfter = "-3"; // treated as one second
        faults().set(f);
        kube::ClientOptions options;
        options.maxRetries = 1;
        kube::ApiClient client(testing::adminCertConfig(m_sandbox->server()), nullptr, options);
        QElapsedTimer timer;
        timer.start();
        auto r = testing::await(client.get(QStringLiteral("/api/v1/namespaces/default")));
        QVERIFY(!r.ok());
        QVERIFY(timer.elapsed() >= 900);
        QCOMPARE(r.error().kind, ErrorKind::TooManyRequests);
        QCOMPARE(r.error().httpStatus, 429);
        QCOMPARE(r.error().retryAfterSeconds.value_or(-1), 1);
        QCOMPARE(r.error().message, QStringLiteral("the server has received too many requests and "
                                                   "has asked us to try again later (HTTP 429)"));
    }

    void htmlErrorBody() {
        sandbox::FaultConfig f;
        f.errorRate = 1;
        f.errorCode = 502;
        f.errorBody = "html";
        f.retryAfter = ""; // no Retry-After: not retried
        faults().set(f);
        auto r = testing::await(m_client->get(QStringLiteral("/api/v1/namespaces/default")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Server);
        QCOMPARE(r.error().httpStatus, 502);
        QCOMPARE(r.error().message, QStringLiteral("a proxy or gateway in front of the server got "
                                                   "no valid answer (HTTP 502)"));
    }

    void unauthorizedRefreshesOnce_data() {
        QTest::addColumn<bool>("secondTokenGood");
        QTest::addColumn<bool>("canRefresh");
        QTest::addColumn<int>("currentCalls");
        QTest::addColumn<int>("unauthorizedCalls");
        QTest::newRow("fresh token works") << true << true << 2 << 1;
        QTest::newRow("fresh token refused too") << false << true << 2 << 1;
        QTest::newRow("static credential") << true << false << 1 << 0;
    }
    void unauthorizedRefreshesOnce() {
        QFETCH(bool, secondTokenGood);
        QFETCH(bool, canRefresh);
        QFETCH(int, currentCalls);
        QFETCH(int, unauthorizedCalls);
        const QByteArray good =
            QByteArray::fromStdString(m_sandbox->server().credentials().adminToken);
        auto creds = std::make_shared<testing::ScriptedCredentials>(
            QList<QByteArray>{"stale-token", secondTokenGood ? good : QByteArray("also-stale"),
                              good},
            canRefresh);
        kube::ApiClient client(testing::noCredentialConfig(m_sandbox->server()), creds);
        auto r = testing::await(client.get(QStringLiteral("/api/v1/namespaces/default")));
        QCOMPARE(r.ok(), secondTokenGood && canRefresh);
        if (!r.ok())
            QCOMPARE(r.error().kind, ErrorKind::Unauthorized);
        QCOMPARE(creds->currentCalls(), currentCalls);
        QCOMPARE(creds->unauthorizedCalls(), unauthorizedCalls);
    }

    void credentialFailureIsReported() {
        auto creds = std::make_shared<testing::ScriptedCredentials>(QList<QByteArray>{});
        kube::ApiClient client(testing::noCredentialConfig(m_sandbox->server()), creds);
        auto r = testing::await(client.get(QStringLiteral("/version")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Credential);
        QCOMPARE(r.error().message, QStringLiteral("no token"));
        auto log = std::make_shared<WatchLog>();
        auto handle = client.watch(kind("configmaps", "ConfigMap"), QStringLiteral("default"), {},
                                   log->callbacks(log));
        QTRY_VERIFY_WITH_TIMEOUT(log->isClosed(), 5000);
        std::lock_guard lock(log->mutex);
        QCOMPARE(log->closed->value().kind, ErrorKind::Credential);
    }

    void destroyingTheClientClosesWatches() {
        auto client = std::make_unique<kube::ApiClient>(
            testing::adminCertConfig(m_sandbox->server()), nullptr);
        auto log = std::make_shared<WatchLog>();
        auto handle = client->watch(kind("configmaps", "ConfigMap"), QStringLiteral("default"), {},
                                    log->callbacks(log));
        auto pending = client->get(QStringLiteral("/api/v1/namespaces/default"));
        client.reset();
        QTRY_VERIFY_WITH_TIMEOUT(log->isClosed(), 5000);
        {
            std::lock_guard lock(log->mutex);
            QCOMPARE(log->closed->value().kind, ErrorKind::Cancelled);
            QCOMPARE(log->closedCount, 1);
        }
        auto r = testing::await(pending);
        // Either it made it before the client went away, or it was cancelled: never lost.
        QVERIFY(r.ok() || r.error().kind == ErrorKind::Cancelled);
        handle->cancel(); // harmless after close
    }
};

QTEST_GUILESS_MAIN(TstApiClient)
#include "tst_apiclient.moc"
