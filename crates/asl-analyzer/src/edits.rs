//! Building the edits of fixes: text that fits the text around it (its line endings, its
//! indentation, one member per line or all on one), in the syntax of the document. Rules use
//! these to attach fixes; the editor's own actions (suppressions, renames) use them too. No rule
//! knowledge here.
//!
//! The syntax is read off the container being edited, not the file name: an object or array
//! that opens with `{` or `[` is written as JSON, which is also valid YAML flow syntax; one that
//! does not is a YAML block mapping or sequence, and gets `Key: value` lines at its members'
//! column (or `- ` items at its dash's). So the same fix is right in a `.asl.json` file, in a
//! `.asl.yaml` file, and in a state machine written in place inside a CloudFormation/SAM
//! template or a Serverless Framework file. A replaced string keeps the quoting of the string it
//! replaces ([`string_at`]).

use asl_syntax::{Dialect, Node, TextRange, TextSize};

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

/// The text replacing the string at `range` of `text` (a key or a string value) by `s`, quoted
/// as that string is: a double-quoted string gets a JSON string literal (valid in JSON, JSON5
/// and YAML alike); a YAML single-quoted string, single quotes; a YAML plain scalar, a plain
/// scalar when `s` reads back as the same string, else a JSON string literal. In JSON5, a
/// single-quoted string or a bare key gets a JSON string literal.
pub(crate) fn string_at(text: &str, dialect: Dialect, range: TextRange, s: &str) -> String {
    let raw = text
        .get(usize::from(range.start())..usize::from(range.end()))
        .unwrap_or("");
    match (dialect, raw.as_bytes().first()) {
        (Dialect::Yaml, Some(b'\'')) if !s.contains(['\n', '\r']) => {
            format!("'{}'", s.replace('\'', "''"))
        }
        (Dialect::Yaml, Some(c)) if *c != b'"' && *c != b'\'' && plain_yaml(s) => s.to_owned(),
        _ => json_string(s),
    }
}

