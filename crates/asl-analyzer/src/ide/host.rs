//! The editor features inside a host document (a CloudFormation/SAM template, a Serverless
//! file): one [`Analysis`] per embedded state machine, and the mapping between the host's
//! positions and the analysis' own.
//!
//! A `Definition` object (in place) is analysed on the host's own text with a parse whose root
//! is the definition's node, so every position is already a host position. A
//! `DefinitionString` is analysed as its decoded JSON text; positions go in through
//! [`SourceMap::offset`] and come out through [`SourceMap::range`], and every edit is written
//! back in the host string's own syntax (JSON-escaped in a JSON or double-quoted string, with
//! the block's indentation in a YAML literal block; in HCL in a Terraform file), or not
//! offered when that cannot be done exactly ([`crate::embedded::host_edits`]).

use std::sync::Arc;

use asl_syntax::host::{Definition, Host};
use asl_syntax::template::SourceMap;
use asl_syntax::{Dialect, Node, Parse, TextRange, TextSize, Value};

use super::{Action, Analysis, Completion, Edit, Fold, Highlight, Hover, InlayHint, NavTarget};
use super::{FoldKind, Symbol, SymbolKind};
use crate::embedded::{
    decoded_syntax, from_decoded, in_place, options_for, sort, sub_parse, workflow_type_named,
};
use crate::quote::Syntax;
use crate::{Diagnostic, Options, analyze_parsed};

/// One state machine of a host document, analysed.
pub struct HostMachine {
    /// Its name in the host: the logical id, or the Serverless key.
    pub name: String,
    /// Where that name is.
    pub name_range: TextRange,
    /// The host range of its definition (the object, or the string's decoded part).
    pub range: TextRange,
    pub analysis: Analysis,
    /// `None` in place; the decoded text's map for a `DefinitionString`.
    map: Option<SourceMap>,
    /// The syntax its messages and fix titles quote.
    syntax: Syntax,
}

impl HostMachine {
    /// True when the definition is a decoded string, not part of the host's tree.
    pub fn is_decoded(&self) -> bool {
        self.map.is_some()
    }

    /// The analysis offset of a host offset.
    pub fn to_analysis(&self, offset: TextSize) -> Option<TextSize> {
        match &self.map {
            None => self.range.contains_inclusive(offset).then_some(offset),
            Some(map) => map.offset(offset),
        }
    }

    /// The host range of an analysis range.
    pub fn to_host(&self, range: TextRange) -> TextRange {
        match &self.map {
            None => range,
            Some(map) => map.range(range),
        }
    }
}

/// One analysed version of a host document.
pub struct HostAnalysis {
    text: Arc<str>,
    dialect: Dialect,
    parse: Parse,
    machines: Vec<HostMachine>,
    diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Debug for HostAnalysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostAnalysis")
            .field("len", &self.text.len())
            .field("machines", &self.machines.len())
            .field("diagnostics", &self.diagnostics.len())
            .finish()
    }
}

impl HostAnalysis {
    /// Analyses each state machine of a host document from its parse. The findings are those
    /// of [`crate::embedded::analyze_host`], built from the same per-definition analyses the
    /// editor features use.
    pub fn new(
        host: Host,
        text: impl Into<Arc<str>>,
        dialect: Dialect,
        parse: Parse,
        options: &Options,
    ) -> HostAnalysis {
        let text: Arc<str> = text.into();
        let mut machines = Vec::new();
        let mut diagnostics = Vec::new();
        // As `analyze_host`: a host in its own language (Terraform) reports its reader's error;
        // a JSON/YAML one that did not parse, the JSON/YAML error.
        let own_error = if host.reads_tree() {
            None
        } else {
            parse.error.as_ref()
        };
        match (&parse.root, own_error) {
            (_, Some(error)) => {
                diagnostics = vec![crate::syntax_error(
                    options,
                    error.range,
                    error.message.clone(),
                )];
            }
            (None, None) if host.reads_tree() => {
                diagnostics = analyze_parsed(&text, dialect, &parse, options);
            }
            (root, None) => {
                for embedded in host.definitions(&text, root.as_ref()) {
                    let typed = options_for(
                        embedded.workflow_type.and_then(workflow_type_named),
                        options,
                    );
                    let options = typed.as_ref().unwrap_or(options);
                    let (range, analysis, map, syntax) = match embedded.definition {
                        Definition::Object { node, key } => {
                            let sub = sub_parse(&parse, node, key);
                            let analysis =
                                Analysis::with_parse(text.clone(), dialect, sub, options);
                            diagnostics.extend(
                                analysis
                                    .diagnostics()
                                    .iter()
                                    .map(|d| in_place(d.clone(), &embedded.pointer)),
                            );
                            (node.range, analysis, None, Syntax::of(dialect))
                        }
                        Definition::Text(decoded) => {
                            let Some(range) = decoded.map.span() else {
                                continue;
                            };
                            let syntax = decoded_syntax(host, &text, &decoded.map);
                            let analysis = Analysis::new(decoded.text, Dialect::Json, options);
                            diagnostics.extend(analysis.diagnostics().iter().map(|d| {
                                let mut d = from_decoded(
                                    d.clone(),
                                    (&text, dialect, parse.root.as_ref()),
                                    analysis.text(),
                                    &decoded.map,
                                    &embedded.pointer,
                                );
                                crate::quote::diagnostic(&mut d, syntax);
                                d
                            }));
                            (range, analysis, Some(decoded.map), syntax)
                        }
                        _ => continue,
                    };
                    machines.push(HostMachine {
                        name: embedded.logical_id.into_owned(),
                        name_range: embedded.id_range,
                        range,
                        analysis,
                        map,
                        syntax,
                    });
                }
            }
        }
        sort(&mut diagnostics);
        HostAnalysis {
            text,
            dialect,
            parse,
            machines,
            diagnostics,
        }
    }

