// GraphLayout: columns by layer, no overlaps, crossing reduction that untangles what can be
// untangled, and incremental changes that move as little as possible.
#include "widgets/graphlayout.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using kd::widgets::GraphLayout;

namespace {

struct Graph {
    std::vector<GraphLayout::Node> nodes;
    std::vector<GraphLayout::Edge> edges;
};

// A three-level tree (roots → children → leaves) whose sort keys are shuffled, so that the
// initial order crosses a lot.
Graph shuffledTree(int roots, int children, int leaves, quint32 seed) {
    Graph g;
    QRandomGenerator rng(seed);
    auto key = [&] { return QString::number(rng.bounded(1'000'000)); };
    for (int r = 0; r < roots; ++r) {
        const QString root = QStringLiteral("r%1").arg(r);
        g.nodes.push_back({root, 0, key()});
        for (int c = 0; c < children; ++c) {
            const QString child = QStringLiteral("%1c%2").arg(root).arg(c);
            g.nodes.push_back({child, 1, key()});
            g.edges.emplace_back(root, child);
            for (int l = 0; l < leaves; ++l) {
                const QString leaf = QStringLiteral("%1l%2").arg(child).arg(l);
                g.nodes.push_back({leaf, 2, key()});
                g.edges.emplace_back(child, leaf);
            }
        }
    }
    return g;
}

// Whether the nodes of every column are in y order and at least one step apart.
bool noOverlaps(const GraphLayout &layout) {
    const qreal step = layout.options().nodeSize.height() + layout.options().nodeGap;
    for (int l = 0; l < layout.layerCount(); ++l) {
        const auto &column = layout.layer(l);
        for (std::size_t i = 1; i < column.size(); ++i)
            if (layout.position(column[i]).y() - layout.position(column[i - 1]).y() < step - 0.01)
                return false;
    }
    return true;
}

} // namespace

class TstGraphLayout final : public QObject {
    Q_OBJECT

private slots:
    void columnsFollowLayers() {
        Graph g = shuffledTree(2, 2, 2, 1);
        GraphLayout layout;
        layout.layoutAll(g.nodes, g.edges);
        QCOMPARE(layout.size(), qsizetype(g.nodes.size()));
        QCOMPARE(layout.layerCount(), 3);
        const qreal column = layout.options().nodeSize.width() + layout.options().layerGap;
        for (const auto &n : g.nodes)
            QCOMPARE(layout.position(n.id).x(), n.layer * column);
        QVERIFY(noOverlaps(layout));
    }

    void crossingReductionUntanglesTrees_data() {
        QTest::addColumn<int>("roots");
        QTest::addColumn<int>("children");
        QTest::addColumn<int>("leaves");
        QTest::newRow("small") << 3 << 3 << 2;
        QTest::newRow("wide") << 20 << 4 << 3;
        QTest::newRow("serving stack") << 50 << 2 << 20;
    }
    void crossingReductionUntanglesTrees() {
        QFETCH(int, roots);
        QFETCH(int, children);
        QFETCH(int, leaves);
        Graph g = shuffledTree(roots, children, leaves, 42);
        GraphLayout none({QSizeF(220, 64), 110, 16, 0});
        none.layoutAll(g.nodes, g.edges);
        QVERIFY2(none.crossings(g.edges) > 0, "the shuffled order should start tangled");
        GraphLayout layout;
        layout.layoutAll(g.nodes, g.edges);
        QCOMPARE(layout.crossings(g.edges), 0LL); // a tree can always be drawn without any
        QVERIFY(noOverlaps(layout));
    }

