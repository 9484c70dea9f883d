//! The JSON, JSONC and JSON5 reader. This is the only module that imports `jsonc-parser`.

use jsonc_parser::ast;
use jsonc_parser::common::{Range, Ranged};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::tokens::Token;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, CommentMap, ParseOptions};
use text_size::{TextRange, TextSize};

use crate::tree::{Node, Property, Value};
use crate::{Dialect, NonStandard, NonStandardKind, Parse, SyntaxError};

fn strict_options() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn jsonc_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        ..strict_options()
    }
}

/// Parses `text` (already stripped of a BOM); every range is shifted by `base`.
///
/// A bare `${...}` placeholder in value position (`"MaxConcurrency": ${max_concurrency}`,
/// `"Ids": ${jsonencode(ids)}`: Terraform `templatefile` inputs, `Fn::Sub` templates) is read as
/// a string holding the placeholder, with the range of the placeholder itself: see
/// [`mask_placeholders`]. This is the one place every JSON input (a file, stdin, a decoded
/// `DefinitionString`) gets that reading.
pub(crate) fn parse(text: &str, dialect: Dialect, base: u32) -> Parse {
    let masked = mask_placeholders(text, dialect);
    let source = masked.as_ref().map_or(text, |m| m.text.as_str());
    let mut parse = read(source, dialect, base);
    if let (Some(masked), Some(root)) = (&masked, parse.root.as_mut()) {
        restore_placeholders(root, text, &masked.spans, base);
    }
    parse
}

fn read(text: &str, dialect: Dialect, base: u32) -> Parse {
    // Plain JSON reads the same in every dialect but JSON5 (whose escapes differ), and most files
    // are plain JSON: try the fast path first.
    if dialect != Dialect::Json5
        && let Some(parse) = crate::fast::parse(text, base)
    {
        return parse;
    }
    parse_full(text, dialect, base)
}

/// A text whose bare placeholders are masked as JSON strings of the same length.
struct Masked {
    text: String,
    /// The byte ranges of the placeholders (without the base), in order.
    spans: Vec<std::ops::Range<usize>>,
}

/// Masks each bare `${...}` that stands where a value goes (after `:`, after `[`, or after `,`
/// in an array) as a JSON string of the same length (`"________"`), so the text parses and every
/// range stays where it is; `None` when there is none. Strings (single-quoted too in JSON5) and
/// comments are skipped. A placeholder ends at its matching `}` (nested braces and quoted
/// strings inside it, as in `${jsonencode({a = "}"})}`, are stepped over) on the same line; one
/// that does not end there is left alone, so it stays a syntax error at its `$`.
fn mask_placeholders(text: &str, dialect: Dialect) -> Option<Masked> {
    if !text.contains("${") {
        return None;
    }
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut containers: Vec<u8> = Vec::new();
    // The last byte of the last token seen outside strings and comments.
    let mut prev: Option<u8> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i = string_end(bytes, i, b'"');
                prev = Some(b'"');
                continue;
            }
            b'\'' if dialect == Dialect::Json5 => {
                i = string_end(bytes, i, b'\'');
                prev = Some(b'"');
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = bytes
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                    .map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text
                    .get(i + 2..)
                    .and_then(|rest| rest.find("*/"))
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'{' | b'[' => {
                containers.push(b);
                prev = Some(b);
            }
            b'}' | b']' => {
                containers.pop();
                prev = Some(b);
            }
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let value_position = match prev {
                    Some(b':' | b'[') => true,
                    Some(b',') => containers.last() == Some(&b'['),
                    _ => false,
                };
                if value_position {
                    match placeholder_end(bytes, i) {
                        Some(end) => {
                            spans.push(i..end);
                            i = end;
                            prev = Some(b'"');
                            continue;
                        }
                        // Unclosed: the text cannot parse whatever follows, and the reader
                        // reports this `$`. Stopping here keeps the scan linear.
                        None => break,
                    }
                }
                prev = Some(b);
            }
            _ => prev = Some(b),
        }
        i += 1;
    }
    if spans.is_empty() {
        return None;
    }
    let mut masked = bytes.to_vec();
    for span in &spans {
        for (k, byte) in masked
            .get_mut(span.clone())
            .into_iter()
            .flatten()
            .enumerate()
        {
            *byte = if k == 0 || k + 1 == span.len() {
                b'"'
            } else {
                b'_'
            };
        }
    }
    // Every byte of each placeholder, whole characters, became ASCII: still UTF-8.
    let text = String::from_utf8(masked).ok()?;
    Some(Masked { text, spans })
}

