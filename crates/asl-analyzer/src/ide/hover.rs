//! Hover: a summary of a state on its name or on a transition naming it; the documentation of
//! a field on its name, of a predefined error in `ErrorEquals`, of a state type on a `Type`
//! value; and the rule's documentation on a diagnostic.

use std::fmt::Write as _;

use asl_syntax::ast::{Machine, Retrier, ScopeKind, State, StateKind};
use asl_syntax::{Node, TextRange, TextSize};

use super::Db;
use super::cursor::{Hit, Seg, classify, locate};
use super::navigate::{Named, named_at};
use crate::diagnostic::Diagnostic;
use crate::graph::EdgeKind;
use crate::retry::{self, Policy};
use crate::sdk_input::{SdkCall, Step, member_for, sfn_name, shape_at, type_text};
use crate::spec::errors::predefined_error;
use crate::spec::fields::{Kinds, Object};

/// Markdown to show for the range under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

pub(crate) fn hover(db: &Db<'_>, offset: TextSize) -> Option<Hover> {
    if let Some(named) = named_at(db, offset) {
        let (range, id) = match named {
            Named::Declaration(id) => (db.machine.state(id)?.prop.key_range, Some(id)),
            Named::Reference {
                range,
                target,
                name,
                ..
            } => match target {
                Some(id) => (range, Some(id)),
                None => {
                    return Some(Hover {
                        range,
                        markdown: format!("**`{name}`**: no state of this scope has this name."),
                    });
                }
            },
        };
        let state = db.machine.state(id?)?;
        return Some(Hover {
            range,
            markdown: state_summary(db, state),
        });
    }
    let (path, hit) = locate(db.root, offset)?;
    match hit {
        Hit::Key(prop) => {
            let markdown = match classify(&path) {
                Some(object) => field_doc(object, &prop.key)?,
                None => parameter_doc(db, &path, &prop.key)?,
            };
            Some(Hover {
                range: prop.key_range,
                markdown,
            })
        }
        Hit::Value(node) => value_doc(&path, node),
    }
}

fn value_doc(path: &[Seg], node: &Node) -> Option<Hover> {
    let value = node.as_str()?;
    let n = path.len();
    let parent = path.get(..n.checked_sub(1)?)?;
    let markdown = match path.last()? {
        Seg::Index(_) if parent.last().and_then(Seg::key) == Some("ErrorEquals") => {
            let holder = classify(parent.get(..parent.len() - 1)?)?;
            if !matches!(holder, Object::Retrier | Object::Catcher) {
                return None;
            }
            error_doc(value)
        }
        Seg::Key(k) if k == "Type" && classify(parent) == Some(Object::State) => {
            let kind = StateKind::from_name(value)?;
            format!("**{} state**\n\n{}", kind.as_str(), type_doc(kind))
        }
        Seg::Key(k) if k == "Resource" && classify(parent) == Some(Object::State) => {
            resource_doc(value)?
        }
        _ => return None,
    };
    Some(Hover {
        range: node.range,
        markdown,
    })
}

/// The most input members a Resource hover lists.
const MEMBERS_SHOWN: usize = 12;

/// What an AWS SDK integration `Resource` calls, from the AWS model: the service, the
/// operation's one-line documentation, its input members (the required ones first) and the
/// error names a catcher can name.
fn resource_doc(value: &str) -> Option<String> {
    use crate::spec::integrations::{aws_sdk_service, operation_name, sdk_error_name};
    let Some(Ok(crate::resource::Resource::Sdk {
        service, action, ..
    })) = crate::resource::classify(value)
    else {
        return None;
    };
    let sdk = aws_sdk_service(service)?;
    let model = asl_aws::service(sdk.botocore_id)?;
    let op = model.operation(&operation_name(action))?;
    let mut md = format!(
        "**`aws-sdk:{service}:{action}`** · {} `{}` (AWS SDK integration)",
        model.full_name, op.name
    );
    if !op.doc.is_empty() {
        let _ = write!(md, "\n\n{}", op.doc);
    }
    let members = op
        .input
        .as_ref()
        .and_then(|input| model.resolve(input))
        .map(|shape| shape.members())
        .unwrap_or_default();
    if !members.is_empty() {
        let mut sorted: Vec<_> = members.iter().collect();
        sorted.sort_by_key(|m| !m.required);
        md.push_str("\n\nParameters:");
        for m in sorted.iter().take(MEMBERS_SHOWN) {
            let kind = type_text(&model, &m.shape);
            let required = if m.required { ", required" } else { "" };
            let _ = write!(md, "\n- `{}` ({kind}{required})", sfn_name(m));
        }
        if sorted.len() > MEMBERS_SHOWN {
            let _ = write!(md, "\n- … {} more", sorted.len() - MEMBERS_SHOWN);
        }
    }
    let errors: Vec<String> = op
        .errors
        .iter()
        .filter_map(|e| sdk_error_name(sdk, e))
        .map(|e| format!("`{e}`"))
        .collect();
    if !errors.is_empty() {
        let _ = write!(md, "\n\nErrors: {}.", errors.join(", "));
    }
    let _ = write!(md, "\n\nFrom the AWS model ({}).", asl_aws::MODEL_VERSION);
    Some(md)
}

