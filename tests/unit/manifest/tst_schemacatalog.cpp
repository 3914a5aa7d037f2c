// The schema model and its .kds text format: every construct of the format, the errors bad
// input gets (with file and line), lookups and precedence in SchemaSet and SchemaCatalog, and
// spot checks of the built-in catalogue (the full comparison with the OpenAPI spec is
// tst_schemaoracle).
#include "manifest/schema.h"
#include "manifest/schematext.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

using namespace kd::manifest;

namespace {

// Parses one self-contained text, failing the test with the parser's message.
const SchemaNode *parseKind(SchemaSet &set, std::string_view text, std::string_view apiVersion,
                            std::string_view kind) {
    std::string error;
    if (!parseSchemaText(text, "t.kds", set, &error)) {
        qWarning("%s", error.c_str());
        return nullptr;
    }
    return set.find(apiVersion, kind);
}

// The node at a dotted path of fields; "[]" steps into an array's or map's element.
const SchemaNode *at(const SchemaNode *node, std::string_view path) {
    while (node && !path.empty()) {
        const std::size_t dot = path.find('.');
        const std::string_view step = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
        if (step == "[]") {
            node = node->element;
        } else {
            const SchemaField *field = node->field(step);
            node = field ? field->node : nullptr;
        }
    }
    return node;
}

bool isRequired(const SchemaNode *node, std::string_view path) {
    const std::size_t dot = path.rfind('.');
    const SchemaNode *parent = dot == std::string_view::npos ? node : at(node, path.substr(0, dot));
    const SchemaField *field =
        parent ? parent->field(dot == std::string_view::npos ? path : path.substr(dot + 1))
               : nullptr;
    return field && field->required;
}

class FakeLazy final : public SchemaCatalog::Lazy {
public:
    const SchemaNode *find(std::string_view apiVersion, std::string_view kind) override {
        ++calls;
        return apiVersion == "example.com/v1" && kind == "Model" ? &model : nullptr;
    }
    std::string sourceName() const override { return "--schema-dir crds"; }
    SchemaNode model;
    int calls = 0;
};

std::shared_ptr<SchemaSet> setWith(const std::string &source, const std::string &typeName) {
    auto set = std::make_shared<SchemaSet>();
    set->source = source;
    SchemaNode *node = set->newNode();
    node->type = SchemaType::Object;
    node->name = typeName;
    set->addKind({"", "v1", "Pod"}, node);
    return set;
}

} // namespace

class TstSchemaCatalog final : public QObject {
    Q_OBJECT

private slots:
    void parsesEveryConstruct() {
        SchemaSet set;
        const SchemaNode *root = parseKind(set, R"(# a comment line
kind example.com/v1 Widget namespaced = Widget   # the kind before its type
kind v1 Gadget cluster = Widget
type Widget
  zeta: Part!                      # used before it is defined
  text: string! enum(A|B|"")
  small: int32
  big: int64
  ratio: number
  flag: boolean
  size: quantity
  port: int-or-string
  when: time
  blob: bytes
  free: any
  list: []string enum(X|Y)
  table: map[quantity]
  nested: []map[[]Part]

type Part open
  name: string
)",
                                           "example.com/v1", "Widget");
        QVERIFY(root);
        QCOMPARE(root->type, SchemaType::Object);
        QCOMPARE(root->name, std::string("Widget"));
        QVERIFY(!root->preserveUnknownFields);
        // Sorted by name, whatever the file's order.
        QCOMPARE(root->fields.size(), std::size_t(14));
        QVERIFY(std::is_sorted(root->fields.begin(), root->fields.end(),
                               [](const auto &a, const auto &b) { return a.name < b.name; }));

