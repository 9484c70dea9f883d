#!/usr/bin/env python3
"""Times asl-lint and its peers on the same files; prints a Markdown table to stdout.

Called by bench/compare.sh, which builds asl-lint and installs the peers (an empty path means
the peer was skipped). Python standard library only.

Each tool runs the way its users run it over a set of files: all three ASL validators accept
many files in one process (asl-validator through a repeated `--json-path`), and so does
cfn-lint, so every tool gets one process per workload, with the same files in the same order.
One untimed run first captures the tool's output (to count the files it reports invalid) and
warms the page cache; then `--runs` timed rounds, each running every tool of the workload once
in turn (so a change in the load of a shared machine weighs on all of them alike), stdout and
stderr to /dev/null. Wall time is the median of those runs (perf_counter around posix_spawn +
wait4); peak memory is the largest maximum resident set size wait4 reports for the process (the
figure `/usr/bin/time -v` prints).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time


def spawn_measure(argv: list[str]) -> tuple[float, int, int]:
    """One run: (wall seconds, peak RSS bytes, exit status)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(
            argv[0],
            argv,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, devnull, 1),
                (os.POSIX_SPAWN_DUP2, devnull, 2),
            ],
        )
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(devnull)
    return wall, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


def capture(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, errors="replace", check=False)


class Tool:
    """A command over a list of files and a way to count the files it reports invalid."""

    name = ""
    version = ""

    def __init__(self, exe: str) -> None:
        self.exe = os.path.abspath(exe)

    def argv(self, paths: list[str]) -> list[str]:
        return [self.exe, *paths]

    def invalid(self, paths: list[str]) -> tuple[int, str]:
        """Runs the tool once and returns (files reported invalid, a note or "")."""
        raise NotImplementedError


class AslLint(Tool):
    name = "asl-lint"

    def __init__(self, exe: str) -> None:
        super().__init__(exe)
        self.version = capture([self.exe, "--version"]).stdout.strip().removeprefix("asl-lint ")

    def argv(self, paths: list[str]) -> list[str]:
        return [self.exe, "check", *paths]

    def report(self, paths: list[str]) -> dict:
        out = capture([self.exe, "check", "--format", "json", *paths])
        try:
            return json.loads(out.stdout)
        except ValueError:
            return {"diagnostics": [], "summary": {"files": 0}, "failed": out.stderr.strip()}

    def invalid(self, paths: list[str]) -> tuple[int, str]:
        report = self.report(paths)
        if "failed" in report:
            return len(paths), f"no JSON report: {report['failed'][-200:]}"
        flagged = {d["path"] for d in report["diagnostics"] if d["severity"] == "error"}
        return len(flagged), ""

    def reads_templates(self, paths: list[str]) -> bool:
        """Whether asl-lint reads CloudFormation/SAM templates: until it does, a template named
        on the command line is linted as a bare definition, and its top-level `Resources` is
        then an unknown field."""
        report = self.report(paths)
        return "failed" not in report and not any(
            d["rule"] == "unknown-field" and d["pointer"] == "/Resources" for d in report["diagnostics"]
        )


class AslValidator(Tool):
    name = "asl-validator"

    def __init__(self, exe: str) -> None:
        super().__init__(exe)
        self.version = capture([self.exe, "--version"]).stdout.strip()

    def argv(self, paths: list[str]) -> list[str]:
        out = [self.exe]
        for p in paths:
            out += ["--json-path", p]
        return out

    def invalid(self, paths: list[str]) -> tuple[int, str]:
        # It prints `✓ State machine definition "PATH" is valid` on stdout for each valid file,
        # `✕ ... is invalid` on stderr otherwise, and `Validator exception:` (without the path)
        # when its checks throw; it goes on with the next file in each case.
        out = capture(self.argv(paths))
        valid = len(re.findall(r'^\u2713 State machine definition ".*" is valid$', out.stdout, re.M))
        crashes = out.stderr.count("Validator exception:")
        note = f"{crashes} of them by an exception in the validator" if crashes else ""
        if out.returncode == 2 and not crashes:
            note = "stopped early (exit 2)"
        return len(paths) - valid, note


