// JSON Schema and OpenAPI v3 import: every construct the importer reads, $refs and recursive
// types, x-kubernetes-group-version-kind and scope, hostile schemas, CRDs (a KServe-style
// InferenceService), the OpenAPI v3 export of the built-in catalogue read back shape for shape,
// and the upstream Swagger document as an oracle.
#include "manifest/jsonschema.h"
#include "manifest/openapiexport.h"
#include "manifest/yamljson.h"
#include "tst_schema_support.h"

#include <QFile>
#include <QTest>

using namespace kd::manifest;
using kd::testing::at;
using kd::testing::describe;
using Json = nlohmann::json;

// QCOMPARE for JSON values, printing both on a difference.
#define KD_COMPARE_JSON(actual, expected)                                                          \
    QVERIFY2((actual) == (expected), ((actual).dump() + " != " + (expected).dump()).c_str())

namespace {

const QString kData = QStringLiteral(KD_SOURCE_DIR "/tests/unit/manifest/data/schemas/");

// Imports `text` as a schema whose $refs point into itself; nullptr and *error on failure.
const SchemaNode *importText(SchemaSet &set, const QByteArray &text, std::string *error) {
    const Json document = Json::parse(text.toStdString());
    JsonSchemaImporter importer(set);
    return importer.importSchema(document, document, error);
}

Json readYamlFile(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return parseSingleYamlDocument(file.readAll().toStdString());
}

// {"properties": {"a": {"properties": {"a": ... {"type": "string"}}}}}, `levels` deep.
QByteArray nested(int levels) {
    QByteArray text;
    for (int i = 0; i < levels; ++i)
        text += "{\"properties\":{\"a\":";
    text += "{\"type\":\"string\"}";
    for (int i = 0; i < levels; ++i)
        text += "}}";
    return text;
}

// A chain of definitions D0 -> D1 -> ... , each referring to the next.
QByteArray refChain(int length) {
    Json definitions = Json::object();
    for (int i = 0; i < length; ++i)
        definitions["D" + std::to_string(i)] = {
            {"type", "object"},
            {"properties", {{"next", {{"$ref", "#/definitions/D" + std::to_string(i + 1)}}}}}};
    definitions["D" + std::to_string(length)] = {{"type", "string"}};
    return QByteArray::fromStdString(
        Json{{"$ref", "#/definitions/D0"}, {"definitions", definitions}}.dump());
}

} // namespace

// The slots are defined after the class: moc misreads raw string literals with quotes and '#'
// inside a class body.
class TstJsonSchema final : public QObject {
    Q_OBJECT

private slots:
    void constructs_data();
    void constructs();
    void embeddedResourceMetadataIsObjectMeta();
    void refsAndRecursiveTypes();
    void hostileSchemas_data();
    void hostileSchemas();
    void documentKindsAndScope();
    void failedDocumentLeavesNothingShared();
    void inferenceServiceCrd();
    void badCrds_data();
    void badCrds();
    void v1beta1CrdWithoutSchema();
    void builtinRoundTripsThroughOpenApiV3();
    void openApiV3Index();
    void swaggerOracle();
};

