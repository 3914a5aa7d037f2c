#pragma once
// One cluster as one user, live: checks the server (reachable, TLS, credentials), then keeps a
// reflector per drawn kind listing and watching in a namespace scope, and hands their batches
// to the GUI thread. Write operations go through apiClient().

#include "kube/apiclient.h"
#include "kube/reflector.h"

#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace kd::kube {

struct SessionOptions {
    // What to list and watch; defaultKinds() when empty.
    std::vector<ResourceKind> kinds;
    QString namespaceScope; // "" = all namespaces
    ClientOptions client;
    ReflectorOptions reflector;
};

class Session final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    enum class State {
        Disconnected,
        Connecting, // checking /version and /api
        Syncing,    // reflectors started, not every first list delivered yet
        Ready,      // every reflector delivered its first list (or failed for good)
        Failed,     // error(): the server cannot be used (unreachable, TLS, 401, 403)
    };
    Q_ENUM(State)

    struct KindStatus {
        ResourceKind kind;
        Reflector::State state = Reflector::State::Idle;
        bool synced = false;
        std::optional<Error> error; // Forbidden for a kind the user may not list
    };

    Session(RestConfig config, std::shared_ptr<CredentialProvider> credentials,
            SessionOptions options = {}, QObject *parent = nullptr);
    ~Session() override;

    // Namespaces, nodes, pods, services, deployments, replicasets, statefulsets, daemonsets,
    // ingresses, horizontalpodautoscalers (v2), poddisruptionbudgets and events.
    static std::vector<ResourceKind> defaultKinds();

    // Checks the server, then starts the reflectors. Connecting again starts over.
    void connectToServer();
    // Stops every reflector; cached objects are the receiver's to drop.
    void disconnectFromServer();
    // Restarts the namespaced reflectors in the new scope ("" = all). Before the new lists
    // arrive, a replace batch with no objects per namespaced kind tells the receiver that
    // nothing of the old scope is current any more.
    void setNamespaceScope(const QString &ns);

    State state() const { return m_state; }
    const std::optional<Error> &error() const { return m_error; }
    const QString &namespaceScope() const { return m_options.namespaceScope; }
    // gitVersion from /version once connected ("v1.30.2").
    const QString &serverVersion() const { return m_serverVersion; }
    ApiClient *apiClient() const { return m_client.get(); }
    std::vector<KindStatus> kindStatuses() const;
    // The reflector of a kind key ("deployments.apps"), or nullptr.
    const Reflector *reflector(const QString &kindKey) const;

    static QString stateName(State state);

signals:
    void stateChanged(kd::kube::Session::State state);
    // A kind's reflector changed state (Forbidden shows here).
    void kindStateChanged(const QString &kindKey);
    // Batches of every reflector gathered in one event-loop pass, in arrival order.
    void batchesReady(const std::vector<kd::kube::DeltaBatch> &batches);
    // Every reflector delivered its first list or failed for good (again after a scope change).
    void synced();

private:
    void onVersion(quint64 generation, Result<Json> result);
    void onApi(quint64 generation, Result<Json> result);
    void startReflectors(bool namespacedOnly);
    void stopReflectors(bool namespacedOnly);
    void queueBatch(const DeltaBatch &batch);
    void checkSynced();
    bool allSynced() const;
    void fail(Error error);
    void setState(State state);

    SessionOptions m_options;
    std::unique_ptr<ApiClient> m_client; // declared first: outlives the reflectors
    std::map<QString, std::unique_ptr<Reflector>> m_reflectors;
    State m_state = State::Disconnected;
    std::optional<Error> m_error;
    QString m_serverVersion;
    quint64 m_generation = 0;
    std::vector<DeltaBatch> m_queued;
    bool m_flushQueued = false;
};

} // namespace kd::kube
