//! The YAML reader (`*.asl.yaml`, `*.asl.yml`): saphyr-parser's events to the same [`Node`] tree
//! as JSON, with byte ranges into the source, so every rule and position works unchanged.
//!
//! - Plain scalars are resolved with the YAML 1.2 core schema (`null`/`~`/empty, `true`/`false`,
//!   integers in decimal, `0o` and `0x`, floats with `.inf`/`.nan`); quoted and block scalars
//!   are strings; a `!!str`, `!!int`, `!!float`, `!!bool` or `!!null` tag decides instead.
//! - Anchors and aliases: an alias is a copy of its anchored node, at the alias's position.
//! - Keys must be scalars; a non-string scalar key (`1:`) is taken as its text, as AWS's JSON
//!   would hold it.
//! - CloudFormation's short-form tags (`!Sub`, `!GetAtt`, `!Ref`, …) become the long form a JSON
//!   template would hold: `!GetAtt Fn.Arn` is read as `{"Fn::GetAtt": "Fn.Arn"}` (the key has an
//!   empty range at the value), so a template reads the same in YAML and JSON, and a definition
//!   that holds one sees a CloudFormation intrinsic, which stands for a valid value.
//! - Only the first document of a stream is read.
//! - Scanner errors become the parse error, at their position (a bad escape in a double-quoted
//!   scalar, which saphyr-parser puts at the opening quote, at the escape itself).
//! - A block scalar's range is its content, up to its last line of content (saphyr-parser's
//!   span runs on over the line breaks and indentation after it).
//!
//! saphyr-parser reports positions in characters; they are turned into byte offsets here.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use text_size::{TextRange, TextSize};

use crate::tree::{Node, Property, Value};
use crate::{Duplicate, Parse, SyntaxError, find_duplicates};

/// A quoted scalar's range ends at its closing quote: saphyr's span can run on over what
/// follows on its line (`Next: "B" ` gave `"B" `, found by fuzzing; a comment after it too).
fn quoted_scalar_end(text: &str, base: u32, range: TextRange) -> TextRange {
    let start = usize::from(range.start()).saturating_sub(base as usize);
    let end = usize::from(range.end()).saturating_sub(base as usize);
    let Some(source) = text.get(start..end) else {
        return range;
    };
    let bytes = source.as_bytes();
    let Some(&quote) = bytes.first().filter(|q| matches!(q, b'"' | b'\'')) else {
        return range;
    };
    let mut i = 1;
    while let Some(&c) = bytes.get(i) {
        if quote == b'"' && c == b'\\' {
            i += 2;
        } else if c == quote {
            // `''` is a quote inside a single-quoted scalar.
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return TextRange::at(range.start(), TextSize::from(i as u32 + 1));
        } else {
            i += 1;
        }
    }
    range
}

/// How much (in bytes of the tree, roughly: see [`weight`]) aliases may copy, beyond four
/// times the text's size. serde_yaml and yaml-rust2 bound alias expansion the same way: ten
/// levels of nine aliases are 547 bytes of text and a billion nodes.
const ALIAS_BUDGET: usize = 64_000_000;

/// About how many bytes a copy of `node` takes: a node's own size plus its strings. Iterative.
fn weight(node: &Node) -> usize {
    let mut total = 0usize;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        total = total.saturating_add(std::mem::size_of::<Node>());
        match &n.value {
            Value::Object(props) => {
                for p in props {
                    total = total.saturating_add(p.key.len() + std::mem::size_of::<Property>());
                    stack.push(&p.value);
                }
            }
            Value::Array(items) => stack.extend(items.iter()),
            Value::String(text) => total = total.saturating_add(text.len()),
            _ => {}
        }
    }
    total
}

use crate::{MAX_DEPTH, SyntaxErrorKind};

enum Frame {
    Map {
        start: u32,
        anchor: usize,
        /// The long-form key of a CloudFormation short-form tag on the mapping.
        function: Option<&'static str>,
        props: Vec<Property>,
        key: Option<(String, TextRange)>,
        /// End of the last member, for a block mapping whose end event has no extent.
        last_end: u32,
    },
    Seq {
        start: u32,
        anchor: usize,
        function: Option<&'static str>,
        items: Vec<Node>,
        last_end: u32,
    },
}

