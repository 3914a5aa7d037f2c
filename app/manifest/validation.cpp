// Which checks run for which kind, in the order a kube-apiserver runs them
// (rest.BeforeCreate / rest.BeforeUpdate and each kind's registry strategy).

#include "manifest/validation.h"

#include "manifest/validation_checks.h"

#include <array>
#include <set>

namespace kd::manifest {

namespace {

using namespace detail;

using SpecCheck = void (*)(Checks &, const Json &);
using UpdateCheck = void (*)(Checks &, const Json &, const Json &);

struct KindEntry {
    std::string_view group;
    std::string_view kind;
    NameRule nameRule;
    Scope scope;
    SpecCheck spec = nullptr;     // create-time checks beyond metadata
    UpdateCheck update = nullptr; // update-only checks (immutability)
    // false: the strategy leaves metadata to the server's generic pass (PodDisruptionBudget).
    bool metaByStrategy = true;
    // The strategy's update re-runs the whole create validation, name included (ConfigMap, Secret).
    bool revalidateOnUpdate = false;
};

constexpr std::array<KindEntry, 18> kKinds = {{
    {"", "Pod", NameRule::DNS1123Subdomain, Scope::Namespaced, validatePod},
    {"", "Service", NameRule::DNS1035Label, Scope::Namespaced, validateService},
    {"", "Namespace", NameRule::DNS1123Label, Scope::Cluster, validateNamespace},
    {"", "ConfigMap", NameRule::DNS1123Subdomain, Scope::Namespaced, validateConfigMap,
     validateConfigMapUpdate, true, true},
    {"", "Secret", NameRule::DNS1123Subdomain, Scope::Namespaced, validateSecret,
     validateSecretUpdate, true, true},
    {"", "Node", NameRule::DNS1123Subdomain, Scope::Cluster},
    {"", "ServiceAccount", NameRule::DNS1123Subdomain, Scope::Namespaced},
    {"", "PersistentVolumeClaim", NameRule::DNS1123Subdomain, Scope::Namespaced},
    {"", "PersistentVolume", NameRule::DNS1123Subdomain, Scope::Cluster},
    {"", "Event", NameRule::DNS1123Subdomain, Scope::Namespaced},
    {"apps", "Deployment", NameRule::DNS1123Subdomain, Scope::Namespaced, validateDeployment,
     validateSelectorImmutable},
    {"apps", "ReplicaSet", NameRule::DNS1123Subdomain, Scope::Namespaced, validateReplicaSet,
     validateSelectorImmutable},
    {"apps", "StatefulSet", NameRule::DNS1123Label, Scope::Namespaced, validateStatefulSet,
     validateStatefulSetUpdate},
    {"apps", "DaemonSet", NameRule::DNS1123Subdomain, Scope::Namespaced, validateDaemonSet,
     validateSelectorImmutable},
    {"networking.k8s.io", "Ingress", NameRule::DNS1123Subdomain, Scope::Namespaced,
     validateIngress},
    {"autoscaling", "HorizontalPodAutoscaler", NameRule::DNS1123Subdomain, Scope::Namespaced,
     validateHorizontalPodAutoscaler},
    {"policy", "PodDisruptionBudget", NameRule::PathSegment, Scope::Namespaced,
     validatePodDisruptionBudget, nullptr, false},
    {"scheduling.k8s.io", "PriorityClass", NameRule::DNS1123Subdomain, Scope::Cluster},
}};

const KindEntry *findEntry(const Json &object) {
    const Json *apiVersion = member(object, "apiVersion");
    const Json *kind = member(object, "kind");
    if (!apiVersion || !kind || !apiVersion->is_string() || !kind->is_string())
        return nullptr;
    const std::string &version = apiVersion->get_ref<const std::string &>();
    const auto slash = version.find('/');
    const std::string_view group = slash == std::string::npos
                                       ? std::string_view()
                                       : std::string_view(version).substr(0, slash);
    for (const KindEntry &entry : kKinds) {
        if (entry.group == group && entry.kind == kind->get_ref<const std::string &>())
            return &entry;
    }
    return nullptr;
}

// A body that is not even an object.
std::vector<FieldCause> rootTypeError(const Json &object, const ValidationOptions &options) {
    Checks c(options);
    c.typeInvalid("", object, "object");
    return c.take();
}

} // namespace

std::vector<FieldCause> validateObject(const nlohmann::json &object,
                                       const ValidationOptions &options) {
    if (!object.is_object())
        return rootTypeError(object, options);
    Checks c(options);
    const KindEntry *entry = findEntry(object);
    if (entry == nullptr) {
        // Custom resources and kinds without checks here: the object-meta rules custom
        // resources get.
        validateObjectMeta(c, object, Scope::Unknown, NameRule::DNS1123Subdomain, false);
        return c.take();
    }
    if (entry->metaByStrategy)
        validateObjectMeta(c, object, entry->scope, entry->nameRule, true);
    if (entry->spec)
        entry->spec(c, object);
    // Only once the kind's own checks pass does the server run its generic metadata checks;
    // they add nothing where the kind already checked its metadata.
    if (!entry->metaByStrategy && c.count() == 0)
        validateObjectMeta(c, object, entry->scope, NameRule::PathSegment, false);
    return c.take();
}

std::vector<FieldCause> validateUpdate(const nlohmann::json &object, const nlohmann::json &old,
                                       const ValidationOptions &options) {
    if (!object.is_object())
        return rootTypeError(object, options);
    Checks c(options);
    const KindEntry *entry = findEntry(object);
    const Scope scope = entry ? entry->scope : Scope::Unknown;
    // rest.BeforeUpdate first checks what every kind shares...
    validateObjectMeta(c, object, scope, NameRule::PathSegment, false);
    validateObjectMetaUpdate(c, object, old, false);
    // ...then the kind's strategy, which repeats the metadata update rules for itself.
    if (entry == nullptr) {
        validateObjectMetaUpdate(c, object, old, false);
        return c.take();
    }
    if (entry->revalidateOnUpdate) {
        validateObjectMetaUpdate(c, object, old, true);
        entry->update(c, object, old);
        validateObjectMeta(c, object, entry->scope, entry->nameRule, true);
        entry->spec(c, object);
        return c.take();
    }
    if (entry->metaByStrategy)
        validateObjectMetaUpdate(c, object, old, true);
    if (entry->spec)
        entry->spec(c, object);
    if (entry->update)
        entry->update(c, object, old);
    return c.take();
}

std::string invalidMessage(const std::string &qualifiedKind, const std::string &name,
                           const std::vector<FieldCause> &causes) {
    std::string out = qualifiedKind + " " + goQuote(name) + " is invalid";
    // errors.NewInvalid aggregates the causes, each once, in order.
    std::vector<std::string> messages;
    std::set<std::string> seen;
    for (const FieldCause &cause : causes) {
        std::string text = cause.field + ": " + cause.message;
        if (seen.insert(text).second)
            messages.push_back(std::move(text));
    }
    if (messages.empty())
        return out;
    if (messages.size() == 1)
        return out + ": " + messages.front();
    out += ": [";
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (i > 0)
            out += ", ";
        out += messages[i];
    }
    return out + "]";
}

bool hasKindChecks(const std::string &apiVersion, const std::string &kind) {
    const Json probe = {{"apiVersion", apiVersion}, {"kind", kind}};
    const KindEntry *entry = findEntry(probe);
    return entry != nullptr && entry->spec != nullptr;
}

} // namespace kd::manifest
