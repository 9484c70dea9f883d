//! `asl-lint cost`: the cost estimate of each file (the model is documented in
//! [`asl_analyzer::cost`]).
//!
//! Files are found as `check` finds them. A file that cannot be read, is not UTF-8 or is not
//! valid JSON gets a one-line error on stderr and the others are still estimated; the exit
//! status is 2 when any file could not be estimated, else 0. `--format json` always prints an
//! array, one object per file.

use std::io::Write as _;
use std::path::Path;

use asl_analyzer::Graph;
use asl_analyzer::cost::{self, CostOptions, Estimate};
use asl_analyzer::embedded::workflow_type_of;
use asl_syntax::ast::Machine;
use asl_syntax::host::Host;
use asl_syntax::{DocumentKind, Encoding, LineIndex};
use serde_json::Value;

use crate::args::{ConfigArgs, CostArgs, CostFormat};
use crate::config::Settings;
use crate::exit::ExitStatus;
use crate::lint;
use crate::output::cost::{render_full, to_json};
use crate::walk::{self, Selection};

pub fn run(args: &CostArgs) -> ExitStatus {
    let config = ConfigArgs {
        config: args.config.clone(),
        no_config: args.no_config,
        warn: Vec::new(),
        deny: Vec::new(),
        allow: Vec::new(),
        levels: Vec::new(),
    };
    let settings = match Settings::new(&config, args.workflow_type) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitStatus::Error;
        }
    };
    let discovery = walk::discover(&args.paths);
    let mut errors: Vec<(String, String)> = discovery
        .errors
        .into_iter()
        .map(|e| (e.path, e.message))
        .collect();
    let mut full = String::new();
    let mut json = Vec::new();
    for candidate in &discovery.files {
        // The config decides which walked files count and their workflow type.
        let workflow_type = match settings.options_for(&candidate.path, candidate.explicit, false) {
            Ok(Some(o)) => o.workflow_type,
            Ok(None) => continue,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitStatus::Error;
            }
        };
        let options = CostOptions {
            map_items: args.map_items,
            workflow_type,
            price_per_1000: args.price_per_1000,
            ..CostOptions::default()
        };
        match estimate_file(
            &candidate.path,
            &candidate.display,
            candidate.selection,
            &options,
        ) {
            Ok(estimated) => {
                for Estimated { resource, estimate } in estimated {
                    match args.format {
                        CostFormat::Full => {
                            if !full.is_empty() {
                                full.push('\n');
                            }
                            let name = match &resource {
                                Some(id) => format!("{} ({id})", candidate.display),
                                None => candidate.display.clone(),
                            };
                            render_full(&mut full, &name, &estimate);
                        }
                        CostFormat::Json => {
                            let mut value = to_json(&candidate.display, &estimate);
                            if let (Some(id), Some(object)) = (resource, value.as_object_mut()) {
                                object.insert("resource".to_owned(), Value::String(id));
                            }
                            json.push(value);
                        }
                    }
                }
            }
            Err(message) => errors.push((candidate.display.clone(), message)),
        }
    }
    errors.sort();
    let stderr = std::io::stderr();
    let mut stderr = stderr.lock();
    for warning in &discovery.warnings {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    for (path, message) in &errors {
        let _ = match message.strip_prefix(POSITION) {
            Some(at) => writeln!(stderr, "error: {path}:{at}"),
            None => writeln!(stderr, "error: {path}: {message}"),
        };
    }
    drop(stderr);
    let text = match args.format {
        CostFormat::Full => full,
        CostFormat::Json => {
            let mut s = serde_json::to_string_pretty(&Value::Array(json)).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    let mut write_failed = false;
    if let Err(err) = std::io::stdout().lock().write_all(text.as_bytes())
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the results: {err}");
        write_failed = true;
    }
    if errors.is_empty() && !write_failed {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    }
}

/// Marks an error message that starts with `line:col:`, printed right after the path.
const POSITION: &str = "\u{0}";

/// One state machine's estimate; `resource` is its logical id in a template.
#[derive(Debug)]
pub struct Estimated {
    pub resource: Option<String>,
    pub estimate: Estimate,
}

/// Reads, decodes, parses and estimates one file: its state machine, or each state machine of
/// a host document (a CloudFormation/SAM template). Empty: a file met in a walk that is neither
/// (the classifier's decision, as `check`'s). `Err`: a message for stderr (a syntax error's
/// starts with [`POSITION`] and `line:col:`).
pub fn estimate_file(
    path: &Path,
    display: &str,
    selection: Selection,
    options: &CostOptions,
) -> Result<Vec<Estimated>, String> {
    let Some(bytes) = lint::read_file(path, selection)? else {
        return Ok(Vec::new());
    };
    let text = match lint::decode(bytes) {
        Ok(text) => text,
        // A walked file that is no state machine is skipped, UTF-8 or not.
        Err(err) => {
            return match lint::classify_file(display, &err.text, selection) {
                Some(_) => Err(err.message),
                None => Ok(Vec::new()),
            };
        }
    };
    estimate_text(display, &text, selection, options)
}

/// Classifies, parses and estimates a document named `name` (see [`estimate_file`]).
pub fn estimate_text(
    name: &str,
    text: &str,
    selection: Selection,
    options: &CostOptions,
) -> Result<Vec<Estimated>, String> {
    let Some(classified) = lint::classify_file(name, text, selection) else {
        return Ok(Vec::new());
    };
    let kind = classified.kind();
    let parse = classified.into_parse(text);
    if let DocumentKind::Host(host) = kind
        && !host.reads_tree()
    {
        return match &parse.error {
            // Its own language: the reader's message names it.
            Some(e) => Err(positioned(text, e.range.start(), &e.message)),
            None => estimate_host(host, text, parse.root.as_ref(), options),
        };
    }
    let Some(root) = &parse.root else {
        let (at, message) = parse
            .error
            .map(|e| (e.range.start(), e.message))
            .unwrap_or_default();
        return Err(positioned(text, at, &format!("invalid JSON: {message}")));
    };
    if let DocumentKind::Host(host) = kind {
        return estimate_host(host, text, Some(root), options);
    }
    if root.get("StartAt").is_none() || root.get("States").is_none() {
        return Err(
            "not a state machine: the top-level object needs `StartAt` and `States`".into(),
        );
    }
    Ok(vec![Estimated {
        resource: None,
        estimate: estimate_root(root, options),
    }])
}

/// An error message for a place in `text`: [`POSITION`], `line:col: `, the message.
fn positioned(text: &str, at: asl_syntax::TextSize, message: &str) -> String {
    let pos = LineIndex::new(text).line_col(text, at, Encoding::Utf32);
    format!("{POSITION}{}:{}: {message}", pos.line + 1, pos.col + 1)
}

fn estimate_root(root: &asl_syntax::Node, options: &CostOptions) -> Estimate {
    let machine = Machine::new(root);
    let graph = Graph::new(&machine);
    cost::estimate(&machine, &graph, options)
}

/// The state machines of a host document, each for its own workflow type when the host names
/// one. Definitions kept in other files or in S3 are not estimated here.
fn estimate_host(
    host: Host,
    text: &str,
    root: Option<&asl_syntax::Node>,
    options: &CostOptions,
) -> Result<Vec<Estimated>, String> {
    let mut out = Vec::new();
    for embedded in host.definitions(text, root) {
        let options = CostOptions {
            workflow_type: workflow_type_of(&embedded, options.workflow_type),
            ..options.clone()
        };
        let tree = match embedded.tree() {
            Ok(Some(tree)) => tree,
            Ok(None) => continue,
            Err(error) => {
                return Err(positioned(
                    text,
                    error.range.start(),
                    &format!(
                        "invalid JSON in the definition of `{}`: {}",
                        embedded.logical_id, error.message
                    ),
                ));
            }
        };
        out.push(Estimated {
            resource: Some(embedded.logical_id.to_string()),
            estimate: estimate_root(tree.root(), &options),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use asl_analyzer::WorkflowType;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = estimate_text(
            "sm.json",
            "{\n  \"StartAt\": ,",
            Selection::Always,
            &CostOptions::default(),
        )
        .unwrap_err();
        assert!(err.starts_with("\u{0}2:14: invalid JSON: "), "{err}");
    }

    #[test]
    fn templates_get_one_estimate_per_machine_and_placed_errors() {
        let yaml = "Resources:\n  A:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n      Definition:\n        StartAt: P\n        States:\n          P: {Type: Pass, End: true}\n  B:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: '{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}'\n";
        let found = estimate_text(
            "template.yaml",
            yaml,
            Selection::Always,
            &CostOptions::default(),
        )
        .unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|e| (e.resource.clone().unwrap(), e.estimate.workflow_type))
            .collect();
        assert_eq!(
            names,
            [
                ("A".to_owned(), WorkflowType::Express),
                ("B".to_owned(), WorkflowType::Standard)
            ]
        );
        let broken = yaml.replace("\"End\": true}}}", "\"End\": true}}");
        let err = estimate_text(
            "template.yaml",
            &broken,
            Selection::Always,
            &CostOptions::default(),
        )
        .err()
        .unwrap();
        assert!(
            err.starts_with("\u{0}13:") && err.contains("definition of `B`"),
            "{err:?}"
        );
    }
}
