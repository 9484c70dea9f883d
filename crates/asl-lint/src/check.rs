//! `asl-lint check`: discover, lint in parallel (each file read once, parsed once, rendered on
//! the same worker), then print in path order.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use asl_analyzer::{Diagnostic, Options};
use asl_config::ConfigError;
use rayon::prelude::*;

use crate::args::CheckArgs;
use crate::config::Settings;
use crate::exit::{self, ExitStatus, Policy};
use crate::lint::{self, lint_bytes};
use crate::output::{OutputFormat, Rendered, Renderer, Summary};
use crate::walk::{self, Candidate, PathError, Selection};

/// The path shown for standard input without `--stdin-filename`.
pub const STDIN_NAME: &str = "<stdin>";

enum Job {
    File(Candidate),
    Stdin {
        display: String,
        bytes: Result<Vec<u8>, String>,
    },
}

impl Job {
    fn display(&self) -> &str {
        match self {
            Job::File(candidate) => &candidate.display,
            Job::Stdin { display, .. } => display,
        }
    }
}

enum Outcome {
    Linted {
        rendered: Rendered,
        summary: Summary,
    },
    Skipped,
    Failed(PathError),
}

pub fn run(args: &CheckArgs) -> ExitStatus {
    let color = args.format == OutputFormat::Full && args.color.enabled();
    let settings = match Settings::new(&args.config, args.workflow_type) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitStatus::Error;
        }
    };
    let renderer = Renderer {
        quiet: args.quiet,
        statistics: args.statistics,
        ..Renderer::new(args.format, color)
    };
    run_with(args, &settings, renderer)
}

/// The options of one file, or `None` when the config leaves it out: a walked file must match
/// `include` (when given) and not `exclude`; a named file is left out only by `exclude` with
/// `--force-exclude`.
fn options_for(
    settings: &Settings,
    path: &Path,
    explicit: bool,
    force_exclude: bool,
) -> Result<Option<Options>, ConfigError> {
    let config = settings.config_for(path)?;
    if let Some(config) = &config {
        let kept = if explicit {
            !(force_exclude && config.is_excluded(path))
        } else {
            config.is_included(path) && !config.is_excluded(path)
        };
        if !kept {
            return Ok(None);
        }
    }
    Ok(Some(settings.options(config.as_deref(), path)))
}

