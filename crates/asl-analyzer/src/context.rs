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
    /// Expression data several rules read, computed once per analysis.
    pub(crate) cache: Cache<'a>,
}

#[derive(Default)]
pub(crate) struct Cache<'a> {
    templates: std::cell::OnceCell<std::sync::Arc<Vec<crate::templates::Member<'a>>>>,
    jsonata: std::cell::OnceCell<std::sync::Arc<Vec<crate::jsonata_strings::JsonataString<'a>>>>,
    variables: std::cell::OnceCell<std::sync::Arc<crate::variables::Variables<'a>>>,
    sdk_calls: std::cell::OnceCell<std::sync::Arc<Vec<crate::sdk_input::SdkCall<'a, 'a>>>>,
}

impl<'a> Ctx<'a> {
    /// The members of every payload template (see [`crate::templates`]).
    pub(crate) fn template_members(&self) -> std::sync::Arc<Vec<crate::templates::Member<'a>>> {
        self.cache
            .templates
            .get_or_init(|| std::sync::Arc::new(crate::templates::members(self.machine)))
            .clone()
    }

    /// The `{% %}` strings of every state (see [`crate::jsonata_strings`]).
    pub(crate) fn jsonata_strings(
        &self,
    ) -> std::sync::Arc<Vec<crate::jsonata_strings::JsonataString<'a>>> {
        self.cache
            .jsonata
            .get_or_init(|| {
                std::sync::Arc::new(crate::jsonata_strings::strings(self.machine, self.text))
            })
            .clone()
    }

    /// The Tasks calling an AWS API the model knows (see [`crate::sdk_input`]), for the rules
    /// that check their parameters.
    pub(crate) fn sdk_calls(&self) -> std::sync::Arc<Vec<crate::sdk_input::SdkCall<'a, 'a>>> {
        self.cache
            .sdk_calls
            .get_or_init(|| {
                std::sync::Arc::new(crate::sdk_input::sdk_calls(self.machine).collect())
            })
            .clone()
    }

    /// Uses variables already collected (the editor's analysis keeps them for its queries).
    pub(crate) fn seed_variables(
        &self,
        variables: std::sync::Arc<crate::variables::Variables<'a>>,
    ) {
        let _ = self.cache.variables.set(variables);
    }

    /// Variable assignments and reads (see [`crate::variables`]).
    pub(crate) fn variables(&self) -> std::sync::Arc<crate::variables::Variables<'a>> {
        self.cache
            .variables
            .get_or_init(|| std::sync::Arc::new(crate::variables::collect(self.machine)))
            .clone()
    }

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
        self.diagnostics
            .push(Diagnostic::new(rule, severity, range, message));
        // Diagnostics of rules that are off are dropped by `analyze`.
        let last = self.diagnostics.len() - 1;
        #[allow(clippy::indexing_slicing)] // just pushed
        &mut self.diagnostics[last]
    }
}
