#include "widgets/graphview.h"

#include "widgets/graphitems.h"

#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace kd::widgets {

namespace {
constexpr qreal kMinZoom = 0.04;
constexpr qreal kMaxZoom = 3.0;
} // namespace

GraphView::GraphView(QWidget *parent)
    : QGraphicsView(parent)
    , m_scene(new QGraphicsScene(this))
    , m_callout(new GraphCalloutItem) {
    setScene(m_scene);
    m_scene->setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    m_scene->addItem(m_callout);
    m_callout->setVisible(false);
    setRenderHint(QPainter::Antialiasing, true);
    setRenderHint(QPainter::TextAntialiasing, true);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState |
                         QGraphicsView::DontAdjustForAntialiasing);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    // Growing the scene downwards must not re-centre (and so shift) what the user looks at.
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    setDragMode(QGraphicsView::NoDrag);
    setFocusPolicy(Qt::StrongFocus);
    setBackgroundBrush(palette().color(QPalette::Window));
}

GraphView::~GraphView() {
    // Edges point at nodes: delete them first, then let the scene delete the rest.
    for (GraphEdgeItem *e : std::as_const(m_edges))
        delete e;
    m_edges.clear();
}

qreal GraphView::zoom() const {
    return transform().m11();
}

void GraphView::zoomBy(qreal factor) {
    const qreal target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (target == zoom())
        return;
    scale(target / zoom(), target / zoom());
}

void GraphView::fitAll() {
    const QRectF bounds = m_scene->itemsBoundingRect();
    if (bounds.isEmpty())
        return;
    fitInView(bounds.adjusted(-20, -20, 20, 20), Qt::KeepAspectRatio);
    if (zoom() > 1.0) // never blow small graphs up
        setTransform(QTransform());
    if (zoom() < kMinZoom)
        setTransform(QTransform::fromScale(kMinZoom, kMinZoom));
    centerOn(bounds.center());
}

QRect GraphView::viewportRectOf(const QString &id) const {
    const GraphNodeItem *item = nodeItem(id);
    if (!item)
        return {};
    return mapFromScene(item->mapToScene(item->cardRect())).boundingRect();
}

const GraphNodeSpec *GraphView::shownSpec(const QString &id) const {
    const GraphNodeItem *item = nodeItem(id);
    return item ? &item->spec() : nullptr;
}

QPoint GraphView::handleCentre(const QString &id) const {
    const GraphNodeItem *item = nodeItem(id);
    if (!item || !item->spec().hasHandle)
        return {};
    return mapFromScene(item->mapToScene(item->handleRect().center()));
}

void GraphView::selectNode(const QString &id) {
    GraphNodeItem *item = nodeItem(id);
    if (id == m_selected && (item || id.isEmpty()))
        return;
    if (GraphNodeItem *old = nodeItem(m_selected))
        old->setSelected(false);
    m_selected = item ? id : QString();
    if (item) {
        item->setSelected(true);
        ensureVisible(item, 40, 40);
    }
    emit nodeSelected(m_selected);
}

void GraphView::applyHighlight(GraphNodeItem *item) const {
    if (m_search.isEmpty()) {
        item->setHighlight(GraphNodeItem::Highlight::None);
        return;
    }
    const GraphNodeSpec &s = item->spec();
    const bool match = s.label.contains(m_search, Qt::CaseInsensitive) ||
                       s.subtitle.contains(m_search, Qt::CaseInsensitive) ||
                       s.id.contains(m_search, Qt::CaseInsensitive);
    item->setHighlight(match ? GraphNodeItem::Highlight::Match : GraphNodeItem::Highlight::Dimmed);
}

int GraphView::setSearchText(const QString &text) {
    m_search = text.trimmed();
    int matches = 0;
    for (GraphNodeItem *item : std::as_const(m_nodes)) {
        applyHighlight(item);
        matches += item->highlight() == GraphNodeItem::Highlight::Match;
    }
    for (GraphEdgeItem *e : std::as_const(m_edges))
        e->update();
    return matches;
}

