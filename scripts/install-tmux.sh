#!/usr/bin/env bash
# Installs tmux (Debian's package) for the editor's terminal tests (crates/cli/tests/editor_tmux.rs
# drives `oxmapi editor` through a tmux pseudo-terminal) when it is missing; does nothing when
# tmux is already there. Without root and without tmux, those tests skip and say why.
set -euo pipefail
command -v tmux >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then echo "tmux is not installed and installing it needs root (apt-get install tmux)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends tmux >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends tmux >/dev/null; }
command -v tmux >/dev/null
