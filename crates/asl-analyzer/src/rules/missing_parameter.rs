use asl_aws::{Member, Shape};
use asl_syntax::{TextRange, TextSize};

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::{Value, add_member, json_string};
use crate::names::closest;
use crate::nodes::brace;
use crate::rule::declare_rule;
use crate::sdk_input::{Object, SdkCall, filled_in_later, member_for, sfn_name};

declare_rule! {
    /// ## What it does
    /// Reports a required input member of the API a Task calls (aws-sdk, or an optimized
    /// integration taking its API's request, as `unknown-parameter` says) that its `Parameters`
    /// (JSONPath) or `Arguments` (JSONata) does not set: `Key` for `aws-sdk:s3:getObject` given
    /// only `Bucket`. Any key that names the member counts, whatever its value: a literal, a
    /// path (`Key.$`), an intrinsic, a JSONata expression, a `${}` placeholder or a
    /// CloudFormation intrinsic; only absence is reported. Nested literal objects are checked as
    /// deep as the AWS model's structures go (`aws-sdk:s3:deleteObjects` needs `Objects` in
    /// `Delete`, and `Key` in each of them); a union (a structure of which exactly one member is
    /// set) requires none. A Task with no `Parameters`/`Arguments` at all is not reported: it
    /// sends its input as the request, which an earlier state may have built. A member that a misspelt
    /// key is closest to (`Kee` for `Key`) is left to `unknown-parameter`, which suggests it.
    ///
    /// Member names are written as Step Functions spells them (PascalCase, `EqualsValue`), and
    /// matched as `unknown-parameter` matches them (a key that matches a member but for case
    /// sets it). Which members are required comes from botocore's model (`asl-aws`), less the
    /// idempotency tokens that the AWS SDKs fill in.
    ///
    /// Not checked: a payload that is one value (a JSONata expression, a path, a CloudFormation
    /// intrinsic), an object with a templated key (`${Key}`, `<Key>`, `{Key}`, which may be the
    /// missing member), the services, actions and optimized integrations `unknown-parameter`
    /// does not check.
    ///
    /// The fix, offered in the editor only, adds the missing members with placeholder values
    /// of their type (`""`, `0`, `false`, `[]`, `{}`) to be filled in.
    ///
    /// ## Why is this bad?
    /// The API rejects a call without a required member: the state fails with a validation
    /// error each time it runs, after everything before it has run. It is a warning, not an
    /// error: neither the developer guide nor any AWS-recorded LocalStack test of the corpus
    /// shows Step Functions rejecting a missing SDK parameter when the state machine is
    /// created, the model may require a member that Step Functions fills in itself, and a Task
    /// without `Parameters` passes its input to the API, which may hold the member.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Fetch",
    ///   "States": {
    ///     "Fetch": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///       "Parameters": { "Bucket": "reports" },
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
    /// - [AWS SDK service integrations](https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html): "API naming conventions"
    /// - [Passing parameters to a service API](https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html)
    /// - botocore's service models (the `asl-aws` crate), for each API's required input members
    pub(crate) static META = { code: "ASL409", name: "missing-parameter", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for call in ctx.sdk_calls().iter() {
        // Without a payload, the state's input is the request: built upstream, perhaps, and
        // not known here.
        for object in call.objects() {
            let missing = missing(&object);
            if !missing.is_empty() {
                report(ctx, call, &object, &missing);
            }
        }
    }
}

/// The required members of `object`'s structure that none of its keys sets; none when a key is
/// templated (it may stand for any of them). A member that a misspelt key is closest to (the
/// one `unknown-parameter` suggests for it) is taken as meant by that key, and left to that rule.
fn missing<'s>(object: &Object<'_, 's>) -> Vec<&'s Member> {
    let Shape::Structure { members } = object.shape else {
        return Vec::new();
    };
    let props = object.node.as_object().unwrap_or(&[]);
    if props.iter().any(|p| filled_in_later(&p.key)) {
        return Vec::new();
    }
    let names: Vec<String> = members.iter().map(sfn_name).collect();
    let meant: Vec<&str> = props
        .iter()
        .filter(|p| member_for(object.shape, &p.key).is_none())
        .filter_map(|p| {
            let key = p.key.strip_suffix(".$").unwrap_or(&p.key);
            closest(key, names.iter().map(String::as_str))
        })
        .collect();
    members
        .iter()
        .zip(&names)
        .filter(|(m, name)| m.required && !meant.contains(&name.as_str()))
        .filter(|(m, _)| {
            !props
                .iter()
                .any(|p| member_for(object.shape, &p.key).is_some_and(|set| std::ptr::eq(set, *m)))
        })
        .map(|(m, _)| m)
        .collect()
}

/// `` `A` ``, `` `A` and `B` ``, `` `A`, `B` and `C` ``.
fn listed(members: &[&Member]) -> String {
    let names: Vec<String> = members
        .iter()
        .map(|m| format!("`{}`", sfn_name(m)))
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

fn pronoun(members: &[&Member]) -> &'static str {
    if members.len() == 1 { "it" } else { "them" }
}

/// A value of `shape`'s type to be replaced by the author.
fn placeholder(call: &SdkCall<'_, '_>, member: &Member) -> &'static str {
    match call.model.resolve(&member.shape) {
        Some(Shape::Integer | Shape::Long | Shape::Float | Shape::Double) => "0",
        Some(Shape::Boolean) => "false",
        Some(Shape::List { .. }) => "[]",
        Some(
            Shape::Structure { .. } | Shape::Union { .. } | Shape::Map { .. } | Shape::Document,
        ) => "{}",
        _ => "\"\"",
    }
}

