//! Expression diagnostics point inside their strings, and the expression checks never crash:
//! every path, intrinsic call and JSONata expression of the fixtures is mutated (characters
//! deleted, inserted, the string cut short) and the document analysed again.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

use asl_analyzer::{Options, analyze};
use asl_syntax::{Dialect, Node, TextRange, Value, parse};

/// Codes of the expression rules, whose findings must sit inside one string.
fn is_expression_rule(code: &str) -> bool {
    code.starts_with("ASL30") || code == "ASL310" || code.starts_with("ASL32")
}

/// Every scalar value (strings with their text) and every key range of the tree.
fn strings(node: &Node, out: &mut Vec<(TextRange, Option<String>)>) {
    match &node.value {
        Value::String(s) => out.push((node.range, Some(s.clone()))),
        Value::Object(props) => {
            for p in props {
                out.push((p.key_range, None));
                strings(&p.value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        // Other scalars: a `.$` key holding a number is reported on the number.
        _ => out.push((node.range, None)),
    }
}

fn check_inside(text: &str, what: &str) {
    let Some(root) = parse(text, Dialect::Json).root else {
        return;
    };
    let mut all = Vec::new();
    strings(&root, &mut all);
    for d in analyze(text, Dialect::Json, &Options::default()) {
        assert_ne!(d.code(), "ASL999", "{what}: {}", d.message);
        if is_expression_rule(d.code()) {
            assert!(
                all.iter().any(|(r, _)| r.contains_range(d.range)),
                "{what}: {} {} at {:?} is not inside one string, key or value",
                d.code(),
                d.message,
                d.range
            );
        }
    }
}

fn fixture_texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn expression_findings_sit_inside_their_strings() {
    for (name, text) in fixture_texts() {
        check_inside(&text, &name);
    }
}

#[test]
fn mutated_expressions_never_crash() {
    let inserts = [
        "(", ")", "[", "]", "{", "}", "'", "\\\"", ",", ".", "$", " ", "%", "?", ":", "é", "\\\\",
    ];
    let mut seed = 5u64;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n.max(1)
    };
    let mut runs = 0;
    for (name, text) in fixture_texts() {
        let Some(root) = parse(&text, Dialect::Json).root else {
            continue;
        };
        let mut all = Vec::new();
        strings(&root, &mut all);
        for (range, value) in all {
            let Some(value) = value else { continue };
            if !(value.starts_with('$') || value.starts_with("States.") || value.starts_with("{%"))
            {
                continue;
            }
            let start = usize::from(range.start()) + 1;
            let end = usize::from(range.end()) - 1;
            for _ in 0..12 {
                let mut raw = text[start..end].to_owned();
                match next(3) {
                    0 if !raw.is_empty() => {
                        let mut at = next(raw.len());
                        while !raw.is_char_boundary(at) {
                            at -= 1;
                        }
                        raw.remove(at);
                    }
                    1 => {
                        let mut at = next(raw.len() + 1);
                        while !raw.is_char_boundary(at) {
                            at -= 1;
                        }
                        raw.insert_str(at, inserts[next(inserts.len())]);
                    }
                    _ => {
                        let mut at = next(raw.len() + 1);
                        while !raw.is_char_boundary(at) {
                            at -= 1;
                        }
                        raw.truncate(at);
                    }
                }
                // Keep the JSON string well-formed: no lone backslash at its end.
                if raw.ends_with('\\') && !raw.ends_with("\\\\") {
                    raw.pop();
                }
                let mutated = format!("{}{}{}", &text[..start], raw, &text[end..]);
                check_inside(&mutated, &format!("{name} with `{raw}`"));
                runs += 1;
            }
        }
    }
    assert!(runs > 500, "only {runs} mutations ran");
}
