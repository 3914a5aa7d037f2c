// Probe rules: missing or identical readiness/liveness probes, liveness probes that kill model
// servers before their weights are loaded, and probes aimed at ports the container lacks.

#include "manifest/lintrules_util.h"

#include <array>

namespace kd::manifest::detail {

namespace {

// A liveness probe must leave a model server at least this long to load its weights unless a
// startup probe holds it off: large models take minutes to reach GPU memory.
constexpr long long kModelLoadSeconds = 300;

// Images of well-known model servers, which load models at start even without a GPU.
constexpr std::array<std::string_view, 13> kModelServerImages = {"tritonserver",
                                                                 "vllm",
                                                                 "text-generation-inference",
                                                                 "torchserve",
                                                                 "tensorflow/serving",
                                                                 "tfserving",
                                                                 "kserve",
                                                                 "mlserver",
                                                                 "ollama",
                                                                 "sglang",
                                                                 "lmdeploy",
                                                                 "seldon",
                                                                 "huggingface"};

bool isModelServer(const ContainerRef &c) {
    if (!c.gpus.empty())
        return true;
    const std::string *image = asStr(at(c.json, {"image"}));
    if (image == nullptr)
        return false;
    for (std::string_view known : kModelServerImages) {
        if (image->find(known) != std::string::npos)
            return true;
    }
    return false;
}

bool isSidecar(const ContainerRef &c) {
    const std::string *policy = asStr(at(c.json, {"restartPolicy"}));
    return c.init && policy && *policy == "Always";
}

void checkPresence(const LintObject &object, const ContainerRef &c, FindingSink &sink) {
    const bool readiness = at(c.json, {"readinessProbe"}) != nullptr;
    const bool liveness = at(c.json, {"livenessProbe"}) != nullptr;
    const std::string who = "container " + ticked(c.name);
    if (!readiness && !liveness)
        sink.report(object, "probes-missing", c.path,
                    who + " has neither a readiness nor a liveness probe", c.name);
    else if (!readiness)
        sink.report(object, "probes-missing", join(c.path, "readinessProbe"),
                    who + " has no readiness probe: it gets traffic before its model is loaded",
                    c.name);
    else if (!liveness)
        sink.report(object, "probes-missing", join(c.path, "livenessProbe"),
                    who + " has no liveness probe: a hung server is never restarted", c.name);
    if (readiness && liveness && *at(c.json, {"readinessProbe"}) == *at(c.json, {"livenessProbe"}))
        sink.report(object, "probes-identical", join(c.path, "livenessProbe"),
                    who + " has identical readiness and liveness probes: a busy pod is "
                          "restarted instead of being taken out of rotation",
                    c.name);
}

void checkStartup(const LintObject &object, const ContainerRef &c, FindingSink &sink) {
    const Json *liveness = at(c.json, {"livenessProbe"});
    if (liveness == nullptr || !liveness->is_object() || at(c.json, {"startupProbe"}) != nullptr ||
        !isModelServer(c))
        return;
    // The kubelet restarts the container after failureThreshold failures, periodSeconds apart,
    // counted from initialDelaySeconds (defaults 3, 10 and 0).
    const long long delay = asInt(at(liveness, {"initialDelaySeconds"})).value_or(0);
    const long long period = asInt(at(liveness, {"periodSeconds"})).value_or(10);
    const long long failures = asInt(at(liveness, {"failureThreshold"})).value_or(3);
    const long long budget = delay + period * failures;
    if (budget >= kModelLoadSeconds)
        return;
    sink.report(object, "startup-probe-missing", join(c.path, "livenessProbe"),
                "container " + ticked(c.name) +
                    " has a liveness probe but no startup probe: it is restarted unless the "
                    "model loads within " +
                    std::to_string(budget) + " s (initialDelaySeconds " + std::to_string(delay) +
                    " + " + std::to_string(failures) + " x periodSeconds " +
                    std::to_string(period) + ")",
                c.name);
}

std::string describePorts(const Json *ports) {
    std::string out;
    if (ports && ports->is_array()) {
        for (const Json &p : *ports) {
            const auto number = asInt(at(&p, {"containerPort"}));
            if (!number)
                continue;
            const std::string *name = asStr(at(&p, {"name"}));
            out += (out.empty() ? "" : ", ") + std::to_string(*number) +
                   (name ? " (" + *name + ")" : std::string());
        }
    }
    return out.empty() ? "none" : out;
}

void checkProbePorts(const LintObject &object, const ContainerRef &c, FindingSink &sink) {
    const Json *ports = at(c.json, {"ports"});
    const bool declaresPorts = ports && ports->is_array() && !ports->empty();
    for (const char *probeName : {"readinessProbe", "livenessProbe", "startupProbe"}) {
        const Json *probe = at(c.json, {probeName});
        if (probe == nullptr || !probe->is_object())
            continue;
        for (const char *handler : {"httpGet", "tcpSocket", "grpc"}) {
            const Json *port = at(probe, {handler, "port"});
            if (port == nullptr)
                continue;
            const std::string *name = asStr(port);
            const auto number = asInt(port);
            bool found = false;
            if (name) {
                if (name->empty() || name->find_first_not_of("0123456789") == std::string::npos)
                    continue; // not a port name; the API check reports it
                for (std::size_t i = 0; declaresPorts && i < ports->size(); ++i) {
                    const std::string *portName = asStr(at(&(*ports)[i], {"name"}));
                    found = found || (portName && *portName == *name);
                }
            } else if (number && declaresPorts) {
                for (const Json &p : *ports)
                    found = found || asInt(at(&p, {"containerPort"})) == number;
            } else {
                continue; // a number on a container that declares nothing: cannot tell
            }
            if (found)
                continue;
            const std::string what =
                name ? "port named " + ticked(*name) : "port " + std::to_string(*number);
            sink.reportValue(
                object, "probe-port-unknown", join(join(join(c.path, probeName), handler), "port"),
                "container " + ticked(c.name) + " " + probeName + " targets " + what +
                    ", which the container does not declare (its ports: " + describePorts(ports) +
                    ")",
                c.name);
        }
    }
}

} // namespace

void checkProbeRules(const LintObject &object, const Containers &containers, FindingSink &sink) {
    // A bare Pod that runs to completion (restartPolicy Never or OnFailure) serves nothing.
    const std::string *restart = asStr(at(object.value, {"spec", "restartPolicy"}));
    const bool serving =
        isLongRunning(object.kind) && !(object.kind == "Pod" && restart && *restart != "Always");
    for (const ContainerRef &c : containers) {
        checkProbePorts(object, c, sink);
        if (c.init && !isSidecar(c))
            continue;
        if (serving && !c.init)
            checkPresence(object, c, sink);
        checkStartup(object, c, sink);
    }
}

} // namespace kd::manifest::detail