struct Builder {
    /// Byte offset of each character index, when the text is not ASCII.
    offsets: Option<Vec<u32>>,
    text_len: u32,
    base: u32,
    stack: Vec<Frame>,
    /// Each anchored node with its weight (see [`weight`]).
    anchors: HashMap<usize, (Node, usize)>,
    /// The weight aliases have copied so far, and how much they may copy.
    expanded: usize,
    budget: usize,
    root: Option<Node>,
    duplicates: Vec<Duplicate>,
}

impl Builder {
    fn byte(&self, char_index: usize) -> u32 {
        let local = match &self.offsets {
            Some(offsets) => offsets.get(char_index).copied().unwrap_or(self.text_len),
            None => u32::try_from(char_index)
                .unwrap_or(u32::MAX)
                .min(self.text_len),
        };
        local.saturating_add(self.base)
    }

    fn range(&self, span: &Span) -> TextRange {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        TextRange::new(TextSize::from(start), TextSize::from(end))
    }

    /// Adds a finished node to its parent (or makes it the root).
    fn emit(&mut self, node: Node) -> Result<(), SyntaxError> {
        let end = u32::from(node.range.end());
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq {
                items, last_end, ..
            }) => {
                *last_end = end;
                items.push(node);
            }
            Some(Frame::Map {
                props,
                key,
                last_end,
                ..
            }) => match key.take() {
                None => {
                    let text = match &node.value {
                        Value::String(s) => s.clone(),
                        Value::Number(_) | Value::Bool(_) | Value::Null => {
                            // The scalar's own text, as a JSON key would hold it.
                            scalar_text(&node)
                        }
                        Value::Object(_) | Value::Array(_) => {
                            return Err(SyntaxError {
                                range: node.range,
                                message: "invalid YAML for a state machine: a mapping key must be a plain string, not a mapping or a sequence".to_owned(),
                                kind: SyntaxErrorKind::Invalid,
                            });
                        }
                    };
                    *key = Some((text, node.range));
                }
                Some((k, key_range)) => {
                    *last_end = end;
                    props.push(Property {
                        key: k,
                        key_range,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }
}

/// The long-form key of a CloudFormation short-form tag (`!Sub` → `Fn::Sub`, `!Ref` → `Ref`).
fn cfn_function(tag: Option<&Tag>) -> Option<&'static str> {
    let tag = tag.filter(|t| t.handle == "!")?;
    Some(match tag.suffix.as_str() {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "FindInMap" => "Fn::FindInMap",
        "GetAtt" => "Fn::GetAtt",
        "GetAZs" => "Fn::GetAZs",
        "ImportValue" => "Fn::ImportValue",
        "Join" => "Fn::Join",
        "Length" => "Fn::Length",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "Sub" => "Fn::Sub",
        "ToJsonString" => "Fn::ToJsonString",
        "Transform" => "Fn::Transform",
        "And" => "Fn::And",
        "Equals" => "Fn::Equals",
        "If" => "Fn::If",
        "Not" => "Fn::Not",
        "Or" => "Fn::Or",
        _ => return None,
    })
}

/// `node` wrapped in the long form of its short-form tag, when it has one.
fn wrap(function: Option<&'static str>, node: Node) -> Node {
    match function {
        Some(key) => Node {
            range: node.range,
            value: Value::Object(vec![Property {
                key: key.to_owned(),
                key_range: TextRange::empty(node.range.start()),
                value: node,
            }]),
        },
        None => node,
    }
}

fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", *n as i64)
            } else {
                n.to_string()
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// The value of a scalar under the core schema (or its tag).
fn resolve(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) {
        match tag.suffix.as_str() {
            "str" => return Value::String(value.to_owned()),
            "null" => return Value::Null,
            "bool" => {
                if let Some(b) = bool_of(value) {
                    return Value::Bool(b);
                }
            }
            "int" | "float" => {
                if let Some(n) = number_of(value) {
                    return Value::Number(n);
                }
            }
            _ => {}
        }
    }
    if style != ScalarStyle::Plain || tag.is_some() {
        return Value::String(value.to_owned());
    }
    if matches!(value, "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = bool_of(value) {
        return Value::Bool(b);
    }
    if let Some(n) = number_of(value) {
        return Value::Number(n);
    }
    Value::String(value.to_owned())
}

/// True when `s` can be written as a YAML plain (unquoted) scalar, as a key or a value, in
/// block or flow context, and reads back as the string `s`, here and in YAML 1.1 readers
/// (where `yes`, `on` or `0755` are not strings). Conservative: a `false` only means quotes.
pub fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || first.is_ascii_digit()
        || matches!(first, '.' | '+' | '<' | '=' | '~');
    let special = s.chars().any(|c| {
        c.is_control()
            || c.is_whitespace() && c != ' '
            || matches!(c, ',' | '[' | ']' | '{' | '}' | '\u{feff}')
    });
    let yaml11 = matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "yes" | "n" | "no" | "on" | "off" | "true" | "false" | "null"
    );
    !indicator
        && !special
        && !yaml11
        && s.trim_matches(' ') == s
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && matches!(resolve(s, ScalarStyle::Plain, None), Value::String(_))
}

