//! Edits of a Terraform definition's decoded JSON written back in HCL (`*.tf`): the one place
//! that decides whether an edit can be written exactly, and as what text, for the editor and
//! `check --fix` alike.
//!
//! - In `jsonencode({...})`, an edit inside a string (a rename, a did-you-mean fix) is written
//!   inside the HCL string literal, with HCL's escapes and `$${`/`%%{`; a key written bare
//!   stays bare when the new name is an HCL identifier, else it becomes a quoted key. A whole
//!   value replaced (`true`, an array without expressions) is written as HCL. An added member
//!   is `Key = value` on its own line at its neighbours' indentation, or `, Key = value` on a
//!   one-line object; an added array element goes in with its comma.
//! - In a heredoc or a quoted string holding JSON text, the JSON text goes in as it is, with
//!   `$${`/`%%{` (and HCL's escapes in a quoted string; a heredoc's removed indentation on
//!   each new line).
//!
//! Nothing that Terraform evaluates (an expression, an interpolation) is ever edited. Every
//! result is checked by reading the edited file back: it must still be HCL, hold the same
//! definitions, this one decoding to the edited JSON and every other as before, with the same
//! expressions at the same places. Anything else is refused (`None`). Only a whole string
//! literal (or bare key) replaced by a fresh one skips that reading, its old text checked to
//! spell the old string on its own ([`terraform::quoted_value`]).

use asl_syntax::host::Definition;
use asl_syntax::template::SourceMap;
use asl_syntax::terraform::{self, Writing, Written};
use asl_syntax::{Dialect, Node, TextRange, TextSize, Value};

use crate::diagnostic::Edit;
use crate::edits::{indent_of, newline};

/// `edits` of the decoded definition `decoded` (mapped by `map`) of the Terraform file `text`,
/// as edits of `text` in HCL; `None` when one cannot be written exactly.
pub(crate) fn host_edits(
    text: &str,
    decoded: &str,
    map: &SourceMap,
    edits: &[Edit],
) -> Option<Vec<Edit>> {
    let reading = reading(text)?;
    let index = reading.definitions.iter().position(|d| {
        d.decoded
            .as_ref()
            .is_some_and(|(t, span)| t == decoded && *span == map.span())
    })?;
    let read = reading.definitions.get(index)?;
    let writer = Writer {
        text,
        decoded,
        map,
        writing: &read.writing,
        root: read.root.as_ref(),
        unproven: std::cell::Cell::new(false),
    };
    let out = edits
        .iter()
        .map(|e| match read.writing.written? {
            Written::Object => writer.object_edit(e),
            Written::Heredoc { indent } => writer.text_edit(e, Some(indent)),
            Written::Quoted => writer.text_edit(e, None),
        })
        .collect::<Option<Vec<Edit>>>()?;
    // Whole string literals replaced by string literals need no reading back (the most common
    // edits: renames, did-you-mean fixes); anything else does.
    // (Unless another definition is read from the same text: a local value two use.)
    let shared = reading.definitions.iter().enumerate().any(|(i, d)| {
        i != index
            && match (d.decoded.as_ref().and_then(|(_, s)| *s), map.span()) {
                (Some(a), Some(b)) => a.intersect(b).is_some(),
                _ => false,
            }
    });
    if !writer.unproven.get() && !shared {
        return apply(text, &out).map(|_| out);
    }
    reads_back(text, &reading.definitions, index, decoded, edits, &out).then_some(out)
}

/// A Terraform file's definitions as read for writing into them.
struct Reading {
    text: String,
    definitions: Vec<Read>,
}

struct Read {
    logical_id: String,
    /// The decoded text and the host range it comes from, for a decoded definition.
    decoded: Option<(String, Option<TextRange>)>,
    /// The decoded text's JSON tree, when it parses.
    root: Option<Node>,
    /// What kind of definition it is (its [`Definition`] variant).
    kind: std::mem::Discriminant<Definition<'static>>,
    writing: Writing,
}

fn read_all(text: &str) -> Option<Vec<Read>> {
    let all = terraform::definitions_written(text)?;
    Some(
        all.into_iter()
            .map(|(e, writing)| {
                let kind = kind_of(&e.definition);
                let (decoded, root) = match &e.definition {
                    Definition::Text(d) => (
                        Some((d.text.clone(), d.map.span())),
                        asl_syntax::parse(&d.text, Dialect::Json).root,
                    ),
                    _ => (None, None),
                };
                Read {
                    logical_id: e.logical_id.into_owned(),
                    decoded,
                    root,
                    kind,
                    writing,
                }
            })
            .collect(),
    )
}

