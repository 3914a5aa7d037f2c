#pragma once
// What the headless commands that read a cluster once share (`kubedeck topology`, `kubedeck
// gpus`): the kubeconfig and its context, the refusal of exec plugins nobody approved, one list
// of each kind (no watch) into a model::ObjectStore, and messages in plain words on stderr under
// the command's name. Failures return exit code 1 with the message already printed.

#include "kube/error.h"
#include "kube/restconfig.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace kd::kube {
class ApiClient;
}
namespace kd::model {
class ObjectStore;
}

namespace kd::cli {

class ClusterList final {
public:
    // `command` names the command in messages: "gpus" prints "kubedeck gpus: ...".
    explicit ClusterList(const char *command);
    ~ClusterList();
    ClusterList(const ClusterList &) = delete;
    ClusterList &operator=(const ClusterList &) = delete;

    // Loads the kubeconfig (`kubeconfigPath`, else $KUBECONFIG, else ~/.kube/config) and resolves
    // `context` (empty: the current-context); refuses an exec plugin the user has not approved.
    // Returns 1 (message printed) when any of that fails, std::nullopt when the client is ready.
    std::optional<int> connect(const QString &kubeconfigPath, const QString &context);
    // The resolved context; only after connect() succeeded.
    const kube::RestConfig &config() const { return *m_config; }

    // Lists each kind of `kindKeys` (keys of model::watchedKinds()) once in `ns` ("" = every
    // namespace) into `store`. A kind the server does not serve, and a kind of `mayBeForbidden`
    // the user may not list, are warnings; any other failure ends the run: returns 1 (message
    // printed). Returns std::nullopt when the store holds what could be listed.
    std::optional<int> list(const QStringList &kindKeys, const QString &ns,
                            model::ObjectStore &store, const QStringList &mayBeForbidden = {});

    // "kubedeck <command>: <message>" on stderr; returns 1.
    int failure(const QString &message) const;
    // "kubedeck <command>: warning: <message>" on stderr.
    void warn(const QString &message) const;

private:
    const char *m_command;
    std::optional<kube::RestConfig> m_config;
    std::unique_ptr<kube::ApiClient> m_client;
};

// What went wrong talking to `server`, in words that say what to check.
QString plainWords(const kube::Error &e, const QUrl &server);

} // namespace kd::cli
