use asl_syntax::ast::{ChoiceRule, QueryLanguage, ScopeKind, State, StateKind};
use asl_syntax::{JsonType, Node, TextRange};

use crate::Ctx;
use std::fmt::Display;

use crate::names::did_you_mean;
use crate::nodes::{distinct_props, is_jsonata};
use crate::rule::declare_rule;
use crate::rules::unknown_field::nested_labels;
use crate::spec::fields::{self, Expect, Field, Object, nested_objects};

declare_rule! {
    /// ## What it does
    /// Reports a field whose value has the wrong JSON type, is out of range, or is not one of
    /// the allowed values: an unknown state `Type`, `TimeoutSeconds` that is not a positive
    /// integer, `BackoffRate` below 1, a `JitterStrategy` other than `FULL` or `NONE`, a
    /// malformed `Timestamp`, a negative `MaxConcurrency`, an empty `Choices` or `ErrorEquals`,
    /// `NumericEquals` compared with a string, `End` written as a string, and so on, for every
    /// field of the state machine, its states, retriers, catchers, Choice rules and the Map's
    /// sub-objects. A `${...}` placeholder stands for a valid value, and in a JSONata state the
    /// fields that accept JSONata may hold a `{% ... %}` expression instead.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition when it is created (`SCHEMA_VALIDATION_FAILED`), or, for
    /// values it cannot check early, the execution fails when the state runs.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": {
    ///     "Pause": { "Type": "Wait", "Seconds": "10", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": {
    ///     "Pause": { "Type": "Wait", "Seconds": 10, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language specification](https://states-language.net/spec.html)
    /// - [Handling errors (Retry fields)](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    /// - [Wait state](https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html)
    pub(crate) static META = { code: "ASL012", name: "invalid-value", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    let root = machine.root;
    if root.as_object().is_none() {
        let found = found(ctx.text, root);
        ctx.report(
            &META,
            crate::nodes::brace(ctx.text, root),
            format!(
                "a state machine definition must be a JSON object with `StartAt` and `States`, not {found}"
            ),
        );
        return;
    }
    if fields::is_state_document(root) {
        return;
    }

    for scope in &machine.scopes {
        if scope.node.as_object().is_none() {
            // A branch that is not an object is reported with `Branches`.
            continue;
        }
        let (table, subject) = match scope.kind {
            ScopeKind::Root => (fields::ROOT, "the state machine".to_owned()),
            ScopeKind::Branch { .. } => (fields::BRANCH, scope.describe(machine)),
            ScopeKind::Processor { .. } => (fields::PROCESSOR, scope.describe(machine)),
        };
        for prop in distinct_props(scope.node) {
            if let Some(field) = fields::find(table, &prop.key) {
                check_field(
                    ctx,
                    &subject,
                    &field.name,
                    field,
                    &prop.value,
                    QueryLanguage::JsonPath,
                );
            }
        }
        if let Some(states) = scope.fields.states
            && states.value.as_object().is_some_and(<[_]>::is_empty)
        {
            ctx.report(
                &META,
                states.value.range,
                format!("{subject}: `States` is empty; add at least one state"),
            );
        }
    }

    for state in &machine.states {
        check_state(ctx, state);
    }
}

fn check_state(ctx: &mut Ctx, state: &State<'_>) {
    let name = state.name;
    let node = state.node();
    if node.as_object().is_none() {
        if !node.is_templated() && !node.is_cfn_intrinsic() {
            let found = found(ctx.text, node);
            let hint = if fields::find(fields::ROOT, name).is_some() {
                format!("; `{name}` is a top-level field, move it out of `States`")
            } else {
                String::new()
            };
            ctx.report(
                &META,
                node.range,
                format!("state `{name}` must be an object with a `Type`, not {found}{hint}"),
            );
        }
        return;
    }
    let kind = state.kind;
    match kind {
        StateKind::Missing => return,
        StateKind::Unknown => {
            if let Some(ty) = state.fields.ty.filter(|ty| !ty.value.is_templated()) {
                let message = match ty.value.as_str() {
                    Some(s) => format!(
                        "state `{name}`: unknown state type `{s}`{}",
                        hint_or_list(s, fields::STATE_TYPES)
                    ),
                    None => format!(
                        "state `{name}`: `Type` must be a string, one of {}, not {}",
                        fields::STATE_TYPES.join(", "),
                        found(ctx.text, &ty.value)
                    ),
                };
                ctx.report(&META, ty.value.range, message);
            }
            return;
        }
        _ => {}
    }
    let lang = state.query_language;
    let subject = StateSubject(name);
    for prop in distinct_props(node) {
        let Some(field) = fields::state_field(&prop.key) else {
            continue;
        };
        if field.name == "Type" || !field.allowed_on(kind) || !field.lang.allows(lang) {
            continue;
        }
        check_field(ctx, &subject, &field.name, field, &prop.value, lang);
    }
    for nested in nested_objects(ctx.text, state) {
        for prop in distinct_props(nested.node) {
            let Some(field) = nested.object.field(&prop.key) else {
                continue;
            };
            if !field.lang.allows(lang) {
                continue;
            }
            let label = format_args!("{}.{}", nested.place, field.name);
            check_field(ctx, &subject, &label, field, &prop.value, lang);
        }
    }
    if kind == StateKind::Choice {
        for (index, rule) in state.choices.iter().enumerate() {
            check_rule(
                ctx,
                &subject,
                rule,
                &format!("Choices[{index}]"),
                true,
                lang,
            );
        }
    }
}

fn check_rule(
    ctx: &mut Ctx,
    subject: &dyn Display,
    rule: &ChoiceRule<'_>,
    place: &dyn Display,
    top: bool,
    lang: QueryLanguage,
) {
    for prop in distinct_props(rule.node) {
        let key = prop.key.as_str();
        let Some(field) = Object::ChoiceRule.field(key) else {
            continue;
        };
        if !field.lang.allows(lang) || (!top && matches!(key, "Next" | "Assign" | "Output")) {
            continue;
        }
        // An empty `And`/`Or` is reported by invalid-choice-rule.
        if matches!(key, "And" | "Or") && prop.value.as_array().is_some_and(<[_]>::is_empty) {
            continue;
        }
        check_field(
            ctx,
            subject,
            &format_args!("{place}.{key}"),
            field,
            &prop.value,
            lang,
        );
    }
    // In a JSONata state `And`/`Or`/`Not` are reported by wrong-query-language.
    if lang == QueryLanguage::JsonPath {
        for (label, nested) in nested_labels(rule).into_iter().zip(&rule.nested) {
            check_rule(
                ctx,
                subject,
                nested,
                &format!("{place}.{label}"),
                false,
                lang,
            );
        }
    }
}

/// Checks one value against its field; `${...}` placeholders and, where the field takes one in
/// a JSONata state, `{% ... %}` expressions always pass.
fn check_field(
    ctx: &mut Ctx,
    subject: &dyn Display,
    label: &dyn Display,
    field: &Field,
    node: &Node,
    lang: QueryLanguage,
) {
    if node.is_templated() || node.is_cfn_intrinsic() {
        return;
    }
    let takes_expr = lang == QueryLanguage::JsonAta && field.jsonata;
    if takes_expr && field.value != Expect::Object && crate::nodes::is_jsonata_node(node) {
        return;
    }
    let Some((range, problem)) = problem(ctx.text, field.value, node, lang) else {
        return;
    };
    let mut message = format!("{subject}: `{label}` {problem}");
    let mentions_expr = matches!(
        field.value,
        Expect::Object | Expect::ObjectOrExpr | Expect::Items | Expect::Condition
    );
    if takes_expr && !mentions_expr {
        message.push_str(" (or a JSONata expression `{% ... %}`)");
    }
    if let Some(s) = node.as_str().filter(|_| lang == QueryLanguage::JsonPath) {
        let path_field = format!("{}Path", field.name);
        let has_twin = [fields::STATE, fields::READER_CONFIG, fields::ITEM_BATCHER]
            .into_iter()
            .any(|table| fields::find(table, &path_field).is_some());
        if s.starts_with('$') && has_twin {
            message.push_str(&format!(
                "; to read the value from the input, use `{path_field}`"
            ));
        } else if is_jsonata(s) && field.jsonata {
            message.push_str(
                "; a `{% ... %}` expression needs `\"QueryLanguage\": \"JSONata\"` on the state or the state machine",
            );
        }
    }
    ctx.report(&META, range, message);
}

/// What is wrong with `node` as a value of type `expect`: the range to report and
/// "must be ..., not ...".
fn problem(
    text: &str,
    expect: Expect,
    node: &Node,
    lang: QueryLanguage,
) -> Option<(TextRange, String)> {
    let wrong = || {
        Some((
            node.range,
            format!("must be {}, not {}", expect.describe(), found(text, node)),
        ))
    };
    match expect {
        Expect::Any => None,
        Expect::String | Expect::StateName | Expect::Path => {
            node.as_str().is_none().then(wrong).flatten()
        }
        Expect::PathOrNull => (node.as_str().is_none() && !node.is_null())
            .then(wrong)
            .flatten(),
        Expect::Bool => node.as_bool().is_none().then(wrong).flatten(),
        Expect::Int { min, max } => match node.as_f64() {
            Some(n) if n.fract() == 0.0 && n >= min as f64 && n <= max as f64 => None,
            _ => wrong(),
        },
        Expect::Number { min, max } => match node.as_f64() {
            Some(n) if n >= min && n <= max => None,
            _ => wrong(),
        },
        Expect::OneOf(values) => match node.as_str() {
            Some(s) if values.contains(&s) => None,
            Some(s) => Some((
                node.range,
                format!(
                    "must be {}, not {}{}",
                    expect.describe(),
                    found(text, node),
                    if values.len() > 1 {
                        did_you_mean(s, values.iter().copied())
                    } else {
                        String::new()
                    }
                ),
            )),
            None => wrong(),
        },
        Expect::Timestamp => match node.as_str() {
            Some(s) if is_timestamp(s) => None,
            _ => wrong(),
        },
        Expect::Object => node.as_object().is_none().then(wrong).flatten(),
        Expect::Template => (lang == QueryLanguage::JsonPath && node.as_object().is_none())
            .then(wrong)
            .flatten(),
        Expect::ObjectOrExpr => (node.as_object().is_none()
            && !crate::nodes::is_jsonata_node(node))
        .then(wrong)
        .flatten(),
        Expect::Items => (node.as_object().is_none()
            && node.as_array().is_none()
            && !crate::nodes::is_jsonata_node(node))
        .then(wrong)
        .flatten(),
        Expect::Condition => (node.as_bool().is_none() && !crate::nodes::is_jsonata_node(node))
            .then(wrong)
            .flatten(),
        Expect::Objects { non_empty } | Expect::Strings { non_empty } => {
            let objects = matches!(expect, Expect::Objects { .. });
            let Some(items) = node.as_array() else {
                return wrong();
            };
            if items.is_empty() && non_empty {
                return Some((
                    node.range,
                    format!("must be {}, not an empty array", expect.describe()),
                ));
            }
            items.iter().enumerate().find_map(|(i, item)| {
                let ok = if objects {
                    item.as_object().is_some()
                } else {
                    item.as_str().is_some()
                };
                (!ok).then(|| {
                    let element = if objects { "an object" } else { "a string" };
                    (
                        item.range,
                        format!(
                            "must be {}: element {i} is {} instead of {element}",
                            expect.describe(),
                            found(text, item)
                        ),
                    )
                })
            })
        }
    }
}

/// "`did you mean X?`" or the list of allowed values.
fn hint_or_list(value: &str, allowed: &[&str]) -> String {
    let hint = did_you_mean(value, allowed.iter().copied());
    if hint.is_empty() {
        format!("; use one of {}", allowed.join(", "))
    } else {
        hint
    }
}

/// The value as written when it is short (`"10"`, `-1`, `true`), else its JSON type.
fn found(text: &str, node: &Node) -> String {
    match node.json_type() {
        JsonType::Object | JsonType::Array => node.json_type().as_str().to_owned(),
        ty => match text.get(std::ops::Range::<usize>::from(node.range)) {
            Some(src) if src.len() <= 40 && !src.contains('\n') => format!("`{src}`"),
            _ => ty.as_str().to_owned(),
        },
    }
}

/// An RFC 3339 date-time as the ASL specification requires: `2016-03-14T01:59:00Z`, with an
/// optional fraction of a second and a `Z` or `±hh:mm` offset; `T` and `Z` uppercase.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        part.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let at = |i: usize| b.get(i).copied();
    let (Some(year), Some(month), Some(day)) = (digits(0, 4), digits(5, 2), digits(8, 2)) else {
        return false;
    };
    if at(4) != Some(b'-') || at(7) != Some(b'-') || at(10) != Some(b'T') {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (digits(11, 2), digits(14, 2), digits(17, 2))
    else {
        return false;
    };
    if at(13) != Some(b':') || at(16) != Some(b':') {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 19;
    if at(i) == Some(b'.') {
        i += 1;
        let start = i;
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match at(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let (Some(h), Some(m)) = (digits(i + 1, 2), digits(i + 4, 2)) else {
                return false;
            };
            at(i + 3) == Some(b':') && h <= 23 && m <= 59 && i + 6 == b.len()
        }
        _ => false,
    }
}

/// "state `Name`", written only when a message needs it.
struct StateSubject<'a>(&'a str);

impl Display for StateSubject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "state `{}`", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn messages(text: &str) -> Vec<String> {
        analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL012")
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect()
    }

    fn state(body: &str) -> String {
        format!(r#"{{"StartAt": "S", "States": {{"S": {body}}}}}"#)
    }

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2016-03-14T01:59:00Z"));
        assert!(is_timestamp("2016-03-14T01:59:00.123+05:30"));
        assert!(is_timestamp("2024-02-29T23:59:60-00:00"));
        assert!(!is_timestamp("2016-03-14t01:59:00z"));
        assert!(!is_timestamp("2016-03-14T01:59:00"));
        assert!(!is_timestamp("2023-02-29T00:00:00Z"));
        assert!(!is_timestamp("2016-03-14 01:59:00Z"));
        assert!(!is_timestamp("2016-03-14T01:59:00.Z"));
        assert!(!is_timestamp("2016-03-14T01:59:00Zjunk"));
        assert!(!is_timestamp("2016-13-14T01:59:00Z"));
        assert!(!is_timestamp(""));
    }

    #[test]
    fn placeholders_and_jsonata_pass() {
        let task = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": "${Timeout}", "End": true}"#;
        assert!(messages(&state(task)).is_empty());
        let jsonata = r#"{"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": "{% $t %}", "End": true}"#;
        assert!(messages(&state(jsonata)).is_empty());
        let jsonpath = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": "{% $t %}", "End": true}"#;
        let found = messages(&state(jsonpath));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("QueryLanguage"), "{found:?}");
    }

    #[test]
    fn ranges_and_enums() {
        let retry = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Retry": [{"ErrorEquals": [], "IntervalSeconds": 0, "MaxAttempts": -1, "BackoffRate": 0.5,
                       "MaxDelaySeconds": 31622401, "JitterStrategy": "FUL"}]}"#;
        let found = messages(&state(retry));
        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(found[5].contains("did you mean `FULL`"), "{found:#?}");
    }

    #[test]
    fn unknown_type_suggests() {
        let found = messages(&state(r#"{"Type": "Tsak", "Bogus": 1, "End": "yes"}"#));
        assert_eq!(
            found,
            ["/States/S/Type state `S`: unknown state type `Tsak`; did you mean `Task`?"]
        );
    }

    #[test]
    fn choice_operators() {
        let choice = r#"{"Type": "Choice", "Default": "D", "Choices": [
            {"And": [{"Variable": "$.a", "NumericEquals": "5"}, {"Variable": "$.b", "TimestampEquals": "2020-01-01"}], "Next": "D"},
            {"Variable": "$.c", "IsPresent": "true", "Next": "D"},
            {"Variable": "$.c", "StringEqualsPath": 3, "Next": "D"}]},
            "D": {"Type": "Succeed"}"#;
        let found = messages(&state(choice));
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].contains("Choices[0].And[0].NumericEquals"));
    }

    #[test]
    fn empty_and_is_left_to_the_choice_rule_check() {
        let choice = r#"{"Type": "Choice", "Default": "D", "Choices": [{"And": [], "Next": "D"}]},
            "D": {"Type": "Succeed"}"#;
        assert!(messages(&state(choice)).is_empty());
    }

    #[test]
    fn structure() {
        assert_eq!(messages("[1]").len(), 1);
        let found = messages(
            r#"{"StartAt": "S", "States": {"S": 3, "P": {"Type": "Parallel", "End": true, "Branches": [1]}}}"#,
        );
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(messages(r#"{"StartAt": "S", "States": {}}"#)[0].contains("empty"));
    }
}
