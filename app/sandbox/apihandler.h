#pragma once
// The API server's request handling, free of any HTTP library: a request in, a response (or a
// watch stream) out. server.cpp adapts it to HTTP.

#include "sandbox/auth.h"
#include "sandbox/json.h"
#include "sandbox/requestinfo.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kd::sandbox {

class Cluster;
class FaultInjector;
class WatchStream;
struct ResourceType;

struct ApiRequest {
    std::string method;
    std::string path;
    std::multimap<std::string, std::string> query;
    std::string body;
    std::string contentType;
    std::string accept;
    std::string userAgent;
    UserInfo user;

    std::string param(const std::string &key) const;
    bool hasParam(const std::string &key) const { return query.count(key) > 0; }
};

struct ApiResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::shared_ptr<WatchStream> watch; // set for watch requests: stream its chunks

    static ApiResponse json(int status, const Json &body);
};

class ApiHandler {
public:
    ApiHandler(Cluster &cluster, FaultInjector &faults, std::string serverAddress);

    // Never throws: every failure becomes a Status answer.
    ApiResponse handle(const ApiRequest &request);

private:
    ApiResponse dispatch(const ApiRequest &request);
    ApiResponse handleResource(const ApiRequest &request, const RequestInfo &info);
    ApiResponse adminFaults(const ApiRequest &request);
    ApiResponse adminClock(const ApiRequest &request);
    ApiResponse accessReview(const ApiRequest &request);

    // handlers_read.cpp
    ApiResponse get(const ApiRequest &request, const RequestInfo &info);
    ApiResponse list(const ApiRequest &request, const RequestInfo &info);
    ApiResponse watch(const ApiRequest &request, const RequestInfo &info);
    // handlers_write.cpp
    ApiResponse create(const ApiRequest &request, const RequestInfo &info);
    ApiResponse update(const ApiRequest &request, const RequestInfo &info);
    ApiResponse patch(const ApiRequest &request, const RequestInfo &info);
    ApiResponse remove(const ApiRequest &request, const RequestInfo &info);
    ApiResponse removeCollection(const ApiRequest &request, const RequestInfo &info);
    ApiResponse scaleGet(const ApiRequest &request, const RequestInfo &info);
    ApiResponse scaleWrite(const ApiRequest &request, const RequestInfo &info);

    // Stores a new version of an object after admission; shared by update, patch and scale.
    ApiResponse commitUpdate(const ApiRequest &request, const RequestInfo &info, Json next,
                             const Json &old, int successCode = 200);
    void deleteObject(const ResourceType &type, const Json &object, const Json &options,
                      bool dryRun);

    Cluster &m_cluster;
    FaultInjector &m_faults;
    std::string m_serverAddress;
};

// Parses a request body: JSON, or YAML when the content type says so.
Json decodeBody(const std::string &body, const std::string &contentType);
// The field manager of a non-apply write: ?fieldManager=, else the user agent's program name.
std::string fieldManagerOf(const ApiRequest &request);
bool isDryRun(const ApiRequest &request);

} // namespace kd::sandbox
