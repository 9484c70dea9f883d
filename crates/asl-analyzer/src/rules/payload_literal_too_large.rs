use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `Result`, `Parameters`, `Arguments`, `Output` or `Assign` whose literal text is
    /// near or over 256 KiB (262,144 bytes), the largest payload a state may pass on: reported
    /// from 90 % (235,930 bytes). The size is that of the value as written, so whitespace counts
    /// and the evaluated payload can be larger still.
    ///
    /// ## Why is this bad?
    /// A state whose input, output or variable exceeds 256 KiB fails with
    /// `States.DataLimitExceeded`, which no `States.ALL` catcher catches. Big constants belong in
    /// S3 (or a DynamoDB item) that the workflow reads when it needs them.
    ///
    /// ## Example
    /// ```json no-check
    /// {
    ///   "StartAt": "Seed",
    ///   "States": {
    ///     "Seed": { "Type": "Pass", "Result": { "rows": ["(imagine 300 KiB of rows here)"] }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Seed",
    ///   "States": {
    ///     "Seed": { "Type": "Pass", "Result": { "bucket": "seed-data", "key": "rows.json" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Service quotas: payload size](https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)
    /// - [Use Amazon S3 ARNs instead of passing large payloads](https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#avoid-exec-failures)
    pub(crate) static META = { code: "ASL504", name: "payload-literal-too-large", level: Warning }
}

/// 256 KiB, the payload limit.
pub(crate) const LIMIT: usize = 262_144;
/// Reported from 90 % of the limit.
const NEAR: usize = LIMIT / 10 * 9;

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        let f = &state.fields;
        for prop in [f.result, f.parameters, f.arguments, f.output, f.assign]
            .into_iter()
            .flatten()
        {
            let size = usize::from(prop.value.range.len());
            if size < NEAR {
                continue;
            }
            let how = if size > LIMIT { "over" } else { "near" };
            ctx.report(
                &META,
                prop.key_range,
                format!(
                    "state `{}`: `{}` is {size} bytes as written, {how} the 256 KiB ({LIMIT} bytes) a state may pass on; keep large data in S3 and pass its location",
                    state.name, prop.key
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn pass_with_result(len: usize) -> String {
        format!(
            r#"{{"StartAt": "Seed", "States": {{"Seed": {{"Type": "Pass", "Result": "{}", "End": true}}}}}}"#,
            "x".repeat(len)
        )
    }

    #[test]
    fn reports_literals_near_and_over_the_payload_limit() {
        let codes = |t: &str| -> Vec<&str> {
            analyze(t, Dialect::Json, &Options::default())
                .iter()
                .map(|d| d.code())
                .collect()
        };
        // The value's text is the string plus its two quotes.
        assert!(codes(&pass_with_result(super::NEAR - 3)).is_empty());
        assert_eq!(codes(&pass_with_result(super::NEAR - 2)), vec!["ASL504"]);
        let over = analyze(
            &pass_with_result(super::LIMIT),
            Dialect::Json,
            &Options::default(),
        );
        assert!(
            over.iter().any(|d| d.message.contains("over the 256 KiB")),
            "{over:?}"
        );
    }
}
