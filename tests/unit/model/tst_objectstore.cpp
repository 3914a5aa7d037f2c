// The GUI-thread object cache: deltas, replace batches within a namespace scope, the uid and owner
// indexes kept up to date incrementally, one objectsChanged per kind per batch, and what one
// cached pod costs in memory (measured with a pod the sandbox's ml-serving scenario made).
#include "model/objects.h"
#include "model/objectstore.h"

#include "sandbox/cluster.h"
#include "sandbox/resources.h"
#include "sandbox/scenario.h"

#include <QSignalSpy>
#include <QTest>

#include <malloc.h>

using kd::kube::Delta;
using kd::kube::DeltaBatch;
using kd::kube::Json;
using kd::kube::KubeObject;
using kd::kube::ObjectPtr;
using kd::kube::ResourceKind;
using kd::model::ObjectList;
using kd::model::ObjectStore;

namespace {

const ResourceKind kPods{QString(), QStringLiteral("v1"), QStringLiteral("pods"),
                         QStringLiteral("Pod"), true};
const ResourceKind kReplicaSets{QStringLiteral("apps"), QStringLiteral("v1"),
                                QStringLiteral("replicasets"), QStringLiteral("ReplicaSet"), true};
const ResourceKind kNodes{QString(), QStringLiteral("v1"), QStringLiteral("nodes"),
                          QStringLiteral("Node"), false};

ObjectPtr object(const ResourceKind &kind, const std::string &ns, const std::string &name,
                 const std::string &rv, const std::string &uid = {},
                 const std::vector<std::string> &owners = {}) {
    Json j{{"kind", kind.kind.toStdString()},
           {"apiVersion", kind.groupVersion().toStdString()},
           {"metadata", {{"name", name}, {"resourceVersion", rv}}}};
    if (!ns.empty())
        j["metadata"]["namespace"] = ns;
    j["metadata"]["uid"] = uid.empty() ? "uid-" + ns + "-" + name : uid;
    for (const std::string &o : owners)
        j["metadata"]["ownerReferences"].push_back({{"apiVersion", "apps/v1"},
                                                    {"kind", "ReplicaSet"},
                                                    {"name", o},
                                                    {"uid", o},
                                                    {"controller", true}});
    j["metadata"]["managedFields"] = Json::array({{{"manager", "kubectl"}}});
    return std::make_shared<const KubeObject>(std::move(j));
}

ObjectPtr pod(const std::string &ns, const std::string &name, const std::string &rv,
              const std::vector<std::string> &owners = {}) {
    return object(kPods, ns, name, rv, {}, owners);
}

DeltaBatch deltas(const ResourceKind &kind, std::vector<Delta> ds) {
    DeltaBatch b;
    b.kind = kind;
    b.deltas = std::move(ds);
    return b;
}

DeltaBatch replace(const ResourceKind &kind, const QString &scope, std::vector<ObjectPtr> objs) {
    DeltaBatch b;
    b.kind = kind;
    b.namespaceScope = scope;
    b.replace = true;
    for (ObjectPtr &o : objs)
        b.deltas.push_back(Delta{Delta::Type::Added, std::move(o)});
    return b;
}

Delta added(ObjectPtr o) {
    return Delta{Delta::Type::Added, std::move(o)};
}
Delta modified(ObjectPtr o) {
    return Delta{Delta::Type::Modified, std::move(o)};
}
Delta deleted(ObjectPtr o) {
    return Delta{Delta::Type::Deleted, std::move(o)};
}

// "ns/name@rv" of each object, in order.
QStringList names(const ObjectList &objects) {
    QStringList out;
    for (const ObjectPtr &o : objects)
        out.push_back(o->namespaceName() + QLatin1Char('/') + o->name() + QLatin1Char('@') +
                      o->resourceVersion());
    return out;
}

QStringList sorted(QStringList l) {
    l.sort();
    return l;
}

struct Change {
    QString kind;
    QStringList added, modified, removed;
};
Change changeAt(const QSignalSpy &spy, int i) {
    const QList<QVariant> &args = spy.at(i);
    return Change{args.at(0).toString(), sorted(names(args.at(1).value<ObjectList>())),
                  sorted(names(args.at(2).value<ObjectList>())),
                  sorted(names(args.at(3).value<ObjectList>()))};
}

QStringList l(std::initializer_list<const char *> items) {
    QStringList out;
    for (const char *s : items)
        out.push_back(QString::fromUtf8(s));
    return out;
}

} // namespace

