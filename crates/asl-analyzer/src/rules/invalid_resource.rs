use asl_syntax::ast::StateKind;
use asl_syntax::string_range;

use crate::Ctx;
use crate::resource::{classify, unfillable};
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
    /// Lambda function names (letters, digits, `-`, `_`, `.`) and qualifiers (`$LATEST`, a
    /// version, or an alias of letters, digits, `-` and `_`; never empty) are checked too. The
    /// finding names the part of the ARN that is wrong (partition, resource type, name,
    /// qualifier, service, API, pattern) and points at it.
    ///
    /// AWS takes every `Resource` for an ARN when the definition is created; LocalStack's
    /// recording of AWS shows the rejection (`SCHEMA_VALIDATION_FAILED: The resource provided
    /// ... is not recognized. The value is not a valid resource ARN`). Still, a `Resource` that
    /// is not an ARN at all (`__tbd__`, `YOUR_LAMBDA_ARN`, `<INSERT ARN HERE>`, a `${...}`
    /// substitution) is taken for a placeholder that a template tool or a test fills in before
    /// deployment, and left alone; so is an ARN of another service, which local test tools use.
    /// A `${...}`, `<name>` or `{name}` inside the ARN stands for a valid value of its part. What
    /// no placeholder convention fills in is reported: a blank `Resource` (`""`, `" "`), a `${`
    /// that is never closed (`"${lambdaArn"`), and an ARN with whitespace around it.
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
    /// - [Lambda `Invoke`: `FunctionName` and `Qualifier`](https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html)
    /// - AWS's rejection of a resource that is no valid ARN, recorded by LocalStack: [test_dynamodb_task_service.py::test_invalid_integration](https://github.com/localstack/localstack/blob/main/tests/aws/services/stepfunctions/v2/services/test_dynamodb_task_service.py)
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
        let Some(resource) = prop.value.as_str() else {
            continue;
        };
        let Some(malformed) = unfillable(resource).or_else(|| classify(resource)?.err()) else {
            continue;
        };
        let at = if malformed.range.is_empty() {
            prop.value.range
        } else {
            string_range(ctx.text, &prop.value, malformed.range.clone())
        };
        ctx.report(
            &META,
            at,
            format!("Task `{}`: {}", state.name, malformed.message),
        );
    }
}
