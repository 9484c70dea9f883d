use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an object that holds the same key twice, with both places labelled.
    ///
    /// ## Why is this bad?
    /// JSON parsers disagree on which occurrence wins (asl-lint reads the first, many runtimes
    /// keep the last), so the definition does not mean what it seems to. Two states with the same
    /// name in one `States` object are the commonest case: one of them silently disappears.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": { "Type": "Pass", "End": true, "End": true }
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
    /// - [RFC 8259 §4: names within an object SHOULD be unique](https://www.rfc-editor.org/rfc/rfc8259#section-4)
    pub(crate) static META = { code: "ASL002", name: "duplicate-key", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for dup in &ctx.parse.duplicates {
        let what = match ctx.machine.root.pointer_to(dup.first).rsplit_once('/') {
            Some((parent, _)) if parent.ends_with("/States") || parent == "/States" => "state name",
            _ => "key",
        };
        ctx.report(
            &META,
            dup.second,
            format!(
                "duplicate {what} `{}`; remove or rename one of the two",
                dup.key
            ),
        )
        .label(dup.first, "first used here");
    }
}
