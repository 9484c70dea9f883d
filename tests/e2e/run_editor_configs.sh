#!/usr/bin/env bash
# Checks of the Helix and Zed set-ups in editors/ that need neither editor (neither can be
# installed here: see editors/helix/README.md and editors/zed/README.md). Usage:
#
#   tests/e2e/run_editor_configs.sh path/to/asl-lint
#
# 1. Helix: editors/helix/languages.toml against Helix's documented schema
#    (check_editor_configs.py), then the exact `command` + `args` of its [language-server]
#    (with `asl-lint` on PATH being BINARY) driven by lsp_client.py as Helix would, with each
#    language's `language-id`: diagnostics with codes and lines, a hover, shutdown/exit.
# 2. Zed: editors/zed/extension.toml and Cargo.toml (check_editor_configs.py), then the
#    command the extension starts (`asl-lint` from PATH, `lsp`) with the language ids of
#    extension.toml (`json`, `yaml`): state machines get their diagnostics, a package.json none.
# Also the draft Mason entry for Neovim (editors/nvim/mason/package.yaml), when PyYAML is there.
# 3. With ASL_ZED_EXTENSION=1 only (a cold build takes minutes): the extension's unit tests,
#    and its build for wasm32-wasip1 when that target is installed.
#
# Prints `skipped: <why>` and exits 0 without Python 3.11+ (tomllib). Fails when a check fails.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 path/to/asl-lint" >&2
  exit 2
fi
bin=$1
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
  echo "run_editor_configs.sh: $bin is not an executable file" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if ! python3 -c 'import sys, tomllib; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "skipped: the Helix and Zed configuration checks (they need Python 3.11+ for tomllib)"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/asl-editor-configs.XXXXXX")
trap 'rm -rf "$work"' EXIT
# `asl-lint` on PATH is the binary under test, as an editor would find it.
mkdir -p "$work/bin" "$work/proj"
ln -s "$bin" "$work/bin/asl-lint"
cp "$here/fixtures/order.asl.json" "$here/fixtures/flow.asl.yaml" "$work/proj/"
printf '{ "name": "x", "version": "1.0.0" }\n' >"$work/proj/package.json"

passed=0
failed=0
# Runs a command whose stdout has `ok   - ` / `FAIL - ` lines; counts them.
run() {
  local out status=0
  out=$("$@") || status=$?
  printf '%s\n' "$out" | grep -v '^run:' || true
  passed=$((passed + $(printf '%s\n' "$out" | grep -c '^ok   - ' || true)))
  failed=$((failed + $(printf '%s\n' "$out" | grep -c '^FAIL - ' || true)))
  if [ "$status" -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL - '; then
    echo "FAIL - $* exited with status $status"
    failed=$((failed + 1))
  fi
  return 0
}

client() {
  PATH="$work/bin:$PATH" python3 "$here/lsp_client.py" "$@"
}

json_expect=(--expect ASL101@21 --expect ASL103@30 --expect ASL103@34
  --hover '"Next": "ChargeCard"' --hover-offset 10 --hover-want ChargeCard)
yaml_expect=(--expect ASL101@5 --expect ASL103@6)

# 1. Helix
run python3 "$here/check_editor_configs.py" helix "$repo"
helix_runs=$(python3 "$here/check_editor_configs.py" helix "$repo" | sed -n 's/^run:\t//p')
if [ -z "$helix_runs" ]; then
  echo "FAIL - helix: languages.toml names no language server to run"
  failed=$((failed + 1))
fi
while IFS=$'\t' read -r lang language_id command args_json; do
  [ -n "$lang" ] || continue
  mapfile -t args < <(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$args_json")
  case $lang in
    asl-json) file=order.asl.json expect=("${json_expect[@]}") ;;
    asl-yaml) file=flow.asl.yaml expect=("${yaml_expect[@]}") ;;
    *)
      echo "FAIL - helix: no fixture for language $lang"
      failed=$((failed + 1))
      continue
      ;;
  esac
  run client --name "helix $lang ($command ${args[*]}, language id $language_id)" \
    --file "$work/proj/$file" --language-id "$language_id" "${expect[@]}" -- "$command" "${args[@]}"
done <<<"$helix_runs"

# 2. Zed: what the extension starts (src/lib.rs: `asl-lint` from PATH, DEFAULT_ARGS `lsp`).
run python3 "$here/check_editor_configs.py" zed "$repo"
if ! grep -q '^const DEFAULT_ARGS: &\[&str\] = &\["lsp"\];' "$repo/editors/zed/src/lib.rs"; then
  echo "FAIL - zed: src/lib.rs no longer starts \`asl-lint lsp\` by default; update this test"
  failed=$((failed + 1))
fi
run client --name "zed JSON (asl-lint lsp, language id json)" --file "$work/proj/order.asl.json" \
  --language-id json "${json_expect[@]}" -- asl-lint lsp
run client --name "zed YAML (asl-lint lsp, language id yaml)" --file "$work/proj/flow.asl.yaml" \
  --language-id yaml "${yaml_expect[@]}" -- asl-lint lsp
run client --name "zed JSON package.json (asl-lint lsp, language id json)" \
  --file "$work/proj/package.json" --language-id json --expect none -- asl-lint lsp

# The extension's code is formatted as the project's (rustfmt needs no build).
if command -v rustfmt >/dev/null 2>&1; then
  if rustfmt --edition 2024 --check "$repo/editors/zed/src/lib.rs" >"$work/rustfmt.log" 2>&1; then
    echo "ok   - zed: src/lib.rs is rustfmt-clean"
    passed=$((passed + 1))
  else
    echo "FAIL - zed: src/lib.rs is rustfmt-clean (rustfmt --edition 2024 editors/zed/src/lib.rs)"
    sed 's/^/       /' "$work/rustfmt.log" | head -20
    failed=$((failed + 1))
  fi
else
  echo "skipped: rustfmt on editors/zed/src/lib.rs (no rustfmt)"
fi

# The draft Mason entry (editors/nvim/mason/package.yaml; skipped without PyYAML).
run python3 "$here/check_editor_configs.py" mason "$repo"

# 3. The extension's own build and tests (opt-in).
if [ "${ASL_ZED_EXTENSION:-0}" = 1 ]; then
  zed_target=${CARGO_TARGET_DIR:-$repo/target}/zed-extension
  run_cargo() {
    if (cd "$repo/editors/zed" && CARGO_TARGET_DIR=$zed_target cargo "$@" >"$work/cargo.log" 2>&1); then
      echo "ok   - zed: cargo $* (editors/zed)"
    else
      echo "FAIL - zed: cargo $* (editors/zed)"
      tail -n 30 "$work/cargo.log" | sed 's/^/       /'
    fi
  }
  run run_cargo test --locked
  run run_cargo clippy --locked --all-targets -- -D warnings
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1; then
    run run_cargo build --locked --release --target wasm32-wasip1
  else
    echo "skipped: the Zed extension's wasm32-wasip1 build (target not installed: rustup target add wasm32-wasip1)"
  fi
else
  echo "skipped: the Zed extension's unit tests and wasm32-wasip1 build (set ASL_ZED_EXTENSION=1; a cold build takes minutes)"
fi

echo "editor-configs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
