#include "model/objects.h"

#include "semantics/jsonpath.h"

#include <limits>

namespace kd::model {

using kube::Json;
using semantics::jsonAt;

namespace {

QString text(const Json &object, std::initializer_list<const char *> path) {
    const Json &v = jsonAt(object, path);
    return v.is_string() ? QString::fromStdString(v.get_ref<const std::string &>()) : QString();
}

int integer(const Json &object, std::initializer_list<const char *> path, int fallback) {
    const Json &v = jsonAt(object, path);
    if (!v.is_number_integer())
        return fallback;
    const auto n = v.get<long long>();
    return n < 0 || n > std::numeric_limits<int>::max() ? fallback : static_cast<int>(n);
}

} // namespace

QStringList ownerUids(const Json &object) {
    QStringList out;
    const Json &refs = jsonAt(object, {"metadata", "ownerReferences"});
    if (!refs.is_array())
        return out;
    for (const Json &ref : refs)
        if (QString uid = text(ref, {"uid"}); !uid.isEmpty())
            out.push_back(uid);
    return out;
}

OwnerRef controllerOf(const Json &object) {
    const Json &refs = jsonAt(object, {"metadata", "ownerReferences"});
    if (refs.is_array())
        for (const Json &ref : refs)
            if (const Json &c = jsonAt(ref, {"controller"}); c.is_boolean() && c.get<bool>())
                return OwnerRef{text(ref, {"apiVersion"}), text(ref, {"kind"}), text(ref, {"name"}),
                                text(ref, {"uid"})};
    return {};
}

QString podPhase(const Json &pod) {
    return text(pod, {"status", "phase"});
}

QString podNodeName(const Json &pod) {
    return text(pod, {"spec", "nodeName"});
}

ContainerCounts podContainerCounts(const Json &pod) {
    ContainerCounts c;
    if (const Json &spec = jsonAt(pod, {"spec", "containers"}); spec.is_array())
        c.total = static_cast<int>(spec.size());
    if (const Json &statuses = jsonAt(pod, {"status", "containerStatuses"}); statuses.is_array())
        for (const Json &s : statuses)
            if (const Json &r = jsonAt(s, {"ready"}); r.is_boolean() && r.get<bool>())
                ++c.ready;
    return c;
}

int podRestartCount(const Json &pod) {
    int total = 0;
    if (const Json &statuses = jsonAt(pod, {"status", "containerStatuses"}); statuses.is_array())
        for (const Json &s : statuses)
            total += integer(s, {"restartCount"}, 0);
    return total;
}

semantics::ResourceList podEffectiveRequests(const Json &pod) {
    if (!pod.is_object())
        return {};
    return semantics::podRequests(pod);
}

qint64 podGpuRequests(const Json &pod) {
    qint64 milli = 0;
    for (const auto &[name, amount] : podEffectiveRequests(pod))
        if (semantics::isGpuResource(name))
            milli += amount;
    return milli / 1000;
}

int desiredReplicas(const Json &workload) {
    return integer(workload, {"spec", "replicas"}, 1);
}

int readyReplicas(const Json &workload) {
    return integer(workload, {"status", "readyReplicas"}, 0);
}

} // namespace kd::model
