#!/usr/bin/env bash
# The PyPI wheel (issue 16, docs/packaging-pypi.md), end to end: installs maturin into a scratch
# venv, builds the wheel for this machine with the documented command, installs it with
# `pip install --no-index` into a FRESH venv, and runs that venv's `asl-lint` on examples/.
# Then, when pre-commit can be installed, the pre-commit mirror (packaging/pre-commit-mirror)
# is tried with `pre-commit try-repo`, its asl-lint dependency resolved from the wheel built
# here (nothing of asl-lint comes from PyPI).
#
# The build reuses the cargo target dir (CARGO_TARGET_DIR, default target/); the release
# profile strips the binary, so maturin's build is `cargo build --release`'s. When maturin or pre-commit cannot be fetched (offline), the
# part that needs it prints `skipped: <why>` and the script exits 0 for it.
#
#   scripts/test_wheel.sh            # MATURIN=/path/to/maturin to use an installed one
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! python3 -m venv "$tmp/probe" >/dev/null 2>&1; then
  echo "skipped: the PyPI wheel test (python3 -m venv does not work here)"
  exit 0
fi
rm -rf "$tmp/probe"

# The version the wheel must carry: the workspace's.
version=$(awk '/^\[workspace.package\]/{s=1; next} /^\[/{s=0} s && /^version *=/{gsub(/[" ]/, "", $0); sub(/^version=/, "", $0); print; exit}' Cargo.toml)
[ -n "$version" ] || { echo "FAIL: no [workspace.package] version in Cargo.toml" >&2; exit 1; }

# --- maturin ------------------------------------------------------------------------------
maturin=${MATURIN:-}
if [ -z "$maturin" ]; then
  python3 -m venv "$tmp/build"
  if ! "$tmp/build/bin/python" -m pip install --quiet --disable-pip-version-check \
      'maturin>=1.9,<2' >"$tmp/pip-maturin.log" 2>&1; then
    echo "skipped: the PyPI wheel test (pip could not install maturin: $(tail -n 1 "$tmp/pip-maturin.log"))"
    exit 0
  fi
  maturin=$tmp/build/bin/maturin
fi
echo "maturin: $("$maturin" --version)"

# Should maturin's build differ from `cargo build --release`'s (other flags), put the latter's
# binary back afterwards if it was there: target/release/asl-lint names the last one built.
bin=${CARGO_TARGET_DIR:-target}/release/asl-lint
had_release_bin=0
[ -x "$bin" ] && had_release_bin=1

# --- build: the documented command -----------------------------------------------------------
start=$(date +%s)
"$maturin" build --release --locked -o "$tmp/dist" >"$tmp/build.log" 2>&1 || {
  cat "$tmp/build.log" >&2
  echo "FAIL: maturin build" >&2
  exit 1
}
build_s=$(( $(date +%s) - start ))
if [ "$had_release_bin" = 1 ]; then
  cargo build --release -p asl-lint --locked --quiet
fi

shopt -s nullglob
wheels=("$tmp"/dist/*.whl)
shopt -u nullglob
[ "${#wheels[@]}" = 1 ] || { echo "FAIL: expected one wheel, got: ${wheels[*]:-none}" >&2; exit 1; }
wheel=${wheels[0]}
case "$(basename "$wheel")" in
  "asl_lint-$version-py3-none-"*.whl) ;;
  *) echo "FAIL: wheel name $(basename "$wheel") is not asl_lint-$version-py3-none-<platform>.whl" >&2; exit 1 ;;
esac
wheel_bytes=$(wc -c <"$wheel")

# Only the asl-lint binary goes in (as a script), and it is stripped.
python3 - "$wheel" <<'EOF'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
scripts = [n for n in names if ".data/scripts/" in n]
if [s.rsplit("/", 1)[-1] for s in scripts] != ["asl-lint"]:
    sys.exit(f"FAIL: the wheel's scripts are {scripts}, expected only asl-lint")
if any(n.endswith(".py") for n in names):
    sys.exit("FAIL: the wheel holds Python files; it should hold only the binary")
EOF

# --- install into a fresh venv, offline ------------------------------------------------------
python3 -m venv "$tmp/run"
start=$(date +%s)
"$tmp/run/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
install_s=$(( $(date +%s) - start ))
exe=$tmp/run/bin/asl-lint
[ -x "$exe" ] || { echo "FAIL: the venv has no bin/asl-lint after pip install" >&2; exit 1; }
if command -v readelf >/dev/null 2>&1 && readelf -S "$exe" | grep -q '\.symtab'; then
  echo "FAIL: the installed asl-lint is not stripped (it has a .symtab)" >&2
  exit 1
fi

got=$("$exe" --version)
case "$got" in
  "asl-lint $version "* | "asl-lint $version") ;;
  *) echo "FAIL: asl-lint --version printed '$got', expected asl-lint $version" >&2; exit 1 ;;
esac

# examples/broken.asl.json is broken on purpose: exit status 1, with its findings.
set +e
out=$(cd "$tmp" && "$exe" check "$root/examples/" 2>&1)
status=$?
set -e
if [ "$status" != 1 ]; then
  printf '%s\n' "$out" >&2
  echo "FAIL: asl-lint check examples/ exited $status, expected 1" >&2
  exit 1
fi
for want in 'error[ASL101/unknown-target]' 'Checked 2 files'; do
  if ! grep -qF "$want" <<<"$out"; then
    printf '%s\n' "$out" >&2
    echo "FAIL: asl-lint check examples/ printed no '$want'" >&2
    exit 1
  fi
done

echo "wheel: $(basename "$wheel"), $wheel_bytes bytes; maturin build ${build_s}s, pip install ${install_s}s"
echo "wheel: $got; check examples/ exits 1 with ASL101"

# --- the pre-commit mirror (packaging/pre-commit-mirror) --------------------------------------
passed=1 skipped=0
python3 -m venv "$tmp/pc"
if ! "$tmp/pc/bin/python" -m pip install --quiet --disable-pip-version-check \
    'pre-commit>=3,<5' >"$tmp/pip-pc.log" 2>&1; then
  echo "skipped: the pre-commit mirror test (pip could not install pre-commit: $(tail -n 1 "$tmp/pip-pc.log"))"
  skipped=1
else
  mirror_out=$(bash scripts/test_pre_commit_mirror.sh "$tmp/pc/bin/pre-commit" "$tmp/dist")
  printf '%s\n' "$mirror_out"
  if grep -q '^skipped:' <<<"$mirror_out"; then skipped=1; else passed=2; fi
fi
echo "packaging-pypi: $passed passed, 0 failed, $skipped skipped"
