use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an error name the state cannot raise: `States.HeartbeatTimeout` on a Task without
    /// `HeartbeatSeconds`, `Lambda.*` on a Task that does not call Lambda, `States.NoChoiceMatched`
    /// or `States.BranchFailed` on a Task, and the Distributed Map errors
    /// (`States.ExceedToleratedFailureThreshold`, `States.ItemReaderFailed`,
    /// `States.ResultWriterFailed`) on a Task. (A Parallel or Map passes on the errors of the
    /// states inside it, so only Tasks are judged.)
    ///
    /// ## Why is this bad?
    /// The entry never matches. It is often copied from another state, or a sign that the error
    /// the author meant is another one (a Task's timeout is `States.Timeout`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::dynamodb:putItem",
    ///       "TimeoutSeconds": 30,
    ///       "Retry": [{ "ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 3 }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::dynamodb:putItem",
    ///       "TimeoutSeconds": 30,
    ///       "Retry": [{ "ErrorEquals": ["DynamoDB.ProvisionedThroughputExceededException"], "MaxAttempts": 3 }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Error names](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL205", name: "impossible-error", level: Info }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for entry in super::handlers(ctx.machine) {
        let state = entry.state;
        let is_task = state.kind == StateKind::Task;
        // Only a Resource written as an ARN is judged (not `${...}` or a test's `__tbd__`).
        let resource = state
            .resource()
            .filter(|r| r.starts_with("arn:") && !asl_syntax::is_templated(r));
        let heartbeat = state.fields.heartbeat_seconds.is_some()
            || state.node().get("HeartbeatSecondsPath").is_some();
        for (name, node) in &entry.errors {
            let why = match *name {
                "States.HeartbeatTimeout" if is_task && !heartbeat => {
                    "it has no `HeartbeatSeconds`, so no heartbeat can time out (a Task's own timeout is `States.Timeout`)"
                }
                "States.NoChoiceMatched" | "States.BranchFailed" if is_task => {
                    "only Choice states inside a Parallel or Map, and Parallel branches, raise it"
                }
                "States.ExceedToleratedFailureThreshold"
                | "States.ItemReaderFailed"
                | "States.ResultWriterFailed"
                    if is_task =>
                {
                    "only a Distributed Map raises it"
                }
                n if n.starts_with("Lambda.")
                    && is_task
                    && resource.is_some_and(|r| !r.contains(":lambda:")) =>
                {
                    "its Resource is not a Lambda function, so Lambda errors cannot occur"
                }
                _ => continue,
            };
            let kind = state.kind.as_str();
            ctx.report(
                &META,
                node.range,
                format!(
                    "state `{}` ({kind}): `{}` lists `{name}`, which this state cannot raise: {why}",
                    state.name, entry.place
                ),
            );
        }
    }
}
