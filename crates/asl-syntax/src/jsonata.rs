//! A validating parser for JSONata expressions (the `{% ... %}` strings of JSONata states,
//! asl-spec.md §6): literals, paths, predicates, wildcards, operators, conditionals, `:=`
//! bindings, blocks, array and object constructors, function definitions (with signatures),
//! calls, partial application, `~>` chains, order-by, focus and index binding, transforms and
//! regex literals. It builds no tree: it checks the grammar, reports the first error with its
//! byte range, and lists the variables the expression reads (for the `$states` and variable
//! rules) and the places where it reads the input implicitly (which Step Functions forbids).

use std::ops::Range;

use crate::jsonpath::{PathError, err};

/// What a well-formed expression reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expression {
    /// `$name` references (without `$`), with their ranges (`$` included). `$states` is listed
    /// as `states`; `$` alone and `$$` are in `context_refs`.
    pub variables: Vec<(String, Range<usize>)>,
    /// `$states.<member>` accesses: member name and the range of `$states.member`.
    pub states_members: Vec<(String, Range<usize>)>,
    /// `$` or `$$` outside a predicate: the input or the root, which Step Functions forbids.
    pub context_refs: Vec<Range<usize>>,
    /// A path that starts with a field name outside a predicate (an implicit read of the input).
    pub bare_paths: Vec<Range<usize>>,
    /// Variables bound inside the expression (`:=`, function parameters, `@$x`, `#$i`).
    pub locals: Vec<String>,
    /// Functions called by name (`$sum(...)`, `$uuid()`): not variable reads.
    pub functions: Vec<(String, Range<usize>)>,
    /// Variables tested with `$exists(...)`: the author expects they may have no value.
    pub guarded: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num,
    Str,
    Name(String),
    Var(String),
    Regex,
    Op(&'static str),
    End,
}

const OPS: &[&str] = &[
    "..", ":=", "!=", "<=", ">=", "~>", "**", "?:", "??", ".", "[", "]", "{", "}", "(", ")", ",",
    "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "&",
];

struct Lexer<'a> {
    s: &'a str,
    i: usize,
}

