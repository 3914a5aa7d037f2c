// The sandbox's /openapi/v3 and kd_kube's OpenAPI v3 schema cache, over real HTTP on loopback:
// index and documents with their hashes and cache headers, a first load that downloads every
// group version, later loads that read the disk (and only refetch what changed or broke), and
// servers that lack OpenAPI v3 or send nonsense.
#include "kube/openapicache.h"
#include "kubeclienttesthelpers.h"
#include "sandbox/discovery.h"
#include "sandbox/openapi.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace kd;
using kube::ErrorKind;
using kube::Json;

Q_DECLARE_METATYPE(kd::kube::ErrorKind)

namespace {

const manifest::SchemaNode *at(const manifest::SchemaNode *node, std::string_view path) {
    while (node && !path.empty()) {
        const std::size_t dot = path.find('.');
        const std::string_view step = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
        const manifest::SchemaField *field = step == "[]" ? nullptr : node->field(step);
        node = step == "[]" ? node->element : field ? field->node : nullptr;
    }
    return node;
}

Json readJson(const QString &fileName) {
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    return Json::parse(data.constBegin(), data.constEnd(), nullptr, false);
}

bool writeText(const QString &fileName, const QByteArray &data) {
    QFile file(fileName);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

// The sandbox's index, straight from its handler: group-version path -> hash.
std::map<std::string, std::string> sandboxHashes() {
    sandbox::ApiRequest request;
    request.method = "GET";
    request.path = "/openapi/v3";
    std::map<std::string, std::string> hashes;
    const Json index = Json::parse(sandbox::serveOpenApiV3(request).body);
    for (const auto &[path, entry] : index["paths"].items()) {
        const std::string url = entry["serverRelativeURL"];
        hashes[path] = url.substr(url.find("?hash=") + 6);
    }
    return hashes;
}

// A one-request-per-connection HTTP server: path -> (status, body). Paths it does not know
// get no answer at all.
class FakeServer final {
public:
    explicit FakeServer(std::map<QByteArray, std::pair<int, QByteArray>> answers)
        : m_answers(std::move(answers)) {
        m_server.listen(QHostAddress::LocalHost);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                buffer->append(socket->readAll());
                if (!buffer->contains("\r\n\r\n"))
                    return;
                const QByteArray path = buffer->split(' ').value(1);
                const auto answer = m_answers.find(path);
                if (answer == m_answers.end())
                    return; // hangs
                socket->write("HTTP/1.1 " + QByteArray::number(answer->second.first) +
                              " X\r\nContent-Type: application/json\r\nContent-Length: " +
                              QByteArray::number(answer->second.second.size()) +
                              "\r\nConnection: close\r\n\r\n" + answer->second.second);
                socket->disconnectFromHost();
            });
        });
    }
    kube::RestConfig config() const {
        kube::RestConfig c;
        c.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
        return c;
    }

private:
    QTcpServer m_server;
    std::map<QByteArray, std::pair<int, QByteArray>> m_answers;
};

// GET over plain HTTP; answers the status line and headers.
QByteArray rawGet(int port, const QByteArray &pathAndQuery, const QByteArray &token) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(port));
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " +
                 token + "\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(5000))
        answer += socket.readAll();
    return answer.left(answer.indexOf("\r\n\r\n"));
}

} // namespace

// The slots are defined after the class: moc misreads some string literals inside a class body.
class TstOpenApiCache final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<testing::SandboxFixture> m_sandbox;
    std::unique_ptr<kube::ApiClient> m_client;
    QString m_cacheDir; // the sandbox's folder in the cache

    kube::Result<kube::ClusterSchemas> load() {
        return testing::await(kube::loadClusterSchemas(*m_client), 60'000);
    }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sandboxServesDocumentsByHash();
    void cacheHeadersOverHttp();
    void firstLoadDownloadsEveryGroupVersion();
    void laterLoadReadsTheDisk();
    void changedHashIsDownloadedAgain();
    void brokenCacheFilesAreDownloadedAgain();
    void badServers_data();
    void badServers();
    void destroyingTheClientCancels();
};