void TstJsonSchema::constructs_data() {
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, const char *schema, const char *expected) {
        QTest::newRow(name) << QByteArray(schema) << QString::fromLatin1(expected);
    };
    row("string", R"({"type":"string"})", "string");
    row("null in a type list", R"({"type":["string","null"]})", "string?");
    row("nullable", R"({"type":"integer","format":"int64","nullable":true})", "integer(int64)?");
    row("number", R"({"type":"number","format":"double"})", "number(double)");
    row("boolean", R"({"type":"boolean"})", "boolean");
    row("date-time", R"({"type":"string","format":"date-time"})", "string(date-time)");
    row("empty schema", "{}", "any");
    row("true", "true", "any");
    row("preserve without a type", R"({"x-kubernetes-preserve-unknown-fields":true})", "any");
    row("object alone", R"({"type":"object"})", "object+");
    row("additionalProperties true", R"({"type":"object","additionalProperties":true})", "object+");
    row("additionalProperties false", R"({"type":"object","additionalProperties":false})",
        "object");
    row("map", R"({"type":"object","additionalProperties":{"type":"string"}})", "map[string]");
    row("map without a type", R"({"additionalProperties":{"type":"boolean"}})", "map[boolean]");
    row("fields, sorted, required",
        R"({"properties":{"b":{"type":"boolean"},"a":{"type":"string"}},"required":["b"]})",
        "object {a,b!}");
    row("fields and extra values",
        R"({"type":"object","properties":{"a":{}},"additionalProperties":{"type":"string"}})",
        "object+ {a}");
    row("fields and preserve",
        R"({"type":"object","properties":{"a":{}},"x-kubernetes-preserve-unknown-fields":true})",
        "object+ {a}");
    row("array", R"({"type":"array","items":{"type":"integer","format":"int32"}})",
        "[]integer(int32)");
    row("array without items", R"({"type":"array"})", "[]any");
    row("tuple items", R"({"type":"array","items":[{"type":"string"}]})", "[]any");
    row("enum", R"({"type":"string","enum":["A","B"]})", "string enum(A|B)");
    row("enum without a type", R"({"enum":["x","y"]})", "string enum(x|y)");
    row("enum with null", R"({"type":["string","null"],"enum":["a",null]})", "string enum(a)?");
    row("integer enum", R"({"type":"integer","enum":[1,2]})", "integer");
    row("int-or-string extension",
        R"({"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]})",
        "int-or-string");
    row("int-or-string format", R"({"type":"string","format":"int-or-string"})", "int-or-string");
    row("quantity pattern",
        R"({"x-kubernetes-int-or-string":true,"pattern":"^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE])?$"})",
        "quantity");
    row("kubeconform int-or-string",
        R"({"oneOf":[{"type":["string","null"]},{"type":["integer","null"]}]})", "int-or-string?");
    row("kubeconform quantity",
        R"({"oneOf":[{"type":["string","null"]},{"type":["number","null"]}]})", "quantity?");
    row("type list integer string", R"({"type":["integer","string"]})", "int-or-string");
    row("type list that disagrees", R"({"type":["boolean","string"]})", "any");
    row("oneOf that disagrees", R"({"oneOf":[{"type":"string"},{"type":"boolean"}]})", "any");
    row("anyOf that agrees",
        R"({"anyOf":[{"type":"string","enum":["a"]},{"type":"string","enum":["b"]}]})",
        "string enum(a|b)");
    row("oneOf with a null branch", R"({"oneOf":[{"type":"null"},{"type":"string"}]})", "string?");
    row("oneOf objects", R"({"oneOf":[{"properties":{"a":{}},"required":["a"]},
                                       {"properties":{"b":{}},"required":["b"]}]})",
        "object {a,b}");
    row("oneOf beside a type is a constraint",
        R"({"type":"object","properties":{"a":{},"b":{}},
            "oneOf":[{"required":["a"]},{"required":["b"]}]})",
        "object {a,b}");
    row("allOf merges",
        R"({"allOf":[{"type":"object","properties":{"a":{}},"required":["a"]},
                     {"properties":{"b":{"type":"integer"}}}]})",
        "object {a!,b}");
    row("allOf of one", R"({"allOf":[{"type":"boolean"}],"description":"x"})", "boolean");
    row("embedded resource",
        R"({"type":"object","x-kubernetes-embedded-resource":true,
            "x-kubernetes-preserve-unknown-fields":true})",
        "object+ {apiVersion,kind,metadata}");
}

void TstJsonSchema::constructs() {
    QFETCH(QByteArray, schema);
    QFETCH(QString, expected);
    SchemaSet set;
    std::string error;
    const SchemaNode *node = importText(set, schema, &error);
    QVERIFY2(node, error.c_str());
    QCOMPARE(QString::fromStdString(describe(node)), expected);
}

