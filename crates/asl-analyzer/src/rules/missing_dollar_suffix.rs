use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a payload-template key without the `.$` suffix whose value looks like a path
    /// (`$.…`, `$$.…`, `$name`) or an intrinsic call (`States.Format(…)`). AWS reports the same
    /// as the warning `NO_DOLLAR`.
    ///
    /// ## Why is this bad?
    /// Without `.$` the value is passed as the literal string `"$.orderId"` instead of the
    /// order's id: the task receives a path, not data, and usually fails far from the cause.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Notify",
    ///   "States": {
    ///     "Notify": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sns:publish",
    ///       "TimeoutSeconds": 30,
    ///       "Parameters": { "TopicArn": "arn:aws:sns:us-east-1:123456789012:orders", "Message": "$.summary" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Notify",
    ///   "States": {
    ///     "Notify": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sns:publish",
    ///       "TimeoutSeconds": 30,
    ///       "Parameters": { "TopicArn": "arn:aws:sns:us-east-1:123456789012:orders", "Message.$": "$.summary" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Payload Template](https://states-language.net/spec.html#payload-template)
    /// - [ValidateStateMachineDefinition warnings](https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html)
    pub(crate) static META = { code: "ASL303", name: "missing-dollar-suffix", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for m in ctx.template_members().iter() {
        let key = m.prop.key.as_str();
        if key.ends_with(".$") {
            continue;
        }
        let Some(value) = m.prop.value.as_str() else {
            continue;
        };
        let what = match crate::templates::evaluable(value) {
            Some("path") => "a path",
            Some(_) => "an intrinsic call",
            None => continue,
        };
        // `"id"` next to `"id.$"` is reported by invalid-template-value.
        if m.object.get(&format!("{key}.$")).is_some() {
            continue;
        }
        ctx.report(
            &META,
            m.prop.key_range,
            format!(
                "state `{}`: `{}` holds {what} but its key has no `.$`, so the text `{value}` is passed as it is; rename the key to `{key}.$` to evaluate it",
                m.state.name, m.place
            ),
        );
    }
}
