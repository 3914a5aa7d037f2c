#include "model/resourcetablemodel.h"

#include "model/display.h"

#include <QColor>

#include <algorithm>

namespace kd::model {

namespace {

// Above this many removals in one batch, a reset is cheaper for views than row-by-row removal.
constexpr qsizetype kResetThreshold = 500;

QColor healthColour(int health) {
    switch (health) {
    case 0:
        return QColor(0x2e, 0x9e, 0x4f);
    case 1:
        return QColor(0xd9, 0x8c, 0x00);
    default:
        return QColor(0xd0, 0x34, 0x34);
    }
}

} // namespace

ResourceTableModel::ResourceTableModel(const ObjectStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); }) {
    connect(store, &ObjectStore::objectsChanged, this, &ResourceTableModel::onObjectsChanged);
    connect(store, &ObjectStore::reset, this, &ResourceTableModel::onReset);
    m_ageTimer.setInterval(1000);
    connect(&m_ageTimer, &QTimer::timeout, this, &ResourceTableModel::refreshTimeColumns);
    m_ageTimer.start();
}

void ResourceTableModel::setKind(const QString &kindKey) {
    if (kindKey == m_kindKey)
        return;
    m_kindKey = kindKey;
    m_kind = browsedKind(kindKey);
    reload();
}

void ResourceTableModel::setNamespaceFilter(const QString &ns) {
    if (ns == m_namespace)
        return;
    m_namespace = ns;
    reload();
}

void ResourceTableModel::setClock(std::function<QDateTime()> clock) {
    m_clock = std::move(clock);
    refreshTimeColumns();
}

bool ResourceTableModel::showsNamespace() const {
    return m_kind && m_kind->kind.namespaced && m_namespace.isEmpty();
}

bool ResourceTableModel::accepts(const kube::ObjectPtr &object) const {
    return m_namespace.isEmpty() || !m_kind || !m_kind->kind.namespaced ||
           object->namespaceName() == m_namespace;
}

void ResourceTableModel::reload() {
    beginResetModel();
    m_rows.clear();
    if (m_kind)
        m_rows = m_store->list(m_kindKey, m_kind->kind.namespaced ? m_namespace : QString());
    rebuildIndex(0);
    endResetModel();
}

void ResourceTableModel::rebuildIndex(int fromRow) {
    if (fromRow == 0)
        m_rowByUid.clear();
    for (int row = fromRow; row < int(m_rows.size()); ++row)
        m_rowByUid.insert(m_rows[std::size_t(row)]->uid(), row);
}

void ResourceTableModel::onReset(const QString &kindKey) {
    if (kindKey == m_kindKey)
        reload();
}

void ResourceTableModel::onObjectsChanged(const QString &kindKey, const ObjectList &added,
                                          const ObjectList &modified, const ObjectList &removed) {
    if (kindKey != m_kindKey || !m_kind)
        return;
    if (qsizetype(removed.size()) > kResetThreshold) {
        reload();
        return;
    }
    // Removals: rows from the bottom up, so earlier row numbers stay valid.
    std::vector<int> gone;
    for (const kube::ObjectPtr &o : removed)
        if (auto it = m_rowByUid.constFind(o->uid()); it != m_rowByUid.constEnd())
            gone.push_back(it.value());
    std::sort(gone.begin(), gone.end(), std::greater<>());
    for (int row : gone) {
        beginRemoveRows({}, row, row);
        m_rowByUid.remove(m_rows[std::size_t(row)]->uid());
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
    }
    if (!gone.empty())
        rebuildIndex(0);
    // Modifications: replace in place, one dataChanged over the span they touch.
    int first = -1, last = -1;
    for (const kube::ObjectPtr &o : modified) {
        auto it = m_rowByUid.constFind(o->uid());
        if (it == m_rowByUid.constEnd())
            continue;
        int row = it.value();
        m_rows[std::size_t(row)] = o;
        first = first < 0 ? row : std::min(first, row);
        last = std::max(last, row);
    }
    if (first >= 0)
        emit dataChanged(index(first, 0), index(last, columnCount() - 1));
    // Additions: appended; the view's sort proxy places them.
    ObjectList fresh;
    for (const kube::ObjectPtr &o : added)
        if (accepts(o) && !m_rowByUid.contains(o->uid()))
            fresh.push_back(o);
    if (!fresh.empty()) {
        int from = int(m_rows.size());
        beginInsertRows({}, from, from + int(fresh.size()) - 1);
        m_rows.insert(m_rows.end(), fresh.begin(), fresh.end());
        rebuildIndex(from);
        endInsertRows();
    }
}

void ResourceTableModel::refreshTimeColumns() {
    if (!m_kind || m_rows.empty())
        return;
    for (int c = 0; c < int(m_kind->columns.size()); ++c)
        if (m_kind->columns[std::size_t(c)].changesWithTime)
            emit dataChanged(index(0, fixedColumns() + c),
                             index(int(m_rows.size()) - 1, fixedColumns() + c),
                             {Qt::DisplayRole, SortRole});
}

kube::ObjectPtr ResourceTableModel::objectAt(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)] : nullptr;
}

int ResourceTableModel::rowOfUid(const QString &uid) const {
    return m_rowByUid.value(uid, -1);
}

int ResourceTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResourceTableModel::columnCount(const QModelIndex &parent) const {
    if (parent.isValid() || !m_kind)
        return 0;
    return fixedColumns() + int(m_kind->columns.size());
}

QVariant ResourceTableModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const kube::ObjectPtr &object = m_rows[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case UidRole:
        return object->uid();
    case HealthRole:
        return healthOf(m_kindKey, object->json());
    case Qt::DecorationRole:
        if (column == 0)
            return healthColour(healthOf(m_kindKey, object->json()));
        return {};
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case SortRole: {
        if (column == 0)
            return object->name();
        if (showsNamespace() && column == 1)
            return object->namespaceName();
        const Column &c = m_kind->columns[std::size_t(column - fixedColumns())];
        if (role == SortRole && c.sortKey)
            return c.sortKey(object->json(), m_clock());
        return c.text(object->json(), m_clock());
    }
    default:
        return {};
    }
}

QVariant ResourceTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || !m_kind || section < 0 ||
        section >= columnCount())
        return {};
    if (section == 0)
        return tr("Name");
    if (showsNamespace() && section == 1)
        return tr("Namespace");
    return m_kind->columns[std::size_t(section - fixedColumns())].title;
}

} // namespace kd::model
