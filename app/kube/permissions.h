#pragma once
// May the current user do this? Asks the server with SelfSubjectAccessReview and remembers the
// answers (per verb, group, resource, subresource, namespace and name) until clear(), so the UI
// can grey out actions without a request per repaint.

#include "kube/apiclient.h"

#include <QFuture>
#include <QHash>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>

namespace kd::kube {

struct AccessQuery {
    QString verb; // get, list, watch, create, update, patch, delete
    QString group;
    QString resource;
    QString subresource;
    QString namespaceName; // "" : cluster-wide / all namespaces
    QString name;          // "" : any object

    QString key() const;
};

struct AccessAnswer {
    bool allowed = false;
    bool denied = false; // the authorizer explicitly denied (status.denied)
    QString reason;      // status.reason, or status.evaluationError
};

class Permissions final {
public:
    explicit Permissions(ApiClient &client);
    Permissions(const Permissions &) = delete;
    Permissions &operator=(const Permissions &) = delete;

    // Thread-safe. Answers from the cache when it can (then the future is already finished).
    // Errors (network, 403 on the review itself) are not cached.
    QFuture<Result<AccessAnswer>> check(const AccessQuery &query);
    std::optional<AccessAnswer> cached(const AccessQuery &query) const;
    // Forget every answer (after a credential or context change, or RBAC edits).
    void clear();

private:
    struct Cache {
        mutable std::mutex mutex;
        QHash<QString, AccessAnswer> answers;
    };
    ApiClient &m_client;
    std::shared_ptr<Cache> m_cache = std::make_shared<Cache>();
};

} // namespace kd::kube
