#include "sandbox/scenarioscale.h"

#include "sandbox/admission.h"
#include "sandbox/controllers/deploymentutil.h"
#include "sandbox/resources.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace kd::sandbox {

namespace {

constexpr long kPodsPerNode = 110;
constexpr long kGpusPerNode = 8;
constexpr long kDeploymentsPerNamespace = 50;
constexpr long kMaxPods = 200'000;
constexpr long kMaxNodes = 5'000;

// The alphabet upstream uses for generated name suffixes.
constexpr std::string_view kSafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

constexpr std::array kTeams{"search", "ads",     "fraud",  "recsys",      "vision", "speech",
                            "nlp",    "pricing", "risk",   "forecasting", "growth", "trust",
                            "maps",   "health",  "retail", "payments",    "feeds",  "support"};
constexpr std::array kPurposes{"ctr",   "fraud",  "churn", "intent", "spam",      "query",
                               "image", "price",  "eta",   "demand", "toxicity",  "lead",
                               "query", "review", "ocr",   "voice",  "sentiment", "ltv"};
constexpr std::array kModels{"ranker",  "embedder",  "classifier", "detector", "forecaster",
                             "scorer",  "tagger",    "segmenter",  "reranker", "encoder",
                             "matcher", "predictor", "router",     "filter"};

std::string suffix(std::uint64_t n, int length) {
    std::string s;
    for (int i = 0; i < length; ++i) {
        s += kSafeAlphabet[n % kSafeAlphabet.size()];
        n /= kSafeAlphabet.size();
    }
    return s;
}

std::string padded(long n, int width) {
    std::string s = std::to_string(n);
    return s.size() >= static_cast<std::size_t>(width) ? s : std::string(width - s.size(), '0') + s;
}

// The ReplicaSet name the deployment controller would pick: the hash of the template as stored,
// that is after the API server's defaulting.
std::string templateHash(const Json &deployment) {
    Json defaulted = deployment;
    applyDefaults(resourceType("apps/v1", "Deployment"), defaulted);
    return computeTemplateHash(defaulted["spec"]["template"], std::nullopt);
}

std::string hex(std::uint64_t seed, int length) {
    std::string s;
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
    while (static_cast<int>(s.size()) < length) {
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9ULL;
        x ^= x >> 27;
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
        s += buf;
    }
    return s.substr(0, length);
}

Json condition(const char *type, const char *status, const char *reason, const char *message) {
    return {{"type", type}, {"status", status}, {"reason", reason}, {"message", message}};
}

struct NodeShape {
    std::string pool;
    std::string instanceType;
    std::string family;
    int cores;
    std::string allocatableCpu;
    std::string memory;
    std::string allocatableMemory;
    bool gpu;
};

const NodeShape kCpuShape{"cpu-pool", "n2-standard-16", "n2",         16,
                          "15890m",   "65851340Ki",     "60078195Ki", false};
const NodeShape kGpuShape{"a100-pool", "a2-highgpu-8g", "a2",          96,
                          "95690m",    "711490136Ki",   "689436740Ki", true};

Json makeNode(long index, const NodeShape &shape) {
    static const std::array zones{"us-central1-a", "us-central1-b", "us-central1-c",
                                  "us-central1-f"};
    std::string name = "gke-scale-" + shape.pool + "-" + (shape.gpu ? "7c41e0d9-" : "5f7a2c1e-") +
                       suffix(static_cast<std::uint64_t>(index) * 7919u + 13u, 4);
    std::string zone = zones[index % zones.size()];
    // 10.244.0.0/16 is the cluster's pod range (the kubelet's too); nodes past 256 go beyond it.
    std::string cidr =
        "10." + std::to_string(244 + index / 256) + "." + std::to_string(index % 256) + ".0/24";
    std::string ip =
        "10.128." + std::to_string(index / 250) + "." + std::to_string(index % 250 + 2);
    Json labels = {{"beta.kubernetes.io/arch", "amd64"},
                   {"beta.kubernetes.io/instance-type", shape.instanceType},
                   {"beta.kubernetes.io/os", "linux"},
                   {"cloud.google.com/gke-nodepool", shape.pool},
                   {"cloud.google.com/machine-family", shape.family},
                   {"kubernetes.io/arch", "amd64"},
                   {"kubernetes.io/hostname", name},
                   {"kubernetes.io/os", "linux"},
                   {"node.kubernetes.io/instance-type", shape.instanceType},
                   {"topology.kubernetes.io/region", "us-central1"},
                   {"topology.kubernetes.io/zone", zone}};
    Json capacity = {{"cpu", std::to_string(shape.cores)},
                     {"ephemeral-storage", "98831908Ki"},
                     {"hugepages-1Gi", "0"},
                     {"hugepages-2Mi", "0"},
                     {"memory", shape.memory},
                     {"pods", std::to_string(kPodsPerNode)}};
    Json allocatable = capacity;
    allocatable["cpu"] = shape.allocatableCpu;
    allocatable["memory"] = shape.allocatableMemory;
    allocatable["ephemeral-storage"] = "48223645861";
    Json spec = {{"podCIDR", cidr},
                 {"podCIDRs", {cidr}},
                 {"providerID", "gce://kubedeck-sandbox/" + zone + "/" + name}};
    if (shape.gpu) {
        labels["cloud.google.com/gke-accelerator"] = "nvidia-tesla-a100";
        labels["nvidia.com/gpu.present"] = "true";
        labels["nvidia.com/gpu.product"] = "NVIDIA-A100-SXM4-40GB";
        labels["nvidia.com/gpu.memory"] = "40960";
        labels["nvidia.com/gpu.count"] = std::to_string(kGpusPerNode);
        labels["nvidia.com/mig.strategy"] = "single";
        capacity["nvidia.com/gpu"] = std::to_string(kGpusPerNode);
        allocatable["nvidia.com/gpu"] = std::to_string(kGpusPerNode);
        spec["taints"] = Json::array(
            {{{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}}});
    }
    std::string boot = hex(static_cast<std::uint64_t>(index) + 1000, 32);
    return {
        {"apiVersion", "v1"},
        {"kind", "Node"},
        {"metadata", {{"name", name}, {"labels", labels}}},
        {"spec", spec},
        {"status",
         {{"capacity", capacity},
          {"allocatable", allocatable},
          {"conditions",
           {condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                      "kubelet has sufficient memory available"),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                      "kubelet has no disk pressure"),
            condition("PIDPressure", "False", "KubeletHasSufficientPID",
                      "kubelet has sufficient PID available"),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")}},
          {"addresses",
           {{{"type", "InternalIP"}, {"address", ip}}, {{"type", "Hostname"}, {"address", name}}}},
          {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
          {"nodeInfo",
           {{"architecture", "amd64"},
            {"bootID", boot.substr(0, 8) + "-" + boot.substr(8, 4) + "-" + boot.substr(12, 4) +
                           "-" + boot.substr(16, 4) + "-" + boot.substr(20, 12)},
            {"containerRuntimeVersion", "containerd://1.4.3"},
            {"kernelVersion", "5.4.89+"},
            {"kubeProxyVersion", "v1.20.2"},
            {"kubeletVersion", "v1.20.2"},
            {"machineID", hex(static_cast<std::uint64_t>(index) + 5000, 32)},
            {"operatingSystem", "linux"},
            {"osImage", "Container-Optimized OS from Google"},
            {"systemUUID", boot.substr(0, 8) + "-" + boot.substr(8, 4) + "-" + boot.substr(12, 4) +
                               "-" + boot.substr(16, 4) + "-" + boot.substr(20, 12)}}}}}};
}

Json podTemplate(const std::string &app, const std::string &team, long index, bool gpu) {
    Json resources =
        gpu ? Json{{"requests", {{"cpu", "1"}, {"memory", "4Gi"}, {"nvidia.com/gpu", 1}}},
                   {"limits", {{"memory", "4Gi"}, {"nvidia.com/gpu", 1}}}}
            : Json{{"requests", {{"cpu", "100m"}, {"memory", "128Mi"}}},
                   {"limits", {{"memory", "256Mi"}}}};
    Json container = {{"name", "server"},
                      {"image", "ghcr.io/yourorg/" + app + ":1." + std::to_string(index % 7) + "." +
                                    std::to_string(index % 3)},
                      {"ports", {{{"name", "http"}, {"containerPort", 8080}}}},
                      {"resources", resources},
                      {"readinessProbe",
                       {{"httpGet", {{"path", "/ready"}, {"port", 8080}}}, {"periodSeconds", 10}}}};
    Json spec = {{"containers", {container}}};
    if (gpu) {
        spec["nodeSelector"] = {{"nvidia.com/gpu.product", "NVIDIA-A100-SXM4-40GB"}};
        spec["tolerations"] = Json::array(
            {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}});
    }
    return {{"metadata", {{"labels", {{"app", app}, {"team", team}}}}}, {"spec", spec}};
}

Json ownerReference(const char *apiVersion, const char *kind, const std::string &name) {
    // The uid is filled in by applyScenario from the owner it finds in the cluster.
    return {{"apiVersion", apiVersion},
            {"kind", kind},
            {"name", name},
            {"controller", true},
            {"blockOwnerDeletion", true}};
}

struct Placement {
    std::vector<std::string> names;
    std::vector<std::string> ips;
    std::vector<long> nextHost; // last octet of the next pod IP on each node
    std::vector<std::string> podPrefix;
    std::size_t cursor = 0;
};

struct WorkloadPlan {
    std::vector<long> replicas;
    std::vector<bool> gpu;
};

// Spreads the pods evenly; about one Deployment in ten asks for a GPU while three quarters of
// the GPUs suffice. Only GPU pods tolerate the GPU nodes' taint, so the rest must fit the CPU
// nodes.
WorkloadPlan planWorkloads(const ScaleParameters &p) {
    WorkloadPlan plan;
    long gpuBudget = p.gpuNodes * kGpusPerNode * 3 / 4;
    long cpuPods = 0;
    for (long d = 0; d < p.deployments; ++d) {
        long replicas = p.pods / p.deployments + (d < p.pods % p.deployments ? 1 : 0);
        bool gpu = d % 10 == 3 && replicas > 0 && replicas <= gpuBudget;
        gpuBudget -= gpu ? replicas : 0;
        cpuPods += gpu ? 0 : replicas;
        plan.replicas.push_back(replicas);
        plan.gpu.push_back(gpu);
    }
    const long cpuNodes = p.nodes - p.gpuNodes;
    if (cpuPods > cpuNodes * kPodsPerNode)
        throw std::runtime_error("scale scenario: " + std::to_string(cpuPods) +
                                 " CPU pods do not fit on " + std::to_string(cpuNodes) +
                                 " CPU nodes of " + std::to_string(kPodsPerNode) +
                                 " pods each; add nodes or lower gpuNodes");
    return plan;
}

long parseNumber(std::string_view key, std::string_view value) {
    long n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n < 0)
        throw std::runtime_error("scale scenario: " + std::string(key) +
                                 " must be a whole number >= 0, not \"" + std::string(value) +
                                 "\"");
    return n;
}

} // namespace

