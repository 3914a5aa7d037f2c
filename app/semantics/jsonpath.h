#pragma once
// Reading nested fields of Kubernetes objects held as JSON, without inserting anything.

#include <nlohmann/json.hpp>

#include <initializer_list>

namespace kd::semantics {

// obj[a][b]... or a null value when any step is missing or not an object. For any nlohmann JSON
// type (the client caches nlohmann::ordered_json): a reference into `obj`, never into a copy.
template<typename JsonT>
const JsonT &jsonAt(const JsonT &obj, std::initializer_list<const char *> path) {
    static const JsonT null;
    const JsonT *cur = &obj;
    for (const char *key : path) {
        if (!cur->is_object())
            return null;
        auto it = cur->find(key);
        if (it == cur->end())
            return null;
        cur = &*it;
    }
    return *cur;
}

} // namespace kd::semantics
