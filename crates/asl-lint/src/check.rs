//! `asl-lint check`: discover, lint in parallel (each file read once, parsed once, rendered on
//! the same worker), then print in path order.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use asl_analyzer::fix::{Applicability, Document, MAX_ROUNDS, Status, fix_document_where};
use asl_analyzer::{Diagnostic, Options, WorkflowType};
use asl_syntax::{Encoding, LineIndex};
use rayon::prelude::*;

use crate::args::CheckArgs;
use crate::baseline::{self, FileBaseline};
use crate::config::Settings;
use crate::exit::{self, ExitStatus, Policy};
use crate::fix::{Written, unified_diff, write_atomically};
use crate::lint::{self, Linted, lint_bytes};
use crate::output::{Fixable, OutputFormat, Rendered, Renderer, Summary};
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
        /// Definition files a template names (`DefinitionUri`), to lint next.
        references: Vec<Reference>,
        fix: Box<FileFix>,
        /// `--baseline`: what it hid of this file's findings.
        baseline: Option<Box<FileBaseline>>,
    },
    Skipped,
    /// Named on the command line, the file holds no state machine: one note, no findings.
    NoStateMachine,
    Failed(PathError),
}
/// What `--fix` and `--diff` do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FixMode {
    /// Neither: lint only.
    Off,
    /// Write the fixed files.
    Fix,
    /// Print what `Fix` would change.
    Diff,
}

#[derive(Debug, Clone, Copy)]
struct Fixing {
    mode: FixMode,
    unsafe_fixes: bool,
}

/// One file's fixing.
#[derive(Debug, Default)]
struct FileFix {
    /// Fixes applied (written, or shown by `--diff`).
    applied: usize,
    /// Findings of the text before that the fixed text no longer has (one fix may settle
    /// several: a `Next` fixed makes its target reachable), and findings the fixed text has
    /// that the text before had not; a finding is its rule and JSON Pointer.
    gone: usize,
    added: usize,
    /// Unsafe fixes left, for the `--unsafe-fixes` hint.
    unsafe_available: usize,
    /// `--diff`: the change.
    diff: Option<String>,
    /// Lines for stderr (`warning: ...`, `note: ...`).
    notes: Vec<String>,
    /// The fixed file could not be written.
    error: Option<String>,
}

/// A definition file named by a template's `DefinitionUri` or `DefinitionS3Location`.
struct Reference {
    /// The file, relative to the template's folder.
    path: PathBuf,
    /// Where the template names it, for an error: `template.yaml`, `12:22`, the value as
    /// written, the resource.
    template: String,
    at: String,
    written: String,
    logical_id: String,
    /// The resource's workflow type, when the template says it.
    workflow_type: Option<WorkflowType>,
}

/// A finished job: what was linted, and the result.
struct Done {
    display: String,
    outcome: Outcome,
}

pub fn run(args: &CheckArgs) -> ExitStatus {
    // A file gets colours only when asked for (`--color always`).
    let color = args.format == OutputFormat::Full
        && match args.output_file {
            Some(_) => args.color == crate::args::ColorChoice::Always,
            None => args.color.enabled(),
        };
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
    let fixing = Fixing {
        mode: if args.diff {
            FixMode::Diff
        } else if args.fix {
            FixMode::Fix
        } else {
            FixMode::Off
        },
        unsafe_fixes: args.unsafe_fixes,
    };
    // `--baseline`, else the `baseline` of the config that applies to the current folder.
    let baseline_path = args.baseline.clone().or_else(|| {
        if args.config.no_config {
            return None;
        }
        let config = settings.config_for(Path::new(".")).ok().flatten()?;
        let path = config.baseline.as_deref()?;
        Some(PathBuf::from(asl_config::display(path)))
    });
    let baseline = match &baseline_path {
        Some(path) => match baseline::Run::load(path, args.update_baseline, args.diff) {
            Ok(run) => Some(run),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitStatus::Error;
            }
        },
        None if args.update_baseline => {
            eprintln!(
                "error: `--update-baseline` needs a baseline: name it with `--baseline FILE`, or set `baseline` in asl-lint.toml"
            );
            return ExitStatus::Error;
        }
        None => None,
    };
    run_with(args, &settings, renderer, fixing, baseline.as_ref())
}

