use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a workflow variable that an `Assign` sets but that no expression of the state
    /// machine reads (`$name` in JSONata or JSONPath, in any state or nested scope).
    ///
    /// ## Why is this bad?
    /// The value is stored for nothing: variables count against the 10 MiB an execution may
    /// hold and the 256 KiB of one `Assign`. Often it is a typo of the name that is read.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Remember",
    ///   "States": {
    ///     "Remember": { "Type": "Pass", "Assign": { "orderId": "{% $states.input.id %}" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Remember",
    ///   "States": {
    ///     "Remember": { "Type": "Pass", "Assign": { "orderId": "{% $states.input.id %}" }, "Next": "Use" },
    ///     "Use": { "Type": "Pass", "Output": "{% $orderId %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Workflow variables](https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html)
    pub(crate) static META = { code: "ASL321", name: "unused-variable", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let vars = ctx.variables();
    for a in &vars.assignments {
        // Names that are not identifiers are reserved-variable's business.
        if super::reserved_variable::problem(&a.key.key).is_some()
            || asl_syntax::is_templated(&a.name)
            || vars.reads.iter().any(|r| r.name == a.name)
        {
            continue;
        }
        let state = ctx.machine.state_name(a.state);
        ctx.report(
            &META,
            a.key.key_range,
            format!(
                "state `{state}`: the variable `{}` is assigned but never read; remove it from `Assign`, or read it as `${}`",
                a.name, a.name
            ),
        );
    }
}
