use asl_aws::Shape;
use asl_syntax::Node;

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::string_at;
use crate::names::closest;
use crate::nodes::{brace, is_jsonata_node};
use crate::rule::declare_rule;
use crate::sdk_input::{SdkCall, distinct_keys, member_for};

declare_rule! {
    /// ## What it does
    /// Reports a literal value in an AWS API call's `Parameters` (JSONPath) or `Arguments`
    /// (JSONata) that the called API's input member cannot take: a value of the wrong JSON type
    /// (`"MaxKeys": "ten"` for `aws-sdk:s3:listObjectsV2`, whose `MaxKeys` is an integer), or a
    /// string outside the member's enumeration (`"BillingMode": "pay_per_request"` for
    /// `aws-sdk:dynamodb:createTable`, which takes `PAY_PER_REQUEST` or `PROVISIONED`), with
    /// the closest allowed value suggested (one that differs only in case first).
    ///
    /// The JSON values each of the AWS model's types takes: a structure and a union an object
    /// or a string (the AWS SDK for Java, through which Step Functions calls, makes some
    /// structures from one string: a DynamoDB attribute value from its `S`; AWS's
    /// curbside-pickup sample writes `"order_status": "pick-order"` in a `dynamodb:putItem`
    /// `Item`), a map an object; a list an array; an integer and a long a whole number, a float and a double any
    /// number, a boolean `true` or `false`, each also as a string holding one (`"10"`,
    /// `"false"`); a timestamp a string or a number; a string, a blob and a document anything
    /// (Step Functions passes an object given for a string member as its JSON text). The
    /// members of nested literal objects (as `unknown-parameter` walks them), the elements of a
    /// list and the values of a map are checked too.
    ///
    /// Not judged: a value given by a path (a key ending in `.$`), a JSONata expression
    /// (`{% %}`), a string holding a `${}` placeholder, a CloudFormation intrinsic (`{"Ref":
    /// ...}`) and `null` (read by the AWS SDKs as the member left out); the services, actions
    /// and optimized integrations `unknown-parameter` does not check.
    ///
    /// ## Why is this bad?
    /// The API receives a value it cannot read, and the state fails when it runs. What Step
    /// Functions converts is taken from AWS's recorded behaviour: LocalStack's AWS-validated
    /// test `test_sfn_start_execution_implicit_json_serialisation` passes an object for
    /// `aws-sdk:sfn:startExecution`'s string `Input`, which Step Functions writes out as JSON,
    /// its `test_s3_put_object` an object, an array, a boolean and a number for
    /// `aws-sdk:s3:putObject`'s blob `Body`; and AWS's published samples (the
    /// step-functions-workflows-collection) pass `"true"` and `"false"` for boolean members.
    /// A numeric string for a number member is accepted alike, by analogy: nothing recorded
    /// shows it either way. It is a warning: no document of AWS lists these conversions, and
    /// the model's enumerations may lag behind values AWS has added since.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "List",
    ///   "States": {
    ///     "List": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
    ///       "Parameters": { "Bucket": "reports", "MaxKeys": "ten" },
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
    ///   "StartAt": "List",
    ///   "States": {
    ///     "List": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
    ///       "Parameters": { "Bucket": "reports", "MaxKeys": 10 },
    ///       "TimeoutSeconds": 10,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS SDK service integrations](https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html)
    /// - [Passing parameters to a service API](https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html)
    /// - LocalStack's `tests/aws/services/stepfunctions/v2/services/test_aws_sdk_task_service.py`: `test_sfn_start_execution_implicit_json_serialisation` and `test_s3_put_object` (AWS-validated)
    /// - botocore's service models (the `asl-aws` crate), for each member's type and enumeration
    pub(crate) static META = { code: "ASL410", name: "invalid-parameter-value", level: Warning }
}

/// How many of the allowed values the message lists when none is close.
const LISTED: usize = 6;

/// Where a value sits, for messages.
struct At<'p> {
    /// `MaxKeys`, `Objects[1]`, `Tags.env`.
    member: String,
    /// `Parameters`, `Parameters.Delete`.
    place: &'p str,
}

