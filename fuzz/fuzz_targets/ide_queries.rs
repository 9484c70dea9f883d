//! The editor features (`asl_analyzer::ide`) on the input, at offsets the input chooses.
//!
//! Input layout: one byte for the dialect, four little-endian u16 offsets (each taken modulo
//! the text's length + 1 and moved back to a character boundary), a byte for the length of a
//! rename name (modulo 24) and that many bytes of it (lossy UTF-8); the rest is the document.
//!
//! Every query runs: diagnostics, symbols, folding ranges, the `--fix` fixes, inlay hints (whole
//! text and between two offsets), and at each offset hover, definition, references (with and
//! without the declaration), highlights, prepare_rename (its range is the name, when
//! unescaped and on one line) +
//! rename (to the fuzz-chosen name and
//! to one needing escapes), completions (tolerant scanner and tree, with and without
//! snippets) and code actions (at the offset and over a range). Asserted: no panic; every
//! range, offset and edit lies on character boundaries of the text; edits of one change do not
//! overlap; a definition's focus and a symbol's selection lie inside its range; an inlay hint is
//! inside the range asked for; a completion's range is on one line and holds the cursor; and
//! applying a rename or a code action to a document that parsed leaves it parsing. For YAML,
//! where the language server offers renames but no completions or code actions (they are JSON
//! text), those two only must not panic.

#![no_main]

mod common;

use asl_analyzer::Options;
use asl_analyzer::ide::{self, Analysis, Symbol};
use asl_syntax::{Dialect, TextRange, TextSize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    common::on_big_stack(move || run(&data));
});

