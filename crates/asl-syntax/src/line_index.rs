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
    /// Every character longer than one byte, in order: its offset and UTF-8 length. With the
    /// running sums below, a column in any encoding is two binary searches away, however long
    /// the line (a minified definition is one line of megabytes).
    wide: Vec<(TextSize, u8)>,
    /// `excess16[i]`: the sum of `len_utf8 - len_utf16` over `wide[..i]`.
    excess16: Vec<u32>,
    /// `excess32[i]`: the sum of `len_utf8 - 1` over `wide[..i]`.
    excess32: Vec<u32>,
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
        let mut wide = Vec::new();
        let mut excess16 = vec![0];
        let mut excess32 = vec![0];
        if !text.is_ascii() {
            let (mut sum16, mut sum32) = (0u32, 0u32);
            for (i, c) in text.char_indices() {
                let len8 = c.len_utf8();
                if len8 > 1 {
                    wide.push((TextSize::from(i as u32), len8 as u8));
                    sum16 += (len8 - c.len_utf16()) as u32;
                    sum32 += (len8 - 1) as u32;
                    excess16.push(sum16);
                    excess32.push(sum32);
                }
            }
        }
        LineIndex {
            line_starts,
            len: TextSize::from(text.len() as u32),
            wide,
            excess16,
            excess32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The start offset of a zero-based line.
    pub fn line_start(&self, line: u32) -> Option<TextSize> {
        self.line_starts.get(line as usize).copied()
    }

    /// The index in `wide` of the first wide character at or after `offset`.
    fn wide_from(&self, offset: TextSize) -> usize {
        self.wide.partition_point(|&(at, _)| at < offset)
    }

    /// How many bytes more than `encoding` units the wide characters `wide[from..to]` take.
    fn excess(&self, from: usize, to: usize, encoding: Encoding) -> u32 {
        let sums = match encoding {
            Encoding::Utf8 => return 0,
            Encoding::Utf16 => &self.excess16,
            Encoding::Utf32 => &self.excess32,
        };
        let at = |i: usize| sums.get(i).copied().unwrap_or(0);
        at(to).saturating_sub(at(from))
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
        let bytes = (slice_end - usize::from(start)) as u32;
        let end = TextSize::from(slice_end as u32);
        let col = bytes - self.excess(self.wide_from(start), self.wide_from(end), encoding);
        LineCol {
            line: line as u32,
            col,
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
        let content_end = start + TextSize::of(line.trim_end_matches(['\n', '\r']));
        let first = self.wide_from(start);
        let last = self.wide_from(content_end);
        // The column, in units, at which a wide character of this line starts.
        let units_at = |i: usize| {
            self.wide.get(i).map_or(0, |&(at, _)| {
                u32::from(at - start) - self.excess(first, i, encoding)
            })
        };
        // The last wide character of the line starting at or before the column.
        let (mut lo, mut hi) = (first, last);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if units_at(mid) <= pos.col {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let offset = match (lo > first).then(|| lo - 1) {
            None => start + TextSize::from(pos.col.min(u32::from(content_end - start))),
            Some(i) => {
                let (at, len8) = self.wide.get(i).copied().unwrap_or_default();
                let width = match encoding {
                    Encoding::Utf8 => u32::from(len8),
                    Encoding::Utf16 => u32::from(len8) - self.excess(i, i + 1, encoding),
                    Encoding::Utf32 => 1,
                };
                let into = pos.col - units_at(i);
                if into < width {
                    at
                } else {
                    // ASCII follows up to the next wide character, which starts past the column.
                    at + TextSize::from(u32::from(len8) + (into - width))
                }
            }
        };
        Some(offset.min(content_end))
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
    fn offsets_and_columns_agree_on_every_character() {
        let text = "aé😀b\r\n€x\n\u{10ffff}yz😀😀\rq";
        let index = LineIndex::new(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (i, _) in text.char_indices() {
                let offset = TextSize::from(i as u32);
                let pos = index.line_col(text, offset, encoding);
                if text[i..].starts_with('\n') && text[..i].ends_with('\r') {
                    continue;
                }
                assert_eq!(
                    index.offset(text, pos, encoding),
                    Some(offset),
                    "{i} {encoding:?}"
                );
            }
        }
        // A column inside a character moves to its start; past the end, to the line's end.
        assert_eq!(
            index.offset(text, at(0, 2), Encoding::Utf8),
            Some(TextSize::from(1))
        );
        assert_eq!(
            index.offset(text, at(0, 3), Encoding::Utf16),
            Some(TextSize::from(3))
        );
        assert_eq!(
            index.offset(text, at(0, 4), Encoding::Utf16),
            Some(TextSize::from(7))
        );
        assert_eq!(
            index.offset(text, at(0, 99), Encoding::Utf32),
            Some(TextSize::from(8))
        );
        assert_eq!(
            index.line_col(text, TextSize::from(4), Encoding::Utf32),
            at(0, 2)
        );
    }

    #[test]
    fn columns_on_a_long_line_cost_no_scan() {
        // One line of 400,000 wide characters: 100,000 lookups at its end finish at once
        // (each was a scan of the line before).
        let text = "é".repeat(400_000);
        let index = LineIndex::new(&text);
        let end = TextSize::of(text.as_str());
        for _ in 0..100_000 {
            assert_eq!(index.line_col(&text, end, Encoding::Utf16), at(0, 400_000));
        }
        assert_eq!(
            index.offset(&text, at(0, 399_999), Encoding::Utf32),
            Some(end - TextSize::from(2))
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
