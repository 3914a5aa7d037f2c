#pragma once
// The resource browser's table: the objects of one kind (optionally one namespace) with the
// columns of columns.h. Follows the ObjectStore incrementally: a changed pod updates one row.

#include "model/columns.h"
#include "model/objectstore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>

namespace kd::model {

class ResourceTableModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResourceTableModel)

public:
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers and ages sort as numbers
        HealthRole,                  // 0 ok, 1 warning, 2 error
        UidRole,
    };

    explicit ResourceTableModel(const ObjectStore *store, QObject *parent = nullptr);

    void setKind(const QString &kindKey);
    QString kindKey() const { return m_kindKey; }
    // "" shows every namespace (and adds a Namespace column for namespaced kinds).
    void setNamespaceFilter(const QString &ns);
    QString namespaceFilter() const { return m_namespace; }
    // The clock the Age columns use; tests pin it.
    void setClock(std::function<QDateTime()> clock);

    kube::ObjectPtr objectAt(int row) const;
    int rowOfUid(const QString &uid) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void reload();
    void onObjectsChanged(const QString &kindKey, const ObjectList &added,
                          const ObjectList &modified, const ObjectList &removed);
    void onReset(const QString &kindKey);
    void refreshTimeColumns();
    bool accepts(const kube::ObjectPtr &object) const;
    bool showsNamespace() const;
    int fixedColumns() const { return showsNamespace() ? 2 : 1; }
    void rebuildIndex(int fromRow);

    const ObjectStore *m_store;
    const BrowsedKind *m_kind = nullptr;
    QString m_kindKey;
    QString m_namespace;
    std::vector<kube::ObjectPtr> m_rows;
    QHash<QString, int> m_rowByUid;
    std::function<QDateTime()> m_clock;
    QTimer m_ageTimer;
};

} // namespace kd::model