        struct Scalar {
            const char *field;
            SchemaType type;
            const char *format;
        };
        const Scalar scalars[] = {
            {"text", SchemaType::String, ""},
            {"small", SchemaType::Integer, "int32"},
            {"big", SchemaType::Integer, "int64"},
            {"ratio", SchemaType::Number, "double"},
            {"flag", SchemaType::Boolean, ""},
            {"size", SchemaType::Quantity, ""},
            {"port", SchemaType::IntOrString, "int-or-string"},
            {"when", SchemaType::String, "date-time"},
            {"blob", SchemaType::String, "byte"},
            {"free", SchemaType::Any, ""},
        };
        for (const Scalar &s : scalars) {
            const SchemaNode *node = at(root, s.field);
            QVERIFY2(node, s.field);
            QVERIFY2(node->type == s.type, s.field);
            QVERIFY2(node->format == s.format, s.field);
        }
        QVERIFY(isRequired(root, "text"));
        QVERIFY(isRequired(root, "zeta"));
        QVERIFY(!isRequired(root, "small"));
        QCOMPARE(at(root, "text")->enumValues, (std::vector<std::string>{"A", "B", ""}));
        QVERIFY(at(root, "small")->enumValues.empty());

        // Containers, with an enum on the innermost scalar.
        QCOMPARE(at(root, "list")->type, SchemaType::Array);
        QCOMPARE(at(root, "list.[]")->type, SchemaType::String);
        QCOMPARE(at(root, "list.[]")->enumValues, (std::vector<std::string>{"X", "Y"}));
        QCOMPARE(at(root, "table")->type, SchemaType::Map);
        QCOMPARE(at(root, "table.[]")->type, SchemaType::Quantity);
        QCOMPARE(at(root, "nested.[]")->type, SchemaType::Map);
        QCOMPARE(at(root, "nested.[].[]")->type, SchemaType::Array);
        QCOMPARE(at(root, "nested.[].[].[]"), at(root, "zeta"));

        // The forward reference resolved to the type defined later; `open` keeps unknown fields.
        const SchemaNode *part = at(root, "zeta");
        QCOMPARE(part->name, std::string("Part"));
        QVERIFY(part->preserveUnknownFields);
        QCOMPARE(at(part, "name")->type, SchemaType::String);

