//! Shared by the fuzz targets: range checks, edit application and a big-stack worker thread.
//!
//! Every check panics with a message naming what was checked; libfuzzer-sys turns a panic on
//! any thread into an abort, so it is reported as a crash with the input.

#![allow(dead_code)]

use std::ops::Range;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Mutex, OnceLock};

use asl_analyzer::Diagnostic;
use asl_analyzer::ide::Edit;
use asl_syntax::{Encoding, LineIndex, Parse, TextRange, TextSize};

/// Asserts that `range` lies inside `text` with both ends on character boundaries (but for a
/// known finding, see [`known`]).
#[track_caller]
pub fn check_range(text: &str, range: TextRange, what: &str) {
    if !range_ok(text, range) && is_known(text, range) {
        return;
    }
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    assert!(
        end <= text.len(),
        "{what}: range {start}..{end} ends past the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: range {start}..{end} is not on character boundaries of the text"
    );
}

/// Asserts that `offset` is inside `text` (the end included) on a character boundary.
#[track_caller]
pub fn check_offset(text: &str, offset: TextSize, what: &str) {
    check_range(text, TextRange::empty(offset), what);
}

/// Asserts that `inner` lies within `outer`.
#[track_caller]
pub fn check_contains(outer: TextRange, inner: TextRange, what: &str) {
    assert!(
        outer.contains_range(inner),
        "{what}: {inner:?} is not inside {outer:?}"
    );
}

/// Known findings to step over, so a shallow one does not hide the rest: the comma-separated
/// tags in the environment variable `ASL_FUZZ_KNOWN` (empty by default: every check is on).
///
/// - `suppress-locate`: an ASL901/ASL902 range (a suppression directive written in a string,
///   such as a `Comment`) that splits a character, because `suppress::locate` maps the value's
///   offsets as if the string were quoted, unescaped and unfolded; and any other range (hover,
///   code action) ending at the same split offsets;
/// - `completion-lines` (ide_queries): a completion range spanning lines (the rest of a broken
///   key holding a raw line break: `{"\n":{}}` at offset 2 gives 2..3), which LSP forbids;
/// - `yaml-trailing-space` (ide_queries): prepare_rename on a quoted YAML scalar followed by a
///   space (`Next: "B" `) gives `"B" `, quotes and space included, not the name.
pub fn known(tag: &str) -> bool {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        std::env::var("ASL_FUZZ_KNOWN")
            .unwrap_or_default()
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    })
    .iter()
    .any(|t| t == tag)
}

