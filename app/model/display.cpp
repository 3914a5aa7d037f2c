#include "model/display.h"

#include <string_view>

#include "semantics/jsonpath.h"
#include "semantics/resources.h"

#include <QStringList>

namespace kd::model {

using kube::Json;
using semantics::jsonAt;

QString jsonString(const Json &object, std::initializer_list<const char *> path) {
    const Json &v = jsonAt(object, path);
    return v.is_string() ? QString::fromStdString(v.get_ref<const std::string &>()) : QString();
}

qint64 jsonInt(const Json &object, std::initializer_list<const char *> path, qint64 fallback) {
    const Json &v = jsonAt(object, path);
    return v.is_number_integer() ? v.get<qint64>() : fallback;
}

namespace {

// A container state's reason the way kubectl prints it: the waiting or terminated reason, else
// the signal or exit code of a terminated container.
QString terminatedText(const Json &terminated, const char *prefix = "") {
    QString reason = jsonString(terminated, {"reason"});
    if (!reason.isEmpty())
        return QLatin1String(prefix) + reason;
    if (qint64 signal = jsonInt(terminated, {"signal"}); signal != 0)
        return QLatin1String(prefix) + QStringLiteral("Signal:%1").arg(signal);
    return QLatin1String(prefix) +
           QStringLiteral("ExitCode:%1").arg(jsonInt(terminated, {"exitCode"}));
}

// The init-container part of kubectl's STATUS: "Init:Error", "Init:1/3", or "" when done.
QString initStatus(const Json &pod) {
    const Json &statuses = jsonAt(pod, {"status", "initContainerStatuses"});
    if (!statuses.is_array())
        return {};
    int index = 0;
    for (const Json &cs : statuses) {
        const Json &terminated = jsonAt(cs, {"state", "terminated"});
        const Json &waiting = jsonAt(cs, {"state", "waiting"});
        if (terminated.is_object()) {
            if (jsonInt(terminated, {"exitCode"}) != 0)
                return terminatedText(terminated, "Init:");
        } else if (waiting.is_object() && !jsonString(waiting, {"reason"}).isEmpty() &&
                   jsonString(waiting, {"reason"}) != QLatin1String("PodInitializing")) {
            return QStringLiteral("Init:") + jsonString(waiting, {"reason"});
        } else {
            const Json &specInits = jsonAt(pod, {"spec", "initContainers"});
            int total = specInits.is_array() ? int(specInits.size()) : int(statuses.size());
            return QStringLiteral("Init:%1/%2").arg(index).arg(total);
        }
        ++index;
    }
    return {};
}

} // namespace

QString podStatusText(const Json &pod) {
    QString reason = jsonString(pod, {"status", "phase"});
    if (QString r = jsonString(pod, {"status", "reason"}); !r.isEmpty())
        reason = r;
    QString init = initStatus(pod);
    bool hasRunning = false;
    if (!init.isEmpty()) {
        reason = init;
    } else if (const Json &statuses = jsonAt(pod, {"status", "containerStatuses"});
               statuses.is_array()) {
        for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
            const Json &waiting = jsonAt(*it, {"state", "waiting"});
            const Json &terminated = jsonAt(*it, {"state", "terminated"});
            if (waiting.is_object() && !jsonString(waiting, {"reason"}).isEmpty())
                reason = jsonString(waiting, {"reason"});
            else if (terminated.is_object())
                reason = terminatedText(terminated);
            else if (jsonAt(*it, {"state", "running"}).is_object() &&
                     jsonAt(*it, {"ready"}) == true)
                hasRunning = true;
        }
        if (reason == QLatin1String("Completed") && hasRunning)
            reason = QStringLiteral("Running");
    }
    if (jsonAt(pod, {"metadata", "deletionTimestamp"}).is_string()) {
        reason = jsonString(pod, {"status", "reason"}) == QLatin1String("NodeLost")
                     ? QStringLiteral("Unknown")
                     : QStringLiteral("Terminating");
    }
    return reason.isEmpty() ? QStringLiteral("Unknown") : reason;
}

