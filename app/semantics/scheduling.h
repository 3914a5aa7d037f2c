#pragma once
// How the default scheduler decides where a pod goes, as pure functions over plain structs: the
// filters (resources incl. GPUs and MIG, node selector and affinity, taints, unschedulable nodes,
// pod anti-affinity), the least-allocated node choice and the FailedScheduling message, all with
// upstream's texts. The sandbox's scheduler acts with these; the GUI predicts with them.

#include "semantics/resources.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kd::semantics {

using Labels = std::map<std::string, std::string>;

struct Taint {
    std::string key;
    std::string value;
    std::string effect; // NoSchedule, PreferNoSchedule, NoExecute
};

struct Toleration {
    std::string key; // empty with Exists: tolerates every taint
    std::string op;  // "Equal" (also when empty) or "Exists"
    std::string value;
    std::string effect; // empty: every effect
};

// One requirement of a node selector term or a label selector: In, NotIn, Exists, DoesNotExist,
// and for nodes also Gt and Lt (integer comparison of the label value).
struct Requirement {
    std::string key;
    std::string op;
    std::vector<std::string> values;
};

struct NodeSelectorTerm {
    std::vector<Requirement> matchExpressions; // against node labels
    std::vector<Requirement> matchFields;      // against fields; only metadata.name exists
};

struct LabelSelector {
    bool present = false; // a missing selector matches nothing; an empty one matches everything
    Labels matchLabels;
    std::vector<Requirement> matchExpressions;
};

struct PodAffinityTerm {
    LabelSelector labelSelector;
    std::vector<std::string> namespaces; // empty (and no namespaceSelector): the pod's own
    bool allNamespaces = false;          // namespaceSelector: {}
    std::string topologyKey;
};

// What the scheduler needs to know about a pod, pending or already placed.
struct PodNeeds {
    std::string name;
    std::string namespaceName;
    Labels labels;
    ResourceList requests;      // effective requests, incl. "pods"
    ResourceList scoreRequests; // cpu and memory with upstream's non-zero defaults, for scoring
    Labels nodeSelector;
    bool hasRequiredNodeAffinity = false;
    std::vector<NodeSelectorTerm> requiredNodeAffinity; // ORed
    std::vector<Toleration> tolerations;
    std::vector<PodAffinityTerm> requiredAntiAffinity;
};

// A pod already on a node, as far as later decisions care.
struct PlacedPod {
    std::string namespaceName;
    Labels labels;
    std::vector<PodAffinityTerm> requiredAntiAffinity;
};

struct NodeState {
    std::string name;
    Labels labels;
    std::vector<Taint> taints;
    ResourceList allocatable;
    bool unschedulable = false;
    std::vector<PlacedPod> pods;
    // Sums over `pods`, kept by addPod(): effective requests and scoring requests.
    ResourceList requested;
    ResourceList scoreRequested;
    bool hasAntiAffinityPods = false;
};

// Adds a pod to a node: appends it and adds its requests.
void addPod(NodeState &node, const PodNeeds &pod);

// JSON adapters. fromPodJson reads a Pod; fromPodTemplateJson a pod template (as in a
// Deployment) for a pod that does not exist yet. fromNodeJson reads a Node (allocatable, else
// capacity) and adds the kubernetes.io/hostname label a kubelet would set when it is missing.
// Each adapter takes either nlohmann JSON type (the client caches ordered_json).
template<typename JsonT> PodNeeds fromPodJson(const JsonT &pod);
template<typename JsonT>
PodNeeds fromPodTemplateJson(const JsonT &podTemplate, const std::string &namespaceName);
template<typename JsonT> NodeState fromNodeJson(const JsonT &node);
template<typename JsonT> LabelSelector labelSelectorFromJson(const JsonT &selector);
// Whether a pod counts against its node: bound to one and not terminated (terminating pods still
// hold their resources until they are gone).
template<typename JsonT> bool holdsNodeResources(const JsonT &pod);
// The scheduler's view of a cluster: every node with the pods holding resources on it. What a
// prediction starts from, built exactly as the sandbox's scheduler builds it.
template<typename JsonT>
std::vector<NodeState> nodeStatesFromJson(const std::vector<const JsonT *> &nodes,
                                          const std::vector<const JsonT *> &pods);

