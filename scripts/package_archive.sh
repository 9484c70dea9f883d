#!/usr/bin/env bash
# Packs one platform's release archive, the file the GitHub Action (action.yml) and users
# download: `asl-lint-VERSION-PLATFORM.tar.gz` (`.zip` for win32-x64) holding the directory
# `asl-lint-VERSION-PLATFORM/` with the binary, README.md and CHANGELOG.md, and beside it
# `ARCHIVE.sha256` in `sha256sum` format. Used by .github/workflows/release.yml and
# scripts/test_action.sh, so the two cannot drift apart.
#
#   scripts/package_archive.sh BINARY PLATFORM VERSION OUTDIR
#
# PLATFORM: linux-x64, linux-arm64, darwin-x64, darwin-arm64 or win32-x64. Prints the archive's
# path.
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: $0 BINARY PLATFORM VERSION OUTDIR" >&2
  exit 2
fi
bin=$1 platform=$2 version=$3 out=$4
repo="$(cd "$(dirname "$0")/.." && pwd)"
case "$platform" in
  linux-x64 | linux-arm64 | darwin-x64 | darwin-arm64) exe="" ;;
  win32-x64) exe=".exe" ;;
  *)
    echo "package_archive.sh: unknown platform \`$platform\`" >&2
    exit 2
    ;;
esac
[ -f "$bin" ] || { echo "package_archive.sh: $bin is not a file" >&2; exit 2; }

name="asl-lint-$version-$platform"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$bin" "$stage/$name/asl-lint$exe"
chmod 755 "$stage/$name/asl-lint$exe"
cp "$repo/README.md" "$repo/CHANGELOG.md" "$stage/$name/"
if [ -n "$exe" ]; then
  archive="$name.zip"
  rm -f "$out/$archive"
  if command -v 7z >/dev/null 2>&1; then
    (cd "$stage" && 7z a "$out/$archive" "$name" >/dev/null)
  else
    (cd "$stage" && zip -qr "$out/$archive" "$name")
  fi
else
  archive="$name.tar.gz"
  tar -C "$stage" -czf "$out/$archive" "$name"
fi
(
  cd "$out"
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$archive" >"$archive.sha256"
  else
    shasum -a 256 "$archive" >"$archive.sha256"
  fi
)
echo "$out/$archive"
