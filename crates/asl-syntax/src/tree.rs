//! The source-independent syntax tree: every value and every key carries its byte range.
//!
//! JSON, JSONC, JSON5 (and later YAML) readers all produce this tree, so the typed model and
//! every rule see the same data whatever the source format.

use text_size::{TextRange, TextSize};

/// A value in the document with its byte range in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub range: TextRange,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Properties in source order; duplicates are kept (see [`crate::Parse::duplicates`]).
    Object(Vec<Property>),
    Array(Vec<Node>),
    String(String),
    Number(f64),
    Bool(bool),
    Null,
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub key: String,
    pub key_range: TextRange,
    pub value: Node,
}

impl Property {
    /// The range from the start of the key to the end of the value.
    pub fn range(&self) -> TextRange {
        self.key_range.cover(self.value.range)
    }
}

/// The JSON type of a value, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

impl JsonType {
    pub fn as_str(self) -> &'static str {
        match self {
            JsonType::Object => "an object",
            JsonType::Array => "an array",
            JsonType::String => "a string",
            JsonType::Number => "a number",
            JsonType::Boolean => "a boolean",
            JsonType::Null => "null",
        }
    }
}

impl std::fmt::Display for JsonType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Node {
    pub fn json_type(&self) -> JsonType {
        match self.value {
            Value::Object(_) => JsonType::Object,
            Value::Array(_) => JsonType::Array,
            Value::String(_) => JsonType::String,
            Value::Number(_) => JsonType::Number,
            Value::Bool(_) => JsonType::Boolean,
            Value::Null => JsonType::Null,
        }
    }

    pub fn as_object(&self) -> Option<&[Property]> {
        match &self.value {
            Value::Object(props) => Some(props),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number if it is a whole number (`30` or `30.0`) that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.2e18 => Some(n as i64),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The first property named `key`, if this is an object.
    pub fn get(&self, key: &str) -> Option<&Property> {
        self.as_object()?.iter().find(|p| p.key == key)
    }

    /// True when this is a string holding a `${Name}` template placeholder
    /// (SAM/CloudFormation `DefinitionSubstitutions`, Terraform `templatefile`).
    pub fn is_templated(&self) -> bool {
        self.as_str().is_some_and(is_templated)
    }

    /// True for a CloudFormation intrinsic function object (`{"Ref": ...}`, `{"Fn::GetAtt": ...}`,
    /// `{"Fn::Sub": ...}`, ...), as a template holds it (YAML short-form tags are read as this
    /// long form): its value is known only when the stack is deployed.
    pub fn is_cfn_intrinsic(&self) -> bool {
        match self.as_object() {
            Some([only]) => only.key == "Ref" || only.key.starts_with("Fn::"),
            _ => false,
        }
    }

    /// The JSON Pointer (RFC 6901) of the innermost node or key whose range equals `target`,
    /// else of the innermost node containing it.
    pub fn pointer_to(&self, target: TextRange) -> String {
        let mut pointer = String::new();
        let mut node = self;
        loop {
            if node.range == target {
                return pointer;
            }
            // Members are in source order, so the one holding `target` is found by a binary
            // search: a finding per member of a 100,000-member object stays n log n. The scan
            // is the fallback for members out of order (YAML aliases repeat an anchor's ranges).
            let next = match &node.value {
                Value::Object(props) => {
                    let holds = |p: &&Property| {
                        p.key_range == target || p.value.range.contains_range(target)
                    };
                    let at = props.partition_point(|p| p.key_range.start() <= target.start());
                    at.checked_sub(1)
                        .and_then(|i| props.get(i))
                        .filter(holds)
                        .or_else(|| props.iter().find(holds))
                        .map(|p| {
                            (
                                escape_pointer_token(&p.key),
                                &p.value,
                                p.key_range == target,
                            )
                        })
                }
                Value::Array(items) => {
                    let holds = |n: &(usize, &Node)| n.1.range.contains_range(target);
                    let at = items.partition_point(|n| n.range.start() <= target.start());
                    at.checked_sub(1)
                        .and_then(|i| items.get(i).map(|n| (i, n)))
                        .filter(holds)
                        .or_else(|| items.iter().enumerate().find(holds))
                        .map(|(i, n)| (i.to_string(), n, false))
                }
                _ => None,
            };
            match next {
                Some((token, child, is_key)) => {
                    pointer.push('/');
                    pointer.push_str(&token);
                    if is_key {
                        return pointer;
                    }
                    node = child;
                }
                None => return pointer,
            }
        }
    }
}

/// The escape sequence at `at` in the source of a JSON (or YAML double-quoted) string, `at`
/// being its backslash: the character it stands for and its length in bytes (`\u` surrogate
/// pairs are one character of 12 bytes). `None` for a sequence JSON does not define.
pub(crate) fn decode_escape(raw: &str, at: usize) -> Option<(char, usize)> {
    let c = match raw.as_bytes().get(at + 1)? {
        b'n' => '\n',
        b't' => '\t',
        b'r' => '\r',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'/' => '/',
        b'\\' => '\\',
        b'"' => '"',
        b'u' => {
            let unit = u32::from_str_radix(raw.get(at + 2..at + 6)?, 16).ok()?;
            if (0xd800..0xdc00).contains(&unit)
                && raw.get(at + 6..at + 8) == Some("\\u")
                && let Some(low) = raw
                    .get(at + 8..at + 12)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .filter(|low| (0xdc00..0xe000).contains(low))
            {
                let code = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                return Some((char::from_u32(code).unwrap_or('\u{fffd}'), 12));
            }
            return Some((char::from_u32(unit).unwrap_or('\u{fffd}'), 6));
        }
        _ => return None,
    };
    Some((c, 2))
}

/// True when `s` holds a `${...}` placeholder.
pub fn is_templated(s: &str) -> bool {
    // Byte scans: every rule asks this of most strings, and `str::find` with a `&str` pattern
    // sets up a two-way searcher per call, which costs more than the search itself.
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'$'))
    {
        let dollar = from + offset;
        if bytes.get(dollar + 1) == Some(&b'{') {
            return bytes
                .get(dollar + 2..)
                .is_some_and(|rest| rest.contains(&b'}'));
        }
        from = dollar + 1;
    }
    false
}

