//! The payload templates of JSONPath states (asl-spec.md §5.2): `Parameters`, `ResultSelector`,
//! `ItemSelector`, `ItemBatcher.BatchInput`, `ItemReader.Parameters`, `ResultWriter.Parameters`,
//! `Credentials`, and `Assign` (of a state, a catcher or a Choice rule). Keys ending in `.$` have
//! their value evaluated: a path, a context path, a variable or an intrinsic call. The rules on
//! template values read the members listed here.

use asl_syntax::ast::{Machine, QueryLanguage, State};
use std::fmt::Write as _;

use asl_syntax::{Node, Property, Value};

/// What a literal string would be if it were evaluated: `"intrinsic call"` for
/// `States.X(...)`, `"path"` for a well-formed path (`$.a`, `$$.b`, `$name`), else `None`. The
/// rules on evaluated text written where it is not evaluated (no `.$`, a literal field, a Pass
/// `Result`) share it.
pub(crate) fn evaluable(s: &str) -> Option<&'static str> {
    use asl_syntax::intrinsic::looks_like_intrinsic;
    use asl_syntax::jsonpath::{looks_like_path, parse_path};
    if looks_like_intrinsic(s) {
        Some("intrinsic call")
    } else if looks_like_path(s) && parse_path(s).is_ok() {
        Some("path")
    } else {
        None
    }
}

/// One member of a payload template, at any depth: a `.$` key, or a string value that starts
/// like an expression (`$`, `States.`); plain literals are not listed.
pub(crate) struct Member<'a> {
    pub state: &'a State<'a>,
    /// Where it is, for messages: `Parameters.FunctionName.$`, `Catch[0].Assign.total`.
    pub place: String,
    pub prop: &'a Property,
    /// The object holding it.
    pub object: &'a Node,
}

/// Every member of every payload template of every JSONPath state.
pub(crate) fn members<'a>(machine: &'a Machine<'a>) -> Vec<Member<'a>> {
    let mut out = Vec::new();
    for state in &machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let node = state.node();
        for field in [
            "Parameters",
            "ResultSelector",
            "ItemSelector",
            "Credentials",
            "Assign",
        ] {
            if let Some(p) = node.get(field) {
                walk(state, field.to_owned(), &p.value, 0, &mut out);
            }
        }
        for (holder, field) in [
            ("ItemBatcher", "BatchInput"),
            ("ItemReader", "Parameters"),
            ("ResultWriter", "Parameters"),
        ] {
            if let Some(p) = node.get(holder).and_then(|h| h.value.get(field)) {
                walk(state, format!("{holder}.{field}"), &p.value, 0, &mut out);
            }
        }
        for (i, catcher) in state.catchers.iter().enumerate() {
            if let Some(p) = catcher.fields.assign {
                walk(state, format!("Catch[{i}].Assign"), &p.value, 0, &mut out);
            }
        }
        for (i, rule) in state.choices.iter().enumerate() {
            if let Some(p) = rule.fields.assign {
                walk(state, format!("Choices[{i}].Assign"), &p.value, 0, &mut out);
            }
        }
    }
    out
}

/// Whether a member matters to the template rules: a `.$` key, or a string that could be an
/// expression written without `.$`. Plain literals (most of a template) are left out, so no
/// place string is built for them.
fn relevant(prop: &Property) -> bool {
    prop.key.ends_with(".$")
        || prop
            .value
            .as_str()
            .is_some_and(|s| s.starts_with('$') || s.starts_with("States."))
}

fn walk<'a>(
    state: &'a State<'a>,
    mut place: String,
    node: &'a Node,
    depth: usize,
    out: &mut Vec<Member<'a>>,
) {
    walk_in(state, &mut place, node, depth, out);
}

/// `place` is a buffer: each level appends its part and truncates it back.
fn walk_in<'a>(
    state: &'a State<'a>,
    place: &mut String,
    node: &'a Node,
    depth: usize,
    out: &mut Vec<Member<'a>>,
) {
    // Definitions nest a few levels; the parser bounds depth, this bounds the walk's own stack.
    if depth > 200 {
        return;
    }
    let len = place.len();
    match &node.value {
        Value::Object(props) => {
            for prop in props {
                place.push('.');
                place.push_str(&prop.key);
                if relevant(prop) {
                    out.push(Member {
                        state,
                        place: place.clone(),
                        prop,
                        object: node,
                    });
                }
                // The value of a `.$` key is an expression, not a template.
                if !prop.key.ends_with(".$")
                    && matches!(prop.value.value, Value::Object(_) | Value::Array(_))
                {
                    walk_in(state, place, &prop.value, depth + 1, out);
                }
                place.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if matches!(item.value, Value::Object(_) | Value::Array(_)) {
                    let _ = write!(place, "[{i}]");
                    walk_in(state, place, item, depth + 1, out);
                    place.truncate(len);
                }
            }
        }
        _ => {}
    }
}
