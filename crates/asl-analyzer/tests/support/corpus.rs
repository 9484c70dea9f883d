//! The valid part of the shared corpus (`../shared/corpus`, beside the clone in CI), walked the
//! one way the corpus tests and the `aws_coverage` example all walk it: the folders
//! `valid-real`, `valid-fixtures`, `yaml` and `templates`, without files holding `_tbd_`
//! (LocalStack fills them in), single-state TestState documents (no `StartAt`/`States`) and the
//! files `tests/corpus-skip.txt` lists with a reason. Also every state machine definition such a
//! file holds: the file itself, or a template's `Definition` objects and `DefinitionString`s.
//!
//! Shared by `#[path]` (`mod support;` in a test, `#[path = "../tests/support/corpus.rs"]` in an
//! example); each user takes what it needs.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use asl_analyzer::embedded::analyze_host;
use asl_analyzer::resource::{self, Resource};
use asl_analyzer::spec::integrations::{
    OptimizedService, aws_sdk_service, operation_name, sdk_action_unsupported,
};
use asl_analyzer::{Diagnostic, Options, analyze};
use asl_syntax::host::{Definition, SourceMap};
use asl_syntax::{Dialect, Host, Node, is_templated};

/// The folders whose files must give no error.
pub const VALID: [&str; 4] = ["valid-real", "valid-fixtures", "yaml", "templates"];

/// The shared corpus beside the workspace, or `None` after saying that `test` skipped. The line
/// goes straight to the process's stderr, which the test harness does not capture (it keeps
/// `eprintln!` output for failing tests only), so a plain `cargo test` shows every skip.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "skipped: {test}: {} not found (the shared corpus sits beside the clone in CI)",
        dir.display()
    );
    None
}

/// The files `MANIFEST.tsv` records as accepted by AWS and failing at run time (LocalStack's
/// AWS-validated snapshots: "fails only at RUN time (path not found in input)"), relative to the
/// corpus. Valid definitions, on which only the run-time rules ([`RUN_TIME_RULES`]) may report
/// an error: that recorded failure, found before the run.
pub fn run_time_failures(root: &Path) -> std::collections::HashSet<String> {
    let manifest = std::fs::read_to_string(root.join("MANIFEST.tsv")).unwrap_or_default();
    manifest
        .lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let note = cols.get(6)?;
            note.contains("fails only at RUN time")
                .then(|| cols.get(1).map(|p| (*p).to_owned()))
                .flatten()
        })
        .collect()
}

/// The rules whose errors are an execution's failure (a path the payload cannot have).
pub const RUN_TIME_RULES: &[&str] = &["ASL330", "ASL331"];

/// `tests/corpus-skip.txt`: path relative to the corpus → reason. Panics on a malformed line.
pub fn skip_list() -> HashMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus-skip.txt");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("tests/corpus-skip.txt: {e}"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let Some((path, reason)) = l.split_once('\t') else {
                panic!("skip line: <path><TAB><reason>: {l}");
            };
            assert!(
                !reason.trim().is_empty(),
                "{path}: a skipped file needs a reason"
            );
            (path.to_owned(), reason.to_owned())
        })
        .collect()
}

/// Every file under `dir`, recursively, in no particular order.
pub fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A file of the valid corpus.
pub struct CorpusFile {
    /// Relative to the corpus, with `/` separators (`templates/x/y.yaml`).
    pub rel: String,
    pub text: String,
}

impl CorpusFile {
    /// A CloudFormation/SAM template (the `templates` folder), whose definitions are embedded.
    pub fn is_template(&self) -> bool {
        self.rel.starts_with("templates/")
    }

    pub fn dialect(&self) -> Dialect {
        Dialect::from_path(&self.rel)
    }
}

/// The files of the valid corpus, sorted by folder then path, and how many of them the skip
/// list left out (each of its lines should be used once).
pub fn valid_files(root: &Path, skip: &HashMap<String, String>) -> (Vec<CorpusFile>, usize) {
    let mut out = Vec::new();
    let mut used_skips = 0;
    for category in VALID {
        let mut list = Vec::new();
        files(&root.join(category), &mut list);
        list.sort();
        for path in list {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if text.contains("_tbd_") || !(text.contains("StartAt") && text.contains("States")) {
                continue;
            }
            if skip.contains_key(&rel) {
                used_skips += 1;
                continue;
            }
            out.push(CorpusFile { rel, text });
        }
    }
    (out, used_skips)
}

