#pragma once
// A horizontal stacked-bar chart of how something countable is shared out, one bar per row:
// used segments coloured per owner, then free, then unavailable, with a marker at each row's
// capacity, hover tooltips and a signal saying which owner a clicked segment belongs to.
// Generic: it knows rows, segments and owners, not what they are (Qt Charts underneath).

#include <QColor>
#include <QLine>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace kd::widgets {

struct AllocationSegment {
    QString owner; // key of the owner; the same key gets the same colour in every row
    double value = 0;
    QString tooltip; // "" : "<owner label>: <value>"
};

struct AllocationRow {
    QString label;                       // shown left of the bar
    QString group;                       // rows of one group are drawn under its heading
    std::vector<AllocationSegment> used; // drawn in this order from the left
    double free = 0;
    double unavailable = 0; // e.g. on a cordoned node
    double capacity = 0;    // the marker; 0: used + free + unavailable
    QString tooltip;        // for the free and unavailable parts, and the label
};

struct AllocationOwner {
    QString key;
    QString label; // legend text
};

class AllocationChart final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AllocationChart)

public:
    // Every row (and every group heading) takes this many pixels of height, so the chart grows
    // with its rows and a surrounding QScrollArea scrolls it.
    static constexpr int kRowHeight = 26;

    explicit AllocationChart(QWidget *parent = nullptr);
    ~AllocationChart() override;

    // Replaces everything shown. Owners not listed are labelled by their key; listed owners
    // without segments still appear in the legend. Segments of one owner stack in the same
    // place in every bar: the order follows the rows' own orders where they agree, then the
    // order of `owners`. Repeated segments of an owner in a row add up; segments without an
    // owner key are left out; negative, NaN and infinite values count as 0. Rows without a group
    // come first. Refreshing with the same owners and rows and a few changed values is cheap.
    void setData(std::vector<AllocationRow> rows, std::vector<AllocationOwner> owners = {});
    const std::vector<AllocationRow> &rows() const { return m_rows; }
    // The owners in the order their segments stack from the left (also the legend's order).
    QStringList ownerOrder() const;
    // The colour an owner's segments have (stable for a key while it is shown); invalid for an
    // owner not shown.
    QColor ownerColor(const QString &owner) const;
    // The owner of the used segment under a point in this widget's coordinates, "" when none
    // (free, unavailable, a label or empty space). Tests click through this.
    QString ownerAt(const QPoint &pos) const;
    // The row under a point (its label, bar or numbers), -1 when none or over a heading.
    int rowAt(const QPoint &pos) const;
    // Where the segment of `owner` in `row` is drawn, in this widget's coordinates; empty when
    // that row has no such segment.
    QRect segmentRect(int row, const QString &owner) const;
    // The capacity marker of `row`, in this widget's coordinates; null when the row has none.
    QLine capacityMarker(int row) const;
    // What the tooltip says at a point ("" when nothing).
    QString toolTipAt(const QPoint &pos) const;
    // Dark or light colours for free and unavailable parts and text.
    void setDark(bool dark);
    bool isDark() const;

signals:
    // A used segment was clicked.
    void ownerClicked(const QString &owner, int row);
    // The pointer is over a segment ("" owner for free or unavailable; row -1 when it left).
    void segmentHovered(const QString &owner, int row);

private:
    struct Private;
    std::vector<AllocationRow> m_rows;
    Private *d;
};

} // namespace kd::widgets
