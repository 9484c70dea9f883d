//! Editor features inside expression strings: workflow variables (`$name`: hover, definition,
//! references) and intrinsic functions (`States.Format`: hover). Variables are matched by name
//! across the machine; where each read is reached from is the variable rules' business.

use std::fmt::Write as _;

use asl_syntax::{Node, TextRange, TextSize, Value};

use super::Db;
use crate::rules::invalid_intrinsic::FUNCTIONS;

/// What the cursor is on inside a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// `$name`: the range covers `$name`.
    Variable { name: String, range: TextRange },
    /// `States.Format`: the range covers the name.
    Intrinsic { name: String, range: TextRange },
}

/// The string node around `offset` and the decoded index of `offset` in it (strings written
/// without escapes only: their decoded and source offsets match).
fn string_at<'a>(db: &Db<'a>, offset: TextSize) -> Option<(&'a Node, usize)> {
    let (_, hit) = super::cursor::locate(db.root, offset)?;
    let node = match hit {
        super::cursor::Hit::Value(node) => node,
        super::cursor::Hit::Key(_) => return None,
    };
    let Value::String(_) = &node.value else {
        return None;
    };
    let raw = db.text.get(std::ops::Range::<usize>::from(node.range))?;
    if raw.contains('\\') || offset <= node.range.start() || offset >= node.range.end() {
        return None;
    }
    Some((node, usize::from(offset - node.range.start()) - 1))
}

fn ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn source(node: &Node, start: usize, end: usize) -> TextRange {
    let base = node.range.start() + TextSize::from(1);
    TextRange::new(
        base + TextSize::from(start as u32),
        base + TextSize::from(end as u32),
    )
}

pub(crate) fn token_at(db: &Db<'_>, offset: TextSize) -> Option<Token> {
    let (node, at) = string_at(db, offset)?;
    let s = node.as_str()?;
    // The run of name characters around the cursor.
    let start = s
        .get(..at)?
        .char_indices()
        .rev()
        .take_while(|(_, c)| ident(*c) || *c == '.')
        .last()
        .map_or(at, |(i, _)| i);
    let end = at
        + s.get(at..)?
            .char_indices()
            .find(|(_, c)| !(ident(*c) || *c == '.'))
            .map_or(s.len() - at, |(i, _)| i);
    let word = s.get(start..end)?;
    if word.starts_with("States.") && s.get(end..).is_some_and(|r| r.starts_with('(')) {
        return Some(Token::Intrinsic {
            name: word.to_owned(),
            range: source(node, start, end),
        });
    }
    // A variable: `$` then identifier characters, not `$$`.
    let name_len = word.find('.').unwrap_or(word.len());
    let name = word.get(..name_len)?;
    let before = s.get(..start)?;
    if name.is_empty() || !before.ends_with('$') || before.ends_with("$$") || name == "states" {
        return None;
    }
    if at > start + name_len {
        return None; // on a field after the variable
    }
    Some(Token::Variable {
        name: name.to_owned(),
        range: source(node, start - 1, start + name_len),
    })
}

/// Every `Assign` key naming `name` (`.$` stripped): (key range, state, place).
pub(crate) fn assignments<'a>(db: &Db<'a>, name: &str) -> Vec<(TextRange, &'a str, String)> {
    let mut out = Vec::new();
    for state in &db.machine.states {
        let mut assigns = Vec::new();
        if let Some(p) = state.fields.assign {
            assigns.push(("Assign".to_owned(), p));
        }
        for (i, c) in state.catchers.iter().enumerate() {
            if let Some(p) = c.fields.assign {
                assigns.push((format!("Catch[{i}].Assign"), p));
            }
        }
        for (i, r) in state.choices.iter().enumerate() {
            if let Some(p) = r.fields.assign {
                assigns.push((format!("Choices[{i}].Assign"), p));
            }
        }
        for (place, assign) in assigns {
            for prop in assign.value.as_object().unwrap_or(&[]) {
                if prop.key.strip_suffix(".$").unwrap_or(&prop.key) == name {
                    out.push((prop.key_range, state.name, place.clone()));
                }
            }
        }
    }
    out
}

/// Every read of `$name` in a string value of the document (escape-free strings).
pub(crate) fn reads(db: &Db<'_>, name: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let needle = format!("${name}");
    collect_reads(db.text, db.root, &needle, &mut out, 0);
    out
}

