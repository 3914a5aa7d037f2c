// kubeconfig loading and merging (behaviour reference §1): which files are read, in which order,
// what an undecodable one does, first-file-wins entries and relative paths.
#include "kubeconfigfixture.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

using namespace kd::kube;
using kd::testing::errorText;
using kd::testing::kOpenSshKey;
using kd::testing::lineContaining;
using kd::testing::onlyFile;
using kd::testing::verifyNoSecret;
using kd::testing::writeFile;

class TstKubeconfigLoad final : public QObject, private kd::testing::KubeconfigFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }

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
};

QTEST_GUILESS_MAIN(TstKubeconfigLoad)
#include "tst_kubeconfigload.moc"
