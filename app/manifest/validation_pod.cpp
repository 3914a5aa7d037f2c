// Pod specs and pod templates: pkg/apis/core/validation (ValidatePodSpec and what it calls).

#include "manifest/validation_checks.h"

#include <array>
#include <set>

namespace kd::manifest::detail {

namespace {

const std::string kEmpty;
const Json kEmptyObject = Json::object();

const std::string &stringOr(const std::string *s) {
    return s ? *s : kEmpty;
}

// The volume sources, in the order validateVolumeSource looks at them.
constexpr std::array<const char *, 30> kVolumeSources = {"emptyDir",
                                                         "hostPath",
                                                         "gitRepo",
                                                         "gcePersistentDisk",
                                                         "awsElasticBlockStore",
                                                         "secret",
                                                         "nfs",
                                                         "iscsi",
                                                         "glusterfs",
                                                         "flexVolume",
                                                         "persistentVolumeClaim",
                                                         "rbd",
                                                         "quobyte",
                                                         "cinder",
                                                         "cephfs",
                                                         "downwardAPI",
                                                         "fc",
                                                         "flocker",
                                                         "azureFile",
                                                         "vsphereVolume",
                                                         "photonPersistentDisk",
                                                         "portworxVolume",
                                                         "azureDisk",
                                                         "storageos",
                                                         "configMap",
                                                         "scaleIO",
                                                         "projected",
                                                         "csi",
                                                         "ephemeral",
                                                         "image"};

void requireString(Checks &c, const Json &parent, const char *name, const std::string &path) {
    if (stringOr(c.string(parent, name, path)).empty())
        c.required(path);
}

void validateVolumeSource(Checks &c, const Json &vol, const std::string &path) {
    int found = 0;
    for (const char *type : kVolumeSources) {
        const Json *source = member(vol, type);
        if (source == nullptr)
            continue;
        const std::string sourcePath = child(path, type);
        if (found++ > 0) {
            c.forbidden(sourcePath, "may not specify more than 1 volume type");
            continue;
        }
        const Json *obj = c.asObject(*source, sourcePath);
        if (obj == nullptr)
            continue;
        const std::string_view t = type;
        if (t == "persistentVolumeClaim")
            requireString(c, *obj, "claimName", child(sourcePath, "claimName"));
        else if (t == "configMap")
            requireString(c, *obj, "name", child(sourcePath, "name"));
        else if (t == "secret")
            requireString(c, *obj, "secretName", child(sourcePath, "secretName"));
        else if (t == "hostPath")
            requireString(c, *obj, "path", child(sourcePath, "path"));
    }
    if (found == 0)
        c.required(path, "must specify a volume type");
}

// Returns the names of the volumes that passed, the only ones a volumeMount may refer to.
std::set<std::string> validateVolumes(Checks &c, const Json &spec, const std::string &path) {
    std::set<std::string> names;
    const Json *volumes = c.array(spec, "volumes", path);
    if (volumes == nullptr)
        return names;
    for (std::size_t i = 0; i < volumes->size(); ++i) {
        const std::string itemPath = index(path, i);
        const Json *vol = c.asObject((*volumes)[i], itemPath);
        if (vol == nullptr)
            continue;
        const std::size_t before = c.count();
        validateVolumeSource(c, *vol, itemPath);
        const std::string namePath = child(itemPath, "name");
        const std::string &name = stringOr(c.string(*vol, "name", namePath));
        if (name.empty()) {
            c.required(namePath);
        } else {
            for (const std::string &msg : isDNS1123Label(name))
                c.invalid(namePath, Value::str(name), msg);
        }
        if (names.count(name) != 0)
            c.duplicate(namePath, Value::str(name));
        if (c.count() == before)
            names.insert(name);
    }
    return names;
}

void validateContainerPorts(Checks &c, const Json &ctr, const std::string &path) {
    const Json *ports = c.array(ctr, "ports", path);
    if (ports == nullptr)
        return;
    std::set<std::string> names;
    for (std::size_t i = 0; i < ports->size(); ++i) {
        const std::string itemPath = index(path, i);
        const Json *port = c.asObject((*ports)[i], itemPath);
        if (port == nullptr)
            continue;
        const std::string namePath = child(itemPath, "name");
        const std::string &name = stringOr(c.string(*port, "name", namePath));
        if (!name.empty()) {
            const auto msgs = isValidPortName(name);
            for (const std::string &msg : msgs)
                c.invalid(namePath, Value::str(name), msg);
            if (msgs.empty() && !names.insert(name).second)
                c.duplicate(namePath, Value::str(name));
        }
        const std::string containerPortPath = child(itemPath, "containerPort");
        const auto containerPort = c.int32(*port, "containerPort", containerPortPath);
        if (containerPort.value_or(0) == 0) {
            c.required(containerPortPath);
        } else {
            for (const std::string &msg : isValidPortNum(*containerPort))
                c.invalid(containerPortPath, Value::num(*containerPort), msg);
        }
        const std::string hostPortPath = child(itemPath, "hostPort");
        if (const auto hostPort = c.int32(*port, "hostPort", hostPortPath);
            hostPort.value_or(0) != 0) {
            for (const std::string &msg : isValidPortNum(*hostPort))
                c.invalid(hostPortPath, Value::num(*hostPort), msg);
        }
        const std::string protocolPath = child(itemPath, "protocol");
        const std::string &protocol = stringOr(c.string(*port, "protocol", protocolPath));
        if (!protocol.empty() && protocol != "TCP" && protocol != "UDP" && protocol != "SCTP")
            c.notSupported(protocolPath, Value::named(protocol), {"SCTP", "TCP", "UDP"});
    }
}

void validateKeySelector(Checks &c, const Json &ref, const std::string &path) {
    const std::string namePath = child(path, "name");
    const std::string &name = stringOr(c.string(ref, "name", namePath));
    for (const std::string &msg : isDNS1123Subdomain(name))
        c.invalid(namePath, Value::str(name), msg);
    const std::string keyPath = child(path, "key");
    const std::string &keyName = stringOr(c.string(ref, "key", keyPath));
    if (keyName.empty()) {
        c.required(keyPath);
    } else {
        for (const std::string &msg : isConfigMapKey(keyName))
            c.invalid(keyPath, Value::str(keyName), msg);
    }
}

void validateEnv(Checks &c, const Json &ctr, const std::string &path) {
    const Json *env = c.array(ctr, "env", path);
    if (env == nullptr)
        return;
    for (std::size_t i = 0; i < env->size(); ++i) {
        const std::string itemPath = index(path, i);
        const Json *var = c.asObject((*env)[i], itemPath);
        if (var == nullptr)
            continue;
        const std::string namePath = child(itemPath, "name");
        const std::string &name = stringOr(c.string(*var, "name", namePath));
        if (name.empty()) {
            c.required(namePath);
        } else {
            for (const std::string &msg : isRelaxedEnvVarName(name))
                c.invalid(namePath, Value::str(name), msg);
        }
        const std::string fromPath = child(itemPath, "valueFrom");
        const Json *from = c.object(*var, "valueFrom", fromPath);
        if (from == nullptr)
            continue;
        int sources = 0;
        for (const char *source :
             {"fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"}) {
            const Json *ref = c.object(*from, source, child(fromPath, source));
            if (ref == nullptr)
                continue;
            ++sources;
            const std::string_view s = source;
            if (s == "configMapKeyRef" || s == "secretKeyRef")
                validateKeySelector(c, *ref, child(fromPath, source));
        }
        const std::string &value = stringOr(c.string(*var, "value", child(itemPath, "value")));
        if (sources > 0 && !value.empty())
            c.invalid(fromPath, Value::str(""), "may not be specified when `value` is not empty");
        else if (sources > 1)
            c.invalid(fromPath, Value::str(""),
                      "may not have more than one field specified at a time");
    }
}

void validateVolumeMounts(Checks &c, const Json &ctr, const std::set<std::string> &volumes,
                          const std::string &path) {
    const Json *mounts = c.array(ctr, "volumeMounts", path);
    if (mounts == nullptr)
        return;
    std::set<std::string> mountPoints;
    for (std::size_t i = 0; i < mounts->size(); ++i) {
        const std::string itemPath = index(path, i);
        const Json *mount = c.asObject((*mounts)[i], itemPath);
        if (mount == nullptr)
            continue;
        const std::string namePath = child(itemPath, "name");
        const std::string &name = stringOr(c.string(*mount, "name", namePath));
        if (name.empty())
            c.required(namePath);
        if (volumes.count(name) == 0)
            c.notFound(namePath, Value::str(name));
        const std::string mountPathPath = child(itemPath, "mountPath");
        const std::string &mountPath = stringOr(c.string(*mount, "mountPath", mountPathPath));
        if (mountPath.empty())
            c.required(mountPathPath);
        if (!mountPoints.insert(mountPath).second)
            c.invalid(mountPathPath, Value::str(mountPath), "must be unique");
    }
}

void validateContainerCommon(Checks &c, const Json &ctr, const std::string &path,
                             const std::set<std::string> &volumes, const PodSpecOptions &options) {
    const std::string namePath = child(path, "name");
    const std::string &name = stringOr(c.string(ctr, "name", namePath));
    if (name.empty()) {
        c.required(namePath);
    } else {
        for (const std::string &msg : isDNS1123Label(name))
            c.invalid(namePath, Value::str(name), msg);
    }
    if (stringOr(c.string(ctr, "image", child(path, "image"))).empty())
        c.required(child(path, "image"));
    validateContainerPorts(c, ctr, child(path, "ports"));
    validateEnv(c, ctr, child(path, "env"));
    validateVolumeMounts(c, ctr, volumes, child(path, "volumeMounts"));
    const std::string pullPath = child(path, "imagePullPolicy");
    const std::string &pull = stringOr(c.string(ctr, "imagePullPolicy", pullPath));
    if (!pull.empty() && pull != "Always" && pull != "IfNotPresent" && pull != "Never")
        c.notSupported(pullPath, Value::named(pull), {"Always", "IfNotPresent", "Never"});
    validateResourceRequirements(c, c.object(ctr, "resources", child(path, "resources")),
                                 child(path, "resources"), options);
}

void validateContainers(Checks &c, const Json &spec, const std::string &path,
                        const std::set<std::string> &volumes, const PodSpecOptions &options,
                        std::set<std::string> &names) {
    const Json *containers = c.array(spec, "containers", path);
    if (containers == nullptr || containers->empty()) {
        c.required(path);
        return;
    }
    for (std::size_t i = 0; i < containers->size(); ++i) {
        const std::string itemPath = index(path, i);
        const Json *ctr = c.asObject((*containers)[i], itemPath);
        if (ctr == nullptr)
            continue;
        validateContainerCommon(c, *ctr, itemPath, volumes, options);
        validateProbe(c, *ctr, "livenessProbe", ProbeKind::Liveness,
                      child(itemPath, "livenessProbe"));
        validateProbe(c, *ctr, "readinessProbe", ProbeKind::Readiness,
                      child(itemPath, "readinessProbe"));
        validateProbe(c, *ctr, "startupProbe", ProbeKind::Startup, child(itemPath, "startupProbe"));
        if (member(*ctr, "restartPolicy"))
            c.forbidden(child(itemPath, "restartPolicy"), "may not be set for non-init containers");
        const std::string &name = stringOr(c.string(*ctr, "name", child(itemPath, "name")));
        if (!names.insert(name).second)
            c.duplicate(child(itemPath, "name"), Value::str(name));
    }
}

void validateInitContainers(Checks &c, const Json &spec, const std::string &path,
                            const std::set<std::string> &volumes, const PodSpecOptions &options,
                            std::set<std::string> &names) {
    const Json *containers = c.array(spec, "initContainers", path);
    if (containers == nullptr)
        return;
    for (std::size_t i = 0; i < containers->size(); ++i) {
        const std::string itemPath = index(path, i);
        const Json *ctr = c.asObject((*containers)[i], itemPath);
        if (ctr == nullptr)
            continue;
        validateContainerCommon(c, *ctr, itemPath, volumes, options);
        const std::string policyPath = child(itemPath, "restartPolicy");
        const std::string *policy = c.string(*ctr, "restartPolicy", policyPath);
        if (policy && *policy != "Always")
            c.notSupported(policyPath, Value::named(*policy), {"Always"});
        const std::string &name = stringOr(c.string(*ctr, "name", child(itemPath, "name")));
        if (names.count(name) != 0)
            c.duplicate(child(itemPath, "name"), Value::str(name));
        else if (!name.empty())
            names.insert(name);
        if (policy && *policy == "Always") {
            // A sidecar: probes allowed, as for regular containers.
            validateProbe(c, *ctr, "livenessProbe", ProbeKind::Liveness,
                          child(itemPath, "livenessProbe"));
            validateProbe(c, *ctr, "readinessProbe", ProbeKind::Readiness,
                          child(itemPath, "readinessProbe"));
            validateProbe(c, *ctr, "startupProbe", ProbeKind::Startup,
                          child(itemPath, "startupProbe"));
            continue;
        }
        for (const char *field : {"lifecycle", "livenessProbe", "readinessProbe", "startupProbe"}) {
            if (member(*ctr, field))
                c.forbidden(child(itemPath, field),
                            "may not be set for init containers without restartPolicy=Always");
        }
    }
}

void validateDNSLabelField(Checks &c, const Json &spec, const char *name, const std::string &path,
                           bool subdomain) {
    const std::string &value = stringOr(c.string(spec, name, path));
    if (value.empty())
        return;
    for (const std::string &msg : subdomain ? isDNS1123Subdomain(value) : isDNS1123Label(value))
        c.invalid(path, Value::str(value), msg);
}

} // namespace

void validatePodSpec(Checks &c, const Json &spec, const std::string &path,
                     const PodSpecOptions &options) {
    const std::set<std::string> volumes = validateVolumes(c, spec, child(path, "volumes"));
    std::set<std::string> names;
    validateContainers(c, spec, child(path, "containers"), volumes, options, names);
    validateInitContainers(c, spec, child(path, "initContainers"), volumes, options, names);

    // Defaulting turns an empty restartPolicy/dnsPolicy into Always/ClusterFirst.
    const std::string restartPath = child(path, "restartPolicy");
    const std::string &restart = stringOr(c.string(spec, "restartPolicy", restartPath));
    if (!restart.empty() && restart != "Always" && restart != "OnFailure" && restart != "Never")
        c.notSupported(restartPath, Value::named(restart), {"Always", "OnFailure", "Never"});
    const std::string dnsPath = child(path, "dnsPolicy");
    const std::string &dns = stringOr(c.string(spec, "dnsPolicy", dnsPath));
    if (!dns.empty() && dns != "ClusterFirstWithHostNet" && dns != "ClusterFirst" &&
        dns != "Default" && dns != "None")
        c.notSupported(dnsPath, Value::named(dns),
                       {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"});
    validateLabels(c, c.stringMap(spec, "nodeSelector", child(path, "nodeSelector")),
                   child(path, "nodeSelector"));

    validateDNSLabelField(c, spec, "serviceAccountName", child(path, "serviceAccountName"), true);
    validateDNSLabelField(c, spec, "nodeName", child(path, "nodeName"), true);
    const std::string deadlinePath = child(path, "activeDeadlineSeconds");
    if (const auto deadline = c.int64(spec, "activeDeadlineSeconds", deadlinePath);
        deadline && (*deadline < 1 || *deadline > INT32_MAX))
        c.invalid(deadlinePath, Value::num(*deadline), inclusiveRangeError(1, INT32_MAX));
    validateDNSLabelField(c, spec, "hostname", child(path, "hostname"), false);
    validateDNSLabelField(c, spec, "subdomain", child(path, "subdomain"), false);
    validateTolerations(c, c.array(spec, "tolerations", child(path, "tolerations")),
                        child(path, "tolerations"));
}

void validatePodTemplateSpec(Checks &c, const Json *templ, const std::string &path) {
    const Json &t = templ ? *templ : kEmptyObject;
    const Json *meta = c.object(t, "metadata", child(path, "metadata"));
    if (meta) {
        validateLabels(c, c.stringMap(*meta, "labels", child(path, "metadata.labels")),
                       child(path, "labels"));
        validateAnnotations(c,
                            c.stringMap(*meta, "annotations", child(path, "metadata.annotations")),
                            child(path, "annotations"));
    }
    const Json *spec = c.object(t, "spec", child(path, "spec"));
    validatePodSpec(c, spec ? *spec : kEmptyObject, child(path, "spec"), PodSpecOptions{});
}

void validateTolerations(Checks &c, const Json *tolerations, const std::string &path) {
    if (tolerations == nullptr)
        return;
    for (std::size_t i = 0; i < tolerations->size(); ++i) {
        const std::string itemPath = index(path, i);
        const Json *t = c.asObject((*tolerations)[i], itemPath);
        if (t == nullptr)
            continue;
        const std::string operatorPath = child(itemPath, "operator");
        const std::string effectPath = child(itemPath, "effect");
        const std::string &tkey = stringOr(c.string(*t, "key", child(itemPath, "key")));
        const std::string &op = stringOr(c.string(*t, "operator", operatorPath));
        const std::string &value = stringOr(c.string(*t, "value", child(itemPath, "value")));
        const std::string &effect = stringOr(c.string(*t, "effect", effectPath));
        const auto seconds = c.int64(*t, "tolerationSeconds", child(itemPath, "tolerationSeconds"));
        if (!tkey.empty())
            validateLabelName(c, tkey, child(itemPath, "key"));
        if (tkey.empty() && op != "Exists")
            c.invalid(operatorPath, Value::named(op),
                      "operator must be Exists when `key` is empty, which means \"match all values "
                      "and all keys\"");
        if (seconds && effect != "NoExecute")
            c.invalid(effectPath, Value::named(effect),
                      "effect must be 'NoExecute' when `tolerationSeconds` is set");
        if (op.empty() || op == "Equal") {
            const auto errs = isValidLabelValue(value);
            std::string joined;
            for (const std::string &msg : errs)
                joined += (joined.empty() ? "" : ";") + msg;
            if (!errs.empty())
                c.invalid(operatorPath, Value::str(value), joined);
        } else if (op == "Exists") {
            if (!value.empty()) {
                // The whole (internal, untagged) core.Toleration is the bad value.
                OrderedJson whole = OrderedJson::object();
                whole["Key"] = tkey;
                whole["Operator"] = op;
                whole["Value"] = value;
                whole["Effect"] = effect;
                whole["TolerationSeconds"] = seconds ? OrderedJson(*seconds) : OrderedJson(nullptr);
                c.invalid(operatorPath, Value::json(whole),
                          "value must be empty when `operator` is 'Exists'");
            }
        } else {
            c.notSupported(operatorPath, Value::named(op), {"Equal", "Exists"});
        }
        if (!effect.empty() && effect != "NoSchedule" && effect != "PreferNoSchedule" &&
            effect != "NoExecute")
            c.notSupported(effectPath, Value::named(effect),
                           {"NoSchedule", "PreferNoSchedule", "NoExecute"});
    }
}

} // namespace kd::manifest::detail
