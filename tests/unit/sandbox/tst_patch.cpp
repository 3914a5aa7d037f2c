// Patch semantics: RFC 7386 merge patch, RFC 6902 JSON patch (with the API server's library's
// leniencies and messages) and strategic merge patch with every directive and merge key.
#include "jsoncompare.h"
#include "sandbox/patch.h"

#include <QTest>

using namespace kd::sandbox;

namespace {

Json parse(const QByteArray &text) {
    return Json::parse(text.toStdString());
}

} // namespace

class TstPatch final : public QObject {
    Q_OBJECT

private slots:
    void mergePatch_data() {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QByteArray>("expected");
        // RFC 7386 appendix A, in order.
        QTest::newRow("replace member") << QByteArray(R"({"a":"b"})") << QByteArray(R"({"a":"c"})")
                                        << QByteArray(R"({"a":"c"})");
        QTest::newRow("add member") << QByteArray(R"({"a":"b"})") << QByteArray(R"({"b":"c"})")
                                    << QByteArray(R"({"a":"b","b":"c"})");
        QTest::newRow("null deletes")
            << QByteArray(R"({"a":"b"})") << QByteArray(R"({"a":null})") << QByteArray(R"({})");
        QTest::newRow("null deletes one")
            << QByteArray(R"({"a":"b","b":"c"})") << QByteArray(R"({"a":null})")
            << QByteArray(R"({"b":"c"})");
        QTest::newRow("list by scalar") << QByteArray(R"({"a":["b"]})")
                                        << QByteArray(R"({"a":"c"})") << QByteArray(R"({"a":"c"})");
        QTest::newRow("scalar by list")
            << QByteArray(R"({"a":"c"})") << QByteArray(R"({"a":["b"]})")
            << QByteArray(R"({"a":["b"]})");
        QTest::newRow("nested") << QByteArray(R"({"a":{"b":"c"}})")
                                << QByteArray(R"({"a":{"b":"d","c":null}})")
                                << QByteArray(R"({"a":{"b":"d"}})");
        QTest::newRow("list replaced whole")
            << QByteArray(R"({"a":[{"b":"c"}]})") << QByteArray(R"({"a":[1]})")
            << QByteArray(R"({"a":[1]})");
        QTest::newRow("arrays") << QByteArray(R"(["a","b"])") << QByteArray(R"(["c","d"])")
                                << QByteArray(R"(["c","d"])");
        QTest::newRow("object by array")
            << QByteArray(R"({"a":"b"})") << QByteArray(R"(["c"])") << QByteArray(R"(["c"])");
        QTest::newRow("null patch")
            << QByteArray(R"({"a":"foo"})") << QByteArray("null") << QByteArray("null");
        QTest::newRow("string patch")
            << QByteArray(R"({"a":"foo"})") << QByteArray(R"("bar")") << QByteArray(R"("bar")");
        QTest::newRow("target null kept") << QByteArray(R"({"e":null})") << QByteArray(R"({"a":1})")
                                          << QByteArray(R"({"a":1,"e":null})");
        QTest::newRow("array target") << QByteArray("[1,2]") << QByteArray(R"({"a":"b","c":null})")
                                      << QByteArray(R"({"a":"b"})");
        QTest::newRow("deep null") << QByteArray("{}") << QByteArray(R"({"a":{"bb":{"ccc":null}}})")
                                   << QByteArray(R"({"a":{"bb":{}}})");
        QTest::newRow("RFC example")
            << QByteArray(
                   R"({"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"})")
            << QByteArray(
                   R"({"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]})")
            << QByteArray(
                   R"({"author":{"givenName":"John"},"content":"This will be unchanged","phoneNumber":"+01-123-456-7890","tags":["example"],"title":"Hello!"})");
        QTest::newRow("kubectl scale")
            << QByteArray(R"({"spec":{"replicas":1,"selector":"app=web"}})")
            << QByteArray(R"({"spec":{"replicas":3}})")
            << QByteArray(R"({"spec":{"replicas":3,"selector":"app=web"}})");
        QTest::newRow("containers replaced")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"b","image":"2"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"image":"2","name":"b"}]}})");
    }
    void mergePatch() {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, patch);
        QFETCH(QByteArray, expected);
        KD_COMPARE_JSON(applyMergePatch(parse(target), parse(patch)), parse(expected));
    }

    void jsonPatch_data() {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QByteArray>("expected");
        // RFC 6902 appendix A.
        QTest::newRow("A.1 add member")
            << QByteArray(R"({"foo":"bar"})")
            << QByteArray(R"([{"op":"add","path":"/baz","value":"qux"}])")
            << QByteArray(R"({"baz":"qux","foo":"bar"})");
        QTest::newRow("A.2 add element")
            << QByteArray(R"({"foo":["bar","baz"]})")
            << QByteArray(R"([{"op":"add","path":"/foo/1","value":"qux"}])")
            << QByteArray(R"({"foo":["bar","qux","baz"]})");
        QTest::newRow("A.3 remove member")
            << QByteArray(R"({"baz":"qux","foo":"bar"})")
            << QByteArray(R"([{"op":"remove","path":"/baz"}])") << QByteArray(R"({"foo":"bar"})");
        QTest::newRow("A.4 remove element") << QByteArray(R"({"foo":["bar","qux","baz"]})")
                                            << QByteArray(R"([{"op":"remove","path":"/foo/1"}])")
                                            << QByteArray(R"({"foo":["bar","baz"]})");
        QTest::newRow("A.5 replace")
            << QByteArray(R"({"baz":"qux","foo":"bar"})")
            << QByteArray(R"([{"op":"replace","path":"/baz","value":"boo"}])")
            << QByteArray(R"({"baz":"boo","foo":"bar"})");
        QTest::newRow("A.6 move member")
            << QByteArray(R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})")
            << QByteArray(R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])")
            << QByteArray(R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})");
        QTest::newRow("A.7 move element")
            << QByteArray(R"({"foo":["all","grass","cows","eat"]})")
            << QByteArray(R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])")
            << QByteArray(R"({"foo":["all","cows","eat","grass"]})");
        QTest::newRow("A.8 test")
            << QByteArray(R"({"baz":"qux","foo":["a",2,"c"]})")
            << QByteArray(
                   R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}])")
            << QByteArray(R"({"baz":"qux","foo":["a",2,"c"]})");
        QTest::newRow("A.10 nested add")
            << QByteArray(R"({"foo":"bar"})")
            << QByteArray(R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])")
            << QByteArray(R"({"child":{"grandchild":{}},"foo":"bar"})");
        QTest::newRow("A.11 extra members")
            << QByteArray(R"({"foo":"bar"})")
            << QByteArray(R"([{"op":"add","path":"/baz","value":"qux","xyz":123}])")
            << QByteArray(R"({"baz":"qux","foo":"bar"})");
        QTest::newRow("A.14 escapes") << QByteArray(R"({"/":9,"~1":10})")
                                      << QByteArray(R"([{"op":"test","path":"/~01","value":10}])")
                                      << QByteArray(R"({"/":9,"~1":10})");
        QTest::newRow("A.16 add array")
            << QByteArray(R"({"foo":["bar"]})")
            << QByteArray(R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])")
            << QByteArray(R"({"foo":["bar",["abc","def"]]})");
        QTest::newRow("copy") << QByteArray(R"({"a":{"b":1}})")
                              << QByteArray(R"([{"op":"copy","from":"/a","path":"/c"}])")
                              << QByteArray(R"({"a":{"b":1},"c":{"b":1}})");
        QTest::newRow("replace missing member sets it")
            << QByteArray(R"({"metadata":{"name":"web"}})")
            << QByteArray(R"([{"op":"replace","path":"/metadata/annotations","value":{"a":"b"}}])")
            << QByteArray(R"({"metadata":{"annotations":{"a":"b"},"name":"web"}})");
        QTest::newRow("test missing against null")
            << QByteArray(R"({"a":1})") << QByteArray(R"([{"op":"test","path":"/b","value":null}])")
            << QByteArray(R"({"a":1})");
        QTest::newRow("negative index")
            << QByteArray(R"({"a":[1,2,3]})") << QByteArray(R"([{"op":"remove","path":"/a/-1"}])")
            << QByteArray(R"({"a":[1,2]})");
        // kubectl rollout undo (KC pkg/polymorphichelpers/rollback.go).
        QTest::newRow("rollout undo")
            << QByteArray(
                   R"({"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"3"}},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"x:3"}]}}}})")
            << QByteArray(
                   R"([{"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"x:1"}]}}},{"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"3","kubernetes.io/change-cause":"v1"}}])")
            << QByteArray(
                   R"({"metadata":{"annotations":{"deployment.kubernetes.io/revision":"3","kubernetes.io/change-cause":"v1"},"name":"web"},"spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"x:1","name":"c"}]}}}})");
    }
    void jsonPatch() {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, patch);
        QFETCH(QByteArray, expected);
        KD_COMPARE_JSON(applyJsonPatch(parse(target), parse(patch)), parse(expected));
    }

    void jsonPatchErrors_data() {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QString>("message");
        QTest::newRow("A.9 test fails")
            << QByteArray(R"({"baz":"qux"})")
            << QByteArray(R"([{"op":"test","path":"/baz","value":"bar"}])")
            << QStringLiteral("testing value /baz failed: test failed");
        QTest::newRow("A.12 missing parent")
            << QByteArray(R"({"foo":"bar"})")
            << QByteArray(R"([{"op":"add","path":"/baz/bat","value":"qux"}])")
            << QStringLiteral("add operation does not apply: doc is missing path: \"/baz/bat\": "
                              "missing value");
        QTest::newRow("A.15 string vs number")
            << QByteArray(R"({"/":9,"~1":10})")
            << QByteArray(R"([{"op":"test","path":"/~01","value":"10"}])")
            << QStringLiteral("testing value /~01 failed: test failed");
        QTest::newRow("remove missing")
            << QByteArray(R"({"a":1})") << QByteArray(R"([{"op":"remove","path":"/x"}])")
            << QStringLiteral("error in remove for path: '/x': Unable to remove nonexistent key: "
                              "x: missing value");
        QTest::newRow("replace missing parent")
            << QByteArray(R"({"a":1})")
            << QByteArray(R"([{"op":"replace","path":"/x/y","value":1}])")
            << QStringLiteral(
                   "replace operation does not apply: doc is missing path: /x/y: missing value");
        QTest::newRow("index out of range")
            << QByteArray(R"({"a":[1]})") << QByteArray(R"([{"op":"add","path":"/a/5","value":1}])")
            << QStringLiteral("error in add for path: '/a/5': Unable to access invalid index: 5: "
                              "invalid index referenced");
        QTest::newRow("replace past the end")
            << QByteArray(R"({"a":[1]})")
            << QByteArray(R"([{"op":"replace","path":"/a/1","value":2}])")
            << QStringLiteral(
                   "replace operation does not apply: doc is missing key: /a/1: missing value");
        QTest::newRow("not an index")
            << QByteArray(R"({"a":[1]})") << QByteArray(R"([{"op":"remove","path":"/a/x"}])")
            << QStringLiteral(
                   "error in remove for path: '/a/x': strconv.Atoi: parsing \"x\": invalid syntax");
        QTest::newRow("unknown op")
            << QByteArray(R"({})") << QByteArray(R"([{"op":"frobnicate","path":"/a"}])")
            << QStringLiteral("Unexpected kind: frobnicate");
        QTest::newRow("missing op") << QByteArray(R"({})") << QByteArray(R"([{"path":"/a"}])")
                                    << QStringLiteral("Unexpected kind: unknown");
        QTest::newRow("not a list")
            << QByteArray(R"({})") << QByteArray(R"({"op":"add"})")
            << QStringLiteral(
                   "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        QTest::newRow("move from missing")
            << QByteArray(R"({"a":{}})")
            << QByteArray(R"([{"op":"move","from":"/b/c","path":"/a/c"}])")
            << QStringLiteral(
                   "move operation does not apply: doc is missing from path: /b/c: missing value");
        QTest::newRow("test failure stops later ops")
            << QByteArray(R"({"a":1})")
            << QByteArray(
                   R"([{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":2}])")
            << QStringLiteral("testing value /a failed: test failed");
    }
    void jsonPatchErrors() {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, patch);
        QFETCH(QString, message);
        try {
            applyJsonPatch(parse(target), parse(patch));
            QFAIL("the patch applied");
        } catch (const PatchError &e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }

    void strategic_data() {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QByteArray>("expected");
        // Merge keys, one row each.
        QTest::newRow("containers by name")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"b","image":"2"}]}})")
            << QByteArray(
                   R"({"spec":{"containers":[{"image":"1","name":"a"},{"image":"2","name":"b"}]}})");
        QTest::newRow("new container goes first, as upstream orders it")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"b","x":null}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})");
        QTest::newRow("initContainers by name")
            << QByteArray(R"({"spec":{"initContainers":[{"name":"i","image":"1","args":["x"]}]}})")
            << QByteArray(R"({"spec":{"initContainers":[{"name":"i","image":"2"}]}})")
            << QByteArray(R"({"spec":{"initContainers":[{"args":["x"],"image":"2","name":"i"}]}})");
        QTest::newRow("env by name, args replaced")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"c","args":["a","b"],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}})")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"c","args":["z"],"env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}})")
            << QByteArray(
                   R"({"spec":{"containers":[{"args":["z"],"env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}],"name":"c"}]}})");
        QTest::newRow("container ports by containerPort")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"},{"containerPort":9090}]}]}})")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"web"}]}]}})")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"web"},{"containerPort":9090}]}]}})");
        QTest::newRow("service ports by port")
            << QByteArray(
                   R"({"kind":"Service","spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}})")
            << QByteArray(R"({"spec":{"ports":[{"port":80,"targetPort":9090}]}})")
            << QByteArray(
                   R"({"kind":"Service","spec":{"ports":[{"port":80,"targetPort":9090},{"port":443}]}})");
        QTest::newRow("volumes, mounts, devices")
            << QByteArray(
                   R"({"spec":{"volumes":[{"name":"v","emptyDir":{}}],"containers":[{"name":"c","volumeMounts":[{"mountPath":"/a","name":"v"}],"volumeDevices":[{"devicePath":"/dev/x","name":"d"}]}]}})")
            << QByteArray(
                   R"({"spec":{"volumes":[{"name":"w","emptyDir":{}}],"containers":[{"name":"c","volumeMounts":[{"mountPath":"/a","readOnly":true}],"volumeDevices":[{"devicePath":"/dev/y","name":"e"}]}]}})")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"c","volumeDevices":[{"devicePath":"/dev/y","name":"e"},{"devicePath":"/dev/x","name":"d"}],"volumeMounts":[{"mountPath":"/a","name":"v","readOnly":true}]}],"volumes":[{"emptyDir":{},"name":"w"},{"emptyDir":{},"name":"v"}]}})");
        QTest::newRow("imagePullSecrets, hostAliases")
            << QByteArray(
                   R"({"spec":{"imagePullSecrets":[{"name":"a"}],"hostAliases":[{"ip":"1.1.1.1","hostnames":["a"]}]}})")
            << QByteArray(
                   R"({"spec":{"imagePullSecrets":[{"name":"b"}],"hostAliases":[{"ip":"1.1.1.1","hostnames":["b"]}]}})")
            << QByteArray(
                   R"({"spec":{"hostAliases":[{"hostnames":["b"],"ip":"1.1.1.1"}],"imagePullSecrets":[{"name":"b"},{"name":"a"}]}})");
        QTest::newRow("tolerations replaced (atomic upstream)")
            << QByteArray(
                   R"({"spec":{"tolerations":[{"key":"a","operator":"Exists"},{"key":"b","operator":"Exists"}]}})")
            << QByteArray(R"({"spec":{"tolerations":[{"key":"a","effect":"NoSchedule"}]}})")
            << QByteArray(R"({"spec":{"tolerations":[{"effect":"NoSchedule","key":"a"}]}})");
        QTest::newRow("conditions by type")
            << QByteArray(
                   R"({"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}})")
            << QByteArray(R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})")
            << QByteArray(
                   R"({"status":{"conditions":[{"status":"True","type":"Ready"},{"status":"True","type":"PodScheduled"}]}})");
        QTest::newRow("ownerReferences by uid, finalizers merged")
            << QByteArray(
                   R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a"}],"finalizers":["x","y"]}})")
            << QByteArray(
                   R"({"metadata":{"ownerReferences":[{"uid":"2","name":"b"}],"finalizers":["z","x"]}})")
            << QByteArray(
                   R"({"metadata":{"finalizers":["z","x","y"],"ownerReferences":[{"name":"b","uid":"2"},{"name":"a","uid":"1"}]}})");
        QTest::newRow("topologySpreadConstraints by topologyKey")
            << QByteArray(
                   R"({"spec":{"topologySpreadConstraints":[{"topologyKey":"zone","maxSkew":1}]}})")
            << QByteArray(
                   R"({"spec":{"topologySpreadConstraints":[{"topologyKey":"zone","maxSkew":2},{"topologyKey":"host","maxSkew":1}]}})")
            << QByteArray(
                   R"({"spec":{"topologySpreadConstraints":[{"maxSkew":2,"topologyKey":"zone"},{"maxSkew":1,"topologyKey":"host"}]}})");
        QTest::newRow("namespace spec.finalizers replaced")
            << QByteArray(R"({"kind":"Namespace","spec":{"finalizers":["kubernetes"]}})")
            << QByteArray(R"({"spec":{"finalizers":["x"]}})")
            << QByteArray(R"({"kind":"Namespace","spec":{"finalizers":["x"]}})");
        QTest::newRow("empty list keeps a merging list")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"}]}})")
            << QByteArray(R"({"spec":{"containers":[]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"}]}})");
        QTest::newRow("pdb selector replaced")
            << QByteArray(
                   R"({"kind":"PodDisruptionBudget","spec":{"selector":{"matchLabels":{"a":"1"}}}})")
            << QByteArray(
                   R"({"spec":{"selector":{"matchExpressions":[{"key":"b","operator":"Exists"}]}}})")
            << QByteArray(
                   R"({"kind":"PodDisruptionBudget","spec":{"selector":{"matchExpressions":[{"key":"b","operator":"Exists"}]}}})");
        // Directives.
        QTest::newRow("null deletes a key")
            << QByteArray(R"({"metadata":{"labels":{"a":"1","b":"2"}}})")
            << QByteArray(R"({"metadata":{"labels":{"a":null,"c":"3"}}})")
            << QByteArray(R"({"metadata":{"labels":{"b":"2","c":"3"}}})");
        QTest::newRow("$patch delete in list")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"a","$patch":"delete"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"b"}]}})");
        QTest::newRow("$patch replace in list")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})")
            << QByteArray(
                   R"({"spec":{"containers":[{"name":"c","image":"x"},{"$patch":"replace"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"image":"x","name":"c"}]}})");
        QTest::newRow("$patch merge in list item")
            << QByteArray(R"({"spec":{"containers":[{"name":"a","image":"1"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"a","image":"2","$patch":"merge"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"image":"2","name":"a"}]}})");
        QTest::newRow("$patch replace in map")
            << QByteArray(R"({"metadata":{"labels":{"a":"1","b":"2"}}})")
            << QByteArray(R"({"metadata":{"labels":{"c":"3","$patch":"replace"}}})")
            << QByteArray(R"({"metadata":{"labels":{"c":"3"}}})");
        QTest::newRow("$patch delete in map")
            << QByteArray(R"({"spec":{"strategy":{"type":"Recreate"},"replicas":1}})")
            << QByteArray(R"({"spec":{"strategy":{"$patch":"delete"}}})")
            << QByteArray(R"({"spec":{"replicas":1}})");
        QTest::newRow("$patch merge in map")
            << QByteArray(R"({"metadata":{"labels":{"a":"1"}}})")
            << QByteArray(R"({"metadata":{"labels":{"b":"2","$patch":"merge"}}})")
            << QByteArray(R"({"metadata":{"labels":{"a":"1","b":"2"}}})");
        QTest::newRow("$patch replace at top")
            << QByteArray(R"({"a":1,"b":2})") << QByteArray(R"({"$patch":"replace","c":3})")
            << QByteArray(R"({"c":3})");
        QTest::newRow("$retainKeys")
            << QByteArray(
                   R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}})")
            << QByteArray(
                   R"({"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}})")
            << QByteArray(R"({"spec":{"strategy":{"type":"Recreate"}}})");
        QTest::newRow("$retainKeys drops unlisted")
            << QByteArray(R"({"spec":{"volumes":[{"name":"v","emptyDir":{}}]}})")
            << QByteArray(
                   R"({"spec":{"volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"cm"},"name":"v"}]}})")
            << QByteArray(R"({"spec":{"volumes":[{"configMap":{"name":"cm"},"name":"v"}]}})");
        QTest::newRow("$deleteFromPrimitiveList")
            << QByteArray(R"({"metadata":{"finalizers":["a","b","c"]}})")
            << QByteArray(R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}})")
            << QByteArray(R"({"metadata":{"finalizers":["a","c"]}})");
        QTest::newRow("$setElementOrder reorders")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})")
            << QByteArray(R"({"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})");
        QTest::newRow("$setElementOrder places a new item")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})")
            << QByteArray(
                   R"({"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"c"},{"name":"b"}],"containers":[{"name":"c"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"},{"name":"c"},{"name":"b"}]}})");
        QTest::newRow("$setElementOrder primitives")
            << QByteArray(R"({"metadata":{"finalizers":["a","b"]}})")
            << QByteArray(
                   R"({"metadata":{"$setElementOrder/finalizers":["b","c","a"],"finalizers":["c"]}})")
            << QByteArray(R"({"metadata":{"finalizers":["b","c","a"]}})");
        // What kubectl sends.
        QTest::newRow("kubectl set image")
            << QByteArray(
                   R"({"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"c","image":"x:1","ports":[{"containerPort":80}]},{"name":"side","image":"s:1"}]}}}})")
            << QByteArray(
                   R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"}],"containers":[{"image":"x:2","name":"c"}]}}}})")
            << QByteArray(
                   R"({"spec":{"replicas":2,"template":{"spec":{"containers":[{"image":"x:2","name":"c","ports":[{"containerPort":80}]},{"image":"s:1","name":"side"}]}}}})");
        QTest::newRow("kubectl rollout restart")
            << QByteArray(R"({"spec":{"template":{"metadata":{"labels":{"app":"web"}}}}})")
            << QByteArray(
                   R"({"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2027-01-15T08:00:00Z"}}}}})")
            << QByteArray(
                   R"({"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2027-01-15T08:00:00Z"},"labels":{"app":"web"}}}}})");
        QTest::newRow("kubectl apply three-way")
            << QByteArray(
                   R"({"kind":"Deployment","metadata":{"labels":{"app":"web","old":"x"}},"spec":{"template":{"spec":{"containers":[{"name":"web","image":"v1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}}})")
            << QByteArray(
                   R"({"metadata":{"labels":{"old":null}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/env":[{"name":"A"}],"env":[{"$patch":"delete","name":"B"}],"image":"v2","name":"web"}]}}}})")
            << QByteArray(
                   R"({"kind":"Deployment","metadata":{"labels":{"app":"web"}},"spec":{"template":{"spec":{"containers":[{"env":[{"name":"A","value":"1"}],"image":"v2","name":"web"}]}}}})");
        QTest::newRow("kubectl apply adds a container in order")
            << QByteArray(
                   R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"1"},{"name":"injected","image":"i"}]}}}})")
            << QByteArray(
                   R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"image":"2","name":"b"}]}}}})")
            << QByteArray(
                   R"({"spec":{"template":{"spec":{"containers":[{"image":"2","name":"b"},{"image":"1","name":"a"},{"image":"i","name":"injected"}]}}}})");
    }
    void strategic() {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, patch);
        QFETCH(QByteArray, expected);
        KD_COMPARE_JSON(applyStrategicMergePatch(parse(target), parse(patch)), parse(expected));
    }

    void strategicErrors_data() {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QString>("message");
        QTest::newRow("item without merge key")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"image":"x"}]}})")
            << QStringLiteral("map: map[image:x] does not contain declared merge key: name");
        QTest::newRow("delete without merge key")
            << QByteArray(R"({"spec":{"containers":[{"name":"a"}]}})")
            << QByteArray(R"({"spec":{"containers":[{"$patch":"delete"}]}})")
            << QStringLiteral("map: map[$patch:delete] does not contain declared merge key: name");
        QTest::newRow("unknown directive in map")
            << QByteArray(R"({"a":{}})") << QByteArray(R"({"a":{"$patch":"frob"}})")
            << QStringLiteral("unknown patch type: frob in map: map[$patch:frob]");
        QTest::newRow("unknown directive in list")
            << QByteArray(R"({"spec":{"containers":[]}})")
            << QByteArray(R"({"spec":{"containers":[{"name":"a","$patch":"frob"}]}})")
            << QStringLiteral("unknown patch type: frob in map: map[$patch:frob name:a]");
        QTest::newRow("retainKeys missing a key")
            << QByteArray(R"({"s":{}})")
            << QByteArray(R"({"s":{"$retainKeys":["type"],"other":1}})")
            << QStringLiteral("invalid patch format of retainKeys");
        QTest::newRow("retainKeys not a list")
            << QByteArray(R"({"s":{}})") << QByteArray(R"({"s":{"$retainKeys":"type"}})")
            << QStringLiteral("invalid patch format of retainKeys");
        QTest::newRow("order list disagrees")
            << QByteArray(R"({"spec":{"containers":[]}})")
            << QByteArray(
                   R"({"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b"}]}})")
            << QStringLiteral("The order in patch list:\n[map[name:b]]\n doesn't match "
                              "$setElementOrder/ list:\n[map[name:a]]\n");
        QTest::newRow("not an object")
            << QByteArray(R"({})") << QByteArray(R"([1])")
            << QStringLiteral(
                   "json: cannot unmarshal array into Go value of type map[string]interface {}");
        QTest::newRow("scalars in a keyed list")
            << QByteArray(R"({"spec":{"containers":[]}})")
            << QByteArray(R"({"spec":{"containers":["a"]}})")
            << QStringLiteral("mismatched element types in list \"containers\": expected maps with "
                              "merge key name");
    }
    void strategicErrors() {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, patch);
        QFETCH(QString, message);
        try {
            applyStrategicMergePatch(parse(target), parse(patch));
            QFAIL("the patch applied");
        } catch (const PatchError &e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }
};

QTEST_APPLESS_MAIN(TstPatch)
#include "tst_patch.moc"
