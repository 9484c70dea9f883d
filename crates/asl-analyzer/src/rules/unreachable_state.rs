use crate::Ctx;
use crate::names::closest;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a state that no path from its scope's `StartAt` reaches, following `Next`,
    /// Choice rules, `Default` and Catch edges. Editors grey the state out.
    ///
    /// ## Why is this bad?
    /// AWS rejects a definition with an unreachable state (`MISSING_TRANSITION_TARGET: State
    /// "X" is not reachable`). It is usually left over from a refactoring, or the transition meant
    /// to reach it has a typo.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Fetch",
    ///   "States": {
    ///     "Fetch": { "Type": "Pass", "End": true },
    ///     "Orphan": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Fetch",
    ///   "States": {
    ///     "Fetch": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Transitions](https://states-language.net/spec.html#transition)
    pub(crate) static META = { code: "ASL103", name: "unreachable-state", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    let graph = ctx.graph;
    for state in &machine.states {
        if !graph.is_resolved(state.scope) || graph.is_reachable(state.id) {
            continue;
        }
        // A transition in this scope that names no state but is close to this one.
        let typo = machine
            .states_of(state.scope)
            .flat_map(|s| graph.transitions(s.id))
            .filter(|t| t.target.is_none() && !t.templated)
            .find(|t| closest(t.name, [state.name]).is_some());
        let d = ctx
            .report(
                &META,
                state.prop.key_range,
                format!(
                    "state `{}` is unreachable: no path from `StartAt` leads to it; transition to it from another state or delete it",
                    state.name
                ),
            )
            .unnecessary();
        if let Some(t) = typo {
            d.label(
                t.range,
                format!("`{}` may be meant to name `{}`", t.name, state.name),
            );
        }
    }
}
