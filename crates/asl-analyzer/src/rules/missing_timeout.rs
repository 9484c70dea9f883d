use asl_syntax::TextRange;
use asl_syntax::ast::{State, StateKind};

use crate::resource::{Pattern, Resource, Task, classify};
use crate::rule::declare_rule;
use crate::{Ctx, WorkflowType};

declare_rule! {
    /// ## What it does
    /// Reports a Task that waits for an activity worker, a job (`.sync`) or a callback
    /// (`.waitForTaskToken`) with neither `TimeoutSeconds` nor `TimeoutSecondsPath`.
    ///
    /// These are the waits nothing on the AWS side bounds:
    /// - an activity (`arn:aws:states:<region>:<account>:activity:<name>`) waits for a worker
    ///   to poll and to answer;
    /// - a job run to completion (`.sync`, `.sync:2`) waits for the job, however long it runs;
    /// - a callback (`.waitForTaskToken`) waits for someone to send the task token back.
    ///
    /// Calls that return with their HTTP response (request/response: a Lambda function, an SDK
    /// or optimized API call without a suffix, the HTTP task) are left alone: a synchronous
    /// Lambda invocation ends within the function's timeout, at most 900 seconds (durable
    /// functions included), the HTTP task within 60 seconds, and an API call with its response.
    ///
    /// A `Resource` that is a placeholder (`${JobArn}`) is judged by what it shows: a
    /// `.sync`/`.waitForTaskToken` suffix, or a name that says `activity`. Nothing is reported
    /// when the workflow has a top-level `TimeoutSeconds` under a year (it bounds every wait),
    /// or for an Express workflow (`--workflow-type express`), which ends after five minutes.
    ///
    /// ## Why is this bad?
    /// Without a timeout such a Task waits up to 99,999,999 seconds, in practice until the
    /// execution's one-year limit: a worker that died, a job that hangs or a token that is
    /// never sent back keeps the execution open and silent, and no `States.Timeout` retrier or
    /// catcher ever gets a chance.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Deploy",
    ///   "States": {
    ///     "Deploy": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::ecs:runTask.sync",
    ///       "Parameters": { "Cluster": "main", "TaskDefinition": "deploy" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Deploy",
    ///   "States": {
    ///     "Deploy": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::ecs:runTask.sync",
    ///       "Parameters": { "Cluster": "main", "TaskDefinition": "deploy" },
    ///       "TimeoutSeconds": 3600,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Using timeouts to avoid stuck executions](https://docs.aws.amazon.com/step-functions/latest/dg/sfn-stuck-execution.html)
    /// - [Service integration patterns: Request Response, Run a Job, Wait for a Callback](https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html)
    ///   ("a task that is waiting for a task token will wait until the execution reaches the one year service limit")
    /// - [Activities: waiting for an activity task to complete](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html)
    /// - [Configure Lambda function timeout](https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html) (at most 900 seconds)
    ///   and [Invoking durable Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/durable-invoking.html) (synchronous invocations are limited to 15 minutes)
    /// - [Service quotas: HTTP Task](https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html) (60 seconds)
    pub(crate) static META = { code: "ASL211", name: "missing-timeout", level: Warning }
}

/// What a Task waits for, when nothing on the AWS side bounds the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    Activity,
    /// A job run to completion, with its suffix (`.sync` or `.sync:2`).
    Job(&'static str),
    Callback,
}

impl Wait {
    fn of_pattern(pattern: Pattern) -> Option<Wait> {
        match pattern {
            Pattern::Sync | Pattern::Sync2 => Some(Wait::Job(pattern.suffix())),
            Pattern::WaitForTaskToken => Some(Wait::Callback),
            Pattern::RequestResponse => None,
        }
    }

    /// What a placeholder `Resource` (not an ARN) shows of its wait.
    fn of_placeholder(resource: &str) -> Option<Wait> {
        if resource.ends_with(".waitForTaskToken") {
            Some(Wait::Callback)
        } else if resource.ends_with(".sync") {
            Some(Wait::Job(".sync"))
        } else if resource.ends_with(".sync:2") {
            Some(Wait::Job(".sync:2"))
        } else if resource.to_ascii_lowercase().contains("activity") {
            Some(Wait::Activity)
        } else {
            None
        }
    }
}

/// The unbounded wait of a Task, and the range that shows it (the pattern suffix, else the
/// `Resource` value).
fn unbounded_wait(ctx: &Ctx, state: &State<'_>) -> Option<(Wait, TextRange)> {
    let prop = state.fields.resource?;
    let resource = prop.value.as_str()?;
    match classify(resource) {
        None => Wait::of_placeholder(resource).map(|w| (w, prop.value.range)),
        Some(Err(_)) => None,
        Some(Ok(Resource::Activity)) => Some((Wait::Activity, prop.value.range)),
        Some(Ok(_)) => {
            let task = Task::of(state)?;
            let wait = Wait::of_pattern(task.resource.pattern())?;
            Some((wait, task.pattern_range(ctx.text)))
        }
    }
}

