//! `--format junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure
//! Pipelines...).
//!
//! One `<testsuite>` per linted file, named by its path. A file without findings has one passing
//! `<testcase>`; otherwise every finding is a `<testcase>` with one `<failure>` whose `type` is the
//! rule code and whose `message` is the finding's message (findings of every severity are
//! failures; `--quiet` keeps only errors). Text is XML-escaped, and characters XML 1.0 cannot
//! carry become U+FFFD.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Rendered;
use super::located::FileFindings;

pub fn write<'a>(
    out: &mut dyn Write,
    files: impl IntoIterator<Item = &'a Rendered>,
) -> io::Result<()> {
    let files: Vec<&FileFindings> = files
        .into_iter()
        .filter_map(|file| match file {
            Rendered::Findings(findings) => Some(findings),
            Rendered::Text(_) | Rendered::Json(_) => None,
        })
        .collect();
    let tests: usize = files.iter().map(|f| f.findings.len().max(1)).sum();
    let failures: usize = files.iter().map(|f| f.findings.len()).sum();
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"asl-lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for file in files {
        let path = escape(&file.path);
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            file.findings.len().max(1),
            file.findings.len()
        );
        if file.findings.is_empty() {
            let _ = writeln!(
                xml,
                "    <testcase name=\"no problems\" classname=\"{path}\" file=\"{path}\"/>"
            );
        }
        for f in &file.findings {
            let _ = writeln!(
                xml,
                "    <testcase name=\"{code}/{rule} at {line}:{col}\" classname=\"{path}\" file=\"{path}\" line=\"{line}\">",
                code = f.code,
                rule = f.rule,
                line = f.span.line,
                col = f.span.column,
            );
            let _ = writeln!(
                xml,
                "      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {}[{}/{}] {}</failure>",
                f.code,
                escape(&f.message),
                path,
                f.span.line,
                f.span.column,
                f.severity.as_str(),
                f.code,
                f.rule,
                escape(&f.message)
            );
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

/// Escapes text for XML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// XML 1.0's `Char` production.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;\u{fffd}"
        );
    }
}
