use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an `asl-lint-allow` directive (in a `Comment` field or a source comment) that
    /// suppressed nothing, that has no reason, or that is a comment attached to no state.
    ///
    /// A directive is `asl-lint-allow: <rule>[, <rule>] -- <reason>` (the colon is optional),
    /// either inside the `Comment` field of a state or of the top level, or, in a file that can
    /// hold comments (`.jsonc`, `.json5`, YAML), as a comment of its own: `// …` or `/* … */`,
    /// `# …` in YAML. A directive comment applies to the state whose name follows it, on the
    /// next line(s) with only whitespace or other comments in between, or to the whole file when
    /// it comes before the first key of the top-level object. A directive without `-- reason` is
    /// ignored, and so is a directive comment anywhere else (after other text on its line,
    /// inside a state before one of its fields, at the end of the file): each is reported.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding of that rule on that state, and a
    /// suppression without a reason leaves the next reader guessing why the rule does not apply.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": {
    ///       "Type": "Pass",
    ///       "Comment": "asl-lint-allow: duplicate-key -- the generator repeats keys",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ```jsonc
    /// {
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     // asl-lint-allow duplicate-key -- the generator repeats keys
    ///     "Hello": { "Type": "Pass", "End": true }
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
    /// - [asl-lint README: suppressing a finding](https://github.com/asl-lint/asl-lint#suppressing-a-finding)
    pub(crate) static META = { code: "ASL901", name: "unused-suppression", level: Warning }
}