void GraphView::focusNextMatch() {
    std::vector<GraphNodeItem *> matches;
    for (GraphNodeItem *item : std::as_const(m_nodes))
        if (item->highlight() == GraphNodeItem::Highlight::Match)
            matches.push_back(item);
    if (matches.empty())
        return;
    std::sort(matches.begin(), matches.end(), [](const auto *a, const auto *b) {
        return std::pair(a->pos().x(), a->pos().y()) < std::pair(b->pos().x(), b->pos().y());
    });
    auto current = std::find_if(matches.begin(), matches.end(),
                                [&](const auto *m) { return m->spec().id == m_selected; });
    GraphNodeItem *next =
        current == matches.end() || current + 1 == matches.end() ? matches.front() : *(current + 1);
    selectNode(next->spec().id);
    centerOn(next);
}

GraphNodeItem *GraphView::nodeAt(const QPoint &viewportPos) const {
    const QList<QGraphicsItem *> hits = items(viewportPos);
    for (QGraphicsItem *hit : hits)
        if (auto *node = dynamic_cast<GraphNodeItem *>(hit))
            return node;
    return nullptr;
}

void GraphView::activate(const QString &id) {
    GraphNodeItem *item = nodeItem(id);
    if (!item)
        return;
    if (item->isGroup() || !item->spec().group.isEmpty())
        emit groupToggleRequested(item->spec().group);
    else
        emit nodeActivated(id);
}

void GraphView::updateCallout() {
    if (!m_drag) {
        m_callout->setVisible(false);
        return;
    }
    GraphNodeItem *item = nodeItem(m_drag->id);
    if (!item)
        return;
    const int delta = m_drag->value - m_drag->from;
    const QString title = delta == 0 ? tr("%1 (unchanged)").arg(m_drag->value)
                                     : tr("%1 → %2 (%3%4)")
                                           .arg(m_drag->from)
                                           .arg(m_drag->value)
                                           .arg(delta > 0 ? QStringLiteral("+") : QString())
                                           .arg(delta);
    m_callout->setText(title, m_calloutDetail);
    m_callout->setPos(item->mapToScene(item->handleRect().bottomLeft()) + QPointF(-8, 12));
    m_callout->setVisible(true);
}

void GraphView::setHandlePreview(const QString &detail) {
    m_calloutDetail = detail;
    updateCallout();
}

void GraphView::endHandlePreview() {
    if (!m_drag)
        return;
    if (GraphNodeItem *item = nodeItem(m_drag->id))
        item->setHandleOverride(std::nullopt);
    m_drag.reset();
    m_calloutDetail.clear();
    updateCallout();
}

void GraphView::cancelHandleDrag() {
    if (!m_drag)
        return;
    const QString id = m_drag->id;
    const bool wasDragging = !m_drag->released;
    endHandlePreview();
    if (wasDragging)
        emit handleDragCancelled(id);
}

