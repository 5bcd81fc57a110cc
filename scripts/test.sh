#!/usr/bin/env bash
# Every test of the project (the README's test command; .ci/run calls it).
#
#  0. tmux for the editor's terminal tests (scripts/install-tmux.sh, Debian's package).
#  1. `cargo test --workspace`: every crate on the default backend (SQLite files), plus the
#     PostgreSQL backend's own tests (they start nothing themselves and are skipped, saying so,
#     when OXMAPI_TEST_DATABASE is unset — step 2 runs them).
#  2. The store, server, client and conformance suites again on PostgreSQL: Debian's
#     `postgresql` package is installed when missing (scripts/install-postgres.sh, needs root),
#     a private cluster is started on a free loopback port (scripts/pg-test-cluster.sh) and
#     removed afterwards, and OXMAPI_TEST_DATABASE points the suites at it. Without PostgreSQL
#     binaries (and no way to install them) step 2 is skipped with the reason printed; with
#     OXMAPI_REQUIRE_POSTGRES=1 (CI) that is a failure instead.
#
# Arguments are passed to both cargo runs (e.g. `--release`). OXMAPI_TEST_DATABASE already set
# (a server of your own, no database name in the URL) is used as it is for step 2.
set -euo pipefail
cd "$(dirname "$0")/.."

# The editor's terminal tests drive `oxmapi editor` through tmux (they skip, saying so, without it).
bash scripts/install-tmux.sh || echo "== tmux missing: the editor's terminal tests will skip"

echo "== tests on SQLite (cargo test --workspace)"
cargo test --workspace --locked "$@"

PG_SUITES=(-p oxmapi-store -p oxmapi-server -p oxmapi-client -p oxmapi-conformance)
# The command-line tests that run only on a PostgreSQL site (several nodes, migration, the
# PostgreSQL seeding of bench contents); on SQLite they print why they skip.
PG_CLI_TESTS=(delivery_takeover admin_migrate bench_nodes bench_contents)
CLUSTER=""
stop_cluster() {
  if [ -n "$CLUSTER" ]; then
    bash scripts/pg-test-cluster.sh stop "$CLUSTER" >/dev/null 2>&1 || true
    rm -rf "$(dirname "$CLUSTER")"
  fi
}
trap stop_cluster EXIT

if [ -z "${OXMAPI_TEST_DATABASE:-}" ]; then
  if ! bash scripts/install-postgres.sh; then
    if [ "${OXMAPI_REQUIRE_POSTGRES:-0}" = 1 ]; then
      echo "PostgreSQL is required (OXMAPI_REQUIRE_POSTGRES=1) but cannot be installed" >&2
      exit 1
    fi
    echo "== PostgreSQL suites skipped: no PostgreSQL server binaries and no way to install them"
    exit 0
  fi
  base=$(mktemp -d /tmp/oxmapi-pg.XXXXXX)
  chmod 755 "$base"   # the cluster runs as user postgres when we are root: it must reach DIR
  CLUSTER="$base/c"
  OXMAPI_TEST_DATABASE=$(bash scripts/pg-test-cluster.sh start "$CLUSTER")
  export OXMAPI_TEST_DATABASE
fi

echo "== tests on PostgreSQL ($OXMAPI_TEST_DATABASE): ${PG_SUITES[*]}"
cargo test --locked "${PG_SUITES[@]}" "$@"
echo "== command-line tests that need PostgreSQL: ${PG_CLI_TESTS[*]}"
cargo test --locked -p oxmapi $(printf -- '--test %s ' "${PG_CLI_TESTS[@]}") "$@"
