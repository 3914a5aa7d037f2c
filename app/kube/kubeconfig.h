#pragma once
// Loading kubeconfig files the way client-go does (behaviour reference §1): which files, how they
// merge, how relative paths resolve; then resolving one context into a validated RestConfig.
// Problems name the file, the entry (`user "alice"`) and what is wrong, never a secret.

#include "kube/error.h"
#include "kube/restconfig.h"

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <string>

namespace kd::kube {

struct KubeconfigLoadOptions {
    QString explicitPath;                 // --kubeconfig: only this file, and it must exist
    std::optional<QString> kubeconfigEnv; // $KUBECONFIG when set (even if empty)
    QString homeDir;                      // for ~/.kube/config

    // The real process environment (KUBECONFIG, HOME) with an optional explicit path.
    static KubeconfigLoadOptions fromEnvironment(const QString &explicitPath = {});
};

// One row of the context picker.
struct KubeconfigContextInfo {
    QString name;
    QString cluster;
    QString user;
    QString namespaceName; // "default" when the context sets none
    QString server;
    bool insecure = false;
    QString authMethod; // in words: "client certificate", "token", "exec: aws", ...
    QString sourceFile;
};

// The winning definition of one named cluster, user or context.
struct KubeconfigEntry {
    QString name;
    nlohmann::json value; // the inner map; relative paths already made absolute
    QString sourceFile;
    int line = 0;                          // of the list item; 0 when unknown
    std::map<std::string, int> fieldLines; // "client-key", "exec.command", ... -> line
};

class Kubeconfig final {
public:
    QList<KubeconfigContextInfo> contexts() const; // in file order
    QString currentContext() const { return m_currentContext; }
    QString currentContextSource() const { return m_currentContextSource; }
    QStringList warnings() const { return m_warnings; }
    QStringList files() const { return m_files; } // the files that were read, in order

    const KubeconfigEntry *cluster(const QString &name) const;
    const KubeconfigEntry *user(const QString &name) const;
    const KubeconfigEntry *context(const QString &name) const;

    // The named context (or the current one) with every field rule and validation applied.
    // Reads certificate, key, CA and token files now, each with a size cap.
    Result<RestConfig> resolve(const QString &context = {}) const;

private:
    friend class KubeconfigBuilder;
    QList<KubeconfigEntry> m_clusters;
    QList<KubeconfigEntry> m_users;
    QList<KubeconfigEntry> m_contexts;
    QMap<QString, qsizetype> m_clusterIndex;
    QMap<QString, qsizetype> m_userIndex;
    QMap<QString, qsizetype> m_contextIndex;
    QString m_currentContext;
    QString m_currentContextSource;
    QStringList m_warnings;
    QStringList m_files;
};

Result<Kubeconfig> loadKubeconfig(const KubeconfigLoadOptions &options);

// --- small helpers shared with the credential provider ---------------------------------------

// Files named by a kubeconfig (cert, key, CA, token) are small; anything bigger is refused.
inline constexpr qint64 kMaxCredentialFileBytes = 1 << 20;
inline constexpr qint64 kMaxKubeconfigBytes = 16 << 20;

// Reads a file up to `maxBytes`; the error message names `what` (e.g. `client-key "/p"`).
Result<QByteArray> readCappedFile(const QString &path, qint64 maxBytes, const QString &what);

// A bearer token from a tokenFile: trimmed, one line of printable ASCII, not a private key.
// `what` names the entry for messages, e.g. `user "alice": tokenFile "/p"`.
Result<QByteArray> tokenFromFileContent(const QByteArray &content, const QString &what);

// Why `pem` is not usable as a PEM private key ("" when it is). Never quotes the content.
QString privateKeyProblem(const QByteArray &pem);
// Why `pem` is not one or more PEM certificates ("" when it is).
QString certificateProblem(const QByteArray &pem);

// The plugin's absolute path: commands with a separator are already absolute after loading;
// bare names are looked up on PATH. Empty when not found.
QString resolveExecCommand(const QString &command);

} // namespace kd::kube
