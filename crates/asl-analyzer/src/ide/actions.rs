//! Code actions: the quick fixes that are obvious from a diagnostic, and "suppress for this
//! state" through the `Comment` directive. Every edit is computed from byte ranges of the
//! current text and keeps the JSON well-formed.

use asl_syntax::ast::{QueryLanguage, State};
use asl_syntax::{Node, TextRange, TextSize};

use super::cursor::{Hit, locate};
use super::navigate::{Named, named_at, serde_json_string};
use super::{Db, TextEdit};
use crate::diagnostic::Diagnostic;
use crate::names::closest;
use crate::registry;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// Fixes the diagnostic.
    QuickFix,
    /// Silences the diagnostic with a `Comment` directive.
    Suppress,
}

/// Whether `asl-lint check --fix` may apply an action without the user reading it (ruff's
/// model): a safe fix cannot change the behaviour of a definition that AWS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Applied by `--fix`: the result behaves as the author wrote it.
    Safe,
    /// Applied by `--fix --unsafe-fixes` only: it changes what the definition does, or picks
    /// one of several meanings.
    Unsafe,
    /// Offered in the editor only, never applied by `--fix` (the suppressions).
    Manual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub applicability: Applicability,
    pub edits: Vec<TextEdit>,
    /// The diagnostic it addresses (code and range), if any.
    pub diagnostic: Option<(&'static str, TextRange)>,
    /// The best fix for its diagnostic (editors apply it with one key).
    pub preferred: bool,
}

pub(crate) fn code_actions(db: &Db<'_>, range: TextRange) -> Vec<Action> {
    let mut out = Vec::new();
    for d in db
        .diagnostics
        .iter()
        .filter(|d| d.range.intersect(range).is_some() || d.range.contains_inclusive(range.start()))
    {
        let before = out.len();
        fixes(db, d, &mut out);
        for a in out.iter_mut().skip(before) {
            a.diagnostic = Some((d.code, d.range));
        }
        if let Some(a) = suppress(db, d) {
            out.push(a);
        }
    }
    // Offered from the cursor too (when catch-replaces-input is off), unless already there.
    if let Some(a) = catcher_result_path(db, range) {
        if !out.iter().any(|b| b.title == a.title) {
            out.push(a);
        }
    }
    out
}

/// The fix `--fix` applies for each diagnostic that has one: its preferred quick fix, else its
/// first (the suppressions are never among them).
pub(crate) fn fixes_for_all(db: &Db<'_>) -> Vec<crate::fix::Fix> {
    let mut out = Vec::new();
    let mut actions = Vec::new();
    for d in db.diagnostics {
        actions.clear();
        fixes(db, d, &mut actions);
        let best = actions
            .iter()
            .position(|a| a.preferred)
            .or((!actions.is_empty()).then_some(0));
        if let Some(action) = best.and_then(|i| actions.get(i)) {
            out.push(crate::fix::Fix {
                code: d.code,
                rule: d.rule,
                title: action.title.clone(),
                applicability: action.applicability,
                edits: action.edits.clone(),
            });
        }
    }
    out
}

fn fix(
    title: String,
    edits: Vec<TextEdit>,
    preferred: bool,
    applicability: Applicability,
) -> Action {
    Action {
        title,
        kind: ActionKind::QuickFix,
        applicability,
        edits,
        diagnostic: None,
        preferred,
    }
}

fn replace(range: TextRange, text: impl Into<String>) -> TextEdit {
    TextEdit {
        range,
        new_text: text.into(),
    }
}

