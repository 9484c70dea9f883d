use std::fmt::Write as _;

use asl_syntax::ast::{ChoiceRule, State, StateKind};
use asl_syntax::intrinsic::{ArgKind, Call, parse_intrinsic};
use asl_syntax::jsonpath::Step;
use asl_syntax::{Node, Property, Value};

use crate::Ctx;
use crate::rule::declare_rule;
use crate::shapes::flow::{Shapes, input_steps};
use crate::shapes::{Read, Shape};

declare_rule! {
    /// ## What it does
    /// Reports a path that can never be found in the payload it reads: a member read of an
    /// object that certainly has no such member, or of a string, number, boolean or null. It
    /// follows the payload from state to state in the ASL processing order (`InputPath`,
    /// `Parameters`, the result, `ResultSelector`, `ResultPath`, `OutputPath`; a catcher's
    /// error object), and judges a read only where the shape is known on every path into the
    /// state: after a payload template, a Pass `Result` or an error object, whose members are
    /// all known. What comes from the execution input or a Task's result is never judged.
    ///
    /// It checks `InputPath`, `OutputPath`, the `.$` values of `Parameters`, `ItemSelector`
    /// and `ResultSelector` (with the paths inside their intrinsic calls), `ItemsPath`, a
    /// Choice rule's `Variable` and `...Path` operands (unless that Choice tests `IsPresent` on
    /// the same path), and the `...Path` fields of Wait, Task and Fail states.
    ///
    /// ## Why is this bad?
    /// Step Functions fails the execution with `States.Runtime` ("The JSONPath ... could not
    /// be found in the input") when a path names nothing: the commonest run-time failure, and
    /// one only an execution shows. It usually follows an upstream `ResultSelector`,
    /// `Parameters` or `ResultPath` that reshaped the payload.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Charge",
    ///   "States": {
    ///     "Charge": { "Type": "Pass", "Parameters": { "receipt.$": "$.id", "amount": 5 }, "Next": "Ship" },
    ///     "Ship": { "Type": "Pass", "Parameters": { "order.$": "$.orderId" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Charge",
    ///   "States": {
    ///     "Charge": { "Type": "Pass", "Parameters": { "receipt.$": "$.id", "amount": 5 }, "ResultPath": "$.charge", "Next": "Ship" },
    ///     "Ship": { "Type": "Pass", "Parameters": { "order.$": "$.orderId" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Processing input and output](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html)
    /// - [Handling error conditions: States.Runtime](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL330", name: "unresolvable-path", level: Error }
}

/// One path read, found in a state.
struct PathRead<'a> {
    /// The string node holding it.
    node: &'a Node,
    /// Where the path starts in the string (non-zero inside an intrinsic call).
    offset: usize,
    path: String,
    /// The field, as the message names it (`Parameters.order.$`).
    place: String,
    stage: Stage,
}

/// Which payload of the state a read sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// The raw input (`InputPath`).
    Input,
    /// After `InputPath`.
    Effective,
    /// The result (`ResultSelector`).
    Result,
    /// After `ResultPath` (`OutputPath`).
    Combined,
}

pub(crate) fn check(ctx: &mut Ctx) {
    if !ctx.machine.states.iter().any(|s| {
        s.fields.parameters.is_some()
            || s.fields.result_selector.is_some()
            || s.fields.result.is_some()
            || !s.catchers.is_empty()
    }) {
        // Nothing makes a shape known: every payload is the execution input or a result.
        return;
    }
    let shapes = Shapes::new(ctx.machine, ctx.graph);
    let mut found = Vec::new();
    for state in &ctx.machine.states {
        let (Some(input), Some(stages)) = (shapes.input(state.id), shapes.stages(state.id)) else {
            continue;
        };
        for read in reads(state) {
            let shape = match read.stage {
                Stage::Input => input,
                Stage::Effective => &stages.effective,
                Stage::Result => &stages.result,
                Stage::Combined => &stages.combined,
            };
            if matches!(shape, Shape::Unknown) {
                continue;
            }
            let Some(steps) = input_steps(&read.path) else {
                continue;
            };
            if let Read::Absent { step, from } = shape.read(&steps) {
                found.push((state, read, steps, step, from));
            }
        }
    }
    for (state, read, steps, step, from) in found {
        let Some(bad) = steps.get(step) else { continue };
        let range = bad.range();
        let range = asl_syntax::string_range(
            ctx.text,
            read.node,
            read.offset + range.start..read.offset + range.end,
        );
        let prefix = prefix(&read.path, &steps, step);
        let whose = match read.stage {
            Stage::Input => "the state's input",
            Stage::Effective if state.fields.input_path.is_some() => {
                "the state's input after `InputPath`"
            }
            Stage::Effective => "the state's input",
            Stage::Result => "the state's result",
            Stage::Combined => "the state's output before `OutputPath`",
        };
        let what = match bad {
            Step::Field { name, .. } => format!("`{name}`"),
            _ => "it".to_owned(),
        };
        let holder = if prefix == "$" {
            whose.to_owned()
        } else {
            format!("`{prefix}` in {whose}")
        };
        let mut message = format!(
            "state `{}`: `{}` reads `{}`, which can never be found: {holder} is `{}`, without {what}",
            state.name,
            read.place,
            read.path,
            from.describe_within(80)
        );
        let sources = sources(ctx, state);
        if matches!(read.stage, Stage::Input | Stage::Effective) && !sources.is_empty() {
            let _ = write!(message, " (from {sources})");
        }
        message.push_str("; read a member it has, or add the member upstream");
        ctx.report(&META, range, message);
    }
}

