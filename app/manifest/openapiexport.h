#pragma once
// The OpenAPI v3 documents a kube-apiserver serves under /openapi/v3, made from a SchemaSet: one
// document per group version, and the index that points at them. JsonSchemaImporter reads them
// back into the same shapes.

#include "manifest/schema.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace kd::manifest {

// "api/v1" for the core group, "apis/apps/v1" otherwise: where /openapi/v3 serves the
// document of a group version.
std::string openApiV3Path(std::string_view group, std::string_view version);

struct OpenApiExportOptions {
    // The resource (plural) of a kind, for the documents' paths; when not set or answering "",
    // guessed as apimachinery guesses (Ingress -> ingresses, NetworkPolicy -> networkpolicies).
    std::function<std::string(const GroupVersionKind &)> resourceOf;
    std::string serverVersion = "unversioned"; // info.version
};

// One document per group version of the set's kinds, by openApiV3Path. Each holds, in
// components.schemas, every named type its kinds use (io.k8s.api.apps.v1.Deployment,
// io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, ...; the package of a type is derived from
// the kinds that use it), x-kubernetes-group-version-kind on the kinds' roots, and a `get`
// path per kind, inside {namespace} for namespaced kinds.
std::map<std::string, nlohmann::json> exportOpenApiV3(const SchemaSet &set,
                                                      const OpenApiExportOptions &options = {});

// The /openapi/v3 index: {"paths": {"apis/apps/v1": {"serverRelativeURL":
// "/openapi/v3/apis/apps/v1?hash=<hash>"}, ...}}.
nlohmann::json openApiV3Index(const std::map<std::string, std::string> &hashByPath);

} // namespace kd::manifest
