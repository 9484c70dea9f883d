//! What a rule sees: the source, its parse, the typed machine and its graph, and a sink for
//! diagnostics.

use asl_syntax::ast::Machine;
use asl_syntax::{Dialect, Parse, TextRange};

use crate::Options;
use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::rule::RuleMeta;

pub struct Ctx<'a> {
    pub text: &'a str,
    pub dialect: Dialect,
    pub parse: &'a Parse,
    pub machine: &'a Machine<'a>,
    pub graph: &'a Graph<'a>,
    pub options: &'a Options,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    /// Records a finding of `rule` at `range` with its configured severity; returns it so
    /// labels and notes can be added. A rule that is off records nothing visible (the returned
    /// diagnostic is dropped).
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        range: TextRange,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let level = self.options.level(rule);
        let severity = level
            .severity()
            .unwrap_or(crate::diagnostic::Severity::Info);
        self.diagnostics.push(Diagnostic {
            code: rule.code,
            rule: rule.name,
            severity,
            message: message.into(),
            range,
            pointer: String::new(),
            labels: Vec::new(),
            notes: Vec::new(),
            unnecessary: false,
        });
        // Diagnostics of rules that are off are dropped by `analyze`.
        let last = self.diagnostics.len() - 1;
        #[allow(clippy::indexing_slicing)] // just pushed
        &mut self.diagnostics[last]
    }
}