    void crossingReductionHelpsSharedChildren() {
        // Two rows of 30 nodes joined in a scrambled permutation plus extra links.
        Graph g;
        QRandomGenerator rng(7);
        for (int i = 0; i < 30; ++i) {
            g.nodes.push_back({QStringLiteral("a%1").arg(i), 0, QString::number(i)});
            g.nodes.push_back(
                {QStringLiteral("b%1").arg(i), 1, QString::number(rng.bounded(1000))});
        }
        for (int i = 0; i < 30; ++i) {
            g.edges.emplace_back(QStringLiteral("a%1").arg(i), QStringLiteral("b%1").arg(i));
            g.edges.emplace_back(QStringLiteral("a%1").arg(i),
                                 QStringLiteral("b%1").arg((i + 1) % 30));
        }
        GraphLayout none({QSizeF(220, 64), 110, 16, 0});
        none.layoutAll(g.nodes, g.edges);
        GraphLayout layout;
        layout.layoutAll(g.nodes, g.edges);
        QVERIFY2(layout.crossings(g.edges) * 5 < none.crossings(g.edges),
                 qPrintable(QStringLiteral("%1 crossings after, %2 before")
                                .arg(layout.crossings(g.edges))
                                .arg(none.crossings(g.edges))));
    }

    void parentsSitNextToTheirChildren() {
        Graph g = shuffledTree(1, 1, 5, 3);
        GraphLayout layout;
        layout.layoutAll(g.nodes, g.edges);
        // The child is centred on its five leaves, the root on the child.
        qreal sum = 0;
        for (const auto &n : g.nodes)
            if (n.layer == 2)
                sum += layout.position(n.id).y();
        QCOMPARE(layout.position(QStringLiteral("r0c0")).y(), sum / 5);
        QCOMPARE(layout.position(QStringLiteral("r0")).y(),
                 layout.position(QStringLiteral("r0c0")).y());
    }

    void insertMovesOnlyWhatIsBelowAndInTheWay() {
        Graph g = shuffledTree(4, 2, 3, 9);
        GraphLayout layout;
        layout.layoutAll(g.nodes, g.edges);
        QHash<QString, QPointF> before;
        for (const auto &n : g.nodes)
            before.insert(n.id, layout.position(n.id));
        // A new leaf under the first child of the first column's second root.
        const QString parent = layout.layer(1)[2];
        const QStringList moved = layout.insert({QStringLiteral("new"), 2, {}}, {parent});
        QVERIFY(layout.contains(QStringLiteral("new")));
        QVERIFY(noOverlaps(layout));
        const qreal newY = layout.position(QStringLiteral("new")).y();
        QVERIFY(std::abs(newY - before.value(parent).y()) <
                4 * (layout.options().nodeSize.height() + layout.options().nodeGap));
        for (const auto &n : g.nodes) {
            const bool changed = layout.position(n.id) != before.value(n.id);
            QCOMPARE(changed, moved.contains(n.id));
            if (changed) { // only nodes below the new one in its own column
                QCOMPARE(n.layer, 2);
                QVERIFY(before.value(n.id).y() >= newY - 0.01);
            }
        }
        // Removing moves nothing; inserting again where there is room moves nothing either.
        layout.remove(QStringLiteral("new"));
        QVERIFY(!layout.contains(QStringLiteral("new")));
        QHash<QString, QPointF> afterRemove;
        for (const auto &n : g.nodes)
            afterRemove.insert(n.id, layout.position(n.id));
        const QString lastLeaf = layout.layer(2).back();
        QVERIFY(layout.insert({QStringLiteral("tail"), 2, {}}, {}).isEmpty());
        QVERIFY(layout.position(QStringLiteral("tail")).y() > layout.position(lastLeaf).y());
        for (const auto &n : g.nodes)
            QCOMPARE(layout.position(n.id), afterRemove.value(n.id));
    }

    void emptyAndUnknown() {
        GraphLayout layout;
        layout.layoutAll({}, {{QStringLiteral("a"), QStringLiteral("b")}});
        QCOMPARE(layout.size(), 0);
        QCOMPARE(layout.position(QStringLiteral("x")), QPointF());
        QCOMPARE(layout.layerOf(QStringLiteral("x")), -1);
        QVERIFY(layout.layer(5).empty());
        layout.remove(QStringLiteral("x")); // no effect, no crash
        // Negative layers are column 0; a node alone still gets a place.
        QVERIFY(layout.insert({QStringLiteral("a"), -3, {}}, {QStringLiteral("nope")}).isEmpty());
        QCOMPARE(layout.layerOf(QStringLiteral("a")), 0);
    }
};

QTEST_GUILESS_MAIN(TstGraphLayout)
#include "tst_graphlayout.moc"
