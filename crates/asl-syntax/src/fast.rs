//! The fast path for plain JSON: one pass over the bytes straight into the [`Node`] tree.
//!
//! Nearly every file is plain JSON, and going through `jsonc-parser`'s own AST and then
//! converting it costs about three times as much (two allocations per string and per container,
//! and a second tree to free). This reader accepts only a conservative subset of JSON on which
//! it gives exactly the tree the full reader gives; at the first byte outside it (a comment, a
//! trailing comma, a syntax error, unusual whitespace or escapes, deep nesting) it gives up and
//! [`crate::jsonc`] reads the file again, so findings and error messages come from one place.

use text_size::{TextRange, TextSize};

use crate::tree::{Node, Property, Value};
use crate::{Duplicate, Parse};

use crate::MAX_DEPTH;

/// The tree of `text` (already stripped of a BOM; ranges shifted by `base`) when `text` is plain
/// JSON; `None` to let the full reader decide.
pub(crate) fn parse(text: &str, base: u32) -> Option<Parse> {
    u32::try_from(text.len()).ok()?.checked_add(base)?;
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        base,
        duplicates: Vec::new(),
        props: Vec::new(),
        items: Vec::new(),
        too_deep: None,
    };
    reader.skip_whitespace();
    let root = reader.value(0);
    if let Some(at) = reader.too_deep {
        // Well-formed up to a container nested deeper than the readers build.
        let at = TextSize::from(at as u32 + base);
        return Some(Parse {
            root: None,
            error: Some(crate::SyntaxError {
                range: TextRange::at(at, TextSize::from(1)),
                message: "nesting deeper than 10,000 levels".to_owned(),
                kind: crate::SyntaxErrorKind::TooDeep,
            }),
            non_standard: Vec::new(),
            duplicates: Vec::new(),
            comments: Vec::new(),
        });
    }
    let root = root?;
    reader.skip_whitespace();
    if reader.pos != reader.bytes.len() {
        return None;
    }
    Some(Parse {
        root: Some(root),
        error: None,
        non_standard: Vec::new(),
        duplicates: reader.duplicates,
        comments: Vec::new(),
    })
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    base: u32,
    duplicates: Vec<Duplicate>,
    /// Members of the objects being read, innermost last: each object's own list is allocated
    /// once, at its exact size, when it is complete.
    props: Vec<Property>,
    /// The same for array elements.
    items: Vec<Node>,
    /// Where a container nested deeper than [`MAX_DEPTH`] starts.
    too_deep: Option<usize>,
}