QString podReadyText(const Json &pod) {
    const Json &containers = jsonAt(pod, {"spec", "containers"});
    const Json &statuses = jsonAt(pod, {"status", "containerStatuses"});
    int total = containers.is_array() ? int(containers.size()) : 0;
    int ready = 0;
    if (statuses.is_array())
        for (const Json &cs : statuses)
            if (jsonAt(cs, {"ready"}) == true)
                ++ready;
    return QStringLiteral("%1/%2").arg(ready).arg(total);
}

int podRestarts(const Json &pod) {
    int restarts = 0;
    for (const char *field : {"containerStatuses", "initContainerStatuses"})
        if (const Json &statuses = jsonAt(pod, {"status", field}); statuses.is_array())
            for (const Json &cs : statuses)
                restarts += int(jsonInt(cs, {"restartCount"}));
    return restarts;
}

QString gpuRequestText(const Json &podSpec) {
    QStringList parts;
    for (const auto &[name, milli] : semantics::podSpecRequests(podSpec))
        if (semantics::isGpuResource(name) && milli > 0)
            parts << QStringLiteral("%1: %2").arg(QString::fromStdString(name)).arg(milli / 1000);
    return parts.join(QStringLiteral(", "));
}

qint64 gpuRequestCount(const Json &podSpec) {
    qint64 count = 0;
    for (const auto &[name, milli] : semantics::podSpecRequests(podSpec))
        if (semantics::isGpuResource(name))
            count += milli / 1000;
    return count;
}

QString gpuUnit(const Json &podSpec) {
    constexpr std::string_view kMig = "nvidia.com/mig-";
    for (const auto &[name, milli] : semantics::podSpecRequests(podSpec))
        if (milli > 0 && name.starts_with(kMig))
            return QStringLiteral("MIG ") + QString::fromStdString(name.substr(kMig.size()));
    return QStringLiteral("GPU");
}

QString humanDuration(qint64 seconds) {
    if (seconds < -1)
        return QStringLiteral("<invalid>");
    if (seconds < 0)
        return QStringLiteral("0s");
    if (seconds < 120)
        return QStringLiteral("%1s").arg(seconds);
    qint64 minutes = seconds / 60;
    if (minutes < 10) {
        qint64 s = seconds % 60;
        return s == 0 ? QStringLiteral("%1m").arg(minutes)
                      : QStringLiteral("%1m%2s").arg(minutes).arg(s);
    }
    if (minutes < 180)
        return QStringLiteral("%1m").arg(minutes);
    qint64 hours = minutes / 60;
    if (hours < 8) {
        qint64 m = minutes % 60;
        return m == 0 ? QStringLiteral("%1h").arg(hours)
                      : QStringLiteral("%1h%2m").arg(hours).arg(m);
    }
    if (hours < 48)
        return QStringLiteral("%1h").arg(hours);
    if (hours < 24 * 8) {
        qint64 h = hours % 24;
        return h == 0 ? QStringLiteral("%1d").arg(hours / 24)
                      : QStringLiteral("%1d%2h").arg(hours / 24).arg(h);
    }
    if (hours < 24 * 365 * 2)
        return QStringLiteral("%1d").arg(hours / 24);
    if (hours < 24 * 365 * 8) {
        qint64 dy = (hours / 24) % 365;
        return dy == 0 ? QStringLiteral("%1y").arg(hours / 24 / 365)
                       : QStringLiteral("%1y%2d").arg(hours / 24 / 365).arg(dy);
    }
    return QStringLiteral("%1y").arg(hours / 24 / 365);
}

QDateTime parseTimestamp(const Json &value) {
    if (!value.is_string())
        return {};
    return QDateTime::fromString(QString::fromStdString(value.get_ref<const std::string &>()),
                                 Qt::ISODateWithMs);
}

