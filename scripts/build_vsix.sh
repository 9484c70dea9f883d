#!/usr/bin/env bash
# Builds a platform-specific VS Code extension (.vsix) with the asl-lint language server inside,
# at extension/bundled/asl-lint (bundled/asl-lint.exe for win32-* targets), where the
# extension's server lookup (editors/vscode/src/serverPath.ts) finds it first.
#
#   scripts/build_vsix.sh [BINARY] [TARGET]
#
# BINARY  the asl-lint release binary to ship (default: $ASL_LINT_BIN, else
#         ${CARGO_TARGET_DIR:-target}/release/asl-lint, built with
#         `cargo build --release -p asl-lint --locked` when missing). A stripped copy is shipped;
#         the original is left alone.
# TARGET  a VS Code target platform (default linux-x64): linux-x64, linux-arm64, linux-armhf,
#         alpine-x64, alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64. The binary
#         must be built for it; this script only checks that by running it when the target is
#         the machine's own.
#
# Output: $ASL_VSIX_OUT, else editors/vscode/dist/asl-lint-<TARGET>-<version>.vsix; its path
# is the last line printed on stdout.
#
# Environment: ASL_LINT_BIN, ASL_VSIX_OUT, STRIP (the strip program for the target's object
# format, default `strip`, e.g. aarch64-linux-gnu-strip or llvm-strip; `none` copies the binary
# as it is, for one built stripped or a Windows .exe whose debug info is in a .pdb),
# ASL_VSCE_VERSION (default below).
#
# Exit status 77, after a `skipped: <why>` line on stderr, when npm cannot install the
# extension's dependencies or npx cannot fetch or start vsce (an offline machine); any other
# failure is an error.
set -euo pipefail

# The newest @vscode/vsce 3.x that runs on Node.js 20 (3.8.1 and 4.x need Node.js 22).
VSCE_VERSION=${ASL_VSCE_VERSION:-3.9.2}

repo=$(cd "$(dirname "$0")/.." && pwd)
ext="$repo/editors/vscode"
target=${2:-linux-x64}

case "$target" in
  win32-x64 | win32-arm64) exe=asl-lint.exe ;;
  linux-x64 | linux-arm64 | linux-armhf | alpine-x64 | alpine-arm64 | darwin-x64 | darwin-arm64) exe=asl-lint ;;
  *)
    echo "build_vsix.sh: unknown target platform '$target'" >&2
    exit 2
    ;;
esac

skip() {
  echo "skipped: $*" >&2
  exit 77
}

bin=${1:-${ASL_LINT_BIN:-}}
if [ -z "$bin" ]; then
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/asl-lint"
  if [ ! -f "$bin" ]; then
    echo "build_vsix.sh: $bin missing; building it" >&2
    (cd "$repo" && cargo build --release -p asl-lint --locked)
  fi
fi
if [ ! -f "$bin" ]; then
  echo "build_vsix.sh: $bin is not a file" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

version=$(node -p "require('$ext/package.json').version")
out=${ASL_VSIX_OUT:-$ext/dist/asl-lint-$target-$version.vsix}
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

# The machine's own target platform, if it is one VS Code knows.
host=""
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host=linux-x64 ;;
  Linux-aarch64) host=linux-arm64 ;;
  Darwin-x86_64) host=darwin-x64 ;;
  Darwin-arm64) host=darwin-arm64 ;;
esac
if [ -f /etc/alpine-release ] && [ -n "$host" ]; then
  host=alpine-${host#linux-}
fi

# The extension's locked dependencies (TypeScript, esbuild), unless already installed.
cd "$ext"
if [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/esbuild ]; then
  npm ci --no-audit --no-fund >&2 || skip "npm ci failed in editors/vscode (offline?)"
fi
vsce=(npx --yes "@vscode/vsce@$VSCE_VERSION")
"${vsce[@]}" --version >/dev/null 2>&1 || skip "npx could not fetch or start @vscode/vsce@$VSCE_VERSION (offline?)"

# bundled/ holds exactly the one binary for this target while vsce runs, and is removed
# afterwards, so that a development host (F5) does not prefer a stale copy to PATH.
rm -rf bundled
trap 'rm -rf "$ext/bundled"' EXIT
mkdir bundled
if [ "${STRIP:-strip}" = none ]; then
  cp "$bin" "bundled/$exe"
else
  "${STRIP:-strip}" -o "bundled/$exe" "$bin"
fi
chmod 0755 "bundled/$exe"
if [ "$target" = "$host" ]; then
  "bundled/$exe" --version >&2
fi

# vscode:prepublish (package.json) compiles with tsc and bundles out/extension.js with esbuild;
# .vscodeignore keeps the .vsix to what VS Code loads. esbuild inlines the only runtime
# dependency, so vsce need not list node_modules.
"${vsce[@]}" package --no-dependencies --target "$target" -o "$out" >&2
echo "$out"
