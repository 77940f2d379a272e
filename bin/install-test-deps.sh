#!/usr/bin/env bash
# Installs the Debian packages the tests use. Idempotent; needs root.
set -euo pipefail
# tinyproxy: the proxy tests (a real forward proxy on loopback). curl, openssl and unzip: the benchmark, the distribution test (HTTPS) and the distribution build.
pkgs=(nginx-light docker-registry skopeo chromium chromium-driver fonts-ipafont-gothic fonts-nanum espeak-ng sox zsh tmux groff-base curl openssl unzip tinyproxy)
# aria2: the peer of bench/ranged.sh only (several connections per file); tests never use it, so CI
# skips it: bin/install-test-deps.sh --bench adds it.
if [ "${1:-}" = --bench ]; then
  pkgs+=(aria2)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-test-deps: installing ${missing[*]}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
