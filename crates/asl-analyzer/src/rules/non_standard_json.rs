use asl_syntax::{Dialect, NonStandardKind};

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports comments and trailing commas in a `.json` file. Files named `.jsonc` or `.json5`
    /// may have them.
    ///
    /// ## Why is this bad?
    /// Step Functions accepts strict JSON only: a definition with a comment or a trailing comma
    /// is rejected when it is deployed, even though many editors accept it.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": { "Type": "Pass", "End": true },
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
    /// - [RFC 8259: JSON](https://www.rfc-editor.org/rfc/rfc8259)
    pub(crate) static META = { code: "ASL003", name: "non-standard-json", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    if ctx.dialect != Dialect::Json {
        return;
    }
    for item in &ctx.parse.non_standard {
        let message = match item.kind {
            NonStandardKind::Comment => {
                "comments are not JSON and AWS rejects them; remove it, or move the text into a `Comment` field"
            }
            NonStandardKind::TrailingComma => {
                "trailing commas are not JSON and AWS rejects them; remove it"
            }
        };
        ctx.report(&META, item.range, message);
    }
}
