#pragma once
// The changes Kubedeck makes to a cluster, with kubectl's semantics: scale (optionally guarded
// by the replica count the user saw), rollback like `kubectl rollout undo`, restart like
// `kubectl rollout restart`, server-side apply and delete. All asynchronous; the futures finish
// on a worker thread (continue with `.then(context, ...)`).

#include "kube/apiclient.h"

#include <QFuture>
#include <QString>

#include <optional>

namespace kd::kube {

// Scales through the /scale subresource. Without `expectedCurrent`: the merge patch
// {"spec":{"replicas":N}} that `kubectl scale` sends. With it: reads the Scale, fails with
// ErrorKind::Conflict (nothing changed) when spec.replicas differs, else PUTs the Scale with its
// resourceVersion, so a change in between also answers 409. The result is the new Scale.
QFuture<Result<Json>> scale(ApiClient &client, const ResourceKind &kind, const QString &ns,
                            const QString &name, int replicas,
                            std::optional<int> expectedCurrent = std::nullopt);

struct RollbackResult {
    QString message;      // kubectl's words: "rolled back" or "skipped rollback (...)"
    bool skipped = false; // the current template already matched
    bool dryRun = false;  // sent with dryRun=All: nothing persisted
    qint64 revision = 0;  // the revision rolled back to
    Json deployment;      // the server's answer to the patch (null when skipped)
};

// `kubectl rollout undo deployment/NAME [--to-revision=N] [--dry-run=server]`
// (kubectl pkg/polymorphichelpers/rollback.go). Errors, in kubectl's order and words:
// "no rollout history found for deployment \"NAME\"", "unable to find specified revision N in
// history" (ErrorKind::NotFound), "you cannot rollback a paused deployment; resume it first with
// 'kubectl rollout resume' and try again" (ErrorKind::Conflict).
QFuture<Result<RollbackResult>> rollback(ApiClient &client, const QString &ns,
                                         const QString &deployment, qint64 toRevision = 0,
                                         bool dryRun = false);

// `kubectl rollout restart`: a strategic merge patch that sets the pod template's
// kubectl.kubernetes.io/restartedAt annotation to now (RFC 3339). Answers the patched object.
QFuture<Result<Json>> restart(ApiClient &client, const ResourceKind &kind, const QString &ns,
                              const QString &name);

struct ApplyOptions {
    QString fieldManager = QStringLiteral("kubedeck");
    bool force = false;  // take over fields other managers own
    bool dryRun = false; // dryRun=All
};

// Server-side apply of `object` (its metadata.name and, for namespaced kinds,
// metadata.namespace, else `defaultNamespace`). Conflicts answer 409 with causes of type
// FieldManagerConflict in Error::status.details.causes. Answers the applied object.
QFuture<Result<Json>> apply(ApiClient &client, const ResourceKind &kind, const Json &object,
                            const ApplyOptions &options = {},
                            const QString &defaultNamespace = QStringLiteral("default"));

// DELETE with a propagation policy ("Background", "Foreground", "Orphan" or "" for the
// server's default). Answers the server's answer (the object or a Status).
QFuture<Result<Json>> remove(ApiClient &client, const ResourceKind &kind, const QString &ns,
                             const QString &name,
                             const QString &propagation = QStringLiteral("Background"),
                             bool dryRun = false);

// The kinds write operations mostly target.
ResourceKind deploymentsKind();
ResourceKind replicaSetsKind();

} // namespace kd::kube
