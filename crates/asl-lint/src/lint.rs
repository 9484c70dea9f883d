//! One file's work: bytes in (read once), findings out (parsed once).

use std::io::Read;
use std::path::Path;

use asl_analyzer::embedded::{DefinitionFile, analyze_host};
use asl_analyzer::{Diagnostic, Options, analyze_parsed};
use asl_syntax::{Classified, Dialect, DocumentKind, Encoding, LineIndex, TextRange, TextSize};

use crate::walk::Selection;

/// Files larger than this are not read: a state machine definition is at most 1 MiB in AWS, and
/// whole-file parsing needs memory in proportion.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// A file's (decoded) text and its findings, sorted by position.
#[derive(Debug, Clone)]
pub struct Linted {
    /// The text the ranges refer to. A file that is not valid UTF-8 is decoded lossily.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// For a template: the definitions it keeps in other files (`DefinitionUri`).
    pub definition_files: Vec<DefinitionFile>,
    /// The file is a host document (a CloudFormation/SAM template, a Serverless Framework or
    /// Terraform file): its findings are in its definitions.
    pub host: Option<asl_syntax::Host>,
    /// How the text was read.
    pub dialect: Dialect,
    /// Named on the command line (or read from standard input), the file holds no state
    /// machine: it is neither a definition nor a host document with one, so it has no findings
    /// ([`holds_no_state_machine`]).
    pub no_state_machine: bool,
}

/// Reads a file in one go. `Ok(None)`: a too-large file that is not required to be linted.
pub fn read_file(path: &Path, selection: Selection) -> Result<Option<Vec<u8>>, String> {
    let file = std::fs::File::open(path).map_err(|e| crate::walk::io_message(&e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_SIZE {
        return too_large(selection);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::walk::io_message(&e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return too_large(selection);
    }
    Ok(Some(bytes))
}

/// Reads standard input in one go.
pub fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::walk::io_message(&e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large_message());
    }
    Ok(bytes)
}

fn too_large(selection: Selection) -> Result<Option<Vec<u8>>, String> {
    match selection {
        Selection::Always => Err(too_large_message()),
        Selection::IfStateMachine => Ok(None),
    }
}

fn too_large_message() -> String {
    format!(
        "file is larger than {} MiB, which asl-lint does not read",
        MAX_FILE_SIZE / (1024 * 1024)
    )
}

/// The command line's decision on one file: the classifier's ([`asl_syntax::classify()`], which
/// the language server calls too), then the selection. A document that is neither a state
/// machine nor a host document is skipped (`None`) when met in a walk, and taken for a state
/// machine when named on the command line or read from standard input (`asl-lint cost` and
/// `graph` then say why it is not one; `check` first asks [`holds_no_state_machine`]). `name`
/// picks the dialect; a name without a JSON or YAML extension (`<stdin>`) has its dialect read
/// from the text.
pub fn classify_file(name: &str, text: &str, selection: Selection) -> Option<Classified> {
    classify_file_of(asl_syntax::classify(Some(name), None, text), selection)
}

fn classify_file_of(mut classified: Classified, selection: Selection) -> Option<Classified> {
    if classified.kind() == DocumentKind::Other {
        if selection == Selection::IfStateMachine {
            return None;
        }
        classified.class.kind = DocumentKind::StateMachine;
    }
    Some(classified)
}

/// Lints the bytes of one file: decodes them (not UTF-8 → one `invalid-json` finding), parses
/// once and analyses, as a state machine or, when it is one, as a host document (a
/// CloudFormation/SAM template) holding state machines. `None` when `selection` asks for a
/// state machine and the content is other JSON or YAML ([`classify_file`]).
pub fn lint_bytes(
    path: &str,
    bytes: Vec<u8>,
    selection: Selection,
    options: &Options,
) -> Option<Linted> {
    let (text, not_utf8) = match decode(bytes) {
        Ok(text) => (text, None),
        Err(NotUtf8 {
            text,
            range,
            message,
        }) => (text, Some((range, message))),
    };
    let classified = asl_syntax::classify(Some(path), None, &text);
    let other = classified.kind() == DocumentKind::Other;
    let mut classified = classify_file_of(classified, selection)?;
    let dialect = classified.dialect();
    if let Some((range, message)) = not_utf8 {
        return Some(Linted {
            diagnostics: vec![asl_analyzer::syntax_error(options, range, message)],
            text,
            definition_files: Vec::new(),
            host: None,
            dialect,
            no_state_machine: false,
        });
    }
    if other {
        let parse = classified
            .parse
            .take()
            .unwrap_or_else(|| asl_syntax::parse(&text, dialect));
        if holds_no_state_machine(&parse) {
            return Some(Linted {
                text,
                diagnostics: Vec::new(),
                definition_files: Vec::new(),
                host: None,
                dialect,
                no_state_machine: true,
            });
        }
        classified.parse = Some(parse);
    }
    let kind = classified.kind();
    let parse = classified.into_parse(&text);
    if let DocumentKind::Host(host) = kind {
        let analysis = analyze_host(host, &text, dialect, &parse, options);
        return Some(Linted {
            text,
            diagnostics: analysis.diagnostics,
            definition_files: analysis.files,
            host: Some(host),
            dialect,
            no_state_machine: false,
        });
    }
    let diagnostics = analyze_parsed(&text, dialect, &parse, options);
    Some(Linted {
        text,
        diagnostics,
        definition_files: Vec::new(),
        host: None,
        dialect,
        no_state_machine: false,
    })
}

/// Whether a named document that the classifier finds neither a state machine nor a host
/// document holds no state machine at all (a `package.json`, a `serverless.yml` without
/// `stepFunctions`, a template without state machine resources): it parses and its top level
/// has neither `StartAt` nor `States`. Such a file gets one note instead of findings. A text
/// that does not parse, or a top level with one of the two keys (`{"StartAt": "A"}`), is
/// linted as the broken state machine it may be.
pub fn holds_no_state_machine(parse: &asl_syntax::Parse) -> bool {
    parse
        .root
        .as_ref()
        .is_some_and(|root| root.get("StartAt").is_none() && root.get("States").is_none())
}

/// Bytes that are not UTF-8: the lossy text, where the first invalid sequence is and a message
/// saying so (with its line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// The text decoded lossily (U+FFFD where a sequence is invalid).
    pub text: String,
    /// The replacement character of the first invalid sequence, in `text`.
    pub range: TextRange,
    pub message: String,
}

