// Pieces of the sandbox's API server: request paths, Status errors, server-side printing, the
// two users' permissions and the generated certificates.
#include "sandbox/apierror.h"
#include "sandbox/auth.h"
#include "sandbox/certs.h"
#include "sandbox/clock.h"
#include "sandbox/discovery.h"
#include "sandbox/requestinfo.h"
#include "sandbox/resources.h"
#include "sandbox/tables.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <QTest>

using namespace kd::sandbox;

class TstApiParts final : public QObject {
    Q_OBJECT

private slots:
    void requestPaths_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected"); // verb|group|version|ns|resource|name|sub
        QTest::newRow("core list") << "GET"
                                   << "/api/v1/pods"
                                   << ""
                                   << "list||v1||pods||";
        QTest::newRow("ns get") << "GET"
                                << "/api/v1/namespaces/ml/pods/p1"
                                << ""
                                << "get||v1|ml|pods|p1|";
        QTest::newRow("namespace object") << "GET"
                                          << "/api/v1/namespaces/ml"
                                          << ""
                                          << "get||v1||namespaces|ml|";
        QTest::newRow("namespace status") << "PUT"
                                          << "/api/v1/namespaces/ml/status"
                                          << ""
                                          << "update||v1||namespaces|ml|status";
        QTest::newRow("scale") << "PATCH"
                               << "/apis/apps/v1/namespaces/ml/deployments/web/scale"
                               << ""
                               << "patch|apps|v1|ml|deployments|web|scale";
        QTest::newRow("watch param") << "GET"
                                     << "/apis/apps/v1/deployments"
                                     << "watch"
                                     << "watch|apps|v1||deployments||";
        QTest::newRow("watch path") << "GET"
                                    << "/api/v1/watch/namespaces/ml/pods"
                                    << ""
                                    << "watch||v1|ml|pods||";
        QTest::newRow("delete collection") << "DELETE"
                                           << "/api/v1/namespaces/ml/pods"
                                           << ""
                                           << "deletecollection||v1|ml|pods||";
        QTest::newRow("create") << "POST"
                                << "/apis/networking.k8s.io/v1/namespaces/ml/ingresses"
                                << ""
                                << "create|networking.k8s.io|v1|ml|ingresses||";
    }
    void requestPaths() {
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(QString, query);
        QFETCH(QString, expected);
        std::multimap<std::string, std::string> q;
        if (!query.isEmpty())
            q.emplace(query.toStdString(), "true");
        RequestInfo i = parseRequestPath(path.toStdString(), method.toStdString(), q);
        QVERIFY(i.isResourceRequest);
        QVERIFY(i.type != nullptr);
        QString got = QString::fromStdString(i.verb + "|" + i.group + "|" + i.version + "|" +
                                             i.namespaceName + "|" + i.resource + "|" + i.name +
                                             "|" + i.subresource);
        QCOMPARE(got, expected);
    }

    void unknownPaths() {
        RequestInfo i = parseRequestPath("/apis/apps/v1", "GET", {});
        QVERIFY(!i.isResourceRequest);
        i = parseRequestPath("/apis/apps/v1/namespaces/ml/deployments/web/scale/extra", "GET", {});
        QVERIFY(!i.isResourceRequest);
        i = parseRequestPath("/apis/example.com/v1/widgets", "GET", {});
        QVERIFY(i.isResourceRequest);
        QVERIFY(i.type == nullptr);
    }

    void statusMessages() {
        const ResourceType &d = resourceType("apps/v1", "Deployment");
        ApiError e = ApiError::invalid(
            d, "web",
            {{"FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0",
              "spec.replicas"}});
        QCOMPARE(QString::fromUtf8(e.what()),
                 QStringLiteral("Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: "
                                "-1: must be greater than or equal to 0"));
        Json s = e.toStatus();
        QCOMPARE(s["code"].get<int>(), 422);
        QCOMPARE(QString::fromStdString(s["details"]["causes"][0]["field"].get<std::string>()),
                 QStringLiteral("spec.replicas"));
        QCOMPARE(QString::fromStdString(s["details"]["group"].get<std::string>()),
                 QStringLiteral("apps"));
        ApiError two =
            ApiError::invalid(d, "web",
                              {{"FieldValueRequired", "Required value", "spec.selector"},
                               {"FieldValueRequired", "Required value", "spec.template"}});
        QCOMPARE(QString::fromUtf8(two.what()),
                 QStringLiteral("Deployment.apps \"web\" is invalid: [spec.selector: Required "
                                "value, spec.template: Required value]"));
        ApiError f = ApiError::forbidden("u", "patch", d, "scale", "web", "ns");
        QCOMPARE(QString::fromUtf8(f.what()),
                 QStringLiteral(
                     "deployments.apps \"web\" is forbidden: User \"u\" cannot patch resource "
                     "\"deployments/scale\" in API group \"apps\" in the namespace \"ns\""));
        ApiError nodes =
            ApiError::forbidden("viewer", "delete", resourceType("v1", "Node"), "", "n1", "");
        QCOMPARE(QString::fromUtf8(nodes.what()),
                 QStringLiteral("nodes \"n1\" is forbidden: User \"viewer\" cannot delete resource "
                                "\"nodes\" in API group \"\" at the cluster scope"));
        ApiError busy = ApiError::tooManyRequests(3);
        QCOMPARE(busy.toStatus()["details"]["retryAfterSeconds"].get<int>(), 3);
    }

    void permissions() {
        Authorizer auth({"admin-secret", "viewer-secret"});
        UserInfo admin = auth.authenticate("Bearer admin-secret", "", {});
        UserInfo viewer = auth.authenticate("Bearer viewer-secret", "", {});
        UserInfo wrong = auth.authenticate("Bearer nope", "", {});
        UserInfo cert = auth.authenticate("", "kubedeck-admin", {"system:masters"});
        UserInfo anonymous = auth.authenticate("", "", {});
        QVERIFY(admin.admin && cert.admin);
        QVERIFY(viewer.authenticated && !viewer.admin);
        QVERIFY(!wrong.authenticated && !anonymous.authenticated);
        QVERIFY(Authorizer::allowed(admin, "delete", "apps", "deployments", ""));
        QVERIFY(Authorizer::allowed(viewer, "list", "", "pods", ""));
        QVERIFY(!Authorizer::allowed(viewer, "patch", "apps", "deployments", "scale"));
        QVERIFY(!Authorizer::allowed(viewer, "get", "", "secrets", ""));
        QVERIFY(Authorizer::allowed(viewer, "create", "authorization.k8s.io",
                                    "selfsubjectaccessreviews", ""));
        QVERIFY(!Authorizer::allowed(anonymous, "get", "", "pods", ""));
    }

    void humanDurations_data() {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("negative") << -0.5 << "0s";
        QTest::newRow("invalid") << -5.0 << "<invalid>";
        QTest::newRow("seconds") << 119.0 << "119s";
        QTest::newRow("minutes and seconds") << 190.0 << "3m10s";
        QTest::newRow("whole minutes") << 600.0 << "10m";
        QTest::newRow("hours and minutes") << 3.5 * 3600 << "3h30m";
        QTest::newRow("hours") << 20.0 * 3600 << "20h";
        QTest::newRow("days and hours") << 75.0 * 3600 << "3d3h";
        QTest::newRow("days") << 30.0 * 86400 << "30d";
        QTest::newRow("years and days") << 800.0 * 86400 << "2y70d";
    }
    void humanDurations() {
        QFETCH(double, seconds);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(humanDuration(seconds)), text);
    }

    void podTableRow() {
        Json pod{{"metadata", {{"name", "p"}, {"creationTimestamp", "2026-01-01T00:00:00Z"}}},
                 {"spec", {{"nodeName", "n1"}, {"containers", {{{"name", "a"}}, {{"name", "b"}}}}}},
                 {"status",
                  {{"phase", "Running"},
                   {"podIP", "10.244.0.5"},
                   {"containerStatuses",
                    {{{"name", "a"},
                      {"ready", true},
                      {"restartCount", 1},
                      {"state", {{"running", Json::object()}}}},
                     {{"name", "b"},
                      {"ready", false},
                      {"restartCount", 4},
                      {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}}}}}}};
        Json row = tableRow(resourceType("v1", "Pod"), pod,
                            Clock::parseRfc3339("2026-01-01T00:05:00Z"), IncludeObject::Metadata);
        QCOMPARE(
            QString::fromStdString(row["cells"].dump()),
            QStringLiteral(
                R"(["p","1/2","CrashLoopBackOff",5,"5m","10.244.0.5","n1","<none>","<none>"])"));
        QCOMPARE(QString::fromStdString(row["object"]["kind"].get<std::string>()),
                 QStringLiteral("PartialObjectMetadata"));
        QVERIFY(acceptsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
        QVERIFY(!acceptsTable("application/json"));
    }

    void discoveryListsScaleSubresource() {
        auto apps = apiResourceList("apps", "v1");
        QVERIFY(apps.has_value());
        bool scale = false;
        for (const Json &r : (*apps)["resources"])
            if (r["name"] == "deployments/scale") {
                scale = true;
                QCOMPARE(QString::fromStdString(r["group"].get<std::string>()),
                         QStringLiteral("autoscaling"));
                QCOMPARE(QString::fromStdString(r["kind"].get<std::string>()),
                         QStringLiteral("Scale"));
            }
        QVERIFY(scale);
        QVERIFY(!apiResourceList("example.com", "v1").has_value());
    }

    void certificatesChainToTheCa() {
        TlsMaterial m = generateTlsMaterial();
        auto read = [](const std::string &pem) {
            BIO *b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
            X509 *c = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
            BIO_free(b);
            return c;
        };
        X509 *ca = read(m.ca.certPem), *server = read(m.server.certPem),
             *client = read(m.adminClient.certPem);
        QVERIFY(ca && server && client);
        X509_STORE *store = X509_STORE_new();
        X509_STORE_add_cert(store, ca);
        for (X509 *leaf : {server, client}) {
            X509_STORE_CTX *ctx = X509_STORE_CTX_new();
            X509_STORE_CTX_init(ctx, store, leaf, nullptr);
            QCOMPARE(X509_verify_cert(ctx), 1);
            X509_STORE_CTX_free(ctx);
        }
        QCOMPARE(X509_check_host(server, "localhost", 0, 0, nullptr), 1);
        QCOMPARE(X509_check_ip_asc(server, "127.0.0.1", 0), 1);
        QVERIFY(m.adminClient.keyPem.find("PRIVATE KEY") != std::string::npos);
        X509_free(ca);
        X509_free(server);
        X509_free(client);
        X509_STORE_free(store);
    }
};

QTEST_APPLESS_MAIN(TstApiParts)
#include "tst_apiparts.moc"
