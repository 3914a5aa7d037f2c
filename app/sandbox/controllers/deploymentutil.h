#pragma once
// Pieces of the deployment controller that are about one object at a time: pod templates
// (equality ignoring pod-template-hash, the hash itself), reading rollout parameters and
// ReplicaSet counts from JSON, and Deployment conditions.

#include "sandbox/json.h"
#include "semantics/rollout.h"

#include <optional>
#include <string>

namespace kd::sandbox {

// The template as compared and hashed: without pod-template-hash and without null members
// (Kubernetes' semantic equality treats a missing and an empty map alike).
Json normalizedTemplate(const Json &podTemplate);
bool templatesEqualIgnoringHash(const Json &a, const Json &b);
// controller.ComputeHash: FNV-32a of the template (and collisionCount when set), its decimal
// digits spelled in the safe alphabet, as upstream names ReplicaSets `<deployment>-<hash>`.
std::string computeTemplateHash(const Json &podTemplate, std::optional<long long> collisionCount);

semantics::DeploymentParams deploymentParams(const Json &deployment);
// spec.progressDeadlineSeconds, 600 when unset (as the API server defaults it).
std::optional<int> progressDeadlineSeconds(const Json &deployment);
// The counts of one ReplicaSet (creationOrder and isNew are the caller's).
semantics::ReplicaSetCounts replicaSetCounts(const Json &rs);
std::optional<long long> revisionOf(const Json &rs); // nullopt when malformed; 0 when absent

// Deployment conditions (SetDeploymentCondition semantics: same status and reason changes
// nothing; same status keeps lastTransitionTime; the condition moves to the end).
const Json *findCondition(const Json &status, const std::string &type);
Json makeCondition(const std::string &type, const std::string &status, const std::string &reason,
                   const std::string &message, const std::string &now);
void setCondition(Json &status, Json condition);
void removeCondition(Json &status, const std::string &type);

} // namespace kd::sandbox
