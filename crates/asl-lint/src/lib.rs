//! `asl-lint`, the command line: `check`, `rules`, `explain`, `graph`, `cost`, `lsp`,
//! `print-config`.
//!
//! The binary is a thin shell over [`run`]; the pieces are public so tests (and later the
//! language server's neighbours) can call them directly:
//! - [`walk`] finds the files, [`lint`] reads, decodes, parses and analyses one file,
//! - [`output`] is the only place that knows output formats,
//! - [`exit`] is the only place that decides the exit status.

pub mod args;
pub mod check;
pub mod config;
pub mod cost;
pub mod exit;
pub mod fix;
pub mod graph;
pub mod lint;
pub mod output;
pub mod rules;
pub mod walk;

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches};

pub use exit::ExitStatus;
pub use lint::{Linted, lint_bytes};
pub use output::full::render_full;

/// Runs the command line `args` (the first item is the program name).
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitStatus {
    let parsed = args::Cli::command()
        .try_get_matches_from(args)
        .and_then(|matches| {
            let mut cli = args::Cli::from_arg_matches(&matches)?;
            if let Some((_, sub)) = matches.subcommand() {
                match &mut cli.command {
                    args::Command::Check(check) => check.config.order_levels(sub),
                    args::Command::PrintConfig(print) => print.config.order_levels(sub),
                    _ => {}
                }
            }
            Ok(cli)
        });
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitStatus::Error
            } else {
                ExitStatus::Success
            };
        }
    };
    match &cli.command {
        args::Command::Check(check) => check::run(check),
        args::Command::Rules(list) => rules::rules(list),
        args::Command::Explain(explain) => rules::explain(explain),
        args::Command::Graph(graph) => graph::run(graph),
        args::Command::Cost(cost) => cost::run(cost),
        args::Command::PrintConfig(print) => config::print_config(print),
        args::Command::Lsp(_) => match asl_lsp::run_stdio() {
            Ok(()) => ExitStatus::Success,
            Err(message) => {
                eprintln!("asl-lint: {message}");
                ExitStatus::Error
            }
        },
    }
}
