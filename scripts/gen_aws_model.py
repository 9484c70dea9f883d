#!/usr/bin/env python3
"""Generate crates/asl-aws/data/model.bin from botocore's service models.

The botocore version is pinned below (BOTOCORE_VERSION, with the wheel's sha256). The script
reads the wheel as a zip file and never imports botocore: for each folder of
`botocore/data/<service>/`, it takes the newest `<api-version>/service-2.json.gz` and keeps
what a linter needs: the service's names and protocol, every operation (name, a one-line doc,
input, output and error shape names) and the shapes reachable from the operations' input and
output (structure members with their required flag and a short doc, list members, map keys
and values, string enums, scalar kinds).

Usage:
    python3 scripts/gen_aws_model.py                  # downloads the pinned wheel with pip
    python3 scripts/gen_aws_model.py --wheel PATH     # or ASL_AWS_BOTOCORE_WHEEL=PATH
    python3 scripts/gen_aws_model.py --out FILE       # default crates/asl-aws/data/model.bin

Exit status 3: the wheel could not be downloaded (any other failure is 1).
The wheel is downloaded (`pip download botocore==<version> --no-deps`) into
$ASL_AWS_CACHE_DIR, else $XDG_CACHE_HOME/asl-lint, else ~/.cache/asl-lint.

File format (all integers little-endian), read by crates/asl-aws/src/data.rs:
    magic      b"ASLAWS1\\n"
    u16 + utf8 model version ("botocore 1.44.8")
    u32        number of services
    per service, sorted by id: u16 + utf8 id, u32 offset (from the start of the blob area), u32 len
    blob area: one zlib stream per service holding compact JSON (see `service_json` below)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

BOTOCORE_VERSION = "1.44.8"
WHEEL_NAME = f"botocore-{BOTOCORE_VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "76342a76c338701db80dcb8afe1c9bd079283d6fffbb9d881442abb02a215043"
MODEL_VERSION = f"botocore {BOTOCORE_VERSION}"
MAGIC = b"ASLAWS1\n"
# Exit status when pip cannot fetch the wheel (offline): the generator test skips on it.
CANNOT_DOWNLOAD = 3

OP_DOC_CHARS = 120
MEMBER_DOC_CHARS = 56

# botocore type -> one-letter kind in the data file (decoded by crates/asl-aws/src/data.rs).
SCALAR_KINDS = {
    "string": "s",
    "integer": "i",
    "long": "l",
    "float": "f",
    "double": "d",
    "boolean": "b",
    "timestamp": "t",
    "blob": "B",
}

TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
PARAGRAPH_END = re.compile(r"</p\s*>", re.IGNORECASE)
# Tags become spaces (so that `</p><p>` separates words), which leaves `<code>X</code>.` as
# `X .`: no space before closing punctuation or after an opening bracket.
SPACE_BEFORE = re.compile(r"\s+([.,;:!?)\]])")
SPACE_AFTER = re.compile(r"([(\[])\s+")
# A sentence ends at '.', '!' or '?' followed by white space (or the end of the text).
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def one_line(doc: str | None, limit: int) -> str:
    """The first sentence of an HTML doc string's first paragraph, as plain text, cut to `limit`
    characters."""
    if not doc:
        return ""
    # The first paragraph that has any text (a summary without a full stop ends with it).
    for paragraph in PARAGRAPH_END.split(doc):
        text = SPACE.sub(" ", html.unescape(TAG.sub(" ", paragraph))).strip()
        if text:
            break
    else:
        return ""
    text = SPACE_AFTER.sub(r"\1", SPACE_BEFORE.sub(r"\1", text))
    m = SENTENCE_END.search(text)
    if m:
        text = text[: m.end()]
    if len(text) > limit:
        cut = text[: limit - 1]
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
        text = cut.rstrip(" ,;:") + "\u2026"
    return text


def reachable(shapes: dict, roots: list[str]) -> list[str]:
    """Shape names reachable from `roots`, without recursion (models are deeply nested)."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen or name not in shapes:
            continue
        seen.add(name)
        shape = shapes[name]
        t = shape.get("type")
        if t == "structure":
            for member in shape.get("members", {}).values():
                stack.append(member["shape"])
        elif t == "list":
            stack.append(shape["member"]["shape"])
        elif t == "map":
            stack.append(shape["key"]["shape"])
            stack.append(shape["value"]["shape"])
    return sorted(seen)


