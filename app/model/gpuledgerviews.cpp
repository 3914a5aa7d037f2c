// GpuLedger's views: the per-node and per-pool tables and the Pending GPU pods with their
// explanations, built from the ledger's state when first asked for after a change.

#include "model/display.h"
#include "model/gpuledger.h"
#include "semantics/gpufit.h"
#include "semantics/jsonpath.h"
#include "semantics/resources.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace kd::model {

using kube::Json;
using semantics::jsonAt;

namespace {

GpuNode nodeHeader(const Json &node, const semantics::NodeState &state, const QString &poolLabel) {
    GpuNode g;
    g.name = jsonString(node, {"metadata", "name"});
    const Json &labels = jsonAt(node, {"metadata", "labels"});
    auto label = [&](const char *key) {
        const Json &v = jsonAt(labels, {key});
        return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString();
    };
    g.product = label("nvidia.com/gpu.product");
    g.memoryMiB = label("nvidia.com/gpu.memory").toLongLong();
    g.gpuCount = label("nvidia.com/gpu.count").toLongLong();
    g.migStrategy = label("nvidia.com/mig.strategy");
    g.ready = nodeStatusText(node).startsWith(QLatin1String("Ready"));
    g.unschedulable = state.unschedulable;
    for (const semantics::Taint &t : state.taints)
        if (t.effect == "NoSchedule" || t.effect == "NoExecute")
            g.taints << QString::fromStdString(semantics::taintText(t));
    if (!poolLabel.isEmpty()) {
        const Json &v = jsonAt(labels, {poolLabel.toStdString().c_str()});
        g.pool = v.is_string() ? QString::fromStdString(v.get<std::string>())
                               : QStringLiteral("(no %1)").arg(poolLabel);
    } else {
        g.pool = g.product.isEmpty() ? QStringLiteral("(unknown GPU product)") : g.product;
    }
    return g;
}

// A pod's revision among its Deployment's ReplicaSets ("" when it has none).
std::string revisionOf(const semantics::PodNeeds &pod) {
    auto it = pod.labels.find("pod-template-hash");
    return it == pod.labels.end() ? std::string() : it->second;
}

// What one Deployment's bound pods hold, per revision.
using HeldByRevision = std::map<std::string, semantics::ResourceList>;

// For a pod of a Deployment's new revision that cannot get a GPU while the old revisions' pods
// hold them: the rolling-update deadlock, with what resolves it.
QString rolloutHint(const HeldByRevision &held, const std::string &revision,
                    const std::string &resource) {
    std::int64_t milli = 0;
    for (const auto &[r, requests] : held)
        if (r != revision)
            milli += semantics::amountOf(requests, resource);
    if (milli == 0)
        return {};
    return QStringLiteral("; %1 %2 are held by the Deployment's older pods, which a rolling "
                          "update removes only after this pod is ready: it waits forever unless "
                          "maxSurge is 0 or the strategy is Recreate")
        .arg(semantics::wholeUnits(milli))
        .arg(QString::fromStdString(resource));
}

} // namespace

void GpuLedger::buildViews() const {
    m_nodeView.clear();
    m_poolView.clear();
    for (const auto &[name, entry] : m_nodes) {
        const semantics::ResourceList &capacity = entry.capacity;
        const semantics::ResourceList &allocatable = entry.state.allocatable; // else capacity
        std::map<std::string, GpuResourceUse> uses;
        for (const auto *list : {&capacity, &allocatable})
            for (const auto &[resource, amount] : *list)
                if (amount > 0 && semantics::isGpuResource(resource))
                    uses[resource].resource = QString::fromStdString(resource);
        auto on = m_onNode.find(name);
        if (on != m_onNode.end())
            for (const auto &[key, uid] : on->second.pods) {
                const PodEntry &p = *m_pods.find(uid);
                for (const semantics::GpuNeed &need : semantics::gpuNeeds(p.needs.requests)) {
                    GpuResourceUse &use = uses[need.resource];
                    use.resource = QString::fromStdString(need.resource);
                    use.used += need.units;
                    use.holders.push_back(
                        {p.namespaceName, p.name, p.ownerKind, p.ownerName, need.units});
                }
            }
        if (uses.empty())
            continue;
        GpuNode g = nodeHeader(entry.object->json(), entry.state, m_poolLabel);
        for (auto &[resource, use] : uses) {
            use.capacity = semantics::wholeUnits(semantics::amountOf(capacity, resource));
            use.allocatable = semantics::wholeUnits(semantics::amountOf(allocatable, resource));
            g.resources.push_back(std::move(use)); // holders are in "ns/name" order already
        }
        m_nodeView.push_back(std::move(g));
    }
    std::stable_sort(m_nodeView.begin(), m_nodeView.end(), [](const GpuNode &a, const GpuNode &b) {
        return std::tie(a.pool, a.name) < std::tie(b.pool, b.name);
    });

    std::map<std::pair<QString, QString>, GpuPoolUse> pools;
    for (const GpuNode &n : m_nodeView)
        for (const GpuResourceUse &use : n.resources) {
            GpuPoolUse &p = pools[{n.pool, use.resource}];
            if (p.nodes == 0) {
                p.pool = n.pool;
                p.resource = use.resource;
                p.product = n.product;
            } else if (p.product != n.product) {
                p.product = QStringLiteral("mixed");
            }
            ++p.nodes;
            p.allocatable += use.allocatable;
            p.used += use.used;
            p.free += use.free();
            if (!n.schedulable())
                continue;
            p.freeSchedulable += use.free();
            if (use.free() > p.largestFreeBlock) {
                p.largestFreeBlock = use.free();
                p.largestFreeNode = n.name;
            }
        }
    for (auto &[key, p] : pools)
        m_poolView.push_back(std::move(p));
    m_viewsDirty = false;
}

