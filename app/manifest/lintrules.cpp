// The lint rules for ML serving workloads: their catalogue entries and the per-object dispatch.
// The checks themselves live in lintrules_<area>.cpp.

#include "manifest/lintrules_util.h"

namespace kd::manifest::detail {

std::vector<RuleInfo> lintRuleInfos() {
    using S = Severity;
    using R = RuleScope;
    return {
        {"image-latest-tag", S::Warning, R::Container, "images",
         "Container image uses the `latest` tag or no tag",
         "A moving tag means the model server that runs is whichever image was pushed last: two "
         "replicas of one Deployment can serve different model versions, a rollback does not roll "
         "the image back, and nodes with a cached copy keep running the old one.",
         "Pin a version tag (`registry/model-server:1.4.2`) or a digest (`@sha256:...`)."},
        {"resources-requests-missing", S::Warning, R::Container, "resources",
         "CPU or memory request missing",
         "Without requests the scheduler places the pod as if it needed nothing, so model servers "
         "pile onto one node and are the first to be evicted under memory pressure (BestEffort "
         "or Burstable QoS) while loading multi-gigabyte weights.",
         "Set `resources.requests.cpu` and `resources.requests.memory` to what the server uses "
         "once the model is loaded."},
        {"memory-limit-missing", S::Warning, R::Container, "resources", "Memory limit missing",
         "A model server without a memory limit can grow until the node runs out of memory; the "
         "kernel then kills whatever it picks, often a neighbour's inference pod. A CPU limit is "
         "optional (it only throttles), a memory limit is not.",
         "Set `resources.limits.memory` (for model servers, usually equal to the request)."},
        {"requests-exceed-limits", S::Error, R::Container, "resources",
         "A request is greater than its limit",
         "The API server rejects a container whose request exceeds its limit, so the whole "
         "Deployment fails to apply.",
         "Lower the request or raise the limit so that request <= limit."},
        {"gpu-requests-limits", S::Error, R::Container, "gpu",
         "GPU (extended resource) requests and limits disagree or are fractional",
         "GPUs and other extended resources cannot be shared or overcommitted: the API server "
         "requires a limit, a request equal to it (it defaults to the limit) and a whole number. "
         "A fractional `0.5` GPU is rejected, not time-sliced; use MIG profiles or a sharing "
         "device plugin for that.",
         "Set the GPU only under `limits` (the request follows), or set requests equal to limits, "
         "in whole units."},
        {"gpu-toleration-missing", S::Info, R::Object, "gpu",
         "GPU pod without a GPU toleration or node selector",
         "Clusters commonly taint GPU nodes (`nvidia.com/gpu:NoSchedule`) so that CPU pods stay "
         "off them. A GPU pod that neither tolerates the taint nor selects GPU nodes stays Pending "
         "there, or lands on whatever GPU model happens to be free where it is not tainted.",
         "Add a toleration for the GPU taint (key `nvidia.com/gpu`, operator `Exists`) and a "
         "nodeSelector such as `nvidia.com/gpu.product`."},
        {"probes-missing", S::Warning, R::Container, "probes",
         "Readiness or liveness probe missing",
         "Without a readiness probe a pod receives traffic as soon as its process starts, long "
         "before the model is loaded, and requests fail during every rollout. Without a liveness "
         "probe a server that hangs (a stuck CUDA context, a deadlocked worker) keeps its GPU and "
         "its place in the Service forever.",
         "Add a readinessProbe on the endpoint that reports the model as loaded and a "
         "livenessProbe on one that only reports the process as healthy."},
        {"probes-identical", S::Warning, R::Container, "probes",
         "Readiness and liveness probes are identical",
         "When both probes check the same thing, a pod that is merely busy (a long batch, a full "
         "queue) is restarted instead of being taken out of rotation, and then spends minutes "
         "reloading its model: overload turns into an outage.",
         "Point the liveness probe at a cheaper health endpoint, or give it a higher failure "
         "threshold than the readiness probe."},
        {"startup-probe-missing", S::Warning, R::Container, "probes",
         "Model server has a liveness probe but no startup probe and a short initial delay",
         "Loading model weights onto a GPU takes minutes. A liveness probe that starts failing "
         "before that restarts the container in a loop (CrashLoopBackOff) and the model never "
         "becomes ready.",
         "Add a startupProbe whose failureThreshold x periodSeconds covers the worst-case load "
         "time; the liveness probe only starts once it succeeds."},
        {"probe-port-unknown", S::Warning, R::Container, "probes",
         "Probe targets a port the container does not expose",
         "A probe on a port nothing listens on always fails: the pod never becomes ready, or the "
         "liveness probe restarts a healthy model server over and over.",
         "Probe one of the container's ports (by number or by its `name`)."},
        {"selector-mismatch", S::Error, R::Object, "workloads",
         "Selector does not match the pod template labels",
         "The API server rejects a workload whose selector does not select its own pods; were it "
         "accepted, the controller would create pods it never counts, without end.",
         "Make the template labels include every `spec.selector.matchLabels` entry."},
        {"rollout-surge-unavailable-zero", S::Error, R::Object, "rollout",
         "maxSurge and maxUnavailable are both 0",
         "A rolling update may neither add a pod nor take one away, so it can never make "
         "progress; the API server rejects it.",
         "Set `maxSurge: 1, maxUnavailable: 0` (needs room for one extra pod, e.g. one free GPU) "
         "or `maxSurge: 0, maxUnavailable: 1` (replaces pods in place on a full GPU pool)."},
        {"replicas-too-few", S::Warning, R::Object, "availability", "Fewer than 2 replicas",
         "With one replica every rollout, node drain or crash is an outage, and a restarted "
         "model server is unavailable for as long as it takes to load the model again.",
         "Run at least 2 replicas (or let an HPA with minReplicas >= 2 own the count)."},
        {"pdb-missing", S::Warning, R::Cross, "availability",
         "No PodDisruptionBudget covers the workload",
         "Node drains (cluster upgrades, autoscaler scale-down) evict pods without a budget all "
         "at once; every replica then reloads its model at the same time and the service is down "
         "meanwhile. With a single replica there is nothing to keep up at all.",
         "Run 2 or more replicas and add a PodDisruptionBudget with `maxUnavailable: 1` that "
         "selects the pod template labels."},
        {"pdb-blocks-drain", S::Warning, R::Cross, "availability",
         "PodDisruptionBudget allows no eviction",
         "A budget with `maxUnavailable: 0`, or `minAvailable` at or above the pods that exist "
         "(or the HPA's minimum), allows zero disruptions: node drains hang and cluster upgrades "
         "stall until someone deletes the budget by hand.",
         "Use `maxUnavailable: 1`, or a `minAvailable` below the (minimum) replica count."},
        {"pdb-policy", S::Warning, R::Object, "availability",
         "PodDisruptionBudget sets neither or both of minAvailable and maxUnavailable",
         "A budget needs exactly one of the two: with neither it does not limit evictions at "
         "all, and with both the API server rejects it.",
         "Keep one of them, preferably `maxUnavailable: 1`."},
        {"pdb-selects-nothing", S::Warning, R::Cross, "availability",
         "PodDisruptionBudget selects no pods in the linted files",
         "A budget whose selector matches no pod template protects nothing; typically a label "
         "was renamed on the Deployment and not on the budget.",
         "Make `spec.selector` match the pod template labels of the workload it protects."},
        {"hpa-gpu-cpu-metric", S::Warning, R::Cross, "autoscaling",
         "HPA scales a GPU workload on CPU or memory utilisation only",
         "GPU-bound model servers keep their CPU nearly idle while the GPU is saturated, so a "
         "CPU-utilisation HPA never scales out while latency climbs.",
         "Scale on a serving metric (queue depth, requests in flight, latency, GPU utilisation "
         "from DCGM) through a Pods or External metric."},
        {"hpa-target-missing", S::Warning, R::Cross, "autoscaling",
         "HPA target is not in the linted files",
         "An HPA whose scaleTargetRef names no existing workload does nothing; usually the "
         "target was renamed or lives in another namespace.",
         "Point `spec.scaleTargetRef` at the workload's kind and name in the HPA's namespace."},
        {"hpa-replicas", S::Warning, R::Object, "autoscaling",
         "HPA minReplicas below 2, or not below maxReplicas",
         "An HPA that may scale down to one replica brings back the single point of failure at "
         "quiet hours; one with minReplicas >= maxReplicas cannot scale at all.",
         "Set minReplicas >= 2 and maxReplicas above it."},
        {"hpa-replicas-conflict", S::Warning, R::Cross, "autoscaling",
         "Workload sets replicas while an HPA scales it",
         "Each `kubectl apply` resets the replica count to the manifest's value, undoing the "
         "HPA: a scaled-out model server drops back and cold-starts new pods minutes later.",
         "Remove `spec.replicas` from the workload and let the HPA own the count."},
        {"service-selects-nothing", S::Warning, R::Cross, "networking",
         "Service selects no pods in the linted files",
         "A Service whose selector matches no pod template has no endpoints: the model endpoint "
         "answers with connection refused or 503.",
         "Make `spec.selector` match the pod template labels of the model server."},
        {"service-target-port-unknown", S::Warning, R::Cross, "networking",
         "Service targetPort is not a port of the selected containers",
         "Traffic is forwarded to a port nothing listens on (or a port name no container "
         "declares), so every request to the Service fails.",
         "Set `targetPort` to a declared containerPort number or name."},
        {"ingress-backend-missing", S::Warning, R::Cross, "networking",
         "Ingress backend Service or port is missing",
         "The ingress controller answers 503 for a backend Service that does not exist or a port "
         "it does not have.",
         "Point the backend at an existing Service and one of its ports (number or name)."},
        {"anti-affinity-missing", S::Warning, R::Object, "availability",
         "Several replicas without pod anti-affinity or topology spread",
         "Nothing stops the scheduler from placing every replica on one GPU node, so one node "
         "failure or drain takes the whole model down.",
         "Add `topologySpreadConstraints` over `kubernetes.io/hostname` or a preferred "
         "podAntiAffinity on the pod labels."},
        {"run-as-non-root", S::Warning, R::Container, "security", "Container may run as root",
         "Model servers load pickled weights and custom code; running them as root turns any "
         "such exploit into root in the container and a short step from the node and its GPUs.",
         "Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser`."},
        {"privileged-container", S::Error, R::Container, "security", "Container is privileged",
         "A privileged container sees every device on the node, every GPU included, and can take "
         "the node over. The NVIDIA device plugin gives pods their GPUs without it.",
         "Remove `privileged: true`; request GPUs through `resources.limits` instead."},
        {"privilege-escalation", S::Warning, R::Container, "security",
         "Container allows privilege escalation",
         "Unless `allowPrivilegeEscalation` is false, a process in the container can gain more "
         "privileges than it started with (setuid binaries).",
         "Set `securityContext.allowPrivilegeEscalation: false`."},
        {"gpu-shm-missing", S::Warning, R::Container, "gpu",
         "GPU container without a memory-backed /dev/shm",
         "Container runtimes give /dev/shm 64 MiB. PyTorch DataLoader workers and NCCL use "
         "shared memory and crash with `bus error` or hang when it runs out.",
         "Mount an `emptyDir: {medium: Memory, sizeLimit: ...}` volume at /dev/shm."},
        {"env-duplicate", S::Warning, R::Container, "config", "Environment variable set twice",
         "Only the last value of a duplicated variable takes effect, so the one you read first "
         "may not be the one the model server gets.",
         "Keep one entry per variable name."},
        {"env-secret-inline", S::Warning, R::Container, "security",
         "Secret value written inline in env",
         "Tokens and keys written into the manifest (HF_TOKEN, API keys, passwords) end up in "
         "git, in `kubectl get -o yaml` and in every tool that reads the Deployment.",
         "Store it in a Secret and use `valueFrom.secretKeyRef`."},
        {"namespace-default", S::Warning, R::Object, "config", "Object in the default namespace",
         "The default namespace mixes unrelated workloads, so quotas, RBAC and network policies "
         "for the model-serving team cannot be scoped to it.",
         "Set `metadata.namespace` to the team's or service's namespace."},
        {"rollout-gpu-blocked", S::Error, R::Cross, "rollout",
         "Rollout cannot progress on the declared GPU pool",
         "With maxUnavailable 0 a rolling update must start a surge pod before it removes an old "
         "one. When the GPU pool is full, that pod stays Pending, never becomes ready, and the "
         "rollout hangs until its progress deadline while the old version keeps serving.",
         "Use `maxSurge: 0, maxUnavailable: 1` on a full pool, or keep free GPUs for the surge "
         "pods."},
        {"lint-ignore-unknown", S::Warning, R::Object, "lint",
         "kubedeck.io/lint-ignore names an unknown rule or container",
         "An entry that names no rule (often a typo) silences nothing, so the finding it was "
         "meant to silence still appears, or a later rule is silenced by accident.",
         "List the rule IDs findings show, comma-separated, as `RULE` or `RULE:CONTAINER`."},
    };
}

void checkObjectRules(const LintObject &object, const LintOptions &options, FindingSink &sink) {
    (void)options; // object rules depend on nothing but the object
    if (object.value == nullptr || !object.value->is_object())
        return;
    const auto templ = podTemplate(object);
    const Containers containers = templ ? containersOf(*templ, true, true) : Containers();
    checkIgnoreAnnotations(object, templ ? &*templ : nullptr, containers, sink);
    checkPolicyObjectRules(object, sink);
    if (templ) {
        checkContainerRules(object, *templ, containers, sink);
        checkProbeRules(object, containers, sink);
        checkSecurityRules(object, *templ, containers, sink);
        checkWorkloadRules(object, *templ, containers, sink);
    }
}

} // namespace kd::manifest::detail
