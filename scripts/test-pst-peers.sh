#!/usr/bin/env bash
# Tests scripts/pst-peers on test-data files where oxmapi and all four peers agree (exit 0), and
# that a difference is caught: --expect with the sender and one attachment hash changed exits 1
# and names both. Then the files our PST writer makes: test-data files converted with
# `oxmapi pst convert` must read, in every peer, as the source reads in that peer (--expect), and
# a file written through the CLI (folders, messages with recipients and attachments, imported
# .msg/.eml/.pst with embedded messages, a delete, a mailbox folder exported to PST, a merge)
# must read the same in all five readers. Last, the files the writer's property test writes
# (random folder/message operations, a fixed seed; OXMAPI_PST_PROPTEST_CASES cases, default 24):
# every reader must read each as the test's model says it holds (--expect). A missing peer
# (pst-peers exit 2) skips with its printed reason.
# Usage: bash scripts/test-pst-peers.sh [TESTDATA_DIR]   (default ../shared/testdata)
# OX=PATH names the oxmapi binary to write with (default: built here, debug).
set -uo pipefail
cd "$(dirname "$0")/.."
TD="${1:-../shared/testdata}"
if [ ! -d "$TD" ]; then
  echo "test-pst-peers: SKIP: no test data at $TD"
  exit 0
fi
fail=0
tmp=$(mktemp -d)
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; }; rm -rf "$tmp"' EXIT
files=("ruby-msg/attachAndInline.pst" "pst_to_eml/threeItems.pst" "ruby-msg/200 recipients.pst" "pstsdk/test_unicode.pst" "ruby-msg/msgInMsg.pst" "tika/testPST.pst" "Aspose.Email-for-.NET/SampleOstFile.ost")
for f in "${files[@]}"; do
  out=$(scripts/pst-peers "$TD/$f" --json "$tmp/inv.json" 2>&1)
  rc=$?
  if [ $rc = 2 ]; then
    echo "test-pst-peers: SKIP: a peer is missing:"
    printf '%s\n' "$out" | grep MISSING
    exit 0
  fi
  if [ $rc = 0 ]; then echo "ok: the readers agree on $f"; else echo "FAIL: $f (exit $rc)"; printf '%s\n' "$out"; fail=1; fi
done
# A changed expectation must be reported (the sender and one attachment hash changed).
f="ruby-msg/attachAndInline.pst"
scripts/pst-peers --no-build "$TD/$f" --json "$tmp/inv.json" >/dev/null 2>&1
python3 - "$tmp/inv.json" "$tmp/expect.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
it = doc["inventories"]["oxmapi"]["items"][0]
it["sender"] = "changed@example.test"
it["attachments"][0] = "sha256:" + "0" * 64
json.dump(doc, open(sys.argv[2], "w"))
PY
out=$(scripts/pst-peers --no-build "$TD/$f" --expect "$tmp/expect.json" 2>&1)
rc=$?
if [ $rc = 1 ] && printf '%s' "$out" | grep -q "changed@example.test" && printf '%s' "$out" | grep -q "sha256:0000"; then
  echo "ok: a changed sender and attachment hash in --expect are reported"
else
  echo "FAIL: --expect difference not reported (exit $rc)"; printf '%s\n' "$out"; fail=1
fi

# Files the writer makes. Conversions of sources on which the five readers agree: each peer must
# read the converted file as it reads the source, search folders included. (The OST is left out:
# its mail has no PR_IPM_SUBTREE_ENTRYID to land under, so a conversion moves it into the IPM
# subtree, and readpst then sees more of it; see the pst convert notes.)
if [ -z "${OX:-}" ]; then
  cargo build --quiet --bin oxmapi || { echo "FAIL: cargo build --bin oxmapi"; exit 1; }
  OX="${CARGO_TARGET_DIR:-target}/debug/oxmapi"
