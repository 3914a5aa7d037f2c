#include "widgets/graphlayout.h"

#include <algorithm>
#include <numeric>

namespace kd::widgets {

namespace {

// Inversions in `values` (a Fenwick tree over their range): the crossings of edges sorted by
// their upper end.
long long inversions(const std::vector<int> &values) {
    if (values.empty())
        return 0;
    const int size = *std::max_element(values.begin(), values.end()) + 2;
    std::vector<long long> tree(static_cast<std::size_t>(size), 0);
    long long seen = 0;
    long long out = 0;
    for (int v : values) {
        long long notGreater = 0;
        for (int i = v + 1; i > 0; i -= i & -i)
            notGreater += tree[static_cast<std::size_t>(i)];
        out += seen - notGreater;
        for (int i = v + 1; i < size; i += i & -i)
            ++tree[static_cast<std::size_t>(i)];
        ++seen;
    }
    return out;
}

} // namespace

qreal GraphLayout::columnX(int layer) const {
    return layer * (m_options.nodeSize.width() + m_options.layerGap);
}

void GraphLayout::ensureLayer(int layer) {
    if (layer >= static_cast<int>(m_layers.size()))
        m_layers.resize(static_cast<std::size_t>(layer) + 1);
}

QPointF GraphLayout::position(const QString &id) const {
    auto it = m_entries.constFind(id);
    if (it == m_entries.cend())
        return {};
    return {columnX(it->layer), it->y};
}

int GraphLayout::layerOf(const QString &id) const {
    auto it = m_entries.constFind(id);
    return it == m_entries.cend() ? -1 : it->layer;
}

const std::vector<QString> &GraphLayout::layer(int index) const {
    static const std::vector<QString> none;
    if (index < 0 || index >= static_cast<int>(m_layers.size()))
        return none;
    return m_layers[static_cast<std::size_t>(index)];
}

// Places the nodes of a layer, in their order, as close to `desired` as the spacing allows
// (weighted least squares: pool-adjacent-violators on y - index × step, which must not
// decrease).
void GraphLayout::placeLayer(int layer, const std::vector<qreal> &desired,
                             const std::vector<qreal> &weight) {
    const auto &ids = m_layers[static_cast<std::size_t>(layer)];
    struct Block {
        qreal weight;
        qreal sum;
        std::size_t count;
        qreal mean() const { return sum / weight; }
    };
    std::vector<Block> blocks;
    blocks.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const qreal target = desired[i] - static_cast<qreal>(i) * step();
        blocks.push_back({weight[i], weight[i] * target, 1});
        while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
            Block last = blocks.back();
            blocks.pop_back();
            blocks.back().weight += last.weight;
            blocks.back().sum += last.sum;
            blocks.back().count += last.count;
        }
    }
    std::size_t i = 0;
    for (const Block &b : blocks)
        for (std::size_t k = 0; k < b.count; ++k, ++i)
            m_entries[ids[i]].y = b.mean() + static_cast<qreal>(i) * step();
}