    /// The host text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Every finding, in host positions, sorted (what the command line reports).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The state machines, in the host's order.
    pub fn machines(&self) -> &[HostMachine] {
        &self.machines
    }

    /// The state machine whose definition holds `offset` (its ends included).
    pub fn machine_at(&self, offset: TextSize) -> Option<&HostMachine> {
        self.machines
            .iter()
            .find(|m| m.range.contains_inclusive(offset))
    }

    /// Maps `offset` into the machine holding it and runs `f` there.
    fn at<R>(
        &self,
        offset: TextSize,
        f: impl FnOnce(&HostMachine, TextSize) -> Option<R>,
    ) -> Option<R> {
        let machine = self.machine_at(offset)?;
        f(machine, machine.to_analysis(offset)?)
    }

    /// [`Analysis::hover_code`] at a host offset.
    pub fn hover_code(&self, offset: TextSize) -> Option<Hover> {
        self.at(offset, |m, at| {
            let h = m.analysis.hover_code(at)?;
            Some(Hover {
                range: m.to_host(h.range),
                markdown: h.markdown,
            })
        })
    }

    /// The documentation of the rules whose findings cover `offset`.
    pub fn hover_diagnostics(&self, offset: TextSize) -> Option<Hover> {
        super::hover::diagnostic_docs(&self.diagnostics, offset)
    }

    /// [`Analysis::hover`] at a host offset.
    pub fn hover(&self, offset: TextSize) -> Option<Hover> {
        Hover::combine(self.hover_code(offset), self.hover_diagnostics(offset))
    }

    /// [`Analysis::definition`] at a host offset.
    pub fn definition(&self, offset: TextSize) -> Option<NavTarget> {
        self.at(offset, |m, at| {
            let t = m.analysis.definition(at)?;
            Some(NavTarget {
                name: t.name,
                range: m.to_host(t.range),
                focus: m.to_host(t.focus),
            })
        })
    }

    /// [`Analysis::references`] at a host offset.
    pub fn references(&self, offset: TextSize, include_declaration: bool) -> Vec<TextRange> {
        self.at(offset, |m, at| {
            Some(
                m.analysis
                    .references(at, include_declaration)
                    .into_iter()
                    .map(|r| m.to_host(r))
                    .collect(),
            )
        })
        .unwrap_or_default()
    }

    /// [`Analysis::highlights`] at a host offset.
    pub fn highlights(&self, offset: TextSize) -> Vec<Highlight> {
        self.at(offset, |m, at| {
            Some(
                m.analysis
                    .highlights(at)
                    .into_iter()
                    .map(|h| Highlight {
                        range: m.to_host(h.range),
                        kind: h.kind,
                    })
                    .collect(),
            )
        })
        .unwrap_or_default()
    }

    /// [`Analysis::prepare_rename`] at a host offset.
    pub fn prepare_rename(&self, offset: TextSize) -> Result<(TextRange, String), String> {
        self.at(offset, |m, at| {
            Some(
                m.analysis
                    .prepare_rename(at)
                    .map(|(range, name)| (m.to_host(range), name)),
            )
        })
        .unwrap_or_else(|| Err(outside()))
    }

