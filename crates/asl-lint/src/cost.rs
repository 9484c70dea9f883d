//! `asl-lint cost`: the cost estimate of each file (the model is documented in
//! [`asl_analyzer::cost`]).
//!
//! Files are found as `check` finds them. A file that cannot be read, is not UTF-8 or is not
//! valid JSON gets a one-line error on stderr and the others are still estimated; the exit
//! status is 2 when any file could not be estimated, else 0. `--format json` always prints an
//! array, one object per file.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use asl_analyzer::Graph;
use asl_analyzer::WorkflowType;
use asl_analyzer::cost::{
    self, CostOptions, DEFAULT_MAP_CONCURRENCY, EXPRESS_INCREMENT_SECONDS, EXPRESS_MEMORY_GB,
    EXPRESS_PRICE_PER_GB_SECOND, EXPRESS_PRICE_PER_REQUEST, Estimate, Figures, HISTORY_LIMIT,
};
use asl_syntax::ast::Machine;
use asl_syntax::template::{self, Definition};
use asl_syntax::{Dialect, Encoding, LineIndex};
use serde_json::{Value, json};

use crate::args::{ConfigArgs, CostArgs, CostFormat};
use crate::config::Settings;
use crate::exit::ExitStatus;
use crate::lint;
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
    if let Err(err) = std::io::stdout().lock().write_all(text.as_bytes()) {
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the results: {err}");
            write_failed = true;
        }
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
/// a CloudFormation/SAM template. Empty: a file met in a walk that is neither. `Err`: a message
/// for stderr (a syntax error's starts with [`POSITION`] and `line:col:`).
pub fn estimate_file(
    path: &Path,
    display: &str,
    selection: Selection,
    options: &CostOptions,
) -> Result<Vec<Estimated>, String> {
    let Some(bytes) = lint::read_file(path, selection)? else {
        return Ok(Vec::new());
    };
    if selection == Selection::IfStateMachine
        && !lint::may_be_state_machine(&bytes, Dialect::from_path(display))
    {
        return Ok(Vec::new());
    }
    let text = lint::decode(bytes).map_err(|e| e.message)?;
    estimate_text(&text, Dialect::from_path(display), selection, options)
}

