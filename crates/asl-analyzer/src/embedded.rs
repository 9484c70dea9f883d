//! Analysis of the state machines embedded in a host document ([`asl_syntax::host`]: today a
//! CloudFormation or SAM template): every diagnostic is at its place in the host's text, also
//! inside a `DefinitionString`.
//!
//! Each definition is checked for its own workflow type when the host names one
//! (`StateMachineType`, or SAM's `Type`), else for the type of the options.

use asl_syntax::host::{Definition, Embedded, Host};
use asl_syntax::template::SourceMap;
use asl_syntax::{Dialect, Node, Parse, TextRange, Value};

use crate::diagnostic::Edit;
use crate::quote::Syntax;
use crate::{Diagnostic, Options, WorkflowType, analyze, analyze_parsed};

mod hcl;

/// What a host document's analysis found.
#[derive(Debug, Clone, Default)]
pub struct HostAnalysis {
    /// Findings in the host's definitions, in the host's positions, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Definitions kept in files beside the host document, which the caller reads.
    pub files: Vec<DefinitionFile>,
    /// Resources whose definition cannot be read here (in S3, or built by an intrinsic
    /// function at deployment): logical id and why.
    pub unchecked: Vec<(String, &'static str)>,
}

/// A `DefinitionUri` or `DefinitionS3Location` that names a local file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionFile {
    /// The path as written, relative to the template's folder.
    pub path: String,
    /// The path's value in the template.
    pub range: TextRange,
    pub logical_id: String,
    /// The resource's workflow type, when the template says it.
    pub workflow_type: Option<WorkflowType>,
}

/// The workflow type a host names (`STANDARD`/`EXPRESS`).
pub fn workflow_type_named(name: &str) -> Option<WorkflowType> {
    match name {
        "STANDARD" => Some(WorkflowType::Standard),
        "EXPRESS" => Some(WorkflowType::Express),
        _ => None,
    }
}

/// The workflow type an embedded definition is checked for: the host's, else `default`.
pub fn workflow_type_of(embedded: &Embedded<'_>, default: WorkflowType) -> WorkflowType {
    embedded
        .workflow_type
        .and_then(workflow_type_named)
        .unwrap_or(default)
}

/// Analyses every state machine of a parsed host document. A document that did not parse gets
/// its syntax error.
pub fn analyze_host(
    host: Host,
    text: &str,
    dialect: Dialect,
    parse: &Parse,
    options: &Options,
) -> HostAnalysis {
    let mut out = HostAnalysis::default();
    if !host.reads_tree() {
        // Its own language: the reader's message names it.
        if let Some(error) = &parse.error {
            out.diagnostics = vec![crate::syntax_error(
                options,
                error.range,
                error.message.clone(),
            )];
            return out;
        }
    } else if parse.root.is_none() {
        out.diagnostics = analyze_parsed(text, dialect, parse, options);
        return out;
    }
    for embedded in host.definitions(text, parse.root.as_ref()) {
        let workflow_type = embedded.workflow_type.and_then(workflow_type_named);
        let typed = options_for(workflow_type, options);
        let options = typed.as_ref().unwrap_or(options);
        match embedded.definition {
            Definition::Object { node, key } => {
                let sub = sub_parse(parse, node, key);
                for d in analyze_parsed(text, dialect, &sub, options) {
                    out.diagnostics.push(in_place(d, &embedded.pointer));
                }
            }
            Definition::Text(decoded) => {
                let syntax = decoded_syntax(host, text, &decoded.map);
                for d in analyze(&decoded.text, Dialect::Json, options) {
                    let mut d = from_decoded(
                        d,
                        (text, dialect, parse.root.as_ref()),
                        &decoded.text,
                        &decoded.map,
                        &embedded.pointer,
                    );
                    crate::quote::diagnostic(&mut d, syntax);
                    out.diagnostics.push(d);
                }
            }
            Definition::File { path, range } => out.files.push(DefinitionFile {
                path: path.to_owned(),
                range,
                logical_id: embedded.logical_id.to_string(),
                workflow_type,
            }),
            Definition::Elsewhere { why, .. } => {
                out.unchecked.push((embedded.logical_id.to_string(), why));
            }
            Definition::Missing => {}
        }
    }
    sort(&mut out.diagnostics);
    out
}

