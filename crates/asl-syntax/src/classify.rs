//! The one decision the command line and the language server share: is a document a state
//! machine, a host document holding state machines (a CloudFormation/SAM template, see
//! [`crate::host`]), or neither, and in which [`Dialect`] is it read?
//!
//! [`classify`] takes what both faces know (a file name or URI, an editor's language id, the
//! text) and does no IO. The decision, in order:
//!
//! 1. The dialect: an editor's `jsonc`, `json5`, `yaml` or `asl-yaml` language id; else the
//!    name's extension (`.jsonc`, `.json5`, `.yaml`/`.yml`, `.json`); else, for a name without
//!    one (standard input), the text: YAML when it opens like a YAML mapping or document
//!    (`StartAt: A`, `---`), JSON otherwise.
//! 2. A name ending in `.asl.json`, `.asl.jsonc`, `.asl.json5`, `.asl.yaml` or `.asl.yml`, or the
//!    language id `asl` or `asl-yaml`, is a state machine whatever its content.
//! 3. A host document by name: a `*.tf` file, or the language id `terraform` or `hcl`
//!    ([`Host::named`]), is a Terraform configuration when its text mentions
//!    `"aws_sfn_state_machine"` or the step-functions module (a byte scan), else neither; its parse
//!    is the host's own ([`Host::parse`]: the HCL syntax error, no JSON/YAML tree). An editor
//!    document of another language (`plaintext`, `markdown`, …) is neither.
//! 4. Otherwise the content decides. A cheap look first: the text mentions `StartAt` and
//!    `States` (a JSON text must open with `{` or a comment), or a host's words (a
//!    CloudFormation state machine resource type, Serverless's `stateMachines`;
//!    [`Host::mentioned`]). Then
//!    the parse: a top-level object with `StartAt` and `States` is a state machine; else a host
//!    document when a host recognises the tree ([`Host::of`]); else neither. A text that does not
//!    parse is a state machine when it mentions `StartAt` and `States` (so its syntax error is
//!    reported), else a host document when it mentions a host's words.
//!
//! The parse made to decide is handed back ([`Classified::parse`]), so a caller parses once.

use crate::host::Host;
use crate::{Dialect, Parse, parse};

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// A state machine definition (or what is meant to be one: it may be broken).
    StateMachine,
    /// A host document that embeds state machine definitions.
    Host(Host),
    /// Some other JSON or YAML document (a `package.json`, a CI workflow).
    Other,
}

/// What a document is and how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Classification {
    pub kind: DocumentKind,
    pub dialect: Dialect,
    /// The name or language id says it is a state machine (step 2): the content was not read.
    pub by_name: bool,
}

/// A [`Classification`], with the parse made to decide it (when one was made).
#[derive(Debug, Clone)]
pub struct Classified {
    pub class: Classification,
    /// The parse of the text in [`Classification::dialect`], when deciding needed it.
    pub parse: Option<Parse>,
}

impl Classified {
    pub fn kind(&self) -> DocumentKind {
        self.class.kind
    }

    pub fn dialect(&self) -> Dialect {
        self.class.dialect
    }

    /// The parse of `text` (the text classified): the one made to decide, else a new one.
    pub fn into_parse(self, text: &str) -> Parse {
        match (self.parse, self.class.kind) {
            (Some(parse), _) => parse,
            (None, DocumentKind::Host(host)) => host.parse(text, self.class.dialect),
            (None, _) => parse(text, self.class.dialect),
        }
    }
}

/// What a file name says, before the content is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameClass {
    /// `*.asl.json`, `*.asl.jsonc`, `*.asl.json5`, `*.asl.yaml`, `*.asl.yml`: a state machine.
    StateMachine,
    /// Another `*.json`, `*.jsonc`, `*.json5`, `*.yaml` or `*.yml`: the content decides.
    JsonOrYaml,
    /// A host's own kind of file (Terraform's `*.tf`, see [`Host::named`]): the content decides.
    Host,
    /// Any other name.
    Other,
}