thread_local! {
    /// The last file read: every fix of a file's findings is written into the same text.
    static LAST: std::cell::RefCell<Option<std::rc::Rc<Reading>>> = const { std::cell::RefCell::new(None) };
}

/// [`read_all`] of `text`, kept for the next call on the same text.
fn reading(text: &str) -> Option<std::rc::Rc<Reading>> {
    if let Some(last) = LAST.with(|l| l.borrow().clone())
        && last.text == text
    {
        return Some(last);
    }
    let reading = std::rc::Rc::new(Reading {
        text: text.to_owned(),
        definitions: read_all(text)?,
    });
    LAST.with(|l| *l.borrow_mut() = Some(reading.clone()));
    Some(reading)
}

struct Writer<'a> {
    text: &'a str,
    decoded: &'a str,
    map: &'a SourceMap,
    writing: &'a Writing,
    root: Option<&'a Node>,
    /// Set by an edit whose exactness only reading the file back can show.
    unproven: std::cell::Cell<bool>,
}

impl Writer<'_> {
    fn slice(&self, r: TextRange) -> Option<&str> {
        self.text.get(usize::from(r.start())..usize::from(r.end()))
    }

    /// Whether `host` reaches into something Terraform evaluates.
    fn evaluated(&self, host: TextRange) -> bool {
        self.writing.evaluated.iter().any(|r| overlaps(*r, host))
    }

    /// The host range of the decoded range `r`, when both its ends are placed exactly (not
    /// inside the source of one decoded character, such as an escape).
    fn exact(&self, r: TextRange) -> Option<TextRange> {
        let host = self.map.range(r);
        let start_ok = self.map.offset(host.start()) == Some(r.start());
        let end_ok = r.is_empty() || self.map.offset(host.end()) == Some(r.end());
        (start_ok && end_ok && !self.evaluated(host)).then_some(host)
    }

    /// `new` (template text, escaped) placed at `host` so that no `${` or `%{` forms with the
    /// text around it.
    fn joins(&self, host: TextRange, new: &str) -> bool {
        let before = self
            .text
            .get(..usize::from(host.start()))
            .and_then(|s| s.chars().next_back());
        let after = self
            .text
            .get(usize::from(host.end())..)
            .and_then(|s| s.chars().next());
        let sigil = |c: Option<char>| matches!(c, Some('$' | '%'));
        let opens = |c: Option<char>| matches!(c, Some('{' | '$' | '%'));
        !(sigil(before) && opens(new.chars().next())
            || sigil(new.chars().next_back()) && opens(after))
    }

    /// An edit of a heredoc's (`indent`: its removed indentation) or a quoted string's JSON
    /// text.
    fn text_edit(&self, e: &Edit, indent: Option<usize>) -> Option<Edit> {
        self.unproven.set(true);
        let host = self.exact(e.range)?;
        let new_text = match indent {
            Some(indent) => {
                let line = indent_of(self.text, host.start());
                let prefix = if line.len() >= indent {
                    line.get(..indent)?.to_owned()
                } else {
                    " ".repeat(indent)
                };
                let escaped = terraform::escape_template(&e.new_text);
                escaped.replace('\n', &format!("\n{prefix}"))
            }
            None => terraform::escape_quoted(&e.new_text),
        };
        self.joins(host, &new_text).then_some(Edit {
            range: host,
            new_text,
        })
    }

    /// An edit of a `jsonencode` definition's JSON.
    fn object_edit(&self, e: &Edit) -> Option<Edit> {
        let root = self.root?;
        if let Some((token, key)) = string_token(root, e.range) {
            // A string value replaced by another kind of value: below.
            let other_value = !key && e.range == token && json_string(&e.new_text).is_none();
            if !other_value {
                return self.string_edit(token, key, e);
            }
        }
        self.unproven.set(true);
        if let Some(node) = node_at(root, e.range) {
            let host = self.map.range(node.range);
            if self.evaluated(host) || node.range.is_empty() {
                return None;
            }
            let value = json_value(&e.new_text)?;
            return Some(Edit {
                range: host,
                new_text: hcl(&value, &e.new_text)?,
            });
        }
        if e.range.is_empty() {
            return self.insertion(root, e);
        }
        None
    }

    /// An edit inside (or of the whole of) the JSON string `token` (`key`: an object key).
    fn string_edit(&self, token: TextRange, key: bool, e: &Edit) -> Option<Edit> {
        let host = self.map.range(token);
        let raw = self.slice(host)?;
        let whole = e.range == token;
        // The token's string, which the host text at `host` must spell for an edit there to
        // be exact without reading the file back.
        let old = self
            .decoded
            .get(usize::from(token.start())..usize::from(token.end()))
            .and_then(json_string);
        if raw.starts_with('"') {
            if whole {
                if self.evaluated(host) {
                    return None;
                }
                if old.is_none() || terraform::quoted_value(raw) != old {
                    self.unproven.set(true);
                }
                let value = json_string(&e.new_text)?;
                return Some(Edit {
                    range: host,
                    new_text: format!("\"{}\"", terraform::escape_quoted(&value)),
                });
            }
            self.unproven.set(true);
            let written = self
                .decoded
                .get(usize::from(token.start())..usize::from(token.end()))?;
            let (a, b) = inner(token, e.range)?;
            if splits_escape(written, a) || splits_escape(written, b) {
                return None;
            }
            let part = json_string(&format!("\"{}\"", e.new_text))?;
            let at = self.exact(e.range)?;
            let new_text = terraform::escape_quoted(&part);
            return self.joins(at, &new_text).then_some(Edit {
                range: at,
                new_text,
            });
        }
        // A key written bare: the whole key, bare again when it can be.
        if !key || !terraform::is_bare_key(raw) || self.evaluated(host) {
            return None;
        }
        if old.as_deref() != Some(raw) {
            self.unproven.set(true);
        }
        let name = if whole {
            json_string(&e.new_text)?
        } else {
            let (a, b) = inner(token, e.range)?;
            let part = json_string(&format!("\"{}\"", e.new_text))?;
            format!("{}{part}{}", raw.get(..a)?, raw.get(b..)?)
        };
        let new_text = if terraform::is_bare_key(&name) {
            name
        } else {
            format!("\"{}\"", terraform::escape_quoted(&name))
        };
        Some(Edit {
            range: host,
            new_text,
        })
    }

    /// An added member of an object, or element of an array.
    fn insertion(&self, root: &Node, e: &Edit) -> Option<Edit> {
        let at = e.range.start();
        let container = container_at(root, at)?;
        let fragment = e.new_text.trim();
        let (lead, rest) = match fragment.strip_prefix(',') {
            Some(rest) => (true, rest),
            None => (false, fragment),
        };
        let (trail, core) = match rest.trim_end().strip_suffix(',') {
            Some(core) => (true, core),
            None => (false, rest),
        };
        let open = self.map.range(container.range);
        let nl = newline(self.text);
        match &container.value {
            Value::Object(props) => {
                let added = json_value(&format!("{{{core}}}"))?;
                let Value::Object(members) = &added.value else {
                    return None;
                };
                if members.is_empty() {
                    return None;
                }
                let wrapped = format!("{{{core}}}");
                let member = |p: &asl_syntax::Property| -> Option<String> {
                    Some(format!("{} = {}", key(&p.key), hcl(&p.value, &wrapped)?))
                };
                let written: Vec<String> = members.iter().map(member).collect::<Option<_>>()?;
                let (Some(first), Some(last)) = (props.first(), props.last()) else {
                    // `{}`: the members inside the braces.
                    if lead || trail || self.slice(open)?.get(..1) != Some("{") {
                        return None;
                    }
                    return Some(Edit {
                        range: TextRange::empty(open.start() + TextSize::from(1)),
                        new_text: format!(" {} ", written.join(", ")),
                    });
                };
                let first_key = self.map.range(first.key_range).start();
                let multiline = self
                    .text
                    .get(usize::from(open.start())..usize::from(first_key))
                    .is_some_and(|gap| gap.contains('\n'));
                if lead && !trail && last.value.range.end() == at {
                    let end = self.map.range(last.value.range).end();
                    if self.evaluated(TextRange::empty(end)) {
                        return None;
                    }
                    if multiline {
                        let indent = indent_of(self.text, self.map.range(last.key_range).start());
                        let step = self.step(open.start(), &indent);
                        let sep = format!("{nl}{indent}");
                        let lines = members
                            .iter()
                            .map(|p| {
                                let value = hcl_block(&p.value, &wrapped, &indent, &step, nl)?;
                                Some(format!("{} = {value}", key(&p.key)))
                            })
                            .collect::<Option<Vec<_>>>()?;
                        return Some(Edit {
                            range: TextRange::empty(self.line_end(end)),
                            new_text: format!("{sep}{}", lines.join(&sep)),
                        });
                    }
                    return Some(Edit {
                        range: TextRange::empty(end),
                        new_text: format!(", {}", written.join(", ")),
                    });
                }
                if trail && !lead && first.key_range.start() == at {
                    let line_before = self
                        .text
                        .get(..usize::from(first_key))?
                        .rsplit('\n')
                        .next()?;
                    if multiline && line_before.trim().is_empty() {
                        let sep = format!("{nl}{}", indent_of(self.text, first_key));
                        return Some(Edit {
                            range: TextRange::empty(first_key),
                            new_text: format!("{}{sep}", written.join(&sep)),
                        });
                    }
                    return Some(Edit {
                        range: TextRange::empty(first_key),
                        new_text: format!("{}, ", written.join(", ")),
                    });
                }
                None
            }
            Value::Array(items) => {
                let wrapped = format!("[{core}]");
                let added = json_value(&wrapped)?;
                let Value::Array(values) = &added.value else {
                    return None;
                };
                let written: Vec<String> = values
                    .iter()
                    .map(|v| hcl(v, &wrapped))
                    .collect::<Option<_>>()?;
                let (Some(first), Some(last)) = (items.first(), items.last()) else {
                    return None;
                };
                if values.is_empty() {
                    return None;
                }
                let first_at = self.map.range(first.range).start();
                let multiline = self
                    .text
                    .get(usize::from(open.start())..usize::from(first_at))
                    .is_some_and(|gap| gap.contains('\n'));
                let sep = if multiline {
                    format!(",{nl}{}", indent_of(self.text, first_at))
                } else {
                    ", ".to_owned()
                };
                if trail && !lead && first.range.start() == at {
                    if self.evaluated(TextRange::empty(first_at)) {
                        return None;
                    }
                    return Some(Edit {
                        range: TextRange::empty(first_at),
                        new_text: format!("{}{sep}", written.join(&sep)),
                    });
                }
                if lead && !trail && last.range.end() == at {
                    let end = self.map.range(last.range).end();
                    if self.evaluated(TextRange::empty(end)) {
                        return None;
                    }
                    return Some(Edit {
                        range: TextRange::empty(end),
                        new_text: format!("{sep}{}", written.join(&sep)),
                    });
                }
                None
            }
            _ => None,
        }
    }

    /// One step of indentation: what members at `indent` are indented by more than the line
    /// of their container's `{` at `open`; two spaces when they are not.
    fn step(&self, open: TextSize, indent: &str) -> String {
        let outer = indent_of(self.text, open);
        indent
            .strip_prefix(outer.as_str())
            .filter(|s| !s.is_empty())
            .map_or_else(|| "  ".to_owned(), str::to_owned)
    }

    /// Where a line added after a value ending at `end` goes: the end of its line when only a
    /// comma, spaces or a comment follow it there, else `end`.
    fn line_end(&self, end: TextSize) -> TextSize {
        let start = usize::from(end);
        let rest = self.text.get(start..).unwrap_or("");
        let stop = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = rest.get(..stop).unwrap_or("");
        let after = line.trim_start().trim_start_matches(',').trim_start();
        if after.is_empty() || after.starts_with('#') || after.starts_with("//") {
            TextSize::try_from(start + stop).unwrap_or(end)
        } else {
            end
        }
    }
}

