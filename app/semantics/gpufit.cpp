#include "semantics/gpufit.h"

#include <algorithm>
#include <map>

namespace kd::semantics {

namespace {

// Why a node that offers the resource may not take the pod at all, whatever is free on it.
enum class Exclusion { None, Cordoned, Taint, Affinity, AntiAffinity };

struct NodeVerdict {
    Exclusion exclusion = Exclusion::None;
    std::string taint;                  // "key=value:Effect" for Exclusion::Taint
    std::vector<std::string> shortages; // "cpu", "memory", ... other than GPU resources
};

// A node is excluded for the reason that lasts longest: the pod's own placement rules (node
// selector and affinity) before a taint it does not tolerate, before a cordon (which ends with
// the maintenance), before anti-affinity (which ends when the other pod goes).
NodeVerdict verdictOf(const PodNeeds &pod, const NodeState &node, const FitResult &fit) {
    NodeVerdict v;
    auto failed = [&](Filter filter) {
        return std::any_of(fit.failures.begin(), fit.failures.end(),
                           [&](const FitFailure &f) { return f.filter == filter; });
    };
    if (failed(Filter::NodeAffinity)) {
        v.exclusion = Exclusion::Affinity;
    } else if (failed(Filter::TaintToleration)) {
        v.exclusion = Exclusion::Taint;
        if (auto taint = firstUntoleratedTaint(node.taints, pod.tolerations))
            v.taint = taintText(*taint);
    } else if (failed(Filter::NodeUnschedulable)) {
        v.exclusion = Exclusion::Cordoned;
    } else if (failed(Filter::InterPodAffinity)) {
        v.exclusion = Exclusion::AntiAffinity;
    }
    if (v.exclusion != Exclusion::None)
        return v;
    constexpr std::string_view prefix = "Insufficient ";
    for (const FitFailure &f : fit.failures) {
        if (f.filter != Filter::NodeResourcesFit)
            continue;
        if (!f.reason.starts_with(prefix))
            v.shortages.push_back("pod slots");
        else if (std::string resource = f.reason.substr(prefix.size()); !isGpuResource(resource))
            v.shortages.push_back(std::move(resource));
    }
    return v;
}

std::int64_t freeOn(const NodeState &node, const std::string &resource) {
    return std::max<std::int64_t>(0, amountOf(node.allocatable, resource) -
                                         amountOf(node.requested, resource));
}

std::string nodesPhrase(int n, const char *singular, const char *plural) {
    return std::to_string(n) + (n == 1 ? singular : plural);
}

// "(a, b, c)" or "(a, b, c, and 3 more)".
std::string namesInParens(const std::vector<std::string> &names) {
    std::string out = " (";
    constexpr std::size_t kShown = 3;
    for (std::size_t i = 0; i < names.size() && i < kShown; ++i)
        out += (i ? ", " : "") + names[i];
    if (names.size() > kShown)
        out += ", and " + std::to_string(names.size() - kShown) + " more";
    return out + ")";
}

std::string joined(const std::vector<std::string> &parts, const char *separator) {
    std::string out;
    for (const std::string &p : parts)
        out += (out.empty() ? "" : separator) + p;
    return out;
}

// The exclusions among the nodes offering the resource, the lasting ones first.
std::vector<std::string> exclusionTexts(const std::vector<const NodeState *> &offering,
                                        const std::vector<NodeVerdict> &verdicts,
                                        const std::string &resource) {
    std::vector<std::string> cordoned;
    std::map<std::string, std::vector<std::string>> byTaint;
    std::vector<std::string> affinity;
    std::vector<std::string> antiAffinity;
    for (std::size_t i = 0; i < offering.size(); ++i) {
        const std::string &name = offering[i]->name;
        switch (verdicts[i].exclusion) {
        case Exclusion::Cordoned:
            cordoned.push_back(name);
            break;
        case Exclusion::Taint:
            byTaint[verdicts[i].taint].push_back(name);
            break;
        case Exclusion::Affinity:
            affinity.push_back(name);
            break;
        case Exclusion::AntiAffinity:
            antiAffinity.push_back(name);
            break;
        case Exclusion::None:
            break;
        }
    }
    // "3 nodes with nvidia.com/gpu are", "1 node with nvidia.com/gpu does".
    const auto nodes = [&](std::size_t n, const char *singularVerb, const char *pluralVerb) {
        return std::to_string(n) + (n == 1 ? " node" : " nodes") + " with " + resource + " " +
               (n == 1 ? singularVerb : pluralVerb);
    };
    std::vector<std::string> out;
    if (!affinity.empty())
        out.push_back(nodes(affinity.size(), "does", "do") +
                      " not match the pod's node selector or affinity");
    for (const auto &[taint, names] : byTaint)
        out.push_back(nodes(names.size(), "is", "are") + " excluded by the taint " + taint +
                      " that the pod does not tolerate");
    if (!cordoned.empty())
        out.push_back(nodes(cordoned.size(), "is", "are") + " cordoned" + namesInParens(cordoned));
    if (!antiAffinity.empty())
        out.push_back(nodes(antiAffinity.size(), "is", "are") + " ruled out by pod anti-affinity");
    return out;
}

// The MIG profiles (or GPU resources) the cluster does offer, for a pod asking for another.
std::vector<std::string> offeredGpuResources(const std::vector<NodeState> &nodes) {
    std::vector<std::string> out;
    for (const NodeState &n : nodes)
        for (const auto &[name, amount] : n.allocatable)
            if (amount > 0 && isGpuResource(name) &&
                std::find(out.begin(), out.end(), name) == out.end())
                out.push_back(name);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

std::int64_t wholeUnits(std::int64_t milli) {
    return (milli + 999) / 1000;
}

std::vector<GpuNeed> gpuNeeds(const ResourceList &requests) {
    std::vector<GpuNeed> out;
    for (const auto &[name, milli] : requests)
        if (milli > 0 && isGpuResource(name))
            out.push_back({name, wholeUnits(milli)});
    return out;
}

GpuFitExplanation explainGpuFit(const PodNeeds &pod, const std::vector<NodeState> &nodes) {
    GpuFitExplanation e;
    const std::vector<GpuNeed> needs = gpuNeeds(pod.requests);
    if (nodes.empty()) {
        e.text = "no nodes in the cluster";
        return e;
    }
    const AntiAffinityDomains domains = antiAffinityDomains(pod, nodes);
    std::vector<FitResult> fits;
    fits.reserve(nodes.size());
    for (const NodeState &node : nodes)
        fits.push_back(fit(pod, node, &domains));
    // Only a pod that fits somewhere pays for the scheduler's choice among the nodes.
    if (std::any_of(fits.begin(), fits.end(), [](const FitResult &r) { return r.fits(); })) {
        const ScheduleDecision d = scheduleOne(pod, nodes);
        const NodeState &node = nodes[static_cast<std::size_t>(d.nodeIndex)];
        e.fits = true;
        e.fitsOn = node.name;
        e.text = "fits on " + node.name + " now";
        if (!needs.empty())
            e.text += " (" + std::to_string(freeOn(node, needs.front().resource) / 1000) + " " +
                      needs.front().resource + " free there)";
        e.text += "; the scheduler places it on its next attempt";
        return e;
    }

    for (const GpuNeed &need : needs) {
        std::vector<const NodeState *> offering;
        std::vector<NodeVerdict> verdicts;
        for (std::size_t i = 0; i < nodes.size(); ++i)
            if (amountOf(nodes[i].allocatable, need.resource) > 0) {
                offering.push_back(&nodes[i]);
                verdicts.push_back(verdictOf(pod, nodes[i], fits[i]));
            }
        e.need = need;
        e.mostFree = 0;
        e.mostFreeNode.clear();
        e.nodesOffering = static_cast<int>(offering.size());
        if (offering.empty()) {
            e.text = "needs " + std::to_string(need.units) + " " + need.resource +
                     ", which no node offers";
            if (auto offered = offeredGpuResources(nodes); !offered.empty())
                e.text += " (GPU resources offered: " + joined(offered, ", ") + ")";
            return e;
        }
        // The most free on a node the pod may use, and the usable nodes with room that fail on
        // something else (CPU, memory).
        std::vector<std::string> roomButShort;
        std::vector<std::string> usable;
        std::map<std::string, int> shortageCounts;
        for (std::size_t i = 0; i < offering.size(); ++i) {
            if (verdicts[i].exclusion != Exclusion::None)
                continue;
            usable.push_back(offering[i]->name);
            const std::int64_t free = freeOn(*offering[i], need.resource) / 1000;
            if (e.mostFreeNode.empty() || free > e.mostFree ||
                (free == e.mostFree && offering[i]->name < e.mostFreeNode)) {
                e.mostFree = free;
                e.mostFreeNode = offering[i]->name;
            }
            if (free >= need.units && !verdicts[i].shortages.empty()) {
                roomButShort.push_back(offering[i]->name);
                for (const std::string &s : verdicts[i].shortages)
                    ++shortageCounts[s];
            }
        }
        const std::vector<std::string> exclusions =
            exclusionTexts(offering, verdicts, need.resource);
        const bool blocking = e.mostFreeNode.empty() || e.mostFree < need.units;
        if (!blocking && roomButShort.empty())
            continue; // this resource has room; another one must be what blocks the pod
        std::string text = "needs " + std::to_string(need.units) + " " + need.resource;
        if (need.units > 1)
            text += " on one node";
        if (e.mostFreeNode.empty()) {
            text += "; none of the " +
                    nodesPhrase(e.nodesOffering, " node that offers", " nodes that offer") +
                    " it may take the pod";
        } else if (blocking && e.mostFree == 0) {
            text += "; none is free on the " +
                    nodesPhrase(static_cast<int>(usable.size()), " node", " nodes") +
                    " it may use" + namesInParens(usable);
        } else if (blocking) {
            text += "; the most free on any schedulable node is " + std::to_string(e.mostFree) +
                    " (" + e.mostFreeNode + ")";
        } else {
            std::vector<std::string> lacking;
            for (const auto &[resource, n] : shortageCounts)
                lacking.push_back(resource);
            text += "; " +
                    nodesPhrase(static_cast<int>(roomButShort.size()),
                                " node has room for it but not enough ",
                                " nodes have room for it but not enough ") +
                    joined(lacking, " or ") + namesInParens(roomButShort);
        }
        for (const std::string &x : exclusions)
            text += "; " + x;
        e.text = std::move(text);
        return e;
    }
    // No GPU resource blocks it (or it asks for none): say what the scheduler says.
    e.text = "no node can take it: " + failedSchedulingMessage(fits);
    return e;
}

} // namespace kd::semantics
