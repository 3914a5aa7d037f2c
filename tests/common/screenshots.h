#pragma once
// GUI tests save what they see to build/<preset>/screenshots/<name>.png for people to look at.

#include <QDir>
#include <QPixmap>
#include <QString>
#include <QTest>
#include <QWidget>

namespace kd::testing {

inline QString screenshotDir() {
    return QStringLiteral(KD_BINARY_DIR "/screenshots");
}

// Grabs `widget` (offscreen rendering works) and saves it; fails the test if it cannot.
inline bool saveScreenshot(QWidget *widget, const QString &name) {
    QDir().mkpath(screenshotDir());
    QPixmap pixmap = widget->grab();
    const QString path = screenshotDir() + QLatin1Char('/') + name + QStringLiteral(".png");
    return !pixmap.isNull() && pixmap.save(path);
}

} // namespace kd::testing
