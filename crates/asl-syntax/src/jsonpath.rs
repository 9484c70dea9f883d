//! The JSONPath syntax of Amazon States Language (asl-spec.md §5.1): paths on the state input
//! (`$.a.b[0]`), on the context object (`$$.Execution.Id`) and on variables (`$name.field`),
//! with dot and bracket notation, wildcards, unions, slices, deep scan, filters and functions as
//! Jayway JSONPath has them. The parser records which of those a path uses, so a Reference Path
//! field can refuse them, and reports the first error with its byte range in the string.

use std::ops::Range;

/// What a path starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathRoot {
    /// `$`: the state input (or the effective input of the field).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable.
    Variable(String),
}

/// A parsed path: its root and the first place each non-reference feature appears.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathFeatures {
    /// `*` or `[*]`.
    pub wildcard: Option<Range<usize>>,
    /// `..`.
    pub deep_scan: Option<Range<usize>>,
    /// `[0,1]` or `['a','b']`.
    pub union: Option<Range<usize>>,
    /// `[1:3]`.
    pub slice: Option<Range<usize>>,
    /// `[?(...)]`.
    pub filter: Option<Range<usize>>,
    /// `[(...)]`.
    pub expression: Option<Range<usize>>,
    /// `.length()` and other functions.
    pub function: Option<Range<usize>>,
}

impl PathFeatures {
    /// The first feature a Reference Path may not use (spec §5.1: a Reference Path identifies
    /// exactly one node), with its name.
    pub fn non_reference(&self) -> Option<(&'static str, Range<usize>)> {
        [
            ("a wildcard", &self.wildcard),
            ("a deep scan (`..`)", &self.deep_scan),
            ("a union (`,`)", &self.union),
            ("a slice (`:`)", &self.slice),
            ("a filter (`?(...)`)", &self.filter),
            ("a script expression", &self.expression),
            ("a function", &self.function),
        ]
        .into_iter()
        .filter_map(|(name, r)| r.clone().map(|r| (name, r)))
        .min_by_key(|(_, r)| r.start)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    pub root: PathRoot,
    /// The range of the root (`$`, `$$`, `$name`).
    pub root_range: Range<usize>,
    pub features: PathFeatures,
    /// What follows the root, step by step.
    pub steps: Vec<Step>,
}

/// One step of a path after its root, with its range in the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `.name` or `['name']`: a member, by its name (escapes resolved).
    Field { name: String, range: Range<usize> },
    /// `[0]` or `[-1]`: an element, by its index.
    Index { index: i64, range: Range<usize> },
    /// Anything that selects other than one member or element: a wildcard, a deep scan, a
    /// union, a slice, a filter, a script expression or a function.
    Other { range: Range<usize> },
}

impl Step {
    pub fn range(&self) -> Range<usize> {
        match self {
            Step::Field { range, .. } | Step::Index { range, .. } | Step::Other { range } => {
                range.clone()
            }
        }
    }
}

/// A syntax error: where in the string and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub range: Range<usize>,
    pub message: String,
}

/// True for a character that may start a variable name.
fn ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Characters that end a dot-notation member name.
fn ends_member(c: char) -> bool {
    matches!(
        c,
        '.' | '['
            | ']'
            | '('
            | ')'
            | ','
            | '\''
            | '"'
            | '?'
            | '@'
            | '='
            | '<'
            | '>'
            | '!'
            | '&'
            | '|'
    ) || c.is_whitespace()
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
    features: PathFeatures,
    steps: Vec<Step>,
}

