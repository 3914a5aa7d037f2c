// AllocationChart's data side: the owners' stacking order, rows and group headings laid out as
// lanes, and the bar sets Qt Charts draws from them.
#include "widgets/allocationchart_p.h"

#include <QBarSet>
#include <QHorizontalStackedBarSeries>
#include <QSet>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <set>

namespace kd::widgets {

namespace {

// Beyond this a bar cannot show more detail, and sums of larger values could overflow.
constexpr double kMaxValue = 1e18;

double clean(double value) {
    return std::isfinite(value) && value > 0 ? std::min(value, kMaxValue) : 0.0;
}

// Owners in the order their segments stack: each row's own order where the rows agree, ties
// (and contradictions) settled by the order of `owners`, then by first appearance.
QStringList stackOrder(const std::vector<AllocationRow> &rows,
                       const std::vector<AllocationOwner> &owners) {
    QHash<QString, int> index;
    QStringList keys;
    const auto add = [&](const QString &key) {
        if (key.isEmpty() || index.contains(key))
            return;
        index.insert(key, static_cast<int>(keys.size()));
        keys.append(key);
    };
    for (const AllocationOwner &owner : owners)
        add(owner.key);
    for (const AllocationRow &row : rows)
        for (const AllocationSegment &segment : row.used)
            add(segment.owner);

    const auto count = static_cast<std::size_t>(keys.size());
    std::vector<std::vector<int>> after(count);
    std::vector<int> indegree(count, 0);
    for (const AllocationRow &row : rows) {
        QSet<int> seen;
        int previous = -1;
        for (const AllocationSegment &segment : row.used) {
            const int i = index.value(segment.owner, -1);
            if (i < 0 || seen.contains(i))
                continue;
            seen.insert(i);
            if (previous >= 0) {
                after[static_cast<std::size_t>(previous)].push_back(i);
                ++indegree[static_cast<std::size_t>(i)];
            }
            previous = i;
        }
    }

    // An owner that must precede another is as urgent as that one: otherwise an unlisted owner
    // placed first in a row would hold back a listed one behind unrelated owners.
    // Keys were added in rank order, so an owner's index is its rank.
    std::vector<int> urgency(count);
    for (std::size_t i = 0; i < count; ++i)
        urgency[i] = static_cast<int>(i);
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t a = 0; a < count; ++a)
            for (int b : after[a])
                if (urgency[static_cast<std::size_t>(b)] < urgency[a]) {
                    urgency[a] = urgency[static_cast<std::size_t>(b)];
                    changed = true;
                }
    }
    // Kahn's algorithm, always taking the most urgent owner that nothing must precede; a cycle
    // (rows that disagree) is broken at its most urgent owner.
    using Key = std::pair<int, int>; // urgency, rank
    const auto key = [&](std::size_t i) { return Key(urgency[i], static_cast<int>(i)); };
    QStringList result;
    std::vector<bool> done(count, false);
    std::set<Key> ready;
    for (std::size_t i = 0; i < count; ++i)
        if (indegree[i] == 0)
            ready.insert(key(i));
    while (static_cast<std::size_t>(result.size()) < count) {
        if (ready.empty()) {
            std::size_t best = count;
            for (std::size_t i = 0; i < count; ++i)
                if (!done[i] && (best == count || key(i) < key(best)))
                    best = i;
            ready.insert(key(best));
        }
        const auto n = static_cast<std::size_t>(ready.begin()->second);
        ready.erase(ready.begin());
        if (done[n])
            continue;
        done[n] = true;
        result.append(keys.at(static_cast<qsizetype>(n)));
        for (int m : after[n])
            if (--indegree[static_cast<std::size_t>(m)] == 0 && !done[static_cast<std::size_t>(m)])
                ready.insert(key(static_cast<std::size_t>(m)));
    }
    return result;
}

// A round step for about six ticks over [0, max].
double tickStep(double max) {
    const double raw = max / 6;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    const double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
    return nice * magnitude;
}

} // namespace

