// Schema completion in a buffer that is being typed: the context (kind, field path, key or value)
// read from indentation alone, and the fields and values offered at realistic cursor places.
#include "manifest/completion.h"
#include "manifest/schematext.h"

#include <QTest>

#include <algorithm>

using kd::manifest::complete;
using kd::manifest::CompletionContext;
using kd::manifest::completionContext;
using kd::manifest::CompletionItem;
using kd::manifest::SchemaCatalog;
using kd::manifest::SchemaSet;

namespace {

// A small catalogue shaped like the real one, so the test does not move with it.
constexpr std::string_view kSchema = R"(
type ObjectMeta
  name: string
  namespace: string
  labels: map[string]
type Deployment
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec: DeploymentSpec
type DeploymentSpec
  replicas: int32
  paused: boolean
  selector: LabelSelector!
  template: PodTemplateSpec!
type LabelSelector
  matchLabels: map[string]
type PodTemplateSpec
  metadata: ObjectMeta
  spec: PodSpec
type PodSpec
  containers: []Container!
  restartPolicy: string enum(Always|OnFailure|Never)
  nodeSelector: map[string]
type Container
  name: string!
  image: string
  imagePullPolicy: string enum(Always|IfNotPresent|Never)
  ports: []ContainerPort
  resources: ResourceRequirements
  args: []string
type ContainerPort
  containerPort: int32!
  protocol: string enum(TCP|UDP|SCTP)
type ResourceRequirements
  limits: map[quantity]
  requests: map[quantity]
kind apps/v1 Deployment namespaced = Deployment
)";

const SchemaCatalog &catalog() {
    static const SchemaCatalog c = [] {
        auto set = std::make_shared<SchemaSet>();
        std::string error;
        if (!kd::manifest::parseSchemaText(kSchema, "test.kds", *set, &error))
            qFatal("test schema: %s", error.c_str());
        SchemaCatalog built;
        built.add(set);
        return built;
    }();
    return c;
}

// The buffer with `^` marking the cursor; answers the text without it and the cursor's place.
struct Cursor {
    std::string text;
    int line = 0;
    int column = 0;
};

Cursor at(std::string_view marked) {
    Cursor c;
    const std::size_t bar = marked.find('^');
    c.text = std::string(marked.substr(0, bar)) + std::string(marked.substr(bar + 1));
    const std::string_view before = marked.substr(0, bar);
    c.line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    const std::size_t lineStart = before.rfind('\n');
    c.column =
        static_cast<int>(bar - (lineStart == std::string_view::npos ? 0 : lineStart + 1)) + 1;
    return c;
}

QStringList labels(const std::vector<CompletionItem> &items) {
    QStringList out;
    for (const CompletionItem &i : items)
        out << QString::fromStdString(i.label);
    return out;
}

const CompletionItem *find(const std::vector<CompletionItem> &items, std::string_view label) {
    auto it = std::find_if(items.begin(), items.end(),
                           [label](const CompletionItem &i) { return i.label == label; });
    return it == items.end() ? nullptr : &*it;
}

QString path(const CompletionContext &c) {
    QStringList parts;
    for (const std::string &p : c.path)
        parts << QString::fromStdString(p);
    return parts.join(u'.');
}

constexpr std::string_view kHead = "apiVersion: apps/v1\nkind: Deployment\n";

} // namespace

class TestCompletion : public QObject {
    Q_OBJECT

private slots:
    void context_data() {
        QTest::addColumn<QString>("buffer");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("value");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QStringList>("present");

        const QString head = QString::fromUtf8(kHead.data(), static_cast<qsizetype>(kHead.size()));
        QTest::newRow("top level, typing")
            << head + QStringLiteral("me^") << QString() << false << QStringLiteral("me")
            << QStringList{QStringLiteral("apiVersion"), QStringLiteral("kind")};
        QTest::newRow("spec, after a sibling")
            << head + QStringLiteral("spec:\n  replicas: 2\n  ^\n  paused: true\n")
            << QStringLiteral("spec") << false << QString()
            << QStringList{QStringLiteral("replicas"), QStringLiteral("paused")};
        QTest::newRow("first key of a list item")
            << head + QStringLiteral("spec:\n  template:\n    spec:\n      containers:\n"
                                     "      - na^\n        image: x\n      - name: other\n")
            << QStringLiteral("spec.template.spec.containers.[]") << false << QStringLiteral("na")
            << QStringList{QStringLiteral("image")};
        QTest::newRow("later key of a list item")
            << head + QStringLiteral("spec:\n  template:\n    spec:\n      containers:\n"
                                     "        - name: a\n          image: x\n          ^\n"
                                     "        - name: b\n          ports: []\n")
            << QStringLiteral("spec.template.spec.containers.[]") << false << QString()
            << QStringList{QStringLiteral("name"), QStringLiteral("image")};
        QTest::newRow("value of an enum")
            << head + QStringLiteral("spec:\n  template:\n    spec:\n      containers:\n"
                                     "      - name: a\n        imagePullPolicy: If^\n")
            << QStringLiteral("spec.template.spec.containers.[].imagePullPolicy") << true
            << QStringLiteral("If") << QStringList{};
        QTest::newRow("nested list in a list item")
            << head +
                   QStringLiteral("spec:\n  template:\n    spec:\n      containers:\n"
                                  "      - name: a\n        ports:\n        - containerPort: 80\n"
                                  "          ^\n")
            << QStringLiteral("spec.template.spec.containers.[].ports.[]") << false << QString()
            << QStringList{QStringLiteral("containerPort")};
        QTest::newRow("second document")
            << QStringLiteral("kind: Service\n---\n") + head +
                   QStringLiteral("spec:\n  args: |\n    not: a key\n  ^")
            << QStringLiteral("spec") << false << QString() << QStringList{QStringLiteral("args")};
        QTest::newRow("after comments and blank lines")
            << head + QStringLiteral("metadata:\n  # the name\n\n  name: web\n\n  ^")
            << QStringLiteral("metadata") << false << QString()
            << QStringList{QStringLiteral("name")};
    }