void GpuLedger::buildPending() const {
    struct Row {
        PendingGpuPod pod;
        QString uid;
    };
    std::vector<Row> rows;
    std::vector<semantics::NodeState> view;
    bool haveView = false;
    // Pods of one ReplicaSet (one owner and pod-template-hash) are alike: explained once.
    QHash<QString, std::pair<semantics::GpuFitExplanation, QString>> explained;
    // Per Deployment ("ns/name"), what its bound pods hold per revision, for the rollout hint.
    QHash<QString, HeldByRevision> held;
    bool haveHeld = false;
    for (auto it = m_pods.cbegin(); it != m_pods.cend(); ++it) {
        const PodEntry &p = *it;
        if (!p.pending)
            continue;
        const std::vector<semantics::GpuNeed> needs = semantics::gpuNeeds(p.needs.requests);
        if (needs.empty())
            continue;
        if (!haveView) {
            view = schedulerView();
            haveView = true;
        }
        const std::string revision = revisionOf(p.needs);
        const QString group = revision.empty()
                                  ? p.key
                                  : p.namespaceName + u'/' + p.ownerKind + u'/' + p.ownerName +
                                        u'#' + QString::fromStdString(revision);
        auto cached = explained.find(group);
        if (cached == explained.end()) {
            semantics::GpuFitExplanation why = semantics::explainGpuFit(p.needs, view);
            QString text = QString::fromStdString(why.text);
            if (!why.fits && !why.need.resource.empty() &&
                p.ownerKind == QLatin1String("Deployment")) {
                if (!haveHeld) { // one pass over the pods, only when a hint may be due
                    for (const PodEntry &q : m_pods)
                        if (q.holds && q.ownerKind == QLatin1String("Deployment"))
                            semantics::addResources(
                                held[q.namespaceName + u'/' + q.ownerName][revisionOf(q.needs)],
                                q.needs.requests);
                    haveHeld = true;
                }
                text += rolloutHint(held.value(p.namespaceName + u'/' + p.ownerName), revision,
                                    why.need.resource);
            }
            cached = explained.insert(group, {std::move(why), std::move(text)});
        }
        const semantics::GpuFitExplanation &why = cached->first;
        Row row;
        row.uid = it.key();
        PendingGpuPod &out = row.pod;
        out.namespaceName = p.namespaceName;
        out.pod = p.name;
        out.ownerKind = p.ownerKind;
        out.ownerName = p.ownerName;
        const semantics::GpuNeed &shown = why.need.resource.empty() ? needs.front() : why.need;
        out.resource = QString::fromStdString(shown.resource);
        out.units = shown.units;
        out.schedulerMessage = schedulerMessage(p);
        out.explanation = cached->second;
        out.fitsNow = why.fits;
        out.fitsOn = QString::fromStdString(why.fitsOn);
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        return std::tie(a.pod.namespaceName, a.pod.pod) < std::tie(b.pod.namespaceName, b.pod.pod);
    });
    m_pendingView.clear();
    m_pendingUids.clear();
    for (Row &r : rows) {
        m_pendingView.push_back(std::move(r.pod));
        m_pendingUids.push_back(std::move(r.uid));
    }
}

} // namespace kd::model