void TstJsonSchema::embeddedResourceMetadataIsObjectMeta() {
    SchemaSet set;
    std::string error;
    const SchemaNode *node =
        importText(set, R"({"type":"object","x-kubernetes-embedded-resource":true,
                 "properties":{"metadata":{"type":"object"},"spec":{"type":"object"}}})",
                   &error);
    QVERIFY2(node, error.c_str());
    QCOMPARE(at(node, "metadata")->name, std::string("ObjectMeta"));
    QCOMPARE(describe(at(node, "metadata.labels")), std::string("map[string]"));
    QCOMPARE(describe(at(node, "kind")), std::string("string"));
}

void TstJsonSchema::refsAndRecursiveTypes() {
    // apiextensions' JSONSchemaProps refers to itself through maps, aliases and allOf.
    const QByteArray text = R"({
      "$ref": "#/definitions/Root",
      "definitions": {
        "io.k8s.x.v1.JSONSchemaProps": {"type": "object", "properties": {
          "properties": {"type": "object",
                         "additionalProperties": {"$ref": "#/definitions/io.k8s.x.v1.JSONSchemaProps"}},
          "items": {"$ref": "#/definitions/io.k8s.x.v1.JSONSchemaPropsOrArray"},
          "not": {"$ref": "#/definitions/io.k8s.x.v1.JSONSchemaProps"},
          "type": {"type": "string"}}},
        "io.k8s.x.v1.JSONSchemaPropsOrArray": {"$ref": "#/definitions/io.k8s.x.v1.JSONSchemaProps"},
        "Root": {"type": "object", "properties": {
          "schema": {"allOf": [{"$ref": "#/definitions/io.k8s.x.v1.JSONSchemaProps"}], "default": {}},
          "again": {"$ref": "#/definitions/io.k8s.x.v1.JSONSchemaProps"},
          "size": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"},
          "port": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
          "at": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time"},
          "elsewhere": {"$ref": "_definitions.json#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"}}},
        "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string", "format": "int-or-string"},
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time": {"type": "string", "format": "date-time"}
      }})";
    SchemaSet set;
    std::string error;
    const SchemaNode *root = importText(set, text, &error);
    QVERIFY2(root, error.c_str());
    QCOMPARE(root->name, std::string("Root"));
    const SchemaNode *props = at(root, "schema");
    QVERIFY(props);
    QCOMPARE(props->name, std::string("JSONSchemaProps"));
    QCOMPARE(at(root, "again"), props);
    QCOMPARE(at(props, "not"), props);
    QCOMPARE(at(props, "items"), props);
    QCOMPARE(at(props, "properties.[]"), props);
    QCOMPARE(at(props, "properties.[].properties.[].not"), props);
    QCOMPARE(describe(at(root, "size")), std::string("quantity"));
    QCOMPARE(describe(at(root, "elsewhere")), std::string("quantity"));
    QCOMPARE(describe(at(root, "port")), std::string("int-or-string"));
    QCOMPARE(describe(at(root, "at")), std::string("string(date-time)"));
}

