#include "widgets/allocationchart.h"

#include "widgets/allocationchart_p.h"

#include <QBarSet>
#include <QGraphicsLayout>
#include <QHorizontalStackedBarSeries>
#include <QPalette>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace kd::widgets {

namespace {

constexpr int kBottomPadding = 8;

} // namespace

QString formatAllocationValue(double value) {
    return QString::number(value, 'g', 6);
}

QString AllocationChart::Private::numbers(double used, double capacity) {
    return formatAllocationValue(used) + QStringLiteral(" / ") + formatAllocationValue(capacity);
}

AllocationChart::Private::Private(AllocationChart *owner)
    : q(owner)
    , chart(new QChart)
    , valueAxis(new QValueAxis)
    , slotAxis(new QValueAxis)
    , view(new AllocationChartView(chart, owner))
    , legend(new AllocationLegend(owner))
    , colors(AllocationColors::light()) {
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide();
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins());
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundPen(Qt::NoPen);
    // With a fixed plot area Qt Charts only moves the axes when the plot background is visible.
    chart->setPlotAreaBackgroundVisible(true);
    chart->setPlotAreaBackgroundPen(Qt::NoPen);
    chart->addAxis(valueAxis, Qt::AlignTop);
    chart->addAxis(slotAxis, Qt::AlignLeft);
    // Rows are placed by their slot index; their labels are painted by the chart itself.
    slotAxis->setVisible(false);
    valueAxis->setTickType(QValueAxis::TicksDynamic);
    valueAxis->setTickAnchor(0);
    valueAxis->setLabelFormat(QStringLiteral("%g"));
    valueAxis->setLineVisible(false);
    valueAxis->setMinorTickCount(0);
    valueAxis->setRange(0, 1);
    slotAxis->setRange(-0.5, 0.5);
    // One series for the chart's lifetime; setData replaces its sets.
    series = new QHorizontalStackedBarSeries;
    series->setBarWidth(kBarWidth);
    chart->addSeries(series);
    series->attachAxis(valueAxis);
    series->attachAxis(slotAxis);
    QObject::connect(
        series, &QAbstractBarSeries::hovered, q,
        [this](bool status, int index, QBarSet *set) { onHovered(status, index, set); });
    QObject::connect(series, &QAbstractBarSeries::clicked, q,
                     [this](int index, QBarSet *set) { onClicked(index, set); });
    QFont axisFont = q->font();
    axisFont.setPointSizeF(axisFont.pointSizeF() * 0.9);
    valueAxis->setLabelsFont(axisFont);

    view->paintOver = [this](QPainter *painter, const QRectF &exposed) {
        paintOver(painter, exposed);
    };
    view->resized = [this] { placePlotArea(); };
    view->toolTip = [this](const QPoint &viewportPos) {
        return q->toolTipAt(view->viewport()->mapTo(q, viewportPos));
    };
}

double AllocationChart::Private::categoryOf(int slot) const {
    // Qt Charts counts categories upwards; rows read downwards.
    return static_cast<double>(static_cast<int>(lanes.size()) - 1 - slot);
}

void AllocationChart::Private::applyTheme() {
    colors = dark ? AllocationColors::dark() : AllocationColors::light();
    hatch = colors.unavailableBrush();
    chart->setBackgroundBrush(colors.background);
    chart->setPlotAreaBackgroundBrush(colors.background);
    view->setBackgroundBrush(colors.background);
    valueAxis->setLabelsColor(colors.secondaryText);
    valueAxis->setGridLineColor(colors.grid);
    QPalette palette = q->palette();
    palette.setColor(QPalette::Window, colors.background);
    palette.setColor(QPalette::WindowText, colors.text);
    q->setPalette(palette);
    legend->setColors(colors);
    styleSets();
    updateLegend();
    view->viewport()->update();
}

void AllocationChart::Private::styleSets() {
    // Qt Charts restyles every bar of a set whose brush changes, so only set what differs.
    const auto style = [](QBarSet *set, const QBrush &brush) {
        if (set && set->brush() != brush)
            set->setBrush(brush);
    };
    for (std::size_t i = 0; i < ownerSets.size(); ++i)
        style(ownerSets[i], q->ownerColor(order.at(static_cast<qsizetype>(i))));
    style(freeSet, colors.free);
    style(unavailableSet, hatch);
}