class Statelint(Tool):
    name = "@wmfs/statelint"

    def __init__(self, exe: str, version: str) -> None:
        super().__init__(exe)
        self.version = version

    def invalid(self, paths: list[str]) -> tuple[int, str]:
        # `ERROR: PATH is not valid` for findings, `ERROR: PATH os not valid` (sic) when reading
        # or parsing throws.
        out = capture(self.argv(paths))
        flagged = set(re.findall(r"^ERROR: (.*) [io]s not valid$", out.stdout, re.M))
        return len(flagged), ""


class CfnLint(Tool):
    name = "cfn-lint"

    def __init__(self, exe: str) -> None:
        super().__init__(exe)
        self.version = capture([self.exe, "--version"]).stdout.strip().removeprefix("cfn-lint ")

    def invalid(self, paths: list[str]) -> tuple[int, str]:
        out = capture([self.exe, "--format", "json", *paths])
        try:
            matches = json.loads(out.stdout)
        except ValueError:
            return len(paths), f"no JSON report: {out.stderr.strip()[-200:]}"
        return len({m["Filename"] for m in matches if m.get("Level") == "Error"}), ""


def npm_version(exe: str, package: str) -> str:
    """The version in the package.json npm installed next to node_modules/.bin/EXE."""
    manifest = os.path.join(os.path.dirname(os.path.dirname(exe)), package, "package.json")
    try:
        with open(manifest, encoding="utf-8") as f:
            return str(json.load(f).get("version", "?"))
    except (OSError, ValueError):
        return "?"


def files_under(folder: str) -> list[str]:
    out = []
    for root, _, names in os.walk(folder):
        out.extend(os.path.abspath(os.path.join(root, n)) for n in names)
    return sorted(out)


