// The drag-to-scale prediction against the sandbox's own controllers and scheduler. For seeded
// random target counts of the GPU Deployments of "ml-serving" (A100, MIG slices, the T4 pool
// whose rollout is stuck) and of the deadlocked rollout of "gpu-deadlock": fill the client's
// store from the cluster, predict, scale the Deployment in the sandbox, let its controllers and
// scheduler settle, and compare the Deployment's Pending pods and where the new pods went.
// Between cases the cluster runs on, so later cases start from Pending pods, terminating pods
// and rollouts that moved.
#include "model/objectstore.h"
#include "model/scaleprediction.h"
#include "sandbox/admission.h"
#include "sandbox/controllers/replicasetutil.h"
#include "sandboxstore.h"
#include "semantics/resources.h"

#include <QRandomGenerator>
#include <QTest>

#include <map>
#include <set>

using namespace kd;
using sandbox::Json;
using sandbox::ObjectPtr;

namespace {

const sandbox::ResourceType &deploymentType() {
    return sandbox::resourceType("apps/v1", "Deployment");
}

struct OwnPods {
    std::set<std::string> uids;                // active pods of the Deployment's ReplicaSets
    int pending = 0;                           // of those, not bound to a node
    std::map<std::string, std::string> nodeOf; // uid -> node ("" while Pending)
    std::map<std::string, int> perReplicaSet;  // ReplicaSet uid -> active pods
};

// The Deployment's pods as its controllers count them: active pods of the ReplicaSets it controls.
OwnPods ownPods(sandbox::Cluster &c, const Json &deployment) {
    std::set<std::string> sets;
    for (const ObjectPtr &rs : c.store().list(sandbox::resourceType("apps/v1", "ReplicaSet"),
                                              sandbox::namespaceOf(deployment)))
        if (sandbox::controllerUidOf(*rs) == sandbox::uidOf(deployment))
            sets.insert(sandbox::uidOf(*rs));
    OwnPods out;
    for (const ObjectPtr &p :
         c.store().list(sandbox::resourceType("v1", "Pod"), sandbox::namespaceOf(deployment))) {
        if (!sets.count(sandbox::controllerUidOf(*p)) || !sandbox::isPodActive(*p))
            continue;
        const std::string node = sandbox::str(*p, {"spec", "nodeName"});
        out.uids.insert(sandbox::uidOf(*p));
        out.nodeOf[sandbox::uidOf(*p)] = node;
        out.pending += node.empty() ? 1 : 0;
        ++out.perReplicaSet[sandbox::controllerUidOf(*p)];
    }
    return out;
}

// Deployments whose pods ask for a GPU or a MIG slice, as namespace/name.
std::vector<std::pair<std::string, std::string>> gpuDeployments(sandbox::Cluster &c) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const ObjectPtr &d : c.store().list(deploymentType())) {
        const Json &spec = sandbox::at(*d, {"spec", "template", "spec"});
        for (const auto &[resource, amount] : semantics::podSpecRequests(spec))
            if (amount > 0 && semantics::isGpuResource(resource)) {
                out.emplace_back(sandbox::namespaceOf(*d), sandbox::nameOf(*d));
                break;
            }
    }
    return out;
}

// A client's scale: spec.replicas through admission, as the API server's update does.
void scale(sandbox::Cluster &c, const std::string &ns, const std::string &name, int replicas) {
    const ObjectPtr old = c.store().get(deploymentType(), ns, name);
    Json next = *old;
    next["spec"]["replicas"] = replicas;
    sandbox::admitUpdate(deploymentType(), next, *old);
    c.store().update(deploymentType(), std::move(next));
}

QString caseName(int i, const std::string &ns, const std::string &name, int from, int to) {
    return QStringLiteral("case %1: %2/%3 %4 -> %5")
        .arg(i)
        .arg(QString::fromStdString(ns), QString::fromStdString(name))
        .arg(from)
        .arg(to);
}

} // namespace

class TstScalePrediction final : public QObject {
    Q_OBJECT

