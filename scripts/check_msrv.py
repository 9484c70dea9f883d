#!/usr/bin/env python3
"""Check that the workspace's `rust-version` is at least that of every locked dependency.

`cargo install --locked` and `cargo build --locked` build the versions in Cargo.lock; when one of
them needs a newer Rust than the workspace declares, a user on the declared toolchain gets a
build error instead of cargo's clear "requires rustc X" message. Run from the repository root
(`.ci/run` does); reads `cargo metadata --locked`, so it needs no network once the registry
index is cached, and exits 1 listing the packages that need more.
"""

from __future__ import annotations

import json
import subprocess
import sys


def version(text: str) -> tuple[int, int, int]:
    """`1.85` and `1.85.0` alike."""
    parts = [int(part) for part in text.split(".")] + [0, 0]
    return (parts[0], parts[1], parts[2])


def main() -> int:
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    meta = json.loads(out)
    members = set(meta["workspace_members"])
    declared = {p["rust_version"] for p in meta["packages"] if p["id"] in members}
    if len(declared) != 1 or None in declared:
        print(f"check_msrv: the workspace's crates declare {sorted(map(str, declared))}; want one rust-version")
        return 1
    msrv = declared.pop()
    newer = sorted(
        (version(p["rust_version"]), p["name"], p["version"], p["rust_version"])
        for p in meta["packages"]
        if p.get("rust_version") and version(p["rust_version"]) > version(msrv)
    )
    if newer:
        print(f"check_msrv: rust-version is {msrv}, but these locked packages need more:")
        for _, name, ver, rv in newer:
            print(f"  {name} {ver} needs Rust {rv}")
        return 1
    print(f"check_msrv: rust-version {msrv} covers every locked package")
    return 0


if __name__ == "__main__":
    sys.exit(main())
