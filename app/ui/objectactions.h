#pragma once
// What the user can do to the selected object: scale, restart, roll back to the previous
// revision, delete, edit its YAML. Each action is enabled only when it applies to the kind and the
// user's RBAC allows it; otherwise its tooltip says why. Results come back as messages where the
// user acted.

#include "kube/error.h"
#include "kube/kubeobject.h"

#include <QFuture>

#include <QHash>
#include <QObject>
#include <QPointer>

class QAction;
class QWidget;

namespace kd::ui {

class Connection;

class ObjectActions final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ObjectActions)

public:
    ObjectActions(Connection *connection, QWidget *dialogParent);

    QList<QAction *> actions() const;
    QAction *scaleAction() const { return m_scale; }
    QAction *restartAction() const { return m_restart; }
    QAction *rollbackAction() const { return m_rollback; }
    QAction *deleteAction() const { return m_delete; }
    QAction *editYamlAction() const { return m_editYaml; }

    void setSelection(const QString &kindKey, const kube::ObjectPtr &object);

    // The work behind the actions, without dialogs (the dialogs call these).
    void scaleTo(int replicas);
    void restart();
    void rollback();
    void remove();

signals:
    // A result or failure in plain words; `error` failures also show a dialog.
    void message(const QString &text, bool error);
    // A write finished (successfully or not); tests wait for it.
    void finished(bool ok);
    // "Edit YAML": the window opens the object in the YAML editor.
    void editYamlRequested(const QString &kindKey, const kd::kube::ObjectPtr &object);

private:
    void scaleWithDialog();
    void confirmRestart();
    void confirmRollback();
    void confirmDelete();
    void updateEnabled();
    // Says `done` or `failed: <why>` when the write finishes, and emits finished().
    void report(QFuture<kube::Result<kube::Json>> write, const QString &done,
                const QString &failed);
    // Asks (once, then cached) whether the user may `verb` `resource`/`subresource`.
    void checkPermission(QAction *action, const QString &verb, const QString &group,
                         const QString &resource, const QString &subresource);
    QString hpaFor(const kube::ObjectPtr &object, int *min, int *max) const;
    QString describe() const;

    Connection *m_connection;
    QPointer<QWidget> m_dialogParent;
    QAction *m_scale;
    QAction *m_restart;
    QAction *m_rollback;
    QAction *m_delete;
    QAction *m_editYaml;
    QString m_kindKey;
    kube::ObjectPtr m_object;
    quint64 m_selectionSerial = 0;       // permission answers for an older selection are dropped
    QHash<QAction *, QString> m_applies; // why an action does not apply ("" = it applies)
};

} // namespace kd::ui