    void context() {
        QFETCH(QString, buffer);
        QFETCH(QString, path);
        QFETCH(bool, value);
        QFETCH(QString, prefix);
        QFETCH(QStringList, present);
        const Cursor c = at(buffer.toStdString());
        const CompletionContext ctx = completionContext(c.text, c.line, c.column);
        QVERIFY(ctx.valid);
        QCOMPARE(QString::fromStdString(ctx.apiVersion), QStringLiteral("apps/v1"));
        QCOMPARE(QString::fromStdString(ctx.kind), QStringLiteral("Deployment"));
        QCOMPARE(::path(ctx), path);
        QCOMPARE(ctx.value, value);
        QCOMPARE(QString::fromStdString(ctx.prefix), prefix);
        QStringList got;
        for (const std::string &k : ctx.presentKeys)
            got << QString::fromStdString(k);
        got.sort();
        present.sort();
        QCOMPARE(got, present);
    }

    void nothingToComplete_data() {
        QTest::addColumn<QString>("buffer");
        QTest::newRow("in a comment") << QStringLiteral("kind: Deployment\n# a comm^ent\n");
        QTest::newRow("after a value and a blank") << QStringLiteral("kind: Deploy ment^\n");
        QTest::newRow("flow style") << QStringLiteral("kind: Deployment\nspec: {rep^\n");
        QTest::newRow("inside a block scalar")
            << QStringLiteral("kind: Deployment\ndata: |\n  line one\n  li^\n");
        QTest::newRow("on a separator") << QStringLiteral("---^\n");
    }

    void nothingToComplete() {
        QFETCH(QString, buffer);
        const Cursor c = at(buffer.toStdString());
        QVERIFY(!completionContext(c.text, c.line, c.column).valid);
        QVERIFY(complete(c.text, c.line, c.column, catalog()).empty());
    }

    void fieldsOfTheMapping() {
        const Cursor c = at(std::string(kHead) + "spec:\n  replicas: 2\n  ^\n");
        const auto items = complete(c.text, c.line, c.column, catalog());
        // Required fields first; replicas is already there.
        QCOMPARE(labels(items), (QStringList{QStringLiteral("selector"), QStringLiteral("template"),
                                             QStringLiteral("paused")}));
        QVERIFY(items[0].required);
        QCOMPARE(QString::fromStdString(items[0].detail), QStringLiteral("LabelSelector"));
        // An object opens an indented block under the key.
        QCOMPARE(QString::fromStdString(items[1].insertText), QStringLiteral("template:\n    "));
        QCOMPARE(QString::fromStdString(items[2].insertText), QStringLiteral("paused: "));
        QCOMPARE(c.column, 3);
    }

    void containerFields() {
        const Cursor c =
            at(std::string(kHead) + "spec:\n  template:\n    spec:\n      containers:\n"
                                    "      - name: server\n        p^\n");
        const auto items = complete(c.text, c.line, c.column, catalog());
        QCOMPARE(labels(items), QStringList{QStringLiteral("ports")});
        QCOMPARE(QString::fromStdString(items[0].detail), QStringLiteral("[]ContainerPort"));
        // A list opens a `- ` item two columns under the key.
        QCOMPARE(QString::fromStdString(items[0].insertText),
                 QStringLiteral("ports:\n          - "));

        // Without a prefix, every Container field but name; matching ignores case.
        const Cursor all =
            at(std::string(kHead) + "spec:\n  template:\n    spec:\n      containers:\n"
                                    "      - name: server\n        IM^\n");
        QCOMPARE(labels(complete(all.text, all.line, all.column, catalog())),
                 (QStringList{QStringLiteral("image"), QStringLiteral("imagePullPolicy")}));
    }