/// The path up to (not including) step `step`.
fn prefix(path: &str, steps: &[Step], step: usize) -> String {
    let end = steps.get(step).map_or(path.len(), |s| s.range().start);
    path.get(..end).unwrap_or("$").to_owned()
}

/// The states whose output flows into `state`, as a message names them.
fn sources(ctx: &Ctx, state: &State<'_>) -> String {
    let mut names: Vec<String> = Vec::new();
    for t in ctx.graph.incoming(state.id) {
        let name = format!("`{}`", ctx.machine.state_name(t.from));
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.len() > 3 {
        let more = names.len() - 3;
        names.truncate(3);
        names.push(format!("{more} more"));
    }
    names.join(", ")
}

/// Every path `state` reads, with the payload it reads it from.
fn reads<'a>(state: &State<'a>) -> Vec<PathRead<'a>> {
    let mut out = Vec::new();
    let f = &state.fields;
    fn field<'a>(
        out: &mut Vec<PathRead<'a>>,
        prop: Option<&'a Property>,
        name: &str,
        stage: Stage,
    ) {
        if let Some(p) = prop
            && let Value::String(s) = &p.value.value
        {
            out.push(PathRead {
                node: &p.value,
                offset: 0,
                path: s.clone(),
                place: name.to_owned(),
                stage,
            });
        }
    }
    field(&mut out, f.input_path, "InputPath", Stage::Input);
    field(&mut out, f.output_path, "OutputPath", Stage::Combined);
    field(&mut out, f.items_path, "ItemsPath", Stage::Effective);
    field(&mut out, f.seconds_path, "SecondsPath", Stage::Effective);
    field(
        &mut out,
        f.timestamp_path,
        "TimestampPath",
        Stage::Effective,
    );
    field(
        &mut out,
        f.timeout_seconds_path,
        "TimeoutSecondsPath",
        Stage::Effective,
    );
    field(
        &mut out,
        f.heartbeat_seconds_path,
        "HeartbeatSecondsPath",
        Stage::Effective,
    );
    if state.kind == StateKind::Fail {
        for (prop, name) in [(f.error_path, "ErrorPath"), (f.cause_path, "CausePath")] {
            match prop.and_then(|p| p.value.as_str()) {
                Some(s) if s.starts_with("States.") => {
                    if let Some(p) = prop {
                        intrinsic_reads(&p.value, s, name, Stage::Effective, &mut out);
                    }
                }
                _ => field(&mut out, prop, name, Stage::Effective),
            }
        }
    }
    if let Some(p) = f.parameters {
        template_reads(&p.value, "Parameters", Stage::Effective, &mut out);
    }
    if let Some(p) = f.item_selector {
        template_reads(&p.value, "ItemSelector", Stage::Effective, &mut out);
    }
    if let Some(p) = f.result_selector
        && matches!(
            state.kind,
            StateKind::Task | StateKind::Map | StateKind::Parallel
        )
    {
        template_reads(&p.value, "ResultSelector", Stage::Result, &mut out);
    }
    if state.kind == StateKind::Choice {
        let mut guarded = Vec::new();
        for rule in &state.choices {
            is_present(rule, &mut guarded);
        }
        for (i, rule) in state.choices.iter().enumerate() {
            choice_reads(rule, &format!("Choices[{i}]"), &guarded, &mut out);
        }
    }
    out
}

