//! Findings with their positions resolved, for the formats that write one document for the
//! whole run (`sarif`, `junit`, `gitlab`).
//!
//! Positions are 1-based lines and columns counted in characters (Unicode scalar values), the
//! end exclusive, as in `--format json`; character offsets count from the start of the text (a
//! leading byte-order mark takes none, as it takes no column).

use asl_analyzer::{Diagnostic, Severity};
use asl_syntax::{Encoding, LineCol, LineIndex, TextRange};

/// One linted file and its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFindings {
    /// The file as given or found (`./` removed).
    pub path: String,
    pub findings: Vec<Finding>,
}

/// One finding with its positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Related places (`first used here`), with their messages.
    pub labels: Vec<(Span, String)>,
}

/// A range as lines, columns and character offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    pub end_line: u32,
    /// 1-based, exclusive (the position just after the range).
    pub end_column: u32,
    /// 0-based, in characters.
    pub char_offset: u32,
    pub char_length: u32,
}

/// Resolves the positions of one file's findings.
pub fn locate(path: &str, text: &str, diagnostics: &[Diagnostic]) -> FileFindings {
    let findings = if diagnostics.is_empty() {
        Vec::new()
    } else {
        let locator = Locator::new(text);
        diagnostics
            .iter()
            .map(|d| Finding {
                code: d.code(),
                rule: d.name(),
                severity: d.severity,
                message: d.message.clone(),
                span: locator.span(d.range),
                labels: d
                    .labels
                    .iter()
                    .map(|l| (locator.span(l.range), l.message.clone()))
                    .collect(),
            })
            .collect()
    };
    FileFindings {
        path: path.to_owned(),
        findings,
    }
}

struct Locator<'a> {
    text: &'a str,
    index: LineIndex,
    /// The characters before each line's start (only for text that is not ASCII: in ASCII text
    /// the byte offset is the character offset).
    line_chars: Vec<u32>,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Locator<'a> {
        let index = LineIndex::new(text);
        let mut line_chars = Vec::new();
        if !text.is_ascii() {
            let mut previous = if text.starts_with('\u{feff}') { 3 } else { 0 };
            let mut total = 0u32;
            for line in 0..index.line_count() {
                let start = index
                    .line_start(line as u32)
                    .map_or(previous, usize::from)
                    .max(previous);
                let chars = text.get(previous..start).map_or(0, |s| s.chars().count());
                total = total.saturating_add(chars as u32);
                line_chars.push(total);
                previous = start;
            }
        }
        Locator {
            text,
            index,
            line_chars,
        }
    }

    fn char_offset(&self, at: LineCol) -> u32 {
        let line_start = if self.line_chars.is_empty() {
            self.index.line_start(at.line).map_or(0, u32::from)
        } else {
            self.line_chars.get(at.line as usize).copied().unwrap_or(0)
        };
        line_start.saturating_add(at.col)
    }

    fn span(&self, range: TextRange) -> Span {
        let (start, end) = self.index.range(self.text, range, Encoding::Utf32);
        let char_offset = self.char_offset(start);
        Span {
            line: start.line + 1,
            column: start.col + 1,
            end_line: end.line + 1,
            end_column: end.col + 1,
            char_offset,
            char_length: self.char_offset(end).saturating_sub(char_offset),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::*;
    use asl_syntax::TextSize;

    fn range(start: u32, end: u32) -> TextRange {
        TextRange::new(TextSize::from(start), TextSize::from(end))
    }

    #[test]
    fn character_offsets_count_characters() {
        // "é" is 2 bytes, "☕" 3; the BOM takes no column and no offset.
        let text = "\u{feff}aé\n☕xy";
        let locator = Locator::new(text);
        let x = text.find('x').unwrap() as u32;
        let span = locator.span(range(x, x + 2));
        assert_eq!((span.line, span.column, span.end_column), (2, 2, 4));
        assert_eq!((span.char_offset, span.char_length), (4, 2));
        let ascii = Locator::new("ab\ncd");
        let span = ascii.span(range(3, 5));
        assert_eq!(
            (span.line, span.column, span.char_offset, span.char_length),
            (2, 1, 3, 2)
        );
    }
}
