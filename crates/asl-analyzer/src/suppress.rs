//! Suppressions written in the definition itself: a `Comment` containing
//! `asl-lint-allow: rule[, rule] -- reason` silences those rules for that state (and the states
//! nested in it), or for the whole file in the top-level `Comment`. The reason is mandatory.
//! The config file's per-state ignores ([`crate::StateIgnore`]) go through the same filter, but
//! are not reported when they suppress nothing.

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
    /// From the config file: never reported as unused.
    from_config: bool,
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
    for ignore in &options.state_ignores {
        for state in &machine.states {
            if ignore.states.iter().any(|p| wildcard_match(p, state.name)) {
                directives.push(Directive {
                    scope: state.prop.range(),
                    rules: ignore
                        .rules
                        .iter()
                        .map(|code| (*code, TextRange::default(), false))
                        .collect(),
                    from_config: true,
                });
            }
        }
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
    for directive in directives.iter().filter(|d| !d.from_config) {
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
        directives.push(Directive {
            scope,
            rules,
            from_config: false,
        });
    }
}

/// Whether `name` matches `pattern`, where `*` matches any run of characters (also none) and
/// `?` exactly one; every other character matches itself.
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // Classic greedy matching with one backtrack point (the last `*`).
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(c) if *c == '?' || Some(c) == name.get(n) => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::{Options, StateIgnore, analyze};
    use asl_syntax::Dialect;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("Old*", "OldPoller"));
        assert!(wildcard_match("Old*", "Old"));
        assert!(!wildcard_match("Old*", "NewOld"));
        assert!(wildcard_match("*Poll?r", "LegacyPoller"));
        assert!(!wildcard_match("*Poll?r", "LegacyPollr"));
        assert!(wildcard_match("a*b*c", "axxbyybzc"));
        assert!(!wildcard_match("a*b*c", "axxbyy"));
        assert!(wildcard_match("Exact", "Exact"));
        assert!(!wildcard_match("Exact", "Exactly"));
        assert!(wildcard_match("*", ""));
    }

    const TEXT: &str = r#"{"StartAt": "OldWait", "States": {
        "OldWait": {"Type": "Wait", "Next": "Missing"},
        "Other": {"Type": "Succeed"}}}"#;

    fn codes(options: &Options) -> Vec<&'static str> {
        analyze(TEXT, Dialect::Json, options)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn config_ignores_silence_matching_states_only_and_are_never_unused() {
        let plain = codes(&Options::default());
        assert!(plain.contains(&"ASL101"), "{plain:?}");
        let mut options = Options::default();
        options.state_ignores.push(StateIgnore {
            states: vec!["Old*".to_owned()],
            rules: vec!["ASL101"],
        });
        // ASL102 unreachable (Other) is not in the list: an ignore of another rule is unused.
        options.state_ignores.push(StateIgnore {
            states: vec!["Nothing*".to_owned()],
            rules: vec!["ASL101"],
        });
        let ignored = codes(&options);
        assert!(!ignored.contains(&"ASL101"), "{ignored:?}");
        assert!(!ignored.contains(&"ASL901"), "{ignored:?}");
        assert_eq!(ignored.len() + 1, plain.len(), "{plain:?} {ignored:?}");
        let mut other = Options::default();
        other.state_ignores.push(StateIgnore {
            states: vec!["Other".to_owned()],
            rules: vec!["ASL101"],
        });
        assert_eq!(codes(&other), plain);
    }
}
