use asl_syntax::ast::{ChoiceRule, QueryLanguage, StateKind};
use asl_syntax::{Node, string_range};

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `$$.Map.Item` (the context object's `Index`, `Key`, `Value` and `Source` of a Map
    /// iteration) anywhere but a Map state's `ItemSelector` (or its deprecated `Parameters`):
    /// in the states of the item processor, in other fields of the Map, or in any other state.
    ///
    /// ## Why is this bad?
    /// `$$.Map.Item` exists only while the Map builds each item's input. Elsewhere the path
    /// matches nothing, and the state fails with `States.Runtime` or
    /// `States.ParameterPathFailure`. Pass what the iteration needs through `ItemSelector`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "ItemProcessor": {
    ///         "StartAt": "Work",
    ///         "States": {
    ///           "Work": { "Type": "Pass", "Parameters": { "index.$": "$$.Map.Item.Index" }, "End": true }
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
    ///       "ItemSelector": { "index.$": "$$.Map.Item.Index", "item.$": "$$.Map.Item.Value" },
    ///       "ItemProcessor": {
    ///         "StartAt": "Work",
    ///         "States": {
    ///           "Work": { "Type": "Pass", "Parameters": { "index.$": "$.index" }, "End": true }
    ///         }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Context object: Map state](https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html)
    pub(crate) static META = { code: "ASL310", name: "map-context-outside-selector", level: Warning }
}

const NEEDLE: &str = "$$.Map.Item";

pub(crate) fn check(ctx: &mut Ctx) {
    let mut hits: Vec<(String, String, &Node)> = Vec::new();
    for m in ctx.template_members().iter() {
        if !m.prop.key.ends_with(".$") {
            continue;
        }
        let in_selector = m.state.kind == StateKind::Map
            && (m.place.starts_with("ItemSelector.") || m.place.starts_with("Parameters."));
        if !in_selector && mentions(&m.prop.value) {
            hits.push((m.state.name.to_owned(), m.place.clone(), &m.prop.value));
        }
    }
    for state in &ctx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        for field in ["InputPath", "OutputPath", "ItemsPath"] {
            if let Some(p) = state.node().get(field)
                && mentions(&p.value)
            {
                hits.push((state.name.to_owned(), field.to_owned(), &p.value));
            }
        }
        for (i, rule) in state.choices.iter().enumerate() {
            rule_paths(rule, &format!("Choices[{i}]"), state.name, &mut hits);
        }
    }
    for (state, place, node) in hits {
        let Some(at) = node.as_str().and_then(|s| s.find(NEEDLE)) else {
            continue;
        };
        ctx.report(
            &META,
            string_range(ctx.text, node, at..at + NEEDLE.len()),
            format!(
                "state `{state}`: `{place}` reads `$$.Map.Item`, which exists only in a Map's `ItemSelector`; select the value there and read it from the item's input"
            ),
        );
    }
}

/// True when a string value mentions `$$.Map.Item`.
fn mentions(node: &Node) -> bool {
    node.as_str().is_some_and(|s| s.contains(NEEDLE))
}

fn rule_paths<'a>(
    rule: &ChoiceRule<'a>,
    place: &str,
    state: &str,
    out: &mut Vec<(String, String, &'a Node)>,
) {
    if let Some(v) = rule.fields.variable.filter(|v| mentions(&v.value)) {
        out.push((state.to_owned(), format!("{place}.Variable"), &v.value));
    }
    for op in &rule.operators {
        if op.key.ends_with("Path") && mentions(&op.value) {
            out.push((state.to_owned(), format!("{place}.{}", op.key), &op.value));
        }
    }
    for nested in &rule.nested {
        rule_paths(nested, place, state, out);
    }
}
