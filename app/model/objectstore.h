#pragma once
// The live cache of cluster objects on the GUI thread: what the reflectors listed and watched,
// by kind, namespace and name, by uid, and by owner. Every applyBatch() call announces its
// changes with one objectsChanged() per kind, so derived models update incrementally.

#include "kube/kubeobject.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace kd::model {

using ObjectList = std::vector<kube::ObjectPtr>;

class ObjectStore final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ObjectStore)

public:
    explicit ObjectStore(QObject *parent = nullptr);
    ~ObjectStore() override;

    // Applies a reflector's batch. A replace batch is the complete set of its kind in its
    // namespace scope: objects of that kind in that scope that it does not hold are removed;
    // objects in other namespaces are left alone. Deltas: Added/Modified insert or replace
    // (whichever the object is to the store), Deleted removes (a delete of an unknown object is
    // ignored). An object whose resourceVersion did not change counts as unchanged.
    void applyBatch(const kube::DeltaBatch &batch);
    void applyBatches(const std::vector<kube::DeltaBatch> &batches);
    // Drops every object of a kind (reset(kindKey)) or of every kind.
    void clear(const QString &kindKey);
    void clear();

    kube::ObjectPtr get(const QString &kindKey, const QString &ns, const QString &name) const;
    kube::ObjectPtr byUid(const QString &uid) const;
    // Sorted by namespace, then name. An empty `ns` lists every namespace.
    ObjectList list(const QString &kindKey, const QString &ns = {}) const;
    qsizetype count(const QString &kindKey, const QString &ns = {}) const;
    // Objects whose metadata.ownerReferences name `uid` (a ReplicaSet's Pods, a Deployment's
    // ReplicaSets), sorted by kind, namespace and name.
    ObjectList ownedBy(const QString &uid) const;
    // Kind keys that hold at least one object, sorted.
    QStringList kinds() const;
    qsizetype totalCount() const { return m_total; }

signals:
    // One per kind per applyBatch() call that changed anything, after the store is updated.
    void objectsChanged(const QString &kindKey, const kd::model::ObjectList &added,
                        const kd::model::ObjectList &modified,
                        const kd::model::ObjectList &removed);
    // Everything of the kind was dropped at once (clear()); re-read it.
    void reset(const QString &kindKey);

private:
    // namespace -> name -> object ("" namespace for cluster-scoped kinds).
    using Table = std::map<QString, std::map<QString, kube::ObjectPtr>>;

    void insert(Table &table, const kube::ObjectPtr &object);
    void erase(Table &table, const kube::ObjectPtr &object);
    void indexOwners(const kube::ObjectPtr &object);
    void unindexOwners(const kube::ObjectPtr &object);

    std::map<QString, Table> m_tables;
    QHash<QString, kube::ObjectPtr> m_uids;
    // owner uid -> uids of the objects it owns.
    QHash<QString, QSet<QString>> m_owned;
    qsizetype m_total = 0;
};

} // namespace kd::model
