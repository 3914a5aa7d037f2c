// Update validation (immutable fields, what the API server fills in from the stored object) and
// the Status message built from the causes.

#include "tst_validation_support.h"

#include <QTest>

using namespace kd::manifest;
using namespace Qt::StringLiterals;
using kdtest::Json;

class TestValidationUpdate final : public QObject {
    Q_OBJECT

private slots:
    void update_data();
    void update();
    void invalidMessages_data();
    void invalidMessages();
};

namespace {

// The stored object: the fixture as the server keeps it, with the fields it sets.
Json stored(const QString &kind, const QStringList &edits) {
    Json object = kdtest::fixture(kind);
    object["metadata"]["uid"] = "6c1f0a3e-0d5b-4d6f-9a51-1b2c3d4e5f60";
    object["metadata"]["creationTimestamp"] = "2024-01-01T00:00:00Z";
    object["metadata"]["resourceVersion"] = "5";
    return kdtest::edited(object, edits);
}

void row(const char *tag, const char *kind, const QStringList &oldEdits,
         const QStringList &newEdits, const QStringList &expected) {
    QTest::newRow(tag) << QString::fromLatin1(kind) << oldEdits << newEdits << expected;
}

QStringList times(int n, const QString &line) {
    QStringList out;
    for (int i = 0; i < n; ++i)
        out << line;
    return out;
}

} // namespace

void TestValidationUpdate::update_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("oldEdits");
    QTest::addColumn<QStringList>("newEdits");
    QTest::addColumn<QStringList>("expected");

    row("unchanged", "Deployment", {}, {}, {});
    row("scale", "Deployment", {}, {u"/spec/replicas=5"_s}, {});
    row("selector and labels changed", "Deployment", {},
        {u"/spec/selector/matchLabels/app=\"web2\""_s,
         u"/spec/template/metadata/labels/app=\"web2\""_s},
        {u"[Invalid] spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web2\"}}: field is immutable"_s});
    row("selector changed alone", "Deployment", {}, {u"/spec/selector/matchLabels/app=\"web2\""_s},
        {u"[Invalid] spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"_s,
         u"[Invalid] spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web2\"}}: field is immutable"_s});
    row("selector equal once defaulted", "Deployment", {},
        {u"/spec/selector/matchExpressions=[]"_s}, {});
    row("replicaset selector", "ReplicaSet", {},
        {u"/spec/selector/matchLabels/tier=\"fe\""_s,
         u"/spec/template/metadata/labels/tier=\"fe\""_s},
        {u"[Invalid] spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"tier\":\"fe\"}}: field is immutable"_s});
    row("daemonset selector", "DaemonSet", {},
        {u"/spec/selector={\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Exists\"}]}"_s},
        {u"[Invalid] spec.selector: Invalid value: {\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Exists\"}]}: field is immutable"_s});
    row("statefulset serviceName", "StatefulSet", {}, {u"/spec/serviceName=\"other\""_s},
        {u"[Forbidden] spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"_s});
    row("statefulset selector", "StatefulSet", {},
        {u"/spec/selector/matchLabels/tier=\"db\""_s,
         u"/spec/template/metadata/labels/tier=\"db\""_s},
        {u"[Forbidden] spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"_s});
    row("statefulset allowed changes", "StatefulSet", {},
        {u"/spec/replicas=5"_s, u"/spec/template/spec/containers/0/image=\"nginx:1.26\""_s,
         u"/spec/minReadySeconds=10"_s},
        {});
    row("statefulset stored defaults", "StatefulSet",
        {u"/spec/podManagementPolicy=\"OrderedReady\""_s, u"/spec/revisionHistoryLimit=10"_s}, {},
        {});
    row("name changed", "Deployment", {}, {u"/metadata/name=\"api\""_s},
        times(2, u"[Invalid] metadata.name: Invalid value: \"api\": field is immutable"_s));
    row("namespace changed", "Deployment", {}, {u"/metadata/namespace=\"prod\""_s},
        times(2, u"[Invalid] metadata.namespace: Invalid value: \"prod\": field is immutable"_s));
    row("uid changed", "Deployment", {}, {u"/metadata/uid=\"2222\""_s},
        times(2, u"[Invalid] metadata.uid: Invalid value: \"2222\": field is immutable"_s));
    row("uid omitted", "Deployment", {}, {u"/metadata/uid!"_s}, {});
    row("creationTimestamp changed", "Deployment", {},
        {u"/metadata/creationTimestamp=\"2025-06-01T00:00:00Z\""_s}, {});
    row("creationTimestamp added", "Deployment", {u"/metadata/creationTimestamp!"_s},
        {u"/metadata/creationTimestamp=\"2025-06-01T00:00:00Z\""_s},
        times(
            2,
            u"[Invalid] metadata.creationTimestamp: Invalid value: \"2025-06-01T00:00:00Z\": field is immutable"_s));
    row("label invalid", "Deployment", {}, {u"/metadata/labels/app=\"a b\""_s},
        times(3,
              u"[Invalid] metadata.labels: Invalid value: \"a b\": "_s + kdtest::kLabelValueMsg));
    row("custom kind label invalid", "Widget", {}, {u"/metadata/labels/app=\"a b\""_s},
        times(3,
              u"[Invalid] metadata.labels: Invalid value: \"a b\": "_s + kdtest::kLabelValueMsg));
    row("name syntax not rechecked", "Deployment", {u"/metadata/name=\"Web_1\""_s}, {}, {});
    row("spec still checked", "Deployment", {}, {u"/spec/replicas=-1"_s},
        {u"[Invalid] spec.replicas: Invalid value: -1: must be greater than or equal to 0"_s});
    row("pdb spec", "PodDisruptionBudget", {}, {u"/spec/minAvailable=\"101%\""_s},
        {u"[Invalid] spec.minAvailable: Invalid value: \"101%\": must not be greater than 100%"_s});
    row("configmap mutable", "ConfigMap", {}, {u"/data/app.conf=\"x=2\""_s}, {});
    row("configmap immutable data", "ConfigMap", {u"/immutable=true"_s},
        {u"/data/app.conf=\"x=2\""_s},
        {u"[Forbidden] data: Forbidden: field is immutable when `immutable` is set"_s});
    row("configmap immutable flag", "ConfigMap", {u"/immutable=true"_s}, {u"/immutable=false"_s},
        {u"[Forbidden] immutable: Forbidden: field is immutable when `immutable` is set"_s});
    row("configmap immutable unchanged", "ConfigMap", {u"/immutable=true"_s}, {}, {});
    row("secret type", "Secret", {},
        {u"/type=\"kubernetes.io/tls\""_s,
         u"/data={\"tls.crt\":\"Y2VydA==\",\"tls.key\":\"a2V5\"}"_s},
        {u"[Invalid] type: Invalid value: \"kubernetes.io/tls\": field is immutable"_s});
    row("secret type defaulted", "Secret", {u"/type!"_s}, {}, {});
    row("secret immutable same content", "Secret", {u"/immutable=true"_s},
        {u"/data={}"_s, u"/stringData={\"password\":\"pass\"}"_s}, {});
    row("secret immutable new content", "Secret", {u"/immutable=true"_s},
        {u"/data/password=\"b3RoZXI=\""_s},
        {u"[Forbidden] data: Forbidden: field is immutable when `immutable` is set"_s});
}

