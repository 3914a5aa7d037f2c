#include "sandbox/controllers/deploymentutil.h"

#include "semantics/rolloutrevision.h"

#include <cstdint>

namespace kd::sandbox {

namespace {

void dropNulls(Json &v) {
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end();) {
            if (it->is_null()) {
                it = v.erase(it);
            } else {
                dropNulls(*it);
                ++it;
            }
        }
    } else if (v.is_array()) {
        for (Json &e : v)
            dropNulls(e);
    }
}

} // namespace

Json normalizedTemplate(const Json &podTemplate) {
    Json t = podTemplate.is_object() ? podTemplate : Json::object();
    dropNulls(t);
    if (t.contains("metadata") && t["metadata"].is_object()) {
        Json &m = t["metadata"];
        if (m.contains("labels") && m["labels"].is_object())
            m["labels"].erase(semantics::kPodTemplateHashLabel);
        for (const char *k : {"labels", "annotations"})
            if (m.contains(k) && m[k].is_object() && m[k].empty())
                m.erase(k);
        if (m.empty())
            t.erase("metadata");
    }
    return t;
}

namespace {

// Labels equal apart from pod-template-hash.
bool labelsEqualExceptHash(const Json &a, const Json &b) {
    auto covered = [](const Json &x, const Json &y) {
        for (auto it = x.begin(); it != x.end(); ++it) {
            if (it.key() == semantics::kPodTemplateHashLabel)
                continue;
            auto other = y.find(it.key());
            if (other == y.end() || *other != *it)
                return false;
        }
        return true;
    };
    return a.is_object() && b.is_object() && covered(a, b) && covered(b, a);
}

// Equal as they stand apart from the hash label: the usual case of a ReplicaSet made from this
// template, decided without copying either.
bool equalExceptHashLabel(const Json &a, const Json &b) {
    if (!a.is_object() || !b.is_object() || a.size() != b.size())
        return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
        auto other = b.find(it.key());
        if (other == b.end())
            return false;
        if (it.key() != "metadata" || !it->is_object() || !other->is_object()) {
            if (*it != *other)
                return false;
            continue;
        }
        const Json &ma = *it, &mb = *other;
        if (ma.size() != mb.size())
            return false;
        for (auto f = ma.begin(); f != ma.end(); ++f) {
            auto g = mb.find(f.key());
            if (g == mb.end())
                return false;
            if (f.key() == "labels" ? !labelsEqualExceptHash(*f, *g) : *f != *g)
                return false;
        }
    }
    return true;
}

} // namespace

bool templatesEqualIgnoringHash(const Json &a, const Json &b) {
    return equalExceptHashLabel(a, b) || normalizedTemplate(a) == normalizedTemplate(b);
}

std::string computeTemplateHash(const Json &podTemplate, std::optional<long long> collisionCount) {
    std::uint32_t h = 2166136261u;
    auto feed = [&h](unsigned char c) {
        h ^= c;
        h *= 16777619u;
    };
    for (char c : normalizedTemplate(podTemplate).dump())
        feed(static_cast<unsigned char>(c));
    if (collisionCount) {
        // Upstream writes the count as a little-endian uint32 into an 8-byte buffer.
        const auto n = static_cast<std::uint32_t>(*collisionCount);
        for (int i = 0; i < 8; ++i)
            feed(i < 4 ? static_cast<unsigned char>((n >> (8 * i)) & 0xFF) : 0);
    }
    static constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::string out;
    for (char digit : std::to_string(h))
        out += alphabet[static_cast<unsigned char>(digit) % alphabet.size()];
    return out;
}

semantics::DeploymentParams deploymentParams(const Json &d) {
    return semantics::deploymentParamsFromJson(d);
}

std::optional<int> progressDeadlineSeconds(const Json &d) {
    const Json &v = at(d, {"spec", "progressDeadlineSeconds"});
    if (v.is_number_integer())
        return static_cast<int>(v.get<long long>());
    return 600;
}

std::optional<long long> revisionOf(const Json &rs) {
    return semantics::parseRevision(
        str(rs, {"metadata", "annotations", semantics::kRevisionAnnotation}));
}

semantics::ReplicaSetCounts replicaSetCounts(const Json &rs) {
    return semantics::replicaSetCountsFromJson(rs);
}

const Json *findCondition(const Json &status, const std::string &type) {
    const Json &conditions = at(status, {"conditions"});
    if (!conditions.is_array())
        return nullptr;
    for (const Json &c : conditions)
        if (c.is_object() && c.value("type", "") == type)
            return &c;
    return nullptr;
}

Json makeCondition(const std::string &type, const std::string &status, const std::string &reason,
                   const std::string &message, const std::string &now) {
    return Json{{"type", type},          {"status", status},
                {"lastUpdateTime", now}, {"lastTransitionTime", now},
                {"reason", reason},      {"message", message}};
}

void setCondition(Json &status, Json condition) {
    const std::string type = condition.value("type", "");
    if (const Json *cur = findCondition(status, type)) {
        if (cur->value("status", "") == condition.value("status", "") &&
            cur->value("reason", "") == condition.value("reason", ""))
            return;
        if (cur->value("status", "") == condition.value("status", ""))
            condition["lastTransitionTime"] = cur->value("lastTransitionTime", Json());
    }
    removeCondition(status, type);
    if (!status.contains("conditions") || !status["conditions"].is_array())
        status["conditions"] = Json::array();
    status["conditions"].push_back(std::move(condition));
}

void removeCondition(Json &status, const std::string &type) {
    if (!status.is_object() || !status.contains("conditions") || !status["conditions"].is_array())
        return;
    Json kept = Json::array();
    for (const Json &c : status["conditions"])
        if (!c.is_object() || c.value("type", "") != type)
            kept.push_back(c);
    if (kept.empty())
        status.erase("conditions"); // omitempty
    else
        status["conditions"] = std::move(kept);
}

} // namespace kd::sandbox
