use asl_syntax::Node;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `States.ALL` that is not alone in its `ErrorEquals`, or that is not in the last
    /// retrier or catcher of its state.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition. `States.ALL` matches every error, so the retriers or catchers
    /// after it could never run, and other names beside it mean nothing.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "TimeoutSeconds": 60,
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "Catch": [
    ///         { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed" },
    ///         { "ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Failed" }
    ///       ],
    ///       "End": true
    ///     },
    ///     "Failed": { "Type": "Fail" }
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
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "TimeoutSeconds": 60,
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "Catch": [
    ///         { "ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Failed" },
    ///         { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed" }
    ///       ],
    ///       "End": true
    ///     },
    ///     "Failed": { "Type": "Fail" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Error handling in Step Functions](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL201", name: "states-all-not-last", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        let retriers: Vec<Option<&Node>> = state
            .retriers
            .iter()
            .map(|r| r.fields.error_equals.map(|p| &p.value))
            .collect();
        let catchers: Vec<Option<&Node>> = state
            .catchers
            .iter()
            .map(|c| c.fields.error_equals.map(|p| &p.value))
            .collect();
        for (list, what) in [(retriers, "retrier"), (catchers, "catcher")] {
            let count = list.len();
            for (i, errors) in list.into_iter().enumerate() {
                let Some(items) = errors.and_then(Node::as_array) else {
                    continue;
                };
                let Some(all) = items.iter().find(|e| e.as_str() == Some("States.ALL")) else {
                    continue;
                };
                if items.len() > 1 {
                    ctx.report(
                        &META,
                        all.range,
                        format!(
                            "state `{}`: `States.ALL` must be alone in its `ErrorEquals`; move the other names to an earlier {what}",
                            state.name
                        ),
                    );
                } else if i + 1 < count {
                    ctx.report(
                        &META,
                        all.range,
                        format!(
                            "state `{}`: the {what} with `States.ALL` must be the last one, or {} after it never {}; move it to the end",
                            state.name,
                            if count - i - 1 == 1 { format!("the {what}") } else { format!("the {} {what}s", count - i - 1) },
                            if count - i - 1 == 1 { "runs" } else { "run" }
                        ),
                    );
                }
            }
        }
    }
}
