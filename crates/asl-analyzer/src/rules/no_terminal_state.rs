use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a scope (the top level, a Parallel branch or a Map processor) in which no state
    /// is terminal: none has `"End": true` and there is no Succeed or Fail state.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition (`MISSING_END_STATE`): an execution of that scope could never
    /// finish.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Ping",
    ///   "States": {
    ///     "Ping": { "Type": "Pass", "Next": "Pong" },
    ///     "Pong": { "Type": "Pass", "Next": "Ping" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Ping",
    ///   "States": {
    ///     "Ping": { "Type": "Pass", "Next": "Pong" },
    ///     "Pong": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Terminal states](https://states-language.net/spec.html#transition)
    pub(crate) static META = { code: "ASL104", name: "no-terminal-state", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    for scope in &machine.scopes {
        let Some(states) = scope.fields.states else {
            continue;
        };
        if scope.states.is_empty() {
            continue;
        }
        let mut any_terminal = false;
        let mut unknown_type = false;
        for state in machine.states_of(scope.id) {
            any_terminal |= state.is_terminal();
            unknown_type |= matches!(state.kind, StateKind::Unknown | StateKind::Missing);
        }
        if any_terminal || unknown_type {
            continue;
        }
        ctx.report(
            &META,
            states.key_range,
            format!(
                "{} has no terminal state, so it can never finish; end a path with `\"End\": true`, a Succeed or a Fail state",
                capitalise(&scope.describe(machine))
            ),
        );
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