/// Analyses a corpus file as the CLI does: a template's definitions, or the file as a state
/// machine.
pub fn lint(text: &str, rel: &str) -> Vec<Diagnostic> {
    let dialect = Dialect::from_path(rel);
    if rel.starts_with("templates/") {
        let parse = asl_syntax::parse(text, dialect);
        analyze_host(
            Host::CloudFormation,
            text,
            dialect,
            &parse,
            &Options::default(),
        )
        .diagnostics
    } else {
        analyze(text, dialect, &Options::default())
    }
}

/// One state machine definition of a corpus file, with the text its ranges are in.
pub struct Def<'d> {
    /// The text `root`'s ranges are in: the file's, or a decoded `DefinitionString`.
    pub text: &'d str,
    pub root: &'d Node,
    /// The JSON Pointer of the definition in the file (`""` for the file itself), which prefixes
    /// the pointers of findings in it.
    pub pointer: &'d str,
    /// For a decoded `DefinitionString`: where each byte of `text` is in the file.
    pub map: Option<&'d SourceMap>,
    /// Where it is, for messages: the file, or `file#pointer`.
    pub label: String,
}

impl Def<'_> {
    /// The range in the file of a range of `text`.
    pub fn file_range(&self, range: asl_syntax::TextRange) -> asl_syntax::TextRange {
        match self.map {
            Some(map) => map.range(range),
            None => range,
        }
    }
}

/// Calls `each` with every state machine definition of `file` that parses: the file itself, or
/// each definition a template holds as an object or a `DefinitionString` (definitions in other
/// files, in S3 or built at deployment are not read here). Returns how many definitions of a
/// template could not be read (`DefinitionUri`, S3, intrinsics, not decodable).
pub fn for_each_definition(file: &CorpusFile, mut each: impl FnMut(&Def<'_>)) -> usize {
    let parse = asl_syntax::parse(&file.text, file.dialect());
    let Some(root) = &parse.root else {
        return 0;
    };
    if !file.is_template() {
        each(&Def {
            text: &file.text,
            root,
            pointer: "",
            map: None,
            label: file.rel.clone(),
        });
        return 0;
    }
    let mut unread = 0;
    for embedded in Host::CloudFormation.definitions(&file.text, Some(root)) {
        let label = format!("{}#{}", file.rel, embedded.pointer);
        match &embedded.definition {
            Definition::Object { node, .. } => each(&Def {
                text: &file.text,
                root: node,
                pointer: &embedded.pointer,
                map: None,
                label,
            }),
            Definition::Text(decoded) => {
                match asl_syntax::parse(&decoded.text, Dialect::Json).root {
                    Some(inner) => each(&Def {
                        text: &decoded.text,
                        root: &inner,
                        pointer: &embedded.pointer,
                        map: Some(&decoded.map),
                        label,
                    }),
                    None => unread += 1,
                }
            }
            Definition::File { .. } | Definition::Elsewhere { .. } | Definition::Missing => {
                unread += 1;
            }
        }
    }
    unread
}

/// What a Task's `Resource` resolves to.
pub enum Class<'a> {
    /// A Lambda function ARN (`arn:aws:lambda:...:function:<name>`; a name or qualifier that a
    /// template fills in included).
    Lambda,
    /// An activity ARN.
    Activity,
    /// An optimized integration whose API the integration offers (`dynamodb:putItem`); `api` is
    /// a slice of the `Resource` string.
    Optimized {
        service: &'static OptimizedService,
        api: &'a str,
    },
    /// The HTTP task (`http:invoke`), a slice of the `Resource` string as `api`.
    Http { api: &'a str },
    /// An `aws-sdk` integration whose service and operation the AWS model knows; `action` is a
    /// slice of the `Resource` string. `pascal`: written in PascalCase (`GetObject`), which
    /// `unknown-integration` warns about.
    Sdk {
        model: Arc<asl_aws::Service>,
        action: &'a str,
        operation: String,
        pascal: bool,
    },
    /// Filled in before deployment: a `${...}` substitution, a CloudFormation intrinsic, a
    /// `<...>` or `{...}` part, a value that is no ARN (`__tbd__`); says which.
    Templated(&'static str),
    /// Resolves to no known operation, and why.
    Unresolved(String),
}

impl Class<'_> {
    /// The class's name in reports.
    pub fn name(&self) -> &'static str {
        match self {
            Class::Lambda => "Lambda function ARN",
            Class::Activity => "activity",
            Class::Optimized { .. } => "optimized integration, known API",
            Class::Http { .. } => "http:invoke",
            Class::Sdk { pascal: false, .. } => "aws-sdk, operation in the AWS model",
            Class::Sdk { pascal: true, .. } => {
                "aws-sdk, operation in the AWS model, written PascalCase"
            }
            Class::Templated(_) => "templated / placeholder",
            Class::Unresolved(_) => "not resolving",
        }
    }

    /// Whether it names a known Lambda function, activity, integration API or SDK operation.
    pub fn resolves(&self) -> bool {
        !matches!(self, Class::Templated(_) | Class::Unresolved(_))
    }
}