void AllocationChart::Private::rebuild(const std::vector<AllocationOwner> &owners) {
    const std::vector<AllocationRow> &rows = q->m_rows;
    const QStringList previousOrder = order;
    const std::size_t previousLanes = lanes.size();
    labels.clear();
    for (const AllocationOwner &owner : owners)
        if (!owner.key.isEmpty() && !owner.label.isEmpty())
            labels.insert(owner.key, owner.label);
    order = stackOrder(rows, owners);
    ownerIndex.clear();
    for (qsizetype i = 0; i < order.size(); ++i)
        ownerIndex.insert(order.at(i), static_cast<int>(i));

    // Rows without a group first, then each group under its heading, in the order given.
    lanes.clear();
    QStringList groups;
    QHash<QString, std::vector<int>> members;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const QString &group = rows[r].group;
        if (group.isEmpty()) {
            lanes.push_back({static_cast<int>(r), {}});
            continue;
        }
        if (!members.contains(group))
            groups.append(group);
        members[group].push_back(static_cast<int>(r));
    }
    for (const QString &group : std::as_const(groups)) {
        lanes.push_back({-1, group});
        for (int r : members.value(group))
            lanes.push_back({r, {}});
    }

    shapes.assign(rows.size(), {});
    anyUnavailable = false;
    double maxExtent = 0;
    for (std::size_t s = 0; s < lanes.size(); ++s) {
        if (lanes[s].row >= 0)
            shapes[static_cast<std::size_t>(lanes[s].row)].slot = static_cast<int>(s);
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const AllocationRow &row = rows[r];
        Shape &shape = shapes[r];
        // One span per owner, in stacking order; repeated segments of an owner add up.
        std::vector<double> values(static_cast<std::size_t>(order.size()), 0.0);
        std::vector<QStringList> tips(static_cast<std::size_t>(order.size()));
        for (const AllocationSegment &segment : row.used) {
            const int i = ownerIndex.value(segment.owner, -1);
            if (i < 0)
                continue;
            values[static_cast<std::size_t>(i)] += clean(segment.value);
            if (!segment.tooltip.isEmpty())
                tips[static_cast<std::size_t>(i)].append(segment.tooltip);
        }
        double at = 0;
        const auto addSpan = [&](int owner, double value, const QString &toolTip) {
            if (value <= 0)
                return;
            shape.spans.push_back({owner, at, at + value, toolTip});
            at += value;
        };
        for (std::size_t i = 0; i < values.size(); ++i)
            addSpan(static_cast<int>(i), values[i], tips[i].join(QLatin1Char('\n')));
        shape.used = at;
        addSpan(kFree, clean(row.free), {});
        addSpan(kUnavailable, clean(row.unavailable), {});
        anyUnavailable |= clean(row.unavailable) > 0;
        shape.capacity = clean(row.capacity) > 0 ? clean(row.capacity) : at;
        maxExtent = std::max({maxExtent, at, shape.capacity});
    }
    Lane *heading = nullptr;
    for (Lane &lane : lanes) {
        if (lane.row < 0) {
            heading = &lane;
        } else if (heading) {
            heading->used += shapes[static_cast<std::size_t>(lane.row)].used;
            heading->capacity += shapes[static_cast<std::size_t>(lane.row)].capacity;
        }
    }
    const double step = maxExtent > 0 ? tickStep(maxExtent) : 1.0;
    axisMax = maxExtent > 0 ? std::ceil(maxExtent / step) * step : 1.0;
    valueAxis->setTickInterval(step);

    const QFontMetrics metrics(q->font());
    labelWidth = 40;
    valueWidth = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(rows[r].label) + 2);
        valueWidth = std::max(
            valueWidth, metrics.horizontalAdvance(numbers(shapes[r].used, shapes[r].capacity)) + 2);
    }
    QFont bold = q->font();
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    for (const Lane &lane : lanes)
        if (lane.row < 0)
            valueWidth = std::max(
                valueWidth, boldMetrics.horizontalAdvance(numbers(lane.used, lane.capacity)) + 2);
    labelWidth = std::min(labelWidth, 220);
    valueWidth = std::min(valueWidth, 160);
    axisHeight = metrics.height() + 12;

    assignColors();

    const auto slotCount = static_cast<qsizetype>(lanes.size());
    valueAxis->setRange(0, axisMax);
    valueAxis->setVisible(slotCount > 0);
    slotAxis->setRange(-0.5, static_cast<double>(std::max<qsizetype>(slotCount, 1)) - 0.5);
    updateGeometry();
    updateBars(order == previousOrder && lanes.size() == previousLanes);
}

