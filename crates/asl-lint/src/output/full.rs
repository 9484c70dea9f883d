//! `--format full`: each finding with its source lines (codespan-reporting), the primary label
//! at the finding's range, secondary labels, and notes.
//!
//! Severities show as codespan names them: `error`, `warning`, and `note` for info.

use asl_analyzer::{Diagnostic, Severity};
use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};

use super::clamp;

/// Renders one file's findings, with ANSI colours when `color` is set.
pub fn render(path: &str, text: &str, diagnostics: &[Diagnostic], color: bool) -> Vec<u8> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let file = SimpleFile::new(path, text);
    let config = Config::default();
    let mut out = Vec::new();
    for d in diagnostics {
        let report = to_report(text, d);
        let rendered = if color {
            let mut buffer = termcolor::Buffer::ansi();
            term::emit_to_write_style(&mut buffer, &config, &file, &report)
                .map(|()| buffer.into_inner())
        } else {
            let mut buffer = Vec::new();
            term::emit_to_io_write(&mut buffer, &config, &file, &report).map(|()| buffer)
        };
        match rendered {
            Ok(bytes) => out.extend_from_slice(&bytes),
            // Not expected (ranges are clamped); fall back to the one-line form.
            Err(_) => out.extend_from_slice(
                super::concise::render(path, text, std::slice::from_ref(d)).as_bytes(),
            ),
        }
    }
    out
}

/// Renders one file's findings without colour, as a string (for tests and tools).
pub fn render_full(path: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    String::from_utf8_lossy(&render(path, text, diagnostics, false)).into_owned()
}

fn to_report(text: &str, d: &Diagnostic) -> Report<()> {
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
        .with_code(format!("{}/{}", d.code, d.rule))
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(d.notes.clone())
}
