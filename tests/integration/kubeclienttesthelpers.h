#pragma once
// Shared by the kd_kube client integration tests: RestConfigs for a sandbox, a credential
// provider under the test's control, and waiting for futures without blocking the event loop.

#include "kube/apiclient.h"
#include "kube/credentials.h"
#include "sandboxfixture.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFuture>
#include <QTest>

#include <atomic>
#include <functional>
#include <mutex>

namespace kd::testing {

inline kube::RestConfig adminCertConfig(sandbox::ApiServer &server) {
    kube::RestConfig c;
    c.server = QUrl(QString::fromStdString(server.url()));
    const auto &tls = *server.tlsMaterial();
    c.caPem = QByteArray::fromStdString(tls.ca.certPem);
    c.clientCertPem = QByteArray::fromStdString(tls.adminClient.certPem);
    c.clientKeyPem = QByteArray::fromStdString(tls.adminClient.keyPem);
    return c;
}

inline kube::RestConfig noCredentialConfig(sandbox::ApiServer &server) {
    kube::RestConfig c = adminCertConfig(server);
    c.clientCertPem.clear();
    c.clientKeyPem.clear();
    return c;
}

// Hands out tokens from `tokens` (the last one repeats); unauthorized() moves on to the next.
class ScriptedCredentials final : public kube::CredentialProvider {
public:
    explicit ScriptedCredentials(QList<QByteArray> tokens, bool canRefresh = true)
        : m_tokens(std::move(tokens))
        , m_canRefresh(canRefresh) {}

    kube::Result<kube::Credential> current() override {
        std::lock_guard lock(m_mutex);
        ++m_currentCalls;
        if (m_tokens.isEmpty())
            return kube::Error{
                kube::ErrorKind::Credential, QStringLiteral("no token"), 0, {}, {}, {}};
        kube::Credential c;
        c.bearerToken = m_tokens.value(qMin(m_index, int(m_tokens.size()) - 1));
        c.generation = quint64(m_index + 1);
        return c;
    }
    void unauthorized(quint64 generation) override {
        std::lock_guard lock(m_mutex);
        ++m_unauthorizedCalls;
        if (generation == quint64(m_index + 1))
            ++m_index;
    }
    bool canRefresh() const override { return m_canRefresh; }

    int currentCalls() const {
        std::lock_guard lock(m_mutex);
        return m_currentCalls;
    }
    int unauthorizedCalls() const {
        std::lock_guard lock(m_mutex);
        return m_unauthorizedCalls;
    }

private:
    mutable std::mutex m_mutex;
    QList<QByteArray> m_tokens;
    bool m_canRefresh;
    int m_index = 0;
    int m_currentCalls = 0;
    int m_unauthorizedCalls = 0;
};

// Waits for the future while the event loop runs; fails the test (and returns an Error) when
// it takes longer than `timeoutMs`.
template<typename T>
kube::Result<T> await(QFuture<kube::Result<T>> future, int timeoutMs = 20'000) {
    QDeadlineTimer deadline(timeoutMs);
    while (!future.isFinished() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!future.isFinished())
        return kube::Error{
            kube::ErrorKind::Timeout, QStringLiteral("test timed out"), 0, {}, {}, {}};
    if (future.resultCount() == 0)
        return kube::Error{
            kube::ErrorKind::Cancelled, QStringLiteral("future had no result"), 0, {}, {}, {}};
    return future.result();
}

inline QString errorText(const kube::Error &e) {
    return QStringLiteral("%1 (kind %2, HTTP %3)")
        .arg(e.message)
        .arg(int(e.kind))
        .arg(e.httpStatus);
}

} // namespace kd::testing

// QVERIFY2 for a Result.
#define KD_VERIFY_OK(result)                                                                       \
    QVERIFY2((result).ok(),                                                                        \
             qPrintable((result).ok() ? QString() : kd::testing::errorText((result).error())))
