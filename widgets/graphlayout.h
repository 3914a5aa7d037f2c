#pragma once
// Layered left-to-right layout. A full layout orders each layer by barycenter sweeps (crossing
// reduction) and then places nodes vertically close to their neighbours without overlaps.
// Afterwards the layout is incremental and stable: inserting a node only pushes down the nodes
// below it in its own layer when there is no room, and removing one moves nothing.

#include <QHash>
#include <QPointF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace kd::widgets {

class GraphLayout final {
public:
    struct Options {
        QSizeF nodeSize{220, 64};
        qreal layerGap = 110; // horizontal space between columns
        qreal nodeGap = 16;   // vertical space between nodes of one column
        int sweeps = 4;       // barycenter passes, each down and up
    };
    struct Node {
        QString id;
        int layer = 0;
        QString sortKey;
    };
    using Edge = std::pair<QString, QString>; // from, to

    GraphLayout() = default;
    explicit GraphLayout(Options options)
        : m_options(options) {}
    const Options &options() const { return m_options; }

    // Lays out every node anew.
    void layoutAll(const std::vector<Node> &nodes, const std::vector<Edge> &edges);
    // Adds one node next to its already placed neighbours (edges given by id; unknown ids are
    // ignored). Returns the ids of the nodes that moved to make room.
    QStringList insert(const Node &node, const QStringList &neighbours);
    // Removes a node; nothing else moves.
    void remove(const QString &id);

    bool contains(const QString &id) const { return m_entries.contains(id); }
    // Top-left corner of the node.
    QPointF position(const QString &id) const;
    int layerOf(const QString &id) const;
    int layerCount() const { return static_cast<int>(m_layers.size()); }
    // The nodes of a layer from top to bottom.
    const std::vector<QString> &layer(int index) const;
    qsizetype size() const { return m_entries.size(); }

    // Edge crossings between adjacent layers under the current order (for tests and benches).
    long long crossings(const std::vector<Edge> &edges) const;

private:
    struct Entry {
        int layer = 0;
        qreal y = 0;
    };
    qreal columnX(int layer) const;
    qreal step() const { return m_options.nodeSize.height() + m_options.nodeGap; }
    void ensureLayer(int layer);
    void placeLayer(int layer, const std::vector<qreal> &desired, const std::vector<qreal> &weight);

    Options m_options;
    QHash<QString, Entry> m_entries;
    std::vector<std::vector<QString>> m_layers; // each sorted by y
};

} // namespace kd::widgets
