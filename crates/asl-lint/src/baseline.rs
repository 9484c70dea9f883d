//! `check --baseline FILE` and `--update-baseline`: reading and writing the baseline file, and
//! taking the findings it holds out of each file's findings before they are rendered, so every
//! output format, the summary, `--max-warnings` and the exit status see only the others. Which
//! findings a baseline holds is decided by [`asl_config::baseline`] (the language server's
//! module too); see docs/baseline.md.

use std::path::{Path, PathBuf};

use asl_analyzer::Diagnostic;
use asl_config::baseline::{Baseline, Entry, ReadError, entries, relative_key};

use crate::walk;

/// What the run does with the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The file exists: hide the findings it holds.
    Compare,
    /// The file does not exist: write it with every finding, report none.
    Create,
    /// `--update-baseline`: write it again with the current findings, report none.
    Update,
}

/// The baseline of one run.
#[derive(Debug)]
pub struct Run {
    /// The file, as named.
    pub display: String,
    path: PathBuf,
    /// Its folder (absolute): the files' keys are relative to it.
    dir: PathBuf,
    existing: Baseline,
    pub mode: Mode,
    /// The file was there.
    exists: bool,
    /// `--update-baseline` of a file that could not be read (why): it is written anew.
    unreadable: Option<String>,
}

/// What the baseline did with one file's findings.
#[derive(Debug, Clone, Default)]
pub struct FileBaseline {
    /// The file's key in the baseline.
    key: String,
    /// Findings hidden.
    hidden: usize,
    /// Entries of the file that match no finding.
    stale: usize,
    /// The file's findings as entries (to write).
    entries: Vec<Entry>,
}

impl Run {
    /// Reads the baseline at `path` (a missing file is an empty one, to create). The error is
    /// one line naming the file.
    pub fn load(path: &Path, update: bool, read_only: bool) -> Result<Run, String> {
        let display = walk::display_path(path);
        let absolute = asl_config::absolute(path);
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut unreadable = None;
        let (existing, exists) = match asl_config::baseline::read(path) {
            Ok(Some(baseline)) => (baseline, true),
            Ok(None) => (Baseline::default(), false),
            // Asked to write it again: what it held is lost, and said so.
            Err(ReadError::Invalid(message)) if update && !read_only => {
                unreadable = Some(message);
                (Baseline::default(), true)
            }
            Err(ReadError::Invalid(message)) => {
                return Err(format!("baseline {display}: {message}"));
            }
            Err(ReadError::Io(message)) => {
                return Err(format!("cannot read baseline {display}: {message}"));
            }
        };
        let mode = if read_only || (exists && !update) {
            Mode::Compare
        } else if exists {
            Mode::Update
        } else {
            Mode::Create
        };
        Ok(Run {
            display,
            path: path.to_path_buf(),
            dir,
            existing,
            mode,
            exists,
            unreadable,
        })
    }

    /// The key of a linted file (`None`: standard input without `--stdin-filename`, keyed
    /// `<stdin>`).
    pub fn key(&self, path: Option<&Path>) -> String {
        match path {
            Some(path) => relative_key(&self.dir, &asl_config::absolute(path)),
            None => crate::check::STDIN_NAME.to_owned(),
        }
    }

    /// Takes the findings the baseline holds out of `diagnostics` (of the file keyed `key`,
    /// whose text is `text`): in [`Mode::Compare`] those of its entries, else every one that
    /// may be baselined.
    pub fn apply(
        &self,
        key: String,
        text: &str,
        diagnostics: Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, FileBaseline) {
        let mut file = FileBaseline {
            entries: entries(text, &diagnostics),
            ..FileBaseline::default()
        };
        let (hidden, stale) = self.hidden(&key, text, &diagnostics);
        file.stale = stale;
        file.key = key;
        let mut kept = Vec::with_capacity(diagnostics.len());
        for (d, hide) in diagnostics.into_iter().zip(hidden) {
            if hide {
                file.hidden += 1;
            } else {
                kept.push(d);
            }
        }
        (kept, file)
    }

