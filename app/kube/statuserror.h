#pragma once
// Turns what came back from the server (or from libcurl, when nothing came back) into a
// kd::kube::Error: Status objects keep their message, reason, causes and retry hint; other
// bodies (a proxy's HTML page, max-in-flight's text) get a plain message built from the code.

#include "kube/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace kd::kube {

// The ErrorKind for an HTTP status code (>= 400).
ErrorKind errorKindForHttpStatus(int httpStatus);

// A message in plain words for an HTTP error without a usable Status body.
QString genericHttpMessage(int httpStatus);

// Retry-After as seconds or as an HTTP date, relative to `now`. Values below one second
// (negative, zero, a date in the past) become 1; values above kMaxRetryAfterSeconds are capped.
// nullopt when the header is empty or unreadable.
inline constexpr int kMaxRetryAfterSeconds = 30;
std::optional<int> parseRetryAfter(const QByteArray &value, const QDateTime &now);

// A Status object (from an error response or a watch ERROR event). `httpStatus` is used when
// the Status carries no code.
Error errorFromStatus(const nlohmann::json &status, int httpStatus = 0);

// An HTTP error answer.
Error errorFromHttp(int httpStatus, const QByteArray &contentType, const QByteArray &body,
                    const QByteArray &retryAfterHeader,
                    const QDateTime &now = QDateTime::currentDateTimeUtc());

// A transfer that got no (complete) HTTP answer. `serverName` is the name the server's
// certificate must carry (tls-server-name or the URL host).
Error errorFromCurl(int curlCode, const QString &curlMessage, long sslVerifyResult,
                    const QString &serverName);

} // namespace kd::kube