fn size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::from(u32::MAX))
}

/// Strict overlap; an empty `b` overlaps what holds it strictly inside.
fn overlaps(a: TextRange, b: TextRange) -> bool {
    if b.is_empty() {
        a.start() < b.start() && b.start() < a.end()
    } else {
        a.start() < b.end() && b.start() < a.end()
    }
}

/// The offsets inside the quotes of the JSON string `token` where `r` starts and ends, when
/// `r` is strictly inside them.
fn inner(token: TextRange, r: TextRange) -> Option<(usize, usize)> {
    (r.start() > token.start() && r.end() < token.end()).then(|| {
        (
            usize::from(r.start() - token.start()) - 1,
            usize::from(r.end() - token.start()) - 1,
        )
    })
}

/// Whether offset `at` of a JSON string's contents (`written`, quotes included) is inside an
/// escape.
fn splits_escape(written: &str, at: usize) -> bool {
    let bytes = written.as_bytes();
    let mut i = 1;
    while i + 1 < bytes.len() {
        let len = match bytes.get(i) {
            Some(b'\\') if bytes.get(i + 1) == Some(&b'u') => 6,
            Some(b'\\') => 2,
            _ => 1,
        };
        if at + 1 > i && at + 1 < i + len {
            return true;
        }
        i += len;
    }
    false
}

