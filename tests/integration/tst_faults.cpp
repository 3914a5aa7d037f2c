// The sandbox's API behaviour and each fault mode, seen by a plain HTTP client.
#include "sandboxfixture.h"

#include "urlencode.h"

#include <httplib.h>

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using kd::sandbox::Json;

class TstFaults final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<kd::testing::SandboxFixture> m_sandbox;

    httplib::Client client(const std::string &token = {}) {
        httplib::Client c("127.0.0.1", m_sandbox->server().port());
        c.set_read_timeout(10, 0);
        if (!token.empty())
            c.set_bearer_token_auth(token.c_str());
        return c;
    }
    httplib::Client admin() { return client(m_sandbox->server().credentials().adminToken); }

    void setFaults(const Json &faults) {
        auto r = admin().Put("/sandbox/v1/faults", faults.dump(), "application/json");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
    }

    struct Streamed {
        int status = 0;
        std::string body;
        qint64 elapsedMs = 0;
        bool transportError = false;
    };
    Streamed stream(const std::string &path, int readTimeoutSeconds = 10) {
        Streamed s;
        httplib::Client c = admin();
        c.set_read_timeout(readTimeoutSeconds, 0);
        QElapsedTimer t;
        t.start();
        auto r = c.Get(
            path.c_str(), httplib::Headers{},
            [&](const httplib::Response &res) {
                s.status = res.status;
                return true;
            },
            [&](const char *data, size_t len) {
                s.body.append(data, len);
                return s.body.size() < 4'000'000;
            });
        s.transportError = !r;
        s.elapsedMs = t.elapsed();
        return s;
    }

    static std::vector<Json> lines(const std::string &body) {
        std::vector<Json> out;
        std::size_t start = 0;
        while (start < body.size()) {
            std::size_t nl = body.find('\n', start);
            if (nl == std::string::npos)
                nl = body.size();
            if (nl > start)
                out.push_back(Json::parse(body.substr(start, nl - start)));
            start = nl + 1;
        }
        return out;
    }

    std::string currentRv() {
        auto r = admin().Get("/api/v1/namespaces/default/configmaps");
        return Json::parse(r->body)["metadata"]["resourceVersion"].get<std::string>();
    }

