use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Pass state that only transitions: it has no `Result`, `Parameters`,
    /// `InputPath`, `OutputPath`, `ResultPath`, `Output` or `Assign`. Off by default: such a state
    /// can be a deliberate placeholder or a label in the diagram.
    ///
    /// ## Why is this bad?
    /// It passes its input through unchanged, yet each visit is a billed state transition and
    /// two more history events. Point the transitions that reach it at its `Next` instead.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Begin",
    ///   "States": {
    ///     "Begin": { "Type": "Pass", "Next": "Done" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Done",
    ///   "States": {
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Pass state](https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html)
    /// - [Step Functions pricing: state transitions](https://aws.amazon.com/step-functions/pricing/)
    pub(crate) static META = { code: "ASL109", name: "useless-pass", level: Off }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in ctx
        .machine
        .states
        .iter()
        .filter(|s| s.kind == StateKind::Pass)
    {
        let f = &state.fields;
        let does_something = [
            f.result,
            f.parameters,
            f.input_path,
            f.output_path,
            f.result_path,
            f.output,
            f.assign,
        ]
        .iter()
        .any(Option::is_some);
        if does_something {
            continue;
        }
        ctx.report(
            &META,
            state.prop.key_range,
            format!(
                "Pass `{}` only transitions, yet costs a state transition each time; point the transitions that reach it at its `Next` and remove it",
                state.name
            ),
        )
        .unnecessary();
    }
}
