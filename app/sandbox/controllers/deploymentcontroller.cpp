// The deployment controller (upstream pkg/controller/deployment): per pass, every Deployment
// claims its ReplicaSets and is synced by DeploymentSync. ReplicaSets and pods are indexed by
// their controller's uid once per pass, so a pass stays linear in the number of objects.
#include "sandbox/apierror.h"
#include "sandbox/controllers/controllers.h"
#include "sandbox/controllers/deploymentsync.h"
#include "sandbox/controllers/replicasetutil.h"
#include "sandbox/resources.h"
#include "sandbox/store.h"

#include <algorithm>

namespace kd::sandbox {

namespace {

class DeploymentController final : public Controller {
public:
    const char *name() const override { return "deployment-controller"; }
    double reconcile(ControllerContext &ctx) override;

private:
    static std::vector<Json> claimReplicaSets(ControllerContext &ctx, const Json &d,
                                              const OwnerIndex &rsIndex);

    RetryBackoff m_createBackoff; // new ReplicaSets the API server refused, by Deployment uid
};

std::vector<Json> DeploymentController::claimReplicaSets(ControllerContext &ctx, const Json &d,
                                                         const OwnerIndex &rsIndex) {
    const ResourceType &rsType = resourceType("apps/v1", "ReplicaSet");
    const Json &selector = at(d, {"spec", "selector"});
    const std::string uid = uidOf(d);
    std::vector<Json> claimed;
    for (const ObjectPtr &rs : rsIndex.owned(uid)) {
        if (selectorMatches(selector, at(*rs, {"metadata", "labels"}))) {
            claimed.push_back(*rs);
            continue;
        }
        // The selector no longer covers it: release it as an orphan.
        try {
            ctx.store.update(rsType, withoutOwner(*rs, uid));
        } catch (const ApiError &) {
        }
    }
    if (isTerminating(d))
        return claimed;
    for (const ObjectPtr &rs : rsIndex.orphans(namespaceOf(d))) {
        if (isTerminating(*rs) || !selectorMatches(selector, at(*rs, {"metadata", "labels"})))
            continue;
        try {
            claimed.push_back(
                *ctx.store.update(rsType, withControllerRef(*rs, makeControllerRef(d))));
        } catch (const ApiError &) {
        }
    }
    return claimed;
}

double DeploymentController::reconcile(ControllerContext &ctx) {
    const std::vector<ObjectPtr> deployments =
        ctx.store.list(resourceType("apps/v1", "Deployment"));
    if (deployments.empty())
        return never;
    const OwnerIndex rsIndex =
        indexByController(ctx.store.list(resourceType("apps/v1", "ReplicaSet")));
    // Only Recreate looks at pods; most passes need no pod index at all.
    const bool anyRecreate =
        std::any_of(deployments.begin(), deployments.end(), [](const ObjectPtr &d) {
            return str(*d, {"spec", "strategy", "type"}) == "Recreate";
        });
    const OwnerIndex podIndex =
        anyRecreate ? indexByController(ctx.store.list(resourceType("v1", "Pod"))) : OwnerIndex{};
    double next = never;
    for (const ObjectPtr &d : deployments) {
        std::vector<Json> replicaSets = claimReplicaSets(ctx, *d, rsIndex);
        // Recreate's podMap: pods of these ReplicaSets that the Deployment still selects.
        std::vector<ObjectPtr> pods;
        const Json &selector = at(*d, {"spec", "selector"});
        if (str(*d, {"spec", "strategy", "type"}) == "Recreate")
            for (const Json &rs : replicaSets)
                for (const ObjectPtr &p : podIndex.owned(uidOf(rs)))
                    if (selectorMatches(selector, at(*p, {"metadata", "labels"})))
                        pods.push_back(p);
        const std::string uid = uidOf(*d);
        const bool mayCreate = m_createBackoff.due(uid, ctx.now);
        DeploymentSync sync(ctx, *d, std::move(replicaSets), std::move(pods), mayCreate);
        next = std::min(next, sync.run());
        if (sync.createFailed())
            m_createBackoff.failed(uid, ctx.now);
        else if (mayCreate)
            m_createBackoff.succeeded(uid);
        next = std::min(next, m_createBackoff.retryAt(uid));
    }
    return next;
}

} // namespace

std::unique_ptr<Controller> makeDeploymentController() {
    return std::make_unique<DeploymentController>();
}

} // namespace kd::sandbox
