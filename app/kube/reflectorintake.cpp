#include "kube/reflectorintake.h"

#include "kube/apiclient.h"
#include "kube/statuserror.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcReflector)

namespace kd::kube::detail {

namespace {

QString stringAt(const Json &object, const char *key) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get_ref<const std::string &>());
}

// Ignored lines are counted; only the first few of each reflector are logged.
constexpr int kLoggedIgnoredLines = 5;

void logIgnored(ReflectorShared &shared, const QString &what) {
    if (shared.ignored.fetch_add(1) < kLoggedIgnoredLines)
        qCWarning(lcReflector).noquote()
            << QStringLiteral("%1: ignored a watch line: %2").arg(shared.kind.key(), what);
}

} // namespace

void ReflectorShared::push(Delta delta) {
    const QString key = delta.object->namespaceName() + QLatin1Char('/') + delta.object->name();
    auto it = m_pendingIndex.constFind(key);
    if (it == m_pendingIndex.constEnd()) {
        m_pendingIndex.insert(key, m_pending.size());
        m_pending.push_back(std::move(delta));
        return;
    }
    Delta &waiting = m_pending[*it];
    if (waiting.type == Delta::Type::Added && delta.type == Delta::Type::Modified)
        delta.type = Delta::Type::Added; // the receiver has not seen it yet
    waiting = std::move(delta);
}

std::vector<Delta> ReflectorShared::takePending() {
    std::vector<Delta> out;
    out.swap(m_pending);
    m_pendingIndex.clear();
    return out;
}

void ReflectorShared::dropPending() {
    m_pending.clear();
    m_pendingIndex.clear();
}

QString objectProblem(const Json &object, const ResourceKind &kind, const QString &ns,
                      bool kindRequired) {
    if (!object.is_object())
        return QStringLiteral("the object is not a JSON object");
    const QString objectKind = stringAt(object, "kind");
    if (objectKind.isEmpty() ? kindRequired : objectKind != kind.kind)
        return QStringLiteral("the object is of kind \"%1\", not %2").arg(objectKind, kind.kind);
    auto meta = object.find("metadata");
    if (meta == object.end() || !meta->is_object())
        return QStringLiteral("the object has no metadata");
    if (stringAt(*meta, "name").isEmpty())
        return QStringLiteral("the object has no name");
    if (stringAt(*meta, "resourceVersion").isEmpty())
        return QStringLiteral("the object has no resourceVersion");
    if (kind.namespaced) {
        const QString objectNs = stringAt(*meta, "namespace");
        if (objectNs.isEmpty())
            return QStringLiteral("the namespaced object has no namespace");
        if (!ns.isEmpty() && objectNs != ns)
            return QStringLiteral("the object is in namespace \"%1\", outside \"%2\"")
                .arg(objectNs, ns);
    }
    return {};
}

ListPage parseListPage(Result<Json> result, const ResourceKind &kind, const QString &ns) {
    ListPage page;
    if (!result) {
        page.error = result.error();
        return page;
    }
    Json &body = *result;
    const QString what = QStringLiteral("The list of %1").arg(kind.key());
    if (!body.is_object()) {
        page.error = makeError(ErrorKind::Protocol, what + QStringLiteral(" is not a JSON object"));
        return page;
    }
    if (auto meta = body.find("metadata"); meta != body.end() && meta->is_object()) {
        page.resourceVersion = stringAt(*meta, "resourceVersion");
        page.continueToken = stringAt(*meta, "continue");
    }
    auto items = body.find("items");
    if (items == body.end() || items->is_null())
        return page; // a page may hold nothing at all
    if (!items->is_array()) {
        page.error = makeError(ErrorKind::Protocol, what + QStringLiteral(" has no item array"));
        return page;
    }
    const std::string kindName = kind.kind.toStdString();
    const std::string apiVersion = kind.groupVersion().toStdString();
    page.objects.reserve(items->size());
    for (Json &item : *items) {
        if (!objectProblem(item, kind, ns, false).isEmpty()) {
            ++page.ignored;
            continue;
        }
        if (!item.contains("kind"))
            item["kind"] = kindName;
        if (!item.contains("apiVersion"))
            item["apiVersion"] = apiVersion;
        page.objects.push_back(std::make_shared<const KubeObject>(std::move(item)));
    }
    return page;
}

bool isExpired(const Error &error) {
    return error.kind == ErrorKind::Gone || error.httpStatus == 410 ||
           error.reason == QLatin1String("Expired") || error.reason == QLatin1String("Gone");
}

void takeWatchEvent(const std::shared_ptr<ReflectorShared> &shared,
                    const std::shared_ptr<WatchRun> &run, WatchEvent event) {
    using Type = WatchEvent::Type;
    switch (event.type) {
    case Type::Added:
    case Type::Modified:
    case Type::Deleted: {
        if (QString problem = objectProblem(event.object, shared->kind, shared->ns, true);
            !problem.isEmpty()) {
            logIgnored(*shared, event.typeName + QStringLiteral(" event: ") + problem);
            return;
        }
        // The expensive part (building the object) happens here, outside the lock.
        auto object = std::make_shared<const KubeObject>(std::move(event.object));
        Delta delta{event.type == Type::Added     ? Delta::Type::Added
                    : event.type == Type::Deleted ? Delta::Type::Deleted
                                                  : Delta::Type::Modified,
                    object};
        std::lock_guard lock(shared->mutex);
        if (run->ended || shared->currentRun != run->id)
            return;
        run->lastRv = object->resourceVersion();
        ++run->activity;
        shared->events.fetch_add(1);
        shared->push(std::move(delta));
        if (!shared->flushScheduled && shared->owner) {
            shared->flushScheduled = true;
            shared->requestFlush();
        }
        return;
    }
    case Type::Bookmark: {
        const Json &rv = event.object.is_object() && event.object.contains("metadata") &&
                                 event.object["metadata"].is_object()
                             ? event.object["metadata"].value("resourceVersion", Json())
                             : Json();
        if (!rv.is_string() || rv.get_ref<const std::string &>().empty()) {
            logIgnored(*shared, QStringLiteral("BOOKMARK without a resourceVersion"));
            return;
        }
        std::lock_guard lock(shared->mutex);
        if (run->ended)
            return;
        run->lastRv = QString::fromStdString(rv.get_ref<const std::string &>());
        ++run->activity;
        shared->bookmarks.fetch_add(1);
        return;
    }
    case Type::Error: {
        Error error = errorFromStatus(nlohmann::json(event.object));
        std::lock_guard lock(shared->mutex);
        if (run->ended)
            return;
        run->ended = true;
        run->expired = isExpired(error);
        if (!run->expired)
            run->errorEvent = std::move(error);
        return;
    }
    case Type::Unknown:
        logIgnored(*shared, QStringLiteral("unknown event type \"%1\"").arg(event.typeName));
        return;
    }
}

} // namespace kd::kube::detail
