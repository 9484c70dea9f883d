//! `--format json`: one document, schema version 1 (documented in docs/cli.md):
//!
//! ```json
//! {"version": 1,
//!  "diagnostics": [{"path", "code", "rule", "severity", "message",
//!                   "line", "column", "end_line", "end_column", "pointer"}],
//!  "summary": {"files", "errors", "warnings", "infos"}}
//! ```
//!
//! Lines and columns are 1-based; columns count characters (Unicode scalar values); the end is
//! exclusive (the position just after the range).

use std::io::{self, Write};

use asl_analyzer::Diagnostic;
use asl_syntax::{Encoding, LineIndex};
use serde::Serialize;

use super::{Rendered, Summary};

/// The version of the schema below; bumped on any incompatible change.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    pub path: String,
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub pointer: String,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<&'a JsonDiagnostic>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn entries(path: &str, text: &str, diagnostics: &[Diagnostic]) -> Vec<JsonDiagnostic> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| {
            let (start, end) = index.range(text, d.range, Encoding::Utf32);
            JsonDiagnostic {
                path: path.to_owned(),
                code: d.code(),
                rule: d.name(),
                severity: d.severity.as_str(),
                message: d.message.clone(),
                line: start.line + 1,
                column: start.col + 1,
                end_line: end.line + 1,
                end_column: end.col + 1,
                pointer: d.pointer.clone(),
            }
        })
        .collect()
}

pub fn write<'a>(
    out: &mut dyn Write,
    files: impl IntoIterator<Item = &'a Rendered>,
    summary: &Summary,
) -> io::Result<()> {
    let diagnostics = files
        .into_iter()
        .flat_map(|file| match file {
            Rendered::Json(entries) => entries.as_slice(),
            Rendered::Text(_) | Rendered::Findings(_) => &[],
        })
        .collect();
    let document = Document {
        version: VERSION,
        diagnostics,
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
