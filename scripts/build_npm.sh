#!/usr/bin/env bash
# Builds this machine's two npm tarballs: `asl-lint` (the launcher) and its platform package
# `@asl-lint/cli-<platform>-<arch>` holding a stripped copy of BINARY, with `npm pack`.
#
#   scripts/build_npm.sh [BINARY]      # BINARY: default $ASL_LINT_BIN, else target/release/asl-lint
#                                      # (built with cargo when missing)
#   ASL_LINT_NPM_DIST=DIR              # where the tarballs go (default target/npm)
#
# Prints the tarballs' paths, one a line, main package first. Fails when packaging/npm/package.json
# does not carry the workspace version (Cargo.toml) everywhere. Other platforms' packages are made
# the same way from their binaries by packaging/npm/tools/make-platform-package.js.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
npm_dir="$repo/packaging/npm"

bin="${1:-${ASL_LINT_BIN:-}}"
if [ -z "$bin" ]; then
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/asl-lint"
  if [ ! -x "$bin" ]; then
    (cd "$repo" && cargo build --release -p asl-lint --locked >&2)
  fi
fi
[ -x "$bin" ] || { echo "build_npm.sh: $bin: not an executable file" >&2; exit 2; }

version="$(sed -n '/^\[workspace\.package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' "$repo/Cargo.toml")"
[ -n "$version" ] || { echo "build_npm.sh: no [workspace.package] version in Cargo.toml" >&2; exit 2; }
node "$npm_dir/tools/version.js" "$version"

# The binary must be the one this version describes (its --version line starts `asl-lint X`).
bin_version="$("$bin" --version | sed -n '1s/^asl-lint \([^ ]*\).*/\1/p')"
if [ "$bin_version" != "$version" ]; then
  echo "build_npm.sh: $bin is asl-lint ${bin_version:-?}, the workspace is $version" >&2
  exit 2
fi

platform="$(node -p 'process.platform + "-" + process.arch')"
dist="${ASL_LINT_NPM_DIST:-$repo/target/npm}"
mkdir -p "$dist"
dist="$(cd "$dist" && pwd)"

platform_dir="$(node "$npm_dir/tools/make-platform-package.js" "$platform" "$bin")"

pack() {
  # `npm pack --json` names the tarball it wrote; --ignore-scripts: nothing to run.
  (cd "$1" && npm pack --silent --ignore-scripts --pack-destination "$dist" --json) |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].filename))'
}
main_tgz="$dist/$(pack "$npm_dir")"
platform_tgz="$dist/$(pack "$platform_dir")"
echo "$main_tgz"
echo "$platform_tgz"
