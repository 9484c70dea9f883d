//! The README's sample of `check --format json` is what `asl-lint check --format json examples/`
//! prints today: each line of the sample is a line of the output, in order, and a line `...`
//! stands for any number of lines.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

const HEADING: &str = "### JSON output (stable contract, version 1)";

/// The first fenced block after the heading.
fn sample(readme: &str) -> Vec<&str> {
    let after = &readme[readme
        .find(HEADING)
        .expect("README.md lacks the JSON heading")..];
    let open = after
        .find("```text\n")
        .expect("no ```text block after the heading")
        + 8;
    let body = &after[open..];
    let close = body.find("\n```").expect("the block is not closed");
    body[..close].lines().collect()
}

/// Whether `actual` matches `expected`, where an `expected` line `...` matches any number of
/// lines (a table of which prefixes can match which: no recursion).
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    // can[j]: the first i expected lines match the first j actual lines.
    let mut can = vec![false; actual.len() + 1];
    can[0] = true;
    for line in expected {
        let mut next = vec![false; actual.len() + 1];
        if line.trim() == "..." {
            let mut reached = false;
            for j in 0..=actual.len() {
                reached |= can[j];
                next[j] = reached;
            }
        } else {
            for j in 0..actual.len() {
                if can[j] && actual[j] == *line {
                    next[j + 1] = true;
                }
            }
        }
        can = next;
    }
    can[actual.len()]
}

#[test]
fn readme_json_sample_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let expected = sample(&readme);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_asl-lint"))
        .args(["check", "--format", "json", "--no-config", "examples/"])
        .current_dir(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let actual: Vec<&str> = stdout.lines().collect();
    assert!(
        matches(&expected, &actual),
        "README.md's JSON sample (under `{HEADING}`) no longer matches `asl-lint check --format json examples/`; update it from:\n{stdout}"
    );
}

#[test]
fn the_matcher_can_fail() {
    assert!(matches(&["a", "...", "c"], &["a", "b", "b", "c"]));
    assert!(matches(&["...", "c"], &["c"]));
    assert!(!matches(&["a", "...", "c"], &["a", "b"]));
    assert!(!matches(&["a", "c"], &["a", "b", "c"]));
}
