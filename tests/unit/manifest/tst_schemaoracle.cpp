// The built-in catalogue against the official Kubernetes OpenAPI v2 spec: from each kind's
// definition every reachable type is walked beside the catalogue's node, and every field must
// agree both ways in type, format, required flag and enum. Prints the coverage, fails with the
// list of disagreements.
#include "manifest/schema.h"
#include "manifest/schematext.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace kd::manifest;
using nlohmann::json;

namespace {

constexpr std::string_view kDefinitionPrefix = "#/definitions/";

std::string shortName(const std::string &definition) {
    return definition.substr(definition.rfind('.') + 1);
}

const char *typeName(SchemaType type) {
    switch (type) {
    case SchemaType::Any:
        return "any";
    case SchemaType::Object:
        return "object";
    case SchemaType::Map:
        return "map";
    case SchemaType::Array:
        return "array";
    case SchemaType::String:
        return "string";
    case SchemaType::Integer:
        return "integer";
    case SchemaType::Number:
        return "number";
    case SchemaType::Boolean:
        return "boolean";
    case SchemaType::IntOrString:
        return "int-or-string";
    case SchemaType::Quantity:
        return "quantity";
    }
    return "?";
}

std::string describe(const SchemaNode *node) {
    if (!node)
        return "nothing";
    std::string text = typeName(node->type);
    if (!node->name.empty())
        text += " " + node->name;
    if (!node->format.empty())
        text += " (" + node->format + ")";
    return text;
}

std::string joined(std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    std::string text;
    for (const std::string &v : values)
        text += (text.empty() ? "" : "|") + (v.empty() ? std::string("\"\"") : v);
    return "enum(" + text + ")";
}

class Oracle {
public:
    explicit Oracle(const json &spec)
        : m_definitions(spec.at("definitions")) {
        // A kind is namespaced when the spec serves it under /namespaces/{namespace}/.
        for (const auto &[path, item] : spec.at("paths").items()) {
            for (const auto &[verb, operation] : item.items()) {
                if (!operation.is_object() ||
                    !operation.contains("x-kubernetes-group-version-kind"))
                    continue;
                const json &gvk = operation["x-kubernetes-group-version-kind"];
                const std::string key = gvk.value("group", "") + "/" + gvk.value("version", "") +
                                        "/" + gvk.value("kind", "");
                m_served.insert(key);
                if (path.find("/namespaces/{namespace}/") != std::string::npos)
                    m_namespaced.insert(key);
            }
        }
    }

    void checkKind(const SchemaSet &set, const GroupVersionKind &gvk) {
        const std::string kind = gvk.apiVersion() + " " + gvk.kind;
        const std::string key = gvk.group + "/" + gvk.version + "/" + gvk.kind;
        std::string definition;
        for (const auto &[name, value] : m_definitions.items()) {
            for (const json &g : value.value("x-kubernetes-group-version-kind", json::array())) {
                if (g.value("group", "") == gvk.group && g.value("version", "") == gvk.version &&
                    g.value("kind", "") == gvk.kind)
                    definition = name;
            }
        }
        if (definition.empty()) {
            problem(kind + ": no definition in the spec");
            return;
        }
        ++kindsChecked;
        if (!m_served.contains(key)) {
            problem(kind + ": the spec serves no path for it");
        } else if (m_namespaced.contains(key) != set.isNamespaced(gvk.apiVersion(), gvk.kind)) {
            problem(kind + ": the spec says " +
                    (m_namespaced.contains(key) ? "namespaced" : "cluster-scoped"));
        } else {
            ++scopesAgreeing;
        }
        compareReference(definition, set.find(gvk.apiVersion(), gvk.kind), kind);
        while (!m_pending.empty()) {
            const auto [value, node] = m_pending.back();
            m_pending.pop_back();
            compareDefinition(*value, node);
        }
    }

    std::vector<std::string> problems;
    int kindsChecked = 0;
    int scopesAgreeing = 0;
    int typesWalked = 0;
    int specFields = 0;
    int fieldsAgreeing = 0;
    int enums = 0;
    int enumsAgreeing = 0;

private:
    void problem(std::string text) { problems.push_back(std::move(text)); }

    void mismatch(const std::string &where, const std::string &expected, const SchemaNode *node) {
        problem(where + ": the spec has " + expected + ", the catalogue " + describe(node));
    }

