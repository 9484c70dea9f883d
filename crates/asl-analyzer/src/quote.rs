//! Messages in the syntax of their source. Rules write the JSON they quote (`` `"End": true` ``);
//! a state machine written in YAML, or in Terraform's `jsonencode`, reads better and is fixed
//! faster when the message quotes what to type there (`` `End: true` ``, `` `End = true` ``).
//!
//! [`in_syntax`] rewrites each code span of a message whose text is JSON (one or more
//! `"key": value` members, or a string), and leaves every other span as written.

use std::borrow::Cow;

use asl_syntax::{Dialect, Node, Value};

use crate::Diagnostic;
use crate::edits::{json_string, plain_yaml};

/// The syntax a definition is written in, as far as its messages quote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Json,
    Yaml,
    /// HCL, for a Terraform `jsonencode({...})` definition.
    Hcl,
}

impl Syntax {
    /// The syntax of a document read in `dialect`.
    pub(crate) fn of(dialect: Dialect) -> Syntax {
        match dialect {
            Dialect::Yaml => Syntax::Yaml,
            _ => Syntax::Json,
        }
    }
}

/// Rewrites the message, labels, notes and fix titles of `d` for `syntax`.
pub(crate) fn diagnostic(d: &mut Diagnostic, syntax: Syntax) {
    if syntax == Syntax::Json {
        return;
    }
    rewrite(&mut d.message, syntax);
    for label in &mut d.labels {
        rewrite(&mut label.message, syntax);
    }
    for note in &mut d.notes {
        rewrite(note, syntax);
    }
    for fix in &mut d.fixes {
        rewrite(&mut fix.title, syntax);
    }
}

fn rewrite(text: &mut String, syntax: Syntax) {
    if let Cow::Owned(new) = in_syntax(text, syntax) {
        *text = new;
    }
}

/// `message` with its JSON code spans written in `syntax`.
pub(crate) fn in_syntax(message: &str, syntax: Syntax) -> Cow<'_, str> {
    if syntax == Syntax::Json || !message.contains("`\"") {
        return Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let mut changed = false;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest.get(open + 1..).and_then(|after| after.find('`')) else {
            break;
        };
        let span = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..=open]);
        match span.starts_with('"').then(|| quote(span, syntax)).flatten() {
            Some(new) => {
                changed |= new != span;
                out.push_str(&new);
            }
            None => out.push_str(span),
        }
        out.push('`');
        rest = &rest[open + len + 2..];
    }
    if !changed {
        return Cow::Borrowed(message);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A code span's JSON text written in `syntax`: members (`"A": 1, "B": 2`) or one string.
fn quote(span: &str, syntax: Syntax) -> Option<String> {
    let members = format!("{{{span}}}");
    if let Some(Value::Object(props)) = json(&members).as_ref().map(|n| &n.value) {
        let parts: Vec<String> = props
            .iter()
            .map(|p| member(&p.key, &p.value, &members, syntax))
            .collect::<Option<_>>()?;
        return Some(parts.join(", "));
    }
    // One string: a field's name or an enum value (`"EXPRESS"`). YAML writes both plain; HCL
    // quotes a value, so the JSON string is already right there.
    match json(span)?.value {
        Value::String(s) if syntax == Syntax::Yaml => Some(yaml_scalar(&s)),
        Value::String(_) => Some(span.to_owned()),
        _ => None,
    }
}

fn json(text: &str) -> Option<Node> {
    let parse = asl_syntax::parse(text, Dialect::Json);
    if parse.error.is_some() {
        return None;
    }
    parse.root
}

/// `key: value` (YAML) or `key = value` (HCL).
fn member(key: &str, value: &Node, text: &str, syntax: Syntax) -> Option<String> {
    let value = render(value, text, syntax)?;
    Some(match syntax {
        Syntax::Yaml => format!("{}: {value}", yaml_scalar(key)),
        Syntax::Hcl => format!("{} = {value}", hcl_key(key)),
        Syntax::Json => format!("{}: {value}", json_string(key)),
    })
}

/// A value in `syntax`, on one line.
fn render(node: &Node, text: &str, syntax: Syntax) -> Option<String> {
    Some(match &node.value {
        Value::String(s) => match syntax {
            Syntax::Yaml => yaml_scalar(s),
            Syntax::Hcl => hcl_string(s),
            Syntax::Json => json_string(s),
        },
        Value::Number(_) | Value::Bool(_) | Value::Null => text
            .get(usize::from(node.range.start())..usize::from(node.range.end()))?
            .to_owned(),
        Value::Object(props) => {
            let parts: Vec<String> = props
                .iter()
                .map(|p| member(&p.key, &p.value, text, syntax))
                .collect::<Option<_>>()?;
            match syntax {
                Syntax::Hcl => format!("{{ {} }}", parts.join(", ")),
                _ => format!("{{{}}}", parts.join(", ")),
            }
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|item| render(item, text, syntax))
                .collect::<Option<_>>()?;
            format!("[{}]", parts.join(", "))
        }
    })
}

