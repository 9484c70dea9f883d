use std::fmt::Write;

use asl_syntax::ast::{ChoiceRule, StateKind};
use asl_syntax::{Node, TextRange, Value};

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Choice rule that can never be chosen: its condition is the same as an earlier
    /// rule's (the same `Variable`, operators and values, or the same JSONata `Condition`, with
    /// `And`/`Or` members in any order), or an earlier rule is always true (`"Condition":
    /// "{% true %}"`, or `"Variable": "$", "IsPresent": true`).
    ///
    /// ## Why is this bad?
    /// Rules are tried in order and the first match wins, so the later rule is dead code. It is
    /// usually a copy-paste slip: the condition was meant to differ, or the rule was meant to go
    /// somewhere else.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         { "Variable": "$.tier", "StringEquals": "gold", "Next": "Gold" },
    ///         { "Variable": "$.tier", "StringEquals": "gold", "Next": "Silver" }
    ///       ],
    ///       "Default": "Silver"
    ///     },
    ///     "Gold": { "Type": "Succeed" },
    ///     "Silver": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         { "Variable": "$.tier", "StringEquals": "gold", "Next": "Gold" },
    ///         { "Variable": "$.tier", "StringEquals": "silver", "Next": "Silver" }
    ///       ],
    ///       "Default": "Silver"
    ///     },
    ///     "Gold": { "Type": "Succeed" },
    ///     "Silver": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Choice state](https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html)
    pub(crate) static META = { code: "ASL108", name: "shadowed-choice-rule", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in ctx
        .machine
        .states
        .iter()
        .filter(|s| s.kind == StateKind::Choice)
    {
        let mut seen: Vec<(String, usize)> = Vec::new();
        let mut always: Option<usize> = None;
        for (i, rule) in state.choices.iter().enumerate() {
            let at = anchor(rule);
            if let Some(first) = always {
                ctx.report(
                    &META,
                    at,
                    format!(
                        "Choice `{}`: `Choices[{i}]` can never be chosen: `Choices[{first}]` is always true; remove one, or make `Choices[{first}]` a condition (or the `Default`)",
                        state.name
                    ),
                );
                continue;
            }
            let Some(key) = condition_key(rule) else {
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                ctx.report(
                    &META,
                    at,
                    format!(
                        "Choice `{}`: `Choices[{i}]` has the same condition as `Choices[{first}]`, which is tried first, so it can never be chosen; change its condition or remove it",
                        state.name
                    ),
                );
                continue;
            }
            if always_true(rule) {
                always = Some(i);
            }
            seen.push((key, i));
        }
    }
}

/// Where to report a rule: its condition (`Condition`, `Variable`, `And`, `Or`, `Not`).
fn anchor(rule: &ChoiceRule<'_>) -> TextRange {
    let f = &rule.fields;
    [f.condition, f.variable, f.and, f.or, f.not]
        .into_iter()
        .flatten()
        .next()
        .map_or(rule.node.range, |p| p.range())
}

/// A text that two rules share exactly when their conditions are the same. `None` when the rule
/// holds a placeholder or something not understood.
fn condition_key(rule: &ChoiceRule<'_>) -> Option<String> {
    let f = &rule.fields;
    let mut key = String::new();
    if let Some(condition) = f.condition {
        let text = condition.value.as_str()?;
        if asl_syntax::is_templated(text) {
            return None;
        }
        let normalized: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = write!(key, "C{normalized}");
    }
    if let Some(variable) = f.variable {
        let _ = write!(key, "V{}", variable.value.as_str()?);
    }
    let mut operators: Vec<String> = rule
        .operators
        .iter()
        .map(|p| {
            let mut s = format!("{}=", p.key);
            canonical(&p.value, &mut s);
            s
        })
        .collect();
    operators.sort();
    for op in operators {
        let _ = write!(key, "O{op}");
    }
    for (name, list) in [("And", f.and), ("Or", f.or)] {
        if list.is_some() {
            // `nested` holds the And/Or members (a rule has one of them).
            let mut members: Vec<String> = rule
                .nested
                .iter()
                .map(condition_key)
                .collect::<Option<_>>()?;
            members.sort();
            let _ = write!(key, "{name}({})", members.join(","));
        }
    }
    if f.not.is_some() {
        let inner = condition_key(rule.nested.first()?)?;
        let _ = write!(key, "Not({inner})");
    }
    (!key.is_empty()).then_some(key)
}

/// A rule that matches every input.
fn always_true(rule: &ChoiceRule<'_>) -> bool {
    let f = &rule.fields;
    if let Some(condition) = f.condition.and_then(|p| p.value.as_str()) {
        let inner = condition
            .trim()
            .strip_prefix("{%")
            .and_then(|s| s.strip_suffix("%}"))
            .map(str::trim);
        return inner == Some("true");
    }
    let root = f.variable.and_then(|p| p.value.as_str()) == Some("$");
    root && rule.operators.len() == 1
        && rule
            .operators
            .first()
            .is_some_and(|p| p.key == "IsPresent" && p.value.as_bool() == Some(true))
}

/// A canonical JSON text of `node` (object keys sorted, numbers normalised).
fn canonical(node: &Node, out: &mut String) {
    match &node.value {
        Value::Object(props) => {
            let mut sorted: Vec<_> = props.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for p in sorted {
                let _ = write!(out, "{:?}:", p.key);
                canonical(&p.value, out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::String(s) => {
            let _ = write!(out, "{s:?}");
        }
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Null => out.push_str("null"),
    }
}
