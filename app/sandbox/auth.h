#pragma once
// Who is calling, and what they may do: an admin (client certificate in group system:masters,
// or the admin token) may do everything; the `viewer` token may only read; nobody else gets in.

#include <string>
#include <vector>

namespace kd::sandbox {

struct ResourceType;

struct UserInfo {
    std::string name;
    std::vector<std::string> groups;
    bool authenticated = false;
    bool admin = false;
};

struct Credentials {
    std::string adminToken;
    std::string viewerToken;
};

Credentials generateCredentials();

class Authorizer {
public:
    explicit Authorizer(Credentials credentials)
        : m_credentials(std::move(credentials)) {}

    const Credentials &credentials() const { return m_credentials; }
    // From an `Authorization: Bearer ...` header value and the verified client certificate's
    // subject (CN and O values), either possibly empty.
    UserInfo authenticate(const std::string &authorizationHeader, const std::string &certCommonName,
                          const std::vector<std::string> &certOrganizations) const;
    // RBAC as the two built-in roles grant it.
    static bool allowed(const UserInfo &user, const std::string &verb, const std::string &group,
                        const std::string &resource, const std::string &subresource);

private:
    Credentials m_credentials;
};

} // namespace kd::sandbox
