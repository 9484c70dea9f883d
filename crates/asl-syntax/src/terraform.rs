//! State machines in Terraform configurations (`*.tf`, HCL).
//!
//! Two shapes hold a definition:
//!
//! - `resource "aws_sfn_state_machine" "<name>" { definition = ..., type = "EXPRESS" }`, named
//!   `aws_sfn_state_machine.<name>`;
//! - the `terraform-aws-modules/step-functions` module, `module "<name>" { source = ...,
//!   definition = ..., type = "express" }` (the module upper-cases `type`), named
//!   `module.<name>`.
//!
//! The `definition` argument is read as:
//!
//! - `jsonencode({ StartAt = "A", States = { ... } })`: the HCL object expression is written
//!   out as JSON text, with a [`SourceMap`](crate::template::SourceMap) from every byte of it to
//!   the HCL token it came from (a key to the HCL key, a value to the HCL value), so findings
//!   point into the `.tf` file. Keys are bare identifiers or quoted strings; strings keep their
//!   escapes' places. Every expression that Terraform evaluates (`aws_lambda_function.f.arn`,
//!   `var.timeout`, a function call, a conditional, a `for` expression, arithmetic) becomes a
//!   `${...}` placeholder at its place: bare in value position, which the JSON reader reads as a
//!   string holding the placeholder ([`crate::parse`]), so `TimeoutSeconds = var.timeout` reads
//!   like CloudFormation's `"TimeoutSeconds": ${Timeout}` and is no error; an interpolation
//!   inside a string (`"arn:${local.partition}:states:::sqs:sendMessage"`) stays a placeholder
//!   inside the JSON string.
//! - a heredoc (`<<EOF`, or `<<-EOF` with its indentation removed) or a quoted string: JSON
//!   text, each `${...}` interpolation a placeholder at its place. A template directive
//!   (`%{ if ... }`) makes the text unknowable here ([`Definition::Elsewhere`]).
//! - `file("x.json")`, `file("${path.module}/x.json")` or `templatefile("x.json", {...})`: a
//!   definition file relative to the `.tf` file's folder ([`Definition::File`]); a
//!   `templatefile` file's `${name}` placeholders are read by the JSON reader as everywhere.
//! - `local.NAME`, when a `locals` block of the same file sets it: that value, read where it is
//!   written.
//! - anything else (`var.definition`, a local of another file, `data.template_file.x.rendered`):
//!   known only when Terraform plans ([`Definition::Elsewhere`]).
//!
//! The reader is `hcl-edit`, which keeps every token's span and bounds its nesting (64 levels),
//! so hostile input is a syntax error, never a deep recursion; the JSON writer here recurses
//! over that bounded tree only.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::ops::Range;

use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::template::{Element, Template};
use text_size::{TextRange, TextSize};

use crate::template::{Builder, Decoded, Definition, Embedded, escape_pointer};
use crate::tree::Node;
use crate::{Parse, SyntaxError, SyntaxErrorKind};

/// The resource type that holds a state machine definition.
pub const RESOURCE_TYPE: &str = "aws_sfn_state_machine";

/// The module sources (registry, or its GitHub repository) of the community step-functions
/// module.
pub const MODULE_SOURCES: [&str; 2] = [
    "terraform-aws-modules/step-functions",
    "terraform-aws-modules/terraform-aws-step-functions",
];

/// The words a Terraform file holding a state machine mentions (the cheap look): the resource
/// type as a block label or JSON key (quoted: a reference such as `aws_sfn_state_machine.x.arn`
/// in an IAM policy is not one), or the module's source.
const WORDS: [&str; 3] = [
    "\"aws_sfn_state_machine\"",
    MODULE_SOURCES[0],
    MODULE_SOURCES[1],
];

const WHY_EXPRESSION: &str = "its value is known only when Terraform plans (a variable, local value, data source or function result)";
const WHY_DIRECTIVE: &str =
    "its text is built by a template directive (`%{...}`), known only when Terraform plans";
const WHY_PATH: &str = "its file's path is known only when Terraform plans";

/// The deepest the JSON writer goes; `hcl-edit` stops at 64 levels before this.
const MAX_DEPTH: usize = 128;

const BOM: &str = "\u{feff}";

/// True when a `.tf` name (or URI path), in any letter case.
pub fn is_terraform_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".tf")
}

/// True when `text` mentions a state machine resource or the step-functions module: a byte scan
/// before any parse.
pub fn mentioned(text: &str) -> bool {
    let bytes = text.as_bytes();
    WORDS
        .iter()
        .any(|w| memchr::memmem::find(bytes, w.as_bytes()).is_some())
}

/// True when `text` is Terraform's JSON syntax (`*.tf.json`): it opens with `{`, which no HCL
/// body does.
pub fn is_json_syntax(text: &str) -> bool {
    text.strip_prefix(BOM)
        .unwrap_or(text)
        .trim_start()
        .starts_with('{')
}

/// A Terraform file's "parse": no JSON/YAML tree (`root` is `None`), and the HCL syntax error,
/// if any, at its place.
pub fn parse(text: &str) -> Parse {
    Parse {
        root: None,
        error: read(text).err(),
        non_standard: Vec::new(),
        duplicates: Vec::new(),
        comments: Vec::new(),
    }
}

/// The HCL body and the offset its spans are relative to (a byte-order mark's length).
fn read(text: &str) -> Result<(Body, usize), SyntaxError> {
    let (body_text, base) = match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    };
    match hcl_edit::parser::parse_body(body_text) {
        Ok(body) => Ok((body, base)),
        Err(err) => {
            let at = (err.location().offset() + base).min(text.len());
            let width = text
                .get(at..)
                .and_then(|t| t.chars().next())
                .filter(|c| *c != '\n' && *c != '\r')
                .map_or(0, char::len_utf8);
            Err(SyntaxError {
                range: TextRange::at(size(at), size(width)),
                message: format!("invalid HCL: {}", err.message()),
                kind: SyntaxErrorKind::Invalid,
            })
        }
    }
}

fn size(n: usize) -> TextSize {
    TextSize::from(u32::try_from(n).unwrap_or(u32::MAX))
}

fn text_range(r: &Range<usize>) -> TextRange {
    TextRange::new(size(r.start), size(r.end.max(r.start)))
}

/// The state machines of a Terraform file (none when it does not parse: [`parse`] has the
/// error).
pub fn definitions(text: &str) -> Vec<Embedded<'_>> {
    read_definitions(text)
        .map(|all| all.into_iter().map(|(e, _)| e).collect())
        .unwrap_or_default()
}

/// How a decoded definition of a Terraform file is written in the file, which an edit of its
/// decoded text is written back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `jsonencode({...})`: an HCL object expression, written out as JSON.
    Object,
    /// A heredoc holding JSON text; `indent` columns of each line are removed (`<<-`).
    Heredoc { indent: usize },
    /// A quoted string holding JSON text (with HCL's escapes).
    Quoted,
}