class TstObjectStore final : public QObject {
    Q_OBJECT

private slots:
    void addModifyDelete() {
        ObjectStore store;
        QSignalSpy spy(&store, &ObjectStore::objectsChanged);

        store.applyBatch(deltas(kPods, {added(pod("a", "p1", "1")), added(pod("a", "p2", "2")),
                                        added(pod("b", "p1", "3"))}));
        QCOMPARE(spy.size(), 1);
        Change c = changeAt(spy, 0);
        QCOMPARE(c.kind, QStringLiteral("pods"));
        QCOMPARE(c.added, l({"a/p1@1", "a/p2@2", "b/p1@3"}));
        QVERIFY(c.modified.isEmpty());
        QVERIFY(c.removed.isEmpty());
        QCOMPARE(store.count(QStringLiteral("pods")), 3);
        QCOMPARE(store.count(QStringLiteral("pods"), QStringLiteral("a")), 2);
        QCOMPARE(names(store.list(QStringLiteral("pods"))), l({"a/p1@1", "a/p2@2", "b/p1@3"}));
        QCOMPARE(names(store.list(QStringLiteral("pods"), QStringLiteral("b"))), l({"b/p1@3"}));
        QVERIFY(store.get(QStringLiteral("pods"), QStringLiteral("a"), QStringLiteral("p1")));
        QVERIFY(!store.get(QStringLiteral("pods"), QStringLiteral("a"), QStringLiteral("p3")));
        QVERIFY(!store.get(QStringLiteral("deployments.apps"), QStringLiteral("a"),
                           QStringLiteral("p1")));
        // managedFields are not cached.
        QVERIFY(!store.get(QStringLiteral("pods"), QStringLiteral("a"), QStringLiteral("p1"))
                     ->json()["metadata"]
                     .contains("managedFields"));

        store.applyBatch(
            deltas(kPods, {modified(pod("a", "p1", "4")), deleted(pod("a", "p2", "5"))}));
        QCOMPARE(spy.size(), 2);
        c = changeAt(spy, 1);
        QCOMPARE(c.added, QStringList());
        QCOMPARE(c.modified, l({"a/p1@4"}));
        QCOMPARE(c.removed, l({"a/p2@2"})); // the last cached state
        QCOMPARE(store.totalCount(), 2);
        QCOMPARE(store.byUid(QStringLiteral("uid-a-p1"))->resourceVersion(), QStringLiteral("4"));
        QVERIFY(!store.byUid(QStringLiteral("uid-a-p2")));
    }

    void toleratesOutOfOrderDeltas() {
        ObjectStore store;
        QSignalSpy spy(&store, &ObjectStore::objectsChanged);
        // Modified of an unknown object inserts it; Added of a known one replaces it; Deleted
        // of an unknown one is nothing.
        store.applyBatch(deltas(kPods, {modified(pod("a", "p1", "1"))}));
        store.applyBatch(deltas(kPods, {added(pod("a", "p1", "2"))}));
        store.applyBatch(deltas(kPods, {deleted(pod("a", "zz", "3"))}));
        QCOMPARE(spy.size(), 2);
        QCOMPARE(changeAt(spy, 0).added, l({"a/p1@1"}));
        QCOMPARE(changeAt(spy, 1).modified, l({"a/p1@2"}));
        QCOMPARE(store.totalCount(), 1);
    }

    void sameResourceVersionIsUnchanged() {
        ObjectStore store;
        ObjectPtr first = pod("a", "p1", "7");
        store.applyBatch(deltas(kPods, {added(first)}));
        QSignalSpy spy(&store, &ObjectStore::objectsChanged);
        store.applyBatch(deltas(kPods, {modified(pod("a", "p1", "7"))}));
        store.applyBatch(replace(kPods, {}, {pod("a", "p1", "7")}));
        QCOMPARE(spy.size(), 0);
        // The cached object is kept, so views holding it see no churn.
        QCOMPARE(store.get(QStringLiteral("pods"), QStringLiteral("a"), QStringLiteral("p1")),
                 first);
    }

