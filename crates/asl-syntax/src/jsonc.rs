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
pub(crate) fn parse(text: &str, dialect: Dialect, base: u32) -> Parse {
    // Plain JSON reads the same in every dialect but JSON5 (whose escapes differ), and most files
    // are plain JSON: try the fast path first.
    if dialect != Dialect::Json5 {
        if let Some(parse) = crate::fast::parse(text, base) {
            return parse;
        }
    }
    parse_full(text, dialect, base)
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
