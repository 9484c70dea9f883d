use crate::Ctx;
use crate::rule::declare_rule;
use crate::spec::errors::{PREDEFINED_ERRORS, predefined_error};

declare_rule! {
    /// ## What it does
    /// Reports an error name starting with `States.` that is not one of the predefined errors
    /// (error names are case-sensitive), with the closest predefined name. A name that a Fail
    /// state of the machine raises is not reported.
    ///
    /// ## Why is this bad?
    /// Only Step Functions raises `States.` errors, so a misspelt one (`States.Timeouts`,
    /// `States.Taskfailed`) matches nothing: the retrier or catcher never runs.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [{ "ErrorEquals": ["States.Timeouts"], "MaxAttempts": 2 }],
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
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [{ "ErrorEquals": ["States.Timeout"], "MaxAttempts": 2 }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Error names](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL204", name: "unknown-error-name", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    // Names the machine raises itself (a Fail state's `Error`) are not misspellings.
    let raised: Vec<&str> = ctx
        .machine
        .states
        .iter()
        .filter_map(|s| s.node().get("Error").and_then(|p| p.value.as_str()))
        .collect();
    for entry in super::handlers(ctx.machine) {
        for (name, node) in &entry.errors {
            if !name.starts_with("States.")
                || predefined_error(name).is_some()
                || raised.contains(name)
            {
                continue;
            }
            let suggestion = crate::names::did_you_mean(
                name,
                PREDEFINED_ERRORS
                    .iter()
                    .map(|e| e.name)
                    .filter(|n| n.starts_with("States.")),
            );
            ctx.report(
                &META,
                node.range,
                format!(
                    "state `{}`: `{}` lists `{name}`, which is not a predefined error (names are case-sensitive){suggestion}",
                    entry.state.name, entry.place
                ),
            );
        }
    }
}