    // A property that refers to a definition: some are scalars to Kubernetes (Quantity, Time,
    // ...), the others are object types walked field by field.
    void compareReference(const std::string &definition, const SchemaNode *node,
                          const std::string &where) {
        static const std::map<std::string, std::pair<SchemaType, std::string>> scalars{
            {"io.k8s.apimachinery.pkg.api.resource.Quantity", {SchemaType::Quantity, ""}},
            {"io.k8s.apimachinery.pkg.util.intstr.IntOrString",
             {SchemaType::IntOrString, "int-or-string"}},
            {"io.k8s.apimachinery.pkg.apis.meta.v1.Time", {SchemaType::String, "date-time"}},
            {"io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime", {SchemaType::String, "date-time"}},
            {"io.k8s.apimachinery.pkg.runtime.RawExtension", {SchemaType::Any, ""}},
            {"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
             {SchemaType::Any, ""}},
        };
        if (const auto it = scalars.find(definition); it != scalars.end()) {
            if (!node || node->type != it->second.first || node->format != it->second.second)
                mismatch(where, shortName(definition), node);
            return;
        }
        if (!m_definitions.contains(definition)) {
            problem(where + ": the spec refers to the missing definition " + definition);
            return;
        }
        const json &value = m_definitions[definition];
        if (value.value("type", "object") != "object") {
            compareProperty(value, node, where);
            return;
        }
        if (!node || node->type != SchemaType::Object || node->name != shortName(definition)) {
            mismatch(where, "object " + shortName(definition), node);
            return;
        }
        const auto [seen, inserted] = m_walked.emplace(definition, node);
        if (!inserted) {
            if (seen->second != node)
                problem(where + ": two catalogue nodes for " + definition);
            return;
        }
        // Walked later, so that a field's verdict is about the field itself, not its type.
        m_pending.emplace_back(&value, node);
    }

    void compareDefinition(const json &value, const SchemaNode *node) {
        ++typesWalked;
        const json properties = value.value("properties", json::object());
        const std::vector<std::string> required =
            value.value("required", std::vector<std::string>());
        // An object the spec says nothing about takes any fields.
        if (properties.empty() && !value.contains("additionalProperties") &&
            !node->preserveUnknownFields)
            problem(node->name + ": the spec allows any fields, the catalogue type is not open");
        if (!properties.empty() && node->preserveUnknownFields)
            problem(node->name + ": the catalogue type is open, the spec lists its fields");
        for (const auto &[name, property] : properties.items()) {
            ++specFields;
            const std::string where = node->name + "." + name;
            const SchemaField *field = node->field(name);
            if (!field) {
                problem(where + ": missing from the catalogue");
                continue;
            }
            const std::size_t before = problems.size();
            const bool specRequired =
                std::find(required.begin(), required.end(), name) != required.end();
            if (field->required != specRequired)
                problem(where + (specRequired
                                     ? ": required in the spec, optional in the catalogue"
                                     : ": optional in the spec, required in the catalogue"));
            compareProperty(property, field->node, where);
            if (problems.size() == before)
                ++fieldsAgreeing;
        }
        for (const SchemaField &field : node->fields) {
            if (!properties.contains(field.name))
                problem(node->name + "." + field.name + ": not in the spec");
        }
    }

    void compareProperty(const json &property, const SchemaNode *node, const std::string &where) {
        if (property.contains("$ref")) {
            const std::string ref = property["$ref"];
            compareReference(ref.substr(kDefinitionPrefix.size()), node, where);
            return;
        }
        const std::string type = property.value("type", "");
        const std::string format = property.value("format", "");
        if (type == "array" || (type == "object" && property.contains("additionalProperties"))) {
            const bool array = type == "array";
            const SchemaType expected = array ? SchemaType::Array : SchemaType::Map;
            if (!node || node->type != expected || !node->element) {
                mismatch(where, array ? "an array" : "a map", node);
                return;
            }
            compareProperty(property[array ? "items" : "additionalProperties"], node->element,
                            where + "[]");
            return;
        }
        static const std::map<std::string, SchemaType> scalars{{"string", SchemaType::String},
                                                               {"integer", SchemaType::Integer},
                                                               {"number", SchemaType::Number},
                                                               {"boolean", SchemaType::Boolean}};
        const auto it = scalars.find(type);
        if (it == scalars.end()) {
            problem(where + ": the spec's type '" + type + "' has no catalogue equivalent");
            return;
        }
        if (!node || node->type != it->second || node->format != format) {
            mismatch(where, type + (format.empty() ? "" : " (" + format + ")"), node);
            return;
        }
        const std::vector<std::string> specEnum =
            property.value("enum", std::vector<std::string>());
        if (!specEnum.empty())
            ++enums;
        if (joined(specEnum) != joined(node->enumValues)) {
            problem(where + ": the spec has " +
                    (specEnum.empty() ? std::string("no enum") : joined(specEnum)) +
                    ", the catalogue " +
                    (node->enumValues.empty() ? std::string("none") : joined(node->enumValues)));
        } else if (!specEnum.empty()) {
            ++enumsAgreeing;
        }
    }

