// Create-time validation of Services, Ingresses, HorizontalPodAutoscalers, PodDisruptionBudgets,
// Namespaces, ConfigMaps and Secrets, and the validator's behaviour on hostile input.

#include "tst_validation_support.h"

#include <QTest>

using namespace kd::manifest;
using namespace Qt::StringLiterals;
using kdtest::Json;

class TestValidationKinds final : public QObject {
    Q_OBJECT

private slots:
    void validate_data();
    void validate();
    void configMapSize();
    void hostileInput_data();
    void hostileInput();
    void kindChecks();
    void everyFieldAnyType();
};

namespace {

void row(const char *tag, const char *kind, const QStringList &edits, const QStringList &expected) {
    QTest::newRow(tag) << QString::fromLatin1(kind) << edits << expected;
}

void collectPointers(const Json &value, const std::string &prefix, std::vector<std::string> &out) {
    out.push_back(prefix);
    if (value.is_object()) {
        for (const auto &[k, item] : value.items()) {
            std::string token;
            for (char ch : k)
                token += ch == '~'   ? std::string("~0")
                         : ch == '/' ? std::string("~1")
                                     : std::string(1, ch);
            collectPointers(item, prefix + "/" + token, out);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            collectPointers(value[i], prefix + "/" + std::to_string(i), out);
    }
}

const QString kBackend = u"spec.rules[0].http.paths[0].backend"_s;

} // namespace

void TestValidationKinds::validate_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("edits");
    QTest::addColumn<QStringList>("expected");

