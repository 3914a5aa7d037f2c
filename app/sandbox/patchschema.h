#pragma once
// How Kubernetes merges each list and map, for strategic merge patch (x-kubernetes-patch-strategy /
// patch-merge-key) and for server-side apply (x-kubernetes-list-type / list-map-keys /
// map-type). The sandbox has no OpenAPI schema at hand, so the table decides from the field's
// name, the name of the field that holds it and the object's kind, as the API types declare.

#include "sandbox/json.h"

#include <string>
#include <string_view>
#include <vector>

namespace kd::sandbox {

struct ListStrategy {
    // Strategic merge patch: lists of objects merged by this key; lists of scalars merged as a
    // set when primitiveMerge; otherwise the patch replaces the list.
    std::string mergeKey;
    bool primitiveMerge = false;
    // Server-side apply: a map list (items identified by these keys), a set of scalars, or atomic.
    enum class Apply { Atomic, Map, Set } apply = Apply::Atomic;
    std::vector<std::string> keys;
};

// `parent` is the name of the field whose value contains the list ("" for the object's top level;
// for fields of a list item, the list's name, e.g. "containers"). `original` and `patch` (either
// may be null) let `ports` tell container ports (containerPort) from Service ports (port).
ListStrategy listStrategy(std::string_view kind, std::string_view parent, std::string_view field,
                          const Json *original = nullptr, const Json *patch = nullptr);

// Server-side apply treats these maps as one value (x-kubernetes-map-type: atomic).
bool isAtomicMapForApply(std::string_view kind, std::string_view parent, std::string_view field);
// Strategic merge patch replaces these maps whole (patchStrategy: replace).
bool isReplacedMapForPatch(std::string_view kind, std::string_view parent, std::string_view field);

} // namespace kd::sandbox