/// One `check` run, in four steps: [`collect`] the jobs, [`lint_all`] of them, [`report`] the
/// results, and decide the [`exit_status`].
fn run_with(
    args: &CheckArgs,
    settings: &Settings,
    renderer: Renderer,
    fixing: Fixing,
    baseline: Option<&baseline::Run>,
) -> ExitStatus {
    let collected = match collect(args, settings, fixing) {
        Ok(collected) => collected,
        Err(status) => return status,
    };
    let looked_in = collected.looked_in.clone();
    let mut results = lint_all(settings, renderer, fixing, baseline, collected);
    if results.summary.files == 0
        && results.failures.is_empty()
        && results.noted == 0
        && !looked_in.is_empty()
    {
        results.warnings.push(no_state_machine(&looked_in));
    }
    if let Some(run) = baseline {
        match run.finish(&results.baseline) {
            Ok(line) => results.fixed.notes.push(line),
            Err(message) => results.failures.push(PathError {
                path: String::new(),
                message,
            }),
        }
    }
    let reported = report(renderer, fixing, results);
    exit_status(args, fixing, &reported)
}

/// What a run lints: each job with its options, and what went wrong while finding them.
struct Collected {
    jobs: Vec<(Job, Options)>,
    /// Paths that could not be walked or read.
    failures: Vec<PathError>,
    /// Problems that did not stop the walk, for stderr.
    warnings: Vec<String>,
    /// The paths named (or `.`), for the warning of a run that finds no state machine; empty
    /// when that warning is not wanted (standard input, `--only-state-machines`).
    looked_in: Vec<String>,
    /// `--output-file`.
    output_file: Option<PathBuf>,
}

/// The warning of a run that found nothing to lint (exit 0, as ruff does).
fn no_state_machine(looked_in: &[String]) -> String {
    let paths: Vec<String> = looked_in.iter().map(|p| format!("`{p}`")).collect();
    format!(
        "no state machine found in {}: a walk lints `*.asl.json` and `*.asl.yaml` files, and any other JSON or YAML file that holds a definition (`StartAt` and `States`) or a CloudFormation/SAM template, Serverless Framework file or Terraform `*.tf` file with one",
        paths.join(", ")
    )
}

/// The note for a file named on the command line that holds no state machine (exit 0, as for a
/// walk that finds none; `--only-state-machines` skips such a file without a word).
fn no_state_machine_in(display: &str) -> String {
    format!(
        "note: {display}: holds no state machine: not a definition (`StartAt` and `States`), nor a CloudFormation/SAM template or Serverless Framework file with one; nothing to lint"
    )
}