    // --- Service ---
    row("service ports missing", "Service", {u"/spec/ports!"_s},
        {u"[Required] spec.ports: Required value"_s});
    row("headless service without ports", "Service",
        {u"/spec/ports!"_s, u"/spec/clusterIP=\"None\""_s}, {});
    row("external name service", "Service",
        {u"/spec/ports!"_s, u"/spec/type=\"ExternalName\""_s,
         u"/spec/externalName=\"db.example.com.\""_s},
        {});
    row("external name missing", "Service", {u"/spec/ports!"_s, u"/spec/type=\"ExternalName\""_s},
        {u"[Required] spec.externalName: Required value"_s});
    row("service port zero", "Service", {u"/spec/ports=[{\"targetPort\":8080}]"_s},
        {u"[Invalid] spec.ports[0].port: Invalid value: 0: "_s + kdtest::kPortRangeMsg});
    row("service target port defaults to port", "Service", {u"/spec/ports=[{\"port\":70000}]"_s},
        {u"[Invalid] spec.ports[0].port: Invalid value: 70000: "_s + kdtest::kPortRangeMsg,
         u"[Invalid] spec.ports[0].targetPort: Invalid value: 70000: "_s + kdtest::kPortRangeMsg});
    row("service two ports need names", "Service",
        {u"/spec/ports=[{\"port\":80},{\"port\":443}]"_s},
        {u"[Required] spec.ports[0].name: Required value"_s,
         u"[Required] spec.ports[1].name: Required value"_s});
    row("service port names duplicate", "Service",
        {u"/spec/ports=[{\"name\":\"web\",\"port\":80},{\"name\":\"web\",\"port\":443}]"_s},
        {u"[Duplicate] spec.ports[1].name: Duplicate value: \"web\""_s});
    row("service port name is a DNS label", "Service",
        {u"/spec/ports=[{\"name\":\"Web\",\"port\":80}]"_s},
        {u"[Invalid] spec.ports[0].name: Invalid value: \"Web\": "_s + kdtest::kLabelMsg});
    row("service protocol", "Service", {u"/spec/ports/0/protocol=\"HTTP\""_s},
        {u"[NotSupported] spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""_s});
    row("service type", "Service", {u"/spec/type=\"Internal\""_s},
        {u"[NotSupported] spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""_s});
    row("service NodePort", "Service",
        {u"/spec/type=\"NodePort\""_s, u"/spec/ports/0/nodePort=30080"_s}, {});
    row("service nodePort on ClusterIP", "Service", {u"/spec/ports/0/nodePort=30080"_s},
        {u"[Forbidden] spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"_s});
    row("service target port name", "Service", {u"/spec/ports/0/targetPort=\"Http\""_s},
        {u"[Invalid] spec.ports[0].targetPort: Invalid value: \"Http\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"_s});
    row("service target port number", "Service", {u"/spec/ports/0/targetPort=0"_s}, {});
    row("service session affinity", "Service", {u"/spec/sessionAffinity=\"Cookie\""_s},
        {u"[NotSupported] spec.sessionAffinity: Unsupported value: \"Cookie\": supported values: \"ClientIP\", \"None\""_s});

    // --- Ingress ---
    row("ingress pathType missing", "Ingress", {u"/spec/rules/0/http/paths/0/pathType!"_s},
        {u"[Required] spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"_s});
    row("ingress pathType unsupported", "Ingress",
        {u"/spec/rules/0/http/paths/0/pathType=\"Regex\""_s},
        {u"[NotSupported] spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""_s});
    row("ingress implementation specific", "Ingress",
        {u"/spec/rules/0/http/paths/0/pathType=\"ImplementationSpecific\""_s,
         u"/spec/rules/0/http/paths/0/path!"_s},
        {});
    row("ingress relative path", "Ingress", {u"/spec/rules/0/http/paths/0/path=\"api\""_s},
        {u"[Invalid] spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path"_s});
    row("ingress path with //", "Ingress", {u"/spec/rules/0/http/paths/0/path=\"/a//b\""_s},
        {u"[Invalid] spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"_s});
    row("ingress port name and number", "Ingress",
        {u"/spec/rules/0/http/paths/0/backend/service/port={\"name\":\"http\",\"number\":80}"_s},
        {u"[Invalid] "_s + kBackend +
         u": Invalid value: \"\": cannot set both port name & port number"_s});
    row("ingress port by name", "Ingress",
        {u"/spec/rules/0/http/paths/0/backend/service/port={\"name\":\"http\"}"_s}, {});
    row("ingress port missing", "Ingress",
        {u"/spec/rules/0/http/paths/0/backend/service/port={}"_s},
        {u"[Required] "_s + kBackend + u": Required value: port name or number is required"_s});
    row("ingress port number range", "Ingress",
        {u"/spec/rules/0/http/paths/0/backend/service/port/number=65536"_s},
        {u"[Invalid] "_s + kBackend + u".service.port.number: Invalid value: 65536: "_s +
         kdtest::kPortRangeMsg});
    row("ingress service name", "Ingress",
        {u"/spec/rules/0/http/paths/0/backend/service/name=\"Web\""_s},
        {u"[Invalid] "_s + kBackend + u".service.name: Invalid value: \"Web\": "_s +
         kdtest::kDns1035Msg});
    row("ingress backend missing", "Ingress", {u"/spec/rules/0/http/paths/0/backend={}"_s},
        {u"[Invalid] "_s + kBackend +
         u": Invalid value: \"\": resource or service backend is required"_s});
    row("ingress nothing to route", "Ingress", {u"/spec/rules!"_s},
        {u"[Invalid] spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"_s});
    row("ingress default backend only", "Ingress",
        {u"/spec/rules!"_s,
         u"/spec/defaultBackend={\"service\":{\"name\":\"web\",\"port\":{\"number\":80}}}"_s},
        {});
    row("ingress host is an IP", "Ingress", {u"/spec/rules/0/host=\"10.0.0.1\""_s},
        {u"[Invalid] spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"_s});
    row("ingress wildcard host", "Ingress", {u"/spec/rules/0/host=\"*.example.com\""_s}, {});
    row("ingress paths missing", "Ingress", {u"/spec/rules/0/http/paths=[]"_s},
        {u"[Required] spec.rules[0].http.paths: Required value"_s});

    // --- HorizontalPodAutoscaler ---
    row("hpa minReplicas zero", "HorizontalPodAutoscaler", {u"/spec/minReplicas=0"_s},
        {u"[Invalid] spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"_s});
    row("hpa max below min", "HorizontalPodAutoscaler",
        {u"/spec/minReplicas=3"_s, u"/spec/maxReplicas=2"_s},
        {u"[Invalid] spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"_s});
    row("hpa maxReplicas missing", "HorizontalPodAutoscaler", {u"/spec/maxReplicas!"_s},
        {u"[Invalid] spec.maxReplicas: Invalid value: 0: must be greater than 0"_s,
         u"[Invalid] spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`"_s});
    row("hpa target name missing", "HorizontalPodAutoscaler", {u"/spec/scaleTargetRef/name!"_s},
        {u"[Required] spec.scaleTargetRef.name: Required value"_s});
    row("hpa target kind with slash", "HorizontalPodAutoscaler",
        {u"/spec/scaleTargetRef/kind=\"apps/Deployment\""_s},
        {u"[Invalid] spec.scaleTargetRef.kind: Invalid value: \"apps/Deployment\": may not contain '/'"_s});
    row("hpa metric type", "HorizontalPodAutoscaler", {u"/spec/metrics/0/type=\"Memory\""_s},
        {u"[NotSupported] spec.metrics[0].type: Unsupported value: \"Memory\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\""_s});
    row("hpa two metric sources", "HorizontalPodAutoscaler",
        {u"/spec/metrics/0/pods={\"metric\":{\"name\":\"qps\"},\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"10\"}}"_s},
        {u"[Forbidden] spec.metrics[0].pods: Forbidden: must populate the given metric source only"_s});
    row("hpa metric source missing", "HorizontalPodAutoscaler",
        {u"/spec/metrics=[{\"type\":\"Resource\"}]"_s},
        {u"[Required] spec.metrics[0].resource: Required value: must populate information for the given metric source"_s});
    row("hpa utilization zero", "HorizontalPodAutoscaler",
        {u"/spec/metrics/0/resource/target/averageUtilization=0"_s},
        {u"[Invalid] spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"_s});
    row("hpa v1", "HorizontalPodAutoscaler",
        {u"/apiVersion=\"autoscaling/v1\""_s, u"/spec/metrics!"_s,
         u"/spec/targetCPUUtilizationPercentage=0"_s},
        {u"[Invalid] spec.targetCPUUtilizationPercentage: Invalid value: 0: must be greater than 0"_s});

    // --- PodDisruptionBudget ---
    row("pdb both set", "PodDisruptionBudget", {u"/spec/maxUnavailable=\"10%\""_s},
        {u"[Invalid] spec: Invalid value: {\"MinAvailable\":1,\"Selector\":{\"matchLabels\":{\"app\":\"web\"}},\"MaxUnavailable\":\"10%\",\"UnhealthyPodEvictionPolicy\":null}: minAvailable and maxUnavailable cannot be both set"_s});
    row("pdb maxUnavailable only", "PodDisruptionBudget",
        {u"/spec/minAvailable!"_s, u"/spec/maxUnavailable=1"_s}, {});
    row("pdb over 100%", "PodDisruptionBudget", {u"/spec/minAvailable=\"150%\""_s},
        {u"[Invalid] spec.minAvailable: Invalid value: \"150%\": must not be greater than 100%"_s});
    row("pdb negative", "PodDisruptionBudget",
        {u"/spec/minAvailable!"_s, u"/spec/maxUnavailable=-1"_s},
        {u"[Invalid] spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"_s});
    row("pdb eviction policy", "PodDisruptionBudget",
        {u"/spec/unhealthyPodEvictionPolicy=\"Never\""_s},
        {u"[NotSupported] spec.unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""_s});
    // Only the generic path-segment rule applies to a PDB's name, and only once the spec passes.
    row("pdb name loose", "PodDisruptionBudget", {u"/metadata/name=\"Web_1\""_s}, {});
    row("pdb name with slash", "PodDisruptionBudget", {u"/metadata/name=\"a/b\""_s},
        {u"[Invalid] metadata.name: Invalid value: \"a/b\": may not contain '/'"_s});
    row("pdb name and spec", "PodDisruptionBudget",
        {u"/metadata/name=\"a/b\""_s, u"/spec/minAvailable=-1"_s},
        {u"[Invalid] spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"_s});

    // --- Namespace, ConfigMap, Secret ---
    row("namespace finalizer", "Namespace", {u"/spec/finalizers=[\"custom\"]"_s},
        {u"[Invalid] spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified"_s});
    row("namespace kubernetes finalizer", "Namespace", {u"/spec/finalizers=[\"kubernetes\"]"_s},
        {});
    row("configmap key", "ConfigMap", {u"/data/app conf=\"x\""_s},
        {u"[Invalid] data[app conf]: Invalid value: \"app conf\": "_s + kdtest::kConfigKeyMsg});
    row("configmap dotdot key", "ConfigMap", {u"/data/..data=\"x\""_s},
        {u"[Invalid] data[..data]: Invalid value: \"..data\": must not start with '..'"_s});
    row("configmap binary", "ConfigMap", {u"/binaryData/logo.png=\"iVBORw0KGgo=\""_s}, {});
    row("configmap key in both", "ConfigMap", {u"/binaryData/app.conf=\"eA==\""_s},
        {u"[Invalid] data[app.conf]: Invalid value: \"app.conf\": duplicate of key present in binaryData"_s});
    row("configmap bad base64", "ConfigMap", {u"/binaryData/logo.png=\"iVBORw0KGgo\""_s},
        {u"[Invalid] binaryData[logo.png]: Invalid value: \"iVBORw0KGgo\": illegal base64 data at input byte 8"_s});
    row("secret bad base64", "Secret", {u"/data/password=\"pass word\""_s},
        {u"[Invalid] data[password]: Invalid value: \"<secret contents redacted>\": illegal base64 data at input byte 4"_s});
    row("secret unpadded", "Secret", {u"/data/password=\"cGFzcw\""_s},
        {u"[Invalid] data[password]: Invalid value: \"<secret contents redacted>\": illegal base64 data at input byte 4"_s});
    row("secret newline in base64", "Secret", {u"/data/password=\"cGFz\\ncw==\""_s}, {});
    row("secret stringData", "Secret", {u"/stringData={\"token\":\"plain text\"}"_s}, {});
    row("secret stringData key", "Secret", {u"/stringData={\"bad key\":\"x\"}"_s},
        {u"[Invalid] data[bad key]: Invalid value: \"bad key\": "_s + kdtest::kConfigKeyMsg});
    row("tls secret", "Secret",
        {u"/type=\"kubernetes.io/tls\""_s, u"/data={\"tls.crt\":\"Y2VydA==\"}"_s},
        {u"[Required] data[tls.key]: Required value"_s});
    row("basic auth secret", "Secret", {u"/type=\"kubernetes.io/basic-auth\""_s, u"/data={}"_s},
        {u"[Required] data[username]: Required value"_s,
         u"[Required] data[password]: Required value"_s});
    row("basic auth via stringData", "Secret",
        {u"/type=\"kubernetes.io/basic-auth\""_s, u"/data={}"_s,
         u"/stringData={\"username\":\"u\"}"_s},
        {});
}

void TestValidationKinds::validate() {
    QFETCH(QString, kind);
    QFETCH(QStringList, edits);
    QFETCH(QStringList, expected);
    const Json object = kdtest::edited(kdtest::fixture(kind), edits);
    QCOMPARE(kdtest::rendered(validateObject(object)), expected);
}

void TestValidationKinds::configMapSize() {
    Json object = kdtest::fixture(QStringLiteral("ConfigMap"));
    object["data"] = {{"a", std::string(1024 * 1024, 'x')}};
    QVERIFY(validateObject(object).empty());
    object["data"]["b"] = "y";
    QCOMPARE(kdtest::rendered(validateObject(object)),
             QStringList{u"[TooLong] : Too long: may not be more than 1048576 bytes"_s});
    QCOMPARE(QString::fromStdString(invalidMessage("ConfigMap", "web", validateObject(object))),
             u"ConfigMap \"web\" is invalid: : Too long: may not be more than 1048576 bytes"_s);
}

void TestValidationKinds::hostileInput_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("edits");
    QTest::addColumn<QStringList>("expected");

    row("metadata is a string", "Deployment", {u"/metadata=\"web\""_s},
        {u"[TypeInvalid] metadata: Invalid value: \"string\": metadata in body must be of type object: \"string\""_s,
         u"[Required] metadata.name: Required value: name or generateName is required"_s,
         u"[Required] metadata.namespace: Required value"_s});
    row("spec is a number", "Deployment", {u"/spec=3"_s},
        {u"[TypeInvalid] spec: Invalid value: \"integer\": spec in body must be of type object: \"integer\""_s,
         u"[Required] spec.selector: Required value"_s,
         u"[Invalid] spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`"_s,
         u"[Required] spec.template.spec.containers: Required value"_s});
    row("containers is an object", "Pod", {u"/spec/containers={\"name\":\"web\"}"_s},
        {u"[TypeInvalid] spec.containers: Invalid value: \"object\": spec.containers in body must be of type array: \"object\""_s,
         u"[Required] spec.containers: Required value"_s});
    row("container is a string", "Pod", {u"/spec/containers=[\"web\"]"_s},
        {u"[TypeInvalid] spec.containers[0]: Invalid value: \"string\": spec.containers[0] in body must be of type object: \"string\""_s});
    row("label value is a number", "Pod", {u"/metadata/labels/tier=3"_s},
        {u"[TypeInvalid] metadata.labels[tier]: Invalid value: \"integer\": metadata.labels[tier] in body must be of type string: \"integer\""_s});
    row("replicas beyond int32", "Deployment", {u"/spec/replicas=3000000000"_s},
        {u"[Invalid] spec.replicas: Invalid value: 3000000000: must be between -2147483648 and 2147483647, inclusive"_s});
    row("nulls everywhere", "Deployment",
        {u"/metadata/labels=null"_s, u"/spec/strategy=null"_s,
         u"/spec/template/spec/containers/0/ports=null"_s},
        {});
    row("ports entries mixed", "Pod",
        {u"/spec/containers/0/ports=[null,7,{\"containerPort\":\"80\"}]"_s},
        {u"[TypeInvalid] spec.containers[0].ports[1]: Invalid value: \"integer\": spec.containers[0].ports[1] in body must be of type object: \"integer\""_s,
         u"[TypeInvalid] spec.containers[0].ports[2].containerPort: Invalid value: \"string\": spec.containers[0].ports[2].containerPort in body must be of type integer: \"string\""_s,
         u"[Required] spec.containers[0].ports[2].containerPort: Required value"_s});
}

void TestValidationKinds::hostileInput() {
    validate();
}

void TestValidationKinds::kindChecks() {
    QVERIFY(hasKindChecks("apps/v1", "Deployment"));
    QVERIFY(hasKindChecks("v1", "Service"));
    QVERIFY(!hasKindChecks("v1", "Node"));
    QVERIFY(!hasKindChecks("example.com/v1", "Widget"));
    // Not an object at all.
    QCOMPARE(
        kdtest::rendered(validateObject(Json::array())),
        QStringList{
            u"[TypeInvalid] : Invalid value: \"array\": body must be of type object: \"array\""_s});
    QCOMPARE(
        kdtest::rendered(validateUpdate(Json(nullptr), Json::object())),
        QStringList{
            u"[TypeInvalid] : Invalid value: \"null\": body must be of type object: \"null\""_s});
    // Deeply nested junk where objects are expected is reported, not followed.
    Json deep = Json::array();
    Json *innermost = &deep;
    for (int i = 0; i < 2000; ++i) {
        innermost->push_back(Json::array());
        innermost = &innermost->back();
    }
    Json object = kdtest::fixture(QStringLiteral("Deployment"));
    object["spec"]["template"]["spec"]["volumes"] = deep;
    QCOMPARE(validateObject(object).size(), std::size_t(1));
}

void TestValidationKinds::everyFieldAnyType() {
    // Every field of every fixture replaced by every kind of JSON value: the validator must
    // answer (with causes) and never throw, for creates and updates alike.
    const Json replacements =
        Json::parse(R"([null, true, -1, 3000000000, 1.5, "", "x", [], [1], {}, {"a":1}])");
    std::size_t checked = 0;
    for (const char *kind : {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Pod",
                             "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                             "Namespace", "Node", "ConfigMap", "Secret", "Widget"}) {
        const Json base = kdtest::fixture(QString::fromLatin1(kind));
        std::vector<std::string> pointers;
        collectPointers(base, "", pointers);
        for (const std::string &pointer : pointers) {
            if (pointer.empty() || pointer == "/apiVersion" || pointer == "/kind")
                continue;
            for (const Json &replacement : replacements) {
                Json mutated = base;
                mutated[Json::json_pointer(pointer)] = replacement;
                try {
                    validateObject(mutated);
                    validateUpdate(mutated, base);
                    validateUpdate(base, mutated);
                } catch (const std::exception &e) {
                    QFAIL(qPrintable(QStringLiteral("%1 %2: %3")
                                         .arg(QString::fromLatin1(kind),
                                              QString::fromStdString(pointer),
                                              QString::fromUtf8(e.what()))));
                }
                ++checked;
            }
        }
    }
    QVERIFY(checked > 1000);
}

QTEST_APPLESS_MAIN(TestValidationKinds)
#include "tst_validationkinds.moc"