void TstOpenApiCache::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
         QStringLiteral("/openapi"))
        .removeRecursively();
    m_sandbox = std::make_unique<testing::SandboxFixture>(
        testing::SandboxFixture::Options{"empty", 1.0, true});
    m_client =
        std::make_unique<kube::ApiClient>(testing::adminCertConfig(m_sandbox->server()), nullptr);
    m_cacheDir = kube::openApiCacheDirectory(m_client->config().server,
                                             QString::fromLatin1(sandbox::kServerGitVersion));
    QVERIFY(m_cacheDir.startsWith(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                                  QStringLiteral("/openapi/")));
    QVERIFY(m_cacheDir.endsWith(QStringLiteral("/v1.28.0-kubedeck.1")));
}

void TstOpenApiCache::cleanupTestCase() {
    m_client.reset();
    m_sandbox.reset();
}

void TstOpenApiCache::sandboxServesDocumentsByHash() {
    const std::map<std::string, std::string> hashes = sandboxHashes();
    QVERIFY(hashes.count("api/v1"));
    QVERIFY(hashes.count("apis/apps/v1"));
    QVERIFY(hashes.count("apis/networking.k8s.io/v1"));

    sandbox::ApiRequest request;
    request.method = "GET";
    request.path = "/openapi/v3/apis/apps/v1";
    request.query = {{"hash", hashes.at("apis/apps/v1")}};
    const sandbox::ApiResponse current = sandbox::serveOpenApiV3(request);
    QCOMPARE(current.status, 200);
    // The hash is the content's: SHA-512, upper-case hex.
    QCOMPARE(QCryptographicHash::hash(QByteArray::fromStdString(current.body),
                                      QCryptographicHash::Sha512)
                 .toHex()
                 .toUpper()
                 .toStdString(),
             hashes.at("apis/apps/v1"));
    const Json document = Json::parse(current.body);
    QVERIFY(document["components"]["schemas"].contains("io.k8s.api.apps.v1.Deployment"));
    const auto header = [](const sandbox::ApiResponse &r, const std::string &name) {
        for (const auto &[key, value] : r.headers)
            if (key == name)
                return value;
        return std::string();
    };
    QCOMPARE(header(current, "ETag"), "\"" + hashes.at("apis/apps/v1") + "\"");
    QCOMPARE(header(current, "Cache-Control"), std::string("public, immutable"));
    QVERIFY(header(current, "Expires").ends_with(" GMT"));

    // A stale hash still gets the current document, without the caching promise.
    request.query = {{"hash", "0BSOLETE"}};
    const sandbox::ApiResponse stale = sandbox::serveOpenApiV3(request);
    QCOMPARE(stale.status, 200);
    QCOMPARE(stale.body, current.body);
    QCOMPARE(header(stale, "Cache-Control"), std::string());
    QCOMPARE(header(stale, "ETag"), header(current, "ETag"));

    // Through the client: unknown group versions, protobuf only, writes.
    auto missing = testing::await(m_client->get(QStringLiteral("/openapi/v3/apis/nope.io/v1")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().httpStatus, 404);
    auto wrongMethod = testing::await(
        m_client->request("POST", QStringLiteral("/openapi/v3"), "{}", "application/json"));
    QVERIFY(!wrongMethod.ok());
    QCOMPARE(wrongMethod.error().httpStatus, 405);
    auto index = testing::await(m_client->get(QStringLiteral("/openapi/v3")));
    KD_VERIFY_OK(index);
    QCOMPARE((*index)["paths"].size(), hashes.size());
}

void TstOpenApiCache::cacheHeadersOverHttp() {
    testing::SandboxFixture plain(testing::SandboxFixture::Options{"empty", 1.0, false});
    const int port = plain.server().port();
    const QByteArray token = QByteArray::fromStdString(plain.server().credentials().adminToken);
    const QByteArray hash = QByteArray::fromStdString(sandboxHashes().at("api/v1"));
    const QByteArray current = rawGet(port, "/openapi/v3/api/v1?hash=" + hash, token);
    QVERIFY2(current.startsWith("HTTP/1.1 200"), current.constData());
    QCOMPARE(current.count("Cache-Control:"), 1);
    QVERIFY2(current.contains("Cache-Control: public, immutable"), current.constData());
    QVERIFY(current.contains("ETag: \"" + hash + "\""));
    const QByteArray stale = rawGet(port, "/openapi/v3/api/v1?hash=0BSOLETE", token);
    QVERIFY2(stale.startsWith("HTTP/1.1 200"), stale.constData());
    QCOMPARE(stale.count("Cache-Control:"), 1);
    QVERIFY2(stale.contains("Cache-Control: no-cache, private"), stale.constData());
    // Like the real server, the documents are for authenticated users only.
    QVERIFY(rawGet(port, "/openapi/v3", "wrong-token").startsWith("HTTP/1.1 401"));
}

void TstOpenApiCache::firstLoadDownloadsEveryGroupVersion() {
    const auto r = load();
    KD_VERIFY_OK(r);
    QCOMPARE(r->gitVersion, QString::fromLatin1(sandbox::kServerGitVersion));
    QVERIFY2(r->skipped.isEmpty(), qPrintable(r->skipped.join(QLatin1Char('\n'))));
    QCOMPARE(r->documentsFetched, int(sandboxHashes().size()));
    QCOMPARE(r->documentsFromDisk, 0);
    QCOMPARE(r->schemas->source, std::string("cluster (v1.28.0-kubedeck.1)"));
    const manifest::SchemaNode *deployment = r->schemas->find("apps/v1", "Deployment");
    QVERIFY(deployment);
    QCOMPARE(at(deployment, "spec.replicas")->type, manifest::SchemaType::Integer);
    QCOMPARE(at(deployment, "spec.template.spec.containers.[].resources.limits.[]")->type,
             manifest::SchemaType::Quantity);
    QVERIFY(r->schemas->isNamespaced("apps/v1", "Deployment"));
    QVERIFY(!r->schemas->isNamespaced("v1", "Namespace"));
    QVERIFY(r->schemas->find("networking.k8s.io/v1", "Ingress"));
    QVERIFY(QFile::exists(m_cacheDir + QStringLiteral("/apis_apps_v1.json")));
    QVERIFY(QFile::exists(m_cacheDir + QStringLiteral("/api_v1.json")));
    QCOMPARE(readJson(m_cacheDir + QStringLiteral("/index.json"))["paths"].size(),
             sandboxHashes().size());
}

void TstOpenApiCache::laterLoadReadsTheDisk() {
    // Mark the cached apps/v1 document: only a load that reads the disk can see the mark.
    const QString apps = m_cacheDir + QStringLiteral("/apis_apps_v1.json");
    Json document = readJson(apps);
    QVERIFY(document.is_object());
    document["components"]["schemas"]["io.k8s.api.apps.v1.Deployment"]["properties"]
            ["cachedOnDisk"] = {{"type", "string"}};
    QVERIFY(writeText(apps, QByteArray::fromStdString(document.dump())));

    const auto r = load();
    KD_VERIFY_OK(r);
    QCOMPARE(r->documentsFetched, 0);
    QCOMPARE(r->documentsFromDisk, int(sandboxHashes().size()));
    QVERIFY(r->schemas->find("apps/v1", "Deployment")->field("cachedOnDisk"));
    QVERIFY(r->schemas->find("v1", "Pod"));
}

void TstOpenApiCache::changedHashIsDownloadedAgain() {
    // As if the server had changed apps/v1 since: the index on disk names another hash.
    const QString indexFile = m_cacheDir + QStringLiteral("/index.json");
    Json index = readJson(indexFile);
    index["paths"]["apis/apps/v1"]["serverRelativeURL"] = "/openapi/v3/apis/apps/v1?hash=0LD";
    QVERIFY(writeText(indexFile, QByteArray::fromStdString(index.dump())));

    const auto r = load();
    KD_VERIFY_OK(r);
    QCOMPARE(r->documentsFetched, 1);
    QCOMPARE(r->documentsFromDisk, int(sandboxHashes().size()) - 1);
    QVERIFY(!r->schemas->find("apps/v1", "Deployment")->field("cachedOnDisk"));
    const std::string url = readJson(indexFile)["paths"]["apis/apps/v1"]["serverRelativeURL"];
    QCOMPARE(url, "/openapi/v3/apis/apps/v1?hash=" + sandboxHashes().at("apis/apps/v1"));
}

void TstOpenApiCache::brokenCacheFilesAreDownloadedAgain() {
    const QString core = m_cacheDir + QStringLiteral("/api_v1.json");
    QVERIFY(writeText(core, "{\"components\": {\"schemas\": {"));
    auto r = load();
    KD_VERIFY_OK(r);
    QCOMPARE(r->documentsFetched, 1);
    QVERIFY(r->schemas->find("v1", "Pod"));
    QVERIFY(readJson(core).is_object());

    // A broken index: nothing on disk can be trusted.
    QVERIFY(writeText(m_cacheDir + QStringLiteral("/index.json"), "\x00\xff garbage"));
    QFile::remove(m_cacheDir + QStringLiteral("/apis_apps_v1.json"));
    r = load();
    KD_VERIFY_OK(r);
    QCOMPARE(r->documentsFetched, int(sandboxHashes().size()));
    QCOMPARE(r->documentsFromDisk, 0);
    QVERIFY(QFile::exists(m_cacheDir + QStringLiteral("/apis_apps_v1.json")));
}

void TstOpenApiCache::badServers_data() {
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<int>("indexStatus");
    QTest::addColumn<QByteArray>("index");
    QTest::addColumn<int>("errorKind"); // -1: loads, with api/v1 skipped
    QTest::addColumn<QString>("message");
    const QByteArray version = "{\"gitVersion\": \"v1.22.0\"}";
    const QByteArray coreIndex =
        "{\"paths\": {\"api/v1\": {\"serverRelativeURL\": \"/openapi/v3/api/v1?hash=A\"}}}";
    QTest::newRow("no OpenAPI v3")
        << version << 404
        << QByteArray("{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"status\": \"Failure\", "
                      "\"reason\": \"NotFound\", \"code\": 404, \"message\": \"the server could "
                      "not find the requested resource\"}")
        << int(ErrorKind::NotFound) << QStringLiteral("does not serve OpenAPI v3");
    QTest::newRow("no gitVersion")
        << QByteArray("{}") << 200 << coreIndex << int(ErrorKind::Protocol)
        << QStringLiteral("/version names no gitVersion");
    QTest::newRow("index not JSON") << version << 200 << QByteArray("<html>")
                                    << int(ErrorKind::Protocol) << QStringLiteral("not valid JSON");
    QTest::newRow("empty index") << version << 200 << QByteArray("{\"paths\": {}}")
                                 << int(ErrorKind::Protocol)
                                 << QStringLiteral("lists no group versions");
    // Paths that would leave the cache folder and URLs to other servers are not followed.
    QTest::newRow("hostile index")
        << version << 200
        << QByteArray("{\"paths\": {\"../../x\": {\"serverRelativeURL\": \"/openapi/v3/../../x\"}, "
                      "\"apis/a.io/v1\": {\"serverRelativeURL\": "
                      "\"http://evil/openapi/v3/apis/a.io/v1\"}, "
                      "\"api/../v1\": {\"serverRelativeURL\": \"/openapi/v3/api/../v1\"}}}")
        << int(ErrorKind::Protocol) << QStringLiteral("lists no group versions");
    QTest::newRow("document fails")
        << version << 200 << coreIndex << -1 << QStringLiteral("api/v1: ");
}

void TstOpenApiCache::badServers() {
    QFETCH(QByteArray, version);
    QFETCH(int, indexStatus);
    QFETCH(QByteArray, index);
    QFETCH(int, errorKind);
    QFETCH(QString, message);
    // api/v1's document is a 500 (no Retry-After: not retried).
    FakeServer server({{"/version", {200, version}},
                       {"/openapi/v3", {indexStatus, index}},
                       {"/openapi/v3/api/v1?hash=A", {500, "{}"}}});
    kube::ApiClient client(server.config(), nullptr);
    QTemporaryDir cache;
    const auto r = testing::await(kube::loadClusterSchemas(client, cache.path()));
    if (errorKind < 0) {
        KD_VERIFY_OK(r);
        QCOMPARE(r->skipped.size(), 1);
        QVERIFY2(r->skipped.first().startsWith(message), qPrintable(r->skipped.first()));
        QVERIFY(r->schemas->kinds().empty());
        return;
    }
    QVERIFY(!r.ok());
    QCOMPARE(int(r.error().kind), errorKind);
    QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    // A load that fails before reading any document leaves no folder behind.
    QVERIFY(QDir(cache.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
}

void TstOpenApiCache::destroyingTheClientCancels() {
    FakeServer silent({}); // accepts connections, never answers
    auto client = std::make_unique<kube::ApiClient>(silent.config(), nullptr);
    QTemporaryDir cache;
    QFuture<kube::Result<kube::ClusterSchemas>> future =
        kube::loadClusterSchemas(*client, cache.path());
    QTest::qWait(200);
    QVERIFY(!future.isFinished());
    client.reset();
    const auto r = testing::await(future, 10'000);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Cancelled);
}

QTEST_GUILESS_MAIN(TstOpenApiCache)
#include "tst_openapicache.moc"