fn collect_reads(text: &str, node: &Node, needle: &str, out: &mut Vec<TextRange>, depth: usize) {
    if depth > 200 {
        return;
    }
    match &node.value {
        Value::Object(props) => {
            for p in props {
                collect_reads(text, &p.value, needle, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_reads(text, item, needle, out, depth + 1);
            }
        }
        Value::String(s) => {
            let raw_has_escape = text
                .get(std::ops::Range::<usize>::from(node.range))
                .is_none_or(|r| r.contains('\\'));
            if raw_has_escape {
                return;
            }
            let mut from = 0;
            while let Some(i) = s.get(from..).and_then(|r| r.find(needle)) {
                let at = from + i;
                let end = at + needle.len();
                let before_ok = !s.get(..at).is_some_and(|b| b.ends_with('$'));
                let after_ok = !s
                    .get(end..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(ident);
                if before_ok && after_ok {
                    out.push(source(node, at, end));
                }
                from = end;
            }
        }
        _ => {}
    }
}

pub(crate) fn hover(db: &Db<'_>, offset: TextSize) -> Option<super::Hover> {
    match token_at(db, offset)? {
        Token::Intrinsic { name, range } => {
            let markdown = match FUNCTIONS.iter().find(|f| f.0 == name) {
                Some((name, _, _, params, doc)) => {
                    format!("**`{name}({params})`** · intrinsic function\n\n{doc}")
                }
                None => format!(
                    "**`{name}`** is not an intrinsic function{}",
                    crate::names::did_you_mean(&name, FUNCTIONS.iter().map(|f| f.0))
                ),
            };
            Some(super::Hover { range, markdown })
        }
        Token::Variable { name, range } => {
            let assigned = assignments(db, &name);
            let mut md = format!("**`${name}`** · workflow variable");
            if assigned.is_empty() {
                md.push_str("\n\nNo state assigns it: reading it fails at run time.");
            } else {
                md.push_str("\n\nAssigned by:");
                for (_, state, place) in &assigned {
                    let _ = write!(md, "\n- `{state}` (`{place}`)");
                }
            }
            let n = reads(db, &name).len();
            let _ = write!(
                md,
                "\n\nRead in {n} place{}.",
                if n == 1 { "" } else { "s" }
            );
            Some(super::Hover {
                range,
                markdown: md,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ide::test_util::{analysis, slice};

    const M: &str = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
  "A": {"Type": "Pass", "Assign": {"total": "{% $states.input.total %}"}, "Next": "B"},
  "B": {"Type": "Pass", "Output": "{% $total + 1 %}", "Assign": {"total": "{% $total * 2 %}"}, "End": true}
}}"#;

    fn at(marker: &str, nth: usize, shift: usize) -> String {
        let mut from = 0;
        let mut pos = 0;
        for _ in 0..=nth {
            pos = from + M[from..].find(marker).unwrap();
            from = pos + 1;
        }
        format!("{}$0{}", &M[..pos + shift], &M[pos + shift..])
    }

    #[test]
    fn variables_navigate_and_hover() {
        let (a, offset) = analysis(&at("$total", 0, 2));
        let target = a.definition(offset).unwrap();
        assert_eq!(slice(&a, target.focus), "\"total\"");
        let refs = a.references(offset, true);
        let texts: Vec<&str> = refs.iter().map(|r| slice(&a, *r)).collect();
        assert_eq!(texts, ["\"total\"", "$total", "\"total\"", "$total"]);
        let md = a.hover(offset).unwrap().markdown;
        assert!(
            md.contains("- `A` (`Assign`)")
                && md.contains("- `B` (`Assign`)")
                && md.contains("Read in 2 places"),
            "{md}"
        );
        // `$states` is not a variable.
        let (a, offset) = analysis(&at("$states", 0, 3));
        assert!(a.definition(offset).is_none());
    }

    #[test]
    fn intrinsic_hover() {
        let (a, offset) = analysis(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.For$0mat('{}', $.a)"}, "End": true}}}"#,
        );
        let h = a.hover(offset).unwrap();
        assert!(
            h.markdown
                .starts_with("**`States.Format(template, values...)`**"),
            "{}",
            h.markdown
        );
        assert_eq!(slice(&a, h.range), "States.Format");
    }
}
