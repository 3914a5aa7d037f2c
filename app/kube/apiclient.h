#pragma once
// The client of one cluster as one user: one-shot requests that answer through QFuture, and
// watch streams that call back on the transport thread. All HTTP goes through one libcurl multi
// loop on a thread the client owns; credentials are resolved on a thread pool first (an exec
// plugin may block), never on the transport thread.

#include "kube/credentials.h"
#include "kube/error.h"
#include "kube/kubeobject.h"
#include "kube/restconfig.h"

#include <QByteArray>
#include <QFuture>
#include <QObject>
#include <QString>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace kd::kube {

class ApiClient;
namespace detail {
class ClientCore;
class WatchState;
// For kd_kube's own multi-step operations (writeops): the shared core outlives the ApiClient
// for as long as work started through it runs.
std::shared_ptr<ClientCore> coreOf(const ApiClient &client);
} // namespace detail

struct ClientOptions {
    int connectTimeoutMs = 10'000;
    // A one-shot request that receives no byte for this long fails with ErrorKind::Timeout.
    int requestIdleTimeoutSeconds = 60;
    // A watch that receives no byte (not even a bookmark) for this long is a dead connection:
    // it closes with ErrorKind::Timeout. Keep it below WatchOptions::timeoutSeconds.
    int watchIdleTimeoutSeconds = 120;
    // Retries of 429 and of 5xx that carry Retry-After (replayable bodies only).
    int maxRetries = 10;
    QByteArray userAgent = "kubedeck/0.1";
};

// One page of a list (GET on a collection).
struct ListOptions {
    QString labelSelector;
    QString fieldSelector;
    int limit = 0;                // 0: no limit
    QString continueToken;        // from the previous page's metadata.continue
    QString resourceVersion;      // "" : most recent (quorum read)
    QString resourceVersionMatch; // "NotOlderThan" or "Exact"; only sent with resourceVersion
    int timeoutSeconds = 0;       // 0: not sent
    // Called on a pool thread with the page's metadata.continue ("" on the last page) as soon
    // as it is read, before the items are parsed, so that a caller can ask for the next page
    // while this one is still being parsed. Not called when the metadata does not come first.
    std::function<void(const QString &continueToken)> onHead;
};

// The metadata.continue of a list answer, read without parsing its items: "" when the
// metadata has none, nullopt when the body is not a list object whose metadata precedes its items.
std::optional<QString> scanListContinue(const QByteArray &body);

struct WatchOptions {
    QString resourceVersion; // "" : start from the most recent state (synthetic ADDED events)
    bool allowWatchBookmarks = true;
    int timeoutSeconds = 0;         // 0: not sent (the server picks)
    bool sendInitialEvents = false; // streaming list: also sends resourceVersionMatch=NotOlderThan
    QString labelSelector;
    QString fieldSelector;
    int readIdleTimeoutSeconds = -1; // -1: ClientOptions::watchIdleTimeoutSeconds
};

// JsonPatch: RFC 6902 (not "Json": that name is the json type in this namespace).
enum class PatchType { JsonPatch, Merge, Strategic, Apply };

struct WriteOptions {
    QString fieldManager;
    bool dryRun = false; // dryRun=All: validated and admitted, nothing persisted
};

struct PatchOptions {
    QString fieldManager; // required for PatchType::Apply
    bool force = false;   // PatchType::Apply only
    bool dryRun = false;
};

struct DeleteOptions {
    QString propagationPolicy; // "", "Foreground", "Background" or "Orphan"
    bool dryRun = false;
    std::optional<int> gracePeriodSeconds;
    QString preconditionResourceVersion; // "": none
};

struct WatchEvent {
    enum class Type { Added, Modified, Deleted, Bookmark, Error, Unknown };
    Type type = Type::Unknown;
    QString typeName; // as sent ("ADDED", ... or the unknown word)
    Json object;      // for Error: the Status object
};

