#!/usr/bin/env bash
# Whole-process timings of `asl-lint check` (release build) next to two baselines over the same
# files: `cat` (reading the bytes) and Python's `json.load` (parsing them, no checking). Prints
# a markdown table for the README.
#
#     scripts/bench.sh            # RUNS=5 measured runs after one warm-up, median reported
#
# Inputs: the machines of ../shared/bench/gen_asl.py (generated into target/bench-data when
# missing) and, when present, the corpus in ../shared/corpus (valid-real, valid-fixtures,
# invalid-fixtures). Environment: RUNS (default 5), CORPUS (default ../shared/corpus),
# GEN (default ../shared/bench/gen_asl.py).
#
# Timing: hyperfine when it is installed (`--warmup 1 --runs $RUNS -N`), otherwise a small
# Python harness (posix_spawn + wait4: wall time by perf_counter, which has microsecond
# resolution where `/usr/bin/time` has 10 ms). Peak memory is always the wait4 maximum resident
# set size (the figure `/usr/bin/time -v` prints), the largest of the runs. Results move with the
# load of the machine: run it on an idle one.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
CORPUS="${CORPUS:-../shared/corpus}"
GEN="${GEN:-../shared/bench/gen_asl.py}"
DATA=target/bench-data

cargo build --release -p asl-lint >&2
BIN=target/release/asl-lint

# (`|| true`: on a fresh clone the folder does not exist yet, and pipefail would stop the script)
many_count=$({ find "$DATA/many" -name 'm*.json' 2>/dev/null || true; } | wc -l)
if [[ ! -f "$DATA/sizes/states-5000.json" || ! -f "$DATA/sizes/states-1000.json" || "$many_count" -lt 1000 ]]; then
    if [[ ! -f "$GEN" ]]; then
        echo "bench.sh: $GEN not found and $DATA is incomplete; set GEN=path/to/gen_asl.py" >&2
        exit 2
    fi
    python3 "$GEN" "$DATA" --sizes 100,1000,5000 --many 1000 --many-states 20 >&2
fi

HYPERFINE="$(command -v hyperfine || true)"

exec python3 - "$BIN" "$DATA" "$CORPUS" "$RUNS" "$HYPERFINE" <<'PY'
import json, os, platform, shlex, shutil, statistics, subprocess, sys, tempfile, time

bin_path, data, corpus, runs, hyperfine = sys.argv[1:6]
runs = int(runs)
bin_path = os.path.abspath(bin_path)

JSON_BASELINE = (
    "import json,sys\n"
    "for f in sys.argv[1:]:\n"
    "    try:\n"
    "        json.load(open(f, encoding='utf-8'))\n"
    "    except ValueError:\n"
    "        pass  # .json5 files with comments: read, not parsed\n"
)


def files_under(*dirs):
    out = []
    for d in dirs:
        for root, _, names in os.walk(d):
            out.extend(os.path.join(root, n) for n in names)
    return sorted(out)


