//! `--format concise`: one line per finding, `path:line:col: severity[code/name] message`,
//! 1-based, columns in characters. Greppable, and editors' problem matchers read it.

use std::fmt::Write;

use asl_analyzer::Diagnostic;
use asl_syntax::{Encoding, LineIndex};

pub fn render(path: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    if diagnostics.is_empty() {
        return out;
    }
    let index = LineIndex::new(text);
    for d in diagnostics {
        let pos = index.line_col(text, d.range.start(), Encoding::Utf32);
        let _ = writeln!(
            out,
            "{path}:{}:{}: {}[{}/{}] {}",
            pos.line + 1,
            pos.col + 1,
            d.severity.as_str(),
            d.code(),
            d.name(),
            one_line(&d.message)
        );
    }
    out
}

/// Messages are one line already; make sure of it.
fn one_line(message: &str) -> std::borrow::Cow<'_, str> {
    if message.contains(['\n', '\r']) {
        message.replace(['\n', '\r'], " ").into()
    } else {
        message.into()
    }
}
