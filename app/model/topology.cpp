#include "model/topology.h"

#include "model/display.h"
#include "model/objects.h"
#include "semantics/jsonpath.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace kd::model {

using kube::Json;
using kube::ObjectPtr;
using semantics::jsonAt;
using Kind = TopologyNode::Kind;
using Relation = TopologyEdge::Relation;

namespace {

const QString kDeployments = QStringLiteral("deployments.apps");
const QString kStatefulSets = QStringLiteral("statefulsets.apps");
const QString kReplicaSets = QStringLiteral("replicasets.apps");
const QString kPods = QStringLiteral("pods");
const QString kServices = QStringLiteral("services");
const QString kIngresses = QStringLiteral("ingresses.networking.k8s.io");
const QString kHpas = QStringLiteral("horizontalpodautoscalers.autoscaling");
const QString kPdbs = QStringLiteral("poddisruptionbudgets.policy");
const QString kNodes = QStringLiteral("nodes");

TopologyNode::Health healthFrom(int code) {
    switch (code) {
    case 0:
        return TopologyNode::Health::Ok;
    case 1:
        return TopologyNode::Health::Progressing;
    default:
        return TopologyNode::Health::Failed;
    }
}

// Every key=value of `selector` is among `labels` (a Service's selector; empty selects nothing
// here, as a Service without selector has its endpoints managed by hand).
bool mapSelects(const Json &selector, const Json &labels) {
    if (!selector.is_object() || selector.empty() || !labels.is_object())
        return false;
    for (auto it = selector.begin(); it != selector.end(); ++it) {
        auto l = labels.find(it.key());
        if (l == labels.end() || *l != *it)
            return false;
    }
    return true;
}

// metav1.LabelSelector (matchLabels and matchExpressions) against labels; null selects nothing,
// {} everything.
bool labelSelectorSelects(const Json &selector, const Json &labels) {
    if (!selector.is_object())
        return false;
    static const Json none = Json::object();
    const Json &have = labels.is_object() ? labels : none;
    if (const Json &ml = jsonAt(selector, {"matchLabels"}); ml.is_object())
        for (auto it = ml.begin(); it != ml.end(); ++it) {
            auto l = have.find(it.key());
            if (l == have.end() || *l != *it)
                return false;
        }
    if (const Json &exprs = jsonAt(selector, {"matchExpressions"}); exprs.is_array())
        for (const Json &e : exprs) {
            const std::string key = e.value("key", "");
            const std::string op = e.value("operator", "");
            auto l = have.find(key);
            bool listed = false;
            if (const Json &values = jsonAt(e, {"values"}); values.is_array() && l != have.end())
                listed = std::find(values.begin(), values.end(), *l) != values.end();
            if ((op == "In" && !listed) || (op == "NotIn" && listed) ||
                (op == "Exists" && l == have.end()) || (op == "DoesNotExist" && l != have.end()))
                return false;
        }
    return true;
}

// Why a pod is not running yet: the scheduler's message while unscheduled, else the first
// waiting container's reason.
QString pendingReason(const Json &pod) {
    if (const Json &conditions = jsonAt(pod, {"status", "conditions"}); conditions.is_array())
        for (const Json &c : conditions)
            if (c.value("type", "") == "PodScheduled" && c.value("status", "") == "False")
                return QString::fromStdString(c.value("message", c.value("reason", "")));
    if (const Json &statuses = jsonAt(pod, {"status", "containerStatuses"}); statuses.is_array())
        for (const Json &s : statuses)
            if (const Json &w = jsonAt(s, {"state", "waiting"}); w.is_object())
                return QString::fromStdString(w.value("reason", ""));
    return {};
}

} // namespace

// Builds one Topology; the steps follow the traffic from the edge inwards.
class TopologyBuilder {
public:
    TopologyBuilder(const ObjectStore &store, const QString &ns)
        : m_store(store)
        , m_ns(ns) {}

