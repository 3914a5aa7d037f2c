// Reads: get, list (with selectors, paging and Table answers) and watch.
#include "sandbox/apierror.h"
#include "sandbox/apihandler.h"
#include "sandbox/cluster.h"
#include "sandbox/faults.h"
#include "sandbox/resources.h"
#include "sandbox/selectors.h"
#include "sandbox/tables.h"
#include "sandbox/watch.h"

#include <charconv>
#include <thread>

namespace kd::sandbox {

namespace {

constexpr const char *kContinueTooOld = "The provided continue parameter is too old to display a "
                                        "consistent list result. You can start a new list "
                                        "without the continue parameter, or use the continue token "
                                        "in this response to retrieve the remainder of the "
                                        "results. Continuing with the provided token results in an "
                                        "inconsistent list - objects that were created, "
                                        "modified, or deleted between the time the first chunk was "
                                        "returned and now may show up in the list.";

std::uint64_t parseResourceVersion(const std::string &text) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size())
        throw ApiError::badRequest("resourceVersion: Invalid value: \"" + text.substr(0, 64) +
                                   "\": must be a non-negative integer");
    return v;
}

LabelSelector labelSelectorOf(const ApiRequest &request) {
    std::string error;
    auto s = LabelSelector::parse(request.param("labelSelector"), &error);
    if (!s)
        throw ApiError::badRequest(error);
    return *s;
}

FieldSelector fieldSelectorOf(const ApiRequest &request) {
    std::string error;
    auto s = FieldSelector::parse(request.param("fieldSelector"), &error);
    if (!s)
        throw ApiError::badRequest(error);
    return *s;
}

std::string listKind(const ResourceType &type) {
    return type.kind + "List";
}

} // namespace

ApiResponse ApiHandler::get(const ApiRequest &request, const RequestInfo &info) {
    ObjectPtr obj = m_cluster.store().get(*info.type, info.namespaceName, info.name);
    if (!obj)
        throw ApiError::notFound(*info.type, info.name);
    ApiResponse r;
    if (acceptsTable(request.accept)) {
        Json meta{{"resourceVersion", str(*obj, {"metadata", "resourceVersion"})}};
        r.body = tableJson(*info.type, {obj}, m_cluster.clock().now(),
                           parseIncludeObject(request.param("includeObject")), meta);
        return r;
    }
    r.body = obj->dump();
    return r;
}

ApiResponse ApiHandler::list(const ApiRequest &request, const RequestInfo &info) {
    const ResourceType &type = *info.type;
    LabelSelector labels = labelSelectorOf(request);
    FieldSelector fields = fieldSelectorOf(request);
    std::size_t limit = 0;
    if (std::string l = request.param("limit"); !l.empty()) {
        long long v = 0;
        auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), v);
        if (ec != std::errc() || p != l.data() + l.size() || v < 0)
            throw ApiError::badRequest("limit: Invalid value: \"" + l +
                                       "\": must be a non-negative integer");
        limit = static_cast<std::size_t>(v);
    }
    std::string afterKey;
    std::uint64_t listRv = 0;
    Store &store = m_cluster.store();
    if (std::string token = request.param("continue"); !token.empty()) {
        Json decoded;
        try {
            auto raw = base64Decode(token);
            if (!raw)
                throw ApiError::badRequest("continue key is not valid: illegal base64 data");
            decoded = Json::parse(*raw);
            listRv = decoded.at("rv").get<std::uint64_t>();
            afterKey = decoded.at("start").get<std::string>();
        } catch (const Json::exception &) {
            throw ApiError::badRequest("continue key is not valid: the token could not be decoded");
        }
        if (listRv < store.oldestResourceVersion()) {
            ApiError e = ApiError::expired(kContinueTooOld);
            throw e;
        }
    }
    bool more = false;
    std::uint64_t rv = 0;
    std::vector<ObjectPtr> all = store.listAfter(type, info.namespaceName, afterKey, 0, &more, &rv);
    if (listRv == 0)
        listRv = rv;
    // A page costs O(limit), not O(remaining): unfiltered, the count after the page is known
    // without looking; filtered, the API server omits remainingItemCount, so one match past the
    // limit is enough to know there is more.
    const bool filtered = !labels.empty() || !fields.empty();
    std::vector<ObjectPtr> items;
    std::size_t remaining = 0;
    bool truncated = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
        ObjectPtr &o = all[i];
        if (filtered && (!labels.matches(at(*o, {"metadata", "labels"})) || !fields.matches(*o)))
            continue;
        if (limit && items.size() == limit) {
            truncated = true;
            remaining = all.size() - i;
            break;
        }
        items.push_back(std::move(o));
    }
    Json meta{{"resourceVersion", std::to_string(listRv)}};
    if (truncated) {
        const std::string lastKey = namespaceOf(*items.back()) + "/" + nameOf(*items.back());
        meta["continue"] = base64Encode(Json{{"rv", listRv}, {"start", lastKey}}.dump());
        if (!filtered)
            meta["remainingItemCount"] = remaining;
    }
    ApiResponse r;
    if (acceptsTable(request.accept)) {
        r.body = tableJson(type, items, m_cluster.clock().now(),
                           parseIncludeObject(request.param("includeObject")), meta);
        return r;
    }
    std::string body = R"({"kind":")" + listKind(type) + R"(","apiVersion":")" + type.apiVersion() +
                       R"(","metadata":)" + meta.dump() + R"(,"items":[)";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            body += ',';
        body += items[i]->dump();
    }
    body += "]}";
    r.body = std::move(body);
    return r;
}

