//! `asl_analyzer::fix::fix_all` (what `asl-lint check --fix` runs) on the input as strict JSON,
//! JSONC, JSON5 and YAML (which fix_all leaves alone: its fixes are JSON text), with safe fixes
//! only and with unsafe ones. Asserted, besides no panic:
//!
//! - every fix's edits lie on character boundaries of the text and do not overlap;
//! - when the input parsed, the fixed text still parses;
//! - the number of error-level findings never rises;
//! - `Fixed::diagnostics` are those of the fixed text, with valid ranges;
//! - when fix_all says it converged, fix_all on its own output changes nothing (idempotent);
//! - YAML is never changed.

#![no_main]

mod common;

use asl_analyzer::fix::{self, Status};
use asl_analyzer::{Diagnostic, Options, Severity};
use asl_syntax::Dialect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    common::on_big_stack(move || run(&data));
});

fn errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;
    let options = Options::default();
    let runs = [
        (Dialect::Json, false),
        (Dialect::Json, true),
        (Dialect::Jsonc, true),
        (Dialect::Json5, true),
        (Dialect::Yaml, true),
    ];
    for (dialect, unsafe_fixes) in runs {
        let what = format!("{dialect:?}, unsafe fixes {unsafe_fixes}");
        let before = asl_analyzer::analyze(text, dialect, &options);
        common::check_diagnostics(text, &before, &format!("{what}: input"));
        for f in fix::fixes(text, dialect, &options) {
            common::apply_edits(
                text,
                &f.fix.edits,
                &format!("{what}: fix {} ({})", f.rule.code, f.fix.title),
            );
        }

        let fixed = fix::fix_all(text, dialect, &options, unsafe_fixes);
        if dialect == Dialect::Yaml {
            assert!(
                !fixed.changed() && fixed.text == text,
                "{what}: YAML was changed"
            );
            continue;
        }
        if !fixed.changed() {
            assert_eq!(
                fixed.text, text,
                "{what}: no fix applied, yet the text changed"
            );
        }
        let after = asl_analyzer::analyze(&fixed.text, dialect, &options);
        common::check_diagnostics(&fixed.text, &after, &format!("{what}: fixed text"));
        common::check_diagnostics(&fixed.text, &fixed.diagnostics, &format!("{what}: Fixed"));
        assert_eq!(
            errors(&fixed.diagnostics),
            errors(&after),
            "{what}: Fixed::diagnostics are not those of the fixed text\n{}",
            fixed.text
        );
        if asl_syntax::parse(text, dialect).root.is_some() {
            assert!(
                asl_syntax::parse(&fixed.text, dialect).root.is_some(),
                "{what}: the fixes ({:?}) broke the document:\n{}",
                fixed.applied_rules,
                fixed.text
            );
        }
        assert!(
            errors(&after) <= errors(&before),
            "{what}: the fixes ({:?}) raised the errors from {} to {}:\n{}",
            fixed.applied_rules,
            errors(&before),
            errors(&after),
            fixed.text
        );
        if fixed.status == Status::Converged && fixed.changed() {
            let again = fix::fix_all(&fixed.text, dialect, &options, unsafe_fixes);
            assert!(
                !again.changed() && again.text == fixed.text,
                "{what}: not idempotent: a second run applied {:?} to\n{}\ngiving\n{}",
                again.applied_rules,
                fixed.text,
                again.text
            );
        }
    }
}