ScaleParameters parseScaleSpec(std::string_view spec) {
    ScaleParameters p;
    while (!spec.empty()) {
        std::size_t comma = spec.find(',');
        std::string_view item = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
        if (item.empty())
            continue;
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            throw std::runtime_error("scale scenario: expected key=value, not \"" +
                                     std::string(item) + "\"");
        std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
        long n = parseNumber(key, value);
        if (key == "pods")
            p.pods = n;
        else if (key == "nodes")
            p.nodes = n;
        else if (key == "deployments")
            p.deployments = n;
        else if (key == "gpuNodes")
            p.gpuNodes = n;
        else if (key == "services")
            p.services = n;
        else
            throw std::runtime_error("scale scenario: unknown key \"" + std::string(key) +
                                     "\"; known: pods, nodes, deployments, gpuNodes, services");
    }
    if (p.gpuNodes < 0)
        p.gpuNodes = p.nodes / 10;
    if (p.services < 0)
        p.services = p.deployments;
    if (p.pods > kMaxPods)
        throw std::runtime_error("scale scenario: at most " + std::to_string(kMaxPods) + " pods");
    if (p.nodes < 1 || p.nodes > kMaxNodes)
        throw std::runtime_error("scale scenario: nodes must be between 1 and " +
                                 std::to_string(kMaxNodes));
    if (p.gpuNodes > p.nodes)
        throw std::runtime_error("scale scenario: gpuNodes (" + std::to_string(p.gpuNodes) +
                                 ") cannot exceed nodes (" + std::to_string(p.nodes) + ")");
    if (p.pods > 0 && p.deployments < 1)
        throw std::runtime_error("scale scenario: pods need at least one Deployment");
    if (p.deployments > kMaxPods)
        throw std::runtime_error("scale scenario: at most " + std::to_string(kMaxPods) +
                                 " deployments");
    if (p.services > p.deployments)
        throw std::runtime_error("scale scenario: services (" + std::to_string(p.services) +
                                 ") cannot exceed deployments (" + std::to_string(p.deployments) +
                                 "): there is one Service per Deployment");
    return p;
}

