#pragma once
// The window's link to one cluster: the contexts on offer (kubeconfig plus the built-in sandbox),
// the session of the chosen one, and the object store it fills. Everything slow (starting the
// sandbox, reading kubeconfig files, talking to the server) happens off the GUI thread.

#include "kube/error.h"
#include "kube/execapprovals.h"
#include "kube/kubeconfig.h"
#include "model/objectstore.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace kd::kube {
class ApiClient;
class Session;
class Permissions;
} // namespace kd::kube

namespace kd::ui {

class SandboxHost;

struct ContextEntry {
    QString id;    // "sandbox:admin", "sandbox:viewer" or "kubeconfig:<name>"
    QString label; // what the picker shows
    QString contextName;
    QString server;
    QString namespaceName;
    QString authMethod;
    QString sourceFile;
    bool insecure = false;
    bool sandbox = false;
};

class Connection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)

public:
    enum class State { Idle, StartingSandbox, Connecting, Connected, Failed };
    Q_ENUM(State)

    struct Options {
        QString kubeconfigPath; // "" : $KUBECONFIG or ~/.kube/config
        QString approvalsPath;  // remembered exec plugin approvals
        std::string sandboxScenario = "ml-serving";
        double sandboxSpeed = 1.0; // simulated seconds per second
    };

    Connection(Options options, QObject *parent = nullptr);
    ~Connection() override;

    // Reads the kubeconfig (in the background); contextsChanged() follows.
    void loadContexts();
    const QList<ContextEntry> &contexts() const { return m_contexts; }
    QStringList kubeconfigWarnings() const { return m_warnings; }
    QString kubeconfigProblem() const { return m_kubeconfigProblem; }
    QString currentContextId() const { return m_currentId; }
    QString defaultContextId() const; // the kubeconfig's current-context, else the sandbox

    // Connects to a context; a previous session closes. `ns` "" = all namespaces.
    void connectTo(const QString &contextId, const QString &ns);
    void setNamespace(const QString &ns);
    QString namespaceName() const { return m_namespace; }
    void disconnectFromCluster();

    State state() const { return m_state; }
    QString stateMessage() const { return m_message; }
    std::optional<kube::ErrorKind> errorKind() const { return m_errorKind; }
    bool insecure() const;

    model::ObjectStore *store() { return &m_store; }
    kube::ApiClient *client() const;
    kube::Permissions *permissions() const { return m_permissions.get(); }
    kube::ExecApprovals &approvals() { return *m_approvals; }
    SandboxHost *sandbox() const { return m_sandbox.get(); }

signals:
    void contextsChanged();
    void stateChanged(kd::ui::Connection::State state, const QString &message);
    // The context needs an exec plugin the user has not approved; call approveExec() or not.
    void execApprovalRequired(const QString &contextId, const kd::kube::ExecDescription &what);
    // A kind could not be listed (e.g. forbidden) or recovered ("" problem).
    void kindProblem(const QString &kindKey, const QString &problem);
    // The first complete picture of every kind has arrived.
    void synced();

public:
    // Approves the exec plugin of `contextId` and connects.
    void approveExec(const QString &contextId);

private:
    void setState(State state, const QString &message,
                  std::optional<kube::ErrorKind> kind = std::nullopt);
    void startSession(const QString &contextId, const kube::RestConfig &config);
    void resolveAndStart(const QString &contextId, quint64 attempt);
    void ensureSandbox(const QString &contextId, quint64 attempt);
    void rebuildContexts();

    Options m_options;
    std::shared_ptr<kube::ExecApprovals> m_approvals;
    std::optional<kube::Kubeconfig> m_kubeconfig;
    std::optional<kube::Kubeconfig> m_sandboxKubeconfig;
    QString m_kubeconfigProblem;
    QStringList m_warnings;
    QList<ContextEntry> m_contexts;
    std::unique_ptr<SandboxHost> m_sandbox;
    bool m_sandboxStarting = false;
    std::unique_ptr<kube::Session> m_session;
    std::unique_ptr<kube::Permissions> m_permissions;
    model::ObjectStore m_store;
    QString m_currentId;
    QString m_namespace;
    kube::RestConfig m_config;
    State m_state = State::Idle;
    QString m_message;
    std::optional<kube::ErrorKind> m_errorKind;
    quint64 m_attempt = 0; // stale background results carry an older attempt and are dropped
};

} // namespace kd::ui
