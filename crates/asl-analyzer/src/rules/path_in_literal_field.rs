use asl_syntax::ast::QueryLanguage;
use asl_syntax::{Node, Property};

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a path (`$.…`, `$$.…`, `$name`) or an intrinsic call written in a field that
    /// takes a literal string: a Fail state's `Error` and `Cause`, a Task's `Resource`, the
    /// `Resource` of `ItemReader` and `ResultWriter`, a Map's `Label`. AWS reports the same as the warning `NO_PATH`.
    ///
    /// ## Why is this bad?
    /// These fields are not evaluated: the text `$.errorCode` becomes the error name itself.
    /// The evaluated forms are separate fields (`ErrorPath`, `CausePath`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Reject",
    ///   "States": {
    ///     "Reject": { "Type": "Fail", "Error": "$.errorCode", "Cause": "the order was refused" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Reject",
    ///   "States": {
    ///     "Reject": { "Type": "Fail", "ErrorPath": "$.errorCode", "Cause": "the order was refused" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Fail state](https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html)
    /// - [ValidateStateMachineDefinition warnings](https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html)
    pub(crate) static META = { code: "ASL304", name: "path-in-literal-field", level: Warning }
}

/// A string that starts like a path or an intrinsic call (cheap test before any allocation).
fn suspicious(prop: &Property) -> bool {
    prop.value
        .as_str()
        .is_some_and(|s| s.starts_with('$') || s.starts_with("States."))
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let node = state.node();
        let mut fields: Vec<(String, &Property, &str)> = Vec::new();
        for (field, instead) in [
            (
                "Error",
                "use `ErrorPath` to read the error name from the input",
            ),
            ("Cause", "use `CausePath` to read the cause from the input"),
            (
                "Resource",
                "a Resource must be a constant ARN; pass the varying part in `Parameters`",
            ),
            ("Label", "a Label must be a constant"),
        ] {
            if let Some(p) = node.get(field).filter(|p| suspicious(p)) {
                fields.push((field.to_owned(), p, instead));
            }
        }
        let nested = |holder: &str, field: &'static str| -> Option<(String, &Property)> {
            let h: &Node = &node.get(holder)?.value;
            let p = h.get(field).filter(|p| suspicious(p))?;
            Some((format!("{holder}.{field}"), p))
        };
        // (`Credentials.RoleArn` is a payload template: missing-dollar-suffix covers it.)
        for (place, p) in [
            nested("ItemReader", "Resource"),
            nested("ResultWriter", "Resource"),
        ]
        .into_iter()
        .flatten()
        {
            fields.push((place, p, "a Resource must be a constant ARN"));
        }
        for (place, prop, instead) in fields {
            let Some(value) = prop.value.as_str() else {
                continue;
            };
            let Some(what) = crate::templates::evaluable(value) else {
                continue;
            };
            ctx.report(
                &META,
                prop.value.range,
                format!(
                    "state `{}`: `{place}` takes a literal, so the {what} `{value}` is not evaluated; {instead}",
                    state.name
                ),
            );
        }
    }
}
