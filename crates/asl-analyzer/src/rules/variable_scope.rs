use asl_syntax::string_range;

use crate::Ctx;
use crate::rule::declare_rule;
use crate::variables::visible_scopes;

declare_rule! {
    /// ## What it does
    /// Reports three breaches of variable scoping: a nested scope (a Parallel branch, a Map
    /// processor) that assigns a name an enclosing scope assigns; a Distributed Map processor
    /// that reads a variable of the scopes around it; a state that reads a variable assigned
    /// only in another branch or processor, which it cannot see.
    ///
    /// ## Why is this bad?
    /// Names must be unique across nesting levels, and AWS rejects a nested `Assign` of an
    /// outer name. A Distributed Map runs each item as a child execution, which sees no outer
    /// variable, and sibling branches never see each other's: such a read fails at run time.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Init",
    ///   "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "count": 0 }, "Next": "Each" },
    ///     "Each": {
    ///       "Type": "Map",
    ///       "Items": "{% $states.input.items %}",
    ///       "ItemProcessor": {
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "Assign": { "count": "{% $count + 1 %}" }, "End": true } }
    ///       },
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
    ///   "StartAt": "Init",
    ///   "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "count": 0 }, "Next": "Each" },
    ///     "Each": {
    ///       "Type": "Map",
    ///       "Items": "{% $states.input.items %}",
    ///       "ItemProcessor": {
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "Output": "{% $count + 1 %}", "End": true } }
    ///       },
    ///       "Assign": { "count": "{% $count + $count($states.result) %}" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Variable scope](https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html)
    pub(crate) static META = { code: "ASL322", name: "variable-scope", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let vars = ctx.variables();
    let machine = ctx.machine;
    let scope_of = |id| machine.state(id).map(|s| s.scope);
    // A nested Assign of a name an enclosing scope assigns.
    for a in &vars.assignments {
        let Some(scope) = scope_of(a.state) else {
            continue;
        };
        let (visible, _) = visible_scopes(machine, scope);
        let outer = vars.assignments.iter().find(|b| {
            b.name == a.name
                && scope_of(b.state).is_some_and(|s| s != scope && visible.contains(&s))
        });
        if let Some(outer) = outer {
            ctx.report(
                &META,
                a.key.key_range,
                format!(
                    "state `{}`: assigns `{}`, which `{}` of an enclosing scope already assigns; names must be unique across nesting levels: rename one",
                    machine.state_name(a.state),
                    a.name,
                    machine.state_name(outer.state)
                ),
            )
            .label(outer.key.key_range, "assigned in the enclosing scope here");
        }
    }
    // Reads of variables this state cannot see.
    for read in &vars.reads {
        let Some(scope) = scope_of(read.state) else {
            continue;
        };
        let (visible, cut) = visible_scopes(machine, scope);
        let mine = vars.assignments.iter().any(|a| {
            a.name == read.name && scope_of(a.state).is_some_and(|s| visible.contains(&s))
        });
        if mine {
            continue;
        }
        let Some(elsewhere) = vars.assignments.iter().find(|a| a.name == read.name) else {
            continue; // assigned nowhere: undefined-variable reports it
        };
        let state = machine.state_name(read.state);
        let why = if cut {
            "this state runs in a Distributed Map, whose child executions see no outer variable; pass the value in `ItemSelector`"
        } else {
            "it is assigned only in another branch or processor, which this state cannot see; return the value through that scope's output"
        };
        ctx.report(
            &META,
            string_range(ctx.text, read.node, read.range.clone()),
            format!(
                "state `{state}`: `{}` reads `${}`, but {why}",
                read.place, read.name
            ),
        )
        .label(elsewhere.key.key_range, "assigned here");
    }
}