/// `"A": "", "B": 0`.
fn members_text(call: &SdkCall<'_, '_>, members: &[&Member]) -> Vec<(String, &'static str)> {
    members
        .iter()
        .map(|m| (sfn_name(m), placeholder(call, m)))
        .collect()
}

fn fix_title(members: &[&Member]) -> String {
    format!("Add {} with placeholder values", listed(members))
}

fn report(ctx: &mut Ctx, call: &SdkCall<'_, '_>, object: &Object<'_, '_>, missing: &[&Member]) {
    let state = call.task.state.name;
    let message = format!(
        "Task `{state}`: {} needs {} in `{}`; add {}",
        call.label,
        listed(missing),
        object.place,
        pronoun(missing)
    );
    let range = object
        .key_range
        .unwrap_or_else(|| brace(ctx.text, object.node));
    let fix = add_members(ctx.text, call, object, missing)
        .map(|edit| Fix::new(fix_title(missing), Applicability::Manual, edit));
    let d = ctx.report(&META, range, message);
    if let Some(fix) = fix {
        d.with_fix(fix);
    }
}

/// One edit adding each of `missing` as the last members of the object.
fn add_members(
    text: &str,
    call: &SdkCall<'_, '_>,
    object: &Object<'_, '_>,
    missing: &[&Member],
) -> Option<Edit> {
    let added = members_text(call, missing);
    let props = object.node.as_object()?;
    if props.is_empty() {
        let parts: Vec<String> = added
            .iter()
            .map(|(k, v)| format!("{}: {v}", json_string(k)))
            .collect();
        return Some(Edit::replace(
            TextRange::empty(object.node.range.start() + TextSize::from(1)),
            format!(" {} ", parts.join(", ")),
        ));
    }
    // Each insertion goes after the same last member, so their texts follow one another.
    let mut edit: Option<Edit> = None;
    for (key, value) in &added {
        let one = add_member(text, object.node, key, &Value::raw(*value))?;
        match &mut edit {
            Some(e) => e.new_text.push_str(&one.new_text),
            None => edit = Some(one),
        }
    }
    edit
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn found(text: &str) -> Vec<String> {
        analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL409")
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect()
    }

    fn task(resource: &str, payload: &str) -> String {
        format!(
            r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{resource}",
                {payload}"TimeoutSeconds": 5, "End": true}}}}}}"#
        )
    }

    fn apply_fix(text: &str) -> String {
        let diags = analyze(text, Dialect::Json, &Options::default());
        let d = diags.iter().find(|d| d.code() == "ASL409").expect("ASL409");
        let fix = d.fixes.first().expect("a fix");
        let mut out = text.to_owned();
        for edit in fix.edits.iter().rev() {
            out.replace_range(std::ops::Range::<usize>::from(edit.range), &edit.new_text);
        }
        out
    }

    #[test]
    fn the_issue_example() {
        let text = task(
            "arn:aws:states:::aws-sdk:s3:getObject",
            r#""Parameters": {"Bucket": "b"}, "#,
        );
        assert_eq!(
            found(&text),
            [
                "/States/T/Parameters Task `T`: `aws-sdk:s3:getObject` needs `Key` in `Parameters`; add it"
            ]
        );
        let fixed = apply_fix(&text);
        assert!(
            fixed.contains(r#""Parameters": {"Bucket": "b", "Key": ""}"#),
            "{fixed}"
        );
        // Set by a path, by JSONata, by a CloudFormation intrinsic, in another case.
        for payload in [
            r#""Parameters": {"Bucket": "b", "Key.$": "$.k"}, "#,
            r#""QueryLanguage": "JSONata", "Arguments": {"Bucket": "b", "Key": "{% $states.input.k %}"}, "#,
            r#""Parameters": {"Bucket": "b", "Key": {"Ref": "K"}}, "#,
            r#""Parameters": {"Bucket": "b", "key": "${K}"}, "#,
            r#""Parameters": {"Bucket": "b", "Key": null}, "#,
            // Misspelt: `unknown-parameter` reports it, suggesting `Key`.
            r#""Parameters": {"Bucket": "b", "Kee": "k"}, "#,
        ] {
            let text = task("arn:aws:states:::aws-sdk:s3:getObject", payload);
            assert!(found(&text).is_empty(), "{payload}: {:#?}", found(&text));
        }
    }

    #[test]
    fn map_values_of_structures() {
        // SNS message attributes need a `DataType`.
        let text = task(
            "arn:aws:states:::sns:publish",
            r#""Parameters": {"TopicArn": "t", "Message": "m", "MessageAttributes": {"kind": {"StringValue": "x"}}}, "#,
        );
        let got = found(&text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(
            got[0].contains("needs `DataType` in `Parameters.MessageAttributes.kind`"),
            "{got:#?}"
        );
    }

    #[test]
    fn opaque_and_templated_payloads_are_not_checked() {
        for payload in [
            r#""QueryLanguage": "JSONata", "Arguments": "{% $states.input %}", "#,
            r#""Parameters": {"Fn::If": ["C", {"Bucket": "b"}, {"Bucket": "c"}]}, "#,
            r#""Parameters": {"Bucket": "b", "${Extra}": "k"}, "#,
        ] {
            let text = task("arn:aws:states:::aws-sdk:s3:getObject", payload);
            assert!(found(&text).is_empty(), "{payload}: {:#?}", found(&text));
        }
    }

    #[test]
    fn nested_objects_and_list_elements() {
        let text = task(
            "arn:aws:states:::aws-sdk:s3:deleteObjects",
            r#""Parameters": {"Bucket": "b", "Delete": {"Quiet": true}}, "#,
        );
        assert_eq!(
            found(&text),
            [
                "/States/T/Parameters/Delete Task `T`: `aws-sdk:s3:deleteObjects` needs `Objects` in `Parameters.Delete`; add it"
            ]
        );
        assert!(apply_fix(&text).contains(r#""Quiet": true, "Objects": []"#));
        let text = task(
            "arn:aws:states:::aws-sdk:s3:deleteObjects",
            r#""Parameters": {"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, {"VersionId": "v"}]}}, "#,
        );
        let got = found(&text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(
            got[0].starts_with(
                "/States/T/Parameters/Delete/Objects/1 Task `T`: `aws-sdk:s3:deleteObjects` needs `Key` in `Parameters.Delete.Objects[1]`"
            ),
            "{got:#?}"
        );
    }

    #[test]
    fn no_payload_and_several_members() {
        // No payload: the input is the request, which may hold the members.
        for payload in ["", r#""QueryLanguage": "JSONata", "#] {
            let text = task("arn:aws:states:::aws-sdk:s3:getObject", payload);
            assert!(found(&text).is_empty(), "{:#?}", found(&text));
        }
        let text = task(
            "arn:aws:states:::aws-sdk:s3:getObject",
            r#""Parameters": {}, "#,
        );
        let got = found(&text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(got[0].contains("needs `Bucket` and `Key`"), "{got:#?}");
        // Multi-line layout of the fix.
        let text = "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\",\n  \"Resource\": \"arn:aws:states:::aws-sdk:s3:getObject\",\n  \"Parameters\": {\n    \"Bucket\": \"b\"\n  },\n  \"End\": true}}}";
        let fixed = apply_fix(text);
        assert!(
            fixed.contains("\"Parameters\": {\n    \"Bucket\": \"b\",\n    \"Key\": \"\"\n  }"),
            "{fixed}"
        );
    }

    #[test]
    fn an_empty_object_gets_every_member() {
        let text = task(
            "arn:aws:states:::aws-sdk:s3:getObject",
            r#""Parameters": {}, "#,
        );
        let fixed = apply_fix(&text);
        assert!(
            fixed.contains(r#""Parameters": { "Bucket": "", "Key": "" }"#),
            "{fixed}"
        );
    }
}
