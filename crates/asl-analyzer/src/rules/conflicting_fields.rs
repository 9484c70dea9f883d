use asl_syntax::Property;
use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::rule::declare_rule;
use crate::spec::fields::{self, Object, nested_objects};

declare_rule! {
    /// ## What it does
    /// Reports mutually exclusive fields used together: `Next` with `"End": true`; two or more
    /// of a Wait's `Seconds`, `Timestamp`, `SecondsPath` and `TimestampPath`; `Error` with
    /// `ErrorPath` or `Cause` with `CausePath` on a Fail state; a field with its `...Path` twin
    /// (`TimeoutSeconds` and `TimeoutSecondsPath`, `MaxConcurrency` and `MaxConcurrencyPath`,
    /// `MaxItems` and `MaxItemsPath`, ...); `ItemProcessor` with `Iterator`; `Parameters` with
    /// `ItemSelector` on a Map; `RoleArn` with `RoleArn.$` in `Credentials`.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition: the two fields say different things and only one of them can
    /// apply.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": {
    ///     "Pause": {
    ///       "Type": "Wait",
    ///       "Seconds": 10,
    ///       "Timestamp": "2030-01-01T00:00:00Z",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Pause",
    ///   "States": {
    ///     "Pause": { "Type": "Wait", "Seconds": 10, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language specification](https://states-language.net/spec.html)
    /// - [Wait state](https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html)
    /// - [Fail state](https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html)
    pub(crate) static META = { code: "ASL013", name: "conflicting-fields", level: Error }
}

/// Groups of state fields of which at most one may be present, by state type.
fn state_groups(kind: StateKind) -> &'static [&'static [&'static str]] {
    match kind {
        StateKind::Wait => &[&["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]],
        StateKind::Fail => &[&["Error", "ErrorPath"], &["Cause", "CausePath"]],
        StateKind::Task => &[
            &["TimeoutSeconds", "TimeoutSecondsPath"],
            &["HeartbeatSeconds", "HeartbeatSecondsPath"],
        ],
        StateKind::Map => &[
            &["ItemProcessor", "Iterator"],
            &["ItemSelector", "Parameters"],
            &["MaxConcurrency", "MaxConcurrencyPath"],
            &[
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
            ],
            &["ToleratedFailureCount", "ToleratedFailureCountPath"],
        ],
        _ => &[],
    }
}

/// Groups of fields of nested objects of which at most one may be present.
fn nested_groups(object: Object) -> &'static [&'static [&'static str]] {
    match object {
        Object::Credentials => &[&["RoleArn", "RoleArn.$"]],
        Object::ReaderConfig => &[&["MaxItems", "MaxItemsPath"]],
        Object::ItemBatcher => &[
            &["MaxItemsPerBatch", "MaxItemsPerBatchPath"],
            &["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"],
        ],
        _ => &[],
    }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    for state in &machine.states {
        let kind = state.kind;
        if matches!(kind, StateKind::Unknown | StateKind::Missing) {
            continue;
        }
        let name = state.name;
        let lang = state.query_language;
        let node = state.node();

        if kind.takes_next()
            && let (Some(next), Some(end)) = (state.fields.next, state.fields.end)
            && end.value.as_bool() == Some(true)
        {
            let (first, later) = ordered(next, end);
            ctx.report(
                        &META,
                        later.key_range,
                        format!(
                            "state `{name}` has both `Next` and `\"End\": true`; remove `End` to continue to the next state, or `Next` to end here"
                        ),
                    )
                    .label(first.key_range, format!("`{}` is here", first.key));
        }

        for group in state_groups(kind) {
            let present: Vec<&Property> = group
                .iter()
                .filter(|key| {
                    fields::state_field(key)
                        .is_some_and(|f| f.allowed_on(kind) && f.lang.allows(lang))
                })
                .filter_map(|key| node.get(key))
                .collect();
            report_group(ctx, &format_args!("state `{name}`"), present, &"");
        }

        for nested in nested_objects(ctx.text, state) {
            for group in nested_groups(nested.object) {
                let present: Vec<&Property> = group
                    .iter()
                    .filter(|key| {
                        nested
                            .object
                            .field(key)
                            .is_some_and(|f| f.lang.allows(lang))
                    })
                    .filter_map(|key| nested.node.get(key))
                    .collect();
                report_group(
                    ctx,
                    &format_args!("state `{name}`"),
                    present,
                    &format_args!(" in `{}`", nested.place),
                );
            }
        }
    }
}

/// Reports every field of a group after the first one present (in source order).
fn report_group(
    ctx: &mut Ctx,
    subject: &dyn std::fmt::Display,
    mut present: Vec<&Property>,
    place: &dyn std::fmt::Display,
) {
    if present.len() < 2 {
        return;
    }
    present.sort_by_key(|p| p.key_range.start());
    let mut iter = present.into_iter();
    let Some(first) = iter.next() else {
        return;
    };
    for later in iter {
        ctx.report(
            &META,
            later.key_range,
            format!(
                "{subject}: `{}` and `{}`{place} cannot be used together; keep only one of them",
                first.key, later.key
            ),
        )
        .label(first.key_range, format!("`{}` is here", first.key));
    }
}

fn ordered<'p>(a: &'p Property, b: &'p Property) -> (&'p Property, &'p Property) {
    if a.key_range.start() <= b.key_range.start() {
        (a, b)
    } else {
        (b, a)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn messages(text: &str) -> Vec<String> {
        analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL013")
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect()
    }

    #[test]
    fn next_and_end() {
        let found = messages(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true}, "B": {"Type": "Pass", "Next": "C", "End": false}, "C": {"Type": "Succeed"}}}"#,
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].starts_with("/States/A/End "));
    }

    #[test]
    fn other_language_twins_are_left_to_wrong_query_language() {
        let text = r#"{"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true}}}"#;
        assert!(messages(text).is_empty());
        let text = r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "TimestampPath": "$.t", "End": true}}}"#;
        assert_eq!(messages(text).len(), 2);
    }
}