        // Two kinds may share a type; the scope is remembered.
        QCOMPARE(set.find("v1", "Gadget"), root);
        QVERIFY(set.isNamespaced("example.com/v1", "Widget"));
        QVERIFY(!set.isNamespaced("v1", "Gadget"));
    }

    void sharesScalarNodes() {
        SchemaSet set;
        const SchemaNode *root = parseKind(set,
                                           "kind v1 A namespaced = A\ntype A\n  a: string\n"
                                           "  b: string\n  c: string enum(X)\n",
                                           "v1", "A");
        QVERIFY(root);
        QCOMPARE(at(root, "a"), at(root, "b"));
        QVERIFY(at(root, "c") != at(root, "a")); // an enum makes its own node
        QCOMPARE(set.nodeCount(), std::size_t(3));
    }

    void acceptsWindowsLineEndsAndTabs() {
        SchemaSet set;
        const SchemaNode *root =
            parseKind(set, "kind v1 A cluster = A\r\ntype A\r\n\tname:\tstring!\r\n", "v1", "A");
        QVERIFY(root);
        QVERIFY(isRequired(root, "name"));
        QCOMPARE(at(root, "name")->type, SchemaType::String);
    }

    void sharesTypesAcrossFiles() {
        SchemaSet set;
        SchemaTextParser parser(set);
        std::string error;
        QVERIFY(parser.parse("kind apps/v1 Thing namespaced = Thing\ntype Thing\n"
                             "  metadata: ObjectMeta\n",
                             "apps.kds", &error));
        QVERIFY(parser.parse("type ObjectMeta\n  name: string\n", "meta.kds", &error));
        QVERIFY2(parser.finish(&error), error.c_str());
        const SchemaNode *meta = at(set.find("apps/v1", "Thing"), "metadata");
        QVERIFY(meta);
        QCOMPARE(meta->name, std::string("ObjectMeta"));
        QVERIFY(meta->field("name"));
    }

    void namesTheFileOfAnUndefinedType() {
        SchemaSet set;
        SchemaTextParser parser(set);
        std::string error;
        QVERIFY(parser.parse("type A\n  x: B\n", "a.kds", &error));
        QVERIFY(parser.parse("\n\ntype C\n  y: Missing\n", "c.kds", &error));
        QVERIFY(!parser.finish(&error));
        QCOMPARE(QString::fromStdString(error),
                 QStringLiteral("a.kds:2: unknown type 'B'")); // the first in name order
        QVERIFY(parser.parse("type B\n", "b.kds", &error));
        QVERIFY(!parser.finish(&error));
        QCOMPARE(QString::fromStdString(error), QStringLiteral("c.kds:4: unknown type 'Missing'"));
    }

    void rejectsBadText_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown type") << "type A\n  x: string\n\n  y: Nope\n"
                                      << "t.kds:4: unknown type 'Nope'";
        QTest::newRow("unknown scalar") << "type A\n  x: strin\n"
                                        << "t.kds:2: unknown type 'strin'";
        QTest::newRow("unknown element") << "type A\n  x: []map[flot]\n"
                                         << "t.kds:2: unknown type 'flot'";
        QTest::newRow("unclosed map") << "type A\n  x: map[string\n"
                                      << "t.kds:2: unknown type 'map[string'";
        QTest::newRow("duplicate field") << "type A\n  x: string\n  # x again\n  x: int32\n"
                                         << "t.kds:4: duplicate field 'x' in type 'A'";
        QTest::newRow("duplicate type") << "type A\n  x: string\ntype B\ntype A\n"
                                        << "t.kds:4: type 'A' is already defined at t.kds:1";
        QTest::newRow("duplicate kind")
            << "type A\nkind v1 A namespaced = A\nkind v1 A cluster = A\n"
            << "t.kds:3: kind v1 A is already defined";
        QTest::newRow("field outside a type")
            << "# fields need a type\n  x: string\n"
            << "t.kds:2: a field outside a type (fields follow `type Name`)";
        QTest::newRow("field after a kind") << "type A\nkind v1 A cluster = A\n  x: string\n"
                                            << "t.kds:3: a field outside a type (fields follow "
                                               "`type Name`)";
        QTest::newRow("no colon") << "type A\n  x string\n"
                                  << "t.kds:2: expected `name: type`";
        QTest::newRow("no type") << "type A\n  x:\n"
                                 << "t.kds:2: field 'x' has no type";
        QTest::newRow("bad field name") << "type A\n  a b: string\n"
                                        << "t.kds:2: bad field name 'a b'";
        QTest::newRow("junk after the type")
            << "type A\n  x: string optional\n"
            << "t.kds:2: expected `enum(A|B|...)` after the type, found 'optional'";
        QTest::newRow("enum on an integer")
            << "type A\n  x: int32 enum(1|2)\n"
            << "t.kds:2: enum(...) needs a string type, not 'int32'";
        QTest::newRow("enum on a type") << "type A\n  x: B enum(1)\ntype B\n"
                                        << "t.kds:2: enum(...) needs a string type, not 'B'";
        QTest::newRow("empty enum value")
            << "type A\n  x: string enum(A||B)\n"
            << "t.kds:2: an enum value is missing (write \"\" for the empty string)";
        QTest::newRow("duplicate enum value") << "type A\n  x: string enum(A|B|A)\n"
                                              << "t.kds:2: duplicate enum value 'A'";
        QTest::newRow("bad type name")
            << "type container\n"
            << "t.kds:1: bad type name 'container' (a capital letter, then letters and digits)";
        QTest::newRow("type option") << "type A closed\n"
                                     << "t.kds:1: expected `type Name` or `type Name open`";
        QTest::newRow("unknown keyword")
            << "type A\nstruct B\n"
            << "t.kds:2: expected `type`, `kind` or an indented field, found 'struct'";
        QTest::newRow("kind without scope")
            << "type A\nkind v1 A = A\n"
            << "t.kds:2: expected `kind apiVersion Kind namespaced|cluster = Type`";
        QTest::newRow("kind with a bad apiVersion")
            << "type A\nkind a/b/c A cluster = A\n"
            << "t.kds:2: expected `kind apiVersion Kind namespaced|cluster = Type`";
        QTest::newRow("kind of an undefined type") << "kind v1 A cluster = Missing\n"
                                                   << "t.kds:1: unknown type 'Missing'";
    }
    void rejectsBadText() {
        QFETCH(QString, text);
        QFETCH(QString, error);
        SchemaSet set;
        std::string message;
        QVERIFY(!parseSchemaText(text.toStdString(), "t.kds", set, &message));
        QCOMPARE(QString::fromStdString(message), error);
    }

    void findsFieldsByBinarySearch() {
        SchemaNode node;
        for (const char *name : {"a", "c", "e", "g"})
            node.fields.push_back({name, nullptr, false});
        for (const char *name : {"a", "c", "e", "g"}) {
            const SchemaField *field = node.field(name);
            QVERIFY(field);
            QCOMPARE(field->name, std::string(name));
        }
        for (const char *name : {"", "b", "f", "h", "aa"})
            QVERIFY(!node.field(name));
        QVERIFY(!SchemaNode().field("a"));
    }

    void splitsApiVersions_data() {
        QTest::addColumn<QString>("apiVersion");
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("version");
        QTest::newRow("core") << "v1"
                              << ""
                              << "v1";
        QTest::newRow("apps") << "apps/v1"
                              << "apps"
                              << "v1";
        QTest::newRow("dotted group") << "networking.k8s.io/v1"
                                      << "networking.k8s.io"
                                      << "v1";
    }
    void splitsApiVersions() {
        QFETCH(QString, apiVersion);
        QFETCH(QString, group);
        QFETCH(QString, version);
        const GroupVersionKind gvk =
            GroupVersionKind::fromApiVersion(apiVersion.toStdString(), "K");
        QCOMPARE(QString::fromStdString(gvk.group), group);
        QCOMPARE(QString::fromStdString(gvk.version), version);
        QCOMPARE(gvk.kind, std::string("K"));
        QCOMPARE(QString::fromStdString(gvk.apiVersion()), apiVersion);
    }

    void looksKindsUpInASet() {
        SchemaSet set;
        SchemaNode *pod = set.newNode();
        SchemaNode *ns = set.newNode();
        set.addKind({"", "v1", "Pod"}, pod);
        set.addKind({"", "v1", "Namespace"}, ns, false);
        set.addKind({"apps", "v1", "Deployment"}, pod);
        QCOMPARE(set.find("v1", "Pod"), pod);
        QCOMPARE(set.find("v1", "Namespace"), ns);
        QVERIFY(!set.find("v1", "pod"));
        QVERIFY(!set.find("apps/v1", "Pod"));
        QVERIFY(!set.find("v1/Pod", ""));
        QVERIFY(set.isNamespaced("v1", "Pod"));
        QVERIFY(!set.isNamespaced("v1", "Namespace"));
        const std::vector<GroupVersionKind> expected{
            {"", "v1", "Namespace"}, {"", "v1", "Pod"}, {"apps", "v1", "Deployment"}};
        QVERIFY(set.kinds() == expected);
        QCOMPARE(set.nodeCount(), std::size_t(2));

        // Nodes stay where they are while the set grows.
        for (int i = 0; i < 1000; ++i)
            set.newNode();
        QCOMPARE(set.find("v1", "Pod"), pod);
    }

    void catalogueTakesTheFirstSetThatKnowsAKind() {
        SchemaCatalog catalog;
        QVERIFY(!catalog.find("v1", "Pod"));
        auto first = setWith("--schema-dir x", "FromDir");
        auto second = setWith("cluster (v1.30.2)", "FromCluster");
        SchemaNode *service = second->newNode();
        second->addKind({"", "v1", "Service"}, service);
        auto lazy = std::make_shared<FakeLazy>();
        catalog.add(first);
        catalog.add(nullptr); // ignored
        catalog.add(second);
        catalog.addLazy(lazy);

        std::string source;
        QCOMPARE(catalog.find("v1", "Pod", &source)->name, std::string("FromDir"));
        QCOMPARE(source, std::string("--schema-dir x"));
        QCOMPARE(catalog.find("v1", "Service", &source), service);
        QCOMPARE(source, std::string("cluster (v1.30.2)"));
        QCOMPARE(lazy->calls, 0); // the sets answered

        QCOMPARE(catalog.find("example.com/v1", "Model", &source), &lazy->model);
        QCOMPARE(source, std::string("--schema-dir crds"));
        QCOMPARE(lazy->calls, 1);
        QVERIFY(!catalog.find("example.com/v1", "Other", &source));
        QCOMPARE(lazy->calls, 2);
    }

    void builtinCatalogueHasTheKinds() {
        const std::vector<GroupVersionKind> expected{
            {"", "v1", "ConfigMap"},
            {"", "v1", "Namespace"},
            {"", "v1", "PersistentVolumeClaim"},
            {"", "v1", "Pod"},
            {"", "v1", "Secret"},
            {"", "v1", "Service"},
            {"", "v1", "ServiceAccount"},
            {"apps", "v1", "DaemonSet"},
            {"apps", "v1", "Deployment"},
            {"apps", "v1", "ReplicaSet"},
            {"apps", "v1", "StatefulSet"},
            {"autoscaling", "v2", "HorizontalPodAutoscaler"},
            {"batch", "v1", "CronJob"},
            {"batch", "v1", "Job"},
            {"networking.k8s.io", "v1", "Ingress"},
            {"networking.k8s.io", "v1", "IngressClass"},
            {"networking.k8s.io", "v1", "NetworkPolicy"},
            {"policy", "v1", "PodDisruptionBudget"},
        };
        const SchemaSet &set = builtinSchemas();
        QCOMPARE(set.kinds().size(), expected.size());
        QVERIFY(set.kinds() == expected);
        QCOMPARE(set.source, std::string("built-in"));
        for (const GroupVersionKind &gvk : expected) {
            const bool clusterScoped = gvk.kind == "Namespace" || gvk.kind == "IngressClass";
            QVERIFY2(set.isNamespaced(gvk.apiVersion(), gvk.kind) != clusterScoped,
                     gvk.kind.c_str());
            const SchemaNode *root = set.find(gvk.apiVersion(), gvk.kind);
            QVERIFY2(root && root->name == gvk.kind, gvk.kind.c_str());
            QCOMPARE(at(root, "metadata")->name, std::string("ObjectMeta"));
        }

        std::string source;
        const SchemaCatalog catalog = SchemaCatalog::builtin();
        QCOMPARE(catalog.find("apps/v1", "Deployment", &source), set.find("apps/v1", "Deployment"));
        QCOMPARE(source, std::string("built-in"));
        QVERIFY(!catalog.find("apps/v1beta1", "Deployment"));
    }

    void builtinCatalogueSpotChecks() {
        const SchemaSet &set = builtinSchemas();
        const SchemaNode *deployment = set.find("apps/v1", "Deployment");
        const SchemaNode *container = at(deployment, "spec.template.spec.containers.[]");
        QVERIFY(container);
        QCOMPARE(container->name, std::string("Container"));
        QVERIFY(isRequired(container, "name"));
        QVERIFY(!isRequired(container, "image"));
        QCOMPARE(at(container, "imagePullPolicy")->enumValues,
                 (std::vector<std::string>{"Always", "IfNotPresent", "Never"}));
        QCOMPARE(at(container, "resources.limits")->type, SchemaType::Map);
        QCOMPARE(at(container, "resources.limits.[]")->type, SchemaType::Quantity);
        const SchemaNode *containerPort = at(container, "ports.[].containerPort");
        QCOMPARE(containerPort->type, SchemaType::Integer);
        QCOMPARE(containerPort->format, std::string("int32"));
        QVERIFY(isRequired(container, "ports.[].containerPort"));
        QVERIFY(isRequired(deployment, "spec.selector"));
        QVERIFY(isRequired(deployment, "spec.template"));
        QCOMPARE(at(deployment, "spec.strategy.rollingUpdate.maxSurge")->type,
                 SchemaType::IntOrString);
        QCOMPARE(at(deployment, "status.conditions.[].lastUpdateTime")->format,
                 std::string("date-time"));

        const SchemaNode *service = set.find("v1", "Service");
        QCOMPARE(at(service, "spec.ports.[].targetPort")->type, SchemaType::IntOrString);
        QCOMPARE(at(service, "spec.ports.[].port")->format, std::string("int32"));
        QCOMPARE(at(service, "spec.ipFamilies.[]")->enumValues,
                 (std::vector<std::string>{"", "IPv4", "IPv6"}));
        QCOMPARE(at(set.find("v1", "Secret"), "data.[]")->format, std::string("byte"));
        QCOMPARE(at(set.find("v1", "ConfigMap"), "data.[]")->type, SchemaType::String);
        const SchemaNode *metadata = at(service, "metadata");
        QVERIFY(at(metadata, "managedFields.[].fieldsV1")->preserveUnknownFields);
        QCOMPARE(at(metadata, "creationTimestamp")->format, std::string("date-time"));
        QCOMPARE(at(set.find("batch/v1", "CronJob"), "spec.jobTemplate.spec.template.spec"),
                 at(deployment, "spec.template.spec")); // one PodSpec for every kind
    }

    // Every node is usable as the validator walks it: sorted fields, no dangling pointer.
    void builtinCatalogueIsWellFormed() {
        const SchemaSet &set = builtinSchemas();
        std::vector<const SchemaNode *> todo;
        for (const GroupVersionKind &gvk : set.kinds())
            todo.push_back(set.find(gvk.apiVersion(), gvk.kind));
        std::set<const SchemaNode *> seen;
        while (!todo.empty()) {
            const SchemaNode *node = todo.back();
            todo.pop_back();
            if (!seen.insert(node).second)
                continue;
            if (node->type == SchemaType::Array || node->type == SchemaType::Map) {
                QVERIFY(node->element);
                todo.push_back(node->element);
            }
            if (node->type != SchemaType::Object) {
                QVERIFY(node->fields.empty());
                continue;
            }
            QVERIFY2(!node->fields.empty() || node->preserveUnknownFields, node->name.c_str());
            for (std::size_t i = 0; i < node->fields.size(); ++i) {
                QVERIFY(node->fields[i].node);
                QVERIFY2(i == 0 || node->fields[i - 1].name < node->fields[i].name,
                         node->name.c_str());
                todo.push_back(node->fields[i].node);
            }
        }
        // Every node is reachable from a kind: the catalogue holds no unused type.
        QCOMPARE(seen.size(), set.nodeCount());
    }

    void builtinCatalogueIsParsedOnce() {
        std::atomic<const SchemaSet *> seen[4] = {};
        std::vector<std::thread> threads;
        for (auto &slot : seen)
            threads.emplace_back([&slot] { slot = &builtinSchemas(); });
        for (std::thread &thread : threads)
            thread.join();
        for (const auto &slot : seen)
            QCOMPARE(slot.load(), &builtinSchemas());
    }
};

QTEST_APPLESS_MAIN(TstSchemaCatalog)
#include "tst_schemacatalog.moc"
