#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests (issue 16): nothing is installed here (see
# scripts/install-postgres.sh for CI), the server binaries are found in
# /usr/lib/postgresql/*/bin (Debian's `postgresql` package) or on PATH.
#
#   scripts/pg-test-cluster.sh start DIR   initdb into DIR/data (as user postgres when run as
#                                           root), start on a free loopback port, print the URL
#                                           postgres://oxmapi@127.0.0.1:PORT (no database name),
#                                           the value OXMAPI_TEST_DATABASE expects
#   scripts/pg-test-cluster.sh url DIR     print the URL of the cluster running in DIR
#   scripts/pg-test-cluster.sh stop DIR    stop it (the files stay; remove DIR yourself)
#
# PG_TEST_BIN_DIRS (a glob, default /usr/lib/postgresql/*/bin) says where to look before PATH;
# the newest version found is used.
# Exit status 3: no PostgreSQL server binaries on this machine (the reason is printed).
# The cluster trusts local connections and listens only on 127.0.0.1: for tests, never for data.
# It runs with fsync off (a test cluster survives the death of its clients and of the server
# process, not a power loss), which makes the suites several times faster. PG_TEST_DURABLE=1
# keeps PostgreSQL's defaults (fsync, full_page_writes) instead: benchmarks compare it with
# SQLite, which syncs every acknowledged save (scripts/bench-backends.sh sets it).
# PG_TEST_SSL_CERT and PG_TEST_SSL_KEY (PEM files readable by the cluster's owner) turn TLS on
# with that certificate and key (the TLS tests of crates/store set them); plain connections are
# still accepted.
set -euo pipefail

usage() { echo "usage: $0 start|url|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

find_bin() {
  local d
  # shellcheck disable=SC2086 # the glob is meant to expand
  d=$(ls -d ${PG_TEST_BIN_DIRS:-/usr/lib/postgresql/*/bin} 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  echo "PostgreSQL server binaries (initdb, pg_ctl) not found in ${PG_TEST_BIN_DIRS:-/usr/lib/postgresql/*/bin} or on PATH;" \
       "install Debian's postgresql package (scripts/install-postgres.sh does)" >&2
  exit 3
}

# Runs a command as the cluster's owner: user postgres when we are root (PostgreSQL refuses to
# run as root), ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  else
    echo $(( 20000 + RANDOM % 40000 ))
  fi
}

case $cmd in
  start)
    bin=$(find_bin)
    case $dir in *[[:space:]]*) echo "the cluster directory must not contain spaces: $dir" >&2; exit 1 ;; esac
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # The server's Unix socket lives in DIR; its path must fit sockaddr_un (107 bytes).
    if [ $(( ${#dir} + 18 )) -gt 107 ]; then echo "the cluster directory's path is too long for a Unix socket: $dir" >&2; exit 1; fi
    if [ -e "$dir/data/PG_VERSION" ]; then echo "$dir already holds a cluster; stop it and remove $dir first" >&2; exit 1; fi
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"
      if ! runuser -u postgres -- test -x "$dir"; then
        echo "user postgres cannot reach $dir: make its parent directories traversable (chmod o+x)" >&2; exit 1
      fi
    fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U oxmapi -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    settings="-c max_connections=300"
    if [ -n "${PG_TEST_SSL_CERT:-}" ] && [ -n "${PG_TEST_SSL_KEY:-}" ]; then
      # PostgreSQL refuses a key file that others can read: copy both into the data directory.
      as_owner install -m 600 "$PG_TEST_SSL_CERT" "$dir/data/server.crt"
      as_owner install -m 600 "$PG_TEST_SSL_KEY" "$dir/data/server.key"
      settings="$settings -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"
    fi
    if [ "${PG_TEST_DURABLE:-0}" != 1 ]; then settings="$settings -c fsync=off -c full_page_writes=off"; fi
    # A port taken between free_port and the start makes pg_ctl fail: try a few.
    for _ in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
           -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings" \
           start >/dev/null 2>&1; then
        echo "postgres://oxmapi@127.0.0.1:$port" > "$dir/url"
        cat "$dir/url"
        exit 0
      fi
    done
    echo "PostgreSQL did not start; its log:" >&2; cat "$dir/log" >&2 || true
    exit 1
    ;;
  url)
    cat "$dir/url"
    ;;
  stop)
    bin=$(find_bin)
    [ -e "$dir/data/PG_VERSION" ] || { echo "no cluster in $dir" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) usage ;;
esac
