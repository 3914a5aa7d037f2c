#pragma once
// Small helpers shared by the kubeconfig and exec plugin tests.

#include "kube/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

namespace kd::testing {

// QVERIFY2 evaluates its message even when the check passes.
template<typename T> QString errorText(const kd::kube::Result<T> &r) {
    return r.ok() ? QString() : r.error().message;
}

inline void writeFile(const QString &path, const QByteArray &content) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(content), content.size());
}

// Every secret-looking test value contains "s3cr3t"; none may reach a message.
inline void verifyNoSecret(const QString &message) {
    QVERIFY2(!message.contains(QLatin1String("s3cr3t")), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("SSH-SECRET-BODY")), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("PRIVATE KEY-----\n")), qPrintable(message));
}

} // namespace kd::testing
