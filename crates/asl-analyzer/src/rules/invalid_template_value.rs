use asl_syntax::intrinsic::looks_like_intrinsic;
use asl_syntax::is_templated;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a payload-template key ending in `.$` (in `Parameters`, `ResultSelector`,
    /// `ItemSelector`, `ItemBatcher.BatchInput`, `ItemReader`/`ResultWriter` `Parameters`,
    /// `Credentials` or a JSONPath `Assign`) whose value is neither a path (`$.…`), a context
    /// path (`$$.…`), a variable (`$name`) nor an intrinsic call (`States.…(…)`), and two keys
    /// of one object that are equal once `.$` is stripped (`"id"` and `"id.$"`).
    ///
    /// ## Why is this bad?
    /// A `.$` key asks Step Functions to evaluate its value; anything else fails validation. Two
    /// keys that become the same field make the result ambiguous, and AWS rejects them.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "TimeoutSeconds": 30,
    ///       "Parameters": { "FunctionName.$": "my-function", "Payload.$": "$" },
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
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "TimeoutSeconds": 30,
    ///       "Parameters": { "FunctionName": "my-function", "Payload.$": "$" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Payload Template](https://states-language.net/spec.html#payload-template)
    pub(crate) static META = { code: "ASL302", name: "invalid-template-value", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for m in ctx.template_members().iter() {
        let key = m.prop.key.as_str();
        let Some(base) = key.strip_suffix(".$") else {
            continue;
        };
        // The same field written twice: once literal, once evaluated.
        if m.object.get(base).is_some() {
            ctx.report(
                &META,
                m.prop.key_range,
                format!(
                    "state `{}`: `{}` and `{base}` name the same field once `.$` is stripped; keep one",
                    m.state.name, m.place
                ),
            );
        }
        let fine = match m.prop.value.as_str() {
            Some(s) => s.starts_with('$') || looks_like_intrinsic(s) || is_templated(s),
            None => {
                asl_syntax::Node::is_templated(&m.prop.value) || m.prop.value.is_cfn_intrinsic()
            }
        };
        if !fine {
            ctx.report(
                &META,
                m.prop.value.range,
                format!(
                    "state `{}`: `{}` ends in `.$`, so its value must be a path (`$.…`), a context path (`$$.…`), a variable (`$name`) or an intrinsic call (`States.…(…)`); to pass this value as it is, drop `.$` from the key",
                    m.state.name, m.place
                ),
            );
        }
    }
}