/// The paths of the command line (and standard input) made into jobs, each with the options
/// its config gives it. `Err` is the status of a run refused before linting (the message is
/// printed).
fn collect(args: &CheckArgs, settings: &Settings, fixing: Fixing) -> Result<Collected, ExitStatus> {
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
    if read_stdin && fixing.mode == FixMode::Fix {
        eprintln!(
            "error: `--fix` cannot write to standard input; name the file instead, or use `--diff` to see the fixes"
        );
        return Err(ExitStatus::Error);
    }

    let discovery = walk::discover(&paths);
    let mut jobs: Vec<(Job, Options)> = Vec::new();
    let mut failures = discovery.errors;
    let mut add = |job: Job, path: &Path, explicit: bool| {
        let (options, error) = settings.options_or_defaults(path, explicit, args.force_exclude);
        if let Some(err) = error {
            config_failure(&mut failures, &err);
        }
        if let Some(options) = options {
            jobs.push((job, options));
        }
    };
    for mut candidate in discovery.files {
        if args.only_state_machines && candidate.explicit {
            let name = candidate
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match walk::selection_for_name(&name) {
                Some(selection) => candidate.selection = selection,
                None => continue,
            }
        }
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
    let looked_in = if read_stdin || args.only_state_machines {
        Vec::new()
    } else {
        paths.iter().map(|p| walk::display_path(p)).collect()
    };
    Ok(Collected {
        jobs,
        failures,
        warnings: discovery.warnings,
        looked_in,
        output_file: args.output_file.clone(),
    })
}

/// Records a config file that is not valid (once, however many files it applies to): the run
/// goes on with the default settings for those files, and exits 2.
fn config_failure(failures: &mut Vec<PathError>, err: &asl_config::ConfigError) {
    let message = format!("{err} (the files under it were linted with the default settings)");
    if !failures.iter().any(|f| f.message == message) {
        failures.push(PathError {
            path: String::new(),
            message,
        });
    }
}

/// The results of the linting step, merged in path order.
struct Results {
    /// Stream each file's text to stdout as it is handed on (the human formats, not `--diff`),
    /// instead of keeping it for [`report`].
    streams: bool,
    summary: Summary,
    /// The chunks kept for the formats written as one document.
    rendered: Vec<Rendered>,
    /// The fixing of every file, added up.
    fixed: FileFix,
    /// `--diff`: every file's diff.
    diffs: String,
    failures: Vec<PathError>,
    warnings: Vec<String>,
    /// Writing to stdout failed (not a closed pipe).
    write_failed: bool,
    /// Files named on the command line that hold no state machine (each has its note).
    noted: usize,
    /// `--output-file`: what would go to stdout is written there, at the end.
    output_file: Option<PathBuf>,
    /// `--baseline`: what it did with each file.
    baseline: Vec<FileBaseline>,
}

impl Results {
    fn new(
        renderer: Renderer,
        fixing: Fixing,
        collected_failures: Vec<PathError>,
        warnings: Vec<String>,
        output_file: Option<PathBuf>,
    ) -> Self {
        // The human formats print each file's findings as soon as it and every file before it
        // are done; the document formats (JSON, SARIF, ...) write one document at the end.
        let streams = fixing.mode != FixMode::Diff
            && output_file.is_none()
            && matches!(
                renderer.format,
                OutputFormat::Full | OutputFormat::Concise | OutputFormat::Github
            );
        Results {
            streams,
            summary: Summary::default(),
            rendered: Vec::new(),
            fixed: FileFix::default(),
            diffs: String::new(),
            failures: collected_failures,
            warnings,
            write_failed: false,
            noted: 0,
            output_file,
            baseline: Vec::new(),
        }
    }

    /// Takes one finished job (in path order).
    fn add(&mut self, done: Done) {
        match done.outcome {
            Outcome::Linted {
                rendered,
                summary,
                fix,
                baseline,
                ..
            } => {
                self.summary.merge(&summary);
                if let Some(baseline) = baseline {
                    self.baseline.push(*baseline);
                }
                if self.streams {
                    if let Rendered::Text(bytes) = &rendered {
                        let mut out = std::io::stdout().lock();
                        if let Err(err) = out.write_all(bytes).and_then(|()| out.flush())
                            && err.kind() != std::io::ErrorKind::BrokenPipe
                            && !self.write_failed
                        {
                            eprintln!("error: cannot write the results: {err}");
                            self.write_failed = true;
                        }
                    }
                } else {
                    self.rendered.push(rendered);
                }
                self.fixed.applied += fix.applied;
                self.fixed.gone += fix.gone;
                self.fixed.added += fix.added;
                self.fixed.unsafe_available += fix.unsafe_available;
                self.fixed.notes.extend(fix.notes);
                self.diffs.push_str(fix.diff.as_deref().unwrap_or_default());
                if let Some(message) = fix.error {
                    self.failures.push(PathError {
                        path: done.display,
                        message,
                    });
                }
            }
            Outcome::Skipped => {}
            Outcome::NoStateMachine => {
                self.noted += 1;
                self.fixed.notes.push(no_state_machine_in(&done.display));
            }
            Outcome::Failed(err) => self.failures.push(err),
        }
    }
}

/// Lints every job (in parallel), handing the results on in path order.
fn lint_all(
    settings: &Settings,
    renderer: Renderer,
    fixing: Fixing,
    baseline: Option<&baseline::Run>,
    collected: Collected,
) -> Results {
    let mut results = Results::new(
        renderer,
        fixing,
        collected.failures,
        collected.warnings,
        collected.output_file,
    );
    lint_in_order(
        settings,
        renderer,
        fixing,
        baseline,
        collected.jobs,
        &mut results,
    );
    results.failures.sort_by(|a, b| a.path.cmp(&b.path));
    results
}

/// What [`report`] leaves for the exit status.
struct Reported {
    summary: Summary,
    /// Paths that failed, and output that could not be written.
    failed: usize,
    /// `--diff`: some file would change.
    changes: bool,
}

/// Writes what [`lint_all`] did not stream: the warnings, notes and errors on stderr, then the
/// diffs (`--diff`), or the document formats' output, the summary, the statistics and the
/// fix counts.
fn report(renderer: Renderer, fixing: Fixing, results: Results) -> Reported {
    let Results {
        mut summary,
        rendered,
        fixed,
        diffs,
        failures,
        warnings,
        mut write_failed,
        output_file,
        ..
    } = results;
    let stderr = std::io::stderr();
    let mut stderr = stderr.lock();
    for warning in &warnings {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    for note in &fixed.notes {
        let _ = writeln!(stderr, "{note}");
    }
    for failure in &failures {
        let _ = if failure.path.is_empty() {
            writeln!(stderr, "error: {}", failure.message)
        } else {
            writeln!(stderr, "error: {}: {}", failure.path, failure.message)
        };
    }
    drop(stderr);
    summary.failures = failures.len();
    let changes = fixed.applied > 0;
    // What goes to stdout, or to `--output-file` once complete.
    let mut out = match &output_file {
        Some(_) => Sink::Buffer(Vec::new()),
        None => Sink::Stdout(std::io::BufWriter::new(std::io::stdout())),
    };

    if fixing.mode == FixMode::Diff {
        write_failed |= write_diff(&mut out, &diffs, &fixed, &summary);
    } else {
        if let Err(err) = renderer.finish(&mut out, &rendered, &summary, &failures)
            && err.kind() != std::io::ErrorKind::BrokenPipe
            && !write_failed
        {
            eprintln!("error: cannot write the results: {err}");
            write_failed = true;
        }
        if renderer.statistics {
            let result =
                renderer.write_statistics(&mut out, &mut std::io::stderr().lock(), &summary);
            if let Err(err) = result
                && err.kind() != std::io::ErrorKind::BrokenPipe
            {
                eprintln!("error: cannot write the statistics: {err}");
                write_failed = true;
            }
        }
        if fixing.mode == FixMode::Fix {
            let lines = fix_summary("Fixed", &fixed, &summary);
            let result = if matches!(renderer.format, OutputFormat::Full | OutputFormat::Concise) {
                out.write_all(lines.as_bytes()).and_then(|()| out.flush())
            } else {
                std::io::stderr().lock().write_all(lines.as_bytes())
            };
            if let Err(err) = result
                && err.kind() != std::io::ErrorKind::BrokenPipe
            {
                eprintln!("error: cannot write the results: {err}");
                write_failed = true;
            }
        }
    }
    if let (Some(path), Sink::Buffer(bytes)) = (&output_file, &out)
        && let Err(message) = write_output_file(path, bytes)
    {
        eprintln!(
            "error: cannot write --output-file {}: {message}",
            walk::display_path(path)
        );
        write_failed = true;
    }
    Reported {
        summary,
        failed: failures.len() + usize::from(write_failed),
        changes,
    }
}

/// Where [`report`] writes what goes to stdout.
enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    /// `--output-file`: kept, and written once complete.
    Buffer(Vec<u8>),
}

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(bytes),
            Sink::Buffer(buffer) => buffer.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::Buffer(_) => Ok(()),
        }
    }
}

