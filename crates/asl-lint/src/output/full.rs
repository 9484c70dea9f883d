//! `--format full`: each finding with its source lines (codespan-reporting), the primary label
//! at the finding's range, secondary labels, and notes.
//!
//! Severities show as codespan names them: `error`, `warning`, and `note` for info. A finding
//! that `--fix` fixes has `[*] ` before its message, as ruff marks them.
//!
//! A line longer than [`LONG_LINE`] bytes (a minified definition is one line of megabytes) is
//! not printed whole: the finding shows windows of it around each label's ends, joined by `…`,
//! with the real line and column numbers. Printing the whole line per finding made the output,
//! and its memory, the file's size times the number of findings.

use asl_analyzer::{Diagnostic, Severity};
use asl_syntax::{Encoding, LineIndex, TextSize};
use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{Error as FilesError, Files, SimpleFile};
use codespan_reporting::term::{self, Config, termcolor};

use super::{Fixable, clamp, marker};

/// Lines longer than this many bytes are shown as windows around the labels.
const LONG_LINE: usize = 240;
/// Bytes of context on each side of a label's end, in a window of a long line.
const CONTEXT: usize = 40;

/// Renders one file's findings, with ANSI colours when `color` is set. `fixable` is parallel
/// to `diagnostics` (shorter: the rest have no fix).
pub fn render(
    path: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    fixable: &[Option<Fixable>],
    color: bool,
) -> Vec<u8> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let file = SimpleFile::new(path, text);
    let mut index: Option<LineIndex> = None;
    let config = Config::default();
    let mut out = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let report = to_report(text, d, marker(fixable, i));
        let long = report.labels.iter().any(|l| {
            touches_long_line(text, l.range.start) || touches_long_line(text, l.range.end)
        });
        let rendered = if long {
            let index = index.get_or_insert_with(|| LineIndex::new(text));
            let excerpt = Excerpt::new(path, text, index, &report);
            let report = excerpt.remap(report);
            emit(&config, &excerpt, &report, color)
        } else {
            emit(&config, &file, &report, color)
        };
        match rendered {
            Ok(bytes) => out.extend_from_slice(&bytes),
            // Not expected (ranges are clamped); fall back to the one-line form.
            Err(_) => out.extend_from_slice(
                super::concise::render(path, text, std::slice::from_ref(d), &[]).as_bytes(),
            ),
        }
    }
    out
}

fn emit<'f, F: Files<'f, FileId = ()>>(
    config: &Config,
    files: &'f F,
    report: &Report<()>,
    color: bool,
) -> Result<Vec<u8>, FilesError> {
    if color {
        let mut buffer = termcolor::Buffer::ansi();
        term::emit_to_write_style(&mut buffer, config, files, report).map(|()| buffer.into_inner())
    } else {
        let mut buffer = Vec::new();
        term::emit_to_io_write(&mut buffer, config, files, report).map(|()| buffer)
    }
}

/// The line holding byte `at`: its zero-based number, start and end (exclusive, without its
/// line break).
fn line_around(text: &str, index: &LineIndex, at: usize) -> (u32, usize, usize) {
    let line = index
        .line_col(text, TextSize::from(at as u32), Encoding::Utf8)
        .line;
    let start = index.line_start(line).map_or(0, usize::from);
    let next = index.line_start(line + 1).map_or(text.len(), usize::from);
    let content = text.get(start..next).unwrap_or_default();
    (
        line,
        start,
        start + content.trim_end_matches(['\n', '\r']).len(),
    )
}

/// Whether the line holding byte `at` is longer than [`LONG_LINE`], looking no further than
/// that on each side.
fn touches_long_line(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let from = at.saturating_sub(LONG_LINE + 1);
    let to = (at + LONG_LINE + 1).min(bytes.len());
    let before = bytes.get(from..at).unwrap_or_default();
    let after = bytes.get(at..to).unwrap_or_default();
    let left =
        memchr::memrchr2(b'\n', b'\r', before).map_or(before.len(), |p| before.len() - p - 1);
    let right = memchr::memchr2(b'\n', b'\r', after).map_or(after.len(), |p| p);
    left + right > LONG_LINE
}

/// A piece of the source shown in an excerpt: `len` bytes from `real` in the file, at `shown`
/// in the excerpt.
#[derive(Debug, Clone, Copy)]
struct Piece {
    real: usize,
    shown: usize,
    len: usize,
}

