//! Editor features in editor terms: byte offsets in, byte ranges, edits and markdown out. The
//! language server (`asl-lsp`) is a thin adapter over this module; nothing here knows LSP.
//!
//! An [`Analysis`] owns one version of a document: its text, parse, typed machine, state graph
//! and diagnostics, built once. Every query (hover, definition, references, rename, symbols,
//! folding, completion, code actions, inlay hints) reads it without re-analysing.

mod actions;
mod complete;
mod cursor;
mod expr;
mod host;
mod hover;
mod inlay;
mod navigate;
mod shift;
mod symbols;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use asl_syntax::ast::Machine;
use asl_syntax::{Dialect, Node, Parse, TextRange, TextSize};
use self_cell::self_cell;

use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::{Options, analyze_model, internal_error, panic_message};

pub use crate::diagnostic::{Applicability, Edit};
pub use actions::{Action, ActionKind};
pub use complete::{Completion, CompletionKind};
pub use host::{HostAnalysis, HostMachine};
pub use hover::Hover;
pub use inlay::InlayHint;
pub use navigate::{Highlight, HighlightKind, NavTarget};
pub use shift::TextShift;
pub use symbols::{Fold, FoldKind, Symbol, SymbolKind};

struct Source {
    text: Arc<str>,
    dialect: Dialect,
    parse: Parse,
}

struct Model<'a> {
    machine: Machine<'a>,
    graph: Graph<'a>,
    /// Shared with the rules of the same analysis, and kept for the variable queries.
    variables: Arc<crate::variables::Variables<'a>>,
}

type MaybeModel<'a> = Option<Model<'a>>;

self_cell! {
    struct Cell {
        owner: Source,
        #[covariant]
        dependent: MaybeModel,
    }
}

/// One analysed version of a document.
pub struct Analysis {
    cell: Cell,
    diagnostics: Vec<Diagnostic>,
    /// The cost estimate, computed on the first request that needs it (the inlay hints).
    estimate: std::sync::OnceLock<crate::cost::Estimate>,
    /// The payload shapes, computed on the first request that needs them (a state's hover).
    shapes: std::sync::OnceLock<crate::shapes::flow::Shapes>,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("len", &self.text().len())
            .field("diagnostics", &self.diagnostics.len())
            .finish()
    }
}

/// What a query sees: the text, the tree and the model of a well-formed document.
pub(crate) struct Db<'a> {
    pub text: &'a str,
    /// How the text is written: a rename writes a YAML name in YAML's way.
    pub dialect: Dialect,
    pub root: &'a Node,
    pub machine: &'a Machine<'a>,
    pub graph: &'a Graph<'a>,
    pub variables: &'a crate::variables::Variables<'a>,
    pub diagnostics: &'a [Diagnostic],
    /// The analysis' cost estimate, computed once: [`Db::estimate`].
    estimate: &'a std::sync::OnceLock<crate::cost::Estimate>,
    shapes: &'a std::sync::OnceLock<crate::shapes::flow::Shapes>,
}

impl Db<'_> {
    /// The cost estimate with the default options, computed once per analysis.
    pub fn estimate(&self) -> &crate::cost::Estimate {
        self.estimate.get_or_init(|| {
            crate::cost::estimate(
                self.machine,
                self.graph,
                &crate::cost::CostOptions::default(),
            )
        })
    }

    /// Every state's input and output shape, computed once per analysis.
    pub(crate) fn shapes(&self) -> &crate::shapes::flow::Shapes {
        self.shapes
            .get_or_init(|| crate::shapes::flow::Shapes::new(self.machine, self.graph))
    }
}

impl Analysis {
    /// Parses and analyses `text`. Never panics: a crash in the parser or the model is caught
    /// and reported as `ASL999`, and the analysis then has no tree.
    /// The text is shared, not copied, when it is already an `Arc<str>` (the language server's
    /// documents are).
    pub fn new(text: impl Into<Arc<str>>, dialect: Dialect, options: &Options) -> Analysis {
        let text = text.into();
        match catch_unwind(|| asl_syntax::parse(&text, dialect)) {
            Ok(parse) => Analysis::build(text, dialect, parse, None, options),
            Err(panic) => {
                let parse = Parse {
                    root: None,
                    error: None,
                    non_standard: Vec::new(),
                    duplicates: Vec::new(),
                    comments: Vec::new(),
                };
                Analysis::build(text, dialect, parse, Some(panic_message(&*panic)), options)
            }
        }
    }

    /// Analyses `text` from a parse of it already made in `dialect` (the language server keeps
    /// the one made to classify the document), without parsing again.
    pub fn with_parse(
        text: impl Into<Arc<str>>,
        dialect: Dialect,
        parse: Parse,
        options: &Options,
    ) -> Analysis {
        Analysis::build(text.into(), dialect, parse, None, options)
    }

