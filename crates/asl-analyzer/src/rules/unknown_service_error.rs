use std::collections::HashMap;

use asl_syntax::is_templated;

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::string_at;
use crate::names::closest;
use crate::resource::{Pattern, Resource, Task};
use crate::rule::declare_rule;
use crate::spec::integrations::{
    OPTIMIZED, SDK_SERVICES, SdkService, aws_sdk_service, operation_name, optimized_errors,
    optimized_service, sdk_common_errors, sdk_error_name,
};

declare_rule! {
    /// ## What it does
    /// Reports an `ErrorEquals` name of a Task's retrier or catcher that has the shape of a
    /// service error (`Prefix.Name`, not `States.*`) but that the Task's integration cannot
    /// raise:
    /// - another service's prefix (`DynamoDB.ConditionalCheckFailedException` on
    ///   `aws-sdk:s3:getObject`), or a prefix no service uses (but `Lambda.*` on a Task that
    ///   calls no Lambda function, which is ASL205's);
    /// - the right prefix in the wrong casing: the AWS SDK integration of DynamoDB raises
    ///   `DynamoDb.*`, the optimized `dynamodb:*` integration `DynamoDB.*`;
    /// - on an `aws-sdk` Task, a name the service's API model defines no error for, with the
    ///   closest name the operation or the service raises (`S3.NoSuchKey` →
    ///   `S3.NoSuchKeyException`: Step Functions always adds the `Exception` suffix).
    ///
    /// When every name of a retrier or catcher is such, the message says it never runs.
    ///
    /// Left alone: Lambda tasks' names other than `Lambda.*` (a function's own error type can be
    /// any string), activities and `.waitForTaskToken` tasks (the worker chooses the error
    /// name), optimized integrations whose error prefix is not documented, templated
    /// `Resource`s, an error name the service defines for another operation, and the errors
    /// any SDK client may raise whatever the API (`SdkClientException`, the service's generic
    /// exception such as `S3.S3Exception` or `DynamoDB.AmazonDynamoDBException`, throttling,
    /// access denied, validation and internal-failure errors).
    ///
    /// ## Why is this bad?
    /// Error names are matched exactly and case-sensitively. A name the Task never raises
    /// matches nothing: the retrier never retries, the catcher never catches, and the failure
    /// it was written for ends the execution instead.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Read",
    ///   "States": {
    ///     "Read": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///       "Parameters": { "Bucket": "my-bucket", "Key": "data.json" },
    ///       "TimeoutSeconds": 30,
    ///       "Catch": [{ "ErrorEquals": ["S3.NoSuchKey"], "ResultPath": "$.error", "Next": "Missing" }],
    ///       "End": true
    ///     },
    ///     "Missing": { "Type": "Fail", "Error": "Missing" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Read",
    ///   "States": {
    ///     "Read": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///       "Parameters": { "Bucket": "my-bucket", "Key": "data.json" },
    ///       "TimeoutSeconds": 30,
    ///       "Catch": [{ "ErrorEquals": ["S3.NoSuchKeyException"], "ResultPath": "$.error", "Next": "Missing" }],
    ///       "End": true
    ///     },
    ///     "Missing": { "Type": "Fail", "Error": "Missing" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Handling errors in SDK integrations](https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html):
    ///   `ServiceName.ErrorName` in Pascal case, the `Exception` suffix always added, and the
    ///   table of each service's exception prefix (`DynamoDb`, `Sfn`, `AcmPca`)
    /// - [DynamoDB optimized integration](https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html)
    ///   (`DynamoDB.ConditionalCheckFailedException`) and
    ///   [Lambda](https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html)
    ///   (`Lambda.ServiceException`, `Lambda.TooManyRequestsException`)
    /// - LocalStack's Step Functions tests, recorded against AWS: the aws-sdk task raises
    ///   `DynamoDb.<Code>Exception`, the optimized DynamoDB task `DynamoDB.<Code>`
    /// - The error shapes of each operation: botocore's service models (see `asl-aws`)
    pub(crate) static META = { code: "ASL214", name: "unknown-service-error", level: Warning }
}

