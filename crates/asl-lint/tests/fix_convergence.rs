//! `check --fix` on every fixture (`tests/fixtures/<rule>/*`, the JSON family) and example,
//! through the library: applying every fix (safe and unsafe) converges, the result still
//! parses, has no more error-level findings, the findings fixed do not come back, and fixing the
//! result again changes nothing. The same for the safe fixes alone.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use asl_analyzer::RuleMeta;
use asl_analyzer::fix::{Applicability, Status, fix_all, fixes};
use asl_analyzer::{Diagnostic, Level, Options, Severity, analyze, registry};
use asl_syntax::Dialect;

/// Every JSON-family fixture and example, with the options its folder implies.
fn files() -> Vec<(PathBuf, Options)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        // The folder names the rule; one that is off by default is turned on for its fixtures.
        let options = registry::find(&name).map_or_else(Options::default, Options::enabling);
        for file in std::fs::read_dir(&dir).unwrap() {
            out.push((file.unwrap().path(), options.clone()));
        }
    }
    for file in std::fs::read_dir(root.join("examples")).unwrap() {
        out.push((file.unwrap().path(), Options::default()));
    }
    out.retain(|(path, _)| {
        let dialect = Dialect::from_path(&path.to_string_lossy());
        path.is_file() && dialect != Dialect::Yaml
    });
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every rule on, at least as a warning: the most fixes at once.
fn everything() -> Options {
    let mut options = Options::default();
    for rule in registry::RULES {
        if options.level(rule.meta) == Level::Off {
            options.levels.insert(rule.meta, Level::Warning);
        }
    }
    options
}

fn count_by_rule(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for d in diagnostics {
        *out.entry(d.code()).or_insert(0) += 1;
    }
    out
}

fn errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

/// Fixes `text` and checks the result; returns how many fixes applied.
fn check(
    shown: &str,
    text: &str,
    dialect: Dialect,
    options: &Options,
    unsafe_fixes: bool,
) -> usize {
    let before = analyze(text, dialect, options);
    let fixed = fix_all(text, dialect, options, unsafe_fixes);
    assert_eq!(fixed.status, Status::Converged, "{shown}: did not converge");
    let after = analyze(&fixed.text, dialect, options);
    assert_eq!(after, fixed.diagnostics, "{shown}: stale diagnostics");
    let syntax = |ds: &[Diagnostic]| ds.iter().filter(|d| d.code() == "ASL001").count();
    assert!(
        syntax(&after) <= syntax(&before),
        "{shown}: the fixes broke the syntax:\n{}\n{after:#?}",
        fixed.text
    );
    assert!(
        errors(&after) <= errors(&before),
        "{shown}: the fixes added errors:\n{}\n{after:#?}",
        fixed.text
    );
    // Each fix removed its finding, and no other finding of that rule came instead.
    let (was, now) = (count_by_rule(&before), count_by_rule(&after));
    for (code, n) in count_by_rule_codes(&fixed.applied_rules) {
        let was = was.get(code).copied().unwrap_or(0);
        let now = now.get(code).copied().unwrap_or(0);
        assert!(
            now + n <= was,
            "{shown}: {n} fixes of {code}, yet {was} -> {now} findings:\n{}",
            fixed.text
        );
    }
    // Idempotent: nothing left to apply (but the fixes rejected as making things worse), and
    // a second run changes nothing.
    let left: Vec<_> = fixes(&fixed.text, dialect, options)
        .into_iter()
        .filter(|f| {
            f.fix.applicability == Applicability::Safe
                || (unsafe_fixes && f.fix.applicability == Applicability::Unsafe)
        })
        .filter(|f| {
            !fixed
                .rejected
                .iter()
                .any(|r| r.rule == f.rule && r.title == f.fix.title)
        })
        .collect();
    assert!(left.is_empty(), "{shown}: fixes left: {left:#?}");
    let again = fix_all(&fixed.text, dialect, options, unsafe_fixes);
    assert_eq!(again.applied, 0, "{shown}");
    assert_eq!(again.text, fixed.text, "{shown}");
    if fixed.applied == 0 {
        assert_eq!(fixed.text, text, "{shown}: changed without a fix");
    }
    fixed.applied
}

fn count_by_rule_codes(rules: &[&'static RuleMeta]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for rule in rules {
        *out.entry(rule.code).or_insert(0) += 1;
    }
    out
}

#[test]
fn fixes_converge_on_every_fixture() {
    let files = files();
    assert!(files.len() > 100, "only {} fixtures found", files.len());
    let all = everything();
    let (mut safe_total, mut unsafe_total) = (0, 0);
    for (path, options) in &files {
        let shown = path.to_string_lossy();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // the fixtures that are not UTF-8 on purpose
        };
        let dialect = Dialect::from_path(&shown);
        safe_total += check(&shown, &text, dialect, options, false);
        unsafe_total += check(&shown, &text, dialect, options, true);
        check(&format!("{shown} (every rule)"), &text, dialect, &all, true);
    }
    // The fixtures exercise both kinds (a guard against a sweep that silently fixes nothing).
    assert!(
        safe_total > 0 && unsafe_total > safe_total,
        "{safe_total} {unsafe_total}"
    );
}

