use asl_syntax::TextRange;

use crate::rule::declare_rule;
use crate::{Diagnostic, Options, Severity};

declare_rule! {
    /// ## What it does
    /// Reports text that is not well-formed JSON: a missing comma or quote, an unclosed brace,
    /// an empty file. One diagnostic is given, at the first error, and analysis of the file stops
    /// there.
    ///
    /// ## Why is this bad?
    /// Step Functions parses the definition as JSON before anything else; a syntax error fails
    /// `CreateStateMachine` with `INVALID_JSON_DESCRIPTION` and no other check can run.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": { "Type": "Pass" "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language](https://states-language.net/spec.html)
    /// - [RFC 8259: JSON](https://www.rfc-editor.org/rfc/rfc8259)
    pub(crate) static META = { code: "ASL001", name: "invalid-json", level: Error }
}

/// The diagnostic for the first syntax error of a file, with `message` as written (the caller
/// says what kind of error it is).
pub(crate) fn diagnostic(options: &Options, range: TextRange, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(
        &META,
        options.level(&META).severity().unwrap_or(Severity::Error),
        range,
        message,
    );
    d.note("the rest of the file is not checked until this is fixed");
    d
}
