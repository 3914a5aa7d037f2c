#include "kube/writeops.h"

#include "kube/clientcore.h"

#include <QDateTime>
#include <QPromise>

#include <memory>

namespace kd::kube {

namespace {

template<typename T> std::shared_ptr<QPromise<Result<T>>> startPromise() {
    auto p = std::make_shared<QPromise<Result<T>>>();
    p->start();
    return p;
}

template<typename T> void settle(const std::shared_ptr<QPromise<Result<T>>> &p, Result<T> r) {
    p->addResult(std::move(r));
    p->finish();
}

QByteArray body(const Json &j) {
    return QByteArray::fromStdString(j.dump());
}

Error plainError(ErrorKind kind, const QString &message) {
    return Error{kind, message, 0, {}, {}, {}};
}

QString withQuery(const QString &path, std::initializer_list<std::pair<QString, QString>> items) {
    QUrlQuery q;
    for (const auto &[k, v] : items)
        if (!v.isEmpty())
            q.addQueryItem(k, v);
    return ApiClient::withQuery(path, q);
}

std::string stringAt(const Json &j, std::initializer_list<const char *> path) {
    const Json *cur = &j;
    for (const char *key : path) {
        if (!cur->is_object())
            return {};
        auto it = cur->find(key);
        if (it == cur->end())
            return {};
        cur = &*it;
    }
    return cur->is_string() ? cur->get<std::string>() : std::string();
}

// deployment.kubernetes.io/revision; missing = 0, unreadable = not a revision (kubectl skips).
std::optional<qint64> revisionOf(const Json &replicaSet) {
    const Json &annotations =
        replicaSet.value("metadata", Json::object()).value("annotations", Json::object());
    auto it = annotations.find("deployment.kubernetes.io/revision");
    if (it == annotations.end())
        return 0;
    if (!it->is_string())
        return std::nullopt;
    bool ok = false;
    const qint64 v = QString::fromStdString(it->get<std::string>()).toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

bool controlledBy(const Json &object, const std::string &uid) {
    const Json owners = object.value("metadata", Json::object()).value("ownerReferences", Json());
    if (!owners.is_array())
        return false;
    for (const Json &o : owners)
        if (o.is_object() && o.value("controller", false) && o.value("uid", "") == uid)
            return true;
    return false;
}

Json withoutHash(Json podTemplate) {
    if (podTemplate.contains("metadata") && podTemplate["metadata"].contains("labels")) {
        Json &labels = podTemplate["metadata"]["labels"];
        if (labels.is_object())
            labels.erase("pod-template-hash");
    }
    return podTemplate;
}

// Deployment annotations kubectl keeps from the Deployment instead of copying from the RS.
bool skippedAnnotation(const std::string &key) {
    return key == "kubectl.kubernetes.io/last-applied-configuration" ||
           key == "deployment.kubernetes.io/revision" ||
           key == "deployment.kubernetes.io/revision-history" ||
           key == "deployment.kubernetes.io/desired-replicas" ||
           key == "deployment.kubernetes.io/max-replicas" ||
           key == "deprecated.deployment.rollback.to";
}

} // namespace

ResourceKind deploymentsKind() {
    return ResourceKind{QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("deployments"),
                        QStringLiteral("Deployment"), true};
}

ResourceKind replicaSetsKind() {
    return ResourceKind{QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("replicasets"),
                        QStringLiteral("ReplicaSet"), true};
}

QFuture<Result<Json>> scale(ApiClient &client, const ResourceKind &kind, const QString &ns,
                            const QString &name, int replicas, std::optional<int> expectedCurrent) {
    auto core = detail::coreOf(client);
    const QString path = ApiClient::objectPath(kind, ns, name, QStringLiteral("scale"));
    if (!expectedCurrent)
        return core->send("PATCH", path, body({{"spec", {{"replicas", replicas}}}}),
                          "application/merge-patch+json");
    auto promise = startPromise<Json>();
    std::weak_ptr<detail::ClientCore> weak = core;
    core->send("GET", path).then([=](Result<Json> current) {
        if (!current)
            return settle(promise, Result<Json>(current.error()));
        Json scaleObject = std::move(*current);
        const Json spec =
            scaleObject.is_object() ? scaleObject.value("spec", Json::object()) : Json();
        const Json replicasNow = spec.is_object() ? spec.value("replicas", Json(0)) : Json();
        if (!replicasNow.is_number_integer())
            return settle(promise,
                          Result<Json>(plainError(
                              ErrorKind::Protocol,
                              QStringLiteral("the Scale of %1 has no replica count").arg(name))));
        const int now = replicasNow.get<int>();
        if (now != *expectedCurrent)
            return settle(promise, Result<Json>(plainError(
                                       ErrorKind::Conflict,
                                       QStringLiteral("%1 has %2 replicas now, not %3 as expected; "
                                                      "nothing was changed")
                                           .arg(name)
                                           .arg(now)
                                           .arg(*expectedCurrent))));
        auto c = weak.lock();
        if (!c)
            return settle(promise, Result<Json>(plainError(ErrorKind::Cancelled,
                                                           QStringLiteral("the client closed"))));
        scaleObject["spec"]["replicas"] = replicas;
        // The Scale carries the object's resourceVersion: a change since the GET answers 409.
        c->send("PUT", path, body(scaleObject), "application/json").then([promise](Result<Json> r) {
            settle(promise, std::move(r));
        });
    });
    return promise->future();
}

QFuture<Result<RollbackResult>> rollback(ApiClient &client, const QString &ns,
                                         const QString &deployment, qint64 toRevision,
                                         bool dryRun) {
    auto core = detail::coreOf(client);
    auto promise = startPromise<RollbackResult>();
    auto fail = [promise](Error e) { settle(promise, Result<RollbackResult>(std::move(e))); };
    if (toRevision < 0) {
        fail(plainError(
            ErrorKind::NotFound,
            QStringLiteral("unable to find specified revision %1 in history").arg(toRevision)));
        return promise->future();
    }
    std::weak_ptr<detail::ClientCore> weak = core;
    const QString deploymentPath = ApiClient::objectPath(deploymentsKind(), ns, deployment);
    core->send("GET", deploymentPath).then([=](Result<Json> got) {
        if (!got) {
            Error e = got.error();
            e.message =
                QStringLiteral("failed to retrieve Deployment %1: %2").arg(deployment, e.message);
            return fail(e);
        }
        auto c = weak.lock();
        if (!c)
            return fail(plainError(ErrorKind::Cancelled, QStringLiteral("the client closed")));
        Json dep = std::move(*got);
        const QString rsPath = ApiClient::collectionPath(replicaSetsKind(), ns);
        c->send("GET", rsPath).then([=](Result<Json> listed) {
            try {
                if (!listed) {
                    Error e = listed.error();
                    e.message =
                        QStringLiteral("failed to retrieve replica sets from deployment %1: %2")
                            .arg(deployment, e.message);
                    return fail(e);
                }
                const std::string uid = stringAt(dep, {"metadata", "uid"});
                // Pick the ReplicaSet like kubectl's deploymentRevision().
                const Json items = listed->value("items", Json::array());
                const Json *latest = nullptr, *previous = nullptr, *wanted = nullptr;
                qint64 latestRev = -1, previousRev = -1, wantedRev = 0;
                for (const Json &rs : items) {
                    if (!controlledBy(rs, uid))
                        continue;
                    std::optional<qint64> v = revisionOf(rs);
                    if (!v)
                        continue;
                    if (toRevision == 0) {
                        if (latestRev < *v) {
                            previousRev = latestRev;
                            previous = latest;
                            latestRev = *v;
                            latest = &rs;
                        } else if (previousRev < *v) {
                            previousRev = *v;
                            previous = &rs;
                        }
                    } else if (*v == toRevision) {
                        wanted = &rs;
                        wantedRev = *v;
                        break;
                    }
                }
                if (toRevision > 0 && !wanted)
                    return fail(
                        plainError(ErrorKind::NotFound,
                                   QStringLiteral("unable to find specified revision %1 in history")
                                       .arg(toRevision)));
                if (toRevision == 0) {
                    if (!previous)
                        return fail(plainError(
                            ErrorKind::NotFound,
                            QStringLiteral("no rollout history found for deployment \"%1\"")
                                .arg(deployment)));
                    wanted = previous;
                    wantedRev = previousRev;
                }
                if (dep.value("spec", Json::object()).value("paused", false))
                    return fail(
                        plainError(ErrorKind::Conflict,
                                   QStringLiteral("you cannot rollback a paused deployment; "
                                                  "resume it first with 'kubectl rollout "
                                                  "resume' and try again")));
                const Json rsTemplate =
                    wanted->value("spec", Json::object()).value("template", Json());
                const Json depTemplate =
                    dep.value("spec", Json::object()).value("template", Json());
                if (withoutHash(rsTemplate) == withoutHash(depTemplate)) {
                    RollbackResult r;
                    r.skipped = true;
                    r.revision = wantedRev;
                    r.dryRun = dryRun;
                    // kubectl prints the revision as asked (0 when none was named).
                    r.message = QStringLiteral("skipped rollback (current template already matches "
                                               "revision %1)")
                                    .arg(toRevision);
                    return settle(promise, Result<RollbackResult>(std::move(r)));
                }
                Json annotations = Json::object();
                const Json depAnnotations =
                    dep.value("metadata", Json::object()).value("annotations", Json::object());
                for (auto it = depAnnotations.begin(); it != depAnnotations.end(); ++it)
                    if (skippedAnnotation(it.key()))
                        annotations[it.key()] = it.value();
                const Json rsAnnotations =
                    wanted->value("metadata", Json::object()).value("annotations", Json::object());
                for (auto it = rsAnnotations.begin(); it != rsAnnotations.end(); ++it)
                    if (!skippedAnnotation(it.key()))
                        annotations[it.key()] = it.value();
                const Json patch = Json::array({{{"op", "replace"},
                                                 {"path", "/spec/template"},
                                                 {"value", withoutHash(rsTemplate)}},
                                                {{"op", "replace"},
                                                 {"path", "/metadata/annotations"},
                                                 {"value", annotations}}});
                auto c2 = weak.lock();
                if (!c2)
                    return fail(
                        plainError(ErrorKind::Cancelled, QStringLiteral("the client closed")));
                const QString patchPath = withQuery(
                    deploymentPath,
                    {{QStringLiteral("dryRun"), dryRun ? QStringLiteral("All") : QString()}});
                c2->send("PATCH", patchPath, body(patch), "application/json-patch+json")
                    .then([=](Result<Json> patched) {
                        if (!patched) {
                            Error e = patched.error();
                            e.message = QStringLiteral("failed restoring revision %1: %2")
                                            .arg(toRevision)
                                            .arg(e.message);
                            return fail(e);
                        }
                        RollbackResult r;
                        r.message = QStringLiteral("rolled back");
                        r.revision = wantedRev;
                        r.dryRun = dryRun;
                        r.deployment = std::move(*patched);
                        settle(promise, Result<RollbackResult>(std::move(r)));
                    });
            } catch (const Json::exception &e) {
                // A field of an unexpected type in the Deployment or a ReplicaSet.
                fail(
                    plainError(ErrorKind::Protocol,
                               QStringLiteral("the Deployment %1 or its ReplicaSets are not shaped "
                                              "as the API promises (%2)")
                                   .arg(deployment, QString::fromUtf8(e.what()))));
            }
        });
    });
    return promise->future();
}

QFuture<Result<Json>> restart(ApiClient &client, const ResourceKind &kind, const QString &ns,
                              const QString &name) {
    const std::string now = QDateTime::currentDateTime()
                                .toOffsetFromUtc(QDateTime::currentDateTime().offsetFromUtc())
                                .toString(Qt::ISODate)
                                .toStdString();
    const Json patch = {
        {"spec",
         {{"template",
           {{"metadata", {{"annotations", {{"kubectl.kubernetes.io/restartedAt", now}}}}}}}}}};
    return detail::coreOf(client)->send("PATCH", ApiClient::objectPath(kind, ns, name), body(patch),
                                        "application/strategic-merge-patch+json");
}

QFuture<Result<Json>> apply(ApiClient &client, const ResourceKind &kind, const Json &object,
                            const ApplyOptions &options, const QString &defaultNamespace) {
    const QString name = QString::fromStdString(stringAt(object, {"metadata", "name"}));
    QString ns = QString::fromStdString(stringAt(object, {"metadata", "namespace"}));
    if (ns.isEmpty())
        ns = defaultNamespace;
    if (name.isEmpty()) {
        auto p = startPromise<Json>();
        settle(p, Result<Json>(
                      plainError(ErrorKind::Invalid, QStringLiteral("the object to apply has no "
                                                                    "metadata.name"))));
        return p->future();
    }
    const QString path =
        withQuery(ApiClient::objectPath(kind, ns, name),
                  {{QStringLiteral("fieldManager"), options.fieldManager},
                   {QStringLiteral("force"), options.force ? QStringLiteral("true") : QString()},
                   {QStringLiteral("dryRun"), options.dryRun ? QStringLiteral("All") : QString()}});
    // JSON is YAML: the body goes out as JSON under the apply-patch+yaml type.
    return detail::coreOf(client)->send("PATCH", path, body(object),
                                        "application/apply-patch+yaml");
}

QFuture<Result<Json>> remove(ApiClient &client, const ResourceKind &kind, const QString &ns,
                             const QString &name, const QString &propagation, bool dryRun) {
    DeleteOptions options;
    options.propagationPolicy = propagation;
    options.dryRun = dryRun;
    return client.remove(ApiClient::objectPath(kind, ns, name), options);
}

} // namespace kd::kube