fn run(data: &[u8]) {
    let mut bytes = common::Bytes(data);
    let dialect = [Dialect::Json, Dialect::Jsonc, Dialect::Json5, Dialect::Yaml]
        [usize::from(bytes.byte()) % 4];
    let raw_offsets = [bytes.u16(), bytes.u16(), bytes.u16(), bytes.u16()];
    let name_len = usize::from(bytes.byte()) % 24;
    let new_name = String::from_utf8_lossy(bytes.take(name_len)).into_owned();
    let text = String::from_utf8_lossy(bytes.rest()).into_owned();
    let text: &str = &text;
    let mut offsets: Vec<TextSize> = raw_offsets
        .iter()
        .map(|&o| common::offset_in(text, usize::from(o)))
        .collect();

    let analysis = Analysis::new(text, dialect, &Options::default());
    assert_eq!(analysis.text(), text);
    let parses = asl_syntax::parse(text, dialect).root.is_some();
    common::check_diagnostics(text, analysis.diagnostics(), "diagnostics");

    for symbol in analysis.symbols() {
        check_symbol(text, &symbol);
    }
    for fold in ide::folding_ranges(text) {
        common::check_range(text, fold.range, "folding range");
    }
    for d in analysis.diagnostics() {
        for fix in &d.fixes {
            common::apply_edits(
                text,
                &fix.edits,
                &format!("fix {} ({})", d.code(), fix.title),
            );
        }
    }
    let whole = TextRange::up_to(TextSize::from(text.len() as u32));
    let between = TextRange::new(offsets[0].min(offsets[1]), offsets[0].max(offsets[1]));
    for range in [whole, between] {
        for hint in analysis.inlay_hints(range) {
            common::check_offset(text, hint.offset, "inlay hint");
            assert!(
                range.contains_inclusive(hint.offset),
                "inlay hint at {:?} outside the range asked for {range:?}",
                hint.offset
            );
        }
    }
    for range in [between, whole] {
        code_actions(text, dialect, &analysis, range, parses);
    }

    offsets.sort();
    offsets.dedup();
    for offset in offsets {
        let at = |what: &str| format!("{what} at {offset:?}");
        if let Some(hover) = analysis.hover(offset) {
            common::check_range(text, hover.range, &at("hover"));
        }
        if let Some(target) = analysis.definition(offset) {
            common::check_range(text, target.range, &at("definition"));
            common::check_range(text, target.focus, &at("definition focus"));
            common::check_contains(target.range, target.focus, &at("definition focus"));
        }
        for include in [true, false] {
            for r in analysis.references(offset, include) {
                common::check_range(text, r, &at("reference"));
            }
        }
        for h in analysis.highlights(offset) {
            common::check_range(text, h.range, &at("highlight"));
        }
        if let Ok((range, name)) = analysis.prepare_rename(offset) {
            common::check_range(text, range, &at("prepare_rename"));
            let slice = text
                .get(std::ops::Range::<usize>::from(range))
                .unwrap_or(&name);
            // Known (`yaml-trailing-space`): a quoted YAML scalar's range runs over the spaces
            // after its closing quote, so the quotes stay in the range.
            let trailing = slice != slice.trim_end() && common::known("yaml-trailing-space");
            // Escaped, or folded over lines: the source is not the name, character for character.
            if !slice.contains(['\\', '\'', '\n', '\r']) && !trailing {
                assert_eq!(
                    slice,
                    name,
                    "{}: the range is not the name",
                    at("prepare_rename")
                );
            }
            for name in [new_name.as_str(), "Renamed \"state\"\\ \u{e9}\u{1f600}"] {
                let Ok(edits) = analysis.rename(offset, name) else {
                    continue;
                };
                let what = format!("rename at {offset:?} to {name:?}");
                let renamed = common::apply_edits(text, &edits, &what);
                if parses {
                    assert!(
                        asl_syntax::parse(&renamed, dialect).root.is_some(),
                        "{what} broke the document:\n{renamed}"
                    );
                }
            }
        }
        for (tree, snippets) in [(false, true), (true, false), (true, true)] {
            let completions = if tree {
                analysis.completions(offset, snippets)
            } else {
                ide::completions(text, offset, snippets)
            };
            // Completions are JSON text, their ranges JSON tokens: the language server offers
            // none for YAML, so there they only must not panic.
            if dialect == Dialect::Yaml {
                continue;
            }
            for c in completions {
                let what = at(&format!("completion {:?}", c.label));
                common::check_range(text, c.range, &what);
                assert!(
                    c.range.contains_inclusive(offset),
                    "{what}: range {:?} does not hold the cursor",
                    c.range
                );
                assert!(
                    common::known("completion-lines")
                        || !text
                            .get(std::ops::Range::<usize>::from(c.range))
                            .is_some_and(|s| s.contains('\n')),
                    "{what}: range {:?} spans lines",
                    c.range
                );
            }
        }
        code_actions(text, dialect, &analysis, TextRange::empty(offset), parses);
    }
}

fn code_actions(text: &str, dialect: Dialect, analysis: &Analysis, range: TextRange, parses: bool) {
    let actions = analysis.code_actions(range);
    // The quick fixes edit JSON text: the language server offers none for YAML, so there they
    // only must not panic.
    if dialect == Dialect::Yaml {
        return;
    }
    for action in actions {
        let what = format!("code action {:?} for {range:?}", action.title);
        if let Some((code, r)) = action.diagnostic {
            common::check_range(text, r, &format!("{what}: diagnostic {code}"));
        }
        let fixed = common::apply_edits(text, &action.edits, &what);
        if parses && analysis.has_tree() {
            assert!(
                asl_syntax::parse(&fixed, dialect).root.is_some(),
                "{what} broke the document:\n{fixed}"
            );
        }
    }
}

fn check_symbol(text: &str, symbol: &Symbol) {
    let mut stack = vec![symbol];
    while let Some(s) = stack.pop() {
        let what = format!("symbol {:?}", s.name);
        common::check_range(text, s.range, &what);
        common::check_range(text, s.selection, &format!("{what} selection"));
        common::check_contains(s.range, s.selection, &format!("{what} selection"));
        stack.extend(&s.children);
    }
}
