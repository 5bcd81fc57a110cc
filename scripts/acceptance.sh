#!/usr/bin/env bash
# Every acceptance scenario (../shared/acceptance, kept outside this repository) on every backend:
# what .ci/run cannot fit in its hour, and what it leaves out until a scenario is corrected.
#
#   bash scripts/acceptance.sh [--backend sqlite|postgres|both] [--timeout SECONDS] [SCENARIO...]
#
# SCENARIO is a name such as 03-contents or 03 (default: all of them). On `postgres` each scenario
# runs with OXMAPI_TEST_DATABASE naming a private cluster this script starts
# (scripts/pg-test-cluster.sh; Debian's `postgresql` is installed when missing) and lib.sh gives
# it a fresh database; 09-cluster starts its own PostgreSQL, so it runs once, on `postgres`.
# Scenarios run against the debug build (OX=target/debug/oxmapi, as in .ci/run). A scenario
# that runs longer than --timeout (default 1800 s) is stopped and counted as failed, so one that
# hangs is reported instead of holding the rest. Prints each scenario's last line, then a table;
# exits 1 when any scenario failed. Logs are kept in the directory it names.
set -uo pipefail
cd "$(dirname "$0")/.."

backend=both
limit=1800
names=()
while [ $# -gt 0 ]; do
  case $1 in
    --backend) backend=${2:?}; shift 2 ;;
    --timeout) limit=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) names+=("$1"); shift ;;
  esac
done
case $backend in sqlite|postgres|both) ;; *) echo "--backend: sqlite, postgres or both" >&2; exit 2 ;; esac
dir=../shared/acceptance
[ -d "$dir" ] || { echo "no $dir: check the scenarios out beside this clone" >&2; exit 2; }

scenarios=()
if [ ${#names[@]} -eq 0 ]; then
  for f in "$dir"/[0-9][0-9]-*.sh; do scenarios+=("$(basename "$f" .sh)"); done
else
  for n in "${names[@]}"; do
    f=$(ls "$dir"/"${n%.sh}"*.sh 2>/dev/null | head -1)
    [ -n "$f" ] || { echo "no scenario named $n in $dir" >&2; exit 2; }
    scenarios+=("$(basename "$f" .sh)")
  done
fi

cargo build --locked --bin oxmapi || exit 1
export OX="${CARGO_TARGET_DIR:-$PWD/target}/debug/oxmapi"
logs=$(mktemp -d /tmp/oxmapi-acceptance.XXXXXX)

pgserver=""
if [ "$backend" != sqlite ]; then
  bash scripts/install-postgres.sh || { echo "PostgreSQL cannot be installed: use --backend sqlite" >&2; exit 1; }
  pgbase=$(mktemp -d /tmp/oxmapi-acc-pg.XXXXXX)
  chmod 755 "$pgbase"
  trap 'bash scripts/pg-test-cluster.sh stop "$pgbase/c" >/dev/null 2>&1 || true; rm -rf "$pgbase"' EXIT
  pgserver=$(bash scripts/pg-test-cluster.sh start "$pgbase/c") || exit 1
fi

summary=()
failed=0
run() { # run SCENARIO BACKEND
  local s=$1 b=$2 log="$logs/$1.$2.log" started last rc
  started=$(date +%s)
  if [ "$b" = postgres ]; then
    OXMAPI_TEST_DATABASE="$pgserver" timeout -k 10 "$limit" bash "$dir/$s.sh" >"$log" 2>&1
  else
    env -u OXMAPI_TEST_DATABASE timeout -k 10 "$limit" bash "$dir/$s.sh" >"$log" 2>&1
  fi
  rc=$?
  last=$(tail -1 "$log")
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && last="timed out after ${limit} s (last line: $last)"
  [ "$rc" = 0 ] || failed=1
  printf '%-24s %-9s %5ss  %s\n' "$s" "$b" "$(($(date +%s) - started))" "$last" | tee -a "$logs/summary"
  summary+=("$s $b $rc")
}

for s in "${scenarios[@]}"; do
  case $s in
    09-*) [ "$backend" = sqlite ] || run "$s" postgres ;;
    *)
      [ "$backend" = postgres ] || run "$s" sqlite
      [ "$backend" = sqlite ] || run "$s" postgres
      ;;
  esac
done

echo
echo "== summary (logs: $logs)"
cat "$logs/summary"
exit $failed
