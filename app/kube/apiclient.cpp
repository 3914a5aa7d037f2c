#include "kube/apiclient.h"

#include "kube/clientcore.h"

#include <mutex>

namespace kd::kube {

namespace {

QString encodeSegment(const QString &segment) {
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

QString prefixFor(const ResourceKind &kind) {
    if (kind.group.isEmpty())
        return QStringLiteral("/api/") + encodeSegment(kind.version);
    return QStringLiteral("/apis/") + encodeSegment(kind.group) + QLatin1Char('/') +
           encodeSegment(kind.version);
}

// SAX events of a list answer up to its "items": records metadata.continue, then stops.
class ListHeadScanner final : public nlohmann::json_sax<nlohmann::json> {
public:
    bool reachedItems = false;
    bool sawMetadata = false;
    std::string continueToken;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t &) override { return true; }
    bool binary(binary_t &) override { return true; }
    bool string(string_t &value) override {
        if (m_depth == 2 && m_inMetadata && m_key == "continue")
            continueToken = value;
        return true;
    }
    bool key(string_t &key) override {
        if (m_depth == 1) {
            if (key == "items") {
                reachedItems = true;
                return false; // what follows is the expensive part
            }
            m_topKey = key;
        }
        m_key = key;
        return true;
    }
    bool start_object(std::size_t) override {
        ++m_depth;
        if (m_depth == 2 && m_topKey == "metadata") {
            if (sawMetadata)
                return false; // twice: leave it to the full parse
            m_inMetadata = sawMetadata = true;
        }
        return true;
    }
    bool end_object() override {
        if (m_depth == 2)
            m_inMetadata = false;
        --m_depth;
        return true;
    }
    bool start_array(std::size_t) override {
        ++m_depth;
        return true;
    }
    bool end_array() override {
        --m_depth;
        return true;
    }
    bool parse_error(std::size_t, const std::string &,
                     const nlohmann::detail::exception &) override {
        return false;
    }

private:
    int m_depth = 0;
    bool m_inMetadata = false;
    std::string m_topKey;
    std::string m_key;
};

QString dryRunAll() {
    return QStringLiteral("All");
}

QByteArray patchContentType(PatchType type) {
    switch (type) {
    case PatchType::JsonPatch:
        return QByteArrayLiteral("application/json-patch+json");
    case PatchType::Merge:
        return QByteArrayLiteral("application/merge-patch+json");
    case PatchType::Strategic:
        return QByteArrayLiteral("application/strategic-merge-patch+json");
    case PatchType::Apply:
        return QByteArrayLiteral("application/apply-patch+yaml");
    }
    return {};
}

QByteArray toBody(const Json &json) {
    return QByteArray::fromStdString(json.dump());
}

} // namespace

std::shared_ptr<detail::ClientCore> detail::coreOf(const ApiClient &client) {
    return client.m_core;
}

ApiClient::ApiClient(RestConfig config, std::shared_ptr<CredentialProvider> credentials,
                     ClientOptions options, QObject *parent)
    : QObject(parent)
    , m_core(std::make_shared<detail::ClientCore>(std::move(config), std::move(credentials),
                                                  std::move(options))) {}

ApiClient::~ApiClient() {
    m_core->shutdown();
}

const RestConfig &ApiClient::config() const {
    return m_core->config();
}
const ClientOptions &ApiClient::options() const {
    return m_core->options();
}

QString ApiClient::collectionPath(const ResourceKind &kind, const QString &ns) {
    QString path = prefixFor(kind);
    if (kind.namespaced && !ns.isEmpty())
        path += QStringLiteral("/namespaces/") + encodeSegment(ns);
    return path + QLatin1Char('/') + encodeSegment(kind.resource);
}

QString ApiClient::objectPath(const ResourceKind &kind, const QString &ns, const QString &name,
                              const QString &subresource) {
    QString path = collectionPath(kind, ns) + QLatin1Char('/') + encodeSegment(name);
    if (!subresource.isEmpty())
        path += QLatin1Char('/') + encodeSegment(subresource);
    return path;
}

QString ApiClient::withQuery(const QString &path, const QUrlQuery &query) {
    // Encode every reserved character ourselves: continue tokens are base64 ('+', '/', '='),
    // and the API server decodes '+' as a space.
    QString out = path;
    QChar sep = path.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?');
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        out += sep + encodeSegment(key) + QLatin1Char('=') + encodeSegment(value);
        sep = QLatin1Char('&');
    }
    return out;
}

QFuture<Result<Json>> ApiClient::get(const QString &path) {
    return m_core->send("GET", path);
}

std::optional<QString> scanListContinue(const QByteArray &body) {
    ListHeadScanner scanner;
    nlohmann::json::sax_parse(body.constBegin(), body.constEnd(), &scanner);
    if (!scanner.reachedItems || !scanner.sawMetadata)
        return std::nullopt;
    return QString::fromStdString(scanner.continueToken);
}

QFuture<Result<Json>> ApiClient::list(const ResourceKind &kind, const QString &ns,
                                      const ListOptions &options) {
    QUrlQuery q;
    if (!options.labelSelector.isEmpty())
        q.addQueryItem(QStringLiteral("labelSelector"), options.labelSelector);
    if (!options.fieldSelector.isEmpty())
        q.addQueryItem(QStringLiteral("fieldSelector"), options.fieldSelector);
    if (options.limit > 0)
        q.addQueryItem(QStringLiteral("limit"), QString::number(options.limit));
    if (!options.continueToken.isEmpty())
        q.addQueryItem(QStringLiteral("continue"), options.continueToken);
    if (!options.resourceVersion.isEmpty()) {
        q.addQueryItem(QStringLiteral("resourceVersion"), options.resourceVersion);
        if (!options.resourceVersionMatch.isEmpty())
            q.addQueryItem(QStringLiteral("resourceVersionMatch"), options.resourceVersionMatch);
    }
    if (options.timeoutSeconds > 0)
        q.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(options.timeoutSeconds));
    std::function<void(const QByteArray &)> peek;
    if (options.onHead)
        peek = [onHead = options.onHead](const QByteArray &body) {
            if (std::optional<QString> next = scanListContinue(body))
                onHead(*next);
        };
    return m_core->send("GET", withQuery(collectionPath(kind, ns), q), {}, {}, std::move(peek));
}

