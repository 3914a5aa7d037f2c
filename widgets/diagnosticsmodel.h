#pragma once
// The rows of a Problems panel: one diagnostic per row with the columns Severity (icon and
// name), Message, Rule and Location ("12:5", or "file:12:5" when the diagnostic names a file).
// Rows are kept sorted, by default worst first and then by file, line and column; clicking a
// header re-sorts through sort().

#include "widgets/diagnostic.h"

#include <QAbstractTableModel>

namespace kd::widgets {

class DiagnosticsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiagnosticsModel)

public:
    enum Column { SeverityColumn, MessageColumn, RuleColumn, LocationColumn, ColumnCount };
    enum Role {
        LineRole = Qt::UserRole + 1, // int, 1-based
        ColumnRole,                  // int, 1-based
        SeverityRole,                // int: static_cast<int>(Severity)
        FileRole,                    // QString
        DiagnosticRole               // QVariant holding the whole Diagnostic
    };

    explicit DiagnosticsModel(QObject *parent = nullptr);
    ~DiagnosticsModel() override;

    // Replaces all rows at once (one model reset) and keeps the current sort.
    void setDiagnostics(const DiagnosticList &diagnostics);
    void clear() { setDiagnostics({}); }
    const Diagnostic &diagnostic(int row) const { return m_rows.at(row); }
    // How many rows have `severity`, for a summary such as "2 errors, 1 warning".
    int count(Severity severity) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // Severity sorts worst first when ascending; Location by file, line, column. Ties keep the
    // location order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    bool rowLess(const Diagnostic &a, const Diagnostic &b) const;
    void sortRows();

    DiagnosticList m_rows;
    int m_sortColumn = SeverityColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    mutable QVector<QIcon> m_icons; // by Severity, painted on first use
};

} // namespace kd::widgets
