#pragma once
// Keeps secrets out of messages and logs (behaviour reference §6: CVE-2019-11250, CVE-2020-8565).
// Credentials register every token, password and key they hand out; redact() replaces those and
// well-known secret patterns before a text reaches an Error, a log line or the UI.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMutex>
#include <QString>

namespace kd::kube {

class Redactor final {
public:
    static Redactor &instance();

    // Remembers a secret so that every later redact() hides it. Very short values are ignored:
    // hiding every "ab" in every message would make messages unreadable and protect nothing.
    void addSecret(QByteArrayView secret);
    QString redact(const QString &text) const;

    static constexpr qsizetype minimumSecretLength = 4;
    static constexpr qsizetype maximumSecrets = 4096;

private:
    Redactor() = default;
    mutable QMutex m_mutex;
    QList<QString> m_secrets; // oldest first; bounded by maximumSecrets
};

// Registered secrets plus patterns (Authorization headers, "token: ...", PEM private keys).
QString redact(const QString &text);

// Routes qDebug/qInfo/qWarning/qCritical/qFatal through redact() before the previous handler.
void installRedactingMessageHandler();

} // namespace kd::kube
