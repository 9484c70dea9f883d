//! `--format gitlab`: a GitLab Code Quality report, a JSON array with one issue per finding:
//!
//! ```json
//! [{"description": "...", "check_name": "ASL101/unknown-target", "fingerprint": "9f3c...",
//!   "severity": "critical",
//!   "location": {"path": "states/a.asl.json",
//!                "positions": {"begin": {"line": 5, "column": 61},
//!                              "end": {"line": 5, "column": 69}}}}]
//! ```
//!
//! Severities: `error` is `critical`, `warning` is `major`, `info` is `info`. The fingerprint is
//! the FNV-1a 64-bit hash (16 hex digits) of the path, code, message, start and end positions
//! joined by NUL bytes, plus an occurrence number when two findings would otherwise share one;
//! the same finding at the same place keeps its fingerprint from run to run. Lines and columns
//! are 1-based, columns in characters, the end exclusive (as in `--format json`).

use std::collections::HashMap;
use std::io::{self, Write};

use asl_analyzer::Severity;
use serde::Serialize;

use super::Rendered;
use super::located::{FileFindings, Span};

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    positions: Positions,
}

#[derive(Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

/// GitLab's severity for a finding.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

pub fn write<'a>(
    out: &mut dyn Write,
    files: impl IntoIterator<Item = &'a Rendered>,
) -> io::Result<()> {
    let mut issues = Vec::new();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    for file in files {
        let Rendered::Findings(FileFindings { path, findings }) = file else {
            continue;
        };
        let path = path.as_str();
        for f in findings {
            let key = fingerprint(path, f.code, &f.message, f.span, 0);
            let occurrence = seen.entry(key).or_insert(0);
            let hash = if *occurrence == 0 {
                key
            } else {
                fingerprint(path, f.code, &f.message, f.span, *occurrence)
            };
            *occurrence += 1;
            issues.push(Issue {
                description: &f.message,
                check_name: format!("{}/{}", f.code, f.rule),
                fingerprint: format!("{hash:016x}"),
                severity: severity(f.severity),
                location: Location {
                    path,
                    positions: Positions {
                        begin: Position {
                            line: f.span.line,
                            column: f.span.column,
                        },
                        end: Position {
                            line: f.span.end_line,
                            column: f.span.end_column,
                        },
                    },
                },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

fn fingerprint(path: &str, code: &str, message: &str, span: Span, occurrence: u32) -> u64 {
    let position = format!(
        "{}:{}-{}:{}",
        span.line, span.column, span.end_line, span.end_column
    );
    let mut hash = Fnv1a::new();
    for part in [path, code, message, &position] {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    if occurrence > 0 {
        hash.write(occurrence.to_string().as_bytes());
    }
    hash.0
}

/// FNV-1a, 64 bits.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_reference_values() {
        // From the FNV reference test suite.
        let hash = |s: &str| {
            let mut h = Fnv1a::new();
            h.write(s.as_bytes());
            h.0
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprints_differ_by_place_and_occurrence() {
        let span = Span {
            line: 1,
            column: 2,
            end_line: 1,
            end_column: 3,
            char_offset: 1,
            char_length: 1,
        };
        let moved = Span { line: 2, ..span };
        let a = fingerprint("a.json", "ASL101", "m", span, 0);
        assert_eq!(a, fingerprint("a.json", "ASL101", "m", span, 0));
        assert_ne!(a, fingerprint("a.json", "ASL101", "m", moved, 0));
        assert_ne!(a, fingerprint("b.json", "ASL101", "m", span, 0));
        assert_ne!(a, fingerprint("a.json", "ASL101", "m", span, 1));
    }
}