ApiResponse ApiHandler::watch(const ApiRequest &request, const RequestInfo &info) {
    const ResourceType &type = *info.type;
    FaultConfig faults = m_faults.config();
    WatchOptions o;
    o.namespaceName = info.namespaceName;
    o.labels = labelSelectorOf(request);
    o.fields = fieldSelectorOf(request);
    if (!info.name.empty()) {
        std::string error;
        o.fields = *FieldSelector::parse("metadata.name=" + info.name, &error);
    }
    std::string rvText = request.param("resourceVersion");
    o.sinceResourceVersion = rvText.empty() ? 0 : parseResourceVersion(rvText);
    o.allowBookmarks = request.param("allowWatchBookmarks") == "true";
    o.sendInitialEvents = request.param("sendInitialEvents") == "true";
    if (o.sendInitialEvents && request.param("resourceVersionMatch") != "NotOlderThan")
        throw ApiError::invalid(
            type, "",
            {{"FieldValueForbidden",
              "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
              "sendInitialEvents"}});
    if (std::string t = request.param("timeoutSeconds"); !t.empty()) {
        long long v = 0;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || p != t.data() + t.size() || v < 0)
            throw ApiError::badRequest("timeoutSeconds: Invalid value: \"" + t +
                                       "\": must be a non-negative integer");
        o.timeoutSeconds = v == 0 ? 1800 : static_cast<double>(v);
    }
    o.dropAfterSeconds = faults.dropWatchesAfterSeconds;
    o.bookmarkIntervalSeconds = faults.bookmarkIntervalSeconds;
    o.stall = faults.stallWatches;
    o.asTable = acceptsTable(request.accept);
    o.include = parseIncludeObject(request.param("includeObject"));

    Store &store = m_cluster.store();
    if (o.sinceResourceVersion > store.resourceVersion()) {
        // A resourceVersion from the future: wait briefly for it, like the watch cache does.
        for (int i = 0; i < 30 && o.sinceResourceVersion > store.resourceVersion(); ++i)
            store.waitForChange(store.resourceVersion(), std::chrono::milliseconds(100));
        if (o.sinceResourceVersion > store.resourceVersion())
            throw ApiError(504, "Timeout",
                           "Too large resource version: " + std::to_string(o.sinceResourceVersion) +
                               ", current: " + std::to_string(store.resourceVersion()));
    }
    bool stale = o.sinceResourceVersion != 0 && !o.sendInitialEvents &&
                 (faults.expireWatches || o.sinceResourceVersion < store.oldestResourceVersion());
    if (stale) {
        std::string message =
            "too old resource version: " + std::to_string(o.sinceResourceVersion) + " (" +
            std::to_string(store.resourceVersion()) + ")";
        if (faults.expiredAsHttp)
            throw ApiError::expired(message);
        o.expiredMessage = message;
    }
    ApiResponse r;
    // Not plain "application/json": the HTTP layer would gzip the stream and hold events back
    // in the compressor until it fills.
    r.contentType = "application/json;stream=watch";
    if (faults.emptyWatches)
        return r; // an empty 200: the stream ends before it starts
    r.watch = std::make_shared<WatchStream>(store, m_cluster.clock(), type, std::move(o));
    return r;
}

} // namespace kd::sandbox
