#!/usr/bin/env bash
# Installs every Debian 12 package Kubedeck needs to build, test and run, and unpacks Debian's
# kubectl 1.20 (package kubernetes-client) into build/tools/ for the integration tests, without
# touching any kubectl that another package owns. Idempotent and non-interactive; run as root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
export DEBIAN_FRONTEND=noninteractive

mapfile -t packages < <(grep -v '^\s*#' "$here/packages-debian.txt" | sed '/^\s*$/d')
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# kubectl 1.20 from Debian, as a real client for the integration tests.
tools="$root/build/tools"
if [ ! -x "$tools/kubectl" ]; then
    mkdir -p "$tools/deb"
    (cd "$tools/deb" && { ls kubernetes-client_*.deb >/dev/null 2>&1 || {
        apt-get update -qq
        apt-get download kubernetes-client 2>/dev/null || {
            # apt-get download drops privileges to _apt, which cannot write every folder.
            apt-get install -y -qq --download-only --reinstall kubernetes-client
            cp /var/cache/apt/archives/kubernetes-client_*.deb .
        }
    }; })
    dpkg-deb -x "$(ls "$tools"/deb/kubernetes-client_*.deb | head -n1)" "$tools/unpacked"
    ln -sf "$tools/unpacked/usr/bin/kubectl" "$tools/kubectl"
fi
echo "install-deps: ready ($("$tools/kubectl" version --client --short 2>/dev/null || echo 'kubectl unpacked'))"