/// Where `path` (of an object or a value) runs into the `Parameters` or `Arguments` of a
/// state: the length of the state's path, the payload's key, and the steps below it. Only the
/// first such key counts: no ASL object lies below a payload.
pub(crate) fn payload_steps(path: &[Seg]) -> Option<(usize, &str, Vec<Step<'_>>)> {
    let k = path
        .iter()
        .position(|s| matches!(s.key(), Some("Parameters" | "Arguments")))?;
    if classify(path.get(..k)?) != Some(Object::State) {
        return None;
    }
    let key = path.get(k)?.key()?;
    let steps = path
        .get(k + 1..)?
        .iter()
        .map(|s| match s {
            Seg::Key(k) => Step::Key(k),
            Seg::Index(_) => Step::Index,
        })
        .collect();
    Some((k, key, steps))
}

/// `Parameters.Delete.Objects[0]`.
fn place_text(payload: &str, below: &[Seg]) -> String {
    let mut place = payload.to_owned();
    for seg in below {
        match seg {
            Seg::Key(k) => {
                let _ = write!(place, ".{k}");
            }
            Seg::Index(i) => {
                let _ = write!(place, "[{i}]");
            }
        }
    }
    place
}

/// The documentation of the parameter `key` of the object at `path`, inside the payload of an
/// AWS SDK Task, from the AWS model: its Step Functions name, type, whether it is required,
/// and its one-line documentation.
fn parameter_doc(db: &Db<'_>, path: &[Seg], key: &str) -> Option<String> {
    let (k, payload_key, steps) = payload_steps(path)?;
    let state_node = super::cursor::node_at(db.root, path.get(..k)?)?;
    let state = db.machine.state_at(state_node.range)?;
    let call = SdkCall::of(state)?;
    // The payload the call reads (a state with both is another rule's finding).
    if call.payload?.key != payload_key {
        return None;
    }
    let holder = shape_at(&call.model, call.input()?, &steps)?;
    let member = member_for(holder, key)?;
    Some(member_doc(
        &call.model,
        member,
        &call.label,
        Some(&place_text(payload_key, path.get(k + 1..)?)),
        key.ends_with(".$"),
    ))
}

/// A member's documentation: `` **`Key`** · string, required ``, where it goes, its doc line.
pub(crate) fn member_doc(
    model: &asl_aws::Service,
    member: &asl_aws::Member,
    call: &str,
    place: Option<&str>,
    dollar: bool,
) -> String {
    let name = sfn_name(member);
    let required = if member.required {
        "required"
    } else {
        "optional"
    };
    let mut md = format!(
        "**`{name}`** · {}, {required}",
        type_text(model, &member.shape)
    );
    match place {
        Some(place) => {
            let _ = write!(md, " · in `{place}` of {call}");
        }
        None => {
            let _ = write!(md, " · parameter of {call}");
        }
    }
    if !member.doc.is_empty() {
        let _ = write!(md, "\n\n{}", member.doc);
    }
    if name != member.name {
        let _ = write!(md, "\n\n`{}` in the {} API.", member.name, model.full_name);
    }
    if dollar {
        let _ = write!(
            md,
            "\n\n`{name}.$`: set at run time from the path or intrinsic function its value holds."
        );
    }
    let _ = write!(md, "\n\nFrom the AWS model ({}).", asl_aws::MODEL_VERSION);
    md
}

