// The serving topology derived from the object store. The store is filled from a sandbox cluster
// that ran a scenario (manual clock, no server): Ingress → Service → Deployment → ReplicaSet →
// Pod with HPAs and PDBs attached, GPUs and Pending reasons on the pods, broken links named,
// and a graph whose every edge ends at a node.
#include "model/columns.h"
#include "model/objects.h"
#include "model/objectstore.h"
#include "model/topology.h"
#include "sandboxstore.h"

#include <QTest>

#include <memory>

using namespace kd;
using model::Topology;
using model::TopologyEdge;
using model::TopologyNode;
using Kind = TopologyNode::Kind;
using testing::fillStore;
using testing::runScenario;

namespace {

kube::ObjectPtr object(const char *json) {
    return std::make_shared<const kube::KubeObject>(kube::Json::parse(json));
}

void add(model::ObjectStore &store, const QString &kindKey, const char *json) {
    kube::DeltaBatch batch;
    batch.kind.resource = kindKey.section(u'.', 0, 0);
    batch.kind.group = kindKey.section(u'.', 1);
    batch.deltas.push_back({kube::Delta::Type::Added, object(json)});
    store.applyBatch(batch);
}

QStringList targets(const Topology &t, const QString &from, TopologyEdge::Relation relation) {
    QStringList out;
    for (const TopologyEdge *e : t.edgesFrom(from))
        if (e->relation == relation)
            out << e->to;
    out.sort();
    return out;
}

} // namespace

class TstTopology final : public QObject {
    Q_OBJECT

    std::unique_ptr<sandbox::Cluster> m_mlServing;
    model::ObjectStore m_store; // ml-serving after its warm-up

private slots:
    void initTestCase() {
        m_mlServing = runScenario("ml-serving");
        fillStore(m_store, *m_mlServing);
    }

    void mlServingFromIngressToPods() {
        const model::ObjectStore &store = m_store;
        const Topology t = Topology::derive(store, QStringLiteral("ml-serving"));

        const QString ingress = QStringLiteral("Ingress/ml-serving/churn-predictor");
        const QString service = QStringLiteral("Service/ml-serving/churn-predictor");
        const QString deployment = QStringLiteral("Deployment/ml-serving/churn-predictor");
        QVERIFY(t.node(ingress));
        QCOMPARE(t.node(ingress)->hosts, QStringList{QStringLiteral("churn.api.yourcompany.com")});
        QCOMPARE(targets(t, ingress, TopologyEdge::Relation::Routes), QStringList{service});
        const TopologyEdge *route = t.edgesFrom(ingress).front();
        QVERIFY(!route->broken);
        QCOMPARE(route->label, QStringLiteral("churn.api.yourcompany.com/ → :80"));
        QCOMPARE(targets(t, service, TopologyEdge::Relation::Selects), QStringList{deployment});
        QCOMPARE(targets(t, QStringLiteral("HorizontalPodAutoscaler/ml-serving/churn-predictor"),
                         TopologyEdge::Relation::Scales),
                 QStringList{deployment});
        QCOMPARE(targets(t, QStringLiteral("PodDisruptionBudget/ml-serving/churn-predictor"),
                         TopologyEdge::Relation::Protects),
                 QStringList{deployment});

        // The Deployment owns its current ReplicaSet, which owns three ready pods; the old
        // revision left by the scenario's rollout has no pods and is not drawn.
        const QStringList replicaSets = targets(t, deployment, TopologyEdge::Relation::Owns);
        QCOMPARE(replicaSets.size(), 1);
        const TopologyNode *rs = t.node(replicaSets.front());
        QVERIFY(rs->current);
        QCOMPARE(rs->desiredReplicas, 3);
        const QStringList pods = targets(t, rs->id, TopologyEdge::Relation::Owns);
        QCOMPARE(pods.size(), 3);
        for (const QString &id : pods) {
            const TopologyNode *pod = t.node(id);
            QCOMPARE(pod->kind, Kind::Pod);
            QCOMPARE(pod->health, TopologyNode::Health::Ok);
            QVERIFY(!pod->nodeName.isEmpty());
        }
        QCOMPARE(t.node(deployment)->status, QStringLiteral("3/3 ready"));
    }

    void gpusAndPendingPods() {
        const model::ObjectStore &store = m_store;
        const Topology t = Topology::derive(store, QStringLiteral("ml-serving"));
        // llm-server: 4 GPUs per pod, 2 replicas, on A100/H100 nodes whose product is known.
        const TopologyNode *llm = t.node(QStringLiteral("Deployment/ml-serving/llm-server"));
        QVERIFY(llm);
        QCOMPARE(llm->gpusPerPod, 4);
        QCOMPARE(llm->gpuUnit, QStringLiteral("GPU"));
        // text-embedder runs on MIG slices: counted as slices, not as GPUs.
        const TopologyNode *embedder =
            t.node(QStringLiteral("Deployment/ml-serving/text-embedder"));
        QVERIFY(embedder);
        QCOMPARE(embedder->gpuUnit, QStringLiteral("MIG 1g.10gb"));
        QCOMPARE(embedder->gpusTotal, embedder->gpusPerPod * embedder->desiredReplicas);
        QCOMPARE(llm->gpusTotal, 8);
        int gpuPods = 0;
        int pending = 0;
        for (const TopologyNode &n : t.nodes()) {
            if (n.kind != Kind::Pod)
                continue;
            if (n.gpusPerPod > 0 && !n.nodeName.isEmpty()) {
                ++gpuPods;
                QVERIFY2(!n.gpuProduct.isEmpty(), qPrintable(n.id));
            }
            if (n.nodeName.isEmpty()) {
                ++pending;
                // The scheduler's own words say why.
                QVERIFY2(n.status.startsWith(QLatin1String("Pending: 0/")), qPrintable(n.status));
                QCOMPARE(n.health, TopologyNode::Health::Warning);
            }
        }
        QVERIFY(gpuPods >= 2);
        QVERIFY2(pending >= 1, "the stuck recommender pod is Pending");
    }

