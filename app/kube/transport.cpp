#include "kube/transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <stdexcept>

namespace kd::kube::detail {

namespace {

using Clock = std::chrono::steady_clock;

// curl_global_init is not thread-safe in curl 7.88: call it exactly once per process.
void initCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw std::runtime_error("libcurl could not be initialised");
    });
}

bool isLoopback(const QString &host) {
    return host == QLatin1String("localhost") || host.startsWith(QLatin1String("127.")) ||
           host == QLatin1String("::1") || host == QLatin1String("[::1]");
}

QByteArray hostForCurl(const QString &host) {
    // IPv6 literals need brackets in URLs and CONNECT_TO entries.
    if (host.contains(QLatin1Char(':')) && !host.startsWith(QLatin1Char('[')))
        return '[' + host.toUtf8() + ']';
    return host.toUtf8();
}

} // namespace

QByteArray HttpResponse::header(const QByteArray &lowerCaseName) const {
    for (const auto &h : headers)
        if (h.first == lowerCaseName)
            return h.second;
    return {};
}

struct Transport::Transfer {
    std::shared_ptr<HttpRequest> request;
    CURL *easy = nullptr;
    curl_slist *headerList = nullptr;
    curl_slist *connectToList = nullptr;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    HttpResponse response;
    Clock::time_point lastActivity;

    ~Transfer() {
        if (headerList)
            curl_slist_free_all(headerList);
        if (connectToList)
            curl_slist_free_all(connectToList);
        if (easy)
            curl_easy_cleanup(easy);
    }

    static size_t onHeader(char *data, size_t size, size_t count, void *self) {
        auto *t = static_cast<Transfer *>(self);
        const size_t n = size * count;
        t->lastActivity = Clock::now();
        QByteArray line = QByteArray(data, qsizetype(n)).trimmed();
        if (line.startsWith("HTTP/")) {
            // A new status line (after 1xx answers): forget what came before.
            t->response.headers.clear();
            const QList<QByteArray> parts = line.split(' ');
            t->response.status = parts.size() > 1 ? parts[1].toLong() : 0;
        } else if (int colon = line.indexOf(':'); colon > 0) {
            t->response.headers.append(
                {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        return n;
    }

    static size_t onWrite(char *data, size_t size, size_t count, void *self) {
        auto *t = static_cast<Transfer *>(self);
        const size_t n = size * count;
        t->lastActivity = Clock::now();
        if (t->request->onBody && t->response.status >= 200 && t->response.status < 300) {
            if (!t->request->onBody(data, n)) {
                t->response.abortedByConsumer = true;
                return 0; // CURLE_WRITE_ERROR ends the transfer
            }
            return n;
        }
        t->response.body.append(data, qsizetype(n));
        return n;
    }
};

Transport::Transport(TransportSettings settings)
    : m_settings(std::move(settings)) {
    initCurlOnce();
    const QString tlsName = m_settings.tlsServerName;
    if (!tlsName.isEmpty() && m_settings.server.scheme() == QLatin1String("https")) {
        // Ask for the tls-server-name host (SNI and the name checked in the certificate) but
        // connect to the configured address.
        const int port = m_settings.server.port(443);
        m_connectTo = hostForCurl(tlsName) + ':' + QByteArray::number(port) + ':' +
                      hostForCurl(m_settings.server.host()) + ':' + QByteArray::number(port);
    }
    m_multi = curl_multi_init();
    if (!m_multi)
        throw std::runtime_error("libcurl could not create a multi handle");
    curl_multi_setopt(m_multi, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
    m_thread = std::thread([this] { run(); });
    m_threadId = m_thread.get_id();
}

Transport::~Transport() {
    stop();
    curl_multi_cleanup(m_multi);
}

void Transport::submit(std::shared_ptr<HttpRequest> request) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_incoming.push_back(std::move(request));
            curl_multi_wakeup(m_multi);
            return;
        }
    }
    HttpResponse r;
    r.cancelled = true;
    if (request->onDone)
        request->onDone(std::move(r));
}

void Transport::post(std::function<void()> fn) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_posted.push_back(std::move(fn));
            curl_multi_wakeup(m_multi);
            return;
        }
    }
    fn();
}

