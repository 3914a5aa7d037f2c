// One context of a merged kubeconfig to a validated RestConfig (client-go
// clientcmd/api/v1/types.go, validation.go, transport/transport.go). Every error says file:line,
// the entry and the problem.
#include "kube/kubeconfig.h"

#include "kube/redact.h"

#include <QRegularExpression>

namespace kd::kube {

namespace {

const QString kExecV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kExecV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");
const std::string kExecExtension = "client.authentication.k8s.io/exec";

// Reads the fields of one entry and turns problems into errors that point at the entry.
class EntryReader final {
public:
    EntryReader(const KubeconfigEntry &entry, const char *kind)
        : m_entry(entry)
        , m_kind(kind) {}

    Error fail(const std::string &field, const QString &problem,
               ErrorKind kind = ErrorKind::Config) const {
        // The field's own line, else its parent's (a missing exec.interactiveMode points at
        // exec), else the entry's.
        int line = m_entry.line;
        for (std::string f = field; !f.empty();) {
            if (auto it = m_entry.fieldLines.find(f);
                it != m_entry.fieldLines.end() && it->second) {
                line = it->second;
                break;
            }
            const auto dot = f.rfind('.');
            f = dot == std::string::npos ? std::string() : f.substr(0, dot);
        }
        QString where = m_entry.sourceFile;
        if (line > 0)
            where += u':' + QString::number(line);
        return makeError(
            kind, QStringLiteral("%1: %2 %3: %4")
                      .arg(where, QString::fromLatin1(m_kind), quoted(m_entry.name), problem));
    }

    const nlohmann::json *find(const nlohmann::json &object, const char *key) const {
        auto it = object.find(key);
        return it == object.end() || it->is_null() ? nullptr : &*it;
    }

    // Scalars are accepted as text (a namespace written as 123 is "123"); maps and lists are not.
    std::optional<Error> text(const nlohmann::json &object, const char *key, QString &out,
                              const std::string &field) const {
        const nlohmann::json *v = find(object, key);
        if (!v)
            return std::nullopt;
        if (v->is_object() || v->is_array())
            return fail(field, QStringLiteral("%1 must be a string").arg(QString::fromLatin1(key)));
        out = v->is_string() ? QString::fromStdString(v->get<std::string>())
                             : QString::fromStdString(v->dump());
        return std::nullopt;
    }
    std::optional<Error> text(const char *key, QString &out) const {
        return text(m_entry.value, key, out, key);
    }

    std::optional<Error> flag(const nlohmann::json &object, const char *key, bool &out,
                              const std::string &field) const {
        const nlohmann::json *v = find(object, key);
        if (!v)
            return std::nullopt;
        if (v->is_boolean())
            out = v->get<bool>();
        else if (v->is_string() &&
                 (v->get<std::string>() == "true" || v->get<std::string>() == "false"))
            out = v->get<std::string>() == "true";
        else
            return fail(field,
                        QStringLiteral("%1 must be true or false").arg(QString::fromLatin1(key)));
        return std::nullopt;
    }

    // A *-data field: base64 of the bytes. Never echoes the value.
    std::optional<Error> base64(const char *key, QByteArray &out) const {
        QString encoded;
        if (auto e = text(key, encoded))
            return e;
        if (encoded.isEmpty())
            return std::nullopt;
        QByteArray compact = encoded.toLatin1();
        compact.replace('\n', "").replace('\r', "").replace(' ', "").replace('\t', "");
        auto decoded =
            QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || encoded.toLatin1() != encoded.toUtf8())
            return fail(key,
                        QStringLiteral("%1 is not valid base64").arg(QString::fromLatin1(key)));
        out = *decoded;
        return std::nullopt;
    }

    // A file named by a path field, read now with a size cap.
    std::optional<Error> file(const char *key, const QString &path, QByteArray &out) const {
        auto data =
            readCappedFile(path, kMaxCredentialFileBytes,
                           QStringLiteral("%1 %2").arg(QString::fromLatin1(key), quoted(path)));
        if (!data)
            return fail(key, data.error().message);
        out = *data;
        return std::nullopt;
    }

