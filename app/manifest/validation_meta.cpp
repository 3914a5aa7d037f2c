// ObjectMeta, labels, annotations and label selectors: apimachinery's api/validation and
// apis/meta/v1/validation.

#include "manifest/validation_checks.h"

#include <algorithm>

namespace kd::manifest::detail {

namespace {

constexpr long long kTotalAnnotationSizeLimitB = 256 * 1024;
constexpr std::string_view kFieldImmutable = "field is immutable";

const std::string kEmpty;

const std::string &stringOr(const std::string *s) {
    return s ? *s : kEmpty;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char ch) {
        return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    return out;
}

const std::string *stringMember(const Json *parent, const char *name) {
    if (parent == nullptr)
        return nullptr;
    const Json *v = member(*parent, name);
    return v && v->is_string() ? &v->get_ref<const std::string &>() : nullptr;
}

void validateKubeFinalizerNames(Checks &c, const Json *finalizers, const std::string &path) {
    if (finalizers == nullptr || !finalizers->is_array())
        return;
    for (const Json &f : *finalizers) {
        if (!f.is_string())
            continue;
        const auto &name = f.get_ref<const std::string &>();
        if (name.find('/') == std::string::npos && name != "kubernetes" && name != "orphan" &&
            name != "foregroundDeletion")
            c.invalid(path, Value::str(name),
                      "name is neither a standard finalizer name nor is it fully qualified");
    }
}

void validateFinalizers(Checks &c, const Json *finalizers, const std::string &path) {
    if (finalizers == nullptr)
        return;
    bool orphan = false;
    bool deleteDependents = false;
    OrderedJson all = OrderedJson::array();
    for (std::size_t i = 0; i < finalizers->size(); ++i) {
        const std::string *name = c.asString((*finalizers)[i], index(path, i));
        if (name == nullptr)
            continue;
        all.push_back(*name);
        for (const std::string &msg : isQualifiedName(*name))
            c.invalid(path, Value::str(*name), msg);
        orphan = orphan || *name == "orphan";
        deleteDependents = deleteDependents || *name == "foregroundDeletion";
    }
    if (orphan && deleteDependents)
        c.invalid(path, Value::json(all),
                  "finalizer orphan and foregroundDeletion cannot be both set");
}

} // namespace

void validateNonnegative(Checks &c, long long value, const std::string &path) {
    if (value < 0)
        c.invalid(path, Value::num(value), "must be greater than or equal to 0");
}

void validateLabelName(Checks &c, std::string_view labelKey, const std::string &path) {
    for (const std::string &msg : isQualifiedName(labelKey))
        c.invalid(path, Value::str(labelKey), msg);
}

void validateLabels(Checks &c, const Json *labels, const std::string &path) {
    if (labels == nullptr)
        return;
    for (const auto &[k, v] : labels->items()) {
        validateLabelName(c, k, path);
        if (!v.is_string())
            continue;
        const auto &value = v.get_ref<const std::string &>();
        for (const std::string &msg : isValidLabelValue(value))
            c.invalid(path, Value::str(value), msg);
    }
}

void validateAnnotations(Checks &c, const Json *annotations, const std::string &path) {
    if (annotations == nullptr)
        return;
    long long total = 0;
    for (const auto &[k, v] : annotations->items()) {
        // Keys follow the label-key rule, but case does not matter.
        for (const std::string &msg : isQualifiedName(lower(k)))
            c.invalid(path, Value::str(k), msg);
        total += static_cast<long long>(k.size());
        if (v.is_string())
            total += static_cast<long long>(v.get_ref<const std::string &>().size());
    }
    if (total > kTotalAnnotationSizeLimitB)
        c.tooLong(path, kTotalAnnotationSizeLimitB);
}

void validateObjectMeta(Checks &c, const Json &object, Scope scope, NameRule rule, bool builtIn) {
    static const std::string metaPath = "metadata";
    static const Json emptyObject = Json::object();
    const Json *metaPtr = c.object(object, "metadata", metaPath);
    const Json &meta = metaPtr ? *metaPtr : emptyObject;

    const std::string &generateName =
        stringOr(c.string(meta, "generateName", "metadata.generateName"));
    const std::string &name = stringOr(c.string(meta, "name", "metadata.name"));
    const std::string &ns = stringOr(c.string(meta, "namespace", "metadata.namespace"));

    if (!generateName.empty()) {
        for (const std::string &msg : validateName(rule, generateName, true))
            c.invalid("metadata.generateName", Value::str(generateName), msg);
    }
    // The server generates the name from generateName before validating, so only a missing
    // pair is an error here.
    if (name.empty()) {
        if (generateName.empty())
            c.required("metadata.name", "name or generateName is required");
    } else {
        for (const std::string &msg : validateName(rule, name, false))
            c.invalid("metadata.name", Value::str(name), msg);
    }

    if (scope == Scope::Cluster) {
        if (!ns.empty())
            c.forbidden("metadata.namespace", "not allowed on this type");
    } else if (ns.empty()) {
        if (scope == Scope::Namespaced && c.options().requireNamespace)
            c.required("metadata.namespace");
    } else {
        for (const std::string &msg : validateName(NameRule::DNS1123Label, ns, false))
            c.invalid("metadata.namespace", Value::str(ns), msg);
    }

    if (const auto generation = c.int64(meta, "generation", "metadata.generation"))
        validateNonnegative(c, *generation, "metadata.generation");
    validateLabels(c, c.stringMap(meta, "labels", "metadata.labels"), "metadata.labels");
    validateAnnotations(c, c.stringMap(meta, "annotations", "metadata.annotations"),
                        "metadata.annotations");
    const Json *finalizers = c.array(meta, "finalizers", "metadata.finalizers");
    validateFinalizers(c, finalizers, "metadata.finalizers");
    if (builtIn)
        validateKubeFinalizerNames(c, finalizers, "metadata.finalizers");
}

void validateObjectMetaUpdate(Checks &c, const Json &object, const Json &old, bool builtIn) {
    static const Json emptyObject = Json::object();
    const Json *metaPtr = c.object(object, "metadata", "metadata");
    const Json &meta = metaPtr ? *metaPtr : emptyObject;
    const Json *oldMeta = member(old, "metadata");

    auto immutableString = [&](const char *name, bool keepOldWhenEmpty, bool keepOldWhenSet,
                               bool named) {
        const std::string path = std::string("metadata.") + name;
        const std::string &now = stringOr(c.string(meta, name, path));
        const std::string &before = stringOr(stringMember(oldMeta, name));
        // The API server copies these from the stored object before validating
        // (rest.BeforeUpdate), so such a change never reaches validation.
        if ((keepOldWhenEmpty && now.empty()) || (keepOldWhenSet && !before.empty()))
            return;
        if (now != before)
            c.invalid(path, named ? Value::named(now) : Value::str(now), kFieldImmutable);
    };
    immutableString("name", false, false, false);
    immutableString("namespace", false, false, false);
    immutableString("uid", true, false, true);
    immutableString("creationTimestamp", false, true, true);
    immutableString("deletionTimestamp", false, true, true);

    validateLabels(c, c.stringMap(meta, "labels", "metadata.labels"), "metadata.labels");
    validateAnnotations(c, c.stringMap(meta, "annotations", "metadata.annotations"),
                        "metadata.annotations");
    if (builtIn)
        validateKubeFinalizerNames(c, member(meta, "finalizers"), "metadata.finalizers");
}

bool validateLabelSelector(Checks &c, const Json *selector, const std::string &path) {
    if (selector == nullptr)
        return true;
    const std::size_t before = c.count();
    const std::string labelsPath = child(path, "matchLabels");
    validateLabels(c, c.stringMap(*selector, "matchLabels", labelsPath), labelsPath);
    const std::string exprsPath = child(path, "matchExpressions");
    if (const Json *exprs = c.array(*selector, "matchExpressions", exprsPath)) {
        for (std::size_t i = 0; i < exprs->size(); ++i) {
            const std::string itemPath = index(exprsPath, i);
            const Json *expr = c.asObject((*exprs)[i], itemPath);
            if (expr == nullptr)
                continue;
            const std::string &op =
                stringOr(c.string(*expr, "operator", child(itemPath, "operator")));
            const std::string &labelKey = stringOr(c.string(*expr, "key", child(itemPath, "key")));
            const std::string valuesPath = child(itemPath, "values");
            const Json *values = c.array(*expr, "values", valuesPath);
            const std::size_t count = values ? values->size() : 0;
            if (op == "In" || op == "NotIn") {
                if (count == 0)
                    c.required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'");
            } else if (op == "Exists" || op == "DoesNotExist") {
                if (count > 0)
                    c.forbidden(
                        valuesPath,
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
            } else {
                c.invalid(child(itemPath, "operator"), Value::named(op),
                          "not a valid selector operator");
            }
            validateLabelName(c, labelKey, child(itemPath, "key"));
            for (std::size_t j = 0; j < count; ++j) {
                const std::string valuePath = index(valuesPath, j);
                const std::string *value = c.asString((*values)[j], valuePath);
                if (value == nullptr)
                    continue;
                for (const std::string &msg : isValidLabelValue(*value))
                    c.invalid(valuePath, Value::str(*value), msg);
            }
        }
    }
    return c.count() == before;
}

OrderedJson selectorJson(const Json *selector) {
    if (selector == nullptr || !selector->is_object())
        return nullptr;
    OrderedJson out = OrderedJson::object();
    const Json *labels = member(*selector, "matchLabels");
    if (labels && labels->is_object() && !labels->empty()) {
        OrderedJson map = OrderedJson::object();
        for (const auto &[k, v] : labels->items()) // sorted, as Go marshals maps
            map[k] = v.is_string() ? OrderedJson(v.get<std::string>()) : OrderedJson(nullptr);
        out["matchLabels"] = std::move(map);
    }
    const Json *exprs = member(*selector, "matchExpressions");
    if (exprs && exprs->is_array() && !exprs->empty()) {
        OrderedJson list = OrderedJson::array();
        for (const Json &expr : *exprs) {
            OrderedJson item = OrderedJson::object();
            const std::string *k = stringMember(&expr, "key");
            const std::string *op = stringMember(&expr, "operator");
            item["key"] = k ? *k : std::string();
            item["operator"] = op ? *op : std::string();
            const Json *values = expr.is_object() ? member(expr, "values") : nullptr;
            if (values && values->is_array() && !values->empty()) {
                OrderedJson vs = OrderedJson::array();
                for (const Json &v : *values)
                    vs.push_back(v.is_string() ? OrderedJson(v.get<std::string>())
                                               : OrderedJson(nullptr));
                item["values"] = std::move(vs);
            }
            list.push_back(std::move(item));
        }
        out["matchExpressions"] = std::move(list);
    }
    return out;
}

bool selectorIsEmpty(const Json *selector) {
    if (selector == nullptr)
        return false;
    return isEmptyValue(member(*selector, "matchLabels")) &&
           isEmptyValue(member(*selector, "matchExpressions"));
}

bool selectorMatches(const Json *selector, const Json *labels) {
    if (selector == nullptr || !selector->is_object())
        return false; // labels.Nothing()
    auto label = [labels](const std::string &k) -> const std::string * {
        return stringMember(labels, k.c_str());
    };
    if (const Json *matchLabels = member(*selector, "matchLabels");
        matchLabels && matchLabels->is_object()) {
        for (const auto &[k, v] : matchLabels->items()) {
            const std::string *have = label(k);
            if (!have || !v.is_string() || *have != v.get_ref<const std::string &>())
                return false;
        }
    }
    const Json *exprs = member(*selector, "matchExpressions");
    if (exprs == nullptr || !exprs->is_array())
        return true;
    for (const Json &expr : *exprs) {
        const std::string *k = stringMember(&expr, "key");
        const std::string *op = stringMember(&expr, "operator");
        if (!k || !op)
            return false;
        const std::string *have = label(*k);
        bool inValues = false;
        if (const Json *values = member(expr, "values"); have && values && values->is_array()) {
            inValues = std::any_of(values->begin(), values->end(), [have](const Json &v) {
                return v.is_string() && v.get_ref<const std::string &>() == *have;
            });
        }
        bool ok = false;
        if (*op == "In")
            ok = inValues;
        else if (*op == "NotIn")
            ok = !inValues;
        else if (*op == "Exists")
            ok = have != nullptr;
        else if (*op == "DoesNotExist")
            ok = have == nullptr;
        if (!ok)
            return false;
    }
    return true;
}

} // namespace kd::manifest::detail