    void podSpecFields() {
        // A new key right after a finished list: back in the pod spec.
        const Cursor c =
            at(std::string(kHead) + "spec:\n  template:\n    spec:\n      containers:\n"
                                    "      - name: server\n        image: x\n      ^\n");
        const auto items = complete(c.text, c.line, c.column, catalog());
        QCOMPARE(labels(items),
                 (QStringList{QStringLiteral("nodeSelector"), QStringLiteral("restartPolicy")}));
        QCOMPARE(QString::fromStdString(find(items, "nodeSelector")->detail),
                 QStringLiteral("map[string]"));
    }

    void enumAndBooleanValues() {
        const Cursor policy =
            at(std::string(kHead) + "spec:\n  template:\n    spec:\n      restartPolicy: ^\n");
        const auto values = complete(policy.text, policy.line, policy.column, catalog());
        QCOMPARE(labels(values), (QStringList{QStringLiteral("Always"), QStringLiteral("OnFailure"),
                                              QStringLiteral("Never")}));
        QVERIFY(values[0].kind == CompletionItem::Kind::Value);
        QCOMPARE(QString::fromStdString(values[0].insertText), QStringLiteral("Always"));

        const Cursor paused = at(std::string(kHead) + "spec:\n  paused: t^\n");
        const auto booleans = complete(paused.text, paused.line, paused.column, catalog());
        QCOMPARE(labels(booleans), QStringList{QStringLiteral("true")});
        // The prefix is what the completion replaces.
        QCOMPARE(completionContext(paused.text, paused.line, paused.column).replaceFromColumn, 11);

        const Cursor protocol =
            at(std::string(kHead) + "spec:\n  template:\n    spec:\n      containers:\n"
                                    "      - name: a\n        ports:\n        - protocol: ^\n");
        QCOMPARE(
            labels(complete(protocol.text, protocol.line, protocol.column, catalog())),
            (QStringList{QStringLiteral("TCP"), QStringLiteral("UDP"), QStringLiteral("SCTP")}));
        // A free-form string has nothing to offer.
        const Cursor image =
            at(std::string(kHead) + "spec:\n  template:\n    spec:\n      containers:\n"
                                    "      - name: a\n        image: ^\n");
        QVERIFY(complete(image.text, image.line, image.column, catalog()).empty());
    }

    void unknownKindAndMapKeys() {
        // No kind yet: apiVersion and kind are what the document needs.
        const Cursor empty = at("^");
        QCOMPARE(labels(complete(empty.text, empty.line, empty.column, catalog())),
                 (QStringList{QStringLiteral("apiVersion"), QStringLiteral("kind")}));
        const Cursor half = at("kind: Deployment\n^");
        QCOMPARE(labels(complete(half.text, half.line, half.column, catalog())),
                 QStringList{QStringLiteral("apiVersion")});
        // A kind the catalogue does not know offers nothing below the top.
        const Cursor unknown = at("apiVersion: x/v1\nkind: Widget\nspec:\n  ^");
        QVERIFY(complete(unknown.text, unknown.line, unknown.column, catalog()).empty());
        // Keys of a map are the user's own.
        const Cursor labelsKey = at(std::string(kHead) + "metadata:\n  labels:\n    ^");
        QVERIFY(complete(labelsKey.text, labelsKey.line, labelsKey.column, catalog()).empty());
    }

    void typeNames() {
        SchemaSet set;
        kd::manifest::SchemaNode *container = set.newNode();
        container->type = kd::manifest::SchemaType::Object;
        container->name = "io.k8s.api.core.v1.Container";
        kd::manifest::SchemaNode *list = set.newNode();
        list->type = kd::manifest::SchemaType::Array;
        list->element = container;
        QCOMPARE(QString::fromStdString(kd::manifest::schemaTypeName(list)),
                 QStringLiteral("[]Container"));
        kd::manifest::SchemaNode *quantities = set.newNode();
        quantities->type = kd::manifest::SchemaType::Map;
        kd::manifest::SchemaNode *quantity = set.newNode();
        quantity->type = kd::manifest::SchemaType::Quantity;
        quantities->element = quantity;
        QCOMPARE(QString::fromStdString(kd::manifest::schemaTypeName(quantities)),
                 QStringLiteral("map[quantity]"));
    }

    void kindValuesFromTheBuiltInCatalogue() {
        const Cursor c = at("apiVersion: apps/v1\nkind: Dep^\n");
        const auto items = complete(c.text, c.line, c.column, catalog());
        QVERIFY2(find(items, "Deployment"), qPrintable(labels(items).join(u',')));
        QVERIFY(!find(items, "Pod")); // a core kind, not apps/v1
        const Cursor version = at("apiVersion: ^\nkind: Deployment\n");
        QVERIFY(find(complete(version.text, version.line, version.column, catalog()), "apps/v1"));
    }
};

QTEST_APPLESS_MAIN(TestCompletion)
#include "tst_completion.moc"
