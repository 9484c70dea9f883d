//! Every output format, and nothing else knows them.
//!
//! Rendering is split in two so that files render in parallel: [`Renderer::render`] turns one
//! file's findings into a [`Rendered`] chunk (on the worker that linted the file), and
//! [`Renderer::finish`] writes the chunks, in path order, with the format's summary.

pub mod catalog;
pub mod concise;
pub mod cost;
pub mod full;
pub mod github;
pub mod gitlab;
pub mod graph;
pub mod json;
pub mod junit;
pub mod located;
pub mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use asl_analyzer::{Diagnostic, Severity};
use asl_syntax::TextRange;
use clap::ValueEnum;

pub use crate::walk::PathError as Failure;
pub use catalog::CatalogFormat;

/// The format of `check` results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Each finding with its source lines, labels and notes.
    Full,
    /// One line per finding: `path:line:col: severity[code/name] message`.
    Concise,
    /// One JSON document (see docs/cli.md for the schema).
    Json,
    /// One SARIF 2.1.0 log (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`), shown as annotations.
    Github,
    /// JUnit XML, one test suite per file.
    Junit,
    /// A GitLab Code Quality report (a JSON array of issues).
    Gitlab,
}

/// Whether a finding has a fix, and which flag applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixable {
    /// `--fix` applies it: marked `[*]`.
    Safe,
    /// Only `--fix --unsafe-fixes` applies it.
    Unsafe,
}

/// `[*] ` for the `i`th finding when `--fix` fixes it, else nothing.
pub(crate) fn marker(fixable: &[Option<Fixable>], i: usize) -> &'static str {
    match fixable.get(i) {
        Some(Some(Fixable::Safe)) => "[*] ",
        _ => "",
    }
}

/// The counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files linted (files skipped as not being state machines are not counted).
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings per rule code: (rule name, count).
    pub by_rule: BTreeMap<&'static str, (&'static str, usize)>,
    /// What went wrong besides findings (a path that cannot be read, a config file that is not
    /// valid, a fixed file that cannot be written), reported on stderr: the summary line says
    /// so rather than "no problems found".
    pub failures: usize,
    /// Findings `--fix` fixes, and those only `--fix --unsafe-fixes` does (counted where the
    /// human formats mark them).
    pub fixable: usize,
    pub unsafe_fixable: usize,
}

impl Summary {
    /// Counts one linted file and its findings.
    pub fn add_file(&mut self, diagnostics: &[Diagnostic]) {
        self.files += 1;
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            self.by_rule.entry(d.code()).or_insert((d.name(), 0)).1 += 1;
        }
    }

    /// Counts the fixable findings of one file.
    pub fn add_fixable(&mut self, fixable: &[Option<Fixable>]) {
        for f in fixable.iter().flatten() {
            match f {
                Fixable::Safe => self.fixable += 1,
                Fixable::Unsafe => self.unsafe_fixable += 1,
            }
        }
    }

    /// The line after the summary line when some findings have fixes: "[*] 2 fixable with
    /// `--fix` (1 more with `--unsafe-fixes`)."
    pub fn fixable_line(&self) -> Option<String> {
        let (safe, more) = (self.fixable, self.unsafe_fixable);
        match (safe, more) {
            (0, 0) => None,
            (0, more) => Some(format!("{more} fixable with `--fix --unsafe-fixes`.")),
            (safe, 0) => Some(format!("[*] {safe} fixable with `--fix`.")),
            (safe, more) => Some(format!(
                "[*] {safe} fixable with `--fix` ({more} more with `--unsafe-fixes`)."
            )),
        }
    }

    /// Adds the counts of another (partial) summary.
    pub fn merge(&mut self, other: &Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.failures += other.failures;
        self.fixable += other.fixable;
        self.unsafe_fixable += other.unsafe_fixable;
        for (code, (rule, count)) in &other.by_rule {
            self.by_rule.entry(code).or_insert((rule, 0)).1 += count;
        }
    }

    /// The `--statistics` table: findings per rule, most frequent first (then by code).
    pub fn statistics(&self) -> String {
        let mut rows: Vec<(&str, &str, usize)> = self
            .by_rule
            .iter()
            .map(|(code, (rule, count))| (*code, *rule, *count))
            .collect();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        if rows.is_empty() {
            return "No findings.\n".to_owned();
        }
        let width = rows
            .iter()
            .map(|r| r.2.to_string().len())
            .max()
            .unwrap_or(1)
            .max(5);
        let mut out = format!("{:>width$}  {:<6}  NAME\n", "COUNT", "CODE");
        for (code, rule, count) in rows {
            out.push_str(&format!("{count:>width$}  {code:<6}  {rule}\n"));
        }
        out
    }

    /// The last line of the human formats.
    pub fn line(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let counts: Vec<String> = [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.infos, "info"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| plural(*n, word))
        .collect();
        let files = plural(self.files, "file");
        let found = if counts.is_empty() {
            "no problems found".to_owned()
        } else {
            counts.join(", ")
        };
        match (self.failures, counts.is_empty()) {
            (0, _) => format!("Checked {files}: {found}."),
            (n, true) => format!("Checked {files}; {}, reported above.", plural(n, "failure")),
            (n, false) => format!(
                "Checked {files}: {found}; {}, reported above.",
                plural(n, "failure")
            ),
        }
    }
}

