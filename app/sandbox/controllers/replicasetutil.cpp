#include "sandbox/controllers/replicasetutil.h"

#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>
#include <map>

namespace kd::sandbox {

namespace {

std::string labelValue(const Json &labels, const std::string &key, bool *present) {
    *present = false;
    if (!labels.is_object())
        return {};
    auto it = labels.find(key);
    if (it == labels.end() || !it->is_string())
        return {};
    *present = true;
    return it->get<std::string>();
}

bool expressionMatches(const Json &expr, const Json &labels) {
    if (!expr.is_object())
        return false;
    const std::string key = str(expr, {"key"});
    const std::string op = str(expr, {"operator"});
    const Json &values = at(expr, {"values"});
    bool present = false;
    const std::string value = labelValue(labels, key, &present);
    auto inValues = [&] {
        if (!values.is_array())
            return false;
        return std::any_of(values.begin(), values.end(), [&](const Json &v) {
            return v.is_string() && v.get<std::string>() == value;
        });
    };
    if (op == "In")
        return present && inValues();
    if (op == "NotIn")
        return !present || !inValues();
    if (op == "Exists")
        return present;
    if (op == "DoesNotExist")
        return !present;
    return false;
}

const Json *readyCondition(const Json &pod) {
    const Json &conditions = at(pod, {"status", "conditions"});
    if (!conditions.is_array())
        return nullptr;
    for (const Json &c : conditions)
        if (c.is_object() && c.value("type", "") == "Ready")
            return &c;
    return nullptr;
}

} // namespace

bool selectorMatches(const Json &selector, const Json &labels) {
    if (!selector.is_object())
        return false;
    const Json &matchLabels = at(selector, {"matchLabels"});
    if (matchLabels.is_object()) {
        for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it) {
            bool present = false;
            if (!it->is_string() ||
                labelValue(labels, it.key(), &present) != it->get<std::string>() || !present)
                return false;
        }
    }
    const Json &exprs = at(selector, {"matchExpressions"});
    if (exprs.is_array())
        for (const Json &e : exprs)
            if (!expressionMatches(e, labels))
                return false;
    return true;
}

std::string selectorString(const Json &selector) {
    // Requirements sorted by key, as labels.Selector.String() prints them.
    std::multimap<std::string, std::string> parts;
    const Json &matchLabels = at(selector, {"matchLabels"});
    if (matchLabels.is_object())
        for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it)
            parts.emplace(it.key(),
                          it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump()));
    const Json &exprs = at(selector, {"matchExpressions"});
    if (exprs.is_array()) {
        for (const Json &e : exprs) {
            const std::string key = str(e, {"key"});
            const std::string op = str(e, {"operator"});
            std::vector<std::string> values;
            if (at(e, {"values"}).is_array())
                for (const Json &v : at(e, {"values"}))
                    if (v.is_string())
                        values.push_back(v.get<std::string>());
            std::sort(values.begin(), values.end());
            std::string joined;
            for (const auto &v : values)
                joined += (joined.empty() ? "" : ",") + v;
            if (op == "In")
                parts.emplace(key, key + " in (" + joined + ")");
            else if (op == "NotIn")
                parts.emplace(key, key + " notin (" + joined + ")");
            else if (op == "Exists")
                parts.emplace(key, key);
            else if (op == "DoesNotExist")
                parts.emplace(key, "!" + key);
        }
    }
    std::string out;
    for (const auto &[key, text] : parts)
        out += (out.empty() ? "" : ",") + text;
    return out;
}

const Json *controllerRefOf(const Json &obj) {
    const Json &refs = at(obj, {"metadata", "ownerReferences"});
    if (!refs.is_array())
        return nullptr;
    for (const Json &r : refs)
        if (r.is_object() && r.value("controller", false))
            return &r;
    return nullptr;
}

std::string controllerUidOf(const Json &obj) {
    const Json *ref = controllerRefOf(obj);
    return ref ? str(*ref, {"uid"}) : std::string();
}

Json makeControllerRef(const Json &owner) {
    return Json{{"apiVersion", owner.value("apiVersion", "")},
                {"kind", owner.value("kind", "")},
                {"name", nameOf(owner)},
                {"uid", uidOf(owner)},
                {"controller", true},
                {"blockOwnerDeletion", true}};
}

Json withControllerRef(const Json &obj, const Json &ref) {
    Json next = obj;
    Json &refs = next["metadata"]["ownerReferences"];
    if (!refs.is_array())
        refs = Json::array();
    refs.push_back(ref);
    return next;
}

