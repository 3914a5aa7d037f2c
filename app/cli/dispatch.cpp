#include "cli/dispatch.h"

#include "cli/gpuscommand.h"
#include "cli/lintcommand.h"
#include "cli/sandboxcommand.h"
#include "cli/topologycommand.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <string_view>

namespace kd::cli {

namespace {

constexpr const char *kUsage =
    "Usage: kubedeck [--kubeconfig FILE] [--context NAME] [--namespace NS] [--sandbox]\n"
    "       kubedeck [--help] [--version] <command> [options]\n"
    "\n"
    "Kubedeck shows ML engineers how their models are served on Kubernetes.\n"
    "Without a command it opens the main window:\n"
    "  --kubeconfig FILE  read this kubeconfig only (default: $KUBECONFIG, else ~/.kube/config)\n"
    "  --context NAME     connect to this context (default: the last one used, else the\n"
    "                     kubeconfig's current-context)\n"
    "  --namespace NS     show this namespace (default: the context's)\n"
    "  --sandbox          connect to the built-in sandbox cluster\n"
    "\n"
    "Commands:\n"
    "  gpus       print who holds which GPUs per node and pool (used/allocatable, MIG profiles,\n"
    "             cordons, taints, fragmentation) and why Pending GPU pods wait\n"
    "  lint       lint Kubernetes manifests offline (schema, API-server checks, rules for ML\n"
    "             serving) and report every problem with its line: text, JSON, SARIF, JUnit\n"
    "  sandbox    run the built-in sandbox cluster: a simulated Kubernetes API server with GPU "
    "node\n"
    "             pools and ML-serving workloads, for kubectl, Kubedeck and tests\n"
    "  topology   print a namespace's serving topology (Ingress -> Service -> workload ->\n"
    "             ReplicaSet -> Pod, HPAs, PDBs, GPUs, broken links) as JSON or Graphviz DOT\n"
    "\n"
    "Run 'kubedeck <command> --help' for the options of a command.\n";

} // namespace

bool isHeadless(int argc, char **argv) {
    if (argc < 2)
        return false;
    const std::string_view first = argv[1];
    return !first.starts_with('-') || first == "--help" || first == "-h" || first == "--version" ||
           first == "-v";
}

int run(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("kubedeck"));
    QCoreApplication::setOrganizationName(QStringLiteral("Kubedeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KUBEDECK_VERSION));
    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h") ||
        args[1] == QLatin1String("help")) {
        std::fputs(kUsage, stdout);
        return args.size() < 2 ? 2 : 0;
    }
    if (args[1] == QLatin1String("--version") || args[1] == QLatin1String("-v")) {
        std::printf("kubedeck %s\n", KUBEDECK_VERSION);
        return 0;
    }
    QString command = args[1];
    QStringList rest = args.mid(2);
    rest.prepend(args[0] + QLatin1Char(' ') + command);
    if (command == QLatin1String("gpus"))
        return runGpus(rest);
    if (command == QLatin1String("lint"))
        return runLint(rest);
    if (command == QLatin1String("sandbox"))
        return runSandbox(rest);
    if (command == QLatin1String("topology"))
        return runTopology(rest);
    std::fprintf(stderr, "kubedeck: unknown command '%s'\n\n%s", qPrintable(command), kUsage);
    return 2;
}

} // namespace kd::cli