    /// [`Analysis::rename`] at a host offset: host edits, written in the host string's syntax
    /// inside a `DefinitionString`.
    pub fn rename(&self, offset: TextSize, new_name: &str) -> Result<Vec<Edit>, String> {
        self.at(offset, |m, at| {
            Some(m.analysis.rename(at, new_name).and_then(|edits| {
                self.host_edits(m, &edits).ok_or_else(|| {
                    format!("`{new_name}` cannot be written exactly in this definition string; rename it in the string by hand")
                })
            }))
        })
        .unwrap_or_else(|| Err(outside()))
    }

    /// One symbol per state machine, named as the host names it, holding its states.
    pub fn symbols(&self) -> Vec<Symbol> {
        self.machines
            .iter()
            .map(|m| {
                let children = m
                    .analysis
                    .symbols()
                    .into_iter()
                    .map(|s| map_symbol(m, s))
                    .collect::<Vec<_>>();
                let count = children.len();
                Symbol {
                    name: m.name.clone(),
                    detail: format!(
                        "state machine · {count} state{}",
                        if count == 1 { "" } else { "s" }
                    ),
                    kind: SymbolKind::Machine,
                    range: m.name_range.cover(m.range),
                    selection: m.name_range,
                    children,
                }
            })
            .collect()
    }

    /// The foldable regions: the host's own (its objects and arrays in JSON, its multi-line
    /// mappings and sequences in YAML), and those of each decoded definition.
    pub fn folding_ranges(&self) -> Vec<Fold> {
        let mut out = match self.dialect {
            Dialect::Yaml => self
                .parse
                .root
                .as_ref()
                .map(|root| yaml_folds(&self.text, root))
                .unwrap_or_default(),
            _ => super::folding_ranges(&self.text),
        };
        for m in self.machines.iter().filter(|m| m.is_decoded()) {
            out.extend(
                super::folding_ranges(m.analysis.text())
                    .into_iter()
                    .map(|f| Fold {
                        range: m.to_host(f.range),
                        kind: f.kind,
                    }),
            );
        }
        out.sort_by_key(|f| (f.range.start(), std::cmp::Reverse(f.range.end())));
        out.dedup();
        out
    }

    /// Completions at a host offset. Inside a `DefinitionString`, plain text (no snippets)
    /// written in the string's syntax; an item that cannot be written exactly is left out.
    pub fn completions(&self, offset: TextSize, snippets: bool) -> Vec<Completion> {
        self.at(offset, |m, at| {
            if !m.is_decoded() {
                return Some(m.analysis.completions(at, snippets));
            }
            Some(
                m.analysis
                    .completions(at, false)
                    .into_iter()
                    .filter_map(|mut c| {
                        let edit = Edit {
                            range: c.range,
                            new_text: c.insert.clone(),
                        };
                        let [edit] = self.host_edits(m, &[edit])?.try_into().ok()?;
                        c.range = edit.range;
                        c.insert = edit.new_text;
                        Some(c)
                    })
                    .collect(),
            )
        })
        .unwrap_or_default()
    }

    /// The inlay hints of every machine whose host offset is in `range`, sorted.
    pub fn inlay_hints(&self, range: TextRange) -> Vec<InlayHint> {
        let mut out = Vec::new();
        for m in &self.machines {
            let Some(overlap) = m.range.intersect(range) else {
                continue;
            };
            let inner = match (m.to_analysis(overlap.start()), m.to_analysis(overlap.end())) {
                (Some(s), Some(e)) if s <= e => TextRange::new(s, e),
                _ => TextRange::up_to(TextSize::of(m.analysis.text())),
            };
            out.extend(m.analysis.inlay_hints(inner).into_iter().filter_map(|h| {
                let offset = m.to_host(TextRange::empty(h.offset)).start();
                range.contains_inclusive(offset).then_some(InlayHint {
                    offset,
                    label: h.label,
                    tooltip: h.tooltip,
                })
            }));
        }
        out.sort_by_key(|h| h.offset);
        out
    }

