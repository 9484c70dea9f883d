use asl_syntax::string_range;

use crate::Ctx;
use crate::rule::declare_rule;
use crate::variables::{flow, visible_scopes};

declare_rule! {
    /// ## What it does
    /// Reports a read of a workflow variable (`$name`, in JSONata or JSONPath) in a state that no
    /// path from its scope's `StartAt` reaches with the variable assigned. Assignments count from
    /// the state that makes them onwards: the state's `Assign` on `Next` and `Default`, a
    /// Choice rule's on its edge, a catcher's on its `Catch` edge; a nested scope starts with the
    /// variables assigned before its Parallel or Map state. When only some paths assign it, the
    /// finding is a warning; a JSONata expression that tests the variable with `$exists($name)`
    /// expects it may be unassigned and is not reported.
    ///
    /// ## Why is this bad?
    /// Reading a variable that has no value fails the execution at run time. The console only
    /// warns about it online; asl-lint finds it offline, before deployment.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Report",
    ///   "States": {
    ///     "Report": { "Type": "Pass", "Output": "{% $total %}", "Next": "Sum" },
    ///     "Sum": { "Type": "Pass", "Assign": { "total": "{% $sum($states.input.xs) %}" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Sum",
    ///   "States": {
    ///     "Sum": { "Type": "Pass", "Assign": { "total": "{% $sum($states.input.xs) %}" }, "Next": "Report" },
    ///     "Report": { "Type": "Pass", "Output": "{% $total %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Workflow variables](https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html)
    pub(crate) static META = { code: "ASL320", name: "undefined-variable", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let vars = ctx.variables();
    if vars.reads.is_empty() {
        return;
    }
    let flow = flow(ctx.machine, ctx.graph, &vars);
    for read in &vars.reads {
        let Some(state) = ctx.machine.state(read.state) else {
            continue;
        };
        let (visible, _) = visible_scopes(ctx.machine, state.scope);
        if visible.iter().any(|s| !ctx.graph.is_resolved(*s)) || !ctx.graph.is_reachable(state.id) {
            continue;
        }
        let (Some(Some(must)), Some(Some(may))) = (flow.must.get(state.id), flow.may.get(state.id))
        else {
            continue;
        };
        if must.contains(&read.name) {
            continue;
        }
        // `$exists($x)` in the same expression: the author expects `$x` may be unassigned.
        if read.guarded {
            continue;
        }
        // Assigned only where this state cannot see it: variable-scope reports that.
        let assigned_visible = vars.assignments.iter().any(|a| {
            a.name == read.name
                && ctx
                    .machine
                    .state(a.state)
                    .is_some_and(|s| visible.contains(&s.scope))
        });
        let assigned_anywhere = vars.assignments.iter().any(|a| a.name == read.name);
        if assigned_anywhere && !assigned_visible {
            continue;
        }
        let range = string_range(ctx.text, read.node, read.range.clone());
        let name = &read.name;
        if may.contains(name) {
            let downgrade = ctx.options.level(&META) == crate::Level::Error;
            let d = ctx.report(
                &META,
                range,
                format!(
                    "state `{}`: `{}` reads `${name}`, which only some paths to this state assign; assign it on every path (or give it a default) before `{}`",
                    state.name, read.place, state.name
                ),
            );
            if downgrade {
                d.severity(crate::Severity::Warning);
            }
        } else {
            let hint = if assigned_anywhere {
                "it is assigned only after this state runs"
            } else {
                "no state assigns it"
            };
            ctx.report(
                &META,
                range,
                format!(
                    "state `{}`: `{}` reads `${name}`, but {hint}; assign it in the `Assign` of a state that runs before `{}`",
                    state.name, read.place, state.name
                ),
            );
        }
    }
}
