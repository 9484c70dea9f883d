use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Task whose `HeartbeatSeconds` is greater than or equal to its
    /// `TimeoutSeconds`.
    ///
    /// ## Why is this bad?
    /// AWS requires the heartbeat interval to be shorter than the timeout and rejects the
    /// definition otherwise; a heartbeat that long could never fire before the task times out.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Wait for approval",
    ///   "States": {
    ///     "Wait for approval": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///       "TimeoutSeconds": 300,
    ///       "HeartbeatSeconds": 600,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Wait for approval",
    ///   "States": {
    ///     "Wait for approval": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///       "TimeoutSeconds": 600,
    ///       "HeartbeatSeconds": 60,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Task state: timeouts and heartbeats](https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html)
    pub(crate) static META = { code: "ASL213", name: "heartbeat-exceeds-timeout", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        let (Some(timeout), Some(heartbeat)) =
            (state.fields.timeout_seconds, state.fields.heartbeat_seconds)
        else {
            continue;
        };
        let (Some(t), Some(h)) = (timeout.value.as_f64(), heartbeat.value.as_f64()) else {
            continue;
        };
        if h >= t {
            ctx.report(
                &META,
                heartbeat.value.range,
                format!(
                    "state `{}`: `HeartbeatSeconds` ({h}) must be less than `TimeoutSeconds` ({t}); lower the heartbeat or raise the timeout",
                    state.name
                ),
            )
            .label(timeout.value.range, "the timeout");
        }
    }
}