    /// Code actions for a host range inside one definition, their edits in host positions
    /// and syntax; an action whose edits cannot be written exactly is left out. A definition
    /// in place gets them where the host's dialect takes the fixes' text
    /// ([`crate::fix::fixable`]: not YAML yet); a decoded one always (its text is JSON).
    pub fn code_actions(&self, range: TextRange) -> Vec<Action> {
        self.at(range.start(), |m, start| {
            if !m.is_decoded() && !crate::fix::fixable(self.dialect) {
                return None;
            }
            let end = m.to_analysis(range.end()).unwrap_or(start).max(start);
            Some(
                m.analysis
                    .code_actions(TextRange::new(start, end))
                    .into_iter()
                    .filter_map(|mut a| {
                        a.edits = self.host_edits(m, &a.edits)?;
                        a.title = crate::quote::in_syntax(&a.title, m.syntax).into_owned();
                        a.diagnostic = a.diagnostic.map(|(code, r)| (code, m.to_host(r)));
                        Some(a)
                    })
                    .collect(),
            )
        })
        .unwrap_or_default()
    }

    /// `edits` of `m`'s analysis as edits of the host text; `None` when one cannot be written
    /// exactly in the host string holding it.
    fn host_edits(&self, m: &HostMachine, edits: &[Edit]) -> Option<Vec<Edit>> {
        match &m.map {
            None => Some(edits.to_vec()),
            Some(map) => crate::embedded::host_edits(
                &self.text,
                self.dialect,
                self.parse.root.as_ref(),
                m.analysis.text(),
                map,
                edits,
            ),
        }
    }
}

fn outside() -> String {
    "only a state name inside a state machine definition can be renamed".to_owned()
}

fn map_symbol(m: &HostMachine, s: Symbol) -> Symbol {
    // The depth is that of the outline, which `symbols` bounds.
    Symbol {
        range: m.to_host(s.range),
        selection: m.to_host(s.selection),
        children: s.children.into_iter().map(|c| map_symbol(m, c)).collect(),
        ..s
    }
}

/// The folds of a YAML tree: each mapping or sequence spanning lines, from its key (or its
/// first line) to the end of its last line. The range ends after that line's break, so the
/// editor hides the last line too (a YAML block has no closing bracket to keep visible).
fn yaml_folds(text: &str, root: &Node) -> Vec<Fold> {
    let mut out = Vec::new();
    let line_end = |at: TextSize| {
        let at = usize::from(at);
        let end = text
            .get(at..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| at + i + 1);
        TextSize::from(u32::try_from(end).unwrap_or(u32::MAX))
    };
    let spans_lines = |r: TextRange| {
        text.get(usize::from(r.start())..usize::from(r.end()))
            .is_some_and(|s| s.trim_end().contains('\n'))
    };
    // (node, where its fold starts)
    let mut stack: Vec<(&Node, TextSize)> = vec![(root, root.range.start())];
    while let Some((node, start)) = stack.pop() {
        let children: Vec<(&Node, TextSize)> = match &node.value {
            Value::Object(props) => props
                .iter()
                .map(|p| (&p.value, p.key_range.start()))
                .collect(),
            Value::Array(items) => items.iter().map(|n| (n, n.range.start())).collect(),
            _ => continue,
        };
        let range = TextRange::new(start.min(node.range.start()), node.range.end());
        if spans_lines(range) {
            let end = text
                .get(usize::from(range.start())..usize::from(range.end()))
                .map_or(range.end(), |s| range.start() + TextSize::of(s.trim_end()));
            out.push(Fold {
                range: TextRange::new(range.start(), line_end(end).max(end)),
                kind: FoldKind::Region,
            });
        }
        stack.extend(children);
    }
    out
}

