//! One file's work: bytes in (read once), findings out (parsed once).

use std::io::Read;
use std::path::Path;

use asl_analyzer::embedded::{DefinitionFile, analyze_template};
use asl_analyzer::{Diagnostic, Options, analyze_parsed};
use asl_syntax::{Dialect, Encoding, LineIndex, TextRange, TextSize, template};
use memchr::memmem;

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
    /// The file is a CloudFormation/SAM template (its findings are in its definitions).
    pub template: bool,
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

/// Lints the bytes of one file: decodes them (not UTF-8 → one `invalid-json` finding), parses
/// once and analyses, as a state machine or, when it is one, as a CloudFormation/SAM template
/// holding state machines. `path` picks the dialect. `None` when `selection` asks for a state
/// machine and the content is other JSON or YAML.
pub fn lint_bytes(
    path: &str,
    bytes: Vec<u8>,
    selection: Selection,
    options: &Options,
) -> Option<Linted> {
    let dialect = Dialect::from_path(path);
    if selection == Selection::IfStateMachine && !may_be_state_machine(&bytes, dialect) {
        return None;
    }
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(err) => {
            return Some(Linted {
                diagnostics: vec![asl_analyzer::syntax_error(options, err.range, err.message)],
                text: err.text,
                definition_files: Vec::new(),
                template: false,
            });
        }
    };
    let parse = asl_syntax::parse(&text, dialect);
    if let Some(root) = &parse.root {
        let machine = root.get("StartAt").is_some() && root.get("States").is_some();
        if !machine && template::is_template(root) {
            let analysis = analyze_template(&text, dialect, &parse, options);
            return Some(Linted {
                text,
                diagnostics: analysis.diagnostics,
                definition_files: analysis.files,
                template: true,
            });
        }
        if selection == Selection::IfStateMachine && !machine {
            return None;
        }
    }
    let diagnostics = analyze_parsed(&text, dialect, &parse, options);
    Some(Linted {
        text,
        diagnostics,
        definition_files: Vec::new(),
        template: false,
    })
}

/// A cheap look at the bytes: a document mentioning `StartAt` and `States` (for JSON, an
/// object, or a leading comment), or a state machine resource of a template. The parse then
/// confirms.
pub fn may_be_state_machine(bytes: &[u8], dialect: Dialect) -> bool {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if dialect != Dialect::Yaml && !matches!(first, Some(b'{' | b'/')) {
        return false;
    }
    (memmem::find(body, b"StartAt").is_some() && memmem::find(body, b"States").is_some())
        || template::STATE_MACHINE_TYPES
            .iter()
            .any(|t| memmem::find(body, t.as_bytes()).is_some())
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
    fn sniffing() {
        let json = Dialect::Json;
        assert!(may_be_state_machine(
            br#" {"StartAt": "A", "States": {}}"#,
            json
        ));
        assert!(may_be_state_machine(
            b"// c\n{StartAt: 'A', States: {}}",
            json
        ));
        assert!(!may_be_state_machine(br#"["StartAt", "States"]"#, json));
        assert!(!may_be_state_machine(br#"{"name": "x"}"#, json));
        assert!(may_be_state_machine(
            br#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine"}}}"#,
            json
        ));
        assert!(may_be_state_machine(
            b"StartAt: A\nStates: {}\n",
            Dialect::Yaml
        ));
        assert!(!may_be_state_machine(
            b"on: push\njobs: {}\n",
            Dialect::Yaml
        ));
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
