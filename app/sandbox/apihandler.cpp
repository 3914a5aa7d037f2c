#include "sandbox/apihandler.h"

#include "manifest/yamljson.h"
#include "sandbox/apierror.h"
#include "sandbox/cluster.h"
#include "sandbox/discovery.h"
#include "sandbox/faults.h"
#include "sandbox/openapi.h"
#include "sandbox/resources.h"

namespace kd::sandbox {

std::string ApiRequest::param(const std::string &key) const {
    auto it = query.find(key);
    return it == query.end() ? std::string() : it->second;
}

ApiResponse ApiResponse::json(int status, const Json &body) {
    ApiResponse r;
    r.status = status;
    r.body = body.dump();
    return r;
}

Json decodeBody(const std::string &body, const std::string &contentType) {
    if (body.empty())
        throw ApiError::badRequest("the request body is empty");
    if (contentType.find("yaml") != std::string::npos) {
        try {
            return manifest::parseSingleYamlDocument(body);
        } catch (const std::exception &e) {
            throw ApiError::badRequest(std::string("error decoding YAML: ") + e.what());
        }
    }
    try {
        return Json::parse(body);
    } catch (const Json::parse_error &e) {
        throw ApiError::badRequest(
            std::string("the body of the request could not be decoded as JSON: ") + e.what());
    }
}

std::string fieldManagerOf(const ApiRequest &request) {
    std::string m = request.param("fieldManager");
    if (!m.empty())
        return m;
    std::string ua = request.userAgent;
    auto slash = ua.find('/');
    m = slash == std::string::npos ? ua : ua.substr(0, slash);
    return m.empty() ? "unknown" : m;
}

bool isDryRun(const ApiRequest &request) {
    auto range = request.query.equal_range("dryRun");
    for (auto it = range.first; it != range.second; ++it) {
        if (it->second == "All")
            return true;
        throw ApiError::badRequest("Invalid dry run value: " + it->second + " (supported: All)");
    }
    return false;
}

ApiHandler::ApiHandler(Cluster &cluster, FaultInjector &faults, std::string serverAddress)
    : m_cluster(cluster)
    , m_faults(faults)
    , m_serverAddress(std::move(serverAddress)) {}

ApiResponse ApiHandler::handle(const ApiRequest &request) {
    try {
        return dispatch(request);
    } catch (const ApiError &e) {
        ApiResponse r = ApiResponse::json(e.code(), e.toStatus());
        if (e.retryAfterSeconds > 0)
            r.headers.emplace_back("Retry-After", std::to_string(e.retryAfterSeconds));
        return r;
    } catch (const std::exception &e) {
        ApiError err = ApiError::internal(e.what());
        return ApiResponse::json(err.code(), err.toStatus());
    }
}

ApiResponse ApiHandler::dispatch(const ApiRequest &request) {
    const std::string &path = request.path;
    if (path == "/healthz" || path == "/readyz" || path == "/livez") {
        ApiResponse r;
        r.contentType = "text/plain; charset=utf-8";
        r.body = "ok";
        return r;
    }
    if (path == "/version")
        return ApiResponse::json(200, versionInfo());
    if (!request.user.authenticated)
        throw ApiError::unauthorized();
    if (path == "/sandbox/v1/faults")
        return adminFaults(request);
    if (path == "/sandbox/v1/clock")
        return adminClock(request);
    if (path == "/openapi/v2") {
        // kubectl validates against this document; an empty one means "no schema, no
        // client-side validation", and the server's own validation still answers 422.
        ApiResponse r;
        if (request.accept.find("protobuf") != std::string::npos) {
            r.contentType = "application/octet-stream";
            r.body.clear(); // the protobuf encoding of an empty openapi_v2.Document
        } else {
            r.body = Json{{"swagger", "2.0"},
                          {"info", {{"title", "Kubedeck sandbox"}, {"version", kServerGitVersion}}},
                          {"paths", Json::object()},
                          {"definitions", Json::object()}}
                         .dump();
        }
        return r;
    }
    if (isOpenApiV3Path(path))
        return serveOpenApiV3(request);
    if (path == "/api" || path == "/api/")
        return ApiResponse::json(200, coreApiVersions(m_serverAddress));
    if (path == "/apis" || path == "/apis/")
        return ApiResponse::json(200, apiGroupList());

    RequestInfo info = parseRequestPath(path, request.method, request.query);
    if (!info.isResourceRequest) {
        if (!info.version.empty() && request.method == "GET")
            if (auto list = apiResourceList(info.group, info.version))
                return ApiResponse::json(200, *list);
        throw ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    if (!info.type)
        throw ApiError(404, "NotFound", "the server could not find the requested resource");
    if (m_faults.shouldFail()) {
        FaultConfig f = m_faults.config();
        ApiResponse r;
        r.status = f.errorCode;
        r.headers.emplace_back("Retry-After", f.retryAfter);
        if (f.errorCode == 429 || f.errorBody == "text") {
            r.contentType = "text/plain; charset=utf-8";
            r.body = "Too many requests, please try again later.\n";
        } else if (f.errorBody == "html") {
            r.contentType = "text/html";
            r.body = "<html><head><title>" + std::to_string(f.errorCode) +
                     " Bad Gateway</title></head><body><center><h1>Gateway "
                     "error</h1></center></body></html>\n";
        } else {
            ApiError e(f.errorCode,
                       f.errorCode == 504   ? "Timeout"
                       : f.errorCode == 500 ? "InternalError"
                                            : "ServiceUnavailable",
                       "the sandbox injected this error (fault injection)");
            r.body = e.toStatus().dump();
        }
        return r;
    }
    if (info.type->resource == "selfsubjectaccessreviews")
        return accessReview(request);
    return handleResource(request, info);
}

ApiResponse ApiHandler::handleResource(const ApiRequest &request, const RequestInfo &info) {
    const ResourceType &type = *info.type;
    if (!Authorizer::allowed(request.user, info.verb, type.group, type.resource, info.subresource))
        throw ApiError::forbidden(request.user.name, info.verb, type, info.subresource, info.name,
                                  info.namespaceName);
    if (!type.namespaced && !info.namespaceName.empty())
        throw ApiError(404, "NotFound", "the server could not find the requested resource");
    if (!info.subresource.empty()) {
        bool ok = (info.subresource == "status" && type.hasStatus) ||
                  (info.subresource == "scale" && type.hasScale);
        if (!ok)
            throw ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    if (info.subresource == "scale") {
        if (info.verb == "get")
            return scaleGet(request, info);
        if (info.verb == "update" || info.verb == "patch")
            return scaleWrite(request, info);
        throw ApiError::methodNotAllowed();
    }
    if (info.verb == "get")
        return get(request, info);
    if (info.verb == "list")
        return list(request, info);
    if (info.verb == "watch")
        return watch(request, info);
    if (info.verb == "create") {
        if (!info.name.empty() || !info.subresource.empty())
            throw ApiError::methodNotAllowed();
        return create(request, info);
    }
    if (info.verb == "update")
        return update(request, info);
    if (info.verb == "patch")
        return patch(request, info);
    if (info.verb == "delete")
        return remove(request, info);
    if (info.verb == "deletecollection")
        return removeCollection(request, info);
    throw ApiError::methodNotAllowed();
}

ApiResponse ApiHandler::accessReview(const ApiRequest &request) {
    if (request.method != "POST")
        throw ApiError::methodNotAllowed();
    Json review = decodeBody(request.body, request.contentType);
    const Json &attrs = at(review, {"spec", "resourceAttributes"});
    bool allowed = false;
    std::string reason;
    if (attrs.is_object()) {
        allowed =
            Authorizer::allowed(request.user, attrs.value("verb", ""), attrs.value("group", ""),
                                attrs.value("resource", ""), attrs.value("subresource", ""));
        if (allowed)
            reason = request.user.admin ? "the admin user may do everything"
                                        : "the viewer role allows reading";
    } else if (at(review, {"spec", "nonResourceAttributes"}).is_object()) {
        allowed =
            request.user.authenticated &&
            (request.user.admin || at(review, {"spec", "nonResourceAttributes", "verb"}) == "get");
    }
    review["apiVersion"] = "authorization.k8s.io/v1";
    review["kind"] = "SelfSubjectAccessReview";
    review["metadata"] = {{"creationTimestamp", nullptr}};
    review["status"] = {{"allowed", allowed}};
    if (!reason.empty())
        review["status"]["reason"] = reason;
    return ApiResponse::json(201, review);
}

ApiResponse ApiHandler::adminFaults(const ApiRequest &request) {
    if (!request.user.admin)
        throw ApiError(403, "Forbidden", "only the sandbox admin may change fault injection");
    if (request.method == "PUT" || request.method == "POST" || request.method == "PATCH") {
        try {
            if (request.method == "PUT")
                m_faults.set(FaultConfig{});
            m_faults.merge(decodeBody(request.body, request.contentType));
        } catch (const std::invalid_argument &e) {
            throw ApiError::badRequest(e.what());
        }
    } else if (request.method != "GET") {
        throw ApiError::methodNotAllowed();
    }
    return ApiResponse::json(200, m_faults.config().toJson());
}

ApiResponse ApiHandler::adminClock(const ApiRequest &request) {
    if (!request.user.admin)
        throw ApiError(403, "Forbidden", "only the sandbox admin may change the clock");
    Clock &clock = m_cluster.clock();
    if (request.method == "POST" || request.method == "PATCH") {
        Json body = decodeBody(request.body, request.contentType);
        if (body.contains("speed")) {
            if (!body["speed"].is_number() || body["speed"].get<double>() <= 0)
                throw ApiError::badRequest("speed must be a positive number");
            clock.setSpeed(body["speed"].get<double>());
        }
        if (body.contains("advanceSeconds")) {
            if (!body["advanceSeconds"].is_number() || body["advanceSeconds"].get<double>() < 0)
                throw ApiError::badRequest("advanceSeconds must be a non-negative number");
            m_cluster.step(body["advanceSeconds"].get<double>(), 1.0);
        }
    } else if (request.method != "GET") {
        throw ApiError::methodNotAllowed();
    }
    return ApiResponse::json(200, {{"now", Clock::rfc3339(clock.now())}, {"speed", clock.speed()}});
}

} // namespace kd::sandbox
