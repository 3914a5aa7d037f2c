#include "kube/statuserror.h"

#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>

namespace kd::kube {

namespace {

QString jsonString(const nlohmann::json &object, const char *key) {
    if (!object.is_object())
        return {};
    auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get_ref<const std::string &>());
}

bool isStatus(const nlohmann::json &j) {
    return j.is_object() && jsonString(j, "kind") == QLatin1String("Status");
}

int clampRetry(qint64 seconds) {
    // A server that asks for a day (or for a negative wait) is not taken literally: the user
    // is waiting at the screen, so retry within half a minute and at least after one second.
    return int(std::clamp<qint64>(seconds, 1, kMaxRetryAfterSeconds));
}

} // namespace

ErrorKind errorKindForHttpStatus(int httpStatus) {
    switch (httpStatus) {
    case 401:
        return ErrorKind::Unauthorized;
    case 403:
        return ErrorKind::Forbidden;
    case 404:
        return ErrorKind::NotFound;
    case 409:
        return ErrorKind::Conflict;
    case 410:
        return ErrorKind::Gone;
    case 422:
        return ErrorKind::Invalid;
    case 429:
        return ErrorKind::TooManyRequests;
    default:
        return ErrorKind::Server;
    }
}

QString genericHttpMessage(int httpStatus) {
    QString text;
    switch (httpStatus) {
    case 400:
        text = QStringLiteral("the server rejected the request as malformed");
        break;
    case 401:
        text = QStringLiteral("the server has asked for the client to provide credentials");
        break;
    case 403:
        text = QStringLiteral("the server does not allow access to the requested resource");
        break;
    case 404:
        text = QStringLiteral("the server could not find the requested resource");
        break;
    case 405:
        text = QStringLiteral("the server does not allow this method on the requested resource");
        break;
    case 409:
        text = QStringLiteral("the server reported a conflict");
        break;
    case 410:
        text = QStringLiteral("the requested resource version is too old");
        break;
    case 413:
        text = QStringLiteral("the server rejected the request because it is too large");
        break;
    case 415:
        text = QStringLiteral("the server does not support the media type of the request");
        break;
    case 422:
        text = QStringLiteral("the server rejected the object as invalid");
        break;
    case 429:
        text = QStringLiteral("the server has received too many requests and has asked us to "
                              "try again later");
        break;
    case 500:
        text = QStringLiteral("an error on the server has prevented the request from succeeding");
        break;
    case 502:
        text = QStringLiteral("a proxy or gateway in front of the server got no valid answer");
        break;
    case 503:
        text = QStringLiteral("the server is currently unable to handle the request");
        break;
    case 504:
        text = QStringLiteral("the server was unable to return a response in the time allotted, "
                              "but may still be processing the request");
        break;
    default:
        text = QStringLiteral("the server answered with an unexpected error");
        break;
    }
    return text + QStringLiteral(" (HTTP %1)").arg(httpStatus);
}

std::optional<int> parseRetryAfter(const QByteArray &value, const QDateTime &now) {
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return clampRetry(seconds);
    // An HTTP date (RFC 9110 IMF-fixdate): "Wed, 21 Oct 2015 07:28:00 GMT".
    QString text = QString::fromLatin1(v);
    if (text.endsWith(QLatin1String(" GMT")) || text.endsWith(QLatin1String(" UTC")))
        text = text.left(text.size() - 4) + QStringLiteral(" +0000");
    const QDateTime when = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return clampRetry(now.secsTo(when));
}

Error errorFromStatus(const nlohmann::json &status, int httpStatus) {
    Error e;
    int code = httpStatus;
    if (status.is_object()) {
        auto c = status.find("code");
        if (c != status.end() && c->is_number_integer() && c->get<int>() > 0)
            code = c->get<int>();
    }
    e.httpStatus = code;
    e.reason = jsonString(status, "reason");
    e.status = status;
    e.kind = errorKindForHttpStatus(code);
    if (e.reason == QLatin1String("Expired") || e.reason == QLatin1String("Gone"))
        e.kind = ErrorKind::Gone;
    e.message = jsonString(status, "message");
    if (e.message.isEmpty())
        e.message = genericHttpMessage(code);
    if (status.is_object()) {
        auto details = status.find("details");
        if (details != status.end() && details->is_object()) {
            auto ra = details->find("retryAfterSeconds");
            if (ra != details->end() && ra->is_number_integer())
                e.retryAfterSeconds = clampRetry(ra->get<qint64>());
        }
    }
    return e;
}