void AllocationChart::Private::updateLegend() {
    std::vector<AllocationLegend::Entry> entries;
    for (qsizetype i = 0; i < order.size(); ++i) {
        const QString label = ownerLabel(static_cast<int>(i));
        const QString &key = order.at(i);
        entries.push_back({QBrush(q->ownerColor(key)), label,
                           label == key ? key : label + QLatin1Char('\n') + key});
    }
    if (!order.isEmpty() || !lanes.empty())
        entries.push_back({QBrush(colors.free), AllocationChart::tr("Free"), {}});
    if (anyUnavailable)
        entries.push_back({hatch, AllocationChart::tr("Unavailable"), {}});
    legend->setEntries(std::move(entries));
}

void AllocationChart::Private::updateGeometry() {
    const int rowsHigh = std::max(static_cast<int>(lanes.size()), 1) * kRowHeight;
    view->setFixedHeight(axisHeight + rowsHigh + kBottomPadding);
    placePlotArea();
    if (q->layout())
        q->layout()->activate();
}

void AllocationChart::Private::placePlotArea() {
    const int left = kLabelIndent + labelWidth + kColumnGap;
    const int right = std::max(view->width() - valueWidth - 2 * kColumnGap, left + 40);
    const int rowsHigh = std::max(static_cast<int>(lanes.size()), 1) * kRowHeight;
    const QRectF plot(left, axisHeight, right - left, rowsHigh);
    if (plot == chart->plotArea())
        return;
    chart->setPlotArea(plot);
    // A new plot area moves the bars at once but the axis only on the next layout pass.
    chart->layout()->invalidate();
    chart->layout()->activate();
    view->viewport()->update();
}

void AllocationChart::Private::ensureLayout() const {
    // Geometry queries right after setData or a resize must see the new plot area.
    if (QGraphicsLayout *layout = chart->layout())
        layout->activate();
}

QRectF AllocationChart::Private::chartRect(int slot, double from, double to) const {
    if (lanes.empty())
        return {};
    const double c = categoryOf(slot);
    const QPointF a = chart->mapToPosition(QPointF(from, c + kBarWidth / 2), series);
    const QPointF b = chart->mapToPosition(QPointF(to, c - kBarWidth / 2), series);
    return QRectF(a, b).normalized();
}

QPointF AllocationChart::Private::chartOrigin() const {
    const QPoint inView = view->mapFromScene(chart->mapToScene(QPointF(0, 0)));
    return QPointF(view->viewport()->mapTo(q, inView));
}

std::pair<int, double> AllocationChart::Private::hit(const QPoint &pos) const {
    if (lanes.empty())
        return {-1, 0};
    ensureLayout();
    const QPointF at = QPointF(pos) - chartOrigin();
    const QRectF plot = chart->plotArea();
    if (at.y() < plot.top() || at.y() >= plot.bottom())
        return {-1, 0};
    const QPointF value = chart->mapToValue(at, series);
    const int slot = static_cast<int>(lanes.size()) - 1 - static_cast<int>(std::lround(value.y()));
    if (slot < 0 || slot >= static_cast<int>(lanes.size()))
        return {-1, 0};
    return {slot, value.x()};
}

const AllocationChart::Private::Span *AllocationChart::Private::spanAt(const QPoint &pos,
                                                                       int *row) const {
    const auto [slot, value] = hit(pos);
    *row = slot >= 0 ? lanes[static_cast<std::size_t>(slot)].row : -1;
    if (*row < 0)
        return nullptr;
    const QPointF at = QPointF(pos) - chartOrigin();
    for (const Span &span : shapes[static_cast<std::size_t>(*row)].spans) {
        if (chartRect(slot, span.from, span.to).contains(at))
            return &span;
    }
    return nullptr;
}

void AllocationChart::Private::onHovered(bool status, int index, QBarSet *set) {
    const int slot = static_cast<int>(lanes.size()) - 1 - index;
    if (!status || slot < 0 || slot >= static_cast<int>(lanes.size()) ||
        lanes[static_cast<std::size_t>(slot)].row < 0) {
        emit q->segmentHovered(QString(), -1);
        return;
    }
    const auto it = std::find(ownerSets.begin(), ownerSets.end(), set);
    const QString owner =
        it == ownerSets.end() ? QString() : order.at(std::distance(ownerSets.begin(), it));
    emit q->segmentHovered(owner, lanes[static_cast<std::size_t>(slot)].row);
}

void AllocationChart::Private::onClicked(int index, QBarSet *set) {
    const int slot = static_cast<int>(lanes.size()) - 1 - index;
    const auto it = std::find(ownerSets.begin(), ownerSets.end(), set);
    if (it == ownerSets.end() || slot < 0 || slot >= static_cast<int>(lanes.size()))
        return;
    const int row = lanes[static_cast<std::size_t>(slot)].row;
    if (row >= 0)
        emit q->ownerClicked(order.at(std::distance(ownerSets.begin(), it)), row);
}

