//! `asl-lint`, the command line: `check`, `rules`, `explain`, `graph`, `cost`, `lsp`,
//! `print-config`.
//!
//! The binary is a thin shell over [`run`]; the pieces are public so tests (and later the
//! language server's neighbours) can call them directly:
//! - [`walk`] finds the files, [`lint`] reads, decodes, parses and analyses one file,
//! - [`output`] is the only place that knows output formats,
//! - [`exit`] is the only place that decides the exit status.

pub mod args;
pub mod baseline;
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

/// Runs the command line `args` (the first item is the program name), on a thread whose stack
/// (and every worker's) is [`asl_syntax::STACK_SIZE`]: the readers build documents up to
/// [`asl_syntax::MAX_DEPTH`] deep, and walking one that deep needs more than a default
/// thread's 2 MiB. The size is reserved address space; only the pages a walk touches are used.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitStatus {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // One pool for the whole process; when it exists already (an embedding caller made it),
    // its threads are used as they are.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(asl_syntax::STACK_SIZE)
        .build_global();
    let worker = std::thread::Builder::new()
        .name("asl-lint".to_owned())
        .stack_size(asl_syntax::STACK_SIZE)
        .spawn({
            let args = args.clone();
            move || run_here(args)
        });
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(status)) => status,
        // A panic outside any file's guard: the panic hook has printed it.
        Ok(Err(_)) => ExitStatus::Error,
        // No thread could be made: run here, with this thread's stack.
        Err(_) => run_here(args),
    }
}

fn run_here(args: Vec<OsString>) -> ExitStatus {
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
        args::Command::Completions(completions) => completions_script(completions.shell),
        args::Command::Lsp(_) => match asl_lsp::run_stdio() {
            Ok(()) => ExitStatus::Success,
            Err(message) => {
                eprintln!("asl-lint: {message}");
                ExitStatus::Error
            }
        },
    }
}

/// `asl-lint completions <SHELL>`: the script on stdout. Written from a buffer, since the
/// generator panics on a write error (a closed pipe: `| head`), which is not one here.
fn completions_script(shell: clap_complete::Shell) -> ExitStatus {
    use std::io::Write as _;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut args::Cli::command(), "asl-lint", &mut script);
    let mut out = std::io::stdout().lock();
    match out.write_all(&script).and_then(|()| out.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write the completion script: {err}");
            ExitStatus::Error
        }
        _ => ExitStatus::Success,
    }
}
