#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when they are missing (needs root or
# sudo): a PostgreSQL server (SQL export proof against a real server) and a Java runtime (PMML
# evaluated by jpmml-evaluator). Both come with the development machine image.
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v java >/dev/null || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
