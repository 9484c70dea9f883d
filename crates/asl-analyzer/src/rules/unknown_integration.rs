use asl_syntax::{TextRange, is_templated};

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::names::closest;
use crate::resource::{Pattern, Resource, Task, optimized, tasks};
use crate::rule::declare_rule;
use crate::sdk_input::suggested_action;
use crate::severity::Severity;
use crate::spec::integrations::{
    SDK_SERVICES, action_name, aws_sdk_service, operation_name, sdk_action_unsupported,
    sdk_service_of_botocore,
};

declare_rule! {
    /// ## What it does
    /// Reports a Task `Resource` that names an integration Step Functions does not have:
    ///
    /// - an API that the optimized integration of the service does not offer
    ///   (`arn:aws:states:::dynamodb:query`; the DynamoDB integration offers `getItem`,
    ///   `putItem`, `updateItem` and `deleteItem`). When the name is close to one of the
    ///   service's APIs it suggests it (`putItm` → `putItem`); otherwise it points to the AWS SDK
    ///   integration of the service, which calls any API (`arn:aws:states:::aws-sdk:dynamodb:query`).
    /// - an `aws-sdk:<service>` name that is not one of the SDK service names Step Functions
    ///   lists (`aws-sdk:stepfunctions`, `aws-sdk:logs`: Step Functions names services after the
    ///   AWS SDK for Java, `sfn` and `cloudwatchlogs`). The developer guide's list predates
    ///   services added since, so this is a warning.
    /// - an `aws-sdk` action written in PascalCase (`aws-sdk:s3:GetObject`): SDK actions are
    ///   camelCase (`getObject`). A warning, with a fix. (A PascalCase name that is no action
    ///   of the service in any case, `GetObjekt`, is an unknown action, as below.)
    /// - an `aws-sdk` action that the service's API does not have (`aws-sdk:s3:getObjekt`, did
    ///   you mean `getObject`?), from the AWS model asl-lint carries (botocore's service models,
    ///   `asl-lint --version` names the version): the action is the API operation's name in
    ///   camelCase (`GetObject` → `getObject`).
    /// - an `aws-sdk` action the guide lists as unsupported (`aws-sdk:lambda:invokeAsync`) or a
    ///   deprecated SDK service (`aws-sdk:mobile`): warnings.
    ///
    /// An optimized service that does not exist at all (`arn:aws:states:::s3:getObject` as a
    /// Task) is `invalid-resource`'s finding.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition when it is created: `SCHEMA_VALIDATION_FAILED: The
    /// resource provided arn:aws:states:::dynamodb:query is not recognized` (recorded by
    /// LocalStack's AWS-validated test `test_dynamodb_task_service.py::test_invalid_integration`).
    /// Only the APIs each optimized integration's page lists exist as optimized integrations;
    /// every other API goes through `aws-sdk:`.
    ///
    /// Switching an API to the SDK integration changes the call: parameters are the API's own
    /// (PascalCase) and the result is the raw response, without the optimized integration's
    /// conveniences; the errors it raises are named `DynamoDb.*` rather than `DynamoDB.*`. Hence
    /// the fix is unsafe.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "FindOrders",
    ///   "States": {
    ///     "FindOrders": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::dynamodb:query",
    ///       "Parameters": {
    ///         "TableName": "orders",
    ///         "KeyConditionExpression": "customer = :c",
    ///         "ExpressionAttributeValues": { ":c": { "S.$": "$.customer" } }
    ///       },
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
    ///   "StartAt": "FindOrders",
    ///   "States": {
    ///     "FindOrders": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
    ///       "Parameters": {
    ///         "TableName": "orders",
    ///         "KeyConditionExpression": "customer = :c",
    ///         "ExpressionAttributeValues": { ":c": { "S.$": "$.customer" } }
    ///       },
    ///       "TimeoutSeconds": 10,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Integrating optimized services with Step Functions](https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html) and each service's page (for example [DynamoDB](https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html))
    /// - [AWS SDK service integrations](https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html): the service names, unsupported actions and deprecated services
    /// - [botocore's service models](https://github.com/boto/botocore/tree/develop/botocore/data), the source of the operations of each service (`crates/asl-aws`)
    /// - [LocalStack's AWS-recorded test of `dynamodb:query`](https://github.com/localstack/localstack/blob/main/tests/aws/services/stepfunctions/v2/services/test_dynamodb_task_service.py)
    pub(crate) static META = { code: "ASL407", name: "unknown-integration", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for task in tasks(ctx.machine) {
        match task.resource {
            Resource::Optimized {
                service,
                api,
                pattern,
            } => optimized_api(ctx, &task, service, api, pattern),
            Resource::Sdk {
                service, action, ..
            } => sdk(ctx, &task, service, action),
            _ => {}
        }
    }
}

/// A part of an ARN that a template fills in (`${Api}`, `<api>`, `{api}`) is not judged.
fn filled_in_later(part: &str) -> bool {
    is_templated(part) || part.starts_with('<') || part.starts_with('{')
}

fn optimized_api(ctx: &mut Ctx, task: &Task<'_, '_>, service: &str, api: &str, pattern: Pattern) {
    if filled_in_later(api) {
        return;
    }
    let Some(row) = optimized(service) else {
        // Not an optimized integration at all: `invalid-resource` reports it.
        return;
    };
    if row.action(api).is_some() {
        return;
    }
    let state = task.state.name;
    let at = task.part_range(ctx.text, api);
    if let Some(best) = closest(api, row.action_names()) {
        let message = format!(
            "Task `{state}`: `{service}:{api}` is not an API of the {} integration; did you mean `{best}`?",
            row.title
        );
        ctx.report(&META, at, message).with_fix(Fix::new(
            format!("Change `{api}` to `{best}`"),
            // A guess at the intended API.
            Applicability::Unsafe,
            Edit::replace(at, best),
        ));
        return;
    }
    let offered = list(row.action_names());
    match row.sdk_service {
        Some(sdk) => {
            let message = format!(
                "Task `{state}`: `{service}:{api}` is not an optimized integration (the {} integration offers {offered}); call the API through `arn:aws:states:::aws-sdk:{sdk}:{api}`",
                row.title
            );
            let whole = TextRange::new(task.part_range(ctx.text, service).start(), at.end());
            let fix = (pattern != Pattern::Sync && pattern != Pattern::Sync2 && !whole.is_empty())
                .then(|| {
                    Fix::new(
                        format!("Call `{api}` through the AWS SDK integration `aws-sdk:{sdk}`"),
                        // From rejected to running: the SDK call takes the API's own
                        // parameters, returns its raw response and names its errors
                        // differently.
                        Applicability::Unsafe,
                        Edit::replace(whole, format!("aws-sdk:{sdk}:{api}")),
                    )
                });
            let d = ctx.report(&META, at, message);
            if let Some(fix) = fix {
                d.with_fix(fix);
            }
        }
        None => {
            ctx.report(
                &META,
                at,
                format!(
                    "Task `{state}`: `{service}:{api}` is not an API of {} (it offers {offered})",
                    row.title
                ),
            );
        }
    }
}

/// `` `a`, `b` and `c` ``.
fn list(names: impl Iterator<Item = &'static str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

fn sdk(ctx: &mut Ctx, task: &Task<'_, '_>, service: &str, action: &str) {
    if filled_in_later(service) {
        return;
    }
    let state = task.state.name;
    let Some(known) = aws_sdk_service(service) else {
        unknown_sdk_service(ctx, task, service);
        return;
    };
    let at = task.part_range(ctx.text, service);
    if known.deprecated {
        ctx.report(
            &META,
            at,
            format!(
                "Task `{state}`: the AWS SDK integration `aws-sdk:{service}` is deprecated; call the service's successor"
            ),
        )
        .severity(Severity::Warning);
        return;
    }
    if filled_in_later(action) {
        return;
    }
    let at = task.part_range(ctx.text, action);
    let operation = operation_name(action);
    let model = asl_aws::service(known.botocore_id);
    let unknown = model
        .as_ref()
        .is_some_and(|m| m.operation(&operation).is_none());
    // `GetObject`: the right API in the wrong case. `GetObjekt` is no API in any case: it is
    // reported as unknown below, not as a matter of case (its camelCase form is unknown too).
    if action.starts_with(|c: char| c.is_ascii_uppercase()) && !unknown {
        let camel = action_name(action);
        ctx.report(
            &META,
            at,
            format!(
                "Task `{state}`: AWS SDK actions are camelCase: write `aws-sdk:{service}:{camel}`, not `{action}`"
            ),
        )
        .severity(Severity::Warning)
        .with_fix(Fix::new(
            format!("Change `{action}` to `{camel}`"),
            // The same API, in the documented spelling.
            Applicability::Safe,
            Edit::replace(at, camel.clone()),
        ));
        return;
    }
    if let Some(model) = model
        && unknown
    {
        let best = suggested_action(&model, action);
        let hint = match &best {
            Some(best) => format!("; did you mean `{best}`?"),
            None => format!(
                "; check the action's name in the {} API reference",
                model.full_name
            ),
        };
        let d = ctx.report(
            &META,
            at,
            format!(
                "Task `{state}`: `aws-sdk:{service}` has no action `{action}` ({} has no `{operation}` operation){hint}",
                model.full_name
            ),
        );
        if let Some(best) = best {
            d.with_fix(Fix::new(
                format!("Change `{action}` to `{best}`"),
                // A guess at the intended action.
                Applicability::Unsafe,
                Edit::replace(at, best),
            ));
        }
        return;
    }
    if sdk_action_unsupported(service, &operation) {
        ctx.report(
            &META,
            at,
            format!(
                "Task `{state}`: Step Functions does not support `{action}` of `aws-sdk:{service}` (the developer guide lists it as unsupported)"
            ),
        )
        .severity(Severity::Warning);
    }
}

fn unknown_sdk_service(ctx: &mut Ctx, task: &Task<'_, '_>, service: &str) {
    let state = task.state.name;
    let at = task.part_range(ctx.text, service);
    // botocore's or the CLI's name (`stepfunctions`, `logs`, `cognito-idp`), the name in
    // another case or with hyphens (`DynamoDB`, `redshift-data`), else the closest name.
    let folded: String = service
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    let (best, why) = if let Some(s) = sdk_service_of_botocore(service) {
        (
            Some(s.name),
            format!(" (`{service}` is botocore's name for it)"),
        )
    } else if let Some(s) = aws_sdk_service(&folded) {
        (
            Some(s.name),
            " (service names are lowercase, without hyphens)".to_owned(),
        )
    } else {
        (
            closest(service, SDK_SERVICES.iter().map(|s| s.name)),
            String::new(),
        )
    };
    let message = match best {
        Some(best) => format!(
            "Task `{state}`: `aws-sdk:{service}` is not a Step Functions SDK service name; did you mean `{best}`{why}?"
        ),
        None => format!(
            "Task `{state}`: `aws-sdk:{service}` is not among the SDK service names the developer guide lists; Step Functions names services as the AWS SDK for Java does (`sfn`, `cloudwatchlogs`, `eventbridge`)"
        ),
    };
    // The guide's list is not exhaustive: services added since are missing from it.
    let d = ctx.report(&META, at, message);
    d.severity(Severity::Warning);
    if let Some(best) = best {
        d.with_fix(Fix::new(
            format!("Change `{service}` to `{best}`"),
            // A guess at the intended service.
            Applicability::Unsafe,
            Edit::replace(at, best),
        ));
    }
}

#[cfg(test)]
mod model_tests {
    use crate::spec::integrations::SDK_SERVICES;
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    /// Every SDK service name maps to a service of the AWS model, so that the action check
    /// runs for it, but for the services AWS has retired since the guide's table was written
    /// (botocore no longer models them; their actions are not checked). A wrong id would show
    /// up here.
    #[test]
    fn every_sdk_service_is_in_the_model() {
        const RETIRED: &[&str] = &[
            "alexaforbusiness",
            "codestar",
            "elastic-inference",
            "elastictranscoder",
            "evidently",
            "honeycode",
            "iot1click-projects",
            "iotanalytics",
            "iotevents",
            "iotevents-data",
            "iotfleethub",
            "lookoutvision",
            "opsworks",
            "opsworkscm",
            "panorama",
            "qldb",
            "qldb-session",
            "robomaker",
            "sms",
        ];
        let missing: Vec<&str> = SDK_SERVICES
            .iter()
            .filter(|s| !s.deprecated && asl_aws::service(s.botocore_id).is_none())
            .map(|s| s.botocore_id)
            .collect();
        assert_eq!(missing, RETIRED);
    }

    #[test]
    fn sdk_actions_come_from_the_model() {
        let found = |resource: &str| -> Vec<(String, Vec<String>)> {
            let text = format!(
                r#"{{"StartAt": "Q", "States": {{"Q": {{"Type": "Task", "Resource": "{resource}", "End": true}}}}}}"#
            );
            analyze(&text, Dialect::Json, &Options::default())
                .into_iter()
                .filter(|d| d.is(&super::META))
                .map(|d| (d.message, d.fixes.into_iter().map(|f| f.title).collect()))
                .collect()
        };
        let typo = found("arn:aws:states:::aws-sdk:s3:getObjekt");
        assert_eq!(typo.len(), 1, "{typo:?}");
        assert!(typo[0].0.contains("has no action `getObjekt`"), "{typo:?}");
        assert!(typo[0].0.ends_with("did you mean `getObject`?"), "{typo:?}");
        assert_eq!(typo[0].1, ["Change `getObjekt` to `getObject`"]);
        assert!(found("arn:aws:states:::aws-sdk:s3:getObject").is_empty());
        assert!(found("arn:aws:states:::aws-sdk:dynamodb:query").is_empty());
        assert!(found("arn:aws:states:::aws-sdk:sfn:startExecution").is_empty());
        assert!(found("arn:aws:states:::aws-sdk:ec2:describeInstances").is_empty());
        // PascalCase: a warning when the camelCase form is an action, else an unknown action.
        let pascal = found("arn:aws:states:::aws-sdk:s3:GetObject");
        assert_eq!(pascal.len(), 1, "{pascal:?}");
        assert!(pascal[0].0.contains("camelCase"), "{pascal:?}");
        assert_eq!(pascal[0].1, ["Change `GetObject` to `getObject`"]);
        let pascal_typo = found("arn:aws:states:::aws-sdk:s3:GetObjekt");
        assert_eq!(pascal_typo.len(), 1, "{pascal_typo:?}");
        assert!(
            pascal_typo[0].0.contains("has no action `GetObjekt`"),
            "{pascal_typo:?}"
        );
        assert!(
            pascal_typo[0].0.ends_with("did you mean `getObject`?"),
            "{pascal_typo:?}"
        );
        let far = found("arn:aws:states:::aws-sdk:dynamodb:launchRocket");
        assert!(far[0].0.contains("API reference"), "{far:?}");
        assert!(far[0].1.is_empty(), "{far:?}");
    }

    /// Each did-you-mean comes with a fix that rewrites only the wrong part of the `Resource`.
    #[test]
    fn suggestions_are_fixes() {
        let fixed = |resource: &str| -> Vec<(String, String)> {
            let text = format!(
                r#"{{"StartAt": "Q", "States": {{"Q": {{"Type": "Task", "Resource": "{resource}", "End": true}}}}}}"#
            );
            analyze(&text, Dialect::Json, &Options::default())
                .into_iter()
                .filter(|d| d.is(&super::META))
                .flat_map(|d| d.fixes)
                .map(|f| {
                    let (new, applied) = crate::fix::apply(&text, [&f]);
                    assert_eq!(applied, 1, "{f:?}");
                    let at = new.find("arn:").unwrap_or(0);
                    let end = new[at..].find('"').map_or(new.len(), |e| at + e);
                    (f.title, new[at..end].to_owned())
                })
                .collect()
        };
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        assert_eq!(
            fixed("arn:aws:states:::aws-sdk:s3:getObjekt"),
            pairs(&[(
                "Change `getObjekt` to `getObject`",
                "arn:aws:states:::aws-sdk:s3:getObject"
            )])
        );
        assert_eq!(
            fixed("arn:aws:states:::aws-sdk:dynamdb:getItem"),
            pairs(&[(
                "Change `dynamdb` to `dynamodb`",
                "arn:aws:states:::aws-sdk:dynamodb:getItem"
            )])
        );
        assert_eq!(
            fixed("arn:aws:states:::aws-sdk:stepfunctions:startExecution"),
            pairs(&[(
                "Change `stepfunctions` to `sfn`",
                "arn:aws:states:::aws-sdk:sfn:startExecution"
            )])
        );
        assert_eq!(
            fixed("arn:aws:states:::dynamodb:putItm"),
            pairs(&[(
                "Change `putItm` to `putItem`",
                "arn:aws:states:::dynamodb:putItem"
            )])
        );
        assert_eq!(
            fixed("arn:aws:states:::aws-sdk:s3:GetObject"),
            pairs(&[(
                "Change `GetObject` to `getObject`",
                "arn:aws:states:::aws-sdk:s3:getObject"
            )])
        );
    }
}
