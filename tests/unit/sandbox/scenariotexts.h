#pragma once
// A scenario with three phases, shared by the scenario parsing and loading tests.

namespace kd::testing {

inline constexpr const char *kTwoPhases = R"(# kubedeck:warmup 10
apiVersion: v1
kind: Namespace
metadata:
  name: ml
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ml
  labels: {tier: one}
data:
  threshold: "0.4"
# kubedeck:phase
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ml
  annotations: {note: second}
data:
  threshold: "0.5"
  model: v2
# kubedeck:phase
# kubedeck:warmup 0
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
)";

} // namespace kd::testing
