//! What a Task's `Resource` names (spec §7.1): an activity, a Lambda function, an optimized
//! integration, an AWS SDK integration or the HTTP task, with its integration pattern.
//!
//! Only strings that start with `arn:` are judged. A `Resource` that is not an ARN at all
//! (`__tbd__`, `YOUR_LAMBDA_ARN`, a `${...}` substitution) is a placeholder filled in before
//! deployment. A `${...}` inside an ARN stands for a valid value of the part it is in.

use asl_syntax::ast::{Machine, State, StateKind};
use asl_syntax::tree::string_range;
use asl_syntax::{Property, TextRange, is_templated};

/// The integration pattern: the suffix of an optimized or SDK integration's ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// No suffix: call the API and go on with its response.
    RequestResponse,
    /// `.sync`: wait for the job to finish.
    Sync,
    /// `.sync:2`: wait, with the child's output as JSON (Step Functions only).
    Sync2,
    /// `.waitForTaskToken`: wait for a callback with the task token.
    WaitForTaskToken,
}

impl Pattern {
    pub fn suffix(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "",
            Pattern::Sync => ".sync",
            Pattern::Sync2 => ".sync:2",
            Pattern::WaitForTaskToken => ".waitForTaskToken",
        }
    }
}

/// A `Resource` ARN, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource<'a> {
    /// `arn:<partition>:states:<region>:<account>:activity:<name>`.
    Activity,
    /// `arn:<partition>:lambda:<region>:<account>:function:<name>[:qualifier]`, the legacy
    /// direct form.
    LambdaFunction,
    /// `arn:<partition>:states:::<service>:<api>[pattern]`; the HTTP task is service `http`.
    Optimized {
        service: &'a str,
        api: &'a str,
        pattern: Pattern,
    },
    /// `arn:<partition>:states:::aws-sdk:<service>:<action>[pattern]`.
    Sdk {
        service: &'a str,
        action: &'a str,
        pattern: Pattern,
    },
    /// An ARN of some other service (the spec's examples use `arn:aws:swf:...`; local test
    /// tools have their own): left alone.
    Other,
}

impl Resource<'_> {
    pub fn pattern(&self) -> Pattern {
        match self {
            Resource::Optimized { pattern, .. } | Resource::Sdk { pattern, .. } => *pattern,
            _ => Pattern::RequestResponse,
        }
    }

    /// A Lambda function, called directly or through `lambda:invoke`.
    pub fn is_lambda(&self) -> bool {
        match self {
            Resource::LambdaFunction => true,
            Resource::Optimized { service, api, .. } => *service == "lambda" && *api == "invoke",
            _ => false,
        }
    }

    pub fn is_http(&self) -> bool {
        matches!(
            self,
            Resource::Optimized {
                service: "http",
                ..
            }
        )
    }

    /// Waits for someone else: an activity worker or a `.waitForTaskToken` callback.
    pub fn waits_for_callback(&self) -> bool {
        matches!(self, Resource::Activity) || self.pattern() == Pattern::WaitForTaskToken
    }
}

/// A Task whose `Resource` is a well-formed ARN.
pub(crate) struct Task<'m, 'a> {
    pub state: &'m State<'a>,
    /// The `Resource` property.
    pub prop: &'a Property,
    pub resource: Resource<'a>,
}

impl<'m, 'a> Task<'m, 'a> {
    /// The Task `state`, when its `Resource` is a well-formed ARN.
    pub fn of(state: &'m State<'a>) -> Option<Task<'m, 'a>> {
        if state.kind != StateKind::Task {
            return None;
        }
        let prop = state.fields.resource?;
        let resource = classify(prop.value.as_str()?)?.ok()?;
        Some(Task {
            state,
            prop,
            resource,
        })
    }

    /// The range of the pattern suffix (`.sync`) in the `Resource` string; the whole value when
    /// it has none.
    pub fn pattern_range(&self, text: &str) -> TextRange {
        let suffix = self.resource.pattern().suffix();
        match self.prop.value.as_str().and_then(|s| s.rfind(suffix)) {
            Some(i) if !suffix.is_empty() => {
                string_range(text, &self.prop.value, i..i + suffix.len())
            }
            _ => self.prop.value.range,
        }
    }
}

/// Every Task of the machine whose `Resource` is a well-formed ARN, in source order.
pub(crate) fn tasks<'m, 'a>(machine: &'m Machine<'a>) -> impl Iterator<Item = Task<'m, 'a>> {
    machine.states.iter().filter_map(Task::of)
}

/// Why a `Resource` ARN is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub message: String,
}

