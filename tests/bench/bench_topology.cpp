// Topology benchmark: a sandbox `scale:` cluster (5,000 pods, 1,000 Deployments and Services by
// default) in the client's object store, drawn by the topology pane's pipeline with every pod
// expanded. Prints `name value unit` lines (medians of several runs):
//   topology_derive            model::Topology::derive over the whole store
//   graph_spec                 topologyGraph(): the view's description of the topology
//   layout_only                GraphLayout::layoutAll (ordering, crossing reduction, placement)
//   full_layout                GraphView::setGraph on an empty view: layout plus every item
//   update_100_pods_view       setGraph after 100 pods changed status (diff and item updates)
//   update_100_pods_pipeline   the pane's whole path for those changes: store, derive, spec, view
//   pan_frame_median / _p95 / _max   repaint of a 1400×900 view per 40 px pan step, at 100 % zoom
//   pan_frame_fit_median       the same with the whole graph fitted in the view
// `--smoke` runs tiny sizes (for CTest).
#include "benchstats.h"
#include "model/objectstore.h"
#include "model/topology.h"
#include "sandbox/scenarioscale.h"
#include "sandboxstore.h"
#include "ui/topologygraph.h"
#include "widgets/graphview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>

using namespace kd;
using kdtest::median;
using kdtest::percentile;
using kdtest::timeMs;

namespace {

void print(const char *name, double value, const char *unit) {
    kdtest::print(name, value, unit, 2);
}

// Pans in 40 px steps across the scene and times each synchronous repaint.
std::vector<double> panFrames(widgets::GraphView &view, int steps) {
    std::vector<double> frames;
    QScrollBar *h = view.horizontalScrollBar();
    QScrollBar *v = view.verticalScrollBar();
    h->setValue(h->minimum());
    v->setValue(v->minimum());
    QApplication::processEvents();
    for (int i = 0; i < steps; ++i) {
        if (i % 2 == 0)
            v->setValue(std::min(v->maximum(), v->value() + 40));
        else
            h->setValue(std::min(h->maximum(), h->value() + 40));
        frames.push_back(timeMs([&] { view.viewport()->repaint(); }));
    }
    return frames;
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    const bool smoke = argc > 1 && std::strcmp(argv[1], "--smoke") == 0;
    sandbox::ScaleParameters p;
    p.pods = smoke ? 200 : 5000;
    p.deployments = smoke ? 40 : 1000;
    p.services = p.deployments;
    p.nodes = smoke ? 10 : 60;
    const int runs = smoke ? 1 : 5;

    auto cluster = std::make_unique<sandbox::Cluster>(
        sandbox::Cluster::Options{sandbox::Clock::Mode::Manual, 1.0, testing::kScenarioStart});
    sandbox::applyScenario(*cluster, sandbox::generateScaleScenario(p));
    model::ObjectStore store;
    testing::fillStore(store, *cluster);
    cluster.reset();
    std::printf("pods %lld\nservices %lld\n",
                static_cast<long long>(store.count(QStringLiteral("pods"))),
                static_cast<long long>(store.count(QStringLiteral("services"))));

    ui::TopologyGraphOptions options;
    options.collapseAbove = 1'000'000; // every pod its own card: the worst case
    std::vector<double> derive, spec, layout, full, update, pipeline;
    model::Topology topology;
    widgets::GraphSpec graph;
    for (int r = 0; r < runs; ++r) {
        derive.push_back(timeMs([&] { topology = model::Topology::derive(store); }));
        spec.push_back(timeMs([&] { graph = ui::topologyGraph(topology, options); }));
    }
    std::vector<widgets::GraphLayout::Node> nodes;
    std::vector<widgets::GraphLayout::Edge> edges;
    for (const auto &n : graph.nodes)
        nodes.push_back({n.id, n.layer, n.sortKey});
    for (const auto &e : graph.edges)
        edges.emplace_back(e.from, e.to);
    for (int r = 0; r < runs; ++r) {
        widgets::GraphLayout l;
        layout.push_back(timeMs([&] { l.layoutAll(nodes, edges); }));
        if (r == 0)
            std::printf("graph_nodes %zu\ngraph_edges %zu\ncrossings %lld\n", nodes.size(),
                        edges.size(), l.crossings(edges));
    }
    print("topology_derive", median(derive), "ms");
    print("graph_spec", median(spec), "ms");
    print("layout_only", median(layout), "ms");

    std::unique_ptr<widgets::GraphView> view;
    for (int r = 0; r < runs; ++r) {
        view = std::make_unique<widgets::GraphView>();
        view->resize(1400, 900);
        view->show();
        QApplication::processEvents();
        full.push_back(timeMs([&] { view->setGraph(graph); }));
    }
    print("full_layout", median(full), "ms");

    // 100 pods change status: the view's share, then the pane's whole path from the store.
    std::vector<kube::ObjectPtr> pods;
    for (const kube::ObjectPtr &pod : store.list(QStringLiteral("pods")))
        if (pods.size() < 100)
            pods.push_back(pod);
    for (int r = 0; r < runs; ++r) {
        const bool failed = r % 2 == 0;
        widgets::GraphSpec changed = graph;
        int n = 0;
        for (auto &node : changed.nodes)
            if (node.glyph == QLatin1String("POD") && n++ < 100) {
                node.subtitle =
                    failed ? QStringLiteral("CrashLoopBackOff") : QStringLiteral("Running");
                node.status = failed ? Qt::red : Qt::green;
            }
        update.push_back(timeMs([&] { view->setGraph(changed); }));

        kube::DeltaBatch batch;
        batch.kind = model::browsedKind(QStringLiteral("pods"))->kind;
        for (const kube::ObjectPtr &pod : pods) {
            kube::Json json = pod->json();
            json["status"]["phase"] = failed ? "Failed" : "Running";
            batch.deltas.push_back({kube::Delta::Type::Modified,
                                    std::make_shared<const kube::KubeObject>(std::move(json))});
        }
        pipeline.push_back(timeMs([&] {
            store.applyBatch(batch);
            topology = model::Topology::derive(store);
            view->setGraph(ui::topologyGraph(topology, options));
        }));
    }
    print("update_100_pods_view", median(update), "ms");
    print("update_100_pods_pipeline", median(pipeline), "ms");

    view->setTransform(QTransform());
    const std::vector<double> frames = panFrames(*view, smoke ? 10 : 120);
    print("pan_frame_median", median(frames), "ms");
    print("pan_frame_p95", percentile(frames, 0.95), "ms");
    print("pan_frame_max", *std::max_element(frames.begin(), frames.end()), "ms");
    view->fitAll();
    std::vector<double> fitFrames;
    for (int i = 0; i < (smoke ? 5 : 30); ++i)
        fitFrames.push_back(timeMs([&] { view->viewport()->repaint(); }));
    print("pan_frame_fit_median", median(fitFrames), "ms");
    return 0;
}
