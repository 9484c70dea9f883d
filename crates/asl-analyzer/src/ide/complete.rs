//! Completion. Reads the editor's current text, broken or not, with the cursor scanner: state
//! names of the cursor's own scope in transition fields, the fields an object takes (for a
//! state: those of its type and query language), `Type` and other enumerated values, error
//! names in `ErrorEquals`, common `Resource` ARNs, and state templates inside `States`.

use asl_syntax::ast::{QueryLanguage, StateKind};
use asl_syntax::{TextRange, TextSize};

use asl_syntax::{Node, Value};

use super::cursor::{
    Cursor, Member, Seg, Slot, classify, cursor_in_tree, members, scan, scope_prefix,
};
use std::sync::Arc;

use super::hover::{field_doc, member_doc, object_label, payload_steps, type_doc};
use crate::edits::json_string;
use crate::sdk_input::{Guess, Step, Target, member_for, sfn_name, shape_at, type_text};
use crate::spec::errors::PREDEFINED_ERRORS;
use crate::spec::fields::{CHOICE_OPERATORS, Expect, Field, Object, QUERY_LANGUAGES, STATE_TYPES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A state name (a transition target).
    State,
    /// A field name.
    Field,
    /// An enumerated value (`Type`, `QueryLanguage`, `true`, ...).
    Value,
    /// An error name.
    Error,
    /// A `Resource` ARN.
    Resource,
    /// A whole new state.
    Template,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// What replaces `range`: plain text, or an LSP snippet when `snippet`.
    pub insert: String,
    pub snippet: bool,
    pub range: TextRange,
    /// The text the editor matches what was typed against (it covers `range`).
    pub filter: String,
    /// Keeps the order given here.
    pub sort: String,
}

/// The document completion reads: its text, and its tree when the text is well-formed (then
/// nothing is scanned: the cursor and the members come from the tree).
#[derive(Clone, Copy)]
pub(crate) struct Src<'a> {
    pub text: &'a str,
    pub tree: Option<&'a Node>,
}

impl<'a> Src<'a> {
    /// The members of the object opening at `start`.
    fn members(&self, start: usize) -> Vec<Member> {
        match self.tree.and_then(|root| node_starting_at(root, start)) {
            Some(node) => node
                .as_object()
                .unwrap_or(&[])
                .iter()
                .map(|p| Member {
                    key: p.key.clone(),
                    value_start: usize::from(p.value.range.start()),
                    string: p.value.as_str().map(str::to_owned),
                })
                .collect(),
            None => members(self.text, start).collect(),
        }
    }

    /// The string value of `key` in the object opening at `start`.
    fn string_of(&self, start: usize, key: &str) -> Option<String> {
        match self.tree.and_then(|root| node_starting_at(root, start)) {
            Some(node) => node.get(key)?.value.as_str().map(str::to_owned),
            None => members(self.text, start)
                .find(|m| m.key == key)
                .and_then(|m| m.string),
        }
    }

    /// The names of the states of the `States` object opening at `start`, with their types.
    fn states(&self, start: usize) -> Vec<(String, Option<String>)> {
        match self.tree.and_then(|root| node_starting_at(root, start)) {
            Some(node) => node
                .as_object()
                .unwrap_or(&[])
                .iter()
                .map(|p| {
                    let kind = p.value.get("Type").and_then(|t| t.value.as_str());
                    (p.key.clone(), kind.map(str::to_owned))
                })
                .collect(),
            None => members(self.text, start)
                .map(|m| {
                    let kind = members(self.text, m.value_start)
                        .find(|x| x.key == "Type")
                        .and_then(|x| x.string);
                    (m.key, kind)
                })
                .collect(),
        }
    }
}

/// The node whose range starts at `start`.
fn node_starting_at(root: &Node, start: usize) -> Option<&Node> {
    let start = TextSize::from(u32::try_from(start).ok()?);
    let mut node = root;
    loop {
        if node.range.start() == start {
            return Some(node);
        }
        node = match &node.value {
            Value::Object(props) => &props.iter().find(|p| p.value.range.contains(start))?.value,
            Value::Array(items) => items.iter().find(|n| n.range.contains(start))?,
            _ => return None,
        };
    }
}

pub(crate) fn completions(
    text: &str,
    tree: Option<&Node>,
    offset: TextSize,
    snippets: bool,
) -> Vec<Completion> {
    let src = Src { text, tree };
    let cursor = match tree {
        Some(root) => cursor_in_tree(text, root, offset),
        None => scan(text, offset),
    };
    let Some(cursor) = cursor else {
        return Vec::new();
    };
    // Inside a string that is already closed (`"Che|"`, the quotes typed or auto-closed),
    // only its content is replaced: editors that insert up to the cursor then still leave one
    // closing quote.
    let inner = cursor.quoted.then_some(cursor.token).filter(|t| {
        let raw = text
            .get(usize::from(t.start())..usize::from(t.end()))
            .unwrap_or("");
        raw.len() >= 2 && raw.ends_with(['"', '\'']) && offset < t.end()
    });
    let inner =
        inner.map(|t| TextRange::new(t.start() + TextSize::from(1), t.end() - TextSize::from(1)));
    let mut out = Builder {
        cursor: &cursor,
        items: Vec::new(),
        snippets,
        inner,
        offset: Some(usize::from(offset)),
    };
    match &cursor.slot {
        Slot::Key => keys(src, &cursor, &mut out),
        Slot::Value(key) => values(src, &cursor, key, &mut out),
        Slot::Element => elements(&cursor, &mut out),
    }
    // LSP wants a completion's range on the cursor's line; a broken token can run over lines
    // (a string holding a raw line break): keep the part on the cursor's line.
    let (line_start, line_end) = line_around(text, usize::from(offset));
    for item in &mut out.items {
        let start = usize::from(item.range.start()).max(line_start);
        let end = usize::from(item.range.end()).min(line_end).max(start);
        item.range = TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32));
    }
    out.items
}

/// The start and end (before its line break) of the line holding byte `at`.
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let head = bytes.get(..at).unwrap_or_default();
    let start = memchr::memrchr2(b'\n', b'\r', head).map_or(0, |p| p + 1);
    let tail = bytes.get(at..).unwrap_or_default();
    let end = memchr::memchr2(b'\n', b'\r', tail).map_or(bytes.len(), |p| at + p);
    (start, end)
}

