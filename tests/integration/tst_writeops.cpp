// Write operations with kubectl's semantics against the sandbox: scale, rollback, restart,
// server-side apply, delete and permission checks.
#include "kubeclienttesthelpers.h"

#include "kube/permissions.h"
#include "kube/writeops.h"

#include <QDateTime>
#include <QTest>

#include <memory>

using namespace kd;
using kube::ErrorKind;
using kube::Json;

namespace {

kube::ResourceKind configMaps() {
    return kube::ResourceKind{QString(), QStringLiteral("v1"), QStringLiteral("configmaps"),
                              QStringLiteral("ConfigMap"), true};
}

Json deployment(const std::string &name, const std::string &image, int replicas = 1) {
    const Json container = {{"name", "server"}, {"image", image}};
    const Json podTemplate = {{"metadata", {{"labels", {{"app", name}}}}},
                              {"spec", {{"containers", Json::array({container})}}}};
    const Json spec = {{"replicas", replicas},
                       {"selector", {{"matchLabels", {{"app", name}}}}},
                       {"template", podTemplate}};
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", spec}};
}

} // namespace

class TstWriteOps final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<testing::SandboxFixture> m_sandbox;
    std::unique_ptr<kube::ApiClient> m_client;

    QString depPath(const QString &name) {
        return kube::ApiClient::objectPath(kube::deploymentsKind(), QStringLiteral("default"),
                                           name);
    }
    Json getDeployment(const QString &name) {
        auto r = testing::await(m_client->get(depPath(name)));
        return r ? *r : Json();
    }
    std::string imageOf(const Json &dep) {
        return dep["spec"]["template"]["spec"]["containers"][0].value("image", "");
    }
    // The revisions of `name`'s ReplicaSets whose image is `image`.
    bool hasRevisionWithImage(const std::string &name, const std::string &image,
                              const std::string &revision) {
        auto r = testing::await(m_client->list(kube::replicaSetsKind(), QStringLiteral("default")));
        if (!r)
            return false;
        for (const auto &rs : (*r)["items"]) {
            const Json &meta = rs["metadata"];
            if (meta.value("name", "").rfind(name + "-", 0) != 0)
                continue;
            if (imageOf(rs) == image &&
                meta.value("annotations", Json::object())
                        .value("deployment.kubernetes.io/revision", "") == revision)
                return true;
        }
        return false;
    }
    void createDeployment(const std::string &name, const std::string &image) {
        KD_VERIFY_OK(testing::await(m_client->create(
            kube::ApiClient::collectionPath(kube::deploymentsKind(), QStringLiteral("default")),
            deployment(name, image))));
        QTRY_VERIFY_WITH_TIMEOUT(hasRevisionWithImage(name, image, "1"), 15000);
    }
    void setImage(const std::string &name, const std::string &image, const std::string &revision) {
        const Json container = {{"name", "server"}, {"image", image}};
        const Json patch = {
            {"spec", {{"template", {{"spec", {{"containers", Json::array({container})}}}}}}}};
        KD_VERIFY_OK(testing::await(m_client->patch(depPath(QString::fromStdString(name)),
                                                    kube::PatchType::Strategic, patch)));
        QTRY_VERIFY_WITH_TIMEOUT(hasRevisionWithImage(name, image, revision), 15000);
    }

