//! The no-panic sweep: broken, huge and deeply nested inputs go through the whole per-file
//! pipeline (decode, parse, analyse, render every format) without a panic. The analyzer turns a
//! panic inside a rule into an `internal-error` (ASL999) finding, so a hidden panic shows up as
//! that code: the sweep fails on it too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use asl_analyzer::Options;
use asl_lint::output::{OutputFormat, Renderer, Summary};
use asl_lint::walk::Selection;
use clap::ValueEnum;
use rayon::prelude::*;

const NAMES: [&str; 3] = ["sweep.asl.json", "sweep.asl.jsonc", "sweep.asl.json5"];

/// Lints `bytes` as each dialect and renders every format; returns the codes found (as JSON).
fn lint_all(bytes: &[u8], what: &str) -> Vec<&'static str> {
    lint_all_with(bytes, what, true)
}

/// [`lint_all`], writing the whole SARIF log or not (`whole_sarif`).
fn lint_all_with(bytes: &[u8], what: &str, whole_sarif: bool) -> Vec<&'static str> {
    let mut codes = Vec::new();
    for name in NAMES {
        let linted =
            asl_lint::lint_bytes(name, bytes.to_vec(), Selection::Always, &Options::default())
                .unwrap();
        for d in &linted.diagnostics {
            assert_ne!(
                d.code(),
                "ASL999",
                "internal error on {what} as {name}: {}",
                d.message
            );
            codes.push(d.code());
        }
        let mut summary = Summary::default();
        summary.add_file(&linted.diagnostics);
        for &format in OutputFormat::value_variants() {
            // Only `full` colours.
            let colors: &[bool] = if format == OutputFormat::Full {
                &[false, true]
            } else {
                &[false]
            };
            for &color in colors {
                let renderer = Renderer::new(format, color);
                let rendered = renderer.render(name, &linted.text, &linted.diagnostics);
                // A SARIF log holds the whole rule catalog (~150 KB) whatever the input: written
                // for every cut and flip of every fixture it would take minutes. Its positions
                // come from `render`, which runs for every input; other callers write the log.
                if format == OutputFormat::Sarif && !whole_sarif {
                    continue;
                }
                let mut out = Vec::new();
                renderer
                    .finish(&mut out, [&rendered], &summary, &[])
                    .unwrap();
            }
        }
        // The walk path: sniffing, then the same pipeline.
        let _ = asl_lint::lint_bytes(
            name,
            bytes.to_vec(),
            Selection::IfStateMachine,
            &Options::default(),
        );
    }
    codes
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.to_string_lossy().contains(".asl.json") {
                files.push(file);
            }
        }
    }
    files.sort();
    assert!(!files.is_empty());
    files
}

#[test]
fn fixtures_truncated_and_flipped() {
    fixtures().par_iter().for_each(|file| {
        let bytes = std::fs::read(file).unwrap();
        let what = file.display().to_string();
        lint_all(&bytes, &what);
        for cut in (0..bytes.len()).step_by(7) {
            lint_all_with(&bytes[..cut], &format!("{what} cut at {cut}"), false);
        }
        // Single-byte flips to structural bytes, quotes and bytes that break UTF-8.
        let replacements: [u8; 8] = [b'"', b'{', b'}', b']', b',', b'\\', 0xff, 0xc3];
        for (n, at) in (0..bytes.len()).step_by(5).enumerate() {
            let mut flipped = bytes.clone();
            flipped[at] = replacements[n % replacements.len()];
            lint_all_with(&flipped, &format!("{what} with byte {at} replaced"), false);
        }
    });
}

/// CloudFormation/SAM templates (YAML and JSON, `Definition` and `DefinitionString`), cut and
/// with bytes replaced.
#[test]
fn templates_truncated_and_flipped() {
    let replacements: [u8; 10] = [b'"', b'{', b'}', b':', b'\n', b' ', b'\\', b'!', b'|', 0xc3];
    hosts_truncated_and_flipped(
        "templates-data",
        &[
            "cfn/pipeline.yaml",
            "cfn/stack.template.json",
            "sam/template.yaml",
            "../serverless-data/orders/serverless.yml",
            "../serverless-data/broken/serverless.json",
            "../cdk-data/cdk.out/OrdersStack.template.json",
        ],
        &replacements,
    );
}

