#pragma once
// Private to kd_kube: what ApiClient shares with the work it starts. Pool tasks hold it
// strongly; the transport thread only ever holds it weakly, so the transport is never destroyed
// from its own thread.

#include "kube/apiclient.h"
#include "kube/transport.h"

#include <QPromise>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace kd::kube::detail {

using JsonPromise = QPromise<Result<Json>>;

// One one-shot request, kept across retries.
struct Operation {
    QByteArray method;
    QString pathAndQuery;
    QByteArray body;
    QByteArray contentType; // empty: no body
    std::shared_ptr<JsonPromise> promise;
    std::function<void(const QByteArray &body)> peek; // a successful body, before it is parsed
    int attempts = 0;
    bool refreshedCredential = false;
};

// One watch, kept across a credential refresh.
class WatchState final {
public:
    WatchCallbacks callbacks;
    std::weak_ptr<ClientCore> core;
    std::thread::id transportThread;
    int idleTimeoutSeconds = 0;
    QString pathAndQuery;
    std::shared_ptr<std::atomic_bool> cancelFlag = std::make_shared<std::atomic_bool>(false);
    std::atomic_bool closed{false};
    std::recursive_mutex deliveryMutex; // held while a callback runs (re-entered by cancel())
    // Transport thread only:
    QByteArray lineBuffer;
    std::optional<Error> closeWith; // set when a line ends the stream (ERROR event, bad JSON)
    bool refreshedCredential = false;

    // Feeds stream bytes; false: stop the transfer.
    bool consume(const char *data, size_t size);
    // Calls onClosed once and drops the callbacks.
    void close(std::optional<Error> error);

private:
    bool deliverLine(const QByteArray &line);
};

class ClientCore final : public std::enable_shared_from_this<ClientCore> {
public:
    ClientCore(RestConfig config, std::shared_ptr<CredentialProvider> credentials,
               ClientOptions options);
    ~ClientCore();
    ClientCore(const ClientCore &) = delete;
    ClientCore &operator=(const ClientCore &) = delete;

    void shutdown();
    const RestConfig &config() const { return m_config; }
    const ClientOptions &options() const { return m_options; }
    Transport &transport() { return *m_transport; }
    // The name the server's certificate must carry.
    QString serverName() const;

    QFuture<Result<Json>> send(const QByteArray &method, const QString &pathAndQuery,
                               const QByteArray &body = {}, const QByteArray &contentType = {},
                               std::function<void(const QByteArray &)> peek = {});
    WatchHandlePtr watch(const QString &pathAndQuery, int idleTimeoutSeconds,
                         WatchCallbacks callbacks);

private:
    struct Prepared {
        std::shared_ptr<HttpRequest> request;
        quint64 generation = 0;
    };
    // Resolves the credential (may block) and builds the request. Pool threads only.
    Result<Prepared> prepare(const QByteArray &method, const QString &pathAndQuery,
                             const QByteArray &body, const QByteArray &contentType);
    void dispatch(std::shared_ptr<Operation> op, std::chrono::milliseconds delay);
    void handleResponse(const std::shared_ptr<Operation> &op, quint64 generation,
                        HttpResponse response);
    void startWatch(const std::shared_ptr<WatchState> &state);
    void watchDone(const std::shared_ptr<WatchState> &state, quint64 generation,
                   HttpResponse response);
    Error transferError(const HttpResponse &response) const;

    RestConfig m_config;
    std::shared_ptr<CredentialProvider> m_credentials;
    ClientOptions m_options;
    std::unique_ptr<Transport> m_transport;
};

void finishOperation(const std::shared_ptr<Operation> &op, Result<Json> result);

} // namespace kd::kube::detail
