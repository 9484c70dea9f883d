//! The analysis pipeline: parse, build the machine and its graph, run every rule that is on
//! (each inside its own panic guard), apply the suppressions, then sort, deduplicate and
//! point each diagnostic at its JSON Pointer.

use std::panic::{AssertUnwindSafe, catch_unwind};

use asl_syntax::ast::Machine;
use asl_syntax::{Dialect, Parse, TextRange};

use crate::context::Ctx;
use crate::diagnostic::{Diagnostic, Level, Severity};
use crate::graph::Graph;
use crate::{Options, registry, rules, suppress, variables};

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
    diagnostics.retain(|d| options.level(d.rule) != Level::Off);
    diagnostics.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.code(), &a.message).cmp(&(
            b.range.start(),
            b.range.end(),
            b.code(),
            &b.message,
        ))
    });
    diagnostics.dedup_by(|a, b| a.range == b.range && a.rule == b.rule && a.message == b.message);
    if let Some(root) = &parse.root {
        for d in &mut diagnostics {
            d.pointer = root.pointer_to(d.range);
        }
    }
    // Rules quote JSON; a YAML definition's messages quote YAML (`End: true`).
    let syntax = crate::quote::Syntax::of(dialect);
    for d in &mut diagnostics {
        crate::quote::diagnostic(d, syntax);
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
    // The AWS models the parameter and error-name rules will read, decoded while the rules
    // before them run.
    if AWS_MODEL_RULES
        .iter()
        .any(|rule| options.level(rule) != Level::Off)
    {
        crate::sdk_input::prefetch(machine);
    }
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
    Diagnostic::new(
        rule,
        options.level(rule).severity().unwrap_or(Severity::Error),
        TextRange::default(),
        format!(
            "asl-lint failed inside {place} on this file ({message}); please report it with the file at https://github.com/asl-lint/asl-lint/issues"
        ),
    )
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

/// The rules that read the AWS model of the services a definition calls.
static AWS_MODEL_RULES: [&crate::rule::RuleMeta; 5] = [
    &rules::unknown_integration::META,
    &rules::unknown_parameter::META,
    &rules::missing_parameter::META,
    &rules::invalid_parameter_value::META,
    &rules::unknown_service_error::META,
];
