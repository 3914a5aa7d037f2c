#include "kube/listonce.h"

#include "kube/reflectorintake.h"

namespace kd::kube {

namespace {

// A server that hands back the same continue token, or pages forever, is broken.
constexpr int kMaxPages = 100'000;
constexpr int kMaxRestarts = 3;

} // namespace

Result<DeltaBatch> listOnce(ApiClient &client, const ResourceKind &kind, const QString &ns,
                            int pageSize) {
    const QString scope = kind.namespaced ? ns : QString();
    DeltaBatch batch;
    batch.kind = kind;
    batch.namespaceScope = scope;
    batch.replace = true;
    int restarts = 0;
    QString continueToken;
    for (int pages = 0; pages < kMaxPages; ++pages) {
        ListOptions lo;
        lo.limit = pageSize;
        lo.continueToken = continueToken;
        QFuture<Result<Json>> future = client.list(kind, scope, lo);
        // The answer is parsed on a pool thread and resolved by the transport thread: nothing
        // here needs this thread's event loop.
        future.waitForFinished();
        if (future.resultCount() == 0)
            return makeError(ErrorKind::Cancelled,
                             QStringLiteral("The list of %1 was cancelled").arg(kind.key()));
        detail::ListPage page = detail::parseListPage(future.result(), kind, scope);
        if (page.error) {
            if (detail::isExpired(*page.error) && !continueToken.isEmpty() &&
                restarts++ < kMaxRestarts) {
                batch.deltas.clear();
                continueToken.clear();
                continue;
            }
            return *page.error;
        }
        for (ObjectPtr &o : page.objects)
            batch.deltas.push_back({Delta::Type::Added, std::move(o)});
        if (page.continueToken.isEmpty())
            return batch;
        if (page.continueToken == continueToken)
            return makeError(ErrorKind::Protocol,
                             QStringLiteral("The list of %1 sent the same continue token twice")
                                 .arg(kind.key()));
        continueToken = page.continueToken;
    }
    return makeError(ErrorKind::Protocol,
                     QStringLiteral("The list of %1 never ended").arg(kind.key()));
}

} // namespace kd::kube
