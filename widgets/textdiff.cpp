#include "widgets/textdiff.h"

#include <QHash>

#include <algorithm>
#include <vector>

namespace kd::widgets {

namespace {

enum class Op { Equal, Delete, Insert };

// Myers' greedy forward search over the lines between the common head and tail. Each step's
// furthest-reaching x per diagonal is kept (2d+1 values for step d) to walk the path back, so
// memory grows with the square of the edit cost: `limit` bounds it. Returns false when the
// cost is above `limit`.
bool shortestEdit(const std::vector<int> &a, const std::vector<int> &b, int limit,
                  std::vector<Op> &ops) {
    const auto n = static_cast<int>(a.size());
    const auto m = static_cast<int>(b.size());
    const int offset = limit + 1;
    std::vector<int> v(2 * static_cast<size_t>(limit) + 3, 0);
    std::vector<std::vector<int>> trace;
    int found = -1;
    for (int d = 0; d <= limit && found < 0; ++d) {
        std::vector<int> step(2 * static_cast<size_t>(d) + 1, 0);
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                        ? v[offset + k + 1]      // down: insert b[y]
                        : v[offset + k - 1] + 1; // right: delete a[x]
            int y = x - k;
            while (x < n && y < m && a[x] == b[y]) {
                ++x;
                ++y;
            }
            v[offset + k] = x;
            step[k + d] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
        trace.push_back(std::move(step));
    }
    if (found < 0)
        return false;

    int x = n;
    int y = m;
    std::vector<Op> reversed;
    for (int d = found; d > 0; --d) {
        const std::vector<int> &prev = trace[d - 1];
        const int k = x - y;
        const auto at = [&](int kk) { return prev[kk + d - 1]; };
        const int prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
        const int prevX = at(prevK);
        const int prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            reversed.push_back(Op::Equal);
            --x;
            --y;
        }
        reversed.push_back(x == prevX ? Op::Insert : Op::Delete);
        x = prevX;
        y = prevY;
    }
    for (; x > 0 && y > 0; --x, --y)
        reversed.push_back(Op::Equal);
    ops.assign(reversed.rbegin(), reversed.rend());
    return true;
}

} // namespace

bool LineDiff::identical() const {
    return std::all_of(lines.cbegin(), lines.cend(),
                       [](const DiffLine &l) { return l.kind == DiffKind::Context; });
}

int LineDiff::addedCount() const {
    return static_cast<int>(std::count_if(
        lines.cbegin(), lines.cend(), [](const DiffLine &l) { return l.kind == DiffKind::Added; }));
}

int LineDiff::removedCount() const {
    return static_cast<int>(std::count_if(lines.cbegin(), lines.cend(), [](const DiffLine &l) {
        return l.kind == DiffKind::Removed;
    }));
}

QStringList splitLines(const QString &text) {
    QStringList lines = text.split(QLatin1Char('\n'));
    if (lines.back().isEmpty())
        lines.removeLast(); // the final line ending, or an empty text
    for (QString &line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    }
    return lines;
}

LineDiff diffLines(const QStringList &oldLines, const QStringList &newLines, int maxEditCost) {
    const auto oldCount = static_cast<int>(oldLines.size());
    const auto newCount = static_cast<int>(newLines.size());
    int head = 0;
    while (head < oldCount && head < newCount && oldLines.at(head) == newLines.at(head))
        ++head;
    int tail = 0;
    while (tail < oldCount - head && tail < newCount - head &&
           oldLines.at(oldCount - 1 - tail) == newLines.at(newCount - 1 - tail))
        ++tail;

    // Lines compare as small integers in the search.
    QHash<QString, int> ids;
    const auto idsOf = [&](const QStringList &lines, int count) {
        std::vector<int> out;
        out.reserve(static_cast<size_t>(std::max(0, count - head - tail)));
        for (int i = head; i < count - tail; ++i) {
            auto it = ids.constFind(lines.at(i));
            if (it == ids.constEnd())
                it = ids.insert(lines.at(i), static_cast<int>(ids.size()));
            out.push_back(*it);
        }
        return out;
    };
    const std::vector<int> a = idsOf(oldLines, oldCount);
    const std::vector<int> b = idsOf(newLines, newCount);

    LineDiff diff;
    diff.lines.reserve(head + tail + static_cast<qsizetype>(a.size() + b.size()));
    int oldLine = 0;
    int newLine = 0;
    const auto context = [&] {
        diff.lines.push_back({DiffKind::Context, oldLine + 1, newLine + 1, oldLines.at(oldLine)});
        ++oldLine;
        ++newLine;
    };
    for (int i = 0; i < head; ++i)
        context();

    std::vector<Op> ops;
    if (a.empty() || b.empty() ||
        !shortestEdit(a, b, std::min(maxEditCost, static_cast<int>(a.size() + b.size())), ops)) {
        diff.approximate = !a.empty() && !b.empty();
        ops.assign(a.size(), Op::Delete);
        ops.insert(ops.end(), b.size(), Op::Insert);
    }
    // Within a change, removed lines go before added ones, as a reader expects.
    for (size_t i = 0; i < ops.size();) {
        if (ops[i] == Op::Equal) {
            context();
            ++i;
            continue;
        }
        size_t end = i;
        while (end < ops.size() && ops[end] != Op::Equal)
            ++end;
        for (size_t j = i; j < end; ++j) {
            if (ops[j] == Op::Delete) {
                diff.lines.push_back({DiffKind::Removed, oldLine + 1, 0, oldLines.at(oldLine)});
                ++oldLine;
            }
        }
        for (size_t j = i; j < end; ++j) {
            if (ops[j] == Op::Insert) {
                diff.lines.push_back({DiffKind::Added, 0, newLine + 1, newLines.at(newLine)});
                ++newLine;
            }
        }
        i = end;
    }
    for (int i = 0; i < tail; ++i)
        context();
    return diff;
}

