//! Conversions between the analyzer's editor terms (byte offsets and ranges) and LSP types
//! (lines and columns in the negotiated encoding). The only module that builds LSP values from
//! analysis results.

use asl_analyzer::ide::{
    Action, ActionKind, Completion, CompletionKind, Edit, Fold, FoldKind, InlayHint, Symbol,
    SymbolKind,
};
use asl_analyzer::{Diagnostic, Severity, registry};
use asl_syntax::ast::StateKind;
use asl_syntax::{Encoding, LineCol, LineIndex, TextRange, TextSize};
use tower_lsp_server::ls_types as lsp;

/// A document's text with its line index and the session's position encoding.
pub struct Lines<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Lines<'_> {
    pub fn offset(&self, pos: lsp::Position) -> Option<TextSize> {
        self.index.offset(
            self.text,
            LineCol {
                line: pos.line,
                col: pos.character,
            },
            self.encoding,
        )
    }

    pub fn range_from(&self, range: lsp::Range) -> Option<TextRange> {
        let start = self.offset(range.start)?;
        let end = self.offset(range.end)?;
        (start <= end).then(|| TextRange::new(start, end))
    }

    pub fn position(&self, offset: TextSize) -> lsp::Position {
        let lc = self.index.line_col(self.text, offset, self.encoding);
        lsp::Position::new(lc.line, lc.col)
    }

    pub fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range::new(self.position(range.start()), self.position(range.end()))
    }

    pub fn edit(&self, edit: &Edit) -> lsp::TextEdit {
        lsp::TextEdit::new(self.range(edit.range), edit.new_text.clone())
    }
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

pub fn diagnostic(lines: &Lines<'_>, uri: &lsp::Uri, d: &Diagnostic) -> lsp::Diagnostic {
    let code_description = registry::find(d.code())
        .and_then(|rule| rule.url().parse::<lsp::Uri>().ok())
        .map(|href| lsp::CodeDescription { href });
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), lines.range(l.range)),
            message: l.message.clone(),
        })
        .collect();
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    lsp::Diagnostic {
        range: lines.range(d.range),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code().to_owned())),
        code_description,
        source: Some("asl-lint".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: d.unnecessary.then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: Some(serde_json::json!({ "rule": d.name() })),
    }
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::State(StateKind::Task) => lsp::SymbolKind::FUNCTION,
        SymbolKind::State(StateKind::Choice) => lsp::SymbolKind::ENUM,
        SymbolKind::State(StateKind::Succeed | StateKind::Fail) => lsp::SymbolKind::EVENT,
        SymbolKind::State(StateKind::Parallel | StateKind::Map) => lsp::SymbolKind::MODULE,
        SymbolKind::State(_) => lsp::SymbolKind::OBJECT,
        SymbolKind::Branch | SymbolKind::Processor => lsp::SymbolKind::NAMESPACE,
        SymbolKind::Machine => lsp::SymbolKind::CLASS,
    }
}

/// Document symbols; `map` turns analysis ranges into current ranges (dropping a symbol
/// whose range fell inside an edit).
pub fn document_symbols(
    lines: &Lines<'_>,
    symbols: &[Symbol],
    map: &dyn Fn(TextRange) -> Option<TextRange>,
) -> Vec<lsp::DocumentSymbol> {
    symbols
        .iter()
        .filter_map(|s| {
            let range = map(s.range)?;
            let selection = map(s.selection)?;
            #[allow(deprecated)]
            Some(lsp::DocumentSymbol {
                name: if s.name.is_empty() {
                    "\"\"".to_owned()
                } else {
                    s.name.clone()
                },
                detail: Some(s.detail.clone()),
                kind: symbol_kind(s.kind),
                tags: None,
                deprecated: None,
                range: lines.range(range),
                selection_range: lines.range(selection),
                children: Some(document_symbols(lines, &s.children, map)),
            })
        })
        .collect()
}