/// What an editor needs to write into one definition of a Terraform file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writing {
    /// How the definition is written, when it is decoded text ([`Definition::Text`]).
    pub written: Option<Written>,
    /// The ranges of the file read as `${...}` placeholders in it (expressions, interpolations
    /// and directives Terraform evaluates), in file order: an edit must leave them alone.
    pub evaluated: Vec<TextRange>,
}

/// Whether `s` can be an object key written bare (`Load = {...}`): an HCL identifier that is
/// not `true`, `false`, `null` or `for` (read as a value, or a `for` expression, there).
pub fn is_bare_key(s: &str) -> bool {
    let mut chars = s.chars();
    let start = chars.next().is_some_and(|c| c == '_' || c.is_alphabetic());
    start
        && chars.all(|c| c == '_' || c == '-' || c.is_alphanumeric())
        && !matches!(s, "true" | "false" | "null" | "for")
}

/// `s` as the inside of an HCL quoted string: HCL's escapes, and `$${`/`%%{` so Terraform reads
/// no interpolation or directive in it.
pub fn escape_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    escape_template(&out)
}

/// The string that `raw` spells when it is exactly one HCL quoted string literal without
/// interpolations or directives (`"a$${b}\n"`), else `None`.
pub fn quoted_value(raw: &str) -> Option<String> {
    if !raw.starts_with('"') || !raw.ends_with('"') || raw.len() < 2 {
        return None;
    }
    match hcl_edit::parser::parse_expr(raw).ok()? {
        Expression::String(s) if s.span() == Some(0..raw.len()) => Some(s.value().to_string()),
        _ => None,
    }
}