LineDiff diffTexts(const QString &oldText, const QString &newText) {
    return diffLines(splitLines(oldText), splitLines(newText));
}

QVector<DiffHunk> diffHunks(const LineDiff &diff, int context) {
    context = std::max(0, context);
    const auto count = static_cast<int>(diff.lines.size());
    // Line index ranges [from, to) of hunks: each run of changes with its context, merged when
    // they touch.
    QVector<std::pair<int, int>> ranges;
    for (int i = 0; i < count;) {
        if (diff.lines.at(i).kind == DiffKind::Context) {
            ++i;
            continue;
        }
        int end = i;
        while (end < count && diff.lines.at(end).kind != DiffKind::Context)
            ++end;
        const int from = std::max(0, i - context);
        const int to = std::min(count, end + context);
        if (!ranges.isEmpty() && from <= ranges.back().second)
            ranges.back().second = to;
        else
            ranges.push_back({from, to});
        i = end;
    }

    QVector<DiffHunk> hunks;
    int oldBefore = 0; // old and new lines before line index `at`
    int newBefore = 0;
    int at = 0;
    for (const auto &[from, to] : std::as_const(ranges)) {
        for (; at < from; ++at) {
            oldBefore += diff.lines.at(at).kind != DiffKind::Added;
            newBefore += diff.lines.at(at).kind != DiffKind::Removed;
        }
        DiffHunk hunk;
        hunk.lines = diff.lines.mid(from, to - from);
        for (const DiffLine &line : std::as_const(hunk.lines)) {
            hunk.oldCount += line.kind != DiffKind::Added;
            hunk.newCount += line.kind != DiffKind::Removed;
        }
        // An empty side starts at the line before it, as `diff -u` writes it.
        hunk.oldStart = hunk.oldCount > 0 ? oldBefore + 1 : oldBefore;
        hunk.newStart = hunk.newCount > 0 ? newBefore + 1 : newBefore;
        hunks.push_back(std::move(hunk));
    }
    return hunks;
}

QString unifiedDiff(const QString &oldText, const QString &newText, const QString &oldName,
                    const QString &newName, int context) {
    const LineDiff diff = diffTexts(oldText, newText);
    if (diff.identical())
        return {};
    const auto range = [](int start, int count) {
        return count == 1 ? QString::number(start)
                          : QString::number(start) + QLatin1Char(',') + QString::number(count);
    };
    QString out =
        QStringLiteral("--- ") + oldName + QStringLiteral("\n+++ ") + newName + QLatin1Char('\n');
    for (const DiffHunk &hunk : diffHunks(diff, context)) {
        out += QStringLiteral("@@ -") + range(hunk.oldStart, hunk.oldCount) + QStringLiteral(" +") +
               range(hunk.newStart, hunk.newCount) + QStringLiteral(" @@\n");
        for (const DiffLine &line : hunk.lines) {
            const QChar mark = line.kind == DiffKind::Added     ? QLatin1Char('+')
                               : line.kind == DiffKind::Removed ? QLatin1Char('-')
                                                                : QLatin1Char(' ');
            out += mark + line.text + QLatin1Char('\n');
        }
    }
    return out;
}

} // namespace kd::widgets
