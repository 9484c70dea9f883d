use asl_syntax::ast::{Catcher, QueryLanguage, State};

use crate::Ctx;
use crate::diagnostic::{Applicability, Fix};
use crate::edits::{Value, add_member};
use crate::nodes::brace;
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
            let fix = result_path_fix(ctx.text, state, c);
            let d = ctx.report(
                &META,
                brace(ctx.text, c.node),
                format!(
                    "state `{}`: `Catch[{i}]` has no `ResultPath`, so the error object replaces the state's input on the recovery path; add `\"ResultPath\": \"$.error\"` to keep both",
                    state.name
                ),
            );
            if let Some(fix) = fix {
                d.with_fix(fix);
            }
        }
    }
}

/// On a JSONPath catcher without `ResultPath` (or `Output`): add `"ResultPath": "$.error"` so
/// the recovery path keeps the state's input. The editor offers it from the cursor too, when
/// this rule is off.
pub(crate) fn result_path_fix(text: &str, state: &State<'_>, catcher: &Catcher<'_>) -> Option<Fix> {
    if state.query_language != QueryLanguage::JsonPath
        || !state.kind.takes_retry()
        || catcher.fields.result_path.is_some()
        || catcher.fields.output.is_some()
    {
        return None;
    }
    let edit = add_member(text, catcher.node, "ResultPath", &Value::string("$.error"))?;
    Some(Fix::new(
        "Add `\"ResultPath\": \"$.error\"` to this catcher (keep the state input)",
        // The recovery state then sees the input plus `error`, not the error object alone.
        Applicability::Unsafe,
        edit,
    ))
}
