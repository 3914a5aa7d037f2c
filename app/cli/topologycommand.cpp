#include "cli/topologycommand.h"

#include "cli/clusterlist.h"
#include "cli/commandline.h"

#include "model/objectstore.h"
#include "model/topology.h"
#include "model/topologyexport.h"

#include <QCommandLineParser>

#include <cstdio>

namespace kd::cli {

namespace {

// What Topology::derive reads; nodes only for the GPU products of the pods' nodes.
const QStringList kKindKeys{
    QStringLiteral("nodes"),
    QStringLiteral("pods"),
    QStringLiteral("replicasets.apps"),
    QStringLiteral("deployments.apps"),
    QStringLiteral("statefulsets.apps"),
    QStringLiteral("services"),
    QStringLiteral("ingresses.networking.k8s.io"),
    QStringLiteral("horizontalpodautoscalers.autoscaling"),
    QStringLiteral("poddisruptionbudgets.policy"),
};

QCommandLineOption opt(const QStringList &names, const char *description,
                       const char *valueName = nullptr, const char *defaultValue = nullptr) {
    return option(names, description, valueName, defaultValue);
}

int usageError(const QString &message) {
    return cli::usageError("topology", message);
}

} // namespace

int runTopology(const QStringList &arguments) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Prints the serving topology of a namespace (Ingress -> Service -> Deployment or "
        "StatefulSet -> ReplicaSet -> Pod, with HPAs, PDBs, GPUs, Pending reasons and broken "
        "links) from one list of each kind, as JSON or as a Graphviz digraph."));
    p.addHelpOption();
    const QCommandLineOption kubeconfig =
        opt({QStringLiteral("kubeconfig")},
            "Read this kubeconfig only (default: $KUBECONFIG, else ~/.kube/config).", "file");
    const QCommandLineOption context =
        opt({QStringLiteral("context")},
            "Use this context (default: the kubeconfig's current-context).", "name");
    const QCommandLineOption ns =
        opt({QStringLiteral("n"), QStringLiteral("namespace")},
            "The namespace to show (default: the context's, else \"default\").", "ns");
    const QCommandLineOption allNamespaces =
        opt({QStringLiteral("A"), QStringLiteral("all-namespaces")},
            "Show every namespace in one graph (ids carry the namespace).");
    const QCommandLineOption output = opt({QStringLiteral("o"), QStringLiteral("output")},
                                          "json or dot (Graphviz).", "format", "json");
    for (const auto &o : {kubeconfig, context, ns, allNamespaces, output})
        p.addOption(o);
    if (auto done = parseOrExit(p, arguments, "topology"))
        return *done;
    const QString format = p.value(output);
    if (format != QLatin1String("json") && format != QLatin1String("dot"))
        return usageError(QStringLiteral("-o must be json or dot, not '%1'").arg(format));
    if (p.isSet(allNamespaces) && p.isSet(ns))
        return usageError(QStringLiteral("--namespace and --all-namespaces exclude each other"));

    ClusterList cluster("topology");
    if (auto failed = cluster.connect(p.value(kubeconfig), p.value(context)))
        return *failed;
    const kube::RestConfig &config = cluster.config();

    QString namespaceName;
    if (!p.isSet(allNamespaces))
        namespaceName = p.isSet(ns)                      ? p.value(ns)
                        : config.namespaceName.isEmpty() ? QStringLiteral("default")
                                                         : config.namespaceName;

    // Nodes only name the pods' GPU products: a user who may not list them still gets a graph.
    model::ObjectStore store;
    if (auto failed = cluster.list(kKindKeys, namespaceName, store, {QStringLiteral("nodes")}))
        return *failed;
    const model::Topology topology = model::Topology::derive(store, namespaceName);
    const QByteArray text =
        format == QLatin1String("dot")
            ? model::topologyToDot(topology, namespaceName)
            : QByteArray::fromStdString(model::topologyToJson(topology, namespaceName).dump(2) +
                                        "\n");
    std::fwrite(text.constData(), 1, std::size_t(text.size()), stdout);
    std::fflush(stdout);
    return 0;
}

} // namespace kd::cli