QDateTime eventLastSeen(const Json &ev) {
    for (const char *field : {"lastTimestamp", "eventTime", "firstTimestamp"})
        if (QDateTime t = parseTimestamp(jsonAt(ev, {field})); t.isValid())
            return t;
    return parseTimestamp(jsonAt(ev, {"metadata", "creationTimestamp"}));
}

qint64 ageSeconds(const Json &object, const QDateTime &now) {
    QDateTime created = parseTimestamp(jsonAt(object, {"metadata", "creationTimestamp"}));
    return created.isValid() ? created.secsTo(now) : -1;
}

QString ageText(const Json &object, const QDateTime &now) {
    QDateTime created = parseTimestamp(jsonAt(object, {"metadata", "creationTimestamp"}));
    return created.isValid() ? humanDuration(created.secsTo(now)) : QString();
}

QString nodeStatusText(const Json &node) {
    QString status = QStringLiteral("Unknown");
    if (const Json &conditions = jsonAt(node, {"status", "conditions"}); conditions.is_array())
        for (const Json &c : conditions)
            if (jsonString(c, {"type"}) == QLatin1String("Ready"))
                status = jsonString(c, {"status"}) == QLatin1String("True")
                             ? QStringLiteral("Ready")
                             : QStringLiteral("NotReady");
    if (jsonAt(node, {"spec", "unschedulable"}) == true)
        status += QStringLiteral(",SchedulingDisabled");
    return status;
}

int healthOf(const QString &kindKey, const Json &object) {
    if (kindKey == QLatin1String("pods")) {
        QString status = podStatusText(object);
        if (status == QLatin1String("Running")) {
            QString ready = podReadyText(object);
            return ready.section(QLatin1Char('/'), 0, 0) == ready.section(QLatin1Char('/'), 1) ? 0
                                                                                               : 1;
        }
        if (status == QLatin1String("Completed") || status == QLatin1String("Succeeded"))
            return 0;
        if (status == QLatin1String("Pending") || status.startsWith(QLatin1String("Init:")) ||
            status == QLatin1String("ContainerCreating") || status == QLatin1String("Terminating"))
            return status.startsWith(QLatin1String("Init:Error")) ? 2 : 1;
        return 2;
    }
    if (kindKey == QLatin1String("deployments.apps") ||
        kindKey == QLatin1String("statefulsets.apps") ||
        kindKey == QLatin1String("replicasets.apps")) {
        qint64 desired = jsonInt(object, {"spec", "replicas"}, 1);
        qint64 ready = jsonInt(object, {"status", "readyReplicas"});
        if (const Json &conditions = jsonAt(object, {"status", "conditions"});
            conditions.is_array())
            for (const Json &c : conditions)
                if (jsonString(c, {"reason"}) == QLatin1String("ProgressDeadlineExceeded"))
                    return 2;
        if (ready >= desired)
            return 0;
        return ready == 0 && desired > 0 ? 2 : 1;
    }
    if (kindKey == QLatin1String("nodes")) {
        QString status = nodeStatusText(object);
        if (status.startsWith(QLatin1String("NotReady")) ||
            status.startsWith(QLatin1String("Unknown")))
            return 2;
        return status.contains(QLatin1String("SchedulingDisabled")) ? 1 : 0;
    }
    if (kindKey == QLatin1String("events"))
        return jsonString(object, {"type"}) == QLatin1String("Warning") ? 1 : 0;
    return 0;
}

QString joinStringMap(const Json &map) {
    if (!map.is_object())
        return {};
    QStringList parts;
    for (auto it = map.begin(); it != map.end(); ++it) // the API server sends map keys sorted
        parts << QString::fromStdString(it.key()) + QLatin1Char('=') +
                     (it->is_string() ? QString::fromStdString(it->get_ref<const std::string &>())
                                      : QString::fromStdString(it->dump()));
    return parts.join(QLatin1Char(','));
}

} // namespace kd::model
