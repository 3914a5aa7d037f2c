#include "cli/gpuscommand.h"

#include "cli/clusterlist.h"
#include "cli/commandline.h"

#include "kube/kubeobject.h"
#include "model/gpuledger.h"
#include "model/objectstore.h"

#include <QCommandLineParser>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace kd::cli {

namespace {

// What the ledger reads: GPUs and taints of nodes, requests of pods, the Deployment over a
// pod's ReplicaSet, and FailedScheduling events for the scheduler's last word.
const QStringList kKindKeys{
    QStringLiteral("nodes"),
    QStringLiteral("pods"),
    QStringLiteral("replicasets.apps"),
    QStringLiteral("events"),
};

// Without these the ledger is still right, only less helpful: owners are named from the
// pod-template-hash, and the scheduler's message comes from the pod's PodScheduled condition.
const QStringList kMayBeForbidden{
    QStringLiteral("replicasets.apps"),
    QStringLiteral("events"),
};

// Rows of cells printed in columns, each as wide as its widest cell plus three spaces (as
// kubectl does); the last cell of a row is not padded. A row may be a detail line that spans
// the table and does not count towards the widths.
class TextTable final {
public:
    void addRow(QStringList cells) { m_rows.push_back({std::move(cells), false}); }
    void addLine(const QString &line) { m_rows.push_back({{line}, true}); }

    QString text() const {
        std::vector<qsizetype> widths;
        for (const Row &row : m_rows) {
            if (row.spans)
                continue;
            widths.resize(std::max(widths.size(), std::size_t(row.cells.size())));
            for (qsizetype i = 0; i < row.cells.size(); ++i)
                widths[std::size_t(i)] = std::max(widths[std::size_t(i)], row.cells[i].size());
        }
        QString out;
        for (const Row &row : m_rows) {
            QString line;
            for (qsizetype i = 0; i < row.cells.size(); ++i) {
                line += row.cells[i];
                if (!row.spans && i + 1 < row.cells.size())
                    line += QString(widths[std::size_t(i)] - row.cells[i].size() + 3, u' ');
            }
            out += line + u'\n';
        }
        return out;
    }

private:
    struct Row {
        QStringList cells;
        bool spans = false;
    };
    std::vector<Row> m_rows;
};

QString usedOfAllocatable(qint64 used, qint64 allocatable) {
    return QStringLiteral("%1/%2").arg(used).arg(allocatable);
}

// "Ready", "NotReady, Cordoned", "Ready, Tainted nvidia.com/gpu=present:NoSchedule".
QString nodeState(const model::GpuNode &node) {
    QStringList parts{node.ready ? QStringLiteral("Ready") : QStringLiteral("NotReady")};
    if (node.unschedulable)
        parts << QStringLiteral("Cordoned");
    if (!node.taints.isEmpty())
        parts << QStringLiteral("Tainted ") + node.taints.join(u',');
    return parts.join(QStringLiteral(", "));
}

// Per owning workload, its units and pods, in the holders' order (namespace, then pod):
// "ml-serving/llm-server=8 (2 pods), ml-serving/churn-predictor=1 (1 pod)".
QString holdersSummary(const std::vector<model::GpuHolder> &holders) {
    struct Owner {
        QString name;
        qint64 units = 0;
        int pods = 0;
    };
    std::vector<Owner> owners;
    for (const model::GpuHolder &h : holders) {
        const QString name = h.namespaceName + u'/' + h.ownerName;
        auto it = std::find_if(owners.begin(), owners.end(),
                               [&](const Owner &o) { return o.name == name; });
        if (it == owners.end())
            it = owners.insert(owners.end(), Owner{name});
        it->units += h.units;
        ++it->pods;
    }
    QStringList parts;
    for (const Owner &o : owners)
        parts << QStringLiteral("%1=%2 (%3 %4)")
                     .arg(o.name)
                     .arg(o.units)
                     .arg(o.pods)
                     .arg(o.pods == 1 ? QStringLiteral("pod") : QStringLiteral("pods"));
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QStringLiteral(", "));
}

QString orDash(const QString &text) {
    return text.isEmpty() ? QStringLiteral("-") : text;
}

std::string utf8(const QString &text) {
    return text.toStdString();
}

int usageError(const QString &message) {
    return cli::usageError("gpus", message);
}

bool hasLabel(const kube::Json &object, const std::string &label) {
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object())
        return false;
    const auto labels = metadata->find("labels");
    return labels != metadata->end() && labels->is_object() && labels->contains(label);
}