/// Writes `--output-file`: to a new temporary file beside it, synced, then renamed over it, so
/// that a reader (a CI step, an editor) sees the old results or the new ones, never part.
/// The baseline file is written so too.
pub(crate) fn write_output_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .ok_or_else(|| "it names no file".to_owned())?
        .to_string_lossy()
        .into_owned();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err("it is a directory".to_owned());
    }
    let temp = folder.join(format!(".{name}.asl-lint-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map_err(|err| walk::io_message(&err))
}

/// The exit status of the run (and the `--max-warnings` message).
fn exit_status(args: &CheckArgs, fixing: Fixing, reported: &Reported) -> ExitStatus {
    if fixing.mode == FixMode::Diff {
        return ExitStatus::of_diff(reported.changes, reported.failed);
    }
    let summary = &reported.summary;
    if exit::too_many_warnings(summary.warnings, args.max_warnings) {
        eprintln!(
            "error: too many warnings: {}, more than --max-warnings {}",
            summary.warnings,
            args.max_warnings.unwrap_or(0)
        );
    }
    let policy = Policy {
        exit_zero: args.exit_zero,
        max_warnings: args.max_warnings,
    };
    ExitStatus::of_check(summary.errors, summary.warnings, reported.failed, &policy)
}

fn run_one(
    job: Job,
    options: Options,
    renderer: Renderer,
    fixing: Fixing,
    baseline: Option<&baseline::Run>,
) -> Done {
    let display = job.display().to_owned();
    let outcome = run_job(job, &options, renderer, fixing, baseline);
    Done { display, outcome }
}

/// Whether a job may be a CloudFormation/SAM template (whose `DefinitionUri` names more files
/// to lint): any JSON or YAML name but `*.asl.*`.
fn maybe_template(display: &str) -> bool {
    asl_syntax::classify::name_class(display) != asl_syntax::classify::NameClass::StateMachine
}

/// A job in the printing order.
struct Entry {
    display: String,
    path: Option<PathBuf>,
    workflow_type: WorkflowType,
    maybe_template: bool,
    /// Linted again for another workflow type (a template said so): its first result is dropped.
    replaced: bool,
    done: Option<Done>,
}

/// Lints `jobs` in parallel and hands each result to `results` in path order, as soon as it and
/// every result before it are ready, so one slow file holds back only the files after it.
/// The definition files templates name are linted too (each once per workflow type, unless it
/// was already linted with that type; linted before for another type, the new result replaces
/// the first), in the same order: so nothing is handed on until every job that may be a
/// template is done and its references are known. A file that cannot be read is an error of
/// the template.
fn lint_in_order(
    settings: &Settings,
    renderer: Renderer,
    fixing: Fixing,
    baseline: Option<&baseline::Run>,
    mut jobs: Vec<(Job, Options)>,
    results: &mut Results,
) {
    jobs.sort_by(|a, b| a.0.display().cmp(b.0.display()));
    let mut entries: Vec<Entry> = jobs
        .iter()
        .map(|(job, options)| Entry {
            display: job.display().to_owned(),
            path: match job {
                Job::File(candidate) => Some(candidate.path.clone()),
                Job::Stdin { .. } => None,
            },
            workflow_type: options.workflow_type,
            maybe_template: maybe_template(job.display()),
            replaced: false,
            done: None,
        })
        .collect();
    let mut templates_pending = entries.iter().filter(|e| e.maybe_template).count();
    let mut outstanding = entries.len();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    let mut resolved = false;
    let mut next = 0;
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Done)>();
    std::thread::scope(|scope| {
        let run = |batch: Vec<(usize, (Job, Options))>,
                   tx: std::sync::mpsc::Sender<(usize, Done)>| {
            scope.spawn(move || {
                batch
                    .into_par_iter()
                    .for_each_with(tx, |tx, (i, (job, options))| {
                        let _ = tx.send((i, run_one(job, options, renderer, fixing, baseline)));
                    });
            });
        };
        run(jobs.into_iter().enumerate().collect(), tx.clone());
        loop {
            if !resolved && templates_pending == 0 {
                resolved = true;
                let extra = references_to_lint(settings, &mut entries, &mut results.failures);
                if !extra.is_empty() {
                    let first = entries.len();
                    for (job, options) in &extra {
                        entries.push(Entry {
                            display: job.display().to_owned(),
                            path: None,
                            workflow_type: options.workflow_type,
                            maybe_template: false,
                            replaced: false,
                            done: None,
                        });
                    }
                    outstanding += extra.len();
                    order = (0..entries.len()).collect();
                    order.sort_by(|&a, &b| {
                        let key = |i: usize| entries.get(i).map(|e| e.display.as_str());
                        key(a).cmp(&key(b)).then(a.cmp(&b))
                    });
                    run(
                        extra
                            .into_iter()
                            .enumerate()
                            .map(|(k, j)| (first + k, j))
                            .collect(),
                        tx.clone(),
                    );
                }
            }
            if resolved {
                while let Some(entry) = order.get(next).and_then(|&k| entries.get_mut(k)) {
                    let Some(done) = entry.done.take() else { break };
                    next += 1;
                    if !entry.replaced {
                        results.add(done);
                    }
                }
            }
            if outstanding == 0 {
                break;
            }
            let Ok((i, done)) = rx.recv() else { break };
            outstanding -= 1;
            if let Some(entry) = entries.get_mut(i) {
                if entry.maybe_template {
                    templates_pending -= 1;
                }
                entry.done = Some(done);
            }
        }
    });
}

