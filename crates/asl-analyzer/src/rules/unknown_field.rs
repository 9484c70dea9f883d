use asl_syntax::ast::{ChoiceRule, QueryLanguage, ScopeKind, State, StateKind};
use asl_syntax::{Node, Property, is_templated};

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::string_at;
use crate::names::closest;
use crate::nodes::distinct_props;
use crate::rule::declare_rule;
use crate::spec::fields::{self, Field, Object, nested_objects};

declare_rule! {
    /// ## What it does
    /// Reports a field that the object or the state type does not take: a misspelt or invented
    /// key anywhere in the definition (the top level, a branch or processor, a state, a retrier,
    /// a catcher, a Choice rule, `ItemReader`, ...), or a real field on a state type that does
    /// not allow it, such as `Retry` on a Pass state, `TimeoutSeconds` on a Parallel state or
    /// `Next` on a Succeed state. It suggests the closest known field.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition (`SCHEMA_VALIDATION_FAILED: Field '...' is not supported`). A
    /// misspelt optional field would otherwise be silently ignored, so the setting you meant
    /// (a timeout, a retry) would not apply.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": { "Type": "Pass", "Result": "hi", "TimeoutSeconds": 30, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": { "Type": "Pass", "Result": "hi", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language specification](https://states-language.net/spec.html)
    /// - [Common state fields](https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html)
    pub(crate) static META = { code: "ASL011", name: "unknown-field", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    if machine.root.as_object().is_some() && !fields::is_state_document(machine.root) {
        for prop in distinct_props(machine.root) {
            if is_templated(&prop.key) || fields::find(fields::ROOT, &prop.key).is_some() {
                continue;
            }
            let best = suggestion(&prop.key, fields::ROOT.iter().map(|f| f.name));
            let hint = hint(best).unwrap_or_else(|| {
                "; remove it (the top level takes `Comment`, `StartAt`, `States`, `Version`, `TimeoutSeconds` and `QueryLanguage`)".to_owned()
            });
            let message = format!("unknown top-level field `{}`{hint}", prop.key);
            report(ctx, machine.root, prop, message, best);
        }
    }

    for scope in machine.scopes.iter().skip(1) {
        if scope.node.as_object().is_none() {
            continue;
        }
        let (table, takes) = match scope.kind {
            ScopeKind::Root => continue,
            ScopeKind::Branch { .. } => (fields::BRANCH, "`StartAt`, `States` and `Comment`"),
            ScopeKind::Processor { .. } => (
                fields::PROCESSOR,
                "`StartAt`, `States`, `ProcessorConfig` and `Comment`",
            ),
        };
        for prop in distinct_props(scope.node) {
            // `QueryLanguage` here is reported by wrong-query-language.
            if is_templated(&prop.key)
                || prop.key == "QueryLanguage"
                || fields::find(table, &prop.key).is_some()
            {
                continue;
            }
            let best = suggestion(&prop.key, table.iter().map(|f| f.name));
            let hint = hint(best).unwrap_or_else(|| format!("; remove it (it takes only {takes})"));
            let message = format!(
                "{}: unknown field `{}`{hint}",
                scope.describe(machine),
                prop.key
            );
            report(ctx, scope.node, prop, message, best);
        }
    }

    for state in &machine.states {
        if matches!(state.kind, StateKind::Unknown | StateKind::Missing) {
            continue;
        }
        check_state(ctx, state);
        for nested in nested_objects(ctx.text, state) {
            let table = nested.object.fields();
            for prop in distinct_props(nested.node) {
                if is_templated(&prop.key) || fields::find(table, &prop.key).is_some() {
                    continue;
                }
                let best = suggestion(&prop.key, table.iter().map(|f| f.name));
                let hint = hint(best).unwrap_or_else(|| format!("; remove it ({})", takes(table)));
                let message = format!(
                    "state `{}`: unknown field `{}` in `{}`{hint}",
                    state.name, prop.key, nested.place
                );
                report(ctx, nested.node, prop, message, best);
            }
        }
        if state.kind == StateKind::Choice {
            for (index, rule) in state.choices.iter().enumerate() {
                check_rule(ctx, state, rule, &format!("Choices[{index}]"), true);
            }
        }
    }
}

fn check_state(ctx: &mut Ctx, state: &State<'_>) {
    let kind = state.kind;
    let name = state.name;
    for prop in distinct_props(state.node()) {
        let key = prop.key.as_str();
        if is_templated(key) {
            continue;
        }
        match fields::state_field(key) {
            None => {
                let allowed = fields::STATE
                    .iter()
                    .filter(|f| f.allowed_on(kind))
                    .map(|f| f.name);
                let best = suggestion(key, allowed);
                let hint = hint(best).unwrap_or_else(|| "; remove it".to_owned());
                let message = format!(
                    "state `{name}`: unknown field `{key}` on a {} state{hint}",
                    kind.as_str()
                );
                report(ctx, state.node(), prop, message, best);
            }
            Some(field) if !field.allowed_on(kind) => {
                ctx.report(&META, prop.key_range, not_allowed(name, kind, field));
            }
            Some(_) => {}
        }
    }
}

fn not_allowed(name: &str, kind: StateKind, field: &Field) -> String {
    let key = field.name;
    match (kind, key) {
        (StateKind::Choice, "Next") => format!(
            "state `{name}`: a Choice state cannot have `Next`; put its transitions in `Choices` and `Default`"
        ),
        (StateKind::Choice, "End") => format!(
            "state `{name}`: a Choice state cannot have `End`; route to a Succeed state from `Choices` or `Default`"
        ),
        (StateKind::Succeed | StateKind::Fail, "Next" | "End") => format!(
            "state `{name}`: a {} state is already terminal and cannot have `{key}`; remove it",
            kind.as_str()
        ),
        _ => {
            let on: Vec<&str> = field.states.iter().map(StateKind::as_str).collect();
            format!(
                "state `{name}`: `{key}` is not allowed on a {} state (only on {}); remove it",
                kind.as_str(),
                on.join(", ")
            )
        }
    }
}

fn check_rule(ctx: &mut Ctx, state: &State<'_>, rule: &ChoiceRule<'_>, place: &str, top: bool) {
    for prop in distinct_props(rule.node) {
        let key = prop.key.as_str();
        if is_templated(key) {
            continue;
        }
        if Object::ChoiceRule.field(key).is_some() {
            if !top && matches!(key, "Assign" | "Output") {
                ctx.report(
                    &META,
                    prop.key_range,
                    format!(
                        "state `{}`: `{key}` is not allowed in the nested rule `{place}`; move it to the top-level rule",
                        state.name
                    ),
                );
            }
            continue;
        }
        let names = fields::CHOICE_RULE
            .iter()
            .chain(fields::CHOICE_OPERATORS)
            .map(|f| f.name);
        let best = suggestion(key, names);
        let hint = hint(best).unwrap_or_else(|| "; remove it".to_owned());
        let message = format!(
            "state `{}`: unknown field `{key}` in Choice rule `{place}`{hint}",
            state.name
        );
        report(ctx, rule.node, prop, message, best);
    }
    // In a JSONata state `And`/`Or`/`Not` are reported by wrong-query-language.
    if state.query_language == QueryLanguage::JsonPath {
        for (label, nested) in nested_labels(rule).into_iter().zip(&rule.nested) {
            check_rule(ctx, state, nested, &format!("{place}.{label}"), false);
        }
    }
}

/// The labels (`And[0]`, `Or[1]`, `Not`) of [`ChoiceRule::nested`], in the same order.
pub(crate) fn nested_labels(rule: &ChoiceRule<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for (key, list) in [("And", rule.fields.and), ("Or", rule.fields.or)] {
        if let Some(items) = list.and_then(|p| p.value.as_array()) {
            out.extend((0..items.len()).map(|i| format!("{key}[{i}]")));
        }
    }
    if rule
        .fields
        .not
        .is_some_and(|p| p.value.as_object().is_some())
    {
        out.push("Not".to_owned());
    }
    out
}

/// "; did you mean `X`?" for a typo, or for `X.$` when `XPath` exists.
/// The field `key` was probably meant to be.
#[derive(Clone, Copy)]
enum Suggestion<'c> {
    /// A typo of this name.
    Typo(&'c str),
    /// `Name.$` outside a payload template, for this `NamePath`.
    PathField(&'c str),
}

impl<'c> Suggestion<'c> {
    fn name(self) -> &'c str {
        match self {
            Suggestion::Typo(name) | Suggestion::PathField(name) => name,
        }
    }
}

fn suggestion<'c>(
    key: &str,
    candidates: impl IntoIterator<Item = &'c str> + Clone,
) -> Option<Suggestion<'c>> {
    if let Some(base) = key.strip_suffix(".$") {
        let path = format!("{base}Path");
        if let Some(c) = candidates.clone().into_iter().find(|c| *c == path) {
            return Some(Suggestion::PathField(c));
        }
    }
    closest(key, candidates).map(Suggestion::Typo)
}

