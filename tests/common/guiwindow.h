#pragma once
// Shared steps of the main-window GUI tests: a clean test-mode environment and a shown window.

#include "ui/mainwindow.h"

#include <QSettings>
#include <QStandardPaths>

#include <memory>

namespace kd::testing {

// Test-mode paths, no saved settings, and no personal kubeconfig leaking into the test.
inline void cleanGuiEnvironment() {
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    qputenv("KUBECONFIG", QByteArray(KD_BINARY_DIR "/no-such-kubeconfig"));
}

// A main window, shown and started (it loads the contexts and connects).
inline std::unique_ptr<ui::MainWindow> openWindow(ui::MainWindow::StartOptions options,
                                                  QSize size = QSize(1500, 900)) {
    auto window = std::make_unique<ui::MainWindow>(std::move(options));
    window->resize(size);
    window->show();
    window->start();
    return window;
}

} // namespace kd::testing
