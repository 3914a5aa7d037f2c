#pragma once
// A layered graph the user can read and act on: cards with status colour, badges and count
// bubbles, solid and dashed edges, collapsible groups, zoom (wheel, +/-), pan (drag the
// background), fit (0), keyboard navigation (arrows, Enter), search highlighting, and a drag
// handle on a card that picks an integer with a live preview and Escape to cancel. It knows
// nothing of what the nodes stand for: callers describe the graph with GraphSpec.

#include "widgets/graphlayout.h"
#include "widgets/graphtypes.h"

#include <QGraphicsView>
#include <QHash>
#include <QPointer>

#include <memory>
#include <optional>

namespace kd::widgets {

class GraphNodeItem;
class GraphEdgeItem;
class GraphCalloutItem;

class GraphView final : public QGraphicsView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GraphView)

public:
    // Viewport pixels of horizontal drag per step of a handle's value.
    static constexpr int kPixelsPerStep = 16;

    explicit GraphView(QWidget *parent = nullptr);
    ~GraphView() override;

    // Shows `spec`, diffed against what is shown: only changed cards and edges are touched. The
    // first graph is laid out in full; later a few new nodes are placed next to their neighbours
    // (pushing down only what is below them in their column) and nothing else moves. A batch of
    // more than a quarter of the graph is laid out in full again.
    void setGraph(const GraphSpec &spec);
    // Lays out everything shown anew (the "tidy" command).
    void relayout();

    QString selectedId() const { return m_selected; }
    // Selects a node ("" clears) and scrolls it into view.
    void selectNode(const QString &id);
    // Highlights the nodes whose label, subtitle or id contain `text` (case-insensitive) and dims
    // the rest; returns how many match. An empty text clears the highlighting.
    int setSearchText(const QString &text);
    // Selects the next search match, top to bottom and left to right.
    void focusNextMatch();

    void zoomBy(qreal factor);
    void fitAll();
    qreal zoom() const;

    // While a handle is dragged the owner explains what the picked value would mean.
    void setHandlePreview(const QString &detail);
    // After a release the card keeps showing the picked value until the owner ends it.
    void endHandlePreview();
    bool isDraggingHandle() const { return m_drag.has_value() && !m_drag->released; }
    void cancelHandleDrag();

    // What is shown (ids of cards, collapsed groups as "group:<id>").
    bool isShown(const QString &id) const { return m_nodes.contains(id); }
    qsizetype shownNodeCount() const { return m_nodes.size(); }
    // The description of a shown card, or nullptr.
    const GraphNodeSpec *shownSpec(const QString &id) const;
    // The owner's explanation under a dragged handle.
    QString handlePreview() const { return m_calloutDetail; }
    qsizetype shownEdgeCount() const { return m_edges.size(); }
    // Where things are, for tests and for anchoring popups: in viewport coordinates.
    QRect viewportRectOf(const QString &id) const;
    QPoint handleCentre(const QString &id) const;
    const GraphLayout &graphLayout() const { return m_layout; }
    static QString groupNodeId(const QString &groupId);

signals:
    void nodeSelected(const QString &id); // "" when the selection is cleared
    void nodeActivated(const QString &id);
    void groupToggleRequested(const QString &groupId);
    void handleDragStarted(const QString &id, int value);
    void handleValueChanged(const QString &id, int value);
    void handleReleased(const QString &id, int from, int to);
    void handleDragCancelled(const QString &id);
    void handleBlocked(const QString &id, const QString &reason);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct HandleDrag {
        QString id;
        int from = 0;
        int value = 0;
        int min = 0;
        int max = 0;
        int pressX = 0;
        bool released = false;
    };
    struct Visible; // the graph after collapsing groups; graphviewsync.cpp

    GraphNodeItem *nodeAt(const QPoint &viewportPos) const;
    GraphNodeItem *nodeItem(const QString &id) const { return m_nodes.value(id); }
    void activate(const QString &id);
    void moveSelection(int key);
    void applyHighlight(GraphNodeItem *item) const;
    void updateCallout();
    void growSceneRect();
    Visible visibleGraph(const GraphSpec &spec) const;
    bool updateInPlace(const GraphSpec &spec);
    void removeNodeItem(const QString &id);
    void placeNew(const Visible &visible, const QStringList &added);
    void layoutAll(const Visible &visible);

    QGraphicsScene *m_scene;
    GraphLayout m_layout;
    QHash<QString, GraphNodeItem *> m_nodes;
    QHash<QString, GraphEdgeItem *> m_edges; // key: from + '\n' + to
    GraphSpec m_spec;
    QString m_selected;
    QString m_search;
    std::optional<HandleDrag> m_drag;
    GraphCalloutItem *m_callout;
    QString m_calloutDetail;
    std::optional<QPoint> m_panFrom;
};

} // namespace kd::widgets
