//! `--format github`: GitHub Actions workflow commands, one per finding, which the Actions
//! runner shows as annotations on the pull request:
//!
//! ```text
//! ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=ASL101 unknown-target::message
//! ```
//!
//! `warning` findings are `::warning`, `info` findings `::notice`. Lines and columns are 1-based,
//! columns in characters, the end exclusive (as in `--format json`). Values are escaped as the
//! runner expects: `%`, `\r` and `\n` everywhere, and also `:` and `,` in properties.

use std::fmt::Write;

use asl_analyzer::{Diagnostic, Severity};
use asl_syntax::{Encoding, LineIndex};

pub fn render(path: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    if diagnostics.is_empty() {
        return out;
    }
    let index = LineIndex::new(text);
    let file = property(path);
    for d in diagnostics {
        let (start, end) = index.range(text, d.range, Encoding::Utf32);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{command} file={file},line={},col={},endLine={},endColumn={},title={}::{}",
            start.line + 1,
            start.col + 1,
            end.line + 1,
            end.col + 1,
            property(&format!("{} {}", d.code(), d.name())),
            data(&d.message)
        );
    }
    out
}

/// Escapes a command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50% done\r\nnext: a, b"), "50%25 done%0D%0Anext: a, b");
        assert_eq!(property("C:\\x,y%.json"), "C%3A\\x%2Cy%25.json");
    }
}
