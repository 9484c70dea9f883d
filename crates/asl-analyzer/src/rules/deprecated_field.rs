use asl_syntax::ast::{QueryLanguage, StateKind};

use asl_syntax::Property;

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::string_at;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports the deprecated fields of the Map state: `Iterator` (now `ItemProcessor`) and
    /// `Parameters` (now `ItemSelector`).
    ///
    /// ## Why is this bad?
    /// They still work, but AWS documents them as deprecated: the new names are the ones the
    /// documentation, the console and the Distributed Map use (`ProcessorConfig` lives in
    /// `ItemProcessor`). Renaming is all it takes.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "Iterator": {
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
    /// ## References
    /// - [Map state in Inline mode](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html)
    /// - [Amazon States Language specification: Map state](https://states-language.net/spec.html)
    pub(crate) static META = { code: "ASL017", name: "deprecated-field", level: Info }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    for state in &machine.states {
        if state.kind != StateKind::Map {
            continue;
        }
        let name = state.name;
        if let Some(iterator) = state.fields.iterator {
            let fix = rename(ctx, state.node(), iterator, "ItemProcessor");
            let d = ctx.report(
                &META,
                iterator.key_range,
                format!("state `{name}`: `Iterator` is deprecated; rename it to `ItemProcessor`"),
            );
            if let Some(fix) = fix {
                d.with_fix(fix);
            }
        }
        // In a JSONata state `Parameters` is reported by wrong-query-language.
        if let Some(parameters) = state
            .fields
            .parameters
            .filter(|_| state.query_language == QueryLanguage::JsonPath)
        {
            // A `Parameters` that is not a payload template is not a valid `ItemSelector`.
            let fix = parameters
                .value
                .as_object()
                .and_then(|_| rename(ctx, state.node(), parameters, "ItemSelector"));
            let d = ctx.report(
                &META,
                parameters.key_range,
                format!(
                    "state `{name}`: `Parameters` on a Map is deprecated; rename it to `ItemSelector`"
                ),
            );
            if let Some(fix) = fix {
                d.with_fix(fix);
            }
        }
    }
}

/// Renames the field `prop` of `state` to `new`, unless the state has both (a conflict to
/// resolve by hand, not a rename).
fn rename(ctx: &Ctx, state: &asl_syntax::Node, prop: &Property, new: &str) -> Option<Fix> {
    if state.get(new).is_some() {
        return None;
    }
    Some(Fix::new(
        format!("Rename `{}` to `{new}`", prop.key),
        // AWS documents the old names as aliases of the new ones: same behaviour.
        Applicability::Safe,
        Edit::replace(
            prop.key_range,
            string_at(ctx.text, ctx.dialect, prop.key_range, new),
        ),
    ))
}
