#!/usr/bin/env bash
# The pre-commit mirror (packaging/pre-commit-mirror): its hook runs the same command line as the
# main repository's, its pin is the workspace version, and `pre-commit try-repo` on a copy of it
# installs asl-lint from the given wheel directory (PIP_NO_INDEX: nothing of asl-lint from PyPI)
# and fails a broken state machine, passes a valid one and skips JSON that is no state machine.
#
#   scripts/test_pre_commit_mirror.sh PRE_COMMIT WHEEL_DIR    (scripts/test_wheel.sh calls it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
pre_commit=$1
wheel_dir=$(cd "$2" && pwd)
mirror=$root/packaging/pre-commit-mirror

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$pre_commit" validate-manifest "$mirror/.pre-commit-hooks.yaml" .pre-commit-hooks.yaml

# Same hook as the main repository's, but for the language and the binary's name; pinned to the
# workspace version. pre-commit depends on PyYAML, so its venv's python reads the YAML.
"$(dirname "$pre_commit")/python" - "$mirror" <<'PY'
import re, sys, yaml
mirror = sys.argv[1]
main = {h["id"]: h for h in yaml.safe_load(open(".pre-commit-hooks.yaml"))}["asl-lint"]
hooks = yaml.safe_load(open(f"{mirror}/.pre-commit-hooks.yaml"))
if [h["id"] for h in hooks] != ["asl-lint"]:
    sys.exit(f"FAIL: the mirror's hooks are {[h['id'] for h in hooks]}, expected [asl-lint]")
hook = hooks[0]
if hook["language"] != "python":
    sys.exit(f"FAIL: the mirror's hook has language {hook['language']}, expected python")
m_bin, _, m_args = main["entry"].partition(" ")
h_bin, _, h_args = hook["entry"].partition(" ")
if (m_bin, h_bin) != ("asl-lint-pre-commit", "asl-lint") or m_args != h_args:
    sys.exit(f"FAIL: entries differ: {main['entry']!r} vs {hook['entry']!r}")
for key in ("name", "description", "files", "minimum_pre_commit_version"):
    if main.get(key) != hook.get(key):
        sys.exit(f"FAIL: `{key}` differs: {main.get(key)!r} vs {hook.get(key)!r}")
cargo = open("Cargo.toml").read()
ws = re.search(r'^\[workspace\.package\][^\[]*?^version\s*=\s*"([^"]+)"', cargo, re.M | re.S)
pin = re.search(r'"asl-lint==([^"]+)"', open(f"{mirror}/pyproject.toml").read())
if not ws or not pin or ws.group(1) != pin.group(1):
    sys.exit(f"FAIL: the mirror pins asl-lint=={pin and pin.group(1)}, the workspace is {ws and ws.group(1)}")
PY

# The wheelhouse pip may use: the wheel, and setuptools for building the mirror itself.
mkdir "$tmp/wheels"
cp "$wheel_dir"/*.whl "$tmp/wheels/"
if ! "$(dirname "$pre_commit")/python" -m pip download --quiet --disable-pip-version-check \
    --only-binary=:all: -d "$tmp/wheels" 'setuptools>=61' >"$tmp/pip.log" 2>&1; then
  echo "skipped: pre-commit try-repo on the mirror (pip could not fetch setuptools: $(tail -n 1 "$tmp/pip.log"))"
  echo "pre-commit mirror: manifest and pin checked"
  exit 0
fi

# The mirror as its own repository.
cp -R "$mirror" "$tmp/mirror"
git -C "$tmp/mirror" init -q
git -C "$tmp/mirror" add -A
git -C "$tmp/mirror" -c user.name=t -c user.email=t@t commit -qm mirror

try() { # try DIR: pre-commit try-repo in DIR; prints the output, returns its status
  (cd "$1" && PRE_COMMIT_HOME="$tmp/home" PIP_NO_INDEX=1 PIP_FIND_LINKS="$tmp/wheels" \
    "$pre_commit" try-repo "$tmp/mirror" asl-lint --all-files --color never 2>&1)
}

mkdir "$tmp/bad" "$tmp/good"
cp examples/broken.asl.json "$tmp/bad/"
cp examples/order-processing.asl.json "$tmp/good/"
printf '{"name": "not-a-state-machine"}\n' >"$tmp/good/package.json"
for d in "$tmp/bad" "$tmp/good"; do
  git -C "$d" init -q
  git -C "$d" add -A
done

start=$(date +%s)
set +e
out=$(try "$tmp/bad")
status=$?
set -e
if [ "$status" = 0 ] || ! grep -qF 'error[ASL101/unknown-target]' <<<"$out"; then
  printf '%s\n' "$out" >&2
  echo "FAIL: try-repo on examples/broken.asl.json exited $status without ASL101" >&2
  exit 1
fi
first_s=$(( $(date +%s) - start ))
set +e
out=$(try "$tmp/good")
status=$?
set -e
if [ "$status" != 0 ]; then
  printf '%s\n' "$out" >&2
  echo "FAIL: try-repo on a valid state machine and a package.json exited $status" >&2
  exit 1
fi
# asl-lint could only come from the wheel: PIP_NO_INDEX, and the mirror holds no Rust.
echo "pre-commit mirror: try-repo installs the wheel, fails broken.asl.json (ASL101), passes a valid state machine and skips package.json (first run ${first_s}s)"
