// TLS as kubeconfigs configure it: client certificates, the cluster's CA, expired and
// mismatched server certificates, tls-server-name and insecure-skip-tls-verify.
#include "kubeclienttesthelpers.h"

#include "sandbox/certs.h"

#include <QTest>

#include <memory>

using namespace kd;

class TstTransportTls final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<testing::SandboxFixture> m_sandbox;

    kube::Result<kube::Json> getNamespace(const kube::RestConfig &config,
                                          std::shared_ptr<kube::CredentialProvider> creds = {}) {
        kube::ApiClient client(config, std::move(creds));
        return testing::await(client.get(QStringLiteral("/api/v1/namespaces/default")));
    }

private slots:
    void initTestCase() {
        m_sandbox = std::make_unique<testing::SandboxFixture>(
            testing::SandboxFixture::Options{"empty", 1.0, true});
    }
    void cleanupTestCase() { m_sandbox.reset(); }

    void clientCertificateAuthenticates() {
        auto r = getNamespace(testing::adminCertConfig(m_sandbox->server()));
        KD_VERIFY_OK(r);
        QCOMPARE(r->value("kind", ""), std::string("Namespace"));
        QCOMPARE((*r)["metadata"]["name"].get<std::string>(), std::string("default"));
    }

    void bearerTokenAuthenticates() {
        auto creds = std::make_shared<testing::ScriptedCredentials>(QList<QByteArray>{
            QByteArray::fromStdString(m_sandbox->server().credentials().adminToken)});
        auto r = getNamespace(testing::noCredentialConfig(m_sandbox->server()), creds);
        KD_VERIFY_OK(r);
        QCOMPARE(creds->currentCalls(), 1);
    }

    void noCredentialsIsUnauthorized() {
        auto r = getNamespace(testing::noCredentialConfig(m_sandbox->server()));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kube::ErrorKind::Unauthorized);
        QCOMPARE(r.error().httpStatus, 401);
    }

    void wrongCertificateAuthority() {
        kube::RestConfig c = testing::adminCertConfig(m_sandbox->server());
        c.caPem = QByteArray::fromStdString(sandbox::makeCertificateAuthority("other-ca").certPem);
        auto r = getNamespace(c);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kube::ErrorKind::Tls);
        QCOMPARE(r.error().message, QStringLiteral("the server's certificate is not signed by "
                                                   "the cluster's certificate authority"));
        QCOMPARE(r.error().httpStatus, 0);
    }

    void insecureSkipsVerification() {
        kube::RestConfig c = testing::adminCertConfig(m_sandbox->server());
        c.caPem = QByteArray::fromStdString(sandbox::makeCertificateAuthority("other-ca").certPem);
        c.insecureSkipTlsVerify = true;
        c.tlsServerName = QStringLiteral("not-in-the-certificate.example");
        KD_VERIFY_OK(getNamespace(c));
    }

    void nameMismatch() {
        kube::RestConfig c = testing::adminCertConfig(m_sandbox->server());
        c.tlsServerName = QStringLiteral("api.other.example");
        auto r = getNamespace(c);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kube::ErrorKind::Tls);
        QCOMPARE(r.error().message,
                 QStringLiteral("the server's certificate does not match the name "
                                "api.other.example"));
    }

    void matchingTlsServerName() {
        // Connect to 127.0.0.1 but verify (and send SNI) as "localhost", which the
        // certificate carries.
        kube::RestConfig c = testing::adminCertConfig(m_sandbox->server());
        QCOMPARE(c.server.host(), QStringLiteral("127.0.0.1"));
        c.tlsServerName = QStringLiteral("localhost");
        KD_VERIFY_OK(getNamespace(c));
    }

    void expiredServerCertificate() {
        sandbox::Cluster cluster(sandbox::Cluster::Options{sandbox::Clock::Mode::Real, 1.0, 0});
        sandbox::ServerOptions so;
        so.tls = true;
        so.certificates.validSeconds = 3600;
        so.certificates.notBeforeOffsetSeconds = -7200; // ended an hour ago
        sandbox::ApiServer server(cluster, so);
        server.start();
        auto r = getNamespace(testing::adminCertConfig(server));
        server.stop();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kube::ErrorKind::Tls);
        QCOMPARE(r.error().message, QStringLiteral("the server's certificate has expired"));
    }

    void connectionRefused() {
        kube::RestConfig c = testing::adminCertConfig(m_sandbox->server());
        c.server = QUrl(QStringLiteral("https://127.0.0.1:1"));
        auto r = getNamespace(c);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kube::ErrorKind::Unreachable);
        QVERIFY2(r.error().message.startsWith(QStringLiteral("cannot connect to the server: ")),
                 qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(TstTransportTls)
#include "tst_transport_tls.moc"
