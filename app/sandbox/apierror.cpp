#include "sandbox/apierror.h"

#include "sandbox/resources.h"

namespace kd::sandbox {

ApiError::ApiError(int code, std::string reason, const std::string &message, Json details)
    : std::runtime_error(message)
    , m_code(code)
    , m_reason(std::move(reason))
    , m_details(std::move(details)) {}

Json ApiError::toStatus() const {
    Json status{{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", Json::object()},
                {"status", "Failure"}, {"message", what()},  {"reason", m_reason},
                {"code", m_code}};
    Json details = m_details;
    if (retryAfterSeconds > 0)
        details["retryAfterSeconds"] = retryAfterSeconds;
    if (!details.empty())
        status["details"] = details;
    if (m_reason.empty())
        status.erase("reason");
    return status;
}

namespace {
Json detailsFor(const ResourceType &type, const std::string &name) {
    Json d{{"name", name}, {"kind", type.resource}};
    if (!type.group.empty())
        d["group"] = type.group;
    return d;
}
} // namespace

ApiError ApiError::notFound(const ResourceType &type, const std::string &name) {
    return ApiError(404, "NotFound", type.qualifiedResource() + " \"" + name + "\" not found",
                    detailsFor(type, name));
}

ApiError ApiError::alreadyExists(const ResourceType &type, const std::string &name) {
    return ApiError(409, "AlreadyExists",
                    type.qualifiedResource() + " \"" + name + "\" already exists",
                    detailsFor(type, name));
}

ApiError ApiError::conflict(const ResourceType &type, const std::string &name) {
    return ApiError(409, "Conflict",
                    "Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" + name +
                        "\": the object has been modified; please apply your changes to the latest "
                        "version and try again",
                    detailsFor(type, name));
}

ApiError ApiError::invalid(const ResourceType &type, const std::string &name,
                           const std::vector<StatusCause> &causes) {
    std::string message = type.qualifiedKind() + " \"" + name + "\" is invalid: ";
    Json jc = Json::array();
    std::string joined;
    for (std::size_t i = 0; i < causes.size(); ++i) {
        const auto &c = causes[i];
        std::string one = c.field.empty() ? c.message : c.field + ": " + c.message;
        joined += (i ? ", " : "") + one;
        jc.push_back({{"reason", c.reason}, {"message", c.message}, {"field", c.field}});
    }
    message += causes.size() > 1 ? "[" + joined + "]" : joined;
    Json d{{"name", name}, {"kind", type.kind}, {"causes", jc}};
    if (!type.group.empty())
        d["group"] = type.group;
    return ApiError(422, "Invalid", message, d);
}

ApiError ApiError::badRequest(const std::string &message) {
    return ApiError(400, "BadRequest", message);
}

ApiError ApiError::forbidden(const std::string &user, const std::string &verb,
                             const ResourceType &type, const std::string &subresource,
                             const std::string &name, const std::string &ns) {
    std::string resource = subresource.empty() ? type.resource : type.resource + "/" + subresource;
    std::string subject =
        name.empty() ? type.qualifiedResource() : type.qualifiedResource() + " \"" + name + "\"";
    std::string message = subject + " is forbidden: User \"" + user + "\" cannot " + verb +
                          " resource \"" + resource + "\" in API group \"" + type.group + "\"";
    message += ns.empty() ? " at the cluster scope" : " in the namespace \"" + ns + "\"";
    return ApiError(403, "Forbidden", message, detailsFor(type, name));
}

ApiError ApiError::unauthorized() {
    return ApiError(401, "Unauthorized", "Unauthorized");
}

ApiError ApiError::expired(const std::string &message) {
    return ApiError(410, "Expired", message);
}

ApiError ApiError::methodNotAllowed() {
    return ApiError(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource");
}

ApiError ApiError::unsupportedMediaType(const std::string &contentType) {
    return ApiError(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types "
                    "include: application/json-patch+json, application/merge-patch+json, "
                    "application/apply-patch+yaml, application/strategic-merge-patch+json (got " +
                        contentType + ")");
}

ApiError ApiError::tooManyRequests(int retryAfter) {
    ApiError e(429, "TooManyRequests",
               "the server has received too many requests and has asked us to try again later");
    e.retryAfterSeconds = retryAfter;
    return e;
}

ApiError ApiError::internal(const std::string &message) {
    return ApiError(500, "InternalError", "Internal error occurred: " + message);
}

} // namespace kd::sandbox