/// The flat form for clients without hierarchical symbol support.
pub fn flat_symbols(
    uri: &lsp::Uri,
    symbols: Vec<lsp::DocumentSymbol>,
    container: Option<&str>,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    for s in symbols {
        #[allow(deprecated)]
        out.push(lsp::SymbolInformation {
            name: s.name.clone(),
            kind: s.kind,
            tags: None,
            deprecated: None,
            location: lsp::Location::new(uri.clone(), s.selection_range),
            container_name: container.map(str::to_owned),
        });
        let name = s.name;
        flat_symbols(uri, s.children.unwrap_or_default(), Some(&name), out);
    }
}

pub fn folding_range(lines: &Lines<'_>, fold: &Fold) -> Option<lsp::FoldingRange> {
    let start = lines.position(fold.range.start());
    let end = lines.position(fold.range.end());
    // Hide the lines after the opening one up to the line before the closing bracket, so
    // the closing bracket stays visible (like VS Code's JSON folding).
    let end_line = if fold.kind == FoldKind::Region {
        end.line.saturating_sub(1)
    } else {
        end.line
    };
    (end_line > start.line).then_some(lsp::FoldingRange {
        start_line: start.line,
        start_character: None,
        end_line,
        end_character: None,
        kind: Some(match fold.kind {
            FoldKind::Region => lsp::FoldingRangeKind::Region,
            FoldKind::Comment => lsp::FoldingRangeKind::Comment,
        }),
        collapsed_text: None,
    })
}

/// An inlay hint at `offset` of the current text (the hint's own offset may be in an earlier
/// analysis): a plain label after the code, with a markdown tooltip.
pub fn inlay_hint(lines: &Lines<'_>, offset: TextSize, hint: &InlayHint) -> lsp::InlayHint {
    lsp::InlayHint {
        position: lines.position(offset),
        label: lsp::InlayHintLabel::String(hint.label.clone()),
        kind: None,
        text_edits: None,
        tooltip: Some(lsp::InlayHintTooltip::MarkupContent(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: hint.tooltip.clone(),
        })),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

pub fn completion(lines: &Lines<'_>, c: &Completion) -> lsp::CompletionItem {
    let kind = match c.kind {
        CompletionKind::State => lsp::CompletionItemKind::REFERENCE,
        CompletionKind::Field => lsp::CompletionItemKind::PROPERTY,
        CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Error => lsp::CompletionItemKind::CONSTANT,
        CompletionKind::Resource => lsp::CompletionItemKind::VALUE,
        CompletionKind::Template => lsp::CompletionItemKind::SNIPPET,
    };
    lsp::CompletionItem {
        label: c.label.clone(),
        kind: Some(kind),
        detail: c.detail.clone(),
        documentation: c.documentation.clone().map(|value| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            })
        }),
        sort_text: Some(c.sort.clone()),
        filter_text: Some(c.filter.clone()),
        insert_text_format: Some(if c.snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
            lines.range(c.range),
            c.insert.clone(),
        ))),
        ..Default::default()
    }
}

pub fn code_action(
    lines: &Lines<'_>,
    uri: &lsp::Uri,
    action: &Action,
    diagnostics: &[lsp::Diagnostic],
) -> lsp::CodeAction {
    let edits: Vec<lsp::TextEdit> = action.edits.iter().map(|e| lines.edit(e)).collect();
    let mut changes = std::collections::HashMap::new();
    changes.insert(uri.clone(), edits);
    let related: Vec<lsp::Diagnostic> = action
        .diagnostic
        .map(|(code, range)| {
            let range = lines.range(range);
            diagnostics
                .iter()
                .filter(|d| {
                    d.range == range && d.code == Some(lsp::NumberOrString::String(code.to_owned()))
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(match action.kind {
            ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
            ActionKind::Suppress => lsp::CodeActionKind::new("quickfix.suppress"),
        }),
        diagnostics: (!related.is_empty()).then_some(related),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            document_changes: None,
            change_annotations: None,
        }),
        command: None,
        is_preferred: action.preferred.then_some(true),
        disabled: None,
        data: None,
    }
}
