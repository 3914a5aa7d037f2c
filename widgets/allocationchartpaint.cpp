// AllocationChart's painting over Qt Charts' bars, its chart view, legend and colours.
#include "widgets/allocationchart_p.h"

#include <QEvent>
#include <QGraphicsScene>
#include <QHelpEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>

namespace kd::widgets {

namespace {

constexpr int kSwatch = 12;
constexpr int kLegendMargin = 8;
constexpr int kLegendMaxText = 220;

// Text that stays readable on a segment of `fill`.
QColor textOn(const QColor &fill) {
    const double luminance = 0.299 * fill.red() + 0.587 * fill.green() + 0.114 * fill.blue();
    return luminance > 150 ? QColor(0x1b, 0x1f, 0x24) : QColor(Qt::white);
}

} // namespace

AllocationColors AllocationColors::light() {
    return {QColor(0xffffff), QColor(0x1f2328), QColor(0x59636e), QColor(0xe4e8ec),
            QColor(0xeef1f5), QColor(0xe3e8ee), QColor(0xc3cad3), QColor(0xd3d8de),
            QColor(0x9aa2ac), QColor(0x1f2328)};
}

AllocationColors AllocationColors::dark() {
    return {QColor(0x1d2126), QColor(0xe2e6ea), QColor(0x9aa4ae), QColor(0x30363d),
            QColor(0x282e35), QColor(0x343b43), QColor(0x4b535d), QColor(0x2a2f35),
            QColor(0x5d6670), QColor(0xf1f3f5)};
}

QBrush AllocationColors::unavailableBrush() const {
    QPixmap tile(8, 8);
    tile.fill(unavailable);
    QPainter painter(&tile);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(unavailableHatch, 1.5));
    painter.drawLine(QPointF(0, 8), QPointF(8, 0));
    painter.drawLine(QPointF(-1, 1), QPointF(1, -1));
    painter.drawLine(QPointF(7, 9), QPointF(9, 7));
    painter.end();
    return QBrush(tile);
}

QColor allocationPaletteColor(int index) {
    // Hues far enough apart to tell neighbours apart, all readable on light and dark.
    static const std::array<QColor, 12> base = {
        QColor(0x3d7fd6), QColor(0xf08a3c), QColor(0x3fae6a), QColor(0xd9534f),
        QColor(0x8c64c8), QColor(0x1fa9a9), QColor(0xd6a820), QColor(0xd465a6),
        QColor(0x7a9a2e), QColor(0x9c6b4a), QColor(0x5a6fd1), QColor(0x63b6e6)};
    index = std::max(index, 0);
    const QColor colour = base[static_cast<std::size_t>(index) % base.size()];
    const int round = index / static_cast<int>(base.size());
    if (round == 0)
        return colour;
    // Later rounds: alternately lighter and darker, with a slight turn of hue.
    float h = 0;
    float s = 0;
    float l = 0;
    colour.getHslF(&h, &s, &l);
    const float step = 0.13f * static_cast<float>((round + 1) / 2);
    l = std::clamp(round % 2 == 1 ? l + step : l - step, 0.22f, 0.84f);
    h = std::fmod(h + 0.025f * static_cast<float>(round), 1.0f);
    return QColor::fromHslF(h, s, l);
}

