#include "cli/sandboxcommand.h"

#include "cli/commandline.h"

#include "sandbox/cluster.h"
#include "sandbox/scenario.h"
#include "sandbox/server.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

namespace kd::cli {

namespace {

std::atomic_bool g_stop{false};

extern "C" void onSignal(int) {
    g_stop = true;
}

QCommandLineOption opt(const char *name, const char *description, const char *valueName = nullptr,
                       const char *defaultValue = nullptr) {
    return option({QString::fromLatin1(name)}, description, valueName, defaultValue);
}

int usageError(const QString &message) {
    return cli::usageError("sandbox", message);
}

} // namespace

int runSandbox(const QStringList &arguments) {
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Runs the sandbox cluster: a simulated Kubernetes API server with GPU node "
                       "pools and ML-serving workloads, on a loopback port, until interrupted "
                       "(Ctrl+C)."));
    p.addHelpOption();
    const QCommandLineOption scenario =
        opt("scenario", "A built-in scenario, a YAML file, or scale:pods=N,nodes=N,deployments=N.",
            "name|file", "ml-serving");
    const QCommandLineOption port =
        opt("port", "The loopback port to listen on (0: any free port).", "n", "0");
    const QCommandLineOption tls = opt(
        "tls",
        "Serve HTTPS with a freshly generated CA, server and client certificates (the default).");
    const QCommandLineOption plainHttp = opt(
        "plain-http",
        "Serve plain HTTP instead (kubectl sends no credentials over it; for raw HTTP clients).");
    const QCommandLineOption kubeconfigOut = opt(
        "kubeconfig-out",
        "Write a kubeconfig (mode 0600) with contexts sandbox-admin and sandbox-viewer.", "file");
    const QCommandLineOption speed =
        opt("speed", "Simulated seconds per wall-clock second.", "x", "1");
    const QCommandLineOption listScenarios =
        opt("list-scenarios", "List the built-in scenarios and exit.");
    const QCommandLineOption dropWatches =
        opt("fault-drop-watches", "Close every watch after this many seconds.", "seconds");
    const QCommandLineOption expireWatches =
        opt("fault-expire-watches",
            "Answer watches from a resourceVersion with 410 Expired, as an HTTP 410 or a 200 with "
            "an ERROR event.",
            "http|event");
    const QCommandLineOption errorRate =
        opt("fault-error-rate", "Answer this share of API requests with an error.", "0..1");
    const QCommandLineOption errorCode =
        opt("fault-error-code", "The injected error: 429, 500, 502, 503 or 504.", "code", "429");
    const QCommandLineOption retryAfter = opt(
        "fault-retry-after", "The Retry-After header of injected errors, as sent.", "value", "1");
    const QCommandLineOption latency =
        opt("fault-latency", "Delay every API answer by this many milliseconds.", "ms");
    const QCommandLineOption stall =
        opt("fault-stall-watches", "Watches send their headers, then nothing.");
    const QCommandLineOption emptyWatches =
        opt("fault-empty-watches", "Watches end at once with an empty answer.");
    for (const auto &o :
         {scenario, port, tls, plainHttp, kubeconfigOut, speed, listScenarios, dropWatches,
          expireWatches, errorRate, errorCode, retryAfter, latency, stall, emptyWatches})
        p.addOption(o);
    if (auto done = parseOrExit(p, arguments, "sandbox"))
        return *done;
    if (p.isSet(listScenarios)) {
        for (const std::string &name : sandbox::builtinScenarioNames())
            std::printf("%s\n", name.c_str());
        return 0;
    }
    bool ok = false;
    int portNumber = p.value(port).toInt(&ok);
    if (!ok || portNumber < 0 || portNumber > 65535)
        return usageError(QStringLiteral("--port must be a number from 0 to 65535"));
    double speedValue = p.value(speed).toDouble(&ok);
    if (!ok || !(speedValue > 0) || speedValue > 10000)
        return usageError(QStringLiteral("--speed must be a number above 0 and at most 10000"));

    sandbox::FaultConfig faults;
    try {
        sandbox::Json f = sandbox::Json::object();
        if (p.isSet(dropWatches))
            f["dropWatchesAfterSeconds"] = p.value(dropWatches).toDouble();
        if (p.isSet(expireWatches)) {
            f["expireWatches"] = true;
            f["expiredAsHttp"] = p.value(expireWatches) == QLatin1String("http");
        }
        if (p.isSet(errorRate))
            f["errorRate"] = p.value(errorRate).toDouble();
        f["errorCode"] = p.value(errorCode).toInt();
        f["retryAfter"] = p.value(retryAfter).toStdString();
        if (p.isSet(latency))
            f["latencyMs"] = p.value(latency).toInt();
        if (p.isSet(stall))
            f["stallWatches"] = true;
        if (p.isSet(emptyWatches))
            f["emptyWatches"] = true;
        faults.merge(f);
    } catch (const std::exception &e) {
        return usageError(QString::fromStdString(e.what()));
    }

    sandbox::Scenario loaded;
    try {
        loaded = sandbox::loadScenario(p.value(scenario).toStdString());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "kubedeck sandbox: cannot load scenario '%s': %s\n",
                     qPrintable(p.value(scenario)), e.what());
        return 1;
    }
    sandbox::Cluster cluster(
        {sandbox::Clock::Mode::Real, speedValue, sandbox::realClockStart(loaded)});
    try {
        sandbox::applyScenario(cluster, loaded);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "kubedeck sandbox: scenario '%s' does not apply: %s\n",
                     loaded.name.c_str(), e.what());
        return 1;
    }
    const std::string scenarioName = loaded.name;
    const std::string defaultNamespace = sandbox::defaultNamespaceOf(loaded);
    loaded = {}; // the objects now live in the cluster; at 10,000 pods this copy is ~100 MB
    sandbox::ServerOptions options;
    options.port = portNumber;
    if (p.isSet(tls) && p.isSet(plainHttp))
        return usageError(QStringLiteral("--tls and --plain-http exclude each other"));
    options.tls = !p.isSet(plainHttp);
    options.defaultNamespace = defaultNamespace;
    sandbox::ApiServer server(cluster, options);
    server.faults().set(faults);
    try {
        server.start();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "kubedeck sandbox: %s\n", e.what());
        return 1;
    }
    cluster.start();

    // Without --kubeconfig-out the kubeconfig goes to a private temporary folder that is removed
    // on exit: it holds the admin credentials.
    QTemporaryDir tempDir(QDir::tempPath() + QStringLiteral("/kubedeck-sandbox-XXXXXX"));
    QString kubeconfigPath = p.isSet(kubeconfigOut)
                                 ? QFileInfo(p.value(kubeconfigOut)).absoluteFilePath()
                                 : tempDir.filePath(QStringLiteral("kubeconfig"));
    try {
        sandbox::writePrivateFile(kubeconfigPath.toStdString(), server.kubeconfig());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "kubedeck sandbox: %s\n", e.what());
        return 1;
    }
    std::printf("Kubedeck sandbox cluster \"%s\" is serving at %s\n", scenarioName.c_str(),
                server.url().c_str());
    std::printf("kubeconfig: %s%s\n", qPrintable(kubeconfigPath),
                p.isSet(kubeconfigOut) ? "" : " (removed when the sandbox stops)");
    std::printf("Try:\n  kubectl --kubeconfig %s get pods -A\n", qPrintable(kubeconfigPath));
    std::printf("  kubectl --kubeconfig %s --context sandbox-viewer auth can-i patch deployments\n",
                qPrintable(kubeconfigPath));
    std::printf("Press Ctrl+C to stop.\n");
    std::fflush(stdout);

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    while (!g_stop)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::printf("Stopping the sandbox.\n");
    server.stop();
    cluster.stop();
    return 0;
}

} // namespace kd::cli
