// DiagnosticsModel: the Problems list's columns and roles, worst-first order, re-sorting by any
// column with persistent indexes following their rows, and counts per severity.
#include "widgets/diagnosticsmodel.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

using namespace kd::widgets;

namespace {

Diagnostic diag(Severity severity, int line, int column, const QString &message,
                const QString &code = {}, const QString &file = {}) {
    Diagnostic d;
    d.severity = severity;
    d.line = line;
    d.column = column;
    d.message = message;
    d.code = code;
    d.file = file;
    return d;
}

DiagnosticList sample() {
    return {diag(Severity::Info, 3, 1, QStringLiteral("consider a PDB"), QStringLiteral("KD301")),
            diag(Severity::Error, 12, 5, QStringLiteral("replicas must be an integer"),
                 QStringLiteral("schema")),
            diag(Severity::Warning, 8, 9, QStringLiteral("image uses :latest"),
                 QStringLiteral("KD201")),
            diag(Severity::Error, 2, 1, QStringLiteral("unknown field \"kindd\""),
                 QStringLiteral("schema"))};
}

QStringList column(const DiagnosticsModel &model, int col) {
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.push_back(model.index(row, col).data().toString());
    return out;
}

} // namespace

class TstDiagnosticsModel final : public QObject {
    Q_OBJECT

private slots:
    void columnsAndRoles() {
        DiagnosticsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setDiagnostics(sample());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(model.headerData(DiagnosticsModel::SeverityColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Severity"));
        QCOMPARE(model.headerData(DiagnosticsModel::LocationColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Location"));

        // Worst first, then by location.
        QCOMPARE(column(model, DiagnosticsModel::LocationColumn),
                 QStringList({QStringLiteral("2:1"), QStringLiteral("12:5"), QStringLiteral("8:9"),
                              QStringLiteral("3:1")}));
        const QModelIndex first = model.index(0, DiagnosticsModel::SeverityColumn);
        QCOMPARE(first.data().toString(), QStringLiteral("error"));
        QVERIFY(!first.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(
            !model.index(0, DiagnosticsModel::MessageColumn).data(Qt::DecorationRole).isValid());
        QCOMPARE(model.index(0, DiagnosticsModel::MessageColumn).data().toString(),
                 QStringLiteral("unknown field \"kindd\""));
        QCOMPARE(model.index(0, DiagnosticsModel::RuleColumn).data().toString(),
                 QStringLiteral("schema"));
        QCOMPARE(model.index(1, 0).data(DiagnosticsModel::LineRole).toInt(), 12);
        QCOMPARE(model.index(1, 3).data(DiagnosticsModel::ColumnRole).toInt(), 5);
        QCOMPARE(model.index(2, 0).data(DiagnosticsModel::SeverityRole).toInt(),
                 static_cast<int>(Severity::Warning));
        QCOMPARE(model.index(3, 2).data(DiagnosticsModel::DiagnosticRole).value<Diagnostic>(),
                 sample().at(0));
        QCOMPARE(model.diagnostic(3), sample().at(0));
        QCOMPARE(model.count(Severity::Error), 2);
        QCOMPARE(model.count(Severity::Warning), 1);
        QCOMPARE(model.count(Severity::Info), 1);
        QVERIFY(!(model.flags(model.index(0, 0)) & Qt::ItemIsEditable));
    }

    void locationNamesTheFile() {
        DiagnosticsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDiagnostics({diag(Severity::Error, 4, 2, QStringLiteral("x"), {},
                                   QStringLiteral("deploy/serving.yaml"))});
        QCOMPARE(model.index(0, DiagnosticsModel::LocationColumn).data().toString(),
                 QStringLiteral("deploy/serving.yaml:4:2"));
        QCOMPARE(model.index(0, 0).data(DiagnosticsModel::FileRole).toString(),
                 QStringLiteral("deploy/serving.yaml"));
    }

    void sortsByAnyColumn_data() {
        QTest::addColumn<int>("sortColumn");
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::addColumn<QStringList>("locations");
        QTest::newRow("severity, worst first")
            << int(DiagnosticsModel::SeverityColumn) << Qt::AscendingOrder
            << QStringList({QStringLiteral("2:1"), QStringLiteral("12:5"), QStringLiteral("8:9"),
                            QStringLiteral("3:1")});
        QTest::newRow("severity, mildest first")
            << int(DiagnosticsModel::SeverityColumn) << Qt::DescendingOrder
            << QStringList({QStringLiteral("3:1"), QStringLiteral("8:9"), QStringLiteral("2:1"),
                            QStringLiteral("12:5")});
        QTest::newRow("location, by line not text")
            << int(DiagnosticsModel::LocationColumn) << Qt::AscendingOrder
            << QStringList({QStringLiteral("2:1"), QStringLiteral("3:1"), QStringLiteral("8:9"),
                            QStringLiteral("12:5")});
        QTest::newRow("location descending")
            << int(DiagnosticsModel::LocationColumn) << Qt::DescendingOrder
            << QStringList({QStringLiteral("12:5"), QStringLiteral("8:9"), QStringLiteral("3:1"),
                            QStringLiteral("2:1")});
        QTest::newRow("rule, ties by location")
            << int(DiagnosticsModel::RuleColumn) << Qt::AscendingOrder
            << QStringList({QStringLiteral("8:9"), QStringLiteral("3:1"), QStringLiteral("2:1"),
                            QStringLiteral("12:5")});
    }
    void sortsByAnyColumn() {
        QFETCH(int, sortColumn);
        QFETCH(Qt::SortOrder, order);
        QFETCH(QStringList, locations);
        DiagnosticsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDiagnostics(sample());
        model.sort(sortColumn, order);
        QCOMPARE(column(model, DiagnosticsModel::LocationColumn), locations);
        // New results keep the chosen order.
        model.setDiagnostics(sample());
        QCOMPARE(column(model, DiagnosticsModel::LocationColumn), locations);
    }

    void persistentIndexesFollowTheirRows() {
        DiagnosticsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDiagnostics(sample());
        const QPersistentModelIndex info(model.index(3, DiagnosticsModel::MessageColumn));
        QCOMPARE(info.data().toString(), QStringLiteral("consider a PDB"));
        QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
        model.sort(DiagnosticsModel::LocationColumn, Qt::AscendingOrder);
        QCOMPARE(layout.size(), 1);
        QCOMPARE(info.row(), 1);
        QCOMPARE(info.column(), int(DiagnosticsModel::MessageColumn));
        QCOMPARE(info.data().toString(), QStringLiteral("consider a PDB"));
        model.sort(99); // out of range: ignored
        QCOMPARE(layout.size(), 1);
    }

    void clearEmpties() {
        DiagnosticsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDiagnostics(sample());
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.clear();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.count(Severity::Error), 0);
    }
};

QTEST_MAIN(TstDiagnosticsModel)
#include "tst_diagnosticsmodel.moc"