    /// Which of `diagnostics` the baseline hides, and how many of the file's entries match
    /// none: in [`Mode::Compare`] those of its entries, else every one that may be baselined.
    pub fn hidden(&self, key: &str, text: &str, diagnostics: &[Diagnostic]) -> (Vec<bool>, usize) {
        match self.mode {
            Mode::Compare => {
                let classified = self.existing.classify(key, text, diagnostics);
                (classified.hidden, classified.stale)
            }
            Mode::Create | Mode::Update => (
                diagnostics
                    .iter()
                    .map(asl_config::baseline::baselinable)
                    .collect(),
                0,
            ),
        }
    }

    /// After the run: writes the file (unless comparing) and returns the line for stderr.
    /// `files` are the files linted. The error is one line naming the file.
    pub fn finish(&self, files: &[FileBaseline]) -> Result<String, String> {
        let linted: std::collections::BTreeSet<&str> =
            files.iter().map(|f| f.key.as_str()).collect();
        // Entries of files this run did not lint: kept while the file is there.
        let elsewhere = |key: &str| {
            !linted.contains(key)
                && (key == crate::check::STDIN_NAME || self.dir.join(key).is_file())
        };
        match self.mode {
            Mode::Compare => {
                let hidden = files.iter().fold(0usize, |n, f| n.saturating_add(f.hidden));
                let gone: usize = self
                    .existing
                    .files
                    .keys()
                    .filter(|key| !linted.contains(key.as_str()) && !elsewhere(key))
                    .map(|key| self.existing.count_of(key))
                    .sum();
                let stale = files.iter().fold(gone, |n, f| n.saturating_add(f.stale));
                let mut line = format!(
                    "baseline {}: {} hidden",
                    self.display,
                    plural(hidden, "finding")
                );
                if stale > 0 {
                    let (them, occur) = if stale == 1 {
                        ("it", "occurs")
                    } else {
                        ("them", "occur")
                    };
                    line.push_str(&format!(
                        "; {} no longer {occur}: run with `--update-baseline` to drop {them}",
                        plural(stale, "entry")
                    ));
                }
                if !self.exists {
                    line = format!(
                        "baseline {}: not found, and `--diff` writes none; run without `--diff` to write it",
                        self.display
                    );
                }
                Ok(line)
            }
            Mode::Create | Mode::Update => {
                let mut next = Baseline::default();
                if self.mode == Mode::Update {
                    for (key, entries) in &self.existing.files {
                        if elsewhere(key) {
                            next.files.insert(key.clone(), entries.clone());
                        }
                    }
                }
                for file in files {
                    if !file.entries.is_empty() {
                        next.files
                            .entry(file.key.clone())
                            .or_default()
                            .extend(file.entries.iter().cloned());
                    }
                }
                let text = next.to_json();
                crate::check::write_output_file(&self.path, text.as_bytes()).map_err(
                    |message| format!("cannot write baseline {}: {message}", self.display),
                )?;
                let (findings, in_files) = next.counts();
                let what = format!(
                    "{} in {}",
                    plural(findings, "finding"),
                    plural(in_files, "file")
                );
                Ok(if self.mode == Mode::Create {
                    format!("wrote baseline {}: {what}; commit it", self.display)
                } else if let Some(why) = &self.unreadable {
                    let why = why.split("; ").next().unwrap_or_default();
                    format!(
                        "updated baseline {}: {what} (the old file could not be read: {why})",
                        self.display
                    )
                } else {
                    let (before, _) = self.existing.counts();
                    format!(
                        "updated baseline {}: {what} (it held {})",
                        self.display,
                        plural(before, "finding")
                    )
                })
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "entry") => format!("{n} entries"),
        _ => format!("{n} {word}s"),
    }
}
