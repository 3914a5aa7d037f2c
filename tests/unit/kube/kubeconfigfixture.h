#pragma once
// The fixture of the kubeconfig tests: a temporary folder with a CA, a client certificate, an
// SSH key and a token file, and a kubeconfig document template with cluster c1, user alice and
// context ctx.
#include "kube/kubeconfig.h"
#include "kubetesthelpers.h"

#include "sandbox/certs.h"

#include <QTemporaryDir>
#include <QTest>

namespace kd::testing {

inline const QByteArray kOpenSshKey = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                                      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ-SSH-SECRET-BODY\n"
                                      "-----END OPENSSH PRIVATE KEY-----\n";

inline int lineContaining(const QByteArray &text, const QByteArray &needle) {
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].contains(needle))
            return i + 1;
    return 0;
}

inline kube::KubeconfigLoadOptions onlyFile(const QString &path) {
    kube::KubeconfigLoadOptions o;
    o.explicitPath = path;
    return o;
}

class KubeconfigFixture {
protected:
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

    // Call from initTestCase().
    void setUpFixture() {
        QVERIFY(m_dir.isValid());
        m_ca = kd::sandbox::makeCertificateAuthority("test-ca");
        auto client = kd::sandbox::issueCertificate(m_ca, "alice", {}, false, {});
        m_cert64 = QByteArray::fromStdString(client.certPem).toBase64();
        m_key64 = QByteArray::fromStdString(client.keyPem).toBase64();
        writeFile(path(QStringLiteral("id_rsa")), kOpenSshKey);
        writeFile(path(QStringLiteral("ca.pem")), QByteArray::fromStdString(m_ca.certPem));
        writeFile(path(QStringLiteral("token")), "file-token-s3cr3t\n");
    }
};

} // namespace kd::testing
