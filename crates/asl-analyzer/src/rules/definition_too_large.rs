use asl_syntax::TextRange;

use crate::rule::declare_rule;
use crate::{Ctx, Diagnostic, Options, Severity};

declare_rule! {
    /// ## What it does
    /// Reports a definition larger than 1 MB (1,048,576 bytes of UTF-8), the largest state
    /// machine definition Step Functions accepts. The size is that of the file as written:
    /// whitespace and indentation count, as they do in the API request.
    ///
    /// Also reports a definition nested deeper than asl-lint reads: 10,000 levels of objects
    /// and arrays (about 2,000 levels of nested Parallel or Map states), or about 250 levels of
    /// objects in a JSONC or JSON5 file. AWS rejects definitions nested too deeply
    /// (`TOO_DEEPLY_NESTED`) without documenting the depth; no real definition comes near
    /// either bound. The finding is at the first container past the bound, and the rest of the
    /// file is not checked.
    ///
    /// ## Why is this bad?
    /// `CreateStateMachine` and `UpdateStateMachine` fail. Minifying the JSON helps a little;
    /// moving large literals to the input or to S3, and parts of the workflow into child state
    /// machines, helps more.
    ///
    /// ## Example
    /// ```json no-check
    /// {
    ///   "Comment": "(imagine more than a megabyte of states here)",
    ///   "StartAt": "Done",
    ///   "States": { "Done": { "Type": "Succeed" } }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Done",
    ///   "States": { "Done": { "Type": "Succeed" } }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Service quotas: state machine definition size](https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)
    pub(crate) static META = { code: "ASL503", name: "definition-too-large", level: Error }
}

/// The largest definition AWS accepts, in bytes.
pub(crate) const LIMIT: usize = 1_048_576;

/// The diagnostic for a document nested deeper than the readers build (`why` is the reader's
/// "nesting deeper than ..."), at the container that goes too deep.
pub(crate) fn too_deep(options: &Options, range: TextRange, why: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        &META,
        options.level(&META).severity().unwrap_or(Severity::Error),
        range,
        format!(
            "the definition is nested too deeply to check here ({why}); AWS also rejects definitions nested too deeply (`TOO_DEEPLY_NESTED`): move the deepest branches into child state machines"
        ),
    );
    d.note("the rest of the file is not checked until this is fixed");
    d
}

pub(crate) fn check(ctx: &mut Ctx) {
    // The root's extent: the whole file, or the definition inside a template.
    let Some(root) = &ctx.parse.root else { return };
    let size = usize::from(root.range.len());
    if size <= LIMIT {
        return;
    }
    ctx.report(
        &META,
        TextRange::empty(root.range.start()),
        format!(
            "the definition is {size} bytes, above the 1 MB ({LIMIT} bytes) Step Functions accepts; minify it, move large literals to the input or S3, or split the workflow into child state machines"
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    #[test]
    fn reports_a_definition_over_one_megabyte_and_nothing_at_the_limit() {
        let wrap = |comment_len: usize| {
            format!(
                r#"{{"Comment": "{}", "StartAt": "Done", "States": {{"Done": {{"Type": "Succeed"}}}}}}"#,
                "x".repeat(comment_len)
            )
        };
        let base = wrap(0).len();
        let at_limit = wrap(super::LIMIT - base);
        assert_eq!(at_limit.len(), super::LIMIT);
        let codes = |t: &str| -> Vec<&str> {
            analyze(t, Dialect::Json, &Options::default())
                .iter()
                .map(|d| d.code())
                .collect()
        };
        assert!(codes(&at_limit).is_empty());
        let over = wrap(super::LIMIT - base + 1);
        let found = analyze(&over, Dialect::Json, &Options::default());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found.first().map(|d| d.code()), Some("ASL503"));
        assert!(
            found
                .first()
                .is_some_and(|d| d.message.contains("1048577 bytes"))
        );
    }
}
