#!/usr/bin/env bash
# Times asl-lint against the validators users would otherwise pick, on the same files, and prints
# a Markdown table (for the README) with the ratios peer ÷ asl-lint.
#
#     bench/compare.sh                  # RUNS=5 measured runs per tool after one warm-up
#
# A manual tool: it downloads the peers, so neither `cargo test` nor .ci/run calls it.
#
# Peers, pinned, installed into a scratch folder (BENCH_SCRATCH, default bench/.scratch, which is
# git-ignored; a second run reuses them):
#   - asl-validator and @wmfs/statelint from npm (`npm install --prefix`),
#   - cfn-lint from PyPI (into a virtual environment).
# A peer whose install fails (offline, no npm) is skipped, and the output says so.
#
# Environment: RUNS (default 5), BENCH_SCRATCH, CORPUS (default ../shared/corpus), GEN (default
# ../shared/bench/gen_asl.py: when present, a generated 5,000-state machine is one more workload),
# ASL_VALIDATOR_VERSION, STATELINT_VERSION, CFN_LINT_VERSION, CARGO_TARGET_DIR (respected).
# The table goes to stdout, progress and installs to stderr. See bench/README.md.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
SCRATCH="${BENCH_SCRATCH:-bench/.scratch}"
CORPUS="${CORPUS:-../shared/corpus}"
GEN="${GEN:-../shared/bench/gen_asl.py}"
ASL_VALIDATOR_VERSION="${ASL_VALIDATOR_VERSION:-4.0.0}"
STATELINT_VERSION="${STATELINT_VERSION:-1.30.0}"
CFN_LINT_VERSION="${CFN_LINT_VERSION:-1.58.0}"

if [[ ! -d "$CORPUS/valid-real" ]]; then
    echo "compare.sh: $CORPUS/valid-real not found; set CORPUS=path/to/corpus" >&2
    exit 2
fi
mkdir -p "$SCRATCH"
SCRATCH="$(cd "$SCRATCH" && pwd)"

cargo build --release -p asl-lint >&2
BIN="${CARGO_TARGET_DIR:-target}/release/asl-lint"

# installed_version DIR PACKAGE: the version npm put in DIR, or nothing.
installed_version() {
    local manifest="$1/node_modules/$2/package.json"
    [[ -f "$manifest" ]] && python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$manifest"
}

# npm_peer PACKAGE VERSION BIN: installs PACKAGE@VERSION (unless already there) and prints the
# path of its executable, or prints nothing (and says why on stderr) when it cannot.
npm_peer() {
    local package="$1" version="$2" bin="$3" dir="$SCRATCH/npm"
    if ! command -v npm >/dev/null 2>&1; then
        echo "compare.sh: npm not found; $package skipped (install Node.js to compare with it)" >&2
        return 0
    fi
    if [[ "$(installed_version "$dir" "$package" || true)" != "$version" ]]; then
        echo "compare.sh: installing $package@$version into $dir" >&2
        if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$package@$version" >&2; then
            echo "compare.sh: npm install $package@$version failed (offline?); $package skipped" >&2
            return 0
        fi
    fi
    if [[ -x "$dir/node_modules/.bin/$bin" ]]; then
        echo "$dir/node_modules/.bin/$bin"
    else
        echo "compare.sh: $dir/node_modules/.bin/$bin missing after install; $package skipped" >&2
    fi
}

# cfn-lint in its own virtual environment; prints its executable or nothing.
pip_peer() {
    local venv="$SCRATCH/venv"
    if [[ ! -x "$venv/bin/cfn-lint" ]] || [[ "$("$venv/bin/cfn-lint" --version 2>/dev/null || true)" != "cfn-lint $CFN_LINT_VERSION" ]]; then
        echo "compare.sh: installing cfn-lint==$CFN_LINT_VERSION into $venv" >&2
        if ! { [[ -x "$venv/bin/pip" ]] || python3 -m venv "$venv" >&2; } \
            || ! "$venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION" >&2; then
            echo "compare.sh: pip install cfn-lint==$CFN_LINT_VERSION failed (offline?); cfn-lint skipped" >&2
            return 0
        fi
    fi
    echo "$venv/bin/cfn-lint"
}

ASL_VALIDATOR="$(npm_peer asl-validator "$ASL_VALIDATOR_VERSION" asl-validator)"
STATELINT="$(npm_peer @wmfs/statelint "$STATELINT_VERSION" statelint)"
CFN_LINT="$(pip_peer)"

# The generated large machine (optional workload).
GENERATED=""
if [[ -f "$GEN" ]]; then
    GENERATED="$SCRATCH/gen/sizes/states-5000.json"
    if [[ ! -f "$GENERATED" ]]; then
        python3 "$GEN" "$SCRATCH/gen" --sizes 5000 --many 0 >&2
    fi
else
    echo "compare.sh: $GEN not found; the generated 5,000-state workload is skipped" >&2
fi

exec python3 bench/compare.py --runs "$RUNS" --corpus "$CORPUS" --asl-lint "$BIN" \
    --asl-validator "$ASL_VALIDATOR" --statelint "$STATELINT" --cfn-lint "$CFN_LINT" \
    --generated "$GENERATED"
