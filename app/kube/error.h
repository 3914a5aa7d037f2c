#pragma once
// How every kd_kube operation fails: a kind the UI can act on, a message in plain words that never
// holds a secret, and the server's Status object when there was one.

#include <nlohmann/json.hpp>

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace kd::kube {

enum class ErrorKind {
    Config,     // kubeconfig problem (file, entry, field)
    Credential, // credentials could not be obtained (exec plugin failed, token file unreadable)
    ExecNotApproved, // the kubeconfig names an exec plugin the user has not approved
    Unreachable,     // DNS, connection refused, proxy, network down
    Timeout,         // connect or read-idle time-out
    Tls,             // certificate verification, handshake, SNI/name mismatch, bad client cert
    Unauthorized,    // 401
    Forbidden,       // 403
    NotFound,        // 404
    Conflict,        // 409 (Conflict or AlreadyExists)
    Gone,            // 410 (Expired / Gone)
    Invalid,         // 422
    TooManyRequests, // 429
    Server,          // 5xx and other HTTP failures
    Protocol,        // the answer was not what the API promises (bad JSON, wrong kind)
    Cancelled,       // the caller cancelled or the session closed
};

struct Error {
    ErrorKind kind = ErrorKind::Protocol;
    QString message;       // plain words, redacted; names the file/entry/object when known
    int httpStatus = 0;    // 0 when no HTTP answer arrived
    QString reason;        // Status.reason when present (e.g. "Conflict", "Expired", "Gone")
    nlohmann::json status; // the Status object, or null
    std::optional<int> retryAfterSeconds; // from Retry-After or details.retryAfterSeconds
};

// An Error of `kind` with a message (no HTTP answer involved).
inline Error makeError(ErrorKind kind, QString message) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    return e;
}

// `name` in double quotes, the way kubeconfig problems name entries: user "alice".
inline QString quoted(const QString &name) {
    return QLatin1Char('"') + name + QLatin1Char('"');
}

// A value or an Error. Minimal on purpose: std::expected is C++23.
template<typename T> class Result {
public:
    Result(T value)
        : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error)
        : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<0>(m_v); }
    const T &value() const { return std::get<0>(m_v); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

} // namespace kd::kube
