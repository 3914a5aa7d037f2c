#pragma once
// The checks a kube-apiserver makes when an object is created or updated, on the object as
// JSON, answering with the same field causes (reason, message, field path) a real API server
// puts into a 422 Status. One validator for the sandbox's API server, the editor and
// `kubedeck lint`.
//
// The object is checked as the API server sees it after defaulting: a field the server
// defaults (replicas, strategy, restartPolicy, protocol, ...) may be absent and counts as its
// default. Values of the wrong JSON type get a FieldValueTypeInvalid cause (a real server
// refuses those earlier, with a 400 decode error, for built-in kinds).
//
// Adding checks: each kind has one entry in the table in validation.cpp (name rule, scope,
// create and update checks, each a function in a validation_<area>.cpp file).

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace kd::manifest {

// One entry of Status.details.causes.
struct FieldCause {
    std::string reason;  // see the constants below
    std::string message; // field.Error.ErrorBody(), e.g. `Invalid value: -1: must be ...`
    std::string field; // e.g. `spec.template.spec.containers[0].resources.requests[nvidia.com/gpu]`

    bool operator==(const FieldCause &) const = default;
};

namespace reason {
inline constexpr const char *Invalid = "FieldValueInvalid";
inline constexpr const char *Required = "FieldValueRequired";
inline constexpr const char *NotSupported = "FieldValueNotSupported";
inline constexpr const char *Duplicate = "FieldValueDuplicate";
inline constexpr const char *Forbidden = "FieldValueForbidden";
inline constexpr const char *TooLong = "FieldValueTooLong";
inline constexpr const char *TypeInvalid = "FieldValueTypeInvalid";
inline constexpr const char *NotFound = "FieldValueNotFound";
} // namespace reason

struct ValidationOptions {
    // The API server fills metadata.namespace from the request path before validating, so it
    // is required on namespaced kinds. A file given to `kubedeck lint` usually leaves it to
    // kubectl's context: set this to false there.
    bool requireNamespace = true;
};

// Create: the object as POSTed (after the server generated a name from generateName, if it
// does that first; otherwise generateName alone is checked).
std::vector<FieldCause> validateObject(const nlohmann::json &object,
                                       const ValidationOptions &options = {});

// Update: the new object against the stored one, as rest.BeforeUpdate plus the kind's strategy
// check it (so a metadata cause can appear more than once, as it does upstream; invalidMessage
// prints it once). Runs the create-time spec checks (the name syntax only for ConfigMap and Secret,
// whose upstream update re-checks everything) plus immutability: metadata.name/namespace/uid,
// workload selectors, StatefulSet spec fields, immutable ConfigMaps/Secrets. Like the API server,
// an empty metadata.uid means "unchanged" and a stored creationTimestamp/deletionTimestamp wins
// over the one sent (the caller keeps the stored value), so only setting one where none was stored
// is refused.
std::vector<FieldCause> validateUpdate(const nlohmann::json &object, const nlohmann::json &old,
                                       const ValidationOptions &options = {});

// The Status message upstream's errors.NewInvalid builds:
// `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be ...`, or with
// several distinct causes `... is invalid: [cause1, cause2]`; `... is invalid` with none.
// qualifiedKind is "Kind" for the core group, else "Kind.group".
std::string invalidMessage(const std::string &qualifiedKind, const std::string &name,
                           const std::vector<FieldCause> &causes);

// True when validateObject has kind-specific checks for this apiVersion/kind (other kinds get
// the generic metadata checks only).
bool hasKindChecks(const std::string &apiVersion, const std::string &kind);

} // namespace kd::manifest
