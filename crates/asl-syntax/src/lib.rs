//! `asl-syntax`: Amazon States Language source text to a typed model with exact byte ranges.
//!
//! Parsing never fails: [`parse`] returns a [`Parse`] holding the tree (when the text is
//! well-formed) and every syntax finding. The typed view of a state machine is [`ast::Machine`],
//! built over the tree without copying it. No IO happens here.

pub mod ast;
pub mod classify;
mod fast;
pub mod host;
pub mod intrinsic;
pub mod jsonata;
mod jsonc;
pub mod jsonpath;
pub mod line_index;
pub mod serverless;
pub mod template;
pub mod terraform;
pub mod tree;
mod yaml;

pub use classify::{Classification, Classified, DocumentKind, classify};
pub use host::Host;
pub use line_index::{Encoding, LineCol, LineIndex};
pub use text_size::{TextRange, TextSize};
pub use tree::{JsonType, Node, Property, Value, is_templated, string_range};
pub use yaml::is_plain_safe as is_yaml_plain_safe;

/// The syntax a source file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Strict JSON, as AWS accepts it. Comments and trailing commas are tolerated but reported.
    Json,
    /// JSON with comments and trailing commas (`.jsonc`).
    Jsonc,
    /// JSON5 (`.json5`): comments, trailing commas, unquoted keys, single quotes, hex numbers.
    Json5,
    /// YAML 1.2 (`.yaml`, `.yml`), read into the same tree as JSON.
    Yaml,
}

impl Dialect {
    /// The dialect for a file name, by extension: `.jsonc`, `.json5`, `.yaml`/`.yml`, else
    /// strict JSON.
    pub fn from_path(path: &str) -> Dialect {
        Dialect::from_extension(path).unwrap_or(Dialect::Json)
    }

    /// The dialect a file name's extension names (`.json`, `.jsonc`, `.json5`, `.yaml`, `.yml`,
    /// in any letter case), `None` for any other name. Which documents are state machines is
    /// decided by [`classify::classify`].
    pub fn from_extension(path: &str) -> Option<Dialect> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Some(Dialect::Yaml)
        } else if lower.ends_with(".jsonc") {
            Some(Dialect::Jsonc)
        } else if lower.ends_with(".json5") {
            Some(Dialect::Json5)
        } else if lower.ends_with(".json") {
            Some(Dialect::Json)
        } else {
            None
        }
    }
}

/// The result of parsing: a tree (absent when the text is not well-formed) plus findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Parse {
    pub root: Option<Node>,
    /// The first syntax error; when set, `root` is `None`.
    pub error: Option<SyntaxError>,
    /// Comments and trailing commas found in a strict JSON file.
    pub non_standard: Vec<NonStandard>,
    /// Keys that appear more than once in the same object.
    pub duplicates: Vec<Duplicate>,
    /// The comments, in source order, each range with its delimiters (`//`, `/* */`, `#`): every
    /// comment of a JSON, JSONC or JSON5 file, and the whole-line `#` comments of a YAML file
    /// (a `#` after other text on its line is not collected).
    pub comments: Vec<TextRange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
    pub kind: SyntaxErrorKind,
}

/// What kind of syntax error a [`SyntaxError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyntaxErrorKind {
    /// The text is not well-formed JSON (or YAML).
    #[default]
    Invalid,
    /// Well-formed up to a point where it nests deeper than [`MAX_DEPTH`] (or, in a JSONC or
    /// JSON5 file, deeper than its reader takes).
    TooDeep,
}

/// The deepest nesting of objects and arrays the readers build, in levels. AWS documents no
/// number (its validator has `TOO_DEEPLY_NESTED`; the only quota is the 1 MB definition): 10,000
/// levels hold a Parallel nested 2,000 deep (a nesting of Parallel or Map takes four levels:
/// `Branches`, the branch, `States`, the state), far past any real definition, while every walk
/// over the tree stays within a thread stack of [`STACK_SIZE`].
pub const MAX_DEPTH: usize = 10_000;

