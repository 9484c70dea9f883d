use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::resource::classify;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks the form of a Task's `Resource` ARN: an activity
    /// (`arn:aws:states:<region>:<account>:activity:<name>`), a Lambda function
    /// (`arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]`), an optimized
    /// integration (`arn:aws:states:::<service>:<api>`), an AWS SDK integration
    /// (`arn:aws:states:::aws-sdk:<service>:<apiAction>`) or the HTTP task
    /// (`arn:aws:states:::http:invoke`), each with an optional integration pattern (`.sync`,
    /// `.sync:2`, `.waitForTaskToken`).
    ///
    /// A `Resource` that is not an ARN at all (`__tbd__`, a `${...}` substitution) is taken for a
    /// placeholder and left alone; so is an ARN of another service, which local test tools use.
    /// A `${...}` inside the ARN stands for a valid value of its part.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition when it is created or updated (`Invalid Resource`).
    /// The usual causes are a service that is not an optimized integration (it must go through
    /// `aws-sdk:`), a misspelt pattern, or a missing part.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "List",
    ///   "States": {
    ///     "List": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::s3:listObjectsV2",
    ///       "Parameters": { "Bucket": "my-bucket" },
    ///       "TimeoutSeconds": 30,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "List",
    ///   "States": {
    ///     "List": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
    ///       "Parameters": { "Bucket": "my-bucket" },
    ///       "TimeoutSeconds": 30,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Task state: Resource](https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html)
    /// - [Integrating services](https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html)
    pub(crate) static META = { code: "ASL401", name: "invalid-resource", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in ctx
        .machine
        .states
        .iter()
        .filter(|s| s.kind == StateKind::Task)
    {
        let Some(prop) = state.fields.resource else {
            continue;
        };
        let Some(Err(malformed)) = prop.value.as_str().and_then(classify) else {
            continue;
        };
        ctx.report(
            &META,
            prop.value.range,
            format!("Task `{}`: {}", state.name, malformed.message),
        );
    }
}
