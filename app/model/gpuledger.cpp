#include "model/gpuledger.h"

#include "model/display.h"
#include "model/objects.h"
#include "semantics/gpufit.h"
#include "semantics/jsonpath.h"
#include "semantics/resources.h"

#include <QSet>

#include <algorithm>
#include <tuple>

namespace kd::model {

using kube::Json;
using kube::ObjectPtr;
using semantics::jsonAt;

namespace {

const QString kNodes = QStringLiteral("nodes");
const QString kPods = QStringLiteral("pods");
const QString kEvents = QStringLiteral("events");
const QString kReplicaSets = QStringLiteral("replicasets.apps");

// Node labels that name node pools on the managed Kubernetes offerings and with autoscalers.
const QStringList kKnownPoolLabels{
    QStringLiteral("cloud.google.com/gke-nodepool"),
    QStringLiteral("eks.amazonaws.com/nodegroup"),
    QStringLiteral("alpha.eksctl.io/nodegroup-name"),
    QStringLiteral("karpenter.sh/nodepool"),
    QStringLiteral("kubernetes.azure.com/agentpool"),
    QStringLiteral("agentpool"),
    QStringLiteral("node.kubernetes.io/instance-type"),
    QStringLiteral("nvidia.com/gpu.product"),
};

QString podKeyOf(const QString &ns, const QString &name) {
    return ns + QLatin1Char('/') + name;
}

QString idOf(const QString &kind, const QString &ns, const QString &name) {
    return kind + QLatin1Char('/') + ns + QLatin1Char('/') + name;
}

} // namespace

QString GpuHolder::ownerId() const {
    return idOf(ownerKind, namespaceName, ownerName);
}

QString PendingGpuPod::ownerId() const {
    return idOf(ownerKind, namespaceName, ownerName);
}

QString GpuPoolUse::fragmentationText() const {
    QString text;
    if (freeSchedulable == 0)
        text = QStringLiteral("none free");
    else if (fragmented())
        text = QStringLiteral("%1 free, but at most %2 per node")
                   .arg(freeSchedulable)
                   .arg(largestFreeBlock);
    else if (nodes == 1)
        text = QStringLiteral("%1 free").arg(freeSchedulable);
    else
        text = QStringLiteral("%1 free, all on one node").arg(freeSchedulable);
    if (free > freeSchedulable)
        text += QStringLiteral(" (+%1 on cordoned nodes)").arg(free - freeSchedulable);
    return text;
}

GpuLedger::GpuLedger(const ObjectStore *store)
    : m_store(store) {}

void GpuLedger::setPoolLabel(const QString &label) {
    if (label == m_poolLabel)
        return;
    m_poolLabel = label;
    m_viewsDirty = true;
}

QStringList GpuLedger::poolLabelCandidates() const {
    QSet<QString> seen;
    for (const auto &[name, node] : m_nodes) {
        const Json &labels = jsonAt(node.object->json(), {"metadata", "labels"});
        if (!labels.is_object())
            continue;
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            const QString key = QString::fromStdString(it.key());
            if (kKnownPoolLabels.contains(key) || key.contains(QLatin1String("nodepool")) ||
                key.contains(QLatin1String("nodegroup")) || key.endsWith(QLatin1String("/pool")))
                seen.insert(key);
        }
    }
    QStringList out(seen.begin(), seen.end());
    out.sort();
    return out;
}

void GpuLedger::clear() {
    m_nodes.clear();
    m_pods.clear();
    m_onNode.clear();
    m_events.clear();
    m_latestEvent.clear();
    invalidate();
}

void GpuLedger::rebuild(const ObjectStore &store) {
    clear();
    for (const ObjectPtr &n : store.list(kNodes))
        setNode(n);
    for (const ObjectPtr &p : store.list(kPods))
        addPod(p);
    for (const ObjectPtr &e : store.list(kEvents))
        noteEvent(e);
}

void GpuLedger::apply(const QString &kindKey, const ObjectList &added, const ObjectList &modified,
                      const ObjectList &removed) {
    if (kindKey == kNodes) {
        for (const ObjectPtr &n : removed)
            m_nodes.erase(n->name());
        for (const ObjectList *list : {&added, &modified})
            for (const ObjectPtr &n : *list)
                setNode(n);
    } else if (kindKey == kPods) {
        for (const ObjectPtr &p : removed)
            removePod(p->uid().isEmpty() ? podKeyOf(p->namespaceName(), p->name()) : p->uid());
        for (const ObjectList *list : {&added, &modified})
            for (const ObjectPtr &p : *list)
                addPod(p);
    } else if (kindKey == kEvents) {
        // Events only change what the scheduler said, not who holds what or what fits.
        for (const ObjectPtr &e : removed)
            forgetEvent(e->uid());
        for (const ObjectList *list : {&added, &modified})
            for (const ObjectPtr &e : *list)
                noteEvent(e);
        return;
    } else {
        return;
    }
    invalidate();
}

