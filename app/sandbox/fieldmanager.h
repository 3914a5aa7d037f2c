#pragma once
// Server-side apply and field ownership (k8s.io/apiserver fieldmanager on sigs.k8s.io/
// structured-merge-diff): who owns which field, kept in metadata.managedFields as FieldsV1 sets
// (`{"f:spec":{"f:replicas":{}}}`, `k:{"name":"c"}` for items of keyed lists, `v:"x"` for set
// items, atomic lists and maps as leaves, "." for list items that are members themselves).
// status, apiVersion, kind and the server-owned metadata (name, namespace, uid,
// resourceVersion, generation, creationTimestamp, managedFields) belong to nobody.

#include "sandbox/apierror.h"
#include "sandbox/json.h"

#include <string>
#include <vector>

namespace kd::sandbox {

struct ApplyConflict {
    std::string manager;
    std::string apiVersion;
    std::string field; // ".spec.replicas", `.spec.template.spec.containers[name="c"].image`
    std::string operation = "Update"; // of the owning entry: "Apply" owners print without "using"
    std::string subresource;
};

struct ApplyOutcome {
    Json object; // with metadata.managedFields; unspecified when there are conflicts
    std::vector<ApplyConflict> conflicts;
};

// live == nullptr creates from `applied`. Otherwise merges `applied` onto `live` (applied values
// win, keyed lists merge by key), drops fields this manager applied before and applies no longer
// unless another manager owns them too, and reports conflicts: fields in `applied` that another
// manager owns whose live value the apply would change. `force` takes those fields over instead.
// An object without managedFields first gets a "before-first-apply" Update entry owning all of
// its fields, as upstream. metadata.managedFields inside `applied` is ignored.
ApplyOutcome serverSideApply(const Json *live, const Json &applied, const std::string &manager,
                             bool force, const std::string &apiVersion, const std::string &now);

// After a non-apply write (create/update/patch) by `manager`: fields whose values changed (all
// fields, on create) become owned by `manager` with operation Update and leave every other
// manager's set; removed fields leave every set. Managed fields the client sent with newObject
// win over oldObject's (a single empty entry resets them), as upstream.
void recordUpdate(Json &newObject, const Json *oldObject, const std::string &manager,
                  const std::string &apiVersion, const std::string &now);

// `Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas`, or for N:
// `Apply failed with 2 conflicts: conflicts with "m" using apps/v1:\n- .spec.a\n- .spec.b`.
std::string conflictMessage(const std::vector<ApplyConflict> &conflicts);
// The 409's details.causes: reason FieldManagerConflict, message `conflict with "kubectl" using
// apps/v1`, field ".spec.replicas".
std::vector<StatusCause> conflictCauses(const std::vector<ApplyConflict> &conflicts);

} // namespace kd::sandbox
