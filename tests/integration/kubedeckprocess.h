#pragma once
// Running the built `kubedeck` executable as a user would, for the tests of its headless
// commands: a private HOME (no approvals or settings of the developer's leak in), no
// $KUBECONFIG, and kubeconfigs written next to a sandbox's.

#include "sandboxfixture.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace kd::testing {

struct KubedeckRun {
    int exitCode = -1; // -1: did not start, crashed or timed out (err says which)
    QByteArray out;
    QString err;
};

// Runs `kubedeck <args>` with HOME and XDG_CONFIG_HOME inside `home`.
inline KubedeckRun runKubedeck(const QStringList &args, const QString &home,
                               int timeoutMs = 60'000) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir(home).filePath(QStringLiteral(".config")));
    env.remove(QStringLiteral("KUBECONFIG"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(KD_BINARY_DIR "/app/kubedeck"), args);
    if (!p.waitForStarted(10'000))
        return {-1, {}, QStringLiteral("kubedeck did not start")};
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-1, {}, QStringLiteral("kubedeck timed out")};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            QString::fromUtf8(p.readAllStandardError())};
}

// Writes `text` to `name` in the sandbox's folder; returns the path ("" when it cannot).
inline QString writeSandboxFile(const SandboxFixture &sandbox, const QString &name,
                                const QByteArray &text) {
    const QString path = QDir(sandbox.tempDir()).filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text);
    return path;
}

// The address of a kubeconfig that points at nothing: port 1 of the loopback interface.
inline constexpr const char *kUnreachableServer = "https://127.0.0.1:1";

// The sandbox's kubeconfig with its server moved to kUnreachableServer; "" when the kubeconfig
// does not name the sandbox's address.
inline QString writeUnreachableKubeconfig(SandboxFixture &sandbox) {
    QFile f(sandbox.kubeconfigPath());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = f.readAll();
    const QByteArray url = QByteArray::fromStdString(sandbox.server().url());
    if (!text.contains(url))
        return {};
    text.replace(url, kUnreachableServer);
    return writeSandboxFile(sandbox, QStringLiteral("unreachable"), text);
}

} // namespace kd::testing