fn name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Lexer<'_> {
    fn peek_char(&self) -> Option<char> {
        self.s.get(self.i..).and_then(|r| r.chars().next())
    }

    fn skip_trivia(&mut self) -> Result<(), PathError> {
        loop {
            while self.peek_char().is_some_and(char::is_whitespace) {
                self.i += self.peek_char().map_or(1, char::len_utf8);
            }
            if self.s.get(self.i..).is_some_and(|r| r.starts_with("/*")) {
                let start = self.i;
                match self.s.get(self.i + 2..).and_then(|r| r.find("*/")) {
                    Some(end) => self.i += 2 + end + 2,
                    None => return err(start..self.s.len(), "unclosed comment: add `*/`"),
                }
                continue;
            }
            return Ok(());
        }
    }

    /// The next token; `regex_ok` when an operand is expected (so `/` starts a regex).
    fn next(&mut self, regex_ok: bool) -> Result<(Tok, Range<usize>), PathError> {
        self.skip_trivia()?;
        let start = self.i;
        let Some(c) = self.peek_char() else {
            return Ok((Tok::End, start..start));
        };
        let rest = self.s.get(self.i..).unwrap_or("");
        if c == '"' || c == '\'' {
            let mut chars = rest.char_indices().skip(1);
            while let Some((j, d)) = chars.next() {
                if d == '\\' {
                    chars.next();
                } else if d == c {
                    self.i += j + 1;
                    return Ok((Tok::Str, start..self.i));
                }
            }
            return err(start..self.s.len(), format!("unclosed string: add `{c}`"));
        }
        if c == '`' {
            return match rest.get(1..).and_then(|r| r.find('`')) {
                Some(end) => {
                    self.i += end + 2;
                    let name = rest.get(1..end + 1).unwrap_or("").to_owned();
                    Ok((Tok::Name(name), start..self.i))
                }
                None => err(start..self.s.len(), "unclosed `` ` ``-quoted name"),
            };
        }
        if c.is_ascii_digit() {
            let len = rest
                .char_indices()
                .find(|&(j, d)| {
                    !(d.is_ascii_digit()
                        || (d == '.'
                            && rest
                                .get(j + 1..)
                                .is_some_and(|r| r.starts_with(|x: char| x.is_ascii_digit())))
                        || ((d == 'e' || d == 'E') && j > 0)
                        || ((d == '-' || d == '+')
                            && rest.get(..j).is_some_and(|p| p.ends_with(['e', 'E']))))
                })
                .map_or(rest.len(), |(j, _)| j);
            self.i += len;
            return Ok((Tok::Num, start..self.i));
        }
        if c == '$' {
            let len = rest
                .char_indices()
                .skip(1)
                .find(|&(_, d)| !(name_char(d) || d == '$'))
                .map_or(rest.len(), |(j, _)| j);
            self.i += len;
            let name = rest.get(1..len).unwrap_or("").to_owned();
            return Ok((Tok::Var(name), start..self.i));
        }
        if regex_ok && c == '/' {
            let mut escaped = false;
            for (j, d) in rest.char_indices().skip(1) {
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == '/' {
                    if j == 1 {
                        return err(start..start + 2, "empty regular expression");
                    }
                    self.i += j + 1;
                    while self.peek_char().is_some_and(|f| f == 'i' || f == 'm') {
                        self.i += 1;
                    }
                    return Ok((Tok::Regex, start..self.i));
                }
            }
            return err(start..self.s.len(), "unclosed regular expression: add `/`");
        }
        if name_start(c) || c == 'λ' {
            let len = rest
                .char_indices()
                .find(|&(_, d)| !name_char(d))
                .map_or(rest.len(), |(j, _)| j);
            self.i += len.max(c.len_utf8());
            return Ok((
                Tok::Name(rest.get(..len.max(c.len_utf8())).unwrap_or("").to_owned()),
                start..self.i,
            ));
        }
        for op in OPS {
            if rest.starts_with(op) {
                self.i += op.len();
                return Ok((Tok::Op(op), start..self.i));
            }
        }
        err(start..start + c.len_utf8(), format!("unexpected `{c}`"))
    }
}

struct Parser<'a> {
    lex: Lexer<'a>,
    tok: Tok,
    range: Range<usize>,
    out: Expression,
    /// How many predicates (`[...]`) and function bodies enclose the cursor.
    shelter: usize,
    depth: usize,
}

/// Binding power of an infix operator.
fn infix_bp(tok: &Tok) -> Option<u8> {
    Some(match tok {
        Tok::Op(".") => 75,
        Tok::Op("[" | "(" | "@" | "#" | "^") => 80,
        Tok::Op("{") => 70,
        Tok::Op("*" | "/" | "%") => 60,
        Tok::Op("+" | "-" | "&") => 50,
        Tok::Op("=" | "!=" | "<" | "<=" | ">" | ">=" | "~>") => 40,
        Tok::Name(n) if n == "in" => 40,
        Tok::Name(n) if n == "and" => 30,
        Tok::Name(n) if n == "or" => 25,
        Tok::Op("?" | "?:" | "??") => 20,
        Tok::Op(":=") => 10,
        _ => return None,
    })
}

