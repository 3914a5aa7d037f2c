#pragma once
// The three PATCH bodies the API server accepts besides apply: JSON merge patch (RFC 7386), JSON
// patch (RFC 6902, with the leniencies of the evanphx/json-patch v4 library the API server uses)
// and strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch).

#include "sandbox/json.h"

#include <stdexcept>
#include <string>

namespace kd::sandbox {

// A patch that cannot be applied; what() is a readable message in upstream's words where they
// are known. The API server answers these with 422 (JSON patch) or 400/422 (the merge patches).
class PatchError final : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Objects merge key by key, null deletes, anything else (lists included) replaces.
Json applyMergePatch(const Json &target, const Json &patch);
// add, remove, replace, move, copy and test. As upstream, `replace` of a missing object member
// sets it (so `replace /metadata/annotations` works on an object without annotations) and
// `test` of a missing member against null passes.
Json applyJsonPatch(const Json &target, const Json &patch);
// Lists merge by their patch merge key (see patchschema.h), with the directives $patch
// (replace/delete/merge), $setElementOrder/<list>, $retainKeys and $deleteFromPrimitiveList/<list>;
// null deletes a key. The target's `kind` picks the few kind-specific list strategies.
Json applyStrategicMergePatch(const Json &target, const Json &patch);

} // namespace kd::sandbox