    Topology build() {
        for (const ObjectPtr &n : m_store.list(kNodes))
            m_gpuProductOfNode.insert(
                n->name(), jsonString(n->json(), {"metadata", "labels", "nvidia.com/gpu.product"}));
        addWorkloads(kDeployments, Kind::Deployment);
        addWorkloads(kStatefulSets, Kind::StatefulSet);
        addServices();
        addIngresses();
        addAutoscalers();
        addDisruptionBudgets();
        std::sort(m_topology.m_problems.begin(), m_topology.m_problems.end());
        return std::move(m_topology);
    }

private:
    TopologyNode &addNode(Kind kind, const ObjectPtr &object) {
        TopologyNode n;
        n.kind = kind;
        n.namespaceName = object->namespaceName();
        n.name = object->name();
        n.id = Topology::idOf(kind, n.namespaceName, n.name);
        return push(std::move(n));
    }

    TopologyNode &push(TopologyNode node) {
        m_topology.m_index.insert(node.id, m_topology.m_nodes.size());
        m_topology.m_nodes.push_back(std::move(node));
        return m_topology.m_nodes.back();
    }

    QString addMissing(Kind wanted, const QString &ns, const QString &name) {
        const QString id =
            Topology::idOf(Kind::Missing, ns, Topology::kindName(wanted) + u'/' + name);
        if (!m_missing.contains(id)) {
            m_missing.insert(id);
            TopologyNode n;
            n.kind = Kind::Missing;
            n.namespaceName = ns;
            n.name = name;
            n.id = id;
            n.health = TopologyNode::Health::Failed;
            n.status = QStringLiteral("%1 %2 does not exist").arg(Topology::kindName(wanted), name);
            push(std::move(n));
        }
        return id;
    }

    void addEdge(const QString &from, const QString &to, Relation relation, QString label = {},
                 QString problem = {}) {
        TopologyEdge e;
        e.from = from;
        e.to = to;
        e.relation = relation;
        e.label = std::move(label);
        e.broken = !problem.isEmpty();
        if (e.broken)
            m_topology.m_problems << problem;
        e.problem = std::move(problem);
        m_topology.m_edges.push_back(std::move(e));
    }

    void addWorkloads(const QString &kindKey, Kind kind) {
        for (const ObjectPtr &w : m_store.list(kindKey, m_ns)) {
            const Json &spec = jsonAt(w->json(), {"spec", "template", "spec"});
            TopologyNode &n = addNode(kind, w);
            n.desiredReplicas = desiredReplicas(w->json());
            n.readyReplicas = readyReplicas(w->json());
            n.health = healthFrom(healthOf(kindKey, w->json()));
            n.gpusPerPod = gpuRequestCount(spec);
            n.gpuUnit = gpuUnit(spec);
            n.gpusTotal = n.gpusPerPod * n.desiredReplicas;
            n.status = QStringLiteral("%1/%2 ready").arg(n.readyReplicas).arg(n.desiredReplicas);
            const QString id = n.id; // n moves when more nodes are added
            m_workloadsIn[w->namespaceName()].push_back({w, id});
            if (kind == Kind::Deployment)
                addReplicaSets(w, id);
            else
                addPods(w->uid(), id);
        }
    }

    void addReplicaSets(const ObjectPtr &deployment, const QString &deploymentId) {
        const QString revision = jsonString(
            deployment->json(), {"metadata", "annotations", "deployment.kubernetes.io/revision"});
        for (const ObjectPtr &rs : m_store.ownedBy(deployment->uid())) {
            if (rs->kind() != QLatin1String("ReplicaSet"))
                continue;
            const QString rsRevision = jsonString(
                rs->json(), {"metadata", "annotations", "deployment.kubernetes.io/revision"});
            const bool current = !revision.isEmpty() && rsRevision == revision;
            const int desired = int(jsonInt(rs->json(), {"spec", "replicas"}));
            const ObjectList pods = podsOwnedBy(rs->uid());
            if (!current && desired == 0 && pods.empty())
                continue; // history: the rollout timeline shows it, the graph does not
            TopologyNode &n = addNode(Kind::ReplicaSet, rs);
            n.revision = rsRevision;
            n.current = current;
            n.desiredReplicas = desired;
            n.readyReplicas = int(jsonInt(rs->json(), {"status", "readyReplicas"}));
            n.health = healthFrom(healthOf(kReplicaSets, rs->json()));
            n.gpusPerPod = gpuRequestCount(jsonAt(rs->json(), {"spec", "template", "spec"}));
            n.gpusTotal = n.gpusPerPod * desired;
            n.status = QStringLiteral("revision %1 · %2/%3 ready")
                           .arg(rsRevision.isEmpty() ? QStringLiteral("?") : rsRevision)
                           .arg(n.readyReplicas)
                           .arg(desired);
            const QString id = n.id;
            addEdge(deploymentId, id, Relation::Owns);
            addPods(rs->uid(), id);
        }
    }