/// An error result: the expression parsers (paths, intrinsic calls, JSONata) share it.
pub(crate) fn err<T>(range: Range<usize>, message: impl Into<String>) -> Result<T, PathError> {
    Err(PathError {
        range,
        message: message.into(),
    })
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

    fn char_range(&self, at: usize) -> Range<usize> {
        let len = self
            .s
            .get(at..)
            .and_then(|r| r.chars().next())
            .map_or(0, char::len_utf8);
        at..at + len
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }

    fn segments(&mut self) -> Result<(), PathError> {
        while let Some(c) = self.peek() {
            let at = self.i;
            match c {
                '.' => {
                    self.bump();
                    let deep = self.peek() == Some('.');
                    if deep {
                        self.bump();
                        self.features.deep_scan.get_or_insert(at..self.i);
                        self.steps.push(Step::Other { range: at..self.i });
                    }
                    // Jayway also takes `$.[0]` and `$.['a']`: a dot before brackets.
                    if self.peek() == Some('[') {
                        continue;
                    }
                    self.member(at)?;
                }
                '[' => self.bracket()?,
                _ => {
                    return err(
                        self.char_range(at),
                        format!("unexpected `{c}`: a path goes on with `.name` or `[...]`"),
                    );
                }
            }
        }
        Ok(())
    }

    fn member(&mut self, dot: usize) -> Result<(), PathError> {
        if self.peek() == Some('*') {
            let at = self.i;
            self.bump();
            self.features.wildcard.get_or_insert(at..self.i);
            self.steps.push(Step::Other { range: dot..self.i });
            return Ok(());
        }
        let start = self.i;
        while self.peek().is_some_and(|c| !ends_member(c)) {
            self.bump();
        }
        let name_end = self.i;
        if self.i == start {
            return match self.peek() {
                None => err(dot..self.i, "the path ends with `.`: name a field after it"),
                Some(c) => err(
                    self.char_range(self.i),
                    format!("`{c}` cannot start a field name; use bracket notation: ['...']"),
                ),
            };
        }
        // A function call such as `length()`.
        if self.peek() == Some('(') {
            let open = self.i;
            self.bump();
            self.skip_spaces();
            if self.peek() != Some(')') {
                return err(
                    open..self.i,
                    "a path function takes no arguments here: write `name()`",
                );
            }
            self.bump();
            self.features.function.get_or_insert(start..self.i);
            self.steps.push(Step::Other { range: dot..self.i });
            if self.peek().is_some() {
                return err(
                    self.char_range(self.i),
                    "a function such as `length()` must end the path",
                );
            }
            return Ok(());
        }
        self.steps.push(Step::Field {
            name: self.s.get(start..name_end).unwrap_or_default().to_owned(),
            range: dot..name_end,
        });
        Ok(())
    }

    fn bracket(&mut self) -> Result<(), PathError> {
        let open = self.i;
        self.bump();
        self.skip_spaces();
        // The one member or element this bracket names, if it names one.
        let mut named: Option<Step> = None;
        match self.peek() {
            Some('*') => {
                self.bump();
                self.features.wildcard.get_or_insert(open..self.i + 1);
            }
            Some('?') => {
                self.bump();
                self.skip_spaces();
                if self.peek() != Some('(') {
                    return err(open..self.i, "a filter is written `[?(...)]`");
                }
                self.balanced()?;
                self.features.filter.get_or_insert(open..self.i + 1);
            }
            Some('(') => {
                self.balanced()?;
                self.features.expression.get_or_insert(open..self.i + 1);
            }
            Some('\'' | '"') => {
                let mut count = 0;
                loop {
                    let name = self.quoted()?;
                    if count == 0 {
                        named = Some(Step::Field {
                            name,
                            range: open..open,
                        });
                    }
                    count += 1;
                    self.skip_spaces();
                    if self.peek() == Some(',') {
                        self.bump();
                        self.skip_spaces();
                        continue;
                    }
                    break;
                }
                if count > 1 {
                    self.features.union.get_or_insert(open..self.i + 1);
                    named = None;
                }
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => {
                named = self.indexes(open)?.map(|index| Step::Index {
                    index,
                    range: open..open,
                });
            }
            Some(']') => {
                return err(
                    open..self.i + 1,
                    "empty brackets: put an index, a 'name' or `*` inside",
                );
            }
            None => return err(open..self.i, "unclosed `[`"),
            Some(c) => {
                return err(
                    self.char_range(self.i),
                    format!(
                        "unexpected `{c}` in brackets: expected an index, a quoted name, `*` or a filter `?(...)`"
                    ),
                );
            }
        }
        self.skip_spaces();
        match self.peek() {
            Some(']') => {
                self.bump();
                let range = open..self.i;
                self.steps.push(match named {
                    Some(Step::Field { name, .. }) => Step::Field { name, range },
                    Some(Step::Index { index, .. }) => Step::Index { index, range },
                    _ => Step::Other { range },
                });
                Ok(())
            }
            None => err(open..self.i, "unclosed `[`: add `]`"),
            Some(c) => err(
                self.char_range(self.i),
                format!("unexpected `{c}`: expected `]`"),
            ),
        }
    }

    /// `0`, `-1`, `0,2`, `1:3`, `::2`; the index when there is exactly one.
    fn indexes(&mut self, open: usize) -> Result<Option<i64>, PathError> {
        let mut commas = 0;
        let mut colons = 0;
        let mut first: Option<i64> = None;
        loop {
            self.skip_spaces();
            let number = self.i;
            if self.peek() == Some('-') {
                self.bump();
            }
            let digits = self.i;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
            }
            let had_digits = self.i > digits;
            if had_digits && commas == 0 && colons == 0 {
                first = self.s.get(number..self.i).and_then(|n| n.parse().ok());
            }
            self.skip_spaces();
            match self.peek() {
                Some(',') => {
                    if !had_digits {
                        return err(self.char_range(self.i), "expected an index before `,`");
                    }
                    commas += 1;
                    self.bump();
                }
                Some(':') => {
                    colons += 1;
                    self.bump();
                }
                _ => {
                    if !had_digits && colons == 0 {
                        return err(
                            self.char_range(self.i),
                            "expected an index (a whole number)",
                        );
                    }
                    break;
                }
            }
        }
        if commas > 0 && colons > 0 {
            return err(open..self.i, "an index list cannot mix `,` and `:`");
        }
        if colons > 2 {
            return err(open..self.i, "a slice has at most `start:end:step`");
        }
        if commas > 0 {
            self.features.union.get_or_insert(open..self.i + 1);
        }
        if colons > 0 {
            self.features.slice.get_or_insert(open..self.i + 1);
        }
        Ok(first.filter(|_| commas == 0 && colons == 0))
    }

    /// A quoted name with `\` escapes; the name, unescaped.
    fn quoted(&mut self) -> Result<String, PathError> {
        let start = self.i;
        let Some(quote) = self.bump() else {
            return err(start..start, "expected a quoted name");
        };
        if quote != '\'' && quote != '"' {
            return err(start..self.i, "expected a quoted name");
        }
        let mut name = String::new();
        loop {
            match self.bump() {
                None => return err(start..self.i, "unclosed quoted name"),
                Some('\\') => {
                    if let Some(c) = self.bump() {
                        name.push(c);
                    }
                }
                Some(c) if c == quote => return Ok(name),
                Some(c) => name.push(c),
            }
        }
    }

    /// `( ... )` with nesting and quoted strings; the cursor is on `(`.
    fn balanced(&mut self) -> Result<(), PathError> {
        let open = self.i;
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        if self.i == open + 1 {
                            return err(open..self.i + 1, "empty expression `()`");
                        }
                        self.bump();
                        return Ok(());
                    }
                }
                '\'' | '"' => {
                    self.quoted()?;
                    continue;
                }
                _ => {}
            }
            self.bump();
        }
        err(open..self.i, "unclosed `(`: add `)`")
    }
}