void GpuLedger::setNode(const ObjectPtr &node) {
    // Parsed once per change of the node, not per view or prediction.
    NodeEntry &entry = m_nodes[node->name()];
    entry.object = node;
    entry.state = semantics::fromNodeJson(node->json());
    entry.capacity = semantics::parseResourceList(jsonAt(node->json(), {"status", "capacity"}));
    invalidate();
}

void GpuLedger::resolveOwner(PodEntry &entry, const Json &pod) const {
    entry.ownerKind = QStringLiteral("Pod");
    entry.ownerName = entry.name;
    const OwnerRef ref = controllerOf(pod);
    if (ref.kind.isEmpty())
        return;
    entry.ownerKind = ref.kind;
    entry.ownerName = ref.name;
    if (entry.ownerKind != QLatin1String("ReplicaSet"))
        return;
    // The Deployment over the ReplicaSet: from the ReplicaSet when it is known, else from the
    // name the deployment controller gives it ("<deployment>-<pod-template-hash>").
    if (m_store) {
        if (ObjectPtr rs = m_store->get(kReplicaSets, entry.namespaceName, entry.ownerName)) {
            if (const OwnerRef up = controllerOf(rs->json());
                up.kind == QLatin1String("Deployment")) {
                entry.ownerKind = up.kind;
                entry.ownerName = up.name;
            }
            return;
        }
    }
    const QString hash = jsonString(pod, {"metadata", "labels", "pod-template-hash"});
    if (!hash.isEmpty() && entry.ownerName.endsWith(QLatin1Char('-') + hash)) {
        entry.ownerKind = QStringLiteral("Deployment");
        entry.ownerName.chop(hash.size() + 1);
    }
}

void GpuLedger::addPod(const ObjectPtr &object) {
    const QString uid =
        object->uid().isEmpty() ? podKeyOf(object->namespaceName(), object->name()) : object->uid();
    removePod(uid);
    const Json &pod = object->json();
    PodEntry e;
    e.namespaceName =
        object->namespaceName().isEmpty() ? QStringLiteral("default") : object->namespaceName();
    e.name = object->name();
    e.key = podKeyOf(e.namespaceName, e.name);
    resolveOwner(e, pod);
    e.nodeName = jsonString(pod, {"spec", "nodeName"});
    const bool terminated = semantics::isTerminatedPod(pod);
    e.holds = !e.nodeName.isEmpty() && !terminated;
    e.pending = e.nodeName.isEmpty() && !terminated &&
                jsonAt(pod, {"metadata", "deletionTimestamp"}).is_null();
    if (!e.holds && !e.pending)
        return; // terminated or going away unscheduled: it holds and waits for nothing
    if (const Json &t = jsonAt(pod, {"metadata", "creationTimestamp"}); t.is_string())
        e.created = t.get<std::string>();
    if (const Json &conditions = jsonAt(pod, {"status", "conditions"}); conditions.is_array())
        for (const Json &c : conditions)
            if (c.value("type", "") == "PodScheduled" && c.value("status", "") == "False")
                e.conditionMessage = QString::fromStdString(c.value("message", ""));
    e.needs = semantics::fromPodJson(pod);
    if (e.holds)
        hold(uid, e, +1);
    m_pods.insert(uid, std::move(e));
    invalidate();
}

void GpuLedger::removePod(const QString &uid) {
    auto it = m_pods.find(uid);
    if (it == m_pods.end())
        return;
    if (it->holds)
        hold(uid, *it, -1);
    m_pods.erase(it);
    invalidate();
}

void GpuLedger::hold(const QString &uid, const PodEntry &pod, int sign) {
    NodePods &np = m_onNode[pod.nodeName];
    if (sign > 0) {
        np.pods[pod.key] = uid;
        semantics::addResources(np.requested, pod.needs.requests);
        semantics::addResources(np.scoreRequested, pod.needs.scoreRequests);
        return;
    }
    np.pods.erase(pod.key);
    if (np.pods.empty()) {
        m_onNode.erase(pod.nodeName);
        return;
    }
    // Subtracted to zero is as if never requested: the sums equal a rebuild's.
    semantics::subtractResources(np.requested, pod.needs.requests);
    semantics::subtractResources(np.scoreRequested, pod.needs.scoreRequests);
    for (auto *sums : {&np.requested, &np.scoreRequested})
        std::erase_if(*sums, [](const auto &entry) { return entry.second == 0; });
}