void Transport::wake() {
    std::lock_guard lock(m_mutex);
    if (!m_stopped)
        curl_multi_wakeup(m_multi);
}

void Transport::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        m_stopping = true;
        curl_multi_wakeup(m_multi);
    }
    if (m_thread.joinable())
        m_thread.join();
    std::lock_guard lock(m_mutex);
    m_stopped = true;
}

QByteArray Transport::urlFor(const QString &pathAndQuery) const {
    QUrl base = m_settings.server;
    if (!m_connectTo.isEmpty())
        base.setHost(m_settings.tlsServerName);
    QByteArray url = base.toEncoded(QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (url.endsWith('/'))
        url.chop(1);
    return url + pathAndQuery.toUtf8();
}

void Transport::startTransfer(const std::shared_ptr<HttpRequest> &request) {
    auto t = std::make_unique<Transfer>();
    t->request = request;
    t->lastActivity = Clock::now();
    t->easy = curl_easy_init();
    if (!t->easy) {
        HttpResponse r;
        r.curlCode = CURLE_OUT_OF_MEMORY;
        r.curlMessage = QStringLiteral("libcurl could not create a request");
        if (request->onDone)
            request->onDone(std::move(r));
        return;
    }
    CURL *e = t->easy;
    const QByteArray url = urlFor(request->pathAndQuery);
    curl_easy_setopt(e, CURLOPT_URL, url.constData()); // curl copies strings it is given
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errorBuffer);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_2TLS));
    // gzip only, as kubectl asks: the API server compresses nothing else, and offering brotli to
    // a server that does costs more CPU than the bytes it saves on a cluster link.
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, long(m_settings.connectTimeoutMs));
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, m_settings.userAgent.constData());
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::onHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::onWrite);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());

    if (request->method == "GET") {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else if (request->method == "HEAD") {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, request->method.constData());
    }
    if (request->hasBody) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request->body.size()));
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, request->body.constData());
        // CURLOPT_COPYPOSTFIELDS switches to POST; the custom method above still wins.
        if (request->method != "POST")
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, request->method.constData());
    }

    for (const QByteArray &h : request->headers)
        t->headerList = curl_slist_append(t->headerList, h.constData());
    // No "Expect: 100-continue" round trip for bodies.
    t->headerList = curl_slist_append(t->headerList, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headerList);

    // TLS.
    const bool insecure = m_settings.insecureSkipTlsVerify;
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, insecure ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, insecure ? 0L : 2L);
    if (!m_settings.caPem.isEmpty()) {
        curl_blob ca{const_cast<char *>(m_settings.caPem.constData()),
                     size_t(m_settings.caPem.size()), CURL_BLOB_COPY};
        curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &ca);
        // Only the cluster's CA, like client-go: not the system store as well.
        curl_easy_setopt(e, CURLOPT_CAINFO, nullptr);
        curl_easy_setopt(e, CURLOPT_CAPATH, nullptr);
    }
    if (!request->clientCertPem.isEmpty()) {
        curl_blob cert{const_cast<char *>(request->clientCertPem.constData()),
                       size_t(request->clientCertPem.size()), CURL_BLOB_COPY};
        curl_blob key{const_cast<char *>(request->clientKeyPem.constData()),
                      size_t(request->clientKeyPem.size()), CURL_BLOB_COPY};
        curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert);
        curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key);
        curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (!m_connectTo.isEmpty()) {
        t->connectToList = curl_slist_append(nullptr, m_connectTo.constData());
        curl_easy_setopt(e, CURLOPT_CONNECT_TO, t->connectToList);
    }

    // Proxy: the kubeconfig's proxy-url; otherwise the environment (like client-go), except
    // for loopback servers, which client-go never proxies either.
    if (!m_settings.proxyUrl.isEmpty()) {
        const QByteArray proxy = m_settings.proxyUrl.toEncoded();
        curl_easy_setopt(e, CURLOPT_PROXY, proxy.constData());
    } else if (isLoopback(m_settings.server.host())) {
        curl_easy_setopt(e, CURLOPT_PROXY, "");
    }

    curl_multi_add_handle(m_multi, e);
    m_active.push_back(std::move(t));
}

