use asl_syntax::string_range;

use crate::Ctx;
use crate::rule::declare_rule;
use crate::variables::Owner;

declare_rule! {
    /// ## What it does
    /// Reports an expression of an `Assign` that reads a variable another key of the same
    /// `Assign` sets, and a JSONata `Output` that reads a variable the same state's `Assign`
    /// sets. (A key reading its own variable, as in `"count": "{% $count + 1 %}"`, is the usual
    /// way to update it, and is not reported.)
    ///
    /// ## Why is this bad?
    /// Every expression of a state is evaluated with the values from when the state was
    /// entered; the new values are visible from the next state on. Reading a variable next to
    /// its assignment gets the old value, which is rarely what was meant.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Start",
    ///   "States": {
    ///     "Start": { "Type": "Pass", "Assign": { "net": 0, "gross": 0 }, "Next": "Price" },
    ///     "Price": {
    ///       "Type": "Pass",
    ///       "Assign": { "net": "{% $states.input.net %}", "gross": "{% $net * 1.2 %}" },
    ///       "Next": "Use"
    ///     },
    ///     "Use": { "Type": "Pass", "Output": "{% [$net, $gross] %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Start",
    ///   "States": {
    ///     "Start": { "Type": "Pass", "Assign": { "net": 0, "gross": 0 }, "Next": "Price" },
    ///     "Price": {
    ///       "Type": "Pass",
    ///       "Assign": { "net": "{% $states.input.net %}", "gross": "{% $states.input.net * 1.2 %}" },
    ///       "Next": "Use"
    ///     },
    ///     "Use": { "Type": "Pass", "Output": "{% [$net, $gross] %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Variable evaluation order](https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html)
    pub(crate) static META = { code: "ASL324", name: "same-state-assign-read", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let vars = ctx.variables();
    for read in &vars.reads {
        let owner = match (read.in_assign, read.in_output) {
            (Some((owner, key)), _) => {
                let key_name = key.strip_suffix(".$").unwrap_or(key);
                if key_name == read.name {
                    continue;
                }
                owner
            }
            (None, true) => Owner::State,
            (None, false) => continue,
        };
        let Some(assignment) = vars
            .assignments
            .iter()
            .find(|a| a.state == read.state && a.owner == owner && a.name == read.name)
        else {
            continue;
        };
        let state = ctx.machine.state_name(read.state);
        ctx.report(
            &META,
            string_range(ctx.text, read.node, read.range.clone()),
            format!(
                "state `{state}`: `{}` reads `${}`, which this state's `Assign` also sets; it gets the value from before the state, not the new one: compute from the same inputs instead",
                read.place, read.name
            ),
        )
        .label(assignment.key.key_range, "assigned here, visible from the next state");
    }
}
