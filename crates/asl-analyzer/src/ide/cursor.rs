//! Where the cursor is, in terms of the definition: the path of keys and indices from the root,
//! whether it is on a key or a value, and which kind of ASL object holds it.
//!
//! Two readers give the same path: [`locate`] walks the tree of a well-formed document, and
//! [`scan`] reads raw text up to the cursor, so completion works while the text is broken.

use asl_syntax::{Node, Property, TextRange, TextSize, Value};

use crate::spec::fields::Object;

/// One step of a path: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    pub fn key(&self) -> Option<&str> {
        match self {
            Seg::Key(k) => Some(k),
            Seg::Index(_) => None,
        }
    }
}

/// The kind of ASL object at `path` (a path to an object), when it is one with a field table.
pub(crate) fn classify(path: &[Seg]) -> Option<Object> {
    let mut object = Object::Root;
    let mut rest = path;
    while !rest.is_empty() {
        let (next, used) = step(object, rest)?;
        object = next;
        rest = rest.get(used..)?;
    }
    Some(object)
}

fn step(object: Object, rest: &[Seg]) -> Option<(Object, usize)> {
    let first = rest.first()?.key();
    let second_is_index = matches!(rest.get(1), Some(Seg::Index(_)));
    let second_is_key = matches!(rest.get(1), Some(Seg::Key(_)));
    match object {
        Object::Root | Object::Branch | Object::Processor => match first? {
            "States" if second_is_key => Some((Object::State, 2)),
            "ProcessorConfig" if object == Object::Processor => Some((Object::ProcessorConfig, 1)),
            _ => None,
        },
        Object::State => match first? {
            "Branches" if second_is_index => Some((Object::Branch, 2)),
            "ItemProcessor" | "Iterator" => Some((Object::Processor, 1)),
            "Retry" if second_is_index => Some((Object::Retrier, 2)),
            "Catch" if second_is_index => Some((Object::Catcher, 2)),
            "Choices" if second_is_index => Some((Object::ChoiceRule, 2)),
            "Credentials" => Some((Object::Credentials, 1)),
            "ItemReader" => Some((Object::ItemReader, 1)),
            "ItemBatcher" => Some((Object::ItemBatcher, 1)),
            "ResultWriter" => Some((Object::ResultWriter, 1)),
            _ => None,
        },
        Object::ChoiceRule => match first? {
            "And" | "Or" if second_is_index => Some((Object::ChoiceRule, 2)),
            "Not" => Some((Object::ChoiceRule, 1)),
            _ => None,
        },
        Object::ItemReader => (first? == "ReaderConfig").then_some((Object::ReaderConfig, 1)),
        Object::ResultWriter => (first? == "WriterConfig").then_some((Object::WriterConfig, 1)),
        _ => None,
    }
}

/// The length of the path prefix naming the scope object (top level, branch or processor) that
/// holds the state at or around `path`: the part before the last `States` key.
pub(crate) fn scope_prefix(path: &[Seg]) -> usize {
    let mut end = 0;
    for i in 0..path.len() {
        if path.get(i).and_then(Seg::key) == Some("States")
            && path.get(..i).is_some_and(|p| {
                matches!(
                    classify(p),
                    Some(Object::Root | Object::Branch | Object::Processor)
                )
            })
        {
            end = i;
        }
    }
    end
}

/// What the cursor is on in a well-formed tree.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Hit<'a> {
    /// The key of a member; the path is that of the object holding it.
    Key(&'a Property),
    /// A value (the innermost one around the cursor); the path is that of the value.
    Value(&'a Node),
}

/// The innermost key or value at `offset` (inclusive of the end of a token) and its path.
pub(crate) fn locate(root: &Node, offset: TextSize) -> Option<(Vec<Seg>, Hit<'_>)> {
    if !root.range.contains_inclusive(offset) {
        return None;
    }
    let mut path = Vec::new();
    let mut node = root;
    loop {
        match &node.value {
            Value::Object(props) => {
                if let Some(prop) = props
                    .iter()
                    .find(|p| p.key_range.contains_inclusive(offset))
                {
                    return Some((path, Hit::Key(prop)));
                }
                match props
                    .iter()
                    .find(|p| p.value.range.contains_inclusive(offset))
                {
                    Some(prop) => {
                        path.push(Seg::Key(prop.key.clone()));
                        node = &prop.value;
                    }
                    None => return Some((path, Hit::Value(node))),
                }
            }
            Value::Array(items) => {
                match items
                    .iter()
                    .enumerate()
                    .find(|(_, n)| n.range.contains_inclusive(offset))
                {
                    Some((i, item)) => {
                        path.push(Seg::Index(i));
                        node = item;
                    }
                    None => return Some((path, Hit::Value(node))),
                }
            }
            _ => return Some((path, Hit::Value(node))),
        }
    }
}

/// The node at `path` below `root`.
pub(crate) fn node_at<'a>(root: &'a Node, path: &[Seg]) -> Option<&'a Node> {
    let mut node = root;
    for seg in path {
        node = match seg {
            Seg::Key(k) => &node.get(k)?.value,
            Seg::Index(i) => node.as_array()?.get(*i)?,
        };
    }
    Some(node)
}