fn bool_of(value: &str) -> Option<bool> {
    match value {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn number_of(value: &str) -> Option<f64> {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    let negative = value.starts_with('-');
    let sign = if negative { -1.0 } else { 1.0 };
    if let Some(oct) = value.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(|n| n as f64);
    }
    if let Some(hex) = value.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|n| n as f64);
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(sign * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if value == unsigned => return Some(f64::NAN),
        _ => {}
    }
    // The core schema's int and float: digits, an optional fraction, an optional exponent.
    let digits = unsigned
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'.');
    let allowed = unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if digits && allowed && unsigned.bytes().any(|b| b.is_ascii_digit()) {
        return value.parse::<f64>().ok();
    }
    None
}

/// A block scalar's `range` without the line breaks and indentation saphyr-parser's span runs
/// on to: it ends with its last line of content (whose trailing spaces are content).
fn block_scalar_end(text: &str, base: u32, range: TextRange) -> TextRange {
    let local = |offset: TextSize| (u32::from(offset).saturating_sub(base)) as usize;
    let Some(source) = text.get(local(range.start())..local(range.end())) else {
        return range;
    };
    let mut kept = source;
    loop {
        let line = kept.trim_end_matches([' ', '\t']);
        match line.strip_suffix('\n') {
            Some(rest) => kept = rest.strip_suffix('\r').unwrap_or(rest),
            None => break,
        }
    }
    let end =
        u32::try_from(kept.len()).map_or(range.end(), |len| range.start() + TextSize::from(len));
    TextRange::new(range.start(), end)
}