/// The message's "did you mean" for a suggestion.
fn hint(best: Option<Suggestion<'_>>) -> Option<String> {
    Some(match best? {
        Suggestion::Typo(name) => format!("; did you mean `{name}`?"),
        Suggestion::PathField(name) => {
            format!("; did you mean `{name}`? (`.$` keys exist only inside payload templates)")
        }
    })
}

/// Reports the unknown `prop` of `object`, with a fix renaming it to the suggested field unless
/// `object` already has that field (the rename would make a duplicate key).
fn report(
    ctx: &mut Ctx,
    object: &Node,
    prop: &Property,
    message: String,
    best: Option<Suggestion<'_>>,
) {
    let fix = best
        .map(Suggestion::name)
        .filter(|name| object.get(name).is_none())
        .map(|name| {
            Fix::new(
                format!("Rename the field to `{name}`"),
                // A guess at the intended field, which then takes effect (a typo'd
                // `TimeoutSecond` did nothing; `TimeoutSeconds` times the state out).
                Applicability::Unsafe,
                Edit::replace(
                    prop.key_range,
                    string_at(ctx.text, ctx.dialect, prop.key_range, name),
                ),
            )
        });
    let d = ctx.report(&META, prop.key_range, message);
    if let Some(fix) = fix {
        d.with_fix(fix);
    }
}

fn takes(table: &[Field]) -> String {
    let names: Vec<String> = table.iter().map(|f| format!("`{}`", f.name)).collect();
    format!("it takes {}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn messages(text: &str) -> Vec<String> {
        analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL011")
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect()
    }

    #[test]
    fn suggests_fields_and_paths() {
        let found = messages(
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "TimeoutSecond": 3, "HeartbeatSeconds.$": "$.h", "End": true}}}"#,
        );
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].contains("did you mean `TimeoutSeconds`"));
        assert!(found[1].contains("did you mean `HeartbeatSecondsPath`"));
    }

    #[test]
    fn choice_rules() {
        let found = messages(
            r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Next": "D", "Choices": [
                {"Not": {"Variable": "$.a", "StringEqual": "x", "Assign": {"a": 1}}, "Next": "D"}],
                "Default": "D"}, "D": {"Type": "Succeed"}}}"#,
        );
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("cannot have `Next`"));
        assert!(found[1].contains("Choices[0].Not") && found[1].contains("`StringEquals`"));
        assert!(found[2].contains("nested rule"));
    }

    #[test]
    fn unknown_types_are_left_alone() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Tusk", "Bogus": 1}}}"#;
        assert!(messages(text).is_empty());
    }
}
