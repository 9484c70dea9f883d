use asl_syntax::ast::{ChoiceRule, QueryLanguage, State, StateKind};

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks the structure of Choice rules. In JSONPath, a rule is either one comparison (a
    /// `Variable` with exactly one operator such as `StringEquals`) or one of `And`, `Or`, `Not`;
    /// it reports a rule with no comparison, two comparisons, a comparison beside `And`/`Or`/`Not`,
    /// a comparison without `Variable`, an empty `And`/`Or`, a top-level rule without `Next`, and
    /// `Next`, `Assign` or `Output` inside a nested rule. In JSONata, a rule needs `Condition` and
    /// `Next`.
    ///
    /// ## Why is this bad?
    /// AWS rejects such rules when the definition is created (`SCHEMA_VALIDATION_FAILED`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         { "Variable": "$.n", "NumericGreaterThan": 1, "NumericLessThan": 9, "Next": "Done" }
    ///       ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
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
    ///         {
    ///           "And": [
    ///             { "Variable": "$.n", "NumericGreaterThan": 1 },
    ///             { "Variable": "$.n", "NumericLessThan": 9 }
    ///           ],
    ///           "Next": "Done"
    ///         }
    ///       ],
    ///       "Default": "Done"
    ///     },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Choice Rules](https://states-language.net/spec.html#choice-state)
    /// - [Choice state](https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html)
    pub(crate) static META = { code: "ASL107", name: "invalid-choice-rule", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        if state.kind != StateKind::Choice {
            continue;
        }
        for (i, rule) in state.choices.iter().enumerate() {
            if rule.node.as_object().is_none() {
                continue;
            }
            if rule.fields.next.is_none() {
                ctx.report(
                    &META,
                    rule.node.range,
                    format!(
                        "state `{}`: `Choices[{i}]` has no `Next`; add the state to go to when it matches",
                        state.name
                    ),
                );
            }
            match state.query_language {
                QueryLanguage::JsonAta => {
                    if rule.fields.condition.is_none() {
                        ctx.report(
                            &META,
                            rule.node.range,
                            format!(
                                "state `{}`: `Choices[{i}]` has no `Condition`; add `\"Condition\": \"{{% ... %}}\"`",
                                state.name
                            ),
                        );
                    }
                }
                QueryLanguage::JsonPath => {
                    check_rule(ctx, state, rule, &format!("Choices[{i}]"), 0)
                }
            }
        }
    }
}

fn check_rule(ctx: &mut Ctx, state: &State<'_>, rule: &ChoiceRule<'_>, place: &str, depth: usize) {
    let name = state.name;
    let f = &rule.fields;
    if depth > 0 {
        for prop in [f.next, f.assign, f.output].into_iter().flatten() {
            ctx.report(
                &META,
                prop.key_range,
                format!(
                    "state `{name}`: `{}` is only allowed on a top-level rule, not inside `And`/`Or`/`Not` (`{place}`); move it to the enclosing rule",
                    prop.key
                ),
            );
        }
    }
    let booleans: Vec<_> = [f.and, f.or, f.not].into_iter().flatten().collect();
    let comparisons = &rule.operators;
    match (booleans.as_slice(), comparisons.as_slice()) {
        // A misspelt operator is reported as an unknown field; don't add "no comparison".
        ([], []) if !f.unknown.is_empty() => {}
        ([], []) => {
            let range = f.variable.map_or(rule.node.range, |v| v.key_range);
            ctx.report(
                &META,
                range,
                format!(
                    "state `{name}`: `{place}` has no comparison; add one operator such as `StringEquals` (with `Variable`), or `And`/`Or`/`Not`"
                ),
            );
        }
        (_, [first, second, ..]) => {
            ctx.report(
                &META,
                second.key_range,
                format!(
                    "state `{name}`: `{place}` has two comparisons, `{}` and `{}`; a rule holds one, so combine them with `And`",
                    first.key, second.key
                ),
            )
            .label(first.key_range, "first comparison");
        }
        ([boolean, ..], [comparison]) => {
            ctx.report(
                &META,
                comparison.key_range,
                format!(
                    "state `{name}`: `{place}` has both `{}` and the comparison `{}`; move the comparison into the `{}` rules",
                    boolean.key, comparison.key, boolean.key
                ),
            )
            .label(boolean.key_range, "boolean operator");
        }
        ([first, second, ..], []) => {
            ctx.report(
                &META,
                second.key_range,
                format!(
                    "state `{name}`: `{place}` has both `{}` and `{}`; a rule holds one, so nest one inside the other",
                    first.key, second.key
                ),
            );
        }
        ([_], []) => {
            if let Some(variable) = f.variable {
                ctx.report(
                    &META,
                    variable.key_range,
                    format!(
                        "state `{name}`: `{place}` has `Variable` beside `{}`, which ignores it; move it into a nested comparison",
                        booleans.first().map_or("", |b| b.key.as_str())
                    ),
                );
            }
        }
        ([], [comparison]) => {
            if f.variable.is_none() {
                ctx.report(
                    &META,
                    comparison.key_range,
                    format!(
                        "state `{name}`: `{place}` compares with `{}` but has no `Variable`; add `\"Variable\": \"$.field\"`",
                        comparison.key
                    ),
                );
            }
        }
    }
    for list in [f.and, f.or].into_iter().flatten() {
        if list.value.as_array().is_some_and(<[_]>::is_empty) {
            ctx.report(
                &META,
                list.value.range,
                format!(
                    "state `{name}`: `{}` in `{place}` is empty; give it at least one rule",
                    list.key
                ),
            );
        }
    }
    // Nested rules, with their place for messages.
    let mut nested = rule.nested.iter();
    for list in [f.and, f.or].into_iter().flatten() {
        let Some(items) = list.value.as_array() else {
            continue;
        };
        for (i, _) in items.iter().enumerate() {
            if let Some(child) = nested.next()
                && child.node.as_object().is_some()
            {
                check_rule(
                    ctx,
                    state,
                    child,
                    &format!("{place}.{}[{i}]", list.key),
                    depth + 1,
                );
            }
        }
    }
    if f.not.is_some_and(|n| n.value.as_object().is_some())
        && let Some(child) = nested.next()
    {
        check_rule(ctx, state, child, &format!("{place}.Not"), depth + 1);
    }
}
