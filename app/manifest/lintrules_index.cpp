// The lookups behind the cross-object rules.

#include "manifest/lintrules_index.h"

#include <algorithm>

namespace kd::manifest::detail {

namespace {

const std::vector<const LintObject *> kNoObjects;

} // namespace

std::string RuleIndex::key(std::string_view ns, std::string_view a, std::string_view b,
                           std::string_view c) {
    // Unit separators cannot occur in names, labels or kinds.
    std::string k;
    k.reserve(ns.size() + a.size() + b.size() + c.size() + 3);
    k.append(ns).append(1, '\x1f').append(a).append(1, '\x1f').append(b).append(1, '\x1f').append(
        c);
    return k;
}

RuleIndex::RuleIndex(const std::vector<LintObject> &objects) {
    m_workloads.reserve(objects.size());
    m_byName.reserve(objects.size());
    for (const LintObject &object : objects) {
        if (object.value == nullptr || !object.value->is_object())
            continue;
        m_byKind[object.kind].push_back(&object);
        m_byName.emplace(key(object.nameSpace, object.kind, object.name), &object);
        if (object.kind == "HorizontalPodAutoscaler") {
            const Json *ref = at(object.value, {"spec", "scaleTargetRef"});
            const std::string *kind = asStr(at(ref, {"kind"}));
            const std::string *name = asStr(at(ref, {"name"}));
            if (kind && name)
                m_hpas[key(object.nameSpace, *kind, *name)].push_back(&object);
        }
        auto templ = podTemplate(object);
        if (!templ)
            continue;
        const std::size_t index = m_workloads.size();
        const Json *labels = templateLabels(*templ);
        m_workloads.push_back({&object, std::move(*templ), labels});
        m_workloadOf.emplace(&object, index);
        m_byNamespace[object.nameSpace].push_back(index);
        if (labels == nullptr)
            continue;
        for (const auto &[k, v] : labels->items()) {
            if (v.is_string())
                m_byLabel[key(object.nameSpace, k, v.get_ref<const std::string &>())].push_back(
                    index);
        }
    }
}

const std::vector<const LintObject *> &RuleIndex::ofKind(std::string_view kind) const {
    const auto it = m_byKind.find(std::string(kind));
    return it == m_byKind.end() ? kNoObjects : it->second;
}

const LintObject *RuleIndex::find(std::string_view ns, std::string_view kind,
                                  std::string_view name) const {
    const auto it = m_byName.find(key(ns, kind, name));
    return it == m_byName.end() ? nullptr : it->second;
}

std::vector<const Workload *> RuleIndex::selectedBy(std::string_view ns,
                                                    const Json *selector) const {
    std::vector<const Workload *> out;
    if (selector == nullptr || !selector->is_object())
        return out;
    static const std::vector<std::size_t> none;
    auto list = [this](const std::string &k) -> const std::vector<std::size_t> & {
        const auto it = m_byLabel.find(k);
        return it == m_byLabel.end() ? none : it->second;
    };
    // Candidates: the shortest list of one matchLabels entry, else the union of an `In`
    // expression's values, else the whole namespace; every candidate is then matched in full.
    const std::vector<std::size_t> *candidates = nullptr;
    std::vector<std::size_t> unionOfIn;
    if (const Json *matchLabels = at(selector, {"matchLabels"});
        matchLabels && matchLabels->is_object()) {
        for (const auto &[k, v] : matchLabels->items()) {
            if (!v.is_string())
                return out; // such a selector is invalid; the API check says so
            const auto &l = list(key(ns, k, v.get_ref<const std::string &>()));
            if (candidates == nullptr || l.size() < candidates->size())
                candidates = &l;
        }
    }
    if (candidates == nullptr) {
        const Json *expressions = at(selector, {"matchExpressions"});
        for (std::size_t i = 0; expressions && expressions->is_array() && i < expressions->size();
             ++i) {
            const Json &e = (*expressions)[i];
            const std::string *k = asStr(at(&e, {"key"}));
            const std::string *op = asStr(at(&e, {"operator"}));
            const Json *values = at(&e, {"values"});
            if (!k || !op || *op != "In" || !values || !values->is_array())
                continue;
            for (const Json &v : *values) {
                if (const std::string *value = asStr(&v)) {
                    const auto &l = list(key(ns, *k, *value));
                    unionOfIn.insert(unionOfIn.end(), l.begin(), l.end());
                }
            }
            std::sort(unionOfIn.begin(), unionOfIn.end());
            unionOfIn.erase(std::unique(unionOfIn.begin(), unionOfIn.end()), unionOfIn.end());
            candidates = &unionOfIn;
            break;
        }
    }
    if (candidates == nullptr) {
        const auto it = m_byNamespace.find(std::string(ns));
        candidates = it == m_byNamespace.end() ? &none : &it->second;
    }
    for (std::size_t index : *candidates) {
        const Workload &w = m_workloads[index];
        if (selectorMatches(selector, w.labels))
            out.push_back(&w);
    }
    return out;
}

const std::vector<const LintObject *> &RuleIndex::hpasOf(const LintObject &target) const {
    const auto it = m_hpas.find(key(target.nameSpace, target.kind, target.name));
    return it == m_hpas.end() ? kNoObjects : it->second;
}

const semantics::ResourceList &RuleIndex::requestsOf(const Workload &workload) const {
    const auto i = static_cast<std::size_t>(&workload - m_workloads.data());
    if (m_requests.size() < m_workloads.size())
        m_requests.resize(m_workloads.size());
    if (!m_requests[i])
        m_requests[i] = semantics::podSpecRequests(*workload.templ.spec);
    return *m_requests[i];
}

const Workload *RuleIndex::workloadOf(const LintObject *object) const {
    const auto it = m_workloadOf.find(object);
    return it == m_workloadOf.end() ? nullptr : &m_workloads[it->second];
}

std::optional<long long> RuleIndex::minimumPods(const Workload &workload) const {
    const auto i = static_cast<std::size_t>(&workload - m_workloads.data());
    if (m_minimumPods.size() < m_workloads.size())
        m_minimumPods.resize(m_workloads.size());
    if (!m_minimumPods[i])
        m_minimumPods[i] = countMinimumPods(workload);
    return *m_minimumPods[i];
}

std::optional<long long> RuleIndex::countMinimumPods(const Workload &workload) const {
    const LintObject &object = *workload.object;
    const std::string &kind = object.kind;
    if (isOwned(*object.value))
        return 0;
    if (kind == "Pod")
        return 1;
    if (kind == "Job")
        return std::max(0LL, asInt(at(object.value, {"spec", "parallelism"})).value_or(1));
    if (!isReplicated(kind))
        return std::nullopt;
    const auto &hpas = hpasOf(object);
    if (!hpas.empty()) {
        const Json *minJson = at(hpas.front()->value, {"spec", "minReplicas"});
        return std::max(0LL, minJson ? asInt(minJson).value_or(1) : 1LL);
    }
    return std::max(0LL, specReplicas(*object.value).value_or(1));
}

} // namespace kd::manifest::detail
