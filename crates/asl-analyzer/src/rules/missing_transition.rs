use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Task, Pass, Wait, Parallel or Map state with neither a `Next` nor
    /// `"End": true` (including `"End": false` with no `Next`).
    ///
    /// ## Why is this bad?
    /// Every state of these types must either transition or end its scope; AWS rejects a
    /// definition where one does neither.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.save", "BooleanEquals": true, "Next": "Save" }],
    ///       "Default": "Done"
    ///     },
    ///     "Save": { "Type": "Pass" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.save", "BooleanEquals": true, "Next": "Save" }],
    ///       "Default": "Done"
    ///     },
    ///     "Save": { "Type": "Pass", "Next": "Done" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Transitions](https://states-language.net/spec.html#transition)
    pub(crate) static META = { code: "ASL102", name: "missing-transition", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        if !state.kind.takes_next() || state.fields.next.is_some() {
            continue;
        }
        match state.fields.end {
            None => {
                ctx.report(
                    &META,
                    state.prop.key_range,
                    format!(
                        "state `{}` ({}) has neither `Next` nor `\"End\": true`; add a `Next` naming the state that follows, or `\"End\": true`",
                        state.name,
                        state.kind.as_str()
                    ),
                );
            }
            Some(end) if end.value.as_bool() == Some(false) => {
                ctx.report(
                    &META,
                    end.value.range,
                    format!(
                        "state `{}` has `\"End\": false` and no `Next`, so it neither ends nor transitions; set `\"End\": true` or replace it with a `Next`",
                        state.name
                    ),
                );
            }
            // `"End": true` ends the state; any other value is reported as an invalid value.
            Some(_) => {}
        }
    }
}
