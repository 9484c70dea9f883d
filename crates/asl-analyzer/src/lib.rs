//! `asl-analyzer`: the rules, the state graph and the diagnostics of asl-lint.
//!
//! Pure analysis: no IO. [`analyze`] takes source text and returns every diagnostic, sorted by
//! position, each with its JSON Pointer. The CLI and the language server both call it, so they
//! always agree.

mod context;
pub mod cost;
pub mod diagnostic;
pub mod embedded;
pub mod fields;
pub mod fix;
pub mod graph;
pub mod ide;
mod jsonata_strings;
pub mod names;
pub mod registry;
pub mod render;
pub mod resource;
pub mod retry;
pub mod rule;
mod rules;
pub(crate) mod spec;
mod suppress;
mod templates;
mod variables;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use asl_syntax::ast::Machine;
use asl_syntax::{Dialect, Parse, TextRange};

pub use context::Ctx;
pub use diagnostic::{Diagnostic, Label, Level, Severity};
pub use graph::Graph;
pub use rule::RuleMeta;
pub use suppress::wildcard_match;

/// The type of a state machine, which the definition does not say: it is chosen when the state
/// machine is created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum WorkflowType {
    #[default]
    Standard,
    Express,
}

impl WorkflowType {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowType::Standard => "STANDARD",
            WorkflowType::Express => "EXPRESS",
        }
    }

    /// The longest an execution can run, in seconds: one year (Standard) or five minutes
    /// (Express) (spec §9).
    pub fn max_duration(self) -> f64 {
        match self {
            WorkflowType::Standard => 31_536_000.0,
            WorkflowType::Express => 300.0,
        }
    }
}

/// The default threshold of ASL209 retry-storm: worst-case attempts above it are reported.
pub const DEFAULT_RETRY_STORM_THRESHOLD: u64 = 50;

/// Settings of one analysis.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rule levels by code, overriding the defaults.
    pub levels: HashMap<&'static str, Level>,
    /// The workflow type the definition is checked for.
    pub workflow_type: WorkflowType,
    /// ASL209 reports worst-case attempts above this.
    pub retry_storm_threshold: u64,
    /// Rules ignored in the states whose names match a pattern (the config file's `[[ignore]]`).
    pub state_ignores: Vec<StateIgnore>,
}

/// Rules ignored in some states, as the config file's `[[ignore]]` says: a state whose name
/// matches one of `states` (and every state nested in it) does not report `rules`. Unlike a
/// `Comment` directive, an ignore that suppresses nothing is not reported (one entry applies to
/// many files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateIgnore {
    /// State name patterns: `*` matches any run of characters, `?` any one character.
    pub states: Vec<String>,
    /// Rule codes.
    pub rules: Vec<&'static str>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            levels: HashMap::new(),
            workflow_type: WorkflowType::default(),
            retry_storm_threshold: DEFAULT_RETRY_STORM_THRESHOLD,
            state_ignores: Vec::new(),
        }
    }
}

impl Options {
    /// The default options with `rule` on, at warning level when it is off by default: what its
    /// own examples and fixtures are checked with.
    pub fn enabling(rule: &RuleMeta) -> Options {
        let mut options = Options::default();
        if rule.level == Level::Off {
            options.levels.insert(rule.code, Level::Warning);
        }
        options
    }

    /// The effective level of a rule.
    pub fn level(&self, rule: &RuleMeta) -> Level {
        self.levels.get(rule.code).copied().unwrap_or(rule.level)
    }
}

/// Parses and analyses one document.
pub fn analyze(text: &str, dialect: Dialect, options: &Options) -> Vec<Diagnostic> {
    match catch_unwind(|| asl_syntax::parse(text, dialect)) {
        Ok(parse) => analyze_parsed(text, dialect, &parse, options),
        Err(panic) => vec![internal_error(
            options,
            &panic_message(&*panic),
            "the parser",
        )],
    }
}

/// Analyses an already parsed document (the language server keeps the parse).
pub fn analyze_parsed(
    text: &str,
    dialect: Dialect,
    parse: &Parse,
    options: &Options,
) -> Vec<Diagnostic> {
    analyze_model(text, dialect, parse, None, options)
}

