//! What a Task's `Resource` names (spec §7.1): an activity, a Lambda function, an optimized
//! integration, an AWS SDK integration or the HTTP task, with its integration pattern.
//!
//! Only strings that start with `arn:` are classified. A `Resource` that is not an ARN at all
//! (`__tbd__`, `YOUR_LAMBDA_ARN`, a `${...}` substitution) is a placeholder filled in before
//! deployment, unless no placeholder convention can fill it ([`unfillable`]: blank, an unclosed
//! `${`, an ARN padded with whitespace). A `${...}` inside an ARN stands for a valid value of the
//! part it is in. A malformed ARN says which [`ArnPart`] is wrong, with its range.

use asl_syntax::ast::{Machine, State, StateKind};
use asl_syntax::tree::string_range;
use asl_syntax::{Property, TextRange, is_templated};

use crate::names::did_you_mean;
use crate::spec::integrations::{OPTIMIZED, OptimizedService, optimized_service};

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

    /// The range in the source of `part`, a slice of this Task's `Resource` string (the
    /// `service` or `action` of [`Resource::Optimized`]/[`Resource::Sdk`]); the whole value
    /// when it is not one.
    pub fn part_range(&self, text: &str, part: &str) -> TextRange {
        match self.prop.value.as_str().and_then(|s| offset_in(s, part)) {
            Some(i) => string_range(text, &self.prop.value, i..i + part.len()),
            None => self.prop.value.range,
        }
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

/// Where `inner`, a slice of `outer`, starts in it.
fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start + inner.len() <= outer.len()).then_some(start)
}

/// Every Task of the machine whose `Resource` is a well-formed ARN, in source order.
pub(crate) fn tasks<'m, 'a>(machine: &'m Machine<'a>) -> impl Iterator<Item = Task<'m, 'a>> {
    machine.states.iter().filter_map(Task::of)
}

/// The part of a `Resource` ARN a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnPart {
    /// The whole ARN (it has too few parts).
    Whole,
    Partition,
    /// The resource type of a Lambda ARN (`function`), or what follows `states:::` when it is no
    /// known form.
    ResourceType,
    /// A Lambda function's or an activity's name.
    Name,
    /// A Lambda function's version or alias.
    Qualifier,
    /// An activity ARN's Region and account.
    RegionAndAccount,
    /// The integrated service (`sqs` in `arn:aws:states:::sqs:sendMessage`; `s3` in
    /// `...:aws-sdk:s3:getObject`).
    Service,
    /// The API or SDK action (`sendMessage`).
    Api,
    /// The integration pattern suffix (`.sync`).
    Pattern,
}

impl ArnPart {
    /// How a message names it.
    pub fn describe(self) -> &'static str {
        match self {
            ArnPart::Whole => "ARN",
            ArnPart::Partition => "partition",
            ArnPart::ResourceType => "resource type",
            ArnPart::Name => "name",
            ArnPart::Qualifier => "qualifier",
            ArnPart::RegionAndAccount => "Region and account",
            ArnPart::Service => "service",
            ArnPart::Api => "API",
            ArnPart::Pattern => "integration pattern",
        }
    }
}

/// Why a `Resource` ARN is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The part that is wrong.
    pub part: ArnPart,
    /// Its byte range in the `Resource` string; an empty part is the `:` before it.
    pub range: std::ops::Range<usize>,
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

/// The optimized integration an ARN's service part names (`dynamodb`), from
/// [`crate::spec::integrations::OPTIMIZED`].
pub fn optimized(service: &str) -> Option<&'static OptimizedService> {
    optimized_service(service)
}

fn bad(part: ArnPart, range: std::ops::Range<usize>, message: impl Into<String>) -> Malformed {
    Malformed {
        part,
        range,
        message: message.into(),
    }
}

/// A part of the ARN: its text and its byte range in the whole `Resource` string.
#[derive(Debug, Clone, Copy)]
struct Part<'a> {
    text: &'a str,
    start: usize,
}

