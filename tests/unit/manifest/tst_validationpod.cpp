// Create-time validation of pod specs (in Pods and in Deployment templates): containers, ports,
// env, volumes, probes, tolerations, and resources including GPUs and MIG slices.

#include "tst_validation_support.h"

#include <QTest>

using namespace kd::manifest;
using namespace Qt::StringLiterals;
using kdtest::Json;

class TestValidationPod final : public QObject {
    Q_OBJECT

private slots:
    void podSpec_data();
    void podSpec();
    void resources_data();
    void resources();
};

namespace {

const QString C = u"spec.template.spec.containers[0]"_s;
const QString T = u"/spec/template/spec/containers/0"_s;
const QString R = u"spec.template.spec.containers[0].resources"_s;

// A Deployment whose template gets the edits (paths relative to the first container when they
// start with "c/", to the pod spec when they start with "p/").
void row(const char *tag, const QStringList &edits, const QStringList &expected) {
    QStringList full;
    for (const QString &e : edits) {
        if (e.startsWith(QLatin1String("c/")))
            full << T + e.mid(1);
        else if (e.startsWith(QLatin1String("p/")))
            full << u"/spec/template/spec"_s + e.mid(1);
        else
            full << e;
    }
    QTest::newRow(tag) << u"Deployment"_s << full << expected;
}

QString resourcesEdit(const char *json) {
    return u"c/resources="_s + QString::fromUtf8(json);
}

} // namespace

