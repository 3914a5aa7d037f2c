#pragma once
// The reflector's off-GUI-thread half: list pages checked and turned into objects on a pool
// thread, watch lines on the transport thread, and the buffer where watch changes wait (one
// entry per object, the latest wins) until the owner's thread takes them. Internal to kd_kube.

#include "kube/error.h"
#include "kube/kubeobject.h"

#include <QHash>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace kd::kube {
class Reflector;
struct WatchEvent;
} // namespace kd::kube

namespace kd::kube::detail {

// One watch request. Guarded by ReflectorShared::mutex.
struct WatchRun {
    quint64 id = 0;
    QString lastRv;                  // of the last event or bookmark
    int activity = 0;                // events and bookmarks seen
    bool ended = false;              // an ERROR event arrived: later lines are ignored
    bool expired = false;            // ... and it was 410 Expired/Gone
    std::optional<Error> errorEvent; // ... another Status
};

struct ReflectorShared {
    ReflectorShared(ResourceKind k, QString scope)
        : kind(std::move(k))
        , ns(std::move(scope)) {}

    const ResourceKind kind;
    const QString ns;

    std::mutex mutex;
    // Guarded by mutex. Null once the reflector is gone: nothing is posted to it any more.
    Reflector *owner = nullptr;
    quint64 currentRun = 0; // events of any other run are dropped
    // Called with mutex held while owner is set: asks the owner's thread to flush soon.
    std::function<void()> requestFlush;
    bool flushScheduled = false;

    std::atomic<int> events{0};
    std::atomic<int> bookmarks{0};
    std::atomic<int> ignored{0};

    // Caller holds mutex. A change of an object that already waits replaces it (an Added
    // stays an Added).
    void push(Delta delta);
    // Caller holds mutex.
    std::vector<Delta> takePending();
    void dropPending();

private:
    std::vector<Delta> m_pending;
    QHash<QString, std::size_t> m_pendingIndex; // "namespace/name" -> index in m_pending
};

struct ListPage {
    std::vector<ObjectPtr> objects;
    QString resourceVersion;
    QString continueToken;
    int ignored = 0;
    std::optional<Error> error;
};

// Pool thread: a list answer checked and turned into objects. Items get the kind and
// apiVersion that list items lack, so that cached objects look like watched ones.
ListPage parseListPage(Result<Json> result, const ResourceKind &kind, const QString &ns);

// Why an object of a watch event or list item cannot be cached, "" when it can: not an object,
// another kind, no name or resourceVersion, a namespace outside the scope.
QString objectProblem(const Json &object, const ResourceKind &kind, const QString &ns,
                      bool kindRequired);

// 410, as HTTP status or as Status reason Expired / Gone.
bool isExpired(const Error &error);

// Transport thread: one line of the watch stream `run`. Changes go to `shared`'s pending buffer
// (dropped when `run` is no longer current); bookmarks move the run's resourceVersion; an
// ERROR ends the run; unknown types and bad objects are counted, logged and skipped.
void takeWatchEvent(const std::shared_ptr<ReflectorShared> &shared,
                    const std::shared_ptr<WatchRun> &run, WatchEvent event);

} // namespace kd::kube::detail
