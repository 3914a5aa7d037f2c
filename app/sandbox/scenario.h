#pragma once
// Scenarios: what the sandbox cluster holds when it starts. A scenario is Kubernetes manifests
// (Nodes included) in phases; each phase is applied, then the cluster runs for the phase's
// warm-up before the next one arrives, so a scenario can tell a short story (a rollout that
// starts mid-life, a deadlock that builds up) and the cluster starts "already running".
//
// Scenario files are multi-document YAML. Two comment directives, each on its own line at
// column 0, shape the phases:
//   # kubedeck:phase        documents after this line form the next phase
//   # kubedeck:warmup 120   simulated seconds to run after this phase (default 60)
// A scenario may set `status` on an object; it is kept as given (a snapshot of the cluster),
// with missing timestamps filled with the time the phase is applied.

#include "sandbox/json.h"

#include <string>
#include <string_view>
#include <vector>

namespace kd::sandbox {

class Cluster;

struct ScenarioPhase {
    std::vector<Json> objects;
    double warmupSeconds = 60;
};

struct Scenario {
    std::string name;
    std::vector<ScenarioPhase> phases;
};

// Names of the scenarios compiled into the program (resources/scenarios/*.yaml), sorted.
std::vector<std::string> builtinScenarioNames();

// NAME (built-in), a path to a YAML file, or
// `scale:pods=10000,nodes=200,deployments=500[,gpuNodes=..,services=..]`.
// Throws std::runtime_error naming the file, line and problem; every problem is reported.
Scenario loadScenario(const std::string &nameOrPath);

// Parses scenario text. `source` names the text in error messages (a file name or a built-in's).
Scenario parseScenario(std::string_view text, const std::string &source);

// Loads the phases into the cluster, running each warm-up with Cluster::step (1 s ticks; a warm-up
// of 0 settles the controllers without moving the clock). Call it
// before Cluster::start(). Objects go through the API server's admission (defaults, validation);
// an object that already exists is updated: its spec (and every other top-level field but
// metadata and status), labels and annotations are replaced. Throws std::runtime_error naming
// the object when the cluster refuses it.
void applyScenario(Cluster &cluster, const Scenario &scenario);
// Where a real-clock cluster's simulated time starts so that, once applyScenario has run the
// warm-ups, it agrees with the wall clock: objects are then never younger than "now".
double realClockStart(const Scenario &scenario);

// The namespace a kubeconfig's contexts should start in: the scenario's first Namespace that is
// not `default` or `kube-*`, else "default".
std::string defaultNamespaceOf(const Scenario &scenario);

} // namespace kd::sandbox
