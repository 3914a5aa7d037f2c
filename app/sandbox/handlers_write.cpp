// Writes: create, update, patch (all four types), delete with propagation, and the scale
// subresource.
#include "sandbox/admission.h"
#include "sandbox/apierror.h"
#include "sandbox/apihandler.h"
#include "sandbox/cluster.h"
#include "sandbox/fieldmanager.h"
#include "sandbox/patch.h"
#include "sandbox/resources.h"
#include "sandbox/selectors.h"

namespace kd::sandbox {

namespace {

constexpr std::size_t kMaxObjectBytes = 3 * 1024 * 1024;
constexpr int kPatchRetries = 5;

void checkSize(const std::string &body) {
    if (body.size() > kMaxObjectBytes)
        throw ApiError(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
}

// The object in a request body must be of the URL's kind, and in its namespace.
void checkIdentity(const ResourceType &type, Json &obj, const RequestInfo &info) {
    if (!obj.is_object())
        throw ApiError::badRequest("the body of the request must be a JSON object");
    std::string apiVersion = obj.value("apiVersion", type.apiVersion());
    std::string kind = obj.value("kind", type.kind);
    if (apiVersion != type.apiVersion() || kind != type.kind)
        throw ApiError::badRequest(
            "the API version in the data (" + apiVersion +
            ") does not match the expected API version (" + type.apiVersion() + ")" +
            (kind != type.kind ? ", kind " + kind + " is not " + type.kind : ""));
    if (!obj.contains("metadata") || !obj["metadata"].is_object())
        obj["metadata"] = Json::object();
    Json &m = obj["metadata"];
    if (type.namespaced) {
        std::string ns = m.value("namespace", std::string());
        if (!ns.empty() && ns != info.namespaceName)
            throw ApiError::badRequest("the namespace of the provided object does not match the "
                                       "namespace sent on the request");
        m["namespace"] = info.namespaceName;
    }
    if (!info.name.empty()) {
        std::string name = m.value("name", std::string());
        if (name.empty())
            m["name"] = info.name;
        else if (name != info.name)
            throw ApiError::badRequest("the name of the object (" + name +
                                       ") does not match the name on the URL (" + info.name + ")");
    }
}

// Metadata a client may not set or change.
void keepServerFields(Json &next, const Json &old) {
    Json &m = next["metadata"];
    const Json &om = old["metadata"];
    for (const char *k : {"deletionTimestamp", "deletionGracePeriodSeconds", "generation"}) {
        if (om.contains(k))
            m[k] = om[k];
        else
            m.erase(k);
    }
}

void checkNamespaceExists(Store &store, const ResourceType &type, const std::string &ns) {
    if (!type.namespaced)
        return;
    const ResourceType &nsType = resourceType("v1", "Namespace");
    ObjectPtr n = store.get(nsType, "", ns);
    if (!n)
        throw ApiError(404, "NotFound", "namespaces \"" + ns + "\" not found",
                       {{"name", ns}, {"kind", "namespaces"}});
    if (!at(*n, {"metadata", "deletionTimestamp"}).is_null())
        throw ApiError(403, "Forbidden",
                       "unable to create new content in namespace " + ns +
                           " because it is being terminated");
}

Json scaleOf(const ResourceType &type, const Json &obj) {
    std::string selector;
    const Json &sel = at(obj, {"spec", "selector"});
    if (type.kind == "Deployment" || type.kind == "ReplicaSet" || type.kind == "StatefulSet")
        selector = LabelSelector::fromJson(sel).toString();
    return {{"kind", "Scale"},
            {"apiVersion", "autoscaling/v1"},
            {"metadata",
             {{"name", nameOf(obj)},
              {"namespace", namespaceOf(obj)},
              {"uid", uidOf(obj)},
              {"resourceVersion", str(obj, {"metadata", "resourceVersion"})},
              {"creationTimestamp", str(obj, {"metadata", "creationTimestamp"})}}},
            {"spec", {{"replicas", integer(obj, {"spec", "replicas"}, 1)}}},
            {"status",
             {{"replicas", integer(obj, {"status", "replicas"}, 0)}, {"selector", selector}}}};
}

Json applyPatch(const std::string &contentType, const Json &target, const Json &patch) {
    try {
        if (contentType.find("application/json-patch+json") == 0)
            return applyJsonPatch(target, patch);
        if (contentType.find("application/merge-patch+json") == 0)
            return applyMergePatch(target, patch);
        if (contentType.find("application/strategic-merge-patch+json") == 0)
            return applyStrategicMergePatch(target, patch);
    } catch (const PatchError &e) {
        throw ApiError(
            422, "Invalid",
            std::string("the server rejected our request due to an error in our request: ") +
                e.what());
    }
    throw ApiError::unsupportedMediaType(contentType);
}

} // namespace

ApiResponse ApiHandler::create(const ApiRequest &request, const RequestInfo &info) {
    checkSize(request.body);
    const ResourceType &type = *info.type;
    Json obj = decodeBody(request.body, request.contentType);
    checkIdentity(type, obj, info);
    Store &store = m_cluster.store();
    checkNamespaceExists(store, type, info.namespaceName);
    bool dryRun = isDryRun(request);
    obj["metadata"].erase("resourceVersion");
    obj["metadata"].erase("uid");
    obj["metadata"].erase("managedFields");
    admitCreate(type, obj, store);
    std::string now = m_cluster.clock().nowRfc3339();
    recordUpdate(obj, nullptr, fieldManagerOf(request), type.apiVersion(), now);
    if (dryRun) {
        if (!obj["metadata"].contains("name") && obj["metadata"].contains("generateName"))
            obj["metadata"]["name"] = obj["metadata"]["generateName"].get<std::string>() + "dryrun";
        if (store.get(type, info.namespaceName, nameOf(obj)))
            throw ApiError::alreadyExists(type, nameOf(obj));
        obj["metadata"]["creationTimestamp"] = now;
        return ApiResponse::json(201, obj);
    }
    return ApiResponse::json(201, *store.create(type, std::move(obj)));
}

ApiResponse ApiHandler::commitUpdate(const ApiRequest &request, const RequestInfo &info, Json next,
                                     const Json &old, int successCode) {
    const ResourceType &type = *info.type;
    Store &store = m_cluster.store();
    WritePart part = info.subresource == "status" ? WritePart::Status : WritePart::Main;
    keepServerFields(next, old);
    next["metadata"].erase("managedFields");
    if (old["metadata"].contains("managedFields"))
        next["metadata"]["managedFields"] = old["metadata"]["managedFields"];
    if (part == WritePart::Main)
        admitUpdate(type, next, old);
    recordUpdate(next, &old, fieldManagerOf(request), type.apiVersion(),
                 m_cluster.clock().nowRfc3339());
    if (isDryRun(request))
        return ApiResponse::json(successCode, next);
    return ApiResponse::json(successCode, *store.update(type, std::move(next), part));
}

ApiResponse ApiHandler::update(const ApiRequest &request, const RequestInfo &info) {
    checkSize(request.body);
    const ResourceType &type = *info.type;
    Json obj = decodeBody(request.body, request.contentType);
    checkIdentity(type, obj, info);
    ObjectPtr old = m_cluster.store().get(type, info.namespaceName, info.name);
    if (!old)
        throw ApiError::notFound(type, info.name);
    return commitUpdate(request, info, std::move(obj), *old);
}

ApiResponse ApiHandler::patch(const ApiRequest &request, const RequestInfo &info) {
    checkSize(request.body);
    const ResourceType &type = *info.type;
    Store &store = m_cluster.store();
    bool apply = request.contentType.find("application/apply-patch+yaml") == 0;
    std::string force = request.param("force");
    if (!apply && !force.empty())
        throw ApiError::badRequest(
            "force: Invalid value: true: may not be specified for non-apply patch");
    Json patchBody = apply ? decodeBody(request.body, "application/yaml")
                           : decodeBody(request.body, request.contentType);
    for (int attempt = 0;; ++attempt) {
        ObjectPtr live = store.get(type, info.namespaceName, info.name);
        try {
            if (apply) {
                std::string manager = request.param("fieldManager");
                if (manager.empty())
                    throw ApiError::invalid(
                        type, info.name,
                        {{"FieldValueRequired", "Required value: is required for apply patch",
                          "fieldManager"}});
                Json applied = patchBody;
                checkIdentity(type, applied, info);
                if (applied["metadata"].contains("managedFields") &&
                    !applied["metadata"]["managedFields"].is_null())
                    throw ApiError::badRequest("metadata.managedFields must be nil");
                std::string now = m_cluster.clock().nowRfc3339();
                ApplyOutcome outcome = serverSideApply(live.get(), applied, manager,
                                                       force == "true", type.apiVersion(), now);
                if (!outcome.conflicts.empty()) {
                    Json causes = Json::array();
                    for (const StatusCause &c : conflictCauses(outcome.conflicts))
                        causes.push_back(
                            {{"reason", c.reason}, {"message", c.message}, {"field", c.field}});
                    throw ApiError(409, "Conflict", conflictMessage(outcome.conflicts),
                                   {{"causes", causes}});
                }
                if (!live) {
                    checkNamespaceExists(store, type, info.namespaceName);
                    Json obj = std::move(outcome.object);
                    Json managed = obj["metadata"].value("managedFields", Json::array());
                    admitCreate(type, obj, store);
                    obj["metadata"]["managedFields"] = managed;
                    if (isDryRun(request))
                        return ApiResponse::json(201, obj);
                    return ApiResponse::json(201, *store.create(type, std::move(obj)));
                }
                Json next = std::move(outcome.object);
                next["metadata"]["resourceVersion"] = str(*live, {"metadata", "resourceVersion"});
                keepServerFields(next, *live);
                admitUpdate(type, next, *live);
                if (isDryRun(request))
                    return ApiResponse::json(200, next);
                return ApiResponse::json(200, *store.update(type, std::move(next),
                                                            info.subresource == "status"
                                                                ? WritePart::Status
                                                                : WritePart::Main));
            }
            if (!live)
                throw ApiError::notFound(type, info.name);
            Json next = applyPatch(request.contentType, *live, patchBody);
            checkIdentity(type, next, info);
            // Without a resourceVersion of its own, a patch applies to whatever is current.
            if (!at(patchBody, {"metadata", "resourceVersion"}).is_string())
                next["metadata"]["resourceVersion"] = str(*live, {"metadata", "resourceVersion"});
            return commitUpdate(request, info, std::move(next), *live);
        } catch (const ApiError &e) {
            bool patchHadRv = at(patchBody, {"metadata", "resourceVersion"}).is_string();
            if (e.code() == 409 && e.reason() == "Conflict" && !patchHadRv &&
                attempt < kPatchRetries && !apply)
                continue; // someone wrote in between; re-apply the patch to the new state
            if (e.code() == 409 && e.reason() == "Conflict" && apply && attempt < kPatchRetries &&
                std::string(e.what()).find("Apply failed") == std::string::npos)
                continue;
            throw;
        }
    }
}

void ApiHandler::deleteObject(const ResourceType &type, const Json &object, const Json &options,
                              bool dryRun) {
    Store &store = m_cluster.store();
    std::string ns = namespaceOf(object), name = nameOf(object);
    std::string policy = options.value("propagationPolicy", std::string());
    if (policy.empty() && options.contains("orphanDependents") &&
        options["orphanDependents"].is_boolean())
        policy = options["orphanDependents"].get<bool>() ? "Orphan" : "Background";
    if (!policy.empty() && policy != "Orphan" && policy != "Background" && policy != "Foreground")
        throw ApiError::invalid(
            type, name,
            {{"FieldValueNotSupported",
              "Unsupported value: \"" + policy +
                  "\": supported values: \"Background\", \"Foreground\", \"Orphan\"",
              "propagationPolicy"}});
    std::string uidPre = str(options, {"preconditions", "uid"});
    std::string rvPre = str(options, {"preconditions", "resourceVersion"});
    if ((!uidPre.empty() && uidPre != uidOf(object)) ||
        (!rvPre.empty() && rvPre != str(object, {"metadata", "resourceVersion"})))
        throw ApiError(409, "Conflict",
                       "Precondition failed: UID in precondition: " + uidPre +
                           ", UID in object meta: " + uidOf(object));
    if (dryRun)
        return;
    std::string now = m_cluster.clock().nowRfc3339();
    if (type.kind == "Namespace") {
        // Namespace deletion removes everything in it, then the namespace itself.
        for (const ResourceType &t : allResourceTypes())
            if (t.namespaced)
                for (const ObjectPtr &o : store.list(t, name))
                    try {
                        store.remove(t, name, nameOf(*o));
                    } catch (const ApiError &) {
                    }
        store.remove(type, "", name, uidPre, rvPre);
        return;
    }
    Json finalizers = at(object, {"metadata", "finalizers"}).is_array()
                          ? at(object, {"metadata", "finalizers"})
                          : Json::array();
    if (policy == "Orphan" || policy == "Foreground")
        finalizers.push_back(policy == "Orphan" ? "orphan" : "foregroundDeletion");
    long long grace = -1;
    if (type.kind == "Pod") {
        grace = options.contains("gracePeriodSeconds") &&
                        options["gracePeriodSeconds"].is_number_integer()
                    ? options["gracePeriodSeconds"].get<long long>()
                    : integer(object, {"spec", "terminationGracePeriodSeconds"}, 30);
        if (str(object, {"spec", "nodeName"}).empty() || grace == 0 ||
            !at(object, {"status", "phase"}).is_string() ||
            at(object, {"status", "phase"}) == "Succeeded" ||
            at(object, {"status", "phase"}) == "Failed")
            grace = -1; // never ran, or asked to go now: no graceful termination
    }
    if (finalizers.empty() && grace < 0) {
        store.remove(type, ns, name, uidPre, rvPre);
        return;
    }
    Json next = object;
    next["metadata"]["finalizers"] = finalizers;
    if (finalizers.empty())
        next["metadata"].erase("finalizers");
    if (at(object, {"metadata", "deletionTimestamp"}).is_null())
        next["metadata"]["deletionTimestamp"] = now;
    if (grace >= 0)
        next["metadata"]["deletionGracePeriodSeconds"] = grace;
    store.update(type, std::move(next), WritePart::Everything);
}

ApiResponse ApiHandler::remove(const ApiRequest &request, const RequestInfo &info) {
    const ResourceType &type = *info.type;
    if (!info.subresource.empty())
        throw ApiError::methodNotAllowed();
    ObjectPtr obj = m_cluster.store().get(type, info.namespaceName, info.name);
    if (!obj)
        throw ApiError::notFound(type, info.name);
    Json options =
        request.body.empty() ? Json::object() : decodeBody(request.body, request.contentType);
    if (request.hasParam("propagationPolicy"))
        options["propagationPolicy"] = request.param("propagationPolicy");
    if (request.hasParam("gracePeriodSeconds"))
        options["gracePeriodSeconds"] = std::atoll(request.param("gracePeriodSeconds").c_str());
    bool dryRun = isDryRun(request) || (options.contains("dryRun") && !options["dryRun"].empty());
    deleteObject(type, *obj, options, dryRun);
    ObjectPtr after = m_cluster.store().get(type, info.namespaceName, info.name);
    if (after)
        return ApiResponse::json(200,
                                 *after); // still there: terminating, or waiting for finalizers
    Json status{{"kind", "Status"},
                {"apiVersion", "v1"},
                {"metadata", Json::object()},
                {"status", "Success"},
                {"details", {{"name", info.name}, {"kind", type.resource}, {"uid", uidOf(*obj)}}}};
    if (!type.group.empty())
        status["details"]["group"] = type.group;
    return ApiResponse::json(200, type.kind == "Pod" || type.kind == "Namespace" ? *obj : status);
}

ApiResponse ApiHandler::removeCollection(const ApiRequest &request, const RequestInfo &info) {
    const ResourceType &type = *info.type;
    std::string error;
    auto labels = LabelSelector::parse(request.param("labelSelector"), &error);
    if (!labels)
        throw ApiError::badRequest(error);
    auto fields = FieldSelector::parse(request.param("fieldSelector"), &error);
    if (!fields)
        throw ApiError::badRequest(error);
    Json options =
        request.body.empty() ? Json::object() : decodeBody(request.body, request.contentType);
    Json items = Json::array();
    for (const ObjectPtr &o : m_cluster.store().list(type, info.namespaceName)) {
        if (!labels->matches(at(*o, {"metadata", "labels"})) || !fields->matches(*o))
            continue;
        try {
            deleteObject(type, *o, options, isDryRun(request));
            items.push_back(*o);
        } catch (const ApiError &e) {
            if (e.code() != 404)
                throw;
        }
    }
    return ApiResponse::json(
        200,
        {{"kind", type.kind + "List"},
         {"apiVersion", type.apiVersion()},
         {"metadata", {{"resourceVersion", std::to_string(m_cluster.store().resourceVersion())}}},
         {"items", items}});
}

ApiResponse ApiHandler::scaleGet(const ApiRequest &, const RequestInfo &info) {
    ObjectPtr obj = m_cluster.store().get(*info.type, info.namespaceName, info.name);
    if (!obj)
        throw ApiError::notFound(*info.type, info.name);
    return ApiResponse::json(200, scaleOf(*info.type, *obj));
}

ApiResponse ApiHandler::scaleWrite(const ApiRequest &request, const RequestInfo &info) {
    const ResourceType &type = *info.type;
    Json body = decodeBody(request.body, request.contentType);
    for (int attempt = 0;; ++attempt) {
        ObjectPtr obj = m_cluster.store().get(type, info.namespaceName, info.name);
        if (!obj)
            throw ApiError::notFound(type, info.name);
        Json scale = scaleOf(type, *obj);
        Json next;
        if (info.verb == "update") {
            next = body;
            if (!next.is_object() || next.value("kind", "Scale") != "Scale")
                throw ApiError::badRequest(
                    "the body of the request must be an autoscaling/v1 Scale");
        } else {
            next = applyPatch(request.contentType, scale, body);
        }
        const Json &replicas = at(next, {"spec", "replicas"});
        if (!replicas.is_number_integer())
            throw ApiError::invalid(type, info.name,
                                    {{"FieldValueRequired", "Required value", "spec.replicas"}});
        if (replicas.get<long long>() < 0)
            throw ApiError(422, "Invalid",
                           "Scale.autoscaling \"" + info.name +
                               "\" is invalid: spec.replicas: Invalid value: " + replicas.dump() +
                               ": must be greater than or equal to 0",
                           {{"name", info.name},
                            {"group", "autoscaling"},
                            {"kind", "Scale"},
                            {"causes",
                             {{{"reason", "FieldValueInvalid"},
                               {"message", "Invalid value: " + replicas.dump() +
                                               ": must be greater than or equal to 0"},
                               {"field", "spec.replicas"}}}}});
        std::string wantRv = str(next, {"metadata", "resourceVersion"});
        Json updated = *obj;
        updated["spec"]["replicas"] = replicas;
        // A Scale PUT carries the Deployment's resourceVersion: a stale one is a conflict.
        updated["metadata"]["resourceVersion"] =
            wantRv.empty() ? str(*obj, {"metadata", "resourceVersion"}) : wantRv;
        RequestInfo mainInfo = info;
        mainInfo.subresource.clear();
        try {
            ApiResponse r = commitUpdate(request, mainInfo, std::move(updated), *obj);
            return ApiResponse::json(200, scaleOf(type, Json::parse(r.body)));
        } catch (const ApiError &e) {
            if (e.code() == 409 && wantRv.empty() && attempt < kPatchRetries)
                continue;
            throw;
        }
    }
}

} // namespace kd::sandbox