impl Reader<'_> {
    fn range(&self, start: usize) -> TextRange {
        // Both fit: `parse` checked `text.len() + base` against `u32::MAX`.
        TextRange::new(
            TextSize::from(start as u32 + self.base),
            TextSize::from(self.pos as u32 + self.base),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        let start = self.pos;
        let value = match self.peek()? {
            b'{' => return self.object(depth),
            b'[' => return self.array(depth),
            b'"' => Value::String(self.string()?),
            b't' => self.word("true", Value::Bool(true))?,
            b'f' => self.word("false", Value::Bool(false))?,
            b'n' => self.word("null", Value::Null)?,
            b'-' | b'0'..=b'9' => Value::Number(self.number()?),
            _ => return None,
        };
        Some(Node {
            range: self.range(start),
            value,
        })
    }

    /// A keyword. Whatever follows it is checked by the caller, which accepts only a separator.
    fn word(&mut self, word: &str, value: Value) -> Option<Value> {
        if self.bytes.get(self.pos..)?.starts_with(word.as_bytes()) {
            self.pos += word.len();
            Some(value)
        } else {
            None
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<f64> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(crate::jsonc::parse_number(self.text.get(start..self.pos)?))
    }

    /// A string at `"`, decoded. Raw control characters are kept, as the full reader keeps them.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match *self.bytes.get(self.pos)? {
                b'"' => {
                    let s = self.text.get(start..self.pos)?.to_owned();
                    self.pos += 1;
                    return Some(s);
                }
                b'\\' => break,
                _ => self.pos += 1,
            }
        }
        // Escapes: `"` and `\` are ASCII, so every position stopped at is a char boundary.
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(self.text.get(start..self.pos)?);
        loop {
            let chunk = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(chunk..self.pos)?);
            if self.peek()? == b'"' {
                self.pos += 1;
                return Some(out);
            }
            self.pos += 1; // the backslash
            let decoded = match self.peek()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{08}',
                b'f' => '\u{0C}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    self.pos += 1;
                    let c = self.unicode_escape()?;
                    out.push(c);
                    continue;
                }
                _ => return None,
            };
            self.pos += 1;
            out.push(decoded);
        }
    }

    /// The four hex digits after `\u` (and a low surrogate's `\uXXXX` after a high one).
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if (0xD800..=0xDBFF).contains(&high) {
            if self.bytes.get(self.pos..self.pos + 2)? != b"\\u" {
                return None;
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return None;
            }
            char::from_u32((high - 0xD800) * 0x400 + (low - 0xDC00) + 0x10000)
        } else {
            // `None` for a lone low surrogate.
            char::from_u32(high)
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut value = 0;
        for &d in digits {
            value = value * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += 4;
        Some(value)
    }

    fn object(&mut self, depth: usize) -> Option<Node> {
        if depth >= MAX_DEPTH {
            self.too_deep = Some(self.pos);
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let mark = self.props.len();
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                if self.peek()? != b'"' {
                    return None;
                }
                let key_start = self.pos;
                let key = self.string()?;
                let key_range = self.range(key_start);
                self.skip_whitespace();
                if self.peek()? != b':' {
                    return None;
                }
                self.pos += 1;
                self.skip_whitespace();
                let value = self.value(depth + 1)?;
                self.props.push(Property {
                    key,
                    key_range,
                    value,
                });
                self.skip_whitespace();
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        self.skip_whitespace();
                    }
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let props: Vec<Property> = self.props.drain(mark..).collect();
        crate::find_duplicates(&props, &mut self.duplicates);
        Some(Node {
            range: self.range(start),
            value: Value::Object(props),
        })
    }

    fn array(&mut self, depth: usize) -> Option<Node> {
        if depth >= MAX_DEPTH {
            self.too_deep = Some(self.pos);
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let mark = self.items.len();
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.pos += 1;
        } else {
            loop {
                let item = self.value(depth + 1)?;
                self.items.push(item);
                self.skip_whitespace();
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        self.skip_whitespace();
                    }
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let items: Vec<Node> = self.items.drain(mark..).collect();
        Some(Node {
            range: self.range(start),
            value: Value::Array(items),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::Dialect;

    /// The fast path either declines or gives exactly what the full reader gives.
    fn check(text: &str) -> bool {
        let full = crate::jsonc::parse_full(text, Dialect::Json, 3);
        match super::parse(text, 3) {
            Some(fast) => {
                assert_eq!(fast, full, "fast path differs on {text:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn plain_json_is_read_exactly_as_the_full_reader_reads_it() {
        for text in [
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#,
            "\n\t{ \"a\" : [ 1 , -2.5e3, 0, -0, 1E+2, 1e-2, 0.125 ] , \"b\":{} ,\"c\":[]}\r\n",
            r#"{"a": 1, "b": 2, "a": 3, "n": {"x": null, "x": false}}"#,
            r#"["esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \u0000 end", "é ü 😀"]"#,
            "\"raw\tcontrol\ncharacters\"",
            r#"{"Ke\u0079": "v", "Key": "w"}"#,
            "123",
            "null",
            "[[[[[[[[[[]]]]]]]]]]",
        ] {
            assert!(check(text), "fast path declined {text:?}");
        }
        let keys: String = (0..40).map(|i| format!("\"k{}\": {i},", i % 30)).collect();
        assert!(check(&format!("{{{}\"end\": 0}}", keys)));
    }

    #[test]
    fn anything_else_goes_to_the_full_reader() {
        for text in [
            "",
            "   ",
            "{\"a\": 1,}",
            "[1, 2,]",
            "{\"a\": 1} // c",
            "/* c */ {}",
            "{a: 1}",
            "{'a': 1}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": .5}",
            "{\"a\": +1}",
            "{\"a\": 1e}",
            "{\"a\": -}",
            "{\"a\": 0x10}",
            "{\"a\": NaN}",
            "{\"a\": Infinity}",
            "{\"a\": tru}",
            "{\"a\": truex}",
            "{\"a\": nul}",
            "{\"a\" 1}",
            "{\"a\": 1 \"b\": 2}",
            "[1 2]",
            "{} {}",
            "{}}",
            "\"\\x41\"",
            "\"\\'\"",
            "\"\\v\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"unterminated",
            "{\"a\": [1, {\"b\": ",
            "\u{a0}{}",
            "{}\u{0b}",
            "{\u{0c}}",
        ] {
            assert!(!check(text), "fast path accepted {text:?}");
        }
        // Deeper than the bound: the fast reader reports it (the full reader would stop at
        // its own, lower bound).
        let n = crate::MAX_DEPTH;
        let deep = "[".repeat(n + 1) + &"]".repeat(n + 1);
        let parse = std::thread::Builder::new()
            .stack_size(crate::STACK_SIZE)
            .spawn(move || super::parse(&deep, 0))
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        let error = parse.error.unwrap();
        assert_eq!(error.kind, crate::SyntaxErrorKind::TooDeep);
        assert_eq!(usize::from(error.range.start()), n);
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(check(&deep));
    }

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, &mut *out);
            } else {
                out.push(path);
            }
        }
    }

    /// Every file of the shared corpus and of the workspace fixtures, when present.
    #[test]
    fn fast_path_agrees_on_every_corpus_and_fixture_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut paths = Vec::new();
        let corpus = root.join("../shared/corpus");
        if corpus.is_dir() {
            files(&corpus, &mut paths);
        } else {
            // Straight to stderr, which the harness does not capture: a plain `cargo test`
            // shows that this test ran on the fixtures only.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr().lock(),
                "skipped: the shared corpus part of fast_path_agrees_on_every_corpus_and_fixture_file: {} not found",
                corpus.display()
            );
        }
        files(&root.join("tests/fixtures"), &mut paths);
        let mut fast = 0;
        for path in &paths {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            if check(text) {
                fast += 1;
            }
        }
        eprintln!("{fast} of {} files read by the fast path", paths.len());
        assert!(paths.is_empty() || fast > 0);
    }
}
