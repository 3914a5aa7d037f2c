#include "cli/clusterlist.h"

#include "kube/apiclient.h"
#include "kube/credentials.h"
#include "kube/execapprovals.h"
#include "kube/kubeconfig.h"
#include "kube/listonce.h"
#include "model/columns.h"
#include "model/objectstore.h"

#include <cstdio>
#include <vector>

namespace kd::cli {

namespace {

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

// Failures that are the cluster's or the credentials', not one kind's: no other list can do
// better.
bool failsEveryKind(kube::ErrorKind kind) {
    switch (kind) {
    case kube::ErrorKind::Unreachable:
    case kube::ErrorKind::Timeout:
    case kube::ErrorKind::Tls:
    case kube::ErrorKind::Unauthorized:
    case kube::ErrorKind::Credential:
    case kube::ErrorKind::ExecNotApproved:
        return true;
    default:
        return false;
    }
}

} // namespace

ClusterList::ClusterList(const char *command)
    : m_command(command) {}

ClusterList::~ClusterList() = default;

int ClusterList::failure(const QString &message) const {
    std::fprintf(stderr, "kubedeck %s: %s\n", m_command, qPrintable(message));
    return 1;
}

void ClusterList::warn(const QString &message) const {
    std::fprintf(stderr, "kubedeck %s: warning: %s\n", m_command, qPrintable(message));
}

std::optional<int> ClusterList::connect(const QString &kubeconfigPath, const QString &context) {
    auto loaded =
        kube::loadKubeconfig(kube::KubeconfigLoadOptions::fromEnvironment(kubeconfigPath));
    if (!loaded)
        return failure(loaded.error().message);
    for (const QString &w : loaded->warnings())
        warn(w);
    auto config = loaded->resolve(context);
    if (!config)
        return failure(config.error().message);
    auto approvals = std::make_shared<kube::ExecApprovals>(kube::ExecApprovals::defaultStorePath());
    if (const QString refusal = execRefusal(*config, *approvals); !refusal.isEmpty())
        return failure(refusal);

    m_config = *config;
    kube::ClientOptions clientOptions;
    clientOptions.requestIdleTimeoutSeconds = 30;
    clientOptions.maxRetries = 3;
    m_client = std::make_unique<kube::ApiClient>(
        *m_config, kube::makeCredentialProvider(*m_config, approvals), clientOptions);
    return std::nullopt;
}

std::optional<int> ClusterList::list(const QStringList &kindKeys, const QString &ns,
                                     model::ObjectStore &store, const QStringList &mayBeForbidden) {
    Q_ASSERT(m_client);
    std::vector<kube::DeltaBatch> batches;
    for (const kube::ResourceKind &kind : model::watchedKinds()) {
        if (!kindKeys.contains(kind.key()))
            continue;
        auto batch = kube::listOnce(*m_client, kind, ns);
        if (batch) {
            batches.push_back(std::move(*batch));
            continue;
        }
        const kube::Error &e = batch.error();
        if (failsEveryKind(e.kind))
            return failure(plainWords(e, m_config->server));
        const QString scope = !kind.namespaced ? QString()
                              : ns.isEmpty()   ? QStringLiteral(" in any namespace")
                                               : QStringLiteral(" in namespace \"%1\"").arg(ns);
        const QString what = QStringLiteral("cannot list %1%2: %3")
                                 .arg(kind.key(), scope, plainWords(e, m_config->server));
        if ((e.kind == kube::ErrorKind::Forbidden && mayBeForbidden.contains(kind.key())) ||
            e.kind == kube::ErrorKind::NotFound) {
            warn(what);
            continue;
        }
        return failure(what);
    }
    store.applyBatches(batches);
    return std::nullopt;
}

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

} // namespace kd::cli