/// The documentation of `name` in `object`, from the field table.
pub(crate) fn field_doc(object: Object, name: &str) -> Option<String> {
    let field = object.field(name)?;
    let mut md = format!(
        "**`{}`** · {}\n\n{}",
        field.name,
        object_label(object),
        field.doc
    );
    let _ = write!(md, "\n\nValue: {}.", field.value.describe());
    if object == Object::State {
        let on = kinds_list(field.states);
        let _ = write!(md, "\n\nAllowed on: {on}.");
        if !field.required.is_empty() {
            let _ = write!(md, " Required on: {}.", kinds_list(field.required));
        }
    } else if field.is_required() {
        md.push_str(" Required.");
    }
    match field.lang {
        crate::spec::fields::Lang::Both => {}
        lang => {
            let _ = write!(md, "\n\nQuery language: {} only.", lang.as_str());
        }
    }
    if field.jsonata && field.lang != crate::spec::fields::Lang::JsonAta {
        md.push_str(" In a JSONata state it also takes a `{% ... %}` expression.");
    }
    Some(md)
}

fn kinds_list(kinds: Kinds) -> String {
    if kinds == Kinds::ALL {
        return "every state type".to_owned();
    }
    let names: Vec<&str> = kinds.iter().map(StateKind::as_str).collect();
    names.join(", ")
}

pub(crate) fn object_label(object: Object) -> &'static str {
    match object {
        Object::Root => "state machine field",
        Object::Branch => "Parallel branch field",
        Object::Processor => "Map `ItemProcessor` field",
        Object::State => "state field",
        Object::Retrier => "retrier field (`Retry`)",
        Object::Catcher => "catcher field (`Catch`)",
        Object::ChoiceRule => "Choice rule field",
        Object::ProcessorConfig => "`ProcessorConfig` field",
        Object::Credentials => "`Credentials` field",
        Object::ItemReader => "`ItemReader` field",
        Object::ReaderConfig => "`ReaderConfig` field",
        Object::ItemBatcher => "`ItemBatcher` field",
        Object::ResultWriter => "`ResultWriter` field",
        Object::WriterConfig => "`WriterConfig` field",
    }
}

pub(crate) fn type_doc(kind: StateKind) -> &'static str {
    match kind {
        StateKind::Task => {
            "Runs a unit of work: a Lambda function, an AWS service integration, an activity or an HTTP endpoint named by `Resource`."
        }
        StateKind::Pass => {
            "Passes its input to its output, optionally injecting `Result` or reshaping data; it does no work but still costs a transition."
        }
        StateKind::Choice => {
            "Picks the next state from `Choices` rules, in order; `Default` is taken when none matches."
        }
        StateKind::Wait => {
            "Waits for `Seconds`, or until `Timestamp` (or the `*Path` forms), then continues."
        }
        StateKind::Succeed => "Ends the execution (or its branch or iteration) successfully.",
        StateKind::Fail => {
            "Ends the execution (or its branch or iteration) with `Error` and `Cause`."
        }
        StateKind::Parallel => {
            "Runs every branch of `Branches` at once and outputs an array of their results."
        }
        StateKind::Map => {
            "Runs `ItemProcessor` for each item of its input, inline (up to 40 at once) or as a Distributed Map of child executions."
        }
        StateKind::Unknown | StateKind::Missing => "",
    }
}

pub(crate) fn error_doc(name: &str) -> String {
    match predefined_error(name) {
        Some(e) => format!(
            "**`{name}`** · predefined error\n\n{}\n\n{}",
            e.meaning, e.handling
        ),
        None if name.starts_with("States.") => {
            let suggestion = crate::names::did_you_mean(
                name,
                crate::spec::errors::PREDEFINED_ERRORS
                    .iter()
                    .map(|e| e.name),
            );
            format!(
                "**`{name}`** is not a predefined error name (error names are case-sensitive){suggestion}"
            )
        }
        None => format!(
            "**`{name}`** · custom error name\n\nMatches an error raised with exactly this name (by a Lambda function, an integrated service or a Fail state)."
        ),
    }
}

