#include "sandbox/requestinfo.h"

#include "sandbox/resources.h"

#include <sstream>
#include <vector>

namespace kd::sandbox {

namespace {
std::vector<std::string> splitPath(const std::string &path) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(path);
    while (std::getline(in, part, '/'))
        if (!part.empty())
            parts.push_back(part);
    return parts;
}

bool queryIsTrue(const std::multimap<std::string, std::string> &query, const char *key) {
    auto it = query.find(key);
    return it != query.end() && (it->second == "true" || it->second == "1" || it->second.empty());
}
} // namespace

RequestInfo parseRequestPath(const std::string &path, const std::string &method,
                             const std::multimap<std::string, std::string> &query) {
    RequestInfo info;
    std::vector<std::string> p = splitPath(path);
    std::size_t i = 0;
    if (p.size() >= 2 && p[0] == "api") {
        info.version = p[1];
        i = 2;
    } else if (p.size() >= 3 && p[0] == "apis") {
        info.group = p[1];
        info.version = p[2];
        i = 3;
    } else {
        return info;
    }
    bool watchPath = false;
    if (i < p.size() && p[i] == "watch") {
        watchPath = true;
        ++i;
    }
    bool namespaceSubresource = p.size() - i == 3 && p[i] == "namespaces" &&
                                (p[i + 2] == "status" || p[i + 2] == "finalize");
    if (!namespaceSubresource && i + 2 < p.size() && p[i] == "namespaces") {
        info.namespaceName = p[i + 1];
        i += 2;
    }
    if (i >= p.size())
        return info; // group-version discovery document
    info.isResourceRequest = true;
    info.resource = p[i++];
    if (i < p.size())
        info.name = p[i++];
    if (i < p.size())
        info.subresource = p[i++];
    if (i < p.size())
        info.isResourceRequest = false; // too deep: not a resource path we serve
    info.type = findResource(info.group, info.version, info.resource);
    bool collection = info.name.empty();
    if (method == "GET" || method == "HEAD") {
        if (watchPath || queryIsTrue(query, "watch"))
            info.verb = "watch";
        else
            info.verb = collection ? "list" : "get";
    } else if (method == "POST") {
        info.verb = "create";
    } else if (method == "PUT") {
        info.verb = "update";
    } else if (method == "PATCH") {
        info.verb = "patch";
    } else if (method == "DELETE") {
        info.verb = collection ? "deletecollection" : "delete";
    }
    return info;
}

} // namespace kd::sandbox
