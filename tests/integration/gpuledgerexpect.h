#pragma once
// What tst_gpuledger_sandbox expects of the GPU ledger, worked out on its own from the objects'
// JSON (not with the semantics functions the ledger uses): GPU amounts per pod with init
// containers, sidecars and overhead, owners, the scheduler's messages, the GPU nodes the test
// creates, and every view of a ledger as lines to compare.

#include "kube/kubeobject.h"
#include "model/columns.h"
#include "model/gpuledger.h"
#include "model/objectstore.h"

#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <string>

namespace kd::testing::gpuexpect {

using kube::Json;

using GpuAmounts = std::map<std::string, qint64>;

inline kube::ResourceKind kindOf(const char *key) {
    return model::browsedKind(QString::fromLatin1(key))->kind;
}

inline bool isGpuName(const std::string &r) {
    return r == "nvidia.com/gpu" || r == "amd.com/gpu" || r.rfind("nvidia.com/mig-", 0) == 0;
}

// A whole-unit quantity: 2, "2" or "2000m".
inline qint64 units(const Json &q) {
    const QString s = q.is_string() ? QString::fromStdString(q.get<std::string>()) : QString();
    if (q.is_number_integer())
        return q.get<qint64>();
    return s.endsWith(QLatin1Char('m')) ? (s.chopped(1).toLongLong() + 999) / 1000 : s.toLongLong();
}

inline const Json &field(const Json &o, std::initializer_list<const char *> path) {
    static const Json null;
    const Json *cur = &o;
    for (const char *key : path) {
        if (!cur->is_object() || !cur->contains(key))
            return null;
        cur = &(*cur)[key];
    }
    return *cur;
}

inline QString str(const Json &o, std::initializer_list<const char *> path) {
    const Json &v = field(o, path);
    return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString();
}

// The GPU entries of a resource list (limits, requests, overhead, a node's capacity).
inline GpuAmounts gpusIn(const Json &list) {
    GpuAmounts out;
    if (list.is_object())
        for (auto it = list.begin(); it != list.end(); ++it)
            if (isGpuName(it.key()) && units(it.value()) > 0)
                out[it.key()] = units(it.value());
    return out;
}

// What one container asks for: its requests, else its limits (the API server's defaulting).
inline GpuAmounts containerGpus(const Json &c) {
    GpuAmounts out = gpusIn(field(c, {"resources", "limits"}));
    for (const auto &[r, n] : gpusIn(field(c, {"resources", "requests"})))
        out[r] = n;
    return out;
}

// The pod's GPUs as the scheduler counts them: app containers and sidecars add up; each plain
// init container runs alone next to the sidecars started before it; the larger wins, then the
// overhead is added.
inline GpuAmounts podGpus(const Json &pod) {
    GpuAmounts sum, initPeak, sidecars;
    for (const Json &c : field(pod, {"spec", "containers"}))
        for (const auto &[r, n] : containerGpus(c))
            sum[r] += n;
    const Json &inits = field(pod, {"spec", "initContainers"});
    for (const Json &c : inits.is_array() ? inits : Json::array()) {
        const bool sidecar = c.value("restartPolicy", "") == "Always";
        GpuAmounts running = sidecars;
        for (const auto &[r, n] : containerGpus(c)) {
            running[r] += n;
            sidecars[r] += sidecar ? n : 0;
            sum[r] += sidecar ? n : 0;
        }
        for (const auto &[r, n] : running)
            initPeak[r] = std::max(initPeak[r], n);
    }
    for (const auto &[r, n] : initPeak)
        sum[r] = std::max(sum[r], n);
    for (const auto &[r, n] : gpusIn(field(pod, {"spec", "overhead"})))
        sum[r] += n;
    std::erase_if(sum, [](const auto &e) { return e.second == 0; });
    return sum;
}

inline QString text(const QString &s) {
    return s;
}
inline QString text(const std::string &s) {
    return QString::fromStdString(s);
}
inline QString text(qint64 n) {
    return QString::number(n);
}
// `format`'s %1, %2, ... filled with `args`.
template<typename... Args> inline QString fill(const char *format, const Args &...args) {
    return QString::fromUtf8(format).arg(text(args)...);
}

inline bool terminated(const Json &pod) {
    const QString phase = str(pod, {"status", "phase"});
    return phase == QLatin1String("Succeeded") || phase == QLatin1String("Failed");
}

// The PodScheduled=False condition's message, or null when there is none.
inline std::optional<QString> unschedulableMessage(const Json &pod) {
    const Json &conditions = field(pod, {"status", "conditions"});
    for (const Json &c : conditions.is_array() ? conditions : Json::array())
        if (c.value("type", "") == "PodScheduled" && c.value("status", "") == "False")
            return QString::fromStdString(c.value("message", ""));
    return std::nullopt;
}

// "Kind/namespace/name" of the workload over a pod, from its owner references and the listed
// ReplicaSets.
inline QString ownerIdOf(const model::ObjectStore &store, const Json &pod) {
    const QString ns = str(pod, {"metadata", "namespace"});
    const Json &refs = field(pod, {"metadata", "ownerReferences"});
    if (!refs.is_array() || refs.empty())
        return fill("Pod/%1/%2", ns, str(pod, {"metadata", "name"}));
    const Json *ref = &refs.front();
    for (const Json &r : refs)
        ref = r.value("controller", false) ? &r : ref;
    QString kind = str(*ref, {"kind"}), name = str(*ref, {"name"});
    if (kind == QLatin1String("ReplicaSet"))
        if (kube::ObjectPtr rs = store.get(QStringLiteral("replicasets.apps"), ns, name))
            for (const Json &up : field(rs->json(), {"metadata", "ownerReferences"}))
                if (up.value("controller", false) && up.value("kind", "") == "Deployment") {
                    kind = QStringLiteral("Deployment");
                    name = str(up, {"name"});
                }
    return fill("%1/%2/%3", kind, ns, name);
}

inline const char *const kGpu = "nvidia.com/gpu"; // also the key of the GPU nodes' taint
inline const char *const kProducts[] = {"NVIDIA-A100-SXM4-80GB", "NVIDIA-L4",
                                        "NVIDIA-H100-80GB-HBM3", "NVIDIA-A100-SXM4-40GB",
                                        "NVIDIA-B200"}; // no B200 node exists

inline Json nodeJson(const std::string &pool, int index, const char *product, bool tainted,
                     const Json &gpus) {
    const std::string name = "gke-lab-" + pool + "-" + std::to_string(index);
    Json labels = {{"cloud.google.com/gke-nodepool", pool},
                   {"kubernetes.io/hostname", name},
                   {"nvidia.com/gpu.present", "true"},
                   {"nvidia.com/gpu.product", product},
                   {"nvidia.com/gpu.memory", "81920"},
                   {"nvidia.com/gpu.count", "8"},
                   {"nvidia.com/mig.strategy", gpus.size() > 1 ? "mixed" : "single"}};
    Json resources = {{"cpu", "96"}, {"memory", "680Gi"}, {"pods", "110"}};
    resources.update(gpus);
    Json node = {{"metadata", {{"name", name}, {"labels", labels}}},
                 {"spec", Json::object()},
                 {"status",
                  {{"capacity", resources},
                   {"allocatable", resources},
                   {"conditions", Json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
    if (tainted)
        node["spec"]["taints"] =
            Json::array({{{"key", kGpu}, {"value", "present"}, {"effect", "NoSchedule"}}});
    return node;
}

// Every view of a ledger as lines, so that two ledgers compare line by line.
inline QStringList describe(const model::GpuLedger &l) {
    QStringList out;
    for (const model::GpuNode &n : l.nodes()) {
        out << fill("node %1 pool=%2 product=%3 mem=%4 count=%5 mig=%6 ready=%7 cordoned=%8 %9",
                    n.name, n.pool, n.product, n.memoryMiB, n.gpuCount, n.migStrategy,
                    qint64(n.ready), qint64(n.unschedulable), n.taints.join(QLatin1Char(',')));
        for (const model::GpuResourceUse &r : n.resources) {
            out << fill("  %1 cap=%2 alloc=%3 used=%4 free=%5", r.resource, r.capacity,
                        r.allocatable, r.used, r.free());
            for (const model::GpuHolder &h : r.holders)
                out << fill("    %1/%2 by %3 x%4", h.namespaceName, h.pod, h.ownerId(), h.units);
        }
    }
    for (const model::GpuPoolUse &p : l.pools())
        out << fill("pool %1 %2 %3 nodes=%4 alloc=%5 used=%6 free=%7 sched=%8 largest=%9", p.pool,
                    p.resource, p.product, qint64(p.nodes), p.allocatable, p.used, p.free,
                    p.freeSchedulable, p.largestFreeBlock) +
                   fill(" on %1: %2", p.largestFreeNode, p.fragmentationText());
    for (const model::PendingGpuPod &p : l.pendingPods())
        out << fill("pending %1/%2 by %3 %4 x%5 fits=%6 on=%7 | %8 | %9", p.namespaceName, p.pod,
                    p.ownerId(), p.resource, p.units, qint64(p.fitsNow), p.fitsOn,
                    p.schedulerMessage, p.explanation);
    for (const semantics::NodeState &n : l.schedulerView()) {
        QString line = fill("view %1 pods=%2", n.name, qint64(n.pods.size()));
        for (const auto &[r, v] : n.requested) // a sum that went back to 0 may stay as 0
            line += v ? fill(" %1=%2", r, v) : QString();
        out << line;
    }
    return out;
}

} // namespace kd::testing::gpuexpect
