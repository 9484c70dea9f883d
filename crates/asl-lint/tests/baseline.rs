//! `check --baseline FILE` and `--update-baseline`, run after run in scratch folders: the first
//! run writes the file and reports nothing, later runs report only what is new, and edits that
//! move findings (lines inserted above, states reordered) leave them hidden.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use snapbox::cmd::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("baseline-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `asl-lint check ARGS` in `dir`: status, stdout, stderr.
fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(snapbox::cargo_bin!("asl-lint"))
        .arg("check")
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Two findings: `Next` of `A` names a missing state (ASL101) and `B` is unreachable (ASL103).
const FLOW: &str = r#"{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Pass", "Next": "Gone" },
    "B": { "Type": "Succeed" }
  }
}
"#;

fn baseline_json(dir: &Path, name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
}

#[test]
fn first_run_writes_then_only_new_findings_are_reported() {
    let dir = scratch("adopt");
    std::fs::write(dir.join("flow.asl.json"), FLOW).unwrap();
    let args = [
        "--baseline",
        "asl-lint-baseline.json",
        "--format",
        "concise",
    ];

    // 1. No baseline yet: written, nothing reported, exit 0.
    let (code, out, err) = check(&dir, &args);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "Checked 1 file: no problems found.\n");
    assert_eq!(
        err,
        "wrote baseline asl-lint-baseline.json: 2 findings in 1 file; commit it\n"
    );
    let written = baseline_json(&dir, "asl-lint-baseline.json");
    assert_eq!(written["version"], 1);
    let entries = written["files"]["flow.asl.json"].as_array().unwrap();
    let keys: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["rule"].as_str().unwrap(), e["pointer"].as_str().unwrap()))
        .collect();
    assert_eq!(
        keys,
        [("ASL101", "/States/A/Next"), ("ASL103", "/States/B")]
    );

    // 2. Again: nothing new.
    let (code, out, err) = check(&dir, &args);
    assert_eq!(
        (code, out.as_str()),
        (0, "Checked 1 file: no problems found.\n")
    );
    assert_eq!(err, "baseline asl-lint-baseline.json: 2 findings hidden\n");

    // 3. Lines inserted above and the states reordered: still nothing new.
    let moved = "\n\n\n{\n  \"StartAt\": \"A\",\n\n  \"States\": {\n    \"B\": {\n      \"Type\": \"Succeed\"\n    },\n\n    \"A\": { \"Type\": \"Pass\",\n             \"Next\": \"Gone\" }\n  }\n}\n";
    std::fs::write(dir.join("flow.asl.json"), moved).unwrap();
    let (code, out, err) = check(&dir, &args);
    assert_eq!(
        (code, out.as_str()),
        (0, "Checked 1 file: no problems found.\n"),
        "{err}"
    );

    // 4. A new error: exactly it is reported, exit 1, in every format's count.
    let added = moved.replace(
        "\"Type\": \"Succeed\"",
        "\"Type\": \"Succeed\", \"Next\": \"A\"",
    );
    std::fs::write(dir.join("flow.asl.json"), &added).unwrap();
    let (code, out, err) = check(&dir, &args);
    assert_eq!(code, 1, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains("ASL011"), "{out}");
    assert_eq!(lines[1], "Checked 1 file: 1 error.");
    assert_eq!(err, "baseline asl-lint-baseline.json: 2 findings hidden\n");
    let (code, json, _) = check(
        &dir,
        &["--baseline", "asl-lint-baseline.json", "--format", "json"],
    );
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(json["summary"]["errors"], 1);
    let (code, sarif, _) = check(
        &dir,
        &["--baseline", "asl-lint-baseline.json", "--format", "sarif"],
    );
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);

    // 5. `--update-baseline` takes it in.
    let (code, out, err) = check(
        &dir,
        &[
            "--baseline",
            "asl-lint-baseline.json",
            "--update-baseline",
            "--format",
            "concise",
        ],
    );
    assert_eq!(
        (code, out.as_str()),
        (0, "Checked 1 file: no problems found.\n")
    );
    assert_eq!(
        err,
        "updated baseline asl-lint-baseline.json: 3 findings in 1 file (it held 2 findings)\n"
    );
    let (code, _, err) = check(&dir, &args);
    assert_eq!(code, 0);
    assert_eq!(err, "baseline asl-lint-baseline.json: 3 findings hidden\n");
}