    void signalBatching() {
        ObjectStore store;
        store.applyBatch(deltas(kPods, {added(pod("a", "keep", "1")), added(pod("a", "x", "1"))}));
        QSignalSpy spy(&store, &ObjectStore::objectsChanged);
        // Many deltas, one signal; an object added and deleted in one batch is never announced;
        // an object deleted and re-created in one batch is modified.
        store.applyBatch(
            deltas(kPods, {added(pod("a", "new", "2")), modified(pod("a", "new", "3")),
                           added(pod("a", "flash", "4")), deleted(pod("a", "flash", "5")),
                           deleted(pod("a", "x", "6")), added(pod("a", "x", "7")),
                           modified(pod("a", "keep", "8")), modified(pod("a", "keep", "9"))}));
        QCOMPARE(spy.size(), 1);
        Change c = changeAt(spy, 0);
        QCOMPARE(c.added, l({"a/new@3"}));
        QCOMPARE(c.modified, l({"a/keep@9", "a/x@7"}));
        QCOMPARE(c.removed, QStringList());

        // Batches of two kinds: one signal each.
        store.applyBatches({deltas(kNodes, {added(object(kNodes, "", "n1", "10"))}),
                            deltas(kReplicaSets, {added(object(kReplicaSets, "a", "rs", "11"))})});
        QCOMPARE(spy.size(), 3);
        QCOMPARE(changeAt(spy, 1).kind, QStringLiteral("nodes"));
        QCOMPARE(changeAt(spy, 1).added, l({"/n1@10"}));
        QCOMPARE(changeAt(spy, 2).kind, QStringLiteral("replicasets.apps"));
        QCOMPARE(store.kinds(), l({"nodes", "pods", "replicasets.apps"}));
    }

    void replaceSemantics_data() {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QStringList>("expectedAll");
        QTest::addColumn<QStringList>("expectedAdded");
        QTest::addColumn<QStringList>("expectedModified");
        QTest::addColumn<QStringList>("expectedRemoved");
        // Before: a/p1@1 a/p2@1 b/p1@1 b/p2@1. The replace holds a/p1@1 (same), a/p3@2 (new),
        // b/p2@3 (changed) — but a scoped replace only ever names its own namespace.
        QTest::newRow("all namespaces")
            << QString() << l({"a/p1@1", "a/p3@2", "b/p2@3"}) << l({"a/p3@2"}) << l({"b/p2@3"})
            << l({"a/p2@1", "b/p1@1"});
        QTest::newRow("namespace a")
            << QStringLiteral("a") << l({"a/p1@1", "a/p3@2", "b/p1@1", "b/p2@1"}) << l({"a/p3@2"})
            << QStringList() << l({"a/p2@1"});
    }
    void replaceSemantics() {
        QFETCH(QString, scope);
        QFETCH(QStringList, expectedAll);
        QFETCH(QStringList, expectedAdded);
        QFETCH(QStringList, expectedModified);
        QFETCH(QStringList, expectedRemoved);
        ObjectStore store;
        store.applyBatch(replace(
            kPods, {},
            {pod("a", "p1", "1"), pod("a", "p2", "1"), pod("b", "p1", "1"), pod("b", "p2", "1")}));
        QSignalSpy spy(&store, &ObjectStore::objectsChanged);
        std::vector<ObjectPtr> set{pod("a", "p1", "1"), pod("a", "p3", "2")};
        if (scope.isEmpty())
            set.push_back(pod("b", "p2", "3"));
        store.applyBatch(replace(kPods, scope, set));
        QCOMPARE(names(store.list(QStringLiteral("pods"))), expectedAll);
        QCOMPARE(spy.size(), 1);
        Change c = changeAt(spy, 0);
        QCOMPARE(c.added, expectedAdded);
        QCOMPARE(c.modified, expectedModified);
        QCOMPARE(c.removed, expectedRemoved);
    }

    void staleReplaceOfOneNamespaceKeepsOthers() {
        ObjectStore store;
        store.applyBatch(replace(kPods, QStringLiteral("a"), {pod("a", "p1", "1")}));
        store.applyBatch(replace(kPods, QStringLiteral("b"), {pod("b", "p1", "2")}));
        // Namespace a relists and is now empty: b is not touched.
        QSignalSpy spy(&store, &ObjectStore::objectsChanged);
        store.applyBatch(replace(kPods, QStringLiteral("a"), {}));
        QCOMPARE(names(store.list(QStringLiteral("pods"))), l({"b/p1@2"}));
        QCOMPARE(spy.size(), 1);
        QCOMPARE(changeAt(spy, 0).removed, l({"a/p1@1"}));
        // Other kinds are never touched by a replace.
        store.applyBatch(replace(kReplicaSets, {}, {object(kReplicaSets, "b", "rs", "3")}));
        store.applyBatch(replace(kPods, {}, {}));
        QCOMPARE(store.count(QStringLiteral("pods")), 0);
        QCOMPARE(store.count(QStringLiteral("replicasets.apps")), 1);
        QCOMPARE(store.kinds(), l({"replicasets.apps"}));
    }

