#!/usr/bin/env python3
"""Lint the shared corpus with the asl-lint binary (through its JSON output).

- valid-real, valid-fixtures, yaml and templates (CloudFormation/SAM): any error-level finding fails the sweep (exit 1), except for
  files listed with a reason in tests/corpus-skip.txt, LocalStack files holding `_tbd_` (filled in
  by the tests before use) and single-state TestState documents without StartAt/States.
- invalid-fixtures: prints how many files were flagged with at least one error (recall).

Usage: scripts/corpus_sweep.py [--bin target/release/asl-lint] [--corpus ../shared/corpus]
"""
import argparse
import json
import os
import subprocess
import sys
from collections import Counter

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
    warnings = Counter(d["code"] for d in report["diagnostics"] if d["severity"] == "warning")
    print(f"valid corpus: {len(valid)} files linted ({', '.join(f'{n} {k}' for k, n in excluded.items())} excluded)")
    print(f"  errors: {len(errors)}; warnings by rule: {dict(sorted(warnings.items()))}")
    for d in errors:
        print(f"  ERROR {os.path.relpath(d['path'], corpus)}:{d['line']}:{d['column']}: {d['code']} {d['message']}")

    invalid = files_of(corpus, "invalid-fixtures")
    report = lint(args.bin, invalid)
    flagged = {d["path"] for d in report["diagnostics"] if d["severity"] == "error"}
    print(f"invalid fixtures: {len(flagged)} of {len(invalid)} flagged with an error")
    codes = Counter(d["code"] for d in report["diagnostics"] if d["severity"] == "error")
    print(f"  errors by rule: {dict(sorted(codes.items()))}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