struct Builder<'c> {
    cursor: &'c Cursor,
    items: Vec<Completion>,
    snippets: bool,
    /// The content range of the closed string the cursor is in.
    inner: Option<TextRange>,
    /// The cursor.
    offset: Option<usize>,
}

impl Builder<'_> {
    fn push(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: Option<String>,
        documentation: Option<String>,
        insert: String,
        snippet: bool,
    ) {
        let (range, insert, filter) = match self.inner {
            Some(inner) => {
                let unquoted = insert
                    .strip_prefix('"')
                    .and_then(|i| i.strip_suffix('"'))
                    .map_or(insert.clone(), str::to_owned);
                (inner, unquoted, label.to_owned())
            }
            None if self.cursor.quoted => (self.cursor.token, insert, json_string(label)),
            None => (self.cursor.token, insert, label.to_owned()),
        };
        let sort = format!("{:04}", self.items.len());
        self.items.push(Completion {
            label: label.to_owned(),
            kind,
            detail,
            documentation,
            insert,
            snippet: snippet && self.snippets,
            range,
            filter,
            sort,
        });
    }

    /// A string value: inserted quoted.
    fn string(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: Option<String>,
        doc: Option<String>,
    ) {
        self.push(label, kind, detail, doc, json_string(label), false);
    }
}

/// The members of the innermost object around the cursor.
fn own_members(src: Src<'_>, cursor: &Cursor) -> Vec<Member> {
    cursor
        .starts
        .last()
        .map(|&s| src.members(s))
        .unwrap_or_default()
}

/// The query language at the cursor: the state's own `QueryLanguage`, else the machine's.
fn query_language(src: Src<'_>, cursor: &Cursor, state_start: Option<usize>) -> QueryLanguage {
    let of = |start: usize| {
        src.string_of(start, "QueryLanguage")
            .and_then(|s| QueryLanguage::from_name(&s))
    };
    state_start
        .and_then(of)
        .or_else(|| cursor.starts.first().copied().and_then(of))
        .unwrap_or_default()
}

fn keys(src: Src<'_>, cursor: &Cursor, out: &mut Builder<'_>) {
    let text = src.text;
    let path = &cursor.path;
    let Some(object) = classify(path) else {
        if sdk_parameters(src, cursor, out) {
            return;
        }
        // Directly inside a `States` object: offer new states.
        if path.last().and_then(Seg::key) == Some("States")
            && matches!(
                classify(path.get(..path.len() - 1).unwrap_or(&[])),
                Some(Object::Root | Object::Branch | Object::Processor)
            )
        {
            templates(out);
        }
        return;
    };
    let present = own_members(src, cursor);
    let token = cursor.token;
    let has = |name: &str| {
        present.iter().any(|m| {
            m.key == name && !token.contains_inclusive(TextSize::from(m.value_start as u32))
        })
    };
    let state_kind = present
        .iter()
        .find(|m| m.key == "Type")
        .and_then(|m| m.string.as_deref())
        .and_then(StateKind::from_name);
    let own_start = cursor.starts.last().copied();
    let state_start = match object {
        Object::State => own_start,
        _ => None,
    };
    let language = query_language(src, cursor, state_start);
    // Is a `:` already written after the key being typed?
    let colon_follows = text
        .get(usize::from(token.end())..)
        .map(|rest| rest.trim_start().starts_with(':'))
        .unwrap_or(false);
    let mut fields: Vec<&'static Field> = object.fields().iter().collect();
    if object == Object::ChoiceRule && language == QueryLanguage::JsonPath {
        fields.extend(CHOICE_OPERATORS.iter());
    }
    for field in fields {
        if has(field.name) || !field.lang.allows(language) {
            continue;
        }
        if object == Object::State
            && let Some(kind) = state_kind
            && !field.allowed_on(kind)
        {
            continue;
        }
        let (insert, snippet) = if colon_follows || out.inner.is_some() {
            (json_string(field.name), false)
        } else if out.snippets {
            (
                format!("{}: {}", json_string(field.name), value_snippet(field)),
                true,
            )
        } else {
            (format!("{}: ", json_string(field.name)), false)
        };
        let detail = Some(object_label(object).to_owned());
        out.push(
            field.name,
            CompletionKind::Field,
            detail,
            field_doc(object, field.name),
            insert,
            snippet,
        );
    }
}

fn value_snippet(field: &Field) -> String {
    match (field.name, field.value) {
        ("End", _) => "true".to_owned(),
        ("Type", _) => format!("\"${{1|{}|}}\"", STATE_TYPES.join(",")),
        (_, Expect::OneOf(values)) => format!("\"${{1|{}|}}\"", values.join(",")),
        (_, Expect::Bool) => "${1|true,false|}".to_owned(),
        (_, Expect::Int { min, .. }) => format!("${{1:{}}}", min.max(1)),
        (
            _,
            Expect::String
            | Expect::StateName
            | Expect::Path
            | Expect::PathOrNull
            | Expect::Timestamp,
        ) => "\"$1\"".to_owned(),
        (_, Expect::Object | Expect::Template | Expect::ObjectOrExpr) => "{$1}".to_owned(),
        (_, Expect::Objects { .. }) => "[{$1}]".to_owned(),
        (_, Expect::Strings { .. }) => "[\"$1\"]".to_owned(),
        _ => "$1".to_owned(),
    }
}

