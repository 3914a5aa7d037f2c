#pragma once
// GET /openapi/v3 and /openapi/v3/<api/v1 | apis/GROUP/VERSION>: the built-in schema catalogue as
// the OpenAPI v3 documents a kube-apiserver serves, computed once. Like the real server, the
// index names each document by a hash of its content; a request that carries the current hash
// may be cached for good, one with an old hash is still answered, without that promise.

#include "sandbox/apihandler.h"

#include <string>

namespace kd::sandbox {

bool isOpenApiV3Path(const std::string &path);

// Answers a request for a path under /openapi/v3 (see isOpenApiV3Path).
ApiResponse serveOpenApiV3(const ApiRequest &request);

} // namespace kd::sandbox
