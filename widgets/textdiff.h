#pragma once
// A line diff of two texts: Myers' O(ND) algorithm over whole lines, grouped into hunks with
// context, and unified-diff text. Line endings do not count: "\r\n", "\n" and a missing final
// newline compare equal. Inputs whose edit distance exceeds a budget are not searched to the end:
// the common head and tail are kept and the rest is reported as removed and then added, and the
// result says it is approximate.

#include <QString>
#include <QStringList>
#include <QVector>

namespace kd::widgets {

enum class DiffKind { Context, Removed, Added };

struct DiffLine {
    DiffKind kind = DiffKind::Context;
    int oldLine = 0; // 1-based in the old text; 0 for added lines
    int newLine = 0; // 1-based in the new text; 0 for removed lines
    QString text;    // without its line ending

    bool operator==(const DiffLine &) const = default;
};

struct DiffHunk {
    // As in a unified diff header: a start of 0 (or the line before) when a side has no lines.
    int oldStart = 0;
    int oldCount = 0;
    int newStart = 0;
    int newCount = 0;
    QVector<DiffLine> lines;
};

struct LineDiff {
    // Every line of both texts in order: context lines once, and within each change the
    // removed lines before the added ones.
    QVector<DiffLine> lines;
    // The budget ran out: the diff is correct (applying it gives the new text) but may be longer
    // than the shortest one.
    bool approximate = false;

    bool identical() const;
    int addedCount() const;
    int removedCount() const;
};

// Splits `text` into lines without their endings ("\n" or "\r\n"); a final line ending does not
// start another line, so "" has no lines, "\n" has one empty line, "a" and "a\n" have one.
QStringList splitLines(const QString &text);

// The edit budget: at most this many inserted plus removed lines are searched for a shortest
// script (time and memory grow with its square).
inline constexpr int kDiffMaxEditCost = 2000;

LineDiff diffLines(const QStringList &oldLines, const QStringList &newLines,
                   int maxEditCost = kDiffMaxEditCost);
LineDiff diffTexts(const QString &oldText, const QString &newText);

// Groups the changes of `diff` into hunks with `context` unchanged lines around each; changes
// closer than 2 * context lines share a hunk.
QVector<DiffHunk> diffHunks(const LineDiff &diff, int context = 3);

// The unified diff ("--- a", "+++ b", "@@ -1,3 +1,4 @@", " ", "-", "+" lines, each ending in
// "\n") as `diff -u` prints it; empty when the texts are equal.
QString unifiedDiff(const QString &oldText, const QString &newText, const QString &oldName,
                    const QString &newName, int context = 3);

} // namespace kd::widgets