/// The JSON string token (a key, or a string value) holding `r` strictly inside its quotes, or
/// being `r`: its range and whether it is a key.
fn string_token(root: &Node, r: TextRange) -> Option<(TextRange, bool)> {
    let hit = |token: TextRange| token == r || (r.start() > token.start() && r.end() < token.end());
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Object(props) => {
                if let Some(p) = props.iter().find(|p| hit(p.key_range)) {
                    return Some((p.key_range, true));
                }
                props
                    .iter()
                    .map(|p| &p.value)
                    .find(|v| v.range.contains_range(r))
            }
            Value::Array(items) => items.iter().find(|v| v.range.contains_range(r)),
            Value::String(_) => return hit(node.range).then_some((node.range, false)),
            _ => None,
        };
        node = next?;
    }
}

/// The node whose range is `r`.
fn node_at(root: &Node, r: TextRange) -> Option<&Node> {
    let mut node = root;
    loop {
        if node.range == r {
            return Some(node);
        }
        let next = match &node.value {
            Value::Object(props) => props
                .iter()
                .map(|p| &p.value)
                .find(|v| v.range.contains_range(r)),
            Value::Array(items) => items.iter().find(|v| v.range.contains_range(r)),
            _ => None,
        };
        node = next?;
    }
}

/// The innermost object or array holding `at` strictly inside its brackets.
fn container_at(root: &Node, at: TextSize) -> Option<&Node> {
    let inside = |n: &Node| n.range.start() < at && at < n.range.end();
    if !inside(root) {
        return None;
    }
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Object(props) => props.iter().map(|p| &p.value).find(|v| inside(v)),
            Value::Array(items) => items.iter().find(|v| inside(v)),
            _ => None,
        };
        match next {
            Some(n) if matches!(n.value, Value::Object(_) | Value::Array(_)) => node = n,
            Some(_) => return None,
            None => return Some(node),
        }
    }
}

