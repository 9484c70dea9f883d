//! The rendered `full` output (no colour) of every fixture, `tests/fixtures/<rule>/*.asl.json*`,
//! one snapshot per file (named after the fixture's path). New fixture folders are picked up
//! without touching this file; write their snapshots with
//! `INSTA_UPDATE=always cargo test -p asl-lint --test fixtures_snapshots` (or `cargo insta
//! review`) and read them before committing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

use asl_analyzer::Options;
use asl_lint::walk::Selection;

#[test]
fn render_full() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .canonicalize()
        .unwrap();
    insta::glob!(
        "../../../tests/fixtures",
        "*/*.asl.{json,jsonc,json5,yaml,yml}",
        |path| {
            let shown = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(path).unwrap();
            // The folder names the rule; one that is off by default is turned on for its fixtures.
            let options = shown
                .split('/')
                .next()
                .and_then(asl_analyzer::registry::find)
                .map_or_else(Options::default, Options::enabling);
            let linted = asl_lint::lint_bytes(&shown, bytes, Selection::Always, &options).unwrap();
            let rendered = asl_lint::render_full(&shown, &linted.text, &linted.diagnostics);
            insta::assert_snapshot!(rendered);
        }
    );
}

/// The rendered `full` output of the host documents of the command-line cases: Serverless
/// Framework files and CDK's synthesized templates, whose findings are placed in the host's
/// text (the snapshot shows each one's line and column).
#[test]
fn render_hosts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/cli")
        .canonicalize()
        .unwrap();
    insta::glob!(
        "../../../tests/cli",
        "{serverless-data,cdk-data}/**/{serverless.*,state-machines.yml,*.template.json}",
        |path| {
            let shown = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(path).unwrap();
            let linted =
                asl_lint::lint_bytes(&shown, bytes, Selection::Always, &Options::default())
                    .unwrap();
            let rendered = if linted.no_state_machine {
                "(holds no state machine)".to_owned()
            } else {
                asl_lint::render_full(&shown, &linted.text, &linted.diagnostics)
            };
            insta::assert_snapshot!(rendered);
        }
    );
}