/// `s` as literal template text (a heredoc's, or inside a quoted string after its escapes):
/// `${` and `%{` doubled to `$${` and `%%{`.
pub fn escape_template(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

/// The state machines of a Terraform file, each with how it is written; `None` when the file
/// is not HCL.
pub fn definitions_written(text: &str) -> Option<Vec<(Embedded<'_>, Writing)>> {
    read_definitions(text)
}

fn read_definitions(text: &str) -> Option<Vec<(Embedded<'_>, Writing)>> {
    let Ok((body, base)) = read(text) else {
        return None;
    };
    // The file's `locals { name = ... }`: a `definition = local.name` reads its value.
    let locals: Vec<(&str, &Expression)> = body
        .iter()
        .filter_map(|s| s.as_block())
        .filter(|b| b.ident.as_str() == "locals" && b.labels.is_empty())
        .flat_map(|b| b.body.attributes())
        .map(|a| (a.key.as_str(), &a.value))
        .collect();
    let reader = Reader {
        text,
        base,
        locals: &locals,
        evaluated: RefCell::default(),
        written: Cell::default(),
    };
    let mut out = Vec::new();
    for block in body.iter().filter_map(|s| s.as_block()) {
        reader.evaluated.take();
        reader.written.take();
        if let Some(embedded) = reader.block(block) {
            let written = match embedded.definition {
                Definition::Text(_) => reader.written.take(),
                _ => None,
            };
            let mut evaluated = reader.evaluated.take();
            evaluated.sort_by_key(|r| (r.start(), r.end()));
            evaluated.dedup();
            out.push((embedded, Writing { written, evaluated }));
        }
    }
    Some(out)
}

struct Reader<'t, 'b> {
    text: &'t str,
    base: usize,
    /// The file's local values, by name.
    locals: &'b [(&'b str, &'b Expression)],
    /// The ranges read as placeholders so far.
    evaluated: RefCell<Vec<TextRange>>,
    /// How the last definition read is written.
    written: Cell<Option<Written>>,
}

impl<'t, 'b> Reader<'t, 'b> {
    /// A span in the file's text; `or` when the node has none (it always has after a parse).
    fn span(&self, node: &dyn Span, or: &Range<usize>) -> Range<usize> {
        match node.span() {
            Some(r) => r.start + self.base..r.end + self.base,
            None => or.clone(),
        }
    }

    fn slice(&self, r: &Range<usize>) -> &'t str {
        self.text.get(r.clone()).unwrap_or("")
    }

    /// The text of a quoted string literal (without its quotes) when it has no escapes.
    fn plain_string(&self, expr: &Expression, or: &Range<usize>) -> Option<(&'t str, TextRange)> {
        let Expression::String(s) = expr else {
            return None;
        };
        let r = self.span(s, or);
        let inner = r.start.saturating_add(1)..r.end.saturating_sub(1);
        let raw = self.slice(&inner);
        (raw == s.value().as_str()).then(|| (raw, text_range(&r)))
    }

    fn block(&self, block: &Block) -> Option<Embedded<'t>> {
        let whole = self.span(block, &(0..0));
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let (kind, name_label) = match (block.ident.as_str(), labels.as_slice()) {
            ("resource", [RESOURCE_TYPE, _]) => ("resource", block.labels.get(1)?),
            ("module", [_]) => {
                let source = attribute(&block.body, "source")?;
                let value = source.value.as_str()?;
                if !MODULE_SOURCES.iter().any(|s| value.contains(s)) {
                    return None;
                }
                ("module", block.labels.first()?)
            }
            _ => return None,
        };
        let name = name_label.as_str();
        let id_range = text_range(&self.span(name_label, &whole));
        let workflow_type = attribute(&block.body, "type").and_then(|a| {
            if kind == "module" {
                // The module passes `upper(var.type)` on.
                module_type(a.value.as_str()?)
            } else {
                self.plain_string(&a.value, &whole).map(|(s, _)| s)
            }
        });
        let (logical_id, pointer) = names(kind == "module", name);
        let definition = match attribute(&block.body, "definition") {
            Some(a) => {
                let range = self.span(&a.value, &whole);
                self.definition(&a.value, range)
            }
            None => Definition::Missing,
        };
        Some(Embedded {
            logical_id: Cow::Owned(logical_id),
            id_range,
            workflow_type,
            pointer,
            definition,
        })
    }

    /// The value of `local.NAME` when this file's `locals` set it.
    fn local(&self, expr: &Expression) -> Option<&'b Expression> {
        let Expression::Traversal(t) = expr else {
            return None;
        };
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let [op] = t.operators.as_slice() else {
            return None;
        };
        let TraversalOperator::GetAttr(name) = op.value() else {
            return None;
        };
        if root.as_str() != "local" {
            return None;
        }
        self.locals
            .iter()
            .find(|(key, _)| *key == name.as_str())
            .map(|(_, value)| *value)
    }

    /// Where a `definition` argument's value is.
    fn definition<'e>(&self, value: &'e Expression, range: Range<usize>) -> Definition<'t>
    where
        'b: 'e,
    {
        // `(x)` and `"${x}"` are `x`; `local.x` is its value in this file's `locals`.
        let mut expr: &'e Expression = value;
        let mut range = range;
        for _ in 0..MAX_DEPTH {
            let inner: &'e Expression = match expr {
                Expression::Parenthesis(p) => p.inner(),
                Expression::StringTemplate(t) => match t.iter().collect::<Vec<_>>().as_slice() {
                    [Element::Interpolation(i)] => &i.expr,
                    _ => break,
                },
                e => match self.local(e) {
                    Some(value) => value,
                    None => break,
                },
            };
            range = self.span(inner, &range);
            expr = inner;
        }
        let elsewhere = |why| Definition::Elsewhere {
            range: text_range(&range),
            why,
        };
        match expr {
            Expression::FuncCall(call) if call.name.namespace.is_empty() => {
                let args: Vec<&Expression> = call.args.iter().collect();
                match (call.name.name.as_str(), args.as_slice()) {
                    ("jsonencode", [arg]) => {
                        let mut arg: &Expression = arg;
                        while let Expression::Parenthesis(p) = arg {
                            arg = p.inner();
                        }
                        if !matches!(arg, Expression::Object(_)) {
                            return elsewhere(WHY_EXPRESSION);
                        }
                        let mut b = Builder::default();
                        let arg_range = self.span(arg, &range);
                        self.json(&mut b, arg, &arg_range, 0);
                        self.written.set(Some(Written::Object));
                        Definition::Text(b.finish(arg_range.end))
                    }
                    ("file", [path]) | ("templatefile", [path, _]) => {
                        let path_range = self.span(*path, &range);
                        match self.path(path, &path_range) {
                            Some(p) => Definition::File {
                                path: p,
                                range: text_range(&path_range),
                            },
                            None => elsewhere(WHY_PATH),
                        }
                    }
                    _ => elsewhere(WHY_EXPRESSION),
                }
            }
            Expression::HeredocTemplate(h) => {
                let indent = h.indent().unwrap_or(0);
                self.written.set(Some(Written::Heredoc { indent }));
                match self.text_of(&h.template, Mode::Heredoc(indent), &range) {
                    Some(decoded) => Definition::Text(decoded),
                    None => elsewhere(WHY_DIRECTIVE),
                }
            }
            Expression::String(s) => {
                let mut b = Builder::default();
                let inner = range.start.saturating_add(1)..range.end.saturating_sub(1);
                self.literal(&mut b, s.value(), &inner, Mode::Quoted, false, &mut true);
                self.written.set(Some(Written::Quoted));
                Definition::Text(b.finish(range.end))
            }
            Expression::StringTemplate(t) => {
                self.written.set(Some(Written::Quoted));
                let elements: Vec<&Element> = t.iter().collect();
                match self.text_of_elements(&elements, Mode::Quoted, &range) {
                    Some(decoded) => Definition::Text(decoded),
                    None => elsewhere(WHY_DIRECTIVE),
                }
            }
            _ => elsewhere(WHY_EXPRESSION),
        }
    }

    /// A `file()`/`templatefile()` path: a plain string, or `"${path.module}/..."`.
    fn path(&self, expr: &Expression, range: &Range<usize>) -> Option<&'t str> {
        if let Some((path, _)) = self.plain_string(expr, range) {
            return Some(path);
        }
        let Expression::StringTemplate(t) = expr else {
            return None;
        };
        match t.iter().collect::<Vec<_>>().as_slice() {
            [Element::Interpolation(i), Element::Literal(rest)] => {
                let module = self.slice(&self.span(&i.expr, range)).trim();
                let r = self.span(rest, range);
                let raw = self.slice(&r);
                (module == "path.module" && raw == rest.value().as_str())
                    .then(|| raw.strip_prefix('/'))
                    .flatten()
                    .filter(|p| !p.is_empty())
            }
            _ => None,
        }
    }

    /// A heredoc's text: JSON as written, each interpolation a placeholder; `None` when it has a
    /// directive.
    fn text_of(&self, template: &Template, mode: Mode, range: &Range<usize>) -> Option<Decoded> {
        let elements: Vec<&Element> = template.iter().collect();
        self.text_of_elements(&elements, mode, range)
    }

    fn text_of_elements(
        &self,
        elements: &[&Element],
        mode: Mode,
        range: &Range<usize>,
    ) -> Option<Decoded> {
        let mut b = Builder::default();
        let mut line_start = true;
        for element in elements {
            let r = self.span(*element, range);
            match element {
                Element::Literal(l) => {
                    self.literal(&mut b, l.value(), &r, mode, false, &mut line_start)
                }
                Element::Interpolation(_) => {
                    self.placeholder(&mut b, &r, true);
                    line_start = false;
                }
                Element::Directive(_) => return None,
            }
        }
        let end = match mode {
            Mode::Quoted => range.end,
            // The last line break before the closing delimiter.
            Mode::Heredoc(_) => elements
                .last()
                .map_or(range.end, |e| self.span(*e, range).end),
        };
        Some(b.finish(end))
    }

    /// Appends a literal's value (decoded by `hcl-edit`), each character mapped to its source in
    /// `raw` (escapes, `$${`, `%%{` and a heredoc's removed indentation), JSON-escaped when
    /// `escape`. `line_start`: `raw` starts a heredoc line; updated.
    fn literal(
        &self,
        b: &mut Builder,
        value: &str,
        raw: &Range<usize>,
        mode: Mode,
        escape: bool,
        line_start: &mut bool,
    ) {
        let source = self.slice(raw);
        let mut chars = decode_literal(source, raw.start, mode, *line_start);
        if chars.iter().map(|(c, _, _)| *c).ne(value.chars()) {
            chars = align(value, source, raw.start);
        }
        if let Mode::Heredoc(_) = mode {
            *line_start = value.ends_with('\n') || (value.is_empty() && *line_start);
        }
        for (c, start, end) in chars {
            if escape {
                push_json_char(b, c, start, end);
            } else {
                b.push(c, start, end);
            }
        }
    }

    /// Appends `${...}` standing for the expression or template part at `r`, every byte of it
    /// mapped to `r`. `interpolation`: `r` is `${...}` itself, whose inside names it.
    fn placeholder(&self, b: &mut Builder, r: &Range<usize>, interpolation: bool) {
        let mut source = self.slice(r);
        if interpolation {
            source = source
                .get(2..source.len().saturating_sub(1))
                .unwrap_or("")
                .trim_matches(|c: char| c == '~' || c.is_whitespace());
        }
        let name = placeholder_name(source);
        self.evaluated.borrow_mut().push(text_range(r));
        b.push_str(&format!("${{{name}}}"), text_range(r));
    }

    /// Writes an HCL expression as JSON (inside `jsonencode`).
    fn json(&self, b: &mut Builder, expr: &Expression, or: &Range<usize>, depth: usize) {
        let r = self.span(expr, or);
        let empty = |at: usize| TextRange::empty(size(at));
        if depth > MAX_DEPTH {
            self.placeholder(b, &r, false);
            return;
        }
        match expr {
            Expression::Null(_) => b.push_str("null", text_range(&r)),
            Expression::Bool(v) => {
                b.push_str(if *v.value() { "true" } else { "false" }, text_range(&r))
            }
            Expression::Number(n) => {
                let raw = self.slice(&r);
                if is_json_number(raw) {
                    // As written.
                    for (i, c) in raw.char_indices() {
                        b.push(c, r.start + i, r.start + i + c.len_utf8());
                    }
                } else {
                    b.push_str(&n.value().to_string(), text_range(&r));
                }
            }
            Expression::String(s) => {
                let inner = r.start.saturating_add(1)..r.end.saturating_sub(1);
                b.push('"', r.start, inner.start);
                self.literal(b, s.value(), &inner, Mode::Quoted, true, &mut true);
                b.push('"', inner.end, r.end);
            }
            Expression::StringTemplate(t) => {
                let elements: Vec<&Element> = t.iter().collect();
                b.push('"', r.start, r.start.saturating_add(1).min(r.end));
                self.json_template(b, &elements, Mode::Quoted, &r);
                b.push('"', r.end.saturating_sub(1).max(r.start), r.end);
            }
            Expression::HeredocTemplate(h) => {
                let elements: Vec<&Element> = h.template.iter().collect();
                b.push('"', r.start, r.start);
                self.json_template(b, &elements, Mode::Heredoc(h.indent().unwrap_or(0)), &r);
                b.push('"', r.end, r.end);
            }
            Expression::Array(items) => {
                b.push('[', r.start, r.start.saturating_add(1).min(r.end));
                let mut last = r.start.saturating_add(1);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        b.push_str(", ", empty(last));
                    }
                    self.json(b, item, &r, depth + 1);
                    last = self.span(item, &r).end;
                }
                b.push(']', r.end.saturating_sub(1).max(r.start), r.end);
            }
            Expression::Object(object) => {
                b.push('{', r.start, r.start.saturating_add(1).min(r.end));
                let mut last = r.start.saturating_add(1);
                for (i, (key, value)) in object.iter().enumerate() {
                    if i > 0 {
                        b.push_str(", ", empty(last));
                    }
                    let key_range = self.span(key, &r);
                    match key {
                        ObjectKey::Ident(ident) => {
                            b.push('"', key_range.start, key_range.start);
                            let raw = self.slice(&key_range);
                            if raw == ident.as_str() {
                                for (i, c) in raw.char_indices() {
                                    let at = key_range.start + i;
                                    push_json_char(b, c, at, at + c.len_utf8());
                                }
                            } else {
                                for c in ident.as_str().chars() {
                                    push_json_char(b, c, key_range.start, key_range.end);
                                }
                            }
                            b.push('"', key_range.end, key_range.end);
                        }
                        ObjectKey::Expression(
                            e @ (Expression::String(_) | Expression::StringTemplate(_)),
                        ) => self.json(b, e, &key_range, depth + 1),
                        ObjectKey::Expression(_) => {
                            b.push('"', key_range.start, key_range.start);
                            self.placeholder(b, &key_range, false);
                            b.push('"', key_range.end, key_range.end);
                        }
                    }
                    b.push_str(": ", empty(key_range.end));
                    self.json(b, value.expr(), &r, depth + 1);
                    last = self.span(value.expr(), &r).end;
                }
                b.push('}', r.end.saturating_sub(1).max(r.start), r.end);
            }
            Expression::Parenthesis(p) => self.json(b, p.inner(), &r, depth + 1),
            Expression::UnaryOp(op)
                if *op.operator.value() == UnaryOperator::Neg
                    && matches!(op.expr, Expression::Number(_)) =>
            {
                let at = self.span(&op.operator, &r);
                b.push('-', at.start, at.end);
                self.json(b, &op.expr, &r, depth + 1);
            }
            // A value Terraform computes: a bare placeholder, read as a string holding it.
            _ => self.placeholder(b, &r, false),
        }
    }

    /// The inside of a JSON string from a template: literals JSON-escaped, interpolations and
    /// directives as placeholders.
    fn json_template(&self, b: &mut Builder, elements: &[&Element], mode: Mode, or: &Range<usize>) {
        let mut line_start = true;
        for element in elements {
            let r = self.span(*element, or);
            match element {
                Element::Literal(l) => self.literal(b, l.value(), &r, mode, true, &mut line_start),
                Element::Interpolation(_) => {
                    self.placeholder(b, &r, true);
                    line_start = false;
                }
                Element::Directive(_) => {
                    self.placeholder(b, &r, false);
                    line_start = false;
                }
            }
        }
    }
}