    fn build(
        text: Arc<str>,
        dialect: Dialect,
        parse: Parse,
        parse_failure: Option<String>,
        options: &Options,
    ) -> Analysis {
        let mut model_failure = None;
        let cell = Cell::new(
            Source {
                text,
                dialect,
                parse,
            },
            |source| {
                let root = source.parse.root.as_ref()?;
                match catch_unwind(AssertUnwindSafe(|| {
                    let machine = Machine::new(root);
                    let graph = Graph::new(&machine);
                    let variables = Arc::new(crate::variables::collect(&machine));
                    Model {
                        machine,
                        graph,
                        variables,
                    }
                })) {
                    Ok(model) => Some(model),
                    Err(panic) => {
                        model_failure = Some(panic_message(&*panic));
                        None
                    }
                }
            },
        );
        let diagnostics = if let Some(message) = parse_failure {
            vec![internal_error(options, &message, "the parser")]
        } else if let Some(message) = model_failure {
            vec![internal_error(options, &message, "the analyzer")]
        } else {
            let source = cell.borrow_owner();
            let model = cell.borrow_dependent().as_ref();
            analyze_model(
                &source.text,
                dialect,
                &source.parse,
                model.map(|m| crate::Prebuilt {
                    machine: &m.machine,
                    graph: &m.graph,
                    variables: m.variables.clone(),
                }),
                options,
            )
        };
        Analysis {
            cell,
            diagnostics,
            estimate: std::sync::OnceLock::new(),
            shapes: std::sync::OnceLock::new(),
        }
    }

    /// The analysed text.
    pub fn text(&self) -> &str {
        &self.cell.borrow_owner().text
    }

    /// Every diagnostic, sorted by position (the same list the CLI prints).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// True when the text parsed into a tree (navigation works on it).
    pub fn has_tree(&self) -> bool {
        self.cell.borrow_dependent().is_some()
    }