/// The first escape of the double-quoted scalar opening at byte `quote` of `text` that YAML
/// does not define (an unknown letter, too few hex digits, no such character).
fn bad_escape(text: &str, quote: usize) -> Option<std::ops::Range<usize>> {
    let body = text.get(quote..)?.strip_prefix('"')?;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let (_, n) = chars.next()?;
                let digits = match n {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    '0' | 'a' | 'b' | 't' | '\t' | 'n' | 'v' | 'f' | 'r' | 'e' | ' ' | '"'
                    | '/' | '\\' | 'N' | '_' | 'L' | 'P' | '\n' | '\r' => continue,
                    _ => {
                        let start = quote + 1 + i;
                        return Some(start..start + 1 + n.len_utf8());
                    }
                };
                let start = quote + 1 + i;
                let hex = body.get(i + 2..i + 2 + digits);
                let valid = hex
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                    .is_some();
                if !valid {
                    let given = body.get(i + 2..).map_or(0, |r| {
                        r.bytes()
                            .take(digits)
                            .take_while(u8::is_ascii_hexdigit)
                            .count()
                    });
                    return Some(start..start + 2 + given);
                }
                for _ in 0..digits {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    None
}

fn error_at(builder: &Builder, char_index: usize, message: String) -> SyntaxError {
    let at = TextSize::from(builder.byte(char_index));
    SyntaxError {
        range: TextRange::empty(at),
        message,
        kind: SyntaxErrorKind::Invalid,
    }
}

/// Parses YAML `text`; byte offsets are shifted by `base` (a byte-order mark already removed).
pub(crate) fn parse(text: &str, base: u32) -> Parse {
    let offsets = (!text.is_ascii()).then(|| {
        let mut v: Vec<u32> = text
            .char_indices()
            .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        v.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        v
    });
    let mut b = Builder {
        offsets,
        text_len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        base,
        stack: Vec::new(),
        anchors: HashMap::new(),
        expanded: 0,
        budget: ALIAS_BUDGET.saturating_add(text.len().saturating_mul(4)),
        root: None,
        duplicates: Vec::new(),
    };
    // Scalars over several lines, where a line starting with `#` is text, not a comment.
    let mut multi_line: Vec<TextRange> = Vec::new();
    let failed = |error: SyntaxError| Parse {
        root: None,
        error: Some(error),
        non_standard: Vec::new(),
        duplicates: Vec::new(),
        comments: Vec::new(),
    };
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(pair) => pair,
            // saphyr-parser counts flow levels in a `u8`.
            Err(e) if e.info() == "recursion limit exceeded" => {
                let mut error = error_at(
                    &b,
                    e.marker().index(),
                    "flow collections (`[...]`, `{...}`) nested deeper than 255 levels, the most the YAML reader takes (block style has no such bound)".to_owned(),
                );
                error.kind = SyntaxErrorKind::TooDeep;
                return failed(error);
            }
            Err(e) => {
                let message = format!("invalid YAML: {}", e.info());
                let mut error = error_at(&b, e.marker().index(), message);
                // saphyr-parser puts a bad escape at the start of its string, maybe lines
                // above: the escape itself is the place.
                if e.info().starts_with("while parsing a quoted scalar") {
                    let quote = (u32::from(error.range.start()).saturating_sub(base)) as usize;
                    if let Some(at) = bad_escape(text, quote) {
                        let shift = |offset: usize| {
                            TextSize::from(u32::try_from(offset).unwrap_or(u32::MAX))
                                + TextSize::from(base)
                        };
                        error.range = TextRange::new(shift(at.start), shift(at.end));
                    }
                }
                return failed(error);
            }
        };
        let result = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    break;
                }
                Ok(())
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => Ok(()),
            Event::Alias(id) => {
                let range = b.range(&span);
                match b.anchors.get(&id) {
                    Some((_, weight)) if b.expanded.saturating_add(*weight) > b.budget => {
                        Err(SyntaxError {
                            range,
                            message: format!(
                                "invalid YAML: its aliases expand to more than {} MB (a \"billion laughs\"); write the repeated parts out, or repeat fewer of them",
                                b.budget / 1_000_000
                            ),
                            kind: SyntaxErrorKind::Invalid,
                        })
                    }
                    Some((node, weight)) => {
                        b.expanded += *weight;
                        let copy = Node {
                            range,
                            value: node.value.clone(),
                        };
                        b.emit(copy)
                    }
                    None => Err(SyntaxError {
                        range,
                        message: "invalid YAML: an alias names no anchor".to_owned(),
                        kind: SyntaxErrorKind::Invalid,
                    }),
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let function = cfn_function(tag.as_deref());
                let mut range = b.range(&span);
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    range = block_scalar_end(text, base, range);
                }
                if matches!(style, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted) {
                    range = quoted_scalar_end(text, base, range);
                }
                if span.start.line() != span.end.line() {
                    multi_line.push(range);
                }
                let node = Node {
                    range,
                    value: match function {
                        // `!Ref 1` names something: its argument is text.
                        Some(_) => Value::String(value.into_owned()),
                        None => resolve(&value, style, tag.as_deref()),
                    },
                };
                let node = wrap(function, node);
                if anchor != 0 {
                    b.anchors.insert(anchor, (node.clone(), weight(&node)));
                }
                b.emit(node)
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _)
                if b.stack.len() >= MAX_DEPTH =>
            {
                let _ = anchor;
                Err(SyntaxError {
                    range: b.range(&span),
                    message: "nesting deeper than 10,000 levels".to_owned(),
                    kind: SyntaxErrorKind::TooDeep,
                })
            }
            Event::MappingStart(anchor, tag) => {
                let start = b.byte(span.start.index());
                b.stack.push(Frame::Map {
                    start,
                    anchor,
                    function: cfn_function(tag.as_deref()),
                    props: Vec::new(),
                    key: None,
                    last_end: start,
                });
                Ok(())
            }
            Event::SequenceStart(anchor, tag) => {
                let start = b.byte(span.start.index());
                b.stack.push(Frame::Seq {
                    start,
                    anchor,
                    function: cfn_function(tag.as_deref()),
                    items: Vec::new(),
                    last_end: start,
                });
                Ok(())
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let span_end = b.byte(span.end.index());
                let span_start = b.byte(span.start.index());
                let (start, anchor, function, value, last_end) = match b.stack.pop() {
                    Some(Frame::Map {
                        start,
                        anchor,
                        function,
                        props,
                        last_end,
                        ..
                    }) => {
                        find_duplicates(&props, &mut b.duplicates);
                        (start, anchor, function, Value::Object(props), last_end)
                    }
                    Some(Frame::Seq {
                        start,
                        anchor,
                        function,
                        items,
                        last_end,
                    }) => (start, anchor, function, Value::Array(items), last_end),
                    None => continue,
                };
                // A flow collection's end event covers its `}` or `]`; a block one's is empty,
                // and the collection ends with its last member.
                let end = if span_end > span_start {
                    span_end
                } else {
                    last_end
                };
                let node = wrap(
                    function,
                    Node {
                        range: TextRange::new(start.into(), end.max(start).into()),
                        value,
                    },
                );
                if anchor != 0 {
                    b.anchors.insert(anchor, (node.clone(), weight(&node)));
                }
                b.emit(node)
            }
        };
        if let Err(error) = result {
            return failed(error);
        }
    }
    let root = b.root.take().unwrap_or(Node {
        range: TextRange::empty(TextSize::from(base)),
        value: Value::Null,
    });
    Parse {
        root: Some(root),
        error: None,
        non_standard: Vec::new(),
        duplicates: b.duplicates,
        comments: line_comments(text, base, &multi_line),
    }
}

