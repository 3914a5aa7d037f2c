#pragma once
// List+watch of one kind in one namespace scope, as client-go's reflector does it: a paged list,
// then a watch from the list's resourceVersion that is resumed from the last seen version when
// it ends, a relist when the server says that version is gone, and backoff instead of a busy
// loop. Objects are built on the transport and pool threads; the owner's thread receives
// coalesced DeltaBatches (at most about ten per second).

#include "kube/backoff.h"
#include "kube/error.h"
#include "kube/kubeobject.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <random>

namespace kd::kube {

class ApiClient;
class WatchHandle;

namespace detail {
struct ReflectorShared;
struct WatchRun;
struct ListPage;
} // namespace detail

struct ReflectorOptions {
    int pageSize = 500;
    // Each watch asks the server to end it after a random time in this range, so that many
    // clients do not reconnect together.
    int watchTimeoutMinSeconds = 300;
    int watchTimeoutMaxSeconds = 600;
    // A watch silent for this long is dead. -1: the client's watchIdleTimeoutSeconds. Always
    // kept below the watch's timeoutSeconds.
    int readIdleTimeoutSeconds = -1;
    // Watch events are collected for this long before they are delivered as one batch.
    int coalesceMs = 100;
    // A watch that ends sooner than this without a single event is backed off.
    int quickWatchEndMs = 1000;
    BackoffPolicy backoff;
};

struct ReflectorStats {
    int lists = 0;           // complete lists started (the first one and every relist)
    int relists = 0;         // lists after the first
    int listPages = 0;       // pages received
    int pagesAskedEarly = 0; // pages asked for while the page before was still being parsed
    int watches = 0;         // watch requests started
    int events = 0;          // ADDED, MODIFIED and DELETED events taken in
    int bookmarks = 0;       // BOOKMARK events
    int backoffs = 0;        // waits before a retry
    int ignoredLines = 0;    // unknown event types, wrong kinds, objects without name/version
    int batches = 0;         // batches delivered
};

class Reflector final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Reflector)

public:
    enum class State {
        Idle,       // not started, or stopped
        Listing,    // a (re)list is in progress
        Watching,   // the watch is open
        BackingOff, // waiting retryInMs() after lastError() (or a watch that ended at once)
        Failed,     // lastError() will not go away by retrying (401, 403, 404, ...)
    };
    Q_ENUM(State)

    // `client` must outlive the reflector. `namespaceScope` "" lists all namespaces (and is
    // ignored for cluster-scoped kinds).
    Reflector(ApiClient *client, ResourceKind kind, QString namespaceScope,
              ReflectorOptions options = {}, QObject *parent = nullptr);
    ~Reflector() override;

    void start();
    // Cancels the list or watch in progress; undelivered changes are dropped.
    void stop();

    const ResourceKind &kind() const { return m_kind; }
    const QString &namespaceScope() const { return m_namespace; }
    State state() const { return m_state; }
    // The first list was delivered (stays true through later backoffs and relists).
    bool hasSynced() const { return m_synced; }
    const std::optional<Error> &lastError() const { return m_lastError; }
    // In BackingOff: the delay before the next attempt.
    int retryInMs() const { return m_retryInMs; }
    // The resourceVersion the next watch would start from.
    QString resourceVersion() const { return m_lastRv; }
    ReflectorStats stats() const;

    static QString stateName(State state);

signals:
    void batchReady(const kd::kube::DeltaBatch &batch);
    void stateChanged(kd::kube::Reflector::State state);
    // Once, when the first list was delivered.
    void synced();

private:
    enum class Next { Relist, Rewatch };

    void startList();
    void requestPage(const QString &continueToken);
    void onPageHead(quint64 generation, int index, const QString &next);
    void onPage(int index, detail::ListPage page);
    bool takePage(detail::ListPage page);
    void onListError(const Error &error);
    void startWatch();
    void onWatchClosed(const std::shared_ptr<detail::WatchRun> &run, std::optional<Error> error);
    void retryLater(Next next, std::optional<Error> error);
    void fail(const Error &error);
    void flush();
    void cancelWatch();
    void setState(State state);

    ApiClient *m_client;
    ResourceKind m_kind;
    QString m_namespace;
    ReflectorOptions m_options;
    std::shared_ptr<detail::ReflectorShared> m_shared;

    State m_state = State::Idle;
    bool m_running = false;
    bool m_synced = false;
    std::optional<Error> m_lastError;
    int m_retryInMs = 0;
    quint64 m_generation = 0; // bumps on every list and stop: stale answers are dropped

    // The list in progress. The next page is asked for as soon as a page's continue token is
    // read, so pages may finish parsing out of order; they are taken in order.
    std::vector<ObjectPtr> m_listItems;
    QString m_listRv;
    QString m_continue;
    int m_pages = 0;                     // pages taken
    std::vector<QString> m_pageRequests; // the continue token each page was asked with
    std::map<int, std::unique_ptr<detail::ListPage>> m_parsedPages; // waiting for an earlier page
    int m_expiredContinues = 0;                                     // in a row

    // The watch.
    QString m_lastRv;
    std::shared_ptr<WatchHandle> m_watch;
    std::shared_ptr<detail::WatchRun> m_run;
    quint64 m_runCounter = 0;
    std::chrono::steady_clock::time_point m_watchStarted;

    Backoff m_backoff;
    Next m_next = Next::Relist;
    QTimer m_retryTimer;
    QTimer m_flushTimer;
    std::mt19937 m_rng;
    ReflectorStats m_stats; // the owner thread's part; events etc. come from m_shared
};

} // namespace kd::kube
