// Credential providers: static kubeconfig credentials, a re-read token file, and exec plugins
// cached until they expire and re-run at most once per generation after a 401.
#include "kube/credentials.h"

#include "kube/execapprovals.h"
#include "kube/execplugin.h"
#include "kube/kubeconfig.h"
#include "kube/redact.h"

#include <QMutex>
#include <QMutexLocker>

#include <algorithm>
#include <optional>

namespace kd::kube {

namespace {

QString userPrefix(const RestConfig &config) {
    QString prefix =
        config.sourceFile.isEmpty() ? QString() : config.sourceFile + QStringLiteral(": ");
    return prefix + QStringLiteral("user %1: ").arg(quoted(config.userName));
}

QDateTime nowOf(const CredentialOptions &options) {
    return options.now ? options.now() : QDateTime::currentDateTimeUtc();
}

void registerSecrets(const Credential &c) {
    Redactor::instance().addSecret(c.bearerToken);
    Redactor::instance().addSecret(c.password);
    Redactor::instance().addSecret(c.clientKeyPem);
}

Credential staticPart(const RestConfig &config) {
    Credential c;
    c.clientCertPem = config.clientCertPem;
    c.clientKeyPem = config.clientKeyPem;
    c.username = config.username;
    c.password = config.password;
    return c;
}

class StaticProvider final : public CredentialProvider {
public:
    explicit StaticProvider(const RestConfig &config)
        : m_credential(staticPart(config)) {
        m_credential.bearerToken = config.bearerToken;
        m_credential.generation = 1;
        registerSecrets(m_credential);
    }
    Result<Credential> current() override { return m_credential; }
    void unauthorized(quint64) override {} // nothing to refresh: the 401 stands
    bool canRefresh() const override { return false; }

private:
    Credential m_credential;
};

class TokenFileProvider final : public CredentialProvider {
public:
    TokenFileProvider(const RestConfig &config, CredentialOptions options)
        : m_config(config)
        , m_options(std::move(options))
        , m_credential(staticPart(config)) {}

    Result<Credential> current() override {
        QMutexLocker lock(&m_mutex);
        const QDateTime now = nowOf(m_options);
        if (!m_stale && m_readAt.isValid() &&
            now < m_readAt.addSecs(m_options.tokenFileRereadSeconds))
            return m_credential;
        const QString what = QStringLiteral("tokenFile %1").arg(quoted(m_config.tokenFile));
        auto content = readCappedFile(m_config.tokenFile, kMaxCredentialFileBytes, what);
        if (!content)
            return makeError(ErrorKind::Credential, userPrefix(m_config) + content.error().message);
        auto token = tokenFromFileContent(*content, what);
        if (!token)
            return makeError(ErrorKind::Credential, userPrefix(m_config) + token.error().message);
        m_credential.bearerToken = *token;
        m_credential.generation = ++m_generation;
        registerSecrets(m_credential);
        m_readAt = now;
        m_stale = false;
        return m_credential;
    }

    void unauthorized(quint64 generation) override {
        QMutexLocker lock(&m_mutex);
        if (generation == m_credential.generation)
            m_stale = true; // the token may have been rotated: read the file again
    }
    bool canRefresh() const override { return true; }

private:
    const RestConfig m_config;
    const CredentialOptions m_options;
    QMutex m_mutex;
    Credential m_credential;
    QDateTime m_readAt;
    bool m_stale = true;
    quint64 m_generation = 0;
};

class ExecProvider final : public CredentialProvider {
public:
    ExecProvider(const RestConfig &config, std::shared_ptr<ExecApprovals> approvals,
                 CredentialOptions options)
        : m_config(config)
        , m_approvals(std::move(approvals))
        , m_options(std::move(options)) {}

    Result<Credential> current() override {
        // Held while the plugin runs: concurrent callers wait and share one run.
        QMutexLocker lock(&m_mutex);
        const QDateTime now = nowOf(m_options);
        if (m_cached && !m_invalidated && (!m_refreshAt.isValid() || now < m_refreshAt))
            return *m_cached;
        const ExecConfig &exec = *m_config.exec;
        ExecRunOptions run{m_options.execTimeoutMs, m_options.maxExecOutputBytes, m_options.now};
        // A missing executable or one that needs a TTY cannot run at all: say that first,
        // asking for an approval would not help.
        if (exec.resolvedCommand.isEmpty() || exec.interactiveMode == u"Always")
            return runExecPlugin(m_config, run);
        const auto decision =
            m_approvals ? m_approvals->decide(exec) : ExecApprovals::Decision::NeedsApproval;
        if (decision == ExecApprovals::Decision::NeedsApproval)
            return makeError(
                ErrorKind::ExecNotApproved,
                userPrefix(m_config) +
                    QStringLiteral("exec plugin %1 needs your approval before Kubedeck "
                                   "runs it")
                        .arg(quoted(exec.resolvedCommand)));
        if (decision == ExecApprovals::Decision::Denied)
            return makeError(ErrorKind::ExecNotApproved,
                             userPrefix(m_config) +
                                 QStringLiteral("exec plugin %1 is not allowed by the exec plugin "
                                                "policy (%2)")
                                     .arg(quoted(exec.resolvedCommand),
                                          ExecApprovals::policyName(m_approvals->policy())));
        auto result = runExecPlugin(m_config, run);
        if (!result)
            return result.error();
        Credential credential = *result;
        if (credential.clientCertPem.isEmpty()) { // a kubeconfig client cert still applies
            credential.clientCertPem = m_config.clientCertPem;
            credential.clientKeyPem = m_config.clientKeyPem;
        }
        credential.generation = ++m_generation;
        registerSecrets(credential);
        m_refreshAt = QDateTime();
        if (credential.expiry.isValid()) {
            // Refresh a little early so a request does not leave with a credential that expires
            // on the way; never more than a quarter of the lifetime.
            const qint64 lifetimeMs = now.msecsTo(credential.expiry);
            m_refreshAt = credential.expiry.addMSecs(-std::min<qint64>(10'000, lifetimeMs / 4));
        }
        m_cached = credential;
        m_invalidated = false;
        return credential;
    }

    void unauthorized(quint64 generation) override {
        QMutexLocker lock(&m_mutex);
        if (m_cached && m_cached->generation == generation)
            m_invalidated = true; // later 401s of this generation find it already invalidated
    }
    bool canRefresh() const override { return true; }

private:
    const RestConfig m_config;
    const std::shared_ptr<ExecApprovals> m_approvals;
    const CredentialOptions m_options;
    QMutex m_mutex;
    std::optional<Credential> m_cached;
    QDateTime m_refreshAt;
    bool m_invalidated = false;
    quint64 m_generation = 0;
};

} // namespace

std::shared_ptr<CredentialProvider> makeCredentialProvider(const RestConfig &config,
                                                           std::shared_ptr<ExecApprovals> approvals,
                                                           CredentialOptions options) {
    if (config.exec)
        return std::make_shared<ExecProvider>(config, std::move(approvals), std::move(options));
    if (!config.tokenFile.isEmpty())
        return std::make_shared<TokenFileProvider>(config, std::move(options));
    return std::make_shared<StaticProvider>(config);
}

} // namespace kd::kube
