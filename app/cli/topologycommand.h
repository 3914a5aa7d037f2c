#pragma once

#include <QStringList>

namespace kd::cli {

// `kubedeck topology`: lists what the serving topology needs once (no watch) from the cluster
// of a kubeconfig context and prints model::Topology as JSON or Graphviz DOT. Exit codes: 0
// printed, 1 the cluster or kubeconfig failed (message on stderr), 2 usage errors.
// `arguments` starts with the program and command name, as QCommandLineParser expects.
int runTopology(const QStringList &arguments);

} // namespace kd::cli
