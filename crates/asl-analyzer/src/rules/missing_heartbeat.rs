use crate::Ctx;
use crate::resource::{Resource, tasks};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an activity Task or a `.waitForTaskToken` Task without `HeartbeatSeconds` or
    /// `HeartbeatSecondsPath`.
    ///
    /// ## Why is this bad?
    /// Such a Task waits for a worker or a callback. If the worker dies or the token is lost,
    /// nothing tells Step Functions, and the Task waits until its `TimeoutSeconds`, or the
    /// execution's one-year limit. With a heartbeat, the worker calls `SendTaskHeartbeat` while
    /// it works and a silent one fails the Task with `States.HeartbeatTimeout` soon.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Approve",
    ///   "States": {
    ///     "Approve": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///       "Parameters": { "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "MessageBody": { "Token.$": "$$.Task.Token" } },
    ///       "TimeoutSeconds": 86400,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Approve",
    ///   "States": {
    ///     "Approve": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///       "Parameters": { "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "MessageBody": { "Token.$": "$$.Task.Token" } },
    ///       "TimeoutSeconds": 86400,
    ///       "HeartbeatSeconds": 3600,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Wait for a callback with a task token](https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token)
    /// - [Avoid stuck executions](https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html)
    pub(crate) static META = { code: "ASL212", name: "missing-heartbeat", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for task in tasks(ctx.machine).filter(|t| t.resource.waits_for_callback()) {
        let state = task.state;
        if state.fields.heartbeat_seconds.is_some() || state.fields.heartbeat_seconds_path.is_some()
        {
            continue;
        }
        let what = if task.resource == Resource::Activity {
            "activity Task"
        } else {
            "callback Task (`.waitForTaskToken`)"
        };
        ctx.report(
            &META,
            task.prop.value.range,
            format!(
                "{what} `{}` has no `HeartbeatSeconds`: a lost worker or token goes unnoticed until the timeout; add `\"HeartbeatSeconds\"` and have the worker call SendTaskHeartbeat",
                state.name
            ),
        );
    }
}
