#pragma once
// The resource browser's kind tree: categories (Workloads, Network, ...) holding the browsed kinds
// with live object counts, and a note per kind when it cannot be shown (e.g. forbidden).

#include "model/objectstore.h"

#include <QAbstractItemModel>
#include <QHash>

namespace kd::model {

class KindTreeModel final : public QAbstractItemModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KindTreeModel)

public:
    enum Role { KindKeyRole = Qt::UserRole + 1, CountRole };

    explicit KindTreeModel(const ObjectStore *store, QObject *parent = nullptr);

    void setNamespaceFilter(const QString &ns);
    // A problem with listing the kind ("forbidden: ..."), shown next to it; "" clears it.
    void setKindProblem(const QString &kindKey, const QString &problem);
    QModelIndex indexOfKind(const QString &kindKey) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Category {
        QString title;
        std::vector<int> kinds; // indexes into browsedKinds()
    };
    void recount(const QString &kindKey);
    void recountAll();

    const ObjectStore *m_store;
    std::vector<Category> m_categories;
    QString m_namespace;
    QHash<QString, qsizetype> m_counts;
    QHash<QString, QString> m_problems;
};

} // namespace kd::model
