//! The analyzer's import map: which top-level module reads which, from the sources (outside
//! their tests). Two promises are checked:
//! - no circle: a module never reaches itself through the modules it reads;
//! - the layers hold: spec data and the generic helpers read no rule and no editor feature,
//!   the rules read no editor feature, and `--fix` works from diagnostics, not from `ide`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Source text without comments (line comments, doc comments) or string literals, and
/// without the `#[cfg(test)]` module at the end of a file.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut prev = '\0';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_string && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' {
                in_string = !in_string;
            } else if !in_string {
                kept.push(c);
            }
            prev = if prev == '\\' && c == '\\' { '\0' } else { c };
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// The crate-root names re-exported by `lib.rs` (`pub use settings::{Options, ...}`), by the
/// module they come from.
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let code = code_of(lib);
    for stmt in code.split(';') {
        let stmt = stmt.trim();
        let Some(rest) = stmt
            .strip_prefix("pub use ")
            .or_else(|| stmt.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        let names = names.trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.split(" as ").last().unwrap_or(name).trim();
            if !name.is_empty() {
                out.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    out
}

/// The top-level names a piece of code reads through `crate::`: `crate::rules::x`,
/// `use crate::{Options, analyze}`, `$crate::severity::Level`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // A braced group: its top-level items, up to the matching brace.
            let mut depth = 1;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    out.insert(head(&item));
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else if depth == 1 {
                    item.push(c);
                }
            }
        } else {
            out.insert(head(after));
        }
        rest = after;
    }
    out.remove("");
    out
}

fn head(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn import_map() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let exports = root_exports(&lib);
    let mut graph = Graph::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            if top == "lib" {
                continue;
            }
            let code = code_of(&std::fs::read_to_string(&path).unwrap());
            let deps = graph.entry(top.clone()).or_default();
            for name in crate_paths(&code) {
                let module = exports.get(&name).cloned().unwrap_or(name);
                if module != top {
                    deps.insert(module);
                }
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    graph
}

/// A path from `from` back to itself, if any.
fn circle(graph: &Graph, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_owned(), vec![from.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == from {
                let mut path = path.clone();
                path.push(next.clone());
                return Some(path);
            }
            if seen.insert(next.clone()) {
                let mut path = path.clone();
                path.push(next.clone());
                stack.push((next.clone(), path));
            }
        }
    }
    None
}

#[test]
fn the_import_map_has_no_circle() {
    let graph = import_map();
    assert!(graph.len() > 10, "{graph:#?}");
    assert!(graph["rules"].contains("spec"), "{graph:#?}");
    let circles: Vec<String> = graph
        .keys()
        .filter_map(|m| circle(&graph, m))
        .map(|path| path.join(" -> "))
        .collect();
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

#[test]
fn the_layers_hold() {
    let graph = import_map();
    let reads = |m: &str, d: &str| graph.get(m).is_some_and(|deps| deps.contains(d));
    for low in ["spec", "nodes", "edits", "severity", "diagnostic", "names"] {
        for high in ["rules", "ide", "registry", "pipeline", "fix"] {
            assert!(!reads(low, high), "`{low}` reads `{high}`: {graph:#?}");
        }
    }
    assert!(
        !reads("rules", "ide"),
        "a rule reads the editor: {graph:#?}"
    );
    assert!(!reads("fix", "ide"), "`--fix` reads the editor: {graph:#?}");
    assert!(!reads("pipeline", "ide"), "{graph:#?}");
}

#[test]
fn the_scanner_sees_imports() {
    let code = code_of(
        "use crate::{Options, analyze_parsed, rules::{a, b}};\n// crate::ide is a comment\nlet s = \"crate::ide\";\nx($crate::severity::Level)\n",
    );
    let paths = crate_paths(&code);
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        ["Options", "analyze_parsed", "rules", "severity"]
    );
}