/// The ranges of the comments that fill their line (the first non-blank character is `#`),
/// except those inside one of `multi_line` (sorted scalar ranges, shifted by `base`): a block
/// scalar's or a quoted string's line that starts with `#`.
fn line_comments(text: &str, base: u32, multi_line: &[TextRange]) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut next = 0;
    for line in text.split_inclusive('\n') {
        line_start += next;
        next = line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let body = content.trim_start_matches([' ', '\t']);
        if !body.starts_with('#') {
            continue;
        }
        let start = line_start + (content.len() - body.len());
        let (Ok(start), Ok(end)) = (
            u32::try_from(start + base as usize),
            u32::try_from(line_start + content.len() + base as usize),
        ) else {
            break;
        };
        let range = TextRange::new(start.into(), end.into());
        // The last scalar starting at or before the comment is the only one that can hold it.
        let before = multi_line.partition_point(|s| s.start() <= range.start());
        let inside = before
            .checked_sub(1)
            .and_then(|i| multi_line.get(i))
            .is_some_and(|s| s.contains(range.start()));
        if !inside {
            out.push(range);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn slice(text: &str, r: TextRange) -> &str {
        &text[usize::from(r.start())..usize::from(r.end())]
    }

    #[test]
    fn builds_the_json_tree_with_byte_ranges() {
        let text = "StartAt: Café\nStates:\n  Café:\n    Type: Pass\n    Result: [1, 2.5, true, null, \"x\"]\n    End: true\n";
        let p = parse(text, 0);
        assert!(p.error.is_none(), "{:?}", p.error);
        let root = p.root.unwrap();
        let start = root.get("StartAt").unwrap();
        assert_eq!(slice(text, start.key_range), "StartAt");
        assert_eq!(start.value.as_str(), Some("Café"));
        assert_eq!(slice(text, start.value.range), "Café");
        let state = root.get("States").unwrap().value.get("Café").unwrap();
        assert_eq!(slice(text, state.key_range), "Café");
        let result = state.value.get("Result").unwrap();
        let items = result.value.as_array().unwrap();
        assert_eq!(items.len(), 5);
        assert_eq!(items[1].as_f64(), Some(2.5));
        assert_eq!(items[2].as_bool(), Some(true));
        assert!(items[3].is_null());
        assert_eq!(slice(text, items[4].range), "\"x\"");
        assert_eq!(
            slice(text, result.value.range),
            "[1, 2.5, true, null, \"x\"]"
        );
        assert_eq!(state.value.get("End").unwrap().value.as_bool(), Some(true));
        // A block mapping ends with its last value.
        assert!(slice(text, state.value.range).ends_with("End: true"));
    }

    #[test]
    fn core_schema_and_tags() {
        let text = "a: '1'\nb: 0x1F\nc: !!str 12\nd: ~\ne: 1e3\nf: yes\ng: -.inf\n";
        let root = parse(text, 0).root.unwrap();
        assert_eq!(root.get("a").unwrap().value.as_str(), Some("1"));
        assert_eq!(root.get("b").unwrap().value.as_f64(), Some(31.0));
        assert_eq!(root.get("c").unwrap().value.as_str(), Some("12"));
        assert!(root.get("d").unwrap().value.is_null());
        assert_eq!(root.get("e").unwrap().value.as_f64(), Some(1000.0));
        // YAML 1.2: `yes` is a string.
        assert_eq!(root.get("f").unwrap().value.as_str(), Some("yes"));
        assert_eq!(
            root.get("g").unwrap().value.as_f64(),
            Some(f64::NEG_INFINITY)
        );
    }

    #[test]
    fn aliases_duplicates_and_errors() {
        let text = "retry: &r {MaxAttempts: 2}\nagain: *r\nagain: 1\n";
        let p = parse(text, 0);
        let root = p.root.unwrap();
        assert_eq!(
            root.get("again")
                .unwrap()
                .value
                .get("MaxAttempts")
                .unwrap()
                .value
                .as_f64(),
            Some(2.0)
        );
        assert_eq!(p.duplicates.len(), 1);
        let broken = parse("a: [1\nb: 2\n", 0);
        assert!(broken.root.is_none());
        let e = broken.error.unwrap();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert!(parse("? [a]\n: 1\n", 0).error.is_some());
        // Positions are bytes, also after multi-byte characters.
        let e = parse("é: [\n", 0).error.unwrap();
        assert!(usize::from(e.range.start()) <= "é: [\n".len());
    }

    #[test]
    fn a_quoted_scalar_ends_at_its_closing_quote() {
        for text in [
            "Next: \"B\" \n",
            "Next: 'B'\t \nEnd: true\n",
            "Next: \"B\"  # c\n",
        ] {
            let root = parse(text, 0).root.unwrap();
            let next = root.get("Next").unwrap();
            let range = std::ops::Range::<usize>::from(next.value.range);
            assert!(
                matches!(&text[range], "\"B\"" | "'B'"),
                "{text:?}: {:?}",
                next.value.range
            );
        }
    }

    #[test]
    fn quotes_inside_a_quoted_scalar_do_not_end_it() {
        for (text, want) in [
            ("Next: 'it''s'  # c\n", "'it''s'"),
            ("Next: \"a\\\"b\" \n", "\"a\\\"b\""),
        ] {
            let root = parse(text, 0).root.unwrap();
            let range = std::ops::Range::<usize>::from(root.get("Next").unwrap().value.range);
            assert_eq!(&text[range], want);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(20_000);
        let p = parse(&deep, 0);
        assert!(p.error.is_some());
    }

    #[test]
    fn cloudformation_short_tags_read_as_the_long_form() {
        let text = "a: !GetAtt Fn.Arn\nb: !Sub |\n  {\"x\": 1}\nc: !Join\n  - ''\n  - [x, !Ref Y]\nd: !Unknown 3\n";
        let root = parse(text, 0).root.unwrap();
        let a = root.get("a").unwrap();
        let inner = &a.value.get("Fn::GetAtt").unwrap().value;
        assert_eq!(inner.as_str(), Some("Fn.Arn"));
        assert_eq!(slice(text, inner.range), "Fn.Arn");
        let b = &root.get("b").unwrap().value.get("Fn::Sub").unwrap().value;
        assert_eq!(b.as_str(), Some("{\"x\": 1}\n"));
        let c = &root.get("c").unwrap().value.get("Fn::Join").unwrap().value;
        let parts = c.as_array().unwrap();
        assert_eq!(parts.len(), 2);
        let y = &parts[1].as_array().unwrap()[1];
        assert_eq!(y.get("Ref").unwrap().value.as_str(), Some("Y"));
        // Other tags are left alone (a tagged scalar is a string).
        assert_eq!(root.get("d").unwrap().value.as_str(), Some("3"));
    }

    #[test]
    fn a_block_scalar_ends_with_its_content() {
        let text = "a: |\n  x  \n  é\n\n  \nb: >-\n  y\n    z\n\nc: 1\n";
        let root = parse(text, 0).root.unwrap();
        assert_eq!(slice(text, root.get("a").unwrap().value.range), "x  \n  é");
        assert_eq!(slice(text, root.get("b").unwrap().value.range), "y\n    z");
        let crlf = "a: |\r\n  x\r\n\r\nb: 1\r\n";
        let root = parse(crlf, 0).root.unwrap();
        assert_eq!(slice(crlf, root.get("a").unwrap().value.range), "x");
        // A mapping ends with its last value, so with that content too.
        let text = "s:\n  a: |\n    x\n\nt: 1\n";
        let root = parse(text, 0).root.unwrap();
        assert!(slice(text, root.get("s").unwrap().value.range).ends_with("|\n    x"));
    }

    #[test]
    fn plain_safe_names_read_back_as_written() {
        for name in [
            "Fetch",
            "Load ünï",
            "a-b",
            "It's",
            "x:y",
            "a#b",
            "Ré",
            "$.x",
            "Q\"s",
        ] {
            assert!(is_plain_safe(name), "{name}");
            for text in [
                format!("{name}: {name}\n"),
                format!("{{{name}: [{name}]}}\n"),
            ] {
                let root = parse(&text, 0).root.unwrap();
                let p = &root.as_object().unwrap()[0];
                assert_eq!(p.key, name, "{text}");
                let value = match p.value.as_array() {
                    Some(items) => &items[0],
                    None => &p.value,
                };
                assert_eq!(value.as_str(), Some(name), "{text}");
            }
        }
        for name in [
            "", " a", "a ", "a: b", "a #b", "x:", "- a", "-", "? a", "#a", "&a", "*a", "!a", "|",
            ">", "'a'", "\"a\"", "%a", "@a", "`a", "a, b", "[a]", "{a}", "yes", "No", "on", "OFF",
            "y", "true", "null", "~", "12", "1e3", "0x1F", ".inf", ".5", "+1", "<<", "=", "a\tb",
        ] {
            assert!(!is_plain_safe(name), "{name:?}");
        }
    }

    #[test]
    fn a_bad_escape_is_reported_where_it_is() {
        for (text, bad) in [
            ("k: \"a\n     b \\q c\"\n", "\\q"),
            ("k: \"é \\n\n  \\x4\"\n", "\\x4"),
            ("k: \"\\uD800 \\é\"\n", "\\uD800"),
            ("k: \"\\t\\é\"\n", "\\é"),
        ] {
            let e = parse(text, 0).error.unwrap();
            assert!(e.message.contains("quoted scalar"), "{}", e.message);
            assert_eq!(slice(text, e.range), bad, "{text:?}");
        }
        // Shifted by a base, as after a byte-order mark.
        let e = parse("k: \"\\q\"\n", 3).error.unwrap();
        assert_eq!(usize::from(e.range.start()), 7);
    }
}
