use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `States.Runtime` or `States.DataLimitExceeded` in the `ErrorEquals` of a retrier
    /// or catcher.
    ///
    /// ## Why is this bad?
    /// Step Functions never retries or catches these two errors, not even with `States.ALL`: the
    /// execution fails at once. The entry gives a false sense of safety; handle the cause instead
    /// (a `null` input for `InputPath`/`OutputPath`, a payload over 256 KiB: pass large data
    /// through S3).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Pass",
    ///       "Next": "Call"
    ///     },
    ///     "Call": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [{ "ErrorEquals": ["States.DataLimitExceeded"], "MaxAttempts": 2 }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Pass",
    ///       "Next": "Call"
    ///     },
    ///     "Call": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [{ "ErrorEquals": ["States.BranchFailed"], "MaxAttempts": 2 }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Error names](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL203", name: "uncatchable-error", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for entry in super::handlers(ctx.machine) {
        for (name, node) in &entry.errors {
            if matches!(*name, "States.Runtime" | "States.DataLimitExceeded") {
                ctx.report(
                    &META,
                    node.range,
                    format!(
                        "state `{}`: `{}` lists `{name}`, which Step Functions never retries or catches; remove it and prevent the cause instead",
                        entry.state.name, entry.place
                    ),
                );
            }
        }
    }
}
