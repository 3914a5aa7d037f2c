#pragma once

namespace kd::ui {

// Parses the window's options (--kubeconfig, --context, --namespace, --sandbox), opens the main
// window and runs the event loop; returns the exit code (2 for usage errors).
int runGui(int argc, char **argv);

} // namespace kd::ui
