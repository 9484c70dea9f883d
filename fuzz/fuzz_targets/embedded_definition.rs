//! The input as the definition text of a state machine embedded in a CloudFormation/SAM
//! template, in every way a template can hold one:
//!
//! - JSON: `DefinitionString` as a JSON string (escaped minimally, and with every non-ASCII
//!   character as `\uXXXX`, surrogate pairs included, and `/` as `\/`), `Fn::Sub` of that
//!   string (alone and with a variables map), `Fn::Join` of its lines;
//! - YAML: `Definition:` with the input indented under it as a block, `DefinitionString: |`
//!   and `Fn::Sub: |` block scalars, and `DefinitionString` as a double-quoted and a
//!   single-quoted scalar.
//!
//! Each template is linted through the CLI's pipeline (`asl_lint::lint_bytes`); every finding's
//! range and label ranges must be valid character-boundary ranges of the TEMPLATE text. The
//! reader's source map is checked directly too: every offset of the decoded text maps into the
//! template, on boundaries and in order, and a plain string decodes back to the input.

#![no_main]

mod common;

use std::fmt::Write as _;

use asl_analyzer::Options;
use asl_lint::walk::Selection;
use asl_syntax::template::{self, Definition};
use asl_syntax::{Dialect, TextRange, TextSize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    common::on_big_stack(move || run(&data));
});

/// Whether the decoded text of the template must equal the input.
#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// A plain string: decoded exactly (unless it holds a `${` placeholder, which the reader
    /// quotes when it stands outside a JSON string).
    Exact,
    /// Indentation, block chomping, folding, joins: not compared.
    Unchecked,
}

fn run(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let input: &str = &input;
    let options = Options::default();

    let minimal = json_string(input, false);
    let ascii = json_string(input, true);
    let lines: Vec<String> = input.split('\n').map(|l| json_string(l, false)).collect();

    let json = |definition: &str| {
        format!(
            "{{\n  \"Resources\": {{\n    \"Machine\": {{\n      \"Type\": \"AWS::StepFunctions::StateMachine\",\n      \"Properties\": {{\n        \"StateMachineType\": \"STANDARD\",\n        {definition}\n      }}\n    }}\n  }}\n}}\n"
        )
    };
    let yaml = |definition: &str| {
        format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n{definition}\n  Other:\n    Type: AWS::SNS::Topic\n"
        )
    };

    let cases: Vec<(&str, String, Expect)> = vec![
        (
            "json DefinitionString",
            json(&format!("\"DefinitionString\": {minimal}")),
            Expect::Exact,
        ),
        (
            "json DefinitionString (\\u escapes)",
            json(&format!("\"DefinitionString\": {ascii}")),
            Expect::Exact,
        ),
        (
            "json Fn::Sub",
            json(&format!("\"DefinitionString\": {{\"Fn::Sub\": {minimal}}}")),
            Expect::Exact,
        ),
        (
            "json Fn::Sub with variables",
            json(&format!(
                "\"DefinitionString\": {{\"Fn::Sub\": [{ascii}, {{\"Fn\": {{\"Fn::GetAtt\": [\"Fn\", \"Arn\"]}}}}]}}"
            )),
            Expect::Exact,
        ),
        (
            "json Fn::Join",
            json(&format!(
                "\"DefinitionString\": {{\"Fn::Join\": [\"\\n\", [{}]]}}",
                lines.join(", ")
            )),
            Expect::Exact,
        ),
        (
            "yaml Definition block",
            yaml(&format!("      Definition:\n{}", indent(input, 8))),
            Expect::Unchecked,
        ),
        (
            "yaml DefinitionString: |",
            yaml(&format!("      DefinitionString: |\n{}", indent(input, 8))),
            Expect::Unchecked,
        ),
        (
            "yaml Fn::Sub: |",
            yaml(&format!(
                "      DefinitionString:\n        Fn::Sub: |\n{}",
                indent(input, 10)
            )),
            Expect::Unchecked,
        ),
        (
            "yaml double-quoted DefinitionString",
            yaml(&format!("      DefinitionString: {minimal}")),
            Expect::Unchecked,
        ),
        (
            "yaml single-quoted DefinitionString",
            yaml(&format!(
                "      DefinitionString: '{}'",
                input.replace('\'', "''")
            )),
            Expect::Unchecked,
        ),
    ];

    for (what, text, expect) in &cases {
        let (name, dialect) = if what.starts_with("json") {
            ("template.json", Dialect::Json)
        } else {
            ("template.yaml", Dialect::Yaml)
        };
        check_source_map(input, text, dialect, *expect, what);
        let Some(linted) =
            asl_lint::lint_bytes(name, text.clone().into_bytes(), Selection::Always, &options)
        else {
            continue;
        };
        assert_eq!(
            &linted.text, text,
            "{what}: the template was decoded differently"
        );
        common::check_diagnostics(text, &linted.diagnostics, what);
        for file in &linted.definition_files {
            common::check_range(text, file.range, &format!("{what}: DefinitionUri"));
        }
    }
}

/// The reader's own view of the template: each decoded definition's source map.
fn check_source_map(input: &str, text: &str, dialect: Dialect, expect: Expect, what: &str) {
    let parse = asl_syntax::parse(text, dialect);
    common::check_parse(text, &parse, what);
    let Some(root) = &parse.root else { return };
    for embedded in template::definitions(text, root) {
        common::check_range(text, embedded.id_range, &format!("{what}: logical id"));
        match &embedded.definition {
            Definition::Text(decoded) => {
                if expect == Expect::Exact && !input.contains("${") && !what.contains("Join") {
                    assert_eq!(
                        decoded.text, input,
                        "{what}: the DefinitionString decoded to other text"
                    );
                }
                let len = decoded.text.len();
                let mut last = TextSize::from(0);
                for i in (0..=len).filter(|&i| decoded.text.is_char_boundary(i)) {
                    let at = TextSize::from(i as u32);
                    let mapped = decoded.map.range(TextRange::empty(at));
                    common::check_range(text, mapped, &format!("{what}: source map of {i}"));
                    assert!(
                        mapped.start() >= last,
                        "{what}: source map goes backwards at {i}: {mapped:?} after {last:?}"
                    );
                    last = mapped.start();
                }
                let whole = TextRange::new(0.into(), TextSize::from(len as u32));
                common::check_range(text, decoded.map.range(whole), &format!("{what}: whole"));
            }
            Definition::Object { node, key } => {
                common::check_range(text, node.range, &format!("{what}: Definition"));
                common::check_range(text, *key, &format!("{what}: Definition key"));
            }
            Definition::File { range, .. } | Definition::Elsewhere { range, .. } => {
                common::check_range(text, *range, &format!("{what}: definition elsewhere"));
            }
            Definition::Missing => {}
        }
    }
}

/// A JSON string literal of `s`; with `ascii`, every non-ASCII character as `\uXXXX` (a
/// surrogate pair above the BMP) and `/` as `\/`.
fn json_string(s: &str, ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '/' if ascii => out.push_str("\\/"),
            c if (c as u32) < 0x20 || (ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Every line of `s` indented by `n` spaces (empty lines left empty).
fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::with_capacity(s.len() + n * 8);
    for line in s.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}
