use asl_syntax::ast::ScopeId;
use asl_syntax::{TextRange, is_templated};

use crate::Ctx;
use crate::names::did_you_mean;
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
        let message = format!(
            "`StartAt` of {}: {}",
            scope.describe(machine),
            explain(ctx, scope.id, name)
        );
        report(ctx, start.value.range, message, scope.id, name);
    }
    for state in &machine.states {
        for t in ctx.graph.transitions(state.id) {
            if t.target.is_some() || t.templated {
                continue;
            }
            let message = format!(
                "state `{}`: `{}` {}",
                state.name,
                t.kind.describe(),
                explain(ctx, state.scope, t.name)
            );
            report(ctx, t.range, message, state.scope, t.name);
        }
    }
}

fn report(ctx: &mut Ctx, range: TextRange, message: String, scope: ScopeId, name: &str) {
    let elsewhere = ctx
        .machine
        .states
        .iter()
        .find(|s| s.name == name && s.scope != scope)
        .map(|s| s.prop.key_range);
    let d = ctx.report(&META, range, message);
    if let Some(other) = elsewhere {
        d.label(other, "a state of another scope");
    }
}

fn explain(ctx: &Ctx, scope: ScopeId, name: &str) -> String {
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
    let suggestion = did_you_mean(name, machine.states_of(scope).map(|s| s.name));
    if suggestion.is_empty() {
        format!("names `{name}`, which is not a state here; add that state or fix the name")
    } else {
        format!("names `{name}`, which is not a state here{suggestion}")
    }
}
