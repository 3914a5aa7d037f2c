// Per-container rules: image tags, CPU/memory requests and limits, GPU (extended resource)
// requests and limits, /dev/shm for GPU containers and environment variables.

#include "manifest/lintrules_util.h"

#include "semantics/quantity.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <tuple>

namespace kd::manifest::detail {

namespace {

void checkImage(const LintObject &object, const ContainerRef &c, FindingSink &sink) {
    const std::string *image = asStr(at(c.json, {"image"}));
    if (image == nullptr || image->empty() || image->find('@') != std::string::npos)
        return; // no image is a schema problem; a digest pins the image
    const std::size_t slash = image->rfind('/');
    const std::size_t colon = image->rfind(':');
    const bool hasTag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    const std::string tag = hasTag ? image->substr(colon + 1) : std::string();
    std::string message;
    if (!hasTag)
        message = "container " + ticked(c.name) + " image " + ticked(*image) +
                  " has no tag, so it pulls `latest`";
    else if (tag == "latest")
        message =
            "container " + ticked(c.name) + " image " + ticked(*image) + " uses the `latest` tag";
    else
        return;
    sink.reportValue(object, "image-latest-tag", join(c.path, "image"), std::move(message), c.name);
}

bool hasEntry(const Json *list, const char *name) {
    return list && list->is_object() && at(list, {name}) != nullptr;
}

std::string listText(const std::vector<std::string> &items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : (i + 1 == items.size() ? " and " : ", ")) + items[i];
    return out;
}

void checkRequestsAndLimits(const LintObject &object, const ContainerRef &c, FindingSink &sink) {
    const Json *resources = at(c.json, {"resources"});
    const Json *requests = at(resources, {"requests"});
    const Json *limits = at(resources, {"limits"});
    const auto reqPath = [&c] { return c.path + ".resources.requests"; };
    const auto limPath = [&c] { return c.path + ".resources.limits"; };

    // A limit without a request is requested at the limit (API defaulting).
    std::vector<std::string> missing;
    for (const char *name : {"cpu", "memory"}) {
        if (!hasEntry(requests, name) && !hasEntry(limits, name))
            missing.push_back(name);
    }
    if (!missing.empty())
        sink.report(object, "resources-requests-missing", reqPath(),
                    "container " + ticked(c.name) + " has no " + listText(missing) + " request",
                    c.name);
    if (!hasEntry(limits, "memory"))
        sink.report(object, "memory-limit-missing", limPath() + ".memory",
                    "container " + ticked(c.name) + " has no memory limit", c.name);

    if (requests == nullptr || !requests->is_object())
        return;
    for (const auto &[name, request] : requests->items()) {
        if (isExtendedResource(name) || name.starts_with("hugepages-"))
            continue; // those must equal their limits: gpu-requests-limits / the API check
        const Json *limit = limits && limits->is_object() ? at(limits, {name}) : nullptr;
        if (limit == nullptr)
            continue;
        const auto req = semantics::parseMilli(request);
        const auto lim = semantics::parseMilli(*limit);
        if (!req || !lim || *req <= *lim)
            continue;
        // The API server reports this at the requests map; so does this finding.
        Finding *f = sink.report(object, "requests-exceed-limits", reqPath(),
                                 "container " + ticked(c.name) + " requests " + name + " " +
                                     ticked(scalarText(request)) + " but its limit is " +
                                     ticked(scalarText(*limit)),
                                 c.name);
        if (f)
            f->position = object.valuePosition(join(reqPath(), name));
    }
}

void checkExtendedResources(const LintObject &object, const ContainerRef &c, FindingSink &sink) {
    const Json *requests = at(c.json, {"resources", "requests"});
    const Json *limits = at(c.json, {"resources", "limits"});
    std::map<std::string, std::pair<const Json *, const Json *>> extended; // request, limit
    for (const auto &[list, second] : {std::pair{requests, false}, std::pair{limits, true}}) {
        if (list == nullptr || !list->is_object())
            continue;
        for (const auto &[name, value] : list->items()) {
            if (!isExtendedResource(name) || value.is_null())
                continue;
            auto &entry = extended[name];
            (second ? entry.second : entry.first) = &value;
        }
    }
    if (extended.empty())
        return;
    const std::string reqPath = c.path + ".resources.requests";
    const std::string limPath = c.path + ".resources.limits";
    const std::string who = "container " + ticked(c.name);
    for (const auto &[name, pair] : extended) {
        const auto [request, limit] = pair;
        const auto req = request ? semantics::parseMilli(*request) : std::nullopt;
        const auto lim = limit ? semantics::parseMilli(*limit) : std::nullopt;
        const std::string reqItem = join(reqPath, name);
        const std::string limItem = join(limPath, name);
        if (request && !limit) {
            // The API server's cause is "limits: Required"; the request is what to look at.
            Finding *f = sink.report(object, "gpu-requests-limits", limPath,
                                     who + " requests " + scalarText(*request) + " " + name +
                                         " without a limit; extended resources need one (the "
                                         "request then defaults to it)",
                                     c.name);
            if (f)
                f->position = object.position(reqItem);
            if (f && req && semantics::isWholeMilli(*req))
                attachFix(f, object,
                          "Set limits[" + name + "] to " + scalarText(*request) + " (the request)",
                          {{limPath, name, yamlScalar(*request)}});
        } else if (req && lim && *req != *lim) {
            Finding *f = sink.report(object, "gpu-requests-limits", reqPath,
                                     who + " requests " + scalarText(*request) + " " + name +
                                         " but its limit is " + scalarText(*limit) +
                                         "; extended resources need requests equal to limits",
                                     c.name);
            if (f)
                f->position = object.valuePosition(reqItem);
            if (f && semantics::isWholeMilli(*lim))
                attachFix(f, object,
                          "Set requests[" + name + "] to " + scalarText(*limit) + " (the limit)",
                          {{reqPath, name, yamlScalar(*limit)}});
        }
        for (const auto &[amount, value, item, where] :
             {std::tuple{req, request, reqItem, "requests"},
              std::tuple{lim, limit, limItem, "limits"}}) {
            if (!amount || semantics::isWholeMilli(*amount))
                continue;
            sink.reportValue(object, "gpu-requests-limits", item,
                             who + " asks for " + scalarText(*value) + " " + name + " in " + where +
                                 "; extended resources come in whole units" +
                                 (semantics::isGpuResource(name)
                                      ? " (share a GPU through MIG profiles instead)"
                                      : ""),
                             c.name);
        }
    }
}

void checkShm(const LintObject &object, const PodTemplate &templ, const ContainerRef &c,
              FindingSink &sink) {
    if (c.gpus.empty())
        return;
    const Json *mounts = at(c.json, {"volumeMounts"});
    const std::string mountsPath = c.path + ".volumeMounts";
    if (mounts && mounts->is_array()) {
        for (std::size_t i = 0; i < mounts->size(); ++i) {
            const Json &m = (*mounts)[i];
            const std::string *path = asStr(at(&m, {"mountPath"}));
            if (path == nullptr || (*path != "/dev/shm" && *path != "/dev/shm/"))
                continue;
            const std::string *volumeName = asStr(at(&m, {"name"}));
            const Json *volumes = at(templ.spec, {"volumes"});
            if (volumeName && volumes && volumes->is_array()) {
                for (const Json &v : *volumes) {
                    if (asStr(at(&v, {"name"})) == nullptr ||
                        *asStr(at(&v, {"name"})) != *volumeName)
                        continue;
                    const std::string *medium = asStr(at(&v, {"emptyDir", "medium"}));
                    const std::string *host = asStr(at(&v, {"hostPath", "path"}));
                    if ((medium && *medium == "Memory") || (host && *host == "/dev/shm"))
                        return;
                }
            }
            sink.reportValue(object, "gpu-shm-missing", join(appendIndex(mountsPath, i), "name"),
                             "container " + ticked(c.name) + " mounts volume " +
                                 ticked(volumeName ? *volumeName : "") +
                                 " at /dev/shm, but it is not an emptyDir with medium Memory",
                             c.name);
            return;
        }
    }
    sink.report(object, "gpu-shm-missing", mountsPath,
                "container " + ticked(c.name) + " uses " + describeAmounts(c.gpus) +
                    " but mounts nothing at /dev/shm (the runtime gives it 64 MiB)",
                c.name);
}

// Names of credentials, matched word by word so that MAX_TOKENS or TOKENIZER_PATH do not count.
bool looksLikeSecret(std::string_view name) {
    static constexpr std::array<std::string_view, 22> notSecret = {
        "FILE", "PATH",    "DIR",    "NAME",   "URL",     "URI",    "HOST", "ENDPOINT",
        "REF",  "TYPE",    "LENGTH", "LEN",    "LIMIT",   "LIMITS", "SIZE", "COUNT",
        "TTL",  "TIMEOUT", "EXPIRY", "HEADER", "ENABLED", "MOUNT"};
    static constexpr std::array<std::string_view, 9> secret = {
        "TOKEN",      "PASSWORD", "PASSWD",     "SECRET",    "CREDENTIALS",
        "CREDENTIAL", "APIKEY",   "PASSPHRASE", "PRIVATEKEY"};
    static constexpr std::array<std::string_view, 5> keyPrefixes = {"API", "ACCESS", "PRIVATE",
                                                                    "SIGNING", "ENCRYPTION"};
    const auto is = [](std::string_view word, std::string_view upper) {
        return word.size() == upper.size() &&
               std::equal(word.begin(), word.end(), upper.begin(), [](char a, char b) {
                   return std::toupper(static_cast<unsigned char>(a)) == b;
               });
    };
    const auto any = [&is](std::string_view word, const auto &list) {
        return std::any_of(list.begin(), list.end(),
                           [&](std::string_view w) { return is(word, w); });
    };
    bool found = false;
    std::string_view previous;
    std::string_view word;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= name.size(); ++i) {
        if (i < name.size() && name[i] != '_' && name[i] != '-' && name[i] != '.')
            continue;
        if (i > start) {
            word = name.substr(start, i - start);
            found = found || any(word, secret) || (is(word, "KEY") && any(previous, keyPrefixes));
            previous = word;
        }
        start = i + 1;
    }
    return found && !any(word, notSecret); // the last word says what the value is
}