impl Parser<'_> {
    fn advance(&mut self, regex_ok: bool) -> Result<(), PathError> {
        let (tok, range) = self.lex.next(regex_ok)?;
        self.tok = tok;
        self.range = range;
        Ok(())
    }

    fn expect(&mut self, op: &'static str, what: &str) -> Result<(), PathError> {
        if self.tok == Tok::Op(op) {
            self.advance(false)
        } else {
            self.unexpected(&format!("expected `{op}` {what}"))
        }
    }

    fn unexpected<T>(&self, message: &str) -> Result<T, PathError> {
        let found = match &self.tok {
            Tok::End => "the end of the expression".to_owned(),
            _ => format!("`{}`", self.lex.s.get(self.range.clone()).unwrap_or("?")),
        };
        let range = if self.range.is_empty() {
            self.lex.s.len().saturating_sub(1)..self.lex.s.len()
        } else {
            self.range.clone()
        };
        err(range, format!("{message}, found {found}"))
    }

    fn expr(&mut self, min_bp: u8) -> Result<(), PathError> {
        self.depth += 1;
        if self.depth > 200 {
            return err(self.range.clone(), "the expression nests too deeply");
        }
        let starts_path = self.prefix()?;
        let mut first_step = starts_path;
        let mut seen_infix = false;
        let mut in_path = false;
        while let Some(bp) = infix_bp(&self.tok) {
            if bp < min_bp || (bp == min_bp && self.tok != Tok::Op(":=")) {
                break;
            }
            let op = self.tok.clone();
            let op_range = self.range.clone();
            match op {
                Tok::Op(".") => {
                    self.advance(true)?;
                    self.step()?;
                    in_path = true;
                }
                Tok::Op("[") => {
                    self.advance(true)?;
                    if self.tok != Tok::Op("]") {
                        self.shelter += 1;
                        self.expr(0)?;
                        self.shelter -= 1;
                    }
                    self.expect("]", "to close the predicate")?;
                }
                Tok::Op("{") => {
                    self.advance(true)?;
                    self.shelter += 1;
                    self.object_body()?;
                    self.shelter -= 1;
                }
                Tok::Op("(") => {
                    // `$exists(...)` right before: the variables of its arguments are guarded.
                    let exists = self
                        .out
                        .functions
                        .last()
                        .is_some_and(|(name, r)| name == "exists" && r.end == op_range.start);
                    let first_var = self.out.variables.len();
                    self.advance(true)?;
                    // The arguments of a call inside a path see each item as their context.
                    let sheltered = usize::from(in_path);
                    self.shelter += sheltered;
                    self.args()?;
                    self.shelter -= sheltered;
                    if exists {
                        let names = self.out.variables.get(first_var..).unwrap_or(&[]);
                        let names: Vec<String> = names.iter().map(|(n, _)| n.clone()).collect();
                        self.out.guarded.extend(names);
                    }
                }
                Tok::Op("@" | "#") => {
                    self.advance(false)?;
                    match &self.tok {
                        Tok::Var(name) => {
                            self.out.locals.push(name.clone());
                            self.advance(false)?;
                        }
                        _ => return self.unexpected("expected a variable such as `$x` to bind"),
                    }
                }
                Tok::Op("^") => {
                    self.advance(false)?;
                    self.expect("(", "after `^` (order-by)")?;
                    loop {
                        if matches!(self.tok, Tok::Op("<" | ">")) {
                            self.advance(true)?;
                        }
                        self.shelter += 1;
                        self.expr(0)?;
                        self.shelter -= 1;
                        if self.tok == Tok::Op(",") {
                            self.advance(true)?;
                            continue;
                        }
                        break;
                    }
                    self.expect(")", "to close the order-by")?;
                }
                Tok::Op("?") => {
                    self.advance(true)?;
                    self.expr(0)?;
                    if self.tok == Tok::Op(":") {
                        self.advance(true)?;
                        self.expr(bp)?;
                    }
                }
                Tok::Op(":=") => {
                    // `$x := ...` binds a local: the left side is not a read.
                    if let Some(pos) = self
                        .out
                        .variables
                        .iter()
                        .rposition(|(_, r)| r.end <= op_range.start)
                    {
                        let (name, _) = self.out.variables.remove(pos);
                        self.out.locals.push(name);
                    }
                    self.advance(true)?;
                    self.expr(bp)?;
                }
                _ => {
                    self.advance(true)?;
                    if self.tok == Tok::End {
                        return err(op_range, "this operator has nothing on its right");
                    }
                    self.expr(bp + 1)?;
                }
            }
            // A bare name called at once (`name(...)`) is a function-valued field, not a read.
            if op == Tok::Op("(") && !seen_infix {
                first_step = None;
            }
            seen_infix = true;
        }
        if let Some(range) = first_step
            && self.shelter == 0
        {
            self.out.bare_paths.push(range);
        }
        self.depth -= 1;
        Ok(())
    }

    /// True when the next character after the current token is `(` (so `function` starts a
    /// function definition rather than naming a field).
    fn paren_follows(&self) -> bool {
        self.lex
            .s
            .get(self.range.end..)
            .is_some_and(|r| r.trim_start().starts_with('('))
    }

    /// A path step after `.`.
    fn step(&mut self) -> Result<(), PathError> {
        match self.tok.clone() {
            Tok::Name(n) if (n == "function" || n == "λ") && self.paren_follows() => {
                self.prefix()?;
                Ok(())
            }
            Tok::Name(_) | Tok::Str | Tok::Op("*" | "**" | "%") => self.advance(false),
            // `items.(price * quantity)`: evaluated once per item, so names inside are fields of
            // the item, not implicit reads of the input.
            Tok::Var(_) | Tok::Op("(" | "[" | "{") | Tok::Num => {
                self.shelter += 1;
                let r = self.prefix();
                self.shelter -= 1;
                r.map(|_| ())
            }
            _ => self.unexpected("expected a field name after `.`"),
        }
    }

    /// An operand. Returns the range of a bare field name that starts a path.
    fn prefix(&mut self) -> Result<Option<Range<usize>>, PathError> {
        let range = self.range.clone();
        match self.tok.clone() {
            Tok::Num | Tok::Str | Tok::Regex => self.advance(false)?,
            Tok::Var(name) => {
                self.advance(false)?;
                match name.as_str() {
                    "" | "$" => {
                        if self.shelter == 0 {
                            self.out.context_refs.push(range);
                        }
                    }
                    "states" => {
                        self.out
                            .variables
                            .push(("states".to_owned(), range.clone()));
                        if self.tok == Tok::Op(".") {
                            // Peek the member without consuming the path.
                            let save = (self.lex.i, self.tok.clone(), self.range.clone());
                            self.advance(false)?;
                            if let Tok::Name(member) = &self.tok {
                                self.out
                                    .states_members
                                    .push((member.clone(), range.start..self.range.end));
                            }
                            self.lex.i = save.0;
                            self.tok = save.1;
                            self.range = save.2;
                        }
                    }
                    _ if self.tok == Tok::Op("(") => self.out.functions.push((name.clone(), range)),
                    _ => self.out.variables.push((name.clone(), range)),
                }
            }
            Tok::Name(n) => match n.as_str() {
                "true" | "false" | "null" => self.advance(false)?,
                "function" | "λ" if self.paren_follows() => self.function()?,
                "and" | "or" | "in" => {
                    // Field names that happen to be operators, used as steps.
                    self.advance(false)?;
                    return Ok(Some(range));
                }
                _ => {
                    self.advance(false)?;
                    return Ok(Some(range));
                }
            },
            Tok::Op("-") => {
                self.advance(true)?;
                self.expr(70)?;
            }
            Tok::Op("*" | "**") => {
                self.advance(false)?;
                return Ok(Some(range));
            }
            Tok::Op("%") => self.advance(false)?,
            Tok::Op("(") => {
                self.advance(true)?;
                while self.tok != Tok::Op(")") {
                    self.expr(0)?;
                    if self.tok == Tok::Op(";") {
                        self.advance(true)?;
                        continue;
                    }
                    break;
                }
                self.expect(")", "to close the block")?;
            }
            Tok::Op("[") => {
                self.advance(true)?;
                while self.tok != Tok::Op("]") {
                    self.expr(0)?;
                    if self.tok == Tok::Op("..") {
                        self.advance(true)?;
                        self.expr(0)?;
                    }
                    if self.tok == Tok::Op(",") {
                        self.advance(true)?;
                        continue;
                    }
                    break;
                }
                self.expect("]", "to close the array")?;
            }
            Tok::Op("{") => {
                self.advance(true)?;
                self.object_body()?;
            }
            Tok::Op("|") => {
                // Transform: | location | update [, delete] |
                self.advance(true)?;
                self.shelter += 1;
                self.expr(0)?;
                self.expect("|", "after the transform's location")?;
                self.expr(0)?;
                if self.tok == Tok::Op(",") {
                    self.advance(true)?;
                    self.expr(0)?;
                }
                self.shelter -= 1;
                self.expect("|", "to close the transform")?;
            }
            Tok::Op("?") => {
                // A placeholder argument in partial application: f(?, 2).
                self.advance(false)?;
            }
            Tok::End => return self.unexpected("expected an expression"),
            _ => return self.unexpected("expected an expression"),
        }
        Ok(None)
    }

    fn object_body(&mut self) -> Result<(), PathError> {
        while self.tok != Tok::Op("}") {
            self.shelter += 1;
            self.expr(0)?;
            self.expect(":", "between a key and its value")?;
            self.expr(0)?;
            self.shelter -= 1;
            if self.tok == Tok::Op(",") {
                self.advance(true)?;
                continue;
            }
            break;
        }
        self.expect("}", "to close the object")
    }

    fn args(&mut self) -> Result<(), PathError> {
        while self.tok != Tok::Op(")") {
            self.expr(0)?;
            if self.tok == Tok::Op(",") {
                self.advance(true)?;
                continue;
            }
            break;
        }
        self.expect(")", "to close the arguments")
    }

    fn function(&mut self) -> Result<(), PathError> {
        self.advance(false)?;
        self.expect("(", "after `function`")?;
        while self.tok != Tok::Op(")") {
            match &self.tok {
                Tok::Var(name) => {
                    self.out.locals.push(name.clone());
                    self.advance(false)?;
                }
                _ => return self.unexpected("expected a parameter such as `$x`"),
            }
            if self.tok == Tok::Op(",") {
                self.advance(false)?;
                continue;
            }
            break;
        }
        self.expect(")", "to close the parameters")?;
        if self.tok == Tok::Op("<") {
            // A signature such as <n-n:n>: skip to the matching `>`.
            let start = self.range.start;
            let rest = self.lex.s.get(start..).unwrap_or("");
            let mut depth = 0i32;
            let mut end = None;
            for (j, c) in rest.char_indices() {
                match c {
                    '<' => depth += 1,
                    '>' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(start + j + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            match end {
                Some(e) => {
                    self.lex.i = e;
                    self.advance(false)?;
                }
                None => {
                    return err(
                        start..self.lex.s.len(),
                        "unclosed function signature: add `>`",
                    );
                }
            }
        }
        self.expect("{", "to open the function body")?;
        self.shelter += 1;
        self.expr(0)?;
        self.shelter -= 1;
        self.expect("}", "to close the function body")
    }
}

/// Parses a JSONata expression (the text between `{%` and `%}`).
pub fn parse_jsonata(s: &str) -> Result<Expression, PathError> {
    let mut p = Parser {
        lex: Lexer { s, i: 0 },
        tok: Tok::End,
        range: 0..0,
        out: Expression::default(),
        shelter: 0,
        depth: 0,
    };
    p.advance(true)?;
    if p.tok == Tok::End {
        return err(0..s.len(), "the expression is empty");
    }
    p.expr(0)?;
    if p.tok != Tok::End {
        return p.unexpected("expected an operator or the end of the expression");
    }
    Ok(p.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Expression {
        parse_jsonata(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn bad(s: &str) -> String {
        let e = parse_jsonata(s).expect_err(s);
        s.get(e.range.clone()).unwrap_or("?").to_owned()
    }

    #[test]
    fn accepts_jsonata() {
        for s in [
            "$states.input.order.total * 1.2",
            "$sum($states.input.items.(price * quantity))",
            "$states.input.items[price > 10 and category = 'books'].name",
            "$count($states.input.items) > 0 ? 'some' : 'none'",
            "($total := $states.input.a + $states.input.b; $total * 2)",
            "function($x, $y) { $x + $y }($states.input.a, 2)",
            "λ($x)<n:n>{ $x * 2 }",
            "$states.input.name ~> $uppercase()",
            "$map($states.input.xs, function($v, $i) { $v * $i })",
            "{ 'id': $states.input.id, 'tags': [1, 2, 3], 'range': [1..5] }",
            "$states.input.items^(>price, name)",
            "$states.input.items#$i[$i < 3]",
            "$states.input.a.b@$b.c",
            "$contains($states.input.email, /^[a-z]+@example\\.com$/i)",
            "$states.input ~> |items|{'seen': true}|",
            "$states.context.Execution.Id",
            "-$states.input.x",
            "$states.input.`weird name`",
            "$partition($states.input.items, 10)",
            "/* comment */ $now()",
            "$states.input.a ?: 'default'",
            "$states.input.a ?? 'default'",
            "$x.**.y",
            "$states.input.items.%.id",
            "$f := $substring(?, 0, 3)",
            "1e3 + 2.5E-2",
            "$states.input.list[]",
            "$states.input.function.input",
        ] {
            ok(s);
        }
        let e = ok("$states.result.Payload + $total");
        assert_eq!(e.states_members, vec![("result".to_owned(), 0..14)]);
        assert!(e.variables.iter().any(|(n, _)| n == "total"));
        assert!(e.bare_paths.is_empty() && e.context_refs.is_empty());
        let e = ok("order.total + 1");
        assert_eq!(e.bare_paths, vec![0..5]);
        assert!(
            ok("$sum($states.input.items.(price * quantity))")
                .bare_paths
                .is_empty()
        );
        assert!(ok("$states.input.items.$sum(price)").bare_paths.is_empty());
        assert!(
            ok("$states.input.items{category: $sum(price)}")
                .bare_paths
                .is_empty()
        );
        let e = ok("$states.input.items[total > 3]");
        assert!(e.bare_paths.is_empty(), "names inside predicates are fine");
        assert_eq!(ok("$.a").context_refs, vec![0..1]);
        assert_eq!(ok("$$.a").context_refs, vec![0..2]);
        assert_eq!(ok("$uppercase('x')").bare_paths, vec![]);
        let e = ok("($e := $states.input.email; $e & $n)");
        assert_eq!(e.locals, ["e"]);
        assert_eq!(ok("$exists($note) ? $note : 0").guarded, ["note"]);
        assert!(ok("$count($note)").guarded.is_empty());
        let e = ok("$sum($xs) + $n");
        assert_eq!(
            e.functions.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            ["sum"]
        );
        assert_eq!(
            e.variables.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            ["xs", "n"]
        );
    }

    #[test]
    fn rejects_with_positions() {
        assert_eq!(bad("$states.input.a +"), "+");
        assert_eq!(bad("($x := 1"), "1");
        assert_eq!(bad("$a[0"), "0");
        assert_eq!(bad("'unclosed"), "'unclosed");
        assert_eq!(bad("$f(1,"), ",");
        assert_eq!(bad("{'a' 1}"), "1");
        assert_eq!(bad("1 2"), "2");
        assert_eq!(bad(""), "");
        assert_eq!(bad("$a ~ $b"), "~");
        assert_eq!(bad("function($x) $x"), "$x");
    }

    #[test]
    fn never_panics() {
        let pieces = [
            "$states", ".", "input", "[", "]", "(", ")", "{", "}", "'", "\"", ",", ":", ":=", "?",
            "+", "-", "/", "*", "%", "|", "^", "#", "@", "$x", "function", "<", ">", "1", "and",
            " ", "é", "`", "/*", "..", "~>",
        ];
        crate::jsonpath::sweep(&pieces, 11, parse_jsonata);
    }
}