/// Parses and estimates a document (see [`estimate_file`]).
pub fn estimate_text(
    text: &str,
    dialect: Dialect,
    selection: Selection,
    options: &CostOptions,
) -> Result<Vec<Estimated>, String> {
    let parse = asl_syntax::parse(text, dialect);
    let Some(root) = &parse.root else {
        let (at, message) = parse
            .error
            .map(|e| (e.range.start(), e.message))
            .unwrap_or_default();
        return Err(positioned(text, at, &format!("invalid JSON: {message}")));
    };
    let is_machine = root.get("StartAt").is_some() && root.get("States").is_some();
    if !is_machine && template::is_template(root) {
        return estimate_template(text, root, options);
    }
    if !is_machine {
        return match selection {
            Selection::IfStateMachine => Ok(Vec::new()),
            Selection::Always => {
                Err("not a state machine: the top-level object needs `StartAt` and `States`".into())
            }
        };
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

/// The state machines of a template, each for its own workflow type when the template names
/// one. Definitions kept in other files or in S3 are not estimated here.
fn estimate_template(
    text: &str,
    root: &asl_syntax::Node,
    options: &CostOptions,
) -> Result<Vec<Estimated>, String> {
    let mut out = Vec::new();
    for embedded in template::definitions(text, root) {
        let mut options = options.clone();
        if let Some(t) = embedded
            .workflow_type
            .and_then(asl_analyzer::embedded::workflow_type_named)
        {
            options.workflow_type = t;
        }
        let estimate = match &embedded.definition {
            Definition::Object { node, .. } => estimate_root(node, &options),
            Definition::Text(decoded) => {
                let parse = asl_syntax::parse(&decoded.text, Dialect::Json);
                let Some(root) = &parse.root else {
                    let (at, message) = parse
                        .error
                        .map(|e| (decoded.map.range(e.range).start(), e.message))
                        .unwrap_or_default();
                    return Err(positioned(
                        text,
                        at,
                        &format!(
                            "invalid JSON in the definition of `{}`: {message}",
                            embedded.logical_id
                        ),
                    ));
                };
                estimate_root(root, &options)
            }
            Definition::File { .. } | Definition::Elsewhere { .. } | Definition::Missing => {
                continue;
            }
        };
        out.push(Estimated {
            resource: Some(embedded.logical_id.to_owned()),
            estimate,
        });
    }
    Ok(out)
}

fn figure_json<T: Into<Value> + Copy>(f: Figures<T>) -> Value {
    json!({
        "min": f.min.map(Into::into),
        "max": f.max.map(Into::into),
        "max_with_retries": f.max_with_retries.map(Into::into),
    })
}

/// A price rounded to 10 significant digits, so `75.00000000000001` reads `75.0`.
fn rounded(price: f64) -> f64 {
    format!("{price:.9e}").parse().unwrap_or(price)
}

/// The JSON object of one file (see docs/cli.md).
pub fn to_json(file: &str, e: &Estimate) -> Value {
    let cost = e.cost();
    let mut cost_usd = json!({
        "per_execution": figure_json(cost.per_execution.map(rounded)),
        "per_million_executions": figure_json(cost.per_million_executions.map(rounded)),
        "price_per_1000_transitions": e.options.price_per_1000,
    });
    if e.workflow_type == WorkflowType::Express {
        if let Some(obj) = cost_usd.as_object_mut() {
            obj.insert("price_per_request".into(), json!(EXPRESS_PRICE_PER_REQUEST));
            obj.insert(
                "price_per_gb_second".into(),
                json!(EXPRESS_PRICE_PER_GB_SECOND),
            );
            obj.insert("memory_gb".into(), json!(EXPRESS_MEMORY_GB));
            obj.insert(
                "billing_increment_seconds".into(),
                json!(EXPRESS_INCREMENT_SECONDS),
            );
        }
    }
    let events = e.history.events;
    json!({
        "file": file,
        "workflow_type": e.workflow_type.as_str(),
        "map_items": e.options.map_items,
        "transitions": figure_json(e.transitions),
        "cost_usd": cost_usd,
        "duration_seconds": figure_json(e.duration_seconds),
        "assumed_task_seconds": e.options.task_seconds,
        "history_events": {
            "min": events.min,
            "max": events.max,
            "max_with_retries": events.max_with_retries,
            "limit": HISTORY_LIMIT,
            "exceeds_limit": e.history.exceeds_limit,
        },
        "min_reason": e.min_reason,
        "unbounded": e.cycle.as_ref().map(|c| json!({"cycle": c.states, "scope": c.scope})),
        "distributed_maps": e.distributed_maps.iter().map(|m| json!({
            "name": m.name,
            "execution_type": m.execution_type,
        })).collect::<Vec<_>>(),
        "notes": e.notes,
        "states": e.states.iter().map(|s| json!({
            "name": s.name,
            "type": s.kind,
            "scope": s.scope,
            "attempts": s.attempts,
            "transitions_per_entry": s.transitions_per_entry,
            "transitions_per_entry_with_retries": s.transitions_per_entry_with_retries,
            "on_min_path": s.on_min_path,
            "on_max_path": s.on_max_path,
            "on_max_with_retries_path": s.on_max_with_retries_path,
        })).collect::<Vec<_>>(),
    })
}

fn cell<T>(value: Option<T>, show: impl Fn(T) -> String, none: &str) -> String {
    value.map_or_else(|| none.to_owned(), show)
}

fn row<T: Copy>(
    out: &mut String,
    label: &str,
    f: Figures<T>,
    show: impl Fn(T) -> String,
    min_none: &str,
) {
    let _ = writeln!(
        out,
        "  {label:<22}{:>14}{:>14}{:>18}",
        cell(f.min, &show, min_none),
        cell(f.max, &show, "unbounded"),
        cell(f.max_with_retries, &show, "unbounded"),
    );
}

fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The readable summary of one file.
pub fn render_full(out: &mut String, file: &str, e: &Estimate) {
    let o = &e.options;
    let items = if o.map_items == 1 { "item" } else { "items" };
    let _ = writeln!(
        out,
        "{file}: {} workflow, {} {items} per Map",
        e.workflow_type.as_str(),
        count(o.map_items)
    );
    let _ = writeln!(
        out,
        "  {:<22}{:>14}{:>14}{:>18}",
        "", "min", "max", "max with retries"
    );
    row(out, "transitions", e.transitions, count, "none");
    row(out, "history events", e.history.events, count, "none");
    if e.workflow_type == WorkflowType::Express {
        row(
            out,
            "duration (s)",
            e.duration_seconds,
            |s| format!("{s:.1}"),
            "none",
        );
    }
    let cost = e.cost();
    row(
        out,
        "USD per execution",
        cost.per_execution,
        |c| format!("{c:.8}"),
        "none",
    );
    row(
        out,
        "USD per million",
        cost.per_million_executions,
        |c| format!("{c:.2}"),
        "none",
    );
    if let Some(cycle) = &e.cycle {
        let _ = writeln!(
            out,
            "  unbounded: {} loops through {}",
            cycle.scope,
            asl_analyzer::names::loop_path(cycle.states.iter().map(String::as_str), |s| {
                format!("`{s}`")
            })
        );
    }
    if let Some(reason) = &e.min_reason {
        let _ = writeln!(out, "  no min: {reason}");
    }
    if e.history.exceeds_limit {
        let _ = writeln!(
            out,
            "  history: the worst case can exceed the {} events of a Standard execution",
            count(HISTORY_LIMIT)
        );
    }
    match e.workflow_type {
        WorkflowType::Standard => {
            let _ = writeln!(
                out,
                "  assumes: one transition per state entered (a Map: 1 + {} × its processor), ${} per 1,000 transitions",
                count(o.map_items),
                o.price_per_1000
            );
        }
        WorkflowType::Express => {
            let _ = writeln!(
                out,
                "  assumes: $1.00 per million requests + $0.00001667 per GB-second at 64 MB, billed per 100 ms (at least 100 ms);\n  duration = static Wait seconds + {} s per Task attempt + retry waits, Map waves of {} (or MaxConcurrency)",
                o.task_seconds, DEFAULT_MAP_CONCURRENCY
            );
        }
    }
    for m in &e.distributed_maps {
        let _ = writeln!(
            out,
            "  distributed map `{}`: children run as {} executions (their transitions are counted)",
            m.name,
            m.execution_type.as_deref().unwrap_or("unspecified")
        );
    }
    for note in &e.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    let retried: Vec<_> = e.states.iter().filter(|s| s.attempts > 1).collect();
    if !retried.is_empty() {
        let _ = writeln!(out, "  retried states (attempts per entry):");
        let width = retried.iter().map(|s| s.name.len()).max().unwrap_or(0);
        for s in retried {
            let _ = writeln!(
                out,
                "    {:<width$}  {:<8}  {:>6}  {}",
                s.name,
                s.kind,
                count(s.attempts),
                s.scope
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = estimate_text(
            "{\n  \"StartAt\": ,",
            Dialect::Json,
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
            yaml,
            Dialect::Yaml,
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
            &broken,
            Dialect::Yaml,
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

    #[test]
    fn prices_are_rounded_to_ten_digits() {
        assert_eq!(rounded(75.00000000000001), 75.0);
        assert_eq!(rounded(0.00007500000000000001), 0.000075);
        assert_eq!(rounded(0.0000072500000001), 0.00000725);
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(25_000), "25,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
