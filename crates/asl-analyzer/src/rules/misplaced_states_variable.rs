use asl_syntax::ast::{QueryLanguage, StateKind};
use asl_syntax::jsonata::parse_jsonata;
use asl_syntax::string_range;

use crate::Ctx;
use crate::jsonata_strings::body;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `$states.result` outside the `Output` and `Assign` of a Task, Map or Parallel
    /// state, `$states.errorOutput` outside a catcher's `Output` and `Assign`, and either of them
    /// in `Arguments`.
    ///
    /// ## Why is this bad?
    /// `$states.result` exists only once the work is done, and `$states.errorOutput` only while a
    /// catcher handles an error. AWS rejects a definition that reads them anywhere else.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "TimeoutSeconds": 30,
    ///       "Arguments": { "FunctionName": "work", "Payload": "{% $states.result %}" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "TimeoutSeconds": 30,
    ///       "Arguments": { "FunctionName": "work", "Payload": "{% $states.input %}" },
    ///       "Output": "{% $states.result.Payload %}",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [The $states variable](https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
    pub(crate) static META = { code: "ASL308", name: "misplaced-states-variable", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for js in ctx.jsonata_strings().iter() {
        if js.state.query_language != QueryLanguage::JsonAta {
            continue;
        }
        let Some(s) = js.node.as_str() else { continue };
        let Some((expr, offset)) = body(s) else {
            continue;
        };
        let Ok(parsed) = parse_jsonata(expr) else {
            continue;
        };
        let output_or_assign = |f: Option<&str>| matches!(f, Some("Output" | "Assign"));
        for (member, r) in parsed.states_members {
            let allowed = match member.as_str() {
                "result" => {
                    matches!(
                        js.state.kind,
                        StateKind::Task | StateKind::Map | StateKind::Parallel
                    ) && js.inner_field.is_none()
                        && output_or_assign(Some(js.field))
                }
                "errorOutput" => js.field == "Catch" && output_or_assign(js.inner_field),
                _ => continue,
            };
            if allowed {
                continue;
            }
            let hint = if member == "result" {
                "it exists only in the `Output` and `Assign` of a Task, Map or Parallel state"
            } else {
                "it exists only in a catcher's `Output` and `Assign`"
            };
            ctx.report(
                &META,
                string_range(ctx.text, js.node, r.start + offset..r.end + offset),
                format!(
                    "state `{}`: `{}` reads `$states.{member}`, but {hint}",
                    js.state.name, js.place
                ),
            );
        }
    }
}
