#pragma once
// Where the transport gets the credential to send with a request. Static credentials come from
// the kubeconfig; exec plugins are run (only when approved) and cached until they expire.

#include "kube/error.h"
#include "kube/restconfig.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <functional>
#include <memory>

namespace kd::kube {

class ExecApprovals;

struct Credential {
    QByteArray bearerToken; // "Authorization: Bearer ..." when not empty
    QString username;       // basic auth when not empty
    QByteArray password;
    QByteArray clientCertPem; // client certificate (may come from an exec plugin)
    QByteArray clientKeyPem;
    QDateTime expiry;       // invalid: does not expire
    quint64 generation = 0; // changes whenever the credential is fetched anew
};

// Thread-safe. current() may block (an exec plugin runs up to its time-out), so callers must not
// call it on a thread that serves other requests' I/O.
class CredentialProvider {
public:
    virtual ~CredentialProvider() = default;
    // The credential to send now: cached, re-read (tokenFile) or fetched (exec) as needed.
    virtual Result<Credential> current() = 0;
    // A request sent with `generation` got 401. The next current() fetches anew once per
    // generation (two concurrent 401s of one generation cause one re-exec); for static
    // credentials nothing changes and the 401 stands.
    virtual void unauthorized(quint64 generation) = 0;
    // Whether a 401 is worth one retry with a fresh credential (exec plugins, token files).
    virtual bool canRefresh() const = 0;
};

struct CredentialOptions {
    int execTimeoutMs = 30'000;          // a hanging plugin is killed after this
    qint64 maxExecOutputBytes = 1 << 20; // a flooding plugin is cut off here
    int tokenFileRereadSeconds = 60;
    std::function<QDateTime()> now; // empty: the system clock; tests pass their own
};

// For the RestConfig's user: static credentials, tokenFile or exec plugin. Exec plugins run only
// if `approvals` approves the resolved command; otherwise current() fails with ExecNotApproved.
std::shared_ptr<CredentialProvider> makeCredentialProvider(const RestConfig &config,
                                                           std::shared_ptr<ExecApprovals> approvals,
                                                           CredentialOptions options = {});

} // namespace kd::kube
