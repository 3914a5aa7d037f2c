// The Session against the sandbox: connects and syncs every drawn kind into an ObjectStore,
// reports an unreachable server, a bad token and a viewer's forbidden kinds as states, and
// restarts the namespaced reflectors when the namespace scope changes.
#include "reflectortesthelpers.h"

#include "kube/session.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace std::chrono_literals;
using namespace kd;
using kd::kube::Reflector;
using kd::kube::Session;

namespace {

kube::SessionOptions fastOptions() {
    kube::SessionOptions o;
    o.reflector.backoff.initial = 50ms;
    o.reflector.backoff.cap = 1000ms;
    o.client.connectTimeoutMs = 3000;
    return o;
}

std::unique_ptr<Session> tokenSession(sandbox::ApiServer &server, const std::string &token,
                                      kube::SessionOptions options = fastOptions()) {
    kube::RestConfig c = testing::tokenConfig(server, token);
    return std::make_unique<Session>(c, kube::makeCredentialProvider(c, nullptr),
                                     std::move(options));
}

// A loopback port nobody listens on: bound, read, released.
int freeLoopbackPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

} // namespace

class TstSession final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<testing::SandboxFixture> m_sandbox;

private slots:
    void initTestCase() {
        m_sandbox = std::make_unique<testing::SandboxFixture>(
            testing::SandboxFixture::Options{"ml-serving", 1.0, true});
    }
    void cleanupTestCase() { m_sandbox.reset(); }

    void connectsAndSyncs() {
        auto session =
            tokenSession(m_sandbox->server(), m_sandbox->server().credentials().adminToken);
        model::ObjectStore store;
        connect(session.get(), &Session::batchesReady, &store, &model::ObjectStore::applyBatches);
        QSignalSpy states(session.get(), &Session::stateChanged);
        QSignalSpy synced(session.get(), &Session::synced);
        session->connectToServer();
        QCOMPARE(session->state(), Session::State::Connecting);
        QVERIFY(synced.wait(20'000));
        QCOMPARE(session->state(), Session::State::Ready);
        QCOMPARE(states.size(), 3); // Connecting, Syncing, Ready
        QVERIFY(!session->error());
        QVERIFY(session->serverVersion().startsWith(QLatin1Char('v')));
        QVERIFY(session->apiClient());
        // The store holds the first lists when synced() arrives.
        QCOMPARE(testing::storeSnapshot(store, QStringLiteral("nodes")).size(),
                 testing::serverSnapshot(*m_sandbox, "v1", "Node").size());
        QVERIFY(store.count(QStringLiteral("pods"), QStringLiteral("ml-serving")) > 0);
        QVERIFY(store.count(QStringLiteral("deployments.apps")) > 0);

        int failed = 0;
        for (const Session::KindStatus &s : session->kindStatuses()) {
            if (s.kind.resource == QLatin1String("daemonsets")) {
                // The sandbox does not serve DaemonSets: that kind alone is NotFound.
                QCOMPARE(s.state, Reflector::State::Failed);
                QCOMPARE(s.error->kind, kube::ErrorKind::NotFound);
                ++failed;
                continue;
            }
            QVERIFY2(s.synced, qPrintable(s.kind.key()));
            QCOMPARE(s.state, Reflector::State::Watching);
        }
        QCOMPARE(failed, 1);
        QCOMPARE(int(session->kindStatuses().size()), int(Session::defaultKinds().size()));

        // The watch keeps the store current.
        QTRY_COMPARE_WITH_TIMEOUT(testing::storeSnapshot(store, QStringLiteral("services")),
                                  testing::serverSnapshot(*m_sandbox, "v1", "Service"), 10'000);
    }

    void namespaceScopeChange() {
        auto session =
            tokenSession(m_sandbox->server(), m_sandbox->server().credentials().adminToken);
        model::ObjectStore store;
        connect(session.get(), &Session::batchesReady, &store, &model::ObjectStore::applyBatches);
        QSignalSpy synced(session.get(), &Session::synced);
        session->connectToServer();
        QVERIFY(synced.wait(20'000));
        QVERIFY(store.count(QStringLiteral("pods"), QStringLiteral("vector")) > 0);
        const auto nodes = store.list(QStringLiteral("nodes"));

        session->setNamespaceScope(QStringLiteral("ml-serving"));
        QCOMPARE(session->namespaceScope(), QStringLiteral("ml-serving"));
        QCOMPARE(session->state(), Session::State::Syncing);
        QVERIFY(synced.wait(20'000));
        QCOMPARE(synced.size(), 2);
        // Namespaced kinds hold only the new scope; cluster-scoped ones were not relisted.
        QCOMPARE(store.count(QStringLiteral("pods"), QStringLiteral("vector")), 0);
        QCOMPARE(testing::storeSnapshot(store, QStringLiteral("pods")),
                 testing::serverSnapshot(*m_sandbox, "v1", "Pod", "ml-serving"));
        QCOMPARE(store.list(QStringLiteral("nodes")), nodes);
        QCOMPARE(session->reflector(QStringLiteral("nodes"))->stats().lists, 1);
        QCOMPARE(session->reflector(QStringLiteral("pods"))->namespaceScope(),
                 QStringLiteral("ml-serving"));
    }

    void unreachableServer() {
        // A port that was free a moment ago: connection refused.
        const int port = freeLoopbackPort();
        QVERIFY(port > 0);
        kube::RestConfig c = testing::adminCertConfig(m_sandbox->server());
        c.server.setPort(port);
        Session session(c, kube::makeCredentialProvider(c, nullptr), fastOptions());
        QSignalSpy states(&session, &Session::stateChanged);
        session.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Failed, 10'000);
        QCOMPARE(session.error()->kind, kube::ErrorKind::Unreachable);
        QVERIFY(!session.error()->message.isEmpty());
        QVERIFY(session.kindStatuses().front().state == Reflector::State::Idle);
    }

    void badTokenIsUnauthorized() {
        const std::string badToken = "not-the-token-0123456789";
        auto session = tokenSession(m_sandbox->server(), badToken);
        session->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), Session::State::Failed, 10'000);
        QCOMPARE(session->error()->kind, kube::ErrorKind::Unauthorized);
        QCOMPARE(session->error()->httpStatus, 401);
        QVERIFY(!session->error()->message.contains(QString::fromStdString(badToken)));
    }

    void viewerReadsAndSeesForbiddenKinds() {
        kube::SessionOptions o = fastOptions();
        o.kinds = Session::defaultKinds();
        o.kinds.push_back(kube::ResourceKind{QString(), QStringLiteral("v1"),
                                             QStringLiteral("secrets"), QStringLiteral("Secret"),
                                             true});
        auto session =
            tokenSession(m_sandbox->server(), m_sandbox->server().credentials().viewerToken, o);
        model::ObjectStore store;
        connect(session.get(), &Session::batchesReady, &store, &model::ObjectStore::applyBatches);
        QSignalSpy kindChanges(session.get(), &Session::kindStateChanged);
        QSignalSpy synced(session.get(), &Session::synced);
        session->connectToServer();
        QVERIFY(synced.wait(20'000));
        QCOMPARE(session->state(), Session::State::Ready);
        const Reflector *secrets = session->reflector(QStringLiteral("secrets"));
        QVERIFY(secrets);
        QCOMPARE(secrets->state(), Reflector::State::Failed);
        QCOMPARE(secrets->lastError()->kind, kube::ErrorKind::Forbidden);
        QVERIFY(kindChanges.contains(QVariantList{QStringLiteral("secrets")}));
        // Reading works for everything else.
        QCOMPARE(session->reflector(QStringLiteral("pods"))->state(), Reflector::State::Watching);
        QCOMPARE(testing::storeSnapshot(store, QStringLiteral("namespaces")).size(),
                 testing::serverSnapshot(*m_sandbox, "v1", "Namespace").size());
        QVERIFY(store.count(QStringLiteral("pods")) > 0);
    }
};

QTEST_GUILESS_MAIN(TstSession)
#include "tst_session.moc"
