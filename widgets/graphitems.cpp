#include "widgets/graphitems.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace kd::widgets {

namespace {

constexpr qreal kStripe = 6;
constexpr qreal kRadius = 7;
constexpr qreal kBubble = 24; // diameter of the count bubble
constexpr qreal kHandleWidth = 62;
constexpr qreal kHandleHeight = 20;

const QPalette &paletteOf(const QWidget *widget) {
    static const QPalette fallback = QApplication::palette();
    return widget ? widget->palette() : fallback;
}

qreal levelOfDetail(const QStyleOptionGraphicsItem *option, const QPainter *painter) {
    return option->levelOfDetailFromTransform(painter->worldTransform());
}

QFont scaledFont(const QFont &base, qreal factor, bool bold = false) {
    QFont f = base;
    f.setPointSizeF(std::max<qreal>(6, base.pointSizeF() * factor));
    f.setBold(bold);
    return f;
}

// A small padlock, for handles the user may not drag.
void paintLock(QPainter *painter, const QRectF &box, const QColor &colour) {
    const qreal w = box.width();
    QRectF body(box.left(), box.top() + box.height() * 0.45, w, box.height() * 0.55);
    QRectF shackle(box.left() + w * 0.2, box.top(), w * 0.6, box.height() * 0.8);
    painter->setPen(QPen(colour, 1.4));
    painter->setBrush(Qt::NoBrush);
    painter->drawArc(shackle, 0, 180 * 16);
    painter->setBrush(colour);
    painter->drawRoundedRect(body, 1.5, 1.5);
}

} // namespace

GraphNodeItem::GraphNodeItem(const GraphNodeSpec &spec, QSizeF size)
    : m_spec(spec)
    , m_size(size) {
    setFlags(ItemIsSelectable | ItemSendsGeometryChanges);
    setToolTip(spec.toolTip);
    setZValue(1);
}

void GraphNodeItem::setSpec(const GraphNodeSpec &spec) {
    if (spec == m_spec)
        return;
    m_spec = spec;
    setToolTip(spec.toolTip);
    update();
}

void GraphNodeItem::setHighlight(Highlight highlight) {
    if (highlight == m_highlight)
        return;
    m_highlight = highlight;
    update();
}

void GraphNodeItem::setHandleOverride(std::optional<int> value) {
    if (value == m_handleOverride)
        return;
    m_handleOverride = value;
    update();
}

QRectF GraphNodeItem::handleRect() const {
    if (!m_spec.hasHandle)
        return {};
    return {m_size.width() - kHandleWidth - 6, m_size.height() - kHandleHeight - 5, kHandleWidth,
            kHandleHeight};
}

void GraphNodeItem::removeEdge(GraphEdgeItem *edge) {
    m_edges.erase(std::remove(m_edges.begin(), m_edges.end(), edge), m_edges.end());
}

QRectF GraphNodeItem::boundingRect() const {
    // Room for the selection outline and the count bubble over the top-right corner.
    return cardRect().adjusted(-3, -kBubble / 2 - 1, kBubble / 2 + 1, 3);
}

QVariant GraphNodeItem::itemChange(GraphicsItemChange change, const QVariant &value) {
    if (change == ItemPositionHasChanged)
        for (GraphEdgeItem *e : m_edges)
            e->adjust();
    return QGraphicsItem::itemChange(change, value);
}

void GraphNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
                          QWidget *widget) {
    const QPalette &palette = paletteOf(widget);
    // Fonts derive from the widget's, never from the painter's: the view does not save painter
    // state between items, so a font scaled here would compound on the next card.
    const QFont base = widget ? widget->font() : QApplication::font();
    const qreal lod = levelOfDetail(option, painter);
    const QRectF card = cardRect();
    const bool dimmed = m_highlight == Highlight::Dimmed;
    painter->setOpacity(dimmed ? 0.3 : 1.0);

    if (lod < 0.2) { // far away: a coloured block is all the eye can use
        painter->fillRect(card, m_spec.status);
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing, lod > 0.5);
    QColor border = palette.color(QPalette::Mid);
    qreal borderWidth = 1;
    if (isSelected()) {
        border = palette.color(QPalette::Highlight);
        borderWidth = 3;
    } else if (m_highlight == Highlight::Match) {
        border = QColor(0xf5, 0xb0, 0x00);
        borderWidth = 3;
    }
    painter->setPen(QPen(border, borderWidth));
    painter->setBrush(palette.color(QPalette::Base));
    if (m_group) { // a stack of cards
        painter->drawRoundedRect(card.translated(6, -6), kRadius, kRadius);
        painter->drawRoundedRect(card.translated(3, -3), kRadius, kRadius);
    }
    painter->drawRoundedRect(card, kRadius, kRadius);
    painter->fillRect(
        QRectF(card.left() + 1, card.top() + kRadius, kStripe, card.height() - 2 * kRadius),
        m_spec.status);
    if (lod < 0.45) {
        painter->setPen(palette.color(QPalette::Text));
        painter->setFont(scaledFont(base, 1.4, true));
        painter->drawText(card.adjusted(kStripe + 8, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
                          m_spec.label);
        return;
    }

    const qreal left = kStripe + 8;
    // Glyph, label, subtitle.
    painter->setFont(scaledFont(base, 0.75, true));
    painter->setPen(m_spec.status.darker(115));
    const QRectF glyphRect(left, 6, 34, 14);
    painter->drawText(glyphRect, Qt::AlignLeft | Qt::AlignVCenter, m_spec.glyph);
    const qreal textLeft = left + (m_spec.glyph.isEmpty() ? 0 : 36);
    const qreal textWidth = card.width() - textLeft - 8;
    QFont labelFont = scaledFont(base, 1.0, true);
    painter->setFont(labelFont);
    painter->setPen(palette.color(QPalette::Text));
    painter->drawText(
        QRectF(textLeft, 4, textWidth, 18), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(labelFont).elidedText(m_spec.label, Qt::ElideMiddle, textWidth));
    QFont subFont = scaledFont(base, 0.85);
    painter->setFont(subFont);
    painter->setPen(palette.color(QPalette::PlaceholderText));
    const qreal subWidth = card.width() - left - 8;
    painter->drawText(QRectF(left, 22, subWidth, 16), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetricsF(subFont).elidedText(m_spec.subtitle, Qt::ElideRight, subWidth));
    paintBadges(painter, palette, base, 42);
    if (m_spec.hasHandle)
        paintHandle(painter, palette, base);

    if (m_spec.count > 0) {
        const QRectF bubble(card.right() - kBubble / 2, card.top() - kBubble / 2, kBubble, kBubble);
        painter->setPen(QPen(palette.color(QPalette::Base), 2));
        painter->setBrush(m_spec.status.darker(110));
        painter->drawEllipse(bubble);
        painter->setPen(Qt::white);
        painter->setFont(scaledFont(base, m_spec.count > 99 ? 0.65 : 0.8, true));
        painter->drawText(bubble, Qt::AlignCenter,
                          m_spec.count > 999 ? QStringLiteral("999+")
                                             : QString::number(m_spec.count));
    }
}

void GraphNodeItem::paintBadges(QPainter *painter, const QPalette &palette, const QFont &base,
                                qreal top) const {
    qreal x = kStripe + 8;
    const qreal limit = m_size.width() - (m_spec.hasHandle ? kHandleWidth + 12 : 6);
    QFont f = scaledFont(base, 0.8);
    painter->setFont(f);
    QFontMetricsF fm(f);
    for (const QString &badge : m_spec.badges) {
        const qreal w = fm.horizontalAdvance(badge) + 10;
        if (x + w > limit)
            break;
        QRectF pill(x, top, w, 16);
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(QPalette::AlternateBase).darker(108));
        painter->drawRoundedRect(pill, 8, 8);
        painter->setPen(palette.color(QPalette::Text));
        painter->drawText(pill, Qt::AlignCenter, badge);
        x += w + 4;
    }
}

void GraphNodeItem::paintHandle(QPainter *painter, const QPalette &palette,
                                const QFont &base) const {
    const QRectF r = handleRect();
    const bool locked = !m_spec.handleDisabledReason.isEmpty();
    const bool dragging = m_handleOverride.has_value();
    QColor fill = locked ? palette.color(QPalette::Button) : palette.color(QPalette::Highlight);
    if (dragging)
        fill = fill.darker(120);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawRoundedRect(r, r.height() / 2, r.height() / 2);
    const QColor ink = locked ? palette.color(QPalette::PlaceholderText)
                              : palette.color(QPalette::HighlightedText);
    if (locked)
        paintLock(painter, QRectF(r.left() + 7, r.top() + 4, 9, 12), ink);
    else { // grip: two arrows saying "drag sideways"
        painter->setPen(QPen(ink, 1.5));
        const qreal cy = r.center().y();
        painter->drawLine(QPointF(r.left() + 6, cy), QPointF(r.left() + 10, cy - 4));
        painter->drawLine(QPointF(r.left() + 6, cy), QPointF(r.left() + 10, cy + 4));
        painter->drawLine(QPointF(r.right() - 6, cy), QPointF(r.right() - 10, cy - 4));
        painter->drawLine(QPointF(r.right() - 6, cy), QPointF(r.right() - 10, cy + 4));
    }
    painter->setPen(ink);
    painter->setFont(scaledFont(base, 1.0, true));
    painter->drawText(r, Qt::AlignCenter,
                      QString::number(m_handleOverride.value_or(m_spec.handleValue)));
}

