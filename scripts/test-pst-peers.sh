#!/usr/bin/env bash
# Tests scripts/pst-peers on test-data files where oxmapi and all four peers agree (exit 0), and
# that a difference is caught: --expect with the sender and one attachment hash changed exits 1
# and names both. A missing peer (pst-peers exit 2) skips with its printed reason.
# Usage: bash scripts/test-pst-peers.sh [TESTDATA_DIR]   (default ../shared/testdata)
set -uo pipefail
cd "$(dirname "$0")/.."
TD="${1:-../shared/testdata}"
if [ ! -d "$TD" ]; then
  echo "test-pst-peers: SKIP: no test data at $TD"
  exit 0
fi
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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
exit $fail