/// What a Task's integration raises, as far as it is known.
enum Raises {
    /// An `aws-sdk` service: `<prefix>.*`, checked against the botocore model.
    Sdk {
        service: &'static SdkService,
        prefix: &'static str,
        operation: String,
    },
    /// An optimized integration with a documented prefix.
    Optimized { prefix: &'static str },
    /// A Lambda function: `Lambda.*` from the integration, anything else from the function.
    Lambda,
}

/// Why a name is never raised.
enum Verdict {
    /// A prefix this integration never uses; `Some` names the integration that does.
    OtherPrefix(Option<String>),
    /// The right prefix in the wrong casing: the name with the right one.
    WrongCase(String),
    /// The right prefix, but no error of the service has this name; the closest that does.
    Undefined(Option<String>),
}

pub(crate) fn check(ctx: &mut Ctx) {
    let mut known = Known::default();
    for entry in super::handlers(ctx.machine) {
        let Some(task) = Task::of(entry.state) else {
            continue;
        };
        let (Some(raises), Some(label)) = (raises(&task), label(&task)) else {
            continue;
        };
        let total = entry
            .error_equals
            .and_then(|p| p.value.as_array())
            .map_or(0, <[_]>::len);
        let verdicts: Vec<_> = entry
            .errors
            .iter()
            .filter_map(|(name, node)| {
                judge(&raises, name, &mut known).map(|v| (*name, node.range, v))
            })
            .collect();
        let handler = if entry.list == "Retry" {
            "retrier"
        } else {
            "catcher"
        };
        let dead = if total > 0 && verdicts.len() == total {
            format!("; none of its names can match, so this {handler} never runs")
        } else {
            String::new()
        };
        let mine = own_prefix(&raises);
        for (name, range, verdict) in verdicts {
            let (why, fix) = explain(name, mine, verdict);
            let advice = match &fix {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("use an error name starting with `{mine}.` or remove it"),
            };
            let message = format!(
                "state `{}`: `{}` lists `{name}`, which `{label}` never raises: {why}{dead}; {advice}",
                entry.state.name, entry.place
            );
            let (text, dialect) = (ctx.text, ctx.dialect);
            let d = ctx.report(&META, range, message);
            if let Some(best) = fix {
                d.with_fix(Fix::new(
                    format!("Change `{name}` to `{best}`"),
                    // The handler then matches another error than it named: review it.
                    Applicability::Unsafe,
                    Edit::replace(range, string_at(text, dialect, range, &best)),
                ));
            }
        }
    }
}

/// Why `name` is never raised, and the name to use instead when there is one.
fn explain(name: &str, mine: &str, verdict: Verdict) -> (String, Option<String>) {
    match verdict {
        Verdict::OtherPrefix(Some(other)) => (
            format!(
                "`{}.` is the error prefix of {other}, and this integration's service errors are `{mine}.*`",
                prefix_of(name)
            ),
            None,
        ),
        Verdict::OtherPrefix(None) => (format!("its service errors are `{mine}.*`"), None),
        Verdict::WrongCase(right) => (
            format!(
                "its service errors are `{mine}.*` and error names are case-sensitive{}",
                counterpart(name)
            ),
            Some(right),
        ),
        Verdict::Undefined(best) => (
            "the service's API model defines no such error (Step Functions names SDK errors `Prefix.<Error>Exception`)".to_owned(),
            best,
        ),
    }
}

/// What the Task raises, when it is known well enough to judge its error names.
fn raises(task: &Task) -> Option<Raises> {
    let resource = task.prop.value.as_str()?;
    if is_templated(resource) || task.resource.pattern() == Pattern::WaitForTaskToken {
        return None;
    }
    if task.resource.is_lambda() {
        return Some(Raises::Lambda);
    }
    match task.resource {
        Resource::Sdk {
            service, action, ..
        } => {
            let service = aws_sdk_service(service)?;
            Some(Raises::Sdk {
                service,
                prefix: service.error_prefix?,
                operation: operation_name(action),
            })
        }
        Resource::Optimized { service, .. } => {
            let spec = optimized_service(service)?;
            Some(Raises::Optimized {
                prefix: spec.error_prefix?,
            })
        }
        _ => None,
    }
}

/// The Task's integration as messages name it (`aws-sdk:s3:getObject`).
fn label(task: &Task) -> Option<String> {
    Some(match task.resource {
        Resource::Sdk {
            service, action, ..
        } => format!("aws-sdk:{service}:{action}"),
        Resource::Optimized { service, api, .. } => format!("{service}:{api}"),
        Resource::LambdaFunction => "the Lambda function".to_owned(),
        _ => return None,
    })
}

fn own_prefix(raises: &Raises) -> &'static str {
    match raises {
        Raises::Sdk { prefix, .. } | Raises::Optimized { prefix, .. } => prefix,
        Raises::Lambda => "Lambda",
    }
}