// A pool label no GPU node carries groups nothing: say so, and which labels would.
void checkPoolLabel(const ClusterList &cluster, const model::GpuLedger &ledger,
                    const model::ObjectStore &store) {
    const QString label = ledger.poolLabel();
    if (label.isEmpty() || ledger.nodes().empty())
        return;
    for (const model::GpuNode &node : ledger.nodes()) {
        const kube::ObjectPtr object = store.get(QStringLiteral("nodes"), {}, node.name);
        if (object && hasLabel(object->json(), utf8(label)))
            return;
    }
    const QStringList candidates = ledger.poolLabelCandidates();
    cluster.warn(QStringLiteral("no GPU node carries the label \"%1\"%2")
                     .arg(label, candidates.isEmpty()
                                     ? QString()
                                     : QStringLiteral("; labels that name pools: ") +
                                           candidates.join(QStringLiteral(", "))));
}

} // namespace

QByteArray gpuLedgerTable(const model::GpuLedger &ledger) {
    QString out;
    if (ledger.nodes().empty()) {
        out += QStringLiteral("No node offers a GPU resource.\n");
    } else {
        TextTable nodes;
        nodes.addRow({QStringLiteral("NODE"), QStringLiteral("POOL"), QStringLiteral("PRODUCT"),
                      QStringLiteral("RESOURCE"), QStringLiteral("USED/ALLOC"),
                      QStringLiteral("FREE"), QStringLiteral("STATE"), QStringLiteral("PODS")});
        for (const model::GpuNode &node : ledger.nodes())
            for (const model::GpuResourceUse &use : node.resources)
                nodes.addRow({node.name, orDash(node.pool), orDash(node.product), use.resource,
                              usedOfAllocatable(use.used, use.allocatable),
                              QString::number(use.free()), nodeState(node),
                              holdersSummary(use.holders)});
        out += nodes.text();

        TextTable pools;
        pools.addRow({QStringLiteral("POOL"), QStringLiteral("PRODUCT"), QStringLiteral("RESOURCE"),
                      QStringLiteral("NODES"), QStringLiteral("USED/ALLOC"), QStringLiteral("FREE"),
                      QStringLiteral("FRAGMENTATION")});
        for (const model::GpuPoolUse &pool : ledger.pools())
            pools.addRow({orDash(pool.pool), orDash(pool.product), pool.resource,
                          QString::number(pool.nodes),
                          usedOfAllocatable(pool.used, pool.allocatable),
                          QString::number(pool.free), pool.fragmentationText()});
        out += u'\n' + pools.text();
    }

    out += u'\n';
    if (ledger.pendingPods().empty()) {
        out += QStringLiteral("PENDING GPU PODS: none\n");
    } else {
        TextTable pending;
        pending.addRow({QStringLiteral("PENDING GPU PODS"), QStringLiteral("OWNER"),
                        QStringLiteral("REQUEST")});
        for (const model::PendingGpuPod &pod : ledger.pendingPods()) {
            pending.addRow({pod.namespaceName + u'/' + pod.pod,
                            pod.ownerKind + u'/' + pod.ownerName,
                            QStringLiteral("%1 %2").arg(pod.units).arg(pod.resource)});
            pending.addLine(QStringLiteral("  why:       ") + orDash(pod.explanation));
            pending.addLine(QStringLiteral("  scheduler: ") +
                            (pod.schedulerMessage.isEmpty()
                                 ? QStringLiteral("has not tried to place it yet")
                                 : pod.schedulerMessage));
        }
        out += pending.text();
    }
    return out.toUtf8();
}

