// The watch side of ApiClient: splitting the chunked stream into lines, parsing each line on the
// transport thread, and the exactly-once close.

#include "kube/clientcore.h"

#include "kube/statuserror.h"

namespace kd::kube {

namespace {

// One event larger than this is not an object the API server would send (etcd caps objects at
// 1.5 MiB by default); a stream that never ends its line must not eat all memory.
constexpr qsizetype kMaxLineBytes = 64 * 1024 * 1024;

WatchEvent::Type eventType(const std::string &name) {
    if (name == "ADDED")
        return WatchEvent::Type::Added;
    if (name == "MODIFIED")
        return WatchEvent::Type::Modified;
    if (name == "DELETED")
        return WatchEvent::Type::Deleted;
    if (name == "BOOKMARK")
        return WatchEvent::Type::Bookmark;
    if (name == "ERROR")
        return WatchEvent::Type::Error;
    return WatchEvent::Type::Unknown;
}

Error protocolError(const QString &message) {
    return Error{ErrorKind::Protocol, message, 200, {}, {}, {}};
}

} // namespace

namespace detail {

bool WatchState::consume(const char *data, size_t size) {
    lineBuffer.append(data, qsizetype(size));
    qsizetype start = 0;
    for (;;) {
        const qsizetype newline = lineBuffer.indexOf('\n', start);
        if (newline < 0)
            break;
        const QByteArray line = lineBuffer.mid(start, newline - start).trimmed();
        start = newline + 1;
        if (!line.isEmpty() && !deliverLine(line)) {
            lineBuffer.clear();
            return false;
        }
    }
    lineBuffer.remove(0, start);
    if (lineBuffer.size() > kMaxLineBytes) {
        lineBuffer.clear();
        closeWith =
            protocolError(QStringLiteral("the watch stream sent an event larger than %1 MiB")
                              .arg(kMaxLineBytes / (1024 * 1024)));
        return false;
    }
    return true;
}

bool WatchState::deliverLine(const QByteArray &line) {
    Json json = Json::parse(line.constBegin(), line.constEnd(), nullptr,
                            /*allow_exceptions=*/false);
    // Never quote the line: it may hold a Secret's data.
    if (json.is_discarded() || !json.is_object()) {
        closeWith = protocolError(QStringLiteral("the watch stream sent an invalid event (not a "
                                                 "JSON object)"));
        return false;
    }
    auto type = json.find("type");
    auto object = json.find("object");
    if (type == json.end() || !type->is_string() || object == json.end() || !object->is_object()) {
        closeWith = protocolError(
            QStringLiteral("the watch stream sent an event without a type or an object"));
        return false;
    }
    WatchEvent event;
    const std::string &typeName = type->get_ref<const std::string &>();
    event.type = eventType(typeName);
    event.typeName = QString::fromStdString(typeName);
    event.object = std::move(*object);
    std::optional<Error> ends;
    if (event.type == WatchEvent::Type::Error)
        ends = errorFromStatus(nlohmann::json(event.object), 0);

    std::lock_guard lock(deliveryMutex);
    if (cancelFlag->load() || closed.load())
        return false;
    if (callbacks.onEvent)
        callbacks.onEvent(std::move(event));
    if (ends) {
        // The server ends the stream after an ERROR event; so do we, with the mapped Status.
        closeWith = std::move(ends);
        return false;
    }
    return true;
}

void WatchState::close(std::optional<Error> error) {
    if (closed.exchange(true))
        return;
    WatchCallbacks dropped;
    {
        std::lock_guard lock(deliveryMutex);
        dropped = std::move(callbacks);
        callbacks = {};
        if (dropped.onClosed)
            dropped.onClosed(std::move(error));
    }
    // `dropped` (and whatever the callbacks captured) goes away outside the lock.
}

} // namespace detail

WatchHandle::WatchHandle(std::shared_ptr<detail::WatchState> state)
    : m_state(std::move(state)) {}

void WatchHandle::cancel() {
    m_state->cancelFlag->store(true);
    if (auto core = m_state->core.lock())
        core->transport().wake();
    // Wait for a callback running on the transport thread; from inside a callback the flag is
    // enough (the lock is ours already).
    if (std::this_thread::get_id() != m_state->transportThread) {
        std::lock_guard lock(m_state->deliveryMutex);
    }
}

bool WatchHandle::isClosed() const {
    return m_state->closed.load();
}

} // namespace kd::kube