    ObjectList podsOwnedBy(const QString &uid) const {
        ObjectList pods;
        for (const ObjectPtr &o : m_store.ownedBy(uid))
            if (o->kind() == QLatin1String("Pod"))
                pods.push_back(o);
        return pods;
    }

    void addPods(const QString &ownerUid, const QString &ownerId) {
        for (const ObjectPtr &p : podsOwnedBy(ownerUid)) {
            TopologyNode &n = addNode(Kind::Pod, p);
            const Json &pod = p->json();
            n.health = healthFrom(healthOf(kPods, pod));
            n.nodeName = podNodeName(pod);
            n.gpuProduct = m_gpuProductOfNode.value(n.nodeName);
            n.gpusPerPod = podGpuRequests(pod);
            n.gpuUnit = gpuUnit(jsonAt(pod, {"spec"}));
            n.gpusTotal = n.gpusPerPod;
            n.status = podStatusText(pod);
            if (n.status == QLatin1String("Pending") ||
                n.status == QLatin1String("ContainerCreating")) {
                if (const QString why = pendingReason(pod); !why.isEmpty())
                    n.status += QStringLiteral(": ") + why;
                if (n.nodeName.isEmpty())
                    n.health = TopologyNode::Health::Warning;
            }
            addEdge(ownerId, n.id, Relation::Owns);
        }
    }

    void addServices() {
        for (const ObjectPtr &s : m_store.list(kServices, m_ns)) {
            TopologyNode &n = addNode(Kind::Service, s);
            const QString id = n.id;
            const Json &selector = jsonAt(s->json(), {"spec", "selector"});
            const QString type = jsonString(s->json(), {"spec", "type"});
            n.status = type.isEmpty() ? QStringLiteral("ClusterIP") : type;
            if (!selector.is_object() || selector.empty())
                continue; // endpoints managed by hand (or ExternalName): nothing to draw
            int selected = 0;
            for (const auto &[workload, workloadId] : workloadsIn(s->namespaceName())) {
                if (mapSelects(selector, jsonAt(workload->json(),
                                                {"spec", "template", "metadata", "labels"}))) {
                    addEdge(id, workloadId, Relation::Selects);
                    ++selected;
                }
            }
            bool anyPod = selected > 0;
            for (const ObjectPtr &p :
                 anyPod ? ObjectList() : m_store.list(kPods, s->namespaceName()))
                if (mapSelects(selector, jsonAt(p->json(), {"metadata", "labels"}))) {
                    anyPod = true;
                    break;
                }
            if (!anyPod) {
                TopologyNode *self = mutableNode(id);
                self->health = TopologyNode::Health::Warning;
                self->status = QStringLiteral("selects no pods (%1)").arg(joinStringMap(selector));
                m_topology.m_problems
                    << QStringLiteral("Service %1/%2 selects no pods (%3)")
                           .arg(s->namespaceName(), s->name(), joinStringMap(selector));
            }
        }
    }

    // The port of Service `service` that `port` ({"number": 80} or {"name": "http"}) names, or
    // why there is none.
    static QString missingPort(const Json &service, const Json &port) {
        const Json &ports = jsonAt(service, {"spec", "ports"});
        const bool byName = port.contains("name");
        const Json want = byName ? port["name"] : port.value("number", Json());
        if (ports.is_array())
            for (const Json &p : ports)
                if (byName ? p.value("name", Json()) == want : p.value("port", Json()) == want)
                    return {};
        return QStringLiteral("has no port %1")
            .arg(want.is_string() ? QString::fromStdString(want.get<std::string>())
                                  : QString::fromStdString(want.dump()));
    }

