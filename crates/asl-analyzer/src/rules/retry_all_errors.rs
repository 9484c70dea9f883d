use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a retrier on `States.ALL` or `States.TaskFailed` with `MaxAttempts` above 3 when no
    /// earlier retrier of the state stops the errors that retrying cannot fix
    /// (`States.Permissions`, `States.ResultPathMatchFailure`, `States.ParameterPathFailure`,
    /// `States.IntrinsicFailure`, `States.QueryEvaluationError`) with `"MaxAttempts": 0`.
    ///
    /// ## Why is this bad?
    /// Those failures are deterministic: every retry fails the same way, costs a transition and
    /// waits out the backoff before the execution finally fails.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [{ "ErrorEquals": ["States.ALL"], "MaxAttempts": 10 }],
    ///       "End": true
    ///     }
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
    ///       "Retry": [
    ///         { "ErrorEquals": ["States.Permissions", "States.ResultPathMatchFailure", "States.ParameterPathFailure", "States.IntrinsicFailure"], "MaxAttempts": 0 },
    ///         { "ErrorEquals": ["States.ALL"], "MaxAttempts": 10 }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Retry all errors except some](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL207", name: "retry-all-errors", level: Info }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        let mut guarded = false;
        for (i, r) in state.retriers.iter().enumerate() {
            let names: Vec<&str> = r.error_names().collect();
            let attempts = r.fields.max_attempts.and_then(|p| p.value.as_f64());
            if attempts == Some(0.0) {
                guarded = true;
                continue;
            }
            let wide = names
                .iter()
                .any(|n| matches!(*n, "States.ALL" | "States.TaskFailed"));
            if wide && !guarded && attempts.is_some_and(|a| a > 3.0) {
                let at = r
                    .fields
                    .max_attempts
                    .map_or(r.node.range, |p| p.value.range);
                ctx.report(
                    &META,
                    at,
                    format!(
                        "state `{}`: `Retry[{i}]` retries every error {} times, deterministic ones included; put a `\"MaxAttempts\": 0` retrier for States.Permissions, States.ResultPathMatchFailure, States.ParameterPathFailure and States.IntrinsicFailure before it",
                        state.name,
                        attempts.unwrap_or(0.0)
                    ),
                );
            }
        }
    }
}