fn values(src: Src<'_>, cursor: &Cursor, key: &str, out: &mut Builder<'_>) {
    if cursor.quoted && expressions(src.text, cursor, key, out) {
        return;
    }
    let Some(object) = classify(&cursor.path) else {
        sdk_values(src, cursor, key, out);
        return;
    };
    match (object, key) {
        (Object::State | Object::ChoiceRule | Object::Catcher, "Next")
        | (Object::State, "Default") => {
            state_names(src, cursor, None, out);
        }
        (Object::Root | Object::Branch | Object::Processor, "StartAt") => {
            let own = own_members(src, cursor);
            let states = own
                .iter()
                .find(|m| m.key == "States")
                .map(|m| m.value_start);
            state_names(src, cursor, Some(states), out);
        }
        (Object::State, "Type") => {
            for name in STATE_TYPES {
                let kind = StateKind::from_name(name);
                let doc = kind.map(|k| type_doc(k).to_owned());
                out.string(
                    name,
                    CompletionKind::Value,
                    Some("state type".to_owned()),
                    doc,
                );
            }
        }
        (Object::State, "Resource") => {
            if !sdk_resources(src.text, out) {
                resources(out);
            }
        }
        (_, "QueryLanguage") => {
            for name in QUERY_LANGUAGES {
                out.string(
                    name,
                    CompletionKind::Value,
                    Some("query language".to_owned()),
                    None,
                );
            }
        }
        _ => {
            let Some(field) = object.field(key) else {
                return;
            };
            match field.value {
                Expect::OneOf(values) => {
                    for v in values {
                        out.string(v, CompletionKind::Value, Some(field.name.to_owned()), None);
                    }
                }
                Expect::Bool if !out.cursor.quoted => {
                    for v in ["true", "false"] {
                        out.push(v, CompletionKind::Value, None, None, v.to_owned(), false);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Inside a string being typed: intrinsic function names after `States.`, variables after `$`,
/// and the members of `$states` after `$states.`. True when the cursor is at such a place.
fn expressions(text: &str, cursor: &Cursor, key: &str, out: &mut Builder<'_>) -> bool {
    let Some(offset) = out.offset else {
        return false;
    };
    let start = usize::from(cursor.token.start()) + 1;
    // Only where an expression is evaluated: a `.$` key, a path field, a JSONata string.
    let jsonata = text.get(start..).is_some_and(|s| s.starts_with("{%"));
    if !(key.ends_with(".$") || key.ends_with("Path") || key == "Variable" || jsonata) {
        return false;
    }
    let Some(typed) = text.get(start.min(offset)..offset) else {
        return false;
    };
    let word_len = typed
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '$')
        .map(char::len_utf8)
        .sum::<usize>();
    let word = typed.get(typed.len() - word_len..).unwrap_or("");
    let range = TextRange::new(
        TextSize::from((offset - word_len) as u32),
        TextSize::from(offset as u32),
    );
    let mut push = |label: String,
                    kind,
                    detail: String,
                    doc: Option<String>,
                    insert: String,
                    snippet: bool| {
        let sort = format!("{:04}", out.items.len());
        out.items.push(Completion {
            filter: label.clone(),
            label,
            kind,
            detail: Some(detail),
            documentation: doc,
            insert,
            snippet: snippet && out.snippets,
            range,
            sort,
        });
    };
    if word.starts_with("States.") || (word.len() >= 2 && "States.".starts_with(word)) {
        for function in crate::spec::intrinsics::INTRINSICS {
            let (name, params, doc) = (function.name, function.params, function.doc);
            let insert = if out.snippets {
                format!("{name}(${{1:{params}}})")
            } else {
                format!("{name}(")
            };
            push(
                name.to_owned(),
                CompletionKind::Value,
                format!("{name}({params})"),
                Some(doc.to_owned()),
                insert,
                true,
            );
        }
        return true;
    }
    if let Some(member) = word.strip_prefix("$states.") {
        if !member.contains('.') {
            for (m, doc) in [
                ("input", "The state's original input."),
                (
                    "result",
                    "The result of a Task, Parallel or Map (in `Output` and `Assign` only).",
                ),
                (
                    "errorOutput",
                    "The error of a catcher (in its `Output` and `Assign` only).",
                ),
                (
                    "context",
                    "The context object: `Execution`, `State`, `StateMachine`, `Task`, `Map`.",
                ),
            ] {
                push(
                    format!("$states.{m}"),
                    CompletionKind::Value,
                    "$states".to_owned(),
                    Some(doc.to_owned()),
                    format!("$states.{m}"),
                    false,
                );
            }
            return true;
        }
        return false;
    }
    if word.starts_with('$') && !word.starts_with("$$") && !word.contains('.') {
        if jsonata {
            push(
                "$states".to_owned(),
                CompletionKind::Value,
                "reserved variable".to_owned(),
                Some("The state's input, result, error output and context.".to_owned()),
                "$states".to_owned(),
                false,
            );
        }
        for name in variable_names(text) {
            push(
                format!("${name}"),
                CompletionKind::Value,
                "workflow variable".to_owned(),
                None,
                format!("${name}"),
                false,
            );
        }
        if jsonata {
            for f in crate::spec::jsonata::FUNCTIONS
                .iter()
                .filter(|f| f.supported)
            {
                let (name, signature, doc) = (f.name, f.signature, f.doc);
                let insert = if out.snippets {
                    format!("${name}($1)")
                } else {
                    format!("${name}(")
                };
                push(
                    format!("${name}"),
                    CompletionKind::Value,
                    (*signature).to_owned(),
                    Some((*doc).to_owned()),
                    insert,
                    true,
                );
            }
        }
        return true;
    }
    false
}

/// The names `Assign` objects assign anywhere in `text` (read from raw text: works mid-edit).
fn variable_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|r| r.find("\"Assign\"")) {
        let after = from + i + "\"Assign\"".len();
        from = after;
        let rest = text.get(after..).unwrap_or("");
        let Some(colon) = rest
            .find(|c: char| !c.is_whitespace())
            .filter(|&j| rest.get(j..).is_some_and(|r| r.starts_with(':')))
        else {
            continue;
        };
        let rest2 = rest.get(colon + 1..).unwrap_or("");
        let Some(brace) = rest2
            .find(|c: char| !c.is_whitespace())
            .filter(|&j| rest2.get(j..).is_some_and(|r| r.starts_with('{')))
        else {
            continue;
        };
        for m in members(text, after + colon + 1 + brace) {
            let name = m.key.strip_suffix(".$").unwrap_or(&m.key).to_owned();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The state names of the cursor's scope. `states` is the offset of the scope's `States`
/// object when the cursor is outside it (on `StartAt`).
fn state_names(
    src: Src<'_>,
    cursor: &Cursor,
    states: Option<Option<usize>>,
    out: &mut Builder<'_>,
) {
    let start = match states {
        Some(start) => start,
        None => {
            let k = scope_prefix(&cursor.path);
            if cursor.path.get(k).and_then(Seg::key) != Some("States") {
                return;
            }
            cursor.starts.get(k + 1).copied()
        }
    };
    let Some(start) = start else { return };
    // The state the cursor is in, to list it last.
    let own = cursor
        .path
        .get(scope_prefix(&cursor.path) + 1)
        .and_then(Seg::key);
    let mut names = src.states(start);
    names.sort_by_key(|(name, _)| Some(name.as_str()) == own);
    for (name, kind) in names {
        let detail = kind.map(|k| format!("{k} state"));
        out.string(&name, CompletionKind::State, detail, None);
    }
}

fn elements(cursor: &Cursor, out: &mut Builder<'_>) {
    let path = &cursor.path;
    let n = path.len();
    if path.last().and_then(Seg::key) != Some("ErrorEquals") {
        return;
    }
    let Some(holder) = path.get(..n - 1).and_then(classify) else {
        return;
    };
    if !matches!(holder, Object::Retrier | Object::Catcher) {
        return;
    }
    for e in PREDEFINED_ERRORS {
        let doc = format!("{}\n\n{}", e.meaning, e.handling);
        out.string(
            e.name,
            CompletionKind::Error,
            Some("predefined error".to_owned()),
            Some(doc),
        );
    }
}

const RESOURCES: &[(&str, &str)] = &[
    (
        "arn:aws:states:::lambda:invoke",
        "Invoke a Lambda function (the output is under `Payload`)",
    ),
    (
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Invoke a Lambda function and wait for a task token",
    ),
    ("arn:aws:states:::dynamodb:getItem", "DynamoDB GetItem"),
    ("arn:aws:states:::dynamodb:putItem", "DynamoDB PutItem"),
    (
        "arn:aws:states:::dynamodb:updateItem",
        "DynamoDB UpdateItem",
    ),
    (
        "arn:aws:states:::dynamodb:deleteItem",
        "DynamoDB DeleteItem",
    ),
    ("arn:aws:states:::sns:publish", "Publish to an SNS topic"),
    ("arn:aws:states:::sqs:sendMessage", "Send an SQS message"),
    (
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Send an SQS message and wait for a task token",
    ),
    (
        "arn:aws:states:::events:putEvents",
        "Put EventBridge events",
    ),
    (
        "arn:aws:states:::states:startExecution.sync:2",
        "Run a child state machine and wait (output as JSON)",
    ),
    (
        "arn:aws:states:::states:startExecution",
        "Start a child state machine",
    ),
    (
        "arn:aws:states:::ecs:runTask.sync",
        "Run an ECS task and wait for it",
    ),
    (
        "arn:aws:states:::batch:submitJob.sync",
        "Submit a Batch job and wait for it",
    ),
    (
        "arn:aws:states:::glue:startJobRun.sync",
        "Run a Glue job and wait for it",
    ),
    (
        "arn:aws:states:::athena:startQueryExecution.sync",
        "Run an Athena query and wait for it",
    ),
    (
        "arn:aws:states:::bedrock:invokeModel",
        "Invoke a Bedrock model",
    ),
    (
        "arn:aws:states:::http:invoke",
        "Call an HTTPS API (needs `ApiEndpoint`, `Method`, `Authentication`)",
    ),
];

/// In a `Resource` typed up to `arn:<partition>:states:::aws-sdk:`, the SDK services; up to
/// `...aws-sdk:<service>:`, that service's actions from the AWS model, each with its
/// operation's one-line documentation. False when the string is not that far.
fn sdk_resources(text: &str, out: &mut Builder<'_>) -> bool {
    use crate::spec::integrations::{SDK_SERVICES, action_name, aws_sdk_service};
    let Some(offset) = out.offset else {
        return false;
    };
    if !out.cursor.quoted {
        return false;
    }
    let start = usize::from(out.cursor.token.start()) + 1;
    let Some(typed) = text.get(start..offset.max(start)) else {
        return false;
    };
    let Some(at) = typed.find(":states:::aws-sdk:") else {
        return false;
    };
    let head = &typed[..at + ":states:::aws-sdk:".len()];
    let rest = &typed[head.len()..];
    match rest.split_once(':') {
        None => {
            for sdk in SDK_SERVICES.iter().filter(|s| !s.deprecated) {
                out.string(
                    &format!("{head}{}:", sdk.name),
                    CompletionKind::Resource,
                    Some("AWS SDK service".to_owned()),
                    None,
                );
            }
            true
        }
        Some((service, _)) => {
            let Some(model) =
                aws_sdk_service(service).and_then(|s| asl_aws::service(s.botocore_id))
            else {
                return false;
            };
            for op in model.operations() {
                out.string(
                    &format!("{head}{service}:{}", action_name(&op.name)),
                    CompletionKind::Resource,
                    Some(format!("{} {}", model.full_name, op.name)),
                    (!op.doc.is_empty()).then(|| op.doc.clone()),
                );
            }
            true
        }
    }
}

/// The operation an API-calling Task calls (aws-sdk, or an optimized integration taking its API's
/// request), when the model knows it: the service's model, the
/// operation's input shape (`None`: it takes none) and how to name the call
/// (`` `aws-sdk:s3:getObject` ``). Read from the `Type` and `Resource` of the state object
/// opening at `state_start`.
fn sdk_operation(
    src: Src<'_>,
    state_start: usize,
) -> Option<(Arc<asl_aws::Service>, Option<asl_aws::ShapeRef>, String)> {
    if src.string_of(state_start, "Type").as_deref() != Some("Task") {
        return None;
    }
    let resource = src.string_of(state_start, "Resource")?;
    let Some(Ok(resource)) = crate::resource::classify(&resource) else {
        return None;
    };
    // Only the action written: completion does not guess at a misspelt one.
    let target = Target::of(&resource, Guess::Exact)?;
    let input = target.input().cloned();
    Some((target.model, input, target.label))
}

/// The shape of the object (or value) at the cursor's path below an AWS SDK Task's payload,
/// with the call's model and label. `None` outside such a payload, or where the model does
/// not know the value.
fn sdk_shape_at<R>(
    src: Src<'_>,
    cursor: &Cursor,
    extra: Option<&str>,
    f: impl FnOnce(&asl_aws::Service, &asl_aws::Shape, &str) -> R,
) -> Option<R> {
    let (k, _, mut steps) = payload_steps(&cursor.path)?;
    let state_start = *cursor.starts.get(k)?;
    let (model, input, label) = sdk_operation(src, state_start)?;
    static EMPTY: asl_aws::Shape = asl_aws::Shape::Structure {
        members: Vec::new(),
    };
    let input = match &input {
        Some(input) => model.resolve(input)?,
        None => &EMPTY,
    };
    if let Some(key) = extra {
        steps.push(Step::Key(key));
    }
    let shape = shape_at(&model, input, &steps)?;
    Some(f(&model, shape, &label))
}

/// In an object of an AWS SDK Task's `Parameters` or `Arguments` (the payload itself, a nested
/// structure, an object of a list of structures, a map's value) whose shape the model knows:
/// the members not yet present, the required ones first, each inserted with a value fitting
/// its type. True when the cursor is in such an object (even when nothing is left to offer).
fn sdk_parameters(src: Src<'_>, cursor: &Cursor, out: &mut Builder<'_>) -> bool {
    let present = own_members(src, cursor);
    let token = cursor.token;
    let colon_follows = src
        .text
        .get(usize::from(token.end())..)
        .is_some_and(|rest| rest.trim_start().starts_with(':'));
    sdk_shape_at(src, cursor, None, |model, shape, label| {
        let members = shape.members();
        if !matches!(
            shape,
            asl_aws::Shape::Structure { .. } | asl_aws::Shape::Union { .. }
        ) {
            return false;
        }
        let given: Vec<&str> = present
            .iter()
            .filter(|m| !token.contains_inclusive(TextSize::from(m.value_start as u32)))
            .filter_map(|m| member_for(shape, &m.key))
            .map(|m| m.name.as_str())
            .collect();
        // A union takes one member.
        if matches!(shape, asl_aws::Shape::Union { .. }) && !given.is_empty() {
            return true;
        }
        let mut offered: Vec<&asl_aws::Member> = members
            .iter()
            .filter(|m| !given.contains(&m.name.as_str()))
            .collect();
        // Stable: the model's order within the required and the optional ones.
        offered.sort_by_key(|m| !m.required);
        for member in offered {
            let name = sfn_name(member);
            let (insert, snippet) = if colon_follows || out.inner.is_some() {
                (json_string(&name), false)
            } else if out.snippets {
                (
                    format!(
                        "{}: {}",
                        json_string(&name),
                        member_snippet(model, &member.shape)
                    ),
                    true,
                )
            } else {
                (format!("{}: ", json_string(&name)), false)
            };
            let required = if member.required {
                "required"
            } else {
                "optional"
            };
            let detail = format!("{}, {required}", type_text(model, &member.shape));
            out.push(
                &name,
                CompletionKind::Field,
                Some(detail),
                Some(member_doc(model, member, label, None, false)),
                insert,
                snippet,
            );
        }
        true
    })
    .unwrap_or(false)
}

/// The value of a parameter of an AWS SDK Task whose type has few values: an enumerated
/// string's values, or `true` and `false`.
fn sdk_values(src: Src<'_>, cursor: &Cursor, key: &str, out: &mut Builder<'_>) {
    if key.ends_with(".$") {
        return;
    }
    let (values, boolean) = sdk_shape_at(src, cursor, Some(key), |_, shape, _| match shape {
        asl_aws::Shape::String { enum_values } => (enum_values.clone(), false),
        asl_aws::Shape::Boolean => (Vec::new(), true),
        _ => (Vec::new(), false),
    })
    .unwrap_or_default();
    for v in values {
        out.string(&v, CompletionKind::Value, Some(key.to_owned()), None);
    }
    if boolean && !out.cursor.quoted {
        for v in ["true", "false"] {
            let detail = Some(key.to_owned());
            out.push(v, CompletionKind::Value, detail, None, v.to_owned(), false);
        }
    }
}

/// The most values of an enumerated string offered as a snippet's choice.
const CHOICES: usize = 40;

/// A snippet for a value of `shape`: `"$1"` for a string, a choice for an enumerated one or a
/// boolean, `{$1}` for a structure or map, `[{$1}]` for a list of structures.
fn member_snippet(model: &asl_aws::Service, shape: &asl_aws::ShapeRef) -> String {
    use asl_aws::Shape;
    match model.resolve(shape) {
        Some(Shape::String { enum_values })
            if !enum_values.is_empty() && enum_values.len() <= CHOICES =>
        {
            let choices: Vec<String> = enum_values.iter().map(|v| choice(v)).collect();
            format!("\"${{1|{}|}}\"", choices.join(","))
        }
        Some(Shape::String { .. } | Shape::Timestamp | Shape::Blob) => "\"$1\"".to_owned(),
        Some(Shape::Integer | Shape::Long | Shape::Float | Shape::Double) => "${1:0}".to_owned(),
        Some(Shape::Boolean) => "${1|true,false|}".to_owned(),
        Some(Shape::Structure { .. } | Shape::Union { .. } | Shape::Map { .. }) => {
            "{$1}".to_owned()
        }
        Some(Shape::List { member }) => match model.resolve(member) {
            Some(Shape::Structure { .. } | Shape::Union { .. } | Shape::Map { .. }) => {
                "[{$1}]".to_owned()
            }
            Some(Shape::String { .. } | Shape::Timestamp | Shape::Blob) => "[\"$1\"]".to_owned(),
            _ => "[$1]".to_owned(),
        },
        _ => "$1".to_owned(),
    }
}

/// A snippet choice holding `value` inside a JSON string: JSON-escaped, then `$`, `}`, `\`,
/// `,` and `|` escaped for the snippet.
fn choice(value: &str) -> String {
    let json = json_string(value);
    let inner = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(&json);
    let mut out = String::with_capacity(inner.len());
    for c in inner.chars() {
        if matches!(c, '$' | '}' | '\\' | ',' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn resources(out: &mut Builder<'_>) {
    for (arn, doc) in RESOURCES {
        out.string(
            arn,
            CompletionKind::Resource,
            Some("optimized integration".to_owned()),
            Some((*doc).to_owned()),
        );
    }
    let templates = [
        (
            "arn:aws:states:::aws-sdk:service:apiAction",
            "arn:aws:states:::aws-sdk:${1:service}:${2:apiAction}",
            "AWS SDK integration: any API of 200+ services",
        ),
        (
            "arn:aws:lambda:region:account:function:name",
            "arn:aws:lambda:${1:region}:${2:account}:function:${3:name}",
            "A Lambda function ARN (legacy form: prefer `lambda:invoke`)",
        ),
        (
            "arn:aws:states:region:account:activity:name",
            "arn:aws:states:${1:region}:${2:account}:activity:${3:name}",
            "An activity, for workers that poll",
        ),
    ];
    for (label, snippet, doc) in templates {
        let (insert, is_snippet) = if out.snippets {
            (format!("\"{snippet}\""), true)
        } else {
            (json_string(label), false)
        };
        out.push(
            label,
            CompletionKind::Resource,
            Some("ARN form".to_owned()),
            Some(doc.to_owned()),
            insert,
            is_snippet,
        );
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    (
        "Task",
        "\"Type\": \"Task\",\n\t\"Resource\": \"${2:arn:aws:states:::lambda:invoke}\",\n\t\"Arguments\": {$3},\n\t\"TimeoutSeconds\": ${4:60},\n\t\"End\": true",
    ),
    ("Pass", "\"Type\": \"Pass\",\n\t\"End\": true"),
    (
        "Choice",
        "\"Type\": \"Choice\",\n\t\"Choices\": [\n\t\t{$2}\n\t],\n\t\"Default\": \"$3\"",
    ),
    (
        "Wait",
        "\"Type\": \"Wait\",\n\t\"Seconds\": ${2:10},\n\t\"End\": true",
    ),
    ("Succeed", "\"Type\": \"Succeed\""),
    (
        "Fail",
        "\"Type\": \"Fail\",\n\t\"Error\": \"${2:Error}\",\n\t\"Cause\": \"${3:Cause}\"",
    ),
    (
        "Parallel",
        "\"Type\": \"Parallel\",\n\t\"Branches\": [\n\t\t{\n\t\t\t\"StartAt\": \"$2\",\n\t\t\t\"States\": {$3}\n\t\t}\n\t],\n\t\"End\": true",
    ),
    (
        "Map",
        "\"Type\": \"Map\",\n\t\"ItemProcessor\": {\n\t\t\"StartAt\": \"$2\",\n\t\t\"States\": {$3}\n\t},\n\t\"MaxConcurrency\": ${4:10},\n\t\"End\": true",
    ),
];

fn templates(out: &mut Builder<'_>) {
    if out.cursor.quoted {
        // Typing a state name: nothing to offer but the name itself.
        return;
    }
    for (kind, body) in TEMPLATES {
        let label = format!("{kind} state");
        let snippet = format!("\"${{1:{kind}}}\": {{\n\t{body}\n}}");
        let (insert, is_snippet) = if out.snippets {
            (snippet, true)
        } else {
            (snippet_to_plain(&snippet), false)
        };
        let doc = StateKind::from_name(kind).map(|k| type_doc(k).to_owned());
        out.push(
            &label,
            CompletionKind::Template,
            Some("new state".to_owned()),
            doc,
            insert,
            is_snippet,
        );
    }
}

/// The text a snippet inserts when every placeholder keeps its default: `${1:x}` gives `x`,
/// `${1|a,b|}` gives `a`, a bare `$1` gives nothing.
fn snippet_to_plain(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut rest = snippet;
    while let Some(i) = rest.find('$') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        if let Some(body) = after.strip_prefix('{') {
            let Some(close) = body.find('}') else {
                out.push_str(after);
                return out;
            };
            let inner = body.get(..close).unwrap_or("");
            let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
            let tail = inner.get(digits..).unwrap_or("");
            if let Some(default) = tail.strip_prefix(':') {
                out.push_str(default);
            } else if let Some(choices) = tail.strip_prefix('|') {
                out.push_str(choices.split([',', '|']).next().unwrap_or(""));
            }
            rest = body.get(close + 1..).unwrap_or("");
        } else {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            rest = after.get(digits..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod line_tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use asl_syntax::TextSize;

    #[test]
    fn completion_ranges_stay_on_the_cursor_line() {
        // A key holding a raw line break (found by fuzzing): the range was 2..3, over the break.
        for (text, at) in [("{\"\n\":{}}", 2), ("{\"a\nb\": 1}", 3), ("{\n\"Ty\n", 4)] {
            let analysis = crate::ide::Analysis::new(
                text,
                asl_syntax::Dialect::Json,
                &crate::Options::default(),
            );
            let items = analysis.completions(TextSize::from(at), true);
            let scanned = super::completions(text, None, TextSize::from(at), true);
            for item in items.into_iter().chain(scanned) {
                let range = &text[usize::from(item.range.start())..usize::from(item.range.end())];
                assert!(!range.contains(['\n', '\r']), "{text:?} at {at}: {item:?}");
                assert!(
                    item.range.contains_inclusive(TextSize::from(at)),
                    "{item:?}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_util::cursor;

    /// Completions read from the text, checked against those read from the tree when the
    /// text is well-formed (the two readers must agree).
    fn both(text: &str, at: TextSize, snippets: bool) -> Vec<Completion> {
        let scanned = completions(text, None, at, snippets);
        let parse = asl_syntax::parse(text, asl_syntax::Dialect::Json);
        if let Some(root) = &parse.root {
            let from_tree = completions(text, Some(root), at, snippets);
            assert_eq!(from_tree, scanned, "tree and scan disagree on {text}");
        }
        scanned
    }

    fn labels(input: &str, snippets: bool) -> Vec<String> {
        let (text, at) = cursor(input);
        both(&text, at, snippets)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    fn first(input: &str, snippets: bool) -> Completion {
        let (text, at) = cursor(input);
        both(&text, at, snippets).into_iter().next().unwrap()
    }

    #[test]
    fn state_names_of_the_own_scope_in_broken_text() {
        let input = r#"{"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Next": "$0
  },
  "P": {"Type": "Parallel", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}], "End": true},
  "B": {"Type": "Succeed"}
}}"#;
        assert_eq!(labels(input, false), ["P", "B", "A"]);
        let inner = r#"{"StartAt": "A", "States": {"P": {"Type": "Parallel", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "$0"}, "Y": {"Type": "Succeed"}}}]}}}"#;
        assert_eq!(labels(inner, false), ["Y", "X"]);
        let start =
            r#"{"StartAt": "$0", "States": {"One": {"Type": "Succeed"}, "Two": {"Type": "Fail"}}}"#;
        assert_eq!(labels(start, false), ["One", "Two"]);
        let c = first(start, false);
        assert_eq!(
            c.insert, "One",
            "inside closed quotes only the content is replaced"
        );
        assert_eq!(c.filter, "One");
        let (text, at) = cursor(start);
        assert!(both(&text, at, false)[0].range.is_empty());
        assert_eq!(c.detail.as_deref(), Some("Succeed state"));
    }

    #[test]
    fn yaml_values_not_typed_yet() {
        // `Next: |`: YAML reads the missing value as an empty null at the end of the key.
        let complete = |input: &str| {
            let (text, at) = cursor(input);
            let a = crate::ide::Analysis::new(
                text.clone(),
                asl_syntax::Dialect::Yaml,
                &crate::Options::default(),
            );
            (text, a.completions(at, false))
        };
        let states =
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: $0\n  B:\n    Type: Succeed\n";
        let (text, items) = complete(states);
        let names: Vec<_> = items.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(names, ["B", "A"], "{items:?}");
        let b = &items[0];
        assert!(b.range.is_empty(), "{b:?}");
        let mut completed = text.clone();
        completed.insert_str(usize::from(b.range.start()), &b.insert);
        assert!(completed.contains("    Next: B\n"), "{completed}");
        let again = crate::ide::Analysis::new(
            completed.clone(),
            asl_syntax::Dialect::Yaml,
            &crate::Options::default(),
        );
        assert!(
            again.diagnostics().is_empty(),
            "{completed}: {:?}",
            again.diagnostics()
        );
        // The last line, with no line break after it; a state type.
        let (_, items) =
            complete("StartAt: A\nStates:\n  A:\n    Type: Succeed\n  B:\n    Type: $0");
        assert!(
            items
                .iter()
                .any(|c| c.label == "Pass" && c.insert == "Pass"),
            "{items:?}"
        );
        // Not right after the colon (`Next:B` is no value), nor before a value or a comment.
        for input in [
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next:$0\n",
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: $0A\n",
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: $0 # later\n",
        ] {
            let (_, items) = complete(input);
            assert!(items.is_empty(), "{input}: {items:?}");
        }
    }

    #[test]
    fn fields_of_the_state_type_and_language() {
        let input = r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Next": "B", $0}}}"#;
        let got = labels(input, true);
        assert!(got.contains(&"Seconds".to_owned()), "{got:?}");
        assert!(got.contains(&"InputPath".to_owned()), "{got:?}");
        assert!(
            !got.contains(&"Next".to_owned()),
            "present fields are left out"
        );
        assert!(!got.contains(&"Resource".to_owned()), "not a Wait field");
        assert!(!got.contains(&"Arguments".to_owned()), "JSONata only");
        let jsonata =
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", "$0"#;
        let got = labels(jsonata, true);
        assert!(
            got.contains(&"Arguments".to_owned()) && !got.contains(&"Parameters".to_owned()),
            "{got:?}"
        );
        let c = first(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seco$0"#,
            true,
        );
        assert_eq!(
            c.label, "Comment",
            "order follows the table; filtering is the editor's"
        );
        let (text, at) = cursor(r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seco$0"#);
        let seconds = both(&text, at, true)
            .into_iter()
            .find(|c| c.label == "Seconds")
            .unwrap();
        assert_eq!(seconds.insert, "\"Seconds\": ${1:1}");
        assert!(seconds.snippet);
        assert_eq!(&text[seconds.range], "\"Seco");
        let plain = both(&text, at, false)
            .into_iter()
            .find(|c| c.label == "Seconds")
            .unwrap();
        assert_eq!(plain.insert, "\"Seconds\": ");
        assert!(!plain.snippet);
        let (text, at) =
            cursor(r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seco$0": 5}}}"#);
        let c = both(&text, at, true)
            .into_iter()
            .find(|c| c.label == "Seconds")
            .unwrap();
        assert_eq!(
            c.insert, "Seconds",
            "the quotes and the colon are already there"
        );
        assert_eq!(&text[c.range], "Seco");
    }

    #[test]
    fn types_errors_resources_and_templates() {
        let got = labels(r#"{"States": {"A": {"Type": "$0"}}}"#, false);
        assert_eq!(got.len(), 8);
        let got = labels(
            r#"{"States": {"A": {"Type": "Task", "Retry": [{"ErrorEquals": ["$0"]}]}}}"#,
            false,
        );
        assert_eq!(got.first().map(String::as_str), Some("States.ALL"));
        assert!(got.contains(&"Lambda.ServiceException".to_owned()));
        let got = labels(
            r#"{"States": {"A": {"Type": "Task", "Resource": "$0"}}}"#,
            false,
        );
        assert_eq!(
            got.first().map(String::as_str),
            Some("arn:aws:states:::lambda:invoke")
        );
        let got = labels("{\"StartAt\": \"A\", \"States\": {\n  $0\n}}", true);
        assert_eq!(got.len(), 8);
        let plain = first("{\"StartAt\": \"A\", \"States\": {\n  $0\n}}", false);
        assert!(!plain.insert.contains('$'), "{}", plain.insert);
        assert!(
            plain
                .insert
                .contains("\"Resource\": \"arn:aws:states:::lambda:invoke\""),
            "{}",
            plain.insert
        );
        let got = labels(
            r#"{"States": {"A": {"Type": "Task", "Retry": [{"JitterStrategy": "$0"}]}}}"#,
            false,
        );
        assert_eq!(got, ["FULL", "NONE"]);
    }

    #[test]
    fn expressions_in_strings() {
        let got = labels(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Fo$0"}, "End": true}}}"#,
            true,
        );
        assert!(
            got.contains(&"States.Format".to_owned()) && got.len() == 18,
            "{got:?}"
        );
        let (text, at) = cursor(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Fo$0"}, "End": true}}}"#,
        );
        let c = both(&text, at, true)
            .into_iter()
            .find(|c| c.label == "States.Format")
            .unwrap();
        assert_eq!(&text[c.range], "States.Fo");
        assert_eq!(c.insert, "States.Format(${1:template, values...})");
        let m = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"total": 1, "count.$": "$.n"}, "Output": "{% $to$0 %}", "End": true}}}"#;
        let got = labels(m, false);
        assert_eq!(got[..3], ["$states", "$total", "$count"]);
        assert!(
            got.contains(&"$sum".to_owned()) && !got.contains(&"$eval".to_owned()),
            "{got:?}"
        );
        let s = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.in$0 %}", "End": true}}}"#;
        assert_eq!(
            labels(s, false),
            [
                "$states.input",
                "$states.result",
                "$states.errorOutput",
                "$states.context"
            ]
        );
    }

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(
            snippet_to_plain("\"${1:Task}\": {$2} ${3|a,b|} $10"),
            "\"Task\": {} a "
        );
    }

    #[test]
    fn nothing_in_payloads_or_comments() {
        assert!(
            labels(
                r#"{"States": {"A": {"Type": "Pass", "Parameters": {"$0"}}}}"#,
                true
            )
            .is_empty()
        );
        assert!(labels("{\"States\": {\"A\": // $0\n", true).is_empty());
        assert!(labels("$0", true).is_empty());
    }

    const S3_DELETE: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:deleteObjects", "Parameters": PARAMS, "End": true}}}"#;

    #[test]
    fn optimized_parameters_are_the_apis() {
        let put = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {$0}, "End": true}}}"#;
        let got = labels(put, true);
        assert_eq!(got[..2], ["TableName", "Item"], "{got:?}");
        // Step Functions' own parameters (EMR's addStep takes ClusterId and Step): none offered.
        let emr = put.replace("dynamodb:putItem", "elasticmapreduce:addStep.sync");
        let got = labels(&emr, true);
        assert!(!got.contains(&"JobFlowId".to_owned()), "{got:?}");
    }

    #[test]
    fn sdk_parameters_required_first() {
        let input = S3_DELETE.replace("PARAMS", r#"{"Bucket": "b", $0}"#);
        let got = labels(&input, true);
        assert_eq!(got.first().map(String::as_str), Some("Delete"), "{got:?}");
        assert!(!got.contains(&"Bucket".to_owned()), "present: {got:?}");
        assert!(got.contains(&"RequestPayer".to_owned()), "{got:?}");
        let c = first(&input, true);
        assert_eq!(c.insert, "\"Delete\": {$1}");
        assert!(c.snippet);
        assert_eq!(c.kind, CompletionKind::Field);
        assert_eq!(c.detail.as_deref(), Some("structure, required"));
        assert!(
            c.documentation
                .as_deref()
                .is_some_and(|d| d.contains("parameter of `aws-sdk:s3:deleteObjects`")),
            "{c:?}"
        );
        // Nothing present: both required members lead, in the model's order.
        let got = labels(&S3_DELETE.replace("PARAMS", "{$0}"), false);
        assert_eq!(got[..2], ["Bucket", "Delete"], "{got:?}");
        let plain = first(&S3_DELETE.replace("PARAMS", "{$0}"), false);
        assert_eq!(plain.insert, "\"Bucket\": ");
        // A key being typed in broken text, a `.$` key counting as its member, and the
        // members of a nested structure and of an object in a list of structures.
        let got = labels(
            &S3_DELETE.replace("PARAMS", r#"{"Bucket.$": "$.b", "Del$0"#),
            true,
        );
        assert_eq!(got.first().map(String::as_str), Some("Delete"), "{got:?}");
        let got = labels(&S3_DELETE.replace("PARAMS", r#"{"Delete": {$0}}"#), true);
        assert_eq!(got, ["Objects", "Quiet"]);
        let (text, at) = cursor(
            &S3_DELETE.replace("PARAMS", r#"{"Delete": {"Objects": [{"Key": "a", "$0"}]}}"#),
        );
        let items = both(&text, at, true);
        let names: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
        assert!(
            !names.contains(&"Key") && names.contains(&"VersionId"),
            "{names:?}"
        );
        // Inside closed quotes only the name is written.
        assert!(items.iter().all(|c| !c.insert.contains(':')), "{items:?}");
        // Enumerated values, and a snippet choice of them.
        let got = labels(
            &S3_DELETE.replace("PARAMS", r#"{"RequestPayer": "$0"}"#),
            false,
        );
        assert_eq!(got, ["requester"]);
        let got = labels(
            &S3_DELETE.replace("PARAMS", r#"{"Delete": {"Quiet": $0}}"#),
            false,
        );
        assert_eq!(got, ["true", "false"]);
        let (text, at) =
            cursor(&S3_DELETE.replace("PARAMS", r#"{"Bucket": "b", "Delete": {}, $0}"#));
        let c = both(&text, at, true)
            .into_iter()
            .find(|c| c.label == "RequestPayer")
            .unwrap();
        assert_eq!(c.insert, "\"RequestPayer\": \"${1|requester|}\"");
    }

    #[test]
    fn sdk_parameters_need_a_known_call() {
        // A Pass state, an optimized integration with parameters of its own, an unknown
        // action, a templated one.
        for (resource, kind) in [
            ("arn:aws:states:::aws-sdk:s3:deleteObjects", "Pass"),
            ("arn:aws:states:::apigateway:invoke", "Task"),
            ("arn:aws:states:::aws-sdk:s3:deleteObjekts", "Task"),
            ("arn:aws:states:::aws-sdk:s3:${Action}", "Task"),
        ] {
            let input = format!(
                r#"{{"StartAt": "A", "States": {{"A": {{"Type": "{kind}", "Resource": "{resource}", "Parameters": {{$0}}}}}}}}"#
            );
            assert!(labels(&input, true).is_empty(), "{resource}");
        }
        let rest = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:listActivities", "Parameters": {"MaxResults": 1, $0}}}}"#;
        assert_eq!(labels(rest, true), ["NextToken"]);
        // A union (Bedrock's content block) takes one member: none once one is given.
        let union = |block: &str| {
            labels(
                &format!(
                    r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:bedrockruntime:converse", "Parameters": {{"ModelId": "m", "Messages": [{{"Role": "user", "Content": [{block}]}}]}}}}}}}}"#
                ),
                true,
            )
        };
        let open = union("{$0}");
        assert!(open.contains(&"Text".to_owned()), "{open:?}");
        assert!(union(r#"{"Text": "hi", $0}"#).is_empty());
        // JSONata's Arguments, camelCase members written in PascalCase.
        let sfn = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution", "Arguments": {$0}}}}"#;
        assert_eq!(
            labels(sfn, true).first().map(String::as_str),
            Some("StateMachineArn")
        );
    }

    #[test]
    fn snippet_choices_are_escaped() {
        assert_eq!(choice("a,b|c$d}e"), "a\\,b\\|c\\$d\\}e");
        assert_eq!(choice("q\"x"), "q\\\\\"x");
    }

    #[test]
    fn sdk_actions_after_the_service() {
        let items = labels(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:get$0", "End": true}}}"#,
            false,
        );
        assert!(
            items.contains(&"arn:aws:states:::aws-sdk:s3:getObject".to_owned()),
            "{items:?}"
        );
        assert!(
            items.contains(&"arn:aws:states:::aws-sdk:s3:putObject".to_owned()),
            "{items:?}"
        );
        let services = labels(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dyn$0", "End": true}}}"#,
            false,
        );
        assert!(
            services.contains(&"arn:aws:states:::aws-sdk:dynamodb:".to_owned()),
            "{services:?}"
        );
        // Before `aws-sdk:`: the usual integrations.
        let plain = labels(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:$0", "End": true}}}"#,
            false,
        );
        assert!(
            plain.contains(&"arn:aws:states:::lambda:invoke".to_owned()),
            "{plain:?}"
        );
    }
}
