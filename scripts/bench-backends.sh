#!/usr/bin/env bash
# The issue-16 measurements in one run (BENCHMARKS.md, "SQLite and PostgreSQL, one node and two"):
#   1. `oxmapi bench connect|contents|notify|deliver` on SQLite, then on PostgreSQL, with the same
#      parameters, and a table per bench with the ratio PostgreSQL / SQLite;
#   2. on PostgreSQL, one node against two: Execute round trips/s at 16 and 256 sessions, and
#      commit-to-sink latency with 500 waiting sessions split over the nodes;
#   3. the failover drill (`oxmapi bench failover`): kill -9 a node during a save loop and a
#      delivery loop.
#
#   bash scripts/bench-backends.sh [OUT_DIR]     (default target/bench-backends/<UTC time>)
#
# Every document is kept as OUT_DIR/<name>.json and the tables go to OUT_DIR/summary.md (and
# stdout). PostgreSQL is a private cluster started here with its durable defaults (fsync on), on
# loopback, and removed afterwards; SQLite syncs every acknowledged save, so the two are compared
# at the same durability. Per-bench arguments can be changed with BENCH_CONNECT_ARGS,
# BENCH_CONTENTS_ARGS, BENCH_NOTIFY_ARGS, BENCH_DELIVER_ARGS, BENCH_NODES_CONNECT_ARGS,
# BENCH_NODES_NOTIFY_ARGS and BENCH_FAILOVER_ARGS; ONLY="connect notify" runs a subset of
# connect contents notify deliver nodes failover. Run it on a quiet machine: nothing else
# should be using the cores.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-target/bench-backends/$(date -u +%Y%m%dT%H%M%SZ)}
ONLY=${ONLY:-connect contents notify deliver nodes failover}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  bash scripts/install-postgres.sh
fi
cargo build --release --locked --quiet --bin oxmapi
OX=$PWD/target/release/oxmapi

PGDIR=$(mktemp -d /tmp/oxbench-pg.XXXXXX)
chmod 755 "$PGDIR"
cleanup() {
  bash scripts/pg-test-cluster.sh stop "$PGDIR/c" >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap cleanup EXIT
PGURL=$(PG_TEST_DURABLE=1 bash scripts/pg-test-cluster.sh start "$PGDIR/c")

wants() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# run NAME DATABASE ARGS... : one bench, its JSON kept as OUT/NAME.json
run() {
  local name=$1 database=$2 started
  shift 2
  started=$(date +%s)
  echo "== $name: oxmapi --json bench $*" >&2
  if [ -n "$database" ]; then
    OXMAPI_BENCH_DATABASE=$database "$OX" --json bench "$@" > "$OUT/$name.json"
  else
    env -u OXMAPI_BENCH_DATABASE "$OX" --json bench "$@" > "$OUT/$name.json"
  fi
  echo "   $(( $(date +%s) - started )) s" >&2
}

compare() { # compare TITLE A B LABEL_A LABEL_B
  {
    echo
    echo "### $1"
    echo
    python3 scripts/bench-compare.py "$OUT/$2.json" "$OUT/$3.json" --labels "$4" "$5"
  } | tee -a "$OUT/summary.md"
}

{
  echo "# oxmapi bench-backends, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "$("$OX" --version); PostgreSQL $(psql --version 2>/dev/null | awk '{print $3}') (fsync on), private cluster on loopback."
} > "$OUT/summary.md"

for bench in connect contents notify deliver; do
  wants "$bench" || continue
  var="BENCH_${bench^^}_ARGS"
  # shellcheck disable=SC2086 # the arguments are meant to split
  run "$bench-sqlite" "" "$bench" ${!var:-}
  # shellcheck disable=SC2086
  run "$bench-postgresql" "$PGURL" "$bench" ${!var:-}
  compare "bench $bench: SQLite and PostgreSQL" "$bench-sqlite" "$bench-postgresql" SQLite PostgreSQL
done

if wants nodes; then
  # shellcheck disable=SC2086
  run connect-1-node "$PGURL" connect --nodes 1 ${BENCH_NODES_CONNECT_ARGS:---sessions 16,256 --idle 0}
  # shellcheck disable=SC2086
  run connect-2-nodes "$PGURL" connect --nodes 2 ${BENCH_NODES_CONNECT_ARGS:---sessions 16,256 --idle 0}
  compare "bench connect on PostgreSQL: one node and two" connect-1-node connect-2-nodes "1 node" "2 nodes"
  # shellcheck disable=SC2086
  run notify-1-node "$PGURL" notify --nodes 1 ${BENCH_NODES_NOTIFY_ARGS:---watchers 500}
  # shellcheck disable=SC2086
  run notify-2-nodes "$PGURL" notify --nodes 2 ${BENCH_NODES_NOTIFY_ARGS:---watchers 500}
  compare "bench notify on PostgreSQL: one node and two" notify-1-node notify-2-nodes "1 node" "2 nodes"
fi

if wants failover; then
  # shellcheck disable=SC2086
  run failover "$PGURL" failover ${BENCH_FAILOVER_ARGS:---clients 8 --seconds 5 --after 5}
  { echo; echo "### bench failover"; echo; echo '```json'; cat "$OUT/failover.json"; echo '```'; } | tee -a "$OUT/summary.md"
fi

echo >&2
echo "documents and summary.md in $OUT" >&2