/// The definition files that the templates among `entries` (all done) name, to lint next: each
/// once per workflow type, unless it was already linted with that type. A file linted for
/// another type is marked replaced. A file that cannot be read is an error of the template.
fn references_to_lint(
    settings: &Settings,
    entries: &mut [Entry],
    failures: &mut Vec<PathError>,
) -> Vec<(Job, Options)> {
    let references: Vec<Reference> = entries
        .iter_mut()
        .filter_map(|e| e.done.as_mut())
        .flat_map(|d| match &mut d.outcome {
            Outcome::Linted { references, .. } => std::mem::take(references),
            _ => Vec::new(),
        })
        .collect();
    if references.is_empty() {
        return Vec::new();
    }
    let canonical = |path: &Path| std::fs::canonicalize(path).ok();
    let mut linted: Vec<(PathBuf, WorkflowType, Option<usize>)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| Some((canonical(e.path.as_deref()?)?, e.workflow_type, Some(i))))
        .collect();
    let mut extra = Vec::new();
    for reference in references {
        let real = match std::fs::canonicalize(&reference.path) {
            Ok(real) if real.is_file() => real,
            Ok(_) => {
                failures.push(reference.error("it is not a file"));
                continue;
            }
            Err(err) => {
                failures.push(reference.error(&walk::io_message(&err)));
                continue;
            }
        };
        let (options, error) = settings.options_or_defaults(&reference.path, true, false);
        if let Some(err) = error {
            config_failure(failures, &err);
        }
        let Some(mut options) = options else {
            continue;
        };
        if let Some(t) = reference.workflow_type {
            options.workflow_type = t;
        }
        if linted
            .iter()
            .any(|(p, t, _)| *p == real && *t == options.workflow_type)
        {
            continue;
        }
        // Linted before for another workflow type: this run replaces it.
        if let Some(pos) = linted.iter().position(|(p, _, _)| *p == real) {
            let (_, _, index) = linted.remove(pos);
            if let Some(e) = index.and_then(|i| entries.get_mut(i)) {
                e.replaced = true;
            }
        }
        linted.push((real, options.workflow_type, None));
        let display = walk::display_path(&reference.path);
        let candidate = Candidate {
            path: reference.path,
            display,
            selection: Selection::Always,
            explicit: true,
        };
        extra.push((Job::File(candidate), options));
    }
    extra
}

