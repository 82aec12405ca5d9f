#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when they are missing (needs root or
# sudo): a PostgreSQL server (SQL export proof against a real server), a Java runtime (PMML
# evaluated by jpmml-evaluator), both on the development machine image, and Chromium for the
# browser tests (Playwright drives /usr/bin/chromium; it never downloads a browser).
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v java >/dev/null || missing+=(default-jre-headless)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