void TstJsonSchema::hostileSchemas_data() {
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("error");
    const auto row = [](const char *name, const QByteArray &document, const char *error) {
        QTest::newRow(name) << document << QString::fromLatin1(error);
    };
    row("alias cycle",
        R"({"$ref":"#/definitions/A","definitions":{"A":{"$ref":"#/definitions/B"},
                                                    "B":{"$ref":"#/definitions/A"}}})",
        "refers to itself through $refs alone");
    row("allOf of itself",
        R"({"$ref":"#/definitions/A","definitions":{"A":{"allOf":[{"$ref":"#/definitions/A"}]}}})",
        "refers to itself");
    row("missing $ref", R"({"$ref":"#/definitions/Nope"})",
        "$ref '#/definitions/Nope' points to nothing");
    row("$ref not a string", R"({"$ref":5})", "#: $ref must be a string, not number");
    row("external $ref", R"({"$ref":"other.json#/definitions/X"})", "points outside this file");
    row("$ref not a pointer", R"({"$ref":"#definitions"})", "is not a JSON pointer");
    row("properties an array", R"({"type":"object","properties":[1]})",
        "#: properties must be an object, not array");
    row("property not a schema", R"({"properties":{"a":"string"}})",
        "#/properties/a: expected a schema (a JSON object), found string");
    row("error inside a definition",
        R"({"$ref":"#/definitions/A","definitions":{"A":{"properties":{"x":{"type":7}}}}})",
        "#/definitions/A/properties/x: type must be a string or an array of strings");
    row("unknown type", R"({"type":"strnig"})", "unknown type 'strnig'");
    row("required a string", R"({"type":"object","required":"a"})",
        "required must be an array of field names");
    row("enum an object", R"({"type":"string","enum":{"a":1}})", "enum must be an array");
    row("items a string", R"({"type":"array","items":"x"})", "items must be a schema");
    row("additionalProperties a string", R"({"type":"object","additionalProperties":"x"})",
        "additionalProperties must be a schema or a boolean, not string");
    row("extension not a boolean", R"({"x-kubernetes-int-or-string":"yes"})",
        "x-kubernetes-int-or-string must be true or false, not string");
    row("format a number", R"({"type":"string","format":1})", "format must be a string");
    row("allOf an object", R"({"allOf":{}})", "allOf must be an array");
    row("oneOf a string", R"({"oneOf":"x"})", "oneOf and anyOf must be arrays");
    row("an array", "[1,2]", "expected a schema (a JSON object), found array");
    row("deep nesting", nested(2000), "the schema nests deeper than 256 levels");
    row("long $ref chain", refChain(400), "the schema nests deeper than 256 levels");
}

void TstJsonSchema::hostileSchemas() {
    QFETCH(QByteArray, document);
    QFETCH(QString, error);
    SchemaSet set;
    std::string message;
    QVERIFY(!importText(set, document, &message));
    QVERIFY2(QString::fromStdString(message).contains(error), message.c_str());
    // Nesting just inside the limit is fine.
    QVERIFY(importText(set, nested(100), &message));
}

void TstJsonSchema::documentKindsAndScope() {
    const Json document = Json::parse(R"({
      "paths": {
        "/apis/example.com/v1/namespaces/{namespace}/models/{name}": {"get":
          {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Model"}}},
        "/apis/example.com/v1/models": {"get":
          {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Model"}}},
        "/apis/example.com/v1/clusters/{name}": {"get":
          {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Cluster"}}},
        "/apis/example.com/v1/": {"parameters": []}
      },
      "components": {"schemas": {
        "com.example.v1.Model": {"type": "object", "properties": {"spec": {"type": "object"}},
          "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Model"}]},
        "com.example.v1.Cluster": {"type": "object",
          "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Cluster"}]},
        "com.example.v1.Loose": {"type": "object",
          "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Loose"},
                                              {"group": "example.com", "version": "v1beta1", "kind": "Loose"}]},
        "com.example.v1.Part": {"type": "object"}
      }}})");
    SchemaSet set;
    JsonSchemaImporter importer(set);
    std::string error;
    QVERIFY2(importer.importDocument(document, &error), error.c_str());
    QCOMPARE(set.kinds().size(), std::size_t(4));
    QCOMPARE(set.find("example.com/v1", "Model")->name, std::string("Model"));
    QVERIFY(set.isNamespaced("example.com/v1", "Model"));
    QVERIFY(!set.isNamespaced("example.com/v1", "Cluster"));
    QVERIFY(set.isNamespaced("example.com/v1beta1", "Loose")); // no path tells: namespaced
    QCOMPARE(set.find("example.com/v1", "Loose"), set.find("example.com/v1beta1", "Loose"));
    QVERIFY(!set.find("example.com/v1", "Part"));

    QVERIFY(!importer.importDocument(Json::parse(R"({"paths": {}})"), &error));
    QCOMPARE(error, std::string("the document has no components.schemas or definitions"));
}

