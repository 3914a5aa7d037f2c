#include "kube/permissions.h"

#include "kube/clientcore.h"

#include <QPromise>

namespace kd::kube {

QString AccessQuery::key() const {
    // NUL cannot occur in any of the parts, so the key is unambiguous.
    const QChar sep(u'\0');
    return verb + sep + group + sep + resource + sep + subresource + sep + namespaceName + sep +
           name;
}

Permissions::Permissions(ApiClient &client)
    : m_client(client) {}

std::optional<AccessAnswer> Permissions::cached(const AccessQuery &query) const {
    std::lock_guard lock(m_cache->mutex);
    auto it = m_cache->answers.constFind(query.key());
    if (it == m_cache->answers.constEnd())
        return std::nullopt;
    return *it;
}

void Permissions::clear() {
    std::lock_guard lock(m_cache->mutex);
    m_cache->answers.clear();
}

QFuture<Result<AccessAnswer>> Permissions::check(const AccessQuery &query) {
    auto promise = std::make_shared<QPromise<Result<AccessAnswer>>>();
    promise->start();
    QFuture<Result<AccessAnswer>> future = promise->future();
    if (auto hit = cached(query)) {
        promise->addResult(Result<AccessAnswer>(*hit));
        promise->finish();
        return future;
    }
    Json attributes = {{"verb", query.verb.toStdString()},
                       {"group", query.group.toStdString()},
                       {"resource", query.resource.toStdString()}};
    if (!query.subresource.isEmpty())
        attributes["subresource"] = query.subresource.toStdString();
    if (!query.namespaceName.isEmpty())
        attributes["namespace"] = query.namespaceName.toStdString();
    if (!query.name.isEmpty())
        attributes["name"] = query.name.toStdString();
    const Json review = {{"apiVersion", "authorization.k8s.io/v1"},
                         {"kind", "SelfSubjectAccessReview"},
                         {"spec", {{"resourceAttributes", attributes}}}};
    std::weak_ptr<Cache> cache = m_cache;
    const QString key = query.key();
    detail::coreOf(m_client)
        ->send("POST", QStringLiteral("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
               QByteArray::fromStdString(review.dump()), "application/json")
        .then([promise, cache, key](Result<Json> r) {
            if (!r) {
                promise->addResult(Result<AccessAnswer>(r.error()));
                promise->finish();
                return;
            }
            const Json status = r->is_object() ? r->value("status", Json()) : Json();
            if (!status.is_object() || !status.contains("allowed")) {
                promise->addResult(Result<AccessAnswer>(
                    Error{ErrorKind::Protocol,
                          QStringLiteral("the access review came back without a status"),
                          0,
                          {},
                          {},
                          {}}));
                promise->finish();
                return;
            }
            auto text = [&status](const char *field) {
                auto it = status.find(field);
                return it != status.end() && it->is_string()
                           ? QString::fromStdString(it->get<std::string>())
                           : QString();
            };
            AccessAnswer answer;
            answer.allowed = status["allowed"].is_boolean() && status["allowed"].get<bool>();
            answer.denied = status.contains("denied") && status["denied"].is_boolean() &&
                            status["denied"].get<bool>();
            answer.reason = text("reason");
            if (answer.reason.isEmpty())
                answer.reason = text("evaluationError");
            if (auto c = cache.lock()) {
                std::lock_guard lock(c->mutex);
                c->answers.insert(key, answer);
            }
            promise->addResult(Result<AccessAnswer>(answer));
            promise->finish();
        });
    return future;
}

} // namespace kd::kube