    void routeTo(const QString &ingressId, const ObjectPtr &ingress, const Json &backend,
                 const QString &label) {
        const Json &service = jsonAt(backend, {"service"});
        if (!service.is_object())
            return; // a resource backend (e.g. a storage bucket): not part of the serving path
        const QString name = jsonString(service, {"name"});
        const Json &port = jsonAt(service, {"port"});
        const QString portText = port.contains("name") ? jsonString(port, {"name"})
                                                       : QString::number(jsonInt(port, {"number"}));
        const QString edgeLabel = label + QStringLiteral(" → :") + portText;
        const ObjectPtr target = m_store.get(kServices, ingress->namespaceName(), name);
        if (!target) {
            addEdge(
                ingressId, addMissing(Kind::Service, ingress->namespaceName(), name),
                Relation::Routes, edgeLabel,
                QStringLiteral("Ingress %1/%2 routes %3 to Service \"%4\", which does not exist")
                    .arg(ingress->namespaceName(), ingress->name(), label, name));
            return;
        }
        const QString serviceId = Topology::idOf(Kind::Service, ingress->namespaceName(), name);
        if (const QString why = missingPort(target->json(), port); !why.isEmpty()) {
            addEdge(ingressId, serviceId, Relation::Routes, edgeLabel,
                    QStringLiteral("Ingress %1/%2 routes %3 to Service \"%4\", which %5")
                        .arg(ingress->namespaceName(), ingress->name(), label, name, why));
            return;
        }
        addEdge(ingressId, serviceId, Relation::Routes, edgeLabel);
    }

    void addIngresses() {
        for (const ObjectPtr &i : m_store.list(kIngresses, m_ns)) {
            TopologyNode &n = addNode(Kind::Ingress, i);
            const QString id = n.id;
            const Json &spec = jsonAt(i->json(), {"spec"});
            QStringList hosts;
            if (const Json &tls = jsonAt(spec, {"tls"}); tls.is_array())
                for (const Json &t : tls)
                    if (const Json &h = jsonAt(t, {"hosts"}); h.is_array())
                        for (const Json &host : h)
                            if (host.is_string())
                                hosts << QString::fromStdString(host.get<std::string>());
            if (const Json &def = jsonAt(spec, {"defaultBackend"}); def.is_object())
                routeTo(id, i, def, QStringLiteral("default"));
            if (const Json &rules = jsonAt(spec, {"rules"}); rules.is_array())
                for (const Json &rule : rules) {
                    const QString host = jsonString(rule, {"host"});
                    if (!host.isEmpty())
                        hosts << host;
                    if (const Json &paths = jsonAt(rule, {"http", "paths"}); paths.is_array())
                        for (const Json &p : paths)
                            routeTo(id, i, jsonAt(p, {"backend"}),
                                    (host.isEmpty() ? QStringLiteral("*") : host) +
                                        jsonString(p, {"path"}));
                }
            hosts.removeDuplicates();
            TopologyNode *self = mutableNode(id);
            self->hosts = hosts;
            self->status = hosts.join(QStringLiteral(", "));
        }
    }

    void addAutoscalers() {
        for (const ObjectPtr &h : m_store.list(kHpas, m_ns)) {
            TopologyNode &n = addNode(Kind::HorizontalPodAutoscaler, h);
            const QString id = n.id;
            n.minReplicas = int(jsonInt(h->json(), {"spec", "minReplicas"}, 1));
            n.maxReplicas = int(jsonInt(h->json(), {"spec", "maxReplicas"}));
            n.status = QStringLiteral("%1–%2 replicas").arg(n.minReplicas).arg(n.maxReplicas);
            const QString kind = jsonString(h->json(), {"spec", "scaleTargetRef", "kind"});
            const QString name = jsonString(h->json(), {"spec", "scaleTargetRef", "name"});
            const Kind targetKind =
                kind == QLatin1String("StatefulSet") ? Kind::StatefulSet : Kind::Deployment;
            const QString targetId = Topology::idOf(targetKind, h->namespaceName(), name);
            if (m_topology.node(targetId)) {
                addEdge(id, targetId, Relation::Scales);
                continue;
            }
            addEdge(id, addMissing(targetKind, h->namespaceName(), name), Relation::Scales, {},
                    QStringLiteral("HorizontalPodAutoscaler %1/%2 scales %3 \"%4\", which does not "
                                   "exist")
                        .arg(h->namespaceName(), h->name(), kind, name));
        }
    }

