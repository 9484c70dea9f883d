use asl_syntax::ast::{Machine, State, StateKind};

use crate::Ctx;
use crate::resource::{Resource, Task};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Distributed Map without `MaxConcurrency` (or with 0), which runs up to 10,000
    /// child executions at once, and an inline Map without it whose item processor calls a
    /// service that throttles: Lambda, DynamoDB or an HTTP API.
    ///
    /// ## Why is this bad?
    /// Fan-out is as wide as the Map allows: thousands of children, or 40 iterations at once for
    /// an inline Map, hit the function's concurrency, the table's capacity or the API's rate
    /// limit together, and the throttling errors then retry together. Set `MaxConcurrency` to
    /// what the downstream service can take.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemReader": { "Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": { "InputType": "JSON" }, "Parameters": { "Bucket": "b", "Key": "items.json" } },
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Done",
    ///         "States": { "Done": { "Type": "Succeed" } }
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
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "MaxConcurrency": 100,
    ///       "ItemReader": { "Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": { "InputType": "JSON" }, "Parameters": { "Bucket": "b", "Key": "items.json" } },
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Done",
    ///         "States": { "Done": { "Type": "Succeed" } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Distributed Map: MaxConcurrency](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html)
    /// - [Inline Map](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html)
    pub(crate) static META = { code: "ASL502", name: "unbounded-map-concurrency", level: Warning }
}

/// The first state of `scope` (and the scopes nested in it) that calls a throttled service.
fn throttled<'m>(
    machine: &'m Machine<'m>,
    state: &State<'_>,
) -> Option<(&'m State<'m>, &'static str)> {
    for &scope in &state.children {
        for s in machine.states_of(scope) {
            if let Some(task) = Task::of(s) {
                let r = &task.resource;
                let what = match r {
                    _ if r.is_lambda() => Some("Lambda"),
                    Resource::Optimized {
                        service: "dynamodb",
                        ..
                    }
                    | Resource::Sdk {
                        service: "dynamodb",
                        ..
                    } => Some("DynamoDB"),
                    _ if r.is_http() => Some("an HTTP API"),
                    _ => None,
                };
                if let Some(what) = what {
                    return Some((s, what));
                }
            }
            if !s.is_distributed_map()
                && let Some(found) = throttled(machine, s)
            {
                return Some(found);
            }
        }
    }
    None
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    for state in machine.states.iter().filter(|s| s.kind == StateKind::Map) {
        if state.fields.max_concurrency_path.is_some() {
            continue;
        }
        let unlimited = match state.fields.max_concurrency {
            None => true,
            Some(p) => p.value.as_f64() == Some(0.0),
        };
        if !unlimited {
            continue;
        }
        let at = state
            .fields
            .max_concurrency
            .map_or(state.prop.key_range, |p| p.value.range);
        if state.is_distributed_map() {
            ctx.report(
                &META,
                at,
                format!(
                    "Distributed Map `{}` has no `MaxConcurrency` limit: it runs up to 10,000 child executions at once; set `MaxConcurrency` to what the services it calls can take",
                    state.name
                ),
            );
        } else if let Some((task, what)) = throttled(machine, state) {
            ctx.report(
                &META,
                at,
                format!(
                    "Map `{}` has no `MaxConcurrency` limit and its Task `{}` calls {what}: up to 40 iterations call it at once; set `MaxConcurrency` to what it can take",
                    state.name, task.name
                ),
            );
        }
    }
}
