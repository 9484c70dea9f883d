//! Building the edits of fixes: JSON text that fits the text around it (its line endings, its
//! indentation, one member per line or all on one). Rules use these to attach fixes; the
//! editor's own actions (suppressions, renames) use them too. No rule knowledge here.

use asl_syntax::{Node, TextRange, TextSize};

use crate::diagnostic::Edit;

/// `s` as a JSON string literal, quotes included.
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON value to insert, laid out by [`add_member`] and [`insert_element`] like the text it
/// goes into: on one line in a one-line object, one member per line (indented one step more
/// than its container) in a multi-line one.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// Written as is (a number, `true`, a string literal, ...).
    Raw(String),
    /// `{"Key": value, ...}`.
    Object(Vec<(&'static str, Value)>),
    /// `[value, ...]`; an array of raw values stays on one line.
    Array(Vec<Value>),
}

impl Value {
    pub(crate) fn raw(text: impl Into<String>) -> Value {
        Value::Raw(text.into())
    }

    pub(crate) fn string(s: &str) -> Value {
        Value::Raw(json_string(s))
    }

    /// The value on one line: `{ "A": 1, "B": [2, 3] }`.
    fn inline(&self) -> String {
        match self {
            Value::Raw(text) => text.clone(),
            Value::Object(members) => {
                let parts: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{}: {}", json_string(k), v.inline()))
                    .collect();
                format!("{{ {} }}", parts.join(", "))
            }
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(Value::inline).collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }

    /// The value over several lines, its first line where it is inserted, the following ones
    /// indented from `indent` by `step`. Short arrays of raw values stay on one line.
    fn block(&self, layout: &Layout, indent: &str) -> String {
        /// The longest array of raw values kept on one line.
        const SHORT: usize = 60;
        let inner = format!("{indent}{}", layout.step);
        match self {
            Value::Raw(_) => self.inline(),
            Value::Array(items)
                if items.iter().all(|v| matches!(v, Value::Raw(_)))
                    && self.inline().len() <= SHORT =>
            {
                self.inline()
            }
            Value::Object(members) => {
                let parts: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{inner}{}: {}", json_string(k), v.block(layout, &inner)))
                    .collect();
                let sep = format!(",{}", layout.newline);
                format!(
                    "{{{nl}{}{nl}{indent}}}",
                    parts.join(&sep),
                    nl = layout.newline
                )
            }
            Value::Array(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|v| format!("{inner}{}", v.block(layout, &inner)))
                    .collect();
                let sep = format!(",{}", layout.newline);
                format!(
                    "[{nl}{}{nl}{indent}]",
                    parts.join(&sep),
                    nl = layout.newline
                )
            }
        }
    }
}

/// How the text around an insertion is written.
struct Layout {
    newline: &'static str,
    /// One step of indentation: what a member is indented by more than its container's line.
    step: String,
}

impl Layout {
    fn of(text: &str, container: &Node, member_start: TextSize) -> Layout {
        let outer = indent_of(text, container.range.start());
        let inner = indent_of(text, member_start);
        let step = inner
            .strip_prefix(outer.as_str())
            .filter(|s| !s.is_empty())
            .map_or_else(|| "  ".to_owned(), str::to_owned);
        Layout {
            newline: newline(text),
            step,
        }
    }
}

/// Whether the container's first element starts on a new line (then it is laid out one
/// element per line).
fn multiline(text: &str, container: &Node, first: TextSize) -> bool {
    text.get(usize::from(container.range.start())..usize::from(first))
        .is_some_and(|gap| gap.contains('\n'))
}

/// An edit adding `"key": value` as the last member of `object`, laid out like its other
/// members (one per line, or all on one line).
pub(crate) fn add_member(text: &str, object: &Node, key: &str, value: &Value) -> Option<Edit> {
    let props = object.as_object()?;
    let Some(last) = props.last() else {
        return Some(Edit::replace(
            TextRange::empty(object.range.start() + TextSize::from(1)),
            format!(" {}: {} ", json_string(key), value.inline()),
        ));
    };
    let first = props.first()?;
    let new_text = if multiline(text, object, first.key_range.start()) {
        let layout = Layout::of(text, object, first.key_range.start());
        let indent = indent_of(text, last.key_range.start());
        format!(
            ",{}{indent}{}: {}",
            layout.newline,
            json_string(key),
            value.block(&layout, &indent)
        )
    } else {
        format!(", {}: {}", json_string(key), value.inline())
    };
    Some(Edit::replace(
        TextRange::empty(last.value.range.end()),
        new_text,
    ))
}

/// An edit adding `"key": value` as the first member of `object`.
pub(crate) fn add_first_member(
    text: &str,
    object: &Node,
    key: &str,
    value: &Value,
) -> Option<Edit> {
    let props = object.as_object()?;
    let Some(first) = props.first() else {
        return add_member(text, object, key, value);
    };
    let new_text = if multiline(text, object, first.key_range.start()) {
        let layout = Layout::of(text, object, first.key_range.start());
        let indent = indent_of(text, first.key_range.start());
        format!(
            "{}: {},{}{indent}",
            json_string(key),
            value.block(&layout, &indent),
            layout.newline
        )
    } else {
        format!("{}: {}, ", json_string(key), value.inline())
    };
    Some(Edit::replace(
        TextRange::empty(first.key_range.start()),
        new_text,
    ))
}

/// An edit inserting `value` as the first element of `array`, laid out like its elements.
pub(crate) fn insert_first_element(text: &str, array: &Node, value: &Value) -> Option<Edit> {
    let items = array.as_array()?;
    let Some(first) = items.first() else {
        return Some(Edit::replace(array.range, format!("[{}]", value.inline())));
    };
    let new_text = if multiline(text, array, first.range.start()) {
        let layout = Layout::of(text, array, first.range.start());
        let indent = indent_of(text, first.range.start());
        format!(
            "{},{}{indent}",
            value.block(&layout, &indent),
            layout.newline
        )
    } else {
        format!("{}, ", value.inline())
    };
    Some(Edit::replace(
        TextRange::empty(first.range.start()),
        new_text,
    ))
}

/// The line ending of `text`: that of its first line, CRLF or LF (an added line must not mix
/// them). Only the first line is read: a file's line endings are one kind or a mistake, and a
/// Task's fix on a 20 MB file must not scan it whole (as it did, once per fix).
pub(crate) fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// The whitespace at the start of the line holding `offset`.
pub(crate) fn indent_of(text: &str, offset: TextSize) -> String {
    let before = text.get(..usize::from(offset)).unwrap_or("");
    let line = before.rsplit(['\n', '\r']).next().unwrap_or("");
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl_syntax::Dialect;

    fn apply(text: &str, edit: &Edit) -> String {
        let mut out = text.to_owned();
        out.replace_range(std::ops::Range::<usize>::from(edit.range), &edit.new_text);
        out
    }

    fn retrier() -> Value {
        Value::Object(vec![
            (
                "ErrorEquals",
                Value::Array(vec![Value::string("A"), Value::string("B")]),
            ),
            ("MaxAttempts", Value::raw("3")),
        ])
    }

    #[test]
    fn a_member_is_laid_out_like_its_neighbours() {
        let text = "{\n    \"A\": {\n        \"Type\": \"Pass\"\n    }\n}";
        let parse = asl_syntax::parse(text, Dialect::Json);
        let root = parse.root.unwrap();
        let state = &root.get("A").unwrap().value;
        let edit = add_member(text, state, "Retry", &Value::Array(vec![retrier()])).unwrap();
        assert_eq!(
            apply(text, &edit),
            "{\n    \"A\": {\n        \"Type\": \"Pass\",\n        \"Retry\": [\n            {\n                \"ErrorEquals\": [\"A\", \"B\"],\n                \"MaxAttempts\": 3\n            }\n        ]\n    }\n}"
        );
        let one_line = r#"{"A": {"Type": "Pass"}}"#;
        let parse = asl_syntax::parse(one_line, Dialect::Json);
        let root = parse.root.unwrap();
        let state = &root.get("A").unwrap().value;
        let edit = add_member(one_line, state, "Retry", &Value::Array(vec![retrier()])).unwrap();
        assert_eq!(
            apply(one_line, &edit),
            r#"{"A": {"Type": "Pass", "Retry": [{ "ErrorEquals": ["A", "B"], "MaxAttempts": 3 }]}}"#
        );
    }

    #[test]
    fn an_element_goes_first_in_the_layout_of_the_array() {
        let text = "{\"R\": [\n\t{\"ErrorEquals\": [\"States.ALL\"]}\n]}";
        let parse = asl_syntax::parse(text, Dialect::Json);
        let root = parse.root.unwrap();
        let array = &root.get("R").unwrap().value;
        let edit = insert_first_element(text, array, &retrier()).unwrap();
        assert_eq!(
            apply(text, &edit),
            "{\"R\": [\n\t{\n\t\t\"ErrorEquals\": [\"A\", \"B\"],\n\t\t\"MaxAttempts\": 3\n\t},\n\t{\"ErrorEquals\": [\"States.ALL\"]}\n]}"
        );
    }
}