fn json_value(text: &str) -> Option<Node> {
    let parse = asl_syntax::parse(text, Dialect::Json);
    if parse.error.is_some() {
        return None;
    }
    parse.root
}

/// The string a JSON string literal spells.
fn json_string(text: &str) -> Option<String> {
    match json_value(text)?.value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// An object key in HCL: bare when it can be, else quoted.
fn key(name: &str) -> String {
    if terraform::is_bare_key(name) {
        name.to_owned()
    } else {
        format!("\"{}\"", terraform::escape_quoted(name))
    }
}

/// A JSON value (`node`, parsed from `source`, which its ranges index) as an HCL expression,
/// on one line.
fn hcl(node: &Node, source: &str) -> Option<String> {
    Some(match &node.value {
        Value::String(s) => format!("\"{}\"", terraform::escape_quoted(s)),
        // JSON's numbers are HCL's.
        Value::Number(_) => source
            .get(usize::from(node.range.start())..usize::from(node.range.end()))?
            .to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|n| hcl(n, source))
                .collect::<Option<_>>()?;
            format!("[{}]", parts.join(", "))
        }
        Value::Object(props) if props.is_empty() => "{}".to_owned(),
        Value::Object(props) => {
            let parts: Vec<String> = props
                .iter()
                .map(|p| Some(format!("{} = {}", key(&p.key), hcl(&p.value, source)?)))
                .collect::<Option<_>>()?;
            format!("{{ {} }}", parts.join(", "))
        }
    })
}

