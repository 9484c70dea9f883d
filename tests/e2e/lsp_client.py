#!/usr/bin/env python3
"""A small LSP client (Python stdlib only) that drives a language server as an editor would.

    lsp_client.py --file F --language-id ID --expect CODE@LINE ... [--hover NEEDLE] -- CMD ARGS...

Starts CMD ARGS (the exact command line from an editor's configuration), sends `initialize`,
`initialized` and `didOpen` for F with the language id ID, waits for the server's
`publishDiagnostics` for F and compares the set of `CODE@LINE` (1-based lines) with the
`--expect` ones (exactly; `--expect none` wants no diagnostic), optionally asks for a hover at the
first occurrence of NEEDLE (+ `--hover-offset` characters) and wants its text to contain
`--hover-want`, then sends `shutdown` and `exit` and wants the process to end with status 0.

Prints `ok   - ...` / `FAIL - ...` lines; exits 0 when all pass, 1 otherwise. Used by
tests/e2e/run_editor_configs.sh for the Helix and Zed configurations.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time


class Server:
    def __init__(self, cmd: list[str], cwd: str):
        self.proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        self.messages.put(None)
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.decode("ascii", "replace").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    self.messages.put({"_error": "a message without Content-Length"})
                    continue
                self.messages.put(json.loads(out.read(length)))
        except Exception as e:  # noqa: BLE001 - reported as a failure by the reader
            self.messages.put({"_error": f"reading the server's output: {e}"})
            self.messages.put(None)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()
        except OSError:
            pass  # the server has gone: the wait for its answer fails and says so

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params) -> int:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait_for(self, pred, deadline: float, seen: list):
        """The first message satisfying pred, answering the server's own requests meanwhile."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                msg = self.messages.get(timeout=left)
            except queue.Empty:
                return None
            if msg is None:
                return None
            seen.append(msg)
            if "_error" in msg:
                continue
            if "method" in msg and "id" in msg:  # a request from the server: answer null
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            if pred(msg):
                return msg


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", required=True)
    ap.add_argument("--language-id", required=True)
    ap.add_argument("--expect", action="append", default=[], help="CODE@LINE, or none")
    ap.add_argument("--hover", help="hover at the first occurrence of this text")
    ap.add_argument("--hover-offset", type=int, default=1)
    ap.add_argument("--hover-want", help="text the hover must contain")
    ap.add_argument("--name", default="lsp", help="a prefix for the check names")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("give the server's command after --")

    failed = 0

    def check(name: str, detail: str | None) -> None:
        nonlocal failed
        if detail is None:
            print(f"ok   - {a.name}: {name}")
        else:
            failed += 1
            print(f"FAIL - {a.name}: {name}")
            for line in str(detail).splitlines():
                print(f"       {line}")

    path = pathlib.Path(a.file).resolve()
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    deadline = time.monotonic() + a.timeout
    seen: list = []
    try:
        server = Server(cmd, cwd=str(path.parent))
    except OSError as e:
        check(f"`{' '.join(cmd)}` starts", str(e))
        return 1

    def tail() -> str:
        shown = [json.dumps(m)[:300] for m in seen[-5:]]
        err = server.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        return "\n".join(["last messages:", *shown, "stderr:", *err])

    init_id = server.request(
        "initialize",
        {
            "processId": os.getpid(),
            "clientInfo": {"name": "asl-lint lsp_client.py"},
            "rootUri": path.parent.as_uri(),
            "capabilities": {
                "textDocument": {
                    "publishDiagnostics": {"relatedInformation": True},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                },
                "general": {"positionEncodings": ["utf-16"]},
            },
        },
    )
    init = server.wait_for(lambda m: m.get("id") == init_id, deadline, seen)
    detail = None
    if init is None:
        detail = f"no answer to initialize\n{tail()}"
    elif "error" in init:
        detail = f"initialize answered an error: {init['error']}"
    check(f"`{' '.join(cmd)}` answers initialize", detail)
    if detail:
        server.proc.kill()
        return 1
    caps = init["result"].get("capabilities", {})

    server.notify("initialized", {})
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": a.language_id, "version": 1, "text": text}},
    )
    want = sorted(e for e in a.expect if e != "none")
    # A document the server ignores may get no publishDiagnostics at all: wait 2 s for one.
    pub = server.wait_for(
        lambda m: m.get("method") == "textDocument/publishDiagnostics"
        and m["params"].get("uri") == uri,
        deadline if want else min(deadline, time.monotonic() + 2),
        seen,
    )
    if pub is None:
        if want:
            check(f"diagnostics {', '.join(want)}", f"no publishDiagnostics for {uri}\n{tail()}")
        else:
            check("no diagnostics", None)
    else:
        got = sorted(
            f"{d.get('code')}@{d['range']['start']['line'] + 1}" for d in pub["params"]["diagnostics"]
        )
        label = f"diagnostics {', '.join(want)}" if want else "no diagnostics"
        check(label, None if got == want else f"want {want}, got {got}")

    if a.hover:
        offset = text.find(a.hover)
        detail = None
        if offset < 0:
            detail = f"`{a.hover}` is not in {path.name}"
        elif not caps.get("hoverProvider"):
            detail = f"the server does not offer hover: {caps}"
        else:
            before = text[: offset + a.hover_offset]
            line = before.count("\n")
            col = len(before) - (before.rfind("\n") + 1)
            hid = server.request(
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": line, "character": col}},
            )
            hover = server.wait_for(lambda m: m.get("id") == hid, deadline, seen)
            contents = json.dumps((hover or {}).get("result"))
            if hover is None:
                detail = f"no answer to hover\n{tail()}"
            elif a.hover_want and a.hover_want not in contents:
                detail = f"the hover does not mention {a.hover_want}: {contents[:500]}"
        check(f"hover at `{a.hover}`", detail)

    sid = server.request("shutdown", None)
    answer = server.wait_for(lambda m: m.get("id") == sid, time.monotonic() + 5, seen)
    detail = None
    if answer is None or "error" in answer:
        detail = f"shutdown: {answer}\n{tail()}"
    else:
        server.notify("exit", None)
        try:
            code = server.proc.wait(timeout=5)
            if code != 0:
                detail = f"exit status {code}"
        except subprocess.TimeoutExpired:
            server.proc.kill()
            detail = "still running 5 s after exit"
    check("shutdown and exit with status 0", detail)
    if server.proc.poll() is None:
        server.proc.kill()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
