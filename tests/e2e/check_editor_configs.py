#!/usr/bin/env python3
"""Static checks of the Helix and Zed configurations in editors/ (Python 3.11+ stdlib).

    check_editor_configs.py helix REPO   # editors/helix/languages.toml
    check_editor_configs.py zed REPO     # editors/zed/extension.toml, Cargo.toml
    check_editor_configs.py mason REPO   # editors/nvim/mason/package.yaml (needs PyYAML)

Helix: the file parses as TOML; every `[[language]]` has only keys Helix knows (its
LanguageConfiguration rejects unknown fields) and the required `name`, `scope` and
`file-types`; every server named in `language-servers` is defined under `[language-server]`
with a `command`; the `file-types` globs match the state machine names (with Helix's `*/`
prefix for relative globs, against a full path) and not `package.json` or `flow.json`.
Prints, for run_editor_configs.sh, one `SERVER<TAB>LANGUAGE-ID<TAB>COMMAND<TAB>ARGS-JSON` line
per language on stdout after the `ok` lines (prefixed `run:`).

Zed: extension.toml has the required keys (`id`, `name`, `version`, `schema_version`,
`authors`, `description`, `repository`), its `id` has no `zed` in it (the registry's rule),
`[language_servers.asl-lint]` lists Zed's own `JSON`, `JSONC` and `YAML` languages and a
language id for each; Cargo.toml is a cdylib depending on zed_extension_api, with the same
version as extension.toml, in a workspace of its own.

Mason: the draft package.yaml has the fields mason-registry's CONTRIBUTING.md requires, allowed
categories, SPDX licenses, a `pkg:pypi/<pyproject name>@<workspace version>` source and an
`asl-lint` bin from it. Skipped (a `skipped:` line) without PyYAML.
"""

from __future__ import annotations

import fnmatch
import json
import pathlib
import sys
import tomllib

failed = 0


def check(name: str, detail: str | None) -> None:
    global failed
    if detail is None:
        print(f"ok   - {name}")
    else:
        failed += 1
        print(f"FAIL - {name}")
        for line in detail.splitlines():
            print(f"       {line}")


# The keys of Helix's `[[language]]` (book/src/languages.md, 25.07) and of
# `[language-server.NAME]`.
HELIX_LANGUAGE_KEYS = {
    "name", "language-id", "scope", "injection-regex", "file-types", "shebangs", "roots",
    "auto-format", "diagnostic-severity", "comment-token", "comment-tokens",
    "block-comment-tokens", "indent", "language-servers", "grammar", "formatter", "soft-wrap",
    "text-width", "rulers", "path-completion", "word-completion", "workspace-lsp-roots",
    "persistent-diagnostic-sources", "auto-pairs", "debugger",
}
HELIX_SERVER_KEYS = {"command", "args", "config", "timeout", "environment",
                     "required-root-patterns"}
STATE_MACHINE_NAMES = {
    "asl-json": ["/home/u/proj/order.asl.json", "/home/u/proj/sub/flow.asl.jsonc"],
    "asl-yaml": ["/home/u/proj/flow.asl.yaml", "/home/u/proj/flow.asl.yml"],
}
NOT_STATE_MACHINES = ["/home/u/proj/package.json", "/home/u/proj/flow.json", "/home/u/proj/ci.yml",
                      "/home/u/proj/ci.yaml", "/home/u/proj/asl.json"]


def helix_glob_matches(glob: str, path: str) -> bool:
    # Helix prefixes `*/` to a glob that is neither absolute nor starts with a glob prefix.
    if not glob.startswith(("/", "*")):
        glob = "*/" + glob
    return fnmatch.fnmatchcase(path, glob)


def helix(repo: pathlib.Path) -> list[str]:
    path = repo / "editors/helix/languages.toml"
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        check(f"{path.name} parses as TOML", str(e))
        return []
    check("helix: editors/helix/languages.toml parses as TOML", None)
    servers = doc.get("language-server", {})
    languages = doc.get("language", [])
    runs: list[str] = []

    problems = []
    for name, server in servers.items():
        unknown = set(server) - HELIX_SERVER_KEYS
        if unknown:
            problems.append(f"[language-server.{name}] has unknown keys {sorted(unknown)}")
        if not isinstance(server.get("command"), str):
            problems.append(f"[language-server.{name}] has no command")
    check("helix: every [language-server] has a command and only known keys",
          "\n".join(problems) or None)

    problems = []
    if not languages:
        problems.append("no [[language]]")
    for lang in languages:
        name = lang.get("name", "?")
        unknown = set(lang) - HELIX_LANGUAGE_KEYS
        if unknown:
            problems.append(f"{name}: unknown keys {sorted(unknown)}")
        for key in ("name", "scope", "file-types"):
            if key not in lang:
                problems.append(f"{name}: no `{key}`")
        for entry in lang.get("language-servers", []):
            server = entry if isinstance(entry, str) else entry.get("name")
            if server not in servers:
                problems.append(f"{name}: language server `{server}` is not defined here")
    check("helix: every [[language]] has name, scope, file-types, only known keys, and "
          "defined language-servers", "\n".join(problems) or None)

    problems = []
    for lang in languages:
        name = lang.get("name")
        globs = [ft["glob"] for ft in lang.get("file-types", []) if isinstance(ft, dict)]
        for sample in STATE_MACHINE_NAMES.get(name, []):
            if not any(helix_glob_matches(g, sample) for g in globs):
                problems.append(f"{name}: no glob of {globs} matches {sample}")
        for sample in NOT_STATE_MACHINES:
            if any(helix_glob_matches(g, sample) for g in globs):
                problems.append(f"{name}: a glob of {globs} matches {sample}")
        if name not in STATE_MACHINE_NAMES:
            problems.append(f"unexpected language {name}")
    check("helix: file-types globs match *.asl.json/.jsonc/.yaml/.yml and not package.json, "
          "flow.json, ci.yaml", "\n".join(problems) or None)

    for lang in languages:
        for entry in lang.get("language-servers", []):
            server_name = entry if isinstance(entry, str) else entry.get("name")
            server = servers.get(server_name, {})
            runs.append("\t".join([lang["name"], lang.get("language-id", lang["name"]),
                                   server.get("command", ""), json.dumps(server.get("args", []))]))
    return runs