    const json &m_definitions;
    std::set<std::string> m_served;                     // "group/version/kind"
    std::set<std::string> m_namespaced;                 // "group/version/kind"
    std::map<std::string, const SchemaNode *> m_walked; // definition -> catalogue node
    std::vector<std::pair<const json *, const SchemaNode *>> m_pending; // types still to walk
};

} // namespace

class TstSchemaOracle final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        std::ifstream file(KD_SHARED_DIR "/k8s/swagger.json");
        QVERIFY2(file, "cannot open " KD_SHARED_DIR "/k8s/swagger.json");
        m_spec = json::parse(file);
        QCOMPARE(m_spec.value("swagger", ""), std::string("2.0"));
    }

    void catalogueAgreesWithTheSpec() {
        const SchemaSet &set = builtinSchemas();
        Oracle oracle(m_spec);
        for (const GroupVersionKind &gvk : set.kinds())
            oracle.checkKind(set, gvk);

        qInfo("kinds checked: %d of %zu, scope (namespaced or cluster) agreeing: %d",
              oracle.kindsChecked, set.kinds().size(), oracle.scopesAgreeing);
        qInfo("types walked: %d", oracle.typesWalked);
        qInfo("fields agreeing: %d of %d spec fields reachable", oracle.fieldsAgreeing,
              oracle.specFields);
        qInfo("enums agreeing: %d of %d", oracle.enumsAgreeing, oracle.enums);
        std::string list;
        for (const std::string &p : oracle.problems)
            list += "\n  " + p;
        if (!oracle.problems.empty())
            qWarning("%zu disagreements:%s", oracle.problems.size(), list.c_str());
        QVERIFY2(oracle.problems.empty(), "the catalogue disagrees with the spec (listed above)");
        QCOMPARE(oracle.kindsChecked, int(set.kinds().size()));
        QCOMPARE(oracle.scopesAgreeing, oracle.kindsChecked);
        QCOMPARE(oracle.fieldsAgreeing, oracle.specFields);
        QVERIFY(oracle.specFields > 0);
    }

    // The oracle itself: a catalogue wrong in every way it can be is caught in every way.
    void oracleReportsEachKindOfDisagreement() {
        SchemaSet set;
        std::string error;
        QVERIFY2(parseSchemaText(R"(
kind policy/v1 PodDisruptionBudget cluster = PodDisruptionBudget
kind policy/v1 Budget namespaced = PodDisruptionBudget
type PodDisruptionBudget
  apiVersion: string!
  kind: string enum(PodDisruptionBudget)
  extra: string
  metadata: ObjectMeta
  spec: PodDisruptionBudgetSpec
  status: []PodDisruptionBudgetStatus
type ObjectMeta open
type PodDisruptionBudgetSpec
  maxUnavailable: string
  minAvailable: int-or-string
  selector: Selector
  unhealthyPodEvictionPolicy: string
type Selector
  matchLabels: map[string]
type PodDisruptionBudgetStatus
  expectedPods: int32
)",
                                 "broken.kds", set, &error),
                 error.c_str());
        Oracle oracle(m_spec);
        for (const GroupVersionKind &gvk : set.kinds())
            oracle.checkKind(set, gvk);
        const std::set<std::string> problems(oracle.problems.begin(), oracle.problems.end());
        for (const char *expected : {
                 "policy/v1 Budget: no definition in the spec",
                 "policy/v1 PodDisruptionBudget: the spec says namespaced",
                 "PodDisruptionBudget.apiVersion: optional in the spec, required in the catalogue",
                 "PodDisruptionBudget.kind: the spec has no enum, the catalogue "
                 "enum(PodDisruptionBudget)",
                 "PodDisruptionBudget.extra: not in the spec",
                 "PodDisruptionBudget.status: the spec has object PodDisruptionBudgetStatus, the "
                 "catalogue array",
                 "ObjectMeta: the catalogue type is open, the spec lists its fields",
                 "ObjectMeta.name: missing from the catalogue",
                 "PodDisruptionBudgetSpec.maxUnavailable: the spec has IntOrString, the catalogue "
                 "string",
                 "PodDisruptionBudgetSpec.selector: the spec has object LabelSelector, the "
                 "catalogue object Selector",
                 "PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy: the spec has "
                 "enum(AlwaysAllow|IfHealthyBudget), the catalogue none",
             }) {
            QVERIFY2(problems.contains(expected), expected);
        }
        for (const std::string &p : problems)
            QVERIFY2(p.find("minAvailable") == std::string::npos, p.c_str());
        QCOMPARE(oracle.kindsChecked, 1);
        QCOMPARE(oracle.scopesAgreeing, 0);
    }

private:
    json m_spec;
};

QTEST_APPLESS_MAIN(TstSchemaOracle)
#include "tst_schemaoracle.moc"