impl<'a> Part<'a> {
    fn range(self) -> std::ops::Range<usize> {
        if self.text.is_empty() {
            // An empty part: point at the `:` before it.
            self.start.saturating_sub(1)..self.start
        } else {
            self.start..self.start + self.text.len()
        }
    }

    /// The part from byte `i` of this one on.
    fn from(self, i: usize) -> Part<'a> {
        Part {
            text: self.text.get(i..).unwrap_or_default(),
            start: self.start + i.min(self.text.len()),
        }
    }

    /// The part up to byte `i` of this one.
    fn to(self, i: usize) -> Part<'a> {
        Part {
            text: self.text.get(..i).unwrap_or(self.text),
            start: self.start,
        }
    }

    /// Splits at the first `c`: the part before it and the part after it.
    fn split_once(self, c: char) -> Option<(Part<'a>, Part<'a>)> {
        let i = self.text.find(c)?;
        Some((self.to(i), self.from(i + c.len_utf8())))
    }

    /// Splits at the first `:` outside a placeholder (`orders-${sls:stage}`,
    /// `${AWS::StackName}-f` hold colons of their own).
    fn split_colon(self) -> Option<(Part<'a>, Part<'a>)> {
        let [_, (after, _)] = split_colons(self.text, 2)[..] else {
            return None;
        };
        Some((self.to(after - 1), self.from(after)))
    }
}

/// Splits an API name from its pattern suffix.
fn split_pattern(api: Part<'_>) -> Result<(&str, Pattern), Malformed> {
    if let Some((name, suffix)) = api.split_once('.') {
        let pattern = match suffix.text {
            "sync" => Pattern::Sync,
            "sync:2" => Pattern::Sync2,
            "waitForTaskToken" => Pattern::WaitForTaskToken,
            _ if is_templated(suffix.text) => Pattern::RequestResponse,
            _ => {
                return Err(bad(
                    ArnPart::Pattern,
                    suffix.start.saturating_sub(1)..suffix.start + suffix.text.len(),
                    format!(
                        "`.{}` is not an integration pattern: use `.sync`, `.sync:2` or `.waitForTaskToken`, or none",
                        suffix.text
                    ),
                ));
            }
        };
        Ok((name.text, pattern))
    } else if let Some((_, extra)) = api.split_once(':') {
        Err(bad(
            ArnPart::Api,
            extra.start.saturating_sub(1)..api.start + api.text.len(),
            format!(
                "the API `{}` has one `:` too many; the form is `<service>:<api>[.sync|.sync:2|.waitForTaskToken]`",
                api.text
            ),
        ))
    } else {
        Ok((api.text, Pattern::RequestResponse))
    }
}

fn filled(part: &str) -> bool {
    !part.is_empty()
}

/// True when `part` is a placeholder of some template convention: `${Name}`, `<name>`,
/// `{name}`, `#{AWS::Region}` (the pseudo parameters of the Serverless Framework's
/// serverless-step-functions plugin, which it turns into `Fn::Sub` variables). Such a part is
/// filled in before deployment and not judged.
fn placeholder(part: &str) -> bool {
    is_templated(part)
        || (part.len() > 2
            && ((part.starts_with('<') && part.ends_with('>'))
                || (part.starts_with('{') && part.ends_with('}'))
                || (part.starts_with("#{") && part.ends_with('}'))))
}