/// Decodes a file's bytes as UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    String::from_utf8(bytes).map_err(not_utf8)
}

fn not_utf8(err: std::string::FromUtf8Error) -> NotUtf8 {
    let offset = err.utf8_error().valid_up_to();
    let bytes = err.into_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let index = LineIndex::new(&text);
    let at = TextSize::from(u32::try_from(offset).unwrap_or(u32::MAX));
    let pos = index.line_col(&text, at, Encoding::Utf32);
    let byte = bytes.get(offset).copied().unwrap_or(0);
    let message = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        "file is not valid UTF-8: it starts with a UTF-16 byte-order mark; save it as UTF-8"
            .to_owned()
    } else {
        format!(
            "file is not valid UTF-8: byte 0x{byte:02X} at line {}, column {} is not part of a UTF-8 character; save the file as UTF-8",
            pos.line + 1,
            pos.col + 1
        )
    };
    // The lossy text holds U+FFFD (3 bytes) where the invalid sequence starts.
    let width = text
        .get(offset..)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8);
    let range = TextRange::at(at, TextSize::from(width as u32));
    NotUtf8 {
        text,
        range,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walked_files_are_linted_only_when_classified() {
        let walked = |name: &str, text: &str| {
            classify_file(name, text, Selection::IfStateMachine).map(|c| c.kind())
        };
        assert_eq!(
            walked("a.json", r#" {"StartAt": "A", "States": {}}"#),
            Some(DocumentKind::StateMachine)
        );
        assert_eq!(
            walked("a.json5", "// c\n{StartAt: 'A', States: {}}"),
            Some(DocumentKind::StateMachine)
        );
        assert_eq!(walked("a.json", r#"["StartAt", "States"]"#), None);
        assert_eq!(walked("a.json", r#"{"name": "x"}"#), None);
        assert_eq!(
            walked(
                "t.json",
                r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine"}}}"#
            ),
            Some(DocumentKind::Host(asl_syntax::Host::CloudFormation))
        );
        assert_eq!(
            walked("flow.yaml", "StartAt: A\nStates: {}\n"),
            Some(DocumentKind::StateMachine)
        );
        assert_eq!(walked("ci.yaml", "on: push\njobs: {}\n"), None);
        // Named on the command line: linted whatever it is.
        let named = classify_file("ci.yaml", "on: push\n", Selection::Always).unwrap();
        assert_eq!(named.kind(), DocumentKind::StateMachine);
    }

    #[test]
    fn yaml_on_standard_input_is_read_as_yaml() {
        let text = b"StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Gone\n".to_vec();
        let linted = lint_bytes(
            crate::check::STDIN_NAME,
            text,
            Selection::Always,
            &Options::default(),
        )
        .unwrap();
        assert_eq!(linted.dialect, Dialect::Yaml);
        let codes: Vec<_> = linted.diagnostics.iter().map(|d| d.code()).collect();
        assert_eq!(codes, ["ASL104", "ASL101"], "{:?}", linted.diagnostics);
    }

    #[test]
    fn other_json_is_skipped_after_parse() {
        let options = Options::default();
        let nested = br#"{"Definition": {"StartAt": "A", "States": {}}}"#.to_vec();
        assert!(lint_bytes("t.json", nested, Selection::IfStateMachine, &options).is_none());
        let broken = br#"{"StartAt": "A", "States": {"#.to_vec();
        let linted = lint_bytes("t.json", broken, Selection::IfStateMachine, &options).unwrap();
        assert_eq!(linted.diagnostics[0].code(), "ASL001");
    }

    #[test]
    fn a_named_file_without_a_state_machine_is_noted_not_linted() {
        let options = Options::default();
        let named = |name: &str, text: &str| {
            lint_bytes(name, text.as_bytes().to_vec(), Selection::Always, &options).unwrap()
        };
        for (name, text) in [
            ("package.json", r#"{"name": "x", "version": "1.0.0"}"#),
            ("serverless.yml", "service: s\nprovider: {name: aws}\n"),
            (
                "template.yaml",
                "Resources:\n  F:\n    Type: AWS::Lambda::Function\n",
            ),
            (crate::check::STDIN_NAME, "name: x\n"),
        ] {
            let linted = named(name, text);
            assert!(linted.no_state_machine, "{name}: {:?}", linted.diagnostics);
            assert!(linted.diagnostics.is_empty());
        }
        // What may be a broken state machine is linted as one.
        let half = named("flow.json", r#"{"StartAt": "A"}"#);
        assert!(!half.no_state_machine);
        assert_eq!(half.diagnostics[0].code(), "ASL010");
        let broken = named("flow.json", r#"{"a": "#);
        assert!(!broken.no_state_machine);
        assert_eq!(broken.diagnostics[0].code(), "ASL001");
        // Met in a walk, it is skipped as before.
        let walked = lint_bytes(
            "package.json",
            br#"{"name": "x"}"#.to_vec(),
            Selection::IfStateMachine,
            &options,
        );
        assert!(walked.is_none());
    }

    #[test]
    fn invalid_utf8_is_a_finding() {
        let bytes = b"{\n  \"StartAt\": \"\xff\"}".to_vec();
        let linted =
            lint_bytes("t.asl.json", bytes, Selection::Always, &Options::default()).unwrap();
        let d = &linted.diagnostics[0];
        assert_eq!(d.code(), "ASL001");
        assert!(
            d.message.contains("byte 0xFF at line 2, column 15"),
            "{}",
            d.message
        );
        assert_eq!(&linted.text[d.range], "\u{fffd}");
    }
}