fn range_ok(text: &str, range: TextRange) -> bool {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

thread_local! {
    /// The offsets, off character boundaries, of the known-bad ranges met in this input.
    static KNOWN_BAD: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether a bad range is one of the known findings named in `ASL_FUZZ_KNOWN`.
fn is_known(text: &str, range: TextRange) -> bool {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    let bad = [start, end]
        .into_iter()
        .filter(|&i| i > text.len() || !text.is_char_boundary(i));
    KNOWN_BAD.with(|known| {
        let known = known.borrow();
        let mut bad = bad.peekable();
        bad.peek().is_some() && bad.all(|i| known.contains(&i))
    })
}

/// Records a known-bad diagnostic range (see [`known`]); true when it is one.
fn record_known(text: &str, code: &str, range: TextRange) -> bool {
    if !(known("suppress-locate") && matches!(code, "ASL901" | "ASL902")) {
        return false;
    }
    KNOWN_BAD.with(|known| {
        let mut known = known.borrow_mut();
        for i in [usize::from(range.start()), usize::from(range.end())] {
            if i > text.len() || !text.is_char_boundary(i) {
                known.push(i);
            }
        }
    });
    true
}

/// Checks every diagnostic's range and label ranges against `text`, that LineIndex converts
/// their ends both ways, and that no analyzer panic was caught (`ASL999`).
#[track_caller]
pub fn check_diagnostics(text: &str, diagnostics: &[Diagnostic], what: &str) {
    let index = LineIndex::new(text);
    for d in diagnostics {
        assert!(
            d.code() != "ASL999",
            "{what}: internal error (a caught panic): {}",
            d.message
        );
        let ranges =
            std::iter::once((d.range, "range")).chain(d.labels.iter().map(|l| (l.range, "label")));
        for (range, kind) in ranges {
            if !range_ok(text, range) && record_known(text, d.code(), range) {
                continue;
            }
            let what = format!("{what}: {} {kind}", d.code());
            check_range(text, range, &what);
            check_line_col(text, &index, range, &what);
        }
    }
}

/// The ends of a (valid) range survive offset -> line/column -> offset in every encoding (but
/// an end inside a CRLF, which LineIndex moves to the line break's start by design).
#[track_caller]
fn check_line_col(text: &str, index: &LineIndex, range: TextRange, what: &str) {
    for offset in [range.start(), range.end()] {
        let at = usize::from(offset);
        if at > 0 && text.as_bytes().get(at - 1..=at) == Some(&b"\r\n"[..]) {
            continue;
        }
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let pos = index.line_col(text, offset, encoding);
            let back = index.offset(text, pos, encoding);
            assert_eq!(
                back,
                Some(offset),
                "{what}: offset {offset:?} -> {pos:?} ({encoding:?}) -> {back:?}"
            );
        }
    }
}

/// Checks the ranges a parse reports: its error, non-standard syntax, duplicates, comments.
#[track_caller]
pub fn check_parse(text: &str, parse: &Parse, what: &str) {
    if let Some(e) = &parse.error {
        check_range(text, e.range, &format!("{what}: syntax error"));
    }
    for n in &parse.non_standard {
        check_range(text, n.range, &format!("{what}: non-standard"));
    }
    for d in &parse.duplicates {
        check_range(text, d.first, &format!("{what}: duplicate (first)"));
        check_range(text, d.second, &format!("{what}: duplicate (second)"));
    }
    for c in &parse.comments {
        check_range(text, *c, &format!("{what}: comment"));
    }
    if let Some(root) = &parse.root {
        check_range(text, root.range, &format!("{what}: root"));
    }
}

/// Checks a set of edits against `text` (valid ranges, none overlapping another) and returns
/// the text with them applied.
#[track_caller]
pub fn apply_edits(text: &str, edits: &[Edit], what: &str) -> String {
    for e in edits {
        check_range(text, e.range, &format!("{what}: edit"));
    }
    if !edits.iter().all(|e| range_ok(text, e.range)) {
        return text.to_owned(); // a known finding (see `known`): not applicable
    }
    let mut ranges: Vec<Range<usize>> = edits.iter().map(|e| e.range.into()).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    for pair in ranges.windows(2) {
        assert!(
            pair[0].end <= pair[1].start,
            "{what}: edits overlap: {:?} and {:?}",
            pair[0],
            pair[1]
        );
    }
    // Stable: insertions at one offset keep their order (LSP's rule), applied back to front.
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = text.to_owned();
    for e in sorted.into_iter().rev() {
        out.replace_range(Range::<usize>::from(e.range), &e.new_text);
    }
    out
}

/// Clamps a fuzz-chosen offset to `text` and moves it back to a character boundary.
pub fn offset_in(text: &str, raw: usize) -> TextSize {
    let mut i = raw % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    TextSize::from(u32::try_from(i).unwrap_or(u32::MAX))
}

/// Reads fixed-size pieces off the front of the input.
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    pub fn rest(self) -> &'a [u8] {
        self.0
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// Runs `f` on one long-lived thread with an [`asl_syntax::STACK_SIZE`] stack (the stack the
/// CLI and the language server give the analyzer, which accepts nesting up to
/// [`asl_syntax::MAX_DEPTH`]), and waits for it. A panic there aborts the process through
/// libfuzzer-sys' panic hook, so it is reported like one on the main thread.
pub fn on_big_stack(f: impl FnOnce() + Send + 'static) {
    static WORKER: OnceLock<Mutex<(SyncSender<Job>, Receiver<()>)>> = OnceLock::new();
    let worker = WORKER.get_or_init(|| {
        let (job_tx, job_rx) = sync_channel::<Job>(0);
        let (done_tx, done_rx) = sync_channel::<()>(0);
        std::thread::Builder::new()
            .name("fuzz-worker".to_owned())
            .stack_size(asl_syntax::STACK_SIZE)
            .spawn(move || {
                for job in job_rx {
                    KNOWN_BAD.with(|known| known.borrow_mut().clear());
                    job();
                    if done_tx.send(()).is_err() {
                        break;
                    }
                }
            })
            .expect("spawn the fuzz worker thread");
        Mutex::new((job_tx, done_rx))
    });
    let guard = worker.lock().unwrap_or_else(|e| e.into_inner());
    guard.0.send(Box::new(f)).expect("worker alive");
    guard.1.recv().expect("worker finished the input");
}