/// A Lambda function name: letters, digits, `-`, `_` and `.` (the Lambda API's pattern for a
/// function ARN).
fn lambda_name_ok(name: &str) -> bool {
    name.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A Lambda qualifier: `$LATEST`, a version number or an alias (letters, digits, `-`, `_`).
fn lambda_qualifier_ok(qualifier: &str) -> bool {
    qualifier == "$LATEST"
        || (!qualifier.is_empty()
            && qualifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
}

/// What is wrong with a `Resource` that no placeholder convention can fill in: a blank value, a
/// `${` that is never closed, or an ARN with whitespace around it. AWS takes every `Resource`
/// for an ARN when the definition is created, so these are rejected; any other value that is
/// not an ARN (`__tbd__`, `YOUR_LAMBDA_ARN`, `${FnArn}`) is a placeholder that a template
/// tool or a test fills in before deployment.
pub fn unfillable(resource: &str) -> Option<Malformed> {
    if resource.trim().is_empty() {
        return Some(bad(
            ArnPart::Whole,
            0..resource.len(),
            "the `Resource` is blank: name the ARN of the activity, function or integration to run",
        ));
    }
    let mut from = 0;
    while let Some(i) = resource
        .get(from..)
        .and_then(|r| r.find("${"))
        .map(|i| from + i)
    {
        match resource.get(i..).and_then(|r| r.find('}')) {
            Some(close) => from = i + close + 1,
            None => {
                let open = resource.get(i..).unwrap_or_default();
                return Some(bad(
                    ArnPart::Whole,
                    i..resource.len(),
                    format!("the placeholder `{open}` is never closed: add `}}`"),
                ));
            }
        }
    }
    let trimmed = resource.trim();
    if trimmed.len() != resource.len() && trimmed.starts_with("arn:") {
        let start = resource.len() - resource.trim_start().len();
        return Some(bad(
            ArnPart::Whole,
            start..start + trimmed.len(),
            "the ARN has whitespace around it, which AWS does not strip: remove it",
        ));
    }
    None
}

/// Classifies a `Resource` string. `None` when it is not an ARN (a placeholder).
pub fn classify(resource: &str) -> Option<Result<Resource<'_>, Malformed>> {
    let rest = resource.strip_prefix("arn:")?;
    Some(classify_arn(rest))
}

/// Splits `s` at its first `n - 1` colons outside `${...}` and `#{...}` (a placeholder such as
/// `${AWS::Partition}` holds colons of its own); each part with its offset in `s`.
fn split_colons(s: &str, n: usize) -> Vec<(usize, &str)> {
    let mut parts = Vec::with_capacity(n);
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && matches!(bytes.get(i - 1), Some(b'$' | b'#')) => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 && parts.len() + 1 < n => {
                parts.push((start, s.get(start..i).unwrap_or_default()));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push((start, s.get(start..).unwrap_or_default()));
    parts
}

/// The Region and account parts of an ARN, with the byte range they span in `arn` (from the
/// Region's first byte to the account's last).
pub fn region_and_account(arn: &str) -> Option<(std::ops::Range<usize>, &str, &str)> {
    let rest = arn.strip_prefix("arn:")?;
    let parts = split_colons(rest, 5);
    let [_, _, (region_at, region), (_, account), _] = parts[..] else {
        return None;
    };
    let start = 4 + region_at;
    let end = start + region.len() + 1 + account.len();
    Some((start..end, region, account))
}

/// Classifies the ARN after its `arn:` prefix; every range is in the whole `Resource` string.
fn classify_arn(rest: &str) -> Result<Resource<'_>, Malformed> {
    let parts: Vec<Part<'_>> = split_colons(rest, 5)
        .into_iter()
        .map(|(at, text)| Part {
            text,
            start: 4 + at,
        })
        .collect();
    let [partition, service, region, account, tail] = parts[..] else {
        return Err(bad(
            ArnPart::Whole,
            0..4 + rest.len(),
            "an ARN has six parts: `arn:<partition>:<service>:<region>:<account>:<resource>`",
        ));
    };
    if !PARTITIONS.contains(&partition.text) && !is_templated(partition.text) {
        return Err(bad(
            ArnPart::Partition,
            partition.range(),
            format!(
                "the partition `{}` is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...)",
                partition.text
            ),
        ));
    }
    match service.text {
        "lambda" => classify_lambda(tail),
        "states" => {
            if let Some(name) = tail.text.strip_prefix("activity:") {
                if name.is_empty() {
                    return Err(bad(
                        ArnPart::Name,
                        tail.from("activity".len()).range(),
                        "the activity name is empty: name the activity after `activity:`",
                    ));
                }
                if !filled(region.text) || !filled(account.text) {
                    return Err(bad(
                        ArnPart::RegionAndAccount,
                        region.start.saturating_sub(1)..account.start + account.text.len() + 1,
                        "an activity ARN has its Region and account: `arn:aws:states:<region>:<account>:activity:<name>`",
                    ));
                }
                return Ok(Resource::Activity);
            }
            if tail.text.starts_with("aws-sdk:") {
                let sdk = tail.from("aws-sdk:".len());
                let form = "an SDK integration is `arn:aws:states:::aws-sdk:<service>:<apiAction>`";
                let Some((sdk_service, action)) = sdk.split_once(':') else {
                    let (part, what) = if sdk.text.is_empty() {
                        (ArnPart::Service, "the service is missing")
                    } else {
                        (ArnPart::Api, "the API action is missing")
                    };
                    return Err(bad(part, sdk.range(), format!("{what}: {form}")));
                };
                if sdk_service.text.is_empty() {
                    return Err(bad(
                        ArnPart::Service,
                        sdk_service.start.saturating_sub(1)..sdk_service.start + 1,
                        format!("the service is empty: {form}"),
                    ));
                }
                if action.text.is_empty() {
                    return Err(bad(
                        ArnPart::Api,
                        action.range(),
                        format!("the API action is empty: {form}"),
                    ));
                }
                let (action, pattern) = split_pattern(action)?;
                return Ok(Resource::Sdk {
                    service: sdk_service.text,
                    action,
                    pattern,
                });
            }
            let Some((int_service, api)) = tail.split_once(':') else {
                if is_templated(tail.text) {
                    return Ok(Resource::Other);
                }
                return Err(bad(
                    ArnPart::ResourceType,
                    tail.range(),
                    format!(
                        "`{}` is not an integration: the forms are `arn:aws:states:::<service>:<api>`, `...:aws-sdk:<service>:<apiAction>` and `...:activity:<name>`",
                        tail.text
                    ),
                ));
            };
            let (api_name, pattern) = split_pattern(api)?;
            if api_name.is_empty() {
                return Err(bad(
                    ArnPart::Api,
                    api.to(api_name.len()).range(),
                    format!(
                        "the API of `{}` is empty: name it after `{}:`",
                        int_service.text, int_service.text
                    ),
                ));
            }
            if optimized(int_service.text).is_none() && !is_templated(int_service.text) {
                return Err(bad(
                    ArnPart::Service,
                    int_service.range(),
                    match did_you_mean(int_service.text, OPTIMIZED.iter().map(|s| s.name)) {
                        close if !close.is_empty() => format!(
                            "the service `{}` is not an optimized integration{close} Other services are called through `arn:aws:states:::aws-sdk:<service>:<apiAction>`",
                            int_service.text
                        ),
                        _ => format!(
                            "the service `{}` is not an optimized integration; call other services through `arn:aws:states:::aws-sdk:{}:{api_name}`",
                            int_service.text, int_service.text
                        ),
                    },
                ));
            }
            Ok(Resource::Optimized {
                service: int_service.text,
                api: api_name,
                pattern,
            })
        }
        _ => Ok(Resource::Other),
    }
}

/// `function:<name>[:<qualifier>]`, the resource of a Lambda ARN.
fn classify_lambda(tail: Part<'_>) -> Result<Resource<'_>, Malformed> {
    let Some(function) = tail
        .text
        .strip_prefix("function:")
        .map(|_| tail.from("function:".len()))
    else {
        if is_templated(tail.text) {
            return Ok(Resource::LambdaFunction);
        }
        let kind = tail.split_once(':').map_or(tail, |(kind, _)| kind);
        return Err(bad(
            ArnPart::ResourceType,
            kind.range(),
            "the resource type of a Lambda ARN is `function`: `arn:aws:lambda:<region>:<account>:function:<name>`",
        ));
    };
    let (name, qualifier) = match function.split_colon() {
        Some((name, qualifier)) => (name, Some(qualifier)),
        None => (function, None),
    };
    if name.text.is_empty() {
        return Err(bad(
            ArnPart::Name,
            name.range(),
            "the Lambda function name is empty: name the function after `function:`",
        ));
    }
    if !lambda_name_ok(name.text) && !placeholder(name.text) {
        return Err(bad(
            ArnPart::Name,
            name.range(),
            format!(
                "the Lambda function name `{}` holds characters a name cannot have: use letters, digits, `-`, `_` and `.`",
                name.text
            ),
        ));
    }
    let Some(qualifier) = qualifier else {
        return Ok(Resource::LambdaFunction);
    };
    if let Some((_, extra)) = qualifier.split_colon() {
        return Err(bad(
            ArnPart::Qualifier,
            extra.start.saturating_sub(1)..function.start + function.text.len(),
            format!(
                "`function:{}` has too many parts: the form is `function:<name>[:<version or alias>]`",
                function.text
            ),
        ));
    }
    if qualifier.text.is_empty() {
        return Err(bad(
            ArnPart::Qualifier,
            qualifier.range(),
            format!(
                "the qualifier after `function:{}:` is empty: remove the last `:` or name a version or alias",
                name.text
            ),
        ));
    }
    if !lambda_qualifier_ok(qualifier.text) && !placeholder(qualifier.text) {
        return Err(bad(
            ArnPart::Qualifier,
            qualifier.range(),
            format!(
                "the qualifier `{}` is not a version or alias: use `$LATEST`, a version number, or an alias of letters, digits, `-` and `_`",
                qualifier.text
            ),
        ));
    }
    Ok(Resource::LambdaFunction)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ok(s: &str) -> Resource<'_> {
        classify(s).unwrap().unwrap()
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
        // The Serverless plugin's pseudo parameters.
        assert!(ok("arn:aws:lambda:#{AWS::Region}:#{AWS::AccountId}:function:f").is_lambda());
        // Placeholders with colons of their own in the name and the qualifier.
        assert!(ok("arn:aws:lambda:eu-west-1:1:function:orders-${sls:stage}-ship").is_lambda());
        assert!(
            ok("arn:aws:lambda:eu-west-1:1:function:${AWS::StackName}-f:${opt:alias}").is_lambda()
        );
        assert_eq!(
            region_and_account("arn:aws:lambda:#{AWS::Region}:#{AWS::AccountId}:function:f")
                .map(|(_, r, a)| (r, a)),
            Some(("#{AWS::Region}", "#{AWS::AccountId}"))
        );
    }

    #[test]
    fn what_no_placeholder_fills_in_is_reported() {
        let part = |s: &str| unfillable(s).map(|m| s[m.range].to_owned());
        assert_eq!(part(" "), Some(" ".to_owned()));
        assert_eq!(part(""), Some(String::new()));
        assert_eq!(part("${lambdaArn"), Some("${lambdaArn".to_owned()));
        assert_eq!(
            part("arn:aws:lambda:${Region}:1:function:${Name"),
            Some("${Name".to_owned())
        );
        assert_eq!(
            part(" arn:aws:states:::sqs:sendMessage\n"),
            Some("arn:aws:states:::sqs:sendMessage".to_owned())
        );
        for s in [
            "__tbd__",
            "${FnArn}",
            "YOUR_LAMBDA_ARN",
            "<INSERT LAMBDA ARN HERE>",
            "arn:aws:lambda:${Region}:${Account}:function:${Name}",
            "$.FunctionName",
        ] {
            assert!(unfillable(s).is_none(), "{s}");
        }
    }

    #[test]
    fn placeholders_are_not_judged() {
        for s in ["__tbd__", "${FnArn}", "YOUR_LAMBDA_ARN", "foo:bar", ""] {
            assert!(classify(s).is_none(), "{s}");
        }
    }

    /// The part a malformed ARN is wrong in, and the text of its range.
    fn wrong(s: &str) -> (ArnPart, &str, String) {
        let m = classify(s).unwrap().unwrap_err();
        (m.part, &s[m.range.clone()], m.message)
    }

    #[test]
    fn malformed_arns_say_why_and_where() {
        let cases: &[(&str, ArnPart, &str, &str)] = &[
            (
                "arn:aws:states:::lambda",
                ArnPart::ResourceType,
                "lambda",
                "not an integration",
            ),
            (
                "arn:aws:states",
                ArnPart::Whole,
                "arn:aws:states",
                "six parts",
            ),
            (
                "arn:amazon:states:::lambda:invoke",
                ArnPart::Partition,
                "amazon",
                "partition",
            ),
            (
                "arn:aws:states:::lambda:invoke.syncc",
                ArnPart::Pattern,
                ".syncc",
                "not an integration pattern",
            ),
            (
                "arn:aws:states:::s3x:getObject",
                ArnPart::Service,
                "s3x",
                "aws-sdk:s3x:getObject",
            ),
            (
                "arn:aws:states:::dynamodbb:putItem",
                ArnPart::Service,
                "dynamodbb",
                "did you mean `dynamodb`?",
            ),
            (
                "arn:aws:states:::activity:a",
                ArnPart::RegionAndAccount,
                ":::",
                "Region and account",
            ),
            (
                "arn:aws:states:us-east-1:1:activity:",
                ArnPart::Name,
                ":",
                "activity name is empty",
            ),
            (
                "arn:aws:lambda:us-east-1:1:layer:x",
                ArnPart::ResourceType,
                "layer",
                "`function`",
            ),
            (
                "arn:aws:lambda:us-east-1:1:function:f:1:2",
                ArnPart::Qualifier,
                ":2",
                "too many parts",
            ),
            (
                "arn:aws:lambda:us-east-1:1:function:",
                ArnPart::Name,
                ":",
                "name is empty",
            ),
            (
                "arn:aws:lambda:us-east-1:1:function:NAME:",
                ArnPart::Qualifier,
                ":",
                "qualifier after `function:NAME:` is empty",
            ),
            (
                "arn:aws:lambda:us-east-1:1:function:NAME:$*#",
                ArnPart::Qualifier,
                "$*#",
                "not a version or alias",
            ),
            (
                "arn:aws:lambda:us-east-1:1:function:my fn",
                ArnPart::Name,
                "my fn",
                "characters",
            ),
            (
                "arn:aws:states:::aws-sdk:s3",
                ArnPart::Api,
                "s3",
                "API action is missing",
            ),
            (
                "arn:aws:states:::aws-sdk:s3:",
                ArnPart::Api,
                ":",
                "API action is empty",
            ),
            (
                "arn:aws:states:::sqs:sendMessage:x",
                ArnPart::Api,
                ":x",
                "one `:` too many",
            ),
            (
                "arn:aws:states:::sqs:.sync",
                ArnPart::Api,
                ":",
                "API of `sqs` is empty",
            ),
        ];
        for &(arn, part, range, message) in cases {
            let (got_part, got_range, got_message) = wrong(arn);
            assert_eq!((got_part, got_range), (part, range), "{arn}: {got_message}");
            assert!(got_message.contains(message), "{arn}: {got_message}");
        }
        // Versions, aliases, `$LATEST` and placeholders of any convention are fine.
        for arn in [
            "arn:aws:lambda:us-east-1:1:function:f:$LATEST",
            "arn:aws:lambda:us-east-1:1:function:f:7",
            "arn:aws:lambda:us-east-1:1:function:my.fn:live-2_b",
            "arn:aws:lambda:us-east-1:1:function:<function_name>",
            "arn:aws:lambda:{region}:{account}:function:{lambda-name}:{alias}",
            "arn:aws:lambda:us-east-1:1:function:${Name}:${Alias}",
        ] {
            assert!(ok(arn).is_lambda(), "{arn}");
        }
    }
}
