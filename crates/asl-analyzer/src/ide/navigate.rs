//! Go to definition, find references, document highlight and rename of states.
//!
//! A state is named by its key in a `States` object (the declaration) and referred to by
//! `StartAt`, `Next`, `Default`, a Choice rule's `Next` and a catcher's `Next`, always within
//! the same scope (the top level, one Parallel branch, one Map processor).

use asl_syntax::ast::{ScopeId, StateId};
use asl_syntax::{Dialect, TextRange, TextSize, is_templated, is_yaml_plain_safe};

use super::{Db, Edit};
use crate::edits::json_string;

/// Where a state is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavTarget {
    pub name: String,
    /// The whole `"Name": { ... }` member.
    pub range: TextRange,
    /// The state's name (its key, with quotes).
    pub focus: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightKind {
    /// The state's own name.
    Declaration,
    /// A transition naming it.
    Reference,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// What the cursor names.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Named<'a> {
    /// The key of a state.
    Declaration(StateId),
    /// A transition value (`StartAt`, `Next`, `Default`, a rule's or a catcher's `Next`).
    Reference {
        range: TextRange,
        scope: ScopeId,
        name: &'a str,
        target: Option<StateId>,
    },
}

/// The state name or transition at `offset`.
pub(crate) fn named_at<'a>(db: &Db<'a>, offset: TextSize) -> Option<Named<'a>> {
    let machine = db.machine;
    if let Some(state) = machine
        .states
        .iter()
        .find(|s| s.prop.key_range.contains_inclusive(offset))
    {
        return Some(Named::Declaration(state.id));
    }
    for state in &machine.states {
        if !state.prop.value.range.contains_inclusive(offset) {
            continue;
        }
        if let Some(t) = db
            .graph
            .transitions(state.id)
            .iter()
            .find(|t| t.range.contains_inclusive(offset))
        {
            return Some(Named::Reference {
                range: t.range,
                scope: state.scope,
                name: t.name,
                target: t.target,
            });
        }
    }
    for scope in &machine.scopes {
        let Some(start) = scope.fields.start_at else {
            continue;
        };
        if start.value.range.contains_inclusive(offset) {
            let name = start.value.as_str()?;
            return Some(Named::Reference {
                range: start.value.range,
                scope: scope.id,
                name,
                target: db.graph.start(scope.id),
            });
        }
    }
    None
}

pub(crate) fn definition(db: &Db<'_>, offset: TextSize) -> Option<NavTarget> {
    let id = match named_at(db, offset)? {
        Named::Declaration(id) => id,
        Named::Reference { target, .. } => target?,
    };
    let state = db.machine.state(id)?;
    Some(NavTarget {
        name: state.name.to_owned(),
        range: state.prop.range(),
        focus: state.prop.key_range,
    })
}

/// The scope and name the cursor refers to, and the declared state if there is one.
fn resolve<'a>(db: &Db<'a>, offset: TextSize) -> Option<(ScopeId, &'a str, Option<StateId>)> {
    Some(match named_at(db, offset)? {
        Named::Declaration(id) => {
            let state = db.machine.state(id)?;
            (state.scope, state.name, Some(id))
        }
        Named::Reference {
            scope,
            name,
            target,
            ..
        } => (scope, name, target),
    })
}

/// Every reference to `name` in `scope` (to the state `target` when it exists, else to the
/// same undefined name), in source order.
fn uses(db: &Db<'_>, scope: ScopeId, name: &str, target: Option<StateId>) -> Vec<TextRange> {
    let mut out = Vec::new();
    if let Some(start) = db.machine.scope(scope).and_then(|s| s.fields.start_at)
        && start.value.as_str() == Some(name)
    {
        out.push(start.value.range);
    }
    for state in db.machine.states_of(scope) {
        for t in db.graph.transitions(state.id) {
            let hit = match target {
                Some(id) => t.target == Some(id),
                None => t.target.is_none() && !t.templated && t.name == name,
            };
            if hit {
                out.push(t.range);
            }
        }
    }
    out.sort_by_key(|r| r.start());
    out
}

pub(crate) fn references(
    db: &Db<'_>,
    offset: TextSize,
    include_declaration: bool,
) -> Vec<TextRange> {
    let Some((scope, name, target)) = resolve(db, offset) else {
        return Vec::new();
    };
    let mut out = uses(db, scope, name, target);
    if include_declaration && let Some(state) = target.and_then(|id| db.machine.state(id)) {
        out.push(state.prop.key_range);
    }
    out.sort_by_key(|r| r.start());
    out
}

