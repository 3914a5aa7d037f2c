#include "cli/topologycommand.h"

#include "cli/commandline.h"

#include "kube/apiclient.h"
#include "kube/credentials.h"
#include "kube/execapprovals.h"
#include "kube/kubeconfig.h"
#include "kube/listonce.h"
#include "model/columns.h"
#include "model/objectstore.h"
#include "model/topology.h"
#include "model/topologyexport.h"

#include <QCommandLineParser>
#include <QUrl>

#include <cstdio>
#include <memory>
#include <vector>

namespace kd::cli {

namespace {

constexpr const char *kCommand = "kubedeck topology";

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

int failure(const QString &message) {
    std::fprintf(stderr, "%s: %s\n", kCommand, qPrintable(message));
    return 1;
}

void warn(const QString &message) {
    std::fprintf(stderr, "%s: warning: %s\n", kCommand, qPrintable(message));
}

// What went wrong, in words that say what to check.
QString plainWords(const kube::Error &e, const QUrl &server) {
    const QString where = server.toString(QUrl::RemoveUserInfo);
    switch (e.kind) {
    case kube::ErrorKind::Unreachable:
        return QStringLiteral("the cluster at %1 is unreachable: %2").arg(where, e.message);
    case kube::ErrorKind::Timeout:
        return QStringLiteral("the cluster at %1 did not answer in time: %2").arg(where, e.message);
    case kube::ErrorKind::Tls:
        return QStringLiteral("the secure connection to %1 failed: %2").arg(where, e.message);
    case kube::ErrorKind::Unauthorized:
        return QStringLiteral("the cluster did not accept the credentials (401 Unauthorized): %1")
            .arg(e.message);
    case kube::ErrorKind::Forbidden:
        return QStringLiteral("access denied (403 Forbidden): %1").arg(e.message);
    default:
        return e.message;
    }
}

// A headless command never asks: it runs an exec plugin only when the approvals the window
// keeps (or the policy) allow it. Returns the reason it may not, "" when it may.
QString execRefusal(const kube::RestConfig &config, const kube::ExecApprovals &approvals) {
    if (!config.exec)
        return {};
    const QString command = config.exec->resolvedCommand.isEmpty() ? config.exec->command
                                                                   : config.exec->resolvedCommand;
    switch (approvals.decide(*config.exec)) {
    case kube::ExecApprovals::Decision::Approved:
        return {};
    case kube::ExecApprovals::Decision::Denied:
        return QStringLiteral("context \"%1\" gets its credentials by running %2, which "
                              "Kubedeck's exec policy (%3) does not allow.")
            .arg(config.contextName, command, kube::ExecApprovals::policyName(approvals.policy()));
    case kube::ExecApprovals::Decision::NeedsApproval:
        break;
    }
    QString text =
        QStringLiteral("context \"%1\" gets its credentials by running %2, which you have not "
                       "approved. Kubedeck runs a credential plugin only after you approve it: "
                       "connect to this context once in the Kubedeck window, approve the plugin "
                       "there, then run this command again. What the kubeconfig asks to run:\n")
            .arg(config.contextName, command);
    for (const QString &line : approvals.describe(*config.exec).text().split(u'\n'))
        text += QStringLiteral("  ") + line + u'\n';
    return text.trimmed();
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

    auto loaded =
        kube::loadKubeconfig(kube::KubeconfigLoadOptions::fromEnvironment(p.value(kubeconfig)));
    if (!loaded)
        return failure(loaded.error().message);
    for (const QString &w : loaded->warnings())
        warn(w);
    auto config = loaded->resolve(p.value(context));
    if (!config)
        return failure(config.error().message);
    auto approvals = std::make_shared<kube::ExecApprovals>(kube::ExecApprovals::defaultStorePath());
    if (const QString refusal = execRefusal(*config, *approvals); !refusal.isEmpty())
        return failure(refusal);

    QString namespaceName;
    if (!p.isSet(allNamespaces))
        namespaceName = p.isSet(ns)                       ? p.value(ns)
                        : config->namespaceName.isEmpty() ? QStringLiteral("default")
                                                          : config->namespaceName;

    kube::ClientOptions clientOptions;
    clientOptions.requestIdleTimeoutSeconds = 30;
    clientOptions.maxRetries = 3;
    kube::ApiClient client(*config, kube::makeCredentialProvider(*config, approvals),
                           clientOptions);
    std::vector<kube::DeltaBatch> batches;
    for (const kube::ResourceKind &kind : model::watchedKinds()) {
        if (!kKindKeys.contains(kind.key()))
            continue;
        auto batch = kube::listOnce(client, kind, namespaceName);
        if (batch) {
            batches.push_back(std::move(*batch));
            continue;
        }
        const kube::Error &e = batch.error();
        switch (e.kind) {
        case kube::ErrorKind::Unreachable:
        case kube::ErrorKind::Timeout:
        case kube::ErrorKind::Tls:
        case kube::ErrorKind::Unauthorized:
        case kube::ErrorKind::Credential:
        case kube::ErrorKind::ExecNotApproved:
            return failure(plainWords(e, config->server)); // the cluster, not this kind
        default:
            break;
        }
        const QString scope = !kind.namespaced ? QString()
                              : namespaceName.isEmpty()
                                  ? QStringLiteral(" in any namespace")
                                  : QStringLiteral(" in namespace \"%1\"").arg(namespaceName);
        const QString what = QStringLiteral("cannot list %1%2: %3")
                                 .arg(kind.key(), scope, plainWords(e, config->server));
        // Nodes only name the pods' GPU products, and a server may not serve every kind.
        if ((kind.key() == QLatin1String("nodes") && e.kind == kube::ErrorKind::Forbidden) ||
            e.kind == kube::ErrorKind::NotFound) {
            warn(what);
            continue;
        }
        return failure(what);
    }

    model::ObjectStore store;
    store.applyBatches(batches);
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
