#pragma once
// How Kubedeck prints object facts in tables, matching kubectl where kubectl prints them (STATUS
// of a pod, READY, AGE), so what users see agrees with what they know from the terminal.

#include "kube/kubeobject.h"

#include <QDateTime>
#include <QString>

namespace kd::model {

// kubectl's pod STATUS column: the phase, refined by the pod's reason, init and app containers'
// waiting/terminated reasons, and "Terminating" for pods being deleted.
QString podStatusText(const kube::Json &pod);
// "ready/total" app containers.
QString podReadyText(const kube::Json &pod);
int podRestarts(const kube::Json &pod);
// "nvidia.com/gpu: 2, nvidia.com/mig-1g.10gb: 1" from the pod's effective requests; "" when none.
QString gpuRequestText(const kube::Json &podSpec);
// Total GPUs (all GPU and MIG resources) a pod spec requests, in whole units.
qint64 gpuRequestCount(const kube::Json &podSpec);
// What those units are: "GPU" for whole GPUs, "MIG 1g.10gb" for MIG slices of that profile.
QString gpuUnit(const kube::Json &podSpec);

// kubectl's human duration: 45s, 3m20s, 5h, 3d4h, 2y100d.
QString humanDuration(qint64 seconds);
// Age of an object from metadata.creationTimestamp ("" when absent or unparseable).
QString ageText(const kube::Json &object, const QDateTime &now);
qint64 ageSeconds(const kube::Json &object, const QDateTime &now);
QDateTime parseTimestamp(const kube::Json &value);
// When an event last happened: lastTimestamp, else eventTime, firstTimestamp, creationTimestamp.
QDateTime eventLastSeen(const kube::Json &event);

// A node's STATUS: Ready / NotReady / Unknown, plus ",SchedulingDisabled" when cordoned.
QString nodeStatusText(const kube::Json &node);
// Whether an object is healthy, degraded or failing, for colour: 0 ok, 1 warning, 2 error.
int healthOf(const QString &kindKey, const kube::Json &object);

// "a=b,c=d" of a JSON string map, sorted by key.
QString joinStringMap(const kube::Json &map);
QString jsonString(const kube::Json &object, std::initializer_list<const char *> path);
qint64 jsonInt(const kube::Json &object, std::initializer_list<const char *> path,
               qint64 fallback = 0);

} // namespace kd::model
