#!/usr/bin/env bash
# Saving messages one by one into a PST store through MAPI (the client's PST store: each
# RopSaveChangesMessage is a commit of [MS-PST] 2.6, as Outlook's PST provider makes it), measured
# with `oxmapi import` of an mbox into a new Unicode PST of a server-less profile.
#
#   scripts/bench-pst-store-import.sh [OXMAPI] [N...]
#
# OXMAPI defaults to target/release/oxmapi; N (default 1000 3000 9000) is the number of messages
# (a subject, headers and a 200-byte body each), all into one folder. Prints per N: wall seconds,
# user and system CPU seconds, messages/s and the PST's size. The ratio between the rows shows how
# the cost of one save grows with the folder it is saved into.
set -euo pipefail
OX="${1:-target/release/oxmapi}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 3000 9000)
[ -x "$OX" ] || { echo "no oxmapi binary at $OX (cargo build --release -p oxmapi)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%8s %8s %8s %8s %10s %12s\n' messages wall user sys "msgs/s" "pst bytes"
for n in "${sizes[@]}"; do
  python3 - "$n" "$work/in.mbox" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
with open(out, "w") as f:
    for i in range(n):
        f.write("From a@example.test Mon Dec  7 10:00:00 2026\n"
                "From: a@example.test\nTo: b@example.test\nSubject: message %d\n"
                "Date: Mon, 07 Dec 2026 10:00:00 +0000\nMessage-ID: <m%d@example.test>\n\n" % (i, i)
                + ("body line %d\n" % i) * 10 + "\n")
PY
  export OXMAPI_HOME="$work/home-$n" RUST_LOG=off
  echo "Secret-bench" > "$work/pw"
  "$OX" profile create bench --server http://127.0.0.1:9 --user bench >/dev/null
  "$OX" profile add-service bench MSUPST --path "$work/$n.pst" --display-name Bench --create >/dev/null
  /usr/bin/time -f "%e %U %S" -o "$work/time" \
    "$OX" --profile bench --password-file "$work/pw" --store Bench import --jobs 1 /Imported "$work/in.mbox" >/dev/null
  read -r wall user sys < "$work/time"
  printf '%8d %8.2f %8.2f %8.2f %10.0f %12d\n' "$n" "$wall" "$user" "$sys" \
    "$(python3 -c "print($n / max($wall, 0.01))")" "$(stat -c %s "$work/$n.pst")"
done
