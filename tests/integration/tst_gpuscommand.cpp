// `kubedeck gpus` as a user runs it: the built executable against the sandbox serving
// "ml-serving" over TLS. What the table and the JSON must say is worked out from the sandbox's
// own Nodes and Pods (allocatable, effective requests of the bound pods, owners): a row per GPU
// node and resource with used/allocatable and the owners holding it, the MIG node's
// nvidia.com/mig-* profiles, the pools' totals, and the recommender's surge pod Pending on the
// full T4 pool for lack of nvidia.com/gpu. Usage errors exit 2; an unreachable server exits 1.
#include "kubedeckprocess.h"
#include "sandbox/resources.h"
#include "sandboxfixture.h"
#include "semantics/resources.h"
#include "semantics/scheduling.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>

namespace {

using Run = kd::testing::KubedeckRun;
using kd::sandbox::Json;

struct Use {
    qint64 allocatable = 0;
    qint64 used = 0;
    qint64 free() const { return used < allocatable ? allocatable - used : 0; }
    // "ns/owner" -> units and pods, as the PODS column sums them up.
    std::map<QString, std::pair<qint64, int>> owners;
    bool operator==(const Use &o) const {
        return allocatable == o.allocatable && used == o.used && owners == o.owners;
    }
};

// What the ledger must show, read from the sandbox's store.
struct Expected {
    std::map<QString, std::map<QString, Use>> nodes; // node -> GPU resource -> use
    std::map<QString, QString> product;              // node -> nvidia.com/gpu.product
    std::map<QString, QString> nodePool;             // node -> cloud.google.com/gke-nodepool
    std::map<QString, QStringList> taints;           // node -> "key=value:Effect"
    QStringList pending;                             // "ns/pod" of Pending GPU pods
    bool operator==(const Expected &o) const { return nodes == o.nodes && pending == o.pending; }
};

QString str(const Json &object, std::initializer_list<const char *> path) {
    const Json *at = &object;
    for (const char *key : path) {
        if (!at->is_object() || !at->contains(key))
            return {};
        at = &(*at)[key];
    }
    return at->is_string() ? QString::fromStdString(at->get<std::string>()) : QString();
}

// The workload over a pod: its controller, and the Deployment over a ReplicaSet.
QString ownerOf(kd::sandbox::Store &store, const Json &pod) {
    const QString ns = str(pod, {"metadata", "namespace"});
    for (const Json &ref : pod["metadata"].value("ownerReferences", Json::array())) {
        if (!ref.value("controller", false))
            continue;
        const std::string name = ref.value("name", "");
        if (ref.value("kind", "") == "ReplicaSet") {
            const auto rs = store.get(kd::sandbox::resourceType("apps/v1", "ReplicaSet"),
                                      ns.toStdString(), name);
            if (rs)
                for (const Json &up : (*rs)["metadata"].value("ownerReferences", Json::array()))
                    if (up.value("controller", false))
                        return ns + u'/' + QString::fromStdString(up.value("name", ""));
        }
        return ns + u'/' + QString::fromStdString(name);
    }
    return ns + u'/' + str(pod, {"metadata", "name"});
}

Expected expectedFrom(kd::sandbox::Store &store) {
    namespace sem = kd::semantics;
    Expected e;
    for (const auto &node : store.list(kd::sandbox::resourceType("v1", "Node"))) {
        const QString name = str(*node, {"metadata", "name"});
        const auto status = node->value("status", Json::object());
        sem::ResourceList offered =
            sem::parseResourceList(status.value("capacity", Json::object()));
        const sem::ResourceList allocatable =
            sem::parseResourceList(status.value("allocatable", Json::object()));
        for (const auto &[resource, milli] : allocatable)
            offered[resource] = milli;
        for (const auto &[resource, milli] : offered)
            if (sem::isGpuResource(resource))
                e.nodes[name][QString::fromStdString(resource)].allocatable =
                    sem::amountOf(allocatable, resource) / 1000;
        if (!e.nodes.count(name))
            continue;
        e.product[name] = str(*node, {"metadata", "labels", "nvidia.com/gpu.product"});
        e.nodePool[name] = str(*node, {"metadata", "labels", "cloud.google.com/gke-nodepool"});
        e.taints[name] = {};
        for (const Json &t : node->value("spec", Json::object()).value("taints", Json::array()))
            e.taints[name] << QStringLiteral("%1=%2:%3")
                                  .arg(QString::fromStdString(t.value("key", "")),
                                       QString::fromStdString(t.value("value", "")),
                                       QString::fromStdString(t.value("effect", "")));
    }
    for (const auto &pod : store.list(kd::sandbox::resourceType("v1", "Pod"))) {
        const sem::ResourceList requests = sem::podRequests(*pod);
        bool asksForGpu = false;
        for (const auto &[resource, milli] : requests)
            asksForGpu = asksForGpu || (sem::isGpuResource(resource) && milli > 0);
        if (!asksForGpu)
            continue;
        const QString nodeName = str(*pod, {"spec", "nodeName"});
        if (nodeName.isEmpty()) {
            if (!sem::isTerminatedPod(*pod) && !(*pod)["metadata"].contains("deletionTimestamp"))
                e.pending << str(*pod, {"metadata", "namespace"}) + u'/' +
                                 str(*pod, {"metadata", "name"});
            continue;
        }
        if (!sem::holdsNodeResources(*pod))
            continue;
        for (const auto &[resource, milli] : requests) {
            if (!sem::isGpuResource(resource) || milli <= 0)
                continue;
            Use &use = e.nodes[nodeName][QString::fromStdString(resource)];
            use.used += milli / 1000;
            auto &owner = use.owners[ownerOf(store, *pod)];
            owner.first += milli / 1000;
            ++owner.second;
        }
    }
    return e;
}

// A section of the table output: the header row's words start the columns.
struct Section {
    QStringList columns;
    std::vector<qsizetype> starts;
    std::vector<QStringList> rows;
    QStringList details; // indented lines under the rows
};

// Cuts every section (separated by blank lines) into cells at the header's column starts.
std::vector<Section> parseTable(const QString &text) {
    std::vector<Section> sections;
    Section *current = nullptr;
    for (const QString &line : text.split(u'\n')) {
        if (line.isEmpty()) {
            current = nullptr;
            continue;
        }
        if (!current) {
            current = &sections.emplace_back();
            static const QRegularExpression word(QStringLiteral("(\\S+(?: \\S+)*)"));
            for (auto it = word.globalMatch(line); it.hasNext();) {
                const auto m = it.next();
                current->columns << m.captured(1);
                current->starts.push_back(m.capturedStart(1));
            }
            continue;
        }
        if (line.startsWith(QLatin1String("  "))) {
            current->details << line.trimmed();
            continue;
        }
        QStringList cells;
        for (std::size_t i = 0; i < current->starts.size(); ++i) {
            const qsizetype from = current->starts[i];
            const qsizetype to = i + 1 < current->starts.size() ? current->starts[i + 1] : -1;
            cells << line.mid(from, to < 0 ? -1 : to - from).trimmed();
        }
        current->rows.push_back(cells);
    }
    return sections;
}

QStringList words(std::initializer_list<const char *> list) {
    QStringList out;
    for (const char *w : list)
        out << QString::fromLatin1(w);
    return out;
}

// The PODS cell's parts, "ns/owner=units (n pods)", sorted.
QStringList ownerParts(const QString &cell) {
    QStringList parts = cell.split(QStringLiteral(", "));
    parts.sort();
    return parts;
}

QStringList ownersText(const Use &use) {
    if (use.owners.empty())
        return {QStringLiteral("-")};
    QStringList parts;
    for (const auto &[owner, units] : use.owners)
        parts << QStringLiteral("%1=%2 (%3 %4)")
                     .arg(owner)
                     .arg(units.first)
                     .arg(units.second)
                     .arg(units.second == 1 ? QStringLiteral("pod") : QStringLiteral("pods"));
    parts.sort();
    return parts;
}

} // namespace