fn fixes(db: &Db<'_>, d: &Diagnostic, out: &mut Vec<Action>) {
    use Applicability::{Safe, Unsafe};
    match d.rule {
        "unknown-target" => {
            let Some(Named::Reference {
                scope, name, range, ..
            }) = named_at(db, d.range.start())
            else {
                return;
            };
            let names = db.machine.states_of(scope).map(|s| s.name);
            if let Some(best) = closest(name, names) {
                out.push(fix(
                    format!("Change `{name}` to `{best}`"),
                    vec![replace(range, serde_json_string(best))],
                    true,
                    // A guess at the intended state: the flow then goes where we chose.
                    Unsafe,
                ));
            }
        }
        "missing-transition" => {
            let Some(state) = db.machine.state_at(d.range) else {
                return;
            };
            // A misspelt `Nxt` is fixed by its rename; a new `End` beside it would conflict.
            let misspelt = db.diagnostics.iter().any(|u| {
                u.rule == "unknown-field"
                    && state.node().range.contains_range(u.range)
                    && matches!(suggested_name(&u.message), Some("Next" | "End"))
            });
            if misspelt {
                return;
            }
            if let Some(end) = state.fields.end {
                out.push(fix(
                    format!("Set `\"End\": true` on `{}`", state.name),
                    vec![replace(end.value.range, "true")],
                    true,
                    // Ending here is one choice; a `Next` would be another.
                    Unsafe,
                ));
                return;
            }
            if let Some(edit) = add_member(db.text, state.node(), "\"End\": true") {
                out.push(fix(
                    format!("Add `\"End\": true` to `{}`", state.name),
                    vec![edit],
                    true,
                    // Ending here is one choice; a `Next` would be another.
                    Unsafe,
                ));
            }
            if let Some(next) = following_state(db, state) {
                let member = format!("\"Next\": {}", serde_json_string(next));
                if let Some(edit) = add_member(db.text, state.node(), &member) {
                    out.push(fix(
                        format!("Add `\"Next\": \"{next}\"` to `{}`", state.name),
                        vec![edit],
                        false,
                        // A guess at the intended successor.
                        Unsafe,
                    ));
                }
            }
        }
        "states-all-not-last" => {
            if let Some(action) = move_catch_all_last(db, d) {
                out.push(action);
            }
        }
        "unknown-field" => {
            let Some(suggestion) = suggested_name(&d.message) else {
                return;
            };
            // Renaming onto a field the object already has would make a duplicate key.
            if let Some((path, Hit::Key(_))) = locate(db.root, d.range.start())
                && super::cursor::node_at(db.root, &path)
                    .is_some_and(|object| object.get(suggestion).is_some())
            {
                return;
            }
            out.push(fix(
                format!("Rename the field to `{suggestion}`"),
                vec![replace(d.range, serde_json_string(suggestion))],
                true,
                // A guess at the intended field, which then takes effect (a typo'd
                // `TimeoutSecond` did nothing; `TimeoutSeconds` times the state out).
                Unsafe,
            ));
        }
        "catch-replaces-input" => {
            if let Some(action) = catcher_result_path(db, d.range) {
                out.push(Action {
                    preferred: true,
                    ..action
                });
            }
        }
        "lambda-missing-retry" => {
            if let Some(action) = lambda_retry(db, d.range) {
                out.push(action);
            }
        }
        "unbounded-backoff" => {
            // A cap answers the finding about one long wait, not the one about the total.
            if !d.message.contains("add `\"MaxDelaySeconds\"`") {
                return;
            }
            if let Some((state, r)) = retrier_at(db, d.range)
                && r.fields.max_delay_seconds.is_none()
                && let Some(edit) = add_member(db.text, r.node, "\"MaxDelaySeconds\": 3600")
            {
                out.push(fix(
                    format!(
                        "Cap this retrier of `{}` at one hour (`\"MaxDelaySeconds\": 3600`)",
                        state.name
                    ),
                    vec![edit],
                    true,
                    // Shortens the waits between retries.
                    Unsafe,
                ));
            }
        }
        "retry-storm" => {
            // Jitter answers the lockstep finding, not the one about too many attempts.
            if !d.message.contains("without jitter") {
                return;
            }
            let Some((state, r)) = retrier_at(db, d.range) else {
                return;
            };
            let edit = match r.fields.jitter_strategy {
                Some(p) => Some(replace(p.value.range, "\"FULL\"")),
                None => add_member(db.text, r.node, "\"JitterStrategy\": \"FULL\""),
            };
            if let Some(edit) = edit {
                out.push(fix(
                    format!("Retry `{}` with `\"JitterStrategy\": \"FULL\"`", state.name),
                    vec![edit],
                    true,
                    // Randomises the waits between retries.
                    Unsafe,
                ));
            }
        }
        "unsupported-integration-pattern" => {
            // The diagnostic covers the suffix inside the `Resource` string.
            let suffix = db
                .text
                .get(usize::from(d.range.start())..usize::from(d.range.end()))
                .unwrap_or_default();
            if suffix.starts_with('.') && !suffix.contains('"') {
                out.push(fix(
                    format!("Remove `{suffix}` (call the API and go on with its response)"),
                    vec![replace(d.range, "")],
                    false,
                    // The state no longer waits for the job or the callback.
                    Unsafe,
                ));
            }
        }
        "deprecated-field" => {
            let Some((path, Hit::Key(prop))) = locate(db.root, d.range.start()) else {
                return;
            };
            let new = match prop.key.as_str() {
                "Iterator" => "ItemProcessor",
                "Parameters" => "ItemSelector",
                _ => return,
            };
            // A `Parameters` that is not a payload template is not a valid `ItemSelector`.
            if new == "ItemSelector" && prop.value.as_object().is_none() {
                return;
            }
            // Both names at once is a conflict to resolve by hand, not a rename.
            if super::cursor::node_at(db.root, &path).is_none_or(|state| state.get(new).is_some()) {
                return;
            }
            out.push(fix(
                format!("Rename `{}` to `{new}`", prop.key),
                vec![replace(prop.key_range, serde_json_string(new))],
                true,
                // AWS documents the old names as aliases of the new ones: same behaviour.
                Safe,
            ));
        }
        _ => {}
    }
}

