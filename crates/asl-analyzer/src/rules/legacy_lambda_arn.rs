use crate::Ctx;
use crate::resource::{Resource, tasks};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Task whose `Resource` is a Lambda function's ARN
    /// (`arn:aws:lambda:<region>:<account>:function:<name>`) rather than the Lambda integration
    /// `arn:aws:states:::lambda:invoke` with the function in `FunctionName`.
    ///
    /// ## Why is this bad?
    /// The direct form is the legacy one: it cannot wait for a callback (`.waitForTaskToken`),
    /// cannot invoke asynchronously, and hides the invocation's metadata. AWS recommends
    /// `lambda:invoke`. Switching changes the result's shape: the function's output then sits
    /// under `Payload`, so add `"ResultSelector": {"Payload.$": "$.Payload"}` or adjust the paths
    /// that read it (hence no automatic fix).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Score",
    ///   "States": {
    ///     "Score": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:score",
    ///       "TimeoutSeconds": 30,
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Score",
    ///   "States": {
    ///     "Score": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "score", "Payload.$": "$" },
    ///       "ResultSelector": { "Payload.$": "$.Payload" },
    ///       "TimeoutSeconds": 30,
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Invoke an AWS Lambda function with Step Functions](https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html)
    pub(crate) static META = { code: "ASL404", name: "legacy-lambda-arn", level: Info }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for task in tasks(ctx.machine).filter(|t| t.resource == Resource::LambdaFunction) {
        ctx.report(
            &META,
            task.prop.value.range,
            format!(
                "Task `{}` names its Lambda function directly; prefer `arn:aws:states:::lambda:invoke` with `FunctionName` (the result then sits under `Payload`)",
                task.state.name
            ),
        );
    }
}
