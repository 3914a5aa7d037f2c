#pragma once
// Internals of AllocationChart shared by its sources: colours, the chart view that paints labels
// and markers over Qt Charts' bars, the wrapping legend, and the chart's private state.

#include "widgets/allocationchart.h"

#include <QBrush>
#include <QChartView>
#include <QHash>

#include <functional>
#include <vector>

QT_BEGIN_NAMESPACE
class QBarSet;
class QHorizontalStackedBarSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace kd::widgets {

struct AllocationColors {
    QColor background;
    QColor text;
    QColor secondaryText;
    QColor grid;
    QColor headingBackground;
    QColor free;
    QColor freeOutline;
    QColor unavailable;
    QColor unavailableHatch;
    QColor marker;

    static AllocationColors light();
    static AllocationColors dark();
    // Grey with diagonal stripes, for capacity that cannot be used.
    QBrush unavailableBrush() const;
};

// The i-th colour of the owners' palette: twelve distinct hues, then lighter and darker variants.
QColor allocationPaletteColor(int index);

// Qt Charts draws the bars; the chart paints labels, headings, separators and capacity markers
// over them, and answers tooltips itself so that they cover labels and free parts too.
class AllocationChartView final : public QChartView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AllocationChartView)

public:
    explicit AllocationChartView(QChart *chart, QWidget *parent = nullptr);
    ~AllocationChartView() override;

    std::function<void(QPainter *, const QRectF &)> paintOver;
    std::function<void()> resized;
    std::function<QString(const QPoint &viewportPos)> toolTip;

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void resizeEvent(QResizeEvent *event) override;
    bool viewportEvent(QEvent *event) override;
};

// Swatches and labels that wrap onto as many lines as the width needs.
class AllocationLegend final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AllocationLegend)

public:
    struct Entry {
        QBrush brush;
        QString text;
        QString toolTip;
    };

    explicit AllocationLegend(QWidget *parent = nullptr);
    ~AllocationLegend() override;

    void setEntries(std::vector<Entry> entries);
    void setColors(const AllocationColors &colors);
    const std::vector<Entry> &entries() const { return m_entries; }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Placed {
        QRect swatch;
        QRect text;
        QString shown; // elided
    };
    std::vector<Placed> place(int width) const;

    std::vector<Entry> m_entries;
    AllocationColors m_colors;
};

struct AllocationChart::Private {
    // Owner index of a span that is not a used segment.
    static constexpr int kFree = -1;
    static constexpr int kUnavailable = -2;
    // Share of a row's height the bar takes.
    static constexpr double kBarWidth = 0.62;
    // Up to this many changed values are replaced in place; more rebuild the sets.
    static constexpr std::size_t kMaxInPlaceChanges = 24;
    // Horizontal layout of a row: heading, label column, bar, numbers.
    static constexpr int kHeadingIndent = 8;
    static constexpr int kLabelIndent = 20;
    static constexpr int kColumnGap = 12;

    struct Span {
        int owner = kFree; // index into order, or kFree / kUnavailable
        double from = 0;
        double to = 0;
        QString toolTip;
    };
    struct Shape {
        std::vector<Span> spans; // left to right, only non-empty ones
        double used = 0;
        double capacity = 0; // where the marker is; 0: none
        int slot = 0;        // its lane
    };
    // A row's place from the top: a row or a group heading, kRowHeight high.
    struct Lane {
        int row = -1;    // -1: a group heading
        QString heading; // for headings
        double used = 0; // a heading's sums over its rows
        double capacity = 0;
    };

    explicit Private(AllocationChart *chart);

    // allocationchartmodel.cpp
    void rebuild(const std::vector<AllocationOwner> &owners);
    // The values of each set (owners in order, then free, then unavailable) per category.
    std::vector<QList<qreal>> barValues() const;
    void updateBars(bool sameStructure);
    void assignColors();

    // allocationchart.cpp
    void applyTheme();
    void styleSets();
    void updateLegend();
    void updateGeometry();
    void placePlotArea();
    void ensureLayout() const;
    double categoryOf(int slot) const;
    // A bar's part from `from` to `to` in chart coordinates.
    QRectF chartRect(int slot, double from, double to) const;
    QPointF chartOrigin() const; // where the chart's (0, 0) is in the widget
    // The lane under a point in widget coordinates (-1 when none) and the value there.
    std::pair<int, double> hit(const QPoint &pos) const;
    // The part of a bar under a point; `row` gets the row under it, or -1.
    const Span *spanAt(const QPoint &pos, int *row) const;
    void onHovered(bool status, int index, QBarSet *set);
    void onClicked(int index, QBarSet *set);
    QString ownerLabel(int owner) const;
    QString spanToolTip(int row, const Span &span) const;
    QString rowToolTip(int row) const;
    // "used / capacity", right of a bar or a heading.
    static QString numbers(double used, double capacity);

    // allocationchartpaint.cpp
    void paintOver(QPainter *painter, const QRectF &exposed) const;
    void paintRow(QPainter *painter, int slot) const;

    AllocationChart *q;
    QChart *chart;
    QValueAxis *valueAxis;
    QValueAxis *slotAxis;
    QHorizontalStackedBarSeries *series = nullptr;
    AllocationChartView *view;
    AllocationLegend *legend;
    std::vector<QBarSet *> ownerSets;      // parallel to order
    std::vector<QList<qreal>> shownValues; // what the sets hold
    QBarSet *freeSet = nullptr;
    QBarSet *unavailableSet = nullptr;

    bool dark = false;
    AllocationColors colors;
    QBrush hatch; // colors.unavailableBrush(), made once per theme
    QStringList order;
    QHash<QString, int> ownerIndex;
    QHash<QString, QString> labels;
    QHash<QString, int> colorSlots; // palette index per owner key, kept while it is shown
    std::vector<Shape> shapes;      // parallel to rows
    std::vector<Lane> lanes;        // top to bottom
    bool anyUnavailable = false;
    double axisMax = 1;
    int labelWidth = 0;
    int valueWidth = 0;
    int axisHeight = 0;
};

QString formatAllocationValue(double value);

} // namespace kd::widgets
