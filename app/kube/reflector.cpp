#include "kube/reflector.h"

#include "kube/apiclient.h"
#include "kube/reflectorintake.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcReflector, "kubedeck.kube.reflector", QtInfoMsg)

namespace kd::kube {

using namespace detail;

namespace {

// A server that hands back the same continue token again, or pages forever, is broken.
constexpr int kMaxPages = 100'000;

bool isPermanent(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Config:
    case ErrorKind::Credential:
    case ErrorKind::ExecNotApproved:
    case ErrorKind::Unauthorized: // the client already retried once with a fresh credential
    case ErrorKind::Forbidden:
    case ErrorKind::NotFound: // the kind is not served
    case ErrorKind::Invalid:
    case ErrorKind::Conflict:
        return true;
    default:
        return false;
    }
}

} // namespace

Reflector::Reflector(ApiClient *client, ResourceKind kind, QString namespaceScope,
                     ReflectorOptions options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_kind(std::move(kind))
    , m_namespace(m_kind.namespaced ? std::move(namespaceScope) : QString())
    , m_options(options)
    , m_shared(std::make_shared<ReflectorShared>(m_kind, m_namespace))
    , m_backoff(options.backoff)
    , m_rng(std::random_device{}()) {
    m_shared->owner = this;
    m_shared->requestFlush = [this] {
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (!m_flushTimer.isActive())
                    m_flushTimer.start();
            },
            Qt::QueuedConnection);
    };
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (!m_running)
            return;
        if (m_next == Next::Relist)
            startList();
        else
            startWatch();
    });
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(std::max(0, m_options.coalesceMs));
    connect(&m_flushTimer, &QTimer::timeout, this, &Reflector::flush);
}

Reflector::~Reflector() {
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->owner = nullptr;
        m_shared->currentRun = 0;
    }
    // Outside the lock: cancel() waits for a callback that may be waiting for it.
    cancelWatch();
}

void Reflector::start() {
    if (m_running)
        return;
    m_running = true;
    m_lastError.reset();
    startList();
}

void Reflector::stop() {
    m_running = false;
    ++m_generation;
    m_retryTimer.stop();
    m_flushTimer.stop();
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->currentRun = 0;
        m_shared->dropPending();
        m_shared->flushScheduled = false;
    }
    cancelWatch();
    m_listItems.clear();
    m_parsedPages.clear();
    m_pageRequests.clear();
    setState(State::Idle);
}

ReflectorStats Reflector::stats() const {
    ReflectorStats s = m_stats;
    s.events = m_shared->events.load();
    s.bookmarks = m_shared->bookmarks.load();
    s.ignoredLines += m_shared->ignored.load();
    return s;
}

QString Reflector::stateName(State state) {
    switch (state) {
    case State::Idle:
        return QStringLiteral("Idle");
    case State::Listing:
        return QStringLiteral("Listing");
    case State::Watching:
        return QStringLiteral("Watching");
    case State::BackingOff:
        return QStringLiteral("BackingOff");
    case State::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

void Reflector::startList() {
    cancelWatch();
    ++m_generation;
    m_listItems.clear();
    m_listRv.clear();
    m_continue.clear();
    m_pages = 0;
    m_pageRequests.clear();
    m_parsedPages.clear();
    if (m_stats.lists > 0)
        ++m_stats.relists;
    ++m_stats.lists;
    setState(State::Listing);
    requestPage(QString());
}

void Reflector::requestPage(const QString &continueToken) {
    const int index = int(m_pageRequests.size());
    m_pageRequests.push_back(continueToken);
    const quint64 generation = m_generation;
    ListOptions options;
    options.limit = m_options.pageSize;
    options.continueToken = continueToken;
    options.onHead = [shared = m_shared, generation, index](const QString &next) {
        if (next.isEmpty())
            return;
        std::lock_guard lock(shared->mutex);
        if (Reflector *owner = shared->owner)
            QMetaObject::invokeMethod(
                owner,
                [owner, generation, index, next] { owner->onPageHead(generation, index, next); },
                Qt::QueuedConnection);
    };
    // Parsing into objects runs on a pool thread (Launch::Async also when the answer is
    // already there). A watcher owned by this object brings the page here: unlike
    // QFuture::then(context), it is safe when this object goes away first.
    auto *watcher = new QFutureWatcher<ListPage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, index] {
        watcher->deleteLater();
        if (generation != m_generation || !m_running || watcher->future().resultCount() == 0)
            return; // stopped or restarted meanwhile
        onPage(index, watcher->future().takeResult());
    });
    watcher->setFuture(
        m_client->list(m_kind, m_namespace, options)
            .then(QtFuture::Launch::Async, [kind = m_kind, ns = m_namespace](Result<Json> result) {
                return parseListPage(std::move(result), kind, ns);
            }));
}

void Reflector::onPageHead(quint64 generation, int index, const QString &next) {
    // Page `index` is still being parsed; let the server prepare the next one meanwhile.
    if (generation != m_generation || !m_running || index + 1 != int(m_pageRequests.size()) ||
        next == m_pageRequests.back() || index + 1 >= kMaxPages)
        return; // stale, already asked, or a repeating token (takePage reports that)
    ++m_stats.pagesAskedEarly;
    requestPage(next);
}