QByteArray gpuLedgerJson(const model::GpuLedger &ledger) {
    kube::Json doc = kube::Json::object();
    doc["poolLabel"] =
        ledger.poolLabel().isEmpty() ? kube::Json(nullptr) : kube::Json(utf8(ledger.poolLabel()));

    kube::Json nodes = kube::Json::array();
    for (const model::GpuNode &node : ledger.nodes()) {
        kube::Json taints = kube::Json::array();
        for (const QString &taint : node.taints)
            taints.push_back(utf8(taint));
        kube::Json resources = kube::Json::array();
        for (const model::GpuResourceUse &use : node.resources) {
            kube::Json holders = kube::Json::array();
            for (const model::GpuHolder &h : use.holders)
                holders.push_back({{"namespace", utf8(h.namespaceName)},
                                   {"pod", utf8(h.pod)},
                                   {"ownerKind", utf8(h.ownerKind)},
                                   {"ownerName", utf8(h.ownerName)},
                                   {"units", h.units}});
            resources.push_back({{"resource", utf8(use.resource)},
                                 {"capacity", use.capacity},
                                 {"allocatable", use.allocatable},
                                 {"used", use.used},
                                 {"free", use.free()},
                                 {"holders", std::move(holders)}});
        }
        nodes.push_back({{"name", utf8(node.name)},
                         {"pool", utf8(node.pool)},
                         {"product", utf8(node.product)},
                         {"memoryMiB", node.memoryMiB},
                         {"gpuCount", node.gpuCount},
                         {"migStrategy", utf8(node.migStrategy)},
                         {"ready", node.ready},
                         {"cordoned", node.unschedulable},
                         {"taints", std::move(taints)},
                         {"resources", std::move(resources)}});
    }
    doc["nodes"] = std::move(nodes);

    kube::Json pools = kube::Json::array();
    for (const model::GpuPoolUse &pool : ledger.pools())
        pools.push_back({{"pool", utf8(pool.pool)},
                         {"product", utf8(pool.product)},
                         {"resource", utf8(pool.resource)},
                         {"nodes", pool.nodes},
                         {"allocatable", pool.allocatable},
                         {"used", pool.used},
                         {"free", pool.free},
                         {"freeSchedulable", pool.freeSchedulable},
                         {"largestFreeBlock", pool.largestFreeBlock},
                         {"largestFreeNode", utf8(pool.largestFreeNode)},
                         {"fragmented", pool.fragmented()},
                         {"fragmentation", utf8(pool.fragmentationText())}});
    doc["pools"] = std::move(pools);

    kube::Json pending = kube::Json::array();
    for (const model::PendingGpuPod &pod : ledger.pendingPods())
        pending.push_back({{"namespace", utf8(pod.namespaceName)},
                           {"pod", utf8(pod.pod)},
                           {"ownerKind", utf8(pod.ownerKind)},
                           {"ownerName", utf8(pod.ownerName)},
                           {"resource", utf8(pod.resource)},
                           {"units", pod.units},
                           {"schedulerMessage", utf8(pod.schedulerMessage)},
                           {"explanation", utf8(pod.explanation)},
                           {"fitsNow", pod.fitsNow},
                           {"fitsOn", utf8(pod.fitsOn)}});
    doc["pending"] = std::move(pending);
    return QByteArray::fromStdString(doc.dump(2) + "\n");
}

int runGpus(const QStringList &arguments) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Prints who holds which GPUs: per node and GPU resource (nvidia.com/gpu, each "
        "nvidia.com/mig-* profile, amd.com/gpu) the units used of those allocatable and by which "
        "workloads, cordoned and tainted nodes, each pool's totals and fragmentation, and every "
        "Pending pod that asks for a GPU with the reason it waits. Lists each kind once, in "
        "every namespace."));
    p.addHelpOption();
    const QCommandLineOption kubeconfig =
        option({QStringLiteral("kubeconfig")},
               "Read this kubeconfig only (default: $KUBECONFIG, else ~/.kube/config).", "file");
    const QCommandLineOption context =
        option({QStringLiteral("context")},
               "Use this context (default: the kubeconfig's current-context).", "name");
    const QCommandLineOption output = option({QStringLiteral("o"), QStringLiteral("output")},
                                             "table or json.", "format", "table");
    const QCommandLineOption poolLabel =
        option({QStringLiteral("pool-label")},
               "The node label whose value names a node's pool, e.g. "
               "cloud.google.com/gke-nodepool (default: pools are GPU products).",
               "label");
    for (const auto &o : {kubeconfig, context, output, poolLabel})
        p.addOption(o);
    if (auto done = parseOrExit(p, arguments, "gpus"))
        return *done;
    const QString format = p.value(output);
    if (format != QLatin1String("table") && format != QLatin1String("json"))
        return usageError(QStringLiteral("-o must be table or json, not '%1'").arg(format));
    if (p.isSet(poolLabel) && p.value(poolLabel).trimmed().isEmpty())
        return usageError(QStringLiteral("--pool-label needs a label name"));

    ClusterList cluster("gpus");
    if (auto failed = cluster.connect(p.value(kubeconfig), p.value(context)))
        return *failed;
    model::ObjectStore store;
    if (auto failed = cluster.list(kKindKeys, {}, store, kMayBeForbidden))
        return *failed;

    model::GpuLedger ledger(&store);
    ledger.setPoolLabel(p.value(poolLabel).trimmed());
    ledger.rebuild(store);
    checkPoolLabel(cluster, ledger, store);

    const QByteArray text =
        format == QLatin1String("json") ? gpuLedgerJson(ledger) : gpuLedgerTable(ledger);
    std::fwrite(text.constData(), 1, std::size_t(text.size()), stdout);
    std::fflush(stdout);
    return 0;
}

} // namespace kd::cli