/// What the IDE's analysis has already built from a parse, so the rules do not build it again.
pub(crate) struct Prebuilt<'m, 'a> {
    pub machine: &'m Machine<'a>,
    pub graph: &'m Graph<'a>,
    pub variables: std::sync::Arc<variables::Variables<'a>>,
}

/// [`analyze_parsed`] over what the IDE already built from `parse`.
pub(crate) fn analyze_model(
    text: &str,
    dialect: Dialect,
    parse: &Parse,
    model: Option<Prebuilt<'_, '_>>,
    options: &Options,
) -> Vec<Diagnostic> {
    let run = catch_unwind(AssertUnwindSafe(|| {
        run_rules(text, dialect, parse, model, options)
    }));
    let mut diagnostics = match run {
        Ok(diagnostics) => diagnostics,
        Err(panic) => vec![internal_error(
            options,
            &panic_message(&*panic),
            "the analyzer",
        )],
    };
    diagnostics
        .retain(|d| registry::find(d.code).is_none_or(|rule| options.level(rule) != Level::Off));
    diagnostics.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.code, &a.message).cmp(&(
            b.range.start(),
            b.range.end(),
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);
    if let Some(root) = &parse.root {
        for d in &mut diagnostics {
            d.pointer = root.pointer_to(d.range);
        }
    }
    diagnostics
}

fn run_rules(
    text: &str,
    dialect: Dialect,
    parse: &Parse,
    model: Option<Prebuilt<'_, '_>>,
    options: &Options,
) -> Vec<Diagnostic> {
    let Some(root) = &parse.root else {
        let mut out = Vec::new();
        if let Some(error) = &parse.error {
            if error.kind == asl_syntax::SyntaxErrorKind::TooDeep {
                out.push(rules::definition_too_large::too_deep(
                    options,
                    error.range,
                    &error.message,
                ));
                return out;
            }
            out.push(rules::invalid_json::diagnostic(
                options,
                error.range,
                if dialect == Dialect::Yaml {
                    // The YAML reader's messages say "invalid YAML" themselves.
                    error.message.clone()
                } else {
                    format!("invalid JSON: {}", error.message)
                },
            ));
        }
        return out;
    };
    let built;
    let (machine, graph, variables) = match model {
        Some(m) => (m.machine, m.graph, Some(m.variables)),
        None => {
            let machine = Machine::new(root);
            let graph = Graph::new(&machine);
            built = (machine, graph);
            (&built.0, &built.1, None)
        }
    };
    let mut ctx = Ctx {
        text,
        dialect,
        parse,
        machine,
        graph,
        options,
        diagnostics: Vec::new(),
        cache: Default::default(),
    };
    if let Some(variables) = variables {
        ctx.seed_variables(variables);
    }
    for rule in registry::RULES {
        let Some(check) = rule.check else { continue };
        if options.level(rule.meta) == Level::Off {
            continue;
        }
        let before = ctx.diagnostics.len();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&mut ctx))) {
            ctx.diagnostics.truncate(before);
            let message = panic_message(&*panic);
            let mut d = internal_error(options, &message, rule.meta.code);
            d.range = TextRange::empty(root.range.start());
            ctx.diagnostics.push(d);
        }
    }
    let mut diagnostics = ctx.diagnostics;
    suppress::apply(text, parse, machine, options, &mut diagnostics);
    diagnostics
}

/// An `ASL001 invalid-json` diagnostic with its own message (the CLI uses it for a file that is
/// not UTF-8).
pub fn syntax_error(options: &Options, range: TextRange, message: String) -> Diagnostic {
    rules::invalid_json::diagnostic(options, range, message)
}

/// The `ASL999 internal-error` diagnostic for a crash inside `place` ("the parser", a rule code,
/// "the CLI") with the panic's message.
pub fn internal_error(options: &Options, message: &str, place: &str) -> Diagnostic {
    let rule = &rules::internal_error::META;
    Diagnostic {
        code: rule.code,
        rule: rule.name,
        severity: options.level(rule).severity().unwrap_or(Severity::Error),
        message: format!(
            "asl-lint failed inside {place} on this file ({message}); please report it with the file at https://github.com/asl-lint/asl-lint/issues"
        ),
        range: TextRange::default(),
        pointer: String::new(),
        labels: Vec::new(),
        notes: Vec::new(),
        unnecessary: false,
    }
}

/// The message of a caught panic payload.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}