private slots:
    void initTestCase() {
        m_sandbox = std::make_unique<testing::SandboxFixture>(
            testing::SandboxFixture::Options{"empty", 1.0, true});
        m_client = std::make_unique<kube::ApiClient>(testing::adminCertConfig(m_sandbox->server()),
                                                     nullptr);
        createDeployment("web", "registry.example/web:1");
        setImage("web", "registry.example/web:2", "2");
        createDeployment("solo", "registry.example/solo:1");
    }
    void cleanupTestCase() {
        m_client.reset();
        m_sandbox.reset();
    }

    void scalePlain() {
        auto r = testing::await(kube::scale(*m_client, kube::deploymentsKind(),
                                            QStringLiteral("default"), QStringLiteral("solo"), 3));
        KD_VERIFY_OK(r);
        QCOMPARE(r->value("kind", ""), std::string("Scale"));
        QCOMPARE((*r)["spec"]["replicas"].get<int>(), 3);
        QCOMPARE(getDeployment(QStringLiteral("solo"))["spec"]["replicas"].get<int>(), 3);
    }

    void scaleWithExpectedCurrent() {
        auto mismatch =
            testing::await(kube::scale(*m_client, kube::deploymentsKind(),
                                       QStringLiteral("default"), QStringLiteral("solo"), 1, 5));
        QVERIFY(!mismatch.ok());
        QCOMPARE(mismatch.error().kind, ErrorKind::Conflict);
        QCOMPARE(mismatch.error().message,
                 QStringLiteral("solo has 3 replicas now, not 5 as expected; nothing was changed"));
        QCOMPARE(getDeployment(QStringLiteral("solo"))["spec"]["replicas"].get<int>(), 3);

        auto ok =
            testing::await(kube::scale(*m_client, kube::deploymentsKind(),
                                       QStringLiteral("default"), QStringLiteral("solo"), 2, 3));
        KD_VERIFY_OK(ok);
        QCOMPARE(getDeployment(QStringLiteral("solo"))["spec"]["replicas"].get<int>(), 2);
    }

    void staleScaleIsConflict() {
        auto scale = testing::await(m_client->get(
            kube::ApiClient::objectPath(kube::deploymentsKind(), QStringLiteral("default"),
                                        QStringLiteral("solo"), QStringLiteral("scale"))));
        KD_VERIFY_OK(scale);
        Json stale = *scale;
        KD_VERIFY_OK(
            testing::await(kube::scale(*m_client, kube::deploymentsKind(),
                                       QStringLiteral("default"), QStringLiteral("solo"), 4)));
        stale["spec"]["replicas"] = 1;
        auto r = testing::await(m_client->update(
            kube::ApiClient::objectPath(kube::deploymentsKind(), QStringLiteral("default"),
                                        QStringLiteral("solo"), QStringLiteral("scale")),
            stale));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Conflict);
        QCOMPARE(r.error().httpStatus, 409);
        QCOMPARE(r.error().reason, QStringLiteral("Conflict"));
    }

    void rollbackErrors_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("toRevision");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("no history") << QStringLiteral("solo") << qint64(0) << ErrorKind::NotFound
                                    << QStringLiteral("no rollout history found for deployment "
                                                      "\"solo\"");
        QTest::newRow("missing revision")
            << QStringLiteral("web") << qint64(99) << ErrorKind::NotFound
            << QStringLiteral("unable to find specified revision 99 in history");
        QTest::newRow("missing deployment")
            << QStringLiteral("nope") << qint64(0) << ErrorKind::NotFound
            << QStringLiteral("failed to retrieve Deployment nope: deployments.apps \"nope\" not "
                              "found");
    }
    void rollbackErrors() {
        QFETCH(QString, name);
        QFETCH(qint64, toRevision);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, message);
        auto r =
            testing::await(kube::rollback(*m_client, QStringLiteral("default"), name, toRevision));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kind);
        QCOMPARE(r.error().message, message);
    }

    void rollbackAlreadyMatches() {
        auto r = testing::await(
            kube::rollback(*m_client, QStringLiteral("default"), QStringLiteral("web"), 2));
        KD_VERIFY_OK(r);
        QVERIFY(r->skipped);
        QCOMPARE(r->message,
                 QStringLiteral("skipped rollback (current template already matches revision 2)"));
    }

    void rollbackDryRunChangesNothing() {
        auto r = testing::await(
            kube::rollback(*m_client, QStringLiteral("default"), QStringLiteral("web"), 0, true));
        KD_VERIFY_OK(r);
        QCOMPARE(r->message, QStringLiteral("rolled back"));
        QVERIFY(r->dryRun);
        QCOMPARE(r->revision, qint64(1));
        QCOMPARE(imageOf(r->deployment), std::string("registry.example/web:1"));
        QCOMPARE(imageOf(getDeployment(QStringLiteral("web"))),
                 std::string("registry.example/web:2"));
    }

    void rollbackToPrevious() {
        auto r = testing::await(
            kube::rollback(*m_client, QStringLiteral("default"), QStringLiteral("web")));
        KD_VERIFY_OK(r);
        QCOMPARE(r->message, QStringLiteral("rolled back"));
        QVERIFY(!r->skipped);
        QCOMPARE(r->revision, qint64(1));
        const Json dep = getDeployment(QStringLiteral("web"));
        QCOMPARE(imageOf(dep), std::string("registry.example/web:1"));
        QVERIFY(!dep["spec"]["template"]["metadata"]["labels"].contains("pod-template-hash"));
    }

    void rollbackPaused() {
        KD_VERIFY_OK(
            testing::await(m_client->patch(depPath(QStringLiteral("web")), kube::PatchType::Merge,
                                           {{"spec", {{"paused", true}}}})));
        auto r = testing::await(
            kube::rollback(*m_client, QStringLiteral("default"), QStringLiteral("web")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message,
                 QStringLiteral("you cannot rollback a paused deployment; resume it first with "
                                "'kubectl rollout resume' and try again"));
        KD_VERIFY_OK(
            testing::await(m_client->patch(depPath(QStringLiteral("web")), kube::PatchType::Merge,
                                           {{"spec", {{"paused", false}}}})));
    }

    void restartSetsAnnotation() {
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-2);
        auto r = testing::await(kube::restart(*m_client, kube::deploymentsKind(),
                                              QStringLiteral("default"), QStringLiteral("solo")));
        KD_VERIFY_OK(r);
        const Json dep = getDeployment(QStringLiteral("solo"));
        const std::string stamp = dep["spec"]["template"]["metadata"]["annotations"].value(
            "kubectl.kubernetes.io/restartedAt", "");
        const QDateTime at = QDateTime::fromString(QString::fromStdString(stamp), Qt::ISODate);
        QVERIFY2(at.isValid(), stamp.c_str());
        QVERIFY(at >= before);
        QVERIFY(at <= QDateTime::currentDateTimeUtc().addSecs(2));
    }

    void applyDryRunPersistsNothing() {
        const Json cm = {{"apiVersion", "v1"},
                         {"kind", "ConfigMap"},
                         {"metadata", {{"name", "dry"}, {"namespace", "default"}}},
                         {"data", {{"k", "v"}}}};
        kube::ApplyOptions options;
        options.dryRun = true;
        auto r = testing::await(kube::apply(*m_client, configMaps(), cm, options));
        KD_VERIFY_OK(r);
        QCOMPARE((*r)["data"]["k"].get<std::string>(), std::string("v"));
        auto got = testing::await(
            m_client->get(QStringLiteral("/api/v1/namespaces/default/configmaps/dry")));
        QVERIFY(!got.ok());
        QCOMPARE(got.error().kind, ErrorKind::NotFound);
    }

    void applyConflictAndForce() {
        const Json mine = {{"apiVersion", "v1"},
                           {"kind", "ConfigMap"},
                           {"metadata", {{"name", "shared"}}},
                           {"data", {{"k", "one"}}}};
        kube::ApplyOptions first;
        first.fieldManager = QStringLiteral("first");
        KD_VERIFY_OK(testing::await(kube::apply(*m_client, configMaps(), mine, first)));
        Json theirs = mine;
        theirs["data"]["k"] = "two";
        auto conflict = testing::await(kube::apply(*m_client, configMaps(), theirs));
        QVERIFY(!conflict.ok());
        QCOMPARE(conflict.error().kind, ErrorKind::Conflict);
        QCOMPARE(conflict.error().httpStatus, 409);
        const Json causes = conflict.error().status["details"]["causes"];
        QVERIFY(causes.is_array() && !causes.empty());
        QCOMPARE(causes[0]["reason"].get<std::string>(), std::string("FieldManagerConflict"));
        QCOMPARE(causes[0]["field"].get<std::string>(), std::string(".data.k"));

        kube::ApplyOptions force;
        force.force = true;
        auto forced = testing::await(kube::apply(*m_client, configMaps(), theirs, force));
        KD_VERIFY_OK(forced);
        QCOMPARE((*forced)["data"]["k"].get<std::string>(), std::string("two"));
    }

    void deleteRemoves() {
        auto r = testing::await(kube::remove(*m_client, configMaps(), QStringLiteral("default"),
                                             QStringLiteral("shared")));
        KD_VERIFY_OK(r);
        auto got = testing::await(
            m_client->get(QStringLiteral("/api/v1/namespaces/default/configmaps/shared")));
        QVERIFY(!got.ok());
        QCOMPARE(got.error().kind, ErrorKind::NotFound);
        auto again = testing::await(kube::remove(*m_client, configMaps(), QStringLiteral("default"),
                                                 QStringLiteral("shared")));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::NotFound);
    }

    void permissions_data() {
        QTest::addColumn<bool>("viewer");
        QTest::addColumn<QString>("verb");
        QTest::addColumn<QString>("subresource");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("admin patches scale")
            << false << QStringLiteral("patch") << QStringLiteral("scale") << true;
        QTest::newRow("viewer patches scale")
            << true << QStringLiteral("patch") << QStringLiteral("scale") << false;
        QTest::newRow("viewer lists") << true << QStringLiteral("list") << QString() << true;
    }
    void permissions() {
        QFETCH(bool, viewer);
        QFETCH(QString, verb);
        QFETCH(QString, subresource);
        QFETCH(bool, allowed);
        const auto &creds = m_sandbox->server().credentials();
        auto provider = std::make_shared<testing::ScriptedCredentials>(QList<QByteArray>{
            QByteArray::fromStdString(viewer ? creds.viewerToken : creds.adminToken)});
        kube::ApiClient client(testing::noCredentialConfig(m_sandbox->server()), provider);
        kube::Permissions permissions(client);
        const kube::AccessQuery query{
            verb,        QStringLiteral("apps"),    QStringLiteral("deployments"),
            subresource, QStringLiteral("default"), QString()};
        QVERIFY(!permissions.cached(query));
        auto r = testing::await(permissions.check(query));
        KD_VERIFY_OK(r);
        QCOMPARE(r->allowed, allowed);
        if (allowed)
            QVERIFY(!r->reason.isEmpty());
        QCOMPARE(provider->currentCalls(), 1);
        // The second answer comes from the cache: no request.
        auto again = testing::await(permissions.check(query));
        KD_VERIFY_OK(again);
        QCOMPARE(again->allowed, allowed);
        QCOMPARE(provider->currentCalls(), 1);
        permissions.clear();
        QVERIFY(!permissions.cached(query));
    }
};

QTEST_GUILESS_MAIN(TstWriteOps)
#include "tst_writeops.moc"