fn escape_pointer_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// The source range of bytes `range` of the decoded value of the string `node` (for a
/// diagnostic inside a string: the unknown function name, the unbalanced bracket). Escapes
/// (`\"`, `\n`, `\u00e9`, surrogate pairs) are walked, and a YAML scalar over several lines is
/// aligned with its value through its folding (the line breaks and indentation its value does
/// not hold), so the range is exact; a range past the end of the value is clamped to its end.
pub fn string_range(text: &str, node: &Node, range: std::ops::Range<usize>) -> TextRange {
    let start = usize::from(node.range.start());
    let end = usize::from(node.range.end());
    // A YAML scalar over several lines (plain, quoted or block) is folded: its line breaks and
    // indentation are not in the value as they are in the source, so the two are aligned.
    if let (Some(value), Some(source)) = (node.as_str(), text.get(start..end))
        && source.contains(['\n', '\r'])
    {
        let quoted = match source.as_bytes().first() {
            Some(b'"') => Some(Style::Double),
            Some(b'\'') => Some(Style::Single),
            _ => None,
        };
        let aligned = quoted
            .and_then(|style| {
                let inner = source.get(1..source.len().saturating_sub(1))?;
                align(inner, start + 1, value, style, &range)
            })
            .or_else(|| align(source, start, value, Style::Plain, &range));
        if let Some(r) = aligned {
            return r;
        }
    }
    // A YAML plain or block scalar on one line has no quotes: its source is its value.
    let quote = text.as_bytes().get(start).copied();
    let quoted = matches!(quote, Some(b'"' | b'\''));
    let (raw_start, raw_end) = if quoted {
        (start + 1, end.saturating_sub(1).max(start + 1))
    } else {
        (start, end)
    };
    let Some(raw) = text.get(raw_start..raw_end) else {
        return node.range;
    };
    let base = raw_start;
    let escape = if quote == Some(b'\'') { '\'' } else { '\\' };
    let to_source = |decoded: usize| -> usize {
        if !quoted || !raw.contains(escape) {
            return base + decoded.min(raw.len());
        }
        if escape == '\'' {
            // YAML single quotes: `''` stands for one `'`.
            let bytes = raw.as_bytes();
            let (mut r, mut d) = (0usize, 0usize);
            while r < bytes.len() && d < decoded {
                r += if bytes.get(r..r + 2) == Some(b"''") {
                    2
                } else {
                    1
                };
                d += 1;
            }
            return base + r.min(bytes.len());
        }
        let bytes = raw.as_bytes();
        let (mut r, mut d) = (0usize, 0usize);
        while r < bytes.len() && d < decoded {
            if bytes.get(r) == Some(&b'\\') {
                match decode_escape(raw, r) {
                    Some((c, len)) => {
                        r += len;
                        d += c.len_utf8();
                    }
                    // Not a JSON escape (YAML has more): one character from two bytes.
                    None if r + 1 < bytes.len() => {
                        r += 2;
                        d += 1;
                    }
                    None => r += 1,
                }
            } else {
                let len = raw
                    .get(r..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                r += len;
                d += len;
            }
        }
        base + r.min(bytes.len())
    };
    let a = to_source(range.start);
    let b = to_source(range.end).max(a);
    TextRange::new(
        TextSize::from(u32::try_from(a).unwrap_or(u32::MAX)),
        TextSize::from(u32::try_from(b).unwrap_or(u32::MAX)),
    )
}

/// How a scalar's source spells its value.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// Plain or block: no escapes.
    Plain,
    /// Double-quoted: backslash escapes (JSON's and YAML's), escaped line breaks.
    Double,
    /// YAML single-quoted: `''` for `'`.
    Single,
}

