// Client benchmark: the sandbox runs as a separate `kubedeck sandbox` process (so its memory is not
// counted); this process connects the way the main window does (kubeconfig → Session → ObjectStore)
// and prints `name value unit` lines:
//   connect_to_complete_store   time from connectToServer() to every kind's first list in the store
//   cached_objects / cached_pods
//   heap_bytes_per_cached_object  heap growth of the store and its reflectors / cached objects
//   heap_bytes_per_cached_pod     the heap one cached pod object takes on its own
//   peak_rss                    the process's peak resident memory (VmHWM)
//   longest_event_loop_stall    the longest gap of a 5 ms timer while N pod changes arrive in 1 s
// `--smoke` runs tiny sizes (for CTest).
#include "kube/apiclient.h"
#include "kube/credentials.h"
#include "kube/execapprovals.h"
#include "kube/kubeconfig.h"
#include "kube/session.h"
#include "model/columns.h"
#include "model/objectstore.h"

#include "procstatus.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

using namespace kd;

namespace {

std::size_t heapInUse() {
    return mallinfo2().uordblks;
}

int fail(const QString &why) {
    std::fprintf(stderr, "bench_connect: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    int pods = 10000, nodes = 200, deployments = 500, changes = 1000;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        auto next = [&] { return i + 1 < args.size() ? args[++i].toInt() : 0; };
        if (args[i] == QLatin1String("--smoke")) {
            pods = 200;
            nodes = 10;
            deployments = 10;
            changes = 50;
        } else if (args[i] == QLatin1String("--pods")) {
            pods = next();
        } else if (args[i] == QLatin1String("--nodes")) {
            nodes = next();
        } else if (args[i] == QLatin1String("--deployments")) {
            deployments = next();
        } else if (args[i] == QLatin1String("--changes")) {
            changes = next();
        } else {
            return fail(QStringLiteral("usage: bench_connect [--smoke] [--pods N] [--nodes N] "
                                       "[--deployments N] [--changes N]"));
        }
    }

    // The sandbox in its own process, as a user would run it.
    QTemporaryDir dir;
    const QString kubeconfigPath = dir.filePath(QStringLiteral("kubeconfig"));
    QProcess sandbox;
    sandbox.setProgram(QStringLiteral(KD_BINARY_DIR "/app/kubedeck"));
    sandbox.setArguments({QStringLiteral("sandbox"), QStringLiteral("--scenario"),
                          QStringLiteral("scale:pods=%1,nodes=%2,deployments=%3")
                              .arg(pods)
                              .arg(nodes)
                              .arg(deployments),
                          QStringLiteral("--kubeconfig-out"), kubeconfigPath});
    sandbox.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sandbox.start();
    QByteArray banner;
    while (!banner.contains("kubeconfig:") && sandbox.waitForReadyRead(600'000))
        banner += sandbox.readAllStandardOutput();
    if (!banner.contains("kubeconfig:"))
        return fail(QStringLiteral("the sandbox did not start"));

    kube::KubeconfigLoadOptions lo;
    lo.explicitPath = kubeconfigPath;
    auto kubeconfig = kube::loadKubeconfig(lo);
    if (!kubeconfig)
        return fail(kubeconfig.error().message);
    auto config = kubeconfig->resolve(QStringLiteral("sandbox-admin"));
    if (!config)
        return fail(config.error().message);
    auto approvals = std::make_shared<kube::ExecApprovals>(dir.filePath(QStringLiteral("a.json")));

    const std::size_t heapBefore = heapInUse();
    model::ObjectStore store;
    kube::SessionOptions options;
    options.kinds = model::watchedKinds();
    kube::Session session(*config, kube::makeCredentialProvider(*config, approvals), options);
    QObject::connect(&session, &kube::Session::batchesReady, &store,
                     [&store](const std::vector<kube::DeltaBatch> &b) { store.applyBatches(b); });
    QElapsedTimer clock;
    bool synced = false;
    QObject::connect(&session, &kube::Session::synced, &app, [&] {
        synced = true;
        app.quit();
    });
    QObject::connect(&session, &kube::Session::stateChanged, &app, [&](kube::Session::State s) {
        if (s == kube::Session::State::Failed)
            app.quit();
    });
    clock.start();
    session.connectToServer();
    QTimer::singleShot(600'000, &app, &QCoreApplication::quit);
    app.exec();
    if (!synced)
        return fail(session.error() ? session.error()->message : QStringLiteral("no sync"));
    std::printf("connect_to_complete_store %.3f s\n", clock.nsecsElapsed() / 1e9);
    const qsizetype objects = store.totalCount();
    std::printf("cached_objects %lld count\n", static_cast<long long>(objects));
    std::printf("cached_pods %lld count\n",
                static_cast<long long>(store.count(QStringLiteral("pods"))));
    std::printf("heap_bytes_per_cached_object %.0f bytes\n",
                double(heapInUse() - heapBefore) / double(std::max<qsizetype>(objects, 1)));

    // N pod changes within one second from another thread; the GUI thread's 5 ms timer must keep
    // ticking. The stall is the longest gap between ticks beyond the interval.
    kube::ApiClient writer(*config, kube::makeCredentialProvider(*config, approvals));
    const model::ObjectList podList = store.list(QStringLiteral("pods"));
    std::atomic_int sent{0};
    std::thread load([&] {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < changes && !podList.empty(); ++i) {
            const auto &pod = podList[std::size_t(i) % podList.size()];
            const kube::ResourceKind podsKind{QString(), QStringLiteral("v1"),
                                              QStringLiteral("pods"), QStringLiteral("Pod"), true};
            writer.patch(kube::ApiClient::objectPath(podsKind, pod->namespaceName(), pod->name()),
                         kube::PatchType::Merge,
                         {{"metadata", {{"annotations", {{"bench/change", std::to_string(i)}}}}}});
            ++sent;
            std::this_thread::sleep_until(
                start + std::chrono::microseconds(1'000'000LL * (i + 1) / changes));
        }
    });
    qint64 longestGapNs = 0;
    QElapsedTimer gap;
    gap.start();
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(5);
    QObject::connect(&ticker, &QTimer::timeout, &app, [&] {
        longestGapNs = std::max(longestGapNs, gap.nsecsElapsed());
        gap.restart();
    });
    ticker.start();
    QTimer::singleShot(3000, &app, &QCoreApplication::quit); // 1 s of changes, 2 s to drain
    app.exec();
    load.join();
    std::printf("pod_changes_sent %d count\n", sent.load());
    std::printf("longest_event_loop_stall %.1f ms\n", std::max(0.0, longestGapNs / 1e6 - 5.0));
    std::printf("peak_rss %.0f MB\n", kdtest::statusMegabytes("VmHWM:"));

    // One cached pod on its own: each rebuilt from its JSON, the heap that takes. Measured after
    // peak_rss, which the copies would raise.
    {
        std::vector<std::unique_ptr<kube::KubeObject>> copies;
        copies.reserve(podList.size());
        const std::size_t heapBeforeCopies = heapInUse();
        for (const auto &pod : podList)
            copies.push_back(std::make_unique<kube::KubeObject>(pod->json()));
        std::printf("heap_bytes_per_cached_pod %.0f bytes\n",
                    double(heapInUse() - heapBeforeCopies) /
                        double(std::max<std::size_t>(copies.size(), 1)));
    }

    session.disconnectFromServer();
    sandbox.terminate();
    sandbox.waitForFinished(10'000);
    return 0;
}
