//! The `{% ... %}` strings of a definition, with the state and the field holding each: what the
//! JSONata rules check.

use std::fmt::Write as _;

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
pub(crate) fn strings<'a>(machine: &'a Machine<'a>, text: &str) -> Vec<JsonataString<'a>> {
    let mut out = Vec::new();
    for state in &machine.states {
        for prop in state.node().as_object().unwrap_or(&[]) {
            // Nested scopes first: their text is every nested state's, so searching it for
            // each enclosing state would be quadratic in the nesting.
            if matches!(
                prop.key.as_str(),
                "ItemProcessor" | "Iterator" | "Branches" | "Comment"
            ) {
                continue;
            }
            // A member whose source has no `{%` holds no expression: skip the walk.
            let source = text.get(std::ops::Range::<usize>::from(prop.range()));
            if source.is_some_and(|s| !s.contains("{%")) {
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
    mut place: String,
    node: &'a Node,
    out: &mut Vec<JsonataString<'a>>,
    depth: usize,
) {
    walk_in(state, field, inner_field, &mut place, node, out, depth);
}

/// `place` is a buffer: each level appends its part and truncates it back.
fn walk_in<'a>(
    state: &'a State<'a>,
    field: &'a str,
    inner_field: Option<&'a str>,
    place: &mut String,
    node: &'a Node,
    out: &mut Vec<JsonataString<'a>>,
    depth: usize,
) {
    if depth > 200 {
        return;
    }
    let len = place.len();
    match &node.value {
        Value::String(s) => {
            let t = s.trim();
            if t.starts_with("{%") && t.ends_with("%}") && t.len() >= 4 {
                out.push(JsonataString {
                    state,
                    place: place.clone(),
                    field,
                    inner_field,
                    node,
                });
            }
        }
        Value::Object(props) => {
            for p in props {
                place.push('.');
                place.push_str(&p.key);
                walk_in(state, field, inner_field, place, &p.value, out, depth + 1);
                place.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let _ = write!(place, "[{i}]");
                walk_in(state, field, inner_field, place, item, out, depth + 1);
                place.truncate(len);
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
