#pragma once
// What the YAML editor does with the cluster: open a live object for editing, and send every
// object of the buffer with server-side apply, for real, as a dry run (dryRun=All), or to compare
// the live objects with what a forced apply would make of them (Diff, like `kubectl diff
// --server-side --force-conflicts`). Objects go
// one at a time, each: find its resource (discovery), GET the live object, apply. A 422's field
// causes and a 409's conflicting fields come back as findings on the lines they name.

#include "kube/error.h"
#include "kube/kubeobject.h"
#include "manifest/finding.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace kd::kube {
class ApiClient;
}

namespace kd::ui {

class Connection;

// What happened to one object of the buffer.
struct ManifestOutcome {
    int document = 0; // 0-based index of its YAML document
    QString name;     // kubectl's words: "deployment.apps/web"
    QString object;   // "Deployment ml-serving/web"
    kube::Json live;  // before, stripped for editing; null when it did not exist
    kube::Json after; // the server's answer to the apply, stripped; null when not applied
    std::optional<kube::Error> error;
    QString verdict; // on success: "created", "configured" or "unchanged"
    // A 422's causes and a 409's conflicts, placed on the lines of the fields they name.
    std::vector<manifest::Finding> findings;
    QStringList conflicts; // ".spec.replicas: conflict with \"team\" using apps/v1"
};

struct ManifestRun {
    enum class Mode { Diff, DryRun, Apply, ForceApply };
    quint64 id = 0;
    Mode mode = Mode::DryRun;
    QString text;    // the buffer as it was sent
    QString problem; // the buffer could not be sent at all (YAML errors, no objects, no cluster)
    std::vector<ManifestOutcome> outcomes;
    // Diff: both sides as YAML emitted the same way, documents joined by "---".
    QString liveText;
    QString afterText;

    bool ok() const;
    bool hasConflicts() const;
    std::vector<manifest::Finding> findings() const;
    // One line per object: "deployment.apps/web configured (server dry run)", or its error.
    QStringList summary() const;
};

// The object without what the server keeps for itself: managedFields, resourceVersion, uid,
// creationTimestamp, generation, selfLink and status.
kube::Json strippedForEditing(kube::Json object);

// "deployment.apps/web", "service/web": how kubectl names an object in its messages.
QString kubectlName(const QString &apiVersion, const QString &kind, const QString &name);

class ManifestRunner final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ManifestRunner)

public:
    explicit ManifestRunner(Connection *connection, QObject *parent = nullptr);
    ~ManifestRunner() override;

    // Sends every object of `text`; finished() follows. A run in progress is abandoned (what it
    // already sent stays sent; its answers are ignored).
    quint64 start(ManifestRun::Mode mode, const QString &text);
    bool isRunning() const { return m_running != nullptr; }
    void cancel();

    // GETs one object fresh and answers it as YAML for editing through liveFetched().
    quint64 fetchLive(const kube::ResourceKind &kind, const QString &ns, const QString &name);

signals:
    void finished(const kd::ui::ManifestRun &run);
    // `error` is empty on success.
    void liveFetched(quint64 id, const QString &title, const QString &yaml, const QString &error);

private:
    struct Running;
    void finishWith(QString problem);
    void step();
    void resolveKind(const QString &apiVersion, const QString &kind);
    void getLive(const kube::ResourceKind &kind);
    void applyObject(const kube::ResourceKind &kind);
    void next();
    void finishRun();
    kube::ApiClient *client() const;
    bool current(quint64 id) const;

    Connection *m_connection;
    std::unique_ptr<Running> m_running;
    quint64 m_lastId = 0;
    quint64 m_fetchId = 0;
    QHash<QString, kube::ResourceKind> m_kinds; // "apps/v1/Deployment" -> resource, per cluster
    QPointer<kube::ApiClient> m_kindsClient;    // the client m_kinds was learned from
};

} // namespace kd::ui
