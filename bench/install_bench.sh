#!/usr/bin/env bash
# The README's first command, measured: a fresh virtual environment in a temporary directory,
# `pip install -r requirements.txt -e .` (no pip cache), and `npm ci` when asked (--npm: the web
# editor and the browser tests need it, preview does not). Prints seconds and bytes installed.
#   bash bench/install_bench.sh [--npm]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/zfxxgk-install.XXXXXX)
git archive HEAD | tar -x -C "$work"
cd "$work"
start=$(date +%s.%N)
python3 -m venv .venv
.venv/bin/python -m pip install -q --no-cache-dir -r requirements.txt -e . >pip.log 2>&1
end=$(date +%s.%N)
printf 'pip: %.0f s, .venv %s bytes\n' "$(echo "$end - $start" | bc)" "$(du -sb .venv | cut -f1)"
if [ "${1:-}" = "--npm" ]; then
  start=$(date +%s.%N)
  npm ci --no-audit --no-fund >npm.log 2>&1
  end=$(date +%s.%N)
  printf 'npm ci: %.0f s, node_modules %s bytes, %s npm warnings\n' "$(echo "$end - $start" | bc)" \
    "$(du -sb node_modules | cut -f1)" "$(grep -ci 'npm warn' npm.log || true)"
fi
rm -rf "$work"
