#pragma once
// Internal to kd_manifest: the lookups the cross-object rules make, built once per lint run so
// that each rule costs about one hash lookup per reference instead of a scan over all objects.
// Namespaces are compared as written; an unset namespace is one namespace of its own ("", the
// namespace kubectl will use).

#include "manifest/lintrules_util.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kd::manifest::detail {

struct Workload {
    const LintObject *object = nullptr;
    PodTemplate templ;
    const Json *labels = nullptr; // the pod template's labels; may be null
};

class RuleIndex final {
public:
    explicit RuleIndex(const std::vector<LintObject> &objects);

    const std::vector<Workload> &workloads() const { return m_workloads; }
    const std::vector<const LintObject *> &ofKind(std::string_view kind) const;
    // The first object of this namespace, kind and name, or nullptr.
    const LintObject *find(std::string_view ns, std::string_view kind, std::string_view name) const;
    // Workloads of the namespace whose pod labels satisfy a LabelSelector (nullptr or a
    // non-object selects nothing, an empty one everything).
    std::vector<const Workload *> selectedBy(std::string_view ns, const Json *selector) const;
    // What one pod of the workload asks a node for (podSpecRequests), computed once.
    const semantics::ResourceList &requestsOf(const Workload &workload) const;
    // The workload entry of an object with a pod template, or nullptr.
    const Workload *workloadOf(const LintObject *object) const;
    // The HPAs whose scaleTargetRef names this object.
    const std::vector<const LintObject *> &hpasOf(const LintObject &target) const;
    // The fewest pods the workload runs in steady state: its HPA's minReplicas when one scales
    // it, else spec.replicas (1 when unset) for replicated kinds and Job parallelism; 1 for a Pod;
    // 0 for what a controller in the cluster owns (its owner counts its pods); nullopt when the
    // count depends on the cluster (DaemonSet: one per node) or on the clock (CronJob).
    std::optional<long long> minimumPods(const Workload &workload) const;

private:
    std::optional<long long> countMinimumPods(const Workload &workload) const;
    static std::string key(std::string_view ns, std::string_view a, std::string_view b = {},
                           std::string_view c = {});

    std::vector<Workload> m_workloads;
    std::unordered_map<std::string, std::vector<const LintObject *>> m_byKind;
    std::unordered_map<std::string, const LintObject *> m_byName;
    std::unordered_map<std::string, std::vector<std::size_t>> m_byNamespace; // workload indices
    std::unordered_map<std::string, std::vector<std::size_t>> m_byLabel;     // ns, key, value
    std::unordered_map<std::string, std::vector<const LintObject *>> m_hpas; // by target key
    std::unordered_map<const LintObject *, std::size_t> m_workloadOf;
    // Computed on first use, by workload index.
    mutable std::vector<std::optional<semantics::ResourceList>> m_requests;
    mutable std::vector<std::optional<std::optional<long long>>> m_minimumPods;
};

// ---- the cross-object rule groups (lintrules_cross.cpp, lintrules_capacity.cpp) ----
void checkRolloutCapacity(const RuleIndex &index, const LintOptions &options, FindingSink &sink);

} // namespace kd::manifest::detail
