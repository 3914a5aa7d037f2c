// GraphView: diffing keeps what did not change (same cards, same places), groups collapse into
// one card, search and keyboard navigation, zoom limits, and the drag handle driven with real
// mouse events: live values, clamping, release, Escape, and a locked handle that says why.
#include "widgets/graphview.h"

#include <QSignalSpy>
#include <QTest>

using namespace kd::widgets;

namespace {

GraphNodeSpec node(const QString &id, int layer, const QString &group = {}) {
    GraphNodeSpec n;
    n.id = id;
    n.layer = layer;
    n.sortKey = id;
    n.label = id;
    n.subtitle = QStringLiteral("subtitle of ") + id;
    n.group = group;
    return n;
}

GraphEdgeSpec edge(const QString &from, const QString &to) {
    GraphEdgeSpec e;
    e.from = from;
    e.to = to;
    return e;
}

// svc → web → rs → 4 pods in group "rs-pods"; plus a lone api node.
GraphSpec serving() {
    GraphSpec g;
    g.nodes = {node(QStringLiteral("svc"), 0), node(QStringLiteral("web"), 1),
               node(QStringLiteral("rs"), 2), node(QStringLiteral("api"), 1)};
    g.nodes[1].hasHandle = true;
    g.nodes[1].handleValue = 2;
    g.nodes[1].handleMin = 0;
    g.nodes[1].handleMax = 6;
    g.edges = {edge(QStringLiteral("svc"), QStringLiteral("web")),
               edge(QStringLiteral("web"), QStringLiteral("rs"))};
    for (int i = 0; i < 4; ++i) {
        const QString pod = QStringLiteral("pod-%1").arg(i);
        g.nodes.push_back(node(pod, 3, QStringLiteral("rs-pods")));
        g.edges.push_back(edge(QStringLiteral("rs"), pod));
    }
    g.groups.push_back({QStringLiteral("rs-pods"), QStringLiteral("4 pods"), {}, Qt::green, false});
    return g;
}

QHash<QString, QRect> rects(const GraphView &view, const GraphSpec &spec) {
    QHash<QString, QRect> out;
    for (const auto &n : spec.nodes)
        out.insert(n.id, view.viewportRectOf(n.id));
    return out;
}

} // namespace

class TstGraphView final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<GraphView> m_view;