void TstJsonSchema::failedDocumentLeavesNothingShared() {
    SchemaSet set;
    JsonSchemaImporter importer(set);
    std::string error;
    const Json broken = Json::parse(R"({"components": {"schemas": {
        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}},
              "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "A"}]},
        "B": {"type": "object", "properties": {"c": {"type": 1}}}}}})");
    QVERIFY(!importer.importDocument(broken, &error));
    QVERIFY2(error.find("#/components/schemas/B/properties/c: type must be") == 0, error.c_str());
    QVERIFY(set.kinds().empty());
    const Json fixed = Json::parse(R"({"components": {"schemas": {
        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}},
              "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "A"}]},
        "B": {"type": "object", "properties": {"c": {"type": "integer"}}}}}})");
    QVERIFY2(importer.importDocument(fixed, &error), error.c_str());
    QCOMPARE(describe(at(set.find("v1", "A"), "b.c")), std::string("integer"));
}

void TstJsonSchema::inferenceServiceCrd() {
    const Json crd = readYamlFile(kData + QStringLiteral("inferenceservice-crd.yaml"));
    SchemaSet set;
    std::string error;
    std::vector<GroupVersionKind> added;
    QVERIFY2(importCustomResourceDefinition(crd, set, &error, &added), error.c_str());
    QCOMPARE(added.size(), std::size_t(1)); // v1alpha1 is not served
    QCOMPARE(added[0].apiVersion(), std::string("serving.kserve.io/v1beta1"));
    QVERIFY(!set.find("serving.kserve.io/v1alpha1", "InferenceService"));
    const SchemaNode *isvc = set.find("serving.kserve.io/v1beta1", "InferenceService");
    QVERIFY(isvc);
    QVERIFY(set.isNamespaced("serving.kserve.io/v1beta1", "InferenceService"));
    QCOMPARE(isvc->name, std::string("InferenceService"));
    QCOMPARE(describe(isvc), std::string("object {apiVersion,kind,metadata,spec,status}"));
    QCOMPARE(at(isvc, "metadata")->name, std::string("ObjectMeta"));
    QCOMPARE(describe(at(isvc, "spec")), std::string("object {explainer,predictor!,transformer}"));
    QCOMPARE(describe(at(isvc, "spec.predictor.model")),
             std::string("object {args,env,modelFormat!,ports,protocolVersion,resources,"
                         "runtime,storageUri}"));
    QCOMPARE(describe(at(isvc, "spec.predictor.model.modelFormat")),
             std::string("object {name!,version}"));
    QCOMPARE(describe(at(isvc, "spec.predictor.model.modelFormat.name")), std::string("string"));
    QCOMPARE(describe(at(isvc, "spec.predictor.model.storageUri")), std::string("string"));
    QCOMPARE(describe(at(isvc, "spec.predictor.model.resources.limits")),
             std::string("map[quantity]"));
    QCOMPARE(describe(at(isvc, "spec.predictor.model.protocolVersion")),
             std::string("string enum(v1|v2|grpc-v1|grpc-v2)"));
    QCOMPARE(describe(at(isvc, "spec.predictor.minReplicas")), std::string("integer(int32)"));
    QCOMPARE(describe(at(isvc, "spec.predictor.nodeSelector")), std::string("map[string]"));
    QCOMPARE(describe(at(isvc, "spec.predictor.model.env.[].valueFrom")), std::string("object+"));
    QCOMPARE(describe(at(isvc, "spec.transformer")), std::string("object+"));
    QCOMPARE(describe(at(isvc, "status.conditions.[].lastTransitionTime")),
             std::string("string(date-time)"));
    QVERIFY(at(isvc, "status.conditions.[]")->field("status")->required);
    QVERIFY(!at(isvc, "spec.predictor.model.tolerations"));
}