    const nlohmann::json &value() const { return m_entry.value; }

private:
    const KubeconfigEntry &m_entry;
    const char *m_kind;
};

bool isDnsLabel(const QString &s) {
    static const QRegularExpression label(QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
    return s.size() <= 63 && label.match(s).hasMatch();
}

std::optional<Error> resolveCluster(const KubeconfigEntry &entry, RestConfig &out) {
    EntryReader r(entry, "cluster");
    QString server;
    if (auto e = r.text("server", server))
        return e;
    if (server.isEmpty())
        return r.fail("server", QStringLiteral("no server is set"));
    if (!server.contains(QStringLiteral("://")))
        server.prepend(QStringLiteral("https://"));
    QUrl url(server, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != u"https" && url.scheme() != u"http"))
        return r.fail(
            "server",
            QStringLiteral("server %1 is not a valid http or https URL").arg(quoted(server)));
    out.server = url;
    if (auto e = r.text("tls-server-name", out.tlsServerName))
        return e;
    if (auto e = r.flag(r.value(), "insecure-skip-tls-verify", out.insecureSkipTlsVerify,
                        "insecure-skip-tls-verify"))
        return e;

    QString caPath;
    if (auto e = r.text("certificate-authority", caPath))
        return e;
    QByteArray caData;
    if (auto e = r.base64("certificate-authority-data", caData))
        return e;
    if (out.insecureSkipTlsVerify && (!caPath.isEmpty() || !caData.isEmpty()))
        return r.fail("insecure-skip-tls-verify",
                      QStringLiteral("a certificate authority and insecure-skip-tls-verify: true "
                                     "cannot be used together; remove one of them"));
    if (!caData.isEmpty()) { // data wins over the path
        if (QString problem = certificateProblem(caData); !problem.isEmpty())
            return r.fail("certificate-authority-data",
                          QStringLiteral("certificate-authority-data ") + problem);
        out.caPem = caData;
    } else if (!caPath.isEmpty()) {
        if (auto e = r.file("certificate-authority", caPath, out.caPem))
            return e;
        if (QString problem = certificateProblem(out.caPem); !problem.isEmpty())
            return r.fail("certificate-authority",
                          QStringLiteral("certificate-authority %1 ").arg(quoted(caPath)) +
                              problem);
    }

    QString proxy;
    if (auto e = r.text("proxy-url", proxy))
        return e;
    if (!proxy.isEmpty()) {
        QUrl proxyUrl(proxy, QUrl::StrictMode);
        const QString scheme = proxyUrl.scheme();
        if (scheme != u"http" && scheme != u"https" && scheme != u"socks5")
            return r.fail("proxy-url",
                          QStringLiteral("proxy-url scheme %1 is not supported (use http, https "
                                         "or socks5)")
                              .arg(quoted(scheme)));
        if (!proxyUrl.isValid() || proxyUrl.host().isEmpty())
            return r.fail("proxy-url", QStringLiteral("proxy-url is not a valid URL"));
        out.proxyUrl = proxyUrl;
    }

    if (const nlohmann::json *extensions = r.find(r.value(), "extensions")) {
        if (!extensions->is_array())
            return r.fail("extensions", QStringLiteral("extensions must be a list"));
        for (const nlohmann::json &ext : *extensions)
            if (ext.is_object() && ext.value("name", std::string()) == kExecExtension &&
                ext.contains("extension"))
                out.clusterExtensionJson = QByteArray::fromStdString(ext["extension"].dump());
    }
    return std::nullopt;
}

std::optional<Error> resolveAuthProvider(const EntryReader &r, const nlohmann::json &provider) {
    QString name;
    if (auto e = r.text(provider, "name", name, "auth-provider.name"))
        return e;
    QString problem;
    if (name == u"gcp")
        problem = QStringLiteral("the gcp auth-provider was removed from Kubernetes clients; "
                                 "install gke-gcloud-auth-plugin and use it as an exec credential "
                                 "plugin (gcloud container clusters get-credentials writes that "
                                 "kubeconfig)");
    else if (name == u"azure")
        problem = QStringLiteral("the azure auth-provider was removed from Kubernetes clients; "
                                 "install kubelogin and convert the kubeconfig with "
                                 "\"kubelogin convert-kubeconfig\" to use it as an exec "
                                 "credential plugin");
    else if (name == u"oidc")
        problem = QStringLiteral("the oidc auth-provider is not supported by Kubedeck yet; use an "
                                 "exec credential plugin such as kubelogin (kubectl oidc-login)");
    else
        problem = QStringLiteral("auth-provider %1 is not supported by Kubedeck; use an exec "
                                 "credential plugin")
                      .arg(quoted(name));
    return r.fail("auth-provider", problem);
}

std::optional<Error> resolveExec(const EntryReader &r, const nlohmann::json &exec,
                                 ExecConfig &out) {
    if (auto e = r.text(exec, "apiVersion", out.apiVersion, "exec.apiVersion"))
        return e;
    if (out.apiVersion != kExecV1 && out.apiVersion != kExecV1beta1)
        return r.fail("exec.apiVersion",
                      (out.apiVersion.isEmpty()
                           ? QStringLiteral("exec apiVersion is not set")
                           : QStringLiteral("exec apiVersion %1 is not supported")
                                 .arg(quoted(out.apiVersion))) +
                          QStringLiteral(" (use %1 or %2)").arg(kExecV1, kExecV1beta1));
    if (auto e = r.text(exec, "command", out.command, "exec.command"))
        return e;
    if (out.command.isEmpty())
        return r.fail("exec.command", QStringLiteral("exec command is not set"));
    if (auto e = r.text(exec, "installHint", out.installHint, "exec.installHint"))
        return e;
    if (auto e =
            r.flag(exec, "provideClusterInfo", out.provideClusterInfo, "exec.provideClusterInfo"))
        return e;
    if (auto e = r.text(exec, "interactiveMode", out.interactiveMode, "exec.interactiveMode"))
        return e;
    if (out.interactiveMode.isEmpty() && out.apiVersion == kExecV1)
        return r.fail("exec.interactiveMode",
                      QStringLiteral("exec interactiveMode is required for %1 (Never, IfAvailable "
                                     "or Always)")
                          .arg(kExecV1));
    if (!out.interactiveMode.isEmpty() && out.interactiveMode != u"Never" &&
        out.interactiveMode != u"IfAvailable" && out.interactiveMode != u"Always")
        return r.fail("exec.interactiveMode",
                      QStringLiteral("exec interactiveMode %1 is not one of Never, IfAvailable, "
                                     "Always")
                          .arg(quoted(out.interactiveMode)));
    if (const nlohmann::json *args = r.find(exec, "args")) {
        if (!args->is_array())
            return r.fail("exec.args", QStringLiteral("exec args must be a list of strings"));
        for (const nlohmann::json &a : *args) {
            if (a.is_object() || a.is_array() || a.is_null())
                return r.fail("exec.args", QStringLiteral("exec args must be a list of strings"));
            out.args.append(a.is_string() ? QString::fromStdString(a.get<std::string>())
                                          : QString::fromStdString(a.dump()));
        }
    }
    if (const nlohmann::json *env = r.find(exec, "env")) {
        if (!env->is_array())
            return r.fail("exec.env", QStringLiteral("exec env must be a list of name/value maps"));
        for (const nlohmann::json &item : *env) {
            QString name;
            QString value;
            if (!item.is_object() || r.text(item, "name", name, "exec.env") ||
                r.text(item, "value", value, "exec.env") || name.isEmpty())
                return r.fail("exec.env", QStringLiteral("every exec env item needs a name and a "
                                                         "value"));
            out.env.append({name, value});
        }
    }
    out.resolvedCommand = resolveExecCommand(out.command);
    return std::nullopt;
}

std::optional<Error> resolveUser(const KubeconfigEntry &entry, RestConfig &out) {
    EntryReader r(entry, "user");
    if (const nlohmann::json *provider = r.find(r.value(), "auth-provider"))
        return resolveAuthProvider(r, *provider);

    QString token, tokenFile;
    if (auto e = r.text("token", token))
        return e;
    if (auto e = r.text("tokenFile", tokenFile))
        return e;
    if (auto e = r.text("username", out.username))
        return e;
    QString password;
    if (auto e = r.text("password", password))
        return e;
    const nlohmann::json *exec = r.find(r.value(), "exec");
    QStringList methods;
    if (!token.isEmpty() || !tokenFile.isEmpty())
        methods.append(QStringLiteral("token"));
    if (!out.username.isEmpty() || !password.isEmpty())
        methods.append(QStringLiteral("basic auth"));
    if (exec)
        methods.append(QStringLiteral("exec"));
    if (methods.size() > 1)
        return r.fail(!token.isEmpty() ? "token" : "tokenFile",
                      QStringLiteral("more than one authentication method (%1); use only one")
                          .arg(methods.join(QStringLiteral(", "))));

    QString certPath, keyPath;
    QByteArray certData, keyData;
    if (auto e = r.text("client-certificate", certPath))
        return e;
    if (auto e = r.text("client-key", keyPath))
        return e;
    if (auto e = r.base64("client-certificate-data", certData))
        return e;
    if (auto e = r.base64("client-key-data", keyData))
        return e;
    const bool hasCert = !certData.isEmpty() || !certPath.isEmpty();
    const bool hasKey = !keyData.isEmpty() || !keyPath.isEmpty();
    if (hasCert && !hasKey)
        return r.fail(certData.isEmpty() ? "client-certificate" : "client-certificate-data",
                      QStringLiteral("a client certificate without a client key (set client-key "
                                     "or client-key-data)"));
    if (hasKey && !hasCert)
        return r.fail(keyData.isEmpty() ? "client-key" : "client-key-data",
                      QStringLiteral("a client key without a client certificate (set "
                                     "client-certificate or client-certificate-data)"));
    if (hasCert) {
        QString certWhat = QStringLiteral("client-certificate-data");
        if (!certData.isEmpty()) {
            out.clientCertPem = certData;
        } else {
            certWhat = QStringLiteral("client-certificate %1").arg(quoted(certPath));
            if (auto e = r.file("client-certificate", certPath, out.clientCertPem))
                return e;
        }
        if (QString problem = certificateProblem(out.clientCertPem); !problem.isEmpty())
            return r.fail(certData.isEmpty() ? "client-certificate" : "client-certificate-data",
                          certWhat + u' ' + problem);
        QString keyWhat = QStringLiteral("client-key-data");
        if (!keyData.isEmpty()) {
            out.clientKeyPem = keyData;
        } else {
            keyWhat = QStringLiteral("client-key %1").arg(quoted(keyPath));
            if (auto e = r.file("client-key", keyPath, out.clientKeyPem))
                return e;
        }
        if (QString problem = privateKeyProblem(out.clientKeyPem); !problem.isEmpty()) {
            out.clientKeyPem.clear();
            return r.fail(keyData.isEmpty() ? "client-key" : "client-key-data",
                          keyWhat + u' ' + problem);
        }
        Redactor::instance().addSecret(out.clientKeyPem);
    }

    if (!tokenFile.isEmpty()) { // wins over token; the provider re-reads it
        QByteArray content;
        if (auto e = r.file("tokenFile", tokenFile, content))
            return e;
        auto checked =
            tokenFromFileContent(content, QStringLiteral("tokenFile %1").arg(quoted(tokenFile)));
        if (!checked)
            return r.fail("tokenFile", checked.error().message);
        Redactor::instance().addSecret(*checked);
        out.tokenFile = tokenFile;
    } else if (!token.isEmpty()) {
        out.bearerToken = token.toUtf8();
        Redactor::instance().addSecret(out.bearerToken);
    }
    out.password = password.toUtf8();
    Redactor::instance().addSecret(out.password);

    if (exec) {
        if (!exec->is_object())
            return r.fail("exec", QStringLiteral("exec must be a map"));
        ExecConfig config;
        if (auto e = resolveExec(r, *exec, config))
            return e;
        out.exec = std::move(config);
    }
    return std::nullopt;
}

} // namespace