pub(crate) fn highlights(db: &Db<'_>, offset: TextSize) -> Vec<Highlight> {
    let Some((scope, name, target)) = resolve(db, offset) else {
        return Vec::new();
    };
    let mut out: Vec<Highlight> = uses(db, scope, name, target)
        .into_iter()
        .map(|range| Highlight {
            range,
            kind: HighlightKind::Reference,
        })
        .collect();
    if let Some(state) = target.and_then(|id| db.machine.state(id)) {
        out.push(Highlight {
            range: state.prop.key_range,
            kind: HighlightKind::Declaration,
        });
    }
    out.sort_by_key(|h| h.range.start());
    out
}

/// The quote (`"` or `'`) around the string token at `range`, if it is quoted: a JSON string,
/// a quoted YAML scalar or a JSON5 single-quoted string; not a plain YAML scalar or an
/// unquoted JSON5 key.
fn quote_of(text: &str, range: TextRange) -> Option<u8> {
    let raw = text.get(std::ops::Range::<usize>::from(range))?.as_bytes();
    let quote = *raw.first()?;
    (matches!(quote, b'"' | b'\'') && raw.len() >= 2 && raw.last() == Some(&quote)).then_some(quote)
}

/// The name in the string token at `range`: inside its quotes when it is quoted, else all of
/// it.
fn name_range(text: &str, range: TextRange) -> TextRange {
    match quote_of(text, range) {
        Some(_) => TextRange::new(
            range.start() + TextSize::from(1),
            range.end() - TextSize::from(1),
        ),
        None => range,
    }
}

/// True when the YAML scalar starting at `start` is the content of a block scalar (`|`, `>-`):
/// it starts its line, and the line above ends with a block indicator.
fn in_block_scalar(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start) else {
        return false;
    };
    let Some((above, indent)) = before.rsplit_once('\n') else {
        return false;
    };
    if !indent.bytes().all(|b| b == b' ' || b == b'\t') {
        return false;
    }
    let above = above.trim_end();
    let line = above.rsplit('\n').next().unwrap_or(above);
    let line = line
        .split_once(" #")
        .map_or(line, |(code, _)| code)
        .trim_end();
    let word = line.rsplit([' ', '\t']).next().unwrap_or(line);
    let mut chars = word.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

/// `name` written where the string token at `range` is, in the same style: in YAML a plain
/// scalar stays plain when `name` can be (else it is double-quoted), a single-quoted one stays
/// single-quoted, a block scalar's content is the name as is; in JSON, a JSON string.
fn spelled(db: &Db<'_>, range: TextRange, name: &str) -> Result<String, String> {
    if db.dialect != Dialect::Yaml {
        return Ok(json_string(name));
    }
    Ok(match quote_of(db.text, range) {
        Some(b'\'') => format!("'{}'", name.replace('\'', "''")),
        Some(_) => json_string(name),
        None if in_block_scalar(db.text, usize::from(range.start())) => {
            if name.starts_with([' ', '\t']) {
                return Err(format!(
                    "`{name}` starts with a space, which a YAML block scalar cannot start with; write the name in quotes first"
                ));
            }
            name.to_owned()
        }
        None if is_yaml_plain_safe(name) => name.to_owned(),
        None => json_string(name),
    })
}

pub(crate) fn prepare_rename(db: &Db<'_>, offset: TextSize) -> Result<(TextRange, String), String> {
    let Some((_, name, target)) = resolve(db, offset) else {
        return Err("only a state name can be renamed here: put the cursor on a state's name or on a transition naming it".to_owned());
    };
    if is_templated(name) {
        return Err(format!(
            "`{name}` is a template placeholder, not a state name"
        ));
    }
    let Some(state) = target.and_then(|id| db.machine.state(id)) else {
        return Err(format!(
            "no state named `{name}` exists in this scope, so there is nothing to rename"
        ));
    };
    let range = match named_at(db, offset) {
        Some(Named::Reference { range, .. }) => range,
        _ => state.prop.key_range,
    };
    Ok((name_range(db.text, range), state.name.to_owned()))
}

