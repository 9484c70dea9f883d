//! The registry is consistent and every rule's documented examples behave as documented:
//! invalid examples fire exactly that rule, valid ones fire nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::HashSet;

use asl_analyzer::{Options, analyze, registry};
use asl_syntax::Dialect;

fn dialect(info: &str) -> Dialect {
    match info.split_whitespace().next().unwrap_or_default() {
        "jsonc" => Dialect::Jsonc,
        "json5" => Dialect::Json5,
        _ => Dialect::Json,
    }
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    let mut previous = "";
    for rule in registry::all() {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.code.len() == 6
                && rule.code.starts_with("ASL")
                && rule.code[3..].chars().all(|c| c.is_ascii_digit()),
            "bad code {}",
            rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "name {} is not kebab-case",
            rule.name
        );
        assert!(rule.code > previous, "{} is out of order", rule.code);
        previous = rule.code;
        assert_eq!(registry::find(rule.code).unwrap().code, rule.code);
        assert_eq!(registry::find(rule.name).unwrap().code, rule.code);
    }
}

#[test]
fn every_rule_is_documented() {
    for rule in registry::all() {
        for section in ["What it does", "Why is this bad?", "References"] {
            let body = rule.section(section).unwrap_or_default();
            assert!(
                !body.trim().is_empty(),
                "{} has no `## {section}`",
                rule.code
            );
        }
        assert!(!rule.summary().is_empty(), "{} has no summary", rule.code);
        if rule.code != "ASL999" {
            assert!(
                !rule.code_blocks("Example").is_empty(),
                "{} has no example",
                rule.code
            );
            assert!(
                !rule.code_blocks("Use instead").is_empty(),
                "{} has no `Use instead`",
                rule.code
            );
        }
    }
}

#[test]
fn examples_fire_exactly_their_rule() {
    let mut failures = Vec::new();
    for rule in registry::all() {
        let options = Options::enabling(rule);
        for (info, code) in rule.code_blocks("Example") {
            // A block marked `no-check` stands for what cannot be shown at its size (a
            // definition over 1 MB); the rule's own unit test checks it fires.
            if info.split_whitespace().any(|w| w == "no-check") {
                continue;
            }
            let found: Vec<_> = analyze(&code, dialect(&info), &options);
            let codes: HashSet<_> = found.iter().map(|d| d.code()).collect();
            if codes != HashSet::from([rule.code]) {
                failures.push(format!(
                    "the example of {} fires {:?}: {:#?}",
                    rule.code,
                    codes,
                    found.iter().map(|d| &d.message).collect::<Vec<_>>()
                ));
            }
        }
        for (info, code) in rule.code_blocks("Use instead") {
            let found = analyze(&code, dialect(&info), &options);
            if !found.is_empty() {
                failures.push(format!(
                    "the `Use instead` of {} fires {:#?}",
                    rule.code,
                    found
                        .iter()
                        .map(|d| (d.code(), &d.message))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
