#include "widgets/diagnosticsmodel.h"

#include <algorithm>
#include <numeric>

namespace kd::widgets {

namespace {

bool locationLess(const Diagnostic &a, const Diagnostic &b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
}

QString location(const Diagnostic &d) {
    const QString lineColumn =
        QString::number(d.line) + QLatin1Char(':') + QString::number(d.column);
    return d.file.isEmpty() ? lineColumn : d.file + QLatin1Char(':') + lineColumn;
}

} // namespace

DiagnosticsModel::DiagnosticsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

DiagnosticsModel::~DiagnosticsModel() = default;

void DiagnosticsModel::setDiagnostics(const DiagnosticList &diagnostics) {
    beginResetModel();
    m_rows = diagnostics;
    sortRows();
    endResetModel();
}

int DiagnosticsModel::count(Severity severity) const {
    return static_cast<int>(std::count_if(m_rows.cbegin(), m_rows.cend(), [&](const Diagnostic &d) {
        return d.severity == severity;
    }));
}

int DiagnosticsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DiagnosticsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DiagnosticsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Diagnostic &d = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityName(d.severity);
        case MessageColumn:
            return d.message;
        case RuleColumn:
            return d.code;
        case LocationColumn:
            return location(d);
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn) {
            if (m_icons.isEmpty()) {
                for (const Severity s : {Severity::Info, Severity::Warning, Severity::Error})
                    m_icons.push_back(severityIcon(s));
            }
            return m_icons.at(static_cast<int>(d.severity));
        }
        return {};
    case Qt::ToolTipRole:
        return index.column() == MessageColumn ? d.message : QVariant();
    case LineRole:
        return d.line;
    case ColumnRole:
        return d.column;
    case SeverityRole:
        return static_cast<int>(d.severity);
    case FileRole:
        return d.file;
    case DiagnosticRole:
        return QVariant::fromValue(d);
    default:
        return {};
    }
}

QVariant DiagnosticsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case MessageColumn:
        return tr("Message");
    case RuleColumn:
        return tr("Rule");
    case LocationColumn:
        return tr("Location");
    default:
        return {};
    }
}

Qt::ItemFlags DiagnosticsModel::flags(const QModelIndex &index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

void DiagnosticsModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= ColumnCount)
        return;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    m_sortColumn = column;
    m_sortOrder = order;
    QVector<int> sorted(m_rows.size()); // old row numbers in their new order
    std::iota(sorted.begin(), sorted.end(), 0);
    const DiagnosticList old = m_rows;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](int a, int b) { return rowLess(old.at(a), old.at(b)); });
    QVector<int> newRowOf(old.size());
    for (int i = 0; i < sorted.size(); ++i) {
        newRowOf[sorted.at(i)] = i;
        m_rows[i] = old.at(sorted.at(i));
    }
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &index : before)
        after.push_back(this->index(newRowOf.at(index.row()), index.column()));
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

bool DiagnosticsModel::rowLess(const Diagnostic &a, const Diagnostic &b) const {
    const bool ascending = m_sortOrder == Qt::AscendingOrder;
    const auto ordered = [&](bool less, bool greater) { return ascending ? less : greater; };
    switch (m_sortColumn) {
    case SeverityColumn:
        // Ascending lists the worst first: that is what a Problems panel opens with.
        if (a.severity != b.severity)
            return ordered(a.severity > b.severity, a.severity < b.severity);
        break;
    case MessageColumn:
        if (const int c = QString::localeAwareCompare(a.message, b.message); c != 0)
            return ordered(c<0, c> 0);
        break;
    case RuleColumn:
        if (const int c = QString::compare(a.code, b.code); c != 0)
            return ordered(c<0, c> 0);
        break;
    case LocationColumn:
        if (locationLess(a, b) || locationLess(b, a))
            return ordered(locationLess(a, b), locationLess(b, a));
        break;
    default:
        break;
    }
    return locationLess(a, b);
}

void DiagnosticsModel::sortRows() {
    std::stable_sort(m_rows.begin(), m_rows.end(),
                     [this](const Diagnostic &a, const Diagnostic &b) { return rowLess(a, b); });
}

} // namespace kd::widgets