void TestValidationPod::podSpec_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("edits");
    QTest::addColumn<QStringList>("expected");

    row("containers empty", {u"p/containers=[]"_s},
        {u"[Required] spec.template.spec.containers: Required value"_s});
    row("container name missing", {u"c/name!"_s},
        {u"[Required] "_s + C + u".name: Required value"_s});
    row("container name invalid", {u"c/name=\"Web\""_s},
        {u"[Invalid] "_s + C + u".name: Invalid value: \"Web\": "_s + kdtest::kLabelMsg});
    row("container names duplicate",
        {u"p/containers=[{\"name\":\"web\",\"image\":\"a\"},{\"name\":\"web\",\"image\":\"b\"}]"_s},
        {u"[Duplicate] spec.template.spec.containers[1].name: Duplicate value: \"web\""_s});
    row("init container name clashes",
        {u"p/initContainers=[{\"name\":\"web\",\"image\":\"busybox\"}]"_s},
        {u"[Duplicate] spec.template.spec.initContainers[0].name: Duplicate value: \"web\""_s});
    row("init container with probe",
        {u"p/initContainers=[{\"name\":\"init\",\"image\":\"busybox\",\"readinessProbe\":{\"exec\":{\"command\":[\"true\"]}}}]"_s},
        {u"[Forbidden] spec.template.spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"_s});
    row("sidecar with probe",
        {u"p/initContainers=[{\"name\":\"proxy\",\"image\":\"envoy\",\"restartPolicy\":\"Always\",\"readinessProbe\":{\"tcpSocket\":{\"port\":15000}}}]"_s},
        {});
    row("image missing", {u"c/image!"_s}, {u"[Required] "_s + C + u".image: Required value"_s});
    row("containerPort zero", {u"c/ports/0/containerPort=0"_s},
        {u"[Required] "_s + C + u".ports[0].containerPort: Required value"_s});
    row("containerPort too big", {u"c/ports/0/containerPort=70000"_s},
        {u"[Invalid] "_s + C + u".ports[0].containerPort: Invalid value: 70000: "_s +
         kdtest::kPortRangeMsg});
    row("protocol unsupported", {u"c/ports/0/protocol=\"HTTP\""_s},
        {u"[NotSupported] "_s + C +
         u".ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""_s});
    row("protocol UDP", {u"c/ports/0/protocol=\"UDP\""_s}, {});
    row("port name too long", {u"c/ports/0/name=\"http-metrics-port\""_s},
        {u"[Invalid] "_s + C +
         u".ports[0].name: Invalid value: \"http-metrics-port\": must be no more than 15 characters"_s});
    row("port names duplicate",
        {u"c/ports=[{\"name\":\"http\",\"containerPort\":80},{\"name\":\"http\",\"containerPort\":81}]"_s},
        {u"[Duplicate] "_s + C + u".ports[1].name: Duplicate value: \"http\""_s});
    row("hostPort negative", {u"c/ports/0/hostPort=-1"_s},
        {u"[Invalid] "_s + C + u".ports[0].hostPort: Invalid value: -1: "_s +
         kdtest::kPortRangeMsg});
    row("env name missing", {u"c/env=[{\"value\":\"x\"}]"_s},
        {u"[Required] "_s + C + u".env[0].name: Required value"_s});
    row("env name with equals", {u"c/env=[{\"name\":\"A=B\"}]"_s},
        {u"[Invalid] "_s + C +
         u".env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"_s});
    row("env name relaxed", {u"c/env=[{\"name\":\"1.weird-NAME\"}]"_s}, {});
    row("env value and valueFrom",
        {u"c/env=[{\"name\":\"A\",\"value\":\"x\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"k\"}}}]"_s},
        {u"[Invalid] "_s + C +
         u".env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"_s});
    row("env secretKeyRef without key",
        {u"c/env=[{\"name\":\"A\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\"}}}]"_s},
        {u"[Required] "_s + C + u".env[0].valueFrom.secretKeyRef.key: Required value"_s});
    row("pull policy", {u"c/imagePullPolicy=\"Sometimes\""_s},
        {u"[NotSupported] "_s + C +
         u".imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""_s});
    row("mount without volume", {u"c/volumeMounts=[{\"name\":\"data\",\"mountPath\":\"/data\"}]"_s},
        {u"[NotFound] "_s + C + u".volumeMounts[0].name: Not found: \"data\""_s});
    row("mount with volume",
        {u"c/volumeMounts=[{\"name\":\"data\",\"mountPath\":\"/data\"}]"_s,
         u"p/volumes=[{\"name\":\"data\",\"emptyDir\":{}}]"_s},
        {});
    row("mount paths duplicate",
        {u"c/volumeMounts=[{\"name\":\"data\",\"mountPath\":\"/data\"},{\"name\":\"data\",\"mountPath\":\"/data\"}]"_s,
         u"p/volumes=[{\"name\":\"data\",\"emptyDir\":{}}]"_s},
        {u"[Invalid] "_s + C +
         u".volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique"_s});
    row("volume names duplicate",
        {u"p/volumes=[{\"name\":\"data\",\"emptyDir\":{}},{\"name\":\"data\",\"emptyDir\":{}}]"_s},
        {u"[Duplicate] spec.template.spec.volumes[1].name: Duplicate value: \"data\""_s});
    row("volume without source", {u"p/volumes=[{\"name\":\"data\"}]"_s},
        {u"[Required] spec.template.spec.volumes[0]: Required value: must specify a volume type"_s});
    row("volume two sources",
        {u"p/volumes=[{\"name\":\"data\",\"emptyDir\":{},\"hostPath\":{\"path\":\"/x\"}}]"_s},
        {u"[Forbidden] spec.template.spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"_s});
    row("volume claim without name",
        {u"p/volumes=[{\"name\":\"data\",\"persistentVolumeClaim\":{}}]"_s},
        {u"[Required] spec.template.spec.volumes[0].persistentVolumeClaim.claimName: Required value"_s});
    row("invalid volume cannot be mounted",
        {u"p/volumes=[{\"name\":\"Data\",\"emptyDir\":{}}]"_s,
         u"c/volumeMounts=[{\"name\":\"Data\",\"mountPath\":\"/d\"}]"_s},
        {u"[Invalid] spec.template.spec.volumes[0].name: Invalid value: \"Data\": "_s +
             kdtest::kLabelMsg,
         u"[NotFound] "_s + C + u".volumeMounts[0].name: Not found: \"Data\""_s});
    row("probe without handler", {u"c/livenessProbe={\"periodSeconds\":5}"_s},
        {u"[Required] "_s + C + u".livenessProbe: Required value: must specify a handler type"_s});
    row("probe two handlers",
        {u"c/readinessProbe={\"exec\":{\"command\":[\"true\"]},\"tcpSocket\":{\"port\":80}}"_s},
        {u"[Forbidden] "_s + C +
         u".readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"_s});
    row("probe port missing", {u"c/livenessProbe={\"httpGet\":{\"path\":\"/healthz\"}}"_s},
        {u"[Invalid] "_s + C + u".livenessProbe.httpGet.port: Invalid value: 0: "_s +
         kdtest::kPortRangeMsg});
    row("probe named port", {u"c/livenessProbe={\"httpGet\":{\"path\":\"/\",\"port\":\"http\"}}"_s},
        {});
    row("probe bad port name", {u"c/livenessProbe={\"tcpSocket\":{\"port\":\"HTTP\"}}"_s},
        {u"[Invalid] "_s + C +
             u".livenessProbe.tcpSocket.port: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"_s,
         u"[Invalid] "_s + C +
             u".livenessProbe.tcpSocket.port: Invalid value: \"HTTP\": must contain at least one letter (a-z)"_s});
    row("probe bad scheme", {u"c/livenessProbe={\"httpGet\":{\"port\":80,\"scheme\":\"FTP\"}}"_s},
        {u"[NotSupported] "_s + C +
         u".livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\""_s});
    row("grpc port", {u"c/startupProbe={\"grpc\":{\"port\":0}}"_s},
        {u"[Invalid] "_s + C + u".startupProbe.grpc.port: Invalid value: 0: "_s +
         kdtest::kPortRangeMsg});
    row("liveness success threshold",
        {u"c/livenessProbe={\"tcpSocket\":{\"port\":80},\"successThreshold\":2}"_s},
        {u"[Invalid] "_s + C + u".livenessProbe.successThreshold: Invalid value: 2: must be 1"_s});
    row("readiness success threshold",
        {u"c/readinessProbe={\"tcpSocket\":{\"port\":80},\"successThreshold\":2}"_s}, {});
    row("probe negative period",
        {u"c/livenessProbe={\"tcpSocket\":{\"port\":80},\"periodSeconds\":-1}"_s},
        {u"[Invalid] "_s + C +
         u".livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"_s});
    row("exec without command", {u"c/livenessProbe={\"exec\":{}}"_s},
        {u"[Required] "_s + C + u".livenessProbe.exec.command: Required value"_s});
    row("toleration operator",
        {u"p/tolerations=[{\"key\":\"gpu\",\"operator\":\"Bigger\",\"value\":\"x\"}]"_s},
        {u"[NotSupported] spec.template.spec.tolerations[0].operator: Unsupported value: \"Bigger\": supported values: \"Equal\", \"Exists\""_s});
    row("toleration effect",
        {u"p/tolerations=[{\"key\":\"gpu\",\"operator\":\"Exists\",\"effect\":\"NoRun\"}]"_s},
        {u"[NotSupported] spec.template.spec.tolerations[0].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""_s});
    row("toleration exists with value",
        {u"p/tolerations=[{\"key\":\"gpu\",\"operator\":\"Exists\",\"value\":\"true\",\"effect\":\"NoSchedule\"}]"_s},
        {u"[Invalid] spec.template.spec.tolerations[0].operator: Invalid value: {\"Key\":\"gpu\",\"Operator\":\"Exists\",\"Value\":\"true\",\"Effect\":\"NoSchedule\",\"TolerationSeconds\":null}: value must be empty when `operator` is 'Exists'"_s});
    row("toleration empty key", {u"p/tolerations=[{\"operator\":\"Equal\"}]"_s},
        {u"[Invalid] spec.template.spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""_s});
    row("toleration seconds",
        {u"p/tolerations=[{\"key\":\"k\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\",\"tolerationSeconds\":30}]"_s},
        {u"[Invalid] spec.template.spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"_s});
    row("tolerations valid",
        {u"p/tolerations=[{\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"_s},
        {});
    row("dnsPolicy", {u"p/dnsPolicy=\"Google\""_s},
        {u"[NotSupported] spec.template.spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""_s});
    row("nodeSelector value", {u"p/nodeSelector={\"nvidia.com/gpu.product\":\"NVIDIA A100\"}"_s},
        {u"[Invalid] spec.template.spec.nodeSelector: Invalid value: \"NVIDIA A100\": "_s +
         kdtest::kLabelValueMsg});

    QTest::newRow("pod restartPolicy")
        << u"Pod"_s << QStringList{u"/spec/restartPolicy=\"Sometimes\""_s}
        << QStringList{
               u"[NotSupported] spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""_s};
    QTest::newRow("pod restartPolicy OnFailure")
        << u"Pod"_s << QStringList{u"/spec/restartPolicy=\"OnFailure\""_s} << QStringList{};
    QTest::newRow("pod image whitespace")
        << u"Pod"_s << QStringList{u"/spec/containers/0/image=\" nginx\""_s}
        << QStringList{
               u"[Invalid] spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"_s};
}

void TestValidationPod::podSpec() {
    QFETCH(QString, kind);
    QFETCH(QStringList, edits);
    QFETCH(QStringList, expected);
    const Json object = kdtest::edited(kdtest::fixture(kind), edits);
    QCOMPARE(kdtest::rendered(validateObject(object)), expected);
}

void TestValidationPod::resources_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("edits");
    QTest::addColumn<QStringList>("expected");

    row("requests within limits",
        {resourcesEdit(
            R"({"requests":{"cpu":"500m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}})")},
        {});
    row("cpu request over limit",
        {resourcesEdit(R"({"requests":{"cpu":"2"},"limits":{"cpu":"1"}})")},
        {u"[Invalid] "_s + R +
         u".requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"_s});
    row("canonical quantities",
        {resourcesEdit(
            R"({"requests":{"cpu":"0.3","memory":"1024Mi"},"limits":{"cpu":"250m","memory":"0.5Gi"}})")},
        {u"[Invalid] "_s + R +
             u".requests: Invalid value: \"300m\": must be less than or equal to cpu limit of 250m"_s,
         u"[Invalid] "_s + R +
             u".requests: Invalid value: \"1Gi\": must be less than or equal to memory limit of 512Mi"_s});
    row("numbers as quantities", {resourcesEdit(R"({"requests":{"cpu":2},"limits":{"cpu":1.5}})")},
        {u"[Invalid] "_s + R +
         u".requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1500m"_s});
    row("decimal suffix kept",
        {resourcesEdit(R"({"requests":{"memory":"2G"},"limits":{"memory":"1000M"}})")},
        {u"[Invalid] "_s + R +
         u".requests: Invalid value: \"2G\": must be less than or equal to memory limit of 1G"_s});
    row("gpu fractional", {resourcesEdit(R"({"limits":{"nvidia.com/gpu":"0.5"}})")},
        {u"[Invalid] "_s + R +
         u".limits[nvidia.com/gpu]: Invalid value: \"500m\": must be an integer"_s});
    row("gpu request differs",
        {resourcesEdit(R"({"requests":{"nvidia.com/gpu":1},"limits":{"nvidia.com/gpu":2}})")},
        {u"[Invalid] "_s + R +
         u".requests: Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2"_s});
    row("gpu request without limit", {resourcesEdit(R"({"requests":{"nvidia.com/gpu":1}})")},
        {u"[Required] "_s + R +
         u".limits: Required value: Limit must be set for non overcommitable resources"_s});
    row("gpu request equals limit",
        {resourcesEdit(R"({"requests":{"nvidia.com/gpu":2},"limits":{"nvidia.com/gpu":"2"}})")},
        {});
    row("mig slice", {resourcesEdit(R"({"limits":{"nvidia.com/mig-1g.5gb":1}})")}, {});
    row("mig fractional",
        {resourcesEdit(
            R"({"requests":{"nvidia.com/mig-1g.5gb":"1.5"},"limits":{"nvidia.com/mig-1g.5gb":"1.5"}})")},
        {u"[Invalid] "_s + R +
             u".limits[nvidia.com/mig-1g.5gb]: Invalid value: \"1500m\": must be an integer"_s,
         u"[Invalid] "_s + R +
             u".requests[nvidia.com/mig-1g.5gb]: Invalid value: \"1500m\": must be an integer"_s});
    row("unqualified resource", {resourcesEdit(R"({"limits":{"gpu":1}})")},
        {u"[Invalid] "_s + R +
             u".limits[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified"_s,
         u"[Invalid] "_s + R +
             u".limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers"_s});
    row("quota resource in container", {resourcesEdit(R"({"limits":{"pods":1}})")},
        {u"[Invalid] "_s + R +
         u".limits[pods]: Invalid value: \"pods\": must be a standard resource for containers"_s});
    row("kubernetes.io resource is native",
        {resourcesEdit(R"({"requests":{"example.kubernetes.io/thing":"0.5"}})")}, {});
    row("negative cpu", {resourcesEdit(R"({"requests":{"cpu":"-1"}})")},
        {u"[Invalid] "_s + R +
         u".requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"_s});
    row("malformed quantity", {resourcesEdit(R"({"limits":{"memory":"lots"}})")},
        {u"[Invalid] "_s + R +
         u".limits[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"_s});
    row("hugepages alone",
        {resourcesEdit(
            R"({"limits":{"hugepages-2Mi":"100Mi"},"requests":{"hugepages-2Mi":"100Mi"}})")},
        {u"[Forbidden] "_s + R + u": Forbidden: HugePages require cpu or memory"_s});
    row("hugepages with memory",
        {resourcesEdit(
            R"({"limits":{"hugepages-2Mi":"100Mi","memory":"1Gi"},"requests":{"hugepages-2Mi":"100Mi"}})")},
        {});

    // In a Pod (not a template) a limit alone also sets the request.
    const QString podR = u"spec.containers[0].resources"_s;
    QTest::newRow("pod gpu limit only")
        << u"Pod"_s
        << QStringList{u"/spec/containers/0/resources={\"limits\":{\"nvidia.com/gpu\":1}}"_s}
        << QStringList{};
    QTest::newRow("pod gpu fractional limit")
        << u"Pod"_s
        << QStringList{u"/spec/containers/0/resources={\"limits\":{\"nvidia.com/gpu\":\"0.5\"}}"_s}
        << QStringList{
               u"[Invalid] "_s + podR +
                   u".limits[nvidia.com/gpu]: Invalid value: \"500m\": must be an integer"_s,
               u"[Invalid] "_s + podR +
                   u".requests[nvidia.com/gpu]: Invalid value: \"500m\": must be an integer"_s};
}

void TestValidationPod::resources() {
    podSpec();
}

QTEST_APPLESS_MAIN(TestValidationPod)
#include "tst_validationpod.moc"