/// The partitions AWS has.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// The optimized integrations (`arn:aws:states:::<service>:...`) and the patterns each supports
/// beyond request/response (spec §7.2): (service, `.sync`, `.waitForTaskToken`, what it is).
pub const OPTIMIZED: &[(&str, bool, bool, &str)] = &[
    ("apigateway", false, true, "API Gateway"),
    ("athena", true, false, "Athena"),
    ("batch", true, false, "AWS Batch"),
    ("bedrock", true, true, "Amazon Bedrock"),
    ("codebuild", true, false, "CodeBuild"),
    ("databrew", true, false, "Glue DataBrew"),
    ("dynamodb", false, false, "DynamoDB"),
    ("ecs", true, true, "ECS/Fargate"),
    ("eks", true, true, "EKS"),
    ("elasticmapreduce", true, false, "EMR"),
    ("emr-containers", true, false, "EMR on EKS"),
    ("emr-serverless", true, false, "EMR Serverless"),
    ("events", false, true, "EventBridge"),
    ("glue", true, false, "Glue"),
    ("http", false, false, "the HTTP task"),
    ("lambda", false, true, "Lambda"),
    ("mediaconvert", true, false, "MediaConvert"),
    ("sagemaker", true, false, "SageMaker AI"),
    ("sns", false, true, "SNS"),
    ("sqs", false, true, "SQS"),
    ("states", true, true, "Step Functions"),
];

/// The row of an optimized integration.
pub fn optimized(service: &str) -> Option<(bool, bool, &'static str)> {
    OPTIMIZED
        .iter()
        .find(|(name, ..)| *name == service)
        .map(|&(_, sync, wait, what)| (sync, wait, what))
}

fn bad(message: impl Into<String>) -> Malformed {
    Malformed {
        message: message.into(),
    }
}

/// Splits an API name from its pattern suffix.
fn split_pattern(api: &str) -> Result<(&str, Pattern), Malformed> {
    if let Some((name, suffix)) = api.split_once('.') {
        let pattern = match suffix {
            "sync" => Pattern::Sync,
            "sync:2" => Pattern::Sync2,
            "waitForTaskToken" => Pattern::WaitForTaskToken,
            _ if is_templated(suffix) => Pattern::RequestResponse,
            _ => {
                return Err(bad(format!(
                    "`.{suffix}` is not an integration pattern: use `.sync`, `.sync:2` or `.waitForTaskToken`, or none"
                )));
            }
        };
        Ok((name, pattern))
    } else if api.contains(':') {
        Err(bad(format!(
            "`{api}` has one `:` too many; the form is `<service>:<api>[.sync|.sync:2|.waitForTaskToken]`"
        )))
    } else {
        Ok((api, Pattern::RequestResponse))
    }
}

fn filled(part: &str) -> bool {
    !part.is_empty()
}

/// Classifies a `Resource` string. `None` when it is not an ARN (a placeholder).
pub fn classify(resource: &str) -> Option<Result<Resource<'_>, Malformed>> {
    let rest = resource.strip_prefix("arn:")?;
    Some(classify_arn(rest))
}