std::vector<QList<qreal>> AllocationChart::Private::barValues() const {
    std::vector<QList<qreal>> values(static_cast<std::size_t>(order.size()) + 2,
                                     QList<qreal>(static_cast<qsizetype>(lanes.size()), 0.0));
    const auto freeIndex = static_cast<std::size_t>(order.size());
    for (const Shape &shape : shapes) {
        const auto category = static_cast<qsizetype>(categoryOf(shape.slot));
        for (const Span &span : shape.spans) {
            const std::size_t i = span.owner >= 0       ? static_cast<std::size_t>(span.owner)
                                  : span.owner == kFree ? freeIndex
                                                        : freeIndex + 1;
            values[i][category] += span.to - span.from;
        }
    }
    return values;
}

void AllocationChart::Private::updateBars(bool sameStructure) {
    std::vector<QList<qreal>> values = barValues();
    // Qt Charts lays out every bar again for each changed value, and recreates them all for new
    // sets: a periodic refresh that changes a few values changes just those.
    if (sameStructure && values.size() == shownValues.size() &&
        static_cast<std::size_t>(series->count()) == values.size()) {
        std::vector<std::pair<std::size_t, qsizetype>> changed;
        for (std::size_t set = 0; set < values.size(); ++set)
            for (qsizetype i = 0; i < values[set].size(); ++i)
                if (values[set][i] != shownValues[set][i])
                    changed.emplace_back(set, i);
        if (changed.size() <= kMaxInPlaceChanges) {
            const QList<QBarSet *> sets = series->barSets();
            for (const auto &[set, i] : changed)
                sets.at(static_cast<qsizetype>(set))->replace(i, values[set][i]);
            for (std::size_t i = 0; i < ownerSets.size(); ++i)
                ownerSets[i]->setLabel(ownerLabel(static_cast<int>(i)));
            shownValues = std::move(values);
            styleSets();
            updateLegend();
            view->viewport()->update();
            return;
        }
    }

    // One set per owner, then free and unavailable, appended at once so that Qt Charts creates
    // and lays out its bars a single time.
    series->clear();
    ownerSets.clear();
    freeSet = nullptr;
    unavailableSet = nullptr;
    QList<QBarSet *> sets;
    if (!lanes.empty()) {
        const auto freeIndex = static_cast<std::size_t>(order.size());
        for (std::size_t i = 0; i < values.size(); ++i) {
            const QString name = i < freeIndex    ? ownerLabel(static_cast<int>(i))
                                 : i == freeIndex ? AllocationChart::tr("Free")
                                                  : AllocationChart::tr("Unavailable");
            auto *set = new QBarSet(name);
            set->setPen(Qt::NoPen);
            set->append(values[i]);
            sets.append(set);
            if (i < freeIndex)
                ownerSets.push_back(set);
            else if (i == freeIndex)
                freeSet = set;
            else
                unavailableSet = set;
        }
    }
    shownValues = std::move(values);
    styleSets();
    updateLegend();
    if (!sets.isEmpty())
        series->append(sets);
}

void AllocationChart::Private::assignColors() {
    for (auto it = colorSlots.begin(); it != colorSlots.end();) {
        if (ownerIndex.contains(it.key()))
            ++it;
        else
            it = colorSlots.erase(it);
    }
    QSet<int> taken;
    for (int slot : std::as_const(colorSlots))
        taken.insert(slot);
    int next = 0;
    for (const QString &key : std::as_const(order)) {
        if (colorSlots.contains(key))
            continue;
        while (taken.contains(next))
            ++next;
        colorSlots.insert(key, next);
        taken.insert(next);
    }
}

} // namespace kd::widgets