/// One file's findings, rendered for the chosen format.
#[derive(Debug, Clone)]
pub enum Rendered {
    /// Ready-to-write bytes (possibly with ANSI colour codes).
    Text(Vec<u8>),
    Json(Vec<json::JsonDiagnostic>),
    /// The file and its findings with positions, for the formats written as one document.
    Findings(located::FileFindings),
}

/// Renders findings in one format.
#[derive(Debug, Clone, Copy)]
pub struct Renderer {
    pub format: OutputFormat,
    /// ANSI colours (the `full` format only).
    pub color: bool,
    /// `--quiet`: render error-level findings only.
    pub quiet: bool,
    /// `--statistics`: the caller writes [`Renderer::write_statistics`] after [`Renderer::finish`].
    pub statistics: bool,
}

impl Renderer {
    pub fn new(format: OutputFormat, color: bool) -> Renderer {
        Renderer {
            format,
            color,
            quiet: false,
            statistics: false,
        }
    }

    /// Renders the findings of one file. `text` is the source the ranges refer to.
    pub fn render(&self, path: &str, text: &str, diagnostics: &[Diagnostic]) -> Rendered {
        self.render_fixable(path, text, diagnostics, &[])
    }

    /// [`Renderer::render`], with whether each finding has a fix (`fixable` is parallel to
    /// `diagnostics`; shorter, the rest have none): the human formats mark them.
    pub fn render_fixable(
        &self,
        path: &str,
        text: &str,
        diagnostics: &[Diagnostic],
        fixable: &[Option<Fixable>],
    ) -> Rendered {
        let errors_only: Vec<Diagnostic>;
        let errors_fixable: Vec<Option<Fixable>>;
        let (diagnostics, fixable) = if self.quiet {
            let kept: Vec<usize> = (0..diagnostics.len())
                .filter(|&i| {
                    diagnostics
                        .get(i)
                        .is_some_and(|d| d.severity == Severity::Error)
                })
                .collect();
            errors_only = kept
                .iter()
                .filter_map(|&i| diagnostics.get(i).cloned())
                .collect();
            errors_fixable = kept
                .iter()
                .map(|&i| fixable.get(i).copied().flatten())
                .collect();
            (&errors_only[..], &errors_fixable[..])
        } else {
            (diagnostics, fixable)
        };
        match self.format {
            OutputFormat::Full => {
                Rendered::Text(full::render(path, text, diagnostics, fixable, self.color))
            }
            OutputFormat::Concise => {
                Rendered::Text(concise::render(path, text, diagnostics, fixable).into_bytes())
            }
            OutputFormat::Json => Rendered::Json(json::entries(path, text, diagnostics)),
            OutputFormat::Github => {
                Rendered::Text(github::render(path, text, diagnostics).into_bytes())
            }
            OutputFormat::Sarif | OutputFormat::Junit | OutputFormat::Gitlab => {
                Rendered::Findings(located::locate(path, text, diagnostics))
            }
        }
    }

