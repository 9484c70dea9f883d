//! Code actions: the fixes the rules attached to the diagnostics in range (see
//! [`crate::diagnostic::Fix`]), and "suppress for this state" through the `Comment` directive.
//! Every edit keeps the JSON well-formed.

use asl_syntax::TextRange;

use super::Db;
use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::edits::{Value, add_first_member, json_string};
use crate::registry;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// Fixes the diagnostic.
    QuickFix,
    /// Silences the diagnostic with a `Comment` directive.
    Suppress,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
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
        out.extend(d.fixes.iter().map(|fix| Action {
            title: fix.title.clone(),
            kind: ActionKind::QuickFix,
            applicability: fix.applicability,
            edits: fix.edits.clone(),
            diagnostic: Some((d.code(), d.range)),
            preferred: fix.preferred,
        }));
        if let Some(a) = suppress(db, d) {
            out.push(a);
        }
    }
    // Offered from the cursor too (when catch-replaces-input is off), unless already there.
    if let Some(a) = catcher_result_path(db, range)
        && !out.iter().any(|b| b.title == a.title)
    {
        out.push(a);
    }
    out
}

const SUPPRESS_REASON: &str = "TODO: say why this is safe";

/// Suppresses `d` for the state holding it (or the whole file, for a finding outside any state)
/// by adding the rule to a `Comment` directive.
fn suppress(db: &Db<'_>, d: &Diagnostic) -> Option<Action> {
    if d.is(&crate::rules::invalid_json::META) || d.code().starts_with("ASL9") {
        return None;
    }
    let rule = d.rule;
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
            Edit::replace(prop.value.range, json_string(&updated))
        }
        None => {
            let directive = format!("asl-lint-allow: {} -- {SUPPRESS_REASON}", rule.name);
            add_first_member(db.text, owner, "Comment", &Value::string(&directive))?
        }
    };
    Some(Action {
        title,
        kind: ActionKind::Suppress,
        applicability: Applicability::Manual,
        edits: vec![edit],
        diagnostic: Some((d.code(), d.range)),
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

/// The fix of catch-replaces-input for the catcher holding `range`, as an action of its own.
fn catcher_result_path(db: &Db<'_>, range: TextRange) -> Option<Action> {
    let state = db.machine.state_at(range)?;
    let catcher = state
        .catchers
        .iter()
        .find(|c| c.node.range.contains_range(range))?;
    let fix = crate::rules::catch_replaces_input::result_path_fix(db.text, state, catcher)?;
    Some(Action {
        title: fix.title,
        kind: ActionKind::QuickFix,
        applicability: fix.applicability,
        edits: fix.edits,
        diagnostic: None,
        preferred: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;
    use crate::ide::Analysis;
    use crate::ide::test_util::cursor;
    use asl_syntax::Dialect;

    /// Applies `edits` to `text` (from the end, so ranges stay valid).
    fn apply(text: &str, edits: &[Edit]) -> String {
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
                .all(|d| d.name() != "choice-without-default"),
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
    fn the_lambda_retrier_is_laid_out_like_the_file() {
        let out = fixed(
            "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Task\",\n      \"Resource\": \"arn:aws:states:::lambda:invoke$0\",\n      \"TimeoutSeconds\": 5,\n      \"End\": true\n    }\n  }\n}",
            "Retry the transient Lambda errors",
        );
        assert!(
            out.contains("      \"End\": true,\n      \"Retry\": [\n        {\n          \"ErrorEquals\": [\n            \"Lambda.ServiceException\",\n"),
            "{out}"
        );
        assert!(
            out.contains("          \"JitterStrategy\": \"FULL\"\n        }\n      ]\n    }\n"),
            "{out}"
        );
    }

    /// The actions are the fixes the rules attached: the editor reads them from the diagnostic,
    /// whatever its message says.
    #[test]
    fn quick_fixes_are_the_diagnostics_fixes() {
        let (text, offset) = cursor(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Dnoe$0"}, "Done": {"Type": "Succeed"}}}"#,
        );
        let a = Analysis::new(text, Dialect::Json, &Options::default());
        let mut d = a
            .diagnostics()
            .iter()
            .find(|d| d.code() == "ASL101")
            .unwrap()
            .clone();
        let fix = d.fix().unwrap().clone();
        let quick: Vec<Action> = a
            .code_actions(TextRange::empty(offset))
            .into_iter()
            .filter(|a| a.kind == ActionKind::QuickFix)
            .collect();
        assert_eq!(quick.len(), 1, "{quick:?}");
        assert_eq!((&quick[0].title, &quick[0].edits), (&fix.title, &fix.edits));
        d.message = "reworded".to_owned();
        assert_eq!(d.fix(), Some(&fix));
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