void Reflector::onPage(int index, ListPage page) {
    m_parsedPages.emplace(index, std::make_unique<ListPage>(std::move(page)));
    while (!m_parsedPages.empty() && m_parsedPages.begin()->first == m_pages) {
        std::unique_ptr<ListPage> next = std::move(m_parsedPages.begin()->second);
        m_parsedPages.erase(m_parsedPages.begin());
        if (!takePage(std::move(*next)))
            return;
    }
}

// False when the list ended, failed or restarted: later pages do not belong to it.
bool Reflector::takePage(ListPage page) {
    const quint64 generation = m_generation;
    // A page asked for early used the token its predecessor's head showed; the parsed page
    // must agree.
    auto inconsistent = [this] {
        onListError(makeError(
            ErrorKind::Protocol,
            QStringLiteral("The list of %1 sent two different continue tokens in one page")
                .arg(m_kind.key())));
        return false;
    };
    if (page.error) {
        onListError(*page.error);
        return false;
    }
    ++m_stats.listPages;
    m_stats.ignoredLines += page.ignored;
    if (page.ignored > 0)
        qCWarning(lcReflector).noquote()
            << QStringLiteral("%1: ignored %2 list items without kind, name or resourceVersion")
                   .arg(m_kind.key())
                   .arg(page.ignored);
    if (m_listRv.isEmpty())
        m_listRv = page.resourceVersion; // every page of one list shares the first one's
    std::move(page.objects.begin(), page.objects.end(), std::back_inserter(m_listItems));
    ++m_pages;
    if (!page.continueToken.isEmpty()) {
        if (page.continueToken == m_continue || m_pages >= kMaxPages) {
            onListError(makeError(
                ErrorKind::Protocol,
                QStringLiteral("The list of %1 does not end: the server keeps sending pages")
                    .arg(m_kind.key())));
            return false;
        }
        m_continue = page.continueToken;
        if (m_pages == int(m_pageRequests.size()))
            requestPage(m_continue); // not asked for early
        else if (m_pageRequests[std::size_t(m_pages)] != m_continue)
            return inconsistent();
        return generation == m_generation;
    }
    if (m_pages < int(m_pageRequests.size())) {
        return inconsistent();
    }
    if (m_listRv.isEmpty()) {
        onListError(makeError(ErrorKind::Protocol,
                              QStringLiteral("The list of %1 has no resourceVersion to watch from")
                                  .arg(m_kind.key())));
        return false;
    }
    m_expiredContinues = 0;
    m_continue.clear();
    DeltaBatch batch;
    batch.kind = m_kind;
    batch.namespaceScope = m_namespace;
    batch.replace = true;
    batch.deltas.reserve(m_listItems.size());
    for (ObjectPtr &o : m_listItems)
        batch.deltas.push_back(Delta{Delta::Type::Added, std::move(o)});
    m_listItems.clear();
    {
        // Changes that waited from an earlier watch are older than this complete set.
        std::lock_guard lock(m_shared->mutex);
        m_shared->dropPending();
    }
    m_lastRv = m_listRv;
    m_lastError.reset();
    ++m_stats.batches;
    emit batchReady(batch);
    if (!m_running)
        return false; // a receiver stopped us
    const bool first = !m_synced;
    m_synced = true;
    startWatch();
    if (first)
        emit synced();
    return false;
}

void Reflector::onListError(const Error &error) {
    m_listItems.clear();
    if (error.kind == ErrorKind::Cancelled)
        return;
    if (isExpired(error) && !m_continue.isEmpty()) {
        // The continue token expired: start the list again, at once the first time.
        if (m_expiredContinues++ == 0) {
            startList();
            return;
        }
        retryLater(Next::Relist, error);
        return;
    }
    if (isPermanent(error.kind)) {
        fail(error);
        return;
    }
    retryLater(Next::Relist, error);
}

void Reflector::startWatch() {
    cancelWatch();
    auto run = std::make_shared<WatchRun>();
    run->id = ++m_runCounter;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->currentRun = run->id;
    }
    WatchOptions options;
    options.resourceVersion = m_lastRv;
    options.allowWatchBookmarks = true;
    const int lo = std::max(1, m_options.watchTimeoutMinSeconds);
    const int hi = std::max(lo, m_options.watchTimeoutMaxSeconds);
    options.timeoutSeconds = std::uniform_int_distribution<int>(lo, hi)(m_rng);
    int idle = m_options.readIdleTimeoutSeconds > 0 ? m_options.readIdleTimeoutSeconds
                                                    : m_client->options().watchIdleTimeoutSeconds;
    // A silent connection must be noticed before the server would have ended the watch.
    if (idle <= 0 || idle >= options.timeoutSeconds)
        idle = std::max(1, options.timeoutSeconds - 1);
    options.readIdleTimeoutSeconds = idle;

    WatchCallbacks callbacks;
    callbacks.onEvent = [shared = m_shared, run](WatchEvent event) {
        takeWatchEvent(shared, run, std::move(event));
    };
    callbacks.onClosed = [shared = m_shared, run](std::optional<Error> error) {
        std::lock_guard lock(shared->mutex);
        Reflector *owner = shared->owner;
        if (!owner || shared->currentRun != run->id)
            return;
        QMetaObject::invokeMethod(
            owner, [owner, run, error] { owner->onWatchClosed(run, error); }, Qt::QueuedConnection);
    };
    ++m_stats.watches;
    m_run = run;
    m_watchStarted = std::chrono::steady_clock::now();
    qCDebug(lcReflector).noquote() << QStringLiteral("%1: watching from %2 (timeout %3 s)")
                                          .arg(m_kind.key(), m_lastRv)
                                          .arg(options.timeoutSeconds);
    m_watch = m_client->watch(m_kind, m_namespace, options, std::move(callbacks));
    setState(State::Watching);
}