/// A definition's name and the JSON Pointer of its `definition` argument.
fn names(module: bool, name: &str) -> (String, String) {
    if module {
        (
            format!("module.{name}"),
            format!("/module/{}/definition", escape_pointer(name)),
        )
    } else {
        (
            format!("{RESOURCE_TYPE}.{name}"),
            format!(
                "/resource/{RESOURCE_TYPE}/{}/definition",
                escape_pointer(name)
            ),
        )
    }
}

/// The module's `type`, which it upper-cases.
fn module_type(value: &str) -> Option<&'static str> {
    match value.to_ascii_uppercase().as_str() {
        "EXPRESS" => Some("EXPRESS"),
        "STANDARD" => Some("STANDARD"),
        _ => None,
    }
}

/// A block of a Terraform JSON configuration (`*.tf.json`) that holds a state machine.
struct JsonBlock<'t> {
    module: bool,
    name: &'t str,
    name_range: TextRange,
    body: &'t Node,
}

fn json_blocks(root: &Node) -> impl Iterator<Item = JsonBlock<'_>> {
    let resources = root
        .get("resource")
        .and_then(|r| r.value.get(RESOURCE_TYPE))
        .and_then(|t| t.value.as_object())
        .unwrap_or(&[]);
    let modules = root
        .get("module")
        .and_then(|m| m.value.as_object())
        .unwrap_or(&[]);
    resources.iter().map(|p| json_block(false, p)).chain(
        modules
            .iter()
            .filter(|p| {
                p.value
                    .get("source")
                    .and_then(|s| s.value.as_str())
                    .is_some_and(|s| MODULE_SOURCES.iter().any(|m| s.contains(m)))
            })
            .map(|p| json_block(true, p)),
    )
}

fn json_block(module: bool, p: &crate::tree::Property) -> JsonBlock<'_> {
    JsonBlock {
        module,
        name: p.key.as_str(),
        name_range: p.key_range,
        body: &p.value,
    }
}