/// `(prefix, rest)` of a name shaped like a service error: one dot between two identifiers.
fn split(name: &str) -> Option<(&str, &str)> {
    let (prefix, rest) = name.split_once('.')?;
    let ident = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    (ident(prefix) && ident(rest) && !prefix.eq_ignore_ascii_case("States"))
        .then_some((prefix, rest))
}

fn prefix_of(name: &str) -> &str {
    name.split_once('.').map_or(name, |(p, _)| p)
}

/// Why the other casing exists, when it is another integration's prefix of the same service.
fn counterpart(name: &str) -> String {
    let prefix = prefix_of(name);
    if let Some(s) = SDK_SERVICES.iter().find(|s| s.error_prefix == Some(prefix)) {
        return format!(
            " (`{prefix}.` is the prefix of the `aws-sdk:{}` integration)",
            s.name
        );
    }
    if let Some(s) = OPTIMIZED.iter().find(|s| s.error_prefix == Some(prefix)) {
        return format!(
            " (`{prefix}.` is the prefix of the optimized `{}` integration)",
            s.name
        );
    }
    String::new()
}

/// The integration whose error prefix is exactly `prefix`.
fn integration_of(prefix: &str) -> Option<String> {
    if let Some(s) = OPTIMIZED.iter().find(|s| s.error_prefix == Some(prefix)) {
        return Some(format!("the optimized `{}` integration", s.name));
    }
    SDK_SERVICES
        .iter()
        .find(|s| s.error_prefix == Some(prefix))
        .map(|s| format!("`aws-sdk:{}`", s.name))
}

/// `None` when `name` may be raised by the integration.
fn judge(raises: &Raises, name: &str, known: &mut Known) -> Option<Verdict> {
    let (prefix, rest) = split(name)?;
    let mine = own_prefix(raises);
    if prefix != mine {
        if prefix.eq_ignore_ascii_case(mine) {
            return Some(Verdict::WrongCase(format!("{mine}.{rest}")));
        }
        // A Lambda function's error type is whatever the function throws; `Lambda.*` on a Task
        // that calls no Lambda function is ASL205's (impossible-error).
        if matches!(raises, Raises::Lambda) || prefix == "Lambda" {
            return None;
        }
        return Some(Verdict::OtherPrefix(integration_of(prefix)));
    }
    match raises {
        Raises::Optimized { .. } => None,
        Raises::Lambda => {
            let (near, _) = known.0.entry(("lambda", None)).or_insert_with(|| {
                let near = optimized_errors("lambda")
                    .iter()
                    .map(|s| (*s).to_owned())
                    .chain(model_errors("lambda", Some("Invoke"), mine))
                    .collect();
                (near, Vec::new())
            });
            undefined(name, rest, mine, near, &[])
        }
        Raises::Sdk {
            service, operation, ..
        } => {
            let (near, all) = known
                .0
                .entry((service.botocore_id, Some(operation.clone())))
                .or_insert_with(|| {
                    let mut near = model_errors(service.botocore_id, Some(operation), mine);
                    near.extend(sdk_common_errors(service));
                    (near, model_errors(service.botocore_id, None, mine))
                });
            if all.is_empty() {
                // The model lists no errors for this service (EC2's): nothing to compare with.
                return None;
            }
            undefined(name, rest, mine, near, all)
        }
    }
}

