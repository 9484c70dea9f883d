//! `tests/fixtures/<rule-name>/{valid,invalid}*.asl.json`: every invalid file fires its rule,
//! every valid file fires nothing at all. (The rendered output of each is snapshotted by the
//! CLI's tests.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

use asl_analyzer::{Options, analyze, registry};
use asl_syntax::Dialect;

#[test]
fn fixtures_fire_their_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let rule =
            registry::find(&name).unwrap_or_else(|| panic!("fixture folder {name} names no rule"));
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let file_name = file.file_name().unwrap().to_str().unwrap().to_owned();
            let text = std::fs::read_to_string(&file).unwrap();
            let found = analyze(
                &text,
                Dialect::from_path(&file_name),
                &Options::enabling(rule),
            );
            if file_name.starts_with("invalid") {
                if !found.iter().any(|d| d.code() == rule.code) {
                    failures.push(format!(
                        "{name}/{file_name} does not fire {}: {found:#?}",
                        rule.code
                    ));
                }
            } else if file_name.starts_with("valid") {
                if !found.is_empty() {
                    failures.push(format!(
                        "{name}/{file_name} fires {:#?}",
                        found
                            .iter()
                            .map(|d| (d.code(), &d.message))
                            .collect::<Vec<_>>()
                    ));
                }
            } else {
                panic!("{name}/{file_name}: fixture names start with `valid` or `invalid`");
            }
            checked += 1;
        }
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_checked_rule_has_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    for rule in registry::all() {
        // ASL999 has no input that fires it; ASL503 and ASL504 need a file over 1 MB or a
        // literal over 235 KB, which their unit tests build instead of the repository holding
        // one.
        if matches!(rule.code, "ASL999" | "ASL503" | "ASL504") {
            continue;
        }
        let dir = root.join(rule.name);
        let has = |prefix: &str| {
            std::fs::read_dir(&dir)
                .map(|entries| {
                    entries
                        .flatten()
                        .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
                })
                .unwrap_or(false)
        };
        assert!(
            has("invalid"),
            "{} ({}) has no invalid fixture in tests/fixtures/{}",
            rule.code,
            rule.name,
            rule.name
        );
        assert!(
            has("valid"),
            "{} ({}) has no valid fixture in tests/fixtures/{}",
            rule.code,
            rule.name,
            rule.name
        );
    }
}
