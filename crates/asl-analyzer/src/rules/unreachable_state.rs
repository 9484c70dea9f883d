use crate::Ctx;
use crate::graph::Transition;
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

/// How many name comparisons the typo hints of one definition may make. A definition with
/// thousands of unreachable states and thousands of broken transitions would otherwise compare
/// every pair; past the budget the findings stay, without the hint.
const TYPO_BUDGET: usize = 200_000;

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    let graph = ctx.graph;
    // The transitions of each scope that name no state, gathered once: the typo hint below
    // compares each unreachable state with these only, not with every transition.
    let mut dangling: Vec<Vec<&Transition>> = vec![Vec::new(); machine.scopes.len()];
    for state in &machine.states {
        if let Some(list) = dangling.get_mut(state.scope) {
            list.extend(
                graph
                    .transitions(state.id)
                    .iter()
                    .filter(|t| t.target.is_none() && !t.templated),
            );
        }
    }
    let mut budget = TYPO_BUDGET;
    for state in &machine.states {
        if !graph.is_resolved(state.scope) || graph.is_reachable(state.id) {
            continue;
        }
        // A transition in this scope that names no state but is close to this one.
        let candidates = dangling.get(state.scope).map_or(&[][..], Vec::as_slice);
        let typo = if budget >= candidates.len() {
            budget -= candidates.len();
            candidates
                .iter()
                .find(|t| closest(t.name, [state.name]).is_some())
        } else {
            None
        };
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
