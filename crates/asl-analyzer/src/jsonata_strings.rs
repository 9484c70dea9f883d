//! The `{% ... %}` strings of a definition, with the state and the field holding each: what the
//! JSONata rules check.

use asl_syntax::ast::{Machine, State};
use asl_syntax::{Node, Value};

/// One string that is (or is meant to be) a JSONata expression.
pub(crate) struct JsonataString<'a> {
    pub state: &'a State<'a>,
    /// Where it is: `Arguments.Payload`, `Catch[0].Output`.
    pub place: String,
    /// The state-level field holding it (`Arguments`, `Output`, `Assign`, `Catch`, ...), and for
    /// catchers and rules the field inside them (`Catch[0].Output` gives `Catch`, `Output`).
    pub field: &'a str,
    pub inner_field: Option<&'a str>,
    pub node: &'a Node,
}

/// Strings whose trimmed text starts with `{%` and ends with `%}`, in every state (nested
/// scopes' states are states of their own), under any field but the nested scopes.
pub(crate) fn strings<'a>(machine: &'a Machine<'a>) -> Vec<JsonataString<'a>> {
    let mut out = Vec::new();
    for state in &machine.states {
        for prop in state.node().as_object().unwrap_or(&[]) {
            if matches!(
                prop.key.as_str(),
                "ItemProcessor" | "Iterator" | "Branches" | "Comment"
            ) {
                continue;
            }
            if matches!(prop.key.as_str(), "Catch" | "Choices") {
                for (i, item) in prop.value.as_array().unwrap_or(&[]).iter().enumerate() {
                    for inner in item.as_object().unwrap_or(&[]) {
                        let place = format!("{}[{i}].{}", prop.key, inner.key);
                        walk(
                            state,
                            &prop.key,
                            Some(&inner.key),
                            place,
                            &inner.value,
                            &mut out,
                            0,
                        );
                    }
                }
                continue;
            }
            walk(
                state,
                &prop.key,
                None,
                prop.key.clone(),
                &prop.value,
                &mut out,
                0,
            );
        }
    }
    out
}

fn walk<'a>(
    state: &'a State<'a>,
    field: &'a str,
    inner_field: Option<&'a str>,
    place: String,
    node: &'a Node,
    out: &mut Vec<JsonataString<'a>>,
    depth: usize,
) {
    if depth > 200 {
        return;
    }
    match &node.value {
        Value::String(s) => {
            let t = s.trim();
            if t.starts_with("{%") && t.ends_with("%}") && t.len() >= 4 {
                out.push(JsonataString {
                    state,
                    place,
                    field,
                    inner_field,
                    node,
                });
            }
        }
        Value::Object(props) => {
            for p in props {
                walk(
                    state,
                    field,
                    inner_field,
                    format!("{place}.{}", p.key),
                    &p.value,
                    out,
                    depth + 1,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(
                    state,
                    field,
                    inner_field,
                    format!("{place}[{i}]"),
                    item,
                    out,
                    depth + 1,
                );
            }
        }
        _ => {}
    }
}

/// The expression between the delimiters, and its offset in the string's value.
pub(crate) fn body(s: &str) -> Option<(&str, usize)> {
    let start = s.find("{%")? + 2;
    let end = s.rfind("%}")?;
    (start <= end).then(|| (s.get(start..end).unwrap_or(""), start))
}