/// A part of an ARN that a template fills in (`${Api}`, `<api>`, `{api}`).
fn filled_in_later(part: &str) -> bool {
    is_templated(part) || part.starts_with('<') || part.starts_with('{')
}

/// Classifies a Task's `Resource` value (`None`: the Task has no `Resource`).
pub fn classify_resource(value: Option<&Node>) -> Class<'_> {
    let Some(value) = value else {
        return Class::Unresolved("the Task has no `Resource`".to_owned());
    };
    if value.is_cfn_intrinsic() {
        return Class::Templated("CloudFormation intrinsic");
    }
    let Some(text) = value.as_str() else {
        return Class::Unresolved("the `Resource` is not a string".to_owned());
    };
    let Some(classified) = resource::classify(text) else {
        return Class::Templated(if is_templated(text) {
            "`${...}` substitution"
        } else {
            "not an ARN (a placeholder)"
        });
    };
    let resource = match classified {
        Ok(r) => r,
        Err(malformed) => return Class::Unresolved(format!("malformed: {}", malformed.message)),
    };
    match resource {
        Resource::LambdaFunction => Class::Lambda,
        Resource::Activity => Class::Activity,
        Resource::Other => {
            let service = text.split(':').nth(2).unwrap_or_default();
            if filled_in_later(service) || text.contains("${") {
                Class::Templated("`${...}` in the ARN")
            } else {
                Class::Unresolved(format!(
                    "an ARN of `{service}`, not a Step Functions resource"
                ))
            }
        }
        Resource::Optimized { service, api, .. } => {
            if filled_in_later(service) || filled_in_later(api) {
                return Class::Templated("templated service or API");
            }
            let Some(row) = resource::optimized(service) else {
                return Class::Unresolved(format!("`{service}` is no optimized integration"));
            };
            if row.action(api).is_none() {
                return Class::Unresolved(format!(
                    "the {} integration has no API `{api}`",
                    row.title
                ));
            }
            if row.name == "http" {
                Class::Http { api }
            } else {
                Class::Optimized { service: row, api }
            }
        }
        Resource::Sdk {
            service, action, ..
        } => {
            if filled_in_later(service) || filled_in_later(action) {
                return Class::Templated("templated service or action");
            }
            let Some(sdk) = aws_sdk_service(service) else {
                return Class::Unresolved(format!(
                    "`aws-sdk:{service}` is not a Step Functions SDK service name"
                ));
            };
            if sdk.deprecated {
                return Class::Unresolved(format!(
                    "`aws-sdk:{service}` is a deprecated SDK integration"
                ));
            }
            let Some(model) = asl_aws::service(sdk.botocore_id) else {
                return Class::Unresolved(format!(
                    "`{}` is retired: the AWS model no longer has it",
                    sdk.botocore_id
                ));
            };
            let pascal = action.starts_with(|c: char| c.is_ascii_uppercase());
            let operation = operation_name(action);
            if model.operation(&operation).is_none() {
                return Class::Unresolved(format!(
                    "{} has no operation `{operation}`",
                    model.full_name
                ));
            }
            if sdk_action_unsupported(service, &operation) {
                return Class::Unresolved(format!(
                    "Step Functions does not support `{operation}` of `aws-sdk:{service}`"
                ));
            }
            Class::Sdk {
                model,
                action,
                operation,
                pascal,
            }
        }
    }
}
