//! `--format concise`: one line per finding, `path:line:col: severity[code/name] message`,
//! 1-based, columns in characters; `[*] ` before the message when `--fix` fixes it. Greppable,
//! and editors' problem matchers read it.

use std::fmt::Write;

use asl_analyzer::Diagnostic;
use asl_syntax::{Encoding, LineIndex};

use super::{Fixable, marker};

/// `fixable` is parallel to `diagnostics` (shorter: the rest have no fix).
pub fn render(
    path: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    fixable: &[Option<Fixable>],
) -> String {
    let mut out = String::new();
    if diagnostics.is_empty() {
        return out;
    }
    let index = LineIndex::new(text);
    for (i, d) in diagnostics.iter().enumerate() {
        let pos = index.line_col(text, d.range.start(), Encoding::Utf32);
        let _ = writeln!(
            out,
            "{path}:{}:{}: {}[{}/{}] {}{}",
            pos.line + 1,
            pos.col + 1,
            d.severity.as_str(),
            d.code(),
            d.name(),
            marker(fixable, i),
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
