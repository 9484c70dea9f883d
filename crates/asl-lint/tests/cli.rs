//! Command-line cases: `tests/cli/*.toml` (trycmd; data beside them), plus cases that need a
//! directory made at run time (a real `.gitignore`, a symbolic link loop, a huge file).
//!
//! Refresh the expected output with `TRYCMD=overwrite cargo test -p asl-lint --test cli`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use snapbox::cmd::Command;

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin("asl-lint", snapbox::cargo_bin!("asl-lint"))
        .env("NO_COLOR", "1")
        .case("../../tests/cli/*.toml");
}

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const VALID: &str = r#"{ "StartAt": "Done", "States": { "Done": { "Type": "Succeed" } } }"#;
const INVALID: &str = r#"{ "StartAt": "Missing", "States": { "Done": { "Type": "Succeed" } } }"#;

#[test]
fn walk_honours_gitignore_outside_a_git_repository() {
    let dir = scratch("gitignore-walk");
    std::fs::create_dir_all(dir.join("generated")).unwrap();
    std::fs::write(dir.join(".gitignore"), "generated/\n*.local.asl.json\n").unwrap();
    std::fs::write(dir.join("generated/out.asl.json"), INVALID).unwrap();
    std::fs::write(dir.join("mine.local.asl.json"), INVALID).unwrap();
    std::fs::write(dir.join("kept.asl.json"), VALID).unwrap();
    Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["check", "--format", "concise"])
        .current_dir(&dir)
        .assert()
        .code(0)
        .stdout_eq("Checked 1 file: no problems found.\n")
        .stderr_eq("");
    // Named explicitly, an ignored file is linted.
    Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["check", "--format", "concise", "generated/out.asl.json"])
        .current_dir(&dir)
        .assert()
        .code(1);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_and_the_rest_is_linted() {
    let dir = scratch("symlink-loop");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
    std::fs::write(dir.join("sub/bad.asl.json"), INVALID).unwrap();
    Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["check", "--format", "concise"])
        .current_dir(&dir)
        .assert()
        .code(2)
        .stdout_eq(
            "sub/bad.asl.json:1:14: error[ASL101/unknown-target] [..]\n\
             Checked 1 file: 1 error; 1 failure, reported above.\n",
        )
        .stderr_eq("error: sub/up: symbolic link loop: it leads back to `.`; not followed\n");
}

#[cfg(unix)]
#[test]
fn dangling_symlink_named_explicitly_is_an_io_error() {
    let dir = scratch("dangling");
    std::os::unix::fs::symlink("nowhere.asl.json", dir.join("link.asl.json")).unwrap();
    std::fs::write(dir.join("ok.asl.json"), VALID).unwrap();
    Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["check", "link.asl.json", "ok.asl.json"])
        .current_dir(&dir)
        .assert()
        .code(2)
        .stdout_eq("Checked 1 file; 1 failure, reported above.\n")
        .stderr_eq("error: link.asl.json: no such file or directory\n");
}

#[test]
fn too_large_file_is_refused_with_a_message() {
    let dir = scratch("too-large");
    let size = asl_lint::lint::MAX_FILE_SIZE + 1;
    // Sparse files: nothing is written to disk.
    std::fs::File::create(dir.join("huge.asl.json"))
        .unwrap()
        .set_len(size)
        .unwrap();
    // A large file met in a walk and not named *.asl.json is skipped silently.
    std::fs::File::create(dir.join("data.json"))
        .unwrap()
        .set_len(size)
        .unwrap();
    Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["check"])
        .current_dir(&dir)
        .assert()
        .code(2)
        .stdout_eq("Checked 0 files; 1 failure, reported above.\n")
        .stderr_eq(
            "error: huge.asl.json: file is larger than 64 MiB, which asl-lint does not read\n",
        );
}

/// The README's Mermaid example is what `asl-lint graph` prints for the example it names.
#[test]
fn readme_graph_example_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = std::process::Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["graph", "examples/order-processing.asl.json"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(output.status.success());
    let diagram = String::from_utf8(output.stdout).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("```mermaid\n{diagram}```")),
        "README.md's State graph example is stale; paste this:\n{diagram}"
    );
}

/// `asl-lint completions <SHELL>` prints a script for each shell that names the subcommands and
/// their options; the shells on this machine parse theirs (`bash -n`, `zsh -n`, `fish -n`).
#[test]
fn completion_scripts_for_every_shell() {
    for (shell, marker, check) in [
        ("bash", "_asl__lint()", Some(("bash", "-n"))),
        ("zsh", "#compdef asl-lint", Some(("zsh", "-n"))),
        ("fish", "complete -c asl-lint", Some(("fish", "-n"))),
        ("powershell", "Register-ArgumentCompleter", None),
        ("elvish", "edit:completion:arg-completer[asl-lint]", None),
    ] {
        let output = std::process::Command::new(snapbox::cargo_bin!("asl-lint"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}: {output:?}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker), "{shell} script lacks {marker:?}");
        for word in ["check", "unsafe-fixes", "print-config", "completions"] {
            assert!(script.contains(word), "{shell} script lacks {word:?}");
        }
        let Some((program, flag)) = check else {
            continue;
        };
        let path = scratch(&format!("completions-{shell}")).join("script");
        std::fs::write(&path, &script).unwrap();
        match std::process::Command::new(program)
            .arg(flag)
            .arg(&path)
            .output()
        {
            Ok(parsed) => assert!(
                parsed.status.success(),
                "{program} {flag} rejects the {shell} script: {}",
                String::from_utf8_lossy(&parsed.stderr)
            ),
            Err(_) => {
                eprintln!("skipped: {program} {flag} of the {shell} script ({program} not found)")
            }
        }
    }
}