/// The name in a message's "did you mean `X`?".
fn suggested_name(message: &str) -> Option<&str> {
    let rest = message.split("did you mean `").nth(1)?;
    rest.split('`').next().filter(|s| !s.is_empty())
}

/// The state written after `state` in its scope, else the first one that is not `state`.
fn following_state<'a>(db: &Db<'a>, state: &State<'a>) -> Option<&'a str> {
    let mut states = db.machine.states_of(state.scope);
    let after = states
        .by_ref()
        .skip_while(|s| s.id != state.id)
        .nth(1)
        .map(|s| s.name);
    after.or_else(|| {
        db.machine
            .states_of(state.scope)
            .find(|s| s.id != state.id)
            .map(|s| s.name)
    })
}

/// An edit adding `member` (`"Key": value`) as the last member of `object`, laid out like its
/// other members (one per line, or all on one line).
pub(crate) fn add_member(text: &str, object: &Node, member: &str) -> Option<TextEdit> {
    let props = object.as_object()?;
    match props.last() {
        Some(last) => {
            let multiline = props
                .first()
                .and_then(|first| {
                    text.get(
                        usize::from(object.range.start())..usize::from(first.key_range.start()),
                    )
                })
                .is_some_and(|gap| gap.contains('\n'));
            let new_text = if multiline {
                format!(
                    ",{}{}{member}",
                    newline(text),
                    indent_of(text, last.key_range.start())
                )
            } else {
                format!(", {member}")
            };
            Some(TextEdit {
                range: TextRange::empty(last.value.range.end()),
                new_text,
            })
        }
        None => Some(TextEdit {
            range: TextRange::empty(object.range.start() + TextSize::from(1)),
            new_text: format!(" {member} "),
        }),
    }
}

/// An edit adding `member` as the first member of `object`.
fn add_first_member(text: &str, object: &Node, member: &str) -> Option<TextEdit> {
    let props = object.as_object()?;
    let Some(first) = props.first() else {
        return add_member(text, object, member);
    };
    let gap =
        text.get(usize::from(object.range.start()) + 1..usize::from(first.key_range.start()))?;
    let new_text = if gap.contains('\n') {
        format!(
            "{member},{}{}",
            newline(text),
            indent_of(text, first.key_range.start())
        )
    } else {
        format!("{member}, ")
    };
    Some(TextEdit {
        range: TextRange::empty(first.key_range.start()),
        new_text,
    })
}

