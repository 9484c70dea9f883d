//! The rules' reach (issue 18): how many states of a definition the payload flow knows the
//! input of. The shape rules judge a read only where the payload is known, so these counts say
//! how much of a corpus they can look at.
//!
//! Also, hidden, what the injected-error test of the shape rules mutates: the reads that a
//! literal key of a payload template or a Pass `Result` certainly resolves.

use std::ops::AddAssign;

use asl_syntax::ast::{ChoiceRule, Machine, QueryLanguage, State, StateKind};
use asl_syntax::intrinsic::{ArgKind, Call, parse_intrinsic};
use asl_syntax::jsonpath::Step;
use asl_syntax::{Dialect, Node, Property, TextRange, Value};

use super::flow::{Shapes, input_steps};
use super::{Read, Shape};
use crate::graph::Graph;

/// What the payload flow knows of a definition's state inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// Every state, in every scope (Parallel branches and Map processors included).
    pub states: usize,
    /// The states evaluated in JSONPath (the ones the path rules read).
    pub jsonpath: usize,
    /// The states some path of the flow reaches (a state no transition leads to is not).
    pub reached: usize,
    /// Reached states whose input is known to be more than anything: some member, type or
    /// element is known.
    pub known_input: usize,
    /// Reached states whose input is *closed*: an object with only known members (a payload
    /// template's, a Pass `Result`'s, an error object's), a string, number, boolean, null or
    /// array, or a union of those. A missing member of such an input is certain.
    pub closed_input: usize,
    /// The closed inputs of JSONPath states.
    pub closed_jsonpath: usize,
}

impl AddAssign for Reach {
    fn add_assign(&mut self, other: Reach) {
        self.states += other.states;
        self.jsonpath += other.jsonpath;
        self.reached += other.reached;
        self.known_input += other.known_input;
        self.closed_input += other.closed_input;
        self.closed_jsonpath += other.closed_jsonpath;
    }
}

/// The reach of the state machine definition `text` (`None` when it does not parse).
pub fn reach(text: &str, dialect: Dialect) -> Option<Reach> {
    let parse = asl_syntax::parse(text, dialect);
    parse.root.as_ref().map(reach_of)
}

/// The reach of a parsed definition (a template's embedded definition included).
pub fn reach_of(root: &Node) -> Reach {
    let machine = Machine::new(root);
    let graph = Graph::new(&machine);
    let shapes = Shapes::new(&machine, &graph);
    let mut out = Reach::default();
    for state in &machine.states {
        out.states += 1;
        let jsonpath = state.query_language == QueryLanguage::JsonPath;
        out.jsonpath += usize::from(jsonpath);
        let Some(input) = shapes.input(state.id) else {
            continue;
        };
        out.reached += 1;
        if !matches!(input, Shape::Unknown) {
            out.known_input += 1;
        }
        if closed(input) {
            out.closed_input += 1;
            out.closed_jsonpath += usize::from(jsonpath);
        }
    }
    out
}

/// Whether every member of `shape` is known: a closed object, a scalar, an array or a union of
/// those.
fn closed(shape: &Shape) -> bool {
    match shape {
        Shape::Unknown => false,
        Shape::Object(object) => object.closed,
        Shape::Union(items) => items.iter().all(closed),
        _ => true,
    }
}

/// Whether a member missing from `shape` is certainly absent: a closed object, or a union of
/// closed objects.
fn closed_object(shape: &Shape) -> bool {
    match shape {
        Shape::Object(object) => object.closed,
        Shape::Union(items) => items.iter().all(closed_object),
        _ => false,
    }
}

/// A read of a member that one literal key certainly provides (for the injected-error test).
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRead {
    /// The state whose key it is.
    pub writer: String,
    /// `Parameters`, `ResultSelector` or `Result`.
    pub field: &'static str,
    /// The member's name (the key without `.$`).
    pub name: String,
    /// The key's range, as written (quotes included).
    pub key_range: TextRange,
    /// The state that reads it.
    pub reader: String,
    /// The field that reads it (`InputPath`, `Parameters`, `Choices`, ...).
    pub place: &'static str,
    /// The path read.
    pub path: String,
    /// The range of the step naming the member (`.name`, `['name']`).
    pub range: TextRange,
    /// The range of the string node holding the path.
    pub node: TextRange,
}

