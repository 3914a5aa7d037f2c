#include "sandbox/discovery.h"

#include "sandbox/resources.h"

#include <algorithm>
#include <map>
#include <vector>

namespace kd::sandbox {

Json versionInfo() {
    return {{"major", "1"},
            {"minor", "28"},
            {"gitVersion", kServerGitVersion},
            {"gitCommit", "kubedeck-sandbox"},
            {"gitTreeState", "clean"},
            {"buildDate", "2026-11-24T00:00:00Z"},
            {"goVersion", "go1.20"},
            {"compiler", "gc"},
            {"platform", "linux/amd64"}};
}

Json coreApiVersions(const std::string &serverAddress) {
    return {{"kind", "APIVersions"},
            {"versions", {"v1"}},
            {"serverAddressByClientCIDRs",
             {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", serverAddress}}}}};
}

Json apiGroupList() {
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> versions;
    for (const auto &t : allResourceTypes()) {
        if (t.group.empty())
            continue;
        if (!versions.count(t.group))
            order.push_back(t.group);
        auto &v = versions[t.group];
        if (std::find(v.begin(), v.end(), t.version) == v.end())
            v.push_back(t.version);
    }
    Json groups = Json::array();
    for (const auto &g : order) {
        Json vs = Json::array();
        for (const auto &v : versions[g])
            vs.push_back({{"groupVersion", g + "/" + v}, {"version", v}});
        groups.push_back({{"name", g}, {"versions", vs}, {"preferredVersion", vs[0]}});
    }
    return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

std::optional<Json> apiResourceList(const std::string &group, const std::string &version) {
    Json resources = Json::array();
    for (const auto &t : allResourceTypes()) {
        if (t.group != group || t.version != version)
            continue;
        Json r{{"name", t.resource},
               {"singularName", t.singular},
               {"namespaced", t.namespaced},
               {"kind", t.kind},
               {"verbs", t.verbs}};
        if (!t.shortNames.empty())
            r["shortNames"] = t.shortNames;
        if (!t.categories.empty())
            r["categories"] = t.categories;
        resources.push_back(r);
        if (t.hasStatus)
            resources.push_back({{"name", t.resource + "/status"},
                                 {"singularName", ""},
                                 {"namespaced", t.namespaced},
                                 {"kind", t.kind},
                                 {"verbs", {"get", "patch", "update"}}});
        if (t.hasScale)
            resources.push_back({{"name", t.resource + "/scale"},
                                 {"singularName", ""},
                                 {"namespaced", t.namespaced},
                                 {"group", "autoscaling"},
                                 {"version", "v1"},
                                 {"kind", "Scale"},
                                 {"verbs", {"get", "patch", "update"}}});
    }
    if (resources.empty())
        return std::nullopt;
    return Json{{"kind", "APIResourceList"},
                {"apiVersion", "v1"},
                {"groupVersion", group.empty() ? version : group + "/" + version},
                {"resources", resources}};
}

} // namespace kd::sandbox
