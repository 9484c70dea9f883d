//! `check::fixability`: which findings `--fix` fixes, as `--fix` itself decides.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use asl_analyzer::Options;
use asl_lint::check::fixability;
use asl_lint::output::Fixable;
use asl_lint::walk::Selection;

fn kinds(text: &str, name: &str) -> Vec<(&'static str, Option<Fixable>)> {
    let options = Options::default();
    let linted =
        asl_lint::lint_bytes(name, text.as_bytes().to_vec(), Selection::Always, &options).unwrap();
    let fixable = fixability(&linted.diagnostics);
    assert_eq!(fixable.len(), linted.diagnostics.len());
    linted
        .diagnostics
        .iter()
        .zip(fixable)
        .map(|(d, f)| (d.code(), f))
        .collect()
}

/// Two findings of one rule, only one of which has a fix: each is asked on its own.
#[test]
fn one_rule_fixable_in_one_place_only() {
    let text = r#"{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Pass", "Next": "Bb" },
    "B": { "Type": "Pass", "Next": "Zzzzzzzz" },
    "Bc": { "Type": "Succeed" }
  }
}"#;
    let found = kinds(text, "two.asl.json");
    let unknown: Vec<_> = found.iter().filter(|(c, _)| *c == "ASL101").collect();
    assert_eq!(unknown.len(), 2, "{found:?}");
    // `Bb` is near `B` and `Bc`: a guess, an unsafe fix at most; `Zzzzzzzz` is near nothing.
    assert_eq!(unknown[0].1, Some(Fixable::Unsafe), "{found:?}");
    assert_eq!(unknown[1].1, None, "{found:?}");
}

/// A safe fix (a deprecated Map field renamed) is `Safe`, in JSON and in YAML alike.
#[test]
fn safe_fixes_and_yaml() {
    let json = r#"{
  "StartAt": "Each",
  "States": {
    "Each": {
      "Type": "Map",
      "Iterator": { "StartAt": "X", "States": { "X": { "Type": "Succeed" } } },
      "End": true
    }
  }
}"#;
    let found = kinds(json, "map.asl.json");
    assert!(
        found.contains(&("ASL017", Some(Fixable::Safe))),
        "{found:?}"
    );
    let yaml = "StartAt: Each\nStates:\n  Each:\n    Type: Map\n    Iterator:\n      StartAt: X\n      States:\n        X:\n          Type: Succeed\n    End: true\n";
    let found = kinds(yaml, "map.asl.yaml");
    assert!(
        found.contains(&("ASL017", Some(Fixable::Safe))),
        "{found:?}"
    );
}
