#!/usr/bin/env bash
# The GitHub Action's lint steps (action.yml), run after action/install.sh put asl-lint on PATH:
#
#   action/check.sh report   asl-lint check --format "$ASL_LINT_FORMAT" (default github:
#                            annotations on the pull request); its exit status is the step's
#   action/check.sh sarif    the same findings as SARIF in "$ASL_LINT_SARIF_FILE", never failing
#                            on findings (--exit-zero), for github/codeql-action/upload-sarif
#
# ASL_LINT_PATHS: files and directories, separated by spaces or newlines (default `.`; a path
# with a space in it belongs in asl-lint.toml's `include`). ASL_LINT_ARGS: more arguments of
# `asl-lint check`, separated the same way (no shell quoting is applied: inputs are data, never
# code). ASL_LINT_BIN: the binary (default: asl-lint on PATH).
set -euo pipefail

mode="${1:-}"
bin="${ASL_LINT_BIN:-asl-lint}"
read -r -d '' -a paths <<<"${ASL_LINT_PATHS:-}" || true
read -r -d '' -a extra <<<"${ASL_LINT_ARGS:-}" || true
[ "${#paths[@]}" -gt 0 ] || paths=(.)

case "$mode" in
  report)
    format="${ASL_LINT_FORMAT:-github}"
    echo "asl-lint check --format $format ${extra[*]} ${paths[*]}"
    exec "$bin" check --format "$format" "${extra[@]}" -- "${paths[@]}"
    ;;
  sarif)
    out="${ASL_LINT_SARIF_FILE:-asl-lint.sarif}"
    echo "asl-lint check --format sarif --exit-zero --output-file $out ${extra[*]} ${paths[*]}"
    exec "$bin" check --format sarif --exit-zero --output-file "$out" "${extra[@]}" -- "${paths[@]}"
    ;;
  *)
    echo "usage: $0 report|sarif" >&2
    exit 2
    ;;
esac
