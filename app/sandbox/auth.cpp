#include "sandbox/auth.h"

#include <openssl/rand.h>

#include <algorithm>

namespace kd::sandbox {

namespace {
std::string randomToken() {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char bytes[32];
    RAND_bytes(bytes, sizeof bytes);
    std::string t;
    for (unsigned char b : bytes)
        t += alphabet[b % 36];
    return t;
}

// Constant-time comparison: tokens are secrets.
bool sameSecret(const std::string &a, const std::string &b) {
    if (a.size() != b.size() || a.empty())
        return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}
} // namespace

Credentials generateCredentials() {
    return {"admin-" + randomToken(), "viewer-" + randomToken()};
}

UserInfo Authorizer::authenticate(const std::string &authorizationHeader,
                                  const std::string &certCommonName,
                                  const std::vector<std::string> &certOrganizations) const {
    UserInfo user;
    const std::string bearer = "Bearer ";
    if (authorizationHeader.size() > bearer.size() &&
        std::equal(bearer.begin(), bearer.end(), authorizationHeader.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        std::string token = authorizationHeader.substr(bearer.size());
        if (sameSecret(token, m_credentials.adminToken)) {
            user = {"kubedeck-admin", {"system:masters", "system:authenticated"}, true, true};
        } else if (sameSecret(token, m_credentials.viewerToken)) {
            user = {"viewer", {"system:authenticated"}, true, false};
        }
        return user; // a wrong token is not anonymous, it is unauthorised
    }
    if (!certCommonName.empty()) {
        user.name = certCommonName;
        user.groups = certOrganizations;
        user.groups.push_back("system:authenticated");
        user.authenticated = true;
        user.admin = std::find(certOrganizations.begin(), certOrganizations.end(),
                               "system:masters") != certOrganizations.end();
    }
    return user;
}

bool Authorizer::allowed(const UserInfo &user, const std::string &verb, const std::string &group,
                         const std::string &resource, const std::string &subresource) {
    if (!user.authenticated)
        return false;
    if (user.admin)
        return true;
    if (group == "authorization.k8s.io" &&
        (resource == "selfsubjectaccessreviews" || resource == "selfsubjectrulesreviews"))
        return verb == "create";
    if (resource == "secrets")
        return false; // the viewer role, like upstream's `view`, cannot read secrets
    (void)subresource;
    return verb == "get" || verb == "list" || verb == "watch";
}

} // namespace kd::sandbox