    fn with<R>(&self, f: impl FnOnce(&Db<'_>) -> R) -> Option<R> {
        let text = self.text();
        let root = self.cell.borrow_owner().parse.root.as_ref()?;
        let model = self.cell.borrow_dependent().as_ref()?;
        let db = Db {
            text,
            dialect: self.cell.borrow_owner().dialect,
            root,
            machine: &model.machine,
            graph: &model.graph,
            variables: &model.variables,
            diagnostics: &self.diagnostics,
            estimate: &self.estimate,
            shapes: &self.shapes,
        };
        Some(f(&db))
    }

    /// Hover at `offset`: [`Analysis::hover_code`], then [`Analysis::hover_diagnostics`].
    pub fn hover(&self, offset: TextSize) -> Option<Hover> {
        Hover::combine(self.hover_code(offset), self.hover_diagnostics(offset))
    }

    /// Hover on the code at `offset`: a state summary on a state name or a transition, a
    /// field's documentation on a field name, an error's meaning in `ErrorEquals`, a state
    /// type's on a `Type` value.
    pub fn hover_code(&self, offset: TextSize) -> Option<Hover> {
        self.with(|db| hover::hover(db, offset).or_else(|| expr::hover(db, offset)))
            .flatten()
    }

    /// The documentation of the rules whose diagnostics cover `offset`.
    pub fn hover_diagnostics(&self, offset: TextSize) -> Option<Hover> {
        hover::diagnostic_docs(&self.diagnostics, offset)
    }

    /// The state a transition at `offset` names (or the state whose name is at `offset`).
    pub fn definition(&self, offset: TextSize) -> Option<NavTarget> {
        self.with(|db| navigate::definition(db, offset).or_else(|| variable_definition(db, offset)))
            .flatten()
    }

    /// Every place naming the state at `offset` (a transition or a state name): transitions
    /// into it, `StartAt`, and with `include_declaration` its own name. Sorted by position.
    pub fn references(&self, offset: TextSize, include_declaration: bool) -> Vec<TextRange> {
        self.with(|db| {
            let states = navigate::references(db, offset, include_declaration);
            if !states.is_empty() {
                return states;
            }
            variable_references(db, offset, include_declaration)
        })
        .unwrap_or_default()
    }

    /// The occurrences of the state at `offset` in its scope: its name (write) and every
    /// reference (read).
    pub fn highlights(&self, offset: TextSize) -> Vec<Highlight> {
        self.with(|db| navigate::highlights(db, offset))
            .unwrap_or_default()
    }

    /// The range of the state name at `offset` that a rename would change (without quotes) and
    /// the current name, or why it cannot be renamed there.
    pub fn prepare_rename(&self, offset: TextSize) -> Result<(TextRange, String), String> {
        self.with(|db| navigate::prepare_rename(db, offset))
            .unwrap_or_else(|| Err(no_tree()))
    }

    /// The edits renaming the state at `offset` to `new_name`: its key and every reference in
    /// its scope. Refuses a name already used in the machine or one AWS rejects.
    pub fn rename(&self, offset: TextSize, new_name: &str) -> Result<Vec<Edit>, String> {
        self.with(|db| navigate::rename(db, offset, new_name))
            .unwrap_or_else(|| Err(no_tree()))
    }

    /// The state tree: states nested under their Parallel branches and Map processors.
    pub fn symbols(&self) -> Vec<Symbol> {
        self.with(symbols::symbols).unwrap_or_default()
    }

    /// Completions at `offset` of this analysis' own text: read from the tree when the text is
    /// well-formed (no scan), else as [`completions`] does.
    pub fn completions(&self, offset: TextSize, snippets: bool) -> Vec<Completion> {
        let source = self.cell.borrow_owner();
        let mut list =
            complete::completions(&source.text, source.parse.root.as_ref(), offset, snippets);
        if source.dialect == Dialect::Yaml {
            // A name completing a YAML plain scalar stays plain where YAML reads it back so.
            for c in &mut list {
                let typed_plain = source
                    .text
                    .get(usize::from(c.range.start())..)
                    .is_some_and(|t| !t.starts_with(['"', '\'']));
                if typed_plain
                    && !c.snippet
                    && c.insert == crate::edits::json_string(&c.label)
                    && asl_syntax::is_yaml_plain_safe(&c.label)
                {
                    c.insert = c.label.clone();
                    c.filter = c.label.clone();
                }
            }
        }
        list
    }

    /// Inlay hints whose offset is in `range`: the worst-case attempts after the name of each
    /// state that can run more than once per entry, and the transitions of one execution after
    /// the top-level `StartAt`. Sorted by offset.
    pub fn inlay_hints(&self, range: TextRange) -> Vec<InlayHint> {
        self.with(|db| inlay::inlay_hints(db, range))
            .unwrap_or_default()
    }

    /// The foldable regions: [`folding_ranges`] of the text, or for a YAML document the
    /// multi-line mappings and sequences of its tree (none without one).
    pub fn folding_ranges(&self) -> Vec<Fold> {
        let source = self.cell.borrow_owner();
        match (source.dialect, &source.parse.root) {
            (Dialect::Yaml, Some(root)) => host::yaml_folding_ranges(&source.text, root),
            (Dialect::Yaml, None) => Vec::new(),
            _ => symbols::folding_ranges(&source.text),
        }
    }

    /// Code actions for `range`: the quick fixes of the diagnostics overlapping it, and a
    /// "suppress for this state" action for each.
    pub fn code_actions(&self, range: TextRange) -> Vec<Action> {
        self.with(|db| actions::code_actions(db, range))
            .unwrap_or_default()
    }
}

/// Foldable regions of `text`, well-formed or not: every object and array spanning lines, and
/// block comments.
pub fn folding_ranges(text: &str) -> Vec<Fold> {
    symbols::folding_ranges(text)
}

/// Completions at `offset` of the editor's current `text`, which may be broken mid-edit: it
/// is read with a tolerant scanner, not the parser. `snippets` when the editor takes LSP
/// snippets.
pub fn completions(text: &str, offset: TextSize, snippets: bool) -> Vec<Completion> {
    complete::completions(text, None, offset, snippets)
}

/// The first `Assign` key of the variable at `offset`.
fn variable_definition(db: &Db<'_>, offset: TextSize) -> Option<NavTarget> {
    let expr::Token::Variable { name, .. } = expr::token_at(db, offset)? else {
        return None;
    };
    let (key, _, _, _) = expr::assignments(db, &name).into_iter().next()?;
    Some(NavTarget {
        name,
        range: key,
        focus: key,
    })
}

/// The assignments (with `include_declaration`) and reads of the variable at `offset`.
fn variable_references(db: &Db<'_>, offset: TextSize, include_declaration: bool) -> Vec<TextRange> {
    let Some(expr::Token::Variable { name, .. }) = expr::token_at(db, offset) else {
        return Vec::new();
    };
    let mut out = expr::reads(db, &name);
    if include_declaration {
        out.extend(
            expr::assignments(db, &name)
                .into_iter()
                .map(|(r, _, _, _)| r),
        );
    }
    out.sort_by_key(|r| r.start());
    out
}

fn no_tree() -> String {
    "the document is not well-formed JSON; fix the syntax error first".to_owned()
}

#[cfg(test)]
pub(crate) mod test_util {
    use asl_syntax::{Dialect, TextSize};

    use super::Analysis;
    use crate::Options;

    /// Splits `$0` (the cursor) out of `input`.
    pub fn cursor(input: &str) -> (String, TextSize) {
        let at = input.find("$0").expect("the test input has no $0 cursor");
        let text = format!("{}{}", &input[..at], &input[at + 2..]);
        (text, TextSize::from(at as u32))
    }

    pub fn analysis(input: &str) -> (Analysis, TextSize) {
        let (text, offset) = cursor(input);
        (
            Analysis::new(text, Dialect::Json, &Options::default()),
            offset,
        )
    }

    /// The text of `range` in `analysis`.
    pub fn slice(analysis: &Analysis, range: asl_syntax::TextRange) -> &str {
        &analysis.text()[range]
    }
}