/// The index after the string that starts with `quote` at `start` (the end of the text when it
/// is not closed).
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            i += 2;
        } else if b == quote {
            return i + 1;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The index after the `}` that closes the `${` at `start`, on the same line.
fn placeholder_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' | b'\r' => return None,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' | b'\'' => {
                let end = string_end(bytes, i, b);
                if bytes.get(i..end).is_some_and(|s| s.contains(&b'\n')) {
                    return None;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Gives each masked string its placeholder's text back.
fn restore_placeholders(root: &mut Node, text: &str, spans: &[std::ops::Range<usize>], base: u32) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &mut node.value {
            Value::Object(props) => stack.extend(props.iter_mut().map(|p| &mut p.value)),
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::String(s) => {
                let start = usize::from(node.range.start()).saturating_sub(base as usize);
                let end = usize::from(node.range.end()).saturating_sub(base as usize);
                if let Ok(k) = spans.binary_search_by_key(&start, |span| span.start)
                    && spans.get(k).is_some_and(|span| span.end == end)
                    && let Some(original) = text.get(start..end)
                {
                    *s = original.to_owned();
                }
            }
            _ => {}
        }
    }
}

/// [`parse`] through `jsonc-parser`, for every input.
pub(crate) fn parse_full(text: &str, dialect: Dialect, base: u32) -> Parse {
    let options = match dialect {
        // YAML never reaches this reader (`crate::parse` sends it to `yaml`).
        Dialect::Json | Dialect::Yaml => strict_options(),
        Dialect::Jsonc => jsonc_options(),
        Dialect::Json5 => ParseOptions::default(),
    };
    // Comments are kept only where they are allowed; strict JSON finds them below, as tokens.
    // Collecting them costs nothing in a file without any.
    let collect = CollectOptions {
        comments: if dialect == Dialect::Json {
            CommentCollectionStrategy::Off
        } else {
            CommentCollectionStrategy::Separate
        },
        tokens: false,
    };
    match jsonc_parser::parse_to_ast(text, &collect, &options) {
        Ok(result) => {
            let comments = separate_comments(result.comments.as_ref(), base);
            let mut parse = finish(result.value, Vec::new(), base, text);
            parse.comments = comments;
            parse
        }
        Err(err)
            if dialect == Dialect::Json
                && matches!(
                    err.kind(),
                    ParseErrorKind::CommentsNotAllowed | ParseErrorKind::TrailingCommasNotAllowed
                ) =>
        {
            // AWS rejects comments and trailing commas, but the rest of the file is still worth
            // analysing: read it as JSONC and record where it strays from JSON.
            let collect = CollectOptions {
                comments: CommentCollectionStrategy::AsTokens,
                tokens: true,
            };
            match jsonc_parser::parse_to_ast(text, &collect, &jsonc_options()) {
                Ok(result) => {
                    let non_standard = non_standard_tokens(result.tokens.as_deref(), base);
                    let comments = non_standard
                        .iter()
                        .filter(|n| n.kind == NonStandardKind::Comment)
                        .map(|n| n.range)
                        .collect();
                    let mut parse = finish(result.value, non_standard, base, text);
                    parse.comments = comments;
                    parse
                }
                Err(err) => failed(&err, base, text),
            }
        }
        Err(err) => failed(&err, base, text),
    }
}

fn failed(err: &jsonc_parser::errors::ParseError, base: u32, text: &str) -> Parse {
    let kind = err.kind();
    let message = match kind {
        // jsonc-parser counts an object and its member as two of its 512 levels.
        ParseErrorKind::NestingDepthExceeded => {
            "nesting deeper than the JSONC and JSON5 reader takes (about 250 levels of objects)"
                .to_owned()
        }
        ParseErrorKind::CommentsNotAllowed => {
            "comments are not allowed in JSON; rename the file to `.jsonc` or remove them"
                .to_owned()
        }
        _ => lowercase_first(&kind.to_string()),
    };
    let mut range = to_range(err.range(), base);
    if range.is_empty() && usize::from(range.end()) < text.len() + base as usize {
        // Point at one character so every renderer has something to underline.
        let start = usize::from(range.start()) - base as usize;
        let width = text
            .get(start..)
            .and_then(|t| t.chars().next())
            .map_or(1, char::len_utf8);
        range = TextRange::at(range.start(), TextSize::from(width as u32));
    }
    Parse {
        root: None,
        error: Some(SyntaxError {
            range,
            message,
            kind: if matches!(kind, ParseErrorKind::NestingDepthExceeded) {
                crate::SyntaxErrorKind::TooDeep
            } else {
                crate::SyntaxErrorKind::Invalid
            },
        }),
        non_standard: Vec::new(),
        duplicates: Vec::new(),
        comments: Vec::new(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn finish(
    value: Option<ast::Value<'_>>,
    non_standard: Vec<NonStandard>,
    base: u32,
    text: &str,
) -> Parse {
    let mut duplicates = Vec::new();
    match value {
        Some(value) => Parse {
            root: Some(convert(value, base, &mut duplicates)),
            error: None,
            non_standard,
            duplicates,
            comments: Vec::new(),
        },
        None => {
            let end = TextSize::from(base + text.len() as u32);
            Parse {
                root: None,
                error: Some(SyntaxError {
                    range: TextRange::empty(end),
                    message: "the file holds no JSON value; expected a state machine object"
                        .to_owned(),
                    kind: crate::SyntaxErrorKind::Invalid,
                }),
                non_standard,
                duplicates,
                comments: Vec::new(),
            }
        }
    }
}

/// The comments `jsonc-parser` collected (each is kept under the token before it and the token
/// after it), once each, in source order.
fn separate_comments(map: Option<&CommentMap<'_>>, base: u32) -> Vec<TextRange> {
    let Some(map) = map else {
        return Vec::new();
    };
    let mut out: Vec<TextRange> = map
        .values()
        .flat_map(|comments| comments.iter())
        .map(|comment| to_range(comment.range(), base))
        .collect();
    out.sort_by_key(|r| r.start());
    out.dedup();
    out
}

fn to_range(range: Range, base: u32) -> TextRange {
    TextRange::new(
        TextSize::from(range.start as u32 + base),
        TextSize::from(range.end as u32 + base),
    )
}

fn convert(value: ast::Value<'_>, base: u32, duplicates: &mut Vec<crate::Duplicate>) -> Node {
    match value {
        ast::Value::StringLit(s) => Node {
            range: to_range(s.range, base),
            value: Value::String(s.value.into_owned()),
        },
        ast::Value::NumberLit(n) => Node {
            range: to_range(n.range, base),
            value: Value::Number(parse_number(n.value)),
        },
        ast::Value::BooleanLit(b) => Node {
            range: to_range(b.range, base),
            value: Value::Bool(b.value),
        },
        ast::Value::NullKeyword(n) => Node {
            range: to_range(n.range, base),
            value: Value::Null,
        },
        ast::Value::Array(a) => Node {
            range: to_range(a.range, base),
            value: Value::Array(
                a.elements
                    .into_iter()
                    .map(|v| convert(v, base, duplicates))
                    .collect(),
            ),
        },
        ast::Value::Object(o) => {
            let range = to_range(o.range, base);
            let props: Vec<Property> = o
                .properties
                .into_iter()
                .map(|p| {
                    let (key, key_range) = match p.name {
                        ast::ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                        ast::ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                    };
                    Property {
                        key,
                        key_range: to_range(key_range, base),
                        value: convert(p.value, base, duplicates),
                    }
                })
                .collect();
            crate::find_duplicates(&props, duplicates);
            Node {
                range,
                value: Value::Object(props),
            }
        }
    }
}

/// Numbers as JSON5 allows them too (hex, leading `+`, `.5`, `Infinity`, `NaN`).
pub(crate) fn parse_number(raw: &str) -> f64 {
    let (negative, digits) = match raw.as_bytes().first() {
        Some(b'-') => (true, raw.get(1..).unwrap_or("")),
        Some(b'+') => (false, raw.get(1..).unwrap_or("")),
        _ => (false, raw),
    };
    let magnitude = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16).map_or(f64::NAN, |v| v as f64)
    } else {
        match digits {
            "Infinity" => f64::INFINITY,
            "NaN" => f64::NAN,
            _ => digits.parse::<f64>().unwrap_or(f64::NAN),
        }
    };
    if negative { -magnitude } else { magnitude }
}

fn non_standard_tokens(
    tokens: Option<&[jsonc_parser::tokens::TokenAndRange<'_>]>,
    base: u32,
) -> Vec<NonStandard> {
    let Some(tokens) = tokens else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut pending_comma: Option<Range> = None;
    for token in tokens {
        match token.token {
            Token::CommentLine(_) | Token::CommentBlock(_) => out.push(NonStandard {
                range: to_range(token.range, base),
                kind: NonStandardKind::Comment,
            }),
            Token::Comma => pending_comma = Some(token.range),
            Token::CloseBrace | Token::CloseBracket => {
                if let Some(comma) = pending_comma.take() {
                    out.push(NonStandard {
                        range: to_range(comma, base),
                        kind: NonStandardKind::TrailingComma,
                    });
                }
            }
            _ => pending_comma = None,
        }
    }
    out.sort_by_key(|n| n.range.start());
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use crate::{Dialect, parse};

    /// Each `(field, expected string value)` of `text`'s root, with its range's text.
    fn read(text: &str, dialect: Dialect) -> Vec<(String, String, String)> {
        let parse = parse(text, dialect);
        assert!(parse.error.is_none(), "{text:?}: {:?}", parse.error);
        let root = parse.root.unwrap();
        let mut out = Vec::new();
        for p in root.as_object().unwrap() {
            let nodes: Vec<&crate::Node> = match p.value.as_array() {
                Some(items) => items.iter().collect(),
                None => vec![&p.value],
            };
            for node in nodes {
                if let Some(s) = node.as_str() {
                    out.push((p.key.clone(), s.to_owned(), text[node.range].to_owned()));
                }
            }
        }
        out
    }

    #[test]
    fn bare_placeholders_in_value_position_are_strings_at_their_own_range() {
        let text = "{\"MaxConcurrency\": ${max_concurrency}, \"Ids\": ${jsonencode(ids)},\n \"A\": [${a}, \"${b}\", ${c.d}], \"N\": ${jsonencode({k = \"}\"})}, \"S\": \"x ${y} z\"}";
        for dialect in [Dialect::Json, Dialect::Jsonc, Dialect::Json5] {
            let got = read(text, dialect);
            let expect: Vec<(String, String, String)> = [
                ("MaxConcurrency", "${max_concurrency}", "${max_concurrency}"),
                ("Ids", "${jsonencode(ids)}", "${jsonencode(ids)}"),
                ("A", "${a}", "${a}"),
                ("A", "${b}", "\"${b}\""),
                ("A", "${c.d}", "${c.d}"),
                (
                    "N",
                    "${jsonencode({k = \"}\"})}",
                    "${jsonencode({k = \"}\"})}",
                ),
                ("S", "x ${y} z", "\"x ${y} z\""),
            ]
            .iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
            .collect();
            assert_eq!(got, expect, "{dialect:?}");
        }
    }

    #[test]
    fn placeholders_elsewhere_are_left_alone() {
        // In a comment, in a JSON5 single-quoted string, after a non-ASCII character.
        let text = "{\n // \"${x}\" don't\n \"a\": ${é}, /* ${y} */ \"b\": 'q ${z}'}";
        let got = read(text, Dialect::Json5);
        assert_eq!(got[0].1, "${é}");
        assert_eq!(got[1].1, "q ${z}");
        // Key position and an unclosed placeholder stay syntax errors, at the `$`.
        for text in [
            "{${k}: 1}",
            "{\"a\": 1, ${k}: 2}",
            "{\"Resource\": ${lambdaArn,\n \"Next\": \"B\"}",
            "{\"a\": ${x\n}}",
        ] {
            let parse = parse(text, Dialect::Json);
            let error = parse.error.expect(text);
            assert_eq!(&text[error.range.start().into()..][..1], "$", "{text:?}");
        }
        // Many unclosed placeholders on one long line: one scan, not one per placeholder.
        let text = format!("[{}]", "${a, ".repeat(200_000));
        let started = std::time::Instant::now();
        assert!(parse(&text, Dialect::Json).error.is_some());
        eprintln!(
            "200,000 unclosed placeholders read in {:?}",
            started.elapsed()
        );
        // A byte-order mark shifts the ranges.
        let text = "\u{feff}{\"a\": ${x}}";
        let root = parse(text, Dialect::Json).root.unwrap();
        assert_eq!(&text[root.get("a").unwrap().value.range], "${x}");
    }
}
