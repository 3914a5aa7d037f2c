#pragma once
// Continues a QFuture on `context`'s thread, and not at all once `context` is gone. Unlike
// QFuture::then(context, ...) in Qt 6.4, which asserts when the context dies first, a watcher
// owned by the context dies with it.

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace kd::kube {

template<typename T, typename F> void whenDone(QObject *context, QFuture<T> future, F &&f) {
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, f = std::forward<F>(f)]() mutable {
                         watcher->deleteLater();
                         if (watcher->future().resultCount() > 0)
                             f(watcher->future().takeResult());
                     });
    watcher->setFuture(std::move(future));
}

} // namespace kd::kube
