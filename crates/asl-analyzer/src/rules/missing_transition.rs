use asl_syntax::ast::{Machine, State};

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::{Value, add_member, json_string};
use crate::names::closest;
use crate::rule::declare_rule;
use crate::spec::fields;

declare_rule! {
    /// ## What it does
    /// Reports a Task, Pass, Wait, Parallel or Map state with neither a `Next` nor
    /// `"End": true` (including `"End": false` with no `Next`).
    ///
    /// ## Why is this bad?
    /// Every state of these types must either transition or end its scope; AWS rejects a
    /// definition where one does neither.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.save", "BooleanEquals": true, "Next": "Save" }],
    ///       "Default": "Done"
    ///     },
    ///     "Save": { "Type": "Pass" },
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
    ///       "Choices": [{ "Variable": "$.save", "BooleanEquals": true, "Next": "Save" }],
    ///       "Default": "Done"
    ///     },
    ///     "Save": { "Type": "Pass", "Next": "Done" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Transitions](https://states-language.net/spec.html#transition)
    pub(crate) static META = { code: "ASL102", name: "missing-transition", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        if !state.kind.takes_next() || state.fields.next.is_some() {
            continue;
        }
        // A misspelt `Nxt` is fixed by its rename (unknown-field); a new `End` beside it would
        // conflict.
        let misspelt = misspelt_transition(state);
        match state.fields.end {
            None => {
                let mut fixes = Vec::new();
                if !misspelt {
                    let end = add_member(ctx.text, state.node(), "End", &Value::raw("true"));
                    fixes.extend(end.map(|edit| {
                        Fix::new(
                            format!("Add `\"End\": true` to `{}`", state.name),
                            // Ending here is one choice; a `Next` would be another.
                            Applicability::Unsafe,
                            edit,
                        )
                    }));
                    if let Some(next) = following_state(ctx.machine, state) {
                        let edit = add_member(ctx.text, state.node(), "Next", &Value::string(next));
                        fixes.extend(edit.map(|edit| {
                            Fix::new(
                                format!(
                                    "Add `\"Next\": {}` to `{}`",
                                    json_string(next),
                                    state.name
                                ),
                                // A guess at the intended successor.
                                Applicability::Unsafe,
                                edit,
                            )
                            .alternative()
                        }));
                    }
                }
                let d = ctx.report(
                    &META,
                    state.prop.key_range,
                    format!(
                        "state `{}` ({}) has neither `Next` nor `\"End\": true`; add a `Next` naming the state that follows, or `\"End\": true`",
                        state.name,
                        state.kind.as_str()
                    ),
                );
                for fix in fixes {
                    d.with_fix(fix);
                }
            }
            Some(end) if end.value.as_bool() == Some(false) => {
                let d = ctx.report(
                    &META,
                    end.value.range,
                    format!(
                        "state `{}` has `\"End\": false` and no `Next`, so it neither ends nor transitions; set `\"End\": true` or replace it with a `Next`",
                        state.name
                    ),
                );
                if !misspelt {
                    d.with_fix(Fix::new(
                        format!("Set `\"End\": true` on `{}`", state.name),
                        // Ending here is one choice; a `Next` would be another.
                        Applicability::Unsafe,
                        Edit::replace(end.value.range, "true"),
                    ));
                }
            }
            // `"End": true` ends the state; any other value is reported as an invalid value.
            Some(_) => {}
        }
    }
}

/// Whether the state has an unknown field that unknown-field takes for a misspelt `Next` or
/// `End` (its fix renames it).
fn misspelt_transition(state: &State<'_>) -> bool {
    let Some(props) = state.node().as_object() else {
        return false;
    };
    props.iter().any(|prop| {
        fields::state_field(&prop.key).is_none()
            && matches!(
                closest(
                    &prop.key,
                    fields::STATE
                        .iter()
                        .filter(|f| f.allowed_on(state.kind))
                        .map(|f| f.name)
                ),
                Some("Next" | "End")
            )
    })
}

/// The state written after `state` in its scope, else the first one that is not `state`.
fn following_state<'a>(machine: &Machine<'a>, state: &State<'a>) -> Option<&'a str> {
    let mut states = machine.states_of(state.scope);
    let after = states
        .by_ref()
        .skip_while(|s| s.id != state.id)
        .nth(1)
        .map(|s| s.name);
    after.or_else(|| {
        machine
            .states_of(state.scope)
            .find(|s| s.id != state.id)
            .map(|s| s.name)
    })
}
