#include "kube/redact.h"

#include <QMutexLocker>
#include <QRegularExpression>

#include <algorithm>
#include <atomic>

namespace kd::kube {

Redactor &Redactor::instance() {
    static Redactor redactor;
    return redactor;
}

void Redactor::addSecret(QByteArrayView secret) {
    const QString text = QString::fromUtf8(secret).trimmed();
    if (text.size() < minimumSecretLength)
        return;
    QMutexLocker lock(&m_mutex);
    if (m_secrets.contains(text))
        return;
    if (m_secrets.size() >= maximumSecrets)
        m_secrets.removeFirst();
    m_secrets.append(text);
}

QString Redactor::redact(const QString &text) const {
    QList<QString> secrets;
    {
        QMutexLocker lock(&m_mutex);
        secrets = m_secrets;
    }
    // Longest first, so a secret that contains another is hidden whole.
    std::sort(secrets.begin(), secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    QString out = text;
    for (const QString &s : secrets)
        out.replace(s, QStringLiteral("[redacted]"));

    static const QRegularExpression pemKey(
        QStringLiteral("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:.*?-----END [A-Z0-9 ]*PRIVATE "
                       "KEY-----|.*$)"),
        QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression authScheme(
        QStringLiteral("\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]+"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression keyValue(
        QStringLiteral(
            "(\"?\\b(?:token|id-token|refresh-token|access-token|password|secret|"
            "client-key-data|clientKeyData)\"?\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,}]+)"),
        QRegularExpression::CaseInsensitiveOption);
    out.replace(pemKey, QStringLiteral("[redacted]"));
    out.replace(authScheme, QStringLiteral("\\1 [redacted]"));
    out.replace(keyValue, QStringLiteral("\\1[redacted]"));
    return out;
}

QString redact(const QString &text) {
    return Redactor::instance().redact(text);
}

namespace {

std::atomic<QtMessageHandler> previousHandler{nullptr};
std::atomic_bool handlerInstalled{false};

void redactingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message) {
    const QString clean = redact(message);
    if (QtMessageHandler previous = previousHandler.load())
        previous(type, context, clean);
}

} // namespace

void installRedactingMessageHandler() {
    if (handlerInstalled.exchange(true))
        return;
    // qInstallMessageHandler returns the default handler when none was set before, so the
    // chain always ends in Qt's own output.
    previousHandler.store(qInstallMessageHandler(redactingHandler));
}

} // namespace kd::kube