void GraphView::wheelEvent(QWheelEvent *event) {
    if (event->modifiers() & Qt::ShiftModifier) { // Shift+wheel scrolls
        QGraphicsView::wheelEvent(event);
        return;
    }
    const qreal steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomBy(std::pow(1.15, steps));
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent *event) {
    setFocus(Qt::MouseFocusReason);
    if (event->button() != Qt::LeftButton) {
        QGraphicsView::mousePressEvent(event);
        return;
    }
    if (m_drag && m_drag->released) // a new gesture ends the previous preview
        cancelHandleDrag();
    const QPoint pos = event->position().toPoint();
    GraphNodeItem *item = nodeAt(pos);
    if (!item) {
        m_panFrom = pos;
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    const GraphNodeSpec &spec = item->spec();
    selectNode(spec.id);
    const QPointF local = item->mapFromScene(mapToScene(pos));
    if (item->handleRect().contains(local)) {
        if (!spec.handleDisabledReason.isEmpty()) {
            QToolTip::showText(event->globalPosition().toPoint(), spec.handleDisabledReason, this);
            emit handleBlocked(spec.id, spec.handleDisabledReason);
        } else {
            m_drag = HandleDrag{spec.id,        spec.handleValue, spec.handleValue,
                                spec.handleMin, spec.handleMax,   pos.x(),
                                false};
            m_calloutDetail.clear();
            item->setHandleOverride(spec.handleValue);
            updateCallout();
            emit handleDragStarted(spec.id, spec.handleValue);
        }
    }
    event->accept();
}

void GraphView::mouseMoveEvent(QMouseEvent *event) {
    const QPoint pos = event->position().toPoint();
    if (m_drag && !m_drag->released) {
        const int steps = static_cast<int>(
            std::lround(static_cast<double>(pos.x() - m_drag->pressX) / kPixelsPerStep));
        const int value = std::clamp(m_drag->from + steps, m_drag->min, m_drag->max);
        if (value != m_drag->value) {
            m_drag->value = value;
            if (GraphNodeItem *item = nodeItem(m_drag->id))
                item->setHandleOverride(value);
            updateCallout();
            emit handleValueChanged(m_drag->id, value);
        }
        event->accept();
        return;
    }
    if (m_panFrom) {
        const QPoint delta = pos - *m_panFrom;
        m_panFrom = pos;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent *event) {
    if (m_panFrom) {
        m_panFrom.reset();
        viewport()->unsetCursor();
    }
    if (m_drag && !m_drag->released && event->button() == Qt::LeftButton) {
        if (m_drag->value == m_drag->from) {
            cancelHandleDrag();
        } else {
            // The card keeps the picked value while the owner asks for confirmation; the
            // callout goes, so that it does not cover the question.
            m_drag->released = true;
            m_callout->setVisible(false);
            emit handleReleased(m_drag->id, m_drag->from, m_drag->value);
        }
    }
    event->accept();
}

void GraphView::mouseDoubleClickEvent(QMouseEvent *event) {
    if (GraphNodeItem *item = nodeAt(event->position().toPoint())) {
        if (!item->handleRect().contains(
                item->mapFromScene(mapToScene(event->position().toPoint()))))
            activate(item->spec().id);
    }
    event->accept();
}

void GraphView::moveSelection(int key) {
    GraphNodeItem *current = nodeItem(m_selected);
    if (!current) {
        // Nothing selected yet: start at the top of the first column.
        for (int l = 0; l < m_layout.layerCount(); ++l)
            if (!m_layout.layer(l).empty()) {
                selectNode(m_layout.layer(l).front());
                return;
            }
        return;
    }
    if (key == Qt::Key_Up || key == Qt::Key_Down) {
        const auto &column = m_layout.layer(m_layout.layerOf(m_selected));
        auto it = std::find(column.begin(), column.end(), m_selected);
        if (key == Qt::Key_Up && it != column.begin())
            selectNode(*(it - 1));
        else if (key == Qt::Key_Down && it != column.end() && it + 1 != column.end())
            selectNode(*(it + 1));
        return;
    }
    // Left and Right follow edges to the nearest neighbour in that direction.
    const qreal x = current->pos().x();
    GraphNodeItem *best = nullptr;
    for (GraphEdgeItem *e : current->edges()) {
        GraphNodeItem *other = e->fromNode() == current ? e->toNode() : e->fromNode();
        const qreal dx = other->pos().x() - x;
        if ((key == Qt::Key_Right) != (dx > 0) || dx == 0)
            continue;
        if (!best || std::abs(other->pos().y() - current->pos().y()) <
                         std::abs(best->pos().y() - current->pos().y()))
            best = other;
    }
    if (best)
        selectNode(best->spec().id);
}

void GraphView::keyPressEvent(QKeyEvent *event) {
    switch (event->key()) {
    case Qt::Key_Escape:
        if (m_drag)
            cancelHandleDrag();
        else
            selectNode({});
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        moveSelection(event->key());
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        activate(m_selected);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25);
        break;
    case Qt::Key_Minus:
        zoomBy(0.8);
        break;
    case Qt::Key_0:
        fitAll();
        break;
    default:
        QGraphicsView::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace kd::widgets
