use asl_syntax::ast::QueryLanguage;

use crate::Ctx;
use crate::fields::brace;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a catcher of a JSONPath state without `ResultPath`.
    ///
    /// ## Why is this bad?
    /// `ResultPath` defaults to `$`: the error object replaces the state's whole input, so the
    /// recovery path loses the data it needs to retry, compensate or report. Keep both with
    /// `"ResultPath": "$.error"` (or discard the error with `null`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Recover" }],
    ///       "End": true
    ///     },
    ///     "Recover": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Catch": [{ "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover" }],
    ///       "End": true
    ///     },
    ///     "Recover": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Handling errors: ResultPath in catchers](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL206", name: "catch-replaces-input", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        if state.query_language != QueryLanguage::JsonPath || !state.kind.takes_retry() {
            continue;
        }
        for (i, c) in state.catchers.iter().enumerate() {
            if c.fields.result_path.is_some() || c.fields.output.is_some() {
                continue;
            }
            ctx.report(
                &META,
                brace(ctx.text, c.node),
                format!(
                    "state `{}`: `Catch[{i}]` has no `ResultPath`, so the error object replaces the state's input on the recovery path; add `\"ResultPath\": \"$.error\"` to keep both",
                    state.name
                ),
            );
        }
    }
}
