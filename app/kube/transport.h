#pragma once
// Private to kd_kube: the libcurl multi loop on one worker thread. Requests arrive fully built
// (credentials already resolved elsewhere, because resolving may block); the loop only moves
// bytes. Everything handed in is called back on the worker thread.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kd::kube::detail {

struct TransportSettings {
    QUrl server;      // https://host:port[/prefix]
    QByteArray caPem; // empty: the system trust store
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
    QUrl proxyUrl;
    int connectTimeoutMs = 10'000;
    QByteArray userAgent;
};

struct HttpResponse {
    long status = 0;                              // 0: no HTTP answer arrived
    QList<QPair<QByteArray, QByteArray>> headers; // names in lower case
    QByteArray body;                              // empty for streamed 2xx bodies
    int curlCode = 0;                             // CURLE_OK when the transfer completed
    QString curlMessage;                          // curl's error buffer (no secrets: no headers)
    long sslVerifyResult = 0;                     // X509_V_* from OpenSSL
    int idleTimeoutSeconds = 0;                   // > 0: closed because nothing arrived this long
    bool cancelled = false;
    bool abortedByConsumer = false; // the streaming consumer asked to stop

    QByteArray header(const QByteArray &lowerCaseName) const;
};

struct HttpRequest {
    QByteArray method = "GET";
    QString pathAndQuery;      // relative to the server URL, starting with '/'
    QList<QByteArray> headers; // "Name: value"; may hold secrets, never logged
    QByteArray body;           // sent when hasBody
    bool hasBody = false;
    QByteArray clientCertPem; // empty: none
    QByteArray clientKeyPem;
    int idleTimeoutSeconds = 60;                       // no byte for this long: the transfer fails
    std::chrono::steady_clock::time_point notBefore{}; // delayed start (Retry-After)
    std::shared_ptr<std::atomic_bool> cancelled = std::make_shared<std::atomic_bool>(false);
    // Streaming: called with each chunk of a 2xx answer's body instead of buffering it.
    // Returning false aborts the transfer (abortedByConsumer).
    std::function<bool(const char *data, size_t size)> onBody;
    // Exactly once.
    std::function<void(HttpResponse)> onDone;
};

class Transport final {
public:
    explicit Transport(TransportSettings settings);
    ~Transport(); // stops (if not stopped) and cleans up
    Transport(const Transport &) = delete;
    Transport &operator=(const Transport &) = delete;

    // Thread-safe. After stop(), the request is finished at once (cancelled) on the calling
    // thread.
    void submit(std::shared_ptr<HttpRequest> request);
    // Runs `fn` on the worker thread (or at once on the calling thread after stop()).
    void post(std::function<void()> fn);
    // Makes the loop look at cancel flags now. Thread-safe.
    void wake();
    // Finishes everything as cancelled and joins the worker. Not from the worker thread.
    void stop();
    std::thread::id threadId() const { return m_threadId; }

private:
    struct Transfer;
    void run();
    void startTransfer(const std::shared_ptr<HttpRequest> &request);
    void finishTransfer(Transfer *transfer, HttpResponse response);
    QByteArray urlFor(const QString &pathAndQuery) const;

    TransportSettings m_settings;
    QByteArray m_connectTo; // CURLOPT_CONNECT_TO entry when tls-server-name is set
    void *m_multi = nullptr;
    std::thread m_thread;
    std::thread::id m_threadId;
    std::mutex m_mutex;
    bool m_stopping = false;
    bool m_stopped = false;
    std::vector<std::shared_ptr<HttpRequest>> m_incoming;
    std::vector<std::function<void()>> m_posted;
    // Worker-thread only.
    std::vector<std::shared_ptr<HttpRequest>> m_delayed;
    std::vector<std::unique_ptr<Transfer>> m_active;
};

} // namespace kd::kube::detail