/// The paths a Choice tests with `IsPresent`, anywhere in its rules.
fn is_present<'a>(rule: &ChoiceRule<'a>, out: &mut Vec<&'a str>) {
    if rule.operators.iter().any(|op| op.key == "IsPresent")
        && let Some(v) = rule.fields.variable.and_then(|p| p.value.as_str())
    {
        out.push(v);
    }
    for nested in &rule.nested {
        is_present(nested, out);
    }
}

fn choice_reads<'a>(
    rule: &ChoiceRule<'a>,
    place: &str,
    guarded: &[&str],
    out: &mut Vec<PathRead<'a>>,
) {
    if let Some(p) = rule.fields.variable
        && let Value::String(s) = &p.value.value
        && !guarded.contains(&s.as_str())
    {
        out.push(PathRead {
            node: &p.value,
            offset: 0,
            path: s.clone(),
            place: format!("{place}.Variable"),
            stage: Stage::Effective,
        });
        for op in &rule.operators {
            if op.key.ends_with("Path")
                && let Value::String(v) = &op.value.value
                && !guarded.contains(&v.as_str())
            {
                out.push(PathRead {
                    node: &op.value,
                    offset: 0,
                    path: v.clone(),
                    place: format!("{place}.{}", op.key),
                    stage: Stage::Effective,
                });
            }
        }
    }
    for (i, nested) in rule.nested.iter().enumerate() {
        let which = if rule.fields.not.is_some() {
            format!("{place}.Not")
        } else if rule.fields.and.is_some() {
            format!("{place}.And[{i}]")
        } else {
            format!("{place}.Or[{i}]")
        };
        choice_reads(nested, &which, guarded, out);
    }
}