def spawn_measure(argv):
    """One run: (wall seconds, peak RSS bytes, exit status)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(
            argv[0], argv, os.environ,
            file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)],
        )
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(devnull)
    return wall, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


def measure(head, paths):
    """Median wall seconds of `runs` runs after a warm-up, peak RSS bytes, exit statuses."""
    argv = head + paths
    first = spawn_measure(argv)  # warm-up (page cache, binary)
    samples = [spawn_measure(argv) for _ in range(runs)]
    peak = max(s[1] for s in samples)
    codes = sorted({first[2]} | {s[2] for s in samples})
    wall = statistics.median(s[0] for s in samples)
    if hyperfine:
        # The paths go through `xargs -0` (for all commands alike) so that names with spaces
        # survive hyperfine's own word splitting.
        with tempfile.TemporaryDirectory() as tmp:
            listing = os.path.join(tmp, "files")
            with open(listing, "wb") as f:
                f.write(b"\0".join(p.encode() for p in paths))
            out = os.path.join(tmp, "h.json")
            subprocess.run(
                [hyperfine, "-N", "--warmup", "1", "--runs", str(runs), "--ignore-failure",
                 "--export-json", out, shlex.join(["xargs", "-0", "-a", listing] + head)],
                check=True, stdout=subprocess.DEVNULL,
            )
            with open(out) as f:
                wall = json.load(f)["results"][0]["median"]
    return wall, peak, codes


def which(name):
    path = shutil.which(name)
    if not path:
        sys.exit(f"bench.sh: {name} not found")
    return path


cat = which("cat")
python = which("python3")
baseline_script = os.path.abspath(os.path.join(data, "json_baseline.py"))
with open(baseline_script, "w") as f:
    f.write(JSON_BASELINE)

inputs = [
    ("one 5,000-state machine", [os.path.join(data, "sizes", "states-5000.json")], 0.05),
    ("one 1,000-state machine", [os.path.join(data, "sizes", "states-1000.json")], None),
    ("1,000 machines of ~20 states", files_under(os.path.join(data, "many")), 0.1),
]
corpus_dirs = [os.path.join(corpus, d) for d in ("valid-real", "valid-fixtures", "invalid-fixtures")]
if all(os.path.isdir(d) for d in corpus_dirs):
    inputs.append(("corpus (valid-real, valid-fixtures, invalid-fixtures)", files_under(*corpus_dirs), 0.1))
else:
    print(f"note: {corpus} not found, corpus row skipped", file=sys.stderr)

MEM_TARGET = 100_000_000  # bytes

def load():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"

cpu = "?"
try:
    with open("/proc/cpuinfo") as f:
        cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
except (OSError, StopIteration):
    pass
version = subprocess.run([bin_path, "--version"], capture_output=True, text=True).stdout.strip()
load_before = load()
print(f"{version}; {os.cpu_count()} cores ({cpu}); {platform.system()} {platform.release()}", file=sys.stderr)
print(f"timing: {'hyperfine ' + hyperfine if hyperfine else 'posix_spawn + wait4'}; "
      f"median of {runs} runs after 1 warm-up; load average before: {load_before}", file=sys.stderr)

rows = []
for label, paths, target in inputs:
    paths = [os.path.abspath(p) for p in paths]
    size = sum(os.path.getsize(p) for p in paths)
    lint = measure([bin_path, "check"], paths)
    if 2 in lint[2]:
        err = subprocess.run([bin_path, "check"] + paths, capture_output=True, text=True).stderr.strip().splitlines()
        print(f"warning: asl-lint exited 2 on {label}: {err[-1] if err else ''}", file=sys.stderr)
    base_cat = measure([cat], paths)
    base_json = measure([python, baseline_script], paths)
    rows.append((label, len(paths), size, lint, base_cat, base_json, target))
    print(f"  {label}: asl-lint {lint[0]:.4f} s {lint[1] / 2**20:.1f} MiB (exit {lint[2]}), "
          f"cat {base_cat[0]:.4f} s, json.load {base_json[0]:.4f} s", file=sys.stderr)

print(f"load average after: {load()}", file=sys.stderr)
print()
print(f"| input | files | MiB | asl-lint s | peak MiB | `cat` s | `json.load` s | ÷ cat | ÷ json.load | target |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for label, count, size, lint, base_cat, base_json, target in rows:
    wall, peak, _ = lint
    checks = []
    if target is not None:
        checks.append(f"< {target:g} s {'✓' if wall < target else '✗'}")
    checks.append(f"< 100 MB {'✓' if peak < MEM_TARGET else '✗'}")
    print(f"| {label} | {count} | {size / 2**20:.1f} | {wall:.3f} | {peak / 2**20:.1f} "
          f"| {base_cat[0]:.3f} | {base_json[0]:.3f} | {wall / base_cat[0]:.1f}× | {wall / base_json[0]:.2f}× "
          f"| {'; '.join(checks)} |")
print()
print(f"Whole process, release build, median of {runs} runs after a warm-up, {os.cpu_count()} cores, "
      f"load average {load_before} before the runs. `÷` = asl-lint time / baseline time.")
PY