/// Every read of a definition whose step names a member that exactly one literal key of the
/// definition provides (the top-level key of a JSONPath state's `Parameters`, `ResultSelector`
/// or Pass `Result`, no other key of any payload template or `Result` at any depth, no
/// `ResultPath` step and no error object having that name), where the flow finds that member,
/// required, in a closed object: renaming the key makes the read certainly fail. A Choice's
/// reads guarded by `IsPresent` on the same path are left out.
#[doc(hidden)]
pub fn key_reads(text: &str, root: &Node) -> Vec<KeyRead> {
    let machine = Machine::new(root);
    let graph = Graph::new(&machine);
    let mut names: Vec<String> = Vec::new();
    let mut catches = false;
    for state in &machine.states {
        let f = &state.fields;
        for p in [f.parameters, f.result_selector, f.result, f.item_selector]
            .into_iter()
            .flatten()
        {
            keys(&p.value, &mut names);
        }
        catches |= !state.catchers.is_empty();
        let result_paths = std::iter::once(f.result_path)
            .chain(state.catchers.iter().map(|c| c.fields.result_path))
            .flatten();
        for p in result_paths {
            if let Some(steps) = p.value.as_str().and_then(input_steps) {
                for step in steps {
                    if let Step::Field { name, .. } = step {
                        names.push(name);
                    }
                }
            }
        }
    }
    if catches {
        names.extend(["Error".to_owned(), "Cause".to_owned()]);
    }
    // The keys written once: name → (writer, field, key).
    let mut writers: Vec<(&State<'_>, &'static str, &Property, &str)> = Vec::new();
    for state in &machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let f = &state.fields;
        let fields = [
            ("Parameters", f.parameters),
            ("ResultSelector", f.result_selector),
            ("Result", f.result.filter(|_| state.kind == StateKind::Pass)),
        ];
        for (field, prop) in fields {
            let Some(prop) = prop else { continue };
            if prop.value.is_cfn_intrinsic() {
                continue;
            }
            for key in prop.value.as_object().unwrap_or(&[]) {
                let name = key.key.strip_suffix(".$").unwrap_or(&key.key);
                if asl_syntax::is_templated(name)
                    || names.iter().filter(|n| *n == name).count() != 1
                {
                    continue;
                }
                writers.push((state, field, key, name));
            }
        }
    }
    if writers.is_empty() {
        return Vec::new();
    }
    let shapes = Shapes::new(&machine, &graph);
    let mut out = Vec::new();
    for state in &machine.states {
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
            let Some(steps) = input_steps(&read.path) else {
                continue;
            };
            for (i, step) in steps.iter().enumerate() {
                let Step::Field { name, range } = step else {
                    continue;
                };
                let Some((writer, field, key, _)) = writers.iter().find(|w| w.3 == name) else {
                    continue;
                };
                let (Some(to), Some(through)) = (steps.get(..i), steps.get(..=i)) else {
                    continue;
                };
                let (Read::Found(container), Read::Found(_)) =
                    (shape.read(to), shape.read(through))
                else {
                    continue;
                };
                if !closed_object(&container) {
                    continue;
                }
                out.push(KeyRead {
                    writer: writer.name.to_owned(),
                    field,
                    name: name.clone(),
                    key_range: key.key_range,
                    reader: state.name.to_owned(),
                    place: read.place,
                    path: read.path.clone(),
                    range: asl_syntax::string_range(
                        text,
                        read.node,
                        read.offset + range.start..read.offset + range.end,
                    ),
                    node: read.node.range,
                });
            }
        }
    }
    out
}

/// Every key of a payload template or literal, at any depth (without `.$`).
fn keys(node: &Node, out: &mut Vec<String>) {
    match &node.value {
        Value::Object(props) => {
            for p in props {
                out.push(p.key.strip_suffix(".$").unwrap_or(&p.key).to_owned());
                keys(&p.value, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                keys(item, out);
            }
        }
        _ => {}
    }
}

/// Which payload of its state a read sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Input,
    Effective,
    Result,
    Combined,
}

/// One path a state reads.
struct PathRead<'a> {
    node: &'a Node,
    /// Where the path starts in the string (inside an intrinsic call).
    offset: usize,
    path: String,
    place: &'static str,
    stage: Stage,
}

/// The paths `state` reads, as asl-spec.md says each field is evaluated: `InputPath` on the
/// raw input, `OutputPath` after `ResultPath`, `ResultSelector` on the result, the others on
/// the input after `InputPath`.
fn reads<'a>(state: &State<'a>) -> Vec<PathRead<'a>> {
    let mut out = Vec::new();
    let f = &state.fields;
    let paths = [
        (f.input_path, "InputPath", Stage::Input),
        (f.output_path, "OutputPath", Stage::Combined),
        (f.items_path, "ItemsPath", Stage::Effective),
        (f.seconds_path, "SecondsPath", Stage::Effective),
        (f.timestamp_path, "TimestampPath", Stage::Effective),
        (
            f.timeout_seconds_path,
            "TimeoutSecondsPath",
            Stage::Effective,
        ),
        (
            f.heartbeat_seconds_path,
            "HeartbeatSecondsPath",
            Stage::Effective,
        ),
    ];
    for (prop, place, stage) in paths {
        if let Some(p) = prop {
            value_reads(&p.value, place, stage, false, &mut out);
        }
    }
    if state.kind == StateKind::Fail {
        for (prop, place) in [(f.error_path, "ErrorPath"), (f.cause_path, "CausePath")] {
            if let Some(p) = prop {
                value_reads(&p.value, place, Stage::Effective, true, &mut out);
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
            present(rule, &mut guarded);
        }
        for rule in &state.choices {
            choice_reads(rule, &guarded, &mut out);
        }
    }
    out
}