// "key=value:Effect" (or "key:Effect" without a value), as kubectl prints a taint.
std::string taintText(const Taint &taint);

bool tolerates(const Toleration &toleration, const Taint &taint);
// The first NoSchedule/NoExecute taint no toleration tolerates, as upstream reports it.
std::optional<Taint> firstUntoleratedTaint(const std::vector<Taint> &taints,
                                           const std::vector<Toleration> &tolerations);
bool matchesNodeSelectorTerm(const NodeSelectorTerm &term, const Labels &nodeLabels,
                             const std::string &nodeName);
bool matchesNodeSelectorAndAffinity(const PodNeeds &pod, const NodeState &node);
bool matchesLabelSelector(const LabelSelector &selector, const Labels &labels);

// The filters in the order upstream's default profile runs them.
enum class Filter {
    NodeUnschedulable,
    TaintToleration,
    NodeAffinity,
    NodeResourcesFit,
    InterPodAffinity
};

struct FitFailure {
    Filter filter = Filter::NodeResourcesFit;
    std::string reason;        // upstream text, e.g. "Insufficient nvidia.com/gpu"
    bool unresolvable = false; // removing other pods from the node could not help
};

struct FitResult {
    std::vector<FitFailure> failures; // every reason, in filter order
    bool fits() const { return failures.empty(); }
    std::vector<std::string> reasons() const;
    // What upstream records for the node: the reasons of the first failing filter only (the
    // framework stops at it), and whether that filter called the node unresolvable.
    std::vector<std::string> schedulerReasons() const;
    bool schedulerUnresolvable() const;
};

// The cluster-wide part of pod anti-affinity (upstream's PreFilter state): per topology key, the
// domains (label values) a node must not be in.
struct AntiAffinityDomains {
    std::map<std::string, std::set<std::string>> incoming; // the pod's own rules reject these
    std::map<std::string, std::set<std::string>> existing; // placed pods' rules reject the pod here
};
AntiAffinityDomains antiAffinityDomains(const PodNeeds &pod, const std::vector<NodeState> &nodes);

// Every reason `node` cannot take `pod`. Without `domains`, anti-affinity only sees the pods on
// this node, which is exact for topologyKey kubernetes.io/hostname.
FitResult fit(const PodNeeds &pod, const NodeState &node,
              const AntiAffinityDomains *domains = nullptr);

// Least-allocated score (0..100) of a fitting node for the pod: the mean over CPU and memory of
// the share left free after placing it, in integer maths as upstream computes it.
long long leastAllocatedScore(const PodNeeds &pod, const NodeState &node);

// "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available:
// 3 No preemption victims found for incoming pod." from the per-node results of a pod that fits
// nowhere (all pods share one priority, so preemption never finds victims).
std::string failedSchedulingMessage(const std::vector<FitResult> &perNode);
inline constexpr const char *kNoNodesAvailable = "no nodes available to schedule pods";

struct ScheduleDecision {
    int nodeIndex = -1;  // index into the nodes given, -1 when the pod stays Pending
    std::string message; // the FailedScheduling message when it stays Pending
    bool scheduled() const { return nodeIndex >= 0; }
};
// One scheduling cycle: filter every node, pick the best score, ties to the smallest name.
ScheduleDecision scheduleOne(const PodNeeds &pod, const std::vector<NodeState> &nodes);

struct PlacementPrediction {
    std::map<std::string, int> placed; // node name -> new pods placed there
    int pending = 0;
    std::string message; // FailedScheduling message of the first pod left Pending
};
// Places `count` copies of `pod` one after another as the scheduler would.
PlacementPrediction predictPlacement(std::vector<NodeState> nodes, const PodNeeds &pod, int count);

} // namespace kd::semantics