QString AllocationChart::Private::ownerLabel(int owner) const {
    const QString &key = order.at(owner);
    return labels.value(key, key);
}

QString AllocationChart::Private::spanToolTip(int row, const Span &span) const {
    const AllocationRow &data = q->m_rows[static_cast<std::size_t>(row)];
    const QString value = formatAllocationValue(span.to - span.from);
    if (span.owner >= 0)
        return span.toolTip.isEmpty() ? ownerLabel(span.owner) + QStringLiteral(": ") + value
                                      : span.toolTip;
    QString text = span.owner == kFree ? AllocationChart::tr("Free: %1").arg(value)
                                       : AllocationChart::tr("Unavailable: %1").arg(value);
    if (!data.tooltip.isEmpty())
        text += QLatin1Char('\n') + data.tooltip;
    return text;
}

QString AllocationChart::Private::rowToolTip(int row) const {
    const AllocationRow &data = q->m_rows[static_cast<std::size_t>(row)];
    const Shape &shape = shapes[static_cast<std::size_t>(row)];
    QString text = AllocationChart::tr("%1: %2 used of %3")
                       .arg(data.label, formatAllocationValue(shape.used),
                            formatAllocationValue(shape.capacity));
    if (!data.tooltip.isEmpty())
        text += QLatin1Char('\n') + data.tooltip;
    return text;
}

AllocationChart::AllocationChart(QWidget *parent)
    : QWidget(parent)
    , d(new Private(this)) {
    setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(d->legend);
    layout->addWidget(d->view);
    layout->addStretch(1);
    d->applyTheme();
    d->updateGeometry();
}

AllocationChart::~AllocationChart() {
    delete d;
}

void AllocationChart::setData(std::vector<AllocationRow> rows,
                              std::vector<AllocationOwner> owners) {
    m_rows = std::move(rows);
    d->rebuild(owners);
}

QStringList AllocationChart::ownerOrder() const {
    return d->order;
}

QColor AllocationChart::ownerColor(const QString &owner) const {
    const auto it = d->colorSlots.constFind(owner);
    return it == d->colorSlots.cend() ? QColor() : allocationPaletteColor(*it);
}

QString AllocationChart::ownerAt(const QPoint &pos) const {
    int row = -1;
    const Private::Span *span = d->spanAt(pos, &row);
    return span && span->owner >= 0 ? d->order.at(span->owner) : QString();
}

int AllocationChart::rowAt(const QPoint &pos) const {
    const auto [slot, value] = d->hit(pos);
    Q_UNUSED(value)
    return slot >= 0 ? d->lanes[static_cast<std::size_t>(slot)].row : -1;
}

QRect AllocationChart::segmentRect(int row, const QString &owner) const {
    const int index = d->ownerIndex.value(owner, -1);
    if (row < 0 || row >= static_cast<int>(m_rows.size()) || index < 0)
        return {};
    const Private::Shape &shape = d->shapes[static_cast<std::size_t>(row)];
    for (const Private::Span &span : shape.spans) {
        if (span.owner != index)
            continue;
        d->ensureLayout();
        const QRectF r = d->chartRect(shape.slot, span.from, span.to).translated(d->chartOrigin());
        // The pixels whose centres the bar covers.
        return QRect(QPoint(qRound(r.left()), qRound(r.top())),
                     QPoint(qRound(r.right()) - 1, qRound(r.bottom()) - 1));
    }
    return {};
}

QLine AllocationChart::capacityMarker(int row) const {
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return {};
    const Private::Shape &shape = d->shapes[static_cast<std::size_t>(row)];
    if (shape.capacity <= 0)
        return {};
    d->ensureLayout();
    const QRectF r =
        d->chartRect(shape.slot, shape.capacity, shape.capacity).translated(d->chartOrigin());
    const int x = qRound(r.left());
    const int overhang = qRound(r.height() * 0.2);
    return QLine(x, qRound(r.top()) - overhang, x, qRound(r.bottom()) + overhang);
}

QString AllocationChart::toolTipAt(const QPoint &pos) const {
    int row = -1;
    if (const Private::Span *span = d->spanAt(pos, &row))
        return d->spanToolTip(row, *span);
    if (row < 0)
        return {};
    // Over the row's label or its numbers.
    const QPointF at = QPointF(pos) - d->chartOrigin();
    const QRectF plot = d->chart->plotArea();
    return at.x() < plot.left() || at.x() > plot.right() ? d->rowToolTip(row) : QString();
}

void AllocationChart::setDark(bool dark) {
    if (dark == d->dark)
        return;
    d->dark = dark;
    d->applyTheme();
}

bool AllocationChart::isDark() const {
    return d->dark;
}

} // namespace kd::widgets