/// The `.$` values of a payload template, at any depth.
fn template_reads<'a>(node: &'a Node, place: &str, stage: Stage, out: &mut Vec<PathRead<'a>>) {
    match &node.value {
        Value::Object(props) => {
            for p in props {
                let here = format!("{place}.{}", p.key);
                match (&p.value.value, p.key.ends_with(".$")) {
                    (Value::String(s), true) if s.starts_with("States.") => {
                        intrinsic_reads(&p.value, s, &here, stage, out);
                    }
                    (Value::String(s), true) => out.push(PathRead {
                        node: &p.value,
                        offset: 0,
                        path: s.clone(),
                        place: here,
                        stage,
                    }),
                    _ => template_reads(&p.value, &here, stage, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                template_reads(item, &format!("{place}[{i}]"), stage, out);
            }
        }
        _ => {}
    }
}

/// The path arguments of an intrinsic call, at any depth.
fn intrinsic_reads<'a>(
    node: &'a Node,
    text: &str,
    place: &str,
    stage: Stage,
    out: &mut Vec<PathRead<'a>>,
) {
    fn walk<'a>(
        call: &Call,
        node: &'a Node,
        place: &str,
        stage: Stage,
        out: &mut Vec<PathRead<'a>>,
    ) {
        for arg in &call.args {
            match &arg.kind {
                ArgKind::Path(path) => out.push(PathRead {
                    node,
                    offset: arg.range.start,
                    path: path.clone(),
                    place: place.to_owned(),
                    stage,
                }),
                ArgKind::Call(inner) => walk(inner, node, place, stage, out),
                _ => {}
            }
        }
    }
    if let Ok(call) = parse_intrinsic(text) {
        walk(&call, node, place, stage, out);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use crate::{Options, analyze, registry};
    use asl_syntax::Dialect;

    /// Each ASL330 finding as (the text it points at, its message).
    fn found(text: &str) -> Vec<(String, String)> {
        let rule = registry::find("unresolvable-path").unwrap();
        analyze(text, Dialect::Json, &Options::enabling(rule))
            .into_iter()
            .filter(|d| d.code() == "ASL330")
            .map(|d| (text[d.range].to_owned(), d.message))
            .collect()
    }

    #[test]
    fn a_member_a_template_dropped_is_reported_at_its_step() {
        let text = r#"{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Pass", "Parameters": {"receipt.$": "$.id", "amount": 5}, "Next": "Ship"},
  "Ship": {"Type": "Pass", "Parameters": {"order.$": "$.orderId", "n.$": "States.Format('{}', $.amount.cents)", "r.$": "$.receipt"}, "End": true}}}"#;
        let f = found(text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].0, ".orderId");
        assert_eq!(
            f[0].1,
            "state `Ship`: `Parameters.order.$` reads `$.orderId`, which can never be found: the state's input is `{receipt, amount: number}`, without `orderId` (from `Charge`); read a member it has, or add the member upstream"
        );
        // Inside an intrinsic call: a member of a number.
        assert_eq!(f[1].0, ".cents");
        assert!(
            f[1].1
                .contains("`$.amount` in the state's input is `number`"),
            "{}",
            f[1].1
        );
    }

    #[test]
    fn every_reading_field_and_stage() {
        let text = r#"{"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Result": {"a": {"b": 1}, "list": [1, 2]}, "Next": "B"},
  "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "InputPath": "$.nope",
        "TimeoutSecondsPath": "$.a.t", "ResultSelector": {"x.$": "$.anything"}, "ResultPath": "$.r", "OutputPath": "$.gone", "Next": "C"},
  "C": {"Type": "Choice", "Choices": [{"Not": {"Variable": "$.missing", "IsPresent": true}, "Next": "D"},
        {"Variable": "$.missing", "StringEquals": "x", "Next": "D"}, {"Variable": "$.other", "NumericEquals": 1, "Next": "D"}], "Default": "D"},
  "D": {"Type": "Succeed"}}}"#;
        let f = found(text);
        let places: Vec<&str> = f.iter().map(|(t, _)| t.as_str()).collect();
        // InputPath on the raw input; `TimeoutSecondsPath` on the effective input (unknown,
        // since InputPath fails); the Task's result is unknown; OutputPath after ResultPath.
        assert_eq!(places, [".nope", ".gone"], "{f:?}");
        assert!(
            f[1].1.contains("the state's output before `OutputPath`"),
            "{}",
            f[1].1
        );
        // C's input is unknown (B's output could not be found), so its Choice is not judged.
    }

    #[test]
    fn choices_guarded_by_is_present_and_catchers() {
        let text = r#"{"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Result": {"a": 1}, "Next": "C"},
  "C": {"Type": "Choice", "Choices": [
      {"Variable": "$.b", "IsPresent": true, "Next": "T"},
      {"Variable": "$.b", "NumericEquals": 1, "Next": "T"},
      {"And": [{"Variable": "$.a", "NumericEquals": 1}, {"Variable": "$.z", "NumericGreaterThanPath": "$.y"}], "Next": "T"}],
    "Default": "T"},
  "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}], "End": true},
  "H": {"Type": "Pass", "Parameters": {"e.$": "$.Error", "o.$": "$.orderId"}, "End": true}}}"#;
        let f = found(text);
        let places: Vec<&str> = f.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(places, [".z", ".y", ".orderId"], "{f:?}");
        assert!(
            f[0].1.contains("`Choices[2].And[1].Variable`"),
            "{}",
            f[0].1
        );
        assert!(
            f[2].1.contains("`{Error: string, Cause: string}`"),
            "{}",
            f[2].1
        );
    }

    #[test]
    fn what_is_not_known_is_not_judged() {
        for text in [
            // The execution input and a Task's result.
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$.anything"}, "Next": "T"},
               "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Next": "B"},
               "B": {"Type": "Pass", "InputPath": "$.whatever", "End": true}}}"#,
            // A ResultPath that adds the member; an optional member on one path only.
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.r", "Next": "C"},
               "C": {"Type": "Choice", "Choices": [{"Variable": "$.r.a", "NumericEquals": 1, "Next": "B"}], "Default": "D"},
               "D": {"Type": "Pass", "Result": {"b": 1}, "Next": "B"},
               "B": {"Type": "Pass", "Parameters": {"x.$": "$.b", "y.$": "$.r"}, "End": true}}}"#,
            // A `${...}` target may come from anywhere; a templated key makes any member.
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"a": 1}, "Next": "${Next}"},
               "B": {"Type": "Pass", "InputPath": "$.b", "End": true}}}"#,
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"${key}": 1}, "Next": "B"},
               "B": {"Type": "Pass", "InputPath": "$.b", "End": true}}}"#,
            // Context object, variables and wildcards.
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"a": 1}, "Next": "B"},
               "B": {"Type": "Pass", "Parameters": {"x.$": "$$.Execution.Id", "y.$": "$v.q", "z.$": "$.a[*]"}, "End": true}}}"#,
        ] {
            assert_eq!(found(text), Vec::<(String, String)>::new(), "{text}");
        }
    }
}