fn state_summary(db: &Db<'_>, state: &State<'_>) -> String {
    let machine = db.machine;
    let scope = machine.scope(state.scope);
    let place = scope.map(|s| s.describe(machine)).unwrap_or_default();
    let kind = match state.kind {
        StateKind::Unknown | StateKind::Missing => "state of unknown type".to_owned(),
        k => format!("{} state", k.as_str()),
    };
    let mut md = format!("**`{}`** · {kind} in {place}", state.name);
    if let Some(resource) = state.resource() {
        let _ = write!(md, "\n\nResource: `{resource}`");
    }
    if let Some(comment) = state.fields.comment.and_then(|p| p.value.as_str()) {
        let _ = write!(md, "\n\n{}", comment.replace('\n', " "));
    }

    let mut incoming: Vec<String> = Vec::new();
    if db.graph.start(state.scope) == Some(state.id) {
        incoming.push("`StartAt`".to_owned());
    }
    for t in db.graph.incoming(state.id) {
        incoming.push(format!(
            "`{}` ({})",
            machine.state_name(t.from),
            t.kind.describe()
        ));
    }
    let in_text = if incoming.is_empty() {
        "nothing: the state is unreachable".to_owned()
    } else {
        incoming.join(", ")
    };
    let _ = write!(md, "\n\n**In:** {in_text}");

    let mut outgoing: Vec<String> = db
        .graph
        .transitions(state.id)
        .iter()
        .filter(|t| !matches!(t.kind, EdgeKind::Catch(_)))
        .map(|t| format!("{} → `{}`", t.kind.describe(), t.name))
        .collect();
    if state.is_terminal() {
        let end = match scope.map(|s| s.kind) {
            Some(ScopeKind::Root) | None => "ends the execution",
            Some(ScopeKind::Branch { .. }) => "ends its branch",
            Some(ScopeKind::Processor { .. }) => "ends its iteration",
        };
        outgoing.push(end.to_owned());
    }
    let out_text = if outgoing.is_empty() {
        "none".to_owned()
    } else {
        outgoing.join(", ")
    };
    let _ = write!(md, "\n\n**Out:** {out_text}");
    let shapes = db.shapes();
    let known = |s: Option<&crate::shapes::Shape>| {
        s.filter(|s| !matches!(s, crate::shapes::Shape::Unknown))
            .map(|s| s.describe_within(120))
    };
    if let Some(input) = known(shapes.input(state.id)) {
        let _ = write!(md, "\n\n**Input:** `{input}`");
    }
    if let Some(output) = known(shapes.output(state.id)) {
        let _ = write!(md, "\n\n**Output:** `{output}`");
    }

    if !state.children.is_empty() {
        let nested: Vec<String> = state
            .children
            .iter()
            .filter_map(|&c| machine.scope(c))
            .map(|s| {
                let n = s.states.len();
                format!(
                    "{} ({n} state{})",
                    s.describe(machine),
                    if n == 1 { "" } else { "s" }
                )
            })
            .collect();
        let _ = write!(md, "\n\n**Runs:** {}", nested.join(", "));
    }

    if state.kind.takes_retry() {
        if state.retriers.is_empty() {
            md.push_str("\n\n**Retry:** none: any error fails the state at once");
        } else {
            md.push_str("\n\n**Retry:**");
            for r in &state.retriers {
                let _ = write!(md, "\n- {}", retrier_summary(r));
            }
        }
        if let Some((_, text)) = attempts_text(machine, state) {
            let _ = write!(md, "\n\n**Attempts:** {text}");
        }
        if state.catchers.is_empty() {
            md.push_str("\n\n**Catch:** none: an error that retries do not absorb fails ");
            md.push_str(match scope.map(|s| s.kind) {
                Some(ScopeKind::Root) | None => "the execution",
                Some(ScopeKind::Branch { .. }) => "the enclosing Parallel state",
                Some(ScopeKind::Processor { .. }) => "the enclosing Map state",
            });
        } else {
            md.push_str("\n\n**Catch:**");
            for c in &state.catchers {
                let errors = error_list(c.fields.error_equals.map(|p| &p.value));
                let next = c.fields.next.and_then(|p| p.value.as_str()).unwrap_or("?");
                let result = match c.fields.result_path {
                    Some(p) if p.value.is_null() => " (error discarded)".to_owned(),
                    Some(p) => match p.value.as_str() {
                        Some(path) => format!(" (error at `{path}`)"),
                        None => String::new(),
                    },
                    None if c.fields.output.is_some() => String::new(),
                    None if state.query_language == asl_syntax::ast::QueryLanguage::JsonPath => {
                        " (the error replaces the input)".to_owned()
                    }
                    None => String::new(),
                };
                let _ = write!(md, "\n- {errors} → `{next}`{result}");
            }
        }
    } else if let Some((_, text)) = attempts_text(machine, state) {
        // Rerun by the retries of an enclosing Map or Parallel.
        let _ = write!(md, "\n\n**Attempts:** {text}");
    }
    md
}

