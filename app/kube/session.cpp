#include "kube/session.h"

#include "kube/reflectorintake.h"

#include "kube/whendone.h"
#include <QFuture>

namespace kd::kube {

namespace {

ResourceKind kindOf(const char *group, const char *version, const char *resource, const char *kind,
                    bool namespaced) {
    return ResourceKind{QString::fromLatin1(group), QString::fromLatin1(version),
                        QString::fromLatin1(resource), QString::fromLatin1(kind), namespaced};
}

} // namespace

Session::Session(RestConfig config, std::shared_ptr<CredentialProvider> credentials,
                 SessionOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_client(std::make_unique<ApiClient>(std::move(config), std::move(credentials),
                                           m_options.client)) {
    if (m_options.kinds.empty())
        m_options.kinds = defaultKinds();
}

Session::~Session() {
    // Reflectors cancel their watches through the client: they go first.
    m_reflectors.clear();
}

std::vector<ResourceKind> Session::defaultKinds() {
    return {
        kindOf("", "v1", "namespaces", "Namespace", false),
        kindOf("", "v1", "nodes", "Node", false),
        kindOf("", "v1", "pods", "Pod", true),
        kindOf("", "v1", "services", "Service", true),
        kindOf("apps", "v1", "deployments", "Deployment", true),
        kindOf("apps", "v1", "replicasets", "ReplicaSet", true),
        kindOf("apps", "v1", "statefulsets", "StatefulSet", true),
        kindOf("apps", "v1", "daemonsets", "DaemonSet", true),
        kindOf("networking.k8s.io", "v1", "ingresses", "Ingress", true),
        kindOf("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true),
        kindOf("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
        kindOf("", "v1", "events", "Event", true),
    };
}

QString Session::stateName(State state) {
    switch (state) {
    case State::Disconnected:
        return QStringLiteral("Disconnected");
    case State::Connecting:
        return QStringLiteral("Connecting");
    case State::Syncing:
        return QStringLiteral("Syncing");
    case State::Ready:
        return QStringLiteral("Ready");
    case State::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

void Session::connectToServer() {
    stopReflectors(false);
    m_error.reset();
    m_serverVersion.clear();
    const quint64 generation = ++m_generation;
    setState(State::Connecting);
    // /version answers even anonymous callers on most clusters: it proves the server is there
    // and speaks TLS we trust. /api then proves the credential.
    kube::whenDone(
        this, m_client->get(QStringLiteral("/version")),
        [this, generation](Result<Json> result) { onVersion(generation, std::move(result)); });
}

void Session::onVersion(quint64 generation, Result<Json> result) {
    if (generation != m_generation)
        return;
    if (!result) {
        fail(result.error());
        return;
    }
    if (result->is_object()) {
        auto v = result->find("gitVersion");
        if (v != result->end() && v->is_string())
            m_serverVersion = QString::fromStdString(v->get_ref<const std::string &>());
    }
    kube::whenDone(this, m_client->get(QStringLiteral("/api")),
                   [this, generation](Result<Json> r) { onApi(generation, std::move(r)); });
}

void Session::onApi(quint64 generation, Result<Json> result) {
    if (generation != m_generation)
        return;
    if (!result) {
        fail(result.error());
        return;
    }
    setState(State::Syncing);
    startReflectors(false);
    checkSynced();
}

void Session::disconnectFromServer() {
    ++m_generation;
    stopReflectors(false);
    m_error.reset();
    setState(State::Disconnected);
}

void Session::setNamespaceScope(const QString &ns) {
    if (ns == m_options.namespaceScope)
        return;
    m_options.namespaceScope = ns;
    if (m_state != State::Syncing && m_state != State::Ready)
        return; // used when the reflectors start
    stopReflectors(true);
    for (const ResourceKind &kind : m_options.kinds) {
        if (!kind.namespaced)
            continue;
        DeltaBatch nothing;
        nothing.kind = kind;
        nothing.replace = true; // all namespaces, no objects
        queueBatch(nothing);
    }
    ++m_generation;
    setState(State::Syncing);
    startReflectors(true);
    checkSynced();
}

std::vector<Session::KindStatus> Session::kindStatuses() const {
    std::vector<KindStatus> out;
    for (const ResourceKind &kind : m_options.kinds) {
        KindStatus s;
        s.kind = kind;
        if (const Reflector *r = reflector(kind.key())) {
            s.state = r->state();
            s.synced = r->hasSynced();
            s.error = r->lastError();
        }
        out.push_back(std::move(s));
    }
    return out;
}

const Reflector *Session::reflector(const QString &kindKey) const {
    auto it = m_reflectors.find(kindKey);
    return it == m_reflectors.end() ? nullptr : it->second.get();
}

void Session::startReflectors(bool namespacedOnly) {
    for (const ResourceKind &kind : m_options.kinds) {
        if (namespacedOnly && !kind.namespaced)
            continue;
        const QString key = kind.key();
        auto r = std::make_unique<Reflector>(m_client.get(), kind, m_options.namespaceScope,
                                             m_options.reflector);
        connect(r.get(), &Reflector::batchReady, this, &Session::queueBatch);
        connect(r.get(), &Reflector::stateChanged, this, [this, key] {
            emit kindStateChanged(key);
            checkSynced();
        });
        Reflector *raw = r.get();
        m_reflectors[key] = std::move(r);
        raw->start();
    }
}

void Session::stopReflectors(bool namespacedOnly) {
    for (auto it = m_reflectors.begin(); it != m_reflectors.end();) {
        if (namespacedOnly && !it->second->kind().namespaced)
            ++it;
        else
            it = m_reflectors.erase(it);
    }
}

void Session::queueBatch(const DeltaBatch &batch) {
    m_queued.push_back(batch);
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    // Batches that several reflectors deliver in one pass of the event loop go out together.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushQueued = false;
            std::vector<DeltaBatch> batches;
            batches.swap(m_queued);
            if (!batches.empty())
                emit batchesReady(batches);
        },
        Qt::QueuedConnection);
}

bool Session::allSynced() const {
    for (const auto &[key, r] : m_reflectors)
        if (!r->hasSynced() && r->state() != Reflector::State::Failed)
            return false;
    return true;
}

void Session::checkSynced() {
    if (m_state != State::Syncing || !allSynced())
        return;
    // Queued behind the batches already queued, so that receivers hold the first lists when
    // they hear synced().
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation != m_generation || m_state != State::Syncing || !allSynced())
                return;
            setState(State::Ready);
            emit synced();
        },
        Qt::QueuedConnection);
}

void Session::fail(Error error) {
    stopReflectors(false);
    m_error = std::move(error);
    setState(State::Failed);
}

void Session::setState(State state) {
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace kd::kube