Result<RestConfig> Kubeconfig::resolve(const QString &contextName) const {
    const QString name = contextName.isEmpty() ? m_currentContext : contextName;
    const QString fileList = m_files.isEmpty() ? QStringLiteral("no kubeconfig file was found")
                                               : m_files.join(QStringLiteral(", "));
    if (name.isEmpty())
        return makeError(
            ErrorKind::Config,
            m_contexts.isEmpty()
                ? QStringLiteral("no contexts are defined (%1)").arg(fileList)
                : QStringLiteral("no current-context is set (%1); choose a context").arg(fileList));
    const KubeconfigEntry *ctx = context(name);
    if (!ctx) {
        if (contextName.isEmpty())
            return makeError(ErrorKind::Config,
                             QStringLiteral("%1: current-context %2 does not name a context in any "
                                            "loaded kubeconfig file")
                                 .arg(m_currentContextSource, quoted(name)));
        return makeError(
            ErrorKind::Config,
            QStringLiteral("context %1 is not defined in any loaded kubeconfig file (%2)")
                .arg(quoted(name), fileList));
    }
    EntryReader r(*ctx, "context");
    RestConfig out;
    out.contextName = ctx->name;
    out.sourceFile = ctx->sourceFile;
    if (auto e = r.text("cluster", out.clusterName))
        return *e;
    if (auto e = r.text("user", out.userName))
        return *e;
    QString ns;
    if (auto e = r.text("namespace", ns))
        return *e;
    if (out.clusterName.isEmpty())
        return r.fail("cluster", QStringLiteral("no cluster is set"));
    const KubeconfigEntry *clusterEntry = cluster(out.clusterName);
    if (!clusterEntry)
        return r.fail("cluster", QStringLiteral("cluster %1 is not defined in any loaded "
                                                "kubeconfig file")
                                     .arg(quoted(out.clusterName)));
    if (out.userName.isEmpty())
        return r.fail("user", QStringLiteral("no user is set"));
    const KubeconfigEntry *userEntry = user(out.userName);
    if (!userEntry)
        return r.fail("user", QStringLiteral("user %1 is not defined in any loaded kubeconfig file")
                                  .arg(quoted(out.userName)));
    if (!ns.isEmpty()) {
        if (!isDnsLabel(ns))
            return r.fail(
                "namespace",
                QStringLiteral("namespace %1 is not a valid DNS label (lowercase letters, "
                               "digits and '-', at most 63 characters, starting and "
                               "ending with a letter or digit)")
                    .arg(quoted(ns)));
        out.namespaceName = ns;
    }
    if (auto e = resolveCluster(*clusterEntry, out))
        return *e;
    if (auto e = resolveUser(*userEntry, out))
        return *e;
    return out;
}

} // namespace kd::kube
