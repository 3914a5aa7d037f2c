#include "ui/connection.h"

#include "kube/apiclient.h"
#include "kube/credentials.h"
#include "kube/permissions.h"
#include "kube/session.h"
#include "kube/whendone.h"
#include "model/columns.h"
#include "ui/sandboxhost.h"

#include <QtConcurrent/QtConcurrentRun>

namespace kd::ui {

namespace {

const QString kSandboxAdmin = QStringLiteral("sandbox:admin");
const QString kSandboxViewer = QStringLiteral("sandbox:viewer");
const QString kKubeconfigPrefix = QStringLiteral("kubeconfig:");

// What went wrong, in words that say what to check, from the client's typed error.
QString plainWords(const kube::Error &e) {
    switch (e.kind) {
    case kube::ErrorKind::Unreachable:
        return QObject::tr("The cluster is unreachable: %1").arg(e.message);
    case kube::ErrorKind::Timeout:
        return QObject::tr("The cluster did not answer in time: %1").arg(e.message);
    case kube::ErrorKind::Tls:
        return QObject::tr("The secure connection failed: %1").arg(e.message);
    case kube::ErrorKind::Unauthorized:
        return QObject::tr("The cluster did not accept your credentials (401 Unauthorized): %1")
            .arg(e.message);
    case kube::ErrorKind::Forbidden:
        return QObject::tr("Access denied (403 Forbidden): %1").arg(e.message);
    default:
        return e.message;
    }
}

// "forbidden: ..." or "unavailable: ..." for a kind whose reflector gave up; "" otherwise.
QString kindProblemText(const kube::Session::KindStatus &status) {
    if (!status.error || status.state != kube::Reflector::State::Failed)
        return {};
    if (status.error->kind == kube::ErrorKind::Forbidden)
        return QObject::tr("forbidden: %1").arg(status.error->message);
    return QObject::tr("unavailable: %1").arg(plainWords(*status.error));
}

} // namespace

Connection::Connection(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_approvals(std::make_shared<kube::ExecApprovals>(m_options.approvalsPath)) {
    rebuildContexts();
}

Connection::~Connection() {
    ++m_attempt;
    m_permissions.reset();
    m_session.reset();
}

void Connection::loadContexts() {
    const quint64 attempt = m_attempt;
    const QString path = m_options.kubeconfigPath;
    kube::whenDone(this, QtConcurrent::run([path] {
                       return kube::loadKubeconfig(
                           kube::KubeconfigLoadOptions::fromEnvironment(path));
                   }),
                   [this, attempt](kube::Result<kube::Kubeconfig> result) {
                       Q_UNUSED(attempt)
                       if (result) {
                           m_kubeconfig = std::move(*result);
                           m_kubeconfigProblem.clear();
                           m_warnings = m_kubeconfig->warnings();
                       } else {
                           m_kubeconfig.reset();
                           m_kubeconfigProblem = result.error().message;
                       }
                       rebuildContexts();
                       emit contextsChanged();
                   });
}

void Connection::rebuildContexts() {
    m_contexts.clear();
    if (m_kubeconfig)
        for (const kube::KubeconfigContextInfo &c : m_kubeconfig->contexts()) {
            ContextEntry e;
            e.id = kKubeconfigPrefix + c.name;
            e.label = c.name;
            e.contextName = c.name;
            e.server = c.server;
            e.namespaceName = c.namespaceName;
            e.authMethod = c.authMethod;
            e.sourceFile = c.sourceFile;
            e.insecure = c.insecure;
            m_contexts << e;
        }
    auto sandboxEntry = [](const QString &id, const QString &label, const QString &context,
                           const QString &auth) {
        ContextEntry e;
        e.id = id;
        e.label = label;
        e.contextName = context;
        e.server = tr("a loopback port of this computer");
        e.authMethod = auth;
        e.sandbox = true;
        return e;
    };
    m_contexts << sandboxEntry(kSandboxAdmin, tr("Sandbox (admin)"),
                               QStringLiteral("sandbox-admin"), tr("client certificate"));
    m_contexts << sandboxEntry(kSandboxViewer, tr("Sandbox (read-only viewer)"),
                               QStringLiteral("sandbox-viewer"), tr("token"));
}

QString Connection::defaultContextId() const {
    if (m_kubeconfig && !m_kubeconfig->currentContext().isEmpty() &&
        m_kubeconfig->context(m_kubeconfig->currentContext()))
        return kKubeconfigPrefix + m_kubeconfig->currentContext();
    return kSandboxAdmin;
}

bool Connection::insecure() const {
    return m_session && m_config.insecureSkipTlsVerify;
}

kube::ApiClient *Connection::client() const {
    return m_session ? m_session->apiClient() : nullptr;
}

void Connection::setState(State state, const QString &message,
                          std::optional<kube::ErrorKind> kind) {
    m_state = state;
    m_message = message;
    m_errorKind = kind;
    emit stateChanged(state, message);
}

void Connection::disconnectFromCluster() {
    ++m_attempt;
    m_permissions.reset();
    m_session.reset();
    m_store.clear();
    setState(State::Idle, QString());
}

void Connection::connectTo(const QString &contextId, const QString &ns) {
    disconnectFromCluster();
    m_currentId = contextId;
    m_namespace = ns;
    const quint64 attempt = m_attempt;
    if (contextId == kSandboxAdmin || contextId == kSandboxViewer) {
        ensureSandbox(contextId, attempt);
        return;
    }
    if (!contextId.startsWith(kKubeconfigPrefix) || !m_kubeconfig) {
        setState(State::Failed,
                 m_kubeconfigProblem.isEmpty() ? tr("There is no context \"%1\".").arg(contextId)
                                               : m_kubeconfigProblem,
                 kube::ErrorKind::Config);
        return;
    }
    resolveAndStart(contextId, attempt);
}

void Connection::ensureSandbox(const QString &contextId, quint64 attempt) {
    if (m_sandbox && m_sandboxKubeconfig) {
        resolveAndStart(contextId, attempt);
        return;
    }
    setState(State::StartingSandbox, tr("Starting the sandbox cluster…"));
    if (m_sandboxStarting)
        return; // the running start continues with the newest attempt
    m_sandboxStarting = true;
    const std::string scenario = m_options.sandboxScenario;
    const double speed = m_options.sandboxSpeed;
    struct Started {
        std::unique_ptr<SandboxHost> host;
        std::optional<kube::Kubeconfig> kubeconfig;
        QString problem;
    };
    kube::whenDone(this, QtConcurrent::run([scenario, speed] {
                       auto started = std::make_shared<Started>();
                       try {
                           started->host =
                               std::make_unique<SandboxHost>(SandboxHost::Options{scenario, speed});
                           kube::KubeconfigLoadOptions lo;
                           lo.explicitPath = started->host->kubeconfigPath();
                           auto loaded = kube::loadKubeconfig(lo);
                           if (loaded)
                               started->kubeconfig = std::move(*loaded);
                           else
                               started->problem = loaded.error().message;
                       } catch (const std::exception &e) {
                           started->problem = QString::fromStdString(e.what());
                       }
                       return started;
                   }),
                   [this](std::shared_ptr<Started> started) {
                       m_sandboxStarting = false;
                       if (!started->problem.isEmpty()) {
                           setState(
                               State::Failed,
                               tr("The sandbox cluster could not start: %1").arg(started->problem));
                           return;
                       }
                       m_sandbox = std::move(started->host);
                       m_sandboxKubeconfig = std::move(started->kubeconfig);
                       if (m_currentId == kSandboxAdmin || m_currentId == kSandboxViewer)
                           resolveAndStart(m_currentId, m_attempt);
                   });
}

void Connection::resolveAndStart(const QString &contextId, quint64 attempt) {
    setState(State::Connecting, tr("Connecting…"));
    const bool sandbox = contextId == kSandboxAdmin || contextId == kSandboxViewer;
    const kube::Kubeconfig &kubeconfig = sandbox ? *m_sandboxKubeconfig : *m_kubeconfig;
    QString name = sandbox ? (contextId == kSandboxAdmin ? QStringLiteral("sandbox-admin")
                                                         : QStringLiteral("sandbox-viewer"))
                           : contextId.mid(kKubeconfigPrefix.size());
    // Resolving reads certificate, key and token files: not on the GUI thread.
    kube::whenDone(
        this, QtConcurrent::run([kubeconfig, name] { return kubeconfig.resolve(name); }),
        [this, contextId, attempt](kube::Result<kube::RestConfig> config) {
            if (attempt != m_attempt)
                return;
            if (!config) {
                setState(State::Failed, config.error().message, config.error().kind);
                return;
            }
            if (config->exec) {
                switch (m_approvals->decide(*config->exec)) {
                case kube::ExecApprovals::Decision::Approved:
                    break;
                case kube::ExecApprovals::Decision::Denied:
                    setState(State::Failed,
                             tr("The credential plugin %1 is not allowed by Kubedeck's exec "
                                "policy (%2).")
                                 .arg(config->exec->resolvedCommand.isEmpty()
                                          ? config->exec->command
                                          : config->exec->resolvedCommand,
                                      kube::ExecApprovals::policyName(m_approvals->policy())),
                             kube::ErrorKind::ExecNotApproved);
                    return;
                case kube::ExecApprovals::Decision::NeedsApproval:
                    m_config = *config;
                    setState(State::Failed,
                             tr("This context gets its credentials by running %1, which you "
                                "have not approved yet.")
                                 .arg(config->exec->resolvedCommand.isEmpty()
                                          ? config->exec->command
                                          : config->exec->resolvedCommand),
                             kube::ErrorKind::ExecNotApproved);
                    emit execApprovalRequired(contextId, m_approvals->describe(*config->exec));
                    return;
                }
            }
            startSession(contextId, *config);
        });
}

void Connection::approveExec(const QString &contextId) {
    if (contextId != m_currentId || !m_config.exec)
        return;
    if (auto problem = m_approvals->approve(*m_config.exec)) {
        setState(State::Failed, problem->message, problem->kind);
        return;
    }
    connectTo(contextId, m_namespace);
}

void Connection::startSession(const QString &contextId, const kube::RestConfig &config) {
    Q_UNUSED(contextId)
    m_config = config;
    if (m_namespace.isEmpty() && !m_currentId.isEmpty())
        m_namespace =
            config.namespaceName == QLatin1String("default") ? QString() : config.namespaceName;
    kube::SessionOptions options;
    options.kinds = model::watchedKinds();
    options.namespaceScope = m_namespace;
    m_session = std::make_unique<kube::Session>(
        config, kube::makeCredentialProvider(config, m_approvals), options);
    m_permissions = std::make_unique<kube::Permissions>(*m_session->apiClient());
    connect(
        m_session.get(), &kube::Session::batchesReady, this,
        [this](const std::vector<kube::DeltaBatch> &batches) { m_store.applyBatches(batches); });
    connect(m_session.get(), &kube::Session::stateChanged, this, [this](kube::Session::State s) {
        switch (s) {
        case kube::Session::State::Disconnected:
            setState(State::Idle, QString());
            break;
        case kube::Session::State::Connecting:
            setState(State::Connecting, tr("Connecting…"));
            break;
        case kube::Session::State::Syncing:
            setState(State::Connecting, tr("Loading objects…"));
            break;
        case kube::Session::State::Ready:
            setState(State::Connected, tr("Connected to %1 (Kubernetes %2)")
                                           .arg(m_config.server.toString(QUrl::RemoveUserInfo),
                                                m_session->serverVersion()));
            break;
        case kube::Session::State::Failed:
            setState(State::Failed,
                     m_session->error() ? plainWords(*m_session->error())
                                        : tr("The connection failed."),
                     m_session->error() ? std::optional(m_session->error()->kind) : std::nullopt);
            break;
        }
    });
    connect(m_session.get(), &kube::Session::kindStateChanged, this,
            [this](const QString &kindKey) {
                for (const auto &status : m_session->kindStatuses())
                    if (status.kind.key() == kindKey)
                        emit kindProblem(kindKey, kindProblemText(status));
            });
    connect(m_session.get(), &kube::Session::synced, this, &Connection::synced);
    m_session->connectToServer();
}

void Connection::setNamespace(const QString &ns) {
    m_namespace = ns;
    if (m_session)
        m_session->setNamespaceScope(ns);
}

} // namespace kd::ui
