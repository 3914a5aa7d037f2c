#pragma once
// A failed API call, carried as the Status object a real API server would answer with.

#include "sandbox/json.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace kd::sandbox {

struct ResourceType;

struct StatusCause {
    std::string reason; // e.g. FieldValueInvalid, FieldManagerConflict
    std::string message;
    std::string field;
};

class ApiError : public std::runtime_error {
public:
    ApiError(int code, std::string reason, const std::string &message,
             Json details = Json::object());

    int code() const { return m_code; }
    const std::string &reason() const { return m_reason; }
    const Json &details() const { return m_details; }
    int retryAfterSeconds = 0; // > 0 adds a Retry-After header and details.retryAfterSeconds
    Json toStatus() const;

    static ApiError notFound(const ResourceType &type, const std::string &name);
    static ApiError alreadyExists(const ResourceType &type, const std::string &name);
    static ApiError conflict(const ResourceType &type, const std::string &name);
    static ApiError invalid(const ResourceType &type, const std::string &name,
                            const std::vector<StatusCause> &causes);
    static ApiError badRequest(const std::string &message);
    static ApiError forbidden(const std::string &user, const std::string &verb,
                              const ResourceType &type, const std::string &subresource,
                              const std::string &name, const std::string &ns);
    static ApiError unauthorized();
    static ApiError expired(const std::string &message);
    static ApiError methodNotAllowed();
    static ApiError unsupportedMediaType(const std::string &contentType);
    static ApiError tooManyRequests(int retryAfter);
    static ApiError internal(const std::string &message);

private:
    int m_code;
    std::string m_reason;
    Json m_details;
};

} // namespace kd::sandbox