    void ownerIndex() {
        ObjectStore store;
        store.applyBatch(
            deltas(kReplicaSets, {added(object(kReplicaSets, "a", "rs1", "1", "rs1")),
                                  added(object(kReplicaSets, "a", "rs2", "1", "rs2"))}));
        store.applyBatch(
            deltas(kPods, {added(pod("a", "p1", "2", {"rs1"})), added(pod("a", "p2", "2", {"rs1"})),
                           added(pod("a", "p3", "2", {"rs2"})), added(pod("a", "orphan", "2"))}));
        QCOMPARE(names(store.ownedBy(QStringLiteral("rs1"))), l({"a/p1@2", "a/p2@2"}));
        QCOMPARE(names(store.ownedBy(QStringLiteral("rs2"))), l({"a/p3@2"}));

        // Adopted by another owner, deleted, released.
        store.applyBatch(
            deltas(kPods, {modified(pod("a", "p2", "3", {"rs2"})), deleted(pod("a", "p1", "3")),
                           modified(pod("a", "p3", "3"))}));
        QCOMPARE(names(store.ownedBy(QStringLiteral("rs1"))), QStringList());
        QCOMPARE(names(store.ownedBy(QStringLiteral("rs2"))), l({"a/p2@3"}));

        // A replace that drops an owned pod unindexes it too; the index follows the newest uid.
        store.applyBatch(replace(kPods, {}, {pod("a", "orphan", "4", {"rs1"})}));
        QCOMPARE(names(store.ownedBy(QStringLiteral("rs2"))), QStringList());
        QCOMPARE(names(store.ownedBy(QStringLiteral("rs1"))), l({"a/orphan@4"}));
        store.clear(QStringLiteral("pods"));
        QCOMPARE(names(store.ownedBy(QStringLiteral("rs1"))), QStringList());
        QVERIFY(store.byUid(QStringLiteral("rs1")));
    }

    void recreatedObjectChangesUid() {
        ObjectStore store;
        store.applyBatch(deltas(kPods, {added(object(kPods, "a", "p", "1", "old"))}));
        store.applyBatch(deltas(kPods, {added(object(kPods, "a", "p", "2", "new"))}));
        QVERIFY(!store.byUid(QStringLiteral("old")));
        QCOMPARE(store.byUid(QStringLiteral("new"))->resourceVersion(), QStringLiteral("2"));
        QCOMPARE(store.totalCount(), 1);
    }

    void clearEmitsReset() {
        ObjectStore store;
        store.applyBatch(deltas(kPods, {added(pod("a", "p1", "1"))}));
        store.applyBatch(deltas(kNodes, {added(object(kNodes, "", "n1", "1"))}));
        QSignalSpy resets(&store, &ObjectStore::reset);
        QSignalSpy changes(&store, &ObjectStore::objectsChanged);
        store.clear(QStringLiteral("pods"));
        store.clear(QStringLiteral("services")); // nothing cached: no signal
        QCOMPARE(resets.size(), 1);
        QCOMPARE(resets.at(0).at(0).toString(), QStringLiteral("pods"));
        store.clear();
        QCOMPARE(resets.size(), 2);
        QCOMPARE(resets.at(1).at(0).toString(), QStringLiteral("nodes"));
        QCOMPARE(changes.size(), 0);
        QCOMPARE(store.totalCount(), 0);
        QVERIFY(!store.byUid(QStringLiteral("uid--n1")));
    }

    void typedAccessors();
    void bytesPerCachedPod();
};

