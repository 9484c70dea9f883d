#!/usr/bin/env bash
# Tests the npm packages end to end, offline: packs `asl-lint` and this machine's platform
# package (scripts/build_npm.sh), installs both tarballs into a scratch project with npm unable to
# reach any registry, and runs `npx asl-lint` there; then installs the main package alone
# (--omit=optional) and checks the missing-binary message and exit status 2.
#
#   scripts/test_npm.sh [BINARY]       # BINARY: as for scripts/build_npm.sh
#
# Prints `skipped: <why>` and exits 0 without node and npm.
set -euo pipefail
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "skipped: the npm package test (node or npm not found)"
  exit 0
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "test_npm.sh: FAIL: $*" >&2
  exit 1
}

# A private cache and config, and a registry nobody listens on: nothing may come from the
# network, and the user's .npmrc (say `omit=optional`) cannot change the outcome.
: >"$tmp/npmrc"
export npm_config_userconfig="$tmp/npmrc" npm_config_cache="$tmp/cache"
export npm_config_registry="http://127.0.0.1:9/" npm_config_update_notifier=false
unset ASL_LINT_BINARY

version="$(sed -n '/^\[workspace\.package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' "$repo/Cargo.toml")"
platform="$(node -p 'process.platform + "-" + process.arch')"
bin="${1:-${ASL_LINT_BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/asl-lint}}"
# Absolute: the checks below run in a scratch project, where a relative path (.ci/run passes
# `target/release/asl-lint`) names nothing.
case "$bin" in
  /*) ;;
  *) bin="$PWD/$bin" ;;
esac
built="$(ASL_LINT_NPM_DIST="$tmp/dist" "$repo/scripts/build_npm.sh" "$@")" || fail "scripts/build_npm.sh exited $?"
mapfile -t tarballs <<<"$built"
main_tgz="${tarballs[0]}"
platform_tgz="${tarballs[1]}"
for t in "$main_tgz" "$platform_tgz"; do
  [ -f "$t" ] || fail "build_npm.sh did not write $t"
  echo "packed: $(basename "$t") ($(wc -c <"$t") bytes)"
done

# What each tarball holds: the launcher alone; the binary, executable and stripped.
main_files="$(tar tzf "$main_tgz" | sort | tr '\n' ' ')"
[ "$main_files" = "package/README.md package/bin/asl-lint.js package/package.json " ] ||
  fail "unexpected files in $(basename "$main_tgz"): $main_files"
exe=asl-lint
[ "${platform%%-*}" = win32 ] && exe=asl-lint.exe
tar xzf "$platform_tgz" -C "$tmp"
[ -x "$tmp/package/bin/$exe" ] || fail "the platform package has no executable bin/$exe"
if command -v readelf >/dev/null 2>&1 && [ "${platform%%-*}" = linux ]; then
  if readelf -S "$tmp/package/bin/$exe" | grep -q -e '\.symtab' -e '\.debug_info' -e '\.debug_line'; then
    fail "the platform package's binary is not stripped"
  fi
fi
echo "ok: tarball contents (binary $(wc -c <"$tmp/package/bin/$exe") bytes, stripped)"

# Both tarballs, offline: npm must not need the other platforms' optional packages.
mkdir "$tmp/full" && cd "$tmp/full"
npm init -y >/dev/null
npm install --offline --no-audit --no-fund "$main_tgz" "$platform_tgz" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "offline install of both tarballs"; }
[ -d "node_modules/@asl-lint/cli-$platform" ] || fail "@asl-lint/cli-$platform was not installed"

out="$(npx --no -- asl-lint --version)" || fail "npx asl-lint --version exited $?"
case "$out" in "asl-lint $version "* | "asl-lint $version") ;; *) fail "npx asl-lint --version printed: $out" ;; esac
echo "ok: npx asl-lint --version: $out"

status=0
npx --no -- asl-lint check --color never "$repo/examples" >"$tmp/check.out" 2>&1 || status=$?
[ "$status" = 1 ] || { cat "$tmp/check.out" >&2; fail "npx asl-lint check examples exited $status, not 1"; }
grep -q 'error\[ASL101/unknown-target\]' "$tmp/check.out" || fail "no ASL101 in: $(cat "$tmp/check.out")"
echo "ok: npx asl-lint check examples: exit 1, $(tail -n 2 "$tmp/check.out" | head -n 1)"

# The launcher passes arguments as they are, and the binary's exit status and signal.
launcher="$tmp/full/node_modules/asl-lint/bin/asl-lint.js"
printf '#!/bin/sh\nprintf "%%s|" "$@"\nexit 7\n' >"$tmp/args.sh"
printf '#!/bin/sh\nkill -TERM $$\n' >"$tmp/term.sh"
chmod +x "$tmp/args.sh" "$tmp/term.sh"
status=0
out="$(ASL_LINT_BINARY="$tmp/args.sh" node "$launcher" 'a b' '' '--x=$HOME')" || status=$?
[ "$status" = 7 ] && [ "$out" = 'a b||--x=$HOME|' ] ||
  fail "ASL_LINT_BINARY: status $status (expected 7), arguments \`$out\`"
# (In a subshell whose stderr is dropped: the shell reports "Terminated" when node dies.)
status="$( (ASL_LINT_BINARY="$tmp/term.sh" node "$launcher"; echo $?) 2>/dev/null)"
[ "$status" = 143 ] || fail "a binary killed by SIGTERM: the launcher exited $status, not 143"
echo "ok: ASL_LINT_BINARY, arguments, exit status 7, SIGTERM (143)"

# `os` and `cpu` work: npm refuses another platform's package (made here from a dummy file).
other="$(node -p 'Object.keys(require(process.argv[1]).optionalDependencies).map(n => n.slice(14)).find(p => p !== process.argv[2])' \
  "$repo/packaging/npm/package.json" "$platform")"
printf 'not a binary\n' >"$tmp/dummy"
other_dir="$(node "$repo/packaging/npm/tools/make-platform-package.js" "$other" "$tmp/dummy" --no-strip --out "$tmp/other")"
other_tgz="$tmp/dist/$(cd "$other_dir" && npm pack --silent --ignore-scripts --pack-destination "$tmp/dist")"
mkdir "$tmp/wrong" && cd "$tmp/wrong"
npm init -y >/dev/null
if npm install --offline --no-audit --no-fund "$other_tgz" >"$tmp/install.log" 2>&1; then
  fail "npm installed @asl-lint/cli-$other on $platform"
fi
grep -q EBADPLATFORM "$tmp/install.log" || { cat "$tmp/install.log" >&2; fail "installing @asl-lint/cli-$other: no EBADPLATFORM"; }
echo "ok: npm refuses @asl-lint/cli-$other on $platform (EBADPLATFORM)"

# The main package alone: the message names the platform, the package and the fixes; exit 2.
mkdir "$tmp/bare" && cd "$tmp/bare"
npm init -y >/dev/null
npm install --offline --no-audit --no-fund --omit=optional "$main_tgz" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "offline install of the main tarball alone"; }
[ ! -e "node_modules/@asl-lint" ] || fail "--omit=optional installed a platform package"
status=0
npx --no -- asl-lint check . >"$tmp/bare.out" 2>&1 || status=$?
[ "$status" = 2 ] || { cat "$tmp/bare.out" >&2; fail "without the platform package: exit $status, not 2"; }
for want in "for $platform is missing" "@asl-lint/cli-$platform" "--omit=optional" "--no-optional" \
  "pip install asl-lint" "cargo install" "ASL_LINT_BINARY"; do
  grep -qF -- "$want" "$tmp/bare.out" || fail "the missing-binary message lacks \`$want\`: $(cat "$tmp/bare.out")"
done
echo "ok: without @asl-lint/cli-$platform: exit 2, $(head -n 1 "$tmp/bare.out")"
out="$(ASL_LINT_BINARY="$bin" npx --no -- asl-lint --version)" || fail "ASL_LINT_BINARY=$bin: exit $?"
echo "ok: ASL_LINT_BINARY without a platform package: $out"
echo "npm packages: all checks passed"
