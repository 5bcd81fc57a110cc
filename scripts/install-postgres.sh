#!/usr/bin/env bash
# Installs Debian's PostgreSQL server for the PostgreSQL test runs (CI, issue 16) when its
# binaries are missing; does nothing when scripts/pg-test-cluster.sh can already find them.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# The package's own cluster is not wanted: the tests start private ones.
apt-get install -y -q --no-install-recommends postgresql >/dev/null
