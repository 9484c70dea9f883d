//! Arbitrary bytes through parse + analyse for every dialect, then through the CLI's own
//! pipeline (decode, parse once, analyse, render every format). Nothing may panic, the
//! analyzer's caught panics (ASL999 internal-error) count as crashes too, and every range a
//! finding carries lies on character boundaries of the text it refers to.
//!
//! Run with `cargo fuzz run analyze` from `fuzz/` (see fuzz/README.md).

#![no_main]

mod common;

use asl_analyzer::{Options, analyze};
use asl_lint::output::{OutputFormat, Renderer, Summary};
use asl_lint::walk::Selection;
use asl_syntax::Dialect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    common::on_big_stack(move || run(&data));
});

fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let options = Options::default();
    for dialect in [Dialect::Json, Dialect::Jsonc, Dialect::Json5] {
        let diagnostics = analyze(&text, dialect, &options);
        common::check_diagnostics(&text, &diagnostics, &format!("analyze {dialect:?}"));
    }
    for name in ["fuzz.asl.json", "fuzz.asl.jsonc", "fuzz.asl.json5"] {
        let Some(linted) = asl_lint::lint_bytes(name, data.to_vec(), Selection::Always, &options)
        else {
            continue;
        };
        common::check_diagnostics(&linted.text, &linted.diagnostics, name);
        let mut summary = Summary::default();
        summary.add_file(&linted.diagnostics);
        for format in [
            OutputFormat::Full,
            OutputFormat::Concise,
            OutputFormat::Json,
            OutputFormat::Sarif,
            OutputFormat::Github,
            OutputFormat::Junit,
            OutputFormat::Gitlab,
        ] {
            let renderer = Renderer::new(format, false);
            let rendered = renderer.render(name, &linted.text, &linted.diagnostics);
            let mut out = Vec::new();
            let _ = renderer.finish(&mut out, [&rendered], &summary, &[]);
        }
    }
}
