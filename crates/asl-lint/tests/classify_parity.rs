//! The command line and the language server treat the same documents alike: for each (name,
//! text) below, the decision `check` makes for a file it meets in a walk (its name, then
//! `lint::classify_file`) and the decision the server makes for the same document opened in an
//! editor (`asl_lsp::classify_document`, with the language id an editor gives that name) are
//! the same: skipped by both, or read by both as a state machine or a template, in the same
//! dialect. Both call `asl_syntax::classify`; this checks that neither face adds a rule of its
//! own around it.

#![allow(clippy::unwrap_used, clippy::panic)]

use asl_lint::lint::classify_file;
use asl_lint::walk::selection_for_name;
use asl_lsp::DocumentKind as ServerKind;
use asl_syntax::{Dialect, DocumentKind, Host};

/// What a face decided: `None` when it leaves the document alone.
type Decision = Option<(DocumentKind, Dialect)>;

fn cli(name: &str, text: &str) -> Decision {
    let base = name.rsplit('/').next().unwrap_or(name);
    let selection = selection_for_name(base)?;
    let classified = classify_file(name, text, selection)?;
    Some((classified.kind(), classified.dialect()))
}

fn server(name: &str, language_id: &str, text: &str) -> Decision {
    match asl_lsp::classify_document(&format!("file:///work/{name}"), language_id, text) {
        ServerKind::Asl(dialect) => Some((DocumentKind::StateMachine, dialect)),
        ServerKind::Host(host, dialect) => Some((DocumentKind::Host(host), dialect)),
        ServerKind::Other => None,
    }
}

/// The language ids an editor gives a file: VS Code's with the asl-lint extension (`asl`,
/// `asl-yaml` for `*.asl.*`), and its built-in ones without it (as Neovim and others do).
fn language_ids(name: &str) -> Vec<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tf") {
        // HashiCorp's Terraform extension, and others'.
        return vec!["terraform", "hcl"];
    }
    let plain = if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        "yaml"
    } else if lower.ends_with(".jsonc") {
        "jsonc"
    } else if lower.ends_with(".json5") {
        "json5"
    } else {
        "json"
    };
    if lower.ends_with(".asl.yaml") || lower.ends_with(".asl.yml") {
        vec!["asl-yaml", plain]
    } else if lower.ends_with(".asl.json") || lower.ends_with(".asl.jsonc") {
        vec!["asl", plain]
    } else {
        vec![plain]
    }
}

const SM_JSON: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}"#;
const SM_YAML: &str = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Gone\n";
const SAM: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A: {Type: Succeed}\n";
const CDK: &str = r#"{"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}"}}}}"#;

