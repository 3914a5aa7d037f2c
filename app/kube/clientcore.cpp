#include "kube/clientcore.h"

#include "kube/statuserror.h"

#include <QThreadPool>

#include <curl/curl.h>

namespace kd::kube::detail {

namespace {

// Credential look-ups (an exec plugin may block for its whole time-out) and the parsing of
// answers run here, never on the transport thread or the GUI thread. A pool of its own, so a
// hanging plugin cannot starve QThreadPool::globalInstance().
QThreadPool &workPool() {
    static QThreadPool pool;
    static std::once_flag once;
    std::call_once(once, [] {
        pool.setMaxThreadCount(8);
        pool.setObjectName(QStringLiteral("kd-kube-work"));
    });
    return pool;
}

Error cancelledError() {
    return Error{ErrorKind::Cancelled, QStringLiteral("the request was cancelled"), 0, {}, {}, {}};
}

bool worthRetrying(const HttpResponse &r) {
    if (r.status == 429)
        return true;
    return r.status >= 500 && !r.header("retry-after").isEmpty();
}

} // namespace

void finishOperation(const std::shared_ptr<Operation> &op, Result<Json> result) {
    op->promise->addResult(std::move(result));
    op->promise->finish();
}

ClientCore::ClientCore(RestConfig config, std::shared_ptr<CredentialProvider> credentials,
                       ClientOptions options)
    : m_config(std::move(config))
    , m_credentials(std::move(credentials))
    , m_options(std::move(options)) {
    TransportSettings s;
    s.server = m_config.server;
    s.caPem = m_config.caPem;
    s.insecureSkipTlsVerify = m_config.insecureSkipTlsVerify;
    s.tlsServerName = m_config.tlsServerName;
    s.proxyUrl = m_config.proxyUrl;
    s.connectTimeoutMs = m_options.connectTimeoutMs;
    s.userAgent = m_options.userAgent;
    m_transport = std::make_unique<Transport>(std::move(s));
}

ClientCore::~ClientCore() = default; // Transport's destructor stops it if shutdown() did not

void ClientCore::shutdown() {
    m_transport->stop();
}

QString ClientCore::serverName() const {
    return m_config.tlsServerName.isEmpty() ? m_config.server.host() : m_config.tlsServerName;
}

Result<ClientCore::Prepared> ClientCore::prepare(const QByteArray &method,
                                                 const QString &pathAndQuery,
                                                 const QByteArray &body,
                                                 const QByteArray &contentType) {
    Credential credential;
    if (m_credentials) {
        Result<Credential> c = m_credentials->current();
        if (!c)
            return c.error();
        credential = std::move(*c);
    }
    auto r = std::make_shared<HttpRequest>();
    r->method = method;
    r->pathAndQuery = pathAndQuery;
    r->headers.append(QByteArrayLiteral("Accept: application/json"));
    if (!contentType.isEmpty()) {
        r->headers.append("Content-Type: " + contentType);
        r->body = body;
        r->hasBody = true;
    }
    if (!credential.bearerToken.isEmpty())
        r->headers.append("Authorization: Bearer " + credential.bearerToken);
    else if (!credential.username.isEmpty())
        r->headers.append("Authorization: Basic " +
                          (credential.username.toUtf8() + ':' + credential.password).toBase64());
    if (!credential.clientCertPem.isEmpty()) {
        r->clientCertPem = credential.clientCertPem;
        r->clientKeyPem = credential.clientKeyPem;
    } else {
        r->clientCertPem = m_config.clientCertPem;
        r->clientKeyPem = m_config.clientKeyPem;
    }
    r->idleTimeoutSeconds = m_options.requestIdleTimeoutSeconds;
    return Prepared{std::move(r), credential.generation};
}

Error ClientCore::transferError(const HttpResponse &response) const {
    if (response.cancelled)
        return cancelledError();
    if (response.idleTimeoutSeconds > 0)
        return Error{ErrorKind::Timeout,
                     QStringLiteral("the server sent nothing for %1 seconds")
                         .arg(response.idleTimeoutSeconds),
                     int(response.status),
                     {},
                     {},
                     {}};
    return errorFromCurl(response.curlCode, response.curlMessage, response.sslVerifyResult,
                         serverName());
}

QFuture<Result<Json>> ClientCore::send(const QByteArray &method, const QString &pathAndQuery,
                                       const QByteArray &body, const QByteArray &contentType,
                                       std::function<void(const QByteArray &)> peek) {
    auto op = std::make_shared<Operation>();
    op->peek = std::move(peek);
    op->method = method;
    op->pathAndQuery = pathAndQuery;
    op->body = body;
    op->contentType = contentType;
    op->promise = std::make_shared<JsonPromise>();
    op->promise->start();
    QFuture<Result<Json>> future = op->promise->future();
    dispatch(op, std::chrono::milliseconds(0));
    return future;
}

void ClientCore::dispatch(std::shared_ptr<Operation> op, std::chrono::milliseconds delay) {
    std::weak_ptr<ClientCore> weak = weak_from_this();
    workPool().start([weak, op, delay] {
        auto core = weak.lock();
        if (!core || op->promise->isCanceled()) {
            finishOperation(op, cancelledError());
            return;
        }
        Result<Prepared> prepared =
            core->prepare(op->method, op->pathAndQuery, op->body, op->contentType);
        if (!prepared) {
            finishOperation(op, prepared.error());
            return;
        }
        const quint64 generation = prepared->generation;
        std::shared_ptr<HttpRequest> request = prepared->request;
        request->notBefore = std::chrono::steady_clock::now() + delay;
        // Runs on the transport thread: hand over to the pool at once (parsing, retries).
        request->onDone = [weak, op, generation](HttpResponse response) {
            workPool().start([weak, op, generation, response = std::move(response)]() mutable {
                auto c = weak.lock();
                if (!c) {
                    finishOperation(op, cancelledError());
                    return;
                }
                c->handleResponse(op, generation, std::move(response));
            });
        };
        core->m_transport->submit(std::move(request));
    });
}

void ClientCore::handleResponse(const std::shared_ptr<Operation> &op, quint64 generation,
                                HttpResponse response) {
    if (response.status == 0 || response.cancelled || response.idleTimeoutSeconds > 0 ||
        response.curlCode != CURLE_OK) {
        finishOperation(op, transferError(response));
        return;
    }
    if (response.status == 401 && m_credentials && m_credentials->canRefresh() &&
        !op->refreshedCredential) {
        // One retry with a fresh credential (a rotated token file, an expired exec token).
        op->refreshedCredential = true;
        m_credentials->unauthorized(generation);
        dispatch(op, std::chrono::milliseconds(0));
        return;
    }
    if (response.status < 200 || response.status >= 300) {
        Error e = errorFromHttp(int(response.status), response.header("content-type"),
                                response.body, response.header("retry-after"));
        // Every body we send is held in memory, so every request is replayable.
        if (worthRetrying(response) && op->attempts < m_options.maxRetries &&
            !op->promise->isCanceled()) {
            ++op->attempts;
            dispatch(op, std::chrono::seconds(e.retryAfterSeconds.value_or(1)));
            return;
        }
        finishOperation(op, std::move(e));
        return;
    }
    if (response.body.trimmed().isEmpty()) {
        finishOperation(op, Json());
        return;
    }
    if (op->peek)
        op->peek(response.body);
    Json json = Json::parse(response.body.constBegin(), response.body.constEnd(), nullptr,
                            /*allow_exceptions=*/false);
    if (json.is_discarded()) {
        finishOperation(op, Error{ErrorKind::Protocol,
                                  QStringLiteral("the server's answer to %1 is not valid JSON")
                                      .arg(QString::fromLatin1(op->method)),
                                  int(response.status),
                                  {},
                                  {},
                                  {}});
        return;
    }
    finishOperation(op, std::move(json));
}

WatchHandlePtr ClientCore::watch(const QString &pathAndQuery, int idleTimeoutSeconds,
                                 WatchCallbacks callbacks) {
    auto state = std::make_shared<WatchState>();
    state->callbacks = std::move(callbacks);
    state->core = weak_from_this();
    state->transportThread = m_transport->threadId();
    state->idleTimeoutSeconds = idleTimeoutSeconds;
    state->pathAndQuery = pathAndQuery;
    startWatch(state);
    return std::make_shared<WatchHandle>(state);
}

void ClientCore::startWatch(const std::shared_ptr<WatchState> &state) {
    std::weak_ptr<ClientCore> weak = weak_from_this();
    workPool().start([weak, state] {
        auto core = weak.lock();
        if (!core) {
            state->close(cancelledError());
            return;
        }
        Result<Prepared> prepared = core->prepare("GET", state->pathAndQuery, {}, {});
        if (!prepared) {
            Error e = prepared.error();
            core->m_transport->post([state, e] { state->close(e); });
            return;
        }
        const quint64 generation = prepared->generation;
        std::shared_ptr<HttpRequest> request = prepared->request;
        request->idleTimeoutSeconds = state->idleTimeoutSeconds;
        request->cancelled = state->cancelFlag;
        request->onBody = [state](const char *data, size_t size) {
            return state->consume(data, size);
        };
        request->onDone = [weak, state, generation](HttpResponse response) {
            // Transport thread. Only a credential refresh needs the core (and a pool thread).
            if (response.status == 401 && !state->refreshedCredential &&
                !state->cancelFlag->load()) {
                if (auto c = weak.lock(); c && c->m_credentials && c->m_credentials->canRefresh()) {
                    state->refreshedCredential = true;
                    c.reset(); // never the last owner here
                    workPool().start([weak, state, generation] {
                        auto c2 = weak.lock();
                        if (!c2) {
                            state->close(cancelledError());
                            return;
                        }
                        c2->m_credentials->unauthorized(generation);
                        c2->startWatch(state);
                    });
                    return;
                }
            }
            if (auto c = weak.lock())
                c->watchDone(state, generation, std::move(response));
            else
                state->close(cancelledError());
        };
        core->m_transport->submit(std::move(request));
    });
}

void ClientCore::watchDone(const std::shared_ptr<WatchState> &state, quint64,
                           HttpResponse response) {
    if (state->cancelFlag->load() || response.cancelled) {
        state->close(cancelledError());
        return;
    }
    if (state->closeWith) {
        state->close(state->closeWith);
        return;
    }
    if (response.status == 200 && response.idleTimeoutSeconds == 0 &&
        !state->lineBuffer.trimmed().isEmpty()) {
        // Whatever ended the transfer, a line was cut off in the middle.
        state->close(Error{ErrorKind::Protocol,
                           QStringLiteral("the watch stream ended in the middle of an event"),
                           200,
                           {},
                           {},
                           {}});
        return;
    }
    if (response.status == 0 || response.idleTimeoutSeconds > 0 ||
        (response.curlCode != CURLE_OK && response.status == 200)) {
        Error e = transferError(response);
        if (response.idleTimeoutSeconds > 0)
            e.message = QStringLiteral("the watch received nothing for %1 seconds")
                            .arg(response.idleTimeoutSeconds);
        state->close(e);
        return;
    }
    if (response.status != 200) {
        state->close(errorFromHttp(int(response.status), response.header("content-type"),
                                   response.body, response.header("retry-after")));
        return;
    }
    state->close(std::nullopt);
}

} // namespace kd::kube::detail
