#pragma once

#include <QStringList>

namespace kd::cli {

// `kubedeck sandbox [--scenario NAME|FILE] [--port N] [--tls|--plain-http] [--kubeconfig-out FILE]
// [--speed X] [--fault-...]`. arguments[0] is the program name.
int runSandbox(const QStringList &arguments);

} // namespace kd::cli