GraphEdgeItem::GraphEdgeItem(GraphNodeItem *from, GraphNodeItem *to, const GraphEdgeSpec &spec)
    : m_from(from)
    , m_to(to)
    , m_spec(spec) {
    setToolTip(spec.toolTip);
    setZValue(0);
    from->addEdge(this);
    to->addEdge(this);
    adjust();
}

void GraphEdgeItem::setSpec(const GraphEdgeSpec &spec) {
    if (spec == m_spec)
        return;
    m_spec = spec;
    setToolTip(spec.toolTip);
    update();
}

void GraphEdgeItem::adjust() {
    QPointF start = m_from->outPort();
    QPointF end = m_to->inPort();
    if (end.x() < start.x()) { // drawn right to left: join the facing sides instead
        start = m_from->inPort();
        end = m_to->outPort();
    }
    if (start == m_start && end == m_end)
        return;
    prepareGeometryChange();
    m_start = start;
    m_end = end;
}

QRectF GraphEdgeItem::boundingRect() const {
    return QRectF(m_start, m_end).normalized().adjusted(-8, -8, 8, 8);
}

void GraphEdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
                          QWidget *widget) {
    const qreal lod = levelOfDetail(option, painter);
    const bool dimmed = m_from->highlight() == GraphNodeItem::Highlight::Dimmed &&
                        m_to->highlight() == GraphNodeItem::Highlight::Dimmed;
    painter->setOpacity(dimmed ? 0.25 : 1.0);
    QPen pen(m_spec.colour, m_spec.dashed ? 1.8 : 1.3);
    if (m_spec.dashed)
        pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    if (lod < 0.4) {
        painter->drawLine(m_start, m_end);
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing, true);
    const qreal dx = std::abs(m_end.x() - m_start.x()) / 2;
    const qreal dir = m_end.x() >= m_start.x() ? 1 : -1;
    QPainterPath path(m_start);
    path.cubicTo(m_start + QPointF(dir * dx, 0), m_end - QPointF(dir * dx, 0), m_end);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path);
    // Arrowhead at the target.
    painter->setPen(Qt::NoPen);
    painter->setBrush(m_spec.colour);
    QPolygonF head;
    head << m_end << m_end + QPointF(-dir * 8, -4) << m_end + QPointF(-dir * 8, 4);
    painter->drawPolygon(head);
    if (lod > 0.8 && !m_spec.label.isEmpty()) {
        QFont f = widget ? widget->font() : QApplication::font();
        f.setPointSizeF(std::max<qreal>(6, f.pointSizeF() * 0.8));
        painter->setFont(f);
        painter->setPen(m_spec.colour.darker(130));
        const QPointF mid = path.pointAtPercent(0.5);
        painter->drawText(QRectF(mid.x() - 90, mid.y() - 16, 180, 14), Qt::AlignCenter,
                          QFontMetricsF(f).elidedText(m_spec.label, Qt::ElideMiddle, 180));
    }
}

GraphCalloutItem::GraphCalloutItem() {
    setZValue(10);
    setFlag(ItemIgnoresTransformations); // readable at any zoom
}

void GraphCalloutItem::setText(const QString &title, const QString &detail) {
    prepareGeometryChange();
    m_title = title;
    m_detail = detail;
    const QFont f = QApplication::font();
    QFontMetricsF fm(f);
    const QRectF detailBox = fm.boundingRect(QRectF(0, 0, 300, 400), Qt::TextWordWrap,
                                             m_detail.isEmpty() ? QStringLiteral(" ") : m_detail);
    m_rect = QRectF(0, 0, std::max<qreal>(180, detailBox.width()) + 20,
                    fm.height() * 1.3 + detailBox.height() + 18);
    update();
}

QRectF GraphCalloutItem::boundingRect() const {
    return m_rect.adjusted(-2, -8, 2, 2);
}

void GraphCalloutItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *widget) {
    const QPalette &palette = paletteOf(widget);
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(QPen(palette.color(QPalette::Highlight), 1.5));
    painter->setBrush(palette.color(QPalette::ToolTipBase));
    QPainterPath box;
    box.addRoundedRect(m_rect, 6, 6);
    QPolygonF tip;
    tip << QPointF(24, 0) << QPointF(32, -8) << QPointF(40, 0);
    box.addPolygon(tip);
    painter->drawPath(box.simplified());
    QFont bold = QApplication::font();
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(palette.color(QPalette::ToolTipText));
    const qreal line = QFontMetricsF(bold).height() * 1.3;
    painter->drawText(m_rect.adjusted(10, 6, -10, 0).topLeft() + QPointF(0, line * 0.75), m_title);
    painter->setFont(QApplication::font());
    painter->drawText(m_rect.adjusted(10, 6 + line, -10, -6), Qt::TextWordWrap, m_detail);
}

} // namespace kd::widgets