impl Reference {
    fn error(&self, why: &str) -> PathError {
        PathError {
            path: format!("{}:{}", self.template, self.at),
            message: format!(
                "the definition of `{}` is `{}`, which cannot be read: {why}",
                self.logical_id, self.written
            ),
        }
    }
}

/// `--diff`: the diffs on `out` (stdout, or `--output-file`), the counts on stderr. Returns
/// whether writing failed.
fn write_diff(out: &mut dyn Write, diffs: &str, fixed: &FileFix, summary: &Summary) -> bool {
    let written = out.write_all(diffs.as_bytes()).and_then(|()| out.flush());
    let write_failed = match written {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write the diff: {err}");
            true
        }
        _ => false,
    };
    eprint!("{}", fix_summary("Would fix", fixed, summary));
    write_failed
}

/// How many findings of `before` are not in `after`, and of `after` not in `before`, a finding
/// being its rule code and JSON Pointer (positions move when text is inserted).
fn compare(before: &[Diagnostic], after: &[Diagnostic]) -> (usize, usize) {
    let mut left: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    for d in before {
        *left.entry((d.code(), d.pointer.as_str())).or_default() += 1;
    }
    let mut added = 0;
    for d in after {
        match left.get_mut(&(d.code(), d.pointer.as_str())) {
            Some(n) if *n > 0 => *n -= 1,
            _ => added += 1,
        }
    }
    (left.values().sum(), added)
}

/// "Fixed 8 of 11 findings with 6 fixes (3 remaining)." and the `--unsafe-fixes` hint, or
/// "No fixes available.": the figures add up (found − fixed + added by the fixes = remaining,
/// the count of the summary line above).
fn fix_summary(verb: &str, fixed: &FileFix, summary: &Summary) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let remaining = summary.errors + summary.warnings + summary.infos;
    let mut out = if fixed.applied > 0 {
        let found = (remaining + fixed.gone).saturating_sub(fixed.added);
        let added = if fixed.added > 0 {
            format!("; they brought {} ", plural(fixed.added, "new finding"))
        } else {
            " ".to_owned()
        };
        format!(
            "{verb} {} of {} with {}{added}({remaining} remaining).\n",
            fixed.gone,
            plural(found, "finding"),
            if fixed.applied == 1 {
                "1 fix".to_owned()
            } else {
                format!("{} fixes", fixed.applied)
            },
        )
    } else {
        "No fixes available.\n".to_owned()
    };
    let n = fixed.unsafe_available;
    if n > 0 {
        let more = if fixed.applied > 0 { "more " } else { "" };
        let fixes = if n == 1 { "fix" } else { "fixes" };
        out.push_str(&format!(
            "{n} {more}{fixes} available with `--unsafe-fixes`.\n"
        ));
    }
    out
}