#[test]
fn entries_count_and_fixed_findings_are_stale() {
    let dir = scratch("multiset");
    // Four findings: `Next: "Gone"` in `A` and in `C` (two keys), `C` unreachable, no
    // terminal state.
    let text = r#"{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Pass", "Next": "Gone" },
    "C": { "Type": "Pass", "Next": "Gone" }
  }
}
"#;
    std::fs::write(dir.join("flow.asl.json"), text).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "b.json"]);
    assert_eq!(code, 0, "{err}");
    let written = baseline_json(&dir, "b.json");
    let entries = written["files"]["flow.asl.json"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "{written:#}");
    assert!(entries.iter().all(|e| e["count"] == 1), "{written:#}");

    // An entry of count 2 hides at most two findings of its key; with one there, the other
    // is stale (two identical findings in one state are unit-tested in asl-config).
    let mut doubled = written.clone();
    for e in doubled["files"]["flow.asl.json"].as_array_mut().unwrap() {
        if e["pointer"] == "/States/A/Next" {
            e["count"] = 2.into();
        }
    }
    std::fs::write(dir.join("b.json"), doubled.to_string()).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "b.json"]);
    assert_eq!(code, 0);
    assert_eq!(
        err,
        "baseline b.json: 4 findings hidden; 1 entry no longer occurs: run with `--update-baseline` to drop it\n"
    );

    // `A` fixed (it goes on to `C`, which is reachable then): its entry (count 2) and `C`'s
    // unreachable one no longer occur; the other two stay hidden.
    std::fs::write(
        dir.join("flow.asl.json"),
        text.replacen("\"Gone\"", "\"C\"", 1),
    )
    .unwrap();
    let (code, out, err) = check(&dir, &["--baseline", "b.json", "--format", "concise"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "Checked 1 file: no problems found.\n");
    assert_eq!(
        err,
        "baseline b.json: 2 findings hidden; 3 entries no longer occur: run with `--update-baseline` to drop them\n"
    );
    let (_, _, err) = check(&dir, &["--baseline", "b.json", "--update-baseline"]);
    assert_eq!(
        err,
        "updated baseline b.json: 2 findings in 1 file (it held 5 findings)\n"
    );
    let (_, _, err) = check(&dir, &["--baseline", "b.json"]);
    assert_eq!(err, "baseline b.json: 2 findings hidden\n");
}

#[test]
fn corrupt_or_wrong_version_baselines_are_errors() {
    let dir = scratch("corrupt");
    std::fs::write(dir.join("flow.asl.json"), FLOW).unwrap();
    for (text, wanted) in [
        ("{ not json", "error: baseline b.json: not valid JSON: "),
        (
            r#"{"version": 2, "files": {}}"#,
            "error: baseline b.json: it is of format version 2, but this asl-lint reads version 1; write it again with `--update-baseline`\n",
        ),
        (
            r#"{"version": 1, "files": {"flow.asl.json": [{"rule": 5}]}}"#,
            "error: baseline b.json: not an asl-lint baseline: ",
        ),
    ] {
        std::fs::write(dir.join("b.json"), text).unwrap();
        let (code, out, err) = check(&dir, &["--baseline", "b.json"]);
        assert_eq!(code, 2, "{text}: {out}{err}");
        assert_eq!(out, "");
        assert!(err.starts_with(wanted), "{text}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        // Never overwritten by a run, but by `--update-baseline`.
        assert_eq!(std::fs::read_to_string(dir.join("b.json")).unwrap(), text);
        let (code, _, err) = check(&dir, &["--baseline", "b.json", "--update-baseline"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.starts_with(
                "updated baseline b.json: 2 findings in 1 file (the old file could not be read: "
            ),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        let (code, _, err) = check(&dir, &["--baseline", "b.json"]);
        assert_eq!(code, 0);
        assert_eq!(err, "baseline b.json: 2 findings hidden\n");
    }
    // Hostile files: deep nesting, huge counts, not UTF-8, odd keys.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(dir.join("b.json"), &deep).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "b.json"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: baseline b.json: not valid JSON: "),
        "{err}"
    );
    std::fs::write(dir.join("b.json"), b"{\"version\": 1, \xff}").unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "b.json"]);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: baseline b.json: not UTF-8 text\n")
    );
    let huge = format!(
        r#"{{"version": 1, "files": {{"flow.asl.json": [{e}, {e}], "/etc/../../x": [{e}], "": []}}}}"#,
        e = format!(
            r#"{{"rule": "ASL101", "pointer": "/States/A/Next", "fingerprint": "x", "count": {}}}"#,
            usize::MAX
        )
    );
    std::fs::write(dir.join("b.json"), &huge).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "b.json", "--format", "concise"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with("baseline b.json: 0 findings hidden; "),
        "{err}"
    );

    // A folder is no baseline.
    std::fs::create_dir_all(dir.join("folder")).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "folder"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: cannot read baseline folder: it is a directory\n"
    );
    // `--update-baseline` needs `--baseline`.
    let (code, _, err) = check(&dir, &["--update-baseline"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: `--update-baseline` needs a baseline: name it with `--baseline FILE`, or set `baseline` in asl-lint.toml\n"
    );
}

