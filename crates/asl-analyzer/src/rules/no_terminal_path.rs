use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a loop that, once entered, can never be left: no state in it is terminal and no
    /// `Next`, Choice rule, `Default` or Catch leads out of it. The note shows the loop.
    ///
    /// ## Why is this bad?
    /// AWS only checks that some terminal state exists, so such a definition deploys. But an
    /// execution that enters the loop runs until an error escapes or it hits the execution time
    /// limit or the 25,000-event history limit, billing a transition for every step.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.skip", "BooleanEquals": true, "Next": "Done" }],
    ///       "Default": "Poll"
    ///     },
    ///     "Poll": { "Type": "Pass", "Next": "Sleep" },
    ///     "Sleep": { "Type": "Wait", "Seconds": 10, "Next": "Poll" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "TimeoutSeconds": 3600,
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.skip", "BooleanEquals": true, "Next": "Done" }],
    ///       "Default": "Poll"
    ///     },
    ///     "Poll": { "Type": "Pass", "Next": "Sleep" },
    ///     "Sleep": { "Type": "Wait", "Seconds": 10, "Next": "Check" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Step Functions quotas: 25,000 history events](https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)
    pub(crate) static META = { code: "ASL105", name: "no-terminal-path", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    let graph = ctx.graph;
    for scope in &machine.scopes {
        // A scope with no terminal state at all is reported once, by no-terminal-state.
        if !graph.is_resolved(scope.id) || !machine.states_of(scope.id).any(|s| s.is_terminal()) {
            continue;
        }
        // States whose way out is unknown count as exits, so a loop is only reported when it is
        // certainly closed (broken transitions are reported by their own rules).
        let may_exit = |id| {
            machine.state(id).is_none_or(|s| {
                s.is_terminal()
                    || matches!(s.kind, StateKind::Unknown | StateKind::Missing)
                    || (s.kind.takes_next() && s.next().is_none())
                    || graph.transitions(id).iter().any(|t| t.target.is_none())
            })
        };
        for cycle in graph.trapped_cycles(scope.id, may_exit) {
            let Some(&first) = cycle.first() else {
                continue;
            };
            let Some(state) = machine.state(first) else {
                continue;
            };
            let path =
                crate::names::loop_path(cycle.iter().map(|&id| machine.state_name(id)), |name| {
                    format!("`{name}`")
                });
            let d = ctx.report(
                &META,
                state.prop.key_range,
                format!(
                    "state `{}` is in a loop with no way out: none of its {} states ends and no transition leaves it; add a Choice rule, Catch or `End` that leads out",
                    state.name,
                    cycle.len()
                ),
            );
            d.note(format!("the loop: {path}"));
            // A label for each of the first states; a longer loop is named in the note.
            for &id in cycle.iter().skip(1).take(crate::names::LOOP_SHOWN) {
                if let Some(s) = machine.state(id) {
                    d.label(s.prop.key_range, "part of the loop");
                }
            }
        }
    }
}
