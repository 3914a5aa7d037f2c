#!/usr/bin/env bash
# Installs what Kubedeck needs, then builds and runs the whole test suite twice: the `dev` preset
# (warnings are errors) and the `asan` preset (AddressSanitizer + UndefinedBehaviorSanitizer).
# Set KUBEDECK_PRESETS="dev" to run only some of them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash installer/install-deps.sh
for preset in ${KUBEDECK_PRESETS:-dev asan}; do
    echo "=== preset $preset: configure, build, test"
    cmake --preset "$preset"
    cmake --build --preset "$preset"
    ctest --preset "$preset"
done
