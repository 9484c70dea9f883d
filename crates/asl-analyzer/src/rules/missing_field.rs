use asl_syntax::ast::{QueryLanguage, ScopeKind, StateKind};

use crate::Ctx;
use crate::nodes::brace;
use crate::rule::declare_rule;
use crate::spec::fields::{self, Object, nested_objects};

declare_rule! {
    /// ## What it does
    /// Reports a required field that is absent: `StartAt` and `States` of the state machine, of
    /// every Parallel branch and of every Map processor; a state's `Type`; a Task's `Resource`;
    /// a Choice's `Choices`; a Parallel's `Branches`; a Map's `ItemProcessor`; a Wait's duration
    /// (`Seconds`, `Timestamp`, `SecondsPath` or `TimestampPath`); a retrier's or catcher's
    /// `ErrorEquals` and a catcher's `Next`; the `ExecutionType` of a Distributed Map; an
    /// `ItemReader`'s `Resource`; an `ItemBatcher` without any batch limit; `Credentials`
    /// without `RoleArn`; a `ResultWriter` with neither `Resource` nor `WriterConfig`, or with
    /// `Resource` and no `Parameters` (`Arguments` in JSONata) or the other way round; a
    /// `ResultWriter.WriterConfig` without `OutputType`.
    ///
    /// The developer guide's ResultWriter page gives the required combinations: `WriterConfig`
    /// alone, `Resource` with `Parameters`, or all three. It documents a default for
    /// `Transformation` but none for `OutputType`, and every `WriterConfig` it shows sets it;
    /// the AWS CDK's `WriterConfig` requires `outputType` too.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition when it is created (`SCHEMA_VALIDATION_FAILED: The field
    /// '...' is required`), so the deployment fails.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": { "Type": "Choice", "Default": "Done" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Route",
    ///   "States": {
    ///     "Route": {
    ///       "Type": "Choice",
    ///       "Choices": [
    ///         { "Variable": "$.ready", "BooleanEquals": true, "Next": "Done" }
    ///       ],
    ///       "Default": "NotReady"
    ///     },
    ///     "NotReady": { "Type": "Fail", "Error": "NotReady" },
    ///     "Done": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language specification](https://states-language.net/spec.html)
    /// - [State machine structure](https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html)
    /// - [Distributed Map state](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html)
    /// - [ResultWriter (Map)](https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html)
    /// - [AWS CDK `WriterConfigProps`](https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_stepfunctions.WriterConfigProps.html)
    pub(crate) static META = { code: "ASL010", name: "missing-field", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    if machine.root.as_object().is_some() && !fields::is_state_document(machine.root) {
        for f in fields::ROOT.iter().filter(|f| f.is_required()) {
            if machine.root.get(f.name).is_none() {
                ctx.report(
                    &META,
                    brace(ctx.text, machine.root),
                    format!(
                        "the state machine has no `{}`; {}",
                        f.name,
                        scope_hint(f.name)
                    ),
                );
            }
        }
    }

    for scope in machine.scopes.iter().skip(1) {
        if scope.node.as_object().is_none() {
            continue;
        }
        let (table, anchor) = match scope.kind {
            ScopeKind::Root => continue,
            ScopeKind::Branch { .. } => (fields::BRANCH, brace(ctx.text, scope.node)),
            ScopeKind::Processor { parent, deprecated } => {
                let Some(state) = machine.state(parent) else {
                    continue;
                };
                let prop = if deprecated {
                    state.fields.iterator
                } else {
                    state.fields.item_processor
                };
                (
                    fields::PROCESSOR,
                    prop.map_or(state.prop.key_range, |p| p.key_range),
                )
            }
        };
        for f in table.iter().filter(|f| f.is_required()) {
            if scope.node.get(f.name).is_none() {
                ctx.report(
                    &META,
                    anchor,
                    format!(
                        "{} has no `{}`; {}",
                        scope.describe(machine),
                        f.name,
                        scope_hint(f.name)
                    ),
                );
            }
        }
    }

    for state in &machine.states {
        let node = state.node();
        if node.as_object().is_none() {
            continue;
        }
        let name = state.name;
        let at = state.prop.key_range;
        let kind = state.kind;
        match kind {
            StateKind::Unknown => continue,
            StateKind::Missing => {
                ctx.report(
                    &META,
                    at,
                    format!(
                        "state `{name}` has no `Type`; add `\"Type\"` with one of {}",
                        fields::STATE_TYPES.join(", ")
                    ),
                );
                continue;
            }
            _ => {}
        }
        for f in fields::STATE
            .iter()
            .filter(|f| f.name != "Type" && f.required_on(kind))
        {
            if node.get(f.name).is_none() {
                ctx.report(
                    &META,
                    at,
                    format!("state `{name}` has no `{}`; {}", f.name, state_hint(f.name)),
                );
            }
        }
        match kind {
            StateKind::Map
                if state.fields.item_processor.is_none() && state.fields.iterator.is_none() =>
            {
                ctx.report(
                    &META,
                    at,
                    format!(
                        "state `{name}` has no `ItemProcessor`; add one with the `StartAt` and `States` run for each item"
                    ),
                );
            }
            StateKind::Wait => {
                let f = &state.fields;
                let any = [f.seconds, f.timestamp, f.seconds_path, f.timestamp_path]
                    .iter()
                    .any(Option::is_some);
                if !any {
                    let which = match state.query_language {
                        QueryLanguage::JsonAta => "`Seconds` or `Timestamp`",
                        QueryLanguage::JsonPath => {
                            "one of `Seconds`, `Timestamp`, `SecondsPath`, `TimestampPath`"
                        }
                    };
                    ctx.report(
                        &META,
                        at,
                        format!("state `{name}` does not say how long to wait; add {which}"),
                    );
                }
            }
            _ => {}
        }

        for nested in nested_objects(ctx.text, state) {
            let place = &nested.place;
            let node = nested.node;
            let has = |key: &str| node.get(key).is_some();
            let mut missing: Vec<String> = Vec::new();
            for f in nested.object.fields().iter().filter(|f| f.is_required()) {
                if !has(f.name) {
                    missing.push(format!(
                        "`{place}` has no `{}`; {}",
                        f.name,
                        nested_hint(nested.object, f.name)
                    ));
                }
            }
            match nested.object {
                Object::ProcessorConfig => {
                    let distributed = node
                        .get("Mode")
                        .and_then(|p| p.value.as_str())
                        .is_some_and(|m| m == "DISTRIBUTED");
                    if distributed && !has("ExecutionType") {
                        missing.push(format!(
                            "a Distributed Map needs `ExecutionType` in `{place}`; add `\"ExecutionType\": \"STANDARD\"` (or `\"EXPRESS\"`)"
                        ));
                    }
                }
                Object::Credentials if !has("RoleArn") && !has("RoleArn.$") => {
                    missing.push(
                        "`Credentials` has no `RoleArn`; add the ARN of the IAM role to assume"
                            .to_owned(),
                    );
                }
                Object::ReaderConfig => {
                    let given = node
                        .get("CSVHeaderLocation")
                        .and_then(|p| p.value.as_str())
                        .is_some_and(|m| m == "GIVEN");
                    if given && !has("CSVHeaders") {
                        missing.push(format!(
                            "`{place}` sets `CSVHeaderLocation` to `GIVEN` but has no `CSVHeaders`; list the column names"
                        ));
                    }
                }
                Object::ItemBatcher => {
                    let limits = [
                        "MaxItemsPerBatch",
                        "MaxItemsPerBatchPath",
                        "MaxInputBytesPerBatch",
                        "MaxInputBytesPerBatchPath",
                    ];
                    if !limits.iter().any(|k| has(k)) {
                        missing.push(
                            "`ItemBatcher` sets no batch size; add `MaxItemsPerBatch` or `MaxInputBytesPerBatch`"
                                .to_owned(),
                        );
                    }
                }
                Object::ResultWriter => {
                    let location = has("Parameters") || has("Arguments");
                    let arguments = if state.query_language == QueryLanguage::JsonAta {
                        "Arguments"
                    } else {
                        "Parameters"
                    };
                    if !has("Resource") && !has("WriterConfig") && !location {
                        missing.push(
                            "`ResultWriter` has neither `Resource` (to export the results to Amazon S3) nor `WriterConfig` (to format them); add one"
                                .to_owned(),
                        );
                    } else if has("Resource") && !location {
                        missing.push(format!(
                            "`ResultWriter` has `Resource` but no `{arguments}`; add `\"{arguments}\": {{\"Bucket\": \"...\", \"Prefix\": \"...\"}}` naming where the results go"
                        ));
                    } else if location && !has("Resource") {
                        missing.push(format!(
                            "`ResultWriter` has `{arguments}` but no `Resource`; add `\"Resource\": \"arn:aws:states:::s3:putObject\"`"
                        ));
                    }
                }
                _ => {}
            }
            for message in missing {
                ctx.report(&META, nested.anchor, format!("state `{name}`: {message}"));
            }
        }
    }
}

fn scope_hint(field: &str) -> &'static str {
    match field {
        "StartAt" => "add `\"StartAt\"` naming the first state to run",
        "States" => "add a `States` object holding the states",
        _ => "add it",
    }
}