/// A string value read as a path, or (`intrinsics`) as an intrinsic call's path arguments.
fn value_reads<'a>(
    node: &'a Node,
    place: &'static str,
    stage: Stage,
    intrinsics: bool,
    out: &mut Vec<PathRead<'a>>,
) {
    let Value::String(s) = &node.value else {
        return;
    };
    if intrinsics && s.starts_with("States.") {
        if let Ok(call) = parse_intrinsic(s) {
            call_reads(&call, node, place, stage, out);
        }
        return;
    }
    out.push(PathRead {
        node,
        offset: 0,
        path: s.clone(),
        place,
        stage,
    });
}

fn call_reads<'a>(
    call: &Call,
    node: &'a Node,
    place: &'static str,
    stage: Stage,
    out: &mut Vec<PathRead<'a>>,
) {
    for arg in &call.args {
        match &arg.kind {
            ArgKind::Path(path) => out.push(PathRead {
                node,
                offset: arg.range.start,
                path: path.clone(),
                place,
                stage,
            }),
            ArgKind::Call(inner) => call_reads(inner, node, place, stage, out),
            _ => {}
        }
    }
}

/// The `.$` values of a payload template, at any depth.
fn template_reads<'a>(
    node: &'a Node,
    place: &'static str,
    stage: Stage,
    out: &mut Vec<PathRead<'a>>,
) {
    match &node.value {
        Value::Object(props) => {
            for p in props {
                if p.key.ends_with(".$") {
                    value_reads(&p.value, place, stage, true, out);
                } else {
                    template_reads(&p.value, place, stage, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                template_reads(item, place, stage, out);
            }
        }
        _ => {}
    }
}

/// The paths a Choice tests with `IsPresent`.
fn present<'a>(rule: &ChoiceRule<'a>, out: &mut Vec<&'a str>) {
    if rule.operators.iter().any(|op| op.key == "IsPresent")
        && let Some(v) = rule.fields.variable.and_then(|p| p.value.as_str())
    {
        out.push(v);
    }
    for nested in &rule.nested {
        present(nested, out);
    }
}

/// A Choice rule's `Variable` and `...Path` operands, unless its `Variable` or the operand is
/// a path the Choice tests with `IsPresent`.
fn choice_reads<'a>(rule: &ChoiceRule<'a>, guarded: &[&str], out: &mut Vec<PathRead<'a>>) {
    let variable = rule.fields.variable.map(|p| &p.value);
    if let Some(variable) = variable.filter(|v| v.as_str().is_some_and(|s| !guarded.contains(&s))) {
        let operands = rule
            .operators
            .iter()
            .filter(|op| op.key.ends_with("Path"))
            .map(|op| &op.value);
        for node in std::iter::once(variable).chain(operands) {
            if node.as_str().is_some_and(|s| !guarded.contains(&s)) {
                value_reads(node, "Choices", Stage::Effective, false, out);
            }
        }
    }
    for nested in &rule.nested {
        choice_reads(nested, guarded, out);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn json(text: &str) -> Node {
        asl_syntax::parse(text, Dialect::Json).root.unwrap()
    }

    #[test]
    fn reach_counts_known_and_closed_inputs() {
        let text = r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "ResultPath": "$.r", "Next": "A"},
            "A": {"Type": "Pass", "Result": {"x": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"y.$": "$.x"}, "Next": "C"},
            "C": {"Type": "Pass", "QueryLanguage": "JSONata", "End": true},
            "Lost": {"Type": "Succeed"}}}"#;
        assert_eq!(
            reach(text, Dialect::Json),
            Some(Reach {
                states: 5,
                jsonpath: 4,
                // T (the execution input), A (`{r, …}`: known, open), B, C; not Lost.
                reached: 4,
                known_input: 3,
                closed_input: 2,
                closed_jsonpath: 1,
            })
        );
        assert_eq!(reach("{", Dialect::Json), None);
        assert!(!closed(&Shape::Unknown));
        assert!(closed(&Shape::Union(
            vec![Shape::Number, Shape::empty()].into()
        )));
    }

    #[test]
    fn key_reads_are_the_reads_one_key_certainly_provides() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Result": {"order": {"id": 1}, "total": 2, "shared": 3}, "ResultPath": "$.a", "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"o.$": "$.a.order.id", "t.$": "States.Format('{}', $.a['total'])", "shared": 1, "q.$": "$.input"}, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.o", "NumericEquals": 1, "Next": "D"},
                {"Variable": "$.t", "IsPresent": true, "Next": "D"},
                {"Variable": "$.t", "StringEquals": "2", "Next": "D"}], "Default": "D"},
            "D": {"Type": "Succeed", "OutputPath": "$.q"}}}"#;
        let root = json(text);
        let reads = key_reads(text, &root);
        let found: Vec<(&str, &str, &str, &str)> = reads
            .iter()
            .map(|r| (&*r.writer, &*r.name, r.place, &text[r.range]))
            .collect();
        // `shared` is written twice; `a` is a ResultPath step; `$.input` is not known;
        // `$.t` is guarded by IsPresent.
        assert_eq!(
            found,
            [
                ("A", "order", "Parameters", ".order"),
                ("A", "total", "Parameters", "['total']"),
                ("B", "o", "Choices", ".o"),
                ("B", "q", "OutputPath", ".q"),
            ]
        );
    }
}
