use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::resource::Task;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Task with neither `TimeoutSeconds` nor `TimeoutSecondsPath`. The HTTP task
    /// (`http:invoke`) is left alone: AWS stops it after 60 seconds anyway.
    ///
    /// ## Why is this bad?
    /// Without a timeout a Task waits up to 99,999,999 seconds, in practice until the
    /// execution's one-year limit: a worker that died or a job that hangs keeps the execution
    /// open and silent, and no `States.Timeout` retrier or catcher ever gets a chance.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Build",
    ///   "States": {
    ///     "Build": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::codebuild:startBuild.sync",
    ///       "Parameters": { "ProjectName": "site" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Build",
    ///   "States": {
    ///     "Build": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::codebuild:startBuild.sync",
    ///       "Parameters": { "ProjectName": "site" },
    ///       "TimeoutSeconds": 3600,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Use timeouts to avoid stuck executions](https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#use-timeouts-to-avoid-stuck-executions)
    pub(crate) static META = { code: "ASL211", name: "missing-timeout", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in ctx
        .machine
        .states
        .iter()
        .filter(|s| s.kind == StateKind::Task)
    {
        if state.fields.timeout_seconds.is_some() || state.fields.timeout_seconds_path.is_some() {
            continue;
        }
        if Task::of(state).is_some_and(|t| t.resource.is_http()) {
            continue;
        }
        ctx.report(
            &META,
            state.prop.key_range,
            format!(
                "Task `{}` has no `TimeoutSeconds`: it can wait until the execution's limit; add `\"TimeoutSeconds\"` with the longest it should take",
                state.name
            ),
        );
    }
}
