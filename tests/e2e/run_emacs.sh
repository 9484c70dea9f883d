#!/usr/bin/env bash
# End-to-end test of the language server in a real Emacs (28 or newer) through Eglot and the
# set-up in editors/emacs (tests/e2e/emacs_lsp.el has the checks). Usage:
#
#   tests/e2e/run_emacs.sh path/to/asl-lint
#
# Uses `emacs` from PATH (or $ASL_E2E_EMACS) when it is 28 or newer and has Eglot (built in
# since 29; on 28 from Debian's elpa-eglot or GNU ELPA). Otherwise, when it runs as root and
# apt-get is there, it installs Debian's emacs-nox, elpa-eglot and elpa-yaml-mode (about 15 s).
# When no such Emacs can be had it prints `skipped: <why>` and exits 0, unless
# ASL_E2E_REQUIRE=1, when that is a failure. A broken server always fails the test.
#
# Environment: ASL_E2E_EMACS, ASL_E2E_REQUIRE, ASL_E2E_TIMEOUT (seconds, default 60).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 path/to/asl-lint" >&2
  exit 2
fi
bin=$1
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
  echo "run_emacs.sh: $bin is not an executable file" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

no_emacs() {
  if [ "${ASL_E2E_REQUIRE:-0}" = 1 ]; then
    echo "run_emacs.sh: $1 (and ASL_E2E_REQUIRE=1)" >&2
    exit 1
  fi
  echo "skipped: the Emacs (Eglot) end-to-end test: $1"
  exit 0
}

# A scratch HOME: Emacs, package.el and project.el read and write nothing of the user's.
work=$(mktemp -d "${TMPDIR:-/tmp}/asl-emacs-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"

# 0 when "$1" is an Emacs 28+ that can load Eglot (Debian's elpa-* packages included).
emacs_ok() {
  HOME=$work/home timeout 30 "$1" --batch -Q --eval "(progn
    (unless (>= emacs-major-version 28) (kill-emacs 3))
    (require 'package)
    (setq package-directory-list
          (append package-directory-list '(\"/usr/share/emacs/site-lisp/elpa\")))
    (package-initialize)
    (kill-emacs (if (require 'eglot nil t) 0 4)))" >/dev/null 2>&1
}

emacs=""
if [ -n "${ASL_E2E_EMACS:-}" ]; then
  emacs_ok "$ASL_E2E_EMACS" || no_emacs "ASL_E2E_EMACS=$ASL_E2E_EMACS is not Emacs 28+ with Eglot"
  emacs=$ASL_E2E_EMACS
elif command -v emacs >/dev/null 2>&1 && emacs_ok "$(command -v emacs)"; then
  emacs=$(command -v emacs)
else
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    no_emacs "no Emacs 28+ with Eglot on PATH, and not root with apt-get to install one"
  fi
  echo "run_emacs.sh: installing emacs-nox elpa-eglot elpa-yaml-mode with apt-get" >&2
  start=$(date +%s)
  pkgs=(emacs-nox elpa-eglot elpa-yaml-mode)
  apt_get() { DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$work/apt.log" 2>&1; }
  if ! apt_get install -y -q --no-install-recommends "${pkgs[@]}"; then
    # A fresh machine's package lists may be missing or stale.
    if ! { apt_get update -q && apt_get install -y -q --no-install-recommends "${pkgs[@]}"; }; then
      tail -n 5 "$work/apt.log" >&2
      no_emacs "apt-get could not install ${pkgs[*]} (no network?)"
    fi
  fi
  echo "run_emacs.sh: installed in $(($(date +%s) - start)) s" >&2
  if ! { command -v emacs >/dev/null 2>&1 && emacs_ok "$(command -v emacs)"; }; then
    no_emacs "the installed emacs is not Emacs 28+ with Eglot"
  fi
  emacs=$(command -v emacs)
fi

# editors/emacs/asl-lint.el byte-compiles without a warning (on a copy: no .elc in the clone).
mkdir -p "$work/compile"
cp "$repo/editors/emacs/asl-lint.el" "$work/compile/"
if HOME=$work/home "$emacs" --batch -Q --eval "(progn (require 'package) (package-initialize))" \
  --eval '(setq byte-compile-error-on-warn t)' -f batch-byte-compile \
  "$work/compile/asl-lint.el" >"$work/compile.log" 2>&1; then
  echo "ok   - editors/emacs/asl-lint.el byte-compiles without warnings"
else
  echo "FAIL - editors/emacs/asl-lint.el byte-compiles without warnings"
  sed 's/^/       /' "$work/compile.log"
  exit 1
fi

# The fixture is copied: the quick fix edits the buffer (never saved).
cp "$here/fixtures/order.asl.json" "$work/order.asl.json"
limit=${ASL_E2E_TIMEOUT:-60}
cd "$work"
status=0
# The test has its own timer; `timeout` is the backstop should Emacs itself wedge.
HOME=$work/home ASL_LINT_BIN=$bin ASL_E2E_FILE=$work/order.asl.json ASL_E2E_TIMEOUT=$limit \
  timeout --kill-after=5 $((limit + 15)) \
  "$emacs" --batch -Q -L "$repo/editors/emacs" -l "$here/emacs_lsp.el" </dev/null 2>"$work/stderr" ||
  status=$?
if [ "$status" -ne 0 ]; then
  echo "--- Emacs's stderr (last 40 lines) ---"
  tail -n 40 "$work/stderr"
  echo "---"
fi
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "emacs-e2e: Emacs did not exit within $((limit + 15)) s; killed" >&2
fi
exit "$status"