/// Folds of a YAML document (a `*.asl.yaml` state machine) from its tree.
pub(crate) fn yaml_folding_ranges(text: &str, root: &Node) -> Vec<Fold> {
    let mut out = yaml_folds(text, root);
    out.sort_by_key(|f| (f.range.start(), std::cmp::Reverse(f.range.end())));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    const SAM: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: Load\n        States:\n          Load:\n            Type: Pass\n            Next: Route\n          Route:\n            Type: Choice\n            Choices:\n              - Variable: $.x\n                BooleanEquals: true\n                Next: Load\n            Default: Done\n          Done:\n            Type: Succeed\n";

    const JSON_STRING: &str = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}, \"B\": {\"Type\": \"Succeed\"}}}"}}}}"#;

    const BLOCK: &str = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub |\n        {\n          \"StartAt\": \"A\",\n          \"States\": {\n            \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"},\n            \"B\": {\"Type\": \"Succeed\"}\n          }\n        }\n";

    fn host(text: &str, dialect: Dialect) -> HostAnalysis {
        let host = if text.contains("stepFunctions") {
            Host::Serverless
        } else {
            Host::CloudFormation
        };
        let parse = asl_syntax::parse(text, dialect);
        HostAnalysis::new(host, text, dialect, parse, &Options::default())
    }

    fn at(text: &str, needle: &str, nth: usize) -> TextSize {
        let at = text.match_indices(needle).nth(nth).unwrap().0;
        TextSize::from(at as u32)
    }

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut out = text.to_owned();
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
        for e in edits {
            out.replace_range(
                usize::from(e.range.start())..usize::from(e.range.end()),
                &e.new_text,
            );
        }
        out
    }

    #[test]
    fn findings_are_those_of_analyze_host() {
        let serverless = "service: s\nstepFunctions:\n  stateMachines:\n    fast:\n      type: EXPRESS\n      definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: arn:aws:states:::sqs:sendMessage.waitForTaskToken\n            Next: Gone\n";
        let broken =
            "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties: [\n";
        let json_object = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"StateMachineType": "EXPRESS", "Definition": {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "Next": "Gone"}}}}}}}"#;
        for (text, dialect) in [
            (SAM.replace("Default: Done", "Default: Dne"), Dialect::Yaml),
            (JSON_STRING.replace(r#"\"B\"}"#, r#"\"C\"}"#), Dialect::Json),
            (
                BLOCK.replace("\"Next\": \"B\"", "\"Next\": \"X\""),
                Dialect::Yaml,
            ),
            (serverless.to_owned(), Dialect::Yaml),
            (broken.to_owned(), Dialect::Yaml),
            (json_object.to_owned(), Dialect::Json),
        ] {
            let parse = asl_syntax::parse(&text, dialect);
            let kind = parse
                .root
                .as_ref()
                .and_then(Host::of)
                .unwrap_or(Host::CloudFormation);
            let expected =
                crate::embedded::analyze_host(kind, &text, dialect, &parse, &Options::default());
            let got = HostAnalysis::new(kind, text.as_str(), dialect, parse, &Options::default());
            assert!(!expected.diagnostics.is_empty(), "{text}");
            assert_eq!(got.diagnostics(), expected.diagnostics.as_slice(), "{text}");
        }
    }

    #[test]
    fn in_place_yaml_navigates_and_renames_in_yaml() {
        let a = host(SAM, Dialect::Yaml);
        assert_eq!(a.machines().len(), 1);
        // `Next: Route` goes to the `Route:` key.
        let target = a
            .definition(at(SAM, "Route", 0) + TextSize::from(2))
            .unwrap();
        assert_eq!(&SAM[target.focus], "Route");
        assert_eq!(target.focus.start(), at(SAM, "Route:", 0));
        let refs = a.references(at(SAM, "Load", 1), true);
        assert_eq!(refs.len(), 3, "{refs:?}");
        assert!(
            a.hover(at(SAM, "Done", 0))
                .unwrap()
                .markdown
                .contains("Succeed")
        );
        let edits = a.rename(at(SAM, "Load", 1), "Fetch").unwrap();
        assert_eq!(edits.len(), 3);
        let renamed = apply(SAM, &edits);
        assert!(renamed.contains("StartAt: Fetch\n") && renamed.contains("          Fetch:\n"));
        assert!(
            renamed.contains("                Next: Fetch\n"),
            "{renamed}"
        );
        let again = host(&renamed, Dialect::Yaml);
        assert!(
            again.diagnostics().iter().all(|d| d.code() != "ASL101"),
            "{:?}",
            again.diagnostics()
        );
        // A name YAML would not read back plain is quoted, and still parses.
        let edits = a.rename(at(SAM, "Done", 1), "Done: ok").unwrap();
        let renamed = apply(SAM, &edits);
        assert!(renamed.contains("Default: \"Done: ok\"\n"), "{renamed}");
        let again = host(&renamed, Dialect::Yaml);
        assert_eq!(again.machines().len(), 1);
        assert!(again.diagnostics().iter().all(|d| d.code() != "ASL101"));
        // Outside any definition: nothing.
        assert!(a.definition(at(SAM, "Transform", 0)).is_none());
        assert!(a.hover(TextSize::of(SAM)).is_none());
        assert!(a.rename(TextSize::from(0), "X").is_err());
        let symbols = a.symbols();
        assert_eq!(symbols.len(), 1);
        assert_eq!(symbols[0].name, "Orders");
        let names: Vec<_> = symbols[0]
            .children
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, ["Load", "Route", "Done"]);
        let folds = a.folding_ranges();
        assert!(
            folds
                .iter()
                .any(|f| f.range.start() == at(SAM, "States:", 0)),
            "{folds:?}"
        );
    }

    #[test]
    fn yaml_completion_offers_state_names_after_a_plain_scalar() {
        let text = SAM.replace("Default: Done", "Default: Do");
        let a = host(&text, Dialect::Yaml);
        let offset = at(&text, "Default: Do", 0) + TextSize::of("Default: Do");
        let items = a.completions(offset, true);
        let done = items.iter().find(|c| c.label == "Done").unwrap();
        assert_eq!(&text[done.range], "Do");
        let completed = apply(
            &text,
            &[Edit {
                range: done.range,
                new_text: done.insert.clone(),
            }],
        );
        let again = host(&completed, Dialect::Yaml);
        assert!(
            again.diagnostics().iter().all(|d| d.code() != "ASL101"),
            "{completed}"
        );
    }

    #[test]
    fn json_definition_strings_map_positions_and_escape_edits() {
        let a = host(JSON_STRING, Dialect::Json);
        let b = at(JSON_STRING, r#"\"B\"}"#, 0);
        let target = a.definition(b + TextSize::from(2)).unwrap();
        assert_eq!(&JSON_STRING[target.focus], r#"\"B\""#);
        assert_eq!(target.focus.start(), at(JSON_STRING, r#"\"B\": {"#, 0));
        let hover = a.hover(b + TextSize::from(2)).unwrap();
        assert!(hover.markdown.contains("Succeed"), "{}", hover.markdown);
        assert_eq!(&JSON_STRING[hover.range], r#"\"B\""#);
        let edits = a.rename(b + TextSize::from(2), "Say \"hi\"").unwrap();
        assert_eq!(edits.len(), 2);
        let renamed = apply(JSON_STRING, &edits);
        assert!(
            renamed.contains(r#"\"Next\": \"Say \\\"hi\\\"\"}"#),
            "{renamed}"
        );
        let again = host(&renamed, Dialect::Json);
        assert_eq!(again.machines().len(), 1);
        assert!(again.diagnostics().is_empty(), "{:?}", again.diagnostics());
        let names: Vec<_> = again.symbols()[0]
            .children
            .iter()
            .map(|s| s.name.clone())
            .collect();
        assert_eq!(names, ["A", "Say \"hi\""]);
        // Completion in the string: escaped, no snippets.
        let text = JSON_STRING.replace(r#"\"Next\": \"B\""#, r#"\"Next\": \"\""#);
        let a = host(&text, Dialect::Json);
        let inside = at(&text, r#"\"Next\": \"\""#, 0) + TextSize::of(r#"\"Next\": \""#);
        let items = a.completions(inside, true);
        let b = items.iter().find(|c| c.label == "B").unwrap();
        let completed = apply(
            &text,
            &[Edit {
                range: b.range,
                new_text: b.insert.clone(),
            }],
        );
        assert!(
            host(&completed, Dialect::Json).diagnostics().is_empty(),
            "{completed}"
        );
    }

    #[test]
    fn block_scalar_definition_strings_rename_in_place() {
        let a = host(BLOCK, Dialect::Yaml);
        let b = at(BLOCK, "\"B\"", 0) + TextSize::from(1);
        let target = a.definition(b).unwrap();
        assert_eq!(target.focus.start(), at(BLOCK, "\"B\": {", 0));
        let edits = a.rename(b, "It's").unwrap();
        let renamed = apply(BLOCK, &edits);
        assert!(renamed.contains("\"Next\": \"It's\"}"), "{renamed}");
        let again = host(&renamed, Dialect::Yaml);
        assert!(again.diagnostics().is_empty(), "{:?}", again.diagnostics());
        assert!(
            a.folding_ranges()
                .iter()
                .any(|f| f.range.start() == at(BLOCK, "{\n", 0))
        );
        // A quick fix inside the block: its edit lands in the block, as YAML reads it.
        let typo = BLOCK.replace("\"Next\": \"B\"", "\"Next\": \"Bb\"");
        let a = host(&typo, Dialect::Yaml);
        let actions = a.code_actions(TextRange::empty(at(&typo, "Bb", 0)));
        let fix = actions
            .iter()
            .find(|x| x.kind == super::super::ActionKind::QuickFix)
            .unwrap();
        assert_eq!(apply(&typo, &fix.edits), BLOCK, "{}", fix.title);
        for action in &actions {
            let fixed = apply(&typo, &action.edits);
            let again = host(&fixed, Dialect::Yaml);
            assert_eq!(again.machines().len(), 1, "{}: {fixed}", action.title);
            assert!(
                again.diagnostics().iter().all(|d| d.code() != "ASL101"),
                "{fixed}"
            );
        }
        // In place in YAML: the fix is written in YAML, the plain scalar staying plain.
        let sam = SAM.replace("Default: Done", "Default: Dne");
        let a = host(&sam, Dialect::Yaml);
        let actions = a.code_actions(TextRange::empty(at(&sam, "Dne", 0)));
        let fix = actions
            .iter()
            .find(|x| x.kind == super::super::ActionKind::QuickFix)
            .unwrap();
        assert_eq!(apply(&sam, &fix.edits), SAM, "{}", fix.title);
    }

    const TF: &str = "resource \"aws_sfn_state_machine\" \"m\" {\n  definition = jsonencode({\n    StartAt = \"Load\"\n    States = {\n      Load = {\n        Type = \"Pass\"\n        Next = \"Route\"\n      }\n      Route = {\n        Type    = \"Choice\"\n        Choices = [{ Variable = \"$.x\", BooleanEquals = true, Next = \"Load\" }]\n        Default = \"Done\"\n      }\n      Done = { Type = \"Succeed\" }\n      Wait = {\n        Type    = \"Wait\"\n        Seconds = var.wait\n        Next    = \"Done\"\n      }\n    }\n  })\n}\n";

    fn terraform(text: &str) -> HostAnalysis {
        let parse = Host::Terraform.parse(text, Dialect::Json);
        HostAnalysis::new(
            Host::Terraform,
            text,
            Dialect::Json,
            parse,
            &Options::default(),
        )
    }

    /// The state names of the first machine of a Terraform file, read back.
    fn tf_states(text: &str) -> Vec<String> {
        assert!(
            asl_syntax::terraform::parse(text).error.is_none(),
            "not HCL:\n{text}"
        );
        let a = terraform(text);
        a.symbols()[0]
            .children
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    #[test]
    fn terraform_renames_are_written_in_hcl() {
        let a = terraform(TF);
        assert_eq!(a.machines().len(), 1);
        let edits = a.rename(at(TF, "Load", 1), "Fetch").unwrap();
        assert_eq!(edits.len(), 3, "{edits:?}");
        let renamed = apply(TF, &edits);
        assert!(renamed.contains("StartAt = \"Fetch\"\n"), "{renamed}");
        assert!(renamed.contains("      Fetch = {\n"), "{renamed}");
        assert!(renamed.contains("Next = \"Fetch\" }"), "{renamed}");
        assert_eq!(tf_states(&renamed), ["Fetch", "Route", "Done", "Wait"]);
        assert!(
            terraform(&renamed)
                .diagnostics()
                .iter()
                .all(|d| d.code() != "ASL101")
        );
        // A name that is no HCL identifier: a quoted key.
        let edits = a.rename(at(TF, "Load", 1), "Load it").unwrap();
        let renamed = apply(TF, &edits);
        assert!(renamed.contains("      \"Load it\" = {\n"), "{renamed}");
        assert_eq!(tf_states(&renamed), ["Load it", "Route", "Done", "Wait"]);
        // What Terraform would interpolate is escaped; quotes and backslashes too.
        for (name, written) in [
            ("a${b", "\"a$${b\""),
            ("50%{x", "\"50%%{x\""),
            ("Say \"hi\" \\o/", "\"Say \\\"hi\\\" \\\\o/\""),
        ] {
            let edits = a.rename(at(TF, "Done", 1), name).unwrap();
            let renamed = apply(TF, &edits);
            assert!(
                renamed.contains(&format!("Default = {written}")),
                "{renamed}"
            );
            assert!(
                renamed.contains(&format!("      {written} = {{ Type")),
                "{renamed}"
            );
            assert_eq!(tf_states(&renamed), ["Load", "Route", name, "Wait"]);
            let again = terraform(&renamed);
            assert!(
                again.diagnostics().iter().all(|d| d.code() != "ASL101"),
                "{renamed}"
            );
        }
    }

    #[test]
    fn terraform_quick_fixes_are_written_in_hcl() {
        let typo = TF.replace("Default = \"Done\"", "Default = \"Dnoe\"");
        let a = terraform(&typo);
        let actions = a.code_actions(TextRange::empty(at(&typo, "Dnoe", 0)));
        let fix = actions
            .iter()
            .find(|x| x.kind == super::super::ActionKind::QuickFix)
            .unwrap();
        assert_eq!(apply(&typo, &fix.edits), TF, "{}", fix.title);
        // `check --fix` gets the same edit.
        let d = a
            .diagnostics()
            .iter()
            .find(|d| d.code() == "ASL101")
            .unwrap();
        assert_eq!(d.fix().unwrap().edits, fix.edits);
        // An added member: its own line at its neighbours' indentation, or inline.
        let open = TF.replace("        Next    = \"Done\"\n", "");
        let a = terraform(&open);
        let fixed = a
            .diagnostics()
            .iter()
            .filter(|d| d.code() == "ASL102")
            .flat_map(|d| &d.fixes)
            .map(|f| apply(&open, &f.edits))
            .collect::<Vec<_>>();
        assert!(
            fixed
                .iter()
                .any(|f| f.contains("        Seconds = var.wait\n        End = true\n")),
            "{fixed:?}"
        );
        let inline = TF.replace(
            "Done = { Type = \"Succeed\" }",
            "Done = { Type = \"Pass\" }",
        );
        let a = terraform(&inline);
        let fixed = a
            .diagnostics()
            .iter()
            .filter(|d| d.code() == "ASL102")
            .flat_map(|d| &d.fixes)
            .map(|f| apply(&inline, &f.edits))
            .collect::<Vec<_>>();
        assert!(
            fixed
                .iter()
                .any(|f| f.contains("Done = { Type = \"Pass\", End = true }")),
            "{fixed:?}"
        );
        for f in &fixed {
            assert_eq!(tf_states(f).len(), 4, "{f}");
        }
    }

    #[test]
    fn terraform_heredocs_and_strings_take_json_text() {
        let text = "resource \"aws_sfn_state_machine\" \"h\" {\n  definition = <<-EOF\n    {\n      \"StartAt\": \"A\",\n      \"States\": {\n        \"A\": {\"Type\": \"Wait\", \"Seconds\": ${var.s}, \"Next\": \"B\"},\n        \"B\": {\"Type\": \"Pass\"}\n      }\n    }\n    EOF\n}\nresource \"aws_sfn_state_machine\" \"q\" {\n  definition = \"{\\\"StartAt\\\": \\\"C\\\", \\\"States\\\": {\\\"C\\\": {\\\"Type\\\": \\\"Succeed\\\"}}}\"\n}\n";
        let a = terraform(text);
        assert_eq!(a.machines().len(), 2);
        let edits = a
            .rename(at(text, "\"B\"", 0) + TextSize::from(1), "x${y")
            .unwrap();
        let renamed = apply(text, &edits);
        assert!(renamed.contains("\"Next\": \"x$${y\"}"), "{renamed}");
        assert_eq!(tf_states(&renamed), ["A", "x${y"]);
        let edits = a
            .rename(at(text, "\\\"C\\\"", 0) + TextSize::from(2), "D \"1\"")
            .unwrap();
        let renamed = apply(text, &edits);
        assert!(renamed.contains("\\\"D \\\\\\\"1\\\\\\\"\\\""), "{renamed}");
        let again = terraform(&renamed);
        assert_eq!(again.symbols()[1].children[0].name, "D \"1\"");
        // An added member in a heredoc: JSON, on a line indented for the heredoc.
        let open = text.replace(
            "{\"Type\": \"Pass\"}",
            "{\n          \"Type\": \"Pass\"\n        }",
        );
        let a = terraform(&open);
        let fixed: Vec<String> = a
            .diagnostics()
            .iter()
            .filter(|d| d.code() == "ASL102")
            .flat_map(|d| &d.fixes)
            .map(|f| apply(&open, &f.edits))
            .collect();
        assert!(
            fixed
                .iter()
                .any(|f| f.contains("          \"Type\": \"Pass\",\n          \"End\": true\n")),
            "{fixed:?}"
        );
    }

    #[test]
    fn hostile_requests_answer_nothing() {
        for (text, dialect) in [
            (
                "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition: [\n",
                Dialect::Yaml,
            ),
            ("", Dialect::Yaml),
            (
                r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": "}}}}"#,
                Dialect::Json,
            ),
            (
                r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": ""}}}}"#,
                Dialect::Json,
            ),
        ] {
            let a = host(text, dialect);
            for offset in 0..=text.len() as u32 + 1 {
                let o = TextSize::from(offset);
                let _ = (
                    a.hover(o),
                    a.definition(o),
                    a.references(o, true),
                    a.highlights(o),
                );
                let _ = (
                    a.prepare_rename(o),
                    a.rename(o, "N"),
                    a.completions(o, true),
                );
                let _ = a.code_actions(TextRange::empty(o));
            }
            let _ = (
                a.symbols(),
                a.folding_ranges(),
                a.inlay_hints(TextRange::up_to(TextSize::of(text))),
            );
        }
    }
}
