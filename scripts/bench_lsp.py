#!/usr/bin/env python3
"""Editor latency of `asl-lint lsp`, measured over stdio the way an editor sees it.

For each generated machine (100, 1,000 and 5,000 states from ../shared/bench/gen_asl.py):

- didChange -> publishDiagnostics: the time from writing a full-text didChange (a one-character
  edit of a Comment, as typing does) to reading the publishDiagnostics of that version;
- hover, definition and completion on a transition value in the middle of the document: the time
  from writing the request to reading its answer (no re-analysis: the version is unchanged);
- baseline, in the same run: the round trip of a request the server answers without any work
  (hover on a document that is not open), i.e. the cost of the pipe and JSON-RPC alone.

Prints a markdown table (medians and 95th percentiles, milliseconds). Usage:

    cargo build --release -p asl-lint
    python3 scripts/bench_lsp.py [--bin target/release/asl-lint] [--runs 50]

AWS's language service needs 21 ms, 230 ms and 1.9 s to validate the same machines after an
edit (../shared/bench/README.md, same kind of machine); the table gives our ratio to those.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

AWS_MS = {100: 21.0, 1000: 230.0, 5000: 1900.0}


class Server:
    def __init__(self, binary: str) -> None:
        self.proc = subprocess.Popen(
            [binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self) -> dict:
        out = self.proc.stdout
        assert out is not None
        length = 0
        while True:
            line = out.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(out.read(length))

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                return message

    def notify(self, method: str, params: dict) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, version: int) -> dict:
        while True:
            message = self.read()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == version:
                return message

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=10)


def position(text: str, offset: int) -> dict:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    # The generated machines are ASCII: UTF-16 columns equal byte columns.
    return {"line": line, "character": offset - start}


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def bench(binary: str, path: Path, runs: int) -> dict[str, tuple[float, float]]:
    text = path.read_text()
    uri = path.resolve().as_uri()
    server = Server(binary)
    server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}})
    server.wait_diagnostics(1)

    # The transition value nearest the middle of the document.
    middle = len(text) // 2
    at = text.find('"Next": "', middle)
    if at < 0:
        at = text.rfind('"Next": "', 0, middle)
    target = position(text, at + len('"Next": "') + 1)
    comment = text.find('"Comment": "')
    if comment < 0:
        raise SystemExit(f"{path}: no Comment to edit")
    edit_at = comment + len('"Comment": "')

    results: dict[str, list[float]] = {"didChange → diagnostics": [], "hover": [], "definition": [], "completion": [], "baseline round trip": []}
    version = 1
    for i in range(runs):
        version += 1
        # Type (or delete) one character inside the Comment: same structure, new text.
        changed = text[:edit_at] + ("x" if i % 2 == 0 else "") + text[edit_at:]
        params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]}
        results["didChange → diagnostics"].append(
            timed(lambda: (server.notify("textDocument/didChange", params), server.wait_diagnostics(version)))
        )
    # The last version is analysed: requests answer from it.
    final = text[:edit_at] + ("x" if (runs - 1) % 2 == 0 else "") + text[edit_at:]
    shift = len(final) - len(text)
    target = position(final, at + shift + len('"Next": "') + 1) if at > edit_at else target
    doc = {"textDocument": {"uri": uri}, "position": target}
    for _ in range(runs):
        results["hover"].append(timed(lambda: server.request("textDocument/hover", doc)))
        results["definition"].append(timed(lambda: server.request("textDocument/definition", doc)))
        results["completion"].append(timed(lambda: server.request("textDocument/completion", doc)))
        nowhere = {"textDocument": {"uri": "file:///not-open.asl.json"}, "position": {"line": 0, "character": 0}}
        results["baseline round trip"].append(timed(lambda: server.request("textDocument/hover", nowhere)))
    answer = server.request("textDocument/definition", doc)
    if not answer.get("result"):
        raise SystemExit(f"{path}: definition found nothing at {target}: the benchmark would measure nothing")
    answer = server.request("textDocument/completion", doc)
    if not (answer.get("result") or {}).get("items"):
        raise SystemExit(f"{path}: completion offered nothing at {target}: the benchmark would measure nothing")
    server.close()
    return {name: stats(samples) for name, samples in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "asl-lint"))
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--data", default="target/bench-data")
    parser.add_argument("--gen", default="../shared/bench/gen_asl.py")
    args = parser.parse_args()
    data = Path(args.data)
    sizes = [100, 1000, 5000]
    if not all((data / "sizes" / f"states-{n}.json").exists() for n in sizes):
        subprocess.run([sys.executable, args.gen, str(data), "--sizes", ",".join(map(str, sizes)), "--many", "0"], check=True, stdout=subprocess.DEVNULL)
    rows = []
    for n in sizes:
        r = bench(args.bin, data / "sizes" / f"states-{n}.json", args.runs)
        rows.append((n, r))
    names = list(rows[0][1].keys())
    print(f"`asl-lint lsp`, over stdio, median / p95 of {args.runs} (ms); AWS's language service for comparison\n")
    print("| states | " + " | ".join(names) + " | AWS's service after an edit | ratio |")
    print("|---:|" + "---:|" * (len(names) + 2))
    for n, r in rows:
        cells = [f"{r[name][0]:.2f} / {r[name][1]:.2f}" for name in names]
        ratio = AWS_MS[n] / r["didChange → diagnostics"][0]
        print(f"| {n:,} | " + " | ".join(cells) + f" | {AWS_MS[n]:g} | {ratio:.0f}× faster |")


if __name__ == "__main__":
    main()
