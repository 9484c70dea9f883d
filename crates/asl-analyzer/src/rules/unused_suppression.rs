use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an `asl-lint-allow` directive in a `Comment` that suppressed nothing, or that has
    /// no reason (a directive without `-- reason` is ignored).
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
    /// - [asl-lint rule catalog: suppressions](https://github.com/asl-lint/asl-lint#suppressions)
    pub(crate) static META = { code: "ASL901", name: "unused-suppression", level: Warning }
}
