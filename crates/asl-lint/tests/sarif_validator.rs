//! The SARIF output passes Microsoft's official validator (`sarif-multitool validate`, from the
//! npm package `@microsoft/sarif-multitool`) with no error and no warning.
//!
//! It needs Node and the network (npx downloads the validator), so a plain `cargo test` passes
//! it and prints `skipped: …`; it runs when `ASL_LINT_SARIF_VALIDATOR=1` is set:
//!
//! ```text
//! ASL_LINT_SARIF_VALIDATOR=1 cargo test -p asl-lint --test sarif_validator
//! ```
//!
//! When it cannot run (no `npx` on PATH, or the package cannot be installed) it prints
//! `skipped: <why>` and passes, unless `ASL_LINT_REQUIRE_SARIF_VALIDATOR` is set: then it fails.
//! `.ci/run` runs it whenever npm is present; a machine that cannot fetch the validator then
//! shows the skip in the log (set `ASL_LINT_REQUIRE_SARIF_VALIDATOR=1` to fail instead). Every
//! skip line goes straight to stderr, which the test harness does not capture,
//! so it shows without `--nocapture`. `SARIF_MULTITOOL` names another validator command (e.g.
//! an installed `sarif-multitool`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The validator's version, pinned so that a new release's new checks do not fail old commits.
const PACKAGE: &str = "@microsoft/sarif-multitool@5.7.0";

/// Says that the test skipped, and why, where `cargo test` shows it: straight to the process's
/// stderr (the harness captures `eprintln!` and shows it for failing tests only).
fn say_skipped(why: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "skipped: sarif_output_passes_the_official_validator: {why}"
    );
}

fn skip(why: &str) {
    if std::env::var_os("ASL_LINT_REQUIRE_SARIF_VALIDATOR").is_some() {
        panic!("the SARIF validator is required (ASL_LINT_REQUIRE_SARIF_VALIDATOR) but {why}");
    }
    say_skipped(why);
}

/// The validator command: `SARIF_MULTITOOL`, else `npx --yes PACKAGE`.
fn validator() -> Command {
    match std::env::var("SARIF_MULTITOOL") {
        Ok(program) => Command::new(program),
        Err(_) => {
            let mut npx = Command::new("npx");
            npx.args(["--yes", PACKAGE]);
            npx
        }
    }
}

#[test]
fn sarif_output_passes_the_official_validator() {
    if std::env::var_os("ASL_LINT_SARIF_VALIDATOR").is_none()
        && std::env::var_os("ASL_LINT_REQUIRE_SARIF_VALIDATOR").is_none()
    {
        say_skipped("set ASL_LINT_SARIF_VALIDATOR=1 to run Microsoft's SARIF validator");
        return;
    }
    if std::env::var_os("SARIF_MULTITOOL").is_none()
        && Command::new("npx").arg("--version").output().is_err()
    {
        return skip("`npx` is not on PATH");
    }
    match validator().arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            return skip(&format!(
                "the validator cannot be installed or run: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Err(err) => return skip(&format!("the validator cannot be run: {err}")),
    }

    // Findings of every severity, related locations, non-ASCII text, a path to escape, and a
    // path that cannot be read (a tool execution notification).
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cli/formats-data");
    let out = std::process::Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["check", "--format", "sarif", ".", "missing.asl.json"])
        .current_dir(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &log["runs"][0];
    let levels: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    for level in ["error", "warning", "note"] {
        assert!(levels.contains(&level), "no {level} result in {levels:?}");
    }

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif-validator");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("asl-lint.sarif");
    std::fs::write(&file, &out.stdout).unwrap();

    let result = validator().arg("validate").arg(&file).output().unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    eprintln!("sarif-multitool validate said:\n{report}");
    assert!(result.status.success(), "the validator failed:\n{report}");
    let problems: Vec<&str> = report
        .lines()
        .filter(|l| l.contains(": error ") || l.contains(": warning "))
        .collect();
    assert!(problems.is_empty(), "the validator reported:\n{report}");
    assert!(
        report.contains("Analysis completed successfully"),
        "unexpected validator output:\n{report}"
    );
}