void GpuLedger::noteEvent(const ObjectPtr &object) {
    const Json &event = object->json();
    if (event.value("reason", "") != "FailedScheduling" ||
        jsonString(event, {"involvedObject", "kind"}) != QLatin1String("Pod"))
        return;
    forgetEvent(object->uid());
    EventNote note;
    QString ns = jsonString(event, {"involvedObject", "namespace"});
    if (ns.isEmpty())
        ns = object->namespaceName();
    note.podKey = podKeyOf(ns, jsonString(event, {"involvedObject", "name"}));
    note.time = eventLastSeen(event);
    note.message = jsonString(event, {"message"});
    const QString latest = m_latestEvent.value(note.podKey);
    if (latest.isEmpty() || m_events.value(latest).time <= note.time)
        m_latestEvent.insert(note.podKey, object->uid());
    m_events.insert(object->uid(), std::move(note));
    m_messagesDirty = true;
}

void GpuLedger::forgetEvent(const QString &uid) {
    auto it = m_events.find(uid);
    if (it == m_events.end())
        return;
    const QString podKey = it->podKey;
    m_events.erase(it);
    if (m_latestEvent.value(podKey) != uid)
        return;
    // The newest one left for the pod, if any.
    m_latestEvent.remove(podKey);
    for (auto e = m_events.cbegin(); e != m_events.cend(); ++e)
        if (e->podKey == podKey && (!m_latestEvent.contains(podKey) ||
                                    m_events.value(m_latestEvent.value(podKey)).time <= e->time))
            m_latestEvent.insert(podKey, e.key());
    m_messagesDirty = true;
}

QString GpuLedger::schedulerMessage(const PodEntry &pod) const {
    if (const QString uid = m_latestEvent.value(pod.key); !uid.isEmpty())
        return m_events.value(uid).message;
    return pod.conditionMessage;
}

std::vector<semantics::NodeState> GpuLedger::schedulerView(const QString &withoutOwner) const {
    std::vector<semantics::NodeState> out;
    out.reserve(m_nodes.size());
    for (const auto &[name, node] : m_nodes) {
        out.push_back(node.state);
        auto on = m_onNode.find(name);
        if (on == m_onNode.end())
            continue;
        semantics::NodeState &state = out.back();
        if (withoutOwner.isEmpty()) {
            // The sums are kept; only the pods' identities are copied.
            state.requested = on->second.requested;
            state.scoreRequested = on->second.scoreRequested;
            for (const auto &[key, uid] : on->second.pods) {
                const PodEntry &p = *m_pods.find(uid);
                state.hasAntiAffinityPods =
                    state.hasAntiAffinityPods || !p.needs.requiredAntiAffinity.empty();
                state.pods.push_back(
                    {p.needs.namespaceName, p.needs.labels, p.needs.requiredAntiAffinity});
            }
            continue;
        }
        for (const auto &[key, uid] : on->second.pods) {
            const PodEntry &p = *m_pods.find(uid);
            if (idOf(p.ownerKind, p.namespaceName, p.ownerName) != withoutOwner)
                semantics::addPod(state, p.needs);
        }
    }
    return out;
}

std::vector<semantics::PodNeeds> GpuLedger::pendingQueue(const QString &withoutOwner) const {
    std::vector<const PodEntry *> queued;
    for (const PodEntry &p : m_pods)
        if (p.pending && (withoutOwner.isEmpty() ||
                          idOf(p.ownerKind, p.namespaceName, p.ownerName) != withoutOwner))
            queued.push_back(&p);
    std::sort(queued.begin(), queued.end(), [](const PodEntry *a, const PodEntry *b) {
        return std::tie(a->created, a->namespaceName, a->name) <
               std::tie(b->created, b->namespaceName, b->name);
    });
    std::vector<semantics::PodNeeds> out;
    out.reserve(queued.size());
    for (const PodEntry *p : queued)
        out.push_back(p->needs);
    return out;
}

const std::vector<GpuNode> &GpuLedger::nodes() const {
    if (m_viewsDirty)
        buildViews();
    return m_nodeView;
}

const std::vector<GpuPoolUse> &GpuLedger::pools() const {
    if (m_viewsDirty)
        buildViews();
    return m_poolView;
}

const std::vector<PendingGpuPod> &GpuLedger::pendingPods() const {
    if (m_pendingDirty) {
        buildPending();
    } else if (m_messagesDirty) {
        for (std::size_t i = 0; i < m_pendingView.size(); ++i)
            m_pendingView[i].schedulerMessage = schedulerMessage(*m_pods.find(m_pendingUids[i]));
    }
    m_pendingDirty = m_messagesDirty = false;
    return m_pendingView;
}

} // namespace kd::model