fi
converted=("ruby-msg/attachAndInline.pst" "pst_to_eml/threeItems.pst" "ruby-msg/200 recipients.pst" "pstsdk/test_unicode.pst" "ruby-msg/msgInMsg.pst" "pst_to_eml/msgInMsgInMsg.pst" "pst_to_eml/Hello CJK.pst" "pst-extractor/alpha-beta-gamma-delta.pst" "pstsdk/submessage.pst" "tika/testPST_variousBodyTypes.pst" "tika/testPST.pst")
for f in "${converted[@]}"; do
  rm -f "$tmp/conv.pst"
  if ! "$OX" pst convert "$TD/$f" "$tmp/conv.pst" >/dev/null 2>"$tmp/err"; then
    echo "FAIL: pst convert $f"; cat "$tmp/err"; fail=1; continue
  fi
  scripts/pst-peers --no-build "$TD/$f" --json "$tmp/src.json" >/dev/null 2>&1
  out=$(scripts/pst-peers --no-build "$tmp/conv.pst" --expect "$tmp/src.json" 2>&1)
  rc=$?
  if [ $rc = 0 ]; then echo "ok: every reader reads the conversion of $f as its source"; else echo "FAIL: conversion of $f (exit $rc)"; printf '%s\n' "$out"; fail=1; fi
done

# A file written through the CLI (the logon needs a server).
W="$tmp/cli"; mkdir -p "$W/server"
printf 'Secret-1' > "$W/pw"; chmod 600 "$W/pw"
cli_written() {
  export OXMAPI_HOME="$W/home"
  "$OX" admin --data "$W/server" user add alice --email alice@example.test --password-file "$W/pw" >/dev/null || return 1
  "$OX" serve --data "$W/server" --listen 127.0.0.1:0 --port-file "$W/port" >"$W/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do [ -s "$W/port" ] && break; sleep 0.1; done
  [ -s "$W/port" ] || { cat "$W/server.log"; return 1; }
  "$OX" profile create alice --server "http://127.0.0.1:$(cat "$W/port")" --user alice --default >/dev/null || return 1
  local A=("$OX" --password-file "$W/pw")
  "$OX" profile add-service alice MSUPST --path "$W/w.pst" --create --display-name W >/dev/null || return 1
  local S=("${A[@]}" --store W)
  "${S[@]}" mkdir /Projects >/dev/null && "${S[@]}" mkdir /Projects/Sub >/dev/null || return 1
  for i in 1 2 3; do
    "${S[@]}" put /Projects --subject "item $i" --body "body $i" --to "bob$i@example.test" --to "Carol <carol@example.test>" \
      --cc dave@example.test --attach /etc/hostname --attach /etc/os-release >/dev/null || return 1
  done
  "${S[@]}" put /Projects/Sub --subject "no recipients" >/dev/null || return 1
  # Several files at once, two sessions writing the same PST (import's default --jobs 2).
  "${S[@]}" import /Imported "$TD/ruby-msg/test_Blammo.msg" "$TD/Aspose.Email-for-.NET/EmailWithAttandEmbedded.eml" \
    "$TD/Aspose.Email-for-.NET/MsgWithAtt.msg" "$TD/ruby-msg/msgInMsg.pst" >/dev/null || return 1
  "${S[@]}" rm "/Projects#1" >/dev/null || return 1
  for i in 1 2; do "${A[@]}" put /Inbox --subject "mailbox item $i" --body "text $i" --to carol@example.test --attach /etc/os-release >/dev/null || return 1; done
  "${A[@]}" import --jobs 1 /Inbox/Mixed "$TD/Aspose.Email-for-.NET/EmailWithAttandEmbedded.eml" >/dev/null || return 1
  "${A[@]}" export /Inbox --recursive --to "$W/export.pst" >/dev/null || return 1
  "$OX" pst merge "$W/merged.pst" "$W/w.pst" "$W/export.pst" "$TD/pst_to_eml/threeItems.pst" >/dev/null || return 1
}
if cli_written; then
  for f in w export merged; do
    out=$(scripts/pst-peers --no-build "$W/$f.pst" --json "$W/$f.json" 2>&1)
    rc=$?
    if [ $rc = 0 ]; then echo "ok: the readers agree on the CLI-written $f.pst"; else echo "FAIL: CLI-written $f.pst (exit $rc)"; printf '%s\n' "$out"; fail=1; fi
  done
  # And what they agree on is what was written.
  if python3 - "$W/w.json" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))["inventories"]["oxmapi"]["items"]
by = {i["subject"]: i for i in items}
left = [n for n in (1, 2, 3) if "item %d" % n in by]
assert len(left) == 2 and "no recipients" in by, sorted(by)  # one of the three was deleted
one = by["item %d" % left[0]]
assert sorted(one["recipients"]) == sorted(["bob%d@example.test" % left[0], "carol@example.test", "dave@example.test"]), one
assert len(one["attachments"]) == 2, one["attachments"]
assert any("embedded" in a for i in items for a in i["attachments"]), "no embedded message"
PY
  then echo "ok: the CLI-written file holds the items, recipients, attachments and embedded messages written"
  else echo "FAIL: the CLI-written file's inventory"; fail=1; fi
