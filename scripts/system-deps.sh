#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when missing (needs root or sudo).
set -euo pipefail
packages=()   # e.g. chromium for browser tests; Java and PostgreSQL come with the machine image
missing=()
for p in "${packages[@]:-}"; do
  [ -z "$p" ] && continue
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