void GraphLayout::layoutAll(const std::vector<Node> &nodes, const std::vector<Edge> &edges) {
    m_entries.clear();
    m_layers.clear();
    QHash<QString, std::size_t> index;
    index.reserve(static_cast<qsizetype>(nodes.size()));
    std::vector<int> layerOfNode(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const int layer = std::max(0, nodes[i].layer);
        layerOfNode[i] = layer;
        index.insert(nodes[i].id, i);
        ensureLayer(layer);
    }
    // Neighbours one way (towards lower layers) and the other; same-layer edges do not order.
    std::vector<std::vector<std::size_t>> preds(nodes.size());
    std::vector<std::vector<std::size_t>> succs(nodes.size());
    for (const Edge &e : edges) {
        auto a = index.constFind(e.first);
        auto b = index.constFind(e.second);
        if (a == index.cend() || b == index.cend())
            continue;
        std::size_t lo = *a;
        std::size_t hi = *b;
        if (layerOfNode[lo] == layerOfNode[hi])
            continue;
        if (layerOfNode[lo] > layerOfNode[hi])
            std::swap(lo, hi);
        succs[lo].push_back(hi);
        preds[hi].push_back(lo);
    }

    // Initial order by sort key, then barycenter sweeps.
    std::vector<std::vector<std::size_t>> order(m_layers.size());
    for (std::size_t i = 0; i < nodes.size(); ++i)
        order[static_cast<std::size_t>(layerOfNode[i])].push_back(i);
    std::vector<double> pos(nodes.size(), 0);
    auto renumber = [&](std::size_t layer) {
        for (std::size_t k = 0; k < order[layer].size(); ++k)
            pos[order[layer][k]] = static_cast<double>(k);
    };
    for (std::size_t l = 0; l < order.size(); ++l) {
        std::stable_sort(order[l].begin(), order[l].end(), [&](std::size_t a, std::size_t b) {
            return nodes[a].sortKey < nodes[b].sortKey;
        });
        renumber(l);
    }
    std::vector<double> key(nodes.size(), 0);
    auto sweepLayer = [&](std::size_t l, const std::vector<std::vector<std::size_t>> &adj) {
        for (std::size_t n : order[l]) {
            if (adj[n].empty()) {
                key[n] = pos[n]; // no neighbour that way: stays where it is
                continue;
            }
            double sum = 0;
            for (std::size_t m : adj[n])
                sum += pos[m];
            key[n] = sum / static_cast<double>(adj[n].size());
        }
        std::stable_sort(order[l].begin(), order[l].end(),
                         [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
        renumber(l);
    };
    for (int s = 0; s < m_options.sweeps; ++s) {
        for (std::size_t l = 1; l < order.size(); ++l)
            sweepLayer(l, preds);
        for (std::size_t l = order.size(); l-- > 1;)
            sweepLayer(l - 1, succs);
    }
    for (std::size_t l = 0; l < order.size(); ++l) {
        m_layers[l].reserve(order[l].size());
        for (std::size_t n : order[l]) {
            m_layers[l].push_back(nodes[n].id);
            m_entries.insert(nodes[n].id, {static_cast<int>(l), 0});
        }
    }

    // Vertical placement: left to right next to predecessors, then right to left centred on
    // successors.
    auto yOf = [&](std::size_t n) { return m_entries.value(nodes[n].id).y; };
    auto place = [&](std::size_t l, const std::vector<std::vector<std::size_t>> &adj, bool first) {
        std::vector<qreal> desired(order[l].size());
        std::vector<qreal> weight(order[l].size());
        for (std::size_t k = 0; k < order[l].size(); ++k) {
            const std::size_t n = order[l][k];
            if (!adj[n].empty()) {
                qreal sum = 0;
                for (std::size_t m : adj[n])
                    sum += yOf(m);
                desired[k] = sum / static_cast<qreal>(adj[n].size());
                weight[k] = static_cast<qreal>(adj[n].size());
            } else if (first) {
                desired[k] = k == 0 ? 0 : desired[k - 1] + step();
                weight[k] = 0.01;
            } else {
                desired[k] = yOf(n);
                weight[k] = 1;
            }
        }
        placeLayer(static_cast<int>(l), desired, weight);
    };
    for (std::size_t l = 0; l < order.size(); ++l)
        place(l, preds, true);
    for (std::size_t l = order.size(); l-- > 1;)
        place(l - 1, succs, false);
}

QStringList GraphLayout::insert(const Node &node, const QStringList &neighbours) {
    if (m_entries.contains(node.id))
        remove(node.id);
    const int layer = std::max(0, node.layer);
    ensureLayer(layer);
    auto &ids = m_layers[static_cast<std::size_t>(layer)];
    qreal desired = 0;
    int placed = 0;
    for (const QString &n : neighbours) {
        auto it = m_entries.constFind(n);
        if (it != m_entries.cend() && it->layer != layer) {
            desired += it->y;
            ++placed;
        }
    }
    if (placed > 0)
        desired /= placed;
    else
        desired = ids.empty() ? 0 : m_entries.value(ids.back()).y + step();
    // The first node placed lower than the wish goes after the new one.
    auto at = std::upper_bound(ids.begin(), ids.end(), desired, [&](qreal y, const QString &id) {
        return y < m_entries.value(id).y;
    });
    qreal y = desired;
    if (at != ids.begin())
        y = std::max(y, m_entries.value(*(at - 1)).y + step());
    auto inserted = ids.insert(at, node.id);
    m_entries.insert(node.id, {layer, y});
    QStringList moved;
    qreal bottom = y;
    for (auto it = inserted + 1; it != ids.end(); ++it) {
        Entry &e = m_entries[*it];
        if (e.y >= bottom + step())
            break;
        e.y = bottom + step();
        bottom = e.y;
        moved.push_back(*it);
    }
    return moved;
}

void GraphLayout::remove(const QString &id) {
    auto it = m_entries.constFind(id);
    if (it == m_entries.cend())
        return;
    auto &ids = m_layers[static_cast<std::size_t>(it->layer)];
    ids.erase(std::find(ids.begin(), ids.end(), id));
    m_entries.erase(it);
}

long long GraphLayout::crossings(const std::vector<Edge> &edges) const {
    QHash<QString, int> indexInLayer;
    for (const auto &ids : m_layers)
        for (std::size_t k = 0; k < ids.size(); ++k)
            indexInLayer.insert(ids[k], static_cast<int>(k));
    std::vector<std::vector<std::pair<int, int>>> between(m_layers.size());
    for (const Edge &e : edges) {
        if (!contains(e.first) || !contains(e.second))
            continue;
        int a = layerOf(e.first);
        int b = layerOf(e.second);
        std::pair<int, int> ends{indexInLayer.value(e.first), indexInLayer.value(e.second)};
        if (a > b) {
            std::swap(a, b);
            std::swap(ends.first, ends.second);
        }
        if (b == a + 1)
            between[static_cast<std::size_t>(a)].push_back(ends);
    }
    long long total = 0;
    for (auto &pairs : between) {
        std::sort(pairs.begin(), pairs.end());
        std::vector<int> lower(pairs.size());
        std::transform(pairs.begin(), pairs.end(), lower.begin(),
                       [](const auto &p) { return p.second; });
        total += inversions(lower);
    }
    return total;
}

} // namespace kd::widgets