else
  echo "FAIL: writing a PST through the CLI"; fail=1
fi

# A file cut by SIGKILL in the middle of writing: an import saving message by message into a PST
# store (each save a commit) is killed once the file has grown; every reader must read the cut
# file alike (the last commit: the items saved before the kill), before any repair, and
# `pst check --repair` must leave it clean.
C="$tmp/cut"; mkdir -p "$C"
python3 - "$C/in.mbox" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        f.write("From a@example.test Mon Dec  7 10:00:00 2026\nFrom: a@example.test\nTo: b@example.test\n"
                "Subject: cut %d\nMessage-ID: <cut%d@example.test>\n\n%s\n" % (i, i, "line\n" * 20))
PY
cut_file() {
  export OXMAPI_HOME="$C/home"
  printf 'Secret-1' > "$C/pw"
  "$OX" profile create cut --server http://127.0.0.1:9 --user cut >/dev/null || return 1
  "$OX" profile add-service cut MSUPST --path "$C/cut.pst" --create --display-name Cut >/dev/null || return 1
  "$OX" --profile cut --password-file "$C/pw" --store Cut import --jobs 1 /Imported "$C/in.mbox" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    [ "$(stat -c %s "$C/cut.pst" 2>/dev/null || echo 0)" -gt 1500000 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
  done
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  return 0
}
if cut_file; then
  out=$(scripts/pst-peers --no-build "$C/cut.pst" --json "$C/cut.json" 2>&1)
  rc=$?
  n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['inventories']['oxmapi']['items']))" "$C/cut.json" 2>/dev/null || echo 0)
  if [ $rc = 0 ] && [ "$n" -gt 0 ] && [ "$n" -lt 3000 ]; then
    echo "ok: every reader reads the file of an import killed by SIGKILL alike ($n of 3000 messages saved)"
  else echo "FAIL: the SIGKILL-cut file (exit $rc, $n items)"; printf '%s\n' "$out"; fail=1; fi
  if "$OX" pst check --repair "$C/cut.pst" >/dev/null 2>&1 && "$OX" pst check "$C/cut.pst" >/dev/null 2>&1; then
    echo "ok: pst check --repair leaves the SIGKILL-cut file clean"
  else echo "FAIL: pst check after --repair on the SIGKILL-cut file"; "$OX" pst check "$C/cut.pst"; fail=1; fi
else
  echo "FAIL: setting up the SIGKILL cut"; fail=1
fi

# The property test's files (crates/pst/src/pst/write/store_proptest.rs keeps each case's final
# file and the model's inventory when OXMAPI_PST_PROPTEST_KEEP is set).
K="$tmp/proptest"
if OXMAPI_PST_PROPTEST_KEEP="$K" OXMAPI_PST_PROPTEST_CASES="${OXMAPI_PST_PROPTEST_CASES:-24}" \
    cargo test --quiet -p oxmapi-pst --lib write::store_proptest >"$tmp/proptest.log" 2>&1; then
  kept=0; bad=0
  for inv in "$K"/case-*.json; do
    [ -e "$inv" ] || continue
    kept=$((kept + 1))
    out=$(scripts/pst-peers --no-build "${inv%.json}.pst" --expect "$inv" 2>&1)
    rc=$?
    if [ $rc != 0 ]; then echo "FAIL: property-test file $(basename "${inv%.json}.pst") (exit $rc)"; printf '%s\n' "$out"; bad=1; fi
    if ! out=$("$OX" pst check "${inv%.json}.pst" 2>&1); then
      echo "FAIL: pst check on property-test file $(basename "${inv%.json}.pst")"; printf '%s\n' "$out"; bad=1
    fi
  done
  if [ $kept = 0 ]; then echo "FAIL: the property test kept no file"; fail=1
  elif [ $bad = 0 ]; then echo "ok: every reader reads the $kept property-test files as the model says, and pst check passes them"
  else fail=1; fi
else
  echo "FAIL: the writer's property test"; tail -30 "$tmp/proptest.log"; fail=1
fi
exit $fail
