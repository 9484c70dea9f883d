//! The editor features never panic: every query (hover, definition, references, highlights,
//! rename, symbols, folding, completion, code actions) at every offset of every fixture and
//! example, on the text as written and on broken versions of it (truncated, a byte flipped), and
//! every quick fix keeps the document well-formed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use asl_analyzer::Options;
use asl_analyzer::ide::{self, Analysis};
use asl_syntax::{Dialect, TextRange, TextSize};

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    let mut stack = vec![root.join("tests/fixtures"), root.join("examples")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().contains(".json") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(out.len() > 50, "fixtures not found");
    out
}

/// Every character boundary of `text` (every offset for short texts, else a sample).
fn offsets(text: &str) -> impl Iterator<Item = TextSize> + '_ {
    let step = (text.len() / 400).max(1);
    (0..=text.len())
        .step_by(step)
        .filter(|&i| text.is_char_boundary(i))
        .map(|i| TextSize::from(i as u32))
}

fn exercise(text: &str, dialect: Dialect, what: &str) {
    let analysis = Analysis::new(text, dialect, &Options::default());
    let _ = analysis.symbols();
    let _ = ide::folding_ranges(text);
    for offset in offsets(text) {
        let _ = analysis.hover(offset);
        let _ = analysis.definition(offset);
        let _ = analysis.references(offset, true);
        let _ = analysis.highlights(offset);
        if let Ok((range, _)) = analysis.prepare_rename(offset) {
            assert!(range.end() <= TextSize::from(text.len() as u32), "{what}");
            let edits = analysis.rename(offset, "Renamed \"state\"").unwrap();
            let renamed = apply(text, &edits);
            assert!(
                asl_syntax::parse(&renamed, dialect).root.is_some(),
                "{what}: renaming at {offset:?} broke the document"
            );
        }
        let _ = ide::completions(text, offset, true);
        let _ = analysis.completions(offset, false);
        for action in analysis.code_actions(TextRange::empty(offset)) {
            let fixed = apply(text, &action.edits);
            assert!(
                asl_syntax::parse(&fixed, dialect).root.is_some() || !analysis.has_tree(),
                "{what}: `{}` at {offset:?} broke the document:\n{fixed}",
                action.title
            );
        }
    }
}

fn apply(text: &str, edits: &[ide::TextEdit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    let mut out = text.to_owned();
    for e in edits {
        out.replace_range(std::ops::Range::<usize>::from(e.range), &e.new_text);
    }
    out
}

#[test]
fn every_query_everywhere_on_every_fixture() {
    for path in files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // the non-UTF-8 fixture
        };
        let dialect = Dialect::from_path(&path.to_string_lossy());
        let what = path.display().to_string();
        exercise(&text, dialect, &what);
    }
}

#[test]
fn broken_versions_of_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for name in ["order-processing.asl.json", "broken.asl.json"] {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        // Truncated at a sample of places.
        for cut in (0..text.len()).step_by((text.len() / 25).max(1)) {
            if text.is_char_boundary(cut) {
                exercise(&text[..cut], Dialect::Json, &format!("{name} cut at {cut}"));
            }
        }
        // One byte replaced by each structural character.
        for (i, b) in [b'{', b'}', b'"', b',', b':', b'['].iter().enumerate() {
            let at = text.len() * (i + 1) / 8;
            if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = *b;
                let broken = String::from_utf8(bytes).unwrap();
                exercise(
                    &broken,
                    Dialect::Json,
                    &format!("{name} with {} at {at}", *b as char),
                );
            }
        }
    }
}