pub(crate) fn check(ctx: &mut Ctx) {
    if ctx.options.workflow_type == WorkflowType::Express {
        return;
    }
    // A top-level `TimeoutSeconds` under the one-year limit bounds every wait (one that is not
    // a number is another rule's finding).
    let max = ctx.options.workflow_type.max_duration();
    if ctx
        .machine
        .root_scope()
        .and_then(|s| s.fields.timeout_seconds)
        .is_some_and(|p| p.value.as_f64().is_none_or(|t| t < max))
    {
        return;
    }
    for state in ctx
        .machine
        .states
        .iter()
        .filter(|s| s.kind == StateKind::Task)
    {
        if state.fields.timeout_seconds.is_some() || state.fields.timeout_seconds_path.is_some() {
            continue;
        }
        let Some((wait, at)) = unbounded_wait(ctx, state) else {
            continue;
        };
        let (waits, stuck) = match wait {
            Wait::Activity => (
                "an activity worker".to_owned(),
                "a worker that never answers",
            ),
            Wait::Job(suffix) => (format!("its job (`{suffix}`)"), "a job that hangs"),
            Wait::Callback => (
                "its task token (`.waitForTaskToken`)".to_owned(),
                "a token never sent back",
            ),
        };
        ctx.report(
            &META,
            at,
            format!(
                "Task `{}` has no `TimeoutSeconds` and waits for {waits}: {stuck} holds the execution open until its one-year limit; add `\"TimeoutSeconds\"` with the longest it should take",
                state.name
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use crate::{Options, WorkflowType, analyze};
    use asl_syntax::Dialect;

    fn findings(text: &str, options: &Options) -> Vec<String> {
        analyze(text, Dialect::Json, options)
            .into_iter()
            .filter(|d| d.code() == "ASL211")
            .map(|d| format!("{}: {}", &text[d.range], d.message))
            .collect()
    }

    fn task(resource: &str, extra: &str) -> String {
        format!(
            r#"{{"StartAt": "T", {extra} "States": {{"T": {{"Type": "Task", "Resource": "{resource}", "End": true}}}}}}"#
        )
    }

    #[test]
    fn fires_on_waits_nothing_bounds() {
        let options = Options::default();
        for (resource, shown, says) in [
            (
                "arn:aws:states:us-east-1:123456789012:activity:review",
                "\"arn:aws:states:us-east-1:123456789012:activity:review\"",
                "waits for an activity worker:",
            ),
            (
                "arn:aws:states:::glue:startJobRun.sync",
                ".sync",
                "waits for its job (`.sync`):",
            ),
            (
                "arn:aws:states:::states:startExecution.sync:2",
                ".sync:2",
                "waits for its job (`.sync:2`):",
            ),
            (
                "arn:aws:states:::lambda:invoke.waitForTaskToken",
                ".waitForTaskToken",
                "waits for its task token (`.waitForTaskToken`):",
            ),
            (
                "arn:aws:states:::aws-sdk:ecs:runTask.waitForTaskToken",
                ".waitForTaskToken",
                "waits for its task token (`.waitForTaskToken`):",
            ),
            (
                "${ReviewActivityArn}",
                "\"${ReviewActivityArn}\"",
                "waits for an activity worker:",
            ),
            (
                "${Queue}.waitForTaskToken",
                "\"${Queue}.waitForTaskToken\"",
                "token",
            ),
        ] {
            let found = findings(&task(resource, ""), &options);
            assert_eq!(found.len(), 1, "{resource}: {found:?}");
            assert!(found[0].starts_with(&format!("{shown}: ")), "{found:?}");
            assert!(found[0].contains(says), "{found:?}");
            assert!(found[0].contains("Task `T`"), "{found:?}");
        }
    }

    #[test]
    fn leaves_calls_that_return_with_their_response() {
        let options = Options::default();
        for resource in [
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::aws-sdk:s3:getObject",
            "arn:aws:states:::dynamodb:putItem",
            "arn:aws:states:::ecs:runTask",
            "arn:aws:states:::states:startExecution",
            "arn:aws:states:::http:invoke",
            "arn:aws:swf:us-east-1:123456789012:task:X",
            "${ProcessFunctionArn}",
            "arn:aws:states:::nosuch:thing.sync",
        ] {
            assert_eq!(
                findings(&task(resource, ""), &options),
                Vec::<String>::new(),
                "{resource}"
            );
        }
    }

    #[test]
    fn a_bounded_execution_or_task_is_left_alone() {
        let options = Options::default();
        let sync = "arn:aws:states:::batch:submitJob.sync";
        assert!(findings(&task(sync, r#""TimeoutSeconds": 3600,"#), &options).is_empty());
        let year = task(sync, r#""TimeoutSeconds": 99999999,"#);
        assert_eq!(findings(&year, &options).len(), 1);
        let with = |field: &str| {
            format!(
                r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{sync}", {field}, "End": true}}}}}}"#
            )
        };
        assert!(findings(&with(r#""TimeoutSeconds": 60"#), &options).is_empty());
        assert!(findings(&with(r#""TimeoutSecondsPath": "$.t""#), &options).is_empty());
        let express = Options {
            workflow_type: WorkflowType::Express,
            ..Options::default()
        };
        assert!(findings(&task(sync, ""), &express).is_empty());
    }
}
