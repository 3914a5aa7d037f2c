// The new ReplicaSet of a Deployment (upstream getNewReplicaSet): found by template, kept in
// step with the Deployment's annotations and revision, or created as `<deployment>-<hash>`.
#include "sandbox/controllers/deploymentsync.h"

#include "sandbox/admission.h"
#include "sandbox/apierror.h"
#include "sandbox/clock.h"
#include "sandbox/controllers/deploymentutil.h"
#include "sandbox/controllers/replicasetutil.h"
#include "sandbox/eventrecorder.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"
#include "semantics/rolloutrevision.h"
#include "semantics/rolloutstatus.h"

#include <algorithm>
#include <set>

namespace kd::sandbox {

namespace {

constexpr const char *kComponent = "deployment-controller";

const ResourceType &replicaSetType() {
    return resourceType("apps/v1", "ReplicaSet");
}

// Annotations that belong to the ReplicaSet itself, never copied from the Deployment.
bool skipCopyAnnotation(const std::string &key) {
    static const std::set<std::string> skip{"kubectl.kubernetes.io/last-applied-configuration",
                                            semantics::kRevisionAnnotation,
                                            semantics::kRevisionHistoryAnnotation,
                                            semantics::kDesiredReplicasAnnotation,
                                            semantics::kMaxReplicasAnnotation,
                                            "deprecated.deployment.rollback.to"};
    return skip.count(key) > 0;
}

// SetDeploymentRevision.
bool setDeploymentRevision(Json &d, const std::string &revision) {
    Json &annotations = d["metadata"]["annotations"];
    if (!annotations.is_object())
        annotations = Json::object();
    if (annotations.value(semantics::kRevisionAnnotation, "") == revision)
        return false;
    annotations[semantics::kRevisionAnnotation] = revision;
    return true;
}

// The revision part of SetNewReplicaSetAnnotations; false when the RS's revision is malformed
// (upstream then leaves the whole ReplicaSet alone).
bool applyRevision(Json &rs, long long newRevision, bool *changed) {
    const Json &current = at(rs, {"metadata", "annotations", semantics::kRevisionAnnotation});
    const std::optional<std::string> cur =
        current.is_string() ? std::optional<std::string>(current.get<std::string>()) : std::nullopt;
    if (!semantics::parseRevision(cur.value_or(std::string())))
        return false;
    const auto update = semantics::updateRevision(
        cur, str(rs, {"metadata", "annotations", semantics::kRevisionHistoryAnnotation}),
        newRevision);
    if (update.changed) {
        Json &annotations = rs["metadata"]["annotations"];
        annotations[semantics::kRevisionAnnotation] = update.revision;
        if (!update.history.empty())
            annotations[semantics::kRevisionHistoryAnnotation] = update.history;
        *changed = true;
    }
    return true;
}

} // namespace

bool DeploymentSync::copyAnnotationsToReplicaSet(Json &rs) const {
    Json &annotations = rs["metadata"]["annotations"];
    if (!annotations.is_object())
        annotations = Json::object();
    bool changed = false;
    const Json &from = at(m_d, {"metadata", "annotations"});
    if (!from.is_object())
        return false;
    for (auto it = from.begin(); it != from.end(); ++it) {
        if (skipCopyAnnotation(it.key()) ||
            (annotations.contains(it.key()) && annotations[it.key()] == *it))
            continue;
        annotations[it.key()] = *it;
        changed = true;
    }
    return changed;
}

void DeploymentSync::syncRevision(bool createIfNotExisted) {
    if (m_revisionInSync && m_new)
        return; // a sync calls this several times; the answer does not change within it
    // FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's.
    const Json &tmpl = at(m_d, {"spec", "template"});
    m_new.reset();
    for (std::size_t i = 0; i < m_rs.size() && !m_new; ++i)
        if (templatesEqualIgnoringHash(at(m_rs[i], {"spec", "template"}), tmpl))
            m_new = i;
    long long maxOld = 0;
    for (std::size_t i = 0; i < m_rs.size(); ++i)
        if (!m_new || *m_new != i)
            maxOld = std::max(maxOld, revisionOf(m_rs[i]).value_or(0));
    const long long newRevision = maxOld + 1;

    if (!m_new) {
        if (createIfNotExisted && m_mayCreate)
            createNewReplicaSet(newRevision);
        return;
    }

    Json rs = m_rs[*m_new];
    bool annotationsChanged = copyAnnotationsToReplicaSet(rs);
    if (!applyRevision(rs, newRevision, &annotationsChanged))
        annotationsChanged = false;
    const long long minReady = integer(m_d, {"spec", "minReadySeconds"});
    const bool minReadyChanged = integer(rs, {"spec", "minReadySeconds"}) != minReady;
    if (annotationsChanged || minReadyChanged) {
        setOmitEmpty(rs["spec"], "minReadySeconds", minReady);
        try {
            m_rs[*m_new] = *m_ctx.store.update(replicaSetType(), std::move(rs));
        } catch (const ApiError &) {
            throw Retry{};
        }
        return; // the Deployment's revision follows on the next sync, as upstream does
    }

    bool needsUpdate = setDeploymentRevision(
        m_d, str(rs, {"metadata", "annotations", semantics::kRevisionAnnotation}));
    if (semantics::hasProgressDeadline(progressDeadlineSeconds(m_d)) &&
        !findCondition(at(m_d, {"status"}), "Progressing")) {
        setCondition(m_d["status"],
                     makeCondition("Progressing", "True", semantics::kReasonFoundNewReplicaSet,
                                   "Found new replica set \"" + nameOf(rs) + "\"",
                                   Clock::rfc3339(m_ctx.now)));
        needsUpdate = true;
    }
    if (needsUpdate)
        writeDeployment();
    m_revisionInSync = true;
}

void DeploymentSync::createNewReplicaSet(long long newRevision) {
    const Json &collisionJson = at(m_d, {"status", "collisionCount"});
    const std::optional<long long> collisionCount =
        collisionJson.is_number_integer() ? std::optional<long long>(collisionJson.get<long long>())
                                          : std::nullopt;
    const std::string hash = computeTemplateHash(at(m_d, {"spec", "template"}), collisionCount);

    Json tmpl = at(m_d, {"spec", "template"});
    if (!tmpl.is_object())
        tmpl = Json::object();
    tmpl["metadata"]["labels"][semantics::kPodTemplateHashLabel] = hash;
    Json selector = at(m_d, {"spec", "selector"});
    if (!selector.is_object())
        selector = Json::object();
    selector["matchLabels"][semantics::kPodTemplateHashLabel] = hash;

    Json rs{{"apiVersion", "apps/v1"},
            {"kind", "ReplicaSet"},
            {"metadata",
             {{"name", nameOf(m_d) + "-" + hash},
              {"namespace", namespaceOf(m_d)},
              {"ownerReferences", Json::array({makeControllerRef(m_d)})},
              {"labels", tmpl["metadata"]["labels"]}}},
            {"spec", {{"replicas", 0}, {"selector", selector}, {"template", tmpl}}}};
    setOmitEmpty(rs["spec"], "minReadySeconds", integer(m_d, {"spec", "minReadySeconds"}));

    std::vector<semantics::ReplicaSetCounts> all = counts();
    semantics::ReplicaSetCounts fresh;
    fresh.isNew = true;
    fresh.creationOrder = static_cast<long long>(all.size());
    all.push_back(fresh);
    const int newReplicas = semantics::newRSNewReplicas(m_params, all, 0);
    rs["spec"]["replicas"] = newReplicas;
    copyAnnotationsToReplicaSet(rs);
    rs["metadata"]["annotations"][semantics::kRevisionAnnotation] = std::to_string(newRevision);
    setReplicasAnnotations(rs);

    const bool hasDeadline = semantics::hasProgressDeadline(progressDeadlineSeconds(m_d));
    const std::string now = Clock::rfc3339(m_ctx.now);
    bool alreadyExists = false;
    ObjectPtr created;
    try {
        admitCreate(replicaSetType(), rs, m_ctx.store);
        created = m_ctx.store.create(replicaSetType(), rs);
    } catch (const ApiError &e) {
        if (e.code() == 409 && e.reason() == "AlreadyExists") {
            ObjectPtr existing = m_ctx.store.get(replicaSetType(), namespaceOf(m_d), nameOf(rs));
            if (existing && controllerUidOf(*existing) == uidOf(m_d) &&
                templatesEqualIgnoringHash(at(*existing, {"spec", "template"}),
                                           at(m_d, {"spec", "template"}))) {
                created = existing;
                alreadyExists = true;
            } else {
                // A different ReplicaSet holds the name: hash again with a higher collisionCount.
                m_d["status"]["collisionCount"] = collisionCount.value_or(0) + 1;
                writeDeployment();
                throw Retry{};
            }
        } else {
            const std::string message =
                "Failed to create new replica set \"" + nameOf(rs) + "\": " + std::string(e.what());
            if (hasDeadline) {
                setCondition(m_d["status"],
                             makeCondition("Progressing", "False",
                                           semantics::kReasonReplicaSetCreateError, message, now));
                try {
                    writeDeployment();
                } catch (const Retry &) {
                }
            }
            m_ctx.events.record(m_d, "Warning", semantics::kReasonReplicaSetCreateError, message,
                                kComponent);
            m_createFailed = true;
            return;
        }
    }
    m_rs.push_back(*created);
    m_new = m_rs.size() - 1;
    if (!alreadyExists && newReplicas > 0)
        m_ctx.events.record(m_d, "Normal", "ScalingReplicaSet",
                            "Scaled up replica set " + nameOf(*created) + " to " +
                                std::to_string(newReplicas),
                            kComponent);
    bool needsUpdate = setDeploymentRevision(m_d, std::to_string(newRevision));
    if (!alreadyExists && hasDeadline) {
        setCondition(m_d["status"],
                     makeCondition("Progressing", "True", semantics::kReasonNewReplicaSetCreated,
                                   "Created new replica set \"" + nameOf(*created) + "\"", now));
        needsUpdate = true;
    }
    if (needsUpdate)
        writeDeployment();
    m_revisionInSync = true;
}

} // namespace kd::sandbox
