//! Editor features inside expression strings: workflow variables (`$name`: hover, definition,
//! references) and intrinsic functions (`States.Format`: hover). Variables are matched by name
//! across the machine; where each read is reached from is the variable rules' business.

use std::fmt::Write as _;

use asl_syntax::{Node, TextRange, TextSize, string_range};

use super::Db;
use crate::spec::{intrinsics, jsonata};

/// What the cursor is on inside a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// `$name`: the range covers `$name`.
    Variable { name: String, range: TextRange },
    /// `States.Format`: the range covers the name.
    Intrinsic { name: String, range: TextRange },
    /// `$sum(`: a JSONata function call; the range covers `$sum`.
    Function { name: String, range: TextRange },
}

/// The string node around `offset`, the decoded index of `offset` in it and where its value
/// starts in the source: strings whose source between the quotes (or all of it, for a plain
/// YAML scalar) is their value only, so that decoded and source offsets match.
fn string_at<'a>(db: &Db<'a>, offset: TextSize) -> Option<(&'a Node, usize, TextSize)> {
    let (_, hit) = super::cursor::locate(db.root, offset)?;
    let node = match hit {
        super::cursor::Hit::Value(node) => node,
        super::cursor::Hit::Key(_) => return None,
    };
    let value = node.as_str()?;
    let raw = db.text.get(std::ops::Range::<usize>::from(node.range))?;
    let quote = raw.as_bytes().first().copied();
    let quoted = matches!(quote, Some(b'"' | b'\''))
        && raw.len() >= 2
        && raw.as_bytes().last().copied() == quote;
    let (base, inner) = if quoted {
        (
            node.range.start() + TextSize::from(1),
            raw.get(1..raw.len() - 1)?,
        )
    } else {
        (node.range.start(), raw)
    };
    if inner != value || offset < base || offset > base + TextSize::of(inner) {
        return None;
    }
    Some((node, usize::from(offset - base), base))
}

fn ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn source(base: TextSize, start: usize, end: usize) -> TextRange {
    TextRange::new(
        base + TextSize::from(start as u32),
        base + TextSize::from(end as u32),
    )
}

pub(crate) fn token_at(db: &Db<'_>, offset: TextSize) -> Option<Token> {
    let (node, at, base) = string_at(db, offset)?;
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
            range: source(base, start, end),
        });
    }
    // A variable: `$` then identifier characters, not `$$`.
    let name_len = word.find('.').unwrap_or(word.len());
    let name = word.get(..name_len)?;
    let before = s.get(..start)?;
    if name.is_empty() || !before.ends_with('$') || before.ends_with("$$") || name == "states" {
        return None;
    }
    // `$name(` calls a function: variables hold JSON, never functions.
    if name_len == word.len()
        && s.get(end..)
            .is_some_and(|r| r.trim_start().starts_with('('))
    {
        return Some(Token::Function {
            name: name.to_owned(),
            range: source(base, start - 1, end),
        });
    }
    if at > start + name_len {
        return None; // on a field after the variable
    }
    Some(Token::Variable {
        name: name.to_owned(),
        range: source(base, start - 1, start + name_len),
    })
}

/// Every `Assign` key naming `name` (`.$` stripped): (key range, state, place, value range),
/// from the analysis' variable data (the rules read the same).
pub(crate) fn assignments<'a>(
    db: &Db<'a>,
    name: &str,
) -> Vec<(TextRange, &'a str, String, TextRange)> {
    db.variables
        .assignments
        .iter()
        .filter(|a| a.name == name)
        .map(|a| {
            let state = db.machine.state_name(a.state);
            (a.key.key_range, state, a.owner.place(), a.key.value.range)
        })
        .collect()
}

/// Every read of `$name` (JSONata and JSONPath, locals and function calls excluded), exact
/// through escapes.
pub(crate) fn reads(db: &Db<'_>, name: &str) -> Vec<TextRange> {
    db.variables
        .reads
        .iter()
        .filter(|r| r.name == name)
        .map(|r| string_range(db.text, r.node, r.range.clone()))
        .collect()
}

pub(crate) fn hover(db: &Db<'_>, offset: TextSize) -> Option<super::Hover> {
    match token_at(db, offset)? {
        Token::Intrinsic { name, range } => {
            let markdown = match intrinsics::find(&name) {
                Some(f) => format!(
                    "**`{}({})`** · intrinsic function\n\n{}",
                    f.name, f.params, f.doc
                ),
                None => format!(
                    "**`{name}`** is not an intrinsic function{}",
                    crate::names::did_you_mean(&name, intrinsics::names())
                ),
            };
            Some(super::Hover { range, markdown })
        }
        Token::Function { name, range } => {
            let markdown = match jsonata::function(&name) {
                Some(f) => {
                    format!("**`{}`** · JSONata function\n\n{}", f.signature, f.doc)
                }
                None => format!(
                    "**`${name}`** · function\n\nNot a JSONata built-in: it must be bound in the expression (`${name} := function(...) {{ ... }}`)."
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
                for (_, state, place, value) in &assigned {
                    // What it holds, as written (one line, shortened).
                    let text = db
                        .text
                        .get(std::ops::Range::<usize>::from(*value))
                        .unwrap_or("");
                    let mut held: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if held.chars().count() > 60 {
                        held = held.chars().take(57).collect::<String>() + "...";
                    }
                    let _ = write!(md, "\n- `{state}` (`{place}`): `{held}`");
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
    fn jsonata_function_hover() {
        let (a, offset) = analysis(
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $su$0m($states.input.xs) %}", "End": true}}}"#,
        );
        let h = a.hover(offset).unwrap();
        assert!(
            h.markdown
                .starts_with("**`$sum(array)`** · JSONata function"),
            "{}",
            h.markdown
        );
        assert_eq!(slice(&a, h.range), "$sum");
        assert!(
            a.definition(offset).is_none(),
            "a function is not a variable"
        );
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