/// The line ending of `text`: CRLF when it has one, else LF (an added line must not mix them).
fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The whitespace at the start of the line holding `offset`.
fn indent_of(text: &str, offset: TextSize) -> String {
    let before = text.get(..usize::from(offset)).unwrap_or("");
    let line = before.rsplit(['\n', '\r']).next().unwrap_or("");
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Moves the retrier or catcher holding `States.ALL` to the end of its array, keeping the
/// separators between elements where they were.
fn move_catch_all_last(db: &Db<'_>, d: &Diagnostic) -> Option<Action> {
    let (path, _) = locate(db.root, d.range.start())?;
    // .../Retry|Catch/<i>/ErrorEquals/<j>
    let n = path.len();
    let array_path = path.get(..n.checked_sub(3)?)?;
    let index = match path.get(n - 3)? {
        super::cursor::Seg::Index(i) => *i,
        super::cursor::Seg::Key(_) => return None,
    };
    let field = array_path.last()?.key()?.to_owned();
    if !matches!(field.as_str(), "Retry" | "Catch") {
        return None;
    }
    let array = super::cursor::node_at(db.root, array_path)?;
    let items = array.as_array()?;
    let element = items.get(index)?;
    // Only when States.ALL is the whole ErrorEquals: otherwise moving does not fix it.
    let errors = element.get("ErrorEquals")?.value.as_array()?;
    if errors.len() != 1 || index + 1 == items.len() {
        return None;
    }
    // With a second `States.ALL` handler, one of the two stays before the other whatever the
    // order: a choice for the author, and moving would never end.
    let catch_all = |node: &Node| {
        node.get("ErrorEquals")
            .and_then(|p| p.value.as_array())
            .is_some_and(|errors| errors.iter().any(|e| e.as_str() == Some("States.ALL")))
    };
    if items.iter().filter(|n| catch_all(n)).count() > 1 {
        return None;
    }
    let (first, last) = (items.first()?, items.last()?);
    let piece = |node: &Node| {
        db.text
            .get(std::ops::Range::<usize>::from(node.range))
            .map(str::to_owned)
    };
    let mut order: Vec<&Node> = items
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, n)| n)
        .collect();
    order.push(element);
    let mut new_text = String::new();
    for (i, node) in order.iter().enumerate() {
        new_text.push_str(&piece(node)?);
        if let (Some(a), Some(b)) = (items.get(i), items.get(i + 1)) {
            new_text.push_str(
                db.text
                    .get(usize::from(a.range.end())..usize::from(b.range.start()))?,
            );
        }
    }
    let what = if field == "Retry" {
        "retrier"
    } else {
        "catcher"
    };
    Some(fix(
        format!("Move the `States.ALL` {what} to the end of `{field}`"),
        vec![replace(
            TextRange::new(first.range.start(), last.range.end()),
            new_text,
        )],
        true,
        // AWS rejects the definition as written, so no deployed behaviour changes; the end is
        // the only place where `States.ALL` leaves every other handler reachable.
        Applicability::Safe,
    ))
}

const SUPPRESS_REASON: &str = "TODO: say why this is safe";