private slots:
    void initTestCase() {
        m_sandbox = std::make_unique<kd::testing::SandboxFixture>(
            kd::testing::SandboxFixture::Options{"churn-predictor", 5.0, false});
    }
    void init() { setFaults(Json::object()); }

    void authentication() {
        auto r = client().Get("/api/v1/pods");
        QCOMPARE(r->status, 401);
        QCOMPARE(QString::fromStdString(Json::parse(r->body)["reason"].get<std::string>()),
                 QStringLiteral("Unauthorized"));
        r = client("wrong-token").Get("/api/v1/pods");
        QCOMPARE(r->status, 401);
        r = client().Get("/version");
        QCOMPARE(r->status, 200);
        r = client(m_sandbox->server().credentials().viewerToken)
                .Put("/sandbox/v1/faults", "{}", "application/json");
        QCOMPARE(r->status, 403);
    }

    void statusErrors() {
        auto r = admin().Get("/api/v1/namespaces/default/pods/nope");
        QCOMPARE(r->status, 404);
        Json s = Json::parse(r->body);
        QCOMPARE(QString::fromStdString(s["message"].get<std::string>()),
                 QStringLiteral("pods \"nope\" not found"));
        QCOMPARE(s["code"].get<int>(), 404);
        Json cm{{"apiVersion", "v1"},
                {"kind", "ConfigMap"},
                {"metadata", {{"name", "occ"}}},
                {"data", {{"a", "1"}}}};
        r = admin().Post("/api/v1/namespaces/default/configmaps", cm.dump(), "application/json");
        QCOMPARE(r->status, 201);
        Json created = Json::parse(r->body);
        r = admin().Post("/api/v1/namespaces/default/configmaps", cm.dump(), "application/json");
        QCOMPARE(r->status, 409);
        QCOMPARE(QString::fromStdString(Json::parse(r->body)["reason"].get<std::string>()),
                 QStringLiteral("AlreadyExists"));
        Json first = created, second = created;
        first["data"]["a"] = "2";
        second["data"]["a"] = "3";
        QCOMPARE(
            admin()
                .Put("/api/v1/namespaces/default/configmaps/occ", first.dump(), "application/json")
                ->status,
            200);
        r = admin().Put("/api/v1/namespaces/default/configmaps/occ", second.dump(),
                        "application/json");
        QCOMPARE(r->status, 409);
        QCOMPARE(QString::fromStdString(Json::parse(r->body)["message"].get<std::string>()),
                 QStringLiteral("Operation cannot be fulfilled on configmaps \"occ\": the object "
                                "has been modified; please apply "
                                "your changes to the latest version and try again"));
        r = admin().Get("/apis/apps/v1/namespaces/default/deployments?labelSelector=app%20in%20(a");
        QCOMPARE(r->status, 400);
    }

    void pagingReturnsEverythingOnce() {
        auto all = Json::parse(admin().Get("/api/v1/pods")->body)["items"];
        QVERIFY(all.size() >= 2);
        std::vector<std::string> names;
        std::string cont;
        int pages = 0;
        do {
            std::string path =
                "/api/v1/pods?limit=1" +
                (cont.empty() ? std::string() : "&continue=" + kd::testing::urlEncode(cont));
            Json page = Json::parse(admin().Get(path.c_str())->body);
            for (const Json &p : page["items"])
                names.push_back(p["metadata"]["name"]);
            cont = page["metadata"].value("continue", "");
            ++pages;
        } while (!cont.empty() && pages < 1000);
        QCOMPARE(names.size(), all.size());
        QCOMPARE(pages, static_cast<int>(all.size()));
        auto bad = admin().Get("/api/v1/pods?limit=1&continue=%%%");
        QCOMPARE(bad->status, 400);
    }

    void tableAnswerAndJsonFallback() {
        httplib::Headers h{{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/"
                                      "json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"}};
        auto r = admin().Get("/apis/apps/v1/deployments", h);
        Json t = Json::parse(r->body);
        QCOMPARE(QString::fromStdString(t["kind"].get<std::string>()), QStringLiteral("Table"));
        QCOMPARE(QString::fromStdString(t["columnDefinitions"][1]["name"].get<std::string>()),
                 QStringLiteral("Ready"));
        r = admin().Get("/apis/apps/v1/deployments",
                        httplib::Headers{{"Accept", "application/json"}});
        QCOMPARE(QString::fromStdString(Json::parse(r->body)["kind"].get<std::string>()),
                 QStringLiteral("DeploymentList"));
    }

    // Like kube-apiserver, the sandbox gzips answers of 128 KiB or more for clients that accept
    // gzip, and nothing else: no brotli, however the client asks.
    void compressesLikeTheApiServer_data() {
        QTest::addColumn<QString>("offered");
        QTest::addColumn<bool>("big");
        QTest::addColumn<QString>("expected");
        QTest::newRow("big, br and gzip") << "br, gzip, deflate" << true << "gzip";
        QTest::newRow("big, gzip") << "gzip" << true << "gzip";
        QTest::newRow("big, br only") << "br" << true << "";
        QTest::newRow("big, nothing offered") << "" << true << "";
        QTest::newRow("small, gzip") << "gzip" << false << "";
    }
    void compressesLikeTheApiServer() {
        QFETCH(QString, offered);
        QFETCH(bool, big);
        QFETCH(QString, expected);
        const std::string data(big ? 200 * 1024 : 10, 'x');
        const Json cm = {{"apiVersion", "v1"},
                         {"kind", "ConfigMap"},
                         {"metadata", {{"name", "compress-me"}}},
                         {"data", {{"blob", data}}}};
        admin().Delete("/api/v1/namespaces/default/configmaps/compress-me");
        auto created =
            admin().Post("/api/v1/namespaces/default/configmaps", cm.dump(), "application/json");
        QVERIFY(created);
        QCOMPARE(created->status, 201);
        httplib::Client c = admin();
        c.set_decompress(false);
        httplib::Headers h;
        if (!offered.isEmpty())
            h.emplace("Accept-Encoding", offered.toStdString());
        auto r = c.Get("/api/v1/namespaces/default/configmaps/compress-me", h);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(QString::fromStdString(r->get_header_value("Content-Encoding")), expected);
        if (expected == QLatin1String("gzip")) {
            QVERIFY(r->body.size() < data.size() / 10);
            QCOMPARE(r->body.substr(0, 2), std::string("\x1f\x8b"));
        } else {
            QVERIFY(r->body.size() > data.size());
        }
        // A client that decompresses gets the object back whole.
        auto plain = admin().Get("/api/v1/namespaces/default/configmaps/compress-me",
                                 httplib::Headers{{"Accept-Encoding", "gzip"}});
        QVERIFY(plain);
        QCOMPARE(Json::parse(plain->body)["data"]["blob"].get<std::string>().size(), data.size());
    }

    void watchDroppedAfterSeconds() {
        setFaults({{"dropWatchesAfterSeconds", 1}});
        Streamed s = stream("/api/v1/pods?watch=true");
        QCOMPARE(s.status, 200);
        QVERIFY2(s.elapsedMs >= 900 && s.elapsedMs < 5000,
                 qPrintable(QString::number(s.elapsedMs)));
        QVERIFY(!lines(s.body).empty()); // the initial ADDED events came first
    }

    void expiredAsHttp410() {
        setFaults({{"expireWatches", true}, {"expiredAsHttp", true}});
        Streamed s = stream("/api/v1/pods?watch=true&resourceVersion=" + currentRv());
        QCOMPARE(s.status, 410);
        Json status = Json::parse(s.body);
        QCOMPARE(QString::fromStdString(status["reason"].get<std::string>()),
                 QStringLiteral("Expired"));
    }

    void expiredAsErrorEvent() {
        setFaults({{"expireWatches", true}, {"expiredAsHttp", false}});
        Streamed s = stream("/api/v1/pods?watch=true&resourceVersion=" + currentRv());
        QCOMPARE(s.status, 200);
        auto events = lines(s.body);
        QCOMPARE(events.size(), 1u);
        QCOMPARE(QString::fromStdString(events[0]["type"].get<std::string>()),
                 QStringLiteral("ERROR"));
        QCOMPARE(events[0]["object"]["code"].get<int>(), 410);
        QVERIFY(events[0]["object"]["message"].get<std::string>().rfind(
                    "too old resource version: ", 0) == 0);
    }

    void injectedErrors_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("contentType");
        QTest::newRow("429 text") << 429 << "text/plain; charset=utf-8";
        QTest::newRow("503 status") << 503 << "application/json";
        QTest::newRow("504 status") << 504 << "application/json";
    }
    void injectedErrors() {
        QFETCH(int, code);
        QFETCH(QString, contentType);
        setFaults({{"errorRate", 1.0}, {"errorCode", code}, {"retryAfter", "2"}});
        auto r = admin().Get("/api/v1/pods");
        QCOMPARE(r->status, code);
        QCOMPARE(QString::fromStdString(r->get_header_value("Retry-After")), QStringLiteral("2"));
        QCOMPARE(QString::fromStdString(r->get_header_value("Content-Type")), contentType);
        if (code != 429)
            QCOMPARE(Json::parse(r->body)["code"].get<int>(), code);
        // Discovery and the admin endpoint are not subject to injected errors.
        QCOMPARE(admin().Get("/api/v1")->status, 200);
        setFaults({{"errorRate", 0.5}, {"errorCode", code}});
        int failed = 0;
        for (int i = 0; i < 40; ++i)
            failed += admin().Get("/api/v1/namespaces")->status == code ? 1 : 0;
        QVERIFY2(failed > 5 && failed < 35, qPrintable(QString::number(failed)));
    }

    void htmlErrorPage() {
        setFaults({{"errorRate", 1.0}, {"errorCode", 502}, {"errorBody", "html"}});
        auto r = admin().Get("/api/v1/pods");
        QCOMPARE(r->status, 502);
        QVERIFY(r->body.find("<html>") == 0);
    }

    void latency() {
        setFaults({{"latencyMs", 300}});
        QElapsedTimer t;
        t.start();
        QCOMPARE(admin().Get("/api/v1/namespaces")->status, 200);
        QVERIFY(t.elapsed() >= 290);
    }

    void stalledWatchSendsHeadersOnly() {
        setFaults({{"stallWatches", true}});
        Streamed s = stream("/api/v1/pods?watch=true", 2);
        QCOMPARE(s.status, 200);
        QVERIFY(s.body.empty());
        QVERIFY(s.transportError); // the client's read time-out ended it
        QVERIFY(s.elapsedMs >= 1900);
    }

    void emptyWatchEndsAtOnce() {
        setFaults({{"emptyWatches", true}});
        Streamed s = stream("/api/v1/pods?watch=true&resourceVersion=" + currentRv());
        QCOMPARE(s.status, 200);
        QVERIFY(s.body.empty());
        QVERIFY(s.elapsedMs < 1000);
    }

    void bookmarksAndTimeout() {
        setFaults({{"bookmarkIntervalSeconds", 0.3}});
        Streamed s = stream(
            "/api/v1/namespaces/default/"
            "configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=2&resourceVersion=" +
            currentRv());
        QCOMPARE(s.status, 200);
        QVERIFY(s.elapsedMs >= 1900 && s.elapsedMs < 4000);
        auto events = lines(s.body);
        QVERIFY(events.size() >= 2);
        for (const Json &e : events) {
            QCOMPARE(QString::fromStdString(e["type"].get<std::string>()),
                     QStringLiteral("BOOKMARK"));
            QVERIFY(e["object"]["metadata"].contains("resourceVersion"));
            QVERIFY(!e["object"].contains("spec"));
        }
    }

    void streamingListEndsWithInitialEventsBookmark() {
        Streamed s = stream("/api/v1/"
                            "namespaces?watch=true&sendInitialEvents=true&resourceVersionMatch="
                            "NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1");
        auto events = lines(s.body);
        QVERIFY(events.size() >= 2);
        QCOMPARE(QString::fromStdString(events.back()["type"].get<std::string>()),
                 QStringLiteral("BOOKMARK"));
        QCOMPARE(QString::fromStdString(
                     events.back()["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"]
                         .get<std::string>()),
                 QStringLiteral("true"));
        for (std::size_t i = 0; i + 1 < events.size(); ++i)
            QCOMPARE(QString::fromStdString(events[i]["type"].get<std::string>()),
                     QStringLiteral("ADDED"));
    }

    void watchWithSelectorSeesObjectsLeaveAndEnter() {
        std::string rv = currentRv();
        Json cm{{"apiVersion", "v1"},
                {"kind", "ConfigMap"},
                {"metadata", {{"name", "sel"}, {"labels", {{"tier", "a"}}}}}};
        QCOMPARE(admin()
                     .Post("/api/v1/namespaces/default/configmaps", cm.dump(), "application/json")
                     ->status,
                 201);
        auto patch = [&](const char *tier) {
            Json p{{"metadata", {{"labels", {{"tier", tier}}}}}};
            QCOMPARE(admin()
                         .Patch("/api/v1/namespaces/default/configmaps/sel", p.dump(),
                                "application/merge-patch+json")
                         ->status,
                     200);
        };
        patch("b");
        patch("a");
        Streamed s = stream(
            "/api/v1/namespaces/default/"
            "configmaps?watch=true&labelSelector=tier%3Da&timeoutSeconds=1&resourceVersion=" +
            rv);
        auto events = lines(s.body);
        QCOMPARE(events.size(), 3u);
        QCOMPARE(QString::fromStdString(events[0]["type"].get<std::string>()),
                 QStringLiteral("ADDED"));
        QCOMPARE(QString::fromStdString(events[1]["type"].get<std::string>()),
                 QStringLiteral("DELETED"));
        QCOMPARE(QString::fromStdString(events[2]["type"].get<std::string>()),
                 QStringLiteral("ADDED"));
    }

    void cleanupTestCase() { m_sandbox.reset(); }
};

QTEST_GUILESS_MAIN(TstFaults)
#include "tst_faults.moc"