private slots:
    void init() {
        m_view = std::make_unique<GraphView>();
        m_view->resize(1200, 700);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_view->setGraph(serving());
    }
    void cleanup() { m_view.reset(); }

    void showsEverything() {
        QCOMPARE(m_view->shownNodeCount(), 8);
        QCOMPARE(m_view->shownEdgeCount(), 6);
        QVERIFY(!m_view->viewportRectOf(QStringLiteral("web")).isEmpty());
        QVERIFY(m_view->viewportRectOf(QStringLiteral("nope")).isNull());
    }

    void statusChangesMoveNothing() {
        GraphSpec g = serving();
        const auto before = rects(*m_view, g);
        g.nodes[4].status = Qt::red;
        g.nodes[4].subtitle = QStringLiteral("CrashLoopBackOff");
        g.nodes[2].badges = {QStringLiteral("2 GPU")};
        g.edges[0].dashed = true;
        m_view->setGraph(g);
        QCOMPARE(rects(*m_view, g), before);
        QCOMPARE(m_view->shownNodeCount(), 8);
    }

    void newAndRemovedNodes() {
        GraphSpec g = serving();
        const auto before = rects(*m_view, g);
        g.nodes.push_back(node(QStringLiteral("pod-new"), 3, QStringLiteral("rs-pods")));
        g.edges.push_back(edge(QStringLiteral("rs"), QStringLiteral("pod-new")));
        m_view->setGraph(g);
        QVERIFY(m_view->isShown(QStringLiteral("pod-new")));
        for (const QString &id : {QStringLiteral("svc"), QStringLiteral("web"),
                                  QStringLiteral("rs"), QStringLiteral("api")})
            QCOMPARE(m_view->viewportRectOf(id), before.value(id)); // other columns never move
        // Removing a node takes its edges; the others stay where they are.
        const auto withNew = rects(*m_view, g);
        g.nodes.erase(g.nodes.begin() + 4); // pod-0
        m_view->setGraph(g);
        QVERIFY(!m_view->isShown(QStringLiteral("pod-0")));
        QCOMPARE(m_view->shownEdgeCount(), 6);
        for (const auto &n : g.nodes)
            QCOMPARE(m_view->viewportRectOf(n.id), withNew.value(n.id));
    }

    void groupsCollapseAndExpand() {
        GraphSpec g = serving();
        g.groups[0].collapsed = true;
        m_view->setGraph(g);
        const QString group = GraphView::groupNodeId(QStringLiteral("rs-pods"));
        QVERIFY(m_view->isShown(group));
        QVERIFY(!m_view->isShown(QStringLiteral("pod-0")));
        QCOMPARE(m_view->shownNodeCount(), 5);
        QCOMPARE(m_view->shownEdgeCount(), 3); // rs → the group, once

        QSignalSpy toggled(m_view.get(), &GraphView::groupToggleRequested);
        m_view->selectNode(group);
        QTest::keyClick(m_view.get(), Qt::Key_Return);
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(toggled.at(0).at(0).toString(), QStringLiteral("rs-pods"));

        g.groups[0].collapsed = false;
        m_view->setGraph(g);
        QVERIFY(!m_view->isShown(group));
        QCOMPARE(m_view->shownNodeCount(), 8);
        QVERIFY(m_view->selectedId().isEmpty()); // the selected group card is gone
    }

    void searchHighlightsAndCycles() {
        QCOMPARE(m_view->setSearchText(QStringLiteral("POD-")), 4);
        m_view->focusNextMatch();
        QCOMPARE(m_view->selectedId(), QStringLiteral("pod-0"));
        m_view->focusNextMatch();
        QCOMPARE(m_view->selectedId(), QStringLiteral("pod-1"));
        QCOMPARE(m_view->setSearchText(QStringLiteral("subtitle of api")), 1);
        QCOMPARE(m_view->setSearchText(QString()), 0);
    }

    void keyboardNavigation() {
        QSignalSpy selected(m_view.get(), &GraphView::nodeSelected);
        QSignalSpy activated(m_view.get(), &GraphView::nodeActivated);
        m_view->setFocus();
        QTest::keyClick(m_view.get(), Qt::Key_Down); // nothing selected: top of the first column
        QCOMPARE(m_view->selectedId(), QStringLiteral("svc"));
        QTest::keyClick(m_view.get(), Qt::Key_Right);
        QCOMPARE(m_view->selectedId(), QStringLiteral("web"));
        QTest::keyClick(m_view.get(), Qt::Key_Right);
        QCOMPARE(m_view->selectedId(), QStringLiteral("rs"));
        QTest::keyClick(m_view.get(), Qt::Key_Left);
        QCOMPARE(m_view->selectedId(), QStringLiteral("web"));
        QTest::keyClick(m_view.get(), Qt::Key_Up); // api sorts before web in their column
        QCOMPARE(m_view->selectedId(), QStringLiteral("api"));
        QTest::keyClick(m_view.get(), Qt::Key_Up); // the top stays the top
        QCOMPARE(m_view->selectedId(), QStringLiteral("api"));
        QTest::keyClick(m_view.get(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("api"));
        QTest::keyClick(m_view.get(), Qt::Key_Escape);
        QVERIFY(m_view->selectedId().isEmpty());
        QCOMPARE(selected.last().at(0).toString(), QString());
    }

    void zoomStaysInBounds() {
        for (int i = 0; i < 40; ++i)
            m_view->zoomBy(1.5);
        QCOMPARE(m_view->zoom(), 3.0);
        for (int i = 0; i < 80; ++i)
            m_view->zoomBy(0.5);
        QVERIFY(m_view->zoom() >= 0.04 - 1e-9);
        m_view->fitAll();
        QVERIFY(m_view->zoom() <= 1.0); // a small graph is not blown up
        QVERIFY(
            m_view->viewport()->rect().contains(m_view->viewportRectOf(QStringLiteral("pod-3"))));
    }

    void handleDragPicksAValue() {
        QSignalSpy started(m_view.get(), &GraphView::handleDragStarted);
        QSignalSpy changed(m_view.get(), &GraphView::handleValueChanged);
        QSignalSpy released(m_view.get(), &GraphView::handleReleased);
        const QPoint handle = m_view->handleCentre(QStringLiteral("web"));
        QVERIFY(!handle.isNull());
        QWidget *vp = m_view->viewport();
        QTest::mousePress(vp, Qt::LeftButton, {}, handle);
        QCOMPARE(started.count(), 1);
        QVERIFY(m_view->isDraggingHandle());
        QTest::mouseMove(vp, handle + QPoint(GraphView::kPixelsPerStep * 3, 0));
        QCOMPARE(changed.last().at(1).toInt(), 5);
        m_view->setHandlePreview(QStringLiteral("+3 pods fit"));
        QTest::mouseMove(vp, handle + QPoint(GraphView::kPixelsPerStep * 40, 0));
        QCOMPARE(changed.last().at(1).toInt(), 6); // clamped to the maximum
        QTest::mouseMove(vp, handle + QPoint(GraphView::kPixelsPerStep * 2, 4));
        QTest::mouseRelease(vp, Qt::LeftButton, {},
                            handle + QPoint(GraphView::kPixelsPerStep * 2, 4));
        QCOMPARE(released.count(), 1);
        QCOMPARE(released.at(0).at(1).toInt(), 2);
        QCOMPARE(released.at(0).at(2).toInt(), 4);
        QVERIFY(!m_view->isDraggingHandle());
        m_view->endHandlePreview();
        QCOMPARE(m_view->selectedId(), QStringLiteral("web"));
    }

    void escapeCancelsAndNoMoveIsNoChange() {
        QSignalSpy released(m_view.get(), &GraphView::handleReleased);
        QSignalSpy cancelled(m_view.get(), &GraphView::handleDragCancelled);
        const QPoint handle = m_view->handleCentre(QStringLiteral("web"));
        QWidget *vp = m_view->viewport();
        QTest::mousePress(vp, Qt::LeftButton, {}, handle);
        QTest::mouseMove(vp, handle + QPoint(-GraphView::kPixelsPerStep * 2, 0));
        QTest::keyClick(m_view.get(), Qt::Key_Escape);
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!m_view->isDraggingHandle());
        QTest::mouseRelease(vp, Qt::LeftButton, {}, handle);
        QCOMPARE(released.count(), 0);
        // Press and release in place: nothing to confirm.
        QTest::mousePress(vp, Qt::LeftButton, {}, handle);
        QTest::mouseRelease(vp, Qt::LeftButton, {}, handle);
        QCOMPARE(released.count(), 0);
        QCOMPARE(cancelled.count(), 2);
    }

    void lockedHandleSaysWhy() {
        GraphSpec g = serving();
        g.nodes[1].handleDisabledReason = QStringLiteral("you may not scale deployments");
        m_view->setGraph(g);
        QSignalSpy blocked(m_view.get(), &GraphView::handleBlocked);
        QSignalSpy started(m_view.get(), &GraphView::handleDragStarted);
        const QPoint handle = m_view->handleCentre(QStringLiteral("web"));
        QTest::mousePress(m_view->viewport(), Qt::LeftButton, {}, handle);
        QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, {}, handle);
        QCOMPARE(started.count(), 0);
        QCOMPARE(blocked.count(), 1);
        QCOMPARE(blocked.at(0).at(1).toString(), QStringLiteral("you may not scale deployments"));
    }

    void backgroundDragPans() {
        m_view->zoomBy(3.0);
        const QRect before = m_view->viewportRectOf(QStringLiteral("svc"));
        QWidget *vp = m_view->viewport();
        // A point with no card under it: far below the graph's last card.
        QPoint empty(5, vp->height() - 5);
        QTest::mousePress(vp, Qt::LeftButton, {}, empty);
        QTest::mouseMove(vp, empty + QPoint(40, -30));
        QTest::mouseRelease(vp, Qt::LeftButton, {}, empty + QPoint(40, -30));
        const QRect after = m_view->viewportRectOf(QStringLiteral("svc"));
        QVERIFY2(after != before, "dragging the background should pan");
    }
};

QTEST_MAIN(TstGraphView)
#include "tst_graphview.moc"