/// Suppresses `d` for the state holding it (or the whole file, for a finding outside any state)
/// by adding the rule to a `Comment` directive.
fn suppress(db: &Db<'_>, d: &Diagnostic) -> Option<Action> {
    if d.code == "ASL001" || d.code.starts_with("ASL9") {
        return None;
    }
    let rule = registry::find(d.code)?;
    let (owner, comment, title) = match db.machine.state_at(d.range) {
        Some(state) => (
            state.node(),
            state.fields.comment,
            format!("Suppress {} for state `{}`", rule.name, state.name),
        ),
        None => (
            db.root,
            db.root.get("Comment"),
            format!("Suppress {} for this file", rule.name),
        ),
    };
    let edit = match comment {
        Some(prop) => {
            let current = prop.value.as_str()?;
            let updated = add_to_directive(current, rule.name)?;
            replace(prop.value.range, serde_json_string(&updated))
        }
        None => {
            let directive = format!("asl-lint-allow: {} -- {SUPPRESS_REASON}", rule.name);
            let member = format!("\"Comment\": {}", serde_json_string(&directive));
            add_first_member(db.text, owner, &member)?
        }
    };
    Some(Action {
        title,
        kind: ActionKind::Suppress,
        applicability: Applicability::Manual,
        edits: vec![edit],
        diagnostic: Some((d.code, d.range)),
        preferred: false,
    })
}

/// `comment` with `rule` added to its `asl-lint-allow` list, or a new directive appended.
/// `None` when the rule is already listed.
fn add_to_directive(comment: &str, rule: &str) -> Option<String> {
    const MARKER: &str = "asl-lint-allow";
    let Some(at) = comment.find(MARKER) else {
        let sep = if comment.trim().is_empty() { "" } else { " | " };
        return Some(format!(
            "{}{sep}{MARKER}: {rule} -- {SUPPRESS_REASON}",
            comment.trim_end()
        ));
    };
    let after = comment.get(at + MARKER.len()..)?;
    let list_end = after
        .find("--")
        .map_or(comment.len(), |i| at + MARKER.len() + i);
    let list = comment.get(at + MARKER.len()..list_end)?;
    let names: Vec<&str> = list
        .trim_start_matches(':')
        .split(',')
        .map(str::trim)
        .collect();
    if names
        .iter()
        .any(|n| registry::find(n).is_some_and(|r| r.name == rule))
    {
        return None;
    }
    let head = comment.get(..list_end)?.trim_end();
    let tail = comment.get(list_end..)?;
    if tail.is_empty() {
        Some(format!("{head}, {rule} -- {SUPPRESS_REASON}"))
    } else {
        Some(format!("{head}, {rule} {tail}"))
    }
}

/// On a JSONPath catcher without `ResultPath`: add `"ResultPath": "$.error"` so the recovery
/// path keeps the state's input (otherwise the error object replaces it).
fn catcher_result_path(db: &Db<'_>, range: TextRange) -> Option<Action> {
    let state = db.machine.state_at(range)?;
    if state.query_language != QueryLanguage::JsonPath || !state.kind.takes_retry() {
        return None;
    }
    let catcher = state
        .catchers
        .iter()
        .find(|c| c.node.range.contains_range(range))?;
    if catcher.fields.result_path.is_some() || catcher.fields.output.is_some() {
        return None;
    }
    let edit = add_member(db.text, catcher.node, "\"ResultPath\": \"$.error\"")?;
    Some(fix(
        "Add `\"ResultPath\": \"$.error\"` to this catcher (keep the state input)".to_owned(),
        vec![edit],
        false,
        // The recovery state then sees the input plus `error`, not the error object alone.
        Applicability::Unsafe,
    ))
}

/// The retrier holding `range`, with its state.
fn retrier_at<'d, 'a>(
    db: &'d Db<'a>,
    range: TextRange,
) -> Option<(&'d State<'a>, &'d asl_syntax::ast::Retrier<'a>)> {
    let state = db.machine.state_at(range)?;
    let retrier = state
        .retriers
        .iter()
        .find(|r| r.node.range.contains_range(range))?;
    Some((state, retrier))
}

/// The retrier AWS recommends for Lambda's transient errors.
const LAMBDA_RETRIER: &str = "{ \"ErrorEquals\": [\"Lambda.ServiceException\", \"Lambda.AWSLambdaException\", \"Lambda.SdkClientException\", \"Lambda.TooManyRequestsException\"], \"IntervalSeconds\": 1, \"MaxAttempts\": 3, \"BackoffRate\": 2, \"JitterStrategy\": \"FULL\" }";