    /// Writes the rendered files, in the order given, and the summary. `failures` (paths that
    /// could not be read) are reported on stderr by the caller; the formats that have a place
    /// for them (`sarif`) also record them.
    pub fn finish<'a>(
        &self,
        out: &mut dyn Write,
        files: impl IntoIterator<Item = &'a Rendered>,
        summary: &Summary,
        failures: &[Failure],
    ) -> io::Result<()> {
        match self.format {
            OutputFormat::Full | OutputFormat::Concise | OutputFormat::Github => {
                for file in files {
                    match file {
                        Rendered::Text(bytes) => out.write_all(bytes)?,
                        Rendered::Json(_) | Rendered::Findings(_) => {}
                    }
                }
                let hidden = summary.warnings + summary.infos;
                if self.quiet && hidden > 0 {
                    let line = summary.line();
                    let line = line.strip_suffix('.').unwrap_or(&line);
                    writeln!(out, "{line} (only errors shown: --quiet).")?;
                } else {
                    writeln!(out, "{}", summary.line())?;
                }
                if let Some(line) = summary.fixable_line() {
                    writeln!(out, "{line}")?;
                }
            }
            OutputFormat::Json => json::write(out, files, summary)?,
            OutputFormat::Sarif => {
                let cwd = std::env::current_dir().ok();
                sarif::write(out, files, failures, cwd.as_deref())?;
            }
            OutputFormat::Junit => junit::write(out, files)?,
            OutputFormat::Gitlab => gitlab::write(out, files)?,
        }
        out.flush()
    }
}

impl Renderer {
    /// Writes the `--statistics` table: after the results on `stdout` for the human formats,
    /// on `stderr` for the others (whose stdout is one document, or commands, for a machine).
    pub fn write_statistics<'w>(
        &self,
        stdout: &'w mut dyn Write,
        stderr: &'w mut dyn Write,
        summary: &Summary,
    ) -> io::Result<()> {
        let out = match self.format {
            OutputFormat::Full | OutputFormat::Concise => stdout,
            OutputFormat::Json
            | OutputFormat::Sarif
            | OutputFormat::Github
            | OutputFormat::Junit
            | OutputFormat::Gitlab => stderr,
        };
        out.write_all(summary.statistics().as_bytes())?;
        out.flush()
    }
}

/// A range made safe to slice `text` with: inside the text, on character boundaries.
pub(crate) fn clamp(text: &str, range: TextRange) -> std::ops::Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(usize::from(range.start()));
    let end = floor(usize::from(range.end())).max(start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines() {
        let mut s = Summary {
            files: 1,
            ..Summary::default()
        };
        assert_eq!(s.line(), "Checked 1 file: no problems found.");
        s.files = 3;
        s.errors = 2;
        s.infos = 1;
        assert_eq!(s.line(), "Checked 3 files: 2 errors, 1 info.");
        s.failures = 1;
        assert_eq!(
            s.line(),
            "Checked 3 files: 2 errors, 1 info; 1 failure, reported above."
        );
        let s = Summary {
            failures: 2,
            ..Summary::default()
        };
        assert_eq!(s.line(), "Checked 0 files; 2 failures, reported above.");
    }

    #[test]
    fn clamping() {
        let text = "aé";
        assert_eq!(clamp(text, TextRange::new(2.into(), 9.into())), 1..3);
        assert_eq!(clamp(text, TextRange::new(5.into(), 9.into())), 3..3);
    }
}
