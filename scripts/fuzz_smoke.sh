#!/usr/bin/env bash
# A short fuzz run of every cargo-fuzz target (fuzz/): each runs for SECONDS (default 10) from
# its seed corpus, and the script fails on the first crash, leaving the input in
# fuzz/artifacts/<target>/. Needs cargo-fuzz (`cargo install cargo-fuzz`); uses a nightly
# toolchain when there is one, else stable with RUSTC_BOOTSTRAP=1.
#
# Usage: scripts/fuzz_smoke.sh [SECONDS] [target...]
#   scripts/fuzz_smoke.sh            # every target, 10 s each
#   scripts/fuzz_smoke.sh 60 cost    # one target for a minute
#
# The corpus of a target is seeded (fuzz/seed-corpus.sh) when fuzz/corpus/<target>/ is empty.
# Extra libFuzzer flags go in FUZZ_ARGS (e.g. FUZZ_ARGS=-max_len=65536); ASL_FUZZ_KNOWN is passed
# through (see fuzz/README.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-10}"
case "$seconds" in '' | *[!0-9]*) echo "usage: $0 [SECONDS] [target...]" >&2; exit 2 ;; esac
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(analyze yaml_and_templates embedded_definition fix_all cost ide_queries terraform)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke run skipped: cargo-fuzz is not installed (cargo install cargo-fuzz)" >&2
  exit 2
fi
if cargo +nightly --version >/dev/null 2>&1; then
  fuzz=(cargo +nightly fuzz)
  toolchain="nightly"
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
  toolchain="stable with RUSTC_BOOTSTRAP=1"
fi

cd "$root/fuzz"
echo "building the fuzz targets ($toolchain)"
# -s none: the code is safe Rust, AddressSanitizer adds cost and little else; -a: debug
# assertions and overflow checks.
"${fuzz[@]}" build -s none -a
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in "${targets[@]}"; do
  if [ -z "$(ls -A "corpus/$target" 2>/dev/null)" ]; then
    ./seed-corpus.sh "$target"
  fi
  echo "== $target: ${seconds} s"
  status=0
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  "${fuzz[@]}" run -s none -a "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=8192 -timeout=20 \
    -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log" >&2
    echo "$target: failed (exit $status); a crashing input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
echo "fuzz smoke run: ${#targets[@]} targets, ${seconds} s each, no crash"