class TstGpusCommand final : public QObject {
    Q_OBJECT

    std::unique_ptr<kd::testing::SandboxFixture> m_sandbox;
    QTemporaryDir m_home;

    Run kubedeck(const QStringList &args) {
        return kd::testing::runKubedeck(QStringList{QStringLiteral("gpus")} + args, m_home.path());
    }

    // Runs against the sandbox while its GPU holders stay put, and what it must show.
    std::pair<Run, Expected> settledRun(const QStringList &more) {
        const QStringList args =
            QStringList{QStringLiteral("--kubeconfig"), m_sandbox->kubeconfigPath()} + more;
        for (int attempt = 0;; ++attempt) {
            const Expected before = expectedFrom(m_sandbox->cluster().store());
            Run r = kubedeck(args);
            if (before == expectedFrom(m_sandbox->cluster().store()) || attempt == 4)
                return {std::move(r), before};
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(QFile::exists(QStringLiteral(KD_BINARY_DIR "/app/kubedeck")));
        m_sandbox = std::make_unique<kd::testing::SandboxFixture>(
            kd::testing::SandboxFixture::Options{"ml-serving", 1.0, true});
        // The scenario as its comments tell it: A100s, an H100 in MIG slices, a full T4 pool
        // and the recommender's surge pod waiting for a fourth T4.
        const Expected e = expectedFrom(m_sandbox->cluster().store());
        QCOMPARE(e.nodes.size(), std::size_t(6));
        bool migNode = false;
        for (const auto &[node, resources] : e.nodes)
            migNode = migNode || resources.count(QStringLiteral("nvidia.com/mig-1g.10gb"));
        QVERIFY(migNode);
        QVERIFY2(e.pending.size() == 1 &&
                     e.pending.first().startsWith(QLatin1String("ml-serving/recommender-")),
                 qPrintable(e.pending.join(u' ')));
    }

    void table() {
        const auto [r, e] = settledRun({});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString text = QString::fromUtf8(r.out);
        const std::vector<Section> sections = parseTable(text);
        QVERIFY2(sections.size() == 3, qPrintable(text));

        const Section &nodes = sections[0];
        QCOMPARE(nodes.columns, words({"NODE", "POOL", "PRODUCT", "RESOURCE", "USED/ALLOC", "FREE",
                                       "STATE", "PODS"}));
        std::size_t expectedRows = 0;
        for (const auto &[node, resources] : e.nodes) {
            expectedRows += resources.size();
            for (const auto &[resource, use] : resources) {
                const auto row =
                    std::find_if(nodes.rows.begin(), nodes.rows.end(), [&](const QStringList &c) {
                        return c[0] == node && c[3] == resource;
                    });
                QVERIFY2(row != nodes.rows.end(), qPrintable(node + u' ' + resource));
                QCOMPARE((*row)[2],
                         e.product.at(node).isEmpty() ? QStringLiteral("-") : e.product.at(node));
                QCOMPARE((*row)[4], QStringLiteral("%1/%2").arg(use.used).arg(use.allocatable));
                QCOMPARE((*row)[5], QString::number(use.free()));
                QVERIFY2((*row)[6].startsWith(QLatin1String("Ready")), qPrintable((*row)[6]));
                for (const QString &taint : e.taints.at(node))
                    QVERIFY2((*row)[6].contains(taint), qPrintable((*row)[6]));
                QCOMPARE(ownerParts((*row)[7]), ownersText(use));
            }
        }
        QCOMPARE(nodes.rows.size(), expectedRows);

        // The MIG node: one row per profile, each with its own count.
        int migRows = 0;
        for (const QStringList &row : nodes.rows)
            if (row[3].startsWith(QLatin1String("nvidia.com/mig-")))
                ++migRows;
        QCOMPARE(migRows, 3);

        // Pools (GPU products by default): the sums of their nodes.
        const Section &pools = sections[1];
        QCOMPARE(pools.columns, words({"POOL", "PRODUCT", "RESOURCE", "NODES", "USED/ALLOC", "FREE",
                                       "FRAGMENTATION"}));
        std::map<std::pair<QString, QString>, Use> byProduct;
        std::map<std::pair<QString, QString>, int> nodeCount;
        for (const auto &[node, resources] : e.nodes)
            for (const auto &[resource, use] : resources) {
                Use &sum = byProduct[{e.product.at(node), resource}];
                sum.allocatable += use.allocatable;
                sum.used += use.used;
                ++nodeCount[{e.product.at(node), resource}];
            }
        QCOMPARE(pools.rows.size(), byProduct.size());
        for (const QStringList &row : pools.rows) {
            const std::pair<QString, QString> key{row[1], row[2]};
            QVERIFY2(byProduct.count(key), qPrintable(row.join(u'|')));
            QCOMPARE(row[0], row[1]);
            QCOMPARE(row[3], QString::number(nodeCount[key]));
            QCOMPARE(
                row[4],
                QStringLiteral("%1/%2").arg(byProduct[key].used).arg(byProduct[key].allocatable));
            QVERIFY(!row[6].isEmpty());
        }
        const QStringList t4 =
            *std::find_if(pools.rows.begin(), pools.rows.end(),
                          [](const QStringList &c) { return c[1] == QLatin1String("Tesla-T4"); });
        QCOMPARE(t4[4], QStringLiteral("3/3"));
        QCOMPARE(t4[6], QStringLiteral("none free"));

        // The recommender's surge pod waits for a T4.
        const Section &pending = sections[2];
        QCOMPARE(pending.columns, words({"PENDING GPU PODS", "OWNER", "REQUEST"}));
        QCOMPARE(pending.rows.size(), std::size_t(e.pending.size()));
        QCOMPARE(pending.rows[0][0], e.pending.first());
        QCOMPARE(pending.rows[0][1], QStringLiteral("Deployment/recommender"));
        QCOMPARE(pending.rows[0][2], QStringLiteral("1 nvidia.com/gpu"));
        QCOMPARE(pending.details.size(), 2);
        QVERIFY2(pending.details[0].startsWith(QLatin1String("why:")) &&
                     pending.details[0].contains(QLatin1String("nvidia.com/gpu")),
                 qPrintable(pending.details[0]));
        QVERIFY2(pending.details[1].startsWith(QLatin1String("scheduler:")) &&
                     pending.details[1].contains(QLatin1String("nvidia.com/gpu")),
                 qPrintable(pending.details[1]));
    }

    void json() {
        const auto [r, e] = settledRun({QStringLiteral("-o"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonParseError parseError;
        const QJsonObject doc = QJsonDocument::fromJson(r.out, &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError,
                 qPrintable(parseError.errorString()));
        QVERIFY(doc.value(QLatin1String("poolLabel")).isNull());

        const QJsonArray nodes = doc.value(QLatin1String("nodes")).toArray();
        QCOMPARE(std::size_t(nodes.size()), e.nodes.size());
        for (const QJsonValue &v : nodes) {
            const QJsonObject node = v.toObject();
            const QString name = node.value(QLatin1String("name")).toString();
            QVERIFY2(e.nodes.count(name), qPrintable(name));
            QCOMPARE(node.value(QLatin1String("product")).toString(), e.product.at(name));
            QCOMPARE(node.value(QLatin1String("ready")).toBool(), true);
            QCOMPARE(node.value(QLatin1String("cordoned")).toBool(), false);
            QVERIFY(node.value(QLatin1String("gpuCount")).isDouble());
            QStringList taints;
            for (const QJsonValue &t : node.value(QLatin1String("taints")).toArray())
                taints << t.toString();
            QCOMPARE(taints, e.taints.at(name));
            const QJsonArray resources = node.value(QLatin1String("resources")).toArray();
            QCOMPARE(std::size_t(resources.size()), e.nodes.at(name).size());
            for (const QJsonValue &rv : resources) {
                const QJsonObject res = rv.toObject();
                const QString resource = res.value(QLatin1String("resource")).toString();
                QVERIFY2(e.nodes.at(name).count(resource), qPrintable(resource));
                const Use &use = e.nodes.at(name).at(resource);
                for (const char *field : {"capacity", "allocatable", "used", "free"})
                    QVERIFY2(res.value(QLatin1String(field)).isDouble(), field);
                QCOMPARE(res.value(QLatin1String("allocatable")).toInteger(), use.allocatable);
                QCOMPARE(res.value(QLatin1String("used")).toInteger(), use.used);
                QCOMPARE(res.value(QLatin1String("free")).toInteger(), use.free());
                qint64 held = 0;
                for (const QJsonValue &h : res.value(QLatin1String("holders")).toArray())
                    held += h.toObject().value(QLatin1String("units")).toInteger();
                QCOMPARE(held, use.used);
            }
        }

        qint64 poolsUsed = 0, nodesUsed = 0;
        for (const QJsonValue &v : doc.value(QLatin1String("pools")).toArray()) {
            const QJsonObject pool = v.toObject();
            QVERIFY(pool.value(QLatin1String("nodes")).isDouble());
            QVERIFY(pool.value(QLatin1String("fragmented")).isBool());
            QVERIFY(!pool.value(QLatin1String("fragmentation")).toString().isEmpty());
            poolsUsed += pool.value(QLatin1String("used")).toInteger();
        }
        for (const auto &[node, resources] : e.nodes)
            for (const auto &[resource, use] : resources)
                nodesUsed += use.used;
        QCOMPARE(poolsUsed, nodesUsed);

        const QJsonArray pending = doc.value(QLatin1String("pending")).toArray();
        QCOMPARE(pending.size(), e.pending.size());
        const QJsonObject stuck = pending.first().toObject();
        QCOMPARE(stuck.value(QLatin1String("namespace")).toString() + u'/' +
                     stuck.value(QLatin1String("pod")).toString(),
                 e.pending.first());
        QCOMPARE(stuck.value(QLatin1String("ownerKind")).toString(), QStringLiteral("Deployment"));
        QCOMPARE(stuck.value(QLatin1String("ownerName")).toString(), QStringLiteral("recommender"));
        QCOMPARE(stuck.value(QLatin1String("resource")).toString(),
                 QStringLiteral("nvidia.com/gpu"));
        QVERIFY(stuck.value(QLatin1String("units")).isDouble());
        QCOMPARE(stuck.value(QLatin1String("units")).toInteger(), 1);
        QCOMPARE(stuck.value(QLatin1String("fitsNow")).toBool(), false);
        QVERIFY(stuck.value(QLatin1String("explanation"))
                    .toString()
                    .contains(QLatin1String("nvidia.com/gpu")));
    }

    // Pools named by a node label: GKE's node pools.
    void poolLabel() {
        const auto [r, e] = settledRun({QStringLiteral("-o"), QStringLiteral("json"),
                                        QStringLiteral("--pool-label"),
                                        QStringLiteral("cloud.google.com/gke-nodepool")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc.value(QLatin1String("poolLabel")).toString(),
                 QStringLiteral("cloud.google.com/gke-nodepool"));
        for (const QJsonValue &v : doc.value(QLatin1String("nodes")).toArray()) {
            const QJsonObject node = v.toObject();
            QCOMPARE(node.value(QLatin1String("pool")).toString(),
                     e.nodePool.at(node.value(QLatin1String("name")).toString()));
        }
        QStringList pools;
        for (const QJsonValue &v : doc.value(QLatin1String("pools")).toArray())
            pools << v.toObject().value(QLatin1String("pool")).toString();
        pools.removeDuplicates();
        QCOMPARE(pools, words({"a100-pool", "h100-mig-pool", "t4-pool"}));
    }

    void help() {
        const Run r = kubedeck({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY2(text.startsWith(QLatin1String("Usage: kubedeck gpus [options]")),
                 qPrintable(text));
        for (const char *option : {"--kubeconfig", "--context", "--output", "--pool-label"})
            QVERIFY2(text.contains(QLatin1String(option)), option);
        const Run top = kd::testing::runKubedeck({QStringLiteral("--help")}, m_home.path());
        QCOMPARE(top.exitCode, 0);
        QVERIFY(top.out.contains("\n  gpus "));
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("-o yaml") << QStringList{QStringLiteral("-o"), QStringLiteral("yaml")}
                                 << QStringLiteral("-o must be table or json, not 'yaml'");
        QTest::newRow("positional") << QStringList{QStringLiteral("nodes")}
                                    << QStringLiteral("unexpected argument 'nodes'");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("empty pool label") << QStringList{QStringLiteral("--pool-label=")}
                                          << QStringLiteral("--pool-label needs a label name");
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = kubedeck(
            QStringList{QStringLiteral("--kubeconfig"), m_sandbox->kubeconfigPath()} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QLatin1String("kubedeck gpus: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void unreachable() {
        const QString path = kd::testing::writeUnreachableKubeconfig(*m_sandbox);
        QVERIFY(!path.isEmpty());
        const Run r = kubedeck({QStringLiteral("--kubeconfig"), path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("kubedeck gpus: the cluster at %1 is unreachable")
                                      .arg(QLatin1String(kd::testing::kUnreachableServer))),
                 qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void missingKubeconfig() {
        const Run r =
            kubedeck({QStringLiteral("--kubeconfig"),
                      QDir(m_sandbox->tempDir()).filePath(QStringLiteral("no-such-kubeconfig"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("does not exist")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstGpusCommand)
#include "tst_gpuscommand.moc"
