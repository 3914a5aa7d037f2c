#include "model/columns.h"

#include "model/display.h"
#include "semantics/jsonpath.h"
#include "semantics/resources.h"

#include <QStringList>

namespace kd::model {

using kube::Json;
using semantics::jsonAt;

namespace {

using TextFn = std::function<QString(const Json &, const QDateTime &)>;

Column textColumn(const char *title, TextFn text) {
    return Column{QString::fromLatin1(title), std::move(text), {}, false};
}

Column intColumn(const char *title, std::initializer_list<const char *> path, qint64 fallback = 0) {
    std::vector<const char *> p(path);
    auto value = [p, fallback](const Json &o) {
        const Json *cur = &o;
        for (const char *key : p) {
            if (!cur->is_object() || !cur->contains(key))
                return fallback;
            cur = &(*cur)[key];
        }
        return cur->is_number_integer() ? cur->get<qint64>() : fallback;
    };
    return Column{QString::fromLatin1(title),
                  [value](const Json &o, const QDateTime &) { return QString::number(value(o)); },
                  [value](const Json &o, const QDateTime &) { return QVariant(value(o)); }, false};
}

Column ageColumn() {
    return Column{QStringLiteral("Age"), ageText,
                  [](const Json &o, const QDateTime &now) { return QVariant(ageSeconds(o, now)); },
                  true};
}

Column gpuColumn(std::initializer_list<const char *> podSpecPath) {
    std::vector<const char *> p(podSpecPath);
    auto spec = [p](const Json &o) -> const Json & {
        static const Json null;
        const Json *cur = &o;
        for (const char *key : p) {
            if (!cur->is_object() || !cur->contains(key))
                return null;
            cur = &(*cur)[key];
        }
        return *cur;
    };
    return Column{
        QStringLiteral("GPU requests"),
        [spec](const Json &o, const QDateTime &) { return gpuRequestText(spec(o)); },
        [spec](const Json &o, const QDateTime &) { return QVariant(gpuRequestCount(spec(o))); },
        false};
}

QString replicasReady(const Json &o) {
    return QStringLiteral("%1/%2")
        .arg(jsonInt(o, {"status", "readyReplicas"}))
        .arg(jsonInt(o, {"spec", "replicas"}, 1));
}

QString servicePorts(const Json &svc) {
    QStringList ports;
    if (const Json &list = jsonAt(svc, {"spec", "ports"}); list.is_array())
        for (const Json &p : list) {
            QString text = QString::number(jsonInt(p, {"port"}));
            if (qint64 nodePort = jsonInt(p, {"nodePort"}); nodePort != 0)
                text += QLatin1Char(':') + QString::number(nodePort);
            QString protocol = jsonString(p, {"protocol"});
            ports << text + QLatin1Char('/') +
                         (protocol.isEmpty() ? QStringLiteral("TCP") : protocol);
        }
    return ports.join(QLatin1Char(','));
}

QString ingressHosts(const Json &ing) {
    QStringList hosts;
    if (const Json &rules = jsonAt(ing, {"spec", "rules"}); rules.is_array())
        for (const Json &r : rules)
            hosts << (jsonString(r, {"host"}).isEmpty() ? QStringLiteral("*")
                                                        : jsonString(r, {"host"}));
    return hosts.join(QLatin1Char(','));
}

QString hpaTarget(const Json &hpa) {
    return jsonString(hpa, {"spec", "scaleTargetRef", "kind"}) + QLatin1Char('/') +
           jsonString(hpa, {"spec", "scaleTargetRef", "name"});
}

QString intOrString(const Json &v) {
    if (v.is_number_integer())
        return QString::number(v.get<qint64>());
    if (v.is_string())
        return QString::fromStdString(v.get_ref<const std::string &>());
    return QStringLiteral("N/A");
}

QString nodeGpus(const Json &node) {
    QStringList parts;
    if (const Json &alloc = jsonAt(node, {"status", "allocatable"}); alloc.is_object())
        for (auto it = alloc.begin(); it != alloc.end(); ++it)
            if (semantics::isGpuResource(it.key()))
                parts << QString::fromStdString(it.key()) + QStringLiteral(": ") + intOrString(*it);
    return parts.join(QStringLiteral(", "));
}

QString nodeRoles(const Json &node) {
    QStringList roles;
    if (const Json &labels = jsonAt(node, {"metadata", "labels"}); labels.is_object())
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            static const std::string prefix = "node-role.kubernetes.io/";
            if (it.key().rfind(prefix, 0) == 0)
                roles << QString::fromStdString(it.key().substr(prefix.size()));
        }
    return roles.isEmpty() ? QStringLiteral("<none>") : roles.join(QLatin1Char(','));
}

QString eventObject(const Json &ev) {
    return jsonString(ev, {"involvedObject", "kind"}).toLower() + QLatin1Char('/') +
           jsonString(ev, {"involvedObject", "name"});
}

std::vector<BrowsedKind> makeKinds() {
    auto kind = [](const char *group, const char *version, const char *resource,
                   const char *kindName, bool namespaced) {
        return kube::ResourceKind{QString::fromLatin1(group), QString::fromLatin1(version),
                                  QString::fromLatin1(resource), QString::fromLatin1(kindName),
                                  namespaced};
    };
    std::vector<BrowsedKind> kinds;
    kinds.push_back(
        {kind("apps", "v1", "deployments", "Deployment", true),
         QStringLiteral("Deployments"),
         QStringLiteral("Workloads"),
         {textColumn("Ready", [](const Json &o, const QDateTime &) { return replicasReady(o); }),
          intColumn("Up-to-date", {"status", "updatedReplicas"}),
          intColumn("Available", {"status", "availableReplicas"}),
          gpuColumn({"spec", "template", "spec"}), ageColumn()}});
    kinds.push_back(
        {kind("apps", "v1", "statefulsets", "StatefulSet", true),
         QStringLiteral("StatefulSets"),
         QStringLiteral("Workloads"),
         {textColumn("Ready", [](const Json &o, const QDateTime &) { return replicasReady(o); }),
          gpuColumn({"spec", "template", "spec"}), ageColumn()}});
    kinds.push_back({kind("apps", "v1", "replicasets", "ReplicaSet", true),
                     QStringLiteral("ReplicaSets"),
                     QStringLiteral("Workloads"),
                     {intColumn("Desired", {"spec", "replicas"}, 1),
                      intColumn("Current", {"status", "replicas"}),
                      intColumn("Ready", {"status", "readyReplicas"}),
                      textColumn("Revision",
                                 [](const Json &o, const QDateTime &) {
                                     return jsonString(o, {"metadata", "annotations",
                                                           "deployment.kubernetes.io/revision"});
                                 }),
                      ageColumn()}});
    kinds.push_back(
        {kind("", "v1", "pods", "Pod", true),
         QStringLiteral("Pods"),
         QStringLiteral("Workloads"),
         {textColumn("Ready", [](const Json &o, const QDateTime &) { return podReadyText(o); }),
          textColumn("Status", [](const Json &o, const QDateTime &) { return podStatusText(o); }),
          Column{QStringLiteral("Restarts"),
                 [](const Json &o, const QDateTime &) { return QString::number(podRestarts(o)); },
                 [](const Json &o, const QDateTime &) { return QVariant(podRestarts(o)); }, false},
          ageColumn(),
          textColumn("Node",
                     [](const Json &o, const QDateTime &) {
                         return jsonString(o, {"spec", "nodeName"});
                     }),
          gpuColumn({"spec"})}});
    kinds.push_back(
        {kind("", "v1", "services", "Service", true),
         QStringLiteral("Services"),
         QStringLiteral("Network"),
         {textColumn("Type",
                     [](const Json &o, const QDateTime &) {
                         QString t = jsonString(o, {"spec", "type"});
                         return t.isEmpty() ? QStringLiteral("ClusterIP") : t;
                     }),
          textColumn("Cluster-IP",
                     [](const Json &o, const QDateTime &) {
                         return jsonString(o, {"spec", "clusterIP"});
                     }),
          textColumn("Ports", [](const Json &o, const QDateTime &) { return servicePorts(o); }),
          textColumn("Selector",
                     [](const Json &o, const QDateTime &) {
                         return joinStringMap(jsonAt(o, {"spec", "selector"}));
                     }),
          ageColumn()}});
    kinds.push_back(
        {kind("networking.k8s.io", "v1", "ingresses", "Ingress", true),
         QStringLiteral("Ingresses"),
         QStringLiteral("Network"),
         {textColumn("Class",
                     [](const Json &o, const QDateTime &) {
                         QString c = jsonString(o, {"spec", "ingressClassName"});
                         return c.isEmpty() ? QStringLiteral("<none>") : c;
                     }),
          textColumn("Hosts", [](const Json &o, const QDateTime &) { return ingressHosts(o); }),
          ageColumn()}});
    kinds.push_back(
        {kind("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true),
         QStringLiteral("HorizontalPodAutoscalers"),
         QStringLiteral("Autoscaling"),
         {textColumn("Reference", [](const Json &o, const QDateTime &) { return hpaTarget(o); }),
          intColumn("Min", {"spec", "minReplicas"}, 1), intColumn("Max", {"spec", "maxReplicas"}),
          intColumn("Replicas", {"status", "currentReplicas"}), ageColumn()}});
    kinds.push_back(
        {kind("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
         QStringLiteral("PodDisruptionBudgets"),
         QStringLiteral("Autoscaling"),
         {textColumn("Min available",
                     [](const Json &o, const QDateTime &) {
                         return intOrString(jsonAt(o, {"spec", "minAvailable"}));
                     }),
          textColumn("Max unavailable",
                     [](const Json &o, const QDateTime &) {
                         return intOrString(jsonAt(o, {"spec", "maxUnavailable"}));
                     }),
          intColumn("Allowed disruptions", {"status", "disruptionsAllowed"}), ageColumn()}});
    kinds.push_back(
        {kind("", "v1", "nodes", "Node", false),
         QStringLiteral("Nodes"),
         QStringLiteral("Cluster"),
         {textColumn("Status", [](const Json &o, const QDateTime &) { return nodeStatusText(o); }),
          textColumn("Roles", [](const Json &o, const QDateTime &) { return nodeRoles(o); }),
          textColumn("GPU product",
                     [](const Json &o, const QDateTime &) {
                         return jsonString(o, {"metadata", "labels", "nvidia.com/gpu.product"});
                     }),
          textColumn("GPUs", [](const Json &o, const QDateTime &) { return nodeGpus(o); }),
          ageColumn(), textColumn("Version", [](const Json &o, const QDateTime &) {
              return jsonString(o, {"status", "nodeInfo", "kubeletVersion"});
          })}});
    kinds.push_back({kind("", "v1", "namespaces", "Namespace", false),
                     QStringLiteral("Namespaces"),
                     QStringLiteral("Cluster"),
                     {textColumn("Status",
                                 [](const Json &o, const QDateTime &) {
                                     return jsonString(o, {"status", "phase"});
                                 }),
                      ageColumn()}});
    kinds.push_back(
        {kind("", "v1", "events", "Event", true),
         QStringLiteral("Events"),
         QStringLiteral("Cluster"),
         {Column{QStringLiteral("Last seen"),
                 [](const Json &o, const QDateTime &now) {
                     QDateTime t = eventLastSeen(o);
                     return t.isValid() ? humanDuration(t.secsTo(now)) : QString();
                 },
                 [](const Json &o, const QDateTime &now) {
                     QDateTime t = eventLastSeen(o);
                     return QVariant(t.isValid() ? t.secsTo(now) : -1);
                 },
                 true},
          textColumn("Type",
                     [](const Json &o, const QDateTime &) { return jsonString(o, {"type"}); }),
          textColumn("Reason",
                     [](const Json &o, const QDateTime &) { return jsonString(o, {"reason"}); }),
          textColumn("Object", [](const Json &o, const QDateTime &) { return eventObject(o); }),
          textColumn("Message", [](const Json &o, const QDateTime &) {
              return jsonString(o, {"message"});
          })}});
    return kinds;
}

} // namespace

const std::vector<BrowsedKind> &browsedKinds() {
    static const std::vector<BrowsedKind> kinds = makeKinds();
    return kinds;
}

const BrowsedKind *browsedKind(const QString &kindKey) {
    for (const BrowsedKind &k : browsedKinds())
        if (k.kind.key() == kindKey)
            return &k;
    return nullptr;
}

std::vector<kube::ResourceKind> watchedKinds() {
    std::vector<kube::ResourceKind> kinds;
    for (const BrowsedKind &k : browsedKinds())
        kinds.push_back(k.kind);
    return kinds;
}

} // namespace kd::model
