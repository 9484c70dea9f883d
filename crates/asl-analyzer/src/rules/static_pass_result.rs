use asl_syntax::ast::StateKind;
use asl_syntax::{Node, TextRange, Value};

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports keys ending in `.$`, paths and intrinsic calls inside a Pass state's `Result`.
    /// AWS reports the same as the warning `PASS_RESULT_IS_STATIC`.
    ///
    /// ## Why is this bad?
    /// `Result` is a literal: nothing in it is evaluated, so `"id.$": "$.orderId"` produces a
    /// field named `id.$` holding the text `$.orderId`. To build the output from the input, use
    /// `Parameters` (JSONPath) or `Output` (JSONata).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Shape",
    ///   "States": {
    ///     "Shape": { "Type": "Pass", "Result": { "id.$": "$.orderId" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Shape",
    ///   "States": {
    ///     "Shape": { "Type": "Pass", "Parameters": { "id.$": "$.orderId" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Pass state](https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html)
    pub(crate) static META = { code: "ASL305", name: "static-pass-result", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        if state.kind != StateKind::Pass {
            continue;
        }
        let Some(result) = state.fields.result else {
            continue;
        };
        let mut found: Vec<(TextRange, String)> = Vec::new();
        walk(&result.value, &mut found, 0);
        for (range, what) in found {
            ctx.report(
                &META,
                range,
                format!(
                    "state `{}`: `Result` is static, so {what} is not evaluated; build the output with `Parameters` (or `Output` in JSONata)",
                    state.name
                ),
            );
        }
    }
}

fn walk(node: &Node, out: &mut Vec<(TextRange, String)>, depth: usize) {
    if depth > 200 {
        return;
    }
    match &node.value {
        Value::Object(props) => {
            for p in props {
                if p.key.ends_with(".$") {
                    out.push((p.key_range, format!("the key `{}`", p.key)));
                } else {
                    walk(&p.value, out, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, out, depth + 1);
            }
        }
        Value::String(s) => {
            if let Some(what) = crate::templates::evaluable(s) {
                out.push((node.range, format!("the {what} `{s}`")));
            }
        }
        _ => {}
    }
}