/// Why `name` cannot be a state name (asl-spec.md §2.1), if it cannot.
pub(crate) fn invalid_name(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("a state name cannot be empty".to_owned())
    } else if name.chars().count() > 80 {
        Some(format!(
            "a state name can be at most 80 characters; `{name}` has {}",
            name.chars().count()
        ))
    } else if name.chars().any(char::is_control) {
        Some("a state name cannot contain control characters".to_owned())
    } else if is_templated(name) {
        Some("a state name cannot be a `${...}` placeholder".to_owned())
    } else {
        None
    }
}

pub(crate) fn rename(db: &Db<'_>, offset: TextSize, new_name: &str) -> Result<Vec<Edit>, String> {
    prepare_rename(db, offset)?;
    let Some((scope, name, Some(target))) = resolve(db, offset) else {
        return Err("nothing to rename here".to_owned());
    };
    if new_name == name {
        return Ok(Vec::new());
    }
    if let Some(why) = invalid_name(new_name) {
        return Err(why);
    }
    if let Some(other) = db.machine.states.iter().find(|s| s.name == new_name) {
        let place = db
            .machine
            .scope(other.scope)
            .map(|s| s.describe(db.machine))
            .unwrap_or_default();
        return Err(format!(
            "a state named `{new_name}` already exists in {place}; state names must be unique in the whole state machine"
        ));
    }
    let state = db.machine.state(target).ok_or("the state vanished")?;
    let mut edits: Vec<Edit> = uses(db, scope, name, Some(target))
        .into_iter()
        .chain(std::iter::once(state.prop.key_range))
        .map(|range| {
            Ok(Edit {
                range,
                new_text: spelled(db, range, new_name)?,
            })
        })
        .collect::<Result<_, String>>()?;
    edits.sort_by_key(|e| e.range.start());
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use crate::ide::test_util::{analysis, slice};

    const MACHINE: &str = r#"{
  "StartAt": "First",
  "States": {
    "First": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Second",
      "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Failed" }] },
    "Second": {
      "Type": "Parallel",
      "Branches": [{ "StartAt": "Inner", "States": { "Inner": { "Type": "Pass", "End": true } } }],
      "Next": "Done"
    },
    "Failed": { "Type": "Fail" },
    "Done": { "Type": "Succeed" }
  }
}"#;

    fn at(marker: &str, nth: usize) -> String {
        // Puts $0 inside the nth occurrence (0-based) of `marker`.
        let mut from = 0;
        let mut pos = 0;
        for _ in 0..=nth {
            pos = from + MACHINE[from..].find(marker).unwrap();
            from = pos + 1;
        }
        format!("{}$0{}", &MACHINE[..pos + 2], &MACHINE[pos + 2..])
    }

    #[test]
    fn definition_from_every_transition_kind() {
        for (marker, nth) in [
            ("\"Second\"", 0),
            ("\"Failed\"", 0),
            ("\"Inner\"", 0),
            ("\"First\"", 0),
        ] {
            let (a, offset) = analysis(&at(marker, nth));
            let target = a.definition(offset).unwrap();
            assert_eq!(slice(&a, target.focus), marker, "from {marker}");
            assert!(slice(&a, target.range).starts_with(marker));
        }
    }

    #[test]
    fn references_and_highlights() {
        let (a, offset) = analysis(&at("\"Second\"", 1));
        let refs = a.references(offset, true);
        assert_eq!(refs.len(), 2);
        assert!(refs.iter().all(|r| slice(&a, *r) == "\"Second\""));
        assert_eq!(a.references(offset, false).len(), 1);
        let (a, offset) = analysis(&at("\"First\"", 1));
        let hl = a.highlights(offset);
        assert_eq!(hl.len(), 2, "StartAt and the key");
        assert_eq!(hl[1].kind, super::HighlightKind::Declaration);
    }

    #[test]
    fn rename_changes_key_and_references_only_in_scope() {
        let (a, offset) = analysis(&at("\"Second\"", 0));
        let (range, name) = a.prepare_rename(offset).unwrap();
        assert_eq!(slice(&a, range), "Second");
        assert_eq!(name, "Second");
        let edits = a.rename(offset, "Fan \"out\"").unwrap();
        assert_eq!(edits.len(), 2);
        assert!(edits.iter().all(|e| e.new_text == r#""Fan \"out\"""#));
        let err = a.rename(offset, "Inner").unwrap_err();
        assert!(
            err.contains("already exists in branch 0 of `Second`"),
            "{err}"
        );
        assert!(a.rename(offset, "").is_err());
        assert!(a.rename(offset, &"x".repeat(81)).is_err());
        assert_eq!(a.rename(offset, "Second").unwrap(), vec![]);
    }

    #[test]
    fn rename_refuses_non_states() {
        let (a, offset) = analysis(&at("\"Type\"", 0));
        assert!(a.prepare_rename(offset).is_err());
        assert!(a.definition(offset).is_none());
        assert!(a.references(offset, true).is_empty());
    }

    #[test]
    fn undefined_targets_find_each_other() {
        let (a, offset) = analysis(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope$0"},
                "B": {"Type": "Pass", "Next": "Nope"}}}"#,
        );
        assert!(a.definition(offset).is_none());
        assert_eq!(a.references(offset, true).len(), 2);
        assert!(
            a.prepare_rename(offset)
                .unwrap_err()
                .contains("no state named `Nope`")
        );
    }

    mod yaml {
        use crate::Options;
        use crate::ide::test_util::{cursor, slice};
        use crate::ide::{Analysis, Edit};
        use asl_syntax::{Dialect, TextSize};

        const MACHINE: &str = "StartAt: Fetch\nStates:\n  Fetch:\n    Type: Pass\n    Next: Ab\n  Ab:\n    Type: Pass\n    Next: \"Fé\"\n  \"Fé\":\n    Type: Choice\n    Choices:\n      - Variable: $.x\n        IsPresent: true\n        Next: 'Q''s'\n    Default: Fetch\n  'Q''s': {Type: Succeed}\n";

        /// `MACHINE` analysed, with the cursor `skip` bytes into the `nth` (0-based)
        /// occurrence of `marker`.
        fn at(marker: &str, nth: usize, skip: usize) -> (Analysis, TextSize) {
            let pos = MACHINE.match_indices(marker).nth(nth).unwrap().0 + skip;
            let (text, offset) = cursor(&format!("{}$0{}", &MACHINE[..pos], &MACHINE[pos..]));
            (
                Analysis::new(text, Dialect::Yaml, &Options::default()),
                offset,
            )
        }

        fn apply(text: &str, edits: &[Edit]) -> String {
            let mut out = text.to_owned();
            for e in edits.iter().rev() {
                out.replace_range(std::ops::Range::<usize>::from(e.range), &e.new_text);
            }
            out
        }

        #[test]
        fn prepare_rename_takes_a_plain_key_whole() {
            // Issue 13: `etc` for `Fetch`, empty for `Ab`, half of `é` for `"Fé"`'s plain twin.
            for (marker, nth, name) in [
                ("Fetch", 1, "Fetch"),
                ("Fetch", 0, "Fetch"),
                ("Fetch", 2, "Fetch"),
                ("Ab", 1, "Ab"),
                ("Ab", 0, "Ab"),
            ] {
                let (a, offset) = at(marker, nth, 1);
                let (range, found) = a.prepare_rename(offset).unwrap();
                assert_eq!((slice(&a, range), found.as_str()), (name, name));
                let start = usize::from(range.start());
                assert_eq!(start, MACHINE.match_indices(marker).nth(nth).unwrap().0);
            }
            // Quoted keys and values: inside the quotes.
            for (marker, nth, inner) in [
                ("\"Fé\"", 0, "Fé"),
                ("\"Fé\"", 1, "Fé"),
                ("'Q''s'", 1, "Q''s"),
            ] {
                let (a, offset) = at(marker, nth, 1);
                let (range, name) = a.prepare_rename(offset).unwrap();
                assert_eq!(slice(&a, range), inner, "{marker}");
                assert_eq!(name, inner.replace("''", "'"));
            }
        }

        #[test]
        fn plain_name_ending_in_a_multi_byte_character() {
            let text = "StartAt: Fé\nStates:\n  F$0é:\n    Type: Succeed\n";
            let (text, offset) = cursor(text);
            let a = Analysis::new(text, Dialect::Yaml, &Options::default());
            let (range, name) = a.prepare_rename(offset).unwrap();
            assert_eq!(
                (usize::from(range.start()), usize::from(range.end())),
                (23, 26)
            );
            assert_eq!((slice(&a, range), name.as_str()), ("Fé", "Fé"));
        }

        #[test]
        fn navigation_ranges_are_the_names() {
            let (a, offset) = at("Fetch", 2, 0);
            let target = a.definition(offset).unwrap();
            assert_eq!(slice(&a, target.focus), "Fetch");
            assert_eq!(
                usize::from(target.focus.start()),
                MACHINE.find("  Fetch:").unwrap() + 2
            );
            let refs: Vec<&str> = a
                .references(offset, true)
                .iter()
                .map(|r| slice(&a, *r))
                .collect();
            assert_eq!(refs, ["Fetch", "Fetch", "Fetch"]);
            let hl = a.highlights(offset);
            assert_eq!(hl.len(), 3);
            assert!(hl.iter().all(|h| slice(&a, h.range) == "Fetch"));
            let (a, offset) = at("'Q''s'", 0, 0);
            let refs: Vec<&str> = a
                .references(offset, true)
                .iter()
                .map(|r| slice(&a, *r))
                .collect();
            assert_eq!(refs, ["'Q''s'", "'Q''s'"]);
        }

        #[test]
        fn rename_writes_yaml() {
            let (a, offset) = at("Fetch", 1, 0);
            // A plain name stays plain when it can.
            let edits = a.rename(offset, "Load ünï").unwrap();
            assert_eq!(edits.len(), 3);
            assert!(edits.iter().all(|e| e.new_text == "Load ünï"));
            // One YAML would read otherwise is quoted, and the document reads the new name.
            for new_name in [
                "Ré: #x", "- a", "#b", "yes", "12", "a, b", "x:", "null", "*y", " z",
            ] {
                let edits = a.rename(offset, new_name).unwrap();
                assert!(
                    edits.iter().all(|e| e.new_text.starts_with('"')),
                    "{new_name}"
                );
                let renamed = apply(a.text(), &edits);
                let root = asl_syntax::parse(&renamed, Dialect::Yaml).root.unwrap();
                assert_eq!(root.get("StartAt").unwrap().value.as_str(), Some(new_name));
                assert!(
                    root.get("States").unwrap().value.get(new_name).is_some(),
                    "{renamed}"
                );
            }
            // Quoted names keep their quotes: double as JSON strings, single with `''`.
            let (a, offset) = at("'Q''s'", 1, 2);
            let edits = a.rename(offset, "It's: ok").unwrap();
            assert!(
                edits.iter().all(|e| e.new_text == "'It''s: ok'"),
                "{edits:?}"
            );
            let renamed = apply(a.text(), &edits);
            let root = asl_syntax::parse(&renamed, Dialect::Yaml).root.unwrap();
            assert!(root.get("States").unwrap().value.get("It's: ok").is_some());
            let (a, offset) = at("\"Fé\"", 0, 2);
            let edits = a.rename(offset, "Say \"hi\"").unwrap();
            assert!(
                edits.iter().all(|e| e.new_text == "\"Say \\\"hi\\\"\""),
                "{edits:?}"
            );
        }

        #[test]
        fn rename_in_a_block_scalar_and_a_flow_mapping() {
            let text = "StartAt: >-\n  A\nStates:\n  A$0: {Type: Pass, Next: B}\n  B: {Type: Pass, Next: A}\n";
            let (text, offset) = cursor(text);
            let a = Analysis::new(text, Dialect::Yaml, &Options::default());
            let edits = a.rename(offset, "Ré: #x").unwrap();
            let renamed = apply(a.text(), &edits);
            assert_eq!(
                renamed,
                "StartAt: >-\n  Ré: #x\nStates:\n  \"Ré: #x\": {Type: Pass, Next: B}\n  B: {Type: Pass, Next: \"Ré: #x\"}\n"
            );
            let root = asl_syntax::parse(&renamed, Dialect::Yaml).root.unwrap();
            assert_eq!(root.get("StartAt").unwrap().value.as_str(), Some("Ré: #x"));
            let edits = a.rename(offset, "Ré, {x}").unwrap();
            let renamed = apply(a.text(), &edits);
            let root = asl_syntax::parse(&renamed, Dialect::Yaml).root.unwrap();
            let b = &root.get("States").unwrap().value.get("B").unwrap().value;
            assert_eq!(b.get("Next").unwrap().value.as_str(), Some("Ré, {x}"));
            assert!(a.rename(offset, " lead").is_err());
        }
    }
}