/// One piece of a scalar's source.
#[derive(Clone, Copy)]
enum Piece {
    /// A space, tab or line break, which folding may drop or turn into another one.
    Layout,
    /// A character of the value (`None`: an escape of unknown meaning).
    Char(Option<char>),
}

/// The piece of `raw` at `at` and its length in bytes.
fn piece(raw: &str, at: usize, style: Style) -> Option<(Piece, usize)> {
    let rest = raw.get(at..)?;
    let c = rest.chars().next()?;
    Some(match c {
        '\r' if rest.starts_with("\r\n") => (Piece::Layout, 2),
        ' ' | '\t' | '\n' | '\r' => (Piece::Layout, 1),
        '\\' if style == Style::Double => {
            let next = rest.get(1..).and_then(|r| r.chars().next());
            match next {
                // An escaped line break: nothing in the value.
                Some('\r') if rest.get(1..3) == Some("\r\n") => (Piece::Layout, 3),
                Some('\n' | '\r') => (Piece::Layout, 2),
                Some(n) => match decode_escape(raw, at) {
                    Some((decoded, len)) => (Piece::Char(Some(decoded)), len),
                    None => yaml_escape(rest, n),
                },
                None => (Piece::Char(Some('\\')), 1),
            }
        }
        '\'' if style == Style::Single && rest.starts_with("''") => (Piece::Char(Some('\'')), 2),
        c => (Piece::Char(Some(c)), c.len_utf8()),
    })
}

/// A YAML escape JSON does not have (`rest` starts with its backslash, `n` follows it).
fn yaml_escape(rest: &str, n: char) -> (Piece, usize) {
    let simple = match n {
        '0' => Some('\0'),
        'a' => Some('\u{7}'),
        'v' => Some('\u{b}'),
        'e' => Some('\u{1b}'),
        ' ' => Some(' '),
        '\t' => Some('\t'),
        'N' => Some('\u{85}'),
        '_' => Some('\u{a0}'),
        'L' => Some('\u{2028}'),
        'P' => Some('\u{2029}'),
        _ => None,
    };
    if let Some(c) = simple {
        return (Piece::Char(Some(c)), 2);
    }
    let digits = match n {
        'x' => 2,
        'U' => 8,
        _ => return (Piece::Char(None), 1 + n.len_utf8()),
    };
    let code = rest
        .get(2..2 + digits)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .and_then(char::from_u32);
    match code {
        Some(c) => (Piece::Char(Some(c)), 2 + digits),
        None => (Piece::Char(None), 2),
    }
}

/// The source range of bytes `range` of `value`, the decoded value of `raw` (a scalar's source
/// without its quotes, at byte `base` of the text), walking both side by side: each character
/// of the value is the next character (or escape) of the source, skipping the indentation and
/// line breaks folding dropped; a space or line break of the value is the next piece of layout
/// (or escape) when there is one. `None` when they do not match (the source is not spelled as
/// `style` assumes).
fn align(
    raw: &str,
    base: usize,
    value: &str,
    style: Style,
    range: &std::ops::Range<usize>,
) -> Option<TextRange> {
    let mut at = 0usize;
    let mut next = piece(raw, 0, style);
    let mut last = 0usize;
    let (mut from, mut to) = (None, None);
    for (d, c) in value.char_indices() {
        if d >= range.end && from.is_some() {
            break;
        }
        let (s, e) = if matches!(c, ' ' | '\t' | '\n' | '\r') {
            match next {
                Some((Piece::Layout, len)) => (at, at + len),
                Some((Piece::Char(Some(x)), len)) if x == c => (at, at + len),
                _ => (last, last),
            }
        } else {
            while let Some((Piece::Layout, len)) = next {
                at += len;
                next = piece(raw, at, style);
            }
            match next {
                Some((Piece::Char(x), len)) if x.is_none_or(|x| x == c) => (at, at + len),
                _ => return None,
            }
        };
        if e > s {
            at = e;
            last = e;
            next = piece(raw, at, style);
        }
        if from.is_none() && range.start < d + c.len_utf8() {
            from = Some(s);
        }
        if d < range.end {
            to = Some(e);
        }
    }
    let a = from.unwrap_or(last);
    let b = if range.is_empty() {
        a
    } else {
        to.unwrap_or(a).max(a)
    };
    let at = |offset: usize| TextSize::from(u32::try_from(base + offset).unwrap_or(u32::MAX));
    Some(TextRange::new(at(a), at(b)))
}