namespace {

// One pod of the ml-serving scenario after its warm-up: scheduled, running, with statuses.
Json sandboxPod(const std::string &app) {
    kd::sandbox::Cluster cluster(
        kd::sandbox::Cluster::Options{kd::sandbox::Clock::Mode::Manual, 1.0, 1'800'000'000});
    kd::sandbox::applyScenario(cluster, kd::sandbox::loadScenario("ml-serving"));
    for (const auto &p :
         cluster.store().list(kd::sandbox::resourceType("v1", "Pod"), "ml-serving")) {
        if (kd::sandbox::str(*p, {"metadata", "labels", "app"}) == app &&
            kd::sandbox::str(*p, {"status", "phase"}) == "Running")
            return *p;
    }
    return {};
}

} // namespace

void TstObjectStore::typedAccessors() {
    Json p = pod("a", "p", "1", {"rs9"})->json();
    QCOMPARE(kd::model::ownerUids(p), l({"rs9"}));
    QCOMPARE(kd::model::controllerOf(p).name, QStringLiteral("rs9"));
    QCOMPARE(kd::model::controllerOf(Json::object()).kind, QString());
    QCOMPARE(kd::model::podGpuRequests(Json()), 0);

    Json gpuPod{
        {"spec",
         {{"nodeName", "gpu-1"},
          {"containers",
           {{{"name", "a"}, {"resources", {{"limits", {{"nvidia.com/gpu", 2}}}}}},
            {{"name", "b"}, {"resources", {{"requests", {{"nvidia.com/mig-1g.10gb", "1"}}}}}}}}}},
        {"status",
         {{"phase", "Running"},
          {"containerStatuses",
           {{{"ready", true}, {"restartCount", 3}}, {{"ready", false}, {"restartCount", 2}}}}}}};
    QCOMPARE(kd::model::podGpuRequests(gpuPod), 3);
    QCOMPARE(kd::model::podPhase(gpuPod), QStringLiteral("Running"));
    QCOMPARE(kd::model::podNodeName(gpuPod), QStringLiteral("gpu-1"));
    QCOMPARE(kd::model::podContainerCounts(gpuPod).ready, 1);
    QCOMPARE(kd::model::podContainerCounts(gpuPod).total, 2);
    QCOMPARE(kd::model::podRestartCount(gpuPod), 5);
    gpuPod["status"]["phase"] = "Succeeded"; // a finished pod holds no GPU
    QCOMPARE(kd::model::podGpuRequests(gpuPod), 0);

    QCOMPARE(kd::model::desiredReplicas(Json{{"spec", Json::object()}}), 1);
    QCOMPARE(kd::model::desiredReplicas(Json{{"spec", {{"replicas", 0}}}}), 0);
    QCOMPARE(kd::model::readyReplicas(Json{{"status", {{"readyReplicas", 4}}}}), 4);
}

void TstObjectStore::bytesPerCachedPod() {
    const Json sample = sandboxPod("llm-server");
    QVERIFY2(sample.is_object(), "the ml-serving scenario has a running llm-server pod");
    const std::size_t textBytes = sample.dump().size();
    constexpr int kPods = 2000;

    ObjectStore store;
    malloc_trim(0);
    const std::size_t baseline = mallinfo2().uordblks;
    {
        DeltaBatch batch;
        batch.kind = ::kPods;
        batch.replace = true;
        for (int i = 0; i < kPods; ++i) {
            Json j = sample;
            j["metadata"]["name"] = "pod-" + std::to_string(i);
            j["metadata"]["uid"] = "00000000-0000-4000-8000-" + std::to_string(100000000000 + i);
            batch.deltas.push_back(added(std::make_shared<const KubeObject>(std::move(j))));
        }
        store.applyBatch(batch);
    }
    const std::size_t after = mallinfo2().uordblks;
    QCOMPARE(store.count(QStringLiteral("pods")), kPods);
    if (after == baseline)
        QSKIP("the allocator does not report usage (sanitizer build)");
    const std::size_t perPod = (after - baseline) / kPods;
    qInfo("bytes per cached pod: %zu (its JSON text: %zu bytes; %d pods: %.1f MiB)", perPod,
          textBytes, kPods, double(after - baseline) / (1 << 20));
    // nlohmann::json keeps every key as a std::string in a std::map node: several times the
    // text. Guard against something far worse (a copy per index, managedFields kept).
    QVERIFY2(
        perPod < textBytes * 12,
        qPrintable(
            QStringLiteral("%1 bytes per pod for %2 bytes of JSON").arg(perPod).arg(textBytes)));
}

QTEST_GUILESS_MAIN(TstObjectStore)
#include "tst_objectstore.moc"
