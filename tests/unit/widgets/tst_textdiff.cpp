// The line diff: edge cases (empty, identical, everything changed, line endings), shortest edit
// scripts, hunks with context as `diff -u` prints them, and the budget that keeps huge,
// very different inputs from taking quadratic time and memory.
#include "widgets/textdiff.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace kd::widgets;

namespace {

// Applies `diff` to its old lines; a correct diff gives the new lines, and its context and
// removed lines spell the old ones.
std::pair<QStringList, QStringList> sides(const LineDiff &diff) {
    QStringList oldSide;
    QStringList newSide;
    for (const DiffLine &line : diff.lines) {
        if (line.kind != DiffKind::Added)
            oldSide.push_back(line.text);
        if (line.kind != DiffKind::Removed)
            newSide.push_back(line.text);
    }
    return {oldSide, newSide};
}

// Every line carries the right numbers: consecutive on each side, 0 where it has none.
bool numbersConsistent(const LineDiff &diff) {
    int oldLine = 0;
    int newLine = 0;
    for (const DiffLine &line : diff.lines) {
        const bool hasOld = line.kind != DiffKind::Added;
        const bool hasNew = line.kind != DiffKind::Removed;
        if (line.oldLine != (hasOld ? ++oldLine : 0) || line.newLine != (hasNew ? ++newLine : 0))
            return false;
    }
    return true;
}

QStringList chars(const char *letters) {
    QStringList out;
    for (const char *c = letters; *c; ++c)
        out.push_back(QString(QLatin1Char(*c)));
    return out;
}

QStringList numbered(int count, const QString &prefix) {
    QStringList out;
    for (int i = 0; i < count; ++i)
        out.push_back(prefix + QString::number(i));
    return out;
}

} // namespace