    // Predicts, scales, settles and compares; returns false (after a failed QCOMPARE) on a
    // mismatch. Counts what the case showed in `stats`.
    void checkCase(sandbox::Cluster &c, int index, const std::string &ns, const std::string &name,
                   int target, std::map<std::string, int> &stats) {
        model::ObjectStore store;
        testing::fillStore(store, c);
        const auto f =
            model::predictScale(store, QStringLiteral("deployments.apps"),
                                QString::fromStdString(ns), QString::fromStdString(name), target);
        QVERIFY(f);
        const ObjectPtr deployment = c.store().get(deploymentType(), ns, name);
        const OwnPods before = ownPods(c, *deployment);
        const QString what = caseName(index, ns, name, f->current, target);
        QCOMPARE(f->pendingNow, before.pending);

        scale(c, ns, name, target);
        c.settle();

        const OwnPods after = ownPods(c, *deployment);
        std::map<std::string, int> placed;
        for (const auto &[uid, node] : after.nodeOf)
            if (!before.uids.count(uid) && !node.empty())
                ++placed[node];
        // Growth per ReplicaSet: mid-rollout one may shrink and grow back within the syncs of
        // one resize, replacing a Pending pod by another.
        int created = 0;
        for (const auto &[rs, n] : after.perReplicaSet) {
            auto it = before.perReplicaSet.find(rs);
            created += std::max(0, n - (it == before.perReplicaSet.end() ? 0 : it->second));
        }
        const QByteArray message =
            (what + QStringLiteral(": ") + QString::fromStdString(f->summary())).toUtf8();
        QVERIFY2(after.pending == f->pendingAfter(), message.constData());
        QVERIFY2(created == f->created, message.constData());
        QVERIFY2(placed == f->placed, message.constData());
        ++stats[f->pending > 0 ? "pending" : f->created > 0 ? "fit" : "no new pods"];
        if (f->created != f->added())
            ++stats["rollout surge"];
    }

    // `cases` seeded random targets over the scenario's GPU Deployments, one cluster.
    void run(const std::string &scenario, int cases, quint32 seed,
             const std::function<void(sandbox::Cluster &)> &prepare = {}) {
        auto cluster = testing::runScenario(scenario);
        sandbox::Cluster &c = *cluster;
        if (prepare)
            prepare(c);
        const auto deployments = gpuDeployments(c);
        QVERIFY(!deployments.empty());
        QRandomGenerator rng(seed);
        std::map<std::string, int> stats;
        for (int i = 0; i < cases; ++i) {
            const auto &[ns, name] = deployments[rng.bounded(quint32(deployments.size()))];
            const int target = static_cast<int>(rng.bounded(9));
            checkCase(c, i, ns, name, target, stats);
            if (QTest::currentTestFailed())
                return;
            // Let terminating pods go, new ones start and rollouts move before the next case.
            c.step(60, 5);
        }
        // The cases covered what the preview must get right.
        QVERIFY(stats["pending"] > 0);
        QVERIFY(stats["fit"] > 0);
    }

private slots:
    void mlServing() {
        run("ml-serving", 30, 20270115, [](sandbox::Cluster &c) {
            // An HPA owns churn-predictor's replica count (Kubedeck does not drag-scale those):
            // without it, the count is the test's.
            c.store().remove(sandbox::resourceType("autoscaling/v2", "HorizontalPodAutoscaler"),
                             "ml-serving", "churn-predictor");
        });
    }

    void gpuDeadlock() { run("gpu-deadlock", 12, 42); }

    // An OrderedReady StatefulSet creates one pod at a time, each once the previous is Ready:
    // the pods that fit end up where predicted, the first that does not stays Pending and the
    // rest are never created.
    void statefulSetOneAtATime() {
        auto cluster = testing::runScenario("ml-serving");
        sandbox::Cluster &c = *cluster;
        model::ObjectStore store;
        testing::fillStore(store, c);
        const auto f = model::predictScale(store, QStringLiteral("statefulsets.apps"),
                                           QStringLiteral("vector"), QStringLiteral("qdrant"), 30);
        QVERIFY(f);
        QCOMPARE(f->current, 3);
        QVERIFY2(!f->placed.empty() && f->pending == 1 && f->waiting > 0, f->summary().c_str());
        QVERIFY2(f->summary().find("more not created until the earlier ones are Ready") !=
                     std::string::npos,
                 f->summary().c_str());

        const sandbox::ResourceType &setType = sandbox::resourceType("apps/v1", "StatefulSet");
        const ObjectPtr set = c.store().get(setType, "vector", "qdrant");
        Json next = *set;
        next["spec"]["replicas"] = 30;
        sandbox::admitUpdate(setType, next, *set);
        c.store().update(setType, std::move(next));
        c.step(600, 10);

        std::map<std::string, int> placed;
        int pending = 0;
        int created = 0;
        for (const ObjectPtr &p : c.store().list(sandbox::resourceType("v1", "Pod"), "vector")) {
            if (sandbox::controllerUidOf(*p) != sandbox::uidOf(*set))
                continue;
            const std::string node = sandbox::str(*p, {"spec", "nodeName"});
            const int ordinal =
                std::stoi(sandbox::nameOf(*p).substr(std::string("qdrant-").size()));
            if (ordinal < 3)
                continue;
            ++created;
            if (node.empty())
                ++pending;
            else
                ++placed[node];
        }
        QCOMPARE(placed, f->placed);
        QCOMPARE(pending, f->pending);
        QCOMPARE(created, f->created - f->waiting);
    }
};

QTEST_MAIN(TstScalePrediction)
#include "tst_scaleprediction.moc"