/// Adds the recommended Lambda retrier: a new `Retry`, or first in the existing one (a
/// `States.ALL` retrier must stay last).
fn lambda_retry(db: &Db<'_>, range: TextRange) -> Option<Action> {
    let state = db.machine.state_at(range)?;
    let edit = match state.fields.retry {
        None => add_member(
            db.text,
            state.node(),
            &format!("\"Retry\": [{LAMBDA_RETRIER}]"),
        )?,
        Some(retry) => {
            let items = retry.value.as_array()?;
            match items.first() {
                Some(first) => TextEdit {
                    range: TextRange::empty(first.range.start()),
                    new_text: format!("{LAMBDA_RETRIER}, "),
                },
                None => replace(retry.value.range, format!("[{LAMBDA_RETRIER}]")),
            }
        }
    };
    Some(fix(
        format!(
            "Retry the transient Lambda errors of `{}` (3 attempts, backoff, jitter)",
            state.name
        ),
        vec![edit],
        true,
        // Transient Lambda errors are then retried instead of failing the state.
        Applicability::Unsafe,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;
    use crate::ide::test_util::cursor;
    use crate::ide::{Analysis, TextEdit};
    use asl_syntax::Dialect;

    /// Applies `edits` to `text` (from the end, so ranges stay valid).
    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
        let mut out = text.to_owned();
        for e in edits {
            out.replace_range(std::ops::Range::<usize>::from(e.range), &e.new_text);
        }
        out
    }

    /// The text after applying the action titled `title` at the cursor.
    fn fixed(input: &str, title: &str) -> String {
        let (text, offset) = cursor(input);
        let a = Analysis::new(text.clone(), Dialect::Json, &Options::default());
        let actions = a.code_actions(TextRange::empty(offset));
        let titles: Vec<_> = actions.iter().map(|a| a.title.clone()).collect();
        let action = actions
            .iter()
            .find(|a| a.title.starts_with(title))
            .unwrap_or_else(|| panic!("no action `{title}` in {titles:?}"));
        let out = apply(&text, &action.edits);
        assert!(
            asl_syntax::parse(&out, Dialect::Json).root.is_some(),
            "the fix broke the JSON:\n{out}"
        );
        out
    }

    #[test]
    fn did_you_mean_target() {
        let out = fixed(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Dnoe$0"}, "Done": {"Type": "Succeed"}}}"#,
            "Change `Dnoe` to `Done`",
        );
        assert!(out.contains(r#""Next": "Done""#));
    }

    #[test]
    fn missing_transition_end_or_next() {
        let input = "{\"StartAt\": \"A\", \"States\": {\n  \"A$0\": {\n    \"Type\": \"Pass\"\n  },\n  \"B\": {\"Type\": \"Succeed\"}\n}}";
        let out = fixed(input, "Add `\"End\": true`");
        assert!(
            out.contains("\"Type\": \"Pass\",\n    \"End\": true\n"),
            "{out}"
        );
        let out = fixed(input, "Add `\"Next\": \"B\"`");
        assert!(out.contains("\"Next\": \"B\""), "{out}");
        let out = fixed(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": fal$0se}}}"#,
            "Set `\"End\": true`",
        );
        assert!(out.contains(r#""End": true"#), "{out}");
    }

    #[test]
    fn moves_states_all_last() {
        let input = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
  "Catch": [{"ErrorEquals": ["States.A$0LL"], "Next": "F"},
            {"ErrorEquals": ["States.Timeout"], "Next": "F"}]},
  "F": {"Type": "Fail"}}}"#;
        let out = fixed(input, "Move the `States.ALL` catcher");
        assert!(out.contains("[{\"ErrorEquals\": [\"States.Timeout\"], \"Next\": \"F\"},\n            {\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"F\"}]"), "{out}");
    }

    #[test]
    fn renames_unknown_and_deprecated_fields() {
        let out = fixed(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x", "End": true, "TimeoutSecond$0": 3}}}"#,
            "Rename the field to `TimeoutSeconds`",
        );
        assert!(out.contains(r#""TimeoutSeconds": 3"#));
        let out = fixed(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Itera$0tor": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}}}}"#,
            "Rename `Iterator`",
        );
        assert!(out.contains(r#""ItemProcessor": {"#));
    }

    #[test]
    fn suppress_adds_or_extends_the_comment() {
        let input = "{\"StartAt\": \"C\", \"States\": {\n  \"C$0\": {\n    \"Type\": \"Choice\",\n    \"Choices\": [{\"Variable\": \"$.x\", \"IsPresent\": true, \"Next\": \"D\"}]\n  },\n  \"D\": {\"Type\": \"Succeed\"}\n}}";
        let out = fixed(input, "Suppress choice-without-default for state `C`");
        assert!(out.contains("\"C\": {\n    \"Comment\": \"asl-lint-allow: choice-without-default -- TODO: say why this is safe\",\n    \"Type\""), "{out}");
        let a = Analysis::new(out, Dialect::Json, &Options::default());
        assert!(
            a.diagnostics()
                .iter()
                .all(|d| d.rule != "choice-without-default"),
            "{:?}",
            a.diagnostics()
        );
        assert_eq!(
            add_to_directive(
                "Polls. asl-lint-allow: no-terminal-path -- bounded by TimeoutSeconds",
                "choice-without-default"
            )
            .unwrap(),
            "Polls. asl-lint-allow: no-terminal-path, choice-without-default -- bounded by TimeoutSeconds"
        );
        assert_eq!(
            add_to_directive("asl-lint-allow: ASL106 -- ok", "choice-without-default"),
            None
        );
        assert_eq!(
            add_to_directive("Fetch the order", "unknown-field").unwrap(),
            "Fetch the order | asl-lint-allow: unknown-field -- TODO: say why this is safe"
        );
    }

    #[test]
    fn retry_fixes() {
        let lambda = fixed(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke$0", "TimeoutSeconds": 5, "End": true}}}"#,
            "Retry the transient Lambda errors",
        );
        assert!(
            lambda
                .contains(r#""End": true, "Retry": [{ "ErrorEquals": ["Lambda.ServiceException""#),
            "{lambda}"
        );
        let first = fixed(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke$0", "TimeoutSeconds": 5, "End": true, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}]}}}"#,
            "Retry the transient Lambda errors",
        );
        assert!(
            first.contains(r#""Retry": [{ "ErrorEquals": ["Lambda.ServiceException""#),
            "{first}"
        );
        assert!(
            first.contains(r#""JitterStrategy": "FULL" }, {"ErrorEquals": ["States.ALL"]"#),
            "{first}"
        );
        let capped = fixed(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x", "TimeoutSeconds": 5, "End": true, "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 20$0}]}}}"#,
            "Cap this retrier",
        );
        assert!(
            capped.contains(r#""MaxAttempts": 20, "MaxDelaySeconds": 3600}"#),
            "{capped}"
        );
        let jitter = fixed(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "TimeoutSeconds": 5, "End": true, "Retry": [{"ErrorEquals": ["States.Timeout"], "JitterStrategy": "NO$0NE"}]}}}}}}"#,
            "Retry `T` with",
        );
        assert!(jitter.contains(r#""JitterStrategy": "FULL"}"#), "{jitter}");
        let suffix = fixed(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem.sy$0nc", "TimeoutSeconds": 5, "End": true}}}"#,
            "Remove `.sync`",
        );
        assert!(
            suffix.contains(r#""Resource": "arn:aws:states:::dynamodb:putItem","#),
            "{suffix}"
        );
    }

    #[test]
    fn catcher_result_path() {
        let out = fixed(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next$0": "F"}]}, "F": {"Type": "Fail"}}}"#,
            "Add `\"ResultPath\"",
        );
        assert!(
            out.contains(r#""Next": "F", "ResultPath": "$.error"}"#),
            "{out}"
        );
    }
}
