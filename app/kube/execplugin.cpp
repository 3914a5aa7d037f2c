#include "kube/execplugin.h"

#include "kube/kubeconfig.h"
#include "kube/redact.h"

#include <nlohmann/json.hpp>

#include <QEventLoop>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace kd::kube {

namespace {

constexpr qsizetype kStderrKeepBytes = 16 * 1024;
constexpr int kStderrLines = 5;

QString stderrTail(const QByteArray &err) {
    QStringList lines;
    for (const QByteArray &line : err.split('\n')) {
        const QString text = QString::fromUtf8(line).trimmed();
        if (!text.isEmpty())
            lines.append(text.left(300));
    }
    if (lines.size() > kStderrLines)
        lines = lines.mid(lines.size() - kStderrLines);
    return redact(lines.join(u'\n'));
}

QString secondsText(int ms) {
    return QString::number(ms / 1000.0, 'g', 3);
}

// Kills the plugin and everything it started: it leads its own process group.
void killGroup(QProcess &process) {
    const qint64 pid = process.processId();
    if (pid > 0)
        ::kill(-pid_t(pid), SIGKILL);
    process.kill();
}

} // namespace

QByteArray execInfoJson(const RestConfig &config) {
    const ExecConfig &exec = *config.exec;
    nlohmann::json spec = {{"interactive", false}};
    if (exec.provideClusterInfo) {
        nlohmann::json cluster = {{"server", config.server.toString().toStdString()}};
        if (!config.tlsServerName.isEmpty())
            cluster["tls-server-name"] = config.tlsServerName.toStdString();
        if (config.insecureSkipTlsVerify)
            cluster["insecure-skip-tls-verify"] = true;
        if (!config.caPem.isEmpty())
            cluster["certificate-authority-data"] = config.caPem.toBase64().toStdString();
        if (!config.proxyUrl.isEmpty())
            cluster["proxy-url"] = config.proxyUrl.toString().toStdString();
        if (!config.clusterExtensionJson.isEmpty()) {
            auto extension =
                nlohmann::json::parse(config.clusterExtensionJson.toStdString(), nullptr, false);
            if (!extension.is_discarded())
                cluster["config"] = extension;
        }
        spec["cluster"] = cluster;
    }
    const nlohmann::json info = {
        {"apiVersion", exec.apiVersion.toStdString()}, {"kind", "ExecCredential"}, {"spec", spec}};
    return QByteArray::fromStdString(info.dump());
}