void Reflector::onWatchClosed(const std::shared_ptr<WatchRun> &run, std::optional<Error> error) {
    if (!m_running || run != m_run)
        return;
    m_watch.reset();
    m_run.reset();
    QString lastRv;
    int activity = 0;
    bool expired = false;
    std::optional<Error> errorEvent;
    {
        std::lock_guard lock(m_shared->mutex);
        lastRv = run->lastRv;
        activity = run->activity;
        expired = run->expired;
        errorEvent = run->errorEvent;
    }
    if (!lastRv.isEmpty())
        m_lastRv = lastRv;
    const auto lasted = std::chrono::steady_clock::now() - m_watchStarted;
    const bool quick =
        activity == 0 && lasted < std::chrono::milliseconds(m_options.quickWatchEndMs);
    qCDebug(lcReflector).noquote()
        << QStringLiteral("%1: the watch ended after %2 ms, %3 events (%4)")
               .arg(m_kind.key())
               .arg(std::chrono::duration_cast<std::chrono::milliseconds>(lasted).count())
               .arg(activity)
               .arg(error     ? error->message
                    : expired ? QStringLiteral("expired")
                              : QString());

    if (expired || (error && isExpired(*error))) {
        // The resourceVersion is too old: relist. A watch from a fresh list that expires at
        // once means the server keeps doing it: back off first.
        Error gone = error && isExpired(*error)
                         ? *error
                         : makeError(ErrorKind::Gone,
                                     QStringLiteral("The watch of %1 expired").arg(m_kind.key()));
        if (quick)
            retryLater(Next::Relist, gone);
        else
            startList();
        return;
    }
    if (!error && errorEvent)
        error = errorEvent;
    if (!error) {
        // timeoutSeconds passed or the connection closed cleanly: resume without a relist.
        if (quick)
            retryLater(Next::Rewatch, std::nullopt);
        else
            startWatch();
        return;
    }
    if (error->kind == ErrorKind::Cancelled)
        return;
    if (isPermanent(error->kind)) {
        fail(*error);
        return;
    }
    if ((error->kind == ErrorKind::Timeout || error->kind == ErrorKind::Protocol) && !quick) {
        // A silent or cut-off stream after a while: reconnect from the last version at once
        // (a truncated line was not taken in, so the server sends it again).
        startWatch();
        return;
    }
    retryLater(Next::Rewatch, error);
}

void Reflector::retryLater(Next next, std::optional<Error> error) {
    cancelWatch();
    const auto delay = m_backoff.next(error ? error->retryAfterSeconds : std::nullopt);
    ++m_stats.backoffs;
    m_next = next;
    m_lastError = std::move(error);
    m_retryInMs = static_cast<int>(delay.count());
    m_retryTimer.start(delay);
    qCDebug(lcReflector).noquote()
        << QStringLiteral("%1: retrying in %2 ms (%3)")
               .arg(m_kind.key())
               .arg(m_retryInMs)
               .arg(m_lastError ? m_lastError->message : QStringLiteral("the watch ended"));
    setState(State::BackingOff);
}

void Reflector::fail(const Error &error) {
    cancelWatch();
    m_retryTimer.stop();
    m_running = false;
    ++m_generation;
    m_lastError = error;
    qCWarning(lcReflector).noquote()
        << QStringLiteral("%1: stopped: %2").arg(m_kind.key(), error.message);
    setState(State::Failed);
}

void Reflector::flush() {
    std::vector<Delta> deltas;
    {
        std::lock_guard lock(m_shared->mutex);
        deltas = m_shared->takePending();
        m_shared->flushScheduled = false;
    }
    if (deltas.empty() || !m_running)
        return;
    DeltaBatch batch;
    batch.kind = m_kind;
    batch.namespaceScope = m_namespace;
    batch.deltas = std::move(deltas);
    ++m_stats.batches;
    emit batchReady(batch);
}

void Reflector::cancelWatch() {
    if (!m_watch)
        return;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->currentRun = 0;
    }
    std::shared_ptr<WatchHandle> watch = std::move(m_watch);
    m_run.reset();
    watch->cancel();
}

void Reflector::setState(State state) {
    if (m_state == state && state != State::BackingOff)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace kd::kube