/// Where the cursor is in possibly broken text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// The path of the innermost object or array around the cursor.
    pub path: Vec<Seg>,
    /// Offsets of the opening brace/bracket of each container on the path (the root first).
    pub starts: Vec<usize>,
    pub slot: Slot,
    /// The token under the cursor that a completion replaces (a string with its quotes, or a
    /// bare word), or an empty range at the cursor.
    pub token: TextRange,
    /// The cursor is inside a string.
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A key of the innermost object.
    Key,
    /// The value of `key` in the innermost object.
    Value(String),
    /// An element of the innermost array.
    Element,
}

enum Frame {
    Object {
        /// The key being written or whose value is being written: the span of its raw text.
        key: Option<(usize, usize)>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

/// Reads `text` up to `offset` and tells where the cursor is. `None` inside a comment, after a
/// complete value, or outside any object.
pub(crate) fn scan(text: &str, offset: TextSize) -> Option<Cursor> {
    let bytes = text.as_bytes();
    let end = usize::from(offset).min(bytes.len());
    if !text.is_char_boundary(end) {
        return None;
    }
    let mut frames: Vec<(Frame, usize)> = Vec::new();
    let mut path: Vec<Seg> = Vec::new();
    let mut after_value = false;
    let mut i = 0;
    while i < end {
        let b = *bytes.get(i)?;
        match b {
            b'"' | b'\'' => {
                let start = i;
                let (span, close) = string_span(bytes, i, b);
                let close = close.or_else(|| {
                    // Unterminated before the cursor's line: recover at its first word's end.
                    let stop = word_end(bytes, i + 1);
                    (stop < end && line_end(bytes, i) < end).then_some(stop)
                });
                match close {
                    Some(after) if after <= end => {
                        i = after;
                        match frames.last_mut() {
                            Some((
                                Frame::Object {
                                    key,
                                    expect_key: true,
                                },
                                _,
                            )) => *key = Some(span),
                            _ => after_value = true,
                        }
                        if let Some((
                            Frame::Object {
                                expect_key: true, ..
                            },
                            _,
                        )) = frames.last()
                        {
                            after_value = true;
                        }
                    }
                    // The cursor is inside this string.
                    _ => {
                        let token_end = close.unwrap_or_else(|| word_end(bytes, end));
                        return finish(bytes, frames, path, start, token_end, true);
                    }
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let stop = line_end(bytes, i);
                if stop >= end {
                    return None;
                }
                i = stop;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let stop = find(bytes, i + 2, b"*/").map(|p| p + 2);
                match stop {
                    Some(stop) if stop <= end => i = stop,
                    _ => return None,
                }
                continue;
            }
            b'{' | b'[' => {
                if let Some((parent, _)) = frames.last() {
                    path.push(match parent {
                        Frame::Object { key, .. } => Seg::Key(decode(bytes, *key)),
                        Frame::Array { index } => Seg::Index(*index),
                    });
                }
                let frame = if b == b'{' {
                    Frame::Object {
                        key: None,
                        expect_key: true,
                    }
                } else {
                    Frame::Array { index: 0 }
                };
                frames.push((frame, i));
                after_value = false;
            }
            b'}' | b']' => {
                frames.pop();
                if !frames.is_empty() {
                    path.pop();
                }
                after_value = true;
            }
            b':' => {
                if let Some((Frame::Object { expect_key, .. }, _)) = frames.last_mut() {
                    *expect_key = false;
                }
                after_value = false;
            }
            b',' => {
                match frames.last_mut() {
                    Some((Frame::Object { key, expect_key }, _)) => {
                        *key = None;
                        *expect_key = true;
                    }
                    Some((Frame::Array { index }, _)) => *index += 1,
                    None => {}
                }
                after_value = false;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => {
                let start = i;
                while i < bytes.len() && is_word(*bytes.get(i)?) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                if i >= end {
                    return finish(bytes, frames, path, start, i, false);
                }
                after_value = true;
                continue;
            }
        }
        i += 1;
    }
    if after_value {
        return None;
    }
    finish(bytes, frames, path, end, end, false)
}

fn finish(
    bytes: &[u8],
    frames: Vec<(Frame, usize)>,
    path: Vec<Seg>,
    start: usize,
    end: usize,
    quoted: bool,
) -> Option<Cursor> {
    let starts = frames.iter().map(|(_, s)| *s).collect();
    let slot = match &frames.last()?.0 {
        Frame::Object {
            expect_key: true, ..
        } => Slot::Key,
        Frame::Object {
            key,
            expect_key: false,
        } => Slot::Value(decode(bytes, *key)),
        Frame::Array { .. } => Slot::Element,
    };
    let token = TextRange::new(
        TextSize::from(u32::try_from(start).ok()?),
        TextSize::from(u32::try_from(end).ok()?),
    );
    Some(Cursor {
        path,
        starts,
        slot,
        token,
        quoted,
    })
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+' | b'$')
}

/// The end of the text run at `from` that an unterminated string at the cursor still covers.
fn word_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .iter()
        .skip(from)
        .position(|&b| b.is_ascii_whitespace() || matches!(b, b',' | b':' | b'}' | b']' | b'"'))
        .map_or(bytes.len(), |p| from + p)
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .iter()
        .skip(from)
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |p| from + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The raw content span (between the quotes) of the string opening at `start`, and the offset
/// after its closing quote if it closes on the same line.
fn string_span(bytes: &[u8], start: usize, quote: u8) -> ((usize, usize), Option<usize>) {
    let mut i = start + 1;
    loop {
        let Some(rest) = bytes.get(i..) else {
            return ((start + 1, bytes.len()), None);
        };
        match memchr::memchr3(quote, b'\\', b'\n', rest) {
            Some(p) => {
                let at = i + p;
                match bytes.get(at) {
                    Some(b'\\') => i = at + 2,
                    Some(b'\n') => return ((start + 1, at), None),
                    _ => return ((start + 1, at), Some(at + 1)),
                }
            }
            None => return ((start + 1, bytes.len()), None),
        }
    }
}

/// The text of a raw string span, escapes decoded loosely (`\x` gives `x`).
fn decode(bytes: &[u8], span: Option<(usize, usize)>) -> String {
    let Some((a, b)) = span else {
        return String::new();
    };
    let raw = bytes.get(a..b.min(bytes.len())).unwrap_or(&[]);
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    if !raw.contains(&b'\\') {
        return String::from_utf8_lossy(raw).into_owned();
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut it = raw.iter();
    while let Some(&c) = it.next() {
        if c == b'\\' {
            if let Some(&n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where the cursor is in a well-formed tree (the same answer [`scan`] gives, without reading
/// the text before the cursor).
pub(crate) fn cursor_in_tree(text: &str, root: &Node, offset: TextSize) -> Option<Cursor> {
    if let Some((container, key)) = yaml_empty_value(text, root, offset) {
        let starts = starts_of(root, &container)?;
        return Some(Cursor {
            path: container,
            starts,
            slot: Slot::Value(key),
            token: TextRange::empty(offset),
            quoted: false,
        });
    }
    let (path, hit) = locate(root, offset)?;
    let strictly_inside = |r: TextRange| r.start() < offset && offset < r.end();
    let (container, slot, token, quoted) = match hit {
        Hit::Key(prop) => {
            if offset == prop.key_range.end() && prop.key_range.len() > TextSize::from(1) {
                return None;
            }
            (
                path,
                Slot::Key,
                prop.key_range,
                strictly_inside(prop.key_range),
            )
        }
        Hit::Value(node) => match &node.value {
            Value::Object(_) | Value::Array(_) => {
                // Between members: only right after the opening bracket or a comma.
                let before = text.get(..usize::from(offset))?.trim_end();
                if !(before.ends_with(['{', '[', ',']))
                    || offset <= node.range.start()
                    || offset >= node.range.end()
                {
                    return None;
                }
                let slot = if matches!(node.value, Value::Object(_)) {
                    Slot::Key
                } else {
                    Slot::Element
                };
                (path, slot, TextRange::empty(offset), false)
            }
            _ => {
                // In a quoted string, between its quotes; in a YAML plain scalar, also right
                // after its last character (where the cursor is while typing it).
                let plain = text
                    .get(usize::from(node.range.start())..)
                    .is_some_and(|s| !s.starts_with(['"', '\'']));
                let inside = strictly_inside(node.range)
                    || (plain && node.range.start() < offset && offset == node.range.end());
                if node.as_str().is_some() && !inside {
                    return None;
                }
                let mut container = path;
                let slot = match container.pop()? {
                    Seg::Key(k) => Slot::Value(k),
                    Seg::Index(_) => Slot::Element,
                };
                (container, slot, node.range, node.as_str().is_some())
            }
        },
    };
    let starts = starts_of(root, &container)?;
    Some(Cursor {
        path: container,
        starts,
        slot,
        token,
        quoted,
    })
}

/// The start of each container on `path`, the root first.
fn starts_of(root: &Node, path: &[Seg]) -> Option<Vec<usize>> {
    let mut starts = Vec::with_capacity(path.len() + 1);
    for j in 0..=path.len() {
        let node = node_at(root, path.get(..j)?)?;
        starts.push(usize::from(node.range.start()));
    }
    Some(starts)
}

/// A YAML `key:` whose value is not typed yet, the cursor after the colon and a space with
/// nothing after it on the line (`Next: |`): the path of the mapping holding the key, and the
/// key. YAML reads the missing value as a null, empty, at the end of the key.
fn yaml_empty_value(text: &str, root: &Node, offset: TextSize) -> Option<(Vec<Seg>, String)> {
    let at = usize::from(offset);
    let head = text.get(..at)?;
    let line_start = head.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = head.get(line_start..)?;
    let rest = text.get(at..)?;
    if !rest
        .split(['\n', '\r'])
        .next()
        .unwrap_or("")
        .trim()
        .is_empty()
    {
        return None;
    }
    let typed = before.trim_end_matches([' ', '\t']);
    if typed.len() == before.len() {
        return None; // `Next:|`: a value typed here would not be read as one
    }
    let key = typed.strip_suffix(':')?.trim_end_matches([' ', '\t']);
    let key_end = TextSize::from(u32::try_from(line_start + key.len()).ok()?);
    let mut node = root;
    let mut path = Vec::new();
    loop {
        match &node.value {
            Value::Object(props) => {
                if let Some(p) = props.iter().find(|p| {
                    p.key_range.end() == key_end
                        && matches!(p.value.value, Value::Null)
                        && p.value.range.is_empty()
                }) {
                    return Some((path, p.key.clone()));
                }
                let p = props
                    .iter()
                    .find(|p| p.value.range.contains_inclusive(key_end))?;
                path.push(Seg::Key(p.key.clone()));
                node = &p.value;
            }
            Value::Array(items) => {
                let (i, item) = items
                    .iter()
                    .enumerate()
                    .find(|(_, n)| n.range.contains_inclusive(key_end))?;
                path.push(Seg::Index(i));
                node = item;
            }
            _ => return None,
        }
    }
}

/// One member of an object read from raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    pub key: String,
    /// Offset of the first character of the value.
    pub value_start: usize,
    /// The value, when it is a string.
    pub string: Option<String>,
}

/// The members of the object whose `{` is at `start`, read lazily from raw (possibly broken)
/// text up to its closing brace or the end of the text. Strings below the first level are
/// skipped without being decoded.
pub(crate) fn members(text: &str, start: usize) -> Members<'_> {
    let bytes = text.as_bytes();
    let open = bytes.get(start) == Some(&b'{');
    Members {
        bytes,
        i: start,
        depth: 0,
        key: None,
        expect_key: true,
        done: !open,
    }
}

pub(crate) struct Members<'a> {
    bytes: &'a [u8],
    i: usize,
    depth: usize,
    key: Option<(usize, usize)>,
    expect_key: bool,
    done: bool,
}

impl Members<'_> {
    fn member(&mut self, value_start: usize, string: Option<(usize, usize)>) -> Option<Member> {
        let key = self.key.take()?;
        Some(Member {
            key: decode(self.bytes, Some(key)),
            value_start,
            string: string.map(|s| decode(self.bytes, Some(s))),
        })
    }
}

impl Iterator for Members<'_> {
    type Item = Member;

    fn next(&mut self) -> Option<Member> {
        if self.done {
            return None;
        }
        let bytes = self.bytes;
        while let Some(&b) = bytes.get(self.i) {
            match b {
                b'"' | b'\'' => {
                    let at = self.i;
                    let (span, close) = string_span(bytes, at, b);
                    // An unterminated string (being typed) ends at the end of its first
                    // word, so the brackets after it on the line still count.
                    self.i = close.unwrap_or_else(|| word_end(bytes, at + 1)).max(at + 1);
                    if self.depth == 1 {
                        if self.expect_key {
                            self.key = Some(span);
                        } else if let Some(m) = self.member(at, Some(span)) {
                            return Some(m);
                        }
                    }
                    continue;
                }
                b'/' if bytes.get(self.i + 1) == Some(&b'/') => {
                    self.i = line_end(bytes, self.i);
                    continue;
                }
                b'/' if bytes.get(self.i + 1) == Some(&b'*') => {
                    self.i = find(bytes, self.i + 2, b"*/").map_or(bytes.len(), |p| p + 2);
                    continue;
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth == 2 && !self.expect_key {
                        let at = self.i;
                        self.i += 1;
                        if let Some(m) = self.member(at, None) {
                            return Some(m);
                        }
                        continue;
                    }
                }
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        self.done = true;
                        let at = self.i;
                        return if self.expect_key {
                            None
                        } else {
                            self.member(at, None)
                        };
                    }
                }
                b':' if self.depth == 1 => self.expect_key = false,
                b',' if self.depth == 1 => {
                    let at = self.i;
                    self.i += 1;
                    let was_value = !self.expect_key;
                    self.expect_key = true;
                    if was_value && let Some(m) = self.member(at, None) {
                        return Some(m);
                    }
                    continue;
                }
                _ => {}
            }
            self.i += 1;
        }
        self.done = true;
        if self.expect_key {
            None
        } else {
            self.member(self.i, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_util::cursor;

    fn keys(path: &[Seg]) -> Vec<String> {
        path.iter()
            .map(|s| match s {
                Seg::Key(k) => k.clone(),
                Seg::Index(i) => i.to_string(),
            })
            .collect()
    }

    #[test]
    fn classifies_paths() {
        let p = |s: &[&str]| -> Vec<Seg> {
            s.iter()
                .map(|x| match x.parse::<usize>() {
                    Ok(i) => Seg::Index(i),
                    Err(_) => Seg::Key((*x).to_owned()),
                })
                .collect()
        };
        assert_eq!(classify(&p(&[])), Some(Object::Root));
        assert_eq!(classify(&p(&["States", "A"])), Some(Object::State));
        assert_eq!(
            classify(&p(&["States", "A", "Retry", "0"])),
            Some(Object::Retrier)
        );
        assert_eq!(
            classify(&p(&[
                "States", "P", "Branches", "1", "States", "B", "Catch", "0"
            ])),
            Some(Object::Catcher)
        );
        assert_eq!(
            classify(&p(&["States", "C", "Choices", "0", "And", "1", "Not"])),
            Some(Object::ChoiceRule)
        );
        assert_eq!(
            classify(&p(&["States", "M", "ItemProcessor", "ProcessorConfig"])),
            Some(Object::ProcessorConfig)
        );
        assert_eq!(classify(&p(&["States", "A", "Parameters"])), None);
        assert_eq!(classify(&p(&["States"])), None);
        assert_eq!(
            scope_prefix(&p(&["States", "P", "Branches", "0", "States", "B"])),
            4
        );
    }

    #[test]
    fn scans_broken_text() {
        let (text, at) = cursor(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "$0"#);
        let c = scan(&text, at).unwrap();
        assert_eq!(keys(&c.path), ["States", "A"]);
        assert_eq!(c.slot, Slot::Value("Next".into()));
        assert!(c.quoted);
        assert_eq!(&text[c.token], "\"");

        let (text, at) =
            cursor(r#"{"States": {"A": {"Type": "Task", "Retry": [{"ErrorEquals": ["St$0"]}]}}}"#);
        let c = scan(&text, at).unwrap();
        assert_eq!(keys(&c.path), ["States", "A", "Retry", "0", "ErrorEquals"]);
        assert_eq!(c.slot, Slot::Element);
        assert_eq!(&text[c.token], "\"St\"");

        let (text, at) = cursor("{\"States\": {\"A\": {\n  Tim$0\n");
        let c = scan(&text, at).unwrap();
        assert_eq!(c.slot, Slot::Key);
        assert!(!c.quoted);
        assert_eq!(&text[c.token], "Tim");

        let (text, at) = cursor(r#"{"a": 1 $0}"#);
        assert_eq!(scan(&text, at), None);
        let (text, at) = cursor("{\"a\": // $0\n}");
        assert_eq!(scan(&text, at), None);
    }

    #[test]
    fn reads_members_of_broken_objects() {
        let text = r#"{"Type": "Task", "Retry": [{"x": 1}], "Resource": "arn", "Next": "#;
        let m: Vec<Member> = members(text, 0).collect();
        let names: Vec<_> = m
            .iter()
            .map(|m| (m.key.as_str(), m.string.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("Type", Some("Task")),
                ("Retry", None),
                ("Resource", Some("arn")),
                ("Next", None)
            ]
        );
    }
}
