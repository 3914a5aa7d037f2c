// Pods, HorizontalPodAutoscalers (autoscaling/v2), PodDisruptionBudgets, Namespaces,
// ConfigMaps and Secrets.

#include "manifest/validation_checks.h"

#include <array>

namespace kd::manifest::detail {

namespace {

const std::string kEmpty;
const Json kEmptyObject = Json::object();
constexpr long long kMaxSecretSize = 1024 * 1024;
constexpr std::string_view kRedacted = "<secret contents redacted>";

const std::string &stringOr(const std::string *s) {
    return s ? *s : kEmpty;
}

const Json &objectOr(const Json *o) {
    return o ? *o : kEmptyObject;
}

int base64Value(unsigned char ch) {
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

// Go's base64.StdEncoding.Decode, which the API server uses for []byte fields: padding
// required, CR and LF skipped. Gives the bytes, or sets errorOffset like
// base64.CorruptInputError.
std::optional<std::string> decodeBase64(std::string_view src, std::size_t &errorOffset) {
    std::string out;
    out.reserve(src.size() / 4 * 3);
    std::size_t si = 0;
    const std::size_t len = src.size();
    auto skipNewlines = [&] {
        while (si < len && (src[si] == '\n' || src[si] == '\r'))
            ++si;
    };
    while (true) {
        int quantum[4] = {0, 0, 0, 0};
        int dlen = 4;
        bool end = false;
        for (int j = 0; j < 4; ++j) {
            if (si == len) {
                if (j == 0)
                    return out;
                errorOffset = si - static_cast<std::size_t>(j);
                return std::nullopt;
            }
            const auto in = static_cast<unsigned char>(src[si]);
            ++si;
            if (const int v = base64Value(in); v >= 0) {
                quantum[j] = v;
                continue;
            }
            if (in == '\n' || in == '\r') {
                --j;
                continue;
            }
            if (in != '=' || j < 2) {
                errorOffset = si - 1;
                return std::nullopt;
            }
            if (j == 2) { // "==" expected; the first '=' is consumed
                skipNewlines();
                if (si == len) {
                    errorOffset = len;
                    return std::nullopt;
                }
                if (src[si] != '=') {
                    errorOffset = si - 1;
                    return std::nullopt;
                }
                ++si;
            }
            skipNewlines();
            if (si < len) { // trailing garbage
                errorOffset = si;
                return std::nullopt;
            }
            dlen = j;
            end = true;
            break;
        }
        const unsigned value =
            (static_cast<unsigned>(quantum[0]) << 18) | (static_cast<unsigned>(quantum[1]) << 12) |
            (static_cast<unsigned>(quantum[2]) << 6) | static_cast<unsigned>(quantum[3]);
        const char bytes[3] = {static_cast<char>((value >> 16) & 0xff),
                               static_cast<char>((value >> 8) & 0xff),
                               static_cast<char>(value & 0xff)};
        out.append(bytes, static_cast<std::size_t>(dlen - 1));
        if (end)
            return out;
    }
}

std::string base64Error(std::size_t offset) {
    return "illegal base64 data at input byte " + std::to_string(offset);
}

// Validates a map of base64 values; returns their decoded total size.
long long validateBinaryMap(Checks &c, const Json *map, const std::string &path, bool redact) {
    long long total = 0;
    if (map == nullptr)
        return total;
    for (const auto &[k, v] : map->items()) {
        const std::string itemPath = key(path, k);
        for (const std::string &msg : isConfigMapKey(k))
            c.invalid(itemPath, Value::str(k), msg);
        if (!v.is_string())
            continue;
        std::size_t offset = 0;
        if (const auto bytes = decodeBase64(v.get_ref<const std::string &>(), offset))
            total += static_cast<long long>(bytes->size());
        else
            c.invalid(itemPath, Value::str(redact ? kRedacted : v.get_ref<const std::string &>()),
                      base64Error(offset));
    }
    return total;
}

void validateMetricTarget(Checks &c, const Json &target, const std::string &path) {
    const std::string typePath = child(path, "type");
    const std::string &type = stringOr(c.string(target, "type", typePath));
    if (type.empty())
        c.required(typePath, "must specify a metric target type");
    if (type != "Utilization" && type != "Value" && type != "AverageValue")
        c.invalid(typePath, Value::named(type),
                  "must be either Utilization, Value, or AverageValue");
    for (const char *field : {"value", "averageValue"}) {
        const Json *q = member(target, field);
        if (q == nullptr)
            continue;
        // Quantity.Sign() != 1: zero, negative, or (for a malformed text) unusable.
        const std::string text = q->is_string() ? q->get<std::string>() : q->dump();
        const bool positive =
            !text.empty() && text[0] != '-' && text.find_first_of("123456789") != std::string::npos;
        if (!positive)
            c.invalid(child(path, field), Value::json(OrderedJson(text)), "must be positive");
    }
    const std::string utilPath = child(path, "averageUtilization");
    if (const auto util = c.int32(target, "averageUtilization", utilPath); util && *util < 1)
        c.invalid(utilPath, Value::num(*util), "must be greater than 0");
}

void validateMetricSpec(Checks &c, const Json &metric, const std::string &path) {
    static constexpr std::array<std::pair<const char *, const char *>, 5> kSources = {{
        {"Object", "object"},
        {"External", "external"},
        {"Pods", "pods"},
        {"Resource", "resource"},
        {"ContainerResource", "containerResource"},
    }};
    const std::string typePath = child(path, "type");
    const std::string &type = stringOr(c.string(metric, "type", typePath));
    if (type.empty())
        c.required(typePath, "must specify a metric source type");
    const char *expected = nullptr;
    for (const auto &[typeName, field] : kSources) {
        if (type == typeName)
            expected = field;
    }
    if (expected == nullptr)
        c.notSupported(typePath, Value::named(type),
                       {"ContainerResource", "External", "Object", "Pods", "Resource"});
    int present = 0;
    for (const auto &[typeName, field] : kSources) {
        const Json *source = c.object(metric, field, child(path, field));
        if (source == nullptr)
            continue;
        // Only the first source given is looked into.
        if (++present == 1 && std::string_view(field) == "resource") {
            const std::string sourcePath = child(path, field);
            if (stringOr(c.string(*source, "name", child(sourcePath, "name"))).empty())
                c.required(child(sourcePath, "name"), "must specify a resource name");
            const Json &target = objectOr(c.object(*source, "target", child(sourcePath, "target")));
            validateMetricTarget(c, target, child(sourcePath, "target"));
            const bool utilization = member(target, "averageUtilization") != nullptr;
            const bool averageValue = member(target, "averageValue") != nullptr;
            if (!utilization && !averageValue)
                c.required(child(sourcePath, "target.averageUtilization"),
                           "must set either a target raw value or a target utilization");
            if (utilization && averageValue)
                c.forbidden(child(sourcePath, "target.averageValue"),
                            "may not set both a target raw value and a target utilization");
        }
    }
    if (expected && !member(metric, expected))
        c.required(child(path, expected), "must populate information for the given metric source");
    if (present != 1) {
        for (const auto &[typeName, field] : kSources) {
            if ((expected == nullptr || std::string_view(field) != expected) &&
                member(metric, field))
                c.forbidden(child(path, field), "must populate the given metric source only");
        }
    }
}

// The decoded content of a ConfigMap's or Secret's byte maps, as the server compares them.
Json decodedData(const Json &object, const char *name, const char *plain) {
    Json out = Json::object();
    if (const Json *map = member(object, name); map && map->is_object()) {
        for (const auto &[k, v] : map->items()) {
            std::size_t offset = 0;
            if (!v.is_string())
                continue;
            if (const auto bytes = decodeBase64(v.get_ref<const std::string &>(), offset))
                out[k] = Json::binary(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
        }
    }
    if (const Json *map = plain ? member(object, plain) : nullptr; map && map->is_object()) {
        for (const auto &[k, v] : map->items()) {
            if (v.is_string())
                out[k] =
                    Json::binary(std::vector<std::uint8_t>(v.get_ref<const std::string &>().begin(),
                                                           v.get_ref<const std::string &>().end()));
        }
    }
    return out;
}

bool isImmutable(const Json &object) {
    const Json *flag = member(object, "immutable");
    return flag && flag->is_boolean() && flag->get<bool>();
}

constexpr std::string_view kImmutableWhenSet = "field is immutable when `immutable` is set";

} // namespace

void validateConfigMapUpdate(Checks &c, const Json &object, const Json &old) {
    if (!isImmutable(old))
        return;
    if (!isImmutable(object))
        c.forbidden("immutable", kImmutableWhenSet);
    if (stringEntries(member(object, "data")) != stringEntries(member(old, "data")))
        c.forbidden("data", kImmutableWhenSet);
    if (decodedData(object, "binaryData", nullptr) != decodedData(old, "binaryData", nullptr))
        c.forbidden("binaryData", kImmutableWhenSet);
}

void validateSecretUpdate(Checks &c, const Json &object, const Json &old) {
    auto type = [](const Json &o) {
        const Json *t = member(o, "type");
        const std::string value = t && t->is_string() ? t->get<std::string>() : std::string();
        return value.empty() ? std::string("Opaque") : value; // defaulted
    };
    const std::string now = type(object);
    if (now != type(old))
        c.invalid("type", Value::named(now), "field is immutable");
    if (!isImmutable(old))
        return;
    if (!isImmutable(object))
        c.forbidden("immutable", kImmutableWhenSet);
    // stringData is already folded into data when the server compares.
    if (decodedData(object, "data", "stringData") != decodedData(old, "data", "stringData"))
        c.forbidden("data", kImmutableWhenSet);
}

void validatePod(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    validatePodSpec(c, spec, "spec", PodSpecOptions{true});
    // Only for pods (not templates), for backward compatibility.
    for (const char *list : {"containers", "initContainers"}) {
        const Json *containers = member(spec, list);
        if (containers == nullptr || !containers->is_array())
            continue;
        for (std::size_t i = 0; i < containers->size(); ++i) {
            const Json *image =
                (*containers)[i].is_object() ? member((*containers)[i], "image") : nullptr;
            if (image == nullptr || !image->is_string())
                continue;
            const auto &text = image->get_ref<const std::string &>();
            const auto first = text.find_first_not_of(" \t\n\v\f\r");
            const auto last = text.find_last_not_of(" \t\n\v\f\r");
            if (!text.empty() && (first != 0 || last != text.size() - 1))
                c.invalid(child(index(child("spec", list), i), "image"), Value::str(text),
                          "must not have leading or trailing whitespace");
        }
    }
}

void validateHorizontalPodAutoscaler(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    const long long minReplicas =
        c.int32(spec, "minReplicas", "spec.minReplicas").value_or(1); // defaulted
    if (minReplicas < 1)
        c.invalid("spec.minReplicas", Value::num(minReplicas),
                  "must be greater than or equal to 1");
    const long long maxReplicas = c.int32(spec, "maxReplicas", "spec.maxReplicas").value_or(0);
    if (maxReplicas < 1)
        c.invalid("spec.maxReplicas", Value::num(maxReplicas), "must be greater than 0");
    if (maxReplicas < minReplicas)
        c.invalid("spec.maxReplicas", Value::num(maxReplicas),
                  "must be greater than or equal to `minReplicas`");
    const Json &ref = objectOr(c.object(spec, "scaleTargetRef", "spec.scaleTargetRef"));
    for (const char *field : {"kind", "name"}) {
        const std::string path = std::string("spec.scaleTargetRef.") + field;
        const std::string &value = stringOr(c.string(ref, field, path));
        if (value.empty()) {
            c.required(path);
            continue;
        }
        for (const std::string &msg : isValidPathSegmentName(value))
            c.invalid(path, Value::str(value), msg);
    }
    const std::string *apiVersion = c.string(object, "apiVersion", "apiVersion");
    if (apiVersion && *apiVersion == "autoscaling/v1") {
        const auto target =
            c.int32(spec, "targetCPUUtilizationPercentage", "spec.targetCPUUtilizationPercentage");
        if (target && *target < 1)
            c.invalid("spec.targetCPUUtilizationPercentage", Value::num(*target),
                      "must be greater than 0");
        return;
    }
    if (const Json *metrics = c.array(spec, "metrics", "spec.metrics")) {
        for (std::size_t i = 0; i < metrics->size(); ++i) {
            if (const Json *metric = c.asObject((*metrics)[i], index("spec.metrics", i)))
                validateMetricSpec(c, *metric, index("spec.metrics", i));
        }
    }
}

void validatePodDisruptionBudget(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    const auto minAvailable = c.intOrString(spec, "minAvailable", "spec.minAvailable");
    const auto maxUnavailable = c.intOrString(spec, "maxUnavailable", "spec.maxUnavailable");
    const Json *selector = c.object(spec, "selector", "spec.selector");
    const std::string *policy =
        c.string(spec, "unhealthyPodEvictionPolicy", "spec.unhealthyPodEvictionPolicy");
    if (minAvailable && maxUnavailable) {
        // The bad value is the whole internal (untagged) policy.PodDisruptionBudgetSpec.
        auto intstr = [](const IntOrString &v) {
            return v.isString ? OrderedJson(v.strVal) : OrderedJson(v.intVal);
        };
        OrderedJson whole = OrderedJson::object();
        whole["MinAvailable"] = intstr(*minAvailable);
        whole["Selector"] = selectorJson(selector);
        whole["MaxUnavailable"] = intstr(*maxUnavailable);
        whole["UnhealthyPodEvictionPolicy"] = policy ? OrderedJson(*policy) : OrderedJson(nullptr);
        c.invalid("spec", Value::json(whole), "minAvailable and maxUnavailable cannot be both set");
    }
    if (minAvailable) {
        validatePositiveIntOrPercent(c, *minAvailable, "spec.minAvailable");
        validateNotMoreThan100Percent(c, *minAvailable, "spec.minAvailable");
    }
    if (maxUnavailable) {
        validatePositiveIntOrPercent(c, *maxUnavailable, "spec.maxUnavailable");
        validateNotMoreThan100Percent(c, *maxUnavailable, "spec.maxUnavailable");
    }
    validateLabelSelector(c, selector, "spec.selector");
    if (policy && *policy != "AlwaysAllow" && *policy != "IfHealthyBudget")
        c.notSupported("spec.unhealthyPodEvictionPolicy", Value::named(*policy),
                       {"AlwaysAllow", "IfHealthyBudget"});
}

void validateNamespace(Checks &c, const Json &object) {
    const Json &spec = objectOr(c.object(object, "spec", "spec"));
    const Json *finalizers = c.array(spec, "finalizers", "spec.finalizers");
    if (finalizers == nullptr)
        return;
    for (std::size_t i = 0; i < finalizers->size(); ++i) {
        const std::string *name = c.asString((*finalizers)[i], index("spec.finalizers", i));
        if (name == nullptr)
            continue;
        for (const std::string &msg : isQualifiedName(*name))
            c.invalid("spec.finalizers", Value::str(*name), msg);
        if (name->find('/') == std::string::npos && *name != "kubernetes" && *name != "orphan" &&
            *name != "foregroundDeletion")
            c.invalid("spec.finalizers", Value::str(*name),
                      "name is neither a standard finalizer name nor is it fully qualified");
    }
}

void validateConfigMap(Checks &c, const Json &object) {
    const Json *data = c.stringMap(object, "data", "data");
    const Json *binary = c.stringMap(object, "binaryData", "binaryData");
    long long total = 0;
    if (data) {
        for (const auto &[k, v] : data->items()) {
            for (const std::string &msg : isConfigMapKey(k))
                c.invalid(key("data", k), Value::str(k), msg);
            if (binary && member(*binary, k.c_str()))
                c.invalid(key("data", k), Value::str(k), "duplicate of key present in binaryData");
            if (v.is_string())
                total += static_cast<long long>(v.get_ref<const std::string &>().size());
        }
    }
    total += validateBinaryMap(c, binary, "binaryData", false);
    if (total > kMaxSecretSize)
        c.tooLong("", kMaxSecretSize); // "" names the whole object
}

void validateSecret(Checks &c, const Json &object) {
    // The server merges stringData into data (stringData wins) before validating.
    const Json *stringData = c.stringMap(object, "stringData", "stringData");
    const Json *data = c.stringMap(object, "data", "data");
    Json merged = data ? *data : Json::object();
    if (stringData) {
        for (const auto &[k, v] : stringData->items())
            merged.erase(k);
    }
    long long total = validateBinaryMap(c, &merged, "data", true);
    if (stringData) {
        for (const auto &[k, v] : stringData->items()) {
            for (const std::string &msg : isConfigMapKey(k))
                c.invalid(key("data", k), Value::str(k), msg);
            if (v.is_string())
                total += static_cast<long long>(v.get_ref<const std::string &>().size());
        }
    }
    if (total > kMaxSecretSize)
        c.tooLong("data", kMaxSecretSize);

    auto has = [&](const char *k) {
        return member(merged, k) || (stringData && member(*stringData, k));
    };
    const std::string &type = stringOr(c.string(object, "type", "type"));
    if (type == "kubernetes.io/service-account-token") {
        const Json *meta = member(object, "metadata");
        const Json *annotations =
            meta && meta->is_object() ? member(*meta, "annotations") : nullptr;
        const Json *sa = annotations && annotations->is_object()
                             ? member(*annotations, "kubernetes.io/service-account.name")
                             : nullptr;
        if (sa == nullptr || !sa->is_string() || sa->get_ref<const std::string &>().empty())
            c.required("metadata.annotations[kubernetes.io/service-account.name]");
    } else if (type == "kubernetes.io/dockercfg" && !has(".dockercfg")) {
        c.required("data[.dockercfg]");
    } else if (type == "kubernetes.io/dockerconfigjson" && !has(".dockerconfigjson")) {
        c.required("data[.dockerconfigjson]");
    } else if (type == "kubernetes.io/basic-auth" && !has("username") && !has("password")) {
        c.required("data[username]");
        c.required("data[password]");
    } else if (type == "kubernetes.io/ssh-auth") {
        const Json *k = member(merged, "ssh-privatekey");
        const Json *s = stringData ? member(*stringData, "ssh-privatekey") : nullptr;
        if (isEmptyValue(k) && isEmptyValue(s))
            c.required("data[ssh-privatekey]");
    } else if (type == "kubernetes.io/tls") {
        if (!has("tls.crt"))
            c.required("data[tls.crt]");
        if (!has("tls.key"))
            c.required("data[tls.key]");
    }
}

} // namespace kd::manifest::detail
