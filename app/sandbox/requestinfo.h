#pragma once
// What a request path names, as the API server's RequestInfoFactory reads it.

#include <map>
#include <string>

namespace kd::sandbox {

struct ResourceType;

struct RequestInfo {
    bool isResourceRequest = false;
    std::string group, version, namespaceName, resource, name, subresource;
    const ResourceType *type = nullptr; // null when the resource is unknown
    std::string verb; // get, list, watch, create, update, patch, delete, deletecollection
};

// Parses /api/v1/..., /apis/GROUP/VERSION/... with optional
// namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]]. Sets verb from the HTTP method and the query
// (watch=true / ?watch / /watch/ paths).
RequestInfo parseRequestPath(const std::string &path, const std::string &method,
                             const std::multimap<std::string, std::string> &query);

} // namespace kd::sandbox