/// Parses a JSONPath of ASL.
pub fn parse_path(s: &str) -> Result<JsonPath, PathError> {
    let mut p = Parser {
        s,
        i: 0,
        features: PathFeatures::default(),
        steps: Vec::new(),
    };
    if p.peek() != Some('$') {
        let range = if s.is_empty() { 0..0 } else { p.char_range(0) };
        return err(
            range,
            "a path starts with `$` (the input), `$$` (the context object) or `$name` (a variable)",
        );
    }
    p.bump();
    let root = match p.peek() {
        Some('$') => {
            p.bump();
            PathRoot::Context
        }
        Some(c) if ident_start(c) => {
            let start = p.i;
            while p.peek().is_some_and(ident_char) {
                p.bump();
            }
            PathRoot::Variable(s.get(start..p.i).unwrap_or("").to_owned())
        }
        _ => PathRoot::Input,
    };
    let root_range = 0..p.i;
    // Trailing whitespace is ignored (AWS accepts `"$$.Execution.Name "`).
    let mut p = Parser {
        s: s.trim_end(),
        i: p.i,
        features: p.features,
        steps: Vec::new(),
    };
    p.segments()?;
    Ok(JsonPath {
        root,
        root_range,
        features: p.features,
        steps: p.steps,
    })
}

/// True when a string looks like a path (for the checks that flag a path where a literal goes,
/// or a literal where a path goes): `$`, `$.…`, `$[…]`, `$$…` or `$name…`.
pub fn looks_like_path(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('$') else {
        return false;
    };
    match rest.chars().next() {
        None => true,
        Some(c) => c == '.' || c == '[' || c == '$' || ident_start(c),
    }
}