fn error_list(node: Option<&Node>) -> String {
    let names: Vec<String> = node
        .and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .filter_map(|n| n.as_str().map(|s| format!("`{s}`")))
        .collect();
    if names.is_empty() {
        "(no errors)".to_owned()
    } else {
        names.join(", ")
    }
}

fn retrier_summary(r: &Retrier<'_>) -> String {
    let errors = error_list(r.fields.error_equals.map(|p| &p.value));
    let p = Policy::of(0, r);
    if p.max_attempts == 0 {
        return format!("{errors}: never retried");
    }
    let mut s = format!(
        "{errors}: up to {} retr{}, first after {} s, ×{} each time",
        p.max_attempts,
        if p.max_attempts == 1 { "y" } else { "ies" },
        p.interval,
        p.backoff
    );
    if let Some(max) = p.max_delay {
        let _ = write!(s, ", at most {max} s");
    }
    if let Some(j) = r.fields.jitter_strategy.and_then(|p| p.value.as_str()) {
        let _ = write!(s, ", jitter {j}");
    }
    let _ = write!(s, "; {}", schedule_text(&p));
    s
}

/// The most waits listed one by one; past it, the first three and the last.
const LISTED_WAITS: u64 = 5;

/// The waits before each retry of `p`: `waits 1 s, 2 s, 4 s (7 s in all)`, or for many
/// retries `waits 1 s, 2 s, 4 s, …, 512 s (17 min in all)`.
pub(crate) fn schedule_text(p: &Policy) -> String {
    let n = p.max_attempts;
    let wait = |i: u64| retry::human_duration(p.wait_before(i));
    let mut waits: Vec<String> = if n <= LISTED_WAITS {
        (1..=n).map(wait).collect()
    } else {
        (1..=3).map(wait).collect()
    };
    if n > LISTED_WAITS {
        waits.push("…".to_owned());
        waits.push(wait(n));
    }
    let total = p.total_wait();
    let total = if total.is_finite() {
        format!("{} in all", retry::human_duration(total))
    } else {
        "without end in all".to_owned()
    };
    let mut s = format!("waits {} ({total})", waits.join(", "));
    if p.jitter {
        s.push_str(", each drawn at random from [0, wait]");
    }
    s
}

/// The top-level state enclosing `state` (itself at the top level).
fn top_level_ancestor<'m, 'a>(machine: &'m Machine<'a>, state: &'m State<'a>) -> &'m State<'a> {
    let mut current = state;
    // Bounded by the nesting depth; the guard only protects against a malformed model.
    for _ in 0..=machine.scopes.len() {
        let parent = machine
            .scope(current.scope)
            .and_then(|s| s.parent())
            .and_then(|id| machine.state(id));
        match parent {
            Some(p) => current = p,
            None => break,
        }
    }
    current
}

/// The worst-case attempts of `state` when above 1: the product of [`retry::worst_case`] and a
/// sentence in markdown: `up to 4 per entry (1 + 3 retries); up to 64 per entry of the
/// top-level state `Both`: 4 (own) × 4 (Map `Each`) × 4 (Parallel `Both`)`.
pub(crate) fn attempts_text(machine: &Machine<'_>, state: &State<'_>) -> Option<(u64, String)> {
    let own = retry::attempts(state);
    let (product, factors) = retry::worst_case(machine, state);
    if product <= 1 {
        return None;
    }
    let mut s = if own > 1 {
        format!("up to {own} per entry (1 + {} retries)", own - 1)
    } else {
        "1 per entry".to_owned()
    };
    if factors.iter().any(|f| f.state != state.id) {
        let top = top_level_ancestor(machine, state);
        let list: Vec<String> = factors
            .iter()
            .map(|f| {
                if f.state == state.id {
                    format!("{} (own)", f.attempts)
                } else {
                    let kind = machine.state(f.state).map_or("state", |s| s.kind.as_str());
                    format!("{} ({kind} `{}`)", f.attempts, machine.state_name(f.state))
                }
            })
            .collect();
        let _ = write!(
            s,
            "; up to {product} per entry of the top-level state `{}`",
            top.name
        );
        let in_map = factors.iter().any(|f| {
            f.state != state.id
                && machine
                    .state(f.state)
                    .is_some_and(|s| s.kind == StateKind::Map)
        });
        if in_map {
            s.push_str(" (per item of each enclosing Map)");
        }
        let _ = write!(s, ": {}", list.join(" × "));
    }
    Some((product, s))
}