const ASL_SUFFIXES: [&str; 5] = [
    ".asl.json",
    ".asl.jsonc",
    ".asl.json5",
    ".asl.yaml",
    ".asl.yml",
];

/// What a file name (or a URI's path) says. Letter case does not matter.
pub fn name_class(name: &str) -> NameClass {
    let lower = name_path(name).to_ascii_lowercase();
    if ASL_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
        NameClass::StateMachine
    } else if Dialect::from_extension(&lower).is_some() {
        NameClass::JsonOrYaml
    } else if Host::named(Some(&lower), None).is_some() {
        NameClass::Host
    } else {
        NameClass::Other
    }
}

/// A URI without its query and fragment; a plain path as it is.
pub(crate) fn name_path(name: &str) -> &str {
    if name.contains("://") || name.starts_with("untitled:") {
        name.split(['?', '#']).next().unwrap_or(name)
    } else {
        name
    }
}

/// Classifies a document. `name`: its file name, path or URI, if it has one (standard input
/// without `--stdin-filename` has none). `language_id`: the editor's language id, if any (the
/// command line has none).
pub fn classify(name: Option<&str>, language_id: Option<&str>, text: &str) -> Classified {
    let names = name.map(name_class).unwrap_or(NameClass::Other);
    let dialect = dialect(name, language_id, text);
    let decided = |kind| Classified {
        class: Classification {
            kind,
            dialect,
            by_name: kind == DocumentKind::StateMachine,
        },
        parse: None,
    };
    if names == NameClass::StateMachine || matches!(language_id, Some("asl" | "asl-yaml")) {
        return decided(DocumentKind::StateMachine);
    }
    if let Some(host) = Host::named(name, language_id) {
        let kind = if host.mentions(text) {
            DocumentKind::Host(host)
        } else {
            DocumentKind::Other
        };
        // Not JSON or YAML: no dialect is read from the text (none applies).
        let dialect = Dialect::Json;
        return Classified {
            class: Classification {
                kind,
                dialect,
                by_name: false,
            },
            parse: (kind != DocumentKind::Other).then(|| host.parse(text, dialect)),
        };
    }
    if language_id.is_some_and(|id| !matches!(id, "json" | "jsonc" | "json5" | "yaml")) {
        return decided(DocumentKind::Other);
    }
    let machine_words = mentions_state_machine(text, dialect);
    let host_words = Host::mentioned(text);
    let by_content = |kind, parse| Classified {
        class: Classification {
            kind,
            dialect,
            by_name: false,
        },
        parse,
    };
    if !machine_words && host_words.is_none() {
        return by_content(DocumentKind::Other, None);
    }
    let parsed = parse(text, dialect);
    let kind = match &parsed.root {
        Some(root) if root.get("StartAt").is_some() && root.get("States").is_some() => {
            DocumentKind::StateMachine
        }
        Some(root) => Host::of(root).map_or(DocumentKind::Other, DocumentKind::Host),
        None if machine_words => DocumentKind::StateMachine,
        // A host not always written in JSON or YAML (Terraform's `.tf.json` is) is recognised
        // by its tree or, for its own language, by name, above.
        None => host_words
            .filter(|h| h.reads_tree())
            .map_or(DocumentKind::Other, DocumentKind::Host),
    };
    by_content(kind, Some(parsed))
}

/// The dialect of step 1.
fn dialect(name: Option<&str>, language_id: Option<&str>, text: &str) -> Dialect {
    match language_id {
        Some("jsonc") => return Dialect::Jsonc,
        Some("json5") => return Dialect::Json5,
        Some("yaml" | "asl-yaml") => return Dialect::Yaml,
        _ => {}
    }
    if let Some(dialect) = name.and_then(|n| Dialect::from_extension(name_path(n))) {
        return dialect;
    }
    if language_id.is_some() || !looks_like_yaml(text) {
        Dialect::Json
    } else {
        Dialect::Yaml
    }
}