/// Terraform files (`jsonencode`, heredocs, `file()`, a module, a syntax error, `*.tf.json`), the
/// same way.
#[test]
fn terraform_truncated_and_flipped() {
    let replacements: [u8; 12] = [
        b'"', b'{', b'}', b'=', b'\n', b' ', b'\\', b'$', b'%', b'<', b'[', 0xc3,
    ];
    hosts_truncated_and_flipped(
        "terraform-data",
        &[
            "main.tf",
            "heredoc.tf",
            "module.tf",
            "broken.tf",
            "json.tf.json",
        ],
        &replacements,
    );
}

/// Host documents under `tests/cli/<dir>`, cut and with bytes replaced: linting and the cost
/// estimate never panic, and every finding's range lies on a character boundary.
fn hosts_truncated_and_flipped(dir: &str, files: &[&str], replacements: &[u8]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/cli")
        .join(dir);
    files.par_iter().for_each(|name| {
        let bytes = std::fs::read(root.join(name)).unwrap();
        let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
        for cut in (0..bytes.len()).step_by(3) {
            variants.push((format!("cut at {cut}"), bytes[..cut].to_vec()));
        }
        for (n, at) in (0..bytes.len()).step_by(3).enumerate() {
            let mut flipped = bytes.clone();
            flipped[at] = replacements[n % replacements.len()];
            variants.push((format!("byte {at} replaced"), flipped));
        }
        for (what, input) in variants {
            let linted =
                asl_lint::lint_bytes(name, input.clone(), Selection::Always, &Options::default())
                    .unwrap();
            for d in &linted.diagnostics {
                assert_ne!(d.code(), "ASL999", "{name} {what}: {}", d.message);
                assert!(
                    linted
                        .text
                        .get(usize::from(d.range.start())..usize::from(d.range.end()))
                        .is_some(),
                    "{name} {what}: {d:?} is not a range of the text"
                );
            }
            if let Ok(text) = String::from_utf8(input) {
                let _ = asl_lint::cost::estimate_text(
                    name,
                    &text,
                    Selection::Always,
                    &asl_analyzer::cost::CostOptions::default(),
                );
            }
        }
    });
}

#[test]
fn odd_inputs() {
    let inputs: [&[u8]; 12] = [
        b"",
        b"\xef\xbb\xbf",
        b"\xff\xfe{\x00}\x00",
        b"\x00",
        b"null",
        b"[]",
        b"{}",
        b"{\"StartAt\": 1, \"States\": []}",
        b"{\"StartAt\": \"A\", \"States\": {\"A\": null}}",
        b"{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Map\", \"ItemProcessor\": {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Parallel\", \"Branches\": [null, {}, {\"States\": 1}], \"End\": true}}}, \"End\": true}}}",
        "{\"StartAt\": \"é\", \"States\": {\"é\r\n\": {\"Type\": \"Pass\",\r\"Next\": \"😀\"}}}".as_bytes(),
        b"{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Choice\", \"Choices\": [{\"Not\": {\"Not\": {\"Or\": [{}]}}}]}}}",
    ];
    for (i, input) in inputs.iter().enumerate() {
        lint_all(input, &format!("odd input {i}"));
    }
}

/// Serverless Framework files of every odd shape, and nested past the readers' bound: no
/// crash, every range in the text, and a named file without state machines gets its note.
#[test]
fn serverless_shapes() {
    std::thread::Builder::new()
        .stack_size(asl_syntax::STACK_SIZE)
        .spawn(serverless_shapes_on_a_worker)
        .unwrap()
        .join()
        .unwrap();
}