#[test]
fn the_config_names_the_baseline() {
    let dir = scratch("config");
    std::fs::create_dir_all(dir.join("flows")).unwrap();
    std::fs::write(dir.join("flows/flow.asl.json"), FLOW).unwrap();
    std::fs::write(
        dir.join("asl-lint.toml"),
        "baseline = \"ci/baseline.json\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("ci")).unwrap();
    let (code, _, err) = check(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "wrote baseline ci/baseline.json: 2 findings in 1 file; commit it\n"
    );
    let written = baseline_json(&dir, "ci/baseline.json");
    assert!(
        written["files"]["../flows/flow.asl.json"].is_array(),
        "{written:#}"
    );
    let (code, _, err) = check(&dir, &["--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(err, "baseline ci/baseline.json: 2 findings hidden\n");
    // The command line's wins; `--no-config` uses none.
    let (code, _, err) = check(&dir, &["--baseline", "other.json"]);
    assert_eq!(code, 0);
    assert!(err.starts_with("wrote baseline other.json: "), "{err}");
    let (code, _, err) = check(&dir, &["--no-config"]);
    assert_eq!((code, err.as_str()), (1, ""));
    // `print-config` names it.
    let out = Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["print-config", "flows/flow.asl.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["baseline"], "ci/baseline.json");
    // `--update-baseline` uses the config's.
    let (code, _, err) = check(&dir, &["--update-baseline"]);
    assert_eq!(code, 0);
    assert!(
        err.starts_with("updated baseline ci/baseline.json: "),
        "{err}"
    );
}

#[test]
fn keys_are_relative_to_the_baseline_folder_from_any_cwd() {
    let dir = scratch("cwd");
    std::fs::create_dir_all(dir.join("flows/deep")).unwrap();
    std::fs::create_dir_all(dir.join("ci")).unwrap();
    std::fs::write(dir.join("flows/deep/flow.asl.json"), FLOW).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "ci/baseline.json", "flows"]);
    assert_eq!(code, 0, "{err}");
    let written = baseline_json(&dir, "ci/baseline.json");
    let files: Vec<&String> = written["files"].as_object().unwrap().keys().collect();
    assert_eq!(files, ["../flows/deep/flow.asl.json"]);
    // From another folder, naming the file another way: the same key.
    let (code, out, err) = check(
        &dir.join("flows"),
        &[
            "--baseline",
            "../ci/baseline.json",
            "--format",
            "concise",
            "deep",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(err, "baseline ../ci/baseline.json: 2 findings hidden\n");
    let (code, _, err) = check(
        &dir.join("flows/deep"),
        &["--baseline", "../../ci/baseline.json", "./flow.asl.json"],
    );
    assert_eq!(code, 0);
    assert_eq!(err, "baseline ../../ci/baseline.json: 2 findings hidden\n");
    // Standard input keys on `--stdin-filename`.
    let out = Command::new(snapbox::cargo_bin!("asl-lint"))
        .args([
            "check",
            "--baseline",
            "ci/baseline.json",
            "--stdin-filename",
            "flows/deep/flow.asl.json",
        ])
        .current_dir(&dir)
        .stdin(FLOW)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "baseline ci/baseline.json: 2 findings hidden\n"
    );
}

#[test]
fn partial_runs_keep_the_other_files_and_deleted_files_are_stale() {
    let dir = scratch("partial");
    std::fs::write(dir.join("a.asl.json"), FLOW).unwrap();
    std::fs::write(dir.join("b.asl.json"), FLOW).unwrap();
    check(&dir, &["--baseline", "base.json"]);
    // A run over one file says nothing of the other's entries.
    let (code, _, err) = check(&dir, &["--baseline", "base.json", "a.asl.json"]);
    assert_eq!(code, 0);
    assert_eq!(err, "baseline base.json: 2 findings hidden\n");
    // Updating from one file keeps the other's entries.
    check(
        &dir,
        &["--baseline", "base.json", "--update-baseline", "a.asl.json"],
    );
    let written = baseline_json(&dir, "base.json");
    assert_eq!(written["files"].as_object().unwrap().len(), 2);
    // A deleted file's entries no longer occur.
    std::fs::remove_file(dir.join("b.asl.json")).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "base.json"]);
    assert_eq!(code, 0);
    assert_eq!(
        err,
        "baseline base.json: 2 findings hidden; 2 entries no longer occur: run with `--update-baseline` to drop them\n"
    );
    check(&dir, &["--baseline", "base.json", "--update-baseline"]);
    let written = baseline_json(&dir, "base.json");
    assert_eq!(written["files"].as_object().unwrap().len(), 1);
}

#[test]
fn the_definitions_of_a_template_are_told_apart() {
    let dir = scratch("template");
    let machine = |id: &str| {
        format!(
            "  {id}:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n            Next: Gone\n"
        )
    };
    let template = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{}{}",
        machine("First"),
        machine("Second")
    );
    std::fs::write(dir.join("template.yaml"), &template).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "b.json", "template.yaml"]);
    assert_eq!(code, 0, "{err}");
    // Per machine: `Gone` (ASL101) and no terminal state (ASL104).
    assert_eq!(
        err,
        "wrote baseline b.json: 4 findings in 1 file; commit it\n"
    );
    let written = baseline_json(&dir, "b.json");
    let pointers: Vec<&str> = written["files"]["template.yaml"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["rule"] == "ASL101")
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/Resources/First/Properties/Definition/States/A/Next",
            "/Resources/Second/Properties/Definition/States/A/Next"
        ]
    );
    // The same finding in a third machine is new, though its text is the same.
    std::fs::write(
        dir.join("template.yaml"),
        format!("{template}{}", machine("Third")),
    )
    .unwrap();
    let (code, out, _) = check(
        &dir,
        &[
            "--baseline",
            "b.json",
            "--format",
            "concise",
            "template.yaml",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert_eq!(out.matches("ASL101").count(), 1, "{out}");
    assert_eq!(out.matches("ASL104").count(), 1, "{out}");
    assert!(out.ends_with("Checked 1 file: 2 errors.\n"), "{out}");
}

#[test]
fn parse_errors_are_never_baselined() {
    let dir = scratch("parse");
    std::fs::write(dir.join("flow.asl.json"), "{ \"StartAt\": ").unwrap();
    let (code, out, err) = check(&dir, &["--baseline", "b.json", "--format", "concise"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("ASL001"), "{out}");
    assert_eq!(
        err,
        "wrote baseline b.json: 0 findings in 0 files; commit it\n"
    );
    // A path that cannot be read still fails the run.
    let (code, _, err) = check(&dir, &["--baseline", "b.json", "missing.asl.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.asl.json"), "{err}");
}

#[test]
fn fix_touches_only_the_findings_reported() {
    let dir = scratch("fix");
    // ASL201 (`States.ALL` not last) has a safe fix.
    let text = r#"{
  "StartAt": "A",
  "States": {
    "A": {
      "Type": "Pass",
      "Next": "B"
    },
    "B": { "Type": "Succeed" }
  }
}
"#;
    let catchers = r#"{
  "StartAt": "T",
  "States": {
    "T": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage",
      "Arguments": {"QueueUrl": "q", "MessageBody": "m"},
      "QueryLanguage": "JSONata",
      "Catch": [
        { "ErrorEquals": ["States.ALL"], "Next": "Z" },
        { "ErrorEquals": ["States.Timeout"], "Next": "Z" }
      ],
      "End": true
    },
    "Z": { "Type": "Succeed" }
  }
}
"#;
    std::fs::write(dir.join("old.asl.json"), catchers).unwrap();
    std::fs::write(dir.join("new.asl.json"), text).unwrap();
    let (code, _, err) = check(&dir, &["--baseline", "b.json"]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(dir.join("b.json")).unwrap();
    assert!(written.contains("ASL201"), "{written}");
    // The same fixable finding, new in the other file.
    std::fs::write(dir.join("new.asl.json"), catchers).unwrap();
    let (code, out, err) = check(
        &dir,
        &["--baseline", "b.json", "--fix", "--format", "concise"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("old.asl.json")).unwrap(),
        catchers,
        "a baselined finding was fixed"
    );
    let fixed = std::fs::read_to_string(dir.join("new.asl.json")).unwrap();
    assert_ne!(fixed, catchers, "{out}{err}");
    assert!(
        fixed.find("States.Timeout").unwrap() < fixed.find("States.ALL").unwrap(),
        "{fixed}"
    );
}

#[test]
fn examples_baseline_is_small_and_deterministic() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let dir = scratch("examples");
    for name in ["broken.asl.json", "order-processing.asl.json"] {
        std::fs::copy(examples.join(name), dir.join(name)).unwrap();
    }
    check(&dir, &["--baseline", "one.json"]);
    check(&dir, &["--baseline", "two.json"]);
    let one = std::fs::read_to_string(dir.join("one.json")).unwrap();
    let two = std::fs::read_to_string(dir.join("two.json")).unwrap();
    assert_eq!(one, two);
    check(&dir, &["--baseline", "one.json", "--update-baseline"]);
    assert_eq!(std::fs::read_to_string(dir.join("one.json")).unwrap(), two);
    println!("examples baseline: {} bytes", one.len());
    assert!(one.len() < 4096, "{one}");
}
