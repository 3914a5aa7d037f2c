// Create-time validation of object metadata and of the workload kinds (Deployment, ReplicaSet,
// StatefulSet, DaemonSet), against the API server's own messages and field paths.

#include "tst_validation_support.h"

#include <QTest>

using namespace kd::manifest;
using namespace Qt::StringLiterals;
using kdtest::Json;

class TestValidation final : public QObject {
    Q_OBJECT

private slots:
    void validate_data();
    void validate();
    void namespaceOptional();
    void annotationsTotalSize();
    void labelLength();
};

namespace {

void row(const char *tag, const char *kind, const QStringList &edits, const QStringList &expected) {
    QTest::newRow(tag) << QString::fromLatin1(kind) << edits << expected;
}

const QString kNoMatch = u"`selector` does not match template `labels`"_s;

} // namespace

void TestValidation::validate_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("edits");
    QTest::addColumn<QStringList>("expected");

    // --- metadata ---
    for (const char *kind : {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Pod",
                             "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                             "Namespace", "Node", "ConfigMap", "Secret", "Widget"})
        row(QByteArray("valid ").append(kind).constData(), kind, {}, {});
    row("name invalid", "Deployment", {u"/metadata/name=\"Web_1\""_s},
        {u"[Invalid] metadata.name: Invalid value: \"Web_1\": "_s + kdtest::kSubdomainMsg});
    row("name missing", "Deployment", {u"/metadata/name!"_s},
        {u"[Required] metadata.name: Required value: name or generateName is required"_s});
    row("generateName only", "Deployment",
        {u"/metadata/name!"_s, u"/metadata/generateName=\"web-\""_s}, {});
    row("generateName invalid", "Deployment",
        {u"/metadata/name!"_s, u"/metadata/generateName=\"Web-\""_s},
        {u"[Invalid] metadata.generateName: Invalid value: \"Web-\": "_s + kdtest::kSubdomainMsg});
    row("namespace missing", "Deployment", {u"/metadata/namespace!"_s},
        {u"[Required] metadata.namespace: Required value"_s});
    row("namespace invalid", "Deployment", {u"/metadata/namespace=\"Team_A\""_s},
        {u"[Invalid] metadata.namespace: Invalid value: \"Team_A\": "_s + kdtest::kLabelMsg});
    row("namespace on cluster kind", "Node", {u"/metadata/namespace=\"default\""_s},
        {u"[Forbidden] metadata.namespace: Forbidden: not allowed on this type"_s});
    row("label key invalid", "Deployment", {u"/metadata/labels/-app=\"x\""_s},
        {u"[Invalid] metadata.labels: Invalid value: \"-app\": "_s + kdtest::kKeyNameMsg});
    row("label value invalid", "Deployment", {u"/metadata/labels/app=\"web app\""_s},
        {u"[Invalid] metadata.labels: Invalid value: \"web app\": "_s + kdtest::kLabelValueMsg});
    row("label prefixed ok", "Deployment", {u"/metadata/labels/app.kubernetes.io~1name=\"web\""_s},
        {});
    row("annotation key invalid", "Deployment", {u"/metadata/annotations/a~1b~1c=\"x\""_s},
        {uR"([Invalid] metadata.annotations: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'))"_s});
    row("annotation key case-insensitive", "Deployment",
        {u"/metadata/annotations/Example.COM~1Note=\"x\""_s}, {});
    row("finalizer not qualified", "Deployment", {u"/metadata/finalizers=[\"cleanup\"]"_s},
        {u"[Invalid] metadata.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified"_s});
    row("finalizer qualified", "Deployment", {u"/metadata/finalizers=[\"example.com/cleanup\"]"_s},
        {});
    row("finalizer on custom kind", "Widget", {u"/metadata/finalizers=[\"cleanup\"]"_s}, {});
    row("service name dns-1035", "Service", {u"/metadata/name=\"1web\""_s},
        {u"[Invalid] metadata.name: Invalid value: \"1web\": "_s + kdtest::kDns1035Msg});
    row("namespace name with dot", "Namespace", {u"/metadata/name=\"team.a\""_s},
        {u"[Invalid] metadata.name: Invalid value: \"team.a\": must not contain dots"_s});
    row("statefulset name with dot", "StatefulSet", {u"/metadata/name=\"web.db\""_s},
        {u"[Invalid] metadata.name: Invalid value: \"web.db\": must not contain dots"_s});
    row("node name with dots ok", "Node", {u"/metadata/name=\"gpu-1.zone-a.example.com\""_s}, {});
    row("custom kind name", "Widget", {u"/metadata/name=\"Web_1\""_s},
        {u"[Invalid] metadata.name: Invalid value: \"Web_1\": "_s + kdtest::kSubdomainMsg});

    // --- Deployment ---
    row("replicas negative", "Deployment", {u"/spec/replicas=-1"_s},
        {u"[Invalid] spec.replicas: Invalid value: -1: must be greater than or equal to 0"_s});
    row("replicas zero", "Deployment", {u"/spec/replicas=0"_s}, {});
    row("replicas as string", "Deployment", {u"/spec/replicas=\"3\""_s},
        {u"[TypeInvalid] spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""_s});
    row("selector missing", "Deployment", {u"/spec/selector!"_s},
        {u"[Required] spec.selector: Required value"_s,
         u"[Invalid] spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: "_s +
             kNoMatch});
    row("selector empty", "Deployment", {u"/spec/selector={\"matchLabels\":{}}"_s},
        {u"[Invalid] spec.selector: Invalid value: {}: empty selector is invalid for deployment"_s});
    row("selector mismatch", "Deployment", {u"/spec/template/metadata/labels={\"app\":\"x\"}"_s},
        {u"[Invalid] spec.template.metadata.labels: Invalid value: {\"app\":\"x\"}: "_s +
         kNoMatch});
    row("template without labels", "Deployment", {u"/spec/template/metadata!"_s},
        {u"[Invalid] spec.template.metadata.labels: Invalid value: null: "_s + kNoMatch});
    row("selector expression matches", "Deployment",
        {u"/spec/selector={\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\",\"values\":[\"web\",\"api\"]}]}"_s},
        {});
    row("selector expression excludes", "Deployment",
        {u"/spec/selector={\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"NotIn\",\"values\":[\"web\"]}]}"_s},
        {u"[Invalid] spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: "_s +
         kNoMatch});
    row("selector bad operator", "Deployment",
        {u"/spec/selector={\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Like\",\"values\":[\"web\"]}]}"_s},
        {u"[Invalid] spec.selector.matchExpressions[0].operator: Invalid value: \"Like\": not a valid selector operator"_s,
         u"[Invalid] spec.selector: Invalid value: {\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Like\",\"values\":[\"web\"]}]}: invalid label selector"_s});
    row("selector In without values", "Deployment",
        {u"/spec/selector={\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\"}]}"_s},
        {u"[Required] spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"_s,
         u"[Invalid] spec.selector: Invalid value: {\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\"}]}: invalid label selector"_s});
    row("strategy unsupported", "Deployment", {u"/spec/strategy={\"type\":\"BlueGreen\"}"_s},
        {u"[NotSupported] spec.strategy: Unsupported value: {\"Type\":\"BlueGreen\",\"RollingUpdate\":null}: supported values: \"Recreate\", \"RollingUpdate\""_s});
    row("recreate", "Deployment", {u"/spec/strategy={\"type\":\"Recreate\"}"_s}, {});
    row("recreate with rollingUpdate", "Deployment",
        {u"/spec/strategy={\"type\":\"Recreate\",\"rollingUpdate\":{\"maxSurge\":1}}"_s},
        {u"[Forbidden] spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"_s});
    row("surge and unavailable both 0", "Deployment",
        {u"/spec/strategy={\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":0}}"_s},
        {u"[Invalid] spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"_s});
    row("unavailable 0% and surge 0", "Deployment",
        {u"/spec/strategy={\"rollingUpdate\":{\"maxSurge\":\"0%\",\"maxUnavailable\":\"0%\"}}"_s},
        {u"[Invalid] spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"_s});
    row("surge 0 with default unavailable", "Deployment",
        {u"/spec/strategy={\"rollingUpdate\":{\"maxSurge\":0}}"_s}, {});
    row("unavailable over 100%", "Deployment",
        {u"/spec/strategy={\"rollingUpdate\":{\"maxUnavailable\":\"150%\"}}"_s},
        {u"[Invalid] spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%"_s});
    row("surge over 100%", "Deployment",
        {u"/spec/strategy={\"rollingUpdate\":{\"maxSurge\":\"150%\"}}"_s}, {});
    row("surge not a percent", "Deployment",
        {u"/spec/strategy={\"rollingUpdate\":{\"maxSurge\":\"20Percent\"}}"_s},
        {u"[Invalid] spec.strategy.rollingUpdate.maxSurge: Invalid value: \"20Percent\": "_s +
         kdtest::kPercentMsg});
    row("surge negative", "Deployment", {u"/spec/strategy={\"rollingUpdate\":{\"maxSurge\":-1}}"_s},
        {u"[Invalid] spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"_s});
    row("surge as float", "Deployment",
        {u"/spec/strategy={\"rollingUpdate\":{\"maxSurge\":1.5}}"_s},
        {u"[TypeInvalid] spec.strategy.rollingUpdate.maxSurge: Invalid value: \"number\": spec.strategy.rollingUpdate.maxSurge in body must be of type integer or string: \"number\""_s});
    row("revisionHistoryLimit negative", "Deployment", {u"/spec/revisionHistoryLimit=-1"_s},
        {u"[Invalid] spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"_s});
    row("revisionHistoryLimit zero", "Deployment", {u"/spec/revisionHistoryLimit=0"_s}, {});
    row("minReadySeconds negative", "Deployment", {u"/spec/minReadySeconds=-5"_s},
        {u"[Invalid] spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0"_s});
    row("deadline equals minReady", "Deployment",
        {u"/spec/minReadySeconds=30"_s, u"/spec/progressDeadlineSeconds=30"_s},
        {u"[Invalid] spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"_s});
    row("minReady beyond default deadline", "Deployment", {u"/spec/minReadySeconds=700"_s},
        {u"[Invalid] spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"_s});
    row("deadline after minReady", "Deployment",
        {u"/spec/minReadySeconds=30"_s, u"/spec/progressDeadlineSeconds=31"_s}, {});
    row("template restartPolicy Never", "Deployment",
        {u"/spec/template/spec/restartPolicy=\"Never\""_s},
        {u"[NotSupported] spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""_s});
    row("template restartPolicy unknown", "Deployment",
        {u"/spec/template/spec/restartPolicy=\"Sometimes\""_s},
        {u"[NotSupported] spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""_s,
         u"[NotSupported] spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\""_s});
    row("template activeDeadlineSeconds", "Deployment",
        {u"/spec/template/spec/activeDeadlineSeconds=30"_s},
        {u"[Forbidden] spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"_s});
    row("template label invalid", "Deployment", {u"/spec/template/metadata/labels/tier=\"a b\""_s},
        {u"[Invalid] spec.template.labels: Invalid value: \"a b\": "_s + kdtest::kLabelValueMsg});

    // --- ReplicaSet ---
    row("replicaset empty selector", "ReplicaSet", {u"/spec/selector={}"_s},
        {u"[Invalid] spec.selector: Invalid value: {}: empty selector is invalid for deployment"_s});
    row("replicaset mismatch", "ReplicaSet", {u"/spec/selector/matchLabels/app=\"api\""_s},
        {u"[Invalid] spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: "_s +
         kNoMatch});

    // --- StatefulSet ---
    row("statefulset empty selector", "StatefulSet", {u"/spec/selector={}"_s},
        {u"[Invalid] spec.selector: Invalid value: {}: empty selector is invalid for statefulset"_s});
    row("statefulset podManagementPolicy", "StatefulSet",
        {u"/spec/podManagementPolicy=\"Random\""_s},
        {u"[Invalid] spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"_s});
    row("statefulset OnDelete with rollingUpdate", "StatefulSet",
        {u"/spec/updateStrategy={\"type\":\"OnDelete\",\"rollingUpdate\":{\"partition\":1}}"_s},
        {u"[Invalid] spec.updateStrategy.rollingUpdate: Invalid value: {\"Partition\":1,\"MaxUnavailable\":null}: only allowed for updateStrategy 'RollingUpdate'"_s});
    row("statefulset negative partition", "StatefulSet",
        {u"/spec/updateStrategy={\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":-1}}"_s},
        {u"[Invalid] spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"_s});
    row("statefulset maxUnavailable 0", "StatefulSet",
        {u"/spec/updateStrategy={\"rollingUpdate\":{\"maxUnavailable\":0}}"_s},
        {u"[Invalid] spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"_s});
    row("statefulset strategy unknown", "StatefulSet",
        {u"/spec/updateStrategy={\"type\":\"Blue\"}"_s},
        {u"[Invalid] spec.updateStrategy: Invalid value: {\"Type\":\"Blue\",\"RollingUpdate\":null}: must be 'RollingUpdate' or 'OnDelete'"_s});
    // Upstream does not validate a StatefulSet's pod spec at create time.
    row("statefulset pod spec unchecked", "StatefulSet",
        {u"/spec/template/spec/containers/0/image!"_s}, {});
    row("statefulset restartPolicy", "StatefulSet",
        {u"/spec/template/spec/restartPolicy=\"OnFailure\""_s},
        {u"[NotSupported] spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""_s});

    // --- DaemonSet ---
    row("daemonset surge and unavailable", "DaemonSet",
        {u"/spec/updateStrategy={\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":1}}"_s},
        {u"[Invalid] spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"_s});
    row("daemonset surge only", "DaemonSet",
        {u"/spec/updateStrategy={\"rollingUpdate\":{\"maxUnavailable\":0,\"maxSurge\":\"10%\"}}"_s},
        {});
    row("daemonset nothing unavailable", "DaemonSet",
        {u"/spec/updateStrategy={\"rollingUpdate\":{\"maxUnavailable\":0}}"_s},
        {u"[Required] spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"_s});
    row("daemonset without selector", "DaemonSet", {u"/spec/selector!"_s},
        {u"[Invalid] spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: "_s +
         kNoMatch});
    row("daemonset empty selector", "DaemonSet", {u"/spec/selector={}"_s},
        {u"[Invalid] spec.selector: Invalid value: {}: empty selector is invalid for daemonset"_s});
}

void TestValidation::validate() {
    QFETCH(QString, kind);
    QFETCH(QStringList, edits);
    QFETCH(QStringList, expected);
    const Json object = kdtest::edited(kdtest::fixture(kind), edits);
    QCOMPARE(kdtest::rendered(validateObject(object)), expected);
}

void TestValidation::namespaceOptional() {
    Json object = kdtest::fixture(QStringLiteral("Deployment"));
    object["metadata"].erase("namespace");
    ValidationOptions lint;
    lint.requireNamespace = false;
    QVERIFY(validateObject(object, lint).empty());
    QCOMPARE(kdtest::rendered(validateObject(object)),
             QStringList{u"[Required] metadata.namespace: Required value"_s});
    // A namespace that is given is still checked.
    object["metadata"]["namespace"] = "Bad_NS";
    QCOMPARE(kdtest::rendered(validateObject(object, lint)),
             QStringList{u"[Invalid] metadata.namespace: Invalid value: \"Bad_NS\": "_s +
                         kdtest::kLabelMsg});
}

void TestValidation::annotationsTotalSize() {
    // 262144 bytes of keys and values are allowed; one more is not.
    Json object = kdtest::fixture(QStringLiteral("Deployment"));
    object["metadata"]["annotations"] = {{"big", std::string(262144 - 3, 'x')}};
    QVERIFY(validateObject(object).empty());
    object["metadata"]["annotations"]["big"] = std::string(262144 - 2, 'x');
    QCOMPARE(kdtest::rendered(validateObject(object)),
             QStringList{
                 u"[TooLong] metadata.annotations: Too long: may not be more than 262144 bytes"_s});
}

void TestValidation::labelLength() {
    Json object = kdtest::fixture(QStringLiteral("Deployment"));
    object["metadata"]["labels"]["app"] = std::string(63, 'a');
    QVERIFY(validateObject(object).empty());
    object["metadata"]["labels"]["app"] = std::string(64, 'a');
    QCOMPARE(kdtest::rendered(validateObject(object)),
             QStringList{u"[Invalid] metadata.labels: Invalid value: \""_s +
                         QString(64, QLatin1Char('a')) + u"\": must be no more than 63 bytes"_s});
    object = kdtest::fixture(QStringLiteral("Deployment"));
    object["metadata"]["name"] = std::string(254, 'a');
    QCOMPARE(kdtest::rendered(validateObject(object)),
             QStringList{u"[Invalid] metadata.name: Invalid value: \""_s +
                         QString(254, QLatin1Char('a')) +
                         u"\": must be no more than 253 characters"_s});
}

QTEST_APPLESS_MAIN(TestValidation)
#include "tst_validation.moc"
