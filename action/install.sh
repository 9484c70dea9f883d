#!/usr/bin/env bash
# The GitHub Action's first step (action.yml): installs the released asl-lint binary for the
# runner's platform and puts it on PATH. Reads the inputs from the environment:
#
#   ASL_LINT_VERSION     `0.1.0`, `v0.1.0`, `latest`, or empty: the action's own tag when it is
#                        used as `asl-lint/asl-lint@vX.Y.Z`, else the latest release
#   ASL_LINT_ACTION_REF  the ref the action was used at (github.action_ref)
#   ASL_LINT_REPOSITORY  where the releases are (github.action_repository; default asl-lint/asl-lint)
#   ASL_LINT_GITHUB      the GitHub server (default https://github.com; scripts/test_action.sh
#                        points it at a local server)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, RUNNER_TOOL_CACHE, GITHUB_PATH, GITHUB_OUTPUT
#
# Downloads `asl-lint-VERSION-PLATFORM.tar.gz` (`.zip` on Windows) and its `.sha256` from the
# release (the layout of scripts/package_archive.sh), checks the checksum and that the binary
# answers `--version` with that version, and keeps it in the tool cache so that a self-hosted
# runner downloads each version once.
set -euo pipefail

die() {
  echo "::error title=asl-lint action::$*"
  exit 1
}

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) platform=linux-x64 ;;
  Linux/ARM64) platform=linux-arm64 ;;
  macOS/X64) platform=darwin-x64 ;;
  macOS/ARM64) platform=darwin-arm64 ;;
  Windows/X64) platform=win32-x64 ;;
  *) die "no asl-lint release for runner ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}: releases cover Linux and macOS on X64 and ARM64 and Windows on X64; install from PyPI (pip install asl-lint) or with cargo instead" ;;
esac
exe=""
archive_ext=tar.gz
if [ "$platform" = win32-x64 ]; then
  exe=.exe
  archive_ext=zip
fi

repository="${ASL_LINT_REPOSITORY:-}"
[ -n "$repository" ] || repository=asl-lint/asl-lint
server="${ASL_LINT_GITHUB:-https://github.com}"
server="${server%/}"
curl_get() {
  curl --fail --silent --show-error --location --retry 3 --retry-delay 2 "$@"
}

semver='^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$'
version="${ASL_LINT_VERSION:-}"
if [ -z "$version" ] && [[ "${ASL_LINT_ACTION_REF:-}" =~ $semver ]]; then
  version="$ASL_LINT_ACTION_REF"
fi
if [ -z "$version" ] || [ "$version" = latest ]; then
  # github.com/OWNER/REPO/releases/latest redirects to .../releases/tag/vX.Y.Z: no API token and
  # no rate limit.
  url=$(curl_get --output /dev/null --write-out '%{url_effective}' "$server/$repository/releases/latest") \
    || die "could not find the latest release of $repository at $server/$repository/releases/latest"
  version="${url##*/}"
  [[ "$version" =~ $semver ]] || die "the latest release of $repository is \`$version\`, which is not a version; set the action's \`version\` input"
fi
[[ "$version" =~ $semver ]] || die "\`version: $version\` is not a version: use \`0.1.0\`, \`v0.1.0\` or \`latest\`"
version="${version#v}"

name="asl-lint-$version-$platform"
cache="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}}/asl-lint/$version/$platform"
bin="$cache/$name/asl-lint$exe"

answers() {
  local line
  line=$("$1" --version 2>/dev/null | head -n 1) || return 1
  [ "${line%% (*}" = "asl-lint $version" ] || [ "$line" = "asl-lint $version" ]
}

if [ -x "$bin" ] && answers "$bin"; then
  echo "asl-lint $version ($platform) from the tool cache: $bin"
else
  work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/asl-lint.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  archive="$name.$archive_ext"
  base="$server/$repository/releases/download/v$version"
  echo "Downloading $base/$archive"
  curl_get --output "$work/$archive" "$base/$archive" \
    || die "could not download $base/$archive: is v$version a release of $repository?"
  curl_get --output "$work/$archive.sha256" "$base/$archive.sha256" \
    || die "could not download $base/$archive.sha256"
  expected=$(awk 'NR == 1 { print $1 }' "$work/$archive.sha256")
  if command -v sha256sum >/dev/null 2>&1; then
    actual=$(sha256sum "$work/$archive" | awk '{ print $1 }')
  else
    actual=$(shasum -a 256 "$work/$archive" | awk '{ print $1 }')
  fi
  [ -n "$expected" ] && [ "$expected" = "$actual" ] \
    || die "$archive does not match its checksum (expected ${expected:-nothing}, got $actual): not installing it"
  rm -rf "$cache"
  mkdir -p "$cache"
  if [ "$archive_ext" = zip ]; then
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$work/$archive" -d "$cache"
    else
      7z x -y "-o$cache" "$work/$archive" >/dev/null
    fi
  else
    tar -xzf "$work/$archive" -C "$cache"
  fi
  [ -f "$bin" ] || die "$archive holds no $name/asl-lint$exe"
  chmod +x "$bin"
  answers "$bin" || die "$bin does not answer \`--version\` with asl-lint $version"
  echo "Installed $("$bin" --version | head -n 1) ($platform) in $cache/$name"
fi

dir="$cache/$name"
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$dir" >>"$GITHUB_PATH"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "version=$version"
    echo "path=$bin"
  } >>"$GITHUB_OUTPUT"
fi
