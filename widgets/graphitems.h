#pragma once
// The graphics items of the graph view: a node card (status stripe, glyph, two lines, badges,
// count bubble, optional drag handle), an edge between two cards, and the callout that shows a
// handle's live preview.

#include "widgets/graphtypes.h"

#include <QGraphicsItem>

#include <optional>
#include <vector>

namespace kd::widgets {

class GraphEdgeItem;

class GraphNodeItem final : public QGraphicsItem {
public:
    enum class Highlight { None, Match, Dimmed };

    GraphNodeItem(const GraphNodeSpec &spec, QSizeF size);

    const GraphNodeSpec &spec() const { return m_spec; }
    void setSpec(const GraphNodeSpec &spec);
    // A collapsed group: the card stands for its members and toggles open.
    bool isGroup() const { return m_group; }
    void setGroup(bool group) { m_group = group; }

    void setHighlight(Highlight highlight);
    Highlight highlight() const { return m_highlight; }
    // The value shown on the handle while it is dragged; std::nullopt shows the spec's value.
    void setHandleOverride(std::optional<int> value);

    // In item coordinates; empty when the node has no handle.
    QRectF handleRect() const;
    QRectF cardRect() const { return {QPointF(0, 0), m_size}; }
    QPointF inPort() const { return pos() + QPointF(0, m_size.height() / 2); }
    QPointF outPort() const { return pos() + QPointF(m_size.width(), m_size.height() / 2); }

    void addEdge(GraphEdgeItem *edge) { m_edges.push_back(edge); }
    void removeEdge(GraphEdgeItem *edge);
    const std::vector<GraphEdgeItem *> &edges() const { return m_edges; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    void paintHandle(QPainter *painter, const QPalette &palette, const QFont &base) const;
    void paintBadges(QPainter *painter, const QPalette &palette, const QFont &base,
                     qreal top) const;

    GraphNodeSpec m_spec;
    QSizeF m_size;
    bool m_group = false;
    Highlight m_highlight = Highlight::None;
    std::optional<int> m_handleOverride;
    std::vector<GraphEdgeItem *> m_edges;
};

class GraphEdgeItem final : public QGraphicsItem {
public:
    GraphEdgeItem(GraphNodeItem *from, GraphNodeItem *to, const GraphEdgeSpec &spec);

    const GraphEdgeSpec &spec() const { return m_spec; }
    void setSpec(const GraphEdgeSpec &spec);
    GraphNodeItem *fromNode() const { return m_from; }
    GraphNodeItem *toNode() const { return m_to; }
    // Follows the end nodes after they moved.
    void adjust();

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    GraphNodeItem *m_from;
    GraphNodeItem *m_to;
    GraphEdgeSpec m_spec;
    QPointF m_start;
    QPointF m_end;
};

// The box under a node whose handle is being dragged: the picked value and what it would mean.
class GraphCalloutItem final : public QGraphicsItem {
public:
    GraphCalloutItem();
    void setText(const QString &title, const QString &detail);
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QString m_title;
    QString m_detail;
    QRectF m_rect;
};

} // namespace kd::widgets