def encode_shape(shape: dict, with_docs: bool) -> dict:
    t = shape.get("type")
    if t == "structure":
        if shape.get("document"):
            return {"k": "D"}
        # An idempotency token the AWS SDKs fill in themselves when it is not given (as the
        # AWS SDK for Java, which Step Functions calls through, does) is not required of the user.
        required = {
            name
            for name in shape.get("required", [])
            if not shape.get("members", {}).get(name, {}).get("idempotencyToken")
        }
        members = []
        for name, m in shape.get("members", {}).items():
            member = [name, m["shape"], 1 if name in required else 0]
            doc = one_line(m.get("documentation"), MEMBER_DOC_CHARS) if with_docs else ""
            members.append(member + [doc] if doc else member)
        return {"k": "U" if shape.get("union") else "S", "m": members}
    if t == "list":
        return {"k": "L", "v": shape["member"]["shape"]}
    if t == "map":
        return {"k": "M", "key": shape["key"]["shape"], "v": shape["value"]["shape"]}
    if t == "string" and shape.get("enum"):
        return {"k": "s", "e": list(shape["enum"])}
    if t in SCALAR_KINDS:
        return {"k": SCALAR_KINDS[t]}
    return {"k": "?", "t": str(t)}


def service_json(service: str, model: dict) -> bytes:
    meta = model.get("metadata", {})
    shapes = model.get("shapes", {})
    ops = []
    inputs = []
    outputs = []
    for name in sorted(model.get("operations", {})):
        op = model["operations"][name]
        inp = op.get("input", {}).get("shape")
        out = op.get("output", {}).get("shape")
        errors = sorted({e["shape"] for e in op.get("errors", [])})
        ops.append([name, one_line(op.get("documentation"), OP_DOC_CHARS), inp, out, errors])
        inputs += [inp] if inp else []
        outputs += [out] if out else []
    # Member docs only where a user writes the members (hover on a parameter key): shapes reachable
    # from an input. Output members keep their names and types (half the data file otherwise).
    in_shapes = set(reachable(shapes, inputs))
    encoded = {
        name: encode_shape(shapes[name], name in in_shapes) for name in reachable(shapes, inputs + outputs)
    }
    # Plain scalars (the most numerous shapes) are listed by kind rather than one object each.
    scalars: dict[str, list[str]] = {}
    for name in list(encoded):
        if list(encoded[name]) == ["k"] and encoded[name]["k"] in SCALAR_KINDS.values():
            scalars.setdefault(encoded.pop(name)["k"], []).append(name)
    doc = {
        "id": service,
        "sid": meta.get("serviceId", ""),
        "name": meta.get("serviceFullName", ""),
        "proto": meta.get("protocol", ""),
        "api": meta.get("apiVersion", ""),
        "ops": ops,
        "shapes": encoded,
        "scalars": scalars,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def newest_models(wheel: Path) -> dict[str, str]:
    """service id -> zip path of its newest service-2.json.gz."""
    newest: dict[str, tuple[str, str]] = {}
    with zipfile.ZipFile(wheel) as z:
        for path in z.namelist():
            parts = path.split("/")
            if len(parts) == 5 and parts[:2] == ["botocore", "data"] and parts[4] == "service-2.json.gz":
                service, api = parts[2], parts[3]
                if service not in newest or api > newest[service][0]:
                    newest[service] = (api, path)
    return {s: p for s, (_, p) in sorted(newest.items())}


def cache_dir() -> Path:
    if os.environ.get("ASL_AWS_CACHE_DIR"):
        return Path(os.environ["ASL_AWS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "asl-lint"


def obtain_wheel(explicit: str | None) -> Path:
    if explicit:
        wheel = Path(explicit)
    else:
        d = cache_dir()
        wheel = d / WHEEL_NAME
        if not wheel.is_file():
            d.mkdir(parents=True, exist_ok=True)
            cmd = [sys.executable, "-m", "pip", "download", f"botocore=={BOTOCORE_VERSION}", "--no-deps",
                   "--only-binary=:all:", "--timeout", "20", "--retries", "1", "-d", str(d), "-q"]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0 or not wheel.is_file():
                print(f"cannot download {WHEEL_NAME} with pip: {r.stderr.strip()[-500:]}", file=sys.stderr)
                sys.exit(CANNOT_DOWNLOAD)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {digest}, expected {WHEEL_SHA256} (botocore {BOTOCORE_VERSION})")
    return wheel


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", default=os.environ.get("ASL_AWS_BOTOCORE_WHEEL"))
    ap.add_argument("--out", default=str(root / "crates/asl-aws/data/model.bin"))
    args = ap.parse_args()

    wheel = obtain_wheel(args.wheel)
    index = []
    blobs = bytearray()
    raw = 0
    with zipfile.ZipFile(wheel) as z:
        for service, path in newest_models(wheel).items():
            body = service_json(service, json.loads(gzip.decompress(z.read(path))))
            raw += len(body)
            blob = zlib.compress(body, 9)
            index.append((service, len(blobs), len(blob)))
            blobs += blob

    out = bytearray(MAGIC)
    version = MODEL_VERSION.encode()
    out += struct.pack("<H", len(version)) + version
    out += struct.pack("<I", len(index))
    for service, offset, length in index:
        name = service.encode()
        out += struct.pack("<H", len(name)) + name + struct.pack("<II", offset, length)
    out += blobs
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_bytes(out)
    print(f"{args.out}: {len(index)} services, {raw} bytes of JSON, {len(out)} bytes written", file=sys.stderr)


if __name__ == "__main__":
    main()