void TstJsonSchema::badCrds_data() {
    QTest::addColumn<QByteArray>("crd");
    QTest::addColumn<QString>("error");
    QTest::newRow("not a CRD") << QByteArray(R"({"kind": "ConfigMap"})")
                               << QStringLiteral("not a CustomResourceDefinition");
    QTest::newRow("no group")
        << QByteArray(R"({"kind": "CustomResourceDefinition", "metadata": {"name": "x"},
                          "spec": {"names": {"kind": "X"}}})")
        << QStringLiteral("CustomResourceDefinition 'x' has no spec.group or spec.names.kind");
    QTest::newRow("no versions") << QByteArray(R"({"kind": "CustomResourceDefinition",
                          "spec": {"group": "a.io", "names": {"kind": "X"}}})")
                                 << QStringLiteral("has no spec.versions");
    QTest::newRow("unnamed version") << QByteArray(R"({"kind": "CustomResourceDefinition",
                          "spec": {"group": "a.io", "names": {"kind": "X"}, "versions": [{}]}})")
                                     << QStringLiteral("has a version without a name");
    QTest::newRow("schema not an object")
        << QByteArray(R"({"kind": "CustomResourceDefinition", "spec": {"group": "a.io",
                          "names": {"kind": "X"}, "versions": [{"name": "v1",
                          "schema": {"openAPIV3Schema": {"type": "string"}}}]}})")
        << QStringLiteral("version v1: the schema is not an object");
    QTest::newRow("broken schema")
        << QByteArray(R"({"kind": "CustomResourceDefinition", "spec": {"group": "a.io",
                          "names": {"kind": "X"}, "versions": [{"name": "v1",
                          "schema": {"openAPIV3Schema": {"properties": {"a": 1}}}}]}})")
        << QStringLiteral("version v1: #/properties/a: expected a schema");
    QTest::newRow("nothing served")
        << QByteArray(R"({"kind": "CustomResourceDefinition", "spec": {"group": "a.io",
                          "names": {"kind": "X"}, "versions": [{"name": "v1", "served": false}]}})")
        << QStringLiteral("serves no version");
}

void TstJsonSchema::badCrds() {
    QFETCH(QByteArray, crd);
    QFETCH(QString, error);
    SchemaSet set;
    std::string message;
    QVERIFY(!importCustomResourceDefinition(Json::parse(crd.toStdString()), set, &message));
    QVERIFY2(QString::fromStdString(message).contains(error), message.c_str());
    QVERIFY(set.kinds().empty());
}

void TstJsonSchema::v1beta1CrdWithoutSchema() {
    const Json crd = Json::parse(R"({"kind": "CustomResourceDefinition", "spec": {
        "group": "a.io", "version": "v1alpha1", "names": {"kind": "Thing"}, "scope": "Cluster"}})");
    SchemaSet set;
    std::string error;
    QVERIFY2(importCustomResourceDefinition(crd, set, &error), error.c_str());
    QCOMPARE(describe(set.find("a.io/v1alpha1", "Thing")),
             std::string("object+ {apiVersion,kind,metadata}"));
    QVERIFY(!set.isNamespaced("a.io/v1alpha1", "Thing"));
}