Error errorFromHttp(int httpStatus, const QByteArray &contentType, const QByteArray &body,
                    const QByteArray &retryAfterHeader, const QDateTime &now) {
    Error e;
    bool haveStatus = false;
    if (contentType.contains("json")) {
        nlohmann::json j = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr,
                                                 /*allow_exceptions=*/false);
        if (isStatus(j)) {
            e = errorFromStatus(j, httpStatus);
            // The HTTP code is what happened; a Status may carry a different one.
            e.httpStatus = httpStatus;
            haveStatus = true;
        }
    }
    if (!haveStatus) {
        e.kind = errorKindForHttpStatus(httpStatus);
        e.httpStatus = httpStatus;
        e.message = genericHttpMessage(httpStatus);
    }
    if (auto header = parseRetryAfter(retryAfterHeader, now))
        e.retryAfterSeconds = header;
    return e;
}

Error errorFromCurl(int curlCode, const QString &curlMessage, long sslVerifyResult,
                    const QString &serverName) {
    Error e;
    auto make = [&](ErrorKind kind, const QString &message) {
        e.kind = kind;
        e.message = message;
        return e;
    };
    const QString detail = curlMessage.isEmpty()
                               ? QString::fromUtf8(curl_easy_strerror(CURLcode(curlCode)))
                               : curlMessage;
    // A TLS alert from the server during or right after the handshake (TLS 1.3 reports a
    // refused client certificate on the first read).
    const bool clientCertAlert =
        curlMessage.contains(QLatin1String("alert"), Qt::CaseInsensitive) &&
        (curlMessage.contains(QLatin1String("bad certificate"), Qt::CaseInsensitive) ||
         curlMessage.contains(QLatin1String("certificate required"), Qt::CaseInsensitive) ||
         curlMessage.contains(QLatin1String("unknown ca"), Qt::CaseInsensitive) ||
         curlMessage.contains(QLatin1String("certificate expired"), Qt::CaseInsensitive) ||
         curlMessage.contains(QLatin1String("certificate unknown"), Qt::CaseInsensitive));
    switch (curlCode) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return make(ErrorKind::Unreachable,
                    QStringLiteral("cannot resolve the server's host name: %1").arg(detail));
    case CURLE_COULDNT_RESOLVE_PROXY:
        return make(ErrorKind::Unreachable,
                    QStringLiteral("cannot resolve the proxy's host name: %1").arg(detail));
    case CURLE_COULDNT_CONNECT:
        return make(ErrorKind::Unreachable,
                    QStringLiteral("cannot connect to the server: %1").arg(detail));
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        if (clientCertAlert)
            return make(ErrorKind::Tls, QStringLiteral("the client certificate was refused"));
        return make(ErrorKind::Unreachable,
                    QStringLiteral("the connection to the server was lost: %1").arg(detail));
    case CURLE_OPERATION_TIMEDOUT:
        return make(ErrorKind::Timeout,
                    QStringLiteral("the server did not answer in time: %1").arg(detail));
    case CURLE_PEER_FAILED_VERIFICATION:
        // curl checks the name itself after OpenSSL accepted the chain, and says so in words
        // ("no alternative certificate subject name matches target host name ...").
        if (curlMessage.contains(QLatin1String("subject name"), Qt::CaseInsensitive) ||
            curlMessage.contains(QLatin1String("target host name"), Qt::CaseInsensitive))
            return make(ErrorKind::Tls,
                        QStringLiteral("the server's certificate does not match the name %1")
                            .arg(serverName));
        switch (sslVerifyResult) {
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
            return make(ErrorKind::Tls,
                        QStringLiteral("the server's certificate does not match the name %1")
                            .arg(serverName));
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return make(ErrorKind::Tls, QStringLiteral("the server's certificate has expired"));
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return make(ErrorKind::Tls,
                        QStringLiteral("the server's certificate is not valid yet"));
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
            return make(ErrorKind::Tls,
                        QStringLiteral("the server's certificate is not signed by the cluster's "
                                       "certificate authority"));
        default:
            return make(
                ErrorKind::Tls,
                QStringLiteral("the server's certificate could not be verified: %1")
                    .arg(QString::fromUtf8(X509_verify_cert_error_string(sslVerifyResult))));
        }
    case CURLE_SSL_CONNECT_ERROR:
        if (clientCertAlert)
            return make(ErrorKind::Tls, QStringLiteral("the client certificate was refused"));
        return make(ErrorKind::Tls,
                    QStringLiteral("the TLS handshake with the server failed: %1").arg(detail));
    case CURLE_SSL_CERTPROBLEM:
        return make(ErrorKind::Tls,
                    QStringLiteral("the client certificate or key cannot be used: %1").arg(detail));
    case CURLE_SSL_CACERT_BADFILE:
        return make(ErrorKind::Tls, QStringLiteral("the cluster's certificate authority data "
                                                   "cannot be read as PEM certificates"));
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
        return make(ErrorKind::Tls, QStringLiteral("TLS failed: %1").arg(detail));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return make(ErrorKind::Config,
                    QStringLiteral("the server address cannot be used: %1").arg(detail));
    default:
        return make(ErrorKind::Unreachable,
                    QStringLiteral("the request to the server failed: %1").arg(detail));
    }
}

} // namespace kd::kube
