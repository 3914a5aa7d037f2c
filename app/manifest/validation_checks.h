#pragma once
// Internal to kd_manifest: the toolkit every per-kind check shares. Field paths are built the
// way field.Path.String() builds them, bad values are printed the way field.Error.ErrorBody()
// prints them, and typed reads never throw on hostile JSON.

#include "manifest/names.h"
#include "manifest/validation.h"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest::detail {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json; // Go structs marshal their fields in declaration order

// field.Path: struct fields joined with '.', list indices and map keys in brackets (map keys
// unescaped, so `requests[nvidia.com/gpu]`).
std::string child(const std::string &path, std::string_view name);
std::string index(const std::string &path, std::size_t i);
std::string key(const std::string &path, std::string_view k);

// Go's strconv.Quote (the %q verb) and encoding/json's Marshal.
std::string goQuote(std::string_view s);
std::string goJson(const OrderedJson &value);

// A bad value as ErrorBody renders it: strings with %q, integers with %v, anything else as
// JSON.
class Value final {
public:
    static Value str(std::string_view s) { return Value(goQuote(s)); }
    static Value num(long long v) { return Value(std::to_string(v)); }
    static Value json(const OrderedJson &v) { return Value(goJson(v)); }
    // A named string type (an enum such as core.RestartPolicy, or types.UID): ErrorBody's %q
    // case only matches plain strings, so these go through json.Marshal.
    static Value named(std::string_view s) { return Value(goJson(OrderedJson(std::string(s)))); }
    static Value null() { return Value("null"); }
    const std::string &text() const { return m_text; }

private:
    explicit Value(std::string text)
        : m_text(std::move(text)) {}
    std::string m_text;
};

// intstr.IntOrString.
struct IntOrString {
    bool isString = false;
    long long intVal = 0;
    std::string strVal;

    long long intValue() const; // like IntValue(): a string is parsed with Atoi, 0 on failure
    Value value() const;        // as json.Marshal prints it: 5 or "25%"
};

enum class Scope { Namespaced, Cluster, Unknown };

class Checks final {
public:
    explicit Checks(const ValidationOptions &options)
        : m_options(options) {}

    const ValidationOptions &options() const { return m_options; }

    // Typed reads of parent[name] at path. Absent or null gives nullptr/nullopt; a value of
    // the wrong JSON type records a FieldValueTypeInvalid cause and gives nullptr/nullopt.
    const Json *object(const Json &parent, const char *name, const std::string &path);
    const Json *array(const Json &parent, const char *name, const std::string &path);
    const std::string *string(const Json &parent, const char *name, const std::string &path);
    std::optional<long long> int32(const Json &parent, const char *name, const std::string &path);
    std::optional<long long> int64(const Json &parent, const char *name, const std::string &path);
    std::optional<IntOrString> intOrString(const Json &parent, const char *name,
                                           const std::string &path);
    // A map[string]string (labels, data, ...): entries whose value is not a string are reported
    // and must be skipped by the caller (check is_string()).
    const Json *stringMap(const Json &parent, const char *name, const std::string &path);
    // The same for a value already in hand (a list item).
    const Json *asObject(const Json &value, const std::string &path);
    const std::string *asString(const Json &value, const std::string &path);

    void invalid(const std::string &field, const Value &value, std::string_view detail);
    void required(const std::string &field, std::string_view detail = {});
    void notSupported(const std::string &field, const Value &value,
                      std::initializer_list<std::string_view> supported);
    void forbidden(const std::string &field, std::string_view detail);
    void duplicate(const std::string &field, const Value &value);
    void notFound(const std::string &field, const Value &value);
    void tooLong(const std::string &field, long long maxLength);
    void typeInvalid(const std::string &field, const Json &value, std::string_view expectedType);

    std::size_t count() const { return m_causes.size(); }
    std::vector<FieldCause> take() { return std::move(m_causes); }

private:
    void add(const char *reason, const std::string &field, std::string message);

    ValidationOptions m_options;
    std::vector<FieldCause> m_causes;
};