fn state_hint(field: &str) -> &'static str {
    match field {
        "Resource" => "add the ARN the Task runs, e.g. `arn:aws:states:::lambda:invoke`",
        "Choices" => "add a non-empty array of Choice rules",
        "Branches" => "add an array of branches, each with `StartAt` and `States`",
        _ => "add it",
    }
}

fn nested_hint(object: Object, field: &str) -> &'static str {
    match (object, field) {
        (_, "ErrorEquals") => "list the error names it handles, e.g. `[\"States.ALL\"]`",
        (Object::Catcher, "Next") => "name the state to go to when it catches an error",
        (Object::WriterConfig, "OutputType") => {
            "add `\"OutputType\": \"JSON\"` (a JSON array) or `\"JSONL\"` (JSON Lines)"
        }
        (Object::ItemReader, "Resource") => {
            "add `arn:aws:states:::s3:getObject` or `arn:aws:states:::s3:listObjectsV2`"
        }
        _ => "add it",
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn messages(text: &str) -> Vec<String> {
        analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL010")
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect()
    }

    #[test]
    fn nested_requirements() {
        let found = messages(
            r#"{"StartAt": "M", "States": {
              "M": {"Type": "Map", "End": true,
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                  "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                "ItemReader": {"ReaderConfig": {"CSVHeaderLocation": "GIVEN"}},
                "ItemBatcher": {},
                "ResultWriter": {},
                "Retry": [{"MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"]}]}}}"#,
        );
        assert_eq!(found.len(), 7, "{found:#?}");
        assert!(found.iter().any(|m| m.contains("ExecutionType")));
        assert!(found.iter().any(|m| m.contains("CSVHeaders")));
        assert!(
            found
                .iter()
                .any(|m| m.starts_with("/States/M/Retry/0 ") && m.contains("ErrorEquals"))
        );
    }

    #[test]
    fn unknown_type_reports_nothing_else() {
        assert!(messages(r#"{"StartAt": "A", "States": {"A": {"Type": "Tusk"}}}"#).is_empty());
    }

    #[test]
    fn wait_needs_a_duration() {
        let found = messages(r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true}}}"#);
        assert_eq!(found.len(), 1);
        let ok = messages(
            r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}"#,
        );
        assert!(ok.is_empty());
    }

    #[test]
    fn processor_without_states() {
        let found = messages(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "X"}}}}"#,
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("/States/M/ItemProcessor "),
            "{found:?}"
        );
    }

    /// The ranges of the ASL010 findings in `text`, as text.
    fn ranges(text: &str, dialect: Dialect) -> Vec<(std::ops::Range<usize>, &str)> {
        analyze(text, dialect, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL010")
            .map(|d| {
                let r = std::ops::Range::<usize>::from(d.range);
                (r.clone(), &text[r])
            })
            .collect()
    }

    #[test]
    fn a_yaml_block_mapping_is_reported_at_its_first_key() {
        // Issue 13: the top level of `é: 1` was reported at byte 0..1, half of `é`.
        assert_eq!(ranges("é: 1\n", Dialect::Yaml), [(0..2, "é"), (0..2, "é")]);
        // A block mapping in a sequence: its first key, not the first byte of it.
        let text = "StartAt: P\nStates:\n  P:\n    Type: Parallel\n    End: true\n    Branches:\n      - Ünï: 1\n";
        let at = text.find("Ünï").unwrap();
        assert_eq!(
            ranges(text, Dialect::Yaml),
            [(at..at + "Ünï".len(), "Ünï"), (at..at + "Ünï".len(), "Ünï")]
        );
        // A flow mapping and JSON: the brace, as before.
        assert_eq!(
            ranges("{é: 1}\n", Dialect::Yaml),
            [(0..1, "{"), (0..1, "{")]
        );
        assert_eq!(
            ranges("{\"é\": 1}", Dialect::Json),
            [(0..1, "{"), (0..1, "{")]
        );
    }
}
