#include "model/scaleprediction.h"

#include "model/objects.h"
#include "semantics/jsonpath.h"
#include "semantics/rolloutrevision.h"

#include <algorithm>

namespace kd::model {

using kube::Json;
using kube::ObjectPtr;
using semantics::jsonAt;

namespace {

const QString kDeployments = QStringLiteral("deployments.apps");
const QString kStatefulSets = QStringLiteral("statefulsets.apps");
constexpr const char *kDefaultScheduler = "default-scheduler";

const std::string &text(const Json &object, std::initializer_list<const char *> path) {
    static const std::string none;
    const Json &v = jsonAt(object, path);
    return v.is_string() ? v.get_ref<const std::string &>() : none;
}

bool isDeleting(const Json &object) {
    return !jsonAt(object, {"metadata", "deletionTimestamp"}).is_null();
}

// Counted by the workload controllers: not finished and not being deleted.
bool isActivePod(const Json &pod) {
    return !semantics::isTerminatedPod(pod) && !isDeleting(pod);
}

bool isUnscheduled(const Json &pod) {
    return text(pod, {"spec", "nodeName"}).empty();
}

// In the default scheduler's queue: not bound, active, and not left to another scheduler.
bool isQueued(const Json &pod) {
    if (!isUnscheduled(pod) || !isActivePod(pod))
        return false;
    const std::string &scheduler = text(pod, {"spec", "schedulerName"});
    return scheduler.empty() || scheduler == kDefaultScheduler;
}

bool isRunningAndReady(const Json &pod) {
    if (text(pod, {"status", "phase"}) != "Running")
        return false;
    if (const Json &conditions = jsonAt(pod, {"status", "conditions"}); conditions.is_array())
        for (const Json &c : conditions)
            if (text(c, {"type"}) == "Ready")
                return text(c, {"status"}) == "True";
    return false;
}

// Oldest first, as the scheduler's queue and the deployment controller order them.
bool createdBefore(const ObjectPtr &a, const ObjectPtr &b) {
    const std::string &ta = text(a->json(), {"metadata", "creationTimestamp"});
    const std::string &tb = text(b->json(), {"metadata", "creationTimestamp"});
    if (ta != tb)
        return ta < tb;
    if (a->namespaceName() != b->namespaceName())
        return a->namespaceName() < b->namespaceName();
    return a->name() < b->name();
}

ObjectList controlledBy(const ObjectStore &store, const QString &ownerUid, const QString &kind) {
    ObjectList out;
    for (const ObjectPtr &o : store.ownedBy(ownerUid))
        if (o->kind() == kind && controllerOf(o->json()).uid == ownerUid)
            out.push_back(o);
    return out;
}

ObjectList activePodsOf(const ObjectStore &store, const QString &ownerUid) {
    ObjectList pods = controlledBy(store, ownerUid, QStringLiteral("Pod"));
    std::erase_if(pods, [](const ObjectPtr &p) { return !isActivePod(p->json()); });
    return pods;
}

int unscheduledCount(const ObjectList &pods) {
    return static_cast<int>(std::count_if(
        pods.begin(), pods.end(), [](const ObjectPtr &p) { return isUnscheduled(p->json()); }));
}

// The StatefulSet's ordinal of a pod named <set>-<ordinal>, -1 for anything else.
int ordinalOf(const QString &setName, const QString &podName) {
    if (!podName.startsWith(setName + u'-'))
        return -1;
    bool ok = false;
    const int ordinal = podName.mid(setName.size() + 1).toInt(&ok);
    return ok ? ordinal : -1;
}

} // namespace

ScalePredictor::ScalePredictor(const ObjectStore &store, const QString &workloadKindKey,
                               const QString &ns, const QString &name) {
    if (workloadKindKey != kDeployments && workloadKindKey != kStatefulSets)
        return;
    const ObjectPtr workload = store.get(workloadKindKey, ns, name);
    if (!workload)
        return;
    m_valid = true;
    m_statefulSet = workloadKindKey == kStatefulSets;
    m_current = desiredReplicas(workload->json());
    m_template = semantics::fromPodTemplateJson(jsonAt(workload->json(), {"spec", "template"}),
                                                ns.toStdString());
    if (m_statefulSet)
        readStatefulSet(store, *workload);
    else
        readDeployment(store, *workload);

    const ObjectList nodeObjects = store.list(QStringLiteral("nodes"));
    ObjectList pods = store.list(QStringLiteral("pods"));
    std::vector<const Json *> nodes;
    nodes.reserve(nodeObjects.size());
    for (const ObjectPtr &n : nodeObjects)
        nodes.push_back(&n->json());
    std::vector<const Json *> podJson;
    podJson.reserve(pods.size());
    for (const ObjectPtr &p : pods)
        podJson.push_back(&p->json());
    m_nodes = semantics::nodeStatesFromJson(nodes, podJson);

    std::erase_if(pods, [](const ObjectPtr &p) { return !isQueued(p->json()); });
    std::sort(pods.begin(), pods.end(), createdBefore);
    std::vector<semantics::PodNeeds> queued;
    queued.reserve(pods.size());
    for (const ObjectPtr &p : pods)
        queued.push_back(semantics::fromPodJson(p->json()));
    semantics::placeQueuedPods(m_nodes, queued);
}

void ScalePredictor::readDeployment(const ObjectStore &store, const kube::KubeObject &deployment) {
    const std::string ns = deployment.namespaceName().toStdString();
    ObjectList sets = controlledBy(store, deployment.uid(), QStringLiteral("ReplicaSet"));
    std::sort(sets.begin(), sets.end(), createdBefore);
    const std::string &revision =
        text(deployment.json(), {"metadata", "annotations", semantics::kRevisionAnnotation});
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const Json &rs = sets[i]->json();
        ReplicaSetShare share;
        share.name = sets[i]->name();
        share.counts = semantics::replicaSetCountsFromJson(rs);
        share.counts.creationOrder = static_cast<long long>(i);
        share.counts.isNew =
            !revision.empty() &&
            text(rs, {"metadata", "annotations", semantics::kRevisionAnnotation}) == revision;
        share.pod = semantics::fromPodTemplateJson(jsonAt(rs, {"spec", "template"}), ns);
        const ObjectList pods = activePodsOf(store, sets[i]->uid());
        share.pods = static_cast<int>(pods.size());
        share.unscheduled = unscheduledCount(pods);
        m_pendingNow += share.unscheduled;
        m_sets.push_back(std::move(share));
    }
    m_params = semantics::deploymentParamsFromJson(deployment.json());
    const Json &paused = jsonAt(deployment.json(), {"spec", "paused"});
    m_paused = paused.is_boolean() && paused.get<bool>();
    const Json &statusReplicas = jsonAt(deployment.json(), {"status", "replicas"});
    m_statusReplicas = statusReplicas.is_number_integer() ? statusReplicas.get<int>() : 0;
}

