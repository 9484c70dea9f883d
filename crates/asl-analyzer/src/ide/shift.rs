//! Maps positions between an older text and a newer one, so navigation can keep using the last
//! well-formed analysis while the current text has a syntax error.
//!
//! The two texts share a prefix and a suffix; only the middle changed. Offsets in the shared
//! prefix are equal, offsets in the shared suffix shift by the change in length, and offsets
//! inside the changed middle have no counterpart.

use asl_syntax::{TextRange, TextSize};

/// The single-hunk difference between an old and a new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextShift {
    /// Length of the common prefix.
    prefix: usize,
    /// Where the common suffix starts in the old text.
    old_tail: usize,
    /// Where the common suffix starts in the new text.
    new_tail: usize,
}

impl TextShift {
    pub fn new(old: &str, new: &str) -> TextShift {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let max_suffix = a.len().min(b.len()) - prefix;
        let mut suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take(max_suffix)
            .take_while(|(x, y)| x == y)
            .count();
        while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
            suffix -= 1;
        }
        TextShift {
            prefix,
            old_tail: a.len() - suffix,
            new_tail: b.len() - suffix,
        }
    }

    /// True when the texts are equal.
    pub fn is_identity(&self) -> bool {
        self.prefix == self.old_tail && self.old_tail == self.new_tail
    }

    /// The old offset of a new offset, unless it lies inside the changed text.
    pub fn to_old(&self, offset: TextSize) -> Option<TextSize> {
        map(offset, self.prefix, self.new_tail, self.old_tail)
    }

    /// The new offset of an old offset, unless it lies inside the changed text.
    pub fn to_new(&self, offset: TextSize) -> Option<TextSize> {
        map(offset, self.prefix, self.old_tail, self.new_tail)
    }

    /// The new range of an old range, unless either end lies inside the changed text.
    pub fn range_to_new(&self, range: TextRange) -> Option<TextRange> {
        let start = self.to_new(range.start())?;
        let end = self.to_new(range.end())?;
        (start <= end).then(|| TextRange::new(start, end))
    }
}

fn map(offset: TextSize, prefix: usize, from_tail: usize, to_tail: usize) -> Option<TextSize> {
    let o = usize::from(offset);
    if o <= prefix {
        Some(offset)
    } else if o >= from_tail {
        u32::try_from(o - from_tail + to_tail)
            .ok()
            .map(TextSize::from)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(n: u32) -> TextSize {
        TextSize::from(n)
    }

    #[test]
    fn maps_around_an_insertion() {
        let shift = TextShift::new("abcdef", "abcXYdef");
        assert_eq!(shift.to_new(at(2)), Some(at(2)));
        assert_eq!(shift.to_new(at(3)), Some(at(3)));
        assert_eq!(shift.to_new(at(4)), Some(at(6)));
        assert_eq!(shift.to_old(at(6)), Some(at(4)));
        assert_eq!(shift.to_old(at(4)), None);
        assert!(!shift.is_identity());
    }

    #[test]
    fn maps_around_a_deletion_and_identity() {
        let shift = TextShift::new("abcdef", "abef");
        assert_eq!(shift.to_new(at(5)), Some(at(3)));
        assert_eq!(shift.to_new(at(3)), None);
        assert_eq!(
            shift.range_to_new(TextRange::new(at(4), at(6))),
            Some(TextRange::new(at(2), at(4)))
        );
        assert!(TextShift::new("same", "same").is_identity());
    }

    #[test]
    fn repeated_characters_do_not_overlap_prefix_and_suffix() {
        let shift = TextShift::new("aaaa", "aaaaaa");
        assert_eq!(shift.to_new(at(4)), Some(at(4)));
        assert_eq!(shift.to_old(at(5)), None);
        assert_eq!(shift.to_old(at(6)), Some(at(4)));
    }

    #[test]
    fn stays_on_char_boundaries() {
        let shift = TextShift::new("xé", "xè");
        assert_eq!(shift.to_new(at(1)), Some(at(1)));
        assert_eq!(shift.to_new(at(2)), None);
        assert_eq!(shift.to_new(at(3)), Some(at(3)));
    }
}
