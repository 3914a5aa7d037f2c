#pragma once
// The client's object store filled from a sandbox cluster (manual clock, no server): what the
// reflectors would deliver after their first lists, for tests of the models derived from it.

#include "model/columns.h"
#include "model/objectstore.h"
#include "sandbox/cluster.h"
#include "sandbox/resources.h"
#include "sandbox/scenario.h"

#include <memory>
#include <string>
#include <vector>

namespace kd::testing {

inline constexpr double kScenarioStart = 1'800'000'000; // 2027-01-15T08:00:00Z

// Every kind the client watches, as the sandbox holds it now.
inline void fillStore(model::ObjectStore &store, sandbox::Cluster &cluster) {
    std::vector<kube::DeltaBatch> batches;
    for (const kube::ResourceKind &kind : model::watchedKinds()) {
        const sandbox::ResourceType *type = sandbox::findResource(
            kind.group.toStdString(), kind.version.toStdString(), kind.resource.toStdString());
        if (!type)
            continue;
        kube::DeltaBatch batch;
        batch.kind = kind;
        batch.replace = true;
        for (const sandbox::ObjectPtr &o : cluster.store().list(*type))
            batch.deltas.push_back({kube::Delta::Type::Added,
                                    std::make_shared<const kube::KubeObject>(kube::Json(*o))});
        batches.push_back(std::move(batch));
    }
    store.applyBatches(batches);
}

// A manual-clock cluster after the scenario's phases and warm-ups.
inline std::unique_ptr<sandbox::Cluster> runScenario(const std::string &name) {
    auto cluster = std::make_unique<sandbox::Cluster>(
        sandbox::Cluster::Options{sandbox::Clock::Mode::Manual, 1.0, kScenarioStart});
    sandbox::applyScenario(*cluster, sandbox::loadScenario(name));
    return cluster;
}

} // namespace kd::testing