AllocationChartView::AllocationChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent) {
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setRenderHint(QPainter::Antialiasing, false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

AllocationChartView::~AllocationChartView() = default;

void AllocationChartView::drawForeground(QPainter *painter, const QRectF &rect) {
    QChartView::drawForeground(painter, rect);
    if (paintOver)
        paintOver(painter, rect);
}

void AllocationChartView::resizeEvent(QResizeEvent *event) {
    QChartView::resizeEvent(event);
    if (resized)
        resized();
}

bool AllocationChartView::viewportEvent(QEvent *event) {
    if (event->type() == QEvent::ToolTip && toolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTip(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    // The page around the chart scrolls, not the chart.
    if (event->type() == QEvent::Wheel) {
        event->ignore();
        return false;
    }
    return QChartView::viewportEvent(event);
}

AllocationLegend::AllocationLegend(QWidget *parent)
    : QWidget(parent)
    , m_colors(AllocationColors::light()) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

AllocationLegend::~AllocationLegend() = default;

void AllocationLegend::setEntries(std::vector<Entry> entries) {
    m_entries = std::move(entries);
    updateGeometry();
    update();
}

void AllocationLegend::setColors(const AllocationColors &colors) {
    m_colors = colors;
    update();
}

std::vector<AllocationLegend::Placed> AllocationLegend::place(int width) const {
    std::vector<Placed> placed;
    const QFontMetrics metrics(font());
    const int lineHeight = std::max(metrics.height(), kSwatch) + 6;
    int x = kLegendMargin;
    int y = kLegendMargin / 2;
    for (const Entry &entry : m_entries) {
        const QString shown = metrics.elidedText(entry.text, Qt::ElideMiddle, kLegendMaxText);
        const int textWidth = metrics.horizontalAdvance(shown);
        const int entryWidth = kSwatch + 6 + textWidth;
        if (x > kLegendMargin && x + entryWidth > width - kLegendMargin) {
            x = kLegendMargin;
            y += lineHeight;
        }
        placed.push_back({QRect(x, y + (lineHeight - kSwatch) / 2, kSwatch, kSwatch),
                          QRect(x + kSwatch + 6, y, textWidth + 1, lineHeight), shown});
        x += entryWidth + 18;
    }
    return placed;
}

int AllocationLegend::heightForWidth(int width) const {
    const std::vector<Placed> placed = place(width);
    return placed.empty() ? 0 : placed.back().text.bottom() + 1 + kLegendMargin / 2;
}

QSize AllocationLegend::sizeHint() const {
    const int width = std::max(this->width(), 400);
    return {width, heightForWidth(width)};
}

QSize AllocationLegend::minimumSizeHint() const {
    return {0, heightForWidth(std::max(width(), 400))};
}

void AllocationLegend::paintEvent(QPaintEvent *event) {
    Q_UNUSED(event)
    QPainter painter(this);
    painter.fillRect(rect(), m_colors.background);
    const std::vector<Placed> placed = place(width());
    for (std::size_t i = 0; i < placed.size(); ++i) {
        painter.fillRect(placed[i].swatch, m_entries[i].brush);
        painter.setPen(m_colors.freeOutline);
        painter.drawRect(placed[i].swatch.adjusted(0, 0, -1, -1));
        painter.setPen(m_colors.text);
        painter.drawText(placed[i].text, Qt::AlignLeft | Qt::AlignVCenter, placed[i].shown);
    }
}

bool AllocationLegend::event(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const std::vector<Placed> placed = place(width());
        for (std::size_t i = 0; i < placed.size(); ++i) {
            if (placed[i].swatch.united(placed[i].text).contains(help->pos())) {
                const Entry &entry = m_entries[i];
                QToolTip::showText(help->globalPos(),
                                   entry.toolTip.isEmpty() ? entry.text : entry.toolTip, this);
                return true;
            }
        }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void AllocationChart::Private::paintOver(QPainter *painter, const QRectF &exposed) const {
    painter->save();
    // The chart sits at the scene's origin; paint in its coordinates.
    painter->translate(chart->pos());
    const QRectF area = exposed.translated(-chart->pos());
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setRenderHint(QPainter::TextAntialiasing, true);
    if (lanes.empty()) {
        painter->setPen(colors.secondaryText);
        painter->drawText(chart->plotArea(), Qt::AlignCenter,
                          AllocationChart::tr("Nothing to show"));
    }
    for (std::size_t s = 0; s < lanes.size(); ++s) {
        const QRectF band = chartRect(static_cast<int>(s), 0, 0);
        if (band.bottom() + kRowHeight < area.top() || band.top() - kRowHeight > area.bottom())
            continue;
        paintRow(painter, static_cast<int>(s));
    }
    painter->restore();
}

void AllocationChart::Private::paintRow(QPainter *painter, int slot) const {
    const Lane &info = lanes[static_cast<std::size_t>(slot)];
    const QRectF plot = chart->plotArea();
    const QRectF bar = chartRect(slot, 0, 0);
    const double centre = bar.center().y();
    const QRectF band(0, centre - kRowHeight / 2.0, chart->size().width(), kRowHeight);
    const QFontMetrics metrics(q->font());

    if (info.row < 0) {
        painter->fillRect(band.adjusted(0, 2, 0, -2), colors.headingBackground);
        QFont bold = q->font();
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(colors.text);
        const QRectF sums(plot.right() + kColumnGap, band.top(), valueWidth, band.height());
        painter->drawText(sums, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(bold).elidedText(numbers(info.used, info.capacity),
                                                        Qt::ElideRight, valueWidth));
        const QRectF text(kHeadingIndent, band.top(), sums.left() - kColumnGap - kHeadingIndent,
                          band.height());
        painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(bold).elidedText(info.heading, Qt::ElideRight,
                                                        static_cast<int>(text.width())));
        painter->setFont(q->font());
        return;
    }

    const AllocationRow &row = q->m_rows[static_cast<std::size_t>(info.row)];
    const Shape &shape = shapes[static_cast<std::size_t>(info.row)];
    painter->setFont(q->font());
    painter->setPen(colors.text);
    const QRectF label(kLabelIndent, band.top(), labelWidth, band.height());
    painter->drawText(label, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(row.label, Qt::ElideMiddle, labelWidth));

    // Segment labels where they fit, and a hairline between neighbouring owners.
    QFont small = q->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetrics smallMetrics(small);
    painter->setFont(small);
    double total = 0;
    for (std::size_t i = 0; i < shape.spans.size(); ++i) {
        const Span &span = shape.spans[i];
        total = span.to;
        const QRectF r = chartRect(slot, span.from, span.to);
        if (span.owner < 0)
            continue;
        if (i > 0 && shape.spans[i - 1].owner >= 0) {
            painter->setPen(colors.background);
            painter->drawLine(QLineF(r.left(), r.top(), r.left(), r.bottom() - 1));
        }
        const QString text = ownerLabel(span.owner);
        if (r.width() >= smallMetrics.horizontalAdvance(text) + 8 &&
            r.height() >= smallMetrics.height()) {
            painter->setPen(textOn(q->ownerColor(order.at(span.owner))));
            painter->drawText(r.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
        }
    }
    painter->setFont(q->font());
    if (total > 0) {
        painter->setPen(colors.freeOutline);
        painter->setBrush(Qt::NoBrush);
        const QRectF whole = chartRect(slot, 0, total);
        painter->drawRect(whole.adjusted(0, 0, -1, -1));
    }

    if (shape.capacity > 0) {
        const QRectF at = chartRect(slot, shape.capacity, shape.capacity);
        const double overhang = at.height() * 0.2;
        painter->setPen(QPen(colors.marker, 2, Qt::SolidLine, Qt::FlatCap));
        painter->drawLine(
            QLineF(at.left(), at.top() - overhang, at.left(), at.bottom() + overhang));
    }

    painter->setPen(colors.secondaryText);
    const QRectF numbersRect(plot.right() + kColumnGap, band.top(), valueWidth, band.height());
    painter->drawText(
        numbersRect, Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(numbers(shape.used, shape.capacity), Qt::ElideRight, valueWidth));
}

} // namespace kd::widgets