/// The documentation of the rules whose diagnostics cover `offset`.
pub(crate) fn diagnostic_docs(diagnostics: &[Diagnostic], offset: TextSize) -> Option<Hover> {
    let mut md = String::new();
    let mut range: Option<TextRange> = None;
    let mut seen: Vec<&crate::rule::RuleMeta> = Vec::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.range.contains_inclusive(offset))
    {
        if seen.contains(&d.rule) {
            continue;
        }
        seen.push(d.rule);
        range = Some(range.map_or(d.range, |r| r.cover(d.range)));
        let rule = d.rule;
        if !md.is_empty() {
            md.push_str("\n\n---\n\n");
        }
        let _ = write!(
            md,
            "**{} {}** ({})",
            rule.code,
            rule.name,
            d.severity.as_str()
        );
        for title in ["What it does", "Why is this bad?"] {
            if let Some(section) = rule.section(title) {
                let _ = write!(md, "\n\n{}", section.trim());
            }
        }
        let _ = write!(md, "\n\n[Rule documentation]({})", rule.url());
    }
    Some(Hover {
        range: range?,
        markdown: md,
    })
}

impl Hover {
    /// The hover on the code, then the documentation of diagnostics under the cursor.
    pub fn combine(main: Option<Hover>, diagnostics: Option<Hover>) -> Option<Hover> {
        match (main, diagnostics) {
            (Some(m), Some(d)) => Some(Hover {
                range: m.range,
                markdown: format!("{}\n\n---\n\n{}", m.markdown, d.markdown),
            }),
            (m, d) => m.or(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ide::test_util::analysis;

    fn hover(input: &str) -> String {
        let (a, offset) = analysis(input);
        a.hover(offset).map(|h| h.markdown).unwrap_or_default()
    }

    #[test]
    fn an_sdk_resource_shows_its_operation() {
        let md = hover(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getOb$0ject", "End": true}}}"#,
        );
        assert!(
            md.starts_with(
                "**`aws-sdk:s3:getObject`** · Amazon Simple Storage Service `GetObject`"
            ),
            "{md}"
        );
        assert!(md.contains("- `Bucket` (string, required)"), "{md}");
        assert!(md.contains("- `Key` (string, required)"), "{md}");
        assert!(md.contains("`S3.NoSuchKeyException`"), "{md}");
        // The required members come first.
        let bucket = md.find("`Bucket`").unwrap();
        let if_match = md.find("`IfMatch`").unwrap_or(usize::MAX);
        assert!(bucket < if_match, "{md}");
        // An action the model does not know: only the finding's documentation.
        let unknown = hover(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getOb$0jekt", "End": true}}}"#,
        );
        assert!(!unknown.contains("(AWS SDK integration)"), "{unknown}");
        assert!(unknown.contains("unknown-integration"), "{unknown}");
    }

    #[test]
    fn a_parameter_key_shows_its_member() {
        let task = |params: &str| {
            format!(
                r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:deleteObjects", "Parameters": {params}, "End": true}}}}}}"#
            )
        };
        let md = hover(&task(r#"{"Buc$0ket": "b", "Delete": {"Objects": []}}"#));
        assert!(
            md.starts_with(
                "**`Bucket`** · string, required · in `Parameters` of `aws-sdk:s3:deleteObjects`"
            ),
            "{md}"
        );
        assert!(md.contains("From the AWS model (botocore"), "{md}");
        // A nested structure, an object of a list of structures, a `.$` key.
        let md = hover(&task(r#"{"Bucket": "b", "Delete": {"Qu$0iet": true}}"#));
        assert!(
            md.starts_with("**`Quiet`** · boolean, optional · in `Parameters.Delete` of"),
            "{md}"
        );
        let md = hover(&task(
            r#"{"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, {"Ke$0y.$": "$.k"}]}}"#,
        ));
        assert!(
            md.starts_with("**`Key`** · string, required · in `Parameters.Delete.Objects[1]` of"),
            "{md}"
        );
        assert!(md.contains("`Key.$`: set at run time"), "{md}");
        let md = hover(&task(r#"{"Bucket": "b", "Delete": {"Obj$0ects": []}}"#));
        assert!(
            md.starts_with("**`Objects`** · list of structure, required"),
            "{md}"
        );
        // An enumerated string lists its first values.
        let md = hover(&task(
            r#"{"Bucket": "b", "Delete": {}, "Request$0Payer": "x"}"#,
        ));
        assert!(md.contains(r#"one of "requester""#), "{md}");
        // An unknown key: only the finding's documentation; a Pass state's Parameters: nothing.
        let md = hover(&task(r#"{"Bucket": "b", "Delete": {}, "Bog$0us": 1}"#));
        assert!(!md.contains("From the AWS model"), "{md}");
        assert!(md.contains("unknown-parameter"), "{md}");
        let md = hover(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"Buc$0ket": "b"}, "End": true}}}"#,
        );
        assert_eq!(md, "");
        // camelCase in the API, PascalCase in Step Functions; JSONata's Arguments.
        let md = hover(
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution", "Arguments": {"StateMachine$0Arn": "arn"}, "End": true}}}"#,
        );
        assert!(
            md.starts_with("**`StateMachineArn`** · string, required"),
            "{md}"
        );
        assert!(md.contains("`stateMachineArn` in the"), "{md}");
        // A map's values: DynamoDB's `Key` maps names to attribute values.
        let md = hover(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem", "Parameters": {"TableName": "t", "Key": {"id": {"$0S": "x"}}}, "End": true}}}"#,
        );
        assert!(
            md.starts_with("**`S`** · string, optional · in `Parameters.Key.id`"),
            "{md}"
        );
    }

    /// A state's hover shows the payload shapes known at it, and nothing when it knows none.
    #[test]
    fn state_summary_shows_known_payload_shapes() {
        let md = hover(
            r#"{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Ship$0",
             "ResultSelector": {"receipt.$": "$.Payload.id", "amount": 5}, "ResultPath": "$.charge"},
  "Ship": {"Type": "Pass", "OutputPath": "$.charge", "End": true}}}"#,
        );
        assert!(
            md.contains("**Input:** `{charge: {receipt, amount}, …}`"),
            "{md}"
        );
        assert!(
            md.contains("**Output:** `{receipt, amount: number}`"),
            "{md}"
        );
        let md = hover(
            r#"{"StartAt": "Charge$0", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#,
        );
        assert!(
            !md.contains("**Input:**") && !md.contains("**Output:**"),
            "{md}"
        );
    }

    #[test]
    fn state_summary_on_a_transition() {
        let md = hover(
            r#"{"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B$0",
        "TimeoutSeconds": 5,
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2, "JitterStrategy": "FULL"}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
  "B": {"Type": "Succeed"},
  "F": {"Type": "Fail"}}}"#,
        );
        assert!(
            md.starts_with("**`B`** · Succeed state in the top level"),
            "{md}"
        );
        assert!(md.contains("**In:** `A` (Next)"), "{md}");
        assert!(md.contains("**Out:** ends the execution"), "{md}");
        let md = hover(
            r#"{"StartAt": "A$0", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2, "JitterStrategy": "FULL"}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
  "F": {"Type": "Fail"}}}"#,
        );
        assert!(
            md.contains("Resource: `arn:aws:states:::lambda:invoke`"),
            "{md}"
        );
        assert!(md.contains("**In:** `StartAt`"), "{md}");
        assert!(
            md.contains(
                "- `States.TaskFailed`: up to 2 retries, first after 1 s, ×2 each time, jitter FULL; \
                 waits 1 s, 2 s (3 s in all), each drawn at random from [0, wait]\n\n\
                 **Attempts:** up to 3 per entry (1 + 2 retries)"
            ),
            "{md}"
        );
        assert!(
            md.contains("- `States.ALL` → `F` (the error replaces the input)"),
            "{md}"
        );
    }

    #[test]
    fn field_error_and_type_docs() {
        let md = hover(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Timeout$0Seconds": 5, "Resource": "x", "End": true}}}"#,
        );
        assert!(md.starts_with("**`TimeoutSeconds`** · state field"), "{md}");
        assert!(md.contains("Allowed on: Task."), "{md}");
        let md = hover(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x", "End": true, "Catch": [{"ErrorEquals": ["States.Run$0time"], "Next": "A"}]}}}"#,
        );
        assert!(md.contains("Never retried or caught"), "{md}");
        let md = hover(r#"{"StartAt": "A", "States": {"A": {"Type": "Ma$0p"}}}"#);
        assert!(md.starts_with("**Map state**"), "{md}");
        let md = hover(r#"{"Start$0At": "A", "States": {"A": {"Type": "Succeed"}}}"#);
        assert!(
            md.starts_with("**`StartAt`** · state machine field"),
            "{md}"
        );
    }

    #[test]
    fn diagnostic_docs_follow_the_code_hover() {
        let md = hover(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope$0"}}}"#);
        assert!(md.contains("no state of this scope"), "{md}");
        assert!(md.contains("**ASL101 unknown-target** (error)"), "{md}");
        assert!(md.contains("[Rule documentation](https://"), "{md}");
    }

    const NESTED: &str = r#"{"StartAt": "Both", "States": {
  "Both": {"Type": "Parallel", "End": true,
    "Retry": [{"ErrorEquals": ["States.ALL"]}],
    "Branches": [{"StartAt": "Each", "States": {
      "Each": {"Type": "Map", "End": true,
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
        "ItemProcessor": {"StartAt": "Call", "States": {
          "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 10, "IntervalSeconds": 1, "BackoffRate": 2, "JitterStrategy": "FULL"},
                      {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0}]},
          "Done": {"Type": "Pass", "End": true}}}}}}]}}}"#;

