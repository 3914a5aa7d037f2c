#pragma once
// A kubeconfig can make Kubedeck run any program (behaviour reference §1, §6). Exec plugins run
// only after the user approved that exact executable: approvals are keyed by the absolute path
// and the SHA-256 of the file's content, so a replaced binary needs a new approval.

#include "kube/error.h"
#include "kube/restconfig.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace kd::kube {

// What the approval prompt shows before an exec plugin runs for the first time.
struct ExecDescription {
    QString warning;                    // one line: the kubeconfig asks to run a program
    QString command;                    // absolute path, or the command as written when not found
    QStringList args;                   // verbatim
    QList<QPair<QString, QString>> env; // values of secret-looking names masked
    QString workingDirectory;
    QString sha256; // hex of the executable's content; empty when it cannot be read

    QString text() const; // all of the above as plain text for a dialog
};

class ExecApprovals final {
public:
    // Like upstream's credential plugin policy: ask (remembered approvals), run anything, run
    // nothing, or run only listed absolute paths without asking.
    enum class Policy { Ask, AllowAll, DenyAll, Allowlist };
    enum class Decision { Approved, NeedsApproval, Denied };

    // `storePath`: the JSON file of remembered approvals (created 0600 when first written).
    explicit ExecApprovals(QString storePath);

    void setPolicy(Policy policy, QStringList allowlist = {});
    Policy policy() const;

    Decision decide(const ExecConfig &exec) const;
    bool isApproved(const ExecConfig &exec) const { return decide(exec) == Decision::Approved; }
    // Remembers the approval of the executable as it is now (path + content hash) and saves.
    std::optional<Error> approve(const ExecConfig &exec);
    std::optional<Error> revoke(const ExecConfig &exec);

    ExecDescription describe(const ExecConfig &exec) const;

    // Words for settings and messages: "Ask", "AllowAll", "DenyAll", "Allowlist".
    static QString policyName(Policy policy);
    // Where Kubedeck (window and headless commands alike) remembers approvals:
    // exec-approvals.json in the application's configuration folder.
    static QString defaultStorePath();

private:
    QString hashOf(const QString &path) const; // cached by size and modification time
    void loadLocked();
    std::optional<Error> saveLocked() const;

    struct CachedHash {
        qint64 size = -1;
        QDateTime modified;
        QString sha256;
    };

    const QString m_storePath;
    mutable QMutex m_mutex;
    Policy m_policy = Policy::Ask;
    QStringList m_allowlist;
    QHash<QString, QString> m_approved; // absolute path -> sha256 hex
    mutable QHash<QString, CachedHash> m_hashCache;
};

} // namespace kd::kube