/// The lines a finding touches, each long one cut to windows around the labels' ends: a
/// codespan "file" whose line and column numbers are those of the real file.
struct Excerpt<'t> {
    name: &'t str,
    text: &'t str,
    index: &'t LineIndex,
    source: String,
    /// Start of each excerpt line in `source`, and its zero-based line in the file.
    lines: Vec<(usize, u32)>,
    pieces: Vec<Piece>,
}

impl<'t> Excerpt<'t> {
    fn new(name: &'t str, text: &'t str, index: &'t LineIndex, report: &Report<()>) -> Self {
        let mut points: Vec<usize> = report
            .labels
            .iter()
            .flat_map(|l| [l.range.start, l.range.end])
            .collect();
        points.sort_unstable();
        points.dedup();
        let mut this = Excerpt {
            name,
            text,
            index,
            source: String::new(),
            lines: Vec::new(),
            pieces: Vec::new(),
        };
        let floor = |mut i: usize| {
            while i > 0 && !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            while i < text.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            i.min(text.len())
        };
        let mut rest = points.as_slice();
        while let Some(&first) = rest.first() {
            let (line, start, end) = line_around(text, index, first);
            let count = rest.iter().take_while(|&&p| p <= end).count();
            let (here, next) = rest.split_at(count);
            rest = next;
            if !this.source.is_empty() {
                this.source.push('\n');
            }
            this.lines.push((this.source.len(), line));
            // Windows around each point, merged where they meet.
            let mut windows: Vec<(usize, usize)> = Vec::new();
            for &p in here {
                let from = floor(p.saturating_sub(CONTEXT).max(start));
                let to = ceil((p + CONTEXT).min(end));
                match windows.last_mut() {
                    Some(last) if from <= last.1 + 8 => last.1 = last.1.max(to),
                    _ => windows.push((from, to)),
                }
            }
            if end - start <= LONG_LINE {
                windows = vec![(start, end)];
            }
            for (i, &(from, to)) in windows.iter().enumerate() {
                if from > start || i > 0 {
                    this.source.push_str(if i > 0 { " … " } else { "…" });
                }
                this.pieces.push(Piece {
                    real: from,
                    shown: this.source.len(),
                    len: to - from,
                });
                this.source.push_str(text.get(from..to).unwrap_or_default());
            }
            if windows.last().is_some_and(|&(_, to)| to < end) {
                this.source.push('…');
            }
        }
        this
    }

    /// Where a byte of the file is in the excerpt (every label end is inside some piece).
    fn shown(&self, real: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.real <= real);
        i.checked_sub(1)
            .and_then(|i| self.pieces.get(i))
            .map_or(0, |p| p.shown + (real - p.real).min(p.len))
    }

    /// Where a byte of the excerpt is in the file.
    fn real(&self, shown: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.shown <= shown);
        i.checked_sub(1)
            .and_then(|i| self.pieces.get(i))
            .map_or(0, |p| p.real + (shown - p.shown).min(p.len))
    }

    fn remap(&self, mut report: Report<()>) -> Report<()> {
        for label in &mut report.labels {
            label.range = self.shown(label.range.start)..self.shown(label.range.end);
        }
        report
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .lines
            .partition_point(|&(start, _)| start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        self.lines
            .get(line_index)
            .map(|&(_, line)| line as usize + 1)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: self.lines.len(),
            })
    }

    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let real = TextSize::from(self.real(byte_index) as u32);
        Ok(self.index.line_col(self.text, real, Encoding::Utf32).col as usize + 1)
    }

    fn line_range(
        &'a self,
        (): (),
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let start = self.lines.get(line_index).map(|&(start, _)| start).ok_or(
            FilesError::LineTooLarge {
                given: line_index,
                max: self.lines.len(),
            },
        )?;
        let end = self
            .lines
            .get(line_index + 1)
            .map_or(self.source.len(), |&(next, _)| next);
        Ok(start..end)
    }
}

/// Renders one file's findings without colour, as a string (for tests and tools).
pub fn render_full(path: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    String::from_utf8_lossy(&render(path, text, diagnostics, &[], false)).into_owned()
}

fn to_report(text: &str, d: &Diagnostic, marker: &str) -> Report<()> {
    let severity = match d.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
    };
    let mut labels = vec![Label::primary((), clamp(text, d.range))];
    labels.extend(
        d.labels
            .iter()
            .map(|l| Label::secondary((), clamp(text, l.range)).with_message(&l.message)),
    );
    Report::new(severity)
        .with_code(format!("{}/{}", d.code(), d.name()))
        .with_message(format!("{marker}{}", d.message))
        .with_labels(labels)
        .with_notes(d.notes.clone())
}