    #[test]
    fn retry_schedule_and_worst_case_attempts() {
        let md = hover(&NESTED.replacen("\"Call\": {", "\"Ca$0ll\": {", 1));
        let retry = md
            .split("\n\n")
            .filter(|p| p.starts_with("**Retry:**") || p.starts_with("**Attempts:**"))
            .collect::<Vec<_>>()
            .join("\n\n");
        assert_eq!(
            retry,
            "**Retry:**\n\
             - `Lambda.TooManyRequestsException`: up to 10 retries, first after 1 s, ×2 each time, jitter FULL; \
             waits 1 s, 2 s, 4 s, …, 8.5 min (17.1 min in all), each drawn at random from [0, wait]\n\
             - `States.Timeout`: never retried\n\n\
             **Attempts:** up to 11 per entry (1 + 10 retries); up to 176 per entry of the top-level state \
             `Both` (per item of each enclosing Map): 11 (own) × 4 (Map `Each`) × 4 (Parallel `Both`)"
        );
        // A Pass state has no retriers but is rerun by the enclosing ones.
        let md = hover(&NESTED.replacen("\"Done\": {", "\"Do$0ne\": {", 1));
        assert_eq!(
            md,
            "**`Done`** · Pass state in the item processor of `Each`\n\n\
             **In:** `Call` (Next)\n\n\
             **Out:** ends its iteration\n\n\
             **Attempts:** 1 per entry; up to 16 per entry of the top-level state `Both` \
             (per item of each enclosing Map): 4 (Map `Each`) × 4 (Parallel `Both`)"
        );
        let md = hover(&NESTED.replacen("\"Both\": {", "\"Bo$0th\": {", 1));
        assert!(
            md.contains(
                "**Retry:**\n- `States.ALL`: up to 3 retries, first after 1 s, ×2 each time; \
                 waits 1 s, 2 s, 4 s (7 s in all)\n\n\
                 **Attempts:** up to 4 per entry (1 + 3 retries)\n\n**Catch:**"
            ),
            "{md}"
        );
        // The cap holds every wait past it; a state that runs once has no attempts line.
        let md = hover(
            r#"{"StartAt": "A$0", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B",
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 6, "IntervalSeconds": 2, "BackoffRate": 3, "MaxDelaySeconds": 20}]},
  "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#,
        );
        assert!(
            md.contains(
                "- `States.ALL`: up to 6 retries, first after 2 s, ×3 each time, at most 20 s; \
                 waits 2 s, 6 s, 18 s, …, 20 s (86 s in all)\n\n\
                 **Attempts:** up to 7 per entry (1 + 6 retries)\n\n"
            ),
            "{md}"
        );
        let md = hover(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x", "Next": "B$0"},
  "B": {"Type": "Task", "Resource": "x", "End": true}}}"#,
        );
        assert!(md.contains("**Retry:** none"), "{md}");
        assert!(!md.contains("**Attempts:**"), "{md}");
    }
}
