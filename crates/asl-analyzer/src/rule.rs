//! Rule metadata. A rule's doc comment is the single source of its documentation
//! (`asl-lint explain`, hover, the README table); [`declare_rule!`] captures it.

use crate::severity::Level;

/// The static description of a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `ASL101`. Never reused.
    pub code: &'static str,
    /// Stable kebab-case name of the bad pattern, e.g. `unknown-target`.
    pub name: &'static str,
    /// The level a rule has when nothing configures it.
    pub level: Level,
    /// The markdown documentation: `## What it does`, `## Why is this bad?`, `## Example`,
    /// `## Use instead`, `## References`.
    pub doc: &'static str,
}

/// Rules are one static each: two are the same rule when their codes are.
impl PartialEq for RuleMeta {
    fn eq(&self, other: &RuleMeta) -> bool {
        self.code == other.code
    }
}

impl Eq for RuleMeta {}

impl std::hash::Hash for RuleMeta {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.code.hash(state);
    }
}

impl RuleMeta {
    /// The rule's page in the generated rule reference (`docs/rules.md`).
    pub fn url(&self) -> String {
        format!(
            "https://github.com/asl-lint/asl-lint/blob/main/docs/rules.md#{}-{}",
            self.code.to_ascii_lowercase(),
            self.name
        )
    }

    /// One short, complete sentence for tables and listings: the first sentence of "What it
    /// does", up to its first `:` or `;` (what follows is detail: a list, the cases) and without
    /// its bracketed asides, ended with a full stop (see [`first_clause`]).
    pub fn summary(&self) -> String {
        let section = self.section("What it does").unwrap_or_default();
        let paragraph: Vec<&str> = section
            .lines()
            .map(str::trim)
            .skip_while(|l| l.is_empty())
            .take_while(|l| !l.is_empty() && !l.starts_with("- "))
            .collect();
        let text = paragraph.join(" ");
        let head = first_clause(&text);
        let head = head.trim_end().trim_end_matches(['.', ',', ':', ';']);
        if head.is_empty() {
            String::new()
        } else {
            format!("{head}.")
        }
    }

    /// The documentation as markdown (the doc comment without its leading spaces).
    pub fn markdown(&self) -> String {
        let lines: Vec<&str> = self
            .doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        lines.join("\n").trim().to_owned()
    }

    /// The body of a `## Title` section of the doc.
    pub fn section(&self, title: &str) -> Option<String> {
        let heading = format!("## {title}");
        let markdown = self.markdown();
        let mut lines = markdown.lines().skip_while(|l| l.trim() != heading);
        lines.next()?;
        let mut out = Vec::new();
        let mut in_code = false;
        for line in lines {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && line.starts_with("## ") {
                break;
            }
            out.push(line);
        }
        Some(out.join("\n"))
    }

    /// The fenced code blocks of a section: (info string, code).
    pub fn code_blocks(&self, title: &str) -> Vec<(String, String)> {
        let Some(section) = self.section(title) else {
            return Vec::new();
        };
        let mut blocks = Vec::new();
        let mut current: Option<(String, Vec<&str>)> = None;
        for line in section.lines() {
            let trimmed = line.trim_start();
            if let Some(info) = trimmed.strip_prefix("```") {
                match current.take() {
                    Some((info, body)) => blocks.push((info, body.join("\n"))),
                    None => current = Some((info.trim().to_owned(), Vec::new())),
                }
            } else if let Some((_, body)) = current.as_mut() {
                body.push(line);
            }
        }
        blocks
    }
}

/// `text` up to the end of its first sentence or its first `:` or `;`, whichever comes first,
/// without its bracketed asides (`(...)`, `[...]`: examples and lists of fields), not counting
/// what is inside backticks or brackets, nor the full stops of `e.g.`, `i.e.`, `etc.` and `...`.
fn first_clause(text: &str) -> String {
    let mut out = String::new();
    let mut code = false;
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|n| n.is_whitespace());
        match c {
            '`' if depth == 0 => code = !code,
            _ if code => {}
            '(' | '[' => {
                if depth == 0 {
                    // The space before the aside goes with it.
                    let kept = out.trim_end().len();
                    out.truncate(kept);
                }
                depth += 1;
                continue;
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                continue;
            }
            _ if depth > 0 => continue,
            ':' | ';' if next_is_space => return out,
            '.' if next_is_space => {
                let abbreviation = [" e.g", " i.e", "..", " etc"]
                    .iter()
                    .any(|a| out.ends_with(a));
                if !abbreviation {
                    out.push(c);
                    return out;
                }
            }
            _ => {}
        }
        if depth == 0 {
            out.push(c);
        }
    }
    out
}

/// Declares a rule's metadata from its doc comment:
///
/// ```text
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub(crate) static META = { code: "ASL101", name: "unknown-target", level: Error }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])+
        pub(crate) static $ident:ident = { code: $code:literal, name: $name:literal, level: $level:ident $(,)? }
    ) => {
        $(#[doc = $doc])+
        pub(crate) static $ident: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
            code: $code,
            name: $name,
            level: $crate::severity::Level::$level,
            doc: concat!($($doc, "\n"),+),
        };
    };
}
pub(crate) use declare_rule;