/// The no-panic sweep the expression parsers share: `parse` runs on 20,000 strings made of
/// random `pieces` (up to `max_pieces` each); it must not panic, and every error range must lie
/// inside the string, on character boundaries.
#[cfg(test)]
pub(crate) fn sweep<T>(
    pieces: &[&str],
    max_pieces: u64,
    parse: impl Fn(&str) -> Result<T, PathError>,
) {
    let mut seed = 7u64;
    for _ in 0..20_000 {
        let mut s = String::new();
        for _ in 0..(seed % (max_pieces + 1)) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        if let Err(e) = parse(&s) {
            assert!(
                e.range.start <= e.range.end && e.range.end <= s.len(),
                "{s:?}: {e:?}"
            );
            assert!(
                s.is_char_boundary(e.range.start) && s.is_char_boundary(e.range.end),
                "{s:?}: {e:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> JsonPath {
        parse_path(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    /// Each step as `name`, `[index]` or `~text` (not one member or element), with the text
    /// of its range.
    fn steps(s: &str) -> Vec<String> {
        ok(s)
            .steps
            .iter()
            .map(|step| {
                let text = &s[step.range()];
                match step {
                    Step::Field { name, .. } => format!("{name}@{text}"),
                    Step::Index { index, .. } => format!("[{index}]@{text}"),
                    Step::Other { .. } => format!("~{text}"),
                }
            })
            .collect()
    }

    #[test]
    fn steps_name_each_member_and_element() {
        assert_eq!(steps("$"), Vec::<String>::new());
        assert_eq!(steps("$.a.b"), ["a@.a", "b@.b"]);
        assert_eq!(
            steps("$['a b'][0].c[-1]"),
            ["a b@['a b']", "[0]@[0]", "c@.c", "[-1]@[-1]"]
        );
        assert_eq!(steps("$.['x\\'y']"), ["x'y@['x\\'y']"]);
        assert_eq!(steps("$var.f"), ["f@.f"]);
        assert_eq!(steps("$$.Execution.Id"), ["Execution@.Execution", "Id@.Id"]);
        assert_eq!(
            steps("$.a[*].b..c[0,1][1:2]['x','y'][?(@.z)].length()"),
            [
                "a@.a",
                "~[*]",
                "b@.b",
                "~..",
                "c@..c",
                "~[0,1]",
                "~[1:2]",
                "~['x','y']",
                "~[?(@.z)]",
                "~.length()"
            ]
        );
        assert_eq!(steps("$.*"), ["~.*"]);
    }

    fn bad(s: &str) -> (String, String) {
        let e = parse_path(s).expect_err(s);
        (s.get(e.range.clone()).unwrap_or("?").to_owned(), e.message)
    }

    #[test]
    fn accepts_asl_paths() {
        for s in [
            "$",
            "$.a",
            "$.a.b[0]",
            "$['a b']['c']",
            "$.a[-1]",
            "$$.Execution.Id",
            "$$",
            "$$.Map.Item.Value",
            "$.detail.result-code",
            "$.a[*].b",
            "$..id",
            "$.a[0,1]",
            "$.a[1:3]",
            "$.a[?(@.price < 10)]",
            "$.a[?(@.name == 'x)')].b",
            "$.a.length()",
            "$.[0]",
            "$$.Execution.Name ",
            "$.[?(@.year < 1999)].name",
            "$.ünïcode",
        ] {
            ok(s);
        }
        assert_eq!(ok("$myVar.field").root, PathRoot::Variable("myVar".into()));
        assert_eq!(ok("$$.Task.Token").root, PathRoot::Context);
        assert_eq!(ok("$.a.b").features, PathFeatures::default());
        let f = ok("$.a[*]").features;
        assert_eq!(f.non_reference().map(|(n, _)| n), Some("a wildcard"));
        assert!(ok("$.a[?(@.x)]").features.filter.is_some());
        assert!(ok("$..a").features.deep_scan.is_some());
        assert!(ok("$.a['x','y']").features.union.is_some());
    }

    #[test]
    fn rejects_with_a_position() {
        assert_eq!(bad("a.b").0, "a");
        assert_eq!(
            bad("").1,
            "a path starts with `$` (the input), `$$` (the context object) or `$name` (a variable)"
        );
        assert_eq!(bad("$.a.").0, ".");
        assert_eq!(bad("$.a[0").0, "[0");
        assert_eq!(bad("$.a[]").0, "[]");
        assert_eq!(bad("$.a b").0, " ");
        assert_eq!(bad("$.a[?(@.x > 1]").0, "(@.x > 1]");
        assert_eq!(bad("$.a['x]").0, "'x]");
        assert_eq!(bad("$.a[0:1,2]").0, "[0:1,2");
        assert_eq!(bad("$.length().a").0, ".");
        assert_eq!(bad("$.a[x]").0, "x");
    }

    #[test]
    fn recognises_path_looking_strings() {
        assert!(
            looks_like_path("$.a") && looks_like_path("$$.Execution") && looks_like_path("$var")
        );
        assert!(looks_like_path("$"));
        assert!(
            !looks_like_path("$5 off") && !looks_like_path("price $") && !looks_like_path("$ 1")
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let pieces = [
            "$", "$$", ".", "..", "[", "]", "'", "\"", "(", ")", "?", "@", ",", ":", "*", "a", "0",
            "-", "\\", " ", "é", "length()",
        ];
        crate::jsonpath::sweep(&pieces, 8, parse_path);
    }
}