/// One file's work, with a last-resort guard: the analyzer already turns its own panics into
/// `internal-error` findings; anything else that panics (reading, rendering) becomes one too.
fn run_job(
    job: Job,
    options: &Options,
    renderer: Renderer,
    fixing: Fixing,
    baseline: Option<&baseline::Run>,
) -> Outcome {
    let display = job.display().to_owned();
    match catch_unwind(AssertUnwindSafe(|| {
        lint_job(job, options, renderer, fixing, baseline)
    })) {
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

fn lint_job(
    job: Job,
    options: &Options,
    renderer: Renderer,
    fixing: Fixing,
    baseline: Option<&baseline::Run>,
) -> Outcome {
    // The file's key in the baseline: its path, or the name given to standard input.
    let key = baseline.map(|run| match &job {
        Job::File(candidate) => run.key(Some(&candidate.path)),
        Job::Stdin { display, .. } if display != STDIN_NAME => run.key(Some(Path::new(display))),
        Job::Stdin { .. } => run.key(None),
    });
    let (display, bytes, selection, folder, path) = match job {
        Job::File(candidate) => match lint::read_file(&candidate.path, candidate.selection) {
            Ok(Some(bytes)) => {
                let folder = candidate
                    .path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                (
                    candidate.display,
                    bytes,
                    candidate.selection,
                    folder,
                    Some(candidate.path),
                )
            }
            Ok(None) => return Outcome::Skipped,
            Err(message) => {
                return Outcome::Failed(PathError {
                    path: candidate.display,
                    message,
                });
            }
        },
        Job::Stdin { display, bytes } => match bytes {
            Ok(bytes) => {
                let folder = Path::new(&display)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                (display, bytes, Selection::Always, folder, None)
            }
            Err(message) => {
                return Outcome::Failed(PathError {
                    path: display,
                    message,
                });
            }
        },
    };
    // A file that is not UTF-8 is linted from a lossy copy, which must not be written back.
    // Without `--fix` or `--diff`, the human formats mark the findings `--fix` would fix.
    let marks = fixing.mode == FixMode::Off
        && matches!(renderer.format, OutputFormat::Full | OutputFormat::Concise);
    let is_text = (fixing.mode != FixMode::Off || marks) && std::str::from_utf8(&bytes).is_ok();
    let Some(linted) = lint_bytes(&display, bytes, selection, options) else {
        return Outcome::Skipped;
    };
    if linted.no_state_machine {
        return Outcome::NoStateMachine;
    }
    let (linted, fix) = if fixing.mode == FixMode::Off || !is_text || linted.diagnostics.is_empty()
    {
        (linted, FileFix::default())
    } else {
        // With a baseline, only the findings it does not hide are fixed.
        let wanted = |text: &str, diagnostics: &[Diagnostic]| match (baseline, &key) {
            (Some(run), Some(key)) => run
                .hidden(key, text, diagnostics)
                .0
                .into_iter()
                .map(|hidden| !hidden)
                .collect(),
            _ => vec![true; diagnostics.len()],
        };
        fix_file(&display, path.as_deref(), linted, options, fixing, &wanted)
    };
    let mut linted = linted;
    let mut file_baseline = None;
    if let (Some(run), Some(key)) = (baseline, key) {
        let diagnostics = std::mem::take(&mut linted.diagnostics);
        let (kept, file) = run.apply(key, &linted.text, diagnostics);
        linted.diagnostics = kept;
        file_baseline = Some(Box::new(file));
    }
    let fixable = if marks && is_text {
        fixability(&linted.diagnostics)
    } else {
        Vec::new()
    };
    let mut outcome = finished(
        &display,
        &linted.text,
        &linted.diagnostics,
        &fixable,
        renderer,
        fix,
    );
    if let Outcome::Linted { baseline, .. } = &mut outcome {
        *baseline = file_baseline;
    }
    if !linted.definition_files.is_empty() {
        let index = LineIndex::new(&linted.text);
        if let Outcome::Linted { references, .. } = &mut outcome {
            for file in linted.definition_files {
                let pos = index.line_col(&linted.text, file.range.start(), Encoding::Utf32);
                references.push(Reference {
                    path: folder.join(&file.path),
                    template: display.clone(),
                    at: format!("{}:{}", pos.line + 1, pos.col + 1),
                    written: file.path,
                    logical_id: file.logical_id,
                    workflow_type: file.workflow_type,
                });
            }
        }
    }
    outcome
}

/// Fixes one file's text; with `--fix` writes it. Returns the text and findings to report
/// (the fixed ones once written, else the original ones) and what happened.
fn fix_file(
    display: &str,
    path: Option<&Path>,
    linted: Linted,
    options: &Options,
    fixing: Fixing,
    wanted: &dyn Fn(&str, &[Diagnostic]) -> Vec<bool>,
) -> (Linted, FileFix) {
    let mut file = FileFix::default();
    let dialect = linted.dialect;
    let document = match linted.host {
        Some(host) => Document::Host(host),
        None => Document::StateMachine,
    };
    let fixed = fix_document_where(
        &linted.text,
        dialect,
        document,
        options,
        fixing.unsafe_fixes,
        wanted,
    );
    for rejected in &fixed.rejected {
        file.notes.push(format!("warning: {display}: {rejected}"));
    }
    if fixed.status == Status::OverBudget {
        file.notes.push(format!(
            "warning: {display}: checking the fixes one by one took too long; the fixes checked so far were applied, run `--fix` again to go on"
        ));
    }
    if fixed.status == Status::NotConverged {
        file.notes.push(format!(
            "warning: {display}: the fixes did not settle after {MAX_ROUNDS} rounds; the last round was kept (please report it at https://github.com/asl-lint/asl-lint/issues)"
        ));
    }
    file.unsafe_available = fixed.unsafe_available;
    if !fixed.changed() {
        return (linted, file);
    }
    let after = Linted {
        text: fixed.text,
        diagnostics: fixed.diagnostics,
        definition_files: Vec::new(),
        host: linted.host,
        no_state_machine: false,
        dialect,
    };
    match (fixing.mode, path) {
        (FixMode::Diff, _) => {
            file.applied = fixed.applied;
            (file.gone, file.added) = compare(&linted.diagnostics, &after.diagnostics);
            file.diff = Some(unified_diff(display, &linted.text, &after.text));
            (after, file)
        }
        (FixMode::Fix, Some(path)) => {
            match write_atomically(path, linted.text.as_bytes(), after.text.as_bytes()) {
                Ok(Written::Written) => {
                    file.applied = fixed.applied;
                    (file.gone, file.added) = compare(&linted.diagnostics, &after.diagnostics);
                    (after, file)
                }
                Ok(Written::ChangedOnDisk) => {
                    file.notes.push(format!(
                        "warning: {display}: changed on disk while asl-lint was fixing it; left alone (run `--fix` again)"
                    ));
                    (linted, file)
                }
                Ok(Written::ReadOnly) => {
                    file.error = Some("read-only: not fixed".to_owned());
                    (linted, file)
                }
                Err(message) => {
                    file.error = Some(format!("cannot write the fixes: {message}"));
                    (linted, file)
                }
            }
        }
        // Standard input is refused before linting; lint only.
        (FixMode::Fix | FixMode::Off, _) => (linted, file),
    }
}

/// Whether each of `diagnostics` has a fix `--fix` applies, and which flag applies it; parallel
/// to `diagnostics`. The fix is the one its rule attached (the preferred one, else the first);
/// YAML documents and definitions inside templates carry none.
pub fn fixability(diagnostics: &[Diagnostic]) -> Vec<Option<Fixable>> {
    diagnostics
        .iter()
        .map(|d| match d.fix()?.applicability {
            Applicability::Safe => Some(Fixable::Safe),
            Applicability::Unsafe => Some(Fixable::Unsafe),
            Applicability::Manual => None,
        })
        .collect()
}

fn finished(
    display: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    fixable: &[Option<Fixable>],
    renderer: Renderer,
    fix: FileFix,
) -> Outcome {
    let mut summary = Summary::default();
    summary.add_file(diagnostics);
    summary.add_fixable(fixable);
    Outcome::Linted {
        rendered: renderer.render_fixable(display, text, diagnostics, fixable),
        summary,
        references: Vec::new(),
        fix: Box::new(fix),
        baseline: None,
    }
}

fn crashed(display: &str, message: &str, renderer: Renderer) -> Outcome {
    let diagnostic = asl_analyzer::internal_error(&Options::default(), message, "the CLI");
    finished(
        display,
        "",
        &[diagnostic],
        &[],
        renderer,
        FileFix::default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_figures_add_up() {
        let summary = Summary {
            errors: 2,
            warnings: 2,
            ..Summary::default()
        };
        let fixed = FileFix {
            applied: 2,
            gone: 3,
            added: 1,
            unsafe_available: 1,
            ..FileFix::default()
        };
        // 6 found - 3 fixed + 1 brought = 4 remaining.
        assert_eq!(
            fix_summary("Fixed", &fixed, &summary),
            "Fixed 3 of 6 findings with 2 fixes; they brought 1 new finding (4 remaining).\n\
             1 more fix available with `--unsafe-fixes`.\n"
        );
        assert_eq!(
            fix_summary("Fixed", &FileFix::default(), &summary),
            "No fixes available.\n"
        );
    }
}