/// The error names a call may raise (those of its operation and the common ones, then those of
/// every operation of its service), worked out once per call per definition: a definition
/// names the same errors on many Tasks.
#[derive(Default)]
struct Known(HashMap<CallKey, (Vec<String>, Vec<String>)>);

/// A botocore service id and operation (`None`: a Lambda function's errors).
type CallKey = (&'static str, Option<String>);

/// The error names of a service's model as Step Functions raises them (`<prefix>.<shape>` with
/// the `Exception` suffix): of one operation, or of all of them.
fn model_errors(botocore_id: &str, operation: Option<&str>, prefix: &'static str) -> Vec<String> {
    let Some(model) = asl_aws::service(botocore_id) else {
        return Vec::new();
    };
    let sdk = SdkService {
        name: "",
        botocore_id: "",
        error_prefix: Some(prefix),
        documented: true,
        deprecated: false,
    };
    let mut names: Vec<String> = match operation {
        Some(op) => model
            .operation(op)
            .map(|o| o.errors.clone())
            .unwrap_or_default(),
        None => model
            .operations()
            .iter()
            .flat_map(|o| o.errors.iter().cloned())
            .collect(),
    }
    .iter()
    .filter_map(|shape| sdk_error_name(&sdk, shape))
    .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The errors any AWS SDK client may raise whatever the API and the model (stems: lower case,
/// without the `Exception` suffix).
const GENERIC: &[&str] = &[
    "sdkclient",
    "sdk",
    "service",
    "aws",
    "amazon",
    "unknown",
    "throttling",
    "throttled",
    "requestthrottled",
    "toomanyrequests",
    "slowdown",
    "requestlimitexceeded",
    "limitexceeded",
    "provisionedthroughputexceeded",
    "accessdenied",
    "notauthorized",
    "unauthorized",
    "unrecognizedclient",
    "expiredtoken",
    "invalidclienttokenid",
    "invalidsignature",
    "incompletesignature",
    "missingauthenticationtoken",
    "signaturedoesnotmatch",
    "optinrequired",
    "requestexpired",
    "requesttimeout",
    "clientexecutiontimeout",
    "apicalltimeout",
    "apicallattempttimeout",
    "serviceunavailable",
    "internalserver",
    "internalservererror",
    "internalfailure",
    "internalerror",
    "internal",
    "servicefailure",
    "validation",
    "invalidparametervalue",
    "invalidparametercombination",
    "invalidaction",
    "missingaction",
    "missingparameter",
    "malformedquerystring",
];

/// The part of an error name that identifies it: lower case, without `Exception`.
fn stem(rest: &str) -> String {
    let lower = rest.to_ascii_lowercase();
    lower
        .strip_suffix("exception")
        .map(str::to_owned)
        .unwrap_or(lower)
}

/// `rest` (the part after the prefix, which ends with `Exception`) names the error `known`
/// (a full name as Step Functions raises it): the same up to case, or `known`'s shape ended in
/// `Fault` where the SDK says `Exception` (`InvalidDBClusterStateFault` is raised as
/// `Rds.InvalidDbClusterStateException`).
fn same_error(rest_stem: &str, known: &str) -> bool {
    let known_rest = known.split_once('.').map_or(known, |(_, r)| r);
    let known_stem = stem(known_rest);
    known_stem == rest_stem
        || known_stem
            .strip_suffix("fault")
            .or_else(|| known_stem.strip_suffix("error"))
            .is_some_and(|s| s == rest_stem)
}

/// The verdict on a name with the right prefix: `near` are the operation's (and common)
/// errors, `all` the service's.
fn undefined(
    name: &str,
    rest: &str,
    prefix: &str,
    near: &[String],
    all: &[String],
) -> Option<Verdict> {
    if near.iter().chain(all).any(|k| k == name) {
        // Listed as is (`Lambda.Unknown`, which AWS raises without the suffix).
        return None;
    }
    let rest_stem = stem(rest);
    let suffixed = rest.ends_with("Exception");
    let generic =
        GENERIC.contains(&rest_stem.as_str()) || rest_stem.ends_with(&prefix.to_ascii_lowercase());
    let known = near.iter().chain(all).any(|k| same_error(&rest_stem, k));
    if suffixed && (generic || known) {
        return None;
    }
    if !suffixed && (generic || known) {
        // The error exists, but Step Functions always adds `Exception`.
        let with_suffix = format!("{prefix}.{rest}Exception");
        let best = near
            .iter()
            .chain(all)
            .find(|k| k.eq_ignore_ascii_case(&with_suffix))
            .cloned()
            .unwrap_or(with_suffix);
        return Some(Verdict::Undefined(Some(best)));
    }
    let best = closest(name, near.iter().map(String::as_str))
        .or_else(|| closest(name, all.iter().map(String::as_str)))
        .map(str::to_owned);
    Some(Verdict::Undefined(best))
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn findings(resource: &str, list: &str, names: &[&str]) -> Vec<(String, Vec<String>)> {
        let names = names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let next = if list == "Catch" {
            r#", "Next": "F""#
        } else {
            ""
        };
        let text = format!(
            r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{resource}", "TimeoutSeconds": 5, "{list}": [{{"ErrorEquals": [{names}]{next}}}], "End": true}}, "F": {{"Type": "Fail"}}}}}}"#
        );
        analyze(&text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.is(&super::META))
            .map(|d| (d.message, d.fixes.into_iter().map(|f| f.title).collect()))
            .collect()
    }

    const S3: &str = "arn:aws:states:::aws-sdk:s3:getObject";

    #[test]
    fn the_issue_example_fires_on_the_name() {
        let text = r#"{"StartAt":"Q","States":{"Q":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObjekt",
 "Parameters":{"Bucket":"b","Kee":"k"},"TimeoutSeconds":5,
 "Catch":[{"ErrorEquals":["DynamoDB.ConditionalCheckFailedException"],"Next":"F"}],"End":true},
 "F":{"Type":"Fail"}}}"#;
        let found: Vec<_> = analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.is(&super::META))
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        let start = text.find("\"DynamoDB.").unwrap_or(0);
        let range = found[0].range;
        assert_eq!(
            &text[usize::from(range.start())..usize::from(range.end())],
            "\"DynamoDB.ConditionalCheckFailedException\""
        );
        assert_eq!(usize::from(range.start()), start);
        assert!(
            found[0]
                .message
                .contains("optimized `dynamodb` integration")
                && found[0].message.contains("so this catcher never runs; "),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn another_prefix_and_dead_handlers() {
        let found = findings(S3, "Retry", &["Sqs.QueueDoesNotExistException"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("`aws-sdk:sqs`"), "{found:?}");
        assert!(
            found[0].0.contains("so this retrier never runs; "),
            "{found:?}"
        );
        // One good name keeps the handler alive.
        let found = findings(S3, "Catch", &["Foo.Bar", "S3.NoSuchKeyException"]);
        assert_eq!(found.len(), 1);
        assert!(!found[0].0.contains("never runs"), "{found:?}");
    }

    #[test]
    fn casing_follows_the_integration() {
        let sdk = "arn:aws:states:::aws-sdk:dynamodb:putItem";
        let opt = "arn:aws:states:::dynamodb:putItem";
        let found = findings(sdk, "Catch", &["DynamoDB.ConditionalCheckFailedException"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("optimized `dynamodb`"), "{found:?}");
        assert_eq!(
            found[0].1,
            [
                "Change `DynamoDB.ConditionalCheckFailedException` to `DynamoDb.ConditionalCheckFailedException`"
            ]
        );
        assert!(findings(sdk, "Catch", &["DynamoDb.ConditionalCheckFailedException"]).is_empty());
        let found = findings(opt, "Retry", &["DynamoDb.ThrottlingException"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("`aws-sdk:dynamodb`"), "{found:?}");
        assert!(findings(opt, "Catch", &["DynamoDB.ConditionalCheckFailedException"]).is_empty());
        // The optimized integration's names are not checked against the model.
        assert!(findings(opt, "Catch", &["DynamoDB.AnythingException"]).is_empty());
    }

    #[test]
    fn model_names_and_suggestions() {
        let found = findings(S3, "Catch", &["S3.NoSuchKey"]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].1,
            ["Change `S3.NoSuchKey` to `S3.NoSuchKeyException`"]
        );
        let found = findings(S3, "Catch", &["S3.NoSuchKeyExeption"]);
        assert_eq!(
            found[0].1,
            ["Change `S3.NoSuchKeyExeption` to `S3.NoSuchKeyException`"]
        );
        for ok in [
            "S3.NoSuchKeyException",
            // Another operation's error, common and generic ones.
            "S3.BucketAlreadyExistsException",
            "S3.SdkClientException",
            "S3.S3Exception",
            "S3.AmazonS3Exception",
            "S3.AccessDeniedException",
            "S3.SlowDownException",
            "States.ALL",
            "Custom",
        ] {
            assert!(findings(S3, "Catch", &[ok]).is_empty(), "{ok}");
        }
        // A `Fault` shape is raised as `Exception`, with the SDK's casing of acronyms.
        let rds = "arn:aws:states:::aws-sdk:rds:deleteDBCluster";
        assert!(findings(rds, "Retry", &["Rds.InvalidDbClusterStateException"]).is_empty());
        assert!(findings(rds, "Retry", &["Rds.RdsException"]).is_empty());
    }

    #[test]
    fn callers_choose_their_own_names() {
        let lambda = "arn:aws:states:::lambda:invoke";
        assert!(
            findings(
                lambda,
                "Retry",
                &["Sandbox.Timedout", "java.lang.Exception"]
            )
            .is_empty()
        );
        assert!(findings(lambda, "Retry", &["Lambda.TooManyRequestsException"]).is_empty());
        // Recorded from AWS by LocalStack's tests, without the `Exception` suffix.
        assert!(findings(lambda, "Catch", &["Lambda.Unknown"]).is_empty());
        assert!(findings(lambda, "Retry", &["Lambda.ResourceNotFoundException"]).is_empty());
        let found = findings(lambda, "Retry", &["lambda.ServiceException"]);
        assert_eq!(
            found[0].1,
            ["Change `lambda.ServiceException` to `Lambda.ServiceException`"]
        );
        let found = findings(lambda, "Retry", &["Lambda.TooManyRequestException"]);
        assert_eq!(found.len(), 1, "{found:?}");
        // ASL205 reports `Lambda.*` on a Task that calls no Lambda function.
        let ddb = "arn:aws:states:::dynamodb:putItem";
        assert!(findings(ddb, "Retry", &["Lambda.TooManyRequestsException"]).is_empty());
        for skipped in [
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:us-east-1:123456789012:activity:work",
            "arn:aws:states:::aws-sdk:${Service}:getObject",
            "arn:aws:states:::ecs:runTask.sync",
        ] {
            assert!(
                findings(skipped, "Retry", &["DynamoDB.X"]).is_empty(),
                "{skipped}"
            );
        }
    }
}
