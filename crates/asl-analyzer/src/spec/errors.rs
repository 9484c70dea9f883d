//! The predefined error names of Step Functions (asl-spec.md §4.4): what each means and whether
//! a retrier or catcher can handle it. Hover and completion in `ErrorEquals` read this table.

/// One predefined error name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PredefinedError {
    pub name: &'static str,
    /// What raises it.
    pub meaning: &'static str,
    /// Whether `Retry`/`Catch` can handle it, and how useful a retry is.
    pub handling: &'static str,
}

const fn e(name: &'static str, meaning: &'static str, handling: &'static str) -> PredefinedError {
    PredefinedError {
        name,
        meaning,
        handling,
    }
}

/// The predefined error names, in the order completion offers them.
pub static PREDEFINED_ERRORS: &[PredefinedError] = &[
    e(
        "States.ALL",
        "A wildcard that matches any error name.",
        "Must be alone in its `ErrorEquals` and in the last retrier or catcher. It does not match `States.Runtime` or `States.DataLimitExceeded`.",
    ),
    e(
        "States.TaskFailed",
        "The task failed; also a wildcard for every error except `States.Timeout`.",
        "Can be retried and caught.",
    ),
    e(
        "States.Timeout",
        "The task ran longer than `TimeoutSeconds` or missed its heartbeat. A child execution's timeout reaches the parent as `States.TaskFailed`.",
        "Can be retried and caught on a Task, Parallel or Map; the whole execution's timeout cannot be caught.",
    ),
    e(
        "States.HeartbeatTimeout",
        "The task sent no heartbeat within `HeartbeatSeconds`.",
        "Can be retried and caught; only raised by a Task with `HeartbeatSeconds`.",
    ),
    e(
        "States.Permissions",
        "The execution role lacks the privileges the task needs.",
        "Can be caught; retrying is pointless (the failure is deterministic).",
    ),
    e(
        "States.ResultPathMatchFailure",
        "`ResultPath` cannot be applied to the state's input (for example, the input is a string).",
        "Can be caught; retrying is pointless (the failure is deterministic).",
    ),
    e(
        "States.ParameterPathFailure",
        "A `.$` path in a payload template matched nothing in the input.",
        "Can be caught; retrying is pointless (the failure is deterministic).",
    ),
    e(
        "States.QueryEvaluationError",
        "A JSONata expression failed: a type error, a value out of range, or an undefined result.",
        "Can be caught and retried on a Task, Parallel or Map; the failure is usually deterministic.",
    ),
    e(
        "States.IntrinsicFailure",
        "An intrinsic function (`States.Format`, `States.StringToJson`, ...) failed.",
        "Can be caught; retrying is pointless (the failure is deterministic).",
    ),
    e(
        "States.BranchFailed",
        "A branch of a Parallel state failed.",
        "Can be retried and caught on the Parallel state.",
    ),
    e(
        "States.NoChoiceMatched",
        "A Choice state matched no rule and has no `Default`.",
        "A Choice state has no `Catch`; only an enclosing Parallel or Map can catch it.",
    ),
    e(
        "States.ExceedToleratedFailureThreshold",
        "A Distributed Map run had more failed items than its tolerated failure threshold.",
        "Can be retried and caught on a Distributed Map.",
    ),
    e(
        "States.ItemReaderFailed",
        "A Distributed Map could not read its items (`ItemReader`).",
        "Can be retried and caught on a Distributed Map.",
    ),
    e(
        "States.ResultWriterFailed",
        "A Distributed Map could not write its results (`ResultWriter`).",
        "Can be retried and caught on a Distributed Map.",
    ),
    e(
        "States.Http.Socket",
        "An HTTP Task timed out after 60 seconds.",
        "Can be retried and caught.",
    ),
    e(
        "States.DataLimitExceeded",
        "A payload exceeded 256 KiB (a task's output, a state's output, or the input after `Parameters`).",
        "Terminal: never retried or caught, not even by `States.ALL`. Pass large data through S3.",
    ),
    e(
        "States.Runtime",
        "An unprocessable runtime exception, such as `InputPath` or `OutputPath` applied to `null`.",
        "Never retried or caught, not even by `States.ALL`; the execution fails.",
    ),
    e(
        "Lambda.ServiceException",
        "The Lambda service had an internal error.",
        "Transient: retry it (AWS suggests `IntervalSeconds` 1-2, `MaxAttempts` 3-6, `BackoffRate` 2).",
    ),
    e(
        "Lambda.AWSLambdaException",
        "The Lambda service failed the invocation.",
        "Transient: retry it.",
    ),
    e(
        "Lambda.SdkClientException",
        "The Lambda client failed to reach the service.",
        "Transient: retry it.",
    ),
    e(
        "Lambda.TooManyRequestsException",
        "The function was throttled.",
        "Transient: retry it with backoff and jitter (`JitterStrategy`: `FULL`).",
    ),
    e(
        "Lambda.ClientExecutionTimeoutException",
        "The invocation timed out on the client side.",
        "Usually transient: retry it.",
    ),
    e(
        "Lambda.Unknown",
        "The function failed without a known error (it ran out of memory or was killed).",
        "Can be retried and caught.",
    ),
    e(
        "Sandbox.Timedout",
        "The Lambda function ran past its own timeout.",
        "Can be retried and caught.",
    ),
];

/// The predefined error named `name` (`States.Http.StatusCode.404` and other status codes
/// included).
pub fn predefined_error(name: &str) -> Option<PredefinedError> {
    if let Some(code) = name.strip_prefix("States.Http.StatusCode.")
        && code.len() == 3
        && code.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(e(
            "States.Http.StatusCode.<code>",
            "An HTTP Task got a response with this non-2xx status code.",
            "Can be retried and caught.",
        ));
    }
    PREDEFINED_ERRORS.iter().find(|e| e.name == name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_errors() {
        assert!(
            predefined_error("States.Runtime")
                .unwrap()
                .handling
                .contains("Never")
        );
        assert!(predefined_error("States.Http.StatusCode.503").is_some());
        assert!(predefined_error("States.Http.StatusCode.5").is_none());
        assert!(predefined_error("States.Timeouts").is_none());
        let mut names: Vec<_> = PREDEFINED_ERRORS.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PREDEFINED_ERRORS.len());
    }
}