/// The options a definition of `workflow_type` is checked with: `None` when they are `options`.
pub(crate) fn options_for(
    workflow_type: Option<WorkflowType>,
    options: &Options,
) -> Option<Options> {
    match workflow_type {
        Some(t) if t != options.workflow_type => Some(Options {
            workflow_type: t,
            ..options.clone()
        }),
        _ => None,
    }
}

/// The parse of a `Definition` object analysed in place: its node as the root, with the host
/// parse's comments, non-standard syntax and duplicate keys inside it.
pub(crate) fn sub_parse(parse: &Parse, node: &Node, key: TextRange) -> Parse {
    let inside = |r: &TextRange| node.range.contains_range(*r);
    Parse {
        root: Some(node.clone()),
        error: None,
        // The comments after the `Definition` key (a YAML comment line above the first key of
        // the mapping is outside the mapping's range), so a directive there applies to this
        // definition only.
        comments: parse
            .comments
            .iter()
            .filter(|c| c.start() >= key.end() && c.end() <= node.range.end())
            .copied()
            .collect(),
        non_standard: parse
            .non_standard
            .iter()
            .filter(|n| inside(&n.range))
            .copied()
            .collect(),
        duplicates: parse
            .duplicates
            .iter()
            .filter(|d| inside(&d.second))
            .cloned()
            .collect(),
    }
}

/// The syntax a decoded definition is written in, as its messages quote it: HCL for
/// Terraform's `jsonencode({...})` (its JSON is written out from an HCL object), else JSON (a
/// `DefinitionString`, a heredoc or a string of JSON).
pub(crate) fn decoded_syntax(host: Host, text: &str, map: &SourceMap) -> Syntax {
    let jsonencode = host == Host::Terraform
        && map
            .span()
            .and_then(|span| text.get(..usize::from(span.start())))
            .is_some_and(|before| before.trim_end().ends_with("jsonencode("));
    if jsonencode {
        Syntax::Hcl
    } else {
        Syntax::Json
    }
}

/// A finding of a definition analysed in place, as the host reports it.
pub(crate) fn in_place(mut d: Diagnostic, pointer: &str) -> Diagnostic {
    d.pointer = format!("{pointer}{}", d.pointer);
    // Its edits are edits of the host's text, in the host's syntax (JSON, or YAML block
    // syntax: `crate::edits`), which `--fix` applies.
    d
}

/// A finding of a decoded `DefinitionString`, at its place in the host's text (`host`: its
/// text, dialect and tree). Its fixes are written back into the host string holding them
/// ([`host_edits`]); one that cannot be written exactly is dropped.
pub(crate) fn from_decoded(
    mut d: Diagnostic,
    host: (&str, Dialect, Option<&Node>),
    decoded: &str,
    map: &SourceMap,
    pointer: &str,
) -> Diagnostic {
    d.range = map.range(d.range);
    for label in &mut d.labels {
        label.range = map.range(label.range);
    }
    d.pointer = format!("{pointer}{}", d.pointer);
    let (text, dialect, root) = host;
    let fixes = std::mem::take(&mut d.fixes);
    d.fixes = fixes
        .into_iter()
        .filter_map(|mut fix| {
            fix.edits = host_edits(text, dialect, root, decoded, map, &fix.edits)?;
            Some(fix)
        })
        .collect();
    // A dropped preferred fix leaves no preferred one: `--fix` then applies none.
    d
}

/// Edits of a decoded definition (`decoded`, mapped by `map`) as edits of the host text: each
/// written inside the host string holding it, in that string's syntax (JSON escapes, YAML
/// single quotes, a `|` block's indentation), or, in a host without a tree (Terraform's HCL),
/// in HCL ([`hcl`]). The one place that decides, for the editor and `--fix`, whether an edit
/// can be written exactly and as what. `None` when one cannot (it spans strings, starts in a
/// block's indentation, or its text would not read back, such as `${`, which `Fn::Sub` or
/// Terraform would substitute).
pub(crate) fn host_edits(
    text: &str,
    dialect: Dialect,
    root: Option<&Node>,
    decoded: &str,
    map: &SourceMap,
    edits: &[Edit],
) -> Option<Vec<Edit>> {
    let Some(root) = root else {
        return hcl::host_edits(text, decoded, map, edits);
    };
    let out: Vec<Edit> = edits
        .iter()
        .map(|e| {
            let (start, end) = (usize::from(e.range.start()), usize::from(e.range.end()));
            if leading_space(decoded, start) || (end > start && leading_space(decoded, end - 1)) {
                // The map does not place a line's indentation exactly.
                return None;
            }
            let range = map.range(e.range);
            let string = string_at(root, range)?;
            let new_text = encode(text, dialect, string, &e.new_text)?;
            Some(Edit { range, new_text })
        })
        .collect::<Option<_>>()?;
    // A Terraform JSON configuration's string may hold HCL (`"${jsonencode({...})}"`), which
    // the JSON text goes into: the edited file must read back as the edited definition.
    if Host::of(root) == Some(Host::Terraform)
        && !hcl::json_reads_back(text, root, decoded, map, edits, &out)
    {
        return None;
    }
    Some(out)
}

