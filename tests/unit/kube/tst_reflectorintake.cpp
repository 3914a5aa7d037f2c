// The reflector's intake of hostile input: list pages and watch objects of the wrong kind,
// without name or resourceVersion, outside the namespace scope, or not objects at all are left
// out (counted, never a crash); a page may hold nothing; pending watch changes of one object
// collapse to the latest.
#include "kube/apiclient.h"
#include "kube/reflectorintake.h"

#include <QTest>

using namespace kd::kube;
using namespace kd::kube::detail;

namespace {

const ResourceKind kPods{QString(), QStringLiteral("v1"), QStringLiteral("pods"),
                         QStringLiteral("Pod"), true};
const ResourceKind kNodes{QString(), QStringLiteral("v1"), QStringLiteral("nodes"),
                          QStringLiteral("Node"), false};

Json pod(const std::string &ns, const std::string &name, const std::string &rv) {
    return Json{{"metadata", {{"namespace", ns}, {"name", name}, {"resourceVersion", rv}}}};
}

ObjectPtr object(const std::string &name, const std::string &rv) {
    Json j = pod("a", name, rv);
    j["kind"] = "Pod";
    return std::make_shared<const KubeObject>(std::move(j));
}

} // namespace

class TstReflectorIntake final : public QObject {
    Q_OBJECT

private slots:
    void objectProblems_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("kindRequired");
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("problem");
        const QByteArray good =
            R"({"kind":"Pod","metadata":{"namespace":"a","name":"p","resourceVersion":"1"}})";
        QTest::newRow("good") << good << true << QString() << QString();
        QTest::newRow("good in scope") << good << true << QStringLiteral("a") << QString();
        QTest::newRow("outside scope")
            << good << true << QStringLiteral("b")
            << QStringLiteral("the object is in namespace \"a\", outside \"b\"");
        QTest::newRow("not an object") << QByteArray("[1,2]") << true << QString()
                                       << QStringLiteral("the object is not a JSON object");
        QTest::newRow("wrong kind")
            << QByteArray(
                   R"({"kind":"Secret","metadata":{"namespace":"a","name":"p","resourceVersion":"1"}})")
            << true << QString() << QStringLiteral("the object is of kind \"Secret\", not Pod");
        QTest::newRow("no kind in a watch")
            << QByteArray(R"({"metadata":{"namespace":"a","name":"p","resourceVersion":"1"}})")
            << true << QString() << QStringLiteral("the object is of kind \"\", not Pod");
        QTest::newRow("no kind in a list item")
            << QByteArray(R"({"metadata":{"namespace":"a","name":"p","resourceVersion":"1"}})")
            << false << QString() << QString();
        QTest::newRow("no metadata") << QByteArray(R"({"kind":"Pod","metadata":7})") << true
                                     << QString() << QStringLiteral("the object has no metadata");
        QTest::newRow("no name")
            << QByteArray(R"({"kind":"Pod","metadata":{"namespace":"a","resourceVersion":"1"}})")
            << true << QString() << QStringLiteral("the object has no name");
        QTest::newRow("numeric resourceVersion")
            << QByteArray(
                   R"({"kind":"Pod","metadata":{"namespace":"a","name":"p","resourceVersion":1}})")
            << true << QString() << QStringLiteral("the object has no resourceVersion");
        QTest::newRow("no namespace")
            << QByteArray(R"({"kind":"Pod","metadata":{"name":"p","resourceVersion":"1"}})") << true
            << QString() << QStringLiteral("the namespaced object has no namespace");
    }
    void objectProblems() {
        QFETCH(QByteArray, json);
        QFETCH(bool, kindRequired);
        QFETCH(QString, scope);
        QFETCH(QString, problem);
        QCOMPARE(objectProblem(Json::parse(json.toStdString()), kPods, scope, kindRequired),
                 problem);
    }

    void clusterScopedKindNeedsNoNamespace() {
        Json node{{"kind", "Node"}, {"metadata", {{"name", "n"}, {"resourceVersion", "huge-9"}}}};
        QCOMPARE(objectProblem(node, kNodes, QString(), true), QString());
    }

    void listPageKeepsGoodItemsAndCountsBadOnes() {
        Json body{
            {"kind", "PodList"},
            {"metadata", {{"resourceVersion", "42"}, {"continue", "tok"}}},
            {"items", {pod("a", "p1", "1"), Json("junk"), pod("a", "", "2"), pod("a", "p3", "3")}}};
        ListPage page = parseListPage(Result<Json>(body), kPods, QString());
        QVERIFY(!page.error);
        QCOMPARE(page.resourceVersion, QStringLiteral("42"));
        QCOMPARE(page.continueToken, QStringLiteral("tok"));
        QCOMPARE(page.ignored, 2);
        QCOMPARE(int(page.objects.size()), 2);
        // List items lack kind and apiVersion; cached objects get them.
        QCOMPARE(page.objects[0]->kind(), QStringLiteral("Pod"));
        QCOMPARE(page.objects[0]->json()["apiVersion"].get<std::string>(), std::string("v1"));
        QCOMPARE(page.objects[1]->name(), QStringLiteral("p3"));
    }

    void listPageMayBeEmpty_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty array") << QByteArray(R"({"metadata":{"continue":"x"},"items":[]})");
        QTest::newRow("null items") << QByteArray(R"({"metadata":{"continue":"x"},"items":null})");
        QTest::newRow("no items") << QByteArray(R"({"metadata":{"continue":"x"}})");
    }
    void listPageMayBeEmpty() {
        QFETCH(QByteArray, json);
        ListPage page = parseListPage(Result<Json>(Json::parse(json.toStdString())), kPods, {});
        QVERIFY(!page.error);
        QCOMPARE(int(page.objects.size()), 0);
        QCOMPARE(page.continueToken, QStringLiteral("x"));
    }

    // The next page's token is read from the head of a page, before its items are parsed.
    void listHeadIsReadWithoutItems_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("known");
        QTest::addColumn<QString>("token");
        QTest::newRow("more pages")
            << QByteArray(R"({"kind":"PodList","metadata":{"resourceVersion":"7",)"
                          R"("continue":"abc","remainingItemCount":3},"items":[{}]})")
            << true << "abc";
        QTest::newRow("last page")
            << QByteArray(R"({"metadata":{"resourceVersion":"7"},"items":[]})") << true << "";
        QTest::newRow("items never parsed")
            << QByteArray(R"({"metadata":{"continue":"x"},"items":[{"broken": )") << true << "x";
        QTest::newRow("items first")
            << QByteArray(R"({"items":[],"metadata":{"continue":"x"}})") << false << "";
        QTest::newRow("no items") << QByteArray(R"({"metadata":{"continue":"x"}})") << false << "";
        QTest::newRow("metadata twice")
            << QByteArray(R"({"metadata":{"continue":"a"},"metadata":{"continue":"b"},"items":[]})")
            << false << "";
        QTest::newRow("nested continue ignored")
            << QByteArray(R"({"metadata":{"x":{"continue":"no"}},"items":[]})") << true << "";
        QTest::newRow("not json") << QByteArray("<html>") << false << "";
        QTest::newRow("empty") << QByteArray() << false << "";
    }
    void listHeadIsReadWithoutItems() {
        QFETCH(QByteArray, json);
        QFETCH(bool, known);
        QFETCH(QString, token);
        const std::optional<QString> next = scanListContinue(json);
        QCOMPARE(next.has_value(), known);
        if (known)
            QCOMPARE(*next, token);
    }

    void listPageErrors_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an object")
            << QByteArray("\"text\"") << QStringLiteral("The list of pods is not a JSON object");
        QTest::newRow("items not an array") << QByteArray(R"({"items":{}})")
                                            << QStringLiteral("The list of pods has no item array");
    }
    void listPageErrors() {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        ListPage page = parseListPage(Result<Json>(Json::parse(json.toStdString())), kPods, {});
        QVERIFY(page.error);
        QCOMPARE(page.error->kind, ErrorKind::Protocol);
        QCOMPARE(page.error->message, message);
    }

    void listErrorPassesThrough() {
        Error e = makeError(ErrorKind::Forbidden, QStringLiteral("no"));
        ListPage page = parseListPage(Result<Json>(e), kPods, {});
        QCOMPARE(page.error->kind, ErrorKind::Forbidden);
        QCOMPARE(page.error->message, QStringLiteral("no"));
    }

    void pendingChangesCollapse() {
        ReflectorShared shared(kPods, QString());
        std::lock_guard lock(shared.mutex);
        shared.push(Delta{Delta::Type::Added, object("p1", "1")});
        shared.push(Delta{Delta::Type::Modified, object("p1", "2")});
        shared.push(Delta{Delta::Type::Modified, object("p2", "3")});
        shared.push(Delta{Delta::Type::Modified, object("p2", "4")});
        shared.push(Delta{Delta::Type::Deleted, object("p2", "5")});
        std::vector<Delta> out = shared.takePending();
        QCOMPARE(int(out.size()), 2);
        QCOMPARE(out[0].type, Delta::Type::Added); // still new to the receiver
        QCOMPARE(out[0].object->resourceVersion(), QStringLiteral("2"));
        QCOMPARE(out[1].type, Delta::Type::Deleted);
        QCOMPARE(out[1].object->resourceVersion(), QStringLiteral("5"));
        QVERIFY(shared.takePending().empty());
        shared.push(Delta{Delta::Type::Modified, object("p1", "6")});
        shared.dropPending();
        QVERIFY(shared.takePending().empty());
    }
};

QTEST_GUILESS_MAIN(TstReflectorIntake)
#include "tst_reflectorintake.moc"
