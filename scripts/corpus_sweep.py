#!/usr/bin/env python3
"""Lint the shared corpus with the asl-lint binary (through its JSON output).

- valid-real, valid-fixtures, yaml and templates (CloudFormation/SAM): any error-level finding fails the sweep (exit 1), except for
  files listed with a reason in tests/corpus-skip.txt, LocalStack files holding `_tbd_` (filled in
  by the tests before use) and single-state TestState documents without StartAt/States.
- invalid-fixtures: prints how many files were flagged with at least one error (recall).
- Files MANIFEST.tsv records as failing at run time (LocalStack's AWS-validated snapshots:
  "fails only at RUN time (path not found in input)") are valid definitions, so any error fails
  the sweep as for the others, except the run-time rules' (ASL330, ASL331): those are that
  recorded failure found before the run, and are listed as such (recall on run-time failures).

Usage: scripts/corpus_sweep.py [--bin target/release/asl-lint] [--corpus ../shared/corpus]
"""
import argparse
import json
import os
import subprocess
import sys
from collections import Counter

# The rules whose errors are failures of an execution (a path the payload cannot have).
RUN_TIME_RULES = {"ASL330", "ASL331"}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def files_of(corpus, category):
    out = []
    for dirpath, _, names in os.walk(os.path.join(corpus, category)):
        for name in names:
            out.append(os.path.join(dirpath, name))
    return sorted(out)


def lint(binary, files):
    result = subprocess.run(
        [binary, "check", "--format", "json", *files], capture_output=True, text=True
    )
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stderr)
        raise SystemExit(f"asl-lint exited with {result.returncode}")
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, "target/release/asl-lint"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "../shared/corpus"))
    args = parser.parse_args()
    corpus = os.path.normpath(args.corpus)
    if not os.path.isdir(corpus):
        print(f"corpus sweep skipped: {corpus} not found")
        return 0

    skip = {}
    with open(os.path.join(ROOT, "tests/corpus-skip.txt"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                path, reason = line.rstrip("\n").split("\t", 1)
                skip[path] = reason

    # Files AWS accepts and an execution then fails on, as LocalStack's snapshots record.
    run_time = set()
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 7 and "fails only at RUN time" in cols[6]:
                run_time.add(os.path.normpath(os.path.join(corpus, cols[1])))

    valid, excluded = [], Counter()
    for category in ("valid-real", "valid-fixtures", "yaml", "templates"):
        for path in files_of(corpus, category):
            rel = os.path.relpath(path, corpus)
            text = open(path, "rb").read().decode("utf-8", "replace")
            if rel in skip:
                excluded["skip list"] += 1
            elif "_tbd_" in text:
                excluded["_tbd_ placeholders"] += 1
            elif category != "templates" and ("StartAt" not in text or "States" not in text):
                excluded["TestState single-state documents"] += 1
            else:
                valid.append(path)

    report = lint(args.bin, valid)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    found_run_time = [
        d for d in errors
        if d["code"] in RUN_TIME_RULES and os.path.normpath(d["path"]) in run_time
    ]
    errors = [d for d in errors if d not in found_run_time]
    warnings = Counter(d["code"] for d in report["diagnostics"] if d["severity"] == "warning")
    print(f"valid corpus: {len(valid)} files linted ({', '.join(f'{n} {k}' for k, n in excluded.items())} excluded)")
    print(f"  errors: {len(errors)}; warnings by rule: {dict(sorted(warnings.items()))}")
    for d in errors:
        print(f"  ERROR {os.path.relpath(d['path'], corpus)}:{d['line']}:{d['column']}: {d['code']} {d['message']}")
    linted_run_time = sorted(p for p in run_time if p in {os.path.normpath(v) for v in valid})
    print(
        f"recorded run-time failures: {len({d['path'] for d in found_run_time})} of "
        f"{len(linted_run_time)} found before the run by {', '.join(sorted(RUN_TIME_RULES))}"
    )
    for d in found_run_time:
        print(f"  found {os.path.relpath(d['path'], corpus)}:{d['line']}:{d['column']}: {d['code']}")

    invalid = files_of(corpus, "invalid-fixtures")
    report = lint(args.bin, invalid)
    flagged = {d["path"] for d in report["diagnostics"] if d["severity"] == "error"}
    print(f"invalid fixtures: {len(flagged)} of {len(invalid)} flagged with an error")
    codes = Counter(d["code"] for d in report["diagnostics"] if d["severity"] == "error")
    print(f"  errors by rule: {dict(sorted(codes.items()))}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
