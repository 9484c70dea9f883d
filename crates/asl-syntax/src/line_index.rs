//! Every conversion between byte offsets and line/column positions lives here.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (as LSP defines them). A leading byte-order mark is
//! zero-width: column 0 of line 0 is just after it.

use text_size::{TextRange, TextSize};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (LSP's default).
    Utf16,
    /// Unicode scalar values, i.e. characters (what humans and terminals count).
    Utf32,
}

/// A zero-based line and column; the column unit is the [`Encoding`] it was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of every line (the first is 0, or 3 after a BOM).
    line_starts: Vec<TextSize>,
    len: TextSize,
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let first = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut line_starts = vec![TextSize::from(first)];
        let mut from = 0;
        // Jumps from line break to line break (memchr), instead of looking at every byte.
        while let Some(p) = bytes
            .get(from..)
            .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
        {
            let mut i = from + p;
            if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            line_starts.push(TextSize::from(i as u32 + 1));
            from = i + 1;
        }
        LineIndex {
            line_starts,
            len: TextSize::from(text.len() as u32),
            ascii: text.is_ascii(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The start offset of a zero-based line.
    pub fn line_start(&self, line: u32) -> Option<TextSize> {
        self.line_starts.get(line as usize).copied()
    }

    /// The line/column of `offset` (clamped to the text; an offset inside a character or line
    /// break is moved back to its start).
    pub fn line_col(&self, text: &str, offset: TextSize, encoding: Encoding) -> LineCol {
        let offset = offset.min(self.len);
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or_default();
        let offset = offset.max(start);
        let mut slice_end = usize::from(offset);
        while slice_end > usize::from(start) && !text.is_char_boundary(slice_end) {
            slice_end -= 1;
        }
        let segment = text.get(usize::from(start)..slice_end).unwrap_or("");
        let col = if self.ascii || encoding == Encoding::Utf8 {
            segment.len()
        } else {
            match encoding {
                Encoding::Utf16 => segment.chars().map(char::len_utf16).sum(),
                _ => segment.chars().count(),
            }
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The offset of a line/column, or `None` when the line does not exist. A column past the end
    /// of its line is clamped to the line's end (as LSP requires); a column inside a character
    /// moves to that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: Encoding) -> Option<TextSize> {
        let start = *self.line_starts.get(pos.line as usize)?;
        let end = self
            .line_starts
            .get(pos.line as usize + 1)
            .copied()
            .unwrap_or(self.len);
        let line = text.get(usize::from(start)..usize::from(end)).unwrap_or("");
        let content = line.trim_end_matches(['\n', '\r']);
        let mut units = 0u32;
        for (i, c) in content.char_indices() {
            let width = match encoding {
                Encoding::Utf8 => c.len_utf8() as u32,
                Encoding::Utf16 => c.len_utf16() as u32,
                Encoding::Utf32 => 1,
            };
            if units + width > pos.col {
                return Some(start + TextSize::from(i as u32));
            }
            units += width;
        }
        Some(start + TextSize::from(content.len() as u32))
    }

    /// Both ends of a range.
    pub fn range(&self, text: &str, range: TextRange, encoding: Encoding) -> (LineCol, LineCol) {
        (
            self.line_col(text, range.start(), encoding),
            self.line_col(text, range.end(), encoding),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn columns_in_every_encoding() {
        let text = "a😀b\né";
        let index = LineIndex::new(text);
        let b = TextSize::from(5);
        assert_eq!(index.line_col(text, b, Encoding::Utf8), at(0, 5));
        assert_eq!(index.line_col(text, b, Encoding::Utf16), at(0, 3));
        assert_eq!(index.line_col(text, b, Encoding::Utf32), at(0, 2));
        assert_eq!(index.offset(text, at(0, 3), Encoding::Utf16), Some(b));
        assert_eq!(index.offset(text, at(0, 2), Encoding::Utf32), Some(b));
        assert_eq!(
            index.line_col(text, TextSize::from(9), Encoding::Utf16),
            at(1, 1)
        );
    }

    #[test]
    fn crlf_and_lone_cr() {
        let text = "a\r\nb\rc";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(
            index.line_col(text, TextSize::from(3), Encoding::Utf8),
            at(1, 0)
        );
        assert_eq!(
            index.line_col(text, TextSize::from(5), Encoding::Utf8),
            at(2, 0)
        );
        // A column past the end of line 0 clamps before the line break.
        assert_eq!(
            index.offset(text, at(0, 99), Encoding::Utf16),
            Some(TextSize::from(1))
        );
        assert_eq!(index.offset(text, at(7, 0), Encoding::Utf16), None);
    }

    #[test]
    fn bom_is_zero_width() {
        let text = "\u{feff}{}";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_col(text, TextSize::from(3), Encoding::Utf16),
            at(0, 0)
        );
        assert_eq!(
            index.offset(text, at(0, 1), Encoding::Utf16),
            Some(TextSize::from(4))
        );
    }

    #[test]
    fn out_of_range_offsets_clamp() {
        let text = "ab";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_col(text, TextSize::from(99), Encoding::Utf8),
            at(0, 2)
        );
    }
}
