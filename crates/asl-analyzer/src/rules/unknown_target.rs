use asl_syntax::ast::{ScopeId, StateId};
use asl_syntax::{TextRange, is_templated};

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::string_at;
use crate::names::closest;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `StartAt`, `Next`, `Default`, Choice rule `Next` or Catch `Next` that names no
    /// state of its own `States` object. When the name belongs to another scope, it says that
    /// transitions cannot leave or enter a Parallel branch or a Map processor; otherwise it
    /// suggests the closest name.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition (`MISSING_TRANSITION_TARGET`). Usually it is a typo or a state
    /// that was renamed or deleted without updating the transitions into it.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.ok", "BooleanEquals": true, "Next": "Process" }],
    ///       "Default": "Proces"
    ///     },
    ///     "Process": { "Type": "Succeed" }
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
    ///       "Choices": [{ "Variable": "$.ok", "BooleanEquals": true, "Next": "Process" }],
    ///       "Default": "Rejected"
    ///     },
    ///     "Process": { "Type": "Succeed" },
    ///     "Rejected": { "Type": "Fail", "Error": "NotOk" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Transitions](https://states-language.net/spec.html#transition)
    /// - [ValidateStateMachineDefinition diagnostics](https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html)
    pub(crate) static META = { code: "ASL101", name: "unknown-target", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    for scope in &machine.scopes {
        let Some(start) = scope.fields.start_at else {
            continue;
        };
        let Some(name) = start.value.as_str() else {
            continue;
        };
        if is_templated(name) || machine.find_in_scope(scope.id, name).is_some() {
            continue;
        }
        let best = suggestion(ctx, scope.id, None, name);
        let message = format!(
            "`StartAt` of {}: {}",
            scope.describe(machine),
            explain(ctx, scope.id, name, best)
        );
        report(ctx, start.value.range, message, scope.id, name, best);
    }
    for state in &machine.states {
        for t in ctx.graph.transitions(state.id) {
            if t.target.is_some() || t.templated {
                continue;
            }
            let best = suggestion(ctx, state.scope, Some(state.id), t.name);
            let message = format!(
                "state `{}`: `{}` {}",
                state.name,
                t.kind.describe(),
                explain(ctx, state.scope, t.name, best)
            );
            report(ctx, t.range, message, state.scope, t.name, best);
        }
    }
}

/// The state of `scope` that `name` was probably meant to be: the closest name, but never the
/// state the transition leaves (`from`), which would make a loop of a typo.
fn suggestion<'a>(
    ctx: &Ctx<'a>,
    scope: ScopeId,
    from: Option<StateId>,
    name: &str,
) -> Option<&'a str> {
    let candidates = ctx
        .machine
        .states_of(scope)
        .filter(|s| Some(s.id) != from)
        .map(|s| s.name);
    closest(name, candidates)
}

fn report(
    ctx: &mut Ctx,
    range: TextRange,
    message: String,
    scope: ScopeId,
    name: &str,
    best: Option<&str>,
) {
    let elsewhere = ctx
        .machine
        .states
        .iter()
        .find(|s| s.name == name && s.scope != scope)
        .map(|s| s.prop.key_range);
    let (text, dialect) = (ctx.text, ctx.dialect);
    let d = ctx.report(&META, range, message);
    if let Some(other) = elsewhere {
        d.label(other, "a state of another scope");
    } else if let Some(best) = best {
        d.with_fix(Fix::new(
            format!("Change `{name}` to `{best}`"),
            // A guess at the intended state: the flow then goes where we chose.
            Applicability::Unsafe,
            Edit::replace(range, string_at(text, dialect, range, best)),
        ));
    }
}

fn explain(ctx: &Ctx, scope: ScopeId, name: &str, best: Option<&str>) -> String {
    let machine = ctx.machine;
    if let Some(other) = machine
        .states
        .iter()
        .find(|s| s.name == name && s.scope != scope)
    {
        let where_ = machine
            .scope(other.scope)
            .map(|s| s.describe(machine))
            .unwrap_or_default();
        return format!(
            "names `{name}`, a state of {where_}; transitions cannot leave or enter a Parallel branch or Map processor, so target a state of {} instead",
            machine
                .scope(scope)
                .map(|s| s.describe(machine))
                .unwrap_or_default()
        );
    }
    match best {
        None => {
            format!("names `{name}`, which is not a state here; add that state or fix the name")
        }
        Some(best) => format!("names `{name}`, which is not a state here; did you mean `{best}`?"),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn findings(text: &str) -> Vec<(String, Vec<String>)> {
        analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.is(&super::META))
            .map(|d| (d.message, d.fixes.into_iter().map(|f| f.title).collect()))
            .collect()
    }

    #[test]
    fn never_suggests_the_state_itself() {
        // `Fetch` is as close to `Fetch3` as `Fetch2` is, and comes first, but a state going to
        // itself is not the fix.
        let found = findings(
            r#"{"StartAt": "Fetch", "States": {"Fetch": {"Type": "Pass", "Next": "Fetch3"}, "Fetch2": {"Type": "Succeed"}}}"#,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.ends_with("did you mean `Fetch2`?"), "{found:?}");
        assert_eq!(found[0].1, ["Change `Fetch3` to `Fetch2`"]);
        let found = findings(
            r#"{"StartAt": "Fetch", "States": {"Fetch": {"Type": "Pass", "Next": "Fetc"}, "Done": {"Type": "Succeed"}}}"#,
        );
        assert!(
            found[0].0.ends_with("add that state or fix the name"),
            "{found:?}"
        );
        assert!(found[0].1.is_empty(), "{found:?}");
        // `StartAt` leaves no state: the closest name is the suggestion.
        let found = findings(r#"{"StartAt": "Fetc", "States": {"Fetch": {"Type": "Succeed"}}}"#);
        assert_eq!(found[0].1, ["Change `Fetc` to `Fetch`"]);
    }
}