/// Splits `s` at its first `n - 1` colons outside `${...}` (a placeholder such as
/// `${AWS::Partition}` holds colons of its own).
fn split_colons(s: &str, n: usize) -> Vec<&str> {
    let mut parts = Vec::with_capacity(n);
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes.get(i - 1) == Some(&b'$') => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 && parts.len() + 1 < n => {
                parts.push(s.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(s.get(start..).unwrap_or_default());
    parts
}

/// The Region and account parts of an ARN, with the byte range they span in `arn` (from the
/// Region's first byte to the account's last).
pub fn region_and_account(arn: &str) -> Option<(std::ops::Range<usize>, &str, &str)> {
    let rest = arn.strip_prefix("arn:")?;
    let parts = split_colons(rest, 5);
    let [partition, service, region, account, _] = parts[..] else {
        return None;
    };
    let start = 4 + partition.len() + 1 + service.len() + 1;
    let end = start + region.len() + 1 + account.len();
    Some((start..end, region, account))
}

fn classify_arn(rest: &str) -> Result<Resource<'_>, Malformed> {
    let [partition, service, region, account, tail] = split_colons(rest, 5)[..] else {
        return Err(bad(
            "an ARN has six parts: `arn:<partition>:<service>:<region>:<account>:<resource>`",
        ));
    };
    if !PARTITIONS.contains(&partition) && !is_templated(partition) {
        return Err(bad(format!(
            "`{partition}` is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...)"
        )));
    }
    match service {
        "lambda" => {
            let Some(function) = tail.strip_prefix("function:") else {
                if is_templated(tail) {
                    return Ok(Resource::LambdaFunction);
                }
                return Err(bad(
                    "a Lambda ARN names a function: `arn:aws:lambda:<region>:<account>:function:<name>`",
                ));
            };
            let name = function.split(':').next().unwrap_or_default();
            if name.is_empty() {
                return Err(bad("the Lambda function name is empty"));
            }
            if function.matches(':').count() > 1 {
                return Err(bad(format!(
                    "`function:{function}` has too many parts: the form is `function:<name>[:<version or alias>]`"
                )));
            }
            Ok(Resource::LambdaFunction)
        }
        "states" => {
            if let Some(name) = tail.strip_prefix("activity:") {
                if name.is_empty() {
                    return Err(bad("the activity name is empty"));
                }
                if !filled(region) || !filled(account) {
                    return Err(bad(
                        "an activity ARN has its Region and account: `arn:aws:states:<region>:<account>:activity:<name>`",
                    ));
                }
                return Ok(Resource::Activity);
            }
            if let Some(sdk) = tail.strip_prefix("aws-sdk:") {
                let Some((sdk_service, action)) = sdk.split_once(':') else {
                    return Err(bad(
                        "an SDK integration is `arn:aws:states:::aws-sdk:<service>:<apiAction>`",
                    ));
                };
                if sdk_service.is_empty() || action.is_empty() {
                    return Err(bad(
                        "an SDK integration is `arn:aws:states:::aws-sdk:<service>:<apiAction>`",
                    ));
                }
                let (action, pattern) = split_pattern(action)?;
                return Ok(Resource::Sdk {
                    service: sdk_service,
                    action,
                    pattern,
                });
            }
            let Some((int_service, api)) = tail.split_once(':') else {
                if is_templated(tail) {
                    return Ok(Resource::Other);
                }
                return Err(bad(format!(
                    "`{tail}` is not an integration: the forms are `arn:aws:states:::<service>:<api>`, `...:aws-sdk:<service>:<apiAction>` and `...:activity:<name>`"
                )));
            };
            let (api, pattern) = split_pattern(api)?;
            if api.is_empty() {
                return Err(bad(format!("the API of `{int_service}` is empty")));
            }
            if optimized(int_service).is_none() && !is_templated(int_service) {
                return Err(bad(format!(
                    "`{int_service}` is not an optimized integration; call other services through `arn:aws:states:::aws-sdk:{int_service}:{api}`"
                )));
            }
            Ok(Resource::Optimized {
                service: int_service,
                api,
                pattern,
            })
        }
        _ => Ok(Resource::Other),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ok(s: &str) -> Resource<'_> {
        classify(s).unwrap().unwrap()
    }

    fn err(s: &str) -> String {
        classify(s).unwrap().unwrap_err().message
    }

    #[test]
    fn classifies_the_forms_of_the_spec() {
        assert_eq!(
            ok("arn:aws:states:::lambda:invoke"),
            Resource::Optimized {
                service: "lambda",
                api: "invoke",
                pattern: Pattern::RequestResponse
            }
        );
        assert!(ok("arn:aws:states:::lambda:invoke.waitForTaskToken").waits_for_callback());
        assert_eq!(
            ok("arn:aws:states:::states:startExecution.sync:2").pattern(),
            Pattern::Sync2
        );
        assert_eq!(
            ok("arn:aws:states:::aws-sdk:s3:listObjectsV2"),
            Resource::Sdk {
                service: "s3",
                action: "listObjectsV2",
                pattern: Pattern::RequestResponse
            }
        );
        assert!(ok("arn:aws:lambda:us-east-1:123456789012:function:f:prod").is_lambda());
        assert!(ok("arn:aws:states:us-east-1:123456789012:activity:a").waits_for_callback());
        assert!(ok("arn:aws:states:::http:invoke").is_http());
        assert_eq!(
            ok("arn:aws:swf:us-east-1:123456789012:task:X"),
            Resource::Other
        );
        // Region and account written into an integration ARN are accepted (seen in real
        // definitions).
        assert!(
            ok("arn:aws:states:us-east-1:776177632559:aws-sdk:s3:putObject").pattern()
                == Pattern::RequestResponse
        );
        assert!(ok("arn:${AWS::Partition}:states:::lambda:invoke").is_lambda());
        assert!(ok("arn:aws:lambda:${Region}:${Account}:function:${Name}").is_lambda());
    }

    #[test]
    fn placeholders_are_not_judged() {
        for s in ["__tbd__", "${FnArn}", "YOUR_LAMBDA_ARN", "foo:bar", ""] {
            assert!(classify(s).is_none(), "{s}");
        }
    }

    #[test]
    fn malformed_arns_say_why() {
        assert!(err("arn:aws:states:::lambda").contains("not an integration"));
        assert!(err("arn:aws:states").contains("six parts"));
        assert!(err("arn:amazon:states:::lambda:invoke").contains("partition"));
        assert!(err("arn:aws:states:::lambda:invoke.syncc").contains("not an integration pattern"));
        assert!(err("arn:aws:states:::s3x:getObject").contains("aws-sdk:s3x:getObject"));
        assert!(err("arn:aws:states:::activity:a").contains("Region and account"));
        assert!(err("arn:aws:lambda:us-east-1:1:layer:x").contains("names a function"));
        assert!(err("arn:aws:lambda:us-east-1:1:function:f:1:2").contains("too many parts"));
        assert!(err("arn:aws:states:::aws-sdk:s3").contains("aws-sdk:<service>"));
    }
}
