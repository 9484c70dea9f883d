//! Suppressions written in the definition itself: a `Comment` containing
//! `asl-lint-allow: rule[, rule] -- reason` silences those rules for that state (and the states
//! nested in it), or for the whole file in the top-level `Comment`. The reason is mandatory.

use asl_syntax::ast::Machine;
use asl_syntax::{Node, Property, TextRange, TextSize};

use crate::Options;
use crate::diagnostic::Diagnostic;
use crate::registry;
use crate::rules::{unknown_rule, unused_suppression};

const MARKER: &str = "asl-lint-allow";

struct Directive {
    /// Where the suppression applies (the state's member, or the whole document).
    scope: TextRange,
    /// (rule code, range of the name in the comment, used?)
    rules: Vec<(&'static str, TextRange, bool)>,
}

/// Applies the `Comment` directives of `machine` to `diagnostics`, then reports unused and
/// malformed directives and unknown rule names.
pub(crate) fn apply(
    text: &str,
    machine: &Machine<'_>,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut directives = Vec::new();
    let mut findings = Vec::new();
    let root_comment = machine.root.get("Comment");
    collect(
        text,
        root_comment,
        machine.root.range,
        &mut directives,
        &mut findings,
        options,
    );
    for state in &machine.states {
        collect(
            text,
            state.fields.comment,
            state.prop.range(),
            &mut directives,
            &mut findings,
            options,
        );
    }
    if directives.is_empty() && findings.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        if d.code.starts_with("ASL9") {
            return true;
        }
        let mut suppressed = false;
        for directive in directives.iter_mut() {
            if !directive.scope.contains_range(d.range) {
                continue;
            }
            for (code, _, used) in directive.rules.iter_mut() {
                if *code == d.code {
                    *used = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
    for directive in &directives {
        for (code, range, used) in &directive.rules {
            if !used {
                findings.push(make(
                    options,
                    &unused_suppression::META,
                    *range,
                    format!("suppression of {code} suppressed nothing here; remove it from the `Comment`"),
                ));
            }
        }
    }
    diagnostics.extend(findings.into_iter().flatten());
}

fn make(
    options: &Options,
    rule: &'static crate::rule::RuleMeta,
    range: TextRange,
    message: String,
) -> Option<Diagnostic> {
    let severity = options.level(rule).severity()?;
    Some(Diagnostic {
        code: rule.code,
        rule: rule.name,
        severity,
        message,
        range,
        pointer: String::new(),
        labels: Vec::new(),
        notes: Vec::new(),
        unnecessary: false,
    })
}

fn collect(
    text: &str,
    comment: Option<&Property>,
    scope: TextRange,
    directives: &mut Vec<Directive>,
    findings: &mut Vec<Option<Diagnostic>>,
    options: &Options,
) {
    let Some(comment) = comment else { return };
    let Some(value) = comment.value.as_str() else {
        return;
    };
    let Some(at) = value.find(MARKER) else { return };
    let node = &comment.value;
    let rest = value.get(at + MARKER.len()..).unwrap_or("");
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let (list, reason) = match rest.find("--") {
        Some(i) => (
            rest.get(..i).unwrap_or(""),
            rest.get(i + 2..).unwrap_or("").trim(),
        ),
        None => (rest, ""),
    };
    let whole = locate(text, node, at, MARKER.len() + rest.len());
    if reason.is_empty() {
        findings.push(make(
            options,
            &unused_suppression::META,
            whole,
            "this `asl-lint-allow` has no reason, so it is ignored; write `asl-lint-allow: <rule> -- <why>`".to_owned(),
        ));
        return;
    }
    let list_start =
        at + MARKER.len() + (value.get(at + MARKER.len()..).unwrap_or("").len() - rest.len());
    let mut rules = Vec::new();
    let mut offset = list_start;
    for part in list.split(',') {
        let name = part.trim();
        let lead = part.len() - part.trim_start().len();
        let range = locate(text, node, offset + lead, name.len());
        offset += part.len() + 1;
        if name.is_empty() {
            continue;
        }
        match registry::find(name) {
            Some(rule) => rules.push((rule.code, range, false)),
            None => {
                let suggestion =
                    crate::names::did_you_mean(name, registry::RULES.iter().map(|r| r.meta.name));
                findings.push(make(
                    options,
                    &unknown_rule::META,
                    range,
                    format!("`{name}` is not an asl-lint rule{suggestion}"),
                ));
            }
        }
    }
    if !rules.is_empty() {
        directives.push(Directive { scope, rules });
    }
}

/// The source range of `len` bytes at byte `at` of a string node's value. Exact when the string
/// has no escapes before that point; otherwise the whole string.
fn locate(text: &str, node: &Node, at: usize, len: usize) -> TextRange {
    let inner_start = usize::from(node.range.start()) + 1;
    let raw = text
        .get(inner_start..usize::from(node.range.end()).saturating_sub(1))
        .unwrap_or("");
    let prefix = raw.get(..at.min(raw.len())).unwrap_or("");
    if !prefix.contains('\\') && at + len <= raw.len() {
        let start = TextSize::from((inner_start + at) as u32);
        TextRange::at(start, TextSize::from(len as u32))
    } else {
        node.range
    }
}