#[cfg(test)]
mod string_range_tests {
    use super::*;
    use crate::{Dialect, parse};

    #[test]
    fn maps_decoded_offsets_through_escapes() {
        let text = r#"{"a": "x\"y\u00e9\ud83d\ude00z.b"}"#;
        let root = parse(text, Dialect::Json).root.unwrap();
        let node = &root.get("a").unwrap().value;
        let value = node.as_str().unwrap();
        assert_eq!(value, "x\"yé😀z.b");
        let z = value.find('z').unwrap();
        let r = string_range(text, node, z..z + 3);
        assert_eq!(&text[r], "z.b");
        // YAML: plain, single-quoted and double-quoted scalars.
        let yaml = "a: $.x[\nb: 'it''s $.y['\nc: \"\\t$.z[\"\n";
        let root = parse(yaml, Dialect::Yaml).root.unwrap();
        for (key, needle) in [("a", "$.x["), ("b", "$.y["), ("c", "$.z[")] {
            let node = &root.get(key).unwrap().value;
            let at = node.as_str().unwrap().find('$').unwrap();
            let r = string_range(yaml, node, at..at + needle.len());
            assert_eq!(&yaml[r], needle, "{key}");
        }
        let e = value.find('é').unwrap();
        assert_eq!(&text[string_range(text, node, e..e + 2)], "\\u00e9");
        let plain = r#"{"a": "$.x y"}"#;
        let root = parse(plain, Dialect::Json).root.unwrap();
        let node = &root.get("a").unwrap().value;
        assert_eq!(&plain[string_range(plain, node, 2..3)], "x");
        assert_eq!(&plain[string_range(plain, node, 0..99)], "$.x y");
    }

    /// The source of `needle` (found in the decoded value of `key`'s value) in `yaml`, through
    /// `string_range`.
    fn mapped<'t>(yaml: &'t str, key: &str, needle: &str) -> (usize, &'t str) {
        let root = parse(yaml, Dialect::Yaml).root.unwrap();
        let node = &root.get(key).unwrap().value;
        let value = node.as_str().unwrap();
        let at = value.find(needle).unwrap_or_else(|| panic!("{value:?}"));
        let r = string_range(yaml, node, at..at + needle.len());
        (usize::from(r.start()), &yaml[r])
    }

    #[test]
    fn maps_through_the_folding_of_multi_line_yaml_scalars() {
        // Issue 13: a finding on a continuation line landed in its indentation (8:8, not
        // 8:16): the decoded value has one space where the source has a line break and
        // indentation.
        for yaml in [
            "a: x\n  $.é,\n        $.b[\n",
            "a: \"x\n  $.é,\n        $.b[\"\n",
            "a: 'x\n\n  $.é,  \n        $.b['\n",
            "a: >-\n  x\n  $.é,\n        $.b[\n",
            "a: |\n  x\n  $.é,\n        $.b[\n",
            "a: \"x \\\n  $.é, \\t\n        $.b[\"\n",
            "a: \"x\\u00e9\\x41\\U0001F600\\_ \n  $.é,\n        $.b[\"\n",
        ] {
            let at = yaml.find("$.b[").unwrap();
            assert_eq!(mapped(yaml, "a", "$.b["), (at, "$.b["), "{yaml:?}");
            assert_eq!(mapped(yaml, "a", "["), (at + 3, "["), "{yaml:?}");
            let at = yaml.find("$.é").unwrap();
            assert_eq!(mapped(yaml, "a", "$.é,"), (at, "$.é,"), "{yaml:?}");
        }
        // Escapes YAML has and JSON has not, and `''`.
        let yaml = "a: \"\\x41\\U0001F600\n  z\"\nb: 'it''s\n  z'\n";
        assert_eq!(mapped(yaml, "a", "z").1, "z");
        assert_eq!(mapped(yaml, "a", "😀").1, "\\U0001F600");
        assert_eq!(mapped(yaml, "b", "'s").1, "''s");
        assert_eq!(mapped(yaml, "b", "z").1, "z");
        // Empty ranges and ranges past the end stay inside the value.
        let yaml = "a: x\n  yé\n";
        let root = parse(yaml, Dialect::Yaml).root.unwrap();
        let node = &root.get("a").unwrap().value;
        assert_eq!(&yaml[string_range(yaml, node, 2..99)], "yé");
        assert_eq!(string_range(yaml, node, 2..2), TextRange::empty(7.into()));
        assert_eq!(&yaml[string_range(yaml, node, 0..99)], "x\n  yé");
    }
}
