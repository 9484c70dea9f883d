//! Intrinsic function calls of JSONPath states (asl-spec.md §5.4): `States.Format('{} items',
//! $.count)`, with single-quoted strings (`\'`, `\{`, `\}`, `\\` escapes), numbers, booleans,
//! `null`, paths (`$.a`, `$$.b`, `$var`) and nested calls as arguments. Ranges are byte ranges of
//! the string.

use std::ops::Range;

use crate::jsonpath::{PathError, err, parse_path};

#[derive(Debug, Clone, PartialEq)]
pub enum ArgKind {
    /// A string literal, unescaped.
    String(String),
    Number(f64),
    Bool(bool),
    Null,
    /// A path (`$.a`, `$$.b`, `$var.c`), as written.
    Path(String),
    Call(Box<Call>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub kind: ArgKind,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub name_range: Range<usize>,
    pub args: Vec<Arg>,
    /// From the name to the closing parenthesis.
    pub range: Range<usize>,
}

impl Call {
    /// How deeply calls nest: 1 for a call without nested calls.
    pub fn depth(&self) -> usize {
        1 + self
            .args
            .iter()
            .filter_map(|a| match &a.kind {
                ArgKind::Call(c) => Some(c.depth()),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }
}

/// True when `s` looks like an intrinsic call: `States.` then a name and `(`.
pub fn looks_like_intrinsic(s: &str) -> bool {
    s.strip_prefix("States.").is_some_and(|rest| {
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(rest.len());
        name_end > 0
            && rest
                .get(name_end..)
                .is_some_and(|r| r.trim_start_matches(is_space).starts_with('('))
    })
}

/// The whitespace LocalStack's intrinsic lexer skips between tokens (`WS: [ \t\n]+ -> skip`
/// in its `ASLIntrinsicLexer.g4`), with `\r` for CRLF text.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i..).and_then(|r| r.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        Some(c)
    }

    fn char_range(&self) -> Range<usize> {
        self.i..self.i + self.peek().map_or(0, char::len_utf8)
    }

    fn spaces(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.bump();
        }
    }

    fn call(&mut self) -> Result<Call, PathError> {
        self.depth += 1;
        if self.depth > 64 {
            return err(self.char_range(), "intrinsic calls nest too deeply");
        }
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        {
            self.bump();
        }
        let name_range = start..self.i;
        let name = self.s.get(name_range.clone()).unwrap_or("").to_owned();
        if name.is_empty() {
            return err(
                self.char_range(),
                "expected an intrinsic function name such as `States.Format`",
            );
        }
        self.spaces();
        if self.peek() != Some('(') {
            return err(
                if self.peek().is_some() {
                    self.char_range()
                } else {
                    name_range
                },
                format!("expected `(` after `{name}`"),
            );
        }
        self.bump();
        let mut args = Vec::new();
        self.spaces();
        if self.peek() == Some(')') {
            self.bump();
        } else {
            loop {
                self.spaces();
                args.push(self.arg()?);
                self.spaces();
                match self.peek() {
                    Some(',') => {
                        self.bump();
                    }
                    Some(')') => {
                        self.bump();
                        break;
                    }
                    None => {
                        return err(start..self.i, format!("unclosed `(` of `{name}`: add `)`"));
                    }
                    Some(c) => {
                        return err(
                            self.char_range(),
                            format!("unexpected `{c}`: expected `,` or `)`"),
                        );
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(Call {
            name,
            name_range,
            args,
            range: start..self.i,
        })
    }

    fn arg(&mut self) -> Result<Arg, PathError> {
        let start = self.i;
        let kind = match self.peek() {
            Some('\'') => ArgKind::String(self.string()?),
            Some('$') => {
                let text = self.path_text();
                if let Err(e) = parse_path(&text) {
                    return err(
                        start + e.range.start..start + e.range.end.max(e.range.start),
                        e.message,
                    );
                }
                ArgKind::Path(text)
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
                {
                    self.bump();
                }
                let text = self.s.get(start..self.i).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(n) => ArgKind::Number(n),
                    Err(_) => return err(start..self.i, format!("`{text}` is not a number")),
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let save = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                {
                    self.bump();
                }
                let word = self.s.get(save..self.i).unwrap_or("");
                match word {
                    "true" => ArgKind::Bool(true),
                    "false" => ArgKind::Bool(false),
                    "null" => ArgKind::Null,
                    _ if self.peek() == Some('(') => {
                        self.i = save;
                        ArgKind::Call(Box::new(self.call()?))
                    }
                    _ => {
                        return err(
                            save..self.i,
                            format!(
                                "`{word}` is not an argument: quote a string ('{word}'), or write a path ($.{word})"
                            ),
                        );
                    }
                }
            }
            Some('"') => {
                return err(
                    self.char_range(),
                    "strings in intrinsic calls use single quotes: 'text'",
                );
            }
            Some(c) => {
                return err(
                    self.char_range(),
                    format!("unexpected `{c}`: expected an argument"),
                );
            }
            None => return err(self.i..self.i, "expected an argument, then `)`"),
        };
        Ok(Arg {
            kind,
            range: start..self.i,
        })
    }

    /// A single-quoted string; the cursor is on the quote.
    fn string(&mut self) -> Result<String, PathError> {
        let start = self.i;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return err(start..self.i, "unclosed string: add `'`"),
                // `\'`, `\{`, `\}` and `\\` are the escapes; AWS keeps any other `\x` as it is.
                Some('\\') => match self.bump() {
                    Some(c) => {
                        out.push('\\');
                        out.push(c);
                    }
                    None => return err(self.i - 1..self.i, "a string cannot end with a lone `\\`"),
                },
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    /// The text of a path argument: up to `,` or `)` outside brackets, parentheses and quotes.
    fn path_text(&mut self) -> String {
        let start = self.i;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), '\\') => {
                    self.bump();
                }
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']' | ')') if depth > 0 => depth -= 1,
                (None, ',' | ')') if depth == 0 => break,
                (None, c) if c.is_whitespace() && depth == 0 => break,
                _ => {}
            }
            self.bump();
        }
        self.s.get(start..self.i).unwrap_or("").to_owned()
    }
}