void ScalePredictor::readStatefulSet(const ObjectStore &store, const kube::KubeObject &set) {
    const ObjectList pods = activePodsOf(store, set.uid());
    m_pendingNow = unscheduledCount(pods);
    m_orderedReady = text(set.json(), {"spec", "podManagementPolicy"}) != "Parallel";
    bool allReady = true;
    for (const ObjectPtr &p : pods) {
        m_members.emplace_back(ordinalOf(set.name(), p->name()), isUnscheduled(p->json()));
        allReady = allReady && isRunningAndReady(p->json());
    }
    m_heldBack = m_orderedReady && (static_cast<int>(pods.size()) < m_current || !allReady);
}

// The ReplicaSets' shares of the new count, from the deployment controller's maths. Pods one
// pass creates share their creation second, and the sandbox's queue then goes by name, which
// starts with the ReplicaSet's: the batches follow the ReplicaSets' names.
void ScalePredictor::planDeployment(semantics::ScalePlan &plan) const {
    if (m_sets.empty()) {
        // No ReplicaSet yet: the controller will make one with the whole count.
        if (plan.target > 0)
            plan.batches.push_back({m_template, plan.target});
        return;
    }
    std::vector<semantics::ReplicaSetCounts> counts;
    counts.reserve(m_sets.size());
    for (const ReplicaSetShare &share : m_sets)
        counts.push_back(share.counts);
    semantics::DeploymentParams params = m_params;
    params.replicas = plan.target;
    const std::vector<int> sizes =
        semantics::replicaSetSizesAfterScale(params, std::move(counts), m_statusReplicas, m_paused);

    std::vector<std::pair<QString, semantics::PodBatch>> batches;
    for (std::size_t i = 0; i < m_sets.size(); ++i) {
        const ReplicaSetShare &share = m_sets[i];
        const int delta = sizes[i] - share.pods;
        if (delta > 0) {
            batches.push_back({share.name, {share.pod, delta}});
            continue;
        }
        // The ReplicaSet deletes unscheduled pods first; the others hold their room until they
        // have terminated.
        const int deleted = -delta;
        const int pendingDeleted = std::min(deleted, share.unscheduled);
        plan.deleted += deleted;
        plan.pendingDeleted += pendingDeleted;
        for (int k = pendingDeleted; k < deleted; ++k)
            semantics::addResources(plan.freed, share.pod.requests);
    }
    std::sort(batches.begin(), batches.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    for (auto &[name, batch] : batches)
        plan.batches.push_back(std::move(batch));
}

void ScalePredictor::planStatefulSet(semantics::ScalePlan &plan) const {
    if (plan.target > plan.current) {
        const int add = plan.target - plan.current;
        if (m_heldBack) {
            plan.waiting = add;
        } else {
            plan.batches.push_back({m_template, add});
            plan.oneAtATime = m_orderedReady;
        }
        return;
    }
    // Scaling down removes the highest ordinals.
    for (const auto &[ordinal, unscheduled] : m_members) {
        if (ordinal < plan.target)
            continue;
        ++plan.deleted;
        if (unscheduled)
            ++plan.pendingDeleted;
        else
            semantics::addResources(plan.freed, m_template.requests);
    }
}

semantics::ScaleFeasibility ScalePredictor::predict(int target) const {
    semantics::ScalePlan plan;
    plan.current = m_current;
    plan.target = std::max(0, target);
    plan.templatePod = m_template;
    plan.pendingNow = m_pendingNow;
    if (m_statefulSet)
        planStatefulSet(plan);
    else
        planDeployment(plan);
    return semantics::predictScale(m_nodes, plan);
}

std::optional<semantics::ScaleFeasibility> predictScale(const ObjectStore &store,
                                                        const QString &workloadKindKey,
                                                        const QString &ns, const QString &name,
                                                        int target) {
    const ScalePredictor predictor(store, workloadKindKey, ns, name);
    if (!predictor.isValid())
        return std::nullopt;
    return predictor.predict(target);
}

} // namespace kd::model
