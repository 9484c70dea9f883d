//! The outline of a state machine (document symbols) and its folding ranges.

use asl_syntax::ast::{ScopeId, ScopeKind, StateKind};
use asl_syntax::{TextRange, TextSize};

use super::Db;
use crate::nodes::brace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    State(StateKind),
    /// One element of a Parallel state's `Branches`.
    Branch,
    /// A Map state's `ItemProcessor` (or `Iterator`).
    Processor,
    /// A state machine of a host document (a template's resource, a Serverless entry).
    Machine,
}

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// The state's type and, for a Task, its resource; "start" marks the `StartAt` state.
    pub detail: String,
    pub kind: SymbolKind,
    /// The whole entry.
    pub range: TextRange,
    /// The part to select when the entry is picked (the state's name).
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

pub(crate) fn symbols(db: &Db<'_>) -> Vec<Symbol> {
    scope_symbols(db, 0, 0)
}

fn scope_symbols(db: &Db<'_>, scope: ScopeId, depth: usize) -> Vec<Symbol> {
    // Nesting is bounded by the document's own depth; this guards against a malformed model.
    if depth > 256 {
        return Vec::new();
    }
    let start = db.graph.start(scope);
    db.machine
        .states_of(scope)
        .map(|state| {
            let mut detail = match state.kind {
                StateKind::Unknown | StateKind::Missing => "state".to_owned(),
                kind => kind.as_str().to_owned(),
            };
            if let Some(resource) = state.resource() {
                detail.push_str(" · ");
                detail.push_str(short_resource(resource));
            }
            if start == Some(state.id) {
                detail.push_str(" · start");
            }
            let children = state
                .children
                .iter()
                .filter_map(|&child| {
                    let s = db.machine.scope(child)?;
                    let (name, kind) = match s.kind {
                        ScopeKind::Branch { index, .. } => {
                            (format!("Branch {index}"), SymbolKind::Branch)
                        }
                        ScopeKind::Processor { deprecated, .. } => (
                            if deprecated {
                                "Iterator"
                            } else {
                                "ItemProcessor"
                            }
                            .to_owned(),
                            SymbolKind::Processor,
                        ),
                        ScopeKind::Root => return None,
                    };
                    let count = s.states.len();
                    Some(Symbol {
                        name,
                        detail: format!("{count} state{}", if count == 1 { "" } else { "s" }),
                        kind,
                        range: s.node.range,
                        selection: brace(db.text, s.node),
                        children: scope_symbols(db, child, depth + 1),
                    })
                })
                .collect();
            Symbol {
                name: state.name.to_owned(),
                detail,
                kind: SymbolKind::State(state.kind),
                range: state.prop.range(),
                selection: state.prop.key_range,
                children,
            }
        })
        .collect()
}

/// `lambda:invoke` for `arn:aws:states:::lambda:invoke`; the function name for a Lambda ARN.
fn short_resource(resource: &str) -> &str {
    if let Some(rest) = resource.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        if let [_, "states", "", "", tail] = parts.as_slice() {
            return tail;
        }
        if let Some(last) = parts.last() {
            if let Some(name) = last.strip_prefix("function:") {
                return name;
            }
            return last;
        }
    }
    resource
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// An object or array.
    Region,
    /// A block comment.
    Comment,
}

/// A foldable region: from its opening bracket (or `/*`) to its closing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// Folds every multi-line object, array and block comment. Reads brackets from the raw text so
/// folding keeps working while the document is broken; strings and comments are skipped.
pub(crate) fn folding_ranges(text: &str) -> Vec<Fold> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    let at = |n: usize| TextSize::from(u32::try_from(n).unwrap_or(u32::MAX));
    // Where the line breaks are, so "does this range span lines" is a binary search, not a
    // scan of the range per bracket (quadratic on deep nesting).
    let breaks: Vec<usize> = memchr::memchr2_iter(b'\n', b'\r', bytes).collect();
    let multiline = |a: usize, b: usize| {
        let first = breaks.partition_point(|&p| p < a);
        breaks.get(first).is_some_and(|&p| p < b)
    };
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' | b'\'' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if c == b || c == b'\n' {
                        break;
                    }
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i < bytes.len() && bytes.get(i..i + 2) != Some(b"*/") {
                    i += 1;
                }
                let end = (i + 2).min(bytes.len());
                if multiline(start, end) {
                    out.push(Fold {
                        range: TextRange::new(at(start), at(end)),
                        kind: FoldKind::Comment,
                    });
                }
                i = end;
                continue;
            }
            b'{' | b'[' => open.push(i),
            b'}' | b']' => {
                if let Some(start) = open.pop()
                    && multiline(start, i)
                {
                    out.push(Fold {
                        range: TextRange::new(at(start), at(i + 1)),
                        kind: FoldKind::Region,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.sort_by_key(|f| (f.range.start(), std::cmp::Reverse(f.range.end())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_util::{analysis, slice};

    #[test]
    fn outline_nests_branches_and_processors() {
        let (a, _) = analysis(
            r#"{"StartAt": "P$0", "States": {
  "P": {"Type": "Parallel", "Next": "M", "Branches": [
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
  "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}
}}"#,
        );
        let symbols = a.symbols();
        let outline: Vec<String> = flatten(&symbols, 0);
        assert_eq!(
            outline,
            [
                "P (Parallel · start)",
                "  Branch 0 (1 state)",
                "    B (Pass · start)",
                "M (Map)",
                "  ItemProcessor (1 state)",
                "    T (Task · lambda:invoke · start)",
            ]
        );
        assert_eq!(slice(&a, symbols[0].selection), "\"P\"");
        for s in &symbols {
            assert!(s.range.contains_range(s.selection));
        }
    }

    fn flatten(symbols: &[Symbol], depth: usize) -> Vec<String> {
        let mut out = Vec::new();
        for s in symbols {
            out.push(format!("{}{} ({})", "  ".repeat(depth), s.name, s.detail));
            out.extend(flatten(&s.children, depth + 1));
        }
        out
    }

    #[test]
    fn folds_multiline_containers_and_comments_even_when_broken() {
        let text = "{\n  \"a\": [1,\n 2],\n  \"b\": {\"c\": \"{\"}\n  /* x\n y */\n  \"d\": {\n";
        let folds = folding_ranges(text);
        let kinds: Vec<_> = folds
            .iter()
            .map(|f| (&text[f.range][..1], f.kind))
            .collect();
        assert_eq!(kinds, [("[", FoldKind::Region), ("/", FoldKind::Comment)]);
        assert_eq!(
            short_resource("arn:aws:lambda:us-east-1:123456789012:function:Fn"),
            "Fn"
        );
    }
}
