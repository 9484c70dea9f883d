use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::resource::{Pattern, Resource, optimized, tasks};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an integration pattern that the integration does not support (spec §7.2): `.sync`
    /// on DynamoDB, SNS, SQS, EventBridge, API Gateway, Lambda or the HTTP task;
    /// `.waitForTaskToken` on DynamoDB, Athena, Batch, Glue, CodeBuild, EMR, SageMaker AI or
    /// MediaConvert; `.sync` on any AWS SDK integration; `.sync:2` anywhere but
    /// `states:startExecution`.
    ///
    /// Support is per API, not per service: `athena:startQueryExecution` has `.sync`,
    /// `athena:getQueryResults` does not, as each service's page of the developer guide lists. An
    /// API the service does not offer (`unknown-integration`) is judged by the patterns of the
    /// service.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition. Waiting for a job needs `.sync` on a service that
    /// runs jobs; waiting for a callback needs `.waitForTaskToken` on a service that can carry the
    /// token to a worker.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::dynamodb:putItem.sync",
    ///       "Parameters": { "TableName": "orders", "Item": { "id": { "S.$": "$.id" } } },
    ///       "TimeoutSeconds": 10,
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
    ///       "Parameters": { "TableName": "orders", "Item": { "id": { "S.$": "$.id" } } },
    ///       "TimeoutSeconds": 10,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Discover service integration patterns](https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html)
    /// - [Integrating optimized services](https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html)
    /// - Each service's page of the guide (for example [DynamoDB](https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html)), which lists its APIs and their patterns
    pub(crate) static META = { code: "ASL402", name: "unsupported-integration-pattern", level: Error }
}

/// Why `resource` cannot use its pattern, if it cannot. An action the service offers is judged
/// by its own patterns; an action it does not offer (ASL407's finding) by the service's.
pub(crate) fn unsupported(resource: &Resource<'_>) -> Option<String> {
    let pattern = resource.pattern();
    match *resource {
        Resource::Sdk {
            service, action, ..
        } if matches!(pattern, Pattern::Sync | Pattern::Sync2) => Some(format!(
            "AWS SDK integrations do not support `{}`; start the job with `aws-sdk:{service}:{action}` and poll for its end, or use an optimized integration",
            pattern.suffix()
        )),
        Resource::Optimized { service, api, .. } => {
            let row = optimized(service)?;
            let what = row.title;
            let action = row.action(api);
            let patterns = action.map_or_else(|| row.patterns(), |a| a.patterns);
            // Who lacks the pattern: the API when the service has it elsewhere.
            let who = |has: bool| {
                if has && action.is_some() {
                    format!("{what} `{api}`")
                } else {
                    what.to_owned()
                }
            };
            match pattern {
                Pattern::RequestResponse => None,
                Pattern::Sync2 if !patterns.sync2 => Some(format!(
                    "`.sync:2` exists only for `states:startExecution`; {what} `{api}` {}",
                    if patterns.sync {
                        "supports `.sync`"
                    } else {
                        "supports neither"
                    }
                )),
                Pattern::Sync if !patterns.sync => Some(format!(
                    "{} does not support `.sync`{}",
                    who(row.patterns().sync),
                    if patterns.wait {
                        "; use `.waitForTaskToken` with a callback, or no suffix"
                    } else {
                        "; drop the suffix: the call returns when it is done"
                    }
                )),
                Pattern::WaitForTaskToken if !patterns.wait => Some(format!(
                    "{} does not support `.waitForTaskToken`{}",
                    who(row.patterns().wait),
                    if patterns.sync {
                        "; use `.sync` to wait for the job"
                    } else {
                        "; drop the suffix"
                    }
                )),
                _ => None,
            }
        }
        _ => None,
    }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for task in tasks(ctx.machine) {
        let Some(why) = unsupported(&task.resource) else {
            continue;
        };
        let at = task.pattern_range(ctx.text);
        // The range covers the suffix inside the `Resource` string.
        let suffix = ctx
            .text
            .get(usize::from(at.start())..usize::from(at.end()))
            .unwrap_or_default();
        let fix = (suffix.starts_with('.') && !suffix.contains('"')).then(|| {
            Fix::new(
                format!("Remove `{suffix}` (call the API and go on with its response)"),
                // The state no longer waits for the job or the callback.
                Applicability::Unsafe,
                Edit::replace(at, ""),
            )
            .alternative()
        });
        let d = ctx.report(&META, at, format!("Task `{}`: {why}", task.state.name));
        if let Some(fix) = fix {
            d.with_fix(fix);
        }
    }
}