class TstTextDiff final : public QObject {
    Q_OBJECT

private slots:
    void splitLinesIgnoresEndings_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("lines");
        QTest::newRow("empty") << QString() << QStringList();
        QTest::newRow("one newline") << QStringLiteral("\n") << QStringList({QString()});
        QTest::newRow("no final newline") << QStringLiteral("a\nb") << chars("ab");
        QTest::newRow("final newline") << QStringLiteral("a\nb\n") << chars("ab");
        QTest::newRow("CRLF") << QStringLiteral("a\r\nb\r\n") << chars("ab");
        QTest::newRow("blank lines kept")
            << QStringLiteral("a\n\n\nb")
            << QStringList({QStringLiteral("a"), {}, {}, QStringLiteral("b")});
    }
    void splitLinesIgnoresEndings() {
        QFETCH(QString, text);
        QFETCH(QStringList, lines);
        QCOMPARE(splitLines(text), lines);
    }

    void edgeCases_data() {
        QTest::addColumn<QString>("oldText");
        QTest::addColumn<QString>("newText");
        QTest::addColumn<int>("removed");
        QTest::addColumn<int>("added");
        QTest::newRow("both empty") << QString() << QString() << 0 << 0;
        QTest::newRow("identical")
            << QStringLiteral("a\nb\nc\n") << QStringLiteral("a\nb\nc\n") << 0 << 0;
        QTest::newRow("from empty") << QString() << QStringLiteral("a\nb\n") << 0 << 2;
        QTest::newRow("to empty") << QStringLiteral("a\nb\n") << QString() << 2 << 0;
        QTest::newRow("all changed")
            << QStringLiteral("a\nb\nc") << QStringLiteral("x\ny\nz") << 3 << 3;
        QTest::newRow("CRLF against LF")
            << QStringLiteral("a\r\nb\r\n") << QStringLiteral("a\nb") << 0 << 0;
        QTest::newRow("CRLF with a change")
            << QStringLiteral("a\r\nb\r\nc\r\n") << QStringLiteral("a\nB\nc\n") << 1 << 1;
        QTest::newRow("insert in the middle")
            << QStringLiteral("a\nb\nc") << QStringLiteral("a\nb\nX\nc") << 0 << 1;
        QTest::newRow("repeated lines")
            << QStringLiteral("a\na\na\nb") << QStringLiteral("a\nb\nb") << 2 << 1;
        QTest::newRow("trailing whitespace counts")
            << QStringLiteral("a \nb") << QStringLiteral("a\nb") << 1 << 1;
    }
    void edgeCases() {
        QFETCH(QString, oldText);
        QFETCH(QString, newText);
        QFETCH(int, removed);
        QFETCH(int, added);
        const LineDiff diff = diffTexts(oldText, newText);
        QCOMPARE(diff.removedCount(), removed);
        QCOMPARE(diff.addedCount(), added);
        QCOMPARE(diff.identical(), removed == 0 && added == 0);
        QVERIFY(!diff.approximate);
        QVERIFY(numbersConsistent(diff));
        const auto [oldSide, newSide] = sides(diff);
        QCOMPARE(oldSide, splitLines(oldText));
        QCOMPARE(newSide, splitLines(newText));
    }

    void findsAShortestScript() {
        // The example of Myers' paper: ABCABBA → CBABAC takes five edits.
        const LineDiff diff = diffLines(chars("ABCABBA"), chars("CBABAC"));
        QCOMPARE(diff.removedCount() + diff.addedCount(), 5);
        const auto [oldSide, newSide] = sides(diff);
        QCOMPARE(oldSide, chars("ABCABBA"));
        QCOMPARE(newSide, chars("CBABAC"));
    }

    void removedComeBeforeAdded() {
        const LineDiff diff =
            diffTexts(QStringLiteral("a\nold1\nold2\nz"), QStringLiteral("a\nnew1\nnew2\nz"));
        QVector<DiffKind> kinds;
        for (const DiffLine &line : diff.lines)
            kinds.push_back(line.kind);
        QCOMPARE(kinds, QVector<DiffKind>({DiffKind::Context, DiffKind::Removed, DiffKind::Removed,
                                           DiffKind::Added, DiffKind::Added, DiffKind::Context}));
    }

    void randomEditsRoundTrip() {
        QRandomGenerator random(20240611); // fixed: failures must reproduce
        for (int round = 0; round < 200; ++round) {
            QStringList a;
            for (int i = 0, n = random.bounded(30); i < n; ++i)
                a.push_back(QString::number(random.bounded(6)));
            QStringList b = a;
            for (int edits = random.bounded(8); edits > 0; --edits) {
                const auto at = random.bounded(static_cast<int>(b.size()) + 1);
                if (random.bounded(2) == 0 && at < b.size())
                    b.removeAt(at);
                else
                    b.insert(at, QString::number(random.bounded(6)));
            }
            const LineDiff diff = diffLines(a, b);
            const auto [oldSide, newSide] = sides(diff);
            QCOMPARE(oldSide, a);
            QCOMPARE(newSide, b);
            QVERIFY(numbersConsistent(diff));
            QVERIFY(!diff.approximate);
        }
    }

    void unifiedDiffMatchesDiffU() {
        const QString oldText = QStringLiteral("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n");
        const QString newText = QStringLiteral("a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n");
        // What GNU `diff -u --label old --label new` prints for these texts.
        QCOMPARE(unifiedDiff(oldText, newText, QStringLiteral("old"), QStringLiteral("new")),
                 QStringLiteral("--- old\n+++ new\n"
                                "@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"
                                "@@ -11,3 +11,4 @@\n k\n l\n m\n+n\n"));
        QCOMPARE(unifiedDiff(QStringLiteral("x\n"), QString(), QStringLiteral("old"),
                             QStringLiteral("new")),
                 QStringLiteral("--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n"));
        QCOMPARE(unifiedDiff(QStringLiteral("a\nb\nc\n"), QStringLiteral("a\nX\nb\nc\n"),
                             QStringLiteral("old"), QStringLiteral("new"), 1),
                 QStringLiteral("--- old\n+++ new\n@@ -1,2 +1,3 @@\n a\n+X\n b\n"));
        QVERIFY(unifiedDiff(oldText, oldText, QStringLiteral("a"), QStringLiteral("b")).isEmpty());
    }

    void hunksMergeWhenContextsTouch_data() {
        QTest::addColumn<int>("gap");
        QTest::addColumn<int>("hunks");
        QTest::newRow("6 lines apart: one hunk") << 6 << 1;
        QTest::newRow("7 lines apart: two hunks") << 7 << 2;
    }
    void hunksMergeWhenContextsTouch() {
        QFETCH(int, gap);
        QFETCH(int, hunks);
        QStringList a = numbered(gap + 10, QStringLiteral("line "));
        QStringList b = a;
        b[4] = QStringLiteral("changed");
        b[5 + gap] = QStringLiteral("changed too");
        QCOMPARE(diffHunks(diffLines(a, b), 3).size(), hunks);
        QCOMPARE(diffHunks(diffLines(a, a), 3).size(), 0);
        // No context: each change alone.
        QCOMPARE(diffHunks(diffLines(a, b), 0).size(), 2);
    }

    void hugeInputsStayWithinTheBudget() {
        // Two unrelated 60,000-line texts sharing a head and a tail: far past the budget.
        QStringList a = numbered(60000, QStringLiteral("old "));
        QStringList b;
        for (int i = 0; i < 60000; ++i)
            b.push_back(i % 2 ? a.at(i) : QStringLiteral("new %1").arg(i));
        a.prepend(QStringLiteral("head"));
        b.prepend(QStringLiteral("head"));
        a.append(QStringLiteral("tail"));
        b.append(QStringLiteral("tail"));
        QElapsedTimer timer;
        timer.start();
        const LineDiff diff = diffLines(a, b);
        QVERIFY(diff.approximate);
        QVERIFY2(timer.elapsed() < 20000, "the budget must bound the search");
        // Still a correct diff, keeping what is common at both ends.
        const auto [oldSide, newSide] = sides(diff);
        QCOMPARE(oldSide, a);
        QCOMPARE(newSide, b);
        QCOMPARE(diff.lines.front().kind, DiffKind::Context);
        QCOMPARE(diff.lines.back().kind, DiffKind::Context);
        QCOMPARE(diff.removedCount(), 59999); // "old 59999" is in both: part of the tail

        // A small budget shows the fallback on a small input; a large enough one does not.
        QVERIFY(diffLines(chars("abcdef"), chars("axcyez"), 2).approximate);
        QVERIFY(!diffLines(chars("abcdef"), chars("axcyez"), 6).approximate);
        QCOMPARE(diffLines(chars("abcdef"), chars("axcyez"), 6).removedCount(), 3);
    }

    void hugeSimilarInputsAreExact() {
        // Large but similar: the cost is in the edits, not the size.
        const QStringList a = numbered(200000, QStringLiteral("line "));
        QStringList b = a;
        for (int i = 0; i < b.size(); i += 1000)
            b[i] = QStringLiteral("edited");
        const LineDiff diff = diffLines(a, b);
        QVERIFY(!diff.approximate);
        QCOMPARE(diff.removedCount(), 200);
        QCOMPARE(diff.addedCount(), 200);
    }
};

QTEST_MAIN(TstTextDiff)
#include "tst_textdiff.moc"
