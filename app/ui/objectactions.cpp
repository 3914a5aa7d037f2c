#include "ui/objectactions.h"

#include "kube/permissions.h"
#include "kube/whendone.h"
#include "kube/writeops.h"
#include "model/columns.h"
#include "model/display.h"
#include "semantics/jsonpath.h"
#include "ui/connection.h"
#include "ui/scaledialog.h"

#include <QAction>
#include <QMessageBox>
#include <QPushButton>
#include <QWidget>

namespace kd::ui {

namespace {

bool isOneOf(const QString &key, std::initializer_list<const char *> keys) {
    for (const char *k : keys)
        if (key == QLatin1String(k))
            return true;
    return false;
}

} // namespace

ObjectActions::ObjectActions(Connection *connection, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_connection(connection)
    , m_dialogParent(dialogParent)
    , m_scale(new QAction(tr("Scale…"), this))
    , m_restart(new QAction(tr("Restart"), this))
    , m_rollback(new QAction(tr("Roll back"), this))
    , m_delete(new QAction(tr("Delete…"), this))
    , m_editYaml(new QAction(tr("Edit YAML"), this)) {
    m_scale->setObjectName(QStringLiteral("scaleAction"));
    m_restart->setObjectName(QStringLiteral("restartAction"));
    m_rollback->setObjectName(QStringLiteral("rollbackAction"));
    m_delete->setObjectName(QStringLiteral("deleteAction"));
    m_editYaml->setObjectName(QStringLiteral("editYamlAction"));
    m_delete->setShortcut(QKeySequence::Delete);
    connect(m_scale, &QAction::triggered, this, &ObjectActions::scaleWithDialog);
    connect(m_restart, &QAction::triggered, this, &ObjectActions::confirmRestart);
    connect(m_rollback, &QAction::triggered, this, &ObjectActions::confirmRollback);
    connect(m_delete, &QAction::triggered, this, &ObjectActions::confirmDelete);
    connect(m_editYaml, &QAction::triggered, this, [this] {
        if (m_object)
            emit editYamlRequested(m_kindKey, m_object);
    });
    setSelection(QString(), nullptr);
}

QList<QAction *> ObjectActions::actions() const {
    return {m_scale, m_restart, m_rollback, m_delete, m_editYaml};
}

QString ObjectActions::describe() const {
    if (!m_object)
        return {};
    return m_object->kind() + QLatin1Char(' ') +
           (m_object->namespaceName().isEmpty()
                ? m_object->name()
                : m_object->namespaceName() + QLatin1Char('/') + m_object->name());
}

void ObjectActions::setSelection(const QString &kindKey, const kube::ObjectPtr &object) {
    const bool sameTarget =
        object && m_object && object->uid() == m_object->uid() && kindKey == m_kindKey;
    m_kindKey = kindKey;
    m_object = object;
    if (sameTarget)
        return; // a newer version of the same object: permissions did not change
    ++m_selectionSerial;
    m_applies.clear();
    const bool connected = m_connection->client() != nullptr;
    auto applies = [&](QAction *a, bool ok, const QString &why) {
        m_applies.insert(a, !connected ? tr("Not connected to a cluster.")
                            : !object  ? tr("Select an object first.")
                            : ok       ? QString()
                                       : why);
    };
    applies(m_scale,
            isOneOf(kindKey, {"deployments.apps", "statefulsets.apps", "replicasets.apps"}),
            tr("Only Deployments, StatefulSets and ReplicaSets can be scaled."));
    applies(m_restart,
            isOneOf(kindKey, {"deployments.apps", "statefulsets.apps", "daemonsets.apps"}),
            tr("Only Deployments, StatefulSets and DaemonSets can be restarted."));
    applies(m_rollback, kindKey == QLatin1String("deployments.apps"),
            tr("Only Deployments can be rolled back to a revision."));
    applies(m_delete, kindKey != QLatin1String("events"), tr("Events expire on their own."));
    applies(m_editYaml, kindKey != QLatin1String("events"), tr("Events are not edited."));
    updateEnabled();
    if (!connected || !object)
        return;
    const model::BrowsedKind *kind = model::browsedKind(kindKey);
    if (!kind)
        return;
    if (m_applies.value(m_scale).isEmpty())
        checkPermission(m_scale, QStringLiteral("patch"), kind->kind.group, kind->kind.resource,
                        QStringLiteral("scale"));
    if (m_applies.value(m_restart).isEmpty())
        checkPermission(m_restart, QStringLiteral("patch"), kind->kind.group, kind->kind.resource,
                        QString());
    if (m_applies.value(m_rollback).isEmpty())
        checkPermission(m_rollback, QStringLiteral("patch"), kind->kind.group, kind->kind.resource,
                        QString());
    if (m_applies.value(m_delete).isEmpty())
        checkPermission(m_delete, QStringLiteral("delete"), kind->kind.group, kind->kind.resource,
                        QString());
}

void ObjectActions::checkPermission(QAction *action, const QString &verb, const QString &group,
                                    const QString &resource, const QString &subresource) {
    kube::Permissions *permissions = m_connection->permissions();
    if (!permissions)
        return;
    kube::AccessQuery query{
        verb, group, resource, subresource, m_object->namespaceName(), m_object->name()};
    const QString what =
        subresource.isEmpty() ? resource : resource + QLatin1Char('/') + subresource;
    const QString ns = m_object->namespaceName();
    auto deniedText = [verb, what, ns](const kube::AccessAnswer &answer) {
        QString text =
            ns.isEmpty()
                ? tr("Your account may not %1 %2 (RBAC).").arg(verb, what)
                : tr("Your account may not %1 %2 in namespace \"%3\" (RBAC).").arg(verb, what, ns);
        if (!answer.reason.isEmpty())
            text += QLatin1Char(' ') + answer.reason;
        return text;
    };
    if (auto cached = permissions->cached(query)) {
        if (!cached->allowed)
            m_applies.insert(action, deniedText(*cached));
        updateEnabled();
        return;
    }
    m_applies.insert(action, tr("Checking whether your account may do this…"));
    updateEnabled();
    const quint64 serial = m_selectionSerial;
    kube::whenDone(
        this, permissions->check(query),
        [this, action, serial, deniedText](kube::Result<kube::AccessAnswer> answer) {
            if (serial != m_selectionSerial)
                return;
            if (!answer)
                m_applies.insert(
                    action, tr("Could not check your permissions: %1").arg(answer.error().message));
            else
                m_applies.insert(action, answer->allowed ? QString() : deniedText(*answer));
            updateEnabled();
        });
}

void ObjectActions::updateEnabled() {
    for (QAction *a : actions()) {
        QString why = m_applies.value(a);
        a->setEnabled(why.isEmpty());
        QString base = a->text().remove(QLatin1Char('&'));
        a->setToolTip(why.isEmpty() ? base : base + QStringLiteral(": ") + why);
        a->setStatusTip(why);
    }
}

QString ObjectActions::hpaFor(const kube::ObjectPtr &object, int *min, int *max) const {
    for (const kube::ObjectPtr &hpa : m_connection->store()->list(
             QStringLiteral("horizontalpodautoscalers.autoscaling"), object->namespaceName())) {
        const kube::Json &ref = semantics::jsonAt(hpa->json(), {"spec", "scaleTargetRef"});
        if (model::jsonString(ref, {"kind"}) == object->kind() &&
            model::jsonString(ref, {"name"}) == object->name()) {
            *min = int(model::jsonInt(hpa->json(), {"spec", "minReplicas"}, 1));
            *max = int(model::jsonInt(hpa->json(), {"spec", "maxReplicas"}));
            return hpa->name();
        }
    }
    return {};
}

void ObjectActions::scaleWithDialog() {
    if (!m_object || !m_scale->isEnabled())
        return;
    ScaleDialog::Target target;
    target.kind = m_object->kind();
    target.namespaceName = m_object->namespaceName();
    target.name = m_object->name();
    target.current = int(model::jsonInt(m_object->json(), {"spec", "replicas"}, 1));
    target.hpaName = hpaFor(m_object, &target.hpaMin, &target.hpaMax);
    target.gpusPerPod =
        model::gpuRequestCount(semantics::jsonAt(m_object->json(), {"spec", "template", "spec"}));
    ScaleDialog dialog(target, m_dialogParent);
    if (dialog.exec() == QDialog::Accepted && dialog.replicas() != target.current)
        scaleTo(dialog.replicas());
}

void ObjectActions::scaleTo(int replicas) {
    kube::ApiClient *client = m_connection->client();
    const model::BrowsedKind *kind = model::browsedKind(m_kindKey);
    if (!client || !m_object || !kind)
        return;
    const int current = int(model::jsonInt(m_object->json(), {"spec", "replicas"}, 1));
    const QString what = describe();
    // Only if the count is still what the user saw: a concurrent change wins over a stale dialog.
    report(kube::scale(*client, kind->kind, m_object->namespaceName(), m_object->name(), replicas,
                       current),
           tr("Scaled %1 to %2 replicas.").arg(what).arg(replicas),
           tr("Could not scale %1").arg(what));
}

void ObjectActions::report(QFuture<kube::Result<kube::Json>> write, const QString &done,
                           const QString &failed) {
    kube::whenDone(this, std::move(write), [this, done, failed](kube::Result<kube::Json> result) {
        emit message(result ? done : failed + QStringLiteral(": ") + result.error().message,
                     !result.ok());
        emit finished(result.ok());
    });
}

void ObjectActions::confirmRestart() {
    if (!m_object || !m_restart->isEnabled())
        return;
    if (QMessageBox::question(
            m_dialogParent, tr("Restart"),
            tr("Restart every pod of %1, one rollout at a time?").arg(describe())) ==
        QMessageBox::Yes)
        restart();
}

void ObjectActions::restart() {
    kube::ApiClient *client = m_connection->client();
    const model::BrowsedKind *kind = model::browsedKind(m_kindKey);
    if (!client || !m_object || !kind)
        return;
    const QString what = describe();
    report(kube::restart(*client, kind->kind, m_object->namespaceName(), m_object->name()),
           tr("Restarted %1.").arg(what), tr("Could not restart %1").arg(what));
}

void ObjectActions::confirmRollback() {
    if (!m_object || !m_rollback->isEnabled())
        return;
    if (QMessageBox::question(m_dialogParent, tr("Roll back"),
                              tr("Roll %1 back to its previous revision?").arg(describe())) ==
        QMessageBox::Yes)
        rollback();
}

void ObjectActions::rollback() {
    kube::ApiClient *client = m_connection->client();
    if (!client || !m_object)
        return;
    const QString what = describe();
    kube::whenDone(
        this, kube::rollback(*client, m_object->namespaceName(), m_object->name()),
        [this, what](kube::Result<kube::RollbackResult> result) {
            if (!result)
                emit message(tr("Could not roll back %1: %2").arg(what, result.error().message),
                             true);
            else if (result->skipped)
                emit message(tr("%1: %2").arg(what, result->message), false);
            else
                emit message(tr("Rolled %1 back to revision %2.").arg(what).arg(result->revision),
                             false);
            emit finished(result.ok());
        });
}

void ObjectActions::confirmDelete() {
    if (!m_object || !m_delete->isEnabled())
        return;
    QMessageBox box(QMessageBox::Warning, tr("Delete"),
                    tr("Delete %1? This cannot be undone.").arg(describe()), QMessageBox::Cancel,
                    m_dialogParent);
    box.setObjectName(QStringLiteral("deleteConfirmation"));
    QAbstractButton *yes = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == yes)
        remove();
}

void ObjectActions::remove() {
    kube::ApiClient *client = m_connection->client();
    const model::BrowsedKind *kind = model::browsedKind(m_kindKey);
    if (!client || !m_object || !kind)
        return;
    const QString what = describe();
    report(kube::remove(*client, kind->kind, m_object->namespaceName(), m_object->name()),
           tr("Deleted %1.").arg(what), tr("Could not delete %1").arg(what));
}

} // namespace kd::ui