Json withoutOwner(const Json &obj, const std::string &ownerUid) {
    Json next = obj;
    Json &meta = next["metadata"];
    if (!meta.contains("ownerReferences") || !meta["ownerReferences"].is_array())
        return next;
    Json kept = Json::array();
    for (const Json &r : meta["ownerReferences"])
        if (str(r, {"uid"}) != ownerUid)
            kept.push_back(r);
    if (kept.empty())
        meta.erase("ownerReferences");
    else
        meta["ownerReferences"] = std::move(kept);
    return next;
}

bool isTerminating(const Json &obj) {
    return !at(obj, {"metadata", "deletionTimestamp"}).is_null();
}

bool isPodActive(const Json &pod) {
    const std::string phase = str(pod, {"status", "phase"});
    return phase != "Succeeded" && phase != "Failed" && !isTerminating(pod);
}

bool isPodReady(const Json &pod) {
    const Json *c = readyCondition(pod);
    return c && c->value("status", "") == "True";
}

double podReadySince(const Json &pod) {
    const Json *c = readyCondition(pod);
    if (!c)
        return 0;
    return Clock::parseRfc3339(c->value("lastTransitionTime", ""), 0);
}

bool isPodAvailable(const Json &pod, long long minReadySeconds, double now) {
    if (!isPodReady(pod))
        return false;
    if (minReadySeconds <= 0)
        return true;
    const double since = podReadySince(pod);
    return since != 0 && since + static_cast<double>(minReadySeconds) < now;
}

double podAvailableAt(const Json &pod, long long minReadySeconds, double now) {
    if (minReadySeconds <= 0 || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now))
        return Controller::never;
    const double since = podReadySince(pod);
    if (since == 0)
        return Controller::never;
    // Availability needs "strictly after"; ask for a pass just past the boundary.
    return since + static_cast<double>(minReadySeconds) + 0.001;
}

int podMaxRestarts(const Json &pod) {
    int best = 0;
    const Json &statuses = at(pod, {"status", "containerStatuses"});
    if (statuses.is_array())
        for (const Json &cs : statuses)
            best = std::max(best, static_cast<int>(integer(cs, {"restartCount"})));
    return best;
}

const std::vector<ObjectPtr> &OwnerIndex::owned(const std::string &uid) const {
    static const std::vector<ObjectPtr> none;
    auto it = byOwner.find(uid);
    return it == byOwner.end() ? none : it->second;
}

const std::vector<ObjectPtr> &OwnerIndex::orphans(const std::string &ns) const {
    static const std::vector<ObjectPtr> none;
    auto it = orphansByNamespace.find(ns);
    return it == orphansByNamespace.end() ? none : it->second;
}

OwnerIndex indexByController(const std::vector<ObjectPtr> &objects) {
    OwnerIndex index;
    for (const ObjectPtr &o : objects) {
        const std::string uid = controllerUidOf(*o);
        if (uid.empty())
            index.orphansByNamespace[namespaceOf(*o)].push_back(o);
        else
            index.byOwner[uid].push_back(o);
    }
    return index;
}

bool deletePodGracefully(ControllerContext &ctx, const Json &pod) {
    const ResourceType &pods = resourceType("v1", "Pod");
    try {
        if (str(pod, {"spec", "nodeName"}).empty()) {
            ctx.store.remove(pods, namespaceOf(pod), nameOf(pod), uidOf(pod));
            return true;
        }
        if (isTerminating(pod))
            return true;
        Json next = pod;
        next["metadata"]["deletionTimestamp"] = Clock::rfc3339(ctx.now);
        next["metadata"]["deletionGracePeriodSeconds"] =
            integer(pod, {"spec", "terminationGracePeriodSeconds"}, 30);
        ctx.store.update(pods, std::move(next), WritePart::Everything);
        return true;
    } catch (const ApiError &) {
        return false; // changed or gone meanwhile: the next pass looks again
    }
}

bool RetryBackoff::due(const std::string &key, double now) const {
    auto it = m_entries.find(key);
    return it == m_entries.end() || now >= it->second.at;
}

double RetryBackoff::failed(const std::string &key, double now) {
    Entry &e = m_entries[key];
    e.delay = e.delay <= 0 ? 1 : std::min(e.delay * 2, 300.0);
    e.at = now + e.delay;
    return e.at;
}

double RetryBackoff::retryAt(const std::string &key) const {
    auto it = m_entries.find(key);
    return it == m_entries.end() ? Controller::never : it->second.at;
}

void setOmitEmpty(Json &obj, const char *key, long long value) {
    if (value == 0)
        obj.erase(key);
    else
        obj[key] = value;
}

} // namespace kd::sandbox