def zed(repo: pathlib.Path) -> None:
    base = repo / "editors/zed"
    try:
        ext = tomllib.loads((base / "extension.toml").read_text(encoding="utf-8"))
        cargo = tomllib.loads((base / "Cargo.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        check("zed: extension.toml and Cargo.toml parse as TOML", str(e))
        return
    check("zed: extension.toml and Cargo.toml parse as TOML", None)

    problems = []
    for key in ("id", "name", "version", "schema_version", "authors", "description",
                "repository"):
        if key not in ext:
            problems.append(f"extension.toml has no `{key}`")
    if "zed" in ext.get("id", "").lower() or "zed" in ext.get("name", "").lower():
        problems.append("the extension's id and name must not contain `zed`")
    if ext.get("schema_version") != 1:
        problems.append(f"schema_version {ext.get('schema_version')}, want 1")
    server = ext.get("language_servers", {}).get("asl-lint")
    if not server:
        problems.append("no [language_servers.asl-lint]")
    else:
        langs = server.get("languages", [])
        if sorted(langs) != ["JSON", "JSONC", "YAML"]:
            problems.append(f"languages {langs}, want Zed's JSON, JSONC and YAML")
        ids = server.get("language_ids", {})
        for lang in langs:
            if lang not in ids:
                problems.append(f"no language id for {lang}")
        if sorted(ids.values()) != ["json", "jsonc", "yaml"]:
            problems.append(f"language ids {ids}: the server decides from the content only "
                            "for json, jsonc and yaml")
    check("zed: extension.toml has the required keys and the asl-lint server for JSON, JSONC, "
          "YAML", "\n".join(problems) or None)

    problems = []
    pkg = cargo.get("package", {})
    if cargo.get("lib", {}).get("crate-type") != ["cdylib"]:
        problems.append(f"crate-type {cargo.get('lib', {}).get('crate-type')}, want cdylib")
    if "zed_extension_api" not in cargo.get("dependencies", {}):
        problems.append("no zed_extension_api dependency")
    if pkg.get("version") != ext.get("version"):
        problems.append(f"Cargo.toml version {pkg.get('version')} != extension.toml "
                        f"{ext.get('version')}")
    if "workspace" not in cargo:
        problems.append("no [workspace]: cargo would take it for a stray member of the "
                        "asl-lint workspace")
    check("zed: Cargo.toml is a cdylib on zed_extension_api in a workspace of its own",
          "\n".join(problems) or None)


def mason(repo: pathlib.Path) -> None:
    try:
        import yaml  # not stdlib: optional
    except ImportError:
        print("skipped: the Mason draft check (PyYAML is not installed)")
        return
    path = repo / "editors/nvim/mason/package.yaml"
    try:
        pkg = yaml.safe_load(path.read_text(encoding="utf-8"))
        version = tomllib.loads((repo / "Cargo.toml").read_text(encoding="utf-8"))[
            "workspace"]["package"]["version"]
        py_name = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))[
            "project"]["name"]
    except (OSError, KeyError, yaml.YAMLError, tomllib.TOMLDecodeError) as e:
        check("mason: package.yaml, Cargo.toml and pyproject.toml parse", str(e))
        return
    problems = []
    for key in ("name", "description", "homepage", "licenses", "languages", "categories",
                "source"):
        if key not in pkg:
            problems.append(f"no `{key}`")
    if not pkg.get("licenses"):
        problems.append("`licenses` must have at least one entry")
    bad = set(pkg.get("categories", [])) - {"Compiler", "DAP", "Formatter", "LSP", "Linter",
                                             "Runtime"}
    if bad:
        problems.append(f"categories not allowed: {sorted(bad)}")
    want = f"pkg:pypi/{py_name}@{version}"
    if pkg.get("source", {}).get("id") != want:
        problems.append(f"source.id {pkg.get('source', {}).get('id')}, want {want}")
    if pkg.get("bin", {}).get("asl-lint") != f"pypi:{py_name}":
        problems.append(f"bin {pkg.get('bin')}, want asl-lint: pypi:{py_name}")
    if not str(pkg.get("homepage", "")).startswith("https://"):
        problems.append("homepage must be an https URL")
    check("mason: the draft package.yaml has mason-registry's required fields and installs "
          f"{want}", "\n".join(problems) or None)


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("helix", "zed", "mason"):
        print(__doc__, file=sys.stderr)
        return 2
    repo = pathlib.Path(sys.argv[2])
    if sys.argv[1] == "helix":
        for run in helix(repo):
            print("run:\t" + run)
    elif sys.argv[1] == "zed":
        zed(repo)
    else:
        mason(repo)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
