#include "manifest/rules.h"

#include "manifest/lintstages.h"

#include <algorithm>

namespace kd::manifest {

const std::vector<RuleInfo> &ruleCatalog() {
    static const std::vector<RuleInfo> catalog = [] {
        std::vector<RuleInfo> all = detail::schemaCheckInfos();
        std::vector<RuleInfo> rules = detail::lintRuleInfos();
        all.insert(all.end(), rules.begin(), rules.end());
        std::sort(all.begin(), all.end(),
                  [](const RuleInfo &a, const RuleInfo &b) { return a.id < b.id; });
        return all;
    }();
    return catalog;
}

const RuleInfo *findRule(std::string_view id) {
    const auto &catalog = ruleCatalog();
    const auto it =
        std::lower_bound(catalog.begin(), catalog.end(), id,
                         [](const RuleInfo &r, std::string_view wanted) { return r.id < wanted; });
    return it != catalog.end() && it->id == id ? &*it : nullptr;
}

} // namespace kd::manifest