def machine() -> str:
    cpu = "?"
    mem = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kib = next(int(line.split()[1]) for line in f if line.startswith("MemTotal:"))
            mem = f"{kib / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}"


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def seconds(s: float) -> str:
    return f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def ratio(x: float, base: float) -> str:
    if base <= 0:
        return "—"
    r = x / base
    return f"{r:.1f}×" if r < 100 else f"{r:,.0f}×"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--asl-lint", required=True)
    ap.add_argument("--asl-validator", default="")
    ap.add_argument("--statelint", default="")
    ap.add_argument("--cfn-lint", default="")
    ap.add_argument("--generated", default="", help="a large generated machine (optional)")
    args = ap.parse_args()
    if args.runs < 1:
        sys.exit("compare.py: --runs must be at least 1")

    lint = AslLint(args.asl_lint)
    asl_peers: list[Tool] = []
    skipped = []
    if args.asl_validator:
        asl_peers.append(AslValidator(args.asl_validator))
    else:
        skipped.append("asl-validator")
    if args.statelint:
        asl_peers.append(Statelint(args.statelint, npm_version(args.statelint, "@wmfs/statelint")))
    else:
        skipped.append("@wmfs/statelint")
    cfn = CfnLint(args.cfn_lint) if args.cfn_lint else None
    if cfn is None:
        skipped.append("cfn-lint")

    valid_real = files_under(os.path.join(args.corpus, "valid-real"))
    largest = max(valid_real, key=os.path.getsize)
    workloads: list[tuple[str, list[str], list[Tool | None]]] = [
        ("valid-real, all files", valid_real, [lint, *asl_peers]),
        (f"largest valid-real file ({os.path.getsize(largest) / 1024:.0f} KiB)", [largest], [lint, *asl_peers]),
    ]
    if args.generated:
        size = os.path.getsize(args.generated) / 2**20
        workloads.append((f"generated 5,000-state machine ({size:.1f} MiB)", [os.path.abspath(args.generated)], [lint, *asl_peers]))
    templates_dir = os.path.join(args.corpus, "templates")
    templates_note = ""
    if cfn is not None and os.path.isdir(templates_dir):
        # `None` stands for asl-lint when it cannot read templates yet: the row says so.
        templates = files_under(templates_dir)
        supported = lint.reads_templates(templates)
        if not supported:
            templates_note = (
                "asl-lint does not read CloudFormation/SAM templates yet (it lints a template as a "
                "bare definition), so the templates row has no asl-lint time and no ratio; the "
                "script times it as soon as asl-lint reads them."
            )
        workloads.append(("templates (CloudFormation/SAM)", templates, [lint if supported else None, cfn]))

    date = datetime.date.today().isoformat()
    node = capture(["node", "--version"]).stdout.strip() if args.asl_validator or args.statelint else ""
    load_before = load()
    print(f"{date}; {machine()}; load average before: {load_before}", file=sys.stderr)

    rows = []
    for label, paths, tools in workloads:
        present = [t for t in tools if t is not None]
        invalid = {}
        for tool in present:
            print(f"  {label}: {tool.name} (untimed run) ...", file=sys.stderr, flush=True)
            invalid[tool.name] = tool.invalid(paths)  # also the warm-up
        # Round robin, one run of each tool in turn: a change in the load of a shared machine
        # then weighs on every tool alike instead of on whichever was running at the time.
        samples: dict[str, list[tuple[float, int, int]]] = {t.name: [] for t in present}
        for i in range(args.runs):
            print(f"  {label}: timed run {i + 1} of {args.runs} ...", file=sys.stderr, flush=True)
            for tool in present:
                samples[tool.name].append(spawn_measure(tool.argv(paths)))
        base: tuple[float, int] | None = None
        for tool in tools:
            if tool is None:
                rows.append((label, len(paths), "asl-lint", "not supported yet", None, None, None, None))
                continue
            runs = samples[tool.name]
            wall = statistics.median(s[0] for s in runs)
            peak = max(s[1] for s in runs)
            codes = sorted({s[2] for s in runs})
            n_invalid, note = invalid[tool.name]
            print(f"    {tool.name}: {seconds(wall)}, {peak / 2**20:.0f} MiB, exit {codes}, "
                  f"{n_invalid} reported invalid {note}", file=sys.stderr, flush=True)
            if isinstance(tool, AslLint):
                base = (wall, peak)
            rows.append((label, len(paths), f"{tool.name} {tool.version}", "", wall, peak, base, (n_invalid, note)))

    print(f"load average after: {load()}", file=sys.stderr)
    print("| workload | files | tool | wall time (median) | peak memory | time ÷ asl-lint | memory ÷ asl-lint | files reported invalid |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for label, count, tool, missing, wall, peak, base, invalid in rows:
        if wall is None or peak is None:
            print(f"| {label} | {count} | {tool} | {missing} | | | | |")
            continue
        if base is None or tool.startswith("asl-lint "):
            t_ratio = m_ratio = "—" if base is None else "1"
        else:
            t_ratio, m_ratio = ratio(wall, base[0]), ratio(peak, base[1])
        flagged = ""
        if invalid is not None:
            flagged = f"{invalid[0]}" + (f" ({invalid[1]})" if invalid[1] else "")
        print(f"| {label} | {count} | {tool} | {seconds(wall)} | {peak / 2**20:.0f} MiB | {t_ratio} | {m_ratio} | {flagged} |")
    print()
    versions = f"Python {platform.python_version()}" + (f", Node {node}" if node else "")
    print(f"{date}; {machine()}; {versions}; one process per tool and workload; the tools in turn, median of "
          f"{args.runs} run{'' if args.runs == 1 else 's'} after an untimed one; peak memory is the largest of the runs; "
          f"load average {load_before} before the runs and {load()} after.")
    for name in skipped:
        print(f"\n{name} was skipped: it could not be installed (see the messages above the table).")
    if templates_note:
        print(f"\n{templates_note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