/// Whether `s` can be written as a YAML plain scalar, in block and flow context alike, and read
/// back as the string `s` (not a number, boolean, null or another type). Conservative: letters,
/// digits and `_ . - / $ @ ( )`, inner single spaces, starting with a letter, `$` or `_`.
pub(crate) fn plain_yaml(s: &str) -> bool {
    const WORDS: [&str; 11] = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan", "inf",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '$' || first == '_')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " _.-/$@()".contains(c))
        && !WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// A YAML key or string value for `s`: plain when it can be, else a JSON string literal.
fn yaml_string(s: &str) -> String {
    if plain_yaml(s) {
        s.to_owned()
    } else {
        json_string(s)
    }
}

/// A value to insert, laid out by [`add_member`] and [`insert_first_element`] like the text it
/// goes into: on one line in a one-line object, one member per line (indented one step more
/// than its container) in a multi-line one; in YAML block syntax inside a YAML block mapping.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// Written as is: JSON text that YAML reads the same (a number, `true`, `{}`, a string
    /// literal, ...).
    Raw(String),
    /// A string: a JSON string literal, or in YAML a plain scalar when it can be one.
    Str(String),
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
        Value::Str(s.to_owned())
    }

    /// Whether the value is written on one line in any layout (a scalar).
    fn is_scalar(&self) -> bool {
        matches!(self, Value::Raw(_) | Value::Str(_))
    }

    /// The value on one line: `{ "A": 1, "B": [2, 3] }`.
    fn inline(&self) -> String {
        match self {
            Value::Raw(text) => text.clone(),
            Value::Str(s) => json_string(s),
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
            Value::Raw(_) | Value::Str(_) => self.inline(),
            Value::Array(items)
                if items.iter().all(Value::is_scalar) && self.inline().len() <= SHORT =>
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

impl Value {
    /// The value after `Key:` in a YAML block mapping whose keys are at column `indent`: a
    /// scalar or short list of scalars on the key's line (` 3`, ` [A, B]`), a mapping or a
    /// list of mappings on the lines below, one step in.
    fn yaml_after_key(&self, layout: &Layout, indent: &str) -> String {
        /// The longest list of scalars kept on one line.
        const SHORT: usize = 60;
        let inner = format!("{indent}{}", layout.step);
        match self {
            Value::Raw(text) => format!(" {text}"),
            Value::Str(s) => format!(" {}", yaml_string(s)),
            Value::Array(items) if items.is_empty() => " []".to_owned(),
            Value::Object(members) if members.is_empty() => " {}".to_owned(),
            Value::Array(items) if items.iter().all(Value::is_scalar) => {
                let flow = format!(
                    "[{}]",
                    items
                        .iter()
                        .map(Value::yaml_flow)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                if flow.len() <= SHORT {
                    format!(" {flow}")
                } else {
                    items
                        .iter()
                        .map(|v| format!("{}{inner}- {}", layout.newline, v.yaml_flow()))
                        .collect()
                }
            }
            Value::Array(items) => items
                .iter()
                .map(|v| format!("{}{inner}- {}", layout.newline, v.yaml_item(layout, &inner)))
                .collect(),
            Value::Object(members) => members
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}{inner}{}:{}",
                        layout.newline,
                        yaml_string(k),
                        v.yaml_after_key(layout, &inner)
                    )
                })
                .collect(),
        }
    }

    /// The value as an item of a YAML block sequence whose dashes are at column `dash`: what
    /// follows `- `. A mapping's first member is on the dash's line, the others below it.
    fn yaml_item(&self, layout: &Layout, dash: &str) -> String {
        match self {
            Value::Object(members) if !members.is_empty() => {
                let column = format!("{dash}  ");
                members
                    .iter()
                    .enumerate()
                    .map(|(i, (k, v))| {
                        let lead = if i == 0 {
                            String::new()
                        } else {
                            format!("{}{column}", layout.newline)
                        };
                        format!(
                            "{lead}{}:{}",
                            yaml_string(k),
                            v.yaml_after_key(layout, &column)
                        )
                    })
                    .collect()
            }
            Value::Array(_) | Value::Object(_) => self.inline(),
            _ => self.yaml_flow(),
        }
    }

    /// The value in YAML flow syntax, on one line.
    fn yaml_flow(&self) -> String {
        match self {
            Value::Str(s) => yaml_string(s),
            _ => self.inline(),
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
    if is_block(text, object) {
        let last = props.last()?;
        let layout = yaml_layout(text, object)?;
        let column = column_of(text, props.first()?.key_range.start());
        let at = line_end(text, last.value.range.end());
        return Some(Edit::replace(
            TextRange::empty(at),
            format!(
                "{}{column}{}:{}",
                layout.newline,
                yaml_string(key),
                value.yaml_after_key(&layout, &column)
            ),
        ));
    }
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
    if is_block(text, object) {
        let layout = yaml_layout(text, object)?;
        let column = column_of(text, first.key_range.start());
        return Some(Edit::replace(
            TextRange::empty(first.key_range.start()),
            format!(
                "{}:{}{}{column}",
                yaml_string(key),
                value.yaml_after_key(&layout, &column),
                layout.newline
            ),
        ));
    }
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
    if is_block(text, array) {
        let layout = yaml_layout(text, array)?;
        let dash = dash_of(text, first.range.start())?;
        let column = " ".repeat(usize::from(dash));
        return Some(Edit::replace(
            TextRange::empty(first.range.start()),
            format!(
                "{}{}{column}- ",
                value.yaml_item(&layout, &column),
                layout.newline
            ),
        ));
    }
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

/// Whether `node`, an object or array, is a YAML block mapping or sequence: it does not open
/// with `{` or `[` (JSON, and YAML flow collections, do).
fn is_block(text: &str, node: &Node) -> bool {
    !matches!(
        text.as_bytes().get(usize::from(node.range.start())),
        Some(b'{' | b'[')
    )
}

/// The layout of a YAML block collection: the document's line ending and an indentation step
/// of two spaces, or that of a nested block mapping of the collection's when it has one.
fn yaml_layout(text: &str, node: &Node) -> Option<Layout> {
    let nested_step = || {
        let props = node.as_object()?;
        props.iter().find_map(|p| {
            let child = p.value.as_object()?.first()?;
            if !is_block(text, &p.value) {
                return None;
            }
            let outer = column_of(text, p.key_range.start()).len();
            let inner = column_of(text, child.key_range.start()).len();
            (inner > outer).then(|| " ".repeat(inner - outer))
        })
    };
    Some(Layout {
        newline: newline(text),
        step: nested_step().unwrap_or_else(|| "  ".to_owned()),
    })
}

/// Spaces as wide as the column of `offset` on its line (a YAML key's column, which is not the
/// line's indentation when the key follows a sequence's `- `).
fn column_of(text: &str, offset: TextSize) -> String {
    let before = text.get(..usize::from(offset)).unwrap_or("");
    let line = before.rsplit(['\n', '\r']).next().unwrap_or("");
    " ".repeat(line.chars().count())
}

/// The column of the `-` introducing the block sequence item that starts at `item`.
fn dash_of(text: &str, item: TextSize) -> Option<TextSize> {
    let before = text.get(..usize::from(item))?;
    let dash = before.trim_end_matches([' ', '\t']).strip_suffix('-')?;
    let line_start = dash.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    TextSize::try_from(dash.len() - line_start).ok()
}

/// Where a line added after a value ending at `offset` goes: the end of that line, after any
/// trailing spaces and comment (a YAML `# ...`), so the comment stays on its line.
fn line_end(text: &str, offset: TextSize) -> TextSize {
    let start = usize::from(offset);
    let rest = text.get(start..).unwrap_or("");
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let line = rest.get(..end).unwrap_or("");
    if line.trim().is_empty() || line.trim_start().starts_with('#') {
        TextSize::try_from(start + end).unwrap_or(offset)
    } else {
        offset
    }
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

    fn yaml_root(text: &str) -> Node {
        let parse = asl_syntax::parse(text, Dialect::Yaml);
        parse.root.unwrap()
    }

    #[test]
    fn a_member_of_a_yaml_block_mapping_is_a_yaml_line_at_its_column() {
        let text = "A:\n  - Type: Task  # the task\n    Next: B\nC: 1\n";
        let root = yaml_root(text);
        let item = &root.get("A").unwrap().value.as_array().unwrap()[0];
        let edit = add_member(text, item, "Retry", &Value::Array(vec![retrier()])).unwrap();
        let fixed = apply(text, &edit);
        assert_eq!(
            fixed,
            "A:\n  - Type: Task  # the task\n    Next: B\n    Retry:\n      - ErrorEquals: [A, B]\n        MaxAttempts: 3\nC: 1\n"
        );
        assert!(asl_syntax::parse(&fixed, Dialect::Yaml).root.is_some());
        // After a trailing comment, the new line goes below it.
        let edit = add_member(text, &root, "End", &Value::raw("true")).unwrap();
        assert_eq!(
            apply(text, &edit),
            "A:\n  - Type: Task  # the task\n    Next: B\nC: 1\nEnd: true\n"
        );
        let edit = add_first_member(text, item, "Comment", &Value::string("a: b")).unwrap();
        assert_eq!(
            apply(text, &edit),
            "A:\n  - Comment: \"a: b\"\n    Type: Task  # the task\n    Next: B\nC: 1\n"
        );
    }

    #[test]
    fn an_element_of_a_yaml_block_sequence_is_a_dash_item() {
        let text = "R:\n- ErrorEquals: [States.ALL]\n";
        let root = yaml_root(text);
        let array = &root.get("R").unwrap().value;
        let edit = insert_first_element(text, array, &retrier()).unwrap();
        let fixed = apply(text, &edit);
        assert_eq!(
            fixed,
            "R:\n- ErrorEquals: [A, B]\n  MaxAttempts: 3\n- ErrorEquals: [States.ALL]\n"
        );
        let parsed = yaml_root(&fixed);
        assert_eq!(parsed.get("R").unwrap().value.as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_flow_collection_in_yaml_gets_json() {
        let text = "S: {Type: Pass}\n";
        let root = yaml_root(text);
        let state = &root.get("S").unwrap().value;
        let edit = add_member(text, state, "End", &Value::raw("true")).unwrap();
        assert_eq!(apply(text, &edit), "S: {Type: Pass, \"End\": true}\n");
    }

    #[test]
    fn a_replaced_string_keeps_its_quoting() {
        let at = |text: &str, needle: &str| {
            let start = text.find(needle).unwrap();
            TextRange::new(
                TextSize::try_from(start).unwrap(),
                TextSize::try_from(start + needle.len()).unwrap(),
            )
        };
        let yaml = "Next: Shipp\nA: 'x'\nB: \"y\"\n";
        assert_eq!(
            string_at(yaml, Dialect::Yaml, at(yaml, "Shipp"), "Ship"),
            "Ship"
        );
        assert_eq!(
            string_at(yaml, Dialect::Yaml, at(yaml, "Shipp"), "Ship it: now"),
            "\"Ship it: now\""
        );
        assert_eq!(
            string_at(yaml, Dialect::Yaml, at(yaml, "Shipp"), "true"),
            "\"true\""
        );
        assert_eq!(
            string_at(yaml, Dialect::Yaml, at(yaml, "'x'"), "it's"),
            "'it''s'"
        );
        assert_eq!(
            string_at(yaml, Dialect::Yaml, at(yaml, "\"y\""), "z"),
            "\"z\""
        );
        let json5 = "{Next: 'Shipp'}";
        assert_eq!(
            string_at(json5, Dialect::Json5, at(json5, "'Shipp'"), "Ship"),
            "\"Ship\""
        );
        assert_eq!(
            string_at(json5, Dialect::Json5, at(json5, "Next"), "Next"),
            "\"Next\""
        );
        for s in [
            "123", "1.5", "null", "Yes", "-x", "a #b", "a,b", "[x]", " x", "x ", "", "*a", "a:b",
        ] {
            assert!(!plain_yaml(s), "{s:?}");
        }
        for s in [
            "Ship",
            "Lambda.ServiceException",
            "$.x",
            "States.ALL",
            "Get item (v2)",
        ] {
            assert!(plain_yaml(s), "{s:?}");
        }
    }
}