Result<Credential> runExecPlugin(const RestConfig &config, const ExecRunOptions &options) {
    const ExecConfig &exec = *config.exec;
    QString prefix =
        config.sourceFile.isEmpty() ? QString() : config.sourceFile + QStringLiteral(": ");
    prefix +=
        QStringLiteral("user %1: exec plugin %2")
            .arg(quoted(config.userName),
                 quoted(exec.resolvedCommand.isEmpty() ? exec.command : exec.resolvedCommand));
    auto fail = [&](const QString &problem) {
        return makeError(ErrorKind::Credential, redact(prefix + u' ' + problem));
    };

    if (exec.interactiveMode == u"Always")
        return fail(QStringLiteral("needs an interactive terminal (interactiveMode: Always), which "
                                   "Kubedeck cannot provide; configure the plugin so that it "
                                   "works without a terminal (interactiveMode Never or "
                                   "IfAvailable)"));
    if (exec.resolvedCommand.isEmpty()) {
        QString message = QStringLiteral("executable %1 not found").arg(quoted(exec.command));
        if (!exec.installHint.trimmed().isEmpty())
            message += QStringLiteral(". ") + exec.installHint.trimmed();
        QString where =
            config.sourceFile.isEmpty() ? QString() : config.sourceFile + QStringLiteral(": ");
        return makeError(
            ErrorKind::Credential,
            redact(where + QStringLiteral("user %1: ").arg(quoted(config.userName)) + message));
    }

    QProcess process;
    process.setProgram(exec.resolvedCommand);
    process.setArguments(exec.args); // passed as argv, never through a shell
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto &[name, value] : exec.env)
        env.insert(name, value);
    env.insert(QStringLiteral("KUBERNETES_EXEC_INFO"), QString::fromUtf8(execInfoJson(config)));
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setChildProcessModifier([] { ::setpgid(0, 0); });

    // A local event loop on the calling thread reads both pipes as data arrives, so a flooding
    // plugin is stopped at the cap and a chatty stderr can never block the child.
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QByteArray out;
    QByteArray err;
    bool flooded = false;
    bool timedOut = false;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, [&] {
        out += process.readAllStandardOutput();
        if (out.size() > options.maxOutputBytes && !flooded) {
            flooded = true;
            killGroup(process);
            loop.quit();
        }
    });
    QObject::connect(&process, &QProcess::readyReadStandardError, &loop, [&] {
        err += process.readAllStandardError();
        if (err.size() > kStderrKeepBytes)
            err = err.right(kStderrKeepBytes);
    });
    QObject::connect(&process, &QProcess::finished, &loop, [&] { loop.quit(); });
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        killGroup(process);
        loop.quit();
    });
    timer.start(options.timeoutMs);
    process.start();
    if (!process.waitForStarted(options.timeoutMs)) {
        const QString reason = process.errorString();
        return fail(QStringLiteral("could not be started: %1").arg(reason));
    }
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    timer.stop();
    if (flooded || timedOut) {
        process.waitForFinished(5000);
        if (flooded)
            return fail(QStringLiteral("printed more than %1 bytes and was stopped")
                            .arg(options.maxOutputBytes));
        return fail(QStringLiteral("did not finish within %1 seconds and was stopped")
                        .arg(secondsText(options.timeoutMs)));
    }
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();
    if (out.size() > options.maxOutputBytes)
        return fail(QStringLiteral("printed more than %1 bytes and was stopped")
                        .arg(options.maxOutputBytes));
    if (process.exitStatus() == QProcess::CrashExit)
        return fail(QStringLiteral("was killed by a signal") +
                    (err.trimmed().isEmpty() ? QString() : QStringLiteral(": ") + stderrTail(err)));
    if (process.exitCode() != 0)
        return fail(QStringLiteral("exited with code %1").arg(process.exitCode()) +
                    (err.trimmed().isEmpty() ? QStringLiteral(" and wrote nothing to stderr")
                                             : QStringLiteral(": ") + stderrTail(err)));

    const nlohmann::json doc =
        nlohmann::json::parse(out.constBegin(), out.constEnd(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return fail(
            QStringLiteral("did not print an ExecCredential (its output is not a JSON object)"));
    auto text = [](const nlohmann::json &o, const char *key) {
        auto it = o.find(key);
        return it != o.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                : QString();
    };
    if (text(doc, "kind") != u"ExecCredential")
        return fail(QStringLiteral("printed kind %1 instead of ExecCredential")
                        .arg(quoted(text(doc, "kind"))));
    if (text(doc, "apiVersion") != exec.apiVersion)
        return fail(QStringLiteral("returned apiVersion %1, but the kubeconfig asks for %2")
                        .arg(quoted(text(doc, "apiVersion")), quoted(exec.apiVersion)));
    auto status = doc.find("status");
    if (status == doc.end() || !status->is_object())
        return fail(QStringLiteral("returned an ExecCredential without status"));

    Credential credential;
    credential.bearerToken = text(*status, "token").toUtf8();
    credential.clientCertPem = text(*status, "clientCertificateData").toUtf8();
    credential.clientKeyPem = text(*status, "clientKeyData").toUtf8();
    Redactor::instance().addSecret(credential.bearerToken);
    Redactor::instance().addSecret(credential.clientKeyPem);
    const bool hasCert = !credential.clientCertPem.isEmpty();
    const bool hasKey = !credential.clientKeyPem.isEmpty();
    if (hasCert != hasKey)
        return fail(hasCert ? QStringLiteral("returned a client certificate without a client key")
                            : QStringLiteral("returned a client key without a client certificate"));
    if (credential.bearerToken.isEmpty() && !hasCert)
        return fail(QStringLiteral("returned neither a token nor a client certificate and key"));
    if (hasCert) {
        if (QString problem = certificateProblem(credential.clientCertPem); !problem.isEmpty())
            return fail(QStringLiteral("returned a clientCertificateData that ") + problem);
        if (QString problem = privateKeyProblem(credential.clientKeyPem); !problem.isEmpty())
            return fail(QStringLiteral("returned a clientKeyData that ") + problem);
    }
    if (auto ts = status->find("expirationTimestamp"); ts != status->end() && !ts->is_null()) {
        const QString stamp =
            ts->is_string() ? QString::fromStdString(ts->get<std::string>()) : QString();
        const QDateTime expiry = QDateTime::fromString(stamp, Qt::ISODateWithMs);
        if (!expiry.isValid() || expiry.timeSpec() == Qt::LocalTime)
            return fail(
                QStringLiteral("returned an expirationTimestamp that is not an RFC 3339 time"));
        const QDateTime now = options.now ? options.now() : QDateTime::currentDateTimeUtc();
        if (expiry <= now)
            return fail(QStringLiteral("returned a credential that already expired at %1")
                            .arg(expiry.toUTC().toString(Qt::ISODate)));
        credential.expiry = expiry.toUTC();
    }
    return credential;
}

} // namespace kd::kube