// Both callbacks run on the transport thread, one at a time per watch. They must be quick and
// must not block on a thread that may call cancel() (post to your own thread instead).
struct WatchCallbacks {
    // One per complete line of the stream. An ERROR event is delivered here too; then the watch
    // ends with onClosed(the Status mapped to an Error: 410 Expired/Gone → ErrorKind::Gone).
    std::function<void(WatchEvent)> onEvent;
    // Exactly once, last. nullopt: the server ended the stream normally (timeoutSeconds, a
    // closed connection after a complete line). An Error otherwise: the mapped Status of a
    // non-200 answer (410 → Gone), Timeout (read-idle), Protocol (a truncated or invalid line),
    // Unreachable/Tls/..., or Cancelled after cancel() or when the client is destroyed.
    std::function<void(std::optional<Error>)> onClosed;
};

class WatchHandle final {
public:
    explicit WatchHandle(std::shared_ptr<detail::WatchState> state);
    // Safe from any thread, also from inside a callback, any number of times. When it returns
    // (called outside a callback), no onEvent is running or will run; onClosed(Cancelled)
    // follows on the transport thread unless the watch had already closed.
    void cancel();
    bool isClosed() const;

private:
    std::shared_ptr<detail::WatchState> m_state;
};
using WatchHandlePtr = std::shared_ptr<WatchHandle>;

class ApiClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiClient)

public:
    // `credentials` may be null: then only the config's client certificate (if any)
    // authenticates. The config's static token/basic fields are NOT read here: they reach the
    // client through the CredentialProvider.
    ApiClient(RestConfig config, std::shared_ptr<CredentialProvider> credentials,
              ClientOptions options = {}, QObject *parent = nullptr);
    // Cancels everything in flight: pending futures get ErrorKind::Cancelled, open watches get
    // onClosed(Cancelled). Does not wait for credential look-ups in progress. Not from inside a
    // watch callback.
    ~ApiClient() override;

    const RestConfig &config() const;
    const ClientOptions &options() const;

    // Paths, percent-encoded. `ns` is ignored for cluster-scoped kinds; "" for a namespaced kind
    // means all namespaces (collections only).
    static QString collectionPath(const ResourceKind &kind, const QString &ns);
    static QString objectPath(const ResourceKind &kind, const QString &ns, const QString &name,
                              const QString &subresource = {});
    static QString withQuery(const QString &path, const QUrlQuery &query);

    // One-shot requests; callable from any thread. The Json is the parsed body (null for an empty
    // body); parsing happens on a pool thread. Failures are mapped Status errors (see
    // statuserror.h).
    QFuture<Result<Json>> get(const QString &path);
    QFuture<Result<Json>> list(const ResourceKind &kind, const QString &ns,
                               const ListOptions &options = {});
    QFuture<Result<Json>> create(const QString &collection, const Json &object,
                                 const WriteOptions &options = {});
    QFuture<Result<Json>> update(const QString &path, const Json &object,
                                 const WriteOptions &options = {});
    // PatchType::Apply sends `body` (JSON is valid YAML) as application/apply-patch+yaml.
    QFuture<Result<Json>> patch(const QString &path, PatchType type, const Json &body,
                                const PatchOptions &options = {});
    QFuture<Result<Json>> remove(const QString &path, const DeleteOptions &options = {});
    // Any request; `pathAndQuery` starts with '/' and is relative to the server URL (including
    // its path prefix). An empty contentType sends no body.
    QFuture<Result<Json>> request(const QByteArray &method, const QString &pathAndQuery,
                                  const QByteArray &body = {}, const QByteArray &contentType = {});
    // {"version": GET /version, "api": GET /api, "apis": GET /apis}
    QFuture<Result<Json>> discovery();

    // A watch stream; see WatchCallbacks for the threading rules.
    WatchHandlePtr watch(const ResourceKind &kind, const QString &ns, const WatchOptions &options,
                         WatchCallbacks callbacks);

private:
    friend std::shared_ptr<detail::ClientCore> detail::coreOf(const ApiClient &client);
    std::shared_ptr<detail::ClientCore> m_core;
};

} // namespace kd::kube