void TstJsonSchema::builtinRoundTripsThroughOpenApiV3() {
    const SchemaSet &builtin = builtinSchemas();
    const std::map<std::string, Json> documents = exportOpenApiV3(builtin);
    QVERIFY(documents.count("api/v1"));
    QVERIFY(documents.count("apis/apps/v1"));
    QVERIFY(documents.count("apis/networking.k8s.io/v1"));
    const Json &apps = documents.at("apis/apps/v1");
    QVERIFY(apps.at("openapi") == "3.0.0");
    const Json &schemas = apps.at("components").at("schemas");
    KD_COMPARE_JSON(
        schemas.at("io.k8s.api.apps.v1.Deployment").at("x-kubernetes-group-version-kind"),
        Json::parse(R"([{"group": "apps", "version": "v1", "kind": "Deployment"}])"));
    for (const char *name : {"io.k8s.api.core.v1.PodTemplateSpec", "io.k8s.api.core.v1.Container",
                             "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
                             "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
                             "io.k8s.apimachinery.pkg.api.resource.Quantity"})
        QVERIFY2(schemas.contains(name), name);
    QVERIFY(documents.at("apis/networking.k8s.io/v1")
                .at("components")
                .at("schemas")
                .contains("io.k8s.api.networking.v1.Ingress"));

    SchemaSet imported;
    JsonSchemaImporter importer(imported);
    for (const auto &[path, document] : documents) {
        std::string error;
        // Through text, as a server sends it.
        QVERIFY2(importer.importDocument(Json::parse(document.dump()), &error),
                 (path + ": " + error).c_str());
    }
    QCOMPARE(imported.kinds(), builtin.kinds());
    std::string difference; // the comparison can tell kinds apart
    QVERIFY(!kd::testing::sameShape(builtin.find("apps/v1", "Deployment"),
                                    imported.find("apps/v1", "StatefulSet"), &difference));
    for (const GroupVersionKind &gvk : builtin.kinds()) {
        const std::string apiVersion = gvk.apiVersion();
        std::string where;
        QVERIFY2(kd::testing::sameShape(builtin.find(apiVersion, gvk.kind),
                                        imported.find(apiVersion, gvk.kind), &where),
                 (apiVersion + " " + gvk.kind + " " + where).c_str());
        QCOMPARE(imported.isNamespaced(apiVersion, gvk.kind),
                 builtin.isNamespaced(apiVersion, gvk.kind));
    }
}

void TstJsonSchema::openApiV3Index() {
    QCOMPARE(openApiV3Path("", "v1"), std::string("api/v1"));
    QCOMPARE(openApiV3Path("apps", "v1"), std::string("apis/apps/v1"));
    const Json index = kd::manifest::openApiV3Index({{"api/v1", "AB12"}, {"apis/apps/v1", "CD"}});
    KD_COMPARE_JSON(index, Json::parse(R"({"paths": {
        "api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=AB12"},
        "apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=CD"}}})"));
}

void TstJsonSchema::swaggerOracle() {
    // The upstream OpenAPI v2 document (definitions, #/definitions refs, paths).
    QFile file(QStringLiteral(KD_SHARED_DIR "/k8s/swagger.json"));
    if (!file.open(QIODevice::ReadOnly))
        QSKIP("the upstream swagger.json is not available");
    const Json swagger = Json::parse(file.readAll().toStdString());
    SchemaSet set;
    JsonSchemaImporter importer(set);
    std::string error;
    QVERIFY2(importer.importDocument(swagger, &error), error.c_str());
    const SchemaNode *deployment = set.find("apps/v1", "Deployment");
    QVERIFY(deployment);
    QCOMPARE(deployment->name, std::string("Deployment"));
    QVERIFY(at(deployment, "spec")->field("template")->required);
    QCOMPARE(describe(at(deployment, "spec.strategy.rollingUpdate.maxSurge")),
             std::string("int-or-string"));
    QCOMPARE(describe(at(deployment, "spec.template.spec.containers.[].resources.limits")),
             std::string("map[quantity]"));
    QCOMPARE(describe(at(deployment, "metadata.creationTimestamp")),
             std::string("string(date-time)"));
    QCOMPARE(describe(at(deployment, "spec.replicas")), std::string("integer(int32)"));
    QVERIFY(set.isNamespaced("apps/v1", "Deployment"));
    QVERIFY(!set.isNamespaced("v1", "Node"));
    QVERIFY(!set.isNamespaced("v1", "Namespace"));
    const SchemaNode *crd = set.find("apiextensions.k8s.io/v1", "CustomResourceDefinition");
    const SchemaNode *props = at(crd, "spec.versions.[].schema.openAPIV3Schema");
    QVERIFY(props);
    QCOMPARE(at(props, "properties.[]"), props);
    QCOMPARE(describe(at(crd, "spec.versions.[].schema.openAPIV3Schema.default")),
             std::string("any"));
}

QTEST_GUILESS_MAIN(TstJsonSchema)
#include "tst_jsonschema.moc"
