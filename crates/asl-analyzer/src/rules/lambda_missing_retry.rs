use asl_syntax::ast::State;

use crate::Ctx;
use crate::diagnostic::{Applicability, Fix};
use crate::edits::{Value, add_member, insert_first_element};
use crate::resource::tasks;
use crate::retry::Policy;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Lambda Task (`arn:aws:states:::lambda:invoke` or a function ARN) when no
    /// retrier covers the transient Lambda errors `Lambda.ServiceException`,
    /// `Lambda.AWSLambdaException` and `Lambda.SdkClientException`. A retrier on `States.ALL` or
    /// `States.TaskFailed` covers them; one with `"MaxAttempts": 0` does not.
    ///
    /// ## Why is this bad?
    /// These errors come from the Lambda service, not from your function, and go away on their
    /// own. AWS recommends retrying them on every Lambda task; without a retrier, a blip in
    /// Lambda fails the execution.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "my-function", "Payload.$": "$" },
    ///       "TimeoutSeconds": 60,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Parameters": { "FunctionName": "my-function", "Payload.$": "$" },
    ///       "TimeoutSeconds": 60,
    ///       "Retry": [
    ///         {
    ///           "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
    ///           "IntervalSeconds": 1,
    ///           "MaxAttempts": 3,
    ///           "BackoffRate": 2,
    ///           "JitterStrategy": "FULL"
    ///         }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Handle transient Lambda service exceptions](https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#bp-lambda-serviceexception)
    pub(crate) static META = { code: "ASL210", name: "lambda-missing-retry", level: Warning }
}

/// The transient errors of the Lambda service.
pub(crate) const TRANSIENT: [&str; 3] = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
];

pub(crate) fn check(ctx: &mut Ctx) {
    for task in tasks(ctx.machine).filter(|t| t.resource.is_lambda()) {
        let state = task.state;
        let mut covered = [false; 3];
        for (r, policy) in state.retriers.iter().zip(Policy::all(state)) {
            if policy.max_attempts == 0 {
                continue;
            }
            for name in r.error_names() {
                for (slot, transient) in covered.iter_mut().zip(TRANSIENT) {
                    if matches!(name, "States.ALL" | "States.TaskFailed") || name == transient {
                        *slot = true;
                    }
                }
            }
        }
        let missing: Vec<&str> = covered
            .iter()
            .zip(TRANSIENT)
            .filter(|(c, _)| !**c)
            .map(|(_, n)| n)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let what = if missing.len() == TRANSIENT.len() {
            "no retrier covers the transient Lambda errors".to_owned()
        } else {
            format!("no retrier covers {}", missing.join(", "))
        };
        let fix = retry_fix(ctx.text, state);
        let d = ctx.report(
            &META,
            task.prop.value.range,
            format!(
                "Lambda task `{}`: {what}; add a retrier on Lambda.ServiceException, Lambda.AWSLambdaException and Lambda.SdkClientException",
                state.name
            ),
        );
        if let Some(fix) = fix {
            d.with_fix(fix);
        }
    }
}

/// The retrier AWS recommends for Lambda's transient errors (developer guide, "Handling
/// transient Lambda service exceptions"), with jitter.
fn lambda_retrier() -> Value {
    let errors = TRANSIENT
        .iter()
        .chain(["Lambda.TooManyRequestsException"].iter())
        .map(|e| Value::string(e))
        .collect();
    Value::Object(vec![
        ("ErrorEquals", Value::Array(errors)),
        ("IntervalSeconds", Value::raw("1")),
        ("MaxAttempts", Value::raw("3")),
        ("BackoffRate", Value::raw("2")),
        ("JitterStrategy", Value::string("FULL")),
    ])
}

/// Adds the recommended retrier: a new `Retry`, or first in the existing one (a `States.ALL`
/// retrier must stay last).
fn retry_fix(text: &str, state: &State<'_>) -> Option<Fix> {
    let edit = match state.fields.retry {
        None => add_member(
            text,
            state.node(),
            "Retry",
            &Value::Array(vec![lambda_retrier()]),
        )?,
        Some(retry) => insert_first_element(text, &retry.value, &lambda_retrier())?,
    };
    Some(Fix::new(
        format!(
            "Retry the transient Lambda errors of `{}` (3 attempts, backoff, jitter)",
            state.name
        ),
        // Transient Lambda errors are then retried instead of failing the state.
        Applicability::Unsafe,
        edit,
    ))
}