fn serverless_shapes_on_a_worker() {
    let deep = asl_syntax::MAX_DEPTH + 10;
    let deep_definition = format!(
        "{{\"stepFunctions\": {{\"stateMachines\": {{\"m\": {{\"definition\": {}}}}}}}}}",
        nested(deep, "{\"StartAt\": ", "}", "1")
    );
    let deep_host = format!(
        "{{\"stepFunctions\": {}}}",
        nested(deep, "{\"stateMachines\": ", "}", "{}")
    );
    let deep_states = format!(
        "stepFunctions:\n  stateMachines:\n    m:\n      definition: {}\n",
        in_state(&nested(deep, "[", "]", "1"))
    );
    let inputs: Vec<(&str, String, bool)> = vec![
        ("list", "stepFunctions:\n  stateMachines:\n    - m\n".into(), true),
        ("string", "stepFunctions:\n  stateMachines: ${file(sm.yml)}\n".into(), true),
        ("block", "stepFunctions: ${file(sm.yml)}\n".into(), true),
        ("listed block", "stepFunctions: [stateMachines]\n".into(), true),
        ("empty", "stepFunctions:\n  stateMachines: {}\n".into(), true),
        ("null", "stepFunctions:\n  stateMachines:\n    m: null\n".into(), false),
        ("number", "stepFunctions:\n  stateMachines:\n    m:\n      definition: 5\n".into(), false),
        ("bool type", "stepFunctions:\n  stateMachines:\n    m:\n      type: [1]\n      definition: {StartAt: A, States: {A: {Type: Succeed}}}\n".into(), false),
        ("bad text", "stepFunctions:\n  stateMachines:\n    m:\n      definition: '{\"StartAt\": '\n".into(), false),
        ("empty file", "stepFunctions:\n  stateMachines:\n    m:\n      definition: ${file()}\n".into(), false),
        ("unclosed", "stepFunctions:\n  stateMachines:\n    m:\n      definition: ${file(a.json)\n".into(), false),
        ("included list", "stateMachines: [definition]\n".into(), true),
        (
            "included number",
            "stateMachines:\n  m:\n    definition: 5\n".into(),
            false,
        ),
        ("deep definition", deep_definition, false),
        ("deep host", deep_host, false),
        ("deep states", deep_states, false),
    ];
    for (what, text, none) in inputs {
        for name in ["serverless.yml", "serverless.json"] {
            let linted = asl_lint::lint_bytes(
                name,
                text.clone().into_bytes(),
                Selection::Always,
                &Options::default(),
            )
            .unwrap();
            for d in &linted.diagnostics {
                assert_ne!(d.code(), "ASL999", "{what} as {name}: {}", d.message);
                assert!(
                    linted
                        .text
                        .get(usize::from(d.range.start())..usize::from(d.range.end()))
                        .is_some(),
                    "{what} as {name}: {d:?} is not a range of the text"
                );
            }
            if name == "serverless.yml" {
                assert_eq!(
                    linted.no_state_machine, none,
                    "{what}: {:?}",
                    linted.diagnostics
                );
            }
            let _ = asl_lint::lint_bytes(
                name,
                text.clone().into_bytes(),
                Selection::IfStateMachine,
                &Options::default(),
            );
            let _ = asl_lint::cost::estimate_text(
                name,
                &text,
                Selection::Always,
                &asl_analyzer::cost::CostOptions::default(),
            );
        }
    }
}

