use asl_syntax::ast::{State, StateKind};

use crate::Ctx;
use crate::rule::declare_rule;
use crate::spec::fields;

declare_rule! {
    /// ## What it does
    /// Reports the fields that only a Distributed Map takes (`ItemReader`, `ItemBatcher`,
    /// `ResultWriter`, `ToleratedFailurePercentage`, `ToleratedFailureCount` and their `Path`
    /// forms, `Label`) on a Map that runs inline, that is whose `ItemProcessor.ProcessorConfig`
    /// does not set `"Mode": "DISTRIBUTED"`.
    ///
    /// ## Why is this bad?
    /// These fields configure the child executions of a Map Run, which only exist in Distributed
    /// mode; AWS rejects them on an inline Map. Usually the `ProcessorConfig` was forgotten.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ToleratedFailurePercentage": 10,
    ///       "ItemProcessor": {
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
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
    ///       "ToleratedFailurePercentage": 10,
    ///       "MaxConcurrency": 100,
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Distributed Map state](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html)
    /// - [Map state in Inline mode](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html)
    pub(crate) static META = { code: "ASL019", name: "distributed-only-field", level: Error }
}

/// The fields only a Distributed Map takes.
const DISTRIBUTED_ONLY: &[&str] = &[
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
];

/// True when the Map certainly runs inline: no `Mode`, or `"Mode": "INLINE"`. A mode that is a
/// placeholder or not a valid value is not decided here.
fn runs_inline(state: &State<'_>) -> bool {
    match state.processor_config().and_then(|c| c.mode) {
        None => true,
        Some(mode) => mode.value.as_str() == Some("INLINE"),
    }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    for state in &machine.states {
        if state.kind != StateKind::Map || !runs_inline(state) {
            continue;
        }
        for key in DISTRIBUTED_ONLY {
            let Some(prop) = state.node().get(key) else {
                continue;
            };
            // A field of the other query language is reported by wrong-query-language.
            if !fields::state_field(key).is_some_and(|f| f.lang.allows(state.query_language)) {
                continue;
            }
            ctx.report(
                &META,
                prop.key_range,
                format!(
                    "state `{}`: `{key}` only works in a Distributed Map, but this Map runs inline; set `\"ProcessorConfig\": {{\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"}}` in its `ItemProcessor`, or remove `{key}`",
                    state.name
                ),
            );
        }
    }
}