/// Parses an intrinsic call that makes up the whole string. Whitespace between the tokens of a
/// call (after its name, around its arguments and commas) and after it is skipped, as
/// LocalStack's intrinsic grammar skips it and as AWS's own language service accepts it
/// (`"States.JsonToString($)    "` is among the valid documents of its tests); the string must
/// start with the function's name.
pub fn parse_intrinsic(s: &str) -> Result<Call, PathError> {
    let mut p = Parser { s, i: 0, depth: 0 };
    let call = p.call()?;
    p.spaces();
    if p.peek().is_some() {
        return err(
            p.i..s.len(),
            "unexpected text after the call: an intrinsic call must be the whole value",
        );
    }
    Ok(call)
}

/// The `{}` placeholders of a `States.Format` template (escaped braces excluded). The template
/// is the string as [`ArgKind::String`] holds it, escapes kept.
pub fn format_placeholders(template: &str) -> usize {
    let mut count = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                count += 1;
            }
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls() {
        let c = parse_intrinsic(
            "States.Format('Hello {}, you have {} items', $.name, States.ArrayLength($.items))",
        )
        .unwrap();
        assert_eq!(c.name, "States.Format");
        assert_eq!(c.args.len(), 3);
        assert_eq!(c.depth(), 2);
        assert!(matches!(&c.args[1].kind, ArgKind::Path(p) if p == "$.name"));
        let ArgKind::String(t) = &c.args[0].kind else {
            panic!()
        };
        assert_eq!(format_placeholders(t), 2);
        let c = parse_intrinsic("States.MathAdd($var.count, -1)").unwrap();
        assert_eq!(c.args[1].kind, ArgKind::Number(-1.0));
        let c = parse_intrinsic("States.JsonMerge($.a, $$.Execution.Input, false)").unwrap();
        assert_eq!(c.args[2].kind, ArgKind::Bool(false));
        let c = parse_intrinsic("States.UUID()").unwrap();
        assert!(c.args.is_empty());
        let c = parse_intrinsic("States.Format('a \\{\\} b \\' {}', $.x[0,1])").unwrap();
        let ArgKind::String(t) = &c.args[0].kind else {
            panic!()
        };
        assert_eq!(format_placeholders(t), 1);
        assert!(matches!(&c.args[1].kind, ArgKind::Path(p) if p == "$.x[0,1]"));
    }

    #[test]
    fn errors_point_inside() {
        let s = "States.Format('x', $.a b)";
        let e = parse_intrinsic(s).unwrap_err();
        assert_eq!(&s[e.range], "b");
        let s = "States.Format('x', $.a[0)";
        let e = parse_intrinsic(s).unwrap_err();
        assert_eq!(&s[e.range], ")");
        let s = "States.Format(\"x\")";
        assert_eq!(&s[parse_intrinsic(s).unwrap_err().range], "\"");
        assert!(
            parse_intrinsic("States.Format('a \\n \\\" b')").is_ok(),
            "other escapes are kept"
        );
        let s = "States.Array(1, 2";
        assert!(parse_intrinsic(s).unwrap_err().message.contains("unclosed"));
        let s = "States.Array(1) extra";
        assert_eq!(&s[parse_intrinsic(s).unwrap_err().range], "extra");
        let s = "States.Array(foo)";
        assert_eq!(&s[parse_intrinsic(s).unwrap_err().range], "foo");
    }

    #[test]
    fn whitespace_between_tokens_and_after_the_call_is_skipped() {
        for s in [
            "States.JsonToString($)    ",
            "States.Format($.template, $.firstName, $.lastName)    ",
            "States.Format ( 'x {}' ,\t$.a\n) \n",
            "States.Array( )",
            "States.MathAdd(1, States.ArrayLength( $.a ) )\r\n",
        ] {
            let call = parse_intrinsic(s).unwrap_or_else(|e| panic!("{s:?}: {e:?}"));
            assert!(looks_like_intrinsic(s), "{s:?}");
            assert_eq!(&s[call.range.clone()].trim_end(), &s.trim_end(), "{s:?}");
        }
        let c = parse_intrinsic("States.Format ( 'x {}' , $.a )").unwrap();
        assert_eq!(c.args.len(), 2);
        // Leading whitespace, a name split by a line break, text after the call: not a call
        // (the language service's invalid documents).
        assert!(!looks_like_intrinsic("  States.Format($.t)"));
        assert!(!looks_like_intrinsic("States\nJsonToString($)"));
        let s = "States.JsonToString($) x";
        assert_eq!(&s[parse_intrinsic(s).unwrap_err().range], "x");
    }

    #[test]
    fn recognises_calls() {
        assert!(looks_like_intrinsic("States.Format('x')"));
        assert!(looks_like_intrinsic("States.UUID()"));
        assert!(!looks_like_intrinsic("States.TaskFailed"));
        assert!(!looks_like_intrinsic("Hello"));
    }

    #[test]
    fn never_panics() {
        let pieces = [
            "States.Format",
            "States.Array",
            "(",
            ")",
            "'",
            "\\",
            ",",
            " ",
            "$.a",
            "$$",
            "[",
            "]",
            "1",
            "-",
            "true",
            "x",
            "é",
            "{}",
        ];
        crate::jsonpath::sweep(&pieces, 9, parse_intrinsic);
    }
}