pub(crate) fn check(ctx: &mut Ctx) {
    for call in ctx.sdk_calls().iter() {
        for object in call.objects() {
            for prop in distinct_keys(object.node) {
                if prop.key.ends_with(".$") {
                    continue;
                }
                let Some(member) = member_for(object.shape, &prop.key) else {
                    continue;
                };
                let Some(shape) = call.model.resolve(&member.shape) else {
                    continue;
                };
                let at = |member: String| At {
                    member,
                    place: &object.place,
                };
                if !value(ctx, call, &at(prop.key.clone()), &prop.value, shape) {
                    continue;
                }
                // The elements of a list and the values of a map, one level down.
                match shape {
                    Shape::List { member } => {
                        let (Some(items), Some(element)) =
                            (prop.value.as_array(), call.model.resolve(member))
                        else {
                            continue;
                        };
                        for (i, item) in items.iter().enumerate() {
                            value(ctx, call, &at(format!("{}[{i}]", prop.key)), item, element);
                        }
                    }
                    Shape::Map { value: inner, .. } => {
                        let Some(inner) = call.model.resolve(inner) else {
                            continue;
                        };
                        if prop.value.is_cfn_intrinsic() {
                            continue;
                        }
                        for entry in distinct_keys(&prop.value) {
                            if entry.key.ends_with(".$") {
                                continue;
                            }
                            let here = at(format!("{}.{}", prop.key, entry.key));
                            value(ctx, call, &here, &entry.value, inner);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Whether `node` is given by something only known when the state runs or the template is
/// deployed (or is `null`), so its type is not judged.
fn not_judged(node: &Node) -> bool {
    node.is_null() || node.is_templated() || is_jsonata_node(node) || node.is_cfn_intrinsic()
}

/// What a value of `shape` must be, for messages; `None` when anything goes.
fn expected(shape: &Shape) -> Option<&'static str> {
    Some(match shape {
        Shape::Timestamp => "a timestamp (a string or a number)",
        Shape::Integer | Shape::Long => "an integer",
        Shape::Float | Shape::Double => "a number",
        Shape::Boolean => "`true` or `false`",
        Shape::Structure { .. } | Shape::Union { .. } | Shape::Map { .. } => "an object",
        Shape::List { .. } => "an array",
        Shape::String { .. } | Shape::Blob | Shape::Document | Shape::Other { .. } => return None,
    })
}

/// Whether `node` is a value a member of `shape` can be given. A string or blob member takes
/// any value (Step Functions writes an object out as its JSON text; a number or boolean is read
/// as its text), an integer, a number or a boolean member also a string holding one, a
/// structure also a string.
fn type_fits(node: &Node, shape: &Shape) -> bool {
    let text = node.as_str().map(str::trim);
    match shape {
        Shape::String { .. } | Shape::Blob | Shape::Document | Shape::Other { .. } => true,
        Shape::Timestamp => text.is_some() || node.as_f64().is_some(),
        Shape::Integer | Shape::Long => {
            node.as_i64().is_some() || text.is_some_and(|s| s.parse::<i64>().is_ok())
        }
        Shape::Float | Shape::Double => {
            node.as_f64().is_some()
                || text.is_some_and(|s| s.parse::<f64>().is_ok_and(f64::is_finite))
        }
        Shape::Boolean => {
            node.as_bool().is_some()
                || text.is_some_and(|s| {
                    s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
                })
        }
        // A structure also from a string: Step Functions builds its requests with the AWS SDK
        // for Java, whose structures may be made from one string (the DynamoDB attribute
        // value `AttributeValue(String)` of version 1), and AWS's published samples pass
        // `"order_status": "pick-order"` in an optimized `dynamodb:putItem`'s `Item`.
        Shape::Structure { .. } | Shape::Union { .. } => {
            node.as_object().is_some() || node.as_str().is_some()
        }
        Shape::Map { .. } => node.as_object().is_some(),
        Shape::List { .. } => node.as_array().is_some(),
    }
}

/// Checks one value against its member's shape, reporting a mismatch; true when it fits (so
/// what it holds may be checked in turn).
fn value(ctx: &mut Ctx, call: &SdkCall<'_, '_>, at: &At<'_>, node: &Node, shape: &Shape) -> bool {
    if not_judged(node) {
        return false;
    }
    if !type_fits(node, shape) {
        wrong_type(ctx, call, at, node, shape);
        return false;
    }
    if let (Shape::String { enum_values }, Some(s)) = (shape, node.as_str())
        && !enum_values.is_empty()
        && !enum_values.iter().any(|v| v == s)
    {
        not_in_enum(ctx, call, at, node, s, enum_values);
        return false;
    }
    true
}

fn wrong_type(ctx: &mut Ctx, call: &SdkCall<'_, '_>, at: &At<'_>, node: &Node, shape: &Shape) {
    let Some(expected) = expected(shape) else {
        return;
    };
    let state = call.task.state.name;
    let (member, place) = (&at.member, at.place);
    let message = format!(
        "Task `{state}`: {} takes {expected} for `{member}` in `{place}`, not {}",
        call.label,
        node.json_type()
    );
    let range = if node.as_object().is_some() || node.as_array().is_some() {
        brace(ctx.text, node)
    } else {
        node.range
    };
    ctx.report(&META, range, message);
}

fn not_in_enum(
    ctx: &mut Ctx,
    call: &SdkCall<'_, '_>,
    at: &At<'_>,
    node: &Node,
    s: &str,
    allowed: &[String],
) {
    let best = allowed
        .iter()
        .find(|v| v.eq_ignore_ascii_case(s))
        .map(String::as_str)
        .or_else(|| closest(s, allowed.iter().map(String::as_str)));
    let hint = match best {
        Some(best) => format!("; did you mean `{best}`?"),
        None => {
            let shown: Vec<String> = allowed
                .iter()
                .take(LISTED)
                .map(|v| format!("`{v}`"))
                .collect();
            let more = allowed.len().saturating_sub(LISTED);
            let more = if more > 0 {
                format!(", … ({more} more)")
            } else {
                String::new()
            };
            format!("; it takes {}{more}", shown.join(", "))
        }
    };
    let state = call.task.state.name;
    let message = format!(
        "Task `{state}`: {} takes no `{s}` for `{}` in `{}`{hint}",
        call.label, at.member, at.place
    );
    let fix = best.map(|best| {
        Fix::new(
            format!("Replace with `{best}`"),
            // A guess at the value meant.
            Applicability::Unsafe,
            Edit::replace(
                node.range,
                string_at(ctx.text, ctx.dialect, node.range, best),
            ),
        )
    });
    let d = ctx.report(&META, node.range, message);
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
            .filter(|d| d.code() == "ASL410")
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect()
    }

    fn task(resource: &str, payload: &str) -> String {
        format!(
            r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{resource}",
                {payload}, "TimeoutSeconds": 5, "End": true}}}}}}"#
        )
    }

    fn fixed(text: &str) -> Option<String> {
        let diags = analyze(text, Dialect::Json, &Options::default());
        let d = diags.iter().find(|d| d.code() == "ASL410")?;
        let fix = d.fixes.first()?;
        let mut out = text.to_owned();
        for edit in fix.edits.iter().rev() {
            out.replace_range(std::ops::Range::<usize>::from(edit.range), &edit.new_text);
        }
        Some(out)
    }

    const LIST: &str = "arn:aws:states:::aws-sdk:s3:listObjectsV2";

    #[test]
    fn wrong_json_types() {
        let text = task(LIST, r#""Parameters": {"Bucket": "b", "MaxKeys": "ten"}"#);
        assert_eq!(
            found(&text),
            [
                "/States/T/Parameters/MaxKeys Task `T`: `aws-sdk:s3:listObjectsV2` takes an integer for `MaxKeys` in `Parameters`, not a string"
            ]
        );
        for wrong in [
            r#""MaxKeys": 1.5"#,
            r#""FetchOwner": "yes""#,
            r#""FetchOwner": 1"#,
        ] {
            let text = task(
                LIST,
                &format!(r#""Parameters": {{"Bucket": "b", {wrong}}}"#),
            );
            assert_eq!(found(&text).len(), 1, "{wrong}: {:#?}", found(&text));
        }
        // What Step Functions converts: strings holding the number or boolean, anything for a
        // string or a blob.
        for fits in [
            r#""MaxKeys": "10""#,
            r#""FetchOwner": "false""#,
            r#""StartAfter": 5"#,
            r#""Prefix": {"a": 1}"#,
        ] {
            let text = task(LIST, &format!(r#""Parameters": {{"Bucket": "b", {fits}}}"#));
            assert!(found(&text).is_empty(), "{fits}: {:#?}", found(&text));
        }
        // A structure given a number, nested and in a list (a string may make one).
        let text = task(
            "arn:aws:states:::aws-sdk:s3:deleteObjects",
            r#""Parameters": {"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, "b", 7], "Quiet": "no"}}"#,
        );
        let got = found(&text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(
            got[0].starts_with("/States/T/Parameters/Delete/Objects/2 Task `T`: `aws-sdk:s3:deleteObjects` takes an object for `Objects[2]` in `Parameters.Delete`, not a number"),
            "{got:#?}"
        );
        assert!(
            got[1].contains("takes `true` or `false` for `Quiet`"),
            "{got:#?}"
        );
    }

    #[test]
    fn values_known_later_are_not_judged() {
        for payload in [
            r#""Parameters": {"Bucket": "b", "MaxKeys.$": "$.n"}"#,
            r#""Parameters": {"Bucket": "b", "MaxKeys": "${Max}"}"#,
            r#""Parameters": {"Bucket": "b", "MaxKeys": {"Ref": "Max"}}"#,
            r#""Parameters": {"Bucket": "b", "MaxKeys": null}"#,
            r#""QueryLanguage": "JSONata", "Arguments": {"Bucket": "b", "MaxKeys": "{% $n %}"}"#,
            r#""Parameters": {"Bucket": "b", "MaxKeys": 10, "FetchOwner": true, "StartAfter": "k"}"#,
        ] {
            let text = task(LIST, payload);
            assert!(found(&text).is_empty(), "{payload}: {:#?}", found(&text));
        }
    }

    #[test]
    fn enumerations() {
        let text = task(
            "arn:aws:states:::aws-sdk:dynamodb:createTable",
            r#""Parameters": {"TableName": "t", "BillingMode": "pay_per_request",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "hash"}]}"#,
        );
        let got = found(&text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(
            got[0],
            "/States/T/Parameters/BillingMode Task `T`: `aws-sdk:dynamodb:createTable` takes no `pay_per_request` for `BillingMode` in `Parameters`; did you mean `PAY_PER_REQUEST`?"
        );
        assert!(got[1].contains("did you mean `HASH`?"), "{got:#?}");
        assert!(fixed(&text).is_some_and(|t| t.contains(r#""BillingMode": "PAY_PER_REQUEST""#)));
        // A value far from every allowed one lists them.
        let text = task(
            "arn:aws:states:::aws-sdk:dynamodb:createTable",
            r#""Parameters": {"TableName": "t", "BillingMode": "free"}"#,
        );
        let got = found(&text);
        assert!(
            got[0].contains("; it takes `PROVISIONED`, `PAY_PER_REQUEST`"),
            "{got:#?}"
        );
    }

    #[test]
    fn list_elements_and_map_values() {
        // A map of structures (DynamoDB's attribute values) given a number; a string makes
        // an attribute value (its `S`), as AWS's samples write them.
        let text = task(
            "arn:aws:states:::aws-sdk:dynamodb:putItem",
            r#""Parameters": {"TableName": "t", "Item": {"id": 5, "s": "x", "n": {"N": "1"}, "p.$": "$.p"}}"#,
        );
        let got = found(&text);
        assert_eq!(
            got,
            [
                "/States/T/Parameters/Item/id Task `T`: `aws-sdk:dynamodb:putItem` takes an object for `Item.id` in `Parameters`, not a number"
            ]
        );
        // A list of structures given an array.
        let text = task(
            "arn:aws:states:::aws-sdk:s3:deleteObjects",
            r#""Parameters": {"Bucket": "b", "Delete": {"Objects": [["a"]]}}"#,
        );
        let got = found(&text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(
            got[0].contains("takes an object for `Objects[0]`"),
            "{got:#?}"
        );
        // A structure given an array, anchored at its bracket.
        let diags = analyze(
            &task(
                "arn:aws:states:::aws-sdk:s3:deleteObjects",
                r#""Parameters": {"Bucket": "b", "Delete": [1, 2]}"#,
            ),
            Dialect::Json,
            &Options::default(),
        );
        let d = diags.iter().find(|d| d.code() == "ASL410").expect("ASL410");
        assert_eq!(u32::from(d.range.len()), 1);
    }
}