// fieldManager and dryRun of a create or update.
static QUrlQuery writeQuery(const WriteOptions &options) {
    QUrlQuery q;
    if (!options.fieldManager.isEmpty())
        q.addQueryItem(QStringLiteral("fieldManager"), options.fieldManager);
    if (options.dryRun)
        q.addQueryItem(QStringLiteral("dryRun"), dryRunAll());
    return q;
}

QFuture<Result<Json>> ApiClient::create(const QString &collection, const Json &object,
                                        const WriteOptions &options) {
    return m_core->send("POST", withQuery(collection, writeQuery(options)), toBody(object),
                        "application/json");
}

QFuture<Result<Json>> ApiClient::update(const QString &path, const Json &object,
                                        const WriteOptions &options) {
    return m_core->send("PUT", withQuery(path, writeQuery(options)), toBody(object),
                        "application/json");
}

QFuture<Result<Json>> ApiClient::patch(const QString &path, PatchType type, const Json &body,
                                       const PatchOptions &options) {
    QUrlQuery q;
    if (!options.fieldManager.isEmpty())
        q.addQueryItem(QStringLiteral("fieldManager"), options.fieldManager);
    if (options.force && type == PatchType::Apply)
        q.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
    if (options.dryRun)
        q.addQueryItem(QStringLiteral("dryRun"), dryRunAll());
    return m_core->send("PATCH", withQuery(path, q), toBody(body), patchContentType(type));
}

QFuture<Result<Json>> ApiClient::remove(const QString &path, const DeleteOptions &options) {
    Json body = Json::object();
    if (!options.propagationPolicy.isEmpty())
        body["propagationPolicy"] = options.propagationPolicy.toStdString();
    if (options.dryRun)
        body["dryRun"] = Json::array({"All"});
    if (options.gracePeriodSeconds)
        body["gracePeriodSeconds"] = *options.gracePeriodSeconds;
    if (!options.preconditionResourceVersion.isEmpty())
        body["preconditions"] = {
            {"resourceVersion", options.preconditionResourceVersion.toStdString()}};
    if (body.empty())
        return m_core->send("DELETE", path);
    body["kind"] = "DeleteOptions";
    body["apiVersion"] = "v1";
    return m_core->send("DELETE", path, toBody(body), "application/json");
}

QFuture<Result<Json>> ApiClient::request(const QByteArray &method, const QString &pathAndQuery,
                                         const QByteArray &body, const QByteArray &contentType) {
    return m_core->send(method, pathAndQuery, body, contentType);
}

QFuture<Result<Json>> ApiClient::discovery() {
    // Three independent requests; the answer waits for all of them (first error wins).
    struct Gather {
        std::mutex mutex;
        Json result = Json::object();
        std::optional<Error> error;
        int pending = 3;
        detail::JsonPromise promise;
    };
    auto gather = std::make_shared<Gather>();
    gather->promise.start();
    QFuture<Result<Json>> future = gather->promise.future();
    const std::pair<const char *, QString> parts[] = {{"version", QStringLiteral("/version")},
                                                      {"api", QStringLiteral("/api")},
                                                      {"apis", QStringLiteral("/apis")}};
    for (const auto &[key, path] : parts) {
        std::string name = key;
        m_core->send("GET", path).then([gather, name](Result<Json> r) {
            std::lock_guard lock(gather->mutex);
            if (r)
                gather->result[name] = std::move(*r);
            else if (!gather->error)
                gather->error = r.error();
            if (--gather->pending > 0)
                return;
            if (gather->error)
                gather->promise.addResult(Result<Json>(*gather->error));
            else
                gather->promise.addResult(Result<Json>(std::move(gather->result)));
            gather->promise.finish();
        });
    }
    return future;
}

WatchHandlePtr ApiClient::watch(const ResourceKind &kind, const QString &ns,
                                const WatchOptions &options, WatchCallbacks callbacks) {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
    if (options.allowWatchBookmarks)
        q.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    if (!options.resourceVersion.isEmpty())
        q.addQueryItem(QStringLiteral("resourceVersion"), options.resourceVersion);
    if (options.sendInitialEvents) {
        q.addQueryItem(QStringLiteral("sendInitialEvents"), QStringLiteral("true"));
        q.addQueryItem(QStringLiteral("resourceVersionMatch"), QStringLiteral("NotOlderThan"));
    }
    if (options.timeoutSeconds > 0)
        q.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(options.timeoutSeconds));
    if (!options.labelSelector.isEmpty())
        q.addQueryItem(QStringLiteral("labelSelector"), options.labelSelector);
    if (!options.fieldSelector.isEmpty())
        q.addQueryItem(QStringLiteral("fieldSelector"), options.fieldSelector);
    const int idle = options.readIdleTimeoutSeconds >= 0
                         ? options.readIdleTimeoutSeconds
                         : m_core->options().watchIdleTimeoutSeconds;
    return m_core->watch(withQuery(collectionPath(kind, ns), q), idle, std::move(callbacks));
}

} // namespace kd::kube
