// The merged kubeconfig as the UI sees it (the context picker), and the file checks shared by
// resolving and by the credential provider.
#include "kube/kubeconfig.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <memory>

namespace kd::kube {

namespace {

QString stringField(const nlohmann::json &object, const char *key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return {};
    return it->is_string() ? QString::fromStdString(it->get<std::string>())
                           : QString::fromStdString(it->dump());
}

bool hasField(const nlohmann::json &object, const char *key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return false;
    return !it->is_string() || !it->get<std::string>().empty();
}

QString authMethodInWords(const KubeconfigEntry *user) {
    if (!user)
        return QStringLiteral("unknown user");
    const nlohmann::json &u = user->value;
    QStringList methods;
    if (hasField(u, "client-certificate-data") || hasField(u, "client-certificate"))
        methods.append(QStringLiteral("client certificate"));
    if (hasField(u, "tokenFile"))
        methods.append(QStringLiteral("token file"));
    else if (hasField(u, "token"))
        methods.append(QStringLiteral("token"));
    if (hasField(u, "username") || hasField(u, "password"))
        methods.append(QStringLiteral("basic auth"));
    if (auto exec = u.find("exec"); exec != u.end() && exec->is_object())
        methods.append(QStringLiteral("exec: ") +
                       QFileInfo(stringField(*exec, "command")).fileName());
    if (auto ap = u.find("auth-provider"); ap != u.end() && ap->is_object())
        methods.append(QStringLiteral("auth-provider: ") + stringField(*ap, "name"));
    return methods.isEmpty() ? QStringLiteral("none") : methods.join(QStringLiteral(" + "));
}

bool isInsecure(const nlohmann::json &cluster) {
    auto it = cluster.find("insecure-skip-tls-verify");
    if (it == cluster.end())
        return false;
    return (it->is_boolean() && it->get<bool>()) ||
           (it->is_string() && it->get<std::string>() == "true");
}

struct BioDeleter {
    void operator()(BIO *bio) const { BIO_free(bio); }
};

std::unique_ptr<BIO, BioDeleter> memoryBio(const QByteArray &data) {
    return std::unique_ptr<BIO, BioDeleter>(BIO_new_mem_buf(data.constData(), int(data.size())));
}

// OpenSSL asks for a passphrase for encrypted keys; a GUI client key must not need one.
int noPassphrase(char *, int, int, void *) {
    return 0;
}

} // namespace

const KubeconfigEntry *Kubeconfig::cluster(const QString &name) const {
    auto it = m_clusterIndex.find(name);
    return it == m_clusterIndex.end() ? nullptr : &m_clusters[*it];
}

const KubeconfigEntry *Kubeconfig::user(const QString &name) const {
    auto it = m_userIndex.find(name);
    return it == m_userIndex.end() ? nullptr : &m_users[*it];
}

const KubeconfigEntry *Kubeconfig::context(const QString &name) const {
    auto it = m_contextIndex.find(name);
    return it == m_contextIndex.end() ? nullptr : &m_contexts[*it];
}

QList<KubeconfigContextInfo> Kubeconfig::contexts() const {
    QList<KubeconfigContextInfo> out;
    for (const KubeconfigEntry &c : m_contexts) {
        KubeconfigContextInfo info;
        info.name = c.name;
        info.cluster = stringField(c.value, "cluster");
        info.user = stringField(c.value, "user");
        info.namespaceName = stringField(c.value, "namespace");
        if (info.namespaceName.isEmpty())
            info.namespaceName = QStringLiteral("default");
        info.sourceFile = c.sourceFile;
        if (const KubeconfigEntry *cl = cluster(info.cluster)) {
            info.server = stringField(cl->value, "server");
            info.insecure = isInsecure(cl->value);
        }
        info.authMethod = authMethodInWords(user(info.user));
        out.append(info);
    }
    return out;
}

Result<QByteArray> readCappedFile(const QString &path, qint64 maxBytes, const QString &what) {
    QFileInfo info(path);
    if (info.isDir())
        return makeError(ErrorKind::Config,
                         QStringLiteral("cannot read %1: it is a directory").arg(what));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Config,
                         QStringLiteral("cannot read %1: %2").arg(what, file.errorString()));
    QByteArray data = file.read(maxBytes + 1);
    if (data.size() > maxBytes)
        return makeError(
            ErrorKind::Config,
            QStringLiteral("cannot read %1: it is larger than %2 bytes").arg(what).arg(maxBytes));
    return data;
}

Result<QByteArray> tokenFromFileContent(const QByteArray &content, const QString &what) {
    const QByteArray token = content.trimmed();
    if (token.isEmpty())
        return makeError(ErrorKind::Credential, QStringLiteral("%1 is empty").arg(what));
    if (token.contains("-----BEGIN") || token.contains("PRIVATE KEY"))
        return makeError(
            ErrorKind::Credential,
            QStringLiteral("%1 holds a private key or certificate, not a bearer token; "
                           "refusing to send it")
                .arg(what));
    for (char c : token)
        if (c < 0x21 || c > 0x7e)
            return makeError(
                ErrorKind::Credential,
                QStringLiteral("%1 does not hold a bearer token (it has spaces, several "
                               "lines or non-printable characters); refusing to send it")
                    .arg(what));
    return token;
}

QString privateKeyProblem(const QByteArray &pem) {
    if (pem.contains("-----BEGIN OPENSSH PRIVATE KEY-----"))
        return QStringLiteral("is an OpenSSH private key (like ~/.ssh/id_rsa), not a PEM client "
                              "key for Kubernetes; refusing to use it");
    if (!pem.contains("-----BEGIN") || !pem.contains("PRIVATE KEY-----"))
        return QStringLiteral("is not a PEM private key");
    if (pem.contains("ENCRYPTED"))
        return QStringLiteral(
            "is an encrypted private key; Kubedeck cannot ask for its passphrase");
    auto bio = memoryBio(pem);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr);
    ERR_clear_error();
    if (!key)
        return QStringLiteral("is not a valid PEM private key");
    EVP_PKEY_free(key);
    return {};
}

QString certificateProblem(const QByteArray &pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----"))
        return QStringLiteral("is not a PEM certificate");
    auto bio = memoryBio(pem);
    X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    ERR_clear_error();
    if (!cert)
        return QStringLiteral("is not a valid PEM certificate");
    X509_free(cert);
    return {};
}

QString resolveExecCommand(const QString &command) {
    if (command.isEmpty())
        return {};
    if (command.contains(u'/')) {
        QFileInfo info(command);
        return info.isFile() && info.isExecutable() ? info.absoluteFilePath() : QString();
    }
    return QStandardPaths::findExecutable(command);
}

} // namespace kd::kube
