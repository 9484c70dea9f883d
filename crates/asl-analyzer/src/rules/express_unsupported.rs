use asl_syntax::ast::{Machine, ScopeKind, State, StateKind};

use crate::resource::{Pattern, Resource, Task};
use crate::rule::declare_rule;
use crate::{Ctx, WorkflowType};

declare_rule! {
    /// ## What it does
    /// Reports, in an Express workflow, what Express workflows do not support: `.sync` and
    /// `.waitForTaskToken` integrations, activities, Distributed Maps, and `Wait` `Seconds` or
    /// `TimeoutSeconds` beyond the five-minute limit of an Express execution.
    ///
    /// A definition does not say its type: the rule applies when `--workflow-type express` is
    /// given, and always to the item processor of a Distributed Map with
    /// `"ExecutionType": "EXPRESS"`, whose iterations run as Express child workflows.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the state machine when it is created as Express, or the Distributed
    /// Map fails when it starts its children. An Express execution lasts at most five minutes, so
    /// a longer wait or timeout can only end in `States.Timeout`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "MaxConcurrency": 100,
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///         "StartAt": "Transcode",
    ///         "States": {
    ///           "Transcode": {
    ///             "Type": "Task",
    ///             "Resource": "arn:aws:states:::ecs:runTask.sync",
    ///             "Parameters": { "Cluster": "media", "TaskDefinition": "transcode" },
    ///             "TimeoutSeconds": 240,
    ///             "End": true
    ///           }
    ///         }
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
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Transcode",
    ///         "States": {
    ///           "Transcode": {
    ///             "Type": "Task",
    ///             "Resource": "arn:aws:states:::ecs:runTask.sync",
    ///             "Parameters": { "Cluster": "media", "TaskDefinition": "transcode" },
    ///             "TimeoutSeconds": 240,
    ///             "End": true
    ///           }
    ///         }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Standard and Express workflow types](https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html)
    /// - [Integration patterns supported by Express workflows](https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html)
    pub(crate) static META = { code: "ASL403", name: "express-unsupported", level: Error }
}

/// Five minutes, the longest an Express execution runs.
const EXPRESS_LIMIT: f64 = 300.0;

/// Why `state` runs in an Express execution, if it does: "an Express workflow" or "the Express
/// children of Distributed Map `M`".
pub(crate) fn express_context(
    machine: &Machine<'_>,
    workflow: WorkflowType,
    state: &State<'_>,
) -> Option<String> {
    let mut scope = machine.scope(state.scope)?;
    loop {
        match scope.kind {
            ScopeKind::Root => break,
            ScopeKind::Branch { parent, .. } | ScopeKind::Processor { parent, .. } => {
                let parent = machine.state(parent)?;
                let express_child = matches!(scope.kind, ScopeKind::Processor { .. })
                    && parent.is_distributed_map()
                    && parent
                        .processor_config()
                        .and_then(|c| c.execution_type)
                        .and_then(|p| p.value.as_str())
                        == Some("EXPRESS");
                if express_child {
                    return Some(format!(
                        "the Express child workflows of Distributed Map `{}`",
                        parent.name
                    ));
                }
                scope = machine.scope(parent.scope)?;
            }
        }
    }
    (workflow == WorkflowType::Express).then(|| "an Express workflow".to_owned())
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    let workflow = ctx.options.workflow_type;
    if workflow == WorkflowType::Express
        && let Some(timeout) = machine
            .root_scope()
            .and_then(|s| s.fields.timeout_seconds)
            .filter(|p| p.value.as_f64().is_some_and(|t| t > EXPRESS_LIMIT))
    {
        ctx.report(
                &META,
                timeout.value.range,
                "the workflow's `TimeoutSeconds` is beyond the five minutes an Express execution may last; lower it to 300 or less, or create the state machine as Standard",
            );
    }
    for state in &machine.states {
        let Some(context) = express_context(machine, workflow, state) else {
            continue;
        };
        let name = state.name;
        match state.kind {
            StateKind::Task => {
                if let Some(task) = Task::of(state) {
                    let what = match (&task.resource, task.resource.pattern()) {
                        (Resource::Activity, _) => Some("activities".to_owned()),
                        (_, Pattern::RequestResponse) => None,
                        (_, pattern) => Some(format!("`{}`", pattern.suffix())),
                    };
                    if let Some(what) = what {
                        let at = task.pattern_range(ctx.text);
                        ctx.report(
                            &META,
                            at,
                            format!(
                                "Task `{name}` runs in {context}, which does not support {what}; use the request-response form and poll, or run it in a Standard workflow"
                            ),
                        );
                    }
                }
                for prop in [state.fields.timeout_seconds, state.fields.heartbeat_seconds]
                    .into_iter()
                    .flatten()
                {
                    if prop.value.as_f64().is_some_and(|t| t > EXPRESS_LIMIT) {
                        ctx.report(
                            &META,
                            prop.value.range,
                            format!(
                                "Task `{name}`: `{}` is beyond the five minutes an execution of {context} may last; lower it to 300 or less",
                                prop.key
                            ),
                        );
                    }
                }
            }
            StateKind::Wait => {
                if let Some(prop) = state
                    .fields
                    .seconds
                    .filter(|p| p.value.as_f64().is_some_and(|t| t > EXPRESS_LIMIT))
                {
                    ctx.report(
                        &META,
                        prop.value.range,
                        format!(
                            "Wait `{name}` waits beyond the five minutes an execution of {context} may last; wait less, or run it in a Standard workflow"
                        ),
                    );
                }
            }
            StateKind::Map if state.is_distributed_map() => {
                let at = state
                    .processor_config()
                    .and_then(|c| c.mode)
                    .map_or(state.prop.key_range, |p| p.value.range);
                ctx.report(
                    &META,
                    at,
                    format!(
                        "Map `{name}` runs in {context}, which cannot run a Distributed Map; use an inline Map (`\"Mode\": \"INLINE\"`) or run it in a Standard workflow"
                    ),
                );
            }
            _ => {}
        }
    }
}
