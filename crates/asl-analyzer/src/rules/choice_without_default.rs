use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Choice state without a `Default`.
    ///
    /// ## Why is this bad?
    /// When no rule matches, the execution fails with `States.NoChoiceMatched`, and a Choice
    /// state cannot catch it. A `Default` makes the unmatched case explicit, even when it leads
    /// to a Fail state.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.ok", "BooleanEquals": true, "Next": "Done" }]
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
    ///       "Choices": [{ "Variable": "$.ok", "BooleanEquals": true, "Next": "Done" }],
    ///       "Default": "Rejected"
    ///     },
    ///     "Done": { "Type": "Succeed" },
    ///     "Rejected": { "Type": "Fail", "Error": "NotOk", "Cause": "the input was not ok" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Choice state](https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html)
    pub(crate) static META = { code: "ASL106", name: "choice-without-default", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        if state.kind == StateKind::Choice && state.fields.default.is_none() {
            ctx.report(
                &META,
                state.prop.key_range,
                format!(
                    "Choice state `{}` has no `Default`: input that matches no rule fails the execution with `States.NoChoiceMatched`; add a `Default`",
                    state.name
                ),
            );
        }
    }
}