    void addDisruptionBudgets() {
        for (const ObjectPtr &b : m_store.list(kPdbs, m_ns)) {
            TopologyNode &n = addNode(Kind::PodDisruptionBudget, b);
            const QString id = n.id;
            const Json &spec = jsonAt(b->json(), {"spec"});
            auto amount = [&spec](const char *key) {
                const Json &v = jsonAt(spec, {key});
                return v.is_string() ? QString::fromStdString(v.get<std::string>())
                                     : QString::fromStdString(v.dump());
            };
            n.status = spec.contains("minAvailable")
                           ? QStringLiteral("minAvailable %1").arg(amount("minAvailable"))
                           : QStringLiteral("maxUnavailable %1").arg(amount("maxUnavailable"));
            const Json &selector = jsonAt(spec, {"selector"});
            for (const auto &[workload, workloadId] : workloadsIn(b->namespaceName()))
                if (labelSelectorSelects(
                        selector,
                        jsonAt(workload->json(), {"spec", "template", "metadata", "labels"})))
                    addEdge(id, workloadId, Relation::Protects);
        }
    }

    using Workloads = std::vector<std::pair<ObjectPtr, QString>>; // (object, node id)
    const Workloads &workloadsIn(const QString &ns) const {
        static const Workloads none;
        auto it = m_workloadsIn.constFind(ns);
        return it == m_workloadsIn.cend() ? none : *it;
    }

    TopologyNode *mutableNode(const QString &id) {
        auto it = m_topology.m_index.constFind(id);
        return it == m_topology.m_index.constEnd() ? nullptr : &m_topology.m_nodes[*it];
    }

    const ObjectStore &m_store;
    const QString m_ns;
    Topology m_topology;
    QHash<QString, QString> m_gpuProductOfNode;
    QHash<QString, Workloads> m_workloadsIn; // Deployments and StatefulSets, in the order added
    QSet<QString> m_missing;
};

Topology Topology::derive(const ObjectStore &store, const QString &namespaceName) {
    return TopologyBuilder(store, namespaceName).build();
}

const TopologyNode *Topology::node(const QString &id) const {
    auto it = m_index.constFind(id);
    return it == m_index.constEnd() ? nullptr : &m_nodes[*it];
}

std::vector<const TopologyEdge *> Topology::edgesWhere(QString TopologyEdge::*end,
                                                       const QString &id) const {
    std::vector<const TopologyEdge *> out;
    for (const TopologyEdge &e : m_edges)
        if (e.*end == id)
            out.push_back(&e);
    return out;
}

QStringList Topology::problems() const {
    return m_problems;
}

QString Topology::kindName(TopologyNode::Kind kind) {
    switch (kind) {
    case Kind::Ingress:
        return QStringLiteral("Ingress");
    case Kind::Service:
        return QStringLiteral("Service");
    case Kind::Deployment:
        return QStringLiteral("Deployment");
    case Kind::StatefulSet:
        return QStringLiteral("StatefulSet");
    case Kind::ReplicaSet:
        return QStringLiteral("ReplicaSet");
    case Kind::Pod:
        return QStringLiteral("Pod");
    case Kind::HorizontalPodAutoscaler:
        return QStringLiteral("HorizontalPodAutoscaler");
    case Kind::PodDisruptionBudget:
        return QStringLiteral("PodDisruptionBudget");
    case Kind::Missing:
        return QStringLiteral("Missing");
    }
    return {};
}

QString Topology::idOf(TopologyNode::Kind kind, const QString &ns, const QString &name) {
    return kindName(kind) + u'/' + ns + u'/' + name;
}

} // namespace kd::model