/// The stack size the threads that parse and analyse definitions get (the CLI's workers and the
/// language server's), sized for documents [`MAX_DEPTH`] deep with room to spare: the tests
/// analyse documents at that depth on threads of this size, in unoptimized builds whose frames
/// are larger than a release build's.
pub const STACK_SIZE: usize = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonStandardKind {
    Comment,
    TrailingComma,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonStandard {
    pub range: TextRange,
    pub kind: NonStandardKind,
}

/// A key that repeats an earlier key of the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    /// The key range of the first occurrence.
    pub first: TextRange,
    /// The key range of this (later) occurrence.
    pub second: TextRange,
}

const BOM: &str = "\u{feff}";

/// Parses a whole document. Never panics and never fails: broken input yields `error`.
pub fn parse(text: &str, dialect: Dialect) -> Parse {
    if dialect == Dialect::Yaml {
        return match text.strip_prefix(BOM) {
            Some(rest) => yaml::parse(rest, BOM.len() as u32),
            None => yaml::parse(text, 0),
        };
    }
    match text.strip_prefix(BOM) {
        Some(rest) => jsonc::parse(rest, dialect, BOM.len() as u32),
        None => jsonc::parse(text, dialect, 0),
    }
}

pub(crate) fn find_duplicates(props: &[Property], out: &mut Vec<Duplicate>) {
    if props.len() < 2 {
        return;
    }
    if props.len() <= 16 {
        for (i, later) in props.iter().enumerate().skip(1) {
            if let Some(first) = props.iter().take(i).find(|p| p.key == later.key) {
                out.push(Duplicate {
                    key: later.key.clone(),
                    first: first.key_range,
                    second: later.key_range,
                });
            }
        }
    } else {
        let mut seen: std::collections::HashMap<&str, TextRange> =
            std::collections::HashMap::with_capacity(props.len());
        for p in props {
            match seen.get(p.key.as_str()) {
                Some(first) => out.push(Duplicate {
                    key: p.key.clone(),
                    first: *first,
                    second: p.key_range,
                }),
                None => {
                    seen.insert(&p.key, p.key_range);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_keys_and_values() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;
        let parse = parse(text, Dialect::Json);
        assert!(parse.error.is_none());
        let root = parse.root.unwrap();
        let start = root.get("StartAt").unwrap();
        assert_eq!(&text[start.key_range], "\"StartAt\"");
        assert_eq!(&text[start.value.range], "\"A\"");
        let end = root
            .get("States")
            .unwrap()
            .value
            .get("A")
            .unwrap()
            .value
            .get("End")
            .unwrap();
        assert_eq!(&text[end.value.range], "true");
        assert_eq!(root.pointer_to(end.value.range), "/States/A/End");
        assert_eq!(root.pointer_to(end.key_range), "/States/A/End");
    }

    #[test]
    fn duplicates_are_kept_and_reported() {
        let text = r#"{"StartAt": "A", "States": {}, "StartAt": "B"}"#;
        let parse = parse(text, Dialect::Json);
        let root = parse.root.unwrap();
        assert_eq!(root.as_object().unwrap().len(), 3);
        assert_eq!(parse.duplicates.len(), 1);
        assert_eq!(&text[parse.duplicates[0].first], "\"StartAt\"");
        assert_eq!(parse.duplicates[0].second.start(), 31.into());
    }

    #[test]
    fn strict_json_tolerates_and_records_comments_and_trailing_commas() {
        let text = "{\n  // hi\n  \"a\": [1, 2,],\n}";
        let parse = parse(text, Dialect::Json);
        assert!(parse.error.is_none(), "{:?}", parse.error);
        let kinds: Vec<_> = parse.non_standard.iter().map(|n| n.kind).collect();
        assert_eq!(
            kinds,
            vec![
                NonStandardKind::Comment,
                NonStandardKind::TrailingComma,
                NonStandardKind::TrailingComma
            ]
        );
        let jsonc = super::parse(text, Dialect::Jsonc);
        assert!(jsonc.error.is_none() && jsonc.non_standard.is_empty());
    }

    fn comment_texts(text: &str, dialect: Dialect) -> Vec<&str> {
        parse(text, dialect)
            .comments
            .iter()
            .map(|r| &text[*r])
            .collect()
    }

    #[test]
    fn comments_are_collected_in_order_with_their_delimiters() {
        let text = "// top\n{ /* a\n b */ \"a\": \"// not\", // end\n\"b\": 1 }\n// last";
        let expected = vec!["// top", "/* a\n b */", "// end", "// last"];
        assert_eq!(comment_texts(text, Dialect::Jsonc), expected);
        assert_eq!(comment_texts(text, Dialect::Json5), expected);
        // Strict JSON reports them (ASL003) and keeps them too.
        assert_eq!(comment_texts(text, Dialect::Json), expected);
        let json5 = "{a: '// not', /* c */ b: 1}";
        assert_eq!(comment_texts(json5, Dialect::Json5), vec!["/* c */"]);
        assert!(comment_texts("{\"a\": 1}", Dialect::Jsonc).is_empty());
        // A byte-order mark shifts them.
        let bom = "\u{feff}// c\n{}";
        assert_eq!(comment_texts(bom, Dialect::Jsonc), vec!["// c"]);
        assert_eq!(comment_texts(bom, Dialect::Yaml), Vec::<&str>::new());
        assert_eq!(comment_texts("\u{feff}# c\n{}", Dialect::Yaml), vec!["# c"]);
    }

    #[test]
    fn yaml_comments_are_whole_lines_outside_scalars() {
        let text = "# top\r\na: |\n  # text\n  x\n  # text too\n# after the block\nb: \"q\n  # in quotes\"\nc: plain # trailing\n  # ends the plain scalar\nd: >-\n  # folded\n\n    # indented\n\t# tab\n";
        assert_eq!(
            comment_texts(text, Dialect::Yaml),
            vec![
                "# top",
                "# after the block",
                "# ends the plain scalar",
                "# tab"
            ]
        );
    }

    #[test]
    fn json5_reads_unquoted_keys() {
        let parse = parse("{ResultPath: '$.x', n: 0x10, m: +1,}", Dialect::Json5);
        let root = parse.root.unwrap();
        assert_eq!(root.get("ResultPath").unwrap().value.as_str(), Some("$.x"));
        assert_eq!(root.get("n").unwrap().value.as_f64(), Some(16.0));
    }

    #[test]
    fn errors_have_positions() {
        let text = "{\"a\": }";
        let parse = parse(text, Dialect::Json);
        let err = parse.error.unwrap();
        assert_eq!(err.range.start(), 6.into());
        assert!(!err.range.is_empty());
        assert!(super::parse("", Dialect::Json).error.is_some());
    }

    #[test]
    fn bom_shifts_ranges() {
        let text = "\u{feff}{\"a\": 1}";
        let parse = parse(text, Dialect::Json);
        let root = parse.root.unwrap();
        assert_eq!(&text[root.get("a").unwrap().key_range], "\"a\"");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        // On a thread of the workers' stack size: building (and dropping) a tree at the bound
        // needs more than a test thread's 2 MiB in an unoptimized build.
        let run = || {
            let at_bound = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
            assert!(parse(&at_bound, Dialect::Json).error.is_none());
            let text = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
            let error = parse(&text, Dialect::Json).error.unwrap();
            assert_eq!(error.kind, SyntaxErrorKind::TooDeep);
            assert!(error.message.contains("10,000 levels"), "{}", error.message);
        };
        std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn placeholders() {
        assert!(is_templated("${Fn}"));
        assert!(is_templated("arn:${AWS::Partition}:states"));
        assert!(!is_templated("$.a"));
        assert!(!is_templated("${"));
        assert!(is_templated("$$.Map.Item ${Name}"));
        assert!(is_templated("$${x}"));
        assert!(!is_templated("} ${"));
        assert!(!is_templated("$ {x}"));
    }
}