/// A JSON value as an HCL expression over several lines, its first line where it goes, the
/// others indented from `indent` by `step`: an object one member a line, an array one element
/// a line unless it is a short one of scalars.
fn hcl_block(node: &Node, source: &str, indent: &str, step: &str, nl: &str) -> Option<String> {
    /// The longest array of scalars kept on one line.
    const SHORT: usize = 60;
    let inner = format!("{indent}{step}");
    match &node.value {
        Value::Object(props) if !props.is_empty() => {
            let lines = props
                .iter()
                .map(|p| {
                    let value = hcl_block(&p.value, source, &inner, step, nl)?;
                    Some(format!("{inner}{} = {value}", key(&p.key)))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(format!("{{{nl}{}{nl}{indent}}}", lines.join(nl)))
        }
        Value::Array(items) if !items.is_empty() => {
            let scalars = items
                .iter()
                .all(|n| !matches!(n.value, Value::Object(_) | Value::Array(_)));
            let inline = hcl(node, source)?;
            if scalars && inline.len() <= SHORT {
                return Some(inline);
            }
            let lines = items
                .iter()
                .map(|n| {
                    Some(format!(
                        "{inner}{}",
                        hcl_block(n, source, &inner, step, nl)?
                    ))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(format!(
                "[{nl}{}{nl}{indent}]",
                lines.join(&format!(",{nl}"))
            ))
        }
        _ => hcl(node, source),
    }
}

/// `text` with `edits` applied; `None` when they overlap or do not fit.
fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    for pair in sorted.windows(2) {
        if let [a, b] = pair
            && a.range.end() > b.range.start()
        {
            return None;
        }
    }
    let mut out = text.to_owned();
    for e in sorted.into_iter().rev() {
        let r = std::ops::Range::<usize>::from(e.range);
        if r.end > out.len() || !out.is_char_boundary(r.start) || !out.is_char_boundary(r.end) {
            return None;
        }
        out.replace_range(r, &e.new_text);
    }
    Some(out)
}

/// Where `r` (untouched by `edits`) is once they are applied; `None` when one reaches into it.
fn shifted(r: TextRange, edits: &[Edit]) -> Option<TextRange> {
    let mut delta: i64 = 0;
    for e in edits {
        if e.range.end() <= r.start() {
            delta += e.new_text.len() as i64 - i64::from(u32::from(e.range.len()));
        } else if e.range.start() < r.end() {
            return None;
        }
    }
    let at = |x: TextSize| u32::try_from(i64::from(u32::from(x)) + delta).ok();
    Some(TextRange::new(at(r.start())?.into(), at(r.end())?.into()))
}

/// Whether the file, edited, reads back as intended: the same definitions, the edited one
/// decoding to `decoded` edited, the others as before, every evaluated range where it was.
fn reads_back(
    text: &str,
    before: &[Read],
    index: usize,
    decoded: &str,
    json_edits: &[Edit],
    host_edits: &[Edit],
) -> bool {
    let (Some(expected), Some(edited)) = (apply(decoded, json_edits), apply(text, host_edits))
    else {
        return false;
    };
    let Some(after) = terraform::definitions_written(&edited) else {
        return false;
    };
    if after.len() != before.len() {
        return false;
    }
    before
        .iter()
        .zip(&after)
        .enumerate()
        .all(|(i, (b, (a, aw)))| {
            let same_place = b.writing.written == aw.written
                && b.logical_id == a.logical_id
                && b.writing.evaluated.len() == aw.evaluated.len()
                && b.writing
                    .evaluated
                    .iter()
                    .zip(&aw.evaluated)
                    .all(|(r, s)| shifted(*r, host_edits) == Some(*s));
            let same_text = match (&b.decoded, &a.definition) {
                // The same text (a string edited in place), or the same JSON value.
                (Some(_), Definition::Text(d)) if i == index => {
                    expected == d.text
                        || match (json_value(&expected), json_value(&d.text)) {
                            (Some(x), Some(y)) => same_value(&x, &y),
                            _ => false,
                        }
                }
                (Some((x, _)), Definition::Text(y)) => *x == y.text,
                (None, Definition::Text(_)) => false,
                (_, y) => b.kind == kind_of(y),
            };
            same_place && same_text
        })
}

/// A definition's variant.
fn kind_of(d: &Definition<'_>) -> std::mem::Discriminant<Definition<'static>> {
    match d {
        Definition::Object { .. } | Definition::Missing => {
            std::mem::discriminant(&Definition::Missing)
        }
        Definition::Text(_) => std::mem::discriminant(&Definition::Text(Default::default())),
        Definition::File { .. } => std::mem::discriminant(&Definition::File {
            path: "",
            range: TextRange::default(),
        }),
        Definition::Elsewhere { .. } => std::mem::discriminant(&Definition::Elsewhere {
            range: TextRange::default(),
            why: "",
        }),
    }
}

/// Whether a Terraform JSON configuration (`text`, its tree `root`), edited by `host_edits`,
/// reads back with the definition `decoded` (mapped by `map`) edited by `json_edits` and every
/// other definition as before.
pub(crate) fn json_reads_back(
    text: &str,
    root: &Node,
    decoded: &str,
    map: &SourceMap,
    json_edits: &[Edit],
    host_edits: &[Edit],
) -> bool {
    // What Terraform evaluates (a `${...}` of the decoded text) is never edited.
    let mut from = 0;
    while let Some(open) = decoded.get(from..).and_then(|s| s.find("${")) {
        let start = from + open;
        let end = decoded
            .get(start..)
            .and_then(|s| s.find('}'))
            .map_or(decoded.len(), |i| start + i + 1);
        let span = TextRange::new(size(start), size(end));
        if json_edits.iter().any(|e| overlaps(span, e.range)) {
            return false;
        }
        from = end;
    }
    let before = terraform::json_definitions(text, root);
    let Some(index) = before.iter().position(|e| {
        matches!(&e.definition, Definition::Text(d) if d.text == decoded && d.map.span() == map.span())
    }) else {
        return false;
    };
    let (Some(expected), Some(edited)) = (apply(decoded, json_edits), apply(text, host_edits))
    else {
        return false;
    };
    let Some(edited_root) = json_value(&edited) else {
        return false;
    };
    let after = terraform::json_definitions(&edited, &edited_root);
    after.len() == before.len()
        && before.iter().zip(&after).enumerate().all(|(i, (b, a))| {
            b.logical_id == a.logical_id
                && match (&b.definition, &a.definition) {
                    (Definition::Text(_), Definition::Text(d)) if i == index => {
                        match (json_value(&expected), json_value(&d.text)) {
                            (Some(x), Some(y)) => same_value(&x, &y),
                            (None, None) => expected == d.text,
                            _ => false,
                        }
                    }
                    (Definition::Text(x), Definition::Text(y)) => x.text == y.text,
                    (x, y) => std::mem::discriminant(x) == std::mem::discriminant(y),
                }
        })
}

/// The same JSON value, whatever its ranges.
fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| p.key == q.key && same_value(&p.value, &q.value))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;

    /// `edits` of the `n`th definition's decoded text at the first `needle` there (replaced by
    /// `new_text`), written into `text`.
    fn write(text: &str, n: usize, needle: &str, new_text: &str) -> Option<String> {
        let all = terraform::definitions(text);
        let Definition::Text(d) = &all[n].definition else {
            panic!("{:?}", all[n].definition)
        };
        // `|` in `needle`: an insertion there.
        let plain = needle.replace('|', "");
        let at = d
            .text
            .find(&plain)
            .unwrap_or_else(|| panic!("{needle} in {}", d.text));
        let range = match needle.find('|') {
            Some(i) => TextRange::empty(TextSize::try_from(at + i).unwrap()),
            None => TextRange::at(TextSize::try_from(at).unwrap(), TextSize::of(needle)),
        };
        let edit = Edit {
            range,
            new_text: new_text.to_owned(),
        };
        let out = host_edits(text, &d.text, &d.map, &[edit])?;
        apply(text, &out)
    }

    const TF: &str = "resource \"aws_sfn_state_machine\" \"a\" {\n  definition = jsonencode({\n    Comment = \"For ${var.env} only\"\n    StartAt = \"A\"\n    TimeoutSeconds = var.t\n    States = { A = { Type = \"Pass\", End = true } }\n  })\n}\n";

    #[test]
    fn what_terraform_evaluates_is_never_edited() {
        // Inside the literal part of a template: in place.
        let out = write(TF, 0, "only", "alone").unwrap();
        assert!(out.contains("Comment = \"For ${var.env} alone\""), "{out}");
        // The whole template, the interpolation, or an expression: refused.
        assert_eq!(write(TF, 0, "\"For ${var.env} only\"", "\"x\""), None);
        assert_eq!(write(TF, 0, "${var.env}", "x"), None);
        assert_eq!(write(TF, 0, "${var.t}", "10"), None);
        // Text that would make an interpolation with its neighbour.
        let dollar = TF.replace("For ${var.env} only", "Cost: $");
        assert_eq!(write(&dollar, 0, "$|\"", "{x}"), None);
        let brace = TF.replace("For ${var.env} only", "a{b");
        assert_eq!(write(&brace, 0, "a|{", "%"), None);
        assert!(write(&brace, 0, "a|{", "%x").is_some());
        let out = write(&dollar, 0, "\"Cost: $\"", "\"Cost: ${x}\"").unwrap();
        assert!(out.contains("Comment = \"Cost: $${x}\""), "{out}");
        // A scalar replaced: HCL.
        let out = write(TF, 0, "true", "false").unwrap();
        assert!(out.contains("End = false"), "{out}");
        let out = write(TF, 0, "\"Pass\"", "[1, {\"a b\": null}]").unwrap();
        assert!(out.contains("Type = [1, { \"a b\" = null }]"), "{out}");
    }

    #[test]
    fn a_local_shared_by_two_machines_is_not_edited_for_one() {
        let text = "locals {\n  d = jsonencode({ StartAt = \"A\", States = { A = { Type = \"Pass\", End = true } } })\n}\nresource \"aws_sfn_state_machine\" \"a\" {\n  definition = local.d\n}\nresource \"aws_sfn_state_machine\" \"b\" {\n  definition = local.d\n}\n";
        assert_eq!(write(text, 0, "\"A\"", "\"B\""), None);
        let one = text.replace(
            "resource \"aws_sfn_state_machine\" \"b\" {\n  definition = local.d\n}\n",
            "",
        );
        let out = write(&one, 0, "\"A\"", "\"B\"").unwrap();
        assert!(out.contains("StartAt = \"B\""), "{out}");
    }

    #[test]
    fn terraform_json_strings_take_hcl_escaped_for_json() {
        let text = r#"{"resource": {"aws_sfn_state_machine": {"x": {"definition": "${jsonencode({StartAt = \"A\", TimeoutSeconds = var.t, States = {A = {Type = \"Pass\", End = true}}})}"}}}}"#;
        let root = asl_syntax::parse(text, Dialect::Json).root.unwrap();
        let all = terraform::json_definitions(text, &root);
        let Definition::Text(d) = &all[0].definition else {
            panic!("{:?}", all[0].definition)
        };
        let edit = |needle: &str, new_text: &str| {
            let at = d.text.find(needle).unwrap();
            let e = Edit {
                range: TextRange::at(size(at), TextSize::of(needle)),
                new_text: new_text.to_owned(),
            };
            crate::embedded::host_edits(text, Dialect::Json, Some(&root), &d.text, &d.map, &[e])
                .and_then(|out| apply(text, &out))
        };
        let out = edit("\"A\"", "\"Say \\\"hi\\\"\"").unwrap();
        assert!(out.contains(r#"StartAt = \"Say \\\"hi\\\"\""#), "{out}");
        // An expression, `${`, `%{`: refused.
        assert_eq!(edit("${var.t}", "10"), None);
        assert_eq!(edit("\"A\"", "\"${x}\""), None);
        assert_eq!(edit("\"A\"", "\"%{x}\""), None);
    }

    #[test]
    fn heredoc_lines_keep_the_heredoc_indentation() {
        let text = "resource \"aws_sfn_state_machine\" \"h\" {\n  definition = <<-EOF\n    {\n      \"StartAt\": \"A\"\n    }\n    EOF\n}\n";
        let out = write(text, 0, "\"A\"", "\"A\",\n  \"Comment\": \"50%{x}\"").unwrap();
        assert!(
            out.contains("      \"StartAt\": \"A\",\n      \"Comment\": \"50%%{x}\"\n    }"),
            "{out}"
        );
        // A line that would end the heredoc: refused.
        assert_eq!(write(text, 0, "\"A\"", "\"A\"\nEOF\n"), None);
    }
}
