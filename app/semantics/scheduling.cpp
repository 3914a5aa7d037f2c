#include "semantics/scheduling.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace kd::semantics {

namespace {

constexpr const char *kUnschedulableTaintKey = "node.kubernetes.io/unschedulable";

// Upstream's messages (pkg/scheduler/framework/plugins/*).
constexpr const char *kReasonUnschedulable = "node(s) were unschedulable";
constexpr const char *kReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
constexpr const char *kReasonAntiAffinity = "node(s) didn't match pod anti-affinity rules";
constexpr const char *kReasonExistingAntiAffinity =
    "node(s) didn't satisfy existing pods anti-affinity rules";
constexpr const char *kReasonTooManyPods = "Too many pods";
constexpr const char *kNoVictims = "No preemption victims found for incoming pod";
constexpr const char *kPreemptionNotHelpful = "Preemption is not helpful for scheduling";

std::optional<std::int64_t> parseInt(const std::string &s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

bool contains(const std::vector<std::string> &values, const std::string &v) {
    return std::find(values.begin(), values.end(), v) != values.end();
}

// One requirement against a value that may be absent (In/NotIn/Exists/DoesNotExist/Gt/Lt).
bool matchesRequirement(const Requirement &r, const std::string *value) {
    if (r.op == "In")
        return value && contains(r.values, *value);
    if (r.op == "NotIn")
        return !value || !contains(r.values, *value);
    if (r.op == "Exists")
        return value != nullptr;
    if (r.op == "DoesNotExist")
        return value == nullptr;
    if (r.op == "Gt" || r.op == "Lt") {
        if (!value || r.values.size() != 1)
            return false;
        auto have = parseInt(*value);
        auto want = parseInt(r.values.front());
        if (!have || !want)
            return false;
        return r.op == "Gt" ? *have > *want : *have < *want;
    }
    return false; // an unknown operator matches nothing, as upstream's selector conversion fails
}

const std::string *lookup(const Labels &labels, const std::string &key) {
    auto it = labels.find(key);
    return it == labels.end() ? nullptr : &it->second;
}

// Whether an anti-affinity term declared by a pod in `ownerNamespace` selects `target`.
bool termSelects(const PodAffinityTerm &term, const std::string &ownerNamespace,
                 const std::string &targetNamespace, const Labels &targetLabels) {
    if (!term.allNamespaces) {
        if (term.namespaces.empty() ? targetNamespace != ownerNamespace
                                    : !contains(term.namespaces, targetNamespace))
            return false;
    }
    return matchesLabelSelector(term.labelSelector, targetLabels);
}

bool isScalarResource(const std::string &name) {
    // Extended resources (vendor-domain names) and huge pages; other native names are ignored
    // by the fit check just as upstream's Resource type ignores them.
    return name.find('/') != std::string::npos || name.starts_with("hugepages-");
}

void checkResources(const PodNeeds &pod, const NodeState &node, std::vector<FitFailure> &out) {
    auto available = [&](const std::string &r) {
        return amountOf(node.allocatable, r) - amountOf(node.requested, r);
    };
    if (amountOf(pod.requests, kPodsResource) > 0 &&
        amountOf(pod.requests, kPodsResource) > available(kPodsResource))
        out.push_back({Filter::NodeResourcesFit, kReasonTooManyPods, false});
    auto check = [&](const std::string &r, std::int64_t want) {
        if (want > 0 && want > available(r))
            out.push_back({Filter::NodeResourcesFit, "Insufficient " + r,
                           want > amountOf(node.allocatable, r)});
    };
    for (const char *r : {"cpu", "memory", "ephemeral-storage"})
        check(r, amountOf(pod.requests, r));
    for (const auto &[name, want] : pod.requests)
        if (isScalarResource(name))
            check(name, want);
}

// "3 Insufficient cpu, 1 node(s) were unschedulable", as upstream's FitError builds it: the
// histogram entries are formatted with their counts first and then sorted as strings.
std::string histogram(const std::map<std::string, int> &counts) {
    std::vector<std::string> entries;
    entries.reserve(counts.size());
    for (const auto &[reason, n] : counts)
        entries.push_back(std::to_string(n) + " " + reason);
    std::sort(entries.begin(), entries.end());
    std::string out;
    for (const auto &e : entries)
        out += (out.empty() ? "" : ", ") + e;
    return out;
}

} // namespace

void addPod(NodeState &node, const PodNeeds &pod) {
    addResources(node.requested, pod.requests);
    addResources(node.scoreRequested, pod.scoreRequests);
    node.hasAntiAffinityPods = node.hasAntiAffinityPods || !pod.requiredAntiAffinity.empty();
    node.pods.push_back({pod.namespaceName, pod.labels, pod.requiredAntiAffinity});
}

std::string taintText(const Taint &t) {
    return t.key + (t.value.empty() ? "" : "=" + t.value) + ":" + t.effect;
}

bool tolerates(const Toleration &t, const Taint &taint) {
    if (!t.effect.empty() && t.effect != taint.effect)
        return false;
    if (!t.key.empty() && t.key != taint.key)
        return false;
    if (t.op.empty() || t.op == "Equal")
        return t.value == taint.value;
    return t.op == "Exists";
}

std::optional<Taint> firstUntoleratedTaint(const std::vector<Taint> &taints,
                                           const std::vector<Toleration> &tolerations) {
    for (const Taint &taint : taints) {
        if (taint.effect != "NoSchedule" && taint.effect != "NoExecute")
            continue; // PreferNoSchedule only lowers a node's score
        bool tolerated = std::any_of(tolerations.begin(), tolerations.end(),
                                     [&](const Toleration &t) { return tolerates(t, taint); });
        if (!tolerated)
            return taint;
    }
    return std::nullopt;
}

bool matchesNodeSelectorTerm(const NodeSelectorTerm &term, const Labels &nodeLabels,
                             const std::string &nodeName) {
    if (term.matchExpressions.empty() && term.matchFields.empty())
        return false; // an empty term matches no node
    for (const Requirement &r : term.matchExpressions)
        if (!matchesRequirement(r, lookup(nodeLabels, r.key)))
            return false;
    for (const Requirement &r : term.matchFields) {
        if (r.key != "metadata.name")
            return false;
        if (!matchesRequirement(r, &nodeName))
            return false;
    }
    return true;
}

bool matchesNodeSelectorAndAffinity(const PodNeeds &pod, const NodeState &node) {
    for (const auto &[key, value] : pod.nodeSelector) {
        const std::string *have = lookup(node.labels, key);
        if (!have || *have != value)
            return false;
    }
    if (!pod.hasRequiredNodeAffinity)
        return true;
    return std::any_of(pod.requiredNodeAffinity.begin(), pod.requiredNodeAffinity.end(),
                       [&](const NodeSelectorTerm &t) {
                           return matchesNodeSelectorTerm(t, node.labels, node.name);
                       });
}

bool matchesLabelSelector(const LabelSelector &selector, const Labels &labels) {
    if (!selector.present)
        return false;
    for (const auto &[key, value] : selector.matchLabels) {
        const std::string *have = lookup(labels, key);
        if (!have || *have != value)
            return false;
    }
    for (const Requirement &r : selector.matchExpressions) {
        if (r.op == "Gt" || r.op == "Lt")
            return false; // not label selector operators
        if (!matchesRequirement(r, lookup(labels, r.key)))
            return false;
    }
    return true;
}

std::vector<std::string> FitResult::reasons() const {
    std::vector<std::string> out;
    out.reserve(failures.size());
    for (const auto &f : failures)
        out.push_back(f.reason);
    return out;
}

std::vector<std::string> FitResult::schedulerReasons() const {
    std::vector<std::string> out;
    for (const auto &f : failures)
        if (f.filter == failures.front().filter)
            out.push_back(f.reason);
    return out;
}

bool FitResult::schedulerUnresolvable() const {
    return std::any_of(failures.begin(), failures.end(), [&](const FitFailure &f) {
        return f.filter == failures.front().filter && f.unresolvable;
    });
}

AntiAffinityDomains antiAffinityDomains(const PodNeeds &pod, const std::vector<NodeState> &nodes) {
    AntiAffinityDomains d;
    for (const NodeState &node : nodes) {
        if (pod.requiredAntiAffinity.empty() && !node.hasAntiAffinityPods)
            continue;
        for (const PlacedPod &placed : node.pods) {
            for (const PodAffinityTerm &t : pod.requiredAntiAffinity)
                if (const std::string *v = lookup(node.labels, t.topologyKey))
                    if (termSelects(t, pod.namespaceName, placed.namespaceName, placed.labels))
                        d.incoming[t.topologyKey].insert(*v);
            for (const PodAffinityTerm &t : placed.requiredAntiAffinity)
                if (const std::string *v = lookup(node.labels, t.topologyKey))
                    if (termSelects(t, placed.namespaceName, pod.namespaceName, pod.labels))
                        d.existing[t.topologyKey].insert(*v);
        }
    }
    return d;
}

FitResult fit(const PodNeeds &pod, const NodeState &node, const AntiAffinityDomains *domains) {
    FitResult r;
    if (node.unschedulable) {
        Taint cordon{kUnschedulableTaintKey, "", "NoSchedule"};
        bool tolerated = std::any_of(pod.tolerations.begin(), pod.tolerations.end(),
                                     [&](const Toleration &t) { return tolerates(t, cordon); });
        if (!tolerated)
            r.failures.push_back({Filter::NodeUnschedulable, kReasonUnschedulable, true});
    }
    if (auto taint = firstUntoleratedTaint(node.taints, pod.tolerations))
        r.failures.push_back(
            {Filter::TaintToleration,
             "node(s) had untolerated taint {" + taint->key + ": " + taint->value + "}", true});
    if (!matchesNodeSelectorAndAffinity(pod, node))
        r.failures.push_back({Filter::NodeAffinity, kReasonNodeAffinity, true});
    checkResources(pod, node, r.failures);

    AntiAffinityDomains local;
    if (!domains) {
        local = antiAffinityDomains(pod, std::vector<NodeState>{node});
        domains = &local;
    }
    auto inDomain = [&](const std::map<std::string, std::set<std::string>> &blocked) {
        for (const auto &[key, values] : blocked)
            if (const std::string *v = lookup(node.labels, key); v && values.count(*v))
                return true;
        return false;
    };
    if (inDomain(domains->incoming))
        r.failures.push_back({Filter::InterPodAffinity, kReasonAntiAffinity, false});
    else if (inDomain(domains->existing))
        r.failures.push_back({Filter::InterPodAffinity, kReasonExistingAntiAffinity, false});
    return r;
}

long long leastAllocatedScore(const PodNeeds &pod, const NodeState &node) {
    long long total = 0;
    for (const char *r : {"cpu", "memory"}) {
        std::int64_t capacity = amountOf(node.allocatable, r);
        std::int64_t requested = amountOf(node.scoreRequested, r) + amountOf(pod.scoreRequests, r);
        if (capacity <= 0 || requested > capacity)
            continue;
        std::int64_t free = capacity - requested;
        // free * 100 overflows only for capacities beyond 92 PB of memory; scale those down.
        total += free <= std::numeric_limits<std::int64_t>::max() / 100 ? free * 100 / capacity
                                                                        : free / (capacity / 100);
    }
    return total / 2;
}

std::string failedSchedulingMessage(const std::vector<FitResult> &perNode) {
    if (perNode.empty())
        return kNoNodesAvailable;
    std::map<std::string, int> filterCounts;
    std::map<std::string, int> preemptionCounts;
    for (const FitResult &r : perNode) {
        for (const auto &reason : r.schedulerReasons())
            ++filterCounts[reason];
        // Every pod has the same priority, so no node ever has a victim to evict; nodes whose
        // failure no eviction could fix are not even tried.
        ++preemptionCounts[r.schedulerUnresolvable() ? kPreemptionNotHelpful : kNoVictims];
    }
    std::string all = std::to_string(perNode.size());
    return "0/" + all + " nodes are available: " + histogram(filterCounts) + ". preemption: 0/" +
           all + " nodes are available: " + histogram(preemptionCounts) + ".";
}

ScheduleDecision scheduleOne(const PodNeeds &pod, const std::vector<NodeState> &nodes) {
    ScheduleDecision decision;
    if (nodes.empty()) {
        decision.message = kNoNodesAvailable;
        return decision;
    }
    AntiAffinityDomains domains = antiAffinityDomains(pod, nodes);
    std::vector<FitResult> failures;
    long long bestScore = -1;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        FitResult r = fit(pod, nodes[i], &domains);
        if (!r.fits()) {
            if (decision.nodeIndex < 0)
                failures.push_back(std::move(r));
            continue;
        }
        long long score = leastAllocatedScore(pod, nodes[i]);
        if (decision.nodeIndex < 0 || score > bestScore ||
            (score == bestScore &&
             nodes[i].name < nodes[static_cast<std::size_t>(decision.nodeIndex)].name)) {
            decision.nodeIndex = static_cast<int>(i);
            bestScore = score;
        }
    }
    if (decision.nodeIndex < 0)
        decision.message = failedSchedulingMessage(failures);
    return decision;
}

PlacementPrediction predictPlacement(std::vector<NodeState> nodes, const PodNeeds &pod, int count) {
    PlacementPrediction p;
    for (int i = 0; i < count; ++i) {
        ScheduleDecision d = scheduleOne(pod, nodes);
        if (!d.scheduled()) {
            // Identical pods meet an unchanged cluster: every later one fails the same way.
            p.pending = count - i;
            p.message = d.message;
            break;
        }
        NodeState &node = nodes[static_cast<std::size_t>(d.nodeIndex)];
        addPod(node, pod);
        ++p.placed[node.name];
    }
    return p;
}

} // namespace kd::semantics