/// A YAML string: plain where YAML reads it back as this string (in flow context too), else
/// single-quoted when it needs no escape (`'{% $x %}'`, as users write expressions), else
/// double-quoted.
fn yaml_scalar(s: &str) -> String {
    if plain_yaml(s) {
        s.to_owned()
    } else if !s.contains(['\'', '\n', '\\', '"']) && s.chars().all(|c| !c.is_control()) {
        format!("'{s}'")
    } else {
        json_string(s)
    }
}

/// An HCL object key: an identifier as is, anything else quoted.
fn hcl_key(key: &str) -> String {
    let mut chars = key.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if identifier && !matches!(key, "true" | "false" | "null") {
        key.to_owned()
    } else {
        hcl_string(key)
    }
}

/// An HCL string literal: JSON's escapes, and `$${`/`%%{` so Terraform does not interpolate.
fn hcl_string(s: &str) -> String {
    json_string(s).replace("${", "$${").replace("%{", "%%{")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(m: &str) -> String {
        in_syntax(m, Syntax::Yaml).into_owned()
    }

    fn hcl(m: &str) -> String {
        in_syntax(m, Syntax::Hcl).into_owned()
    }

    #[test]
    fn members_are_written_in_the_source_syntax() {
        let m = "state `A` has neither `Next` nor `\"End\": true`; add `\"End\": true`";
        assert_eq!(
            yaml(m),
            "state `A` has neither `Next` nor `End: true`; add `End: true`"
        );
        assert_eq!(
            hcl(m),
            "state `A` has neither `Next` nor `End = true`; add `End = true`"
        );
        assert_eq!(in_syntax(m, Syntax::Json), m);
        assert_eq!(
            yaml("add `\"ResultPath\": \"$.error\"`"),
            "add `ResultPath: $.error`"
        );
        assert_eq!(
            hcl("add `\"ResultPath\": \"$.error\"`"),
            "add `ResultPath = \"$.error\"`"
        );
        assert_eq!(
            yaml("add `\"MaxDelaySeconds\": 3600`"),
            "add `MaxDelaySeconds: 3600`"
        );
    }

    #[test]
    fn nested_values_and_strings_that_need_quotes() {
        let m = "set `\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"}`";
        assert_eq!(
            yaml(m),
            "set `ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}`"
        );
        assert_eq!(
            hcl(m),
            "set `ProcessorConfig = { Mode = \"DISTRIBUTED\", ExecutionType = \"STANDARD\" }`"
        );
        // A YAML plain scalar cannot start with `{` or be `true`: quoted.
        assert_eq!(
            yaml("add `\"Condition\": \"{% $x %}\"`"),
            "add `Condition: '{% $x %}'`"
        );
        assert_eq!(yaml("`\"Value\": \"true\"`"), "`Value: 'true'`");
        assert_eq!(hcl("`\"Condition\": \"${x}\"`"), "`Condition = \"$${x}\"`");
        assert_eq!(hcl("`\"My State\": 1`"), "`\"My State\" = 1`");
    }

    #[test]
    fn lone_strings_and_other_spans() {
        assert_eq!(yaml("add `\"TimeoutSeconds\"`"), "add `TimeoutSeconds`");
        assert_eq!(hcl("one of `\"EXPRESS\"`"), "one of `\"EXPRESS\"`");
        // Not JSON, or not quoted: as written.
        for m in [
            "`Next` names `Dnoe`",
            "a `{% ... %}` expression",
            "`\"unterminated`",
            "an odd ` backtick",
            "`\"A\": `",
            "",
        ] {
            assert_eq!(yaml(m), m);
            assert_eq!(hcl(m), m);
        }
        assert!(matches!(
            in_syntax("`Next` only", Syntax::Yaml),
            Cow::Borrowed(_)
        ));
    }
}