const CASES: &[(&str, &str, Decision)] = &[
    // State machines by name, whatever their content.
    (
        "flow.asl.json",
        "{}",
        Some((DocumentKind::StateMachine, Dialect::Json)),
    ),
    (
        "flow.asl.jsonc",
        "// c\n{}",
        Some((DocumentKind::StateMachine, Dialect::Jsonc)),
    ),
    (
        "flow.asl.yaml",
        SM_YAML,
        Some((DocumentKind::StateMachine, Dialect::Yaml)),
    ),
    (
        "flow.ASL.YML",
        "",
        Some((DocumentKind::StateMachine, Dialect::Yaml)),
    ),
    // State machines by content (issue 14: the server used to ignore a plain flow.yaml).
    (
        "flow.yaml",
        SM_YAML,
        Some((DocumentKind::StateMachine, Dialect::Yaml)),
    ),
    (
        "states/flow.yml",
        SM_YAML,
        Some((DocumentKind::StateMachine, Dialect::Yaml)),
    ),
    (
        "flow.json",
        SM_JSON,
        Some((DocumentKind::StateMachine, Dialect::Json)),
    ),
    (
        "flow.jsonc",
        "// the order flow\n{\"StartAt\": \"A\", \"States\": {},}",
        Some((DocumentKind::StateMachine, Dialect::Jsonc)),
    ),
    (
        "flow.json5",
        "{StartAt: 'A', States: {}}",
        Some((DocumentKind::StateMachine, Dialect::Json5)),
    ),
    // Broken, but meant as a state machine: both report its syntax error.
    (
        "broken.json",
        r#"{"StartAt": "A", "States": {"#,
        Some((DocumentKind::StateMachine, Dialect::Json)),
    ),
    (
        "broken.yaml",
        "StartAt: A\nStates: [\n",
        Some((DocumentKind::StateMachine, Dialect::Yaml)),
    ),
    // Templates.
    (
        "template.yaml",
        SAM,
        Some((DocumentKind::Host(Host::CloudFormation), Dialect::Yaml)),
    ),
    (
        "cdk.out/Stack.template.json",
        CDK,
        Some((DocumentKind::Host(Host::CloudFormation), Dialect::Json)),
    ),
    (
        "broken-template.yaml",
        "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties: [\n",
        Some((DocumentKind::Host(Host::CloudFormation), Dialect::Yaml)),
    ),
    (
        "serverless.yml",
        "service: s\nstepFunctions:\n  stateMachines:\n    flow:\n      definition:\n        StartAt: A\n        States: {A: {Type: Succeed}}\n",
        Some((DocumentKind::Host(Host::Serverless), Dialect::Yaml)),
    ),
    (
        "serverless.json",
        r#"{"service": "s", "stepFunctions": {"stateMachines": {"flow": {"definition": "${file(flow.asl.json)}"}}}}"#,
        Some((DocumentKind::Host(Host::Serverless), Dialect::Json)),
    ),
    (
        "includes/state-machines.yml",
        "stateMachines:\n  flow:\n    definition:\n      StartAt: A\n      States: {A: {Type: Succeed}}\n",
        Some((DocumentKind::Host(Host::Serverless), Dialect::Yaml)),
    ),
    (
        "broken-serverless.yml",
        "stepFunctions:\n  stateMachines:\n    flow: [\n",
        Some((DocumentKind::Host(Host::Serverless), Dialect::Yaml)),
    ),
    // Terraform, by name then by its words.
    (
        "infra/main.tf",
        "// see: the flow\nresource \"aws_sfn_state_machine\" \"flow\" {\n  definition = jsonencode({ StartAt = \"A\" })\n}\n",
        Some((DocumentKind::Host(Host::Terraform), Dialect::Json)),
    ),
    (
        "broken.tf",
        "resource \"aws_sfn_state_machine\" \"flow\" {\n",
        Some((DocumentKind::Host(Host::Terraform), Dialect::Json)),
    ),
    ("queue.tf", "resource \"aws_sqs_queue\" \"q\" {}\n", None),
    (
        "main.tf.json",
        r#"{"resource": {"aws_sfn_state_machine": {"flow": {"definition": "{}"}}}}"#,
        Some((DocumentKind::Host(Host::Terraform), Dialect::Json)),
    ),
    (
        "broken.tf.json",
        r#"{"resource": {"aws_sfn_state_machine": {"#,
        None,
    ),
    // Neither: left alone by both.
    (
        "plain/serverless.yml",
        "service: s\nprovider: {name: aws}\n",
        None,
    ),
    (
        "activities/serverless.yml",
        "service: s\nstepFunctions:\n  activities: [a]\n",
        None,
    ),
    ("package.json", r#"{"name": "x", "version": "1.0.0"}"#, None),
    (".github/workflows/ci.yaml", "on: push\njobs: {}\n", None),
    (
        "nested.json",
        r#"{"Definition": {"StartAt": "A", "States": {}}}"#,
        None,
    ),
    ("words.json", r#"["StartAt", "States"]"#, None),
    (
        "lambda.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  F:\n    Type: AWS::Lambda::Function\n",
        None,
    ),
    (
        "mentions.yaml",
        "# deploys an AWS::StepFunctions::StateMachine elsewhere\nResources: {}\n",
        None,
    ),
    ("state.json", r#"{"Type": "Pass", "End": true}"#, None),
    ("README.md", "StartAt: A\nStates: {}\n", None),
];

#[test]
fn the_command_line_and_the_server_decide_alike() {
    let mut failures = Vec::new();
    for (name, text, expected) in CASES {
        let by_cli = cli(name, text);
        if by_cli != *expected {
            failures.push(format!(
                "{name}: check decided {by_cli:?}, expected {expected:?}"
            ));
        }
        // An editor has no language id for a Markdown file that is JSON or YAML.
        if name.ends_with(".md") {
            assert_eq!(server(name, "markdown", text), None, "{name}");
            continue;
        }
        for language_id in language_ids(name) {
            let by_server = server(name, language_id, text);
            if by_server != by_cli {
                failures.push(format!(
                    "{name} ({language_id}): the server decided {by_server:?}, check {by_cli:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Standard input has no name: both faces read its dialect from the text, so YAML piped to
/// `check -` is YAML without `--stdin-filename` (issue 14, item 11), as an untitled editor
/// buffer's would be.
#[test]
fn text_without_a_name_is_read_in_its_own_dialect() {
    let stdin = asl_lint::check::STDIN_NAME;
    let piped = classify_file(stdin, SM_YAML, asl_lint::walk::Selection::Always).unwrap();
    assert_eq!(
        (piped.kind(), piped.dialect()),
        (DocumentKind::StateMachine, Dialect::Yaml)
    );
    let piped = classify_file(stdin, SM_JSON, asl_lint::walk::Selection::Always).unwrap();
    assert_eq!(piped.dialect(), Dialect::Json);
    let linted = asl_lint::lint_bytes(
        stdin,
        SM_YAML.as_bytes().to_vec(),
        asl_lint::walk::Selection::Always,
        &asl_analyzer::Options::default(),
    )
    .unwrap();
    assert!(
        linted.diagnostics.iter().any(|d| d.code() == "ASL101"),
        "{:?}",
        linted.diagnostics
    );
    assert!(linted.diagnostics.iter().all(|d| d.code() != "ASL001"));
}