/// True when `root` is a Terraform JSON configuration (`*.tf.json`: `{"resource":
/// {"aws_sfn_state_machine": {...}}}` or a step-functions `module`) holding a state machine.
pub fn is_json_configuration(root: &Node) -> bool {
    json_blocks(root).next().is_some()
}

/// The state machines of a Terraform JSON configuration. A `definition` is a JSON string that
/// Terraform reads as a template: `"${jsonencode({...})}"` (or `file(...)`, ...) is read as the
/// HCL expression it interpolates, as in a `.tf` file; other text as JSON with placeholders
/// (like a `DefinitionString`), each byte mapped through the string's JSON escapes.
pub fn json_definitions<'t>(text: &'t str, root: &'t Node) -> Vec<Embedded<'t>> {
    json_blocks(root)
        .map(|block| {
            let workflow_type = block
                .body
                .get("type")
                .and_then(|t| t.value.as_str())
                .and_then(|t| {
                    if block.module {
                        module_type(t)
                    } else {
                        Some(t)
                    }
                });
            let (logical_id, pointer) = names(block.module, block.name);
            let definition = match block.body.get("definition") {
                Some(p) => json_definition(text, &p.value),
                None => Definition::Missing,
            };
            Embedded {
                logical_id: Cow::Owned(logical_id),
                id_range: block.name_range,
                workflow_type,
                pointer,
                definition,
            }
        })
        .collect()
}

fn json_definition<'t>(text: &'t str, node: &'t Node) -> Definition<'t> {
    let elsewhere = |why| Definition::Elsewhere {
        range: node.range,
        why,
    };
    if node.as_str().is_none() {
        return elsewhere(WHY_EXPRESSION);
    }
    let mut b = Builder::default();
    b.push_string(text, node);
    let decoded = b.finish(node.range.end().into());
    let Ok(template) = hcl_edit::parser::parse_template(&decoded.text) else {
        // Not a template Terraform reads either; the JSON reader says what is wrong.
        return Definition::Text(decoded);
    };
    let elements: Vec<&Element> = template
        .iter()
        .filter(|e| !matches!(e, Element::Literal(l) if l.value().trim().is_empty()))
        .collect();
    if let [Element::Interpolation(i)] = elements.as_slice() {
        let reader = Reader {
            text: &decoded.text,
            base: 0,
            locals: &[],
            evaluated: RefCell::default(),
            written: Cell::default(),
        };
        let whole = 0..decoded.text.len();
        let range = reader.span(&i.expr, &whole);
        let inner = reader.definition(&i.expr, range);
        return rehome(inner, &decoded, text);
    }
    if elements.iter().any(|e| matches!(e, Element::Directive(_))) {
        return elsewhere(WHY_DIRECTIVE);
    }
    Definition::Text(decoded)
}

/// A definition read from a decoded string (`outer`), placed in the host's `text`.
fn rehome<'t>(inner: Definition<'_>, outer: &Decoded, text: &'t str) -> Definition<'t> {
    match inner {
        Definition::Text(d) => Definition::Text(d.through(&outer.map)),
        Definition::File { path, range } => {
            let mapped = outer.map.range(range);
            // The path's own bytes in the host's text, when they are written there as they are.
            let offset = (path.as_ptr() as usize).checked_sub(outer.text.as_ptr() as usize);
            let host = offset.map(|at| outer.map.range(TextRange::at(size(at), size(path.len()))));
            match host.and_then(|r| text.get(usize::from(r.start())..usize::from(r.end()))) {
                Some(p) if p == path => Definition::File {
                    path: p,
                    range: mapped,
                },
                _ => Definition::Elsewhere {
                    range: mapped,
                    why: WHY_PATH,
                },
            }
        }
        Definition::Elsewhere { range, why } => Definition::Elsewhere {
            range: outer.map.range(range),
            why,
        },
        Definition::Object { .. } | Definition::Missing => Definition::Missing,
    }
}

fn attribute<'b>(body: &'b Body, key: &str) -> Option<&'b Attribute> {
    body.get_attribute(key)
}

/// How a literal's source is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A quoted string: backslash escapes.
    Quoted,
    /// A heredoc: no escapes; this many columns of indentation removed from each line (`<<-`).
    Heredoc(usize),
}

/// A literal's characters with their source ranges: HCL's escapes in a quoted string, `$${`
/// and `%%{` (a literal `${` and `%{`), and a heredoc's removed indentation.
fn decode_literal(
    source: &str,
    base: usize,
    mode: Mode,
    line_start: bool,
) -> Vec<(char, usize, usize)> {
    let mut out = Vec::with_capacity(source.len());
    let mut at_line_start = line_start;
    let mut i = 0;
    while let Some(c) = source.get(i..).and_then(|s| s.chars().next()) {
        let rest = source.get(i..).unwrap_or("");
        if let Mode::Heredoc(indent) = mode
            && at_line_start
        {
            at_line_start = false;
            let skip = rest
                .bytes()
                .take(indent)
                .take_while(|b| *b == b' ' || *b == b'\t')
                .count();
            if skip > 0 {
                i += skip;
                continue;
            }
        }
        if (rest.starts_with("$${") || rest.starts_with("%%{")) && c != '\\' {
            out.push((c, base + i, base + i + 2));
            i += 2;
            continue;
        }
        if mode == Mode::Quoted
            && c == '\\'
            && let Some((decoded, len)) = decode_escape(rest)
        {
            out.push((decoded, base + i, base + i + len));
            i += len;
            continue;
        }
        out.push((c, base + i, base + i + c.len_utf8()));
        i += c.len_utf8();
        if c == '\n' {
            at_line_start = true;
        }
    }
    out
}