fn nested(depth: usize, open: &str, close: &str, leaf: &str) -> String {
    let mut s = String::with_capacity(depth * (open.len() + close.len()) + leaf.len());
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(leaf);
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

fn in_state(value: &str) -> String {
    format!(
        r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Parameters": {{"x": {value}}}, "Next": "B"}}, "B": {{"Type": "Choice", "Choices": [{{"Variable": "$.x", "IsPresent": true, "Next": "A"}}], "Default": "C"}}, "C": {{"Type": "Succeed"}}}}}}"#
    )
}

/// On a thread of the stack size the CLI's workers get, as `check` runs them.
#[test]
fn deep_nesting() {
    std::thread::Builder::new()
        .stack_size(asl_syntax::STACK_SIZE)
        .spawn(deep_nesting_on_a_worker)
        .unwrap()
        .join()
        .unwrap();
}

fn deep_nesting_on_a_worker() {
    for depth in [asl_syntax::MAX_DEPTH + 10, 500] {
        let arrays = nested(depth, "[", "]", "1");
        let objects = nested(depth, "{\"a\": ", "}", "1");
        let choice_rules = nested(
            depth,
            "{\"Not\": ",
            "}",
            "{\"Variable\": \"$.a\", \"IsNull\": true}",
        );
        for (kind, value) in [
            ("arrays", &arrays),
            ("objects", &objects),
            ("rules", &choice_rules),
        ] {
            let what = format!("{depth}-deep {kind}");
            let codes = lint_all(value.as_bytes(), &what);
            let codes_in_state =
                lint_all(in_state(value).as_bytes(), &format!("{what} in a state"));
            // Past the readers' bound: ASL503 (definition-too-large), not invalid JSON.
            if depth > asl_syntax::MAX_DEPTH {
                for codes in [&codes, &codes_in_state] {
                    assert!(codes.contains(&"ASL503"), "{what}: {codes:?}");
                    assert!(!codes.contains(&"ASL001"), "{what}: {codes:?}");
                }
            }
        }
        // Unclosed.
        lint_all("[".repeat(depth).as_bytes(), "unclosed arrays");
        lint_all("{\"a\":".repeat(depth).as_bytes(), "unclosed objects");
    }
    // A Choice rule nested just under the parser's limit, where rules recurse.
    let rules = nested(
        250,
        "{\"Not\": ",
        "}",
        "{\"Variable\": \"$.a\", \"IsNull\": true}",
    );
    let machine = format!(
        r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{{"And": [{rules}], "Next": "D"}}], "Default": "D"}}, "D": {{"Type": "Succeed"}}}}}}"#
    );
    lint_all(machine.as_bytes(), "250-deep Choice rule");
}

/// About 20 MB: a chain of states carrying a large `Result`, with an error at the very end.
#[test]
fn huge_file() {
    let row =
        r#"{"id": 12345, "name": "caf\u00e9 ☕", "tags": ["a", "b", "c"], "ok": true, "n": null}"#;
    let rows: Vec<&str> = std::iter::repeat_n(row, 2_000).collect();
    let result = format!("[{}]", rows.join(",\n"));
    let mut text = String::with_capacity(21 << 20);
    text.push_str("{\n  \"StartAt\": \"S0\",\n  \"States\": {\n");
    let mut i = 0;
    while text.len() < 20 << 20 {
        text.push_str(&format!(
            "    \"S{i}\": {{ \"Type\": \"Pass\", \"Result\": {result}, \"Next\": \"S{}\" }},\n",
            i + 1
        ));
        i += 1;
    }
    text.push_str(&format!(
        "    \"S{i}\": {{ \"Type\": \"Pass\", \"Next\": \"Missing\" }}\n  }}\n}}\n"
    ));
    assert!(text.len() >= 20 << 20);
    let linted = asl_lint::lint_bytes(
        "huge.asl.json",
        text.into_bytes(),
        Selection::Always,
        &Options::default(),
    )
    .unwrap();
    let codes: Vec<_> = linted.diagnostics.iter().map(|d| d.code()).collect();
    assert!(codes.contains(&"ASL101"), "{codes:?}");
    assert!(!codes.contains(&"ASL999"), "{codes:?}");
    for &format in OutputFormat::value_variants() {
        let renderer = Renderer::new(format, false);
        let rendered = renderer.render("huge.asl.json", &linted.text, &linted.diagnostics);
        let mut summary = Summary::default();
        summary.add_file(&linted.diagnostics);
        let mut out = Vec::new();
        renderer
            .finish(&mut out, [&rendered], &summary, &[])
            .unwrap();
        assert!(!out.is_empty());
    }
}