Scenario generateScaleScenario(const ScaleParameters &p) {
    const WorkloadPlan plan = planWorkloads(p);
    Scenario scenario;
    scenario.name = "scale";
    ScenarioPhase phase;
    // Objects are in steady state already: no time needs to pass, one settle lets the
    // controllers (endpoints) catch up without rolling anything out.
    phase.warmupSeconds = 0;
    std::vector<Json> &out = phase.objects;
    out.reserve(static_cast<std::size_t>(p.pods + 3 * p.deployments + p.nodes + 16));

    const long cpuNodes = p.nodes - p.gpuNodes;
    Placement cpu, gpu;
    for (long i = 0; i < p.nodes; ++i) {
        bool isGpu = i >= cpuNodes;
        Json node = makeNode(i, isGpu ? kGpuShape : kCpuShape);
        Placement &pl = isGpu ? gpu : cpu;
        pl.names.push_back(nameOf(node));
        pl.ips.push_back(node["status"]["addresses"][0]["address"].get<std::string>());
        std::string cidr = node["spec"]["podCIDR"].get<std::string>();
        pl.podPrefix.push_back(cidr.substr(0, cidr.size() - 4)); // "10.244.3." of "10.244.3.0/24"
        pl.nextHost.push_back(2);
        out.push_back(std::move(node));
    }

    const long namespaces =
        (p.deployments + kDeploymentsPerNamespace - 1) / kDeploymentsPerNamespace;
    std::vector<std::string> nsNames;
    for (long n = 0; n < namespaces; ++n) {
        std::string name = std::string("ml-") + kTeams[n % kTeams.size()];
        if (n >= static_cast<long>(kTeams.size()))
            name += "-" + std::to_string(n / static_cast<long>(kTeams.size()) + 1);
        nsNames.push_back(name);
        out.push_back(
            {{"apiVersion", "v1"},
             {"kind", "Namespace"},
             {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/metadata.name", name}}}}}});
    }

    std::uint64_t podCounter = 0;
    for (long d = 0; d < p.deployments; ++d) {
        const long replicas = plan.replicas[d];
        const bool isGpu = plan.gpu[d];
        const std::string &ns = nsNames[d / kDeploymentsPerNamespace];
        const std::string team = ns.substr(3);
        const std::string name = std::string(kPurposes[d % kPurposes.size()]) + "-" +
                                 kModels[(d / kPurposes.size()) % kModels.size()] + "-" +
                                 padded(d, 3);
        Json tmpl = podTemplate(name, team, d, isGpu);
        const Json selector = {{"matchLabels", {{"app", name}}}};
        const std::string changeCause =
            name + " 1." + std::to_string(d % 7) + "." + std::to_string(d % 3);

        Json deployment = {
            {"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata",
             {{"name", name},
              {"namespace", ns},
              {"labels", {{"app", name}, {"team", team}}},
              {"annotations",
               {{"deployment.kubernetes.io/revision", "1"},
                {"kubernetes.io/change-cause", changeCause}}}}},
            {"spec", {{"replicas", replicas}, {"selector", selector}, {"template", tmpl}}}};
        const std::string hash = templateHash(deployment);
        const std::string rsName = name + "-" + hash;
        deployment["status"] = {
            {"observedGeneration", 1},
            {"replicas", replicas},
            {"updatedReplicas", replicas},
            {"readyReplicas", replicas},
            {"availableReplicas", replicas},
            {"conditions",
             {condition("Available", "True", "MinimumReplicasAvailable",
                        "Deployment has minimum availability."),
              condition("Progressing", "True", "NewReplicaSetAvailable",
                        ("ReplicaSet \"" + rsName + "\" has successfully progressed.").c_str())}}};
        if (replicas == 0)
            deployment["status"].erase("readyReplicas");

        Json rsTemplate = tmpl;
        rsTemplate["metadata"]["labels"]["pod-template-hash"] = hash;
        Json rsSelector = selector;
        rsSelector["matchLabels"]["pod-template-hash"] = hash;
        Json replicaSet = {
            {"apiVersion", "apps/v1"},
            {"kind", "ReplicaSet"},
            {"metadata",
             {{"name", rsName},
              {"namespace", ns},
              {"labels", rsTemplate["metadata"]["labels"]},
              {"annotations",
               {{"deployment.kubernetes.io/desired-replicas", std::to_string(replicas)},
                {"deployment.kubernetes.io/max-replicas",
                 std::to_string(replicas + (replicas + 3) / 4)},
                {"deployment.kubernetes.io/revision", "1"},
                {"kubernetes.io/change-cause", changeCause}}},
              {"ownerReferences", {ownerReference("apps/v1", "Deployment", name)}}}},
            {"spec", {{"replicas", replicas}, {"selector", rsSelector}, {"template", rsTemplate}}},
            {"status",
             {{"observedGeneration", 1},
              {"replicas", replicas},
              {"fullyLabeledReplicas", replicas},
              {"readyReplicas", replicas},
              {"availableReplicas", replicas}}}};
        const std::string image = tmpl["spec"]["containers"][0]["image"].get<std::string>();
        out.push_back(std::move(deployment));
        out.push_back(std::move(replicaSet));

        for (long r = 0; r < replicas; ++r) {
            Placement &pl = isGpu ? gpu : cpu;
            std::size_t slot = pl.cursor++ % pl.names.size();
            std::string podIp = pl.podPrefix[slot] + std::to_string(pl.nextHost[slot]++);
            Json spec = rsTemplate["spec"];
            spec["nodeName"] = pl.names[slot];
            ++podCounter;
            Json pod = {{"apiVersion", "v1"},
                        {"kind", "Pod"},
                        {"metadata",
                         {{"name", rsName + "-" + suffix(podCounter * 2654435761u, 5)},
                          {"generateName", rsName + "-"},
                          {"namespace", ns},
                          {"labels", rsTemplate["metadata"]["labels"]},
                          {"ownerReferences", {ownerReference("apps/v1", "ReplicaSet", rsName)}}}},
                        {"spec", std::move(spec)},
                        {"status",
                         {{"phase", "Running"},
                          {"conditions",
                           {{{"type", "Initialized"}, {"status", "True"}},
                            {{"type", "Ready"}, {"status", "True"}},
                            {{"type", "ContainersReady"}, {"status", "True"}},
                            {{"type", "PodScheduled"}, {"status", "True"}}}},
                          {"hostIP", pl.ips[slot]},
                          {"podIP", podIp},
                          {"podIPs", {{{"ip", podIp}}}},
                          {"qosClass", "Burstable"},
                          {"containerStatuses",
                           {{{"name", "server"},
                             {"ready", true},
                             {"started", true},
                             {"restartCount", 0},
                             {"image", image},
                             {"imageID", image.substr(0, image.rfind(':')) +
                                             "@sha256:" + hex(static_cast<std::uint64_t>(d), 64)},
                             {"containerID", "containerd://" + hex(podCounter + 100000, 64)},
                             {"state", {{"running", Json::object()}}}}}}}}};
            out.push_back(std::move(pod));
        }

        if (d < p.services) {
            out.push_back(
                {{"apiVersion", "v1"},
                 {"kind", "Service"},
                 {"metadata",
                  {{"name", name}, {"namespace", ns}, {"labels", {{"app", name}, {"team", team}}}}},
                 {"spec",
                  {{"selector", {{"app", name}}},
                   {"ports", {{{"name", "http"}, {"port", 80}, {"targetPort", "http"}}}}}}});
        }
    }
    scenario.phases.push_back(std::move(phase));
    return scenario;
}

} // namespace kd::sandbox