/// The text's first significant line opens a YAML document (`---`, `%YAML`) or a block
/// mapping (`StartAt: A`, `"States":`), not a JSON value.
fn looks_like_yaml(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(line) = text
        .lines()
        .map(str::trim_end)
        .find(|l| !l.trim_start().is_empty() && !l.trim_start().starts_with('#'))
    else {
        return false;
    };
    let line = line.trim_start();
    if line.starts_with("---") || line.starts_with("%YAML") {
        return true;
    }
    if line.starts_with(['{', '[', '/']) {
        return false;
    }
    // A mapping key: a quoted or plain key followed by `:` and a space or the line's end.
    let is_colon = |rest: &str| {
        rest.strip_prefix(':')
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
    };
    if let Some(quote) = line.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        // The quoted key's end (a doubled `''` or an escaped `\"` does not end it; close
        // enough for a first line).
        let body = line.get(1..).unwrap_or("");
        return body
            .match_indices(quote)
            .any(|(i, _)| body.get(i + 1..).is_some_and(is_colon));
    }
    line.match_indices(':')
        .any(|(i, _)| i > 0 && line.get(i..).is_some_and(is_colon))
}

/// The cheap look of step 4: `StartAt` and `States` in the text, which for JSON must open with
/// an object or a comment.
fn mentions_state_machine(text: &str, dialect: Dialect) -> bool {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = body.trim_start().as_bytes().first();
    if dialect != Dialect::Yaml && !matches!(first, Some(b'{' | b'/')) {
        return false;
    }
    body.contains("StartAt") && body.contains("States")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn kind(name: Option<&str>, language_id: Option<&str>, text: &str) -> (DocumentKind, Dialect) {
        let c = classify(name, language_id, text).class;
        (c.kind, c.dialect)
    }

    const SM: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
    const SM_YAML: &str = "StartAt: A\nStates:\n  A:\n    Type: Succeed\n";
    const CFN: &str = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n";

    #[test]
    fn names_decide_first() {
        use DocumentKind::*;
        assert_eq!(
            kind(Some("a.asl.json"), None, "not json"),
            (StateMachine, Dialect::Json)
        );
        assert_eq!(
            kind(Some("dir/A.ASL.YML"), None, ""),
            (StateMachine, Dialect::Yaml)
        );
        assert_eq!(
            kind(Some("untitled:1"), Some("asl"), ""),
            (StateMachine, Dialect::Json)
        );
        assert!(classify(Some("a.asl.jsonc"), None, "{}").class.by_name);
        assert_eq!(name_class("x/a.asl.json5"), NameClass::StateMachine);
        assert_eq!(name_class("package.json"), NameClass::JsonOrYaml);
        assert_eq!(name_class("README.md"), NameClass::Other);
        assert_eq!(
            name_class("file:///x/a.asl.yaml?v=1#top"),
            NameClass::StateMachine
        );
    }

    #[test]
    fn content_decides_for_other_json_and_yaml() {
        use DocumentKind::*;
        assert_eq!(
            kind(Some("flow.json"), None, SM),
            (StateMachine, Dialect::Json)
        );
        assert_eq!(
            kind(Some("flow.yaml"), None, SM_YAML),
            (StateMachine, Dialect::Yaml)
        );
        assert_eq!(
            kind(Some("flow.yaml"), Some("yaml"), SM_YAML),
            (StateMachine, Dialect::Yaml)
        );
        assert_eq!(
            kind(Some("template.yml"), None, CFN),
            (Host(crate::host::Host::CloudFormation), Dialect::Yaml)
        );
        assert_eq!(
            kind(Some("package.json"), None, r#"{"name": "x"}"#),
            (Other, Dialect::Json)
        );
        assert_eq!(
            kind(
                Some("serverless.yml"),
                None,
                "stepFunctions:\n  stateMachines:\n    m:\n      definition: {}\n"
            ),
            (Host(crate::host::Host::Serverless), Dialect::Yaml)
        );
        assert_eq!(kind(Some("serverless.yml"), None, "service: s\n").0, Other);
        // Mentioned but not at the top level.
        assert_eq!(
            kind(
                Some("t.json"),
                None,
                r#"{"Definition": {"StartAt": "A", "States": {}}}"#
            ),
            (Other, Dialect::Json)
        );
        // Broken: a state machine when it mentions both keys.
        assert_eq!(
            kind(Some("t.json"), None, r#"{"StartAt": "A", "States": {"#),
            (StateMachine, Dialect::Json)
        );
        assert_eq!(kind(Some("ci.yaml"), None, "on: push\n").0, Other);
        assert_eq!(
            kind(Some("a.json"), None, r#"["StartAt", "States"]"#).0,
            Other
        );
        assert_eq!(kind(Some("sm.json"), Some("plaintext"), SM).0, Other);
        assert_eq!(kind(Some("sm.json"), Some("jsonc"), SM).1, Dialect::Jsonc);
    }

    #[test]
    fn a_text_without_a_name_is_sniffed() {
        use DocumentKind::*;
        assert_eq!(kind(None, None, SM), (StateMachine, Dialect::Json));
        assert_eq!(kind(None, None, SM_YAML), (StateMachine, Dialect::Yaml));
        assert_eq!(
            kind(None, None, &format!("# c\n---\n{SM_YAML}")),
            (StateMachine, Dialect::Yaml)
        );
        assert_eq!(kind(None, None, "// c\n{}").1, Dialect::Json);
        assert_eq!(kind(None, None, "garbage").1, Dialect::Json);
        assert_eq!(kind(None, None, "").1, Dialect::Json);
        assert_eq!(kind(Some("<stdin>"), None, CFN).1, Dialect::Yaml);
        assert_eq!(kind(None, None, "\"a: b\"").1, Dialect::Json);
        assert_eq!(kind(None, None, "\"StartAt\": A\n").1, Dialect::Yaml);
    }

    #[test]
    fn terraform_is_recognised_by_name_or_language_id_then_by_its_words() {
        use DocumentKind::*;
        let tf = "resource \"aws_sfn_state_machine\" \"x\" {\n  definition = jsonencode({})\n}\n";
        let terraform = Host(crate::host::Host::Terraform);
        assert_eq!(kind(Some("main.tf"), None, tf).0, terraform);
        assert_eq!(kind(Some("file:///x/MAIN.TF"), None, tf).0, terraform);
        assert_eq!(kind(Some("untitled:1"), Some("terraform"), tf).0, terraform);
        assert_eq!(kind(Some("x.hcl"), Some("hcl"), tf).0, terraform);
        assert_eq!(
            kind(
                Some("main.tf"),
                None,
                "resource \"aws_sqs_queue\" \"q\" {}\n"
            )
            .0,
            Other
        );
        // Another language id decides: not Terraform.
        assert_eq!(kind(Some("main.tf"), Some("plaintext"), tf).0, Other);
        // The words in JSON or YAML are no Terraform document.
        assert_eq!(
            kind(Some("notes.json"), None, "{\"aws_sfn_state_machine\": ").0,
            Other
        );
        assert_eq!(name_class("main.tf"), NameClass::Host);
        assert_eq!(name_class("main.tfvars"), NameClass::Other);
        // The parse handed back is the HCL reader's: no tree, its error if any.
        let broken = classify(
            Some("main.tf"),
            None,
            "resource \"aws_sfn_state_machine\" \"x\" {\n",
        );
        let parse = broken.parse.unwrap();
        assert!(parse.root.is_none());
        assert!(parse.error.unwrap().message.starts_with("invalid HCL"));
        let good = classify(Some("main.tf"), None, tf).into_parse(tf);
        assert!(good.root.is_none() && good.error.is_none());
    }

    #[test]
    fn the_parse_is_handed_back() {
        let c = classify(Some("flow.yaml"), None, SM_YAML);
        assert!(c.parse.as_ref().is_some_and(|p| p.root.is_some()));
        let named = classify(Some("flow.asl.json"), None, SM);
        assert!(named.parse.is_none());
        assert!(named.into_parse(SM).root.is_some());
    }
}