void TestValidationUpdate::update() {
    QFETCH(QString, kind);
    QFETCH(QStringList, oldEdits);
    QFETCH(QStringList, newEdits);
    QFETCH(QStringList, expected);
    const Json old = stored(kind, oldEdits);
    const Json now = kdtest::edited(old, newEdits);
    QCOMPARE(kdtest::rendered(validateUpdate(now, old)), expected);
}

void TestValidationUpdate::invalidMessages_data() {
    QTest::addColumn<QString>("qualifiedKind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("edits");
    QTest::addColumn<QString>("expected");

    QTest::newRow("one cause")
        << u"Deployment.apps"_s << u"web"_s << u"Deployment"_s
        << QStringList{u"/spec/replicas=-1"_s}
        << u"Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"_s;
    QTest::newRow("two causes")
        << u"Deployment.apps"_s << u"web"_s << u"Deployment"_s
        << QStringList{u"/spec/replicas=-1"_s, u"/spec/selector!"_s}
        << u"Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value, spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`]"_s;
    QTest::newRow("no cause") << u"Pod"_s << u"web"_s << u"Pod"_s << QStringList{}
                              << u"Pod \"web\" is invalid"_s;
    QTest::newRow("gpu")
        << u"Pod"_s << u"train"_s << u"Pod"_s
        << QStringList{u"/spec/containers/0/resources={\"requests\":{\"nvidia.com/gpu\":1},\"limits\":{\"nvidia.com/gpu\":2}}"_s}
        << u"Pod \"train\" is invalid: spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2"_s;
    QTest::newRow("name quoted") << u"Service"_s << u"we\"b"_s << u"Service"_s
                                 << QStringList{u"/spec/ports!"_s}
                                 << u"Service \"we\\\"b\" is invalid: spec.ports: Required value"_s;
}

void TestValidationUpdate::invalidMessages() {
    QFETCH(QString, qualifiedKind);
    QFETCH(QString, name);
    QFETCH(QString, kind);
    QFETCH(QStringList, edits);
    QFETCH(QString, expected);
    const auto causes = validateObject(kdtest::edited(kdtest::fixture(kind), edits));
    QCOMPARE(QString::fromStdString(
                 invalidMessage(qualifiedKind.toStdString(), name.toStdString(), causes)),
             expected);

    // The same cause reported twice (as an update reports metadata) is printed once.
    Json old = stored(u"Deployment"_s, {});
    Json now = kdtest::edited(old, {u"/metadata/uid=\"2222\""_s});
    const auto twice = validateUpdate(now, old);
    QCOMPARE(twice.size(), std::size_t(2));
    QCOMPARE(
        QString::fromStdString(invalidMessage("Deployment.apps", "web", twice)),
        u"Deployment.apps \"web\" is invalid: metadata.uid: Invalid value: \"2222\": field is immutable"_s);
}

QTEST_APPLESS_MAIN(TestValidationUpdate)
#include "tst_validationupdate.moc"