fn run_with(args: &CheckArgs, settings: &Settings, renderer: Renderer) -> ExitStatus {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut read_stdin = false;
    for path in &args.paths {
        if path.as_os_str() == "-" {
            read_stdin = true;
        } else {
            paths.push(path.clone());
        }
    }
    if args.paths.is_empty() {
        if args.stdin_filename.is_some() {
            read_stdin = true;
        } else {
            paths.push(PathBuf::from("."));
        }
    }

    let discovery = walk::discover(&paths);
    let mut jobs: Vec<(Job, Options)> = Vec::new();
    let mut config_errors: Vec<String> = Vec::new();
    let mut add = |job: Job, path: &Path, explicit: bool| match options_for(
        settings,
        path,
        explicit,
        args.force_exclude,
    ) {
        Ok(Some(options)) => jobs.push((job, options)),
        Ok(None) => {}
        Err(err) => {
            let message = err.to_string();
            if !config_errors.contains(&message) {
                config_errors.push(message);
            }
        }
    };
    for candidate in discovery.files {
        let path = candidate.path.clone();
        let explicit = candidate.explicit;
        add(Job::File(candidate), &path, explicit);
    }
    if read_stdin {
        let path = PathBuf::from(args.stdin_filename.as_deref().unwrap_or("."));
        let job = Job::Stdin {
            display: args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| STDIN_NAME.to_owned()),
            bytes: lint::read_stdin(),
        };
        add(job, &path, true);
    }
    if !config_errors.is_empty() {
        for message in &config_errors {
            eprintln!("error: {message}");
        }
        return ExitStatus::Error;
    }

    let mut outcomes: Vec<(String, Outcome)> = jobs
        .into_par_iter()
        .map(|(job, options)| {
            let display = job.display().to_owned();
            let outcome = run_job(job, &options, renderer);
            (display, outcome)
        })
        .collect();
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));

    let mut failures = discovery.errors;
    let mut summary = Summary::default();
    let mut rendered = Vec::new();
    for (_, outcome) in outcomes {
        match outcome {
            Outcome::Linted {
                rendered: r,
                summary: s,
            } => {
                summary.merge(&s);
                rendered.push(r);
            }
            Outcome::Skipped => {}
            Outcome::Failed(err) => failures.push(err),
        }
    }
    failures.sort_by(|a, b| a.path.cmp(&b.path));

    let stderr = std::io::stderr();
    let mut stderr = stderr.lock();
    for warning in &discovery.warnings {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    for failure in &failures {
        let _ = if failure.path.is_empty() {
            writeln!(stderr, "error: {}", failure.message)
        } else {
            writeln!(stderr, "error: {}: {}", failure.path, failure.message)
        };
    }
    drop(stderr);

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut write_failed = false;
    if let Err(err) = renderer.finish(&mut out, &rendered, &summary, &failures) {
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the results: {err}");
            write_failed = true;
        }
    }
    drop(out);
    if renderer.statistics {
        let result = renderer.write_statistics(
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
            &summary,
        );
        if let Err(err) = result {
            if err.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write the statistics: {err}");
                write_failed = true;
            }
        }
    }
    if exit::too_many_warnings(summary.warnings, args.max_warnings) {
        eprintln!(
            "error: too many warnings: {}, more than --max-warnings {}",
            summary.warnings,
            args.max_warnings.unwrap_or(0)
        );
    }
    let failed = failures.len() + usize::from(write_failed);
    let policy = Policy {
        exit_zero: args.exit_zero,
        max_warnings: args.max_warnings,
    };
    ExitStatus::of_check(summary.errors, summary.warnings, failed, &policy)
}

/// One file's work, with a last-resort guard: the analyzer already turns its own panics into
/// `internal-error` findings; anything else that panics (reading, rendering) becomes one too.
fn run_job(job: Job, options: &Options, renderer: Renderer) -> Outcome {
    let display = job.display().to_owned();
    match catch_unwind(AssertUnwindSafe(|| lint_job(job, options, renderer))) {
        Ok(outcome) => outcome,
        Err(panic) => {
            let message = asl_analyzer::panic_message(&*panic);
            catch_unwind(|| crashed(&display, &message, renderer)).unwrap_or_else(|_| {
                Outcome::Failed(PathError {
                    path: display.clone(),
                    message: format!("internal error: {message}"),
                })
            })
        }
    }
}

fn lint_job(job: Job, options: &Options, renderer: Renderer) -> Outcome {
    let (display, bytes, selection) = match job {
        Job::File(candidate) => match lint::read_file(&candidate.path, candidate.selection) {
            Ok(Some(bytes)) => (candidate.display, bytes, candidate.selection),
            Ok(None) => return Outcome::Skipped,
            Err(message) => {
                return Outcome::Failed(PathError {
                    path: candidate.display,
                    message,
                });
            }
        },
        Job::Stdin { display, bytes } => match bytes {
            Ok(bytes) => (display, bytes, Selection::Always),
            Err(message) => {
                return Outcome::Failed(PathError {
                    path: display,
                    message,
                });
            }
        },
    };
    let Some(linted) = lint_bytes(&display, bytes, selection, options) else {
        return Outcome::Skipped;
    };
    finished(&display, &linted.text, &linted.diagnostics, renderer)
}

fn finished(display: &str, text: &str, diagnostics: &[Diagnostic], renderer: Renderer) -> Outcome {
    let mut summary = Summary::default();
    summary.add_file(diagnostics);
    Outcome::Linted {
        rendered: renderer.render(display, text, diagnostics),
        summary,
    }
}

fn crashed(display: &str, message: &str, renderer: Renderer) -> Outcome {
    let diagnostic = asl_analyzer::internal_error(&Options::default(), message, "the CLI");
    finished(display, "", &[diagnostic], renderer)
}
