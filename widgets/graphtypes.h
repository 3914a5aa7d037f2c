#pragma once
// What a caller hands the graph view: plain descriptions of nodes, edges and groups. The view
// diffs a new description against what it shows, so callers simply describe the whole graph
// again whenever their data changes.

#include <QColor>
#include <QString>
#include <QStringList>

#include <vector>

namespace kd::widgets {

struct GraphNodeSpec {
    QString id;       // unique
    int layer = 0;    // column, left to right
    QString sortKey;  // initial order inside a layer before crossing reduction
    QString glyph;    // a short icon text drawn in the status colour ("SVC")
    QString label;    // first line
    QString subtitle; // second line
    QColor status = QColor(0x9e, 0x9e, 0x9e);
    QStringList badges; // small pills under the subtitle ("2 GPU", "HPA 2–8")
    int count = 0;      // a count bubble in the corner; 0 for none
    QString group;      // the group this node belongs to; empty for none
    QString toolTip;

    // An integer the user can pick by dragging the node's handle.
    bool hasHandle = false;
    int handleValue = 0;
    int handleMin = 0;
    int handleMax = 0;
    QString handleDisabledReason; // non-empty: the handle is drawn locked and says why

    bool operator==(const GraphNodeSpec &) const = default;
};

struct GraphEdgeSpec {
    QString from;
    QString to;
    bool dashed = false; // broken links
    QColor colour = QColor(0x78, 0x86, 0x9a);
    QString label;   // drawn when zoomed in
    QString toolTip; // e.g. why the link is broken

    bool operator==(const GraphEdgeSpec &) const = default;
};

// Members of a collapsed group are drawn as one node with a count bubble; edges to and from the
// members then end at that node.
struct GraphGroupSpec {
    QString id;
    QString label; // "12 pods"
    QString subtitle;
    QColor status = QColor(0x9e, 0x9e, 0x9e);
    bool collapsed = false;

    bool operator==(const GraphGroupSpec &) const = default;
};

struct GraphSpec {
    std::vector<GraphNodeSpec> nodes;
    std::vector<GraphEdgeSpec> edges;
    std::vector<GraphGroupSpec> groups;
};

} // namespace kd::widgets