void checkEnv(const LintObject &object, const ContainerRef &c, FindingSink &sink) {
    const Json *env = at(c.json, {"env"});
    if (env == nullptr || !env->is_array())
        return;
    std::map<std::string, std::size_t, std::less<>> seen;
    for (std::size_t i = 0; i < env->size(); ++i) {
        const Json &entry = (*env)[i];
        const std::string *name = asStr(at(&entry, {"name"}));
        if (name == nullptr)
            continue;
        const auto itemPath = [&c, i] { return appendIndex(c.path + ".env", i); };
        if (const auto [it, inserted] = seen.emplace(*name, i); !inserted)
            sink.reportValue(object, "env-duplicate", itemPath() + ".name",
                             "container " + ticked(c.name) + " sets " + ticked(*name) +
                                 " again (first in env[" + std::to_string(it->second) +
                                 "]); only this later value is used",
                             c.name);
        const std::string *value = asStr(at(&entry, {"value"}));
        if (value && !value->empty() && !value->starts_with("$(") && looksLikeSecret(*name))
            sink.reportValue(object, "env-secret-inline", itemPath() + ".value",
                             "container " + ticked(c.name) + " sets " + ticked(*name) +
                                 " inline; reference a Secret with valueFrom.secretKeyRef",
                             c.name);
    }
}

} // namespace

void checkContainerRules(const LintObject &object, const PodTemplate &templ,
                         const Containers &containers, FindingSink &sink) {
    for (const ContainerRef &c : containers) {
        checkImage(object, c, sink);
        checkRequestsAndLimits(object, c, sink);
        checkExtendedResources(object, c, sink);
        checkEnv(object, c, sink);
        if (!c.init)
            checkShm(object, templ, c, sink);
    }
}

} // namespace kd::manifest::detail