// Present and not null.
const Json *member(const Json &parent, const char *name);
// True when an optional value (absent, null, empty string/array/object) is empty, as Go's
// zero values and Semantic.DeepEqual treat nil and empty alike.
bool isEmptyValue(const Json *value);
// Drops nulls and empty strings/arrays/objects recursively: the form in which two values
// compare equal when Go's Semantic.DeepEqual finds them equal (nil and empty alike).
Json semanticForm(const Json &value, int depth = 0);
// The string entries of a map[string]string (other values are left out).
std::map<std::string, std::string> stringEntries(const Json *map);

// ---- metadata (validation_meta.cpp) ----
// builtIn: core's wrappers add the rule that a finalizer without a domain must be a standard one.
void validateObjectMeta(Checks &c, const Json &object, Scope scope, NameRule rule, bool builtIn);
void validateObjectMetaUpdate(Checks &c, const Json &object, const Json &old, bool builtIn);
void validateLabels(Checks &c, const Json *labels, const std::string &path);
void validateAnnotations(Checks &c, const Json *annotations, const std::string &path);
void validateLabelName(Checks &c, std::string_view key, const std::string &path);
// ValidateLabelSelector; returns false when LabelSelectorAsSelector would fail on it.
bool validateLabelSelector(Checks &c, const Json *selector, const std::string &path);
// metav1.LabelSelector as json.Marshal prints it.
OrderedJson selectorJson(const Json *selector);
// Whether the labels satisfy the selector (a null selector matches nothing, an empty one all).
bool selectorMatches(const Json *selector, const Json *labels);
bool selectorIsEmpty(const Json *selector);
// ValidateNonnegativeField.
void validateNonnegative(Checks &c, long long value, const std::string &path);

// ---- pod spec (validation_pod.cpp, validation_resources.cpp) ----
struct PodSpecOptions {
    bool isPod = false; // a Pod rather than a template: requests default to limits
};
void validatePodTemplateSpec(Checks &c, const Json *templ, const std::string &path);
void validatePodSpec(Checks &c, const Json &spec, const std::string &path,
                     const PodSpecOptions &options);
void validateResourceRequirements(Checks &c, const Json *resources, const std::string &path,
                                  const PodSpecOptions &options);
void validateTolerations(Checks &c, const Json *tolerations, const std::string &path);
void validatePortNumOrName(Checks &c, const IntOrString &port, const std::string &path);
enum class ProbeKind { Liveness, Readiness, Startup };
// Validates ctr[name] (a probe) if present.
void validateProbe(Checks &c, const Json &ctr, const char *name, ProbeKind kind,
                   const std::string &path);

// ---- per kind (validation_apps.cpp, validation_network.cpp, validation_misc.cpp) ----
void validatePod(Checks &c, const Json &object);
void validateDeployment(Checks &c, const Json &object);
void validateReplicaSet(Checks &c, const Json &object);
void validateStatefulSet(Checks &c, const Json &object);
void validateDaemonSet(Checks &c, const Json &object);
void validateService(Checks &c, const Json &object);
void validateIngress(Checks &c, const Json &object);
void validateHorizontalPodAutoscaler(Checks &c, const Json &object);
void validatePodDisruptionBudget(Checks &c, const Json &object);
void validateNamespace(Checks &c, const Json &object);
void validateConfigMap(Checks &c, const Json &object);
void validateSecret(Checks &c, const Json &object);

void validateSelectorImmutable(Checks &c, const Json &object, const Json &old);
void validateStatefulSetUpdate(Checks &c, const Json &object, const Json &old);
void validateConfigMapUpdate(Checks &c, const Json &object, const Json &old);
void validateSecretUpdate(Checks &c, const Json &object, const Json &old);

// apps validation helpers shared with PodDisruptionBudget.
void validatePositiveIntOrPercent(Checks &c, const IntOrString &value, const std::string &path);
void validateNotMoreThan100Percent(Checks &c, const IntOrString &value, const std::string &path);
long long intOrPercentValue(const IntOrString &value);

} // namespace kd::manifest::detail
