// Status bodies, other bodies, Retry-After and curl failures mapped to kd::kube::Error.
#include "kube/statuserror.h"

#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include <QTest>

using namespace kd::kube;
using Json = nlohmann::json;

Q_DECLARE_METATYPE(kd::kube::ErrorKind)

class TstStatusError final : public QObject {
    Q_OBJECT

    const QDateTime m_now = QDateTime(QDate(2026, 3, 1), QTime(12, 0, 0), Qt::UTC);

private slots:
    void httpErrors_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("retrySeconds"); // -1: none

        auto status = [](int code, const char *reason, const char *message) {
            return QByteArray::fromStdString(Json{
                {"kind", "Status"},
                {"apiVersion", "v1"},
                {"metadata", Json::object()},
                {"status", "Failure"},
                {"message", message},
                {"reason", reason},
                {"code", code}}.dump());
        };
        const QByteArray json = "application/json";
        QTest::newRow("403 Forbidden")
            << 403 << json
            << status(403, "Forbidden",
                      "deployments.apps \"web\" is forbidden: User \"u\" cannot patch resource "
                      "\"deployments/scale\" in API group \"apps\" in the namespace \"ns\"")
            << QByteArray() << ErrorKind::Forbidden
            << QStringLiteral("deployments.apps \"web\" is forbidden: User \"u\" cannot patch "
                              "resource \"deployments/scale\" in API group \"apps\" in the "
                              "namespace \"ns\"")
            << QStringLiteral("Forbidden") << -1;
        QTest::newRow("409 Conflict")
            << 409 << json
            << status(409, "Conflict",
                      "Operation cannot be fulfilled on deployments.apps \"web\": the object has "
                      "been modified; please apply your changes to the latest version and try "
                      "again")
            << QByteArray() << ErrorKind::Conflict
            << QStringLiteral("Operation cannot be fulfilled on deployments.apps \"web\": the "
                              "object has been modified; please apply your changes to the latest "
                              "version and try again")
            << QStringLiteral("Conflict") << -1;
        QTest::newRow("409 AlreadyExists")
            << 409 << json << status(409, "AlreadyExists", "configmaps \"a\" already exists")
            << QByteArray() << ErrorKind::Conflict
            << QStringLiteral("configmaps \"a\" already exists") << QStringLiteral("AlreadyExists")
            << -1;
        QTest::newRow("410 Expired")
            << 410 << json << status(410, "Expired", "too old resource version: 657887 (680402)")
            << QByteArray() << ErrorKind::Gone
            << QStringLiteral("too old resource version: 657887 (680402)")
            << QStringLiteral("Expired") << -1;
        QTest::newRow("422 Invalid")
            << 422 << json
            << status(422, "Invalid",
                      "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must "
                      "be greater than or equal to 0")
            << QByteArray() << ErrorKind::Invalid
            << QStringLiteral("Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: "
                              "-1: must be greater than or equal to 0")
            << QStringLiteral("Invalid") << -1;
        QTest::newRow("Status without message")
            << 404 << json << status(404, "NotFound", "") << QByteArray() << ErrorKind::NotFound
            << QStringLiteral("the server could not find the requested resource (HTTP 404)")
            << QStringLiteral("NotFound") << -1;
        QTest::newRow("429 text/plain from max-in-flight")
            << 429 << QByteArray("text/plain; charset=utf-8")
            << QByteArray("Too many requests, please try again later.\n") << QByteArray("1")
            << ErrorKind::TooManyRequests
            << QStringLiteral("the server has received too many requests and has asked us to "
                              "try again later (HTTP 429)")
            << QString() << 1;
        QTest::newRow("502 HTML from a proxy")
            << 502 << QByteArray("text/html")
            << QByteArray("<html><head><title>502 Bad Gateway</title></head></html>")
            << QByteArray() << ErrorKind::Server
            << QStringLiteral("a proxy or gateway in front of the server got no valid answer "
                              "(HTTP 502)")
            << QString() << -1;
        QTest::newRow("JSON that is not a Status")
            << 500 << json << QByteArray("{\"error\":\"boom\"}") << QByteArray()
            << ErrorKind::Server
            << QStringLiteral("an error on the server has prevented the request from succeeding "
                              "(HTTP 500)")
            << QString() << -1;
        QTest::newRow("truncated JSON body")
            << 503 << json << QByteArray("{\"kind\":\"Status\",\"mess") << QByteArray("5")
            << ErrorKind::Server
            << QStringLiteral("the server is currently unable to handle the request (HTTP 503)")
            << QString() << 5;
        QTest::newRow("Retry-After as HTTP date")
            << 503 << QByteArray("text/plain") << QByteArray("busy")
            << QByteArray("Sun, 01 Mar 2026 12:00:12 GMT") << ErrorKind::Server
            << QStringLiteral("the server is currently unable to handle the request (HTTP 503)")
            << QString() << 12;
        QTest::newRow("Retry-After date in the past")
            << 429 << QByteArray("text/plain") << QByteArray()
            << QByteArray("Sun, 01 Mar 2026 11:00:00 GMT") << ErrorKind::TooManyRequests
            << QStringLiteral("the server has received too many requests and has asked us to "
                              "try again later (HTTP 429)")
            << QString() << 1;
        QTest::newRow("Retry-After negative")
            << 429 << QByteArray("text/plain") << QByteArray() << QByteArray("-5")
            << ErrorKind::TooManyRequests
            << QStringLiteral("the server has received too many requests and has asked us to "
                              "try again later (HTTP 429)")
            << QString() << 1;
        QTest::newRow("Retry-After 86400 capped")
            << 429 << QByteArray("text/plain") << QByteArray() << QByteArray("86400")
            << ErrorKind::TooManyRequests
            << QStringLiteral("the server has received too many requests and has asked us to "
                              "try again later (HTTP 429)")
            << QString() << kMaxRetryAfterSeconds;
        QTest::newRow("Retry-After garbage")
            << 429 << QByteArray("text/plain") << QByteArray() << QByteArray("soon")
            << ErrorKind::TooManyRequests
            << QStringLiteral("the server has received too many requests and has asked us to "
                              "try again later (HTTP 429)")
            << QString() << -1;
        QTest::newRow("unknown code")
            << 418 << QByteArray("text/plain") << QByteArray("teapot") << QByteArray()
            << ErrorKind::Server
            << QStringLiteral("the server answered with an unexpected error (HTTP 418)")
            << QString() << -1;
    }
    void httpErrors() {
        QFETCH(int, code);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, retryAfter);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, message);
        QFETCH(QString, reason);
        QFETCH(int, retrySeconds);
        const Error e = errorFromHttp(code, contentType, body, retryAfter, m_now);
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.message, message);
        QCOMPARE(e.reason, reason);
        QCOMPARE(e.httpStatus, code);
        QCOMPARE(e.retryAfterSeconds.value_or(-1), retrySeconds);
        QCOMPARE(e.status.is_object(), !reason.isEmpty());
    }

    void statusCausesAreKept() {
        const Json status = {
            {"kind", "Status"},
            {"status", "Failure"},
            {"reason", "Conflict"},
            {"code", 409},
            {"message", "Apply failed with 1 conflict: conflict with \"other\": .data.key"},
            {"details",
             {{"causes", Json::array({{{"reason", "FieldManagerConflict"},
                                       {"message", "conflict with \"other\""},
                                       {"field", ".data.key"}}})},
              {"retryAfterSeconds", 86400}}}};
        const Error e = errorFromHttp(409, "application/json",
                                      QByteArray::fromStdString(status.dump()), {}, m_now);
        QCOMPARE(e.kind, ErrorKind::Conflict);
        QCOMPARE(e.status["details"]["causes"][0]["reason"].get<std::string>(),
                 std::string("FieldManagerConflict"));
        QCOMPARE(e.retryAfterSeconds.value_or(-1), kMaxRetryAfterSeconds);
    }

    void watchErrorEventStatus_data() {
        QTest::addColumn<QString>("reason");
        QTest::addColumn<ErrorKind>("kind");
        QTest::newRow("Expired") << QStringLiteral("Expired") << ErrorKind::Gone;
        QTest::newRow("Gone (old servers)") << QStringLiteral("Gone") << ErrorKind::Gone;
        QTest::newRow("InternalError") << QStringLiteral("InternalError") << ErrorKind::Server;
    }
    void watchErrorEventStatus() {
        QFETCH(QString, reason);
        QFETCH(ErrorKind, kind);
        const int code = reason == QLatin1String("InternalError") ? 500 : 410;
        const Json status = {{"kind", "Status"},
                             {"status", "Failure"},
                             {"reason", reason.toStdString()},
                             {"code", code},
                             {"message", "too old resource version: 657887 (680402)"}};
        const Error e = errorFromStatus(status);
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.httpStatus, code);
        QCOMPARE(e.message, QStringLiteral("too old resource version: 657887 (680402)"));
    }

    void curlErrors_data() {
        QTest::addColumn<int>("curlCode");
        QTest::addColumn<QString>("curlMessage");
        QTest::addColumn<long>("verifyResult");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("connection refused")
            << int(CURLE_COULDNT_CONNECT)
            << QStringLiteral("Failed to connect to 127.0.0.1 port 1: Connection refused") << 0L
            << ErrorKind::Unreachable
            << QStringLiteral("cannot connect to the server: Failed to connect to 127.0.0.1 port "
                              "1: Connection refused");
        QTest::newRow("unknown host")
            << int(CURLE_COULDNT_RESOLVE_HOST) << QStringLiteral("Could not resolve host: nope")
            << 0L << ErrorKind::Unreachable
            << QStringLiteral(
                   "cannot resolve the server's host name: Could not resolve host: nope");
        QTest::newRow("time-out")
            << int(CURLE_OPERATION_TIMEDOUT)
            << QStringLiteral("Connection timed out after 10001 ms") << 0L << ErrorKind::Timeout
            << QStringLiteral("the server did not answer in time: Connection timed out after "
                              "10001 ms");
        QTest::newRow("unknown CA")
            << int(CURLE_PEER_FAILED_VERIFICATION)
            << QStringLiteral("SSL certificate problem: unable to get local issuer certificate")
            << long(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY) << ErrorKind::Tls
            << QStringLiteral("the server's certificate is not signed by the cluster's "
                              "certificate authority");
        QTest::newRow("self-signed")
            << int(CURLE_PEER_FAILED_VERIFICATION)
            << QStringLiteral("SSL certificate problem: self-signed certificate")
            << long(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) << ErrorKind::Tls
            << QStringLiteral("the server's certificate is not signed by the cluster's "
                              "certificate authority");
        QTest::newRow("expired") << int(CURLE_PEER_FAILED_VERIFICATION)
                                 << QStringLiteral(
                                        "SSL certificate problem: certificate has expired")
                                 << long(X509_V_ERR_CERT_HAS_EXPIRED) << ErrorKind::Tls
                                 << QStringLiteral("the server's certificate has expired");
        QTest::newRow("name mismatch")
            << int(CURLE_PEER_FAILED_VERIFICATION)
            << QStringLiteral("SSL: no alternative certificate subject name matches target host "
                              "name 'api.example'")
            << 1L << ErrorKind::Tls
            << QStringLiteral("the server's certificate does not match the name api.example");
        QTest::newRow("client certificate refused (TLS 1.3)")
            << int(CURLE_RECV_ERROR)
            << QStringLiteral("OpenSSL SSL_read: error:0A000418:SSL routines::tlsv1 alert "
                              "unknown ca, errno 0")
            << 0L << ErrorKind::Tls << QStringLiteral("the client certificate was refused");
        QTest::newRow("client certificate refused (handshake)")
            << int(CURLE_SSL_CONNECT_ERROR)
            << QStringLiteral("error:0A000412:SSL routines::sslv3 alert bad certificate") << 0L
            << ErrorKind::Tls << QStringLiteral("the client certificate was refused");
        QTest::newRow("bad client key")
            << int(CURLE_SSL_CERTPROBLEM) << QStringLiteral("unable to set private key") << 0L
            << ErrorKind::Tls
            << QStringLiteral("the client certificate or key cannot be used: unable to set "
                              "private key");
        QTest::newRow("connection reset")
            << int(CURLE_RECV_ERROR) << QStringLiteral("Connection reset by peer") << 0L
            << ErrorKind::Unreachable
            << QStringLiteral("the connection to the server was lost: Connection reset by peer");
    }
    void curlErrors() {
        QFETCH(int, curlCode);
        QFETCH(QString, curlMessage);
        QFETCH(long, verifyResult);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, message);
        const Error e =
            errorFromCurl(curlCode, curlMessage, verifyResult, QStringLiteral("api.example"));
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.message, message);
        QCOMPARE(e.httpStatus, 0);
    }
};

QTEST_GUILESS_MAIN(TstStatusError)
#include "tst_statuserror.moc"
