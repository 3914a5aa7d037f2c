#pragma once
// Running one exec credential plugin (client-go plugin/pkg/client/auth/exec): no shell, a
// time-out, an output cap, KUBERNETES_EXEC_INFO, and strict checks of the ExecCredential it
// prints. Blocking: call it from a worker thread, never from the GUI thread.

#include "kube/credentials.h"
#include "kube/error.h"
#include "kube/restconfig.h"

#include <QByteArray>
#include <QDateTime>

#include <functional>

namespace kd::kube {

struct ExecRunOptions {
    int timeoutMs = 30'000;
    qint64 maxOutputBytes = 1 << 20;
    std::function<QDateTime()> now; // empty: the system clock (tests pass their own)
};

// Runs config.exec (which must be set) and returns its credential; generation is left 0.
// The caller has checked the approval. Every message is redacted and names the user and plugin.
Result<Credential> runExecPlugin(const RestConfig &config, const ExecRunOptions &options);

// The ExecCredential passed to the plugin in KUBERNETES_EXEC_INFO.
QByteArray execInfoJson(const RestConfig &config);

} // namespace kd::kube