void Transport::finishTransfer(Transfer *transfer, HttpResponse response) {
    // Detach first: onDone may submit new requests (they only queue).
    auto it = std::find_if(m_active.begin(), m_active.end(),
                           [transfer](const auto &t) { return t.get() == transfer; });
    std::unique_ptr<Transfer> owned;
    if (it != m_active.end()) {
        owned = std::move(*it);
        m_active.erase(it);
    }
    curl_multi_remove_handle(m_multi, transfer->easy);
    std::shared_ptr<HttpRequest> request = transfer->request;
    owned.reset();
    if (request->onDone) {
        auto done = std::move(request->onDone);
        request->onDone = nullptr;
        request->onBody = nullptr;
        done(std::move(response));
    }
}

void Transport::run() {
    for (;;) {
        std::vector<std::shared_ptr<HttpRequest>> incoming;
        std::vector<std::function<void()>> posted;
        bool stopping = false;
        {
            std::lock_guard lock(m_mutex);
            incoming.swap(m_incoming);
            posted.swap(m_posted);
            stopping = m_stopping;
        }
        for (auto &r : incoming)
            m_delayed.push_back(std::move(r));
        for (auto &fn : posted)
            fn();
        if (stopping)
            break;
        const auto now = Clock::now();
        // Start what is due; drop what was cancelled while waiting.
        for (size_t i = 0; i < m_delayed.size();) {
            auto r = m_delayed[i];
            if (r->cancelled->load() || r->notBefore <= now) {
                m_delayed.erase(m_delayed.begin() + qsizetype(i));
                if (r->cancelled->load()) {
                    HttpResponse resp;
                    resp.cancelled = true;
                    if (auto done = std::move(r->onDone))
                        done(std::move(resp));
                } else {
                    startTransfer(r);
                }
            } else {
                ++i;
            }
        }

        int running = 0;
        curl_multi_perform(m_multi, &running);
        int queued = 0;
        while (CURLMsg *msg = curl_multi_info_read(m_multi, &queued)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            Transfer *t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
            HttpResponse resp = std::move(t->response);
            resp.curlCode = int(msg->data.result);
            if (resp.curlCode != CURLE_OK) {
                resp.curlMessage = QString::fromUtf8(t->errorBuffer);
                if (resp.curlMessage.isEmpty())
                    resp.curlMessage = QString::fromUtf8(curl_easy_strerror(msg->data.result));
                long verify = 0;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_SSL_VERIFYRESULT, &verify);
                resp.sslVerifyResult = verify;
            }
            finishTransfer(t, std::move(resp));
        }

        // Cancelled and read-idle transfers.
        const auto after = Clock::now();
        for (size_t i = 0; i < m_active.size();) {
            Transfer *t = m_active[i].get();
            const bool cancelled = t->request->cancelled->load();
            const int idle = t->request->idleTimeoutSeconds;
            const bool idleOut = idle > 0 && after - t->lastActivity > std::chrono::seconds(idle);
            if (cancelled || idleOut) {
                HttpResponse resp = std::move(t->response);
                resp.cancelled = cancelled;
                resp.idleTimeoutSeconds = cancelled ? 0 : idle;
                finishTransfer(t, std::move(resp));
                continue; // the vector shrank
            }
            ++i;
        }

        // Sleep until there is I/O, a wake-up, the next delayed start or the next idle check.
        int waitMs = 250;
        for (const auto &r : m_delayed) {
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(r->notBefore - after);
            waitMs = std::clamp(int(ms.count()), 0, waitMs);
        }
        curl_multi_poll(m_multi, nullptr, 0, waitMs, nullptr);
    }

    // Stopping: everything still open ends as cancelled.
    while (!m_active.empty()) {
        Transfer *t = m_active.front().get();
        HttpResponse resp = std::move(t->response);
        resp.cancelled = true;
        finishTransfer(t, std::move(resp));
    }
    std::vector<std::shared_ptr<HttpRequest>> rest;
    {
        std::lock_guard lock(m_mutex);
        rest.swap(m_incoming);
    }
    rest.insert(rest.end(), m_delayed.begin(), m_delayed.end());
    m_delayed.clear();
    for (auto &r : rest) {
        HttpResponse resp;
        resp.cancelled = true;
        if (auto done = std::move(r->onDone))
            done(std::move(resp));
    }
}

} // namespace kd::kube::detail
