use asl_syntax::Property;

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::string_at;
use crate::names::closest;
use crate::rule::declare_rule;
use crate::sdk_input::{Object, SdkCall, distinct_keys, member_for, sfn_name};

declare_rule! {
    /// ## What it does
    /// Reports a key of an AWS API call's `Parameters` (JSONPath) or `Arguments` (JSONata)
    /// that the called API's input does not take (`Kee` for `aws-sdk:s3:getObject`, which takes
    /// `Key`), with a trailing `.$` stripped. Keys are checked at the top level and inside
    /// nested literal objects as deep as the AWS model's structures go: a member whose type is
    /// a structure, each object of a list of structures, each object value of a map of
    /// structures (DynamoDB's attribute values: `{"S": "x"}`). The keys of a map and of a
    /// free-form (document) member are anyone's; a value given by a path, an intrinsic, a JSONata
    /// expression or a `${}` placeholder is not looked into.
    ///
    /// Step Functions' naming rules are followed: parameter names are PascalCase even where
    /// the service's own API is camelCase (`aws-sdk:sfn:startExecution` takes
    /// `StateMachineArn`), an API field `Equals` is written `EqualsValue`, and since the casing
    /// Step Functions derives from the AWS SDK for Java differs from botocore's for some members
    /// (DynamoDB's `BOOL` is written `Bool`), a key that matches a member but for case is
    /// accepted. The input members come from botocore's model (`asl-aws`).
    ///
    /// An action the service does not have (`getObjekt`, reported by `unknown-integration`) is
    /// read as the one that rule suggests (`getObject`), and the message says so; with no close
    /// action, the parameters are not checked.
    ///
    /// The optimized integrations whose guide pages give the API's request syntax as their
    /// parameters are checked the same way (`arn:aws:states:::dynamodb:putItem` takes DynamoDB
    /// `PutItem`'s input, `sqs:sendMessage` SQS `SendMessage`'s); those for which Step Functions
    /// defines parameters of its own (EMR's `addStep`, API Gateway's `invoke`, Bedrock's
    /// `invokeModel`, the HTTP task) are not. Nor are Tasks whose service is unknown or whose
    /// service or action is templated.
    ///
    /// ## Why is this bad?
    /// A misspelt parameter does not reach the API under the name it was meant for: when the
    /// intended member is required the call fails when the state runs, and when it is optional
    /// the call silently runs without it. Neither the developer guide nor any AWS-recorded
    /// LocalStack test of the corpus shows Step Functions rejecting an unknown SDK parameter
    /// when the state machine is created, and the model may lag behind members AWS has added
    /// since (or spell a member otherwise than the AWS SDK for Java does): hence a warning.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Fetch",
    ///   "States": {
    ///     "Fetch": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///       "Parameters": { "Bucket": "reports", "Kee.$": "$.key" },
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
    ///   "StartAt": "Fetch",
    ///   "States": {
    ///     "Fetch": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///       "Parameters": { "Bucket": "reports", "Key.$": "$.key" },
    ///       "TimeoutSeconds": 10,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS SDK service integrations](https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html): "API naming conventions" (PascalCase parameters, plural `Filters` for `Filter.N`, `EqualsValue`)
    /// - [Passing parameters to a service API](https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html)
    /// - botocore's service models (the `asl-aws` crate), for each API's input members
    pub(crate) static META = { code: "ASL408", name: "unknown-parameter", level: Warning }
}

/// How many of the members the message lists when nothing is close to the key.
const LISTED: usize = 6;

pub(crate) fn check(ctx: &mut Ctx) {
    for call in ctx.sdk_calls().iter() {
        for object in call.objects() {
            for prop in distinct_keys(object.node) {
                if member_for(object.shape, &prop.key).is_none() {
                    report(ctx, call, &object, prop);
                }
            }
        }
    }
}

