#include "model/kindtreemodel.h"

#include "model/columns.h"

namespace kd::model {

namespace {
// Internal ids: categories use 0, kinds use their category's row + 1.
constexpr quintptr kCategoryId = 0;
} // namespace

KindTreeModel::KindTreeModel(const ObjectStore *store, QObject *parent)
    : QAbstractItemModel(parent)
    , m_store(store) {
    const auto &kinds = browsedKinds();
    for (int i = 0; i < int(kinds.size()); ++i) {
        auto it = std::find_if(m_categories.begin(), m_categories.end(),
                               [&](const Category &c) { return c.title == kinds[i].category; });
        if (it == m_categories.end()) {
            m_categories.push_back({kinds[std::size_t(i)].category, {}});
            it = m_categories.end() - 1;
        }
        it->kinds.push_back(i);
    }
    connect(store, &ObjectStore::objectsChanged, this,
            [this](const QString &kindKey, const ObjectList &added, const ObjectList &,
                   const ObjectList &removed) {
                if (!added.empty() || !removed.empty())
                    recount(kindKey);
            });
    connect(store, &ObjectStore::reset, this, &KindTreeModel::recount);
    recountAll();
}

void KindTreeModel::setNamespaceFilter(const QString &ns) {
    m_namespace = ns;
    recountAll();
}

void KindTreeModel::setKindProblem(const QString &kindKey, const QString &problem) {
    if (m_problems.value(kindKey) == problem)
        return;
    if (problem.isEmpty())
        m_problems.remove(kindKey);
    else
        m_problems.insert(kindKey, problem);
    QModelIndex i = indexOfKind(kindKey);
    if (i.isValid())
        emit dataChanged(i, i);
}

void KindTreeModel::recount(const QString &kindKey) {
    const BrowsedKind *kind = browsedKind(kindKey);
    if (!kind)
        return;
    qsizetype n = m_store->count(kindKey, kind->kind.namespaced ? m_namespace : QString());
    if (m_counts.value(kindKey, -1) == n)
        return;
    m_counts.insert(kindKey, n);
    QModelIndex i = indexOfKind(kindKey);
    if (i.isValid())
        emit dataChanged(i, i, {Qt::DisplayRole, CountRole});
}

void KindTreeModel::recountAll() {
    for (const BrowsedKind &k : browsedKinds())
        recount(k.kind.key());
}

QModelIndex KindTreeModel::indexOfKind(const QString &kindKey) const {
    const auto &kinds = browsedKinds();
    for (int c = 0; c < int(m_categories.size()); ++c)
        for (int r = 0; r < int(m_categories[std::size_t(c)].kinds.size()); ++r)
            if (kinds[std::size_t(m_categories[std::size_t(c)].kinds[std::size_t(r)])].kind.key() ==
                kindKey)
                return createIndex(r, 0, quintptr(c + 1));
    return {};
}

QModelIndex KindTreeModel::index(int row, int column, const QModelIndex &parent) const {
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_categories.size()) ? createIndex(row, 0, kCategoryId) : QModelIndex();
    if (parent.internalId() != kCategoryId || parent.row() >= int(m_categories.size()))
        return {};
    if (row >= int(m_categories[std::size_t(parent.row())].kinds.size()))
        return {};
    return createIndex(row, 0, quintptr(parent.row() + 1));
}

QModelIndex KindTreeModel::parent(const QModelIndex &child) const {
    if (!child.isValid() || child.internalId() == kCategoryId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kCategoryId);
}

int KindTreeModel::rowCount(const QModelIndex &parent) const {
    if (!parent.isValid())
        return int(m_categories.size());
    if (parent.column() != 0 || parent.internalId() != kCategoryId)
        return 0;
    return int(m_categories[std::size_t(parent.row())].kinds.size());
}

int KindTreeModel::columnCount(const QModelIndex &) const {
    return 1;
}

Qt::ItemFlags KindTreeModel::flags(const QModelIndex &index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == kCategoryId)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant KindTreeModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kCategoryId)
        return role == Qt::DisplayRole ? QVariant(m_categories[std::size_t(index.row())].title)
                                       : QVariant();
    const Category &cat = m_categories[std::size_t(index.internalId() - 1)];
    const BrowsedKind &kind = browsedKinds()[std::size_t(cat.kinds[std::size_t(index.row())])];
    const QString key = kind.kind.key();
    switch (role) {
    case Qt::DisplayRole: {
        QString problem = m_problems.value(key);
        if (!problem.isEmpty())
            return tr("%1 (%2)").arg(kind.title, problem.section(QLatin1Char(':'), 0, 0));
        return tr("%1 (%2)").arg(kind.title).arg(m_counts.value(key, 0));
    }
    case Qt::ToolTipRole:
        return m_problems.value(key);
    case KindKeyRole:
        return key;
    case CountRole:
        return m_counts.value(key, 0);
    default:
        return {};
    }
}

} // namespace kd::model
