#!/usr/bin/env bash
# Builds the large Unicode PST of the PST read benchmark (BENCHMARKS.md, issue 18: 30,000
# messages, ~800 MB) from the shared test data's .msg files, until oxmapi writes PST files.
# The writer is Aspose.Email for Python via .NET from PyPI (evaluation mode: it marks every
# subject and body as an evaluation copy; the file is benchmark input only, never shipped),
# installed into its own virtual environment. Its bundled .NET runtime does not find Debian's
# ICU, hence invariant globalisation.
#
#   bash scripts/make-big-pst.sh OUT.pst [--messages N] [--per-folder N] [--testdata DIR]
#
# Then: oxmapi bench pst OUT.pst   (about 28 MB per 1,000 messages; ~10 s per 1,000 here)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${ASPOSE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/oxmapi/aspose-email-venv}"
# Pinned: the version this script was tried with.
pkg="aspose-email-for-python-via-net==26.10"
if ! "$venv/bin/python" -c 'import aspose.email' >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$pkg"
fi
[ $# -ge 1 ] || { echo "usage: $0 OUT.pst [--messages N] [--per-folder N] [--testdata DIR]" >&2; exit 2; }
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
export OXMAPI_TESTDATA="${OXMAPI_TESTDATA:-$here/../../shared/testdata}"
exec "$venv/bin/python" "$here/pst-peers.d/make_big_pst.py" "$@"
