#pragma once
// GUI tests answer modal dialogs: `onNextModal(context, act)` runs `act` on the next modal widget
// that `accept` takes (any by default). It polls with a timer, which keeps firing inside the
// dialog's own event loop (a loop that waited here would sit underneath that loop and never see
// it). The timer belongs to `context`: when no dialog comes, it goes away with what `act` uses.

#include <QApplication>
#include <QTimer>
#include <QWidget>

#include <functional>

namespace kd::testing {

inline void onNextModal(QObject *context, std::function<void(QWidget *)> act,
                        std::function<bool(QWidget *)> accept = {}) {
    auto *timer = new QTimer(context);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, act, accept] {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal || (accept && !accept(modal)))
            return;
        timer->stop();
        timer->deleteLater();
        act(modal);
    });
    timer->start();
}

} // namespace kd::testing
