#!/usr/bin/env bash
# Installs the PST readers that `oxmapi bench pst` times beside oxmapi (BENCHMARKS.md, issue 18):
#   readpst          Debian pst-utils (libpst)
#   pffexport        Debian pff-tools (libpff)
#   pypff            PyPI libpff-python (libpff's Python binding), for $PYTHON (default python3)
#   pst-extractor    npm, installed into $PST_PEERS_NPM_DIR (default ~/.cache/oxmapi/pst-peers-npm,
#                    where scripts/pst-peers looks; `oxmapi bench pst` finds it through
#                    PST_PEERS_NPM_DIR); needs node and npm (apt nodejs npm, installed when missing)
# outlook-pst (the Rust crate) needs no install: it is an optional, pinned dependency of the CLI
# (feature `peer-outlook-pst`, timed by `oxmapi bench pst`) and of oxmapi-pst (same feature name,
# its example `outlook_pst_inventory`, which scripts/pst-peers builds).
# Idempotent: what is already present is skipped. Usable by .ci/run (non-interactive).
set -euo pipefail

need_apt=()
command -v readpst >/dev/null 2>&1 || need_apt+=(pst-utils)
command -v pffexport >/dev/null 2>&1 || need_apt+=(pff-tools)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-pst-peers: ${need_apt[*]} missing and apt-get needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import pypff' >/dev/null 2>&1; then
  # A wheel where PyPI has one for this Python; else pip builds libpff's bundled C sources.
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore libpff-python || {
    echo "install-pst-peers: pip could not install libpff-python (building it needs a C compiler and" \
      "the Python headers: apt-get install build-essential python3-dev)" >&2
    exit 1
  }
fi

PST_PEERS_NPM_DIR="${PST_PEERS_NPM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/oxmapi/pst-peers-npm}"
if [ ! -d "$PST_PEERS_NPM_DIR/node_modules/pst-extractor" ]; then
  mkdir -p "$PST_PEERS_NPM_DIR"
  npm install --silent --no-audit --no-fund --prefix "$PST_PEERS_NPM_DIR" pst-extractor >/dev/null
fi

echo "readpst: $(command -v readpst)"
echo "pffexport: $(command -v pffexport)"
echo "pypff: $("$PYTHON" -c 'import pypff; print(pypff.get_version())')"
echo "pst-extractor: $PST_PEERS_NPM_DIR/node_modules/pst-extractor $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$PST_PEERS_NPM_DIR/node_modules/pst-extractor/package.json" | head -1)"
