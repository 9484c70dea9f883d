use std::collections::HashMap;

use asl_syntax::ast::{ScopeId, StateId};
use asl_syntax::is_templated;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a state name used twice in the state machine, across Parallel branches and Map
    /// processors included; both places are labelled. (Two states with the same name in one
    /// `States` object are reported by `duplicate-key`.)
    ///
    /// ## Why is this bad?
    /// State names must be unique in the whole state machine, not only in their own `States`
    /// object: AWS rejects the definition with `DUPLICATE_STATE_NAME`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Fan out",
    ///   "States": {
    ///     "Fan out": {
    ///       "Type": "Parallel",
    ///       "Branches": [
    ///         { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } },
    ///         { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Fan out",
    ///   "States": {
    ///     "Fan out": {
    ///       "Type": "Parallel",
    ///       "Branches": [
    ///         { "StartAt": "Work A", "States": { "Work A": { "Type": "Pass", "End": true } } },
    ///         { "StartAt": "Work B", "States": { "Work B": { "Type": "Pass", "End": true } } }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language specification: state names are unique in the state machine](https://states-language.net/spec.html)
    /// - [ValidateStateMachineDefinition diagnostics: DUPLICATE_STATE_NAME](https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html)
    pub(crate) static META = { code: "ASL016", name: "duplicate-state-name", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    // For each name, the first state of each scope that uses it, in source order. Later states
    // of the same scope are duplicate keys, reported by duplicate-key.
    let mut by_name: HashMap<&str, Vec<(ScopeId, StateId)>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for state in &machine.states {
        if is_templated(state.name) {
            continue;
        }
        let entry = by_name.entry(state.name).or_insert_with(|| {
            order.push(state.name);
            Vec::new()
        });
        if !entry.iter().any(|(scope, _)| *scope == state.scope) {
            entry.push((state.scope, state.id));
        }
    }
    for name in order {
        let Some(uses) = by_name.get(name) else {
            continue;
        };
        let mut uses = uses.iter();
        let Some(first) = uses.next().and_then(|(_, id)| machine.state(*id)) else {
            continue;
        };
        let first_scope = machine
            .scope(first.scope)
            .map(|s| s.describe(machine))
            .unwrap_or_default();
        for (scope, id) in uses {
            let Some(state) = machine.state(*id) else {
                continue;
            };
            let here = machine
                .scope(*scope)
                .map(|s| s.describe(machine))
                .unwrap_or_default();
            ctx.report(
                &META,
                state.prop.key_range,
                format!(
                    "state name `{name}` in {here} is already used in {first_scope}; names must be unique in the whole state machine, rename one of them"
                ),
            )
            .label(first.prop.key_range, "first used here");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    #[test]
    fn same_scope_duplicates_are_left_to_duplicate_key() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"},
            "P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]}}}"#;
        let found: Vec<_> = analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL016" || d.code() == "ASL002")
            .map(|d| (d.code(), d.pointer))
            .collect();
        assert_eq!(
            found,
            [
                ("ASL002", "/States/A".to_owned()),
                ("ASL016", "/States/P/Branches/0/States/A".to_owned())
            ]
        );
    }
}