/// An HCL string escape at the start of `s`: the character and the escape's length.
fn decode_escape(s: &str) -> Option<(char, usize)> {
    let mut chars = s.chars();
    chars.next()?;
    let c = chars.next()?;
    let simple = match c {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        _ => None,
    };
    if let Some(d) = simple {
        return Some((d, 2));
    }
    let digits = match c {
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex = s.get(2..2 + digits)?;
    let code = u32::from_str_radix(hex, 16).ok()?;
    Some((char::from_u32(code)?, 2 + digits))
}

/// Maps each character of `value` to the next equal character of `source` (or to its end).
fn align(value: &str, source: &str, base: usize) -> Vec<(char, usize, usize)> {
    let mut rest = source.char_indices();
    value
        .chars()
        .map(|c| match rest.by_ref().find(|(_, s)| *s == c) {
            Some((i, s)) => (c, base + i, base + i + s.len_utf8()),
            None => (c, base + source.len(), base + source.len()),
        })
        .collect()
}

fn push_json_char(b: &mut Builder, c: char, start: usize, end: usize) {
    let escaped;
    let s: &str = match c {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        c if (c as u32) < 0x20 => {
            escaped = format!("\\u{:04x}", c as u32);
            &escaped
        }
        c => {
            b.push(c, start, end);
            return;
        }
    };
    for e in s.chars() {
        b.push(e, start, end);
    }
}

/// True when `raw` is written as a JSON number.
fn is_json_number(raw: &str) -> bool {
    let leading_zero =
        raw.starts_with('0') && raw.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
    !leading_zero
        && raw.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
}

/// A placeholder's name from an expression's source: on one line, without quotes, backslashes
/// or braces (so it reads the same inside a JSON string and bare), at most 80 bytes.
fn placeholder_name(source: &str) -> String {
    let mut name = String::new();
    let mut space = false;
    for c in source.chars() {
        let c = match c {
            '{' => '(',
            '}' => ')',
            '"' => '\'',
            '\\' => '/',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        };
        if c == ' ' {
            space = !name.is_empty();
            continue;
        }
        if space {
            name.push(' ');
            space = false;
        }
        if name.len() + c.len_utf8() > 80 {
            name.push('…');
            break;
        }
        name.push(c);
    }
    if name.is_empty() {
        "value".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use crate::{Dialect, parse as parse_json};

    fn slice(text: &str, r: TextRange) -> &str {
        &text[usize::from(r.start())..usize::from(r.end())]
    }

    fn decoded(text: &str) -> Decoded {
        let mut all = definitions(text);
        match all.remove(0).definition {
            Definition::Text(d) => d,
            other => panic!("{other:?}"),
        }
    }

    /// The HCL text that the first occurrence of `needle` in the JSON text maps to.
    fn maps_to<'a>(text: &'a str, d: &Decoded, needle: &str) -> &'a str {
        let at = d
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {}", d.text));
        let r = TextRange::at(size(at), size(needle.len()));
        slice(text, d.map.range(r))
    }

    const JSONENCODE: &str = r#"resource "aws_sfn_state_machine" "main" {
  name = "x"
  type = "EXPRESS"
  definition = jsonencode({
    Comment = "Caf\u00e9 \"q\" ${var.env}"
    StartAt = "A",
    States = {
      "A" : {
        Type           = "Task"
        Resource       = aws_lambda_function.f.arn
        TimeoutSeconds = var.timeout
        Retry          = [{ ErrorEquals = ["States.ALL"], MaxAttempts = -1 }]
        Next           = "Gone"
      }
      B = { Type = "Pass", End = true, Result = { n = 1.5, z = null, l = local.x ? 1 : 2 } }
    }
  })
}
"#;

    #[test]
    fn jsonencode_becomes_json_with_every_key_and_value_mapped() {
        let all = definitions(JSONENCODE);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].logical_id, "aws_sfn_state_machine.main");
        assert_eq!(all[0].workflow_type, Some("EXPRESS"));
        assert_eq!(
            all[0].pointer,
            "/resource/aws_sfn_state_machine/main/definition"
        );
        assert_eq!(slice(JSONENCODE, all[0].id_range), "\"main\"");
        let d = decoded(JSONENCODE);
        let root = parse_json(&d.text, Dialect::Json).root.unwrap_or_else(|| {
            panic!("{}", d.text);
        });
        // Each JSON key maps back to its HCL key, each value to its HCL value.
        for (json, hcl) in [
            ("\"Comment\"", "Comment"),
            ("\"StartAt\"", "StartAt"),
            ("\"States\"", "States"),
            ("\"A\": {", "\"A\" : {"),
            ("\"TimeoutSeconds\"", "TimeoutSeconds"),
            ("\"Next\"", "Next"),
            ("\"Gone\"", "\"Gone\""),
            ("\"ErrorEquals\"", "ErrorEquals"),
            ("-1", "-1"),
            ("1.5", "1.5"),
            ("null", "null"),
            ("true", "true"),
            ("${aws_lambda_function.f.arn}", "aws_lambda_function.f.arn"),
            ("${var.timeout}", "var.timeout"),
            ("${local.x ? 1 : 2}", "local.x ? 1 : 2"),
            ("${var.env}", "${var.env}"),
            ("é", "\\u00e9"),
            ("\\\"q\\\"", "\\\"q\\\""),
        ] {
            assert_eq!(maps_to(JSONENCODE, &d, json), hcl, "{json}");
        }
        let states = root.get("States").unwrap();
        let a = states.value.get("A").unwrap();
        let timeout = a.value.get("TimeoutSeconds").unwrap();
        assert_eq!(timeout.value.as_str(), Some("${var.timeout}"));
        assert_eq!(
            slice(JSONENCODE, d.map.range(timeout.value.range)),
            "var.timeout"
        );
        assert_eq!(
            root.get("Comment").unwrap().value.as_str(),
            Some("Café \"q\" ${var.env}")
        );
        for key in ["Comment", "StartAt", "States"] {
            let p = root.get(key).unwrap();
            assert_eq!(slice(JSONENCODE, d.map.range(p.key_range)), key);
        }
    }

    #[test]
    fn heredocs_and_strings_are_json_text() {
        let text = "resource \"aws_sfn_state_machine\" \"h\" {\n  definition = <<-EOF\n    {\n      \"StartAt\": \"A\",\n      \"TimeoutSeconds\": ${var.t},\n      \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${aws_lambda_function.f.arn}\", \"Comment\": \"$${x}\", \"End\": true}}\n    }\n    EOF\n}\nresource \"aws_sfn_state_machine\" \"s\" {\n  definition = \"{\\\"StartAt\\\": \\\"A\\\", \\\"States\\\": {}}\"\n}\nresource \"aws_sfn_state_machine\" \"plain\" {\n  definition = <<EOT\n{\"StartAt\": \"B\"}\nEOT\n}\n";
        let all = definitions(text);
        assert_eq!(all.len(), 3);
        let Definition::Text(h) = &all[0].definition else {
            panic!("{:?}", all[0].definition)
        };
        assert!(
            h.text.starts_with("{\n  \"StartAt\": \"A\",\n"),
            "{}",
            h.text
        );
        assert_eq!(maps_to(text, h, "\"StartAt\""), "\"StartAt\"");
        assert_eq!(maps_to(text, h, "${var.t}"), "${var.t}");
        assert_eq!(maps_to(text, h, "${x}"), "$${x}");
        let root = parse_json(&h.text, Dialect::Json).root.unwrap();
        assert_eq!(
            root.get("TimeoutSeconds").unwrap().value.as_str(),
            Some("${var.t}")
        );
        let Definition::Text(s) = &all[1].definition else {
            panic!()
        };
        assert_eq!(s.text, "{\"StartAt\": \"A\", \"States\": {}}");
        assert_eq!(maps_to(text, s, "\"A\""), "\\\"A\\\"");
        let Definition::Text(p) = &all[2].definition else {
            panic!()
        };
        assert_eq!(p.text, "{\"StartAt\": \"B\"}\n");
        assert_eq!(maps_to(text, p, "\"B\""), "\"B\"");
    }

    #[test]
    fn files_modules_and_expressions() {
        let text = r#"
resource "aws_sfn_state_machine" "f" {
  definition = file("${path.module}/sm/f.asl.json")
}
resource "aws_sfn_state_machine" "t" {
  definition = templatefile("t.asl.json", { a = 1 })
  type = "STANDARD"
}
resource "aws_sfn_state_machine" "v" {
  definition = var.definition
}
resource "aws_sfn_state_machine" "d" {
  definition = data.template_file.x.rendered
}
resource "aws_sfn_state_machine" "dir" {
  definition = <<EOF
%{ if var.x }{}%{ endif }
EOF
}
resource "aws_sfn_state_machine" "none" {
}
resource "aws_lambda_function" "f" {
  definition = jsonencode({})
}
module "m" {
  source  = "terraform-aws-modules/step-functions/aws"
  version = "~> 4.0"
  type    = "express"
  definition = jsonencode({ StartAt = "A" })
}
module "other" {
  source     = "./other"
  definition = jsonencode({ StartAt = "A" })
}
"#;
        let all = definitions(text);
        let got: Vec<(String, Option<&str>, String)> = all
            .iter()
            .map(|e| {
                let what = match &e.definition {
                    Definition::Text(d) => format!("text {}", d.text),
                    Definition::File { path, range } => {
                        format!("file {path} at {}", slice(text, *range))
                    }
                    Definition::Elsewhere { why, range } => {
                        format!("elsewhere {} ({})", slice(text, *range), &why[..9])
                    }
                    Definition::Missing => "missing".to_owned(),
                    Definition::Object { .. } => "object".to_owned(),
                };
                (e.logical_id.to_string(), e.workflow_type, what)
            })
            .collect();
        let expect: Vec<(String, Option<&str>, String)> = vec![
            (
                "aws_sfn_state_machine.f".into(),
                None,
                "file sm/f.asl.json at \"${path.module}/sm/f.asl.json\"".into(),
            ),
            (
                "aws_sfn_state_machine.t".into(),
                Some("STANDARD"),
                "file t.asl.json at \"t.asl.json\"".into(),
            ),
            (
                "aws_sfn_state_machine.v".into(),
                None,
                "elsewhere var.definition (its value)".into(),
            ),
            (
                "aws_sfn_state_machine.d".into(),
                None,
                "elsewhere data.template_file.x.rendered (its value)".into(),
            ),
            (
                "aws_sfn_state_machine.dir".into(),
                None,
                "elsewhere <<EOF\n%{ if var.x }{}%{ endif }\nEOF (its text )".into(),
            ),
            ("aws_sfn_state_machine.none".into(), None, "missing".into()),
            (
                "module.m".into(),
                Some("EXPRESS"),
                "text {\"StartAt\": \"A\"}".into(),
            ),
        ];
        assert_eq!(got, expect);
        assert_eq!(all[6].pointer, "/module/m/definition");
    }

    #[test]
    fn json_configurations_are_read_from_the_tree() {
        let text = r#"{"resource": {"aws_sfn_state_machine": {
  "e": {"type": "EXPRESS", "definition": "${jsonencode({StartAt = \"A\", States = {A = {Type = \"Pass\", Next = \"Caf\u00e9\"}}})}"},
  "t": {"definition": "{\"StartAt\": \"B\", \"TimeoutSeconds\": ${var.t}}"},
  "f": {"definition": "${file(\"${path.module}/f.asl.json\")}"},
  "v": {"definition": "${var.definition}"}
}}, "module": {"m": {"source": "terraform-aws-modules/step-functions/aws", "type": "standard", "definition": "{}"}}}"#;
        let root = parse_json(text, Dialect::Json).root.unwrap();
        assert!(is_json_configuration(&root));
        let all = json_definitions(text, &root);
        let ids: Vec<_> = all.iter().map(|e| e.logical_id.to_string()).collect();
        assert_eq!(
            ids,
            [
                "aws_sfn_state_machine.e",
                "aws_sfn_state_machine.t",
                "aws_sfn_state_machine.f",
                "aws_sfn_state_machine.v",
                "module.m"
            ]
        );
        assert_eq!(all[0].workflow_type, Some("EXPRESS"));
        assert_eq!(all[4].workflow_type, Some("STANDARD"));
        assert_eq!(slice(text, all[0].id_range), "\"e\"");
        let Definition::Text(e) = &all[0].definition else {
            panic!("{:?}", all[0].definition)
        };
        assert_eq!(
            e.text,
            "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Café\"}}}"
        );
        // Through both the HCL and the JSON string's escapes.
        assert_eq!(maps_to(text, e, "\"Café\""), "\\\"Caf\\u00e9\\\"");
        assert_eq!(maps_to(text, e, "\"States\""), "States");
        let Definition::Text(t) = &all[1].definition else {
            panic!()
        };
        assert_eq!(maps_to(text, t, "${var.t}"), "${var.t}");
        assert!(
            matches!(
                all[2].definition,
                Definition::File {
                    path: "f.asl.json",
                    ..
                }
            ),
            "{:?}",
            all[2].definition
        );
        let Definition::Elsewhere { range, .. } = &all[3].definition else {
            panic!()
        };
        assert_eq!(slice(text, *range), "var.definition");
        let cfn = parse_json(
            r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine"}}}"#,
            Dialect::Json,
        )
        .root
        .unwrap();
        assert!(!is_json_configuration(&cfn));
    }

    #[test]
    fn local_values_of_the_file_are_read_where_they_are_written() {
        let text = "locals {\n  def = <<EOF\n{\"StartAt\": \"A\"}\nEOF\n  alias = local.def\n  loop = local.loop\n}\nresource \"aws_sfn_state_machine\" \"a\" {\n  definition = local.alias\n}\nresource \"aws_sfn_state_machine\" \"b\" {\n  definition = local.loop\n}\nresource \"aws_sfn_state_machine\" \"c\" {\n  definition = local.elsewhere\n}\n";
        let all = definitions(text);
        let Definition::Text(a) = &all[0].definition else {
            panic!("{:?}", all[0].definition)
        };
        assert_eq!(a.text, "{\"StartAt\": \"A\"}\n");
        assert_eq!(maps_to(text, a, "\"A\""), "\"A\"");
        // A local that names itself, and one set in another file: not known here.
        for e in &all[1..] {
            assert!(
                matches!(e.definition, Definition::Elsewhere { .. }),
                "{:?}",
                e.definition
            );
        }
    }

    #[test]
    fn syntax_errors_are_placed_and_hostile_input_is_an_error() {
        let text = "resource \"aws_sfn_state_machine\" \"x\" {\n  definition = \n}\n";
        let error = parse(text).error.unwrap();
        assert!(
            error.message.starts_with("invalid HCL: "),
            "{}",
            error.message
        );
        // Where the value is missing.
        assert_eq!(
            usize::from(error.range.start()),
            text.find(" \n}").unwrap() + 1
        );
        assert!(definitions(text).is_empty());
        let unterminated = "resource \"aws_sfn_state_machine\" \"x\" {\n  definition = <<EOF\n{\n";
        assert!(parse(unterminated).error.is_some());
        let deep = format!(
            "resource \"aws_sfn_state_machine\" \"x\" {{\n  definition = jsonencode({}{})\n}}\n",
            "{a = ".repeat(5000),
            "}".repeat(5000)
        );
        assert!(parse(&deep).error.is_some());
        assert!(definitions(&deep).is_empty());
        let deep_ok = format!(
            "resource \"aws_sfn_state_machine\" \"x\" {{\n  definition = jsonencode({}1{})\n}}\n",
            "{a = ".repeat(60),
            "}".repeat(60)
        );
        assert!(parse(&deep_ok).error.is_none());
        let d = decoded(&deep_ok);
        assert!(parse_json(&d.text, Dialect::Json).root.is_some());
        assert!(parse("\u{feff}x = 1\n").error.is_none());
    }

    #[test]
    fn definitions_say_how_they_are_written_and_what_terraform_evaluates() {
        let text = "resource \"aws_sfn_state_machine\" \"a\" {\n  definition = jsonencode({ StartAt = \"A${var.x}\", TimeoutSeconds = var.t })\n}\nresource \"aws_sfn_state_machine\" \"b\" {\n  definition = <<-EOF\n    {\"StartAt\": \"${local.s}\"}\n    EOF\n}\nresource \"aws_sfn_state_machine\" \"c\" {\n  definition = \"{}\"\n}\nresource \"aws_sfn_state_machine\" \"d\" {\n  definition = var.d\n}\n";
        let all = definitions_written(text).unwrap();
        let got: Vec<(Option<Written>, Vec<&str>)> = all
            .iter()
            .map(|(_, w)| {
                (
                    w.written,
                    w.evaluated.iter().map(|r| slice(text, *r)).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(Written::Object), vec!["${var.x}", "var.t"]),
                (Some(Written::Heredoc { indent: 4 }), vec!["${local.s}"]),
                (Some(Written::Quoted), vec![]),
                (None, vec![]),
            ]
        );
        assert!(definitions_written("x = {").is_none());
        assert!(is_json_syntax("\u{feff} \n{\"resource\": {}}") && !is_json_syntax("x = 1"));
    }

    #[test]
    fn hcl_text_is_escaped_for_terraform() {
        assert_eq!(
            escape_quoted("a\"b\\c\n${x}%{y}"),
            "a\\\"b\\\\c\\n$${x}%%{y}"
        );
        assert_eq!(escape_quoted("\u{1}"), "\\u0001");
        for s in ["a\"b\\c\n${x}%{y}", "$${", "é\t", ""] {
            assert_eq!(
                quoted_value(&format!("\"{}\"", escape_quoted(s))).as_deref(),
                Some(s)
            );
        }
        for raw in ["\"${x}\"", "\"a\" + \"b\"", "x", "\"", "\"a\"b\""] {
            assert_eq!(quoted_value(raw), None, "{raw}");
        }
        assert_eq!(escape_template("{\"a\": \"${b}\"}"), "{\"a\": \"$${b}\"}");
        for key in ["Load", "_x", "a-b", "Fé", "True"] {
            assert!(is_bare_key(key), "{key}");
        }
        for key in [
            "Load it", "1a", "-a", "", "true", "null", "for", "a.b", "a$",
        ] {
            assert!(!is_bare_key(key), "{key}");
        }
        // What the escapes spell reads back.
        let text = format!(
            "resource \"aws_sfn_state_machine\" \"a\" {{\n  definition = jsonencode({{ StartAt = \"{}\" }})\n}}\n",
            escape_quoted("q\"${x}\\")
        );
        let d = decoded(&text);
        let root = parse_json(&d.text, Dialect::Json).root.unwrap();
        assert_eq!(
            root.get("StartAt").unwrap().value.as_str(),
            Some("q\"${x}\\")
        );
        assert!(
            definitions_written(&text).unwrap()[0]
                .1
                .evaluated
                .is_empty()
        );
    }

    #[test]
    fn the_cheap_look_wants_a_block_or_the_module() {
        assert!(mentioned("resource \"aws_sfn_state_machine\" \"x\" {}"));
        assert!(mentioned(
            "module \"m\" { source = \"terraform-aws-modules/step-functions/aws\" }"
        ));
        assert!(mentioned(
            "source = \"git::https://github.com/terraform-aws-modules/terraform-aws-step-functions.git\""
        ));
        // A reference in a policy, or the service's docs, is no state machine.
        assert!(!mentioned("resources = [aws_sfn_state_machine.x.arn]"));
        assert!(!mentioned(
            "# https://docs.aws.amazon.com/step-functions/latest/dg/"
        ));
        assert!(is_json_number("10") && is_json_number("1.5e3") && is_json_number("0.5"));
        assert!(!is_json_number("010") && !is_json_number("x"));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let seeds = [
            JSONENCODE,
            "resource \"aws_sfn_state_machine\" \"h\" {\n  definition = <<-EOF\n    {\"a\": \"${x}\\u00e9\"}\n    EOF\n}\n",
            "module \"m\" {\n source = \"terraform-aws-modules/step-functions/aws\"\n definition = file(\"${path.module}/x\")\n}\n",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for seed in seeds {
            let bytes = seed.as_bytes();
            for _ in 0..400 {
                let mut mutated = bytes.to_vec();
                for _ in 0..(next() % 4 + 1) {
                    let at = (next() as usize) % mutated.len().max(1);
                    match next() % 3 {
                        0 => {
                            mutated.truncate(at);
                        }
                        1 => mutated.insert(at, b"{}[]\"$%\\<-=:,\n"[(next() % 14) as usize]),
                        _ => {
                            if at < mutated.len() {
                                mutated.remove(at);
                            }
                        }
                    }
                }
                let text = String::from_utf8_lossy(&mutated);
                let _ = parse(&text);
                for e in definitions(&text) {
                    if let Definition::Text(d) = &e.definition {
                        let r = d.map.range(TextRange::up_to(size(d.text.len())));
                        assert!(usize::from(r.end()) <= text.len());
                        let _ = parse_json(&d.text, Dialect::Json);
                    }
                }
            }
        }
    }
}