    void brokenLinksAreNamed() {
        model::ObjectStore store;
        add(store, QStringLiteral("services"),
            R"({"kind":"Service","metadata":{"namespace":"a","name":"web","uid":"s1"},
                "spec":{"selector":{"app":"gone"},"ports":[{"name":"http","port":80}]}})");
        add(store, QStringLiteral("ingresses.networking.k8s.io"),
            R"({"kind":"Ingress","metadata":{"namespace":"a","name":"edge","uid":"i1"},
                "spec":{"defaultBackend":{"service":{"name":"legacy","port":{"number":80}}},
                        "rules":[{"host":"x.example.com","http":{"paths":[
                          {"path":"/","backend":{"service":{"name":"web","port":{"number":8080}}}},
                          {"path":"/ok","backend":{"service":{"name":"web","port":{"name":"http"}}}}]}}]}})");
        add(store, QStringLiteral("horizontalpodautoscalers.autoscaling"),
            R"({"kind":"HorizontalPodAutoscaler","metadata":{"namespace":"a","name":"hpa","uid":"h1"},
                "spec":{"scaleTargetRef":{"kind":"Deployment","name":"nowhere"},"maxReplicas":5}})");
        const Topology t = Topology::derive(store);
        QCOMPARE(
            t.problems(),
            QStringList({
                QStringLiteral("HorizontalPodAutoscaler a/hpa scales Deployment \"nowhere\", "
                               "which does not exist"),
                QStringLiteral("Ingress a/edge routes default to Service \"legacy\", which "
                               "does not exist"),
                QStringLiteral("Ingress a/edge routes x.example.com/ to Service \"web\", which "
                               "has no port 8080"),
                QStringLiteral("Service a/web selects no pods (app=gone)"),
            }));
        QVERIFY(t.node(QStringLiteral("Missing/a/Service/legacy")));
        QVERIFY(t.node(QStringLiteral("Missing/a/Deployment/nowhere")));
        int broken = 0;
        for (const TopologyEdge &e : t.edges())
            broken += e.broken ? 1 : 0;
        QCOMPARE(broken, 3); // the /ok path by port name is fine
        QCOMPARE(t.node(QStringLiteral("Service/a/web"))->health, TopologyNode::Health::Warning);
    }

    void namespaceFilter() {
        const model::ObjectStore &store = m_store;
        const Topology t = Topology::derive(store, QStringLiteral("vector"));
        QVERIFY(!t.nodes().empty());
        for (const TopologyNode &n : t.nodes())
            QCOMPARE(n.namespaceName, QStringLiteral("vector"));
        // The StatefulSet owns its pods directly; both Services select it.
        const QString sts = QStringLiteral("StatefulSet/vector/qdrant");
        QCOMPARE(targets(t, sts, TopologyEdge::Relation::Owns).size(), 3);
        QCOMPARE(t.edgesTo(sts).size(), 3u); // two Services and the PDB
    }

    // Every other scenario gives a consistent graph: each edge ends at nodes, ids are unique, and
    // every pod a workload owns appears once.
    void everyScenarioIsConsistent_data() {
        QTest::addColumn<QString>("scenario");
        for (const char *s : {"churn-predictor", "inference-api", "gpu-deadlock"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void everyScenarioIsConsistent() {
        QFETCH(QString, scenario);
        auto cluster = runScenario(scenario.toStdString());
        model::ObjectStore store;
        fillStore(store, *cluster);
        const Topology t = Topology::derive(store);
        QSet<QString> ids;
        for (const TopologyNode &n : t.nodes()) {
            QVERIFY2(!ids.contains(n.id), qPrintable(n.id));
            ids.insert(n.id);
        }
        for (const TopologyEdge &e : t.edges()) {
            QVERIFY2(t.node(e.from), qPrintable(e.from));
            QVERIFY2(t.node(e.to), qPrintable(e.to));
        }
        int ownedPods = 0;
        for (const kube::ObjectPtr &p : store.list(QStringLiteral("pods")))
            if (!model::ownerUids(p->json()).isEmpty())
                ++ownedPods;
        int drawnPods = 0;
        for (const TopologyNode &n : t.nodes())
            drawnPods += n.kind == Kind::Pod ? 1 : 0;
        QCOMPARE(drawnPods, ownedPods);
    }
};

QTEST_APPLESS_MAIN(TstTopology)
#include "tst_topology.moc"
