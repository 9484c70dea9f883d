#!/usr/bin/env bash
# Builds the linux-x64 .vsix with scripts/build_vsix.sh into a temp dir and checks what a user
# would install: extension/bundled/asl-lint is there, a regular file with its executable bits
# in the zip's external attributes, stripped (when readelf is present), and, extracted with
# those modes, answers `--version` like the binary it was made from; the manifest names the
# target platform; the extension's package.json has the binary's version; nothing but what VS
# Code loads is packaged (no sources, tests, source maps or node_modules).
#
#   scripts/test_vsix.sh [BINARY]     (default: as scripts/build_vsix.sh)
#
# Prints `skipped: <why>` and exits 0 when npm or npx cannot fetch what the build needs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
target=linux-x64
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ] || [ -f /etc/alpine-release ]; then
  echo "skipped: the .vsix test runs the bundled $target binary, and this machine is not $target"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
ASL_VSIX_OUT="$tmp/asl-lint-$target.vsix" "$repo/scripts/build_vsix.sh" "${1:-}" "$target" \
  >"$tmp/build.out" 2>"$tmp/build.err" || status=$?
if [ "$status" -eq 77 ]; then
  grep '^skipped:' "$tmp/build.err" || echo "skipped: scripts/build_vsix.sh could not fetch its tools"
  exit 0
elif [ "$status" -ne 0 ]; then
  cat "$tmp/build.err" >&2
  echo "test_vsix.sh: scripts/build_vsix.sh failed (status $status)" >&2
  exit 1
fi
vsix=$(tail -n 1 "$tmp/build.out")

bin=${1:-${ASL_LINT_BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/asl-lint}}
expected_version=$("$bin" --version)

python3 - "$vsix" "$tmp/x" "$target" "$expected_version" <<'EOF'
import json, os, re, stat, subprocess, sys, zipfile

vsix, dest, target, expected_version = sys.argv[1:]
failures = []

def fail(msg):
    failures.append(msg)

with zipfile.ZipFile(vsix) as z:
    names = z.namelist()
    allowed = re.compile(
        r"^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension/(package\.json|readme\.md"
        r"|LICENSE\.txt|changelog\.md|language-configuration(-yaml)?\.json"
        r"|syntaxes/[^/]+\.tmLanguage\.json|out/extension\.js|bundled/asl-lint))$"
    )
    for n in names:
        if not allowed.match(n):
            fail(f"unexpected file in the .vsix: {n}")
    for required in ("extension/package.json", "extension/out/extension.js", "extension/bundled/asl-lint"):
        if required not in names:
            fail(f"missing from the .vsix: {required}")
    if "extension/bundled/asl-lint" in names:
        info = z.getinfo("extension/bundled/asl-lint")
        mode = info.external_attr >> 16
        if info.create_system != 3 or not stat.S_ISREG(mode):
            fail(f"bundled/asl-lint has no Unix regular-file mode (create_system {info.create_system}, mode {oct(mode)})")
        elif mode & 0o111 != 0o111:
            fail(f"bundled/asl-lint is not executable in the zip: mode {oct(mode & 0o7777)}")
        print(f"bundled/asl-lint: {info.file_size} bytes, {info.compress_size} compressed, mode {oct(mode & 0o7777)}")
        # Extract it as VS Code does: with the mode the zip records.
        path = z.extract(info, dest)
        os.chmod(path, mode & 0o7777)
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
            got = out.stdout.strip()
            if out.returncode != 0 or got != expected_version:
                fail(f"extracted asl-lint --version: status {out.returncode}, {got!r}, expected {expected_version!r}")
            else:
                print(f"extracted asl-lint --version: {got}")
        except (OSError, subprocess.TimeoutExpired) as e:
            fail(f"extracted asl-lint --version did not run: {e}")
        try:
            sections = subprocess.run(["readelf", "-S", "-W", path], capture_output=True, text=True).stdout
            # (.debug_gdb_scripts is loaded with the program, and strip keeps it.)
            left = re.findall(r"\s(\.symtab|\.debug_(?:info|line|str|abbrev|ranges))\s", sections)
            if left:
                fail(f"bundled/asl-lint is not stripped: it has {', '.join(sorted(set(left)))}")
        except FileNotFoundError:
            print("skipped: the stripped check (readelf not found)")
    manifest = z.read("extension.vsixmanifest").decode()
    m = re.search(r"<Identity\b[^>]*\bTargetPlatform=\"([^\"]*)\"", manifest)
    if not m or m.group(1) != target:
        fail(f"extension.vsixmanifest's Identity has TargetPlatform {m.group(1) if m else None!r}, expected {target!r}")
    else:
        print(f"extension.vsixmanifest: TargetPlatform={m.group(1)}")
    pkg = json.loads(z.read("extension/package.json"))
    version = expected_version.split()[1] if len(expected_version.split()) > 1 else ""
    if pkg.get("version") != version:
        fail(f"extension/package.json has version {pkg.get('version')!r}, the binary {version!r}")
    if pkg.get("main") != "./out/extension.js":
        fail(f"extension/package.json main is {pkg.get('main')!r}")

print(f"{vsix.rsplit('/', 1)[-1]}: {os.path.getsize(vsix)} bytes, {len(names)} entries")
for f in failures:
    print(f"FAIL: {f}", file=sys.stderr)
sys.exit(1 if failures else 0)
EOF
# The extension's own lookup (serverPath.ts, compiled by the build's vscode:prepublish) picks
# the extracted binary, with nothing on PATH.
node -e '
const { resolveServerPath } = require(process.argv[1]);
const r = resolveServerPath({ extensionPath: process.argv[2], env: { PATH: "" }, platform: "linux" });
if (r.kind !== "found" || r.source !== "bundled") {
  console.error("FAIL: the extension lookup in the extracted .vsix gives " + JSON.stringify(r));
  process.exit(1);
}
console.log("extension lookup: " + r.source + " " + r.path.slice(process.argv[2].length + 1));
' "$repo/editors/vscode/out/serverPath.js" "$tmp/x/extension"
echo "ok: the $target .vsix bundles a runnable asl-lint"