fn report(ctx: &mut Ctx, call: &SdkCall<'_, '_>, object: &Object<'_, '_>, prop: &Property) {
    let (name, by_path) = match prop.key.strip_suffix(".$") {
        Some(name) => (name, true),
        None => (prop.key.as_str(), false),
    };
    let names: Vec<String> = object.shape.members().iter().map(sfn_name).collect();
    let best = closest(name, names.iter().map(String::as_str));
    let state = call.task.state.name;
    let (place, call) = (&object.place, &call.label);
    let object = object.node;
    let key = &prop.key;
    let hint = match best {
        Some(best) => format!("; did you mean `{best}`?"),
        None if names.is_empty() => "; it takes no parameters there, remove it".to_owned(),
        None => {
            let shown: Vec<String> = names
                .iter()
                .take(LISTED)
                .map(|n| format!("`{n}`"))
                .collect();
            let more = names.len().saturating_sub(LISTED);
            let more = if more > 0 {
                format!(", … ({more} more)")
            } else {
                String::new()
            };
            format!("; it takes {}{more}", shown.join(", "))
        }
    };
    let message = format!("Task `{state}`: {call} takes no `{key}` in `{place}`{hint}");
    let suffix = if by_path { ".$" } else { "" };
    let fix = best
        .map(|best| format!("{best}{suffix}"))
        .filter(|target| {
            let base = target.strip_suffix(".$").unwrap_or(target);
            object.get(base).is_none() && object.get(&format!("{base}.$")).is_none()
        })
        .map(|target| {
            Fix::new(
                format!("Rename `{key}` to `{target}`"),
                // A guess at the intended parameter, which the API then receives.
                Applicability::Unsafe,
                Edit::replace(
                    prop.key_range,
                    string_at(ctx.text, ctx.dialect, prop.key_range, &target),
                ),
            )
        });
    let d = ctx.report(&META, prop.key_range, message);
    if let Some(fix) = fix {
        d.with_fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn found(text: &str) -> Vec<String> {
        analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL408")
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect()
    }

    fn task(resource: &str, payload: &str) -> String {
        format!(
            r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{resource}",
                {payload}, "TimeoutSeconds": 5, "End": true}}}}}}"#
        )
    }

    #[test]
    fn the_issue_example() {
        let unknown_action = task(
            "arn:aws:states:::aws-sdk:s3:getObjekt",
            r#""Parameters": {"Bucket": "b", "Kee": "k"}"#,
        );
        // The action the service lacks (ASL407) is read as the one it suggests.
        let meant = found(&unknown_action);
        assert_eq!(meant.len(), 1, "{meant:#?}");
        assert!(
            meant[0].starts_with(
                "/States/T/Parameters/Kee Task `T`: `aws-sdk:s3:getObject` (meant by `getObjekt`) takes no `Kee`"
            ),
            "{meant:#?}"
        );
        // An action with no close match is not checked.
        let far = task(
            "arn:aws:states:::aws-sdk:s3:launchRocket",
            r#""Parameters": {"Bucket": "b", "Kee": "k"}"#,
        );
        assert!(found(&far).is_empty());
        let got = found(&task(
            "arn:aws:states:::aws-sdk:s3:getObject",
            r#""Parameters": {"Bucket": "b", "Kee": "k"}"#,
        ));
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(got[0].starts_with("/States/T/Parameters/Kee "), "{got:#?}");
        assert!(got[0].contains("did you mean `Key`?"), "{got:#?}");
    }

    #[test]
    fn nested_structures_and_lists() {
        let got = found(&task(
            "arn:aws:states:::aws-sdk:s3:deleteObjects",
            r#""Parameters": {"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, {"Kye": "b"}],
                "Quiet": true, "Bogus": 1}}"#,
        ));
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(
            got.iter()
                .any(|m| m.contains("`Parameters.Delete.Objects[1]`"))
        );
        assert!(
            got.iter()
                .any(|m| m.contains("`Bogus`") && m.contains("it takes"))
        );
    }

    #[test]
    fn naming_rules_and_skips() {
        // camelCase API, PascalCase in Step Functions; `.$` stripped.
        let sfn = task(
            "arn:aws:states:::aws-sdk:sfn:startExecution",
            r#""Parameters": {"StateMachineArn": "a", "Input.$": "$"}"#,
        );
        assert!(found(&sfn).is_empty(), "{:#?}", found(&sfn));
        // DynamoDB's `BOOL` as the Java SDK cases it; map keys are free.
        let ddb = task(
            "arn:aws:states:::aws-sdk:dynamodb:putItem",
            r#""Parameters": {"TableName": "t", "Item": {"anything": {"Bool": true}, "x": {"S.$": "$.x"}}}"#,
        );
        assert!(found(&ddb).is_empty(), "{:#?}", found(&ddb));
        // One JSONata expression; templated keys and services.
        let jsonata = task(
            "arn:aws:states:::aws-sdk:s3:getObject",
            r#""QueryLanguage": "JSONata", "Arguments": "{% $states.input %}""#,
        );
        assert!(found(&jsonata).is_empty());
        let templated = task(
            "arn:aws:states:::aws-sdk:s3:getObject",
            r#""Parameters": {"Bucket": "b", "Key": "k", "${Extra}": 1}"#,
        );
        assert!(found(&templated).is_empty());
    }

    #[test]
    fn map_values_are_structures_too() {
        let got = found(&task(
            "arn:aws:states:::dynamodb:putItem",
            r#""Parameters": {"TableName": "t", "Item": {"id": {"Str": "x"}, "n": {"N.$": "$.n"}}}"#,
        ));
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(
            got[0].starts_with("/States/T/Parameters/Item/id/Str ")
                && got[0].contains("in `Parameters.Item.id`"),
            "{got:#?}"
        );
    }

    #[test]
    fn optimized_integrations_with_the_apis_request() {
        let put = found(&task(
            "arn:aws:states:::dynamodb:putItem",
            r#""Parameters": {"TableNmae": "t", "Item": {"id": {"S.$": "$.id"}}}"#,
        ));
        assert_eq!(put.len(), 1, "{put:#?}");
        assert!(
            put[0].contains("`dynamodb:putItem` takes no `TableNmae`")
                && put[0].contains("did you mean `TableName`?"),
            "{put:#?}"
        );
        // Step Functions' own parameters: not the API's, not checked.
        let emr = task(
            "arn:aws:states:::elasticmapreduce:addStep.sync",
            r#""Parameters": {"ClusterId": "j-1", "Step": {"Name": "s"}}"#,
        );
        assert!(found(&emr).is_empty(), "{:#?}", found(&emr));
        let ok = task(
            "arn:aws:states:::sqs:sendMessage",
            r#""Parameters": {"QueueUrl": "q", "MessageBody": {"a.$": "$"}}"#,
        );
        assert!(found(&ok).is_empty(), "{:#?}", found(&ok));
    }

    #[test]
    fn arguments_are_checked_and_fix_keeps_the_suffix() {
        let text = task(
            "arn:aws:states:::aws-sdk:s3:getObject",
            r#""QueryLanguage": "JSONata", "Arguments": {"Bucket": "b", "Kee": "{% $states.input.k %}"}"#,
        );
        let diags = analyze(&text, Dialect::Json, &Options::default());
        let d = diags.iter().find(|d| d.code() == "ASL408");
        assert!(d.is_some_and(|d| !d.fixes.is_empty()), "{diags:#?}");
        // No fix when the target key is already there.
        let both = task(
            "arn:aws:states:::aws-sdk:s3:getObject",
            r#""Parameters": {"Bucket": "b", "Key": "k", "Kee": "k"}"#,
        );
        let diags = analyze(&both, Dialect::Json, &Options::default());
        let d = diags.iter().find(|d| d.code() == "ASL408");
        assert!(d.is_some_and(|d| d.fixes.is_empty()), "{diags:#?}");
    }
}