/// True when the byte at `at` of `text` is a space of its line's indentation, which the map
/// of a block scalar does not place exactly (it maps the text, not the spaces before it).
pub(crate) fn leading_space(text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at) else {
        return true;
    };
    let line = before.rfind('\n').map_or(0, |i| i + 1);
    text.as_bytes().get(at) == Some(&b' ')
        && before
            .get(line..)
            .is_some_and(|s| s.bytes().all(|b| b == b' '))
}

/// The deepest string node of the host tree holding `range`.
pub(crate) fn string_at(root: &Node, range: TextRange) -> Option<&Node> {
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Object(props) => props
                .iter()
                .map(|p| &p.value)
                .find(|v| v.range.contains_range(range)),
            Value::Array(items) => items.iter().find(|v| v.range.contains_range(range)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    (matches!(node.value, Value::String(_)) && node.range.contains_range(range)).then_some(node)
}

/// `new_text` written inside the host string `string`, in its syntax: `None` when that is not
/// certain to read back as `new_text`.
pub(crate) fn encode(
    text: &str,
    dialect: Dialect,
    string: &Node,
    new_text: &str,
) -> Option<String> {
    // `${` would start an `Fn::Sub` substitution (or a Terraform interpolation, in a `*.tf.json`
    // string, which reads `%{` as a directive too).
    if new_text.contains("${") || new_text.contains("%{") {
        return None;
    }
    let begin = usize::from(string.range.start());
    let raw = text.get(begin..usize::from(string.range.end()))?;
    let json_escaped = || {
        let quoted = crate::edits::json_string(new_text);
        quoted
            .get(1..quoted.len().saturating_sub(1))
            .map(str::to_owned)
    };
    if dialect != Dialect::Yaml || raw.starts_with('"') {
        return json_escaped();
    }
    let one_line = !new_text.contains(['\n', '\r']);
    if raw.starts_with('\'') {
        return one_line.then(|| new_text.replace('\'', "''"));
    }
    // A block scalar's range is its text: its header (`|`, `>-`, after a tag) ends the text
    // before it, on an earlier line.
    let before = text.get(..begin)?;
    let header = before.trim_end_matches([' ', '\t']);
    let on_earlier_line = header.ends_with('\n');
    let header = header.trim_end();
    let indicator = header
        .rsplit([' ', '\t', ':'])
        .next()
        .filter(|h| h.starts_with(['|', '>']))
        .filter(|_| on_earlier_line);
    match indicator {
        Some(h) if h.starts_with('|') && h[1..].chars().all(|c| c == '-' || c == '+') => {
            if new_text.contains(['\r', '\t']) {
                return None;
            }
            // The block's indentation: the column its text starts at.
            let indent = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
            Some(new_text.replace('\n', &format!("\n{}", " ".repeat(indent))))
        }
        // A folded block, or one with an explicit indentation: a single line, as it is.
        Some(_) => (one_line && !new_text.starts_with(' ')).then(|| new_text.to_owned()),
        None => (one_line && !new_text.contains(": ") && !new_text.contains(" #"))
            .then(|| new_text.to_owned()),
    }
}

/// The order of a host document's findings.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.code()).cmp(&(b.range.start(), b.range.end(), b.code()))
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// Messages quote what to write where the definition is: YAML in a template's YAML, HCL in
    /// Terraform's `jsonencode`, JSON in a `DefinitionString` or a heredoc.
    #[test]
    fn messages_quote_the_syntax_of_the_definition() {
        let messages = |host: Host, text: &str, dialect: Dialect| -> Vec<String> {
            let parse = host.parse(text, dialect);
            let analysis = analyze_host(host, text, dialect, &parse, &Options::default());
            let mut out: Vec<String> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.code() == "ASL102")
                .map(|d| d.message.clone())
                .collect();
            out.sort();
            out
        };
        let tf = "resource \"aws_sfn_state_machine\" \"a\" {\n  definition = jsonencode({\n    StartAt = \"A\"\n    States = { A = { Type = \"Pass\" } }\n  })\n}\nresource \"aws_sfn_state_machine\" \"b\" {\n  definition = <<EOF\n{\"StartAt\": \"B\", \"States\": {\"B\": {\"Type\": \"Pass\"}}}\nEOF\n}\n";
        let found = messages(Host::Terraform, tf, Dialect::Json);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("`End = true`"), "{}", found[0]);
        assert!(found[1].contains("`\"End\": true`"), "{}", found[1]);
        let sam = "Resources:\n  A:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n  B:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: '{\"StartAt\": \"B\", \"States\": {\"B\": {\"Type\": \"Pass\"}}}'\n";
        let found = messages(Host::CloudFormation, sam, Dialect::Yaml);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("`End: true`"), "{}", found[0]);
        assert!(found[1].contains("`\"End\": true`"), "{}", found[1]);
    }

    #[test]
    fn encoding_refuses_what_it_cannot_write() {
        let yaml = "A: 'x'\nB: plain\nC: |\n  line\n";
        let root = asl_syntax::parse(yaml, Dialect::Yaml).root.unwrap();
        let node = |k: &str| &root.get(k).unwrap().value;
        assert_eq!(
            encode(yaml, Dialect::Yaml, node("A"), "it's").as_deref(),
            Some("it''s")
        );
        assert_eq!(encode(yaml, Dialect::Yaml, node("A"), "a\nb"), None);
        assert_eq!(encode(yaml, Dialect::Yaml, node("B"), "a: b"), None);
        assert_eq!(
            encode(yaml, Dialect::Yaml, node("C"), "a\nb").as_deref(),
            Some("a\n  b")
        );
        assert_eq!(encode(yaml, Dialect::Yaml, node("C"), "${X}"), None);
    }

    fn findings(text: &str, dialect: Dialect) -> Vec<(String, String, String)> {
        let parse = asl_syntax::parse(text, dialect);
        let analysis = analyze_host(
            Host::CloudFormation,
            text,
            dialect,
            &parse,
            &Options::default(),
        );
        analysis
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code().to_owned(),
                    text[usize::from(d.range.start())..usize::from(d.range.end())].to_owned(),
                    d.pointer.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn serverless_definitions_are_analysed_in_place_for_their_type() {
        let text = "service: s\nstepFunctions:\n  stateMachines:\n    fast:\n      type: EXPRESS\n      definition:\n        StartAt: Ask\n        States:\n          Ask:\n            Type: Task\n            Resource: arn:aws:states:::sqs:sendMessage.waitForTaskToken\n            TimeoutSeconds: ${self:custom.timeout}\n            HeartbeatSeconds: ${self:custom.heartbeat}\n            Parameters:\n              QueueUrl: ${self:custom.queue}\n              MessageBody.$: $\n            Next: Call\n          Call:\n            Type: Task\n            Resource: !GetAtt hello.Arn\n            TimeoutSeconds: 10\n            Next: Pseudo\n          Pseudo:\n            Type: Task\n            Resource: arn:aws:lambda:#{AWS::Region}:#{AWS::AccountId}:function:s-${sls:stage}-hello\n            TimeoutSeconds: 10\n            Retry:\n              - ErrorEquals: [Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException]\n            End: true\n    slow:\n      definition:\n        StartAt: Wait\n        States:\n          Wait:\n            Type: Task\n            Resource:\n              Fn::GetAtt: [hello, Arn]\n            TimeoutSeconds: 10\n            Next: Gone\n";
        let parse = asl_syntax::parse(text, Dialect::Yaml);
        let root = parse.root.as_ref().unwrap();
        assert_eq!(Host::of(root), Some(Host::Serverless));
        let analysis = analyze_host(
            Host::Serverless,
            text,
            Dialect::Yaml,
            &parse,
            &Options::default(),
        );
        let found: Vec<_> = analysis
            .diagnostics
            .iter()
            .map(|d| {
                let at = usize::from(d.range.start());
                let line = text[..at].matches('\n').count() + 1;
                let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
                (
                    d.code(),
                    format!("{line}:{col}"),
                    &text[at..usize::from(d.range.end())],
                    d.pointer.as_str(),
                )
            })
            .collect();
        // Only the real problems, at their places: the callback in the EXPRESS machine, the
        // direct Lambda ARN (an info), the typo'd `Next` of the other and its want of an end;
        // the variables, intrinsics and pseudo parameters stand for valid values, and `slow`
        // is checked as a Standard workflow.
        assert_eq!(
            found,
            vec![
                (
                    "ASL403",
                    "11:55".to_owned(),
                    ".waitForTaskToken",
                    "/stepFunctions/stateMachines/fast/definition/States/Ask/Resource"
                ),
                (
                    "ASL404",
                    "25:23".to_owned(),
                    "arn:aws:lambda:#{AWS::Region}:#{AWS::AccountId}:function:s-${sls:stage}-hello",
                    "/stepFunctions/stateMachines/fast/definition/States/Pseudo/Resource"
                ),
                (
                    "ASL104",
                    "33:9".to_owned(),
                    "States",
                    "/stepFunctions/stateMachines/slow/definition/States"
                ),
                (
                    "ASL101",
                    "39:19".to_owned(),
                    "Gone",
                    "/stepFunctions/stateMachines/slow/definition/States/Wait/Next"
                ),
            ]
        );
    }

    #[test]
    fn definition_objects_are_analysed_in_place() {
        let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: !GetAtt Fn.Arn\n            TimeoutSeconds: !Ref Timeout\n            Next: Gone\n";
        let found = findings(text, Dialect::Yaml);
        let targets: Vec<_> = found.iter().filter(|f| f.0 == "ASL101").collect();
        assert_eq!(targets.len(), 1, "{found:?}");
        assert_eq!(targets[0].1, "Gone");
        assert_eq!(
            targets[0].2,
            "/Resources/M/Properties/Definition/States/A/Next"
        );
        // The intrinsics stand for valid values.
        assert!(
            found.iter().all(|f| f.0 != "ASL012" && f.0 != "ASL401"),
            "{found:?}"
        );
    }

    #[test]
    fn definition_strings_report_inside_the_string() {
        let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      StateMachineType: EXPRESS\n      DefinitionString: !Sub |\n        {\n          \"StartAt\": \"A\",\n          \"States\": {\n            \"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke.waitForTaskToken\", \"TimeoutSeconds\": ${Timeout}, \"Next\": \"Gone\"}\n          }\n        }\n";
        let found = findings(text, Dialect::Yaml);
        let codes: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
        assert!(codes.contains(&"ASL101"), "{found:?}");
        // The template says EXPRESS: callbacks are not supported there.
        assert!(codes.contains(&"ASL403"), "{found:?}");
        assert!(!codes.contains(&"ASL012"), "{found:?}");
        let gone = found.iter().find(|f| f.0 == "ASL101").unwrap();
        assert_eq!(gone.1, "\"Gone\"");
        let line = text[..text.find("\"Gone\"").unwrap()].lines().count();
        assert_eq!(line, 11);
    }

    #[test]
    fn syntax_errors_in_a_definition_string_are_placed() {
        let text = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": \"A\",, }"}}}}"#;
        let found = findings(text, Dialect::Json);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "ASL001");
        let at = text.find(",, ").unwrap();
        let parse = asl_syntax::parse(text, Dialect::Json);
        let d = &analyze_host(
            Host::CloudFormation,
            text,
            Dialect::Json,
            &parse,
            &Options::default(),
        )
        .diagnostics[0];
        assert!(
            usize::from(d.range.start()) >= at && usize::from(d.range.start()) <= at + 2,
            "{d:?}"
        );
    }

    #[test]
    fn files_and_unreadable_definitions_are_listed() {
        let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n      DefinitionUri: sm/f.asl.json\n  S:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionS3Location: {Bucket: b, Key: k}\n";
        let parse = asl_syntax::parse(text, Dialect::Yaml);
        let analysis = analyze_host(
            Host::CloudFormation,
            text,
            Dialect::Yaml,
            &parse,
            &Options::default(),
        );
        assert_eq!(analysis.files.len(), 1);
        assert_eq!(analysis.files[0].path, "sm/f.asl.json");
        assert_eq!(analysis.files[0].workflow_type, Some(WorkflowType::Express));
        assert_eq!(
            analysis.unchecked,
            vec![("S".to_owned(), "it is stored in S3")]
        );
    }

    #[test]
    fn terraform_definitions_are_analysed_at_their_hcl_tokens() {
        let text = "resource \"aws_sfn_state_machine\" \"m\" {\n  type = \"EXPRESS\"\n  definition = jsonencode({\n    StartAt = \"A\"\n    States = {\n      A = {\n        Type = \"Task\"\n        Resource = \"arn:aws:states:::lambda:invoke.waitForTaskToken\"\n        Parameters = { FunctionName = aws_lambda_function.f.arn, Payload = { \"token.$\" = \"$$.Task.Token\" } }\n        TimeoutSeconds = var.timeout\n        HeartbeatSeconds = 10\n        Retry = [{ ErrorEquals = [\"States.ALL\"] }]\n        Next = \"Gone\"\n      }\n    }\n  })\n}\nresource \"aws_sfn_state_machine\" \"f\" {\n  definition = templatefile(\"${path.module}/f.asl.json\", { a = 1 })\n}\nresource \"aws_sfn_state_machine\" \"v\" {\n  definition = var.definition\n}\n";
        let parse = Host::Terraform.parse(text, Dialect::Json);
        let analysis = analyze_host(
            Host::Terraform,
            text,
            Dialect::Json,
            &parse,
            &Options::default(),
        );
        let found: Vec<_> = analysis
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code(),
                    &text[usize::from(d.range.start())..usize::from(d.range.end())],
                    d.pointer.as_str(),
                )
            })
            .collect();
        assert!(
            found.contains(&(
                "ASL101",
                "\"Gone\"",
                "/resource/aws_sfn_state_machine/m/definition/States/A/Next"
            )),
            "{found:?}"
        );
        // `type = "EXPRESS"`: callbacks are not supported there.
        assert!(found.iter().any(|f| f.0 == "ASL403"), "{found:?}");
        // The expressions stand for valid values.
        assert!(
            found
                .iter()
                .all(|f| !matches!(f.0, "ASL012" | "ASL401" | "ASL001")),
            "{found:?}"
        );
        assert_eq!(analysis.files.len(), 1);
        assert_eq!(analysis.files[0].path, "f.asl.json");
        assert_eq!(analysis.files[0].logical_id, "aws_sfn_state_machine.f");
        assert_eq!(analysis.unchecked.len(), 1);
        assert_eq!(analysis.unchecked[0].0, "aws_sfn_state_machine.v");
        // Not HCL: one syntax error, in HCL's words.
        let broken = "resource \"aws_sfn_state_machine\" \"m\" {\n  definition = {\n";
        let parse = Host::Terraform.parse(broken, Dialect::Json);
        let analysis = analyze_host(
            Host::Terraform,
            broken,
            Dialect::Json,
            &parse,
            &Options::default(),
        );
        assert_eq!(analysis.diagnostics.len(), 1);
        assert_eq!(analysis.diagnostics[0].code(), "ASL001");
        assert!(analysis.diagnostics[0].message.starts_with("invalid HCL: "));
    }

    #[test]
    fn comment_directives_in_a_yaml_definition_apply_to_it() {
        let text = "Transform: AWS::Serverless-2016-10-31\n# asl-lint-allow unknown-target -- not for the template\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        # asl-lint-allow missing-timeout -- the whole definition\n        StartAt: A\n        States:\n          # asl-lint-allow unknown-target -- retired\n          A:\n            Type: Task\n            Resource: arn:aws:states:::glue:startJobRun.sync\n            Next: Gone\n          B:\n            Type: Pass\n            Next: Nowhere\n";
        let found = findings(text, Dialect::Yaml);
        let codes: Vec<_> = found.iter().map(|f| (f.0.as_str(), f.1.as_str())).collect();
        // A's unknown target is suppressed, B's is not; no missing-timeout anywhere.
        assert!(codes.contains(&("ASL101", "Nowhere")), "{found:?}");
        assert!(!codes.contains(&("ASL101", "Gone")), "{found:?}");
        assert!(!codes.iter().any(|c| c.0 == "ASL211"), "{found:?}");
        // The comment above `Resources` is not part of any definition: not reported either.
        assert!(!codes.iter().any(|c| c.0 == "ASL901"), "{found:?}");
    }
}
