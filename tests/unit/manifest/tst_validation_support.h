#pragma once
// Shared by the tst_validation* tests: valid base objects, a compact way to edit them in _data
// rows, and the long upstream explanation texts the expectations quote.

#include "manifest/validation.h"

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>

namespace kdtest {

using Json = nlohmann::json;

// Upstream's explanation texts, spelled out once (note RegexError's double spaces).
inline const QString kSubdomainMsg =
    QStringLiteral("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                   "characters, '-' or '.', and must "
                   "start and end with an alphanumeric character (e.g. 'example.com', regex used "
                   "for validation is "
                   "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
inline const QString kLabelMsg = QStringLiteral(
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
inline const QString kDns1035Msg =
    QStringLiteral("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                   "start with an alphabetic "
                   "character, and end with an alphanumeric character (e.g. 'my-name',  or "
                   "'abc-123', regex used for validation "
                   "is '[a-z]([-a-z0-9]*[a-z0-9])?')");
inline const QString kKeyNameMsg =
    QStringLiteral("name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                   "start and end with an "
                   "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
                   "used for validation is "
                   "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
inline const QString kLabelValueMsg =
    QStringLiteral("a valid label must be an empty string or consist of alphanumeric characters, "
                   "'-', '_' or '.', and must start "
                   "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                   "'12345', regex used for "
                   "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
inline const QString kPercentMsg =
    QStringLiteral("a valid percent string must be a numeric string followed by an ending '%' "
                   "(e.g. '1%',  or '93%', regex used "
                   "for validation is '[0-9]+%')");
inline const QString kConfigKeyMsg =
    QStringLiteral("a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                   "(e.g. 'key.name',  or "
                   "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
inline const QString kPortRangeMsg = QStringLiteral("must be between 1 and 65535, inclusive");

// Valid objects of each kind the validator knows, in the shape kubectl sends them.
inline Json fixture(const QString &kind) {
    static const Json podSpec = Json::parse(R"({"containers":[{"name":"web","image":"nginx:1.25",
        "ports":[{"name":"http","containerPort":80}]}]})");
    const Json meta = {{"name", "web"}, {"namespace", "default"}, {"labels", {{"app", "web"}}}};
    const Json selector = {{"matchLabels", {{"app", "web"}}}};
    const Json templ = {{"metadata", {{"labels", {{"app", "web"}}}}}, {"spec", podSpec}};
    if (kind == QLatin1String("Deployment") || kind == QLatin1String("ReplicaSet") ||
        kind == QLatin1String("StatefulSet") || kind == QLatin1String("DaemonSet")) {
        Json o = {{"apiVersion", "apps/v1"},
                  {"kind", kind.toStdString()},
                  {"metadata", meta},
                  {"spec", {{"selector", selector}, {"template", templ}}}};
        if (kind != QLatin1String("DaemonSet"))
            o["spec"]["replicas"] = 2;
        if (kind == QLatin1String("StatefulSet"))
            o["spec"]["serviceName"] = "web";
        return o;
    }
    if (kind == QLatin1String("Pod"))
        return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}, {"spec", podSpec}};
    if (kind == QLatin1String("Service"))
        return {{"apiVersion", "v1"},
                {"kind", "Service"},
                {"metadata", meta},
                {"spec",
                 {{"selector", {{"app", "web"}}},
                  {"ports", Json::parse(R"([{"port":80,"targetPort":"http"}])")}}}};
    if (kind == QLatin1String("Ingress"))
        return {{"apiVersion", "networking.k8s.io/v1"},
                {"kind", "Ingress"},
                {"metadata", meta},
                {"spec",
                 Json::parse(R"({"rules":[{"host":"web.example.com","http":{"paths":[{"path":"/",
                    "pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]})")}};
    if (kind == QLatin1String("HorizontalPodAutoscaler"))
        return {{"apiVersion", "autoscaling/v2"},
                {"kind", "HorizontalPodAutoscaler"},
                {"metadata", meta},
                {"spec",
                 Json::parse(
                     R"({"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                    "minReplicas":1,"maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu",
                    "target":{"type":"Utilization","averageUtilization":80}}}]})")}};
    if (kind == QLatin1String("PodDisruptionBudget"))
        return {{"apiVersion", "policy/v1"},
                {"kind", "PodDisruptionBudget"},
                {"metadata", meta},
                {"spec", {{"minAvailable", 1}, {"selector", selector}}}};
    if (kind == QLatin1String("Namespace"))
        return {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "team-a"}}}};
    if (kind == QLatin1String("Node"))
        return {
            {"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "node-1.example.com"}}}};
    if (kind == QLatin1String("ConfigMap"))
        return {{"apiVersion", "v1"},
                {"kind", "ConfigMap"},
                {"metadata", meta},
                {"data", {{"app.conf", "x=1"}}}};
    if (kind == QLatin1String("Secret"))
        return {{"apiVersion", "v1"},
                {"kind", "Secret"},
                {"metadata", meta},
                {"type", "Opaque"},
                {"data", {{"password", "cGFzcw=="}}}};
    return {{"apiVersion", "example.com/v1"}, {"kind", kind.toStdString()}, {"metadata", meta}};
}

// Edits, one per string: "/json/pointer=<json value>" sets (creating objects on the way),
// "/json/pointer!" removes.
inline Json edited(Json doc, const QStringList &edits) {
    for (const QString &edit : edits) {
        const std::string text = edit.toStdString();
        if (!text.empty() && text.back() == '!') {
            const Json::json_pointer ptr(text.substr(0, text.size() - 1));
            doc[ptr.parent_pointer()].erase(ptr.back());
            continue;
        }
        const auto eq = text.find('=');
        doc[Json::json_pointer(text.substr(0, eq))] = Json::parse(text.substr(eq + 1));
    }
    return doc;
}

// "[Invalid] spec.replicas: Invalid value: -1: ..." per cause: reason without its FieldValue
// prefix, then what upstream's field.Error.Error() prints.
inline QStringList rendered(const std::vector<kd::manifest::FieldCause> &causes) {
    QStringList out;
    for (const auto &cause : causes) {
        QString reason = QString::fromStdString(cause.reason);
        if (reason.startsWith(QLatin1String("FieldValue")))
            reason = reason.mid(10);
        out << QStringLiteral("[%1] %2: %3")
                   .arg(reason, QString::fromStdString(cause.field),
                        QString::fromStdString(cause.message));
    }
    return out;
}

} // namespace kdtest