/// A JSON fixture written as a YAML block document: mappings and sequences in block syntax,
/// strings plain where YAML reads them back unchanged, else double-quoted.
fn to_yaml(text: &str, root: &asl_syntax::Node) -> String {
    use asl_syntax::tree::Value;
    fn plain(s: &str) -> bool {
        let first = s.chars().next();
        first.is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-/$".contains(c))
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
                .contains(&s.to_ascii_lowercase().as_str())
    }
    fn string(s: &str) -> String {
        if plain(s) {
            s.to_owned()
        } else {
            serde_json::to_string(s).unwrap()
        }
    }
    fn inline(text: &str, node: &asl_syntax::Node) -> String {
        match &node.value {
            Value::Object(props) => format!(
                "{{{}}}",
                props
                    .iter()
                    .map(|p| format!(
                        "{}: {}",
                        serde_json::to_string(&p.key).unwrap(),
                        inline(text, &p.value)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| inline(text, i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::String(s) => serde_json::to_string(s).unwrap(),
            _ => text[usize::from(node.range.start())..usize::from(node.range.end())].to_owned(),
        }
    }
    /// What follows `key:` (or `- `) for `node` with the enclosing keys at `indent`.
    fn after_key(text: &str, node: &asl_syntax::Node, indent: usize) -> String {
        let inner = " ".repeat(indent + 2);
        match &node.value {
            Value::Object(props) if !props.is_empty() => props
                .iter()
                .map(|p| {
                    format!(
                        "\n{inner}{}:{}",
                        string(&p.key),
                        after_key(text, &p.value, indent + 2)
                    )
                })
                .collect(),
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(|item| match &item.value {
                    Value::Object(props) if !props.is_empty() => {
                        let column = indent + 4;
                        let members: Vec<String> = props
                            .iter()
                            .enumerate()
                            .map(|(i, p)| {
                                let lead = if i == 0 {
                                    String::new()
                                } else {
                                    format!("\n{}", " ".repeat(column))
                                };
                                format!(
                                    "{lead}{}:{}",
                                    string(&p.key),
                                    after_key(text, &p.value, column)
                                )
                            })
                            .collect();
                        format!("\n{inner}- {}", members.concat())
                    }
                    Value::String(s) => format!("\n{inner}- {}", string(s)),
                    _ => format!("\n{inner}- {}", inline(text, item)),
                })
                .collect(),
            Value::String(s) => format!(" {}", string(s)),
            _ => format!(" {}", inline(text, node)),
        }
    }
    let body = after_key(text, root, 0);
    // The top-level mapping's members start at column 2 in `after_key`: bring them to 0.
    let mut out: String = body
        .lines()
        .skip(1)
        .map(|line| format!("{}\n", line.strip_prefix("  ").unwrap_or(line)))
        .collect();
    out.insert_str(0, "# written from a JSON fixture\n");
    out
}

/// The fixes are written in YAML block syntax in a YAML document: every JSON fixture written as
/// YAML gets fixes that converge, keep it parsing, add no error, remove their findings and
/// leave nothing to fix again (the checks of [`check`]), and as many of them apply as in JSON.
#[test]
fn fixes_converge_on_every_fixture_written_as_yaml() {
    let (mut compared, mut applied) = (0, 0);
    for (path, options) in files() {
        let shown = path.to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if Dialect::from_path(&shown) != Dialect::Json {
            continue;
        }
        let parse = asl_syntax::parse(&text, Dialect::Json);
        let Some(root) = parse.root.as_ref().filter(|_| parse.duplicates.is_empty()) else {
            continue;
        };
        if root.as_object().is_none_or(|p| p.is_empty()) {
            continue;
        }
        let yaml = to_yaml(&text, root);
        let reparsed = asl_syntax::parse(&yaml, Dialect::Yaml);
        assert!(
            reparsed.root.is_some(),
            "{shown}: the YAML written does not parse:\n{yaml}"
        );
        let json_fixed = fix_all(&text, Dialect::Json, &options, true);
        let n = check(
            &format!("{shown} as YAML"),
            &yaml,
            Dialect::Yaml,
            &options,
            true,
        );
        assert_eq!(
            n,
            json_fixed.applied,
            "{shown}: {n} fixes applied in YAML, {} in JSON:\n{yaml}\n---\n{}",
            json_fixed.applied,
            fix_all(&yaml, Dialect::Yaml, &options, true).text
        );
        compared += 1;
        applied += n;
    }
    eprintln!("YAML: {compared} fixtures, {applied} fixes applied, as many as in JSON");
    assert!(
        compared > 100 && applied > 50,
        "{compared} fixtures, {applied} fixes"
    );
}
